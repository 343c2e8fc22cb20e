// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: two or three participants in memory (sim.c):
 * election, SAK distribution and use, rekey, life time, a foreign CAK,
 * the rejoin for wpa_supplicant, and the SecY's PN events.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "unit.h"
#include "../../include/uapi/linux/vsecy.h"

/* n nodes; node 1 (priority 10) is key server; node 2 may hold cak2. */
static void sim_init(int n, const char *cak2, const struct secy_ops *ops)
{
	char text[512];
	int i;

	sim_reset();
	for (i = 0; i < n; i++) {
		snprintf(text, sizeof(text),
			 "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=%s\n"
			 "mka_ckn=0102\nmka_priority=%d\n}\n",
			 i == 2 && cak2 ? cak2 : SIM_CAK, i == 1 ? 10 : 100);
		sim_add(i, text, ops, NULL);
	}
}

void t_kay(void)
{
	double t0;
	int ok;

	sim_init(2, NULL, NULL);
	t0 = sim_now;
	sim_run(5);
	ok = check(sim[0].first_sak_use >= t0 + 2.0 && sim[1].first_sak_use >= t0 + 2.0,
		   "SAK Use sent %.1f/%.1f s after start, before one hello time",
		   sim[0].first_sak_use - t0, sim[1].first_sak_use - t0);
	result(ok, "no SAK Use before one hello time (wpa_supplicant would reset its MI)");
	ok = check(sim_secured(0) && sim_secured(1), "not secured after 5 s: %d %d",
		   sim_secured(0), sim_secured(1)) &&
	     check(P(1)->is_ks && !P(0)->is_ks && P(0)->ks_sci == sim[1].port.sci,
		   "node 1 (priority 10) should be key server") &&
	     check(CP(0)->latest.kn == CP(1)->latest.kn &&
		   !memcmp(CP(0)->latest.ki_mi, P(1)->mi, 12) &&
		   !memcmp(CP(0)->latest.key, CP(1)->latest.key, 16),
		   "participants disagree on the SAK") &&
	     check(sim[0].tx_use == 1 && sim[1].tx_use == 1 && sim[0].rx_sa == 1 && sim[1].rx_sa == 1,
		   "SA programming: tx_use %d %d rx_sa %d %d", sim[0].tx_use, sim[1].tx_use,
		   sim[0].rx_sa, sim[1].rx_sa);
	result(ok, "two participants: election by priority, one SAK, RX then TX");

	participant_request_rekey(P(1));
	sim_run(8);
	ok = check(CP(0)->latest.kn == 2 && CP(1)->latest.kn == 2 &&
		   CP(0)->latest.tx && CP(1)->latest.tx,
		   "after rekey: KN %u/%u tx %d/%d", CP(0)->latest.kn, CP(1)->latest.kn,
		   CP(0)->latest.tx, CP(1)->latest.tx) &&
	     check(CP(0)->latest.an == 1, "new SAK AN %u, expected 1", CP(0)->latest.an) &&
	     check(!CP(0)->old.valid && !CP(1)->old.valid, "old SAK not retired");
	result(ok, "rekey: new KN and AN, old SAK retired after the switch");

	/* a peer's life time runs from its last MKPDU, at most one hello ago */
	sim[1].silent = true;
	sim_run(3.9);
	ok = check(P(0)->n_peers == 1 && sim_secured(0),
		   "peer dropped 3.9 s after it went silent, before the 6 s life time");
	sim_run(2.3);
	ok = ok && check(P(0)->n_peers == 0 && !sim_secured(0) && !CP(0)->latest.valid,
			 "silent peer kept 6.2 s after its last MKPDU (peers %d)", P(0)->n_peers);
	result(ok, "silent peer removed after the MKA life time, session ends");

	sim_init(3, "ffeeddccbbaa99887766554433221100", NULL);
	sim_run(8);
	ok = check(sim_secured(0) && sim_secured(1) && !sim_secured(2),
		   "secured %d %d %d", sim_secured(0), sim_secured(1), sim_secured(2)) &&
	     check(P(0)->n_peers == 1 && P(1)->n_peers == 1 && P(2)->n_peers == 0,
		   "peers %d %d %d", P(0)->n_peers, P(1)->n_peers, P(2)->n_peers) &&
	     check(P(0)->cnt.rx_bad_icv > 0 && P(1)->cnt.rx_bad_icv > 0,
		   "MKPDUs with another CAK not counted as bad ICV");
	result(ok, "a participant with another CAK (same CKN) is never a peer");
}

/*
 * A participant that holds no SAK of the elected key server rejoins with a
 * new MI once MKA_REJOIN_TIME has passed (the key server then sees a new
 * live peer and distributes), and one that got the SAK never does.
 */
void t_kay_rejoin(void)
{
	uint8_t old_mi[MKA_MI_LEN];
	int ok;

	sim_init(2, NULL, NULL);
	sim_run(5);
	ok = check(sim_secured(0) && sim_secured(1), "not secured after 5 s");
	sim_run(MKA_REJOIN_TIME + 2);
	ok = ok && check(!P(0)->cnt.rejoins && !P(1)->cnt.rejoins,
			 "rejoined though secured: %" PRIu64 " %" PRIu64,
			 P(0)->cnt.rejoins, P(1)->cnt.rejoins);
	result(ok, "a participant with the key server's SAK does not rejoin");

	/* As if the key server had never given node 0 its SAK. */
	memcpy(old_mi, P(0)->mi, MKA_MI_LEN);
	CP(0)->latest.ki_mi[0] ^= 0xff;
	participant_kick(P(0));		/* no timer knows of the change */
	sim_run(0.3);
	ok = check(P(0)->cnt.rejoins == 1, "no rejoin (rejoins %" PRIu64 ")",
		   P(0)->cnt.rejoins) &&
	     check(!sim_secured(0) && !P(0)->n_peers, "rejoined but kept its session");
	/* Silent, so the key server forgets the old MI. */
	sim_run(MKA_LIFE_TIME + 0.5);
	ok = ok && check(P(1)->n_peers == 0 && !sim_secured(1),
			 "the key server still has the old MI (peers %d)", P(1)->n_peers);
	sim_run(MKA_REJOIN_QUIET - MKA_LIFE_TIME);
	ok = ok && check(memcmp(P(0)->mi, old_mi, MKA_MI_LEN), "no new MI after the silence");
	sim_run(6);
	ok = ok && check(sim_secured(0) && sim_secured(1) &&
			 !memcmp(CP(0)->latest.ki_mi, P(1)->mi, MKA_MI_LEN) &&
			 CP(0)->latest.kn == CP(1)->latest.kn,
			 "not secured with the key server's SAK after rejoining: %d %d KN %u %u",
			 sim_secured(0), sim_secured(1), CP(0)->latest.kn,
			 CP(1)->latest.kn) &&
	     check(P(0)->cnt.rejoins == 1, "rejoined %" PRIu64 " times", P(0)->cnt.rejoins);
	result(ok, "no SAK from the key server: rejoin with a new MI, then its SAK");
}

/* SecY events ------------------------------------------------------- */

/* A PN event as the module sends it (vsecy.h, "Events"). */
static struct nlmsghdr *ev_msg(char *buf, uint16_t family, uint8_t cmd,
			       uint32_t ifindex, uint8_t an, uint64_t pn)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct nlattr *n;
	uint8_t ki[VSECY_KEYID_LEN];

	memset(ki, 0xab, sizeof(ki));
	h->nlmsg_type = family;
	g = mnl_nlmsg_put_extra_header(h, sizeof(*g));
	g->cmd = cmd;
	g->version = VSECY_GENL_VERSION;
	mnl_attr_put_u32(h, VSECY_A_IFINDEX, ifindex);
	mnl_attr_put_strz(h, VSECY_A_IFNAME, "vs0");
	n = mnl_attr_nest_start(h, VSECY_A_SECY);
	mnl_attr_put_u64(h, VSECY_SECY_A_SCI, 0x5254001234560001ULL);
	if (cmd == VSECY_CMD_PN_THRESHOLD)
		mnl_attr_put_u64(h, VSECY_SECY_A_PN_THRESHOLD, MKA_PN_THRESHOLD);
	mnl_attr_nest_end(h, n);
	n = mnl_attr_nest_start(h, VSECY_A_SA);
	mnl_attr_put_u8(h, VSECY_SA_A_AN, an);
	mnl_attr_put(h, VSECY_SA_A_KEYID, sizeof(ki), ki);
	if (cmd == VSECY_CMD_PN_THRESHOLD)
		mnl_attr_put_u64(h, VSECY_SA_A_PN, pn);
	mnl_attr_nest_end(h, n);
	return h;
}

void t_event_parse(void)
{
	static char buf[4096] __attribute__((aligned(4)));
	struct secy_event ev;
	int ok;

	ok = check(secy_vsecy_parse_event(ev_msg(buf, 30, VSECY_CMD_PN_THRESHOLD, 7, 2,
						 MKA_PN_THRESHOLD + 1), 30, 7, &ev) == 1,
		   "threshold event of ifindex 7 not taken") &&
	     check(ev.type == SECY_EV_PN_THRESHOLD && ev.an == 2 &&
		   ev.pn == MKA_PN_THRESHOLD + 1 && ev.has_keyid && ev.keyid[15] == 0xab,
		   "threshold event: type %d an %u pn %llu keyid %d", ev.type, ev.an,
		   (unsigned long long)ev.pn, ev.has_keyid) &&
	     check(secy_vsecy_parse_event(ev_msg(buf, 30, VSECY_CMD_PN_EXHAUSTED, 7, 3, 0),
					  30, 7, &ev) == 1 &&
		   ev.type == SECY_EV_PN_EXHAUSTED && ev.an == 3,
		   "exhausted event not taken as such");
	result(ok, "events: PN threshold and exhausted events parsed (AN, PN, key identifier)");

	ok = check(!secy_vsecy_parse_event(ev_msg(buf, 30, VSECY_CMD_PN_THRESHOLD, 8, 2, 5),
					   30, 7, &ev), "event of ifindex 8 taken") &&
	     check(!secy_vsecy_parse_event(ev_msg(buf, 30, VSECY_CMD_ADD_TXSA, 7, 2, 5),
					   30, 7, &ev), "add-txsa event taken as a PN event") &&
	     check(!secy_vsecy_parse_event(ev_msg(buf, 31, VSECY_CMD_PN_THRESHOLD, 7, 2, 5),
					   30, 7, &ev), "message of another family taken");
	result(ok, "events: other SecYs, other events and other families ignored");
}

/* The key identifier of a node's latest SAK, as the SecY reports it. */
static void ev_for(int i, enum secy_event_type type, int an_delta, struct secy_event *ev)
{
	const struct sak *s = &CP(i)->latest;

	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->an = (uint8_t)((s->an + an_delta) & 3);
	ev->has_keyid = true;
	memcpy(ev->keyid, s->ki_mi, MKA_MI_LEN);
	ev->keyid[12] = (uint8_t)(s->kn >> 24);
	ev->keyid[13] = (uint8_t)(s->kn >> 16);
	ev->keyid[14] = (uint8_t)(s->kn >> 8);
	ev->keyid[15] = (uint8_t)s->kn;
	ev->pn = MKA_PN_THRESHOLD + 1;
}

static bool sim_secured_both(void)
{
	return sim_secured(0) && sim_secured(1) && CP(0)->latest.tx &&
	       CP(1)->latest.tx && !CP(0)->old.valid && !CP(1)->old.valid;
}

void t_kay_events(void)
{
	struct secy_event ev;
	uint32_t kn;
	int ok;

	/* node 1 (priority 10) is key server */
	sim_init(2, NULL, &sim_ev_ops);
	sim_run(5);
	kn = CP(1)->latest.kn;
	ok = check(sim_secured_both(), "not secured") &&
	     check(sim[0].threshold == MKA_PN_THRESHOLD && sim[1].threshold == MKA_PN_THRESHOLD,
		   "SecY PN threshold programmed %llx/%llx, expected %llx",
		   (unsigned long long)sim[0].threshold, (unsigned long long)sim[1].threshold,
		   MKA_PN_THRESHOLD);
	sim[0].pn = MKA_PN_THRESHOLD + 100;
	sim[1].pn = MKA_PN_THRESHOLD + 100;
	sim[0].pn_an = CP(0)->latest.an;
	sim[1].pn_an = CP(1)->latest.an;
	sim_run(5);
	ok = ok && check(sim[0].pn_reads == 0 && sim[1].pn_reads == 0 && CP(1)->latest.kn == kn,
			 "a SecY with events polled (%d/%d reads) or rekeyed (KN %u -> %u)",
			 sim[0].pn_reads, sim[1].pn_reads, kn, CP(1)->latest.kn);
	result(ok, "events: SecY threshold set to MKA's; no TX PN polling with events");

	ev_for(1, SECY_EV_PN_THRESHOLD, 1, &ev);
	participant_secy_event(P(1), &ev);
	ev_for(1, SECY_EV_PN_THRESHOLD, 0, &ev);
	ev.keyid[0] ^= 1;
	participant_secy_event(P(1), &ev);
	sim_run(3);
	ok = check(CP(1)->latest.kn == kn && !P(1)->ks.want_rekey,
		   "threshold event for another AN or key identifier rekeyed (KN %u -> %u)",
		   kn, CP(1)->latest.kn);
	result(ok, "events: an event for an SA not in use is ignored");

	ev_for(1, SECY_EV_PN_THRESHOLD, 0, &ev);
	participant_secy_event(P(1), &ev);
	sim_run(8);
	ok = check(CP(1)->latest.kn == kn + 1 && CP(0)->latest.kn == kn + 1 &&
		   sim_secured_both(), "after the key server's event: KN %u/%u, expected %u",
		   CP(0)->latest.kn, CP(1)->latest.kn, kn + 1);
	result(ok, "events: threshold event on the key server's TX SA: rekey");

	kn++;
	ev_for(1, SECY_EV_PN_EXHAUSTED, 0, &ev);
	participant_secy_event(P(1), &ev);
	sim_run(8);
	ok = check(CP(1)->latest.kn == kn + 1 && sim_secured_both(),
		   "after the exhausted event: KN %u, expected %u", CP(1)->latest.kn, kn + 1);
	result(ok, "events: PN exhausted event: rekey");

	kn++;
	ev_for(0, SECY_EV_PN_THRESHOLD, 0, &ev);
	participant_secy_event(P(0), &ev);
	ok = check(!P(0)->ks.want_rekey && CP(0)->latest.lpn_report == MKA_PN_THRESHOLD + 1,
		   "non key server: want_rekey %d, reported LPN %u", P(0)->ks.want_rekey,
		   CP(0)->latest.lpn_report);
	sim_run(8);
	ok = ok && check(CP(1)->latest.kn == kn + 1 && sim_secured_both(),
			 "key server did not rekey on the reported LPN: KN %u, expected %u",
			 CP(1)->latest.kn, kn + 1);
	result(ok, "events: threshold on a non key server: reported in SAK Use, key server rekeys");

	kn++;
	sim[1].pn = 5;
	sim[1].pn_an = CP(1)->latest.an;
	ev.type = SECY_EV_LOST;
	participant_secy_event(P(1), &ev);
	sim_run(3);
	ok = check(sim[1].pn_reads == 1 && CP(1)->latest.kn == kn,
		   "lost events, low PN: %d reads (expected 1), KN %u (expected %u)",
		   sim[1].pn_reads, CP(1)->latest.kn, kn);
	sim[1].pn = MKA_PN_THRESHOLD + 7;
	participant_secy_event(P(1), &ev);
	sim_run(8);
	ok = ok && check(sim[1].pn_reads == 2 && CP(1)->latest.kn == kn + 1,
			 "lost events, PN past the threshold: %d reads (expected 2), KN %u (expected %u)",
			 sim[1].pn_reads, CP(1)->latest.kn, kn + 1);
	result(ok, "events: lost events (ENOBUFS) resync with one PN read");

	/* A SecY without events (the kernel's macsec): polled. */
	sim_init(2, NULL, &sim_poll_ops);
	sim_run(5);
	kn = CP(1)->latest.kn;
	sim[1].pn = MKA_PN_THRESHOLD + 100;
	sim[1].pn_an = CP(1)->latest.an;
	sim_run(8);
	ok = check(sim[1].pn_reads > 0 && CP(1)->latest.kn == kn + 1,
		   "SecY without events: %d PN reads, KN %u (expected %u)", sim[1].pn_reads,
		   CP(1)->latest.kn, kn + 1);
	result(ok, "events: a SecY without events is polled once per hello time");
}

