// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: using the SAKs (IEEE 802.1X-2020 9.8, 9.10, 12.5): what
 * the principal participant tells the CP, and its SAK Use.
 *
 * connect (12.5, the Logon process): SECURE once the key server decides
 * for MACsec; when it advises no MACsec (an empty Distributed SAK, or our
 * own decision as key server), AUTHENTICATED with macsec_policy=0 (should
 * secure: traffic flows unprotected) and PENDING with macsec_policy=1
 * (must secure: the port stays closed). Both are said in the log and in
 * STATUS.
 *
 * An SAK from the key server (a peer) is installed for reception first
 * (RX SA per live peer, an unused TX SA); we transmit with it once the
 * key server reports transmitting with it (ltx), the key server once
 * every live peer reports receiving (keyserver.c). The previous SAK keeps
 * receiving until every peer transmits with the new one (and
 * MKA_SAK_RETIRE_TIME has passed), or MKA_LIFE_TIME at most, so a
 * rollover loses no frame in flight. An SAK whose cipher suite or
 * confidentiality offset our SecY cannot do is refused and counted.
 *
 * XPN SSCIs from a key server of MKA version 3: its Key Server SSCI and
 * the order of its Live Peer List (11.11.3); from an older one, derived
 * from the SCIs we know, in the same order the key server uses
 * (keyserver.c): the numerically highest SCI has SSCI 1.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs.h"
#include "log.h"
#include "participant.h"
#include "port.h"
#include "../../include/uapi/linux/vsecy.h"

static void no_macsec(struct participant *p, const char *why)
{
	struct cp *cp = &p->port->cp;
	char text[sizeof(cp->why)];

	p->secured = false;
	if (p->conf.policy == MKAD_POLICY_SHOULD) {
		snprintf(text, sizeof(text), "%s; macsec_policy=0 (should secure): unprotected", why);
		cp_connect(cp, CP_CONNECT_AUTHENTICATED, text);
	} else {
		snprintf(text, sizeof(text), "%s; macsec_policy=1 (must secure): closed", why);
		cp_connect(cp, CP_CONNECT_PENDING, text);
	}
}

void sak_update_connect(struct participant *p)
{
	struct cp *cp = &p->port->cp;

	if (!p->principal || !participant_n_live(p))
		return;
	if (!p->elected)
		cp_connect(cp, CP_CONNECT_PENDING, "no key server");
	else if (p->is_ks && !p->ks.macsec)
		no_macsec(p, p->ks.no_macsec_why);
	else if (!p->is_ks && p->ks_says_no)
		no_macsec(p, "the key server advises no MACsec");
	else if (p->port->secy.caps.capability == MKA_CAP_NONE)
		no_macsec(p, "our SecY cannot do MACsec");
	else if (cp->connect != CP_CONNECT_SECURE)
		cp_connect(cp, CP_CONNECT_PENDING, p->is_ks ?
			   "key server: distributing an SAK" : "waiting for the key server's SAK");
}

void sak_transmit(struct participant *p, double now)
{
	struct cp *cp = &p->port->cp;
	char ki[33];

	if (!cp->latest.valid || cp->latest.tx)
		return;
	cp_transmit(cp, now);
	if (!cp->latest.tx)
		return;
	sak_ki_txt(&cp->latest, ki);
	if (!p->secured) {
		p->secured = true;
		p->secured_at = now;
		log_info("secured: transmitting with SAK KI %s AN %u, %.1f s after start",
			 ki, cp->latest.an, now - p->started_at);
	} else {
		log_info("transmitting with SAK KI %s AN %u", ki, cp->latest.an);
	}
	participant_kick(p);
}

bool sak_ki_is(const struct sak *s, const uint8_t *mi, uint32_t kn)
{
	return s->valid && !memcmp(s->ki_mi, mi, MKA_MI_LEN) && s->kn == kn;
}

/* The capability an offset needs (Table 11-6). */
static uint8_t co_needs(uint8_t co)
{
	return co == MKA_CO_NONE ? MKA_CAP_INTEG : co == MKA_CO_0 ? MKA_CAP_CONF0 :
	       MKA_CAP_CONF_ALL;
}

static int by_sci_desc(const void *a, const void *b)
{
	const struct sak_member *x = a, *y = b;

	return x->sci < y->sci ? 1 : x->sci > y->sci ? -1 : 0;
}

/*
 * The members of an SAK as we see them, ourselves and the live peers,
 * with SSCIs 1, 2, ... in descending numerical order of their SCIs (the
 * key server's rule, keyserver.c).
 */
void sak_members_by_sci(struct participant *p, struct sak *n)
{
	int i;

	memcpy(n->members[0].mi, p->mi, MKA_MI_LEN);
	n->members[0].sci = p->port->sci;
	n->n_members = 1;
	for (i = 0; i < p->n_peers; i++) {
		if (!p->peers[i].live)
			continue;
		memcpy(n->members[n->n_members].mi, p->peers[i].mi, MKA_MI_LEN);
		n->members[n->n_members++].sci = p->peers[i].sci;
	}
	qsort(n->members, (size_t)n->n_members, sizeof(n->members[0]), by_sci_desc);
	for (i = 0; i < n->n_members; i++) {
		n->members[i].ssci = (uint32_t)i + 1;
		if (n->members[i].sci == p->port->sci)
			n->own_ssci = n->members[i].ssci;
	}
}

/*
 * The SSCIs of an XPN SAK from key server ks. Returns false when the key
 * server's list of members (version 3) does not have us.
 */
static bool members_of(struct participant *p, const struct peer *ks, const struct mkpdu *m,
		       struct sak *n)
{
	uint32_t ssci = 1;
	int i;

	n->n_members = 0;
	n->own_ssci = 0;
	if (ks->version >= MKA_VERSION_SSCI && m->ks_ssci) {
		struct sak_member *k = &n->members[n->n_members++];

		memcpy(k->mi, ks->mi, MKA_MI_LEN);
		k->sci = ks->sci;
		k->ssci = m->ks_ssci;
		for (i = 0; i < m->n_live && n->n_members <= MKA_MAX_PEERS; i++) {
			struct sak_member *e = &n->members[n->n_members++];
			const struct peer *q = NULL;
			int j;

			if (ssci == m->ks_ssci)
				ssci++;
			memcpy(e->mi, m->live[i].mi, MKA_MI_LEN);
			e->ssci = ssci++;
			for (j = 0; j < p->n_peers && !q; j++)
				if (!memcmp(p->peers[j].mi, e->mi, MKA_MI_LEN))
					q = &p->peers[j];
			e->sci = q ? q->sci : 0;
			if (!memcmp(e->mi, p->mi, MKA_MI_LEN)) {
				e->sci = p->port->sci;
				n->own_ssci = e->ssci;
			}
		}
		return n->own_ssci != 0;
	}
	/* An older key server: the SCIs we know, highest first. */
	sak_members_by_sci(p, n);
	log_dbg("XPN SSCIs derived from our view: the key server sends MKA version %u",
		ks->version);
	return true;
}

/* Refuses an SAK, saying so once (the key server repeats it). */
static void refuse(struct participant *p, const char *why, uint32_t kn)
{
	if (p->refused_kn == kn)
		return;
	p->refused_kn = kn;
	p->cnt.saks_refused++;
	log_err("Distributed SAK KN %u refused: %s", kn, why);
}

void sak_rx_dist(struct participant *p, struct peer *from, const struct mkpdu *m,
		 double now)
{
	const struct mka_dist_sak *d = &m->dist_sak;
	const struct secy_caps *caps = &p->port->secy.caps;
	struct cp *cp = &p->port->cp;
	uint64_t cs = d->cs ? d->cs : VSECY_CS_GCM_AES_128;
	static struct sak n;
	int i;

	(void)now;
	if (p->is_ks || !p->elected || from->sci != p->ks_sci) {
		log_warn("Distributed SAK from %016" PRIx64 ", which is not the key server, ignored",
			 from->sci);
		return;
	}
	if (d->empty) {
		if (!p->ks_says_no)
			log_warn("key server advises no MACsec");
		p->ks_says_no = true;
		sak_update_connect(p);
		return;
	}
	if (p->ks_says_no)
		log_info("key server distributes an SAK: MACsec");
	p->ks_says_no = false;
	if (caps->capability == MKA_CAP_NONE)
		return;		/* we cannot take part; said by sak_update_connect */
	if (sak_ki_is(&cp->latest, from->mi, d->kn))
		return;		/* already installed: the key server repeats it */
	if (cs_by_id(cs))
		cs = cs_by_id(cs)->id;
	if (!(caps->suites & cs_bit(cs)) || d->wrapped_len != cs_key_len(cs) + 8) {
		refuse(p, "a cipher suite our SecY does not implement", d->kn);
		return;
	}
	if (co_needs(d->conf_offset) > caps->capability) {
		refuse(p, "a confidentiality offset beyond our SecY's capability", d->kn);
		return;
	}
	memset(&n, 0, sizeof(n));
	n.key_len = cs_key_len(cs);
	if (crypto_unwrap(p->kek, p->conf.cak_len, d->wrapped, d->wrapped_len, n.key)) {
		log_warn("Distributed SAK does not unwrap with our KEK, ignored");
		crypto_wipe(&n, sizeof(n));
		return;
	}
	n.cs = cs;
	n.co = d->conf_offset;
	n.an = d->dan;
	n.kn = d->kn;
	memcpy(n.ki_mi, from->mi, MKA_MI_LEN);
	if (cs_is_xpn(cs)) {
		crypto_xpn_salt(n.ki_mi, n.kn, n.salt);
		if (!members_of(p, from, m, &n)) {
			crypto_wipe(&n, sizeof(n));
			log_info("SAK KN %u is not for us (the key server does not list us): waiting for the next",
				 d->kn);
			return;
		}
	}
	p->cnt.saks_received++;
	log_info("received SAK KN %u AN %u from the key server", n.kn, n.an);
	for (i = 0; i < p->n_peers; i++)
		p->peers[i].rx_latest = p->peers[i].tx_latest = false;
	cp_new_sak(cp, &n);
	participant_kick(p);
}

void sak_peer_use(struct participant *p, struct peer *from, const struct mka_sak_use *u)
{
	const struct sak *s = &p->port->cp.latest;
	bool rx = false, tx = false;

	if (!u->empty && sak_ki_is(s, u->lsrv_mi, u->lkn)) {
		rx = u->lrx;
		tx = u->ltx;
	}
	if (!u->empty && sak_ki_is(s, u->osrv_mi, u->okn)) {
		rx |= u->orx;
		tx |= u->otx;
	}
	from->rx_latest = rx;
	from->tx_latest = tx;
}

void sak_rx_use(struct participant *p, struct peer *from, const struct mka_sak_use *u,
		double now)
{
	sak_peer_use(p, from, u);
	if (from->sci == p->ks_sci && from->tx_latest && p->port->cp.latest.rx)
		sak_transmit(p, now);
}

void sak_cp_changed(struct participant *p)
{
	struct peer *ks;
	double now = loop_now(p->port->loop);

	if (p->is_ks) {
		ks_check_all_receiving(p, now);
	} else {
		ks = participant_peer_by_sci(p, p->ks_sci);
		if (ks && ks->live && ks->tx_latest && p->port->cp.latest.rx)
			sak_transmit(p, now);
	}
	participant_kick(p);
}

/* One key's part of the SAK Use (11.11.3): AN, rx, tx, KI, lowest PN. */
static void use_of(const struct sak *s, uint8_t *an, bool *rx, bool *tx, uint8_t *mi,
		   uint32_t *kn, uint32_t *lpn)
{
	if (!s->valid)
		return;
	*an = s->an;
	*rx = s->rx;
	*tx = s->tx;
	memcpy(mi, s->ki_mi, MKA_MI_LEN);
	*kn = s->kn;
	*lpn = s->lpn_report ? s->lpn_report : 1;
}

void sak_build_use(struct participant *p, struct mkpdu *m, double now)
{
	const struct cp *cp = &p->port->cp;
	struct mka_sak_use *u = &m->sak_use;

	if (!m->n_live || !interop_sak_use_ok(p, now))
		return;
	u->present = true;
	if (cp->connect != CP_CONNECT_SECURE &&
	    (cp->connect == CP_CONNECT_AUTHENTICATED || (p->is_ks && !p->ks.macsec) ||
	     p->ks_says_no || p->port->secy.caps.capability == MKA_CAP_NONE)) {
		u->empty = true;	/* MACsec is not used */
		return;
	}
	use_of(&cp->latest, &u->lan, &u->lrx, &u->ltx, u->lsrv_mi, &u->lkn, &u->llpn);
	use_of(&cp->old, &u->oan, &u->orx, &u->otx, u->osrv_mi, &u->okn, &u->olpn);
}

void sak_check_retire(struct participant *p, double now)
{
	struct cp *cp = &p->port->cp;
	bool all = true;
	char ki[33];
	int i;

	if (!cp->old.valid || !cp->latest.tx)
		return;
	for (i = 0; i < p->n_peers; i++)
		if (ks_macsec_member(&p->peers[i]) && !p->peers[i].tx_latest)
			all = false;
	if ((all && now - cp->latest.since >= MKA_SAK_RETIRE_TIME) ||
	    now - cp->latest.since >= MKA_LIFE_TIME) {
		sak_ki_txt(&cp->old, ki);
		log_info("old SAK KI %s AN %u retired", ki, cp->old.an);
		cp_retire(cp);
	}
}

/*
 * What the SecY says of the TX SA in use (PN threshold, exhaustion, lost
 * events): the key server rekeys, another participant reports it.
 */
void participant_secy_event(struct participant *p, const struct secy_event *ev)
{
	const struct sak *s = &p->port->cp.latest;
	const char *what;
	uint8_t ki[16];
	uint64_t pn;

	/*
	 * Before the latest SAK transmits, an event can only be about an
	 * older one, which the latest (already on its way) replaces.
	 */
	if (!s->valid || !s->tx) {
		log_dbg("SecY event %d for AN %u before the latest SAK transmits: ignored",
			ev->type, ev->an);
		return;
	}
	if (ev->type == SECY_EV_LOST) {
		/* One read of the PN stands for the events lost. */
		if (p->port->secy.caps.tx_pn &&
		    !p->port->secy.ops->get_tx_pn(&p->port->secy, s->an, &pn) &&
		    pn > (cs_is_xpn(s->cs) ? MKA_XPN_THRESHOLD : MKA_PN_THRESHOLD))
			ks_tx_pn_high(p, pn, "TX PN past the threshold, read after lost SecY events");
		return;
	}
	what = ev->type == SECY_EV_PN_EXHAUSTED ? "PN exhausted event from the SecY" :
	       "PN threshold event from the SecY";
	sak_keyid(s, ki);
	if (ev->an != s->an || (ev->has_keyid && memcmp(ev->keyid, ki, sizeof(ki)))) {
		log_dbg("%s for TX SA AN %u: not the SA in use (AN %u), ignored",
			what, ev->an, s->an);
		return;
	}
	if (ev->type == SECY_EV_PN_EXHAUSTED) {
		log_warn("TX SA AN %u sent its last PN: nothing is sent until the next SAK",
			 s->an);
		pn = cs_is_xpn(s->cs) ? UINT64_MAX : 0xffffffffULL;
	} else {
		pn = ev->pn;
	}
	ks_tx_pn_high(p, pn, what);
	participant_kick(p);
}
