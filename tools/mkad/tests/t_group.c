// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: groups of three and more (issue 10, item 4): a
 * peer live after the SAK is installed, a large CA, a member without
 * MACsec, the 9.8.1 hold, and XPN SSCIs against the rule MKAdaemon and
 * SONiC's wpa_supplicant follow (and a capture of the latter).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cs.h"
#include "unit.h"
#include "../../include/uapi/linux/vsecy.h"

/* Node 1 key server (priority 10), the others 100, with extra lines. */
static void group(int n, const char *extra)
{
	int i;

	sim_reset();
	for (i = 0; i < n; i++)
		sim_add_simple(i, i == 1 ? 10 : 100, extra);
}

static bool rx_sa_for(int node, uint64_t sci, uint8_t an)
{
	int i;

	for (i = 0; i < CP(node)->n_rxsc; i++)
		if (CP(node)->rxsc[i].sci == sci)
			return CP(node)->rxsc[i].sa_mask & (1 << an);
	return false;
}

/*
 * Node 2 joins hearing only the key server (node 1) at first. The key
 * server holds the new SAK until the live peers hold each other live (as
 * wpa_supplicant, which installs RX SAs only for the peers live to it,
 * needs), MKA Life Time at most. Past that, the SAK goes; node 0 installs
 * it while node 2 is not yet live to it, and when node 2 becomes live
 * there, node 0 receives from it with that SAK at once.
 */
static void t_late_live(void)
{
	uint32_t kn;
	int ok;

	group(2, NULL);
	sim_run(5);
	sim_add_simple(2, 100, NULL);
	sim_blocked[0][2] = true;	/* node 2 does not hear node 0 */
	sim_run(2);
	ok = check(CP(1)->latest.kn == 1, "the key server did not wait for node 0 and 2 (KN %u)",
		   CP(1)->latest.kn);
	sim_blocked[0][2] = false;
	sim_run(2);
	ok = ok && check(CP(1)->latest.kn == 2 && rx_sa_for(0, sim[2].port.sci, 1),
			 "KN %u, RX SA for node 2 at node 0: %d", CP(1)->latest.kn,
			 rx_sa_for(0, sim[2].port.sci, 1));
	result(ok, "group: a new SAK waits until the live peers hold each other live");

	group(2, NULL);
	sim_run(5);
	sim_add_simple(2, 100, NULL);
	sim_blocked[0][2] = true;
	sim_run(MKA_LIFE_TIME + 1.5);
	kn = CP(1)->latest.kn;
	ok = check(kn == 2 && CP(0)->latest.kn == 2,
		   "the key server's SAK for the third: KN %u/%u", kn, CP(0)->latest.kn) &&
	     check(!rx_sa_for(0, sim[2].port.sci, CP(0)->latest.an),
		   "node 0 has an RX SA for node 2 before node 2 is live to it");
	sim_blocked[0][2] = false;
	sim_run(3);
	ok = ok && check(CP(0)->latest.kn == kn, "a new SAK (KN %u): not the case tested",
			 CP(0)->latest.kn) &&
	     check(rx_sa_for(0, sim[2].port.sci, CP(0)->latest.an),
		   "node 2 live at node 0, but no RX SA for it with KN %u", kn) &&
	     check(sim_secured(0) && sim_secured(1) && sim_secured(2), "secured %d %d %d",
		   sim_secured(0), sim_secured(1), sim_secured(2));
	result(ok, "group: a peer live after the SAK was installed gets its RX SA at once");
}

/*
 * A CA of 46: the key server derives an SAK for 45 live peers (the KDF
 * context was capped at 512 octets, 40 participants with GCM-AES-256).
 */
static void t_large_ca(void)
{
	static struct mkpdu m;
	uint8_t mi[MKA_MI_LEN], buf[MKPDU_MAX_LEN], cak[32], nonce[32], sak[32];
	static uint8_t mis[65 * MKA_MI_LEN];
	int i, round, ok;
	size_t len;

	unhex(SIM_CAK SIM_CAK, cak);
	memset(nonce, 7, sizeof(nonce));
	memset(mis, 9, sizeof(mis));
	ok = check(!crypto_sak(cak, 32, nonce, 32, mis, 65, 1, sak, 32),
		   "crypto_sak with 65 MIs failed");
	group(1, "macsec_ciphersuite=gcm-aes-256\nmka_priority=1");
	sim_run(0.5);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 45; i++) {
			memset(mi, 0xa0 + i, sizeof(mi));
			sim_fake(&m, 0x0200000001000001ULL + ((uint64_t)i << 16), mi,
				 (uint32_t)round + 1, 200);
			sim_list(&m, 0);
			len = sim_encode(&m, buf);
			port_rx(&sim[0].port, buf, len);
		}
		sim_run(0.5);
	}
	ok = ok && check(participant_n_live(P(0)) == 45, "%d live peers, expected 45",
			 participant_n_live(P(0))) &&
	     check(CP(0)->latest.valid && P(0)->cnt.saks_generated >= 1 &&
		   CP(0)->latest.key_len == 32,
		   "no SAK for 46 participants (generated %" PRIu64 ")",
		   P(0)->cnt.saks_generated);
	result(ok, "group: an SAK for a CA of 46 participants (GCM-AES-256)");
}

/*
 * A member without MACsec (its SecY has none: capability 0, empty SAK
 * Use) does not keep the others from securing.
 */
static void t_no_macsec_member(void)
{
	struct secy_caps none = { .suites = 1 };
	char text[256];
	int ok;

	group(2, NULL);
	snprintf(text, sizeof(text), "network={\nkey_mgmt=NONE\nmka_cak=%s\nmka_ckn=0102\n}\n",
		 SIM_CAK);
	sim_add(2, text, NULL, &none);
	sim_run(8);
	ok = check(sim_secured(0) && sim_secured(1), "not secured: %d %d", sim_secured(0),
		   sim_secured(1)) &&
	     check(participant_n_live(P(1)) == 2, "the key server has %d live peers",
		   participant_n_live(P(1))) &&
	     check(!sim_secured(2) && CP(2)->connect == CP_CONNECT_AUTHENTICATED,
		   "the member without MACsec: secured %d, connect %s", sim_secured(2),
		   cp_connect_name(CP(2)->connect));
	result(ok, "group: a member without MACsec (empty SAK Use) stalls no one");
}

/*
 * 9.8.1: a member joins while another is still a potential peer: the key
 * server holds the fresh SAK (up to MKA Life Time after the last one)
 * until no potential peer remains, so both get one SAK; with no potential
 * peer left a new member gets one at once.
 */
static void t_hold(void)
{
	uint64_t gen;
	double t;
	int ok;

	group(2, NULL);
	sim_run(5);
	gen = P(1)->cnt.saks_generated;
	sim_add_simple(2, 100, NULL);
	sim_run(1.5);
	ok = check(P(1)->cnt.saks_generated == gen + 1,
		   "no potential peer left: %" PRIu64 " new SAK(s) within 1.5 s, expected 1",
		   P(1)->cnt.saks_generated - gen);
	gen = P(1)->cnt.saks_generated;
	t = P(1)->ks.last_dist;
	sim_add_simple(3, 100, NULL);
	sim[3].deaf = true;		/* a potential peer for now */
	sim_add_simple(4, 100, NULL);
	sim_run(2);
	ok = ok && check(participant_n_live(P(1)) == 3 && participant_n_potential(P(1)) == 1,
			 "live %d potential %d", participant_n_live(P(1)),
			 participant_n_potential(P(1))) &&
	     check(P(1)->cnt.saks_generated == gen, "a new SAK while a potential peer remains");
	t = sim_now;
	sim[3].deaf = false;
	sim_run(MKA_LIFE_TIME);
	ok = ok && check(participant_n_live(P(1)) == 4, "live %d", participant_n_live(P(1))) &&
	     check(P(1)->cnt.saks_generated == gen + 1,
		   "%" PRIu64 " SAKs for the two members joining, expected 1",
		   P(1)->cnt.saks_generated - gen) &&
	     check(P(1)->ks.last_dist >= t,
		   "the SAK came %.1f s before the last potential peer went live",
		   t - P(1)->ks.last_dist);
	sim_run(4);
	ok = ok && check(sim_secured(0) && sim_secured(2) && sim_secured(3) && sim_secured(4),
			 "not all secured: %d %d %d %d", sim_secured(0), sim_secured(2),
			 sim_secured(3), sim_secured(4));
	result(ok, "group: 9.8.1, a fresh SAK waits for the potential peers (MKA Life Time)");
}

static uint64_t mac_sci(const uint8_t *mac)
{
	return secy_make_sci(mac, 1);
}

/*
 * XPN SSCIs: the numerically highest SCI gets SSCI 1. The vector is from
 * SONiC's wpa_supplicant (sonic-buildimage #10767, `ip macsec show`):
 * TX SC 5254008f4f1c0001 transmits with SSCI 2 next to RX SC
 * 525400edac5b0001. Both key server roles; and a third member whose view
 * is incomplete learns the SSCIs from the key server's version 3 MKPDU.
 */
static void t_xpn_ssci(void)
{
	static const uint8_t a[6] = { 0x52, 0x54, 0x00, 0x8f, 0x4f, 0x1c },
			     b[6] = { 0x52, 0x54, 0x00, 0xed, 0xac, 0x5b },
			     c[6] = { 0x52, 0x54, 0x00, 0x11, 0x22, 0x33 };
	int ok = 1, role;

	for (role = 1; role >= 0; role--) {
		sim_reset();
		memcpy(sim_mac[0], a, 6);
		memcpy(sim_mac[1], b, 6);
		sim_add_simple(0, role ? 10 : 100, "macsec_ciphersuite=gcm-aes-xpn-128");
		sim_add_simple(1, role ? 100 : 10, "macsec_ciphersuite=gcm-aes-xpn-128");
		sim_run(5);
		ok = ok && check(sim_secured(0) && sim_secured(1), "not secured") &&
		     check(CP(0)->latest.own_ssci == 2 && CP(1)->latest.own_ssci == 1,
			   "key server node %d: SSCI of 5254008f4f1c0001 %u (expected 2), of 525400edac5b0001 %u (expected 1)",
			   role ? 0 : 1, CP(0)->latest.own_ssci, CP(1)->latest.own_ssci) &&
		     check(sak_ssci(&CP(0)->latest, mac_sci(b), NULL) == 1 &&
			   sak_ssci(&CP(1)->latest, mac_sci(a), NULL) == 2,
			   "RX SSCIs disagree with the TX ones");
	}
	result(ok, "XPN: SSCI 1 for the highest SCI, either key server (SONiC's vector)");

	/* c joins hearing only the key server (b, node 1): SSCIs from its list */
	memcpy(sim_mac[2], c, 6);
	sim_add_simple(2, 100, "macsec_ciphersuite=gcm-aes-xpn-128");
	sim_blocked[0][2] = true;
	sim_run(MKA_LIFE_TIME + 1.5);
	ok = check(CP(2)->latest.valid && !memcmp(CP(2)->latest.ki_mi, P(1)->mi, MKA_MI_LEN) &&
		   CP(2)->latest.kn == CP(1)->latest.kn, "the third has not the key server's SAK") &&
	     check(CP(1)->latest.own_ssci == 1 && CP(2)->latest.own_ssci == 3 &&
		   sak_ssci(&CP(2)->latest, 0, P(0)->mi) == 2,
		   "SSCIs: key server %u (1), third %u (3), of 5254008f4f1c %u (2)",
		   CP(1)->latest.own_ssci, CP(2)->latest.own_ssci,
		   sak_ssci(&CP(2)->latest, 0, P(0)->mi));
	sim_blocked[0][2] = false;
	sim_run(3);
	ok = ok && check(sim_secured(0) && sim_secured(1) && sim_secured(2),
			 "three XPN members not secured: %d %d %d", sim_secured(0),
			 sim_secured(1), sim_secured(2)) &&
	     check(rx_sa_for(0, mac_sci(c), CP(0)->latest.an) &&
		   rx_sa_for(2, mac_sci(a), CP(2)->latest.an), "RX SAs missing between 0 and 2");
	result(ok, "XPN: a member learns the SSCIs of the SCIs it has not heard (version 3)");
}

/*
 * The key server MKAdaemon is, point to point: version 3, its own SSCI in
 * the Live Peer List's octet 2 (mka_kay_params.c), SSCI 1 for the higher
 * SCI. Our SSCI from its MKPDU must be the one it gives us.
 */
static void t_xpn_mkadaemon(void)
{
	static struct mkpdu m;
	uint8_t mi[MKA_MI_LEN], buf[MKPDU_MAX_LEN], kek[16], cak[16], sak[16];
	uint64_t ks_sci;
	int ok = 1, high;
	size_t len;
	uint32_t mn = 1;

	unhex(SIM_CAK, cak);
	crypto_kek(cak, 16, (const uint8_t *)"\x01\x02", 2, kek);
	memset(sak, 0x5c, sizeof(sak));
	for (high = 0; high < 2; high++) {
		/* our SCI is 02:00:00:00:00:01 port 1 */
		ks_sci = high ? 0x0300000000000001ULL : 0x0100000000000001ULL;
		sim_reset();
		sim_add_simple(0, 100, "macsec_ciphersuite=gcm-aes-xpn-128");
		memset(mi, 0x77, sizeof(mi));
		sim_run(0.3);
		for (mn = 1; mn < 6; mn++) {
			sim_fake(&m, ks_sci, mi, mn, 1);
			if (mn > 1)
				sim_list(&m, 0);
			if (mn > 2) {
				m.ks_ssci = high ? 1 : 2;
				m.dist_sak.present = true;
				m.dist_sak.kn = 1;
				m.dist_sak.cs = VSECY_CS_GCM_AES_XPN_128;
				m.dist_sak.wrapped_len = 24;
				crypto_wrap(kek, 16, sak, 16, m.dist_sak.wrapped);
			}
			len = sim_encode(&m, buf);
			port_rx(&sim[0].port, buf, len);
			sim_run(0.5);
		}
		ok = ok && check(CP(0)->latest.valid && CP(0)->latest.kn == 1,
				 "MKAdaemon's SAK not installed") &&
		     check(CP(0)->latest.own_ssci == (high ? 2u : 1u),
			   "key server SCI %016" PRIx64 ": our SSCI %u, MKAdaemon gives us %u",
			   ks_sci, CP(0)->latest.own_ssci, high ? 2 : 1) &&
		     check(sak_ssci(&CP(0)->latest, ks_sci, NULL) == (high ? 1u : 2u),
			   "the key server's SSCI %u", sak_ssci(&CP(0)->latest, ks_sci, NULL));
	}
	result(ok, "XPN: MKAdaemon as key server (version 3, its SSCI in the Live Peer List)");
}

void t_group(void)
{
	t_late_live();
	t_large_ca();
	t_no_macsec_member();
	t_hold();
	t_xpn_ssci();
	t_xpn_mkadaemon();
}
