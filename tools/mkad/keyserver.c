// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the key server (IEEE 802.1X-2020 9.5, 9.8).
 *
 * Whether MACsec is used: the key server's SecY can, and at least one
 * live peer desires MACsec and can do it (as wpa_supplicant decides); the
 * capability advised is the lowest of theirs and ours. Otherwise the key
 * server advises no MACsec: a Distributed SAK without a body.
 *
 * An SAK (9.8.1): KDF(CAK, "IEEE8021 SAK", KS-nonce | MI of every live
 * participant | KN). A new one is due when the key server is elected, the
 * live peers change, a PN nears exhaustion, mka_rekey_period elapses, the
 * configured cipher suite or offset changes, and on REKEY. After a change
 * of the live peers while the Potential Peer List is not empty, it waits
 * until MKA Life Time after the previous distribution (9.8.1), so that
 * members joining one after the other get one SAK rather than one each;
 * otherwise it goes at once unless the previous one is still on its way
 * (then one life time after it, as wpa_supplicant's hold-off). It also
 * waits, MKA Life Time at most, until the live peers list each other as
 * live (mesh()): wpa_supplicant 2.10 installs a new SAK's RX SAs only for
 * the peers live to it then, and never later.
 *
 * The SAK is sent wrapped with the KEK (Distributed SAK) until every live
 * peer that uses MACsec reports receiving with it; then the key server
 * transmits with it. A peer that does not use MACsec (it does not desire
 * it, cannot do it, or sends an empty SAK Use) is not waited for.
 *
 * Cipher suite: the configured one if every live peer that announced its
 * suites (11.12) has it, else GCM-AES-128, which every SecY implements.
 * Confidentiality offset: the configured one within the lowest capability
 * of the live peers (Basic Parameter Set and the suite's announced one)
 * and of our SecY.
 *
 * XPN (802.1AE-2018 14.7, 802.1X-2020 9.8): each member's SSCI is its
 * place in the list of the members' SCIs in descending numerical order,
 * the numerically highest SCI having SSCI 1, as MKAdaemon and SONiC's
 * wpa_supplicant assign them. With MKA version 3 the key server's MKPDUs
 * carry its own SSCI (the Key Server SSCI of the Live Peer List, 11.11.3)
 * and list the live peers in SSCI order, so that every member learns the
 * SSCIs of SCIs it has not heard yet.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cs.h"
#include "log.h"
#include "participant.h"
#include "port.h"
#include "../../include/uapi/linux/vsecy.h"

#define NEVER 1e300

bool ks_macsec_member(const struct peer *q)
{
	return q->live && q->desired && q->cap > MKA_CAP_NONE && !q->sak_use_empty;
}

static void decide(struct participant *p);

void ks_became(struct participant *p, double now)
{
	(void)now;
	p->ks.want_rekey = true;
	p->ks.members_changed = false;
	p->ks.dist_pending = false;
	p->ks.no_macsec_why[0] = 0;
	p->ks.macsec = true;	/* until decide() says otherwise */
	decide(p);
}

void ks_members_changed(struct participant *p)
{
	p->ks.want_rekey = true;
	if (!p->ks.members_changed)
		p->ks.changed_at = loop_now(p->port->loop);
	p->ks.members_changed = true;
}

static uint8_t own_cap(const struct participant *p)
{
	uint8_t cap = p->port->secy.caps.capability;

	return p->conf.integ_only && cap > MKA_CAP_INTEG ? MKA_CAP_INTEG : cap;
}

/* Is MACsec used, with what capability (see the top of this file). */
static void decide(struct participant *p)
{
	struct ks_state *ks = &p->ks;
	uint8_t cap = own_cap(p);
	bool macsec, any = false;
	const char *why = "";
	int i;

	for (i = 0; i < p->n_peers; i++) {
		const struct peer *q = &p->peers[i];

		if (!q->live || !q->desired || q->cap == MKA_CAP_NONE)
			continue;
		any = true;
		if (q->cap < cap)
			cap = q->cap;
	}
	if (own_cap(p) == MKA_CAP_NONE)
		why = "our SecY cannot do MACsec";
	else if (!any)
		why = "no live peer desires MACsec and can do it";
	macsec = !*why;
	if (macsec != ks->macsec || (!macsec && strcmp(why, ks->no_macsec_why))) {
		if (macsec)
			log_info("key server: MACsec, capability %u", cap);
		else
			log_warn("key server: advising no MACsec: %s", why);
		ks->macsec = macsec;
		snprintf(ks->no_macsec_why, sizeof(ks->no_macsec_why), "%s", why);
		sak_update_connect(p);
	}
	ks->cap = cap;
}

static bool announces(const struct peer *q, uint64_t cs, uint8_t *cap)
{
	int j;

	if (!q->n_cs)
		return true;	/* announced nothing: takes what it is given */
	for (j = 0; j < q->n_cs && j < MKA_MAX_CS; j++)
		if (cs_by_id(q->cs[j]) == cs_by_id(cs)) {
			if (cap && q->cs_cap[j] < *cap)
				*cap = q->cs_cap[j];
			return true;
		}
	return false;
}

static bool all_announce(const struct participant *p, uint64_t cs)
{
	int i;

	if (!(p->port->secy.caps.suites & cs_bit(cs)))
		return false;
	for (i = 0; i < p->n_peers; i++)
		if (ks_macsec_member(&p->peers[i]) && !announces(&p->peers[i], cs, NULL))
			return false;
	return true;
}

static uint64_t choose_cs(struct participant *p)
{
	uint64_t cs = p->conf.cipher_suite;
	int i;

	if (all_announce(p, cs))
		return cs;
	for (i = 0; i < p->n_peers; i++)
		if (ks_macsec_member(&p->peers[i]) && !announces(&p->peers[i], cs, NULL))
			log_warn("peer %016" PRIx64 " does not announce %s, using gcm-aes-128",
				 p->peers[i].sci, cs_name(cs));
	if (all_announce(p, VSECY_CS_GCM_AES_128))
		return VSECY_CS_GCM_AES_128;
	for (i = 0; i < CS_COUNT; i++)
		if (all_announce(p, cs_table[i].id))
			return cs_table[i].id;
	return 0;
}

static uint8_t choose_co(struct participant *p, uint64_t cs)
{
	uint8_t cap = p->ks.cap;
	int i;

	if (p->conf.integ_only)
		return MKA_CO_NONE;
	for (i = 0; i < p->n_peers; i++) {
		const struct peer *q = &p->peers[i];

		if (!ks_macsec_member(q))
			continue;
		if (q->cap < cap)
			cap = q->cap;
		announces(q, cs, &cap);
	}
	if (cap <= MKA_CAP_INTEG)
		return MKA_CO_NONE;
	if (cap == MKA_CAP_CONF0)
		return MKA_CO_0;
	return p->conf.conf_offset == 30 ? MKA_CO_30 :
	       p->conf.conf_offset == 50 ? MKA_CO_50 : MKA_CO_0;
}

/*
 * The members of n, with their SSCIs: ourselves and the live peers, the
 * numerically highest SCI with SSCI 1 (see the top of this file). Also
 * the MI list of the KDF, in that order.
 */
static size_t members_of(struct participant *p, struct sak *n, uint8_t *mis)
{
	int i;

	sak_members_by_sci(p, n);
	for (i = 0; i < n->n_members; i++)
		memcpy(mis + MKA_MI_LEN * i, n->members[i].mi, MKA_MI_LEN);
	return (size_t)n->n_members;
}

/* A fresh SAK (802.1X-2020 9.8.1), distributed from now on. */
static int generate(struct participant *p, double now)
{
	static uint8_t mis[(MKA_MAX_PEERS + 1) * MKA_MI_LEN];
	struct cp *cp = &p->port->cp;
	uint8_t nonce[MKA_MAX_KEY_LEN];
	static struct sak n;
	size_t n_mis;
	int i, rc;

	memset(&n, 0, sizeof(n));
	n.cs = choose_cs(p);
	if (!n.cs) {
		log_err("key server: no cipher suite that every live peer and our SecY implement");
		p->ks.want_rekey = false;
		return -1;
	}
	n.key_len = cs_key_len(n.cs);
	n.co = choose_co(p, n.cs);
	n_mis = members_of(p, &n, mis);
	rc = crypto_random(nonce, n.key_len) ||
	     crypto_sak(p->conf.cak, p->conf.cak_len, nonce, n.key_len, mis, n_mis,
			p->ks.next_kn, n.key, n.key_len);
	crypto_wipe(nonce, sizeof(nonce));
	if (rc) {
		crypto_wipe(&n, sizeof(n));
		log_err("SAK generation failed; trying again in %.0f s", MKA_LIFE_TIME);
		p->ks.last_dist = now;		/* may_generate() waits */
		p->ks.dist_pending = true;
		return -1;
	}
	memcpy(n.ki_mi, p->mi, MKA_MI_LEN);
	n.kn = p->ks.next_kn++;
	n.an = cp->latest.valid ? (uint8_t)((cp->latest.an + 1) & 3) : 0;
	if (cp->old.valid && n.an == cp->old.an)
		n.an = (uint8_t)((n.an + 1) & 3);
	if (cs_is_xpn(n.cs))
		crypto_xpn_salt(n.ki_mi, n.kn, n.salt);
	p->cnt.saks_generated++;
	p->ks.last_dist = now;
	p->ks.want_rekey = false;
	p->ks.members_changed = false;
	log_info("key server: new SAK KN %u AN %u for %d live peer(s)", n.kn, n.an,
		 participant_n_live(p));
	for (i = 0; i < p->n_peers; i++)
		p->peers[i].rx_latest = p->peers[i].tx_latest = false;
	cp_new_sak(cp, &n);
	p->ks.dist_pending = true;
	participant_kick(p);
	return 0;
}

void ks_check_all_receiving(struct participant *p, double now)
{
	struct cp *cp = &p->port->cp;
	bool all = true;
	char ki[33];
	int i;

	if (!cp->latest.valid || memcmp(cp->latest.ki_mi, p->mi, MKA_MI_LEN))
		return;
	for (i = 0; i < p->n_peers; i++)
		if (ks_macsec_member(&p->peers[i]) && !p->peers[i].rx_latest)
			all = false;
	if (!all)
		return;
	if (p->ks.dist_pending) {
		p->ks.dist_pending = false;
		sak_ki_txt(&cp->latest, ki);
		log_info("every live peer receives with SAK KI %s", ki);
	}
	sak_transmit(p, now);
}

void ks_tx_pn_high(struct participant *p, uint64_t pn, const char *what)
{
	struct sak *s = &p->port->cp.latest;

	if (p->is_ks) {
		if (p->ks.want_rekey) {
			log_dbg("%s, TX SA AN %u: a rekey is due already", what, s->an);
			return;
		}
		log_info("rekey: %s, TX SA AN %u next PN %" PRIu64, what, s->an, pn);
		p->ks.want_rekey = true;
		return;
	}
	/*
	 * Not key server: the PN goes in the Latest Key Lowest Acceptable PN
	 * of our SAK Use (11.11.3), which the key server compares with the
	 * threshold (ks_rx_sak_use). That field has 32 bits: with XPN the
	 * event is only logged.
	 */
	if (cs_is_xpn(s->cs)) {
		log_info("%s, TX SA AN %u next PN %" PRIu64 ": key server %016" PRIx64
			 " must rekey (no report with XPN)", what, s->an, pn, p->ks_sci);
		return;
	}
	if (pn > 0xffffffffULL)
		pn = 0xffffffffULL;
	if (s->lpn_report >= (uint32_t)pn)
		return;
	s->lpn_report = (uint32_t)pn;
	log_info("%s, TX SA AN %u next PN %" PRIu64
		 ": not key server, reporting it in SAK Use to key server %016" PRIx64,
		 what, s->an, pn, p->ks_sci);
	participant_kick(p);
}

void ks_rx_sak_use(struct participant *p, struct peer *from, const struct mka_sak_use *u,
		   double now)
{
	const struct sak *s = &p->port->cp.latest;

	sak_peer_use(p, from, u);
	if (!u->empty && (uint64_t)u->llpn > MKA_PN_THRESHOLD && !cs_is_xpn(s->cs) &&
	    sak_ki_is(s, u->lsrv_mi, u->lkn) && !p->ks.dist_pending && !p->ks.want_rekey) {
		log_info("peer %016" PRIx64 " reports PN %u near exhaustion: rekey",
			 from->sci, u->llpn);
		p->ks.want_rekey = true;
	}
	ks_check_all_receiving(p, now);
}

/* Does peer q list every other live peer as live? */
static bool hears_all(const struct participant *p, const struct peer *q)
{
	int i, j;

	for (i = 0; i < p->n_peers; i++) {
		const struct peer *r = &p->peers[i];
		bool heard = false;

		if (!r->live || r == q)
			continue;
		for (j = 0; j < q->n_heard && !heard; j++)
			heard = !memcmp(q->heard[j], r->mi, MKA_MI_LEN);
		if (!heard)
			return false;
	}
	return true;
}

/*
 * The live peers hold each other live: each installs the SAK for all the
 * others. wpa_supplicant 2.10 installs RX SAs only for the peers live to
 * it when an SAK comes, so a member it has not heard yet would not be
 * received until the next SAK. A CA of more than 16 is not checked.
 */
static bool mesh(const struct participant *p)
{
	int i;

	if (participant_n_live(p) > 16)
		return true;
	for (i = 0; i < p->n_peers; i++)
		if (p->peers[i].live && !hears_all(p, &p->peers[i]))
			return false;
	return true;
}

/*
 * A fresh SAK after the live peers changed waits (9.8.1) while potential
 * peers remain, until MKA Life Time after the previous SAK; and, MKA Life
 * Time at most, until the live peers hold each other live.
 */
static bool holding(const struct participant *p, double now)
{
	if (!p->ks.members_changed)
		return false;
	if (p->port->cp.latest.valid && participant_n_potential(p) > 0 &&
	    now - p->ks.last_dist < MKA_LIFE_TIME)
		return true;
	return !mesh(p) && now - p->ks.changed_at < MKA_LIFE_TIME;
}

static bool may_generate(const struct participant *p, double now)
{
	return !p->port->cp.latest.valid || now - p->ks.last_dist >= MKA_LIFE_TIME ||
	       !p->ks.dist_pending;
}

void ks_tick(struct participant *p, double now)
{
	const struct secy_caps *caps = &p->port->secy.caps;
	const struct sak *s = &p->port->cp.latest;
	uint64_t pn;

	if (!p->is_ks || !participant_n_live(p))
		return;
	decide(p);
	if (!p->ks.macsec)
		return;
	if (p->conf.rekey_period && s->valid && !p->ks.want_rekey &&
	    now - p->ks.last_dist >= p->conf.rekey_period) {
		log_info("rekey: mka_rekey_period %u s elapsed", p->conf.rekey_period);
		p->ks.want_rekey = true;
	}
	/*
	 * A SecY without events: its TX PN, read once per hello time
	 * (9.8.3). One with events says when (participant_secy_event).
	 */
	if (now >= p->next_hello && s->tx && !caps->events && caps->tx_pn &&
	    !p->port->secy.ops->get_tx_pn(&p->port->secy, s->an, &pn) &&
	    pn > (cs_is_xpn(s->cs) ? MKA_XPN_THRESHOLD : MKA_PN_THRESHOLD) &&
	    !p->ks.want_rekey && !p->ks.dist_pending)
		ks_tx_pn_high(p, pn, "TX PN past the threshold (read every hello time)");
	if (p->ks.want_rekey && !holding(p, now) && may_generate(p, now))
		generate(p, now);
	ks_check_all_receiving(p, now);
}

double ks_next_deadline(const struct participant *p, double now)
{
	double next = NEVER;

	if (!p->is_ks || !p->ks.macsec)
		return NEVER;
	if (p->ks.want_rekey && holding(p, now) && !mesh(p))
		next = now + 0.2;	/* the peers' MKPDUs complete it */
	else if (p->ks.want_rekey)
		next = holding(p, now) || !may_generate(p, now) ?
		       p->ks.last_dist + MKA_LIFE_TIME : now;
	if (p->conf.rekey_period && p->port->cp.latest.valid &&
	    p->ks.last_dist + p->conf.rekey_period < next)
		next = p->ks.last_dist + p->conf.rekey_period;
	return next;
}

/*
 * The key server's parts of its MKPDU: the Distributed SAK (or an empty
 * one: no MACsec), and with XPN and version 3 the Live Peer List in SSCI
 * order with our SSCI.
 */
void ks_build(struct participant *p, struct mkpdu *m)
{
	const struct sak *s = &p->port->cp.latest;
	struct mka_dist_sak *d = &m->dist_sak;
	struct mka_peer_id ordered[MKA_MAX_PEERS];
	int i, j, k = 0;

	if (!m->n_live)
		return;
	if (!p->ks.macsec) {
		d->present = true;
		d->empty = true;
		return;
	}
	if (!s->valid || memcmp(s->ki_mi, p->mi, MKA_MI_LEN))
		return;
	if (cs_is_xpn(s->cs) && p->conf.mka_version >= MKA_VERSION_SSCI) {
		m->ks_ssci = (uint8_t)s->own_ssci;
		for (i = 0; i < s->n_members; i++)
			for (j = 0; j < m->n_live; j++)
				if (!memcmp(m->live[j].mi, s->members[i].mi, MKA_MI_LEN))
					ordered[k++] = m->live[j];
		for (j = 0; j < m->n_live; j++) {
			bool member = false;

			for (i = 0; i < s->n_members; i++)
				member |= !memcmp(m->live[j].mi, s->members[i].mi, MKA_MI_LEN);
			if (!member)
				ordered[k++] = m->live[j];
		}
		memcpy(m->live, ordered, (size_t)k * sizeof(ordered[0]));
	}
	if (!p->ks.dist_pending)
		return;
	d->present = true;
	d->dan = s->an;
	d->conf_offset = s->co;
	d->kn = s->kn;
	/* GCM-AES-128 travels without its identifier (Figure 11-11) */
	d->cs = s->cs == VSECY_CS_GCM_AES_128 ? 0 : s->cs;
	d->wrapped_len = s->key_len + 8;
	if (crypto_wrap(p->kek, p->conf.cak_len, s->key, s->key_len, d->wrapped)) {
		log_err("SAK wrap failed");
		d->present = false;
	}
}
