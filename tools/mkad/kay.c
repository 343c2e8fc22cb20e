// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the MKA participant (IEEE 802.1X-2020 clause 9), PSK mode.
 *
 * Peers (9.4): an MKPDU with our CKN and a good ICV makes its sender a
 * potential peer; it becomes live once its MKPDU lists our MI with a
 * recent MN (one we sent within the life time), and stays live while it
 * keeps doing so.
 * A peer silent for MKA_LIFE_TIME is dropped with its RX SC.
 *
 * Key server (9.5): among ourselves and the live peers that claim the role,
 * the lowest priority value wins, then the lowest SCI. The key server
 * generates an SAK (9.8, KDF of the CAK with a random nonce, the MIs and
 * the KN, as wpa_supplicant does) whenever the live peer set changes, every
 * mka_rekey_period seconds and when a PN nears exhaustion, and sends it
 * wrapped with the KEK until every live peer reports receiving with it.
 *
 * SAK use (9.8, 9.10): a new SAK is installed for reception first (RX SA
 * per live peer, and an unused TX SA). The key server starts transmitting
 * with it once every live peer reports lrx for it; others once the key
 * server reports ltx. The previous SAK keeps receiving until every peer
 * transmits with the new one (and MKA_SAK_RETIRE_TIME has passed), so a
 * rollover loses no frame in flight.
 *
 * What this does not do: EAP, CAK distribution, KMD, more than one CA,
 * delay protection (lowest acceptable PNs are sent as 1). MKPDUs carry
 * MKA version 1, as wpa_supplicant 2.10's do, so the Key Server SSCI of
 * version 3 is not sent: with an XPN cipher suite every participant
 * derives the SSCIs itself, 1, 2, ... in ascending SCI order of the live
 * participants, which two vsecy-mkad agree on but other implementations
 * need not.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kay.h"
#include "log.h"
#include "../../include/uapi/linux/vsecy.h"

static const uint64_t all_suites[] = {
	VSECY_CS_GCM_AES_128, VSECY_CS_GCM_AES_256,
	VSECY_CS_GCM_AES_XPN_128, VSECY_CS_GCM_AES_XPN_256,
};

static void hex(char *out, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = 0;
}

/* Text of an MI, for logs; rotates over four buffers. */
static const char *mi_txt(const uint8_t *mi)
{
	static char buf[4][2 * MKA_MI_LEN + 1];
	static int i;

	i = (i + 1) % 4;
	hex(buf[i], mi, MKA_MI_LEN);
	return buf[i];
}

static void keyid(const struct kay_sak *s, uint8_t out[16])
{
	memcpy(out, s->ki_mi, MKA_MI_LEN);
	out[12] = (uint8_t)(s->kn >> 24);
	out[13] = (uint8_t)(s->kn >> 16);
	out[14] = (uint8_t)(s->kn >> 8);
	out[15] = (uint8_t)s->kn;
}

static const char *ki_txt(const struct kay_sak *s)
{
	static char buf[2][33];
	static int i;
	uint8_t ki[16];

	i = !i;
	keyid(s, ki);
	hex(buf[i], ki, 16);
	return buf[i];
}

static int co_offset(uint8_t co)
{
	return co == MKA_CO_30 ? 30 : co == MKA_CO_50 ? 50 : 0;
}

static double mono_hint;	/* the last "now" seen, for new_mi() */

static int new_mi(struct kay *k)
{
	k->mn = 0;
	memset(k->sent, 0, sizeof(k->sent));
	k->sak_use_from = mono_hint + MKA_HELLO_TIME + 0.1;
	return crypto_random(k->mi, MKA_MI_LEN);
}

static int derive_keys(struct kay *k)
{
	const struct mkad_conf *c = &k->conf;

	if (crypto_ick(c->cak, c->cak_len, c->ckn, c->ckn_len, k->ick) ||
	    crypto_kek(c->cak, c->cak_len, c->ckn, c->ckn_len, k->kek)) {
		log_err("cannot derive ICK/KEK from the CAK");
		return -1;
	}
	return 0;
}

int kay_init(struct kay *k, const struct mkad_conf *conf, struct secy *secy,
	     const uint8_t mac[6], kay_send_fn send, void *send_ctx, double now)
{
	memset(k, 0, sizeof(*k));
	k->conf = *conf;
	k->secy = secy;
	k->send = send;
	k->send_ctx = send_ctx;
	memcpy(k->mac, mac, 6);
	k->sci = secy_make_sci(mac, conf->port);
	k->next_kn = 1;
	k->started_at = now;
	k->next_hello = now;
	mono_hint = now;
	if (derive_keys(k) || new_mi(k))
		return -1;
	log_info("participant MI %s SCI %016" PRIx64 " priority %u, %s%s",
		 mi_txt(k->mi), k->sci, conf->priority, cs_name(conf->cipher_suite),
		 conf->integ_only ? " integrity only" : "");
	return 0;
}

static struct kay_peer *peer_by_mi(struct kay *k, const uint8_t *mi)
{
	int i;

	for (i = 0; i < k->n_peers; i++)
		if (!memcmp(k->peers[i].mi, mi, MKA_MI_LEN))
			return &k->peers[i];
	return NULL;
}

static struct kay_peer *peer_by_sci(struct kay *k, uint64_t sci)
{
	int i;

	for (i = 0; i < k->n_peers; i++)
		if (k->peers[i].sci == sci)
			return &k->peers[i];
	return NULL;
}

static int n_live(const struct kay *k)
{
	int i, n = 0;

	for (i = 0; i < k->n_peers; i++)
		n += k->peers[i].live;
	return n;
}

/* SecY programming; failures are logged and counted, the session goes on. */
static void secy_err(struct kay *k, const char *what, int rc)
{
	if (rc) {
		k->cnt.sak_install_failed++;
		log_err("SecY %s failed (%d)", what, rc);
	}
}

static void del_sak_sas(struct kay *k, struct kay_sak *s)
{
	int i;

	if (!s->valid)
		return;
	if (s->rx) {
		for (i = 0; i < k->n_peers; i++)
			if (k->peers[i].rxsc)
				secy_err(k, "delete RX SA",
					 k->secy->ops->del_rxsa(k->secy, k->peers[i].sci, s->an));
	}
	secy_err(k, "delete TX SA", k->secy->ops->del_txsa(k->secy, s->an));
	crypto_wipe(s, sizeof(*s));
}

static void drop_peer(struct kay *k, struct kay_peer *p, const char *why)
{
	int idx = (int)(p - k->peers);

	log_info("peer MI %s SCI %016" PRIx64 " %s: %s", mi_txt(p->mi), p->sci,
		 p->live ? "live" : "potential", why);
	if (p->rxsc)
		secy_err(k, "delete RX SC", k->secy->ops->del_rxsc(k->secy, p->sci));
	memmove(p, p + 1, (size_t)(k->n_peers - idx - 1) * sizeof(*p));
	k->n_peers--;
	memset(&k->peers[k->n_peers], 0, sizeof(k->peers[0]));
}

/* SSCIs (XPN): live participants in ascending SCI order get 1, 2, ... */
static uint32_t ssci_of(struct kay *k, uint64_t sci)
{
	uint32_t n = 1;
	int i;

	if (k->sci < sci)
		n++;
	for (i = 0; i < k->n_peers; i++)
		if (k->peers[i].live && k->peers[i].sci < sci)
			n++;
	return n;
}

static void sa_of(struct kay_sak *s, struct secy_sa *sa, uint32_t ssci)
{
	memset(sa, 0, sizeof(*sa));
	sa->an = s->an;
	sa->pn = 1;
	sa->key = s->key;
	sa->key_len = s->key_len;
	keyid(s, sa->keyid);
	sa->xpn = cs_is_xpn(s->cs);
	sa->ssci = ssci;
	sa->salt = sa->xpn ? s->salt : NULL;
}

/* Where MKA rekeys: 3/4 of the PN space, as wpa_supplicant does. */
static uint64_t pn_threshold(uint64_t cs)
{
	return cs_is_xpn(cs) ? MKA_XPN_THRESHOLD : MKA_PN_THRESHOLD;
}

static void set_params(struct kay *k, const struct kay_sak *s)
{
	/*
	 * The SecY's own threshold is set to ours, so that a SecY with
	 * events announces a TX SA exactly where we want the next SAK.
	 */
	struct secy_params prm = {
		.cipher_suite = s->cs,
		.encrypt = s->co != MKA_CO_NONE,
		.conf_offset = co_offset(s->co),
		.replay_protect = k->conf.replay_protect,
		.replay_window = k->conf.replay_window,
		.pn_threshold = pn_threshold(s->cs),
	};

	secy_err(k, "set parameters", k->secy->ops->set_params(k->secy, &prm));
	k->params_set = true;
}

static void install_rxsc(struct kay *k, struct kay_peer *p)
{
	int rc;

	if (p->rxsc)
		return;
	rc = k->secy->ops->add_rxsc(k->secy, p->sci);
	secy_err(k, "add RX SC", rc);
	if (!rc)
		p->rxsc = true;
}

/*
 * Installs a new latest SAK for reception from every live peer and as an
 * unused TX SA; the current latest becomes the old one (whose SAs stay),
 * and a still older one is removed.
 */
static int install_sak(struct kay *k, struct kay_sak *n)
{
	struct secy_sa sa;
	int i;

	if (k->old.valid && k->old.tx && k->latest.valid && !k->latest.tx) {
		/*
		 * The latest SAK never went into use: replace it and keep
		 * transmitting with the old one until the new one is ready.
		 */
		del_sak_sas(k, &k->latest);
	} else {
		if (k->old.valid)
			del_sak_sas(k, &k->old);
		if (k->latest.valid && k->latest.an == n->an)
			del_sak_sas(k, &k->latest);
		if (k->latest.valid)
			k->old = k->latest;
	}
	memset(&k->latest, 0, sizeof(k->latest));

	if (!k->params_set || !k->old.valid || k->old.cs != n->cs)
		set_params(k, n);
	if (cs_is_xpn(n->cs))
		crypto_xpn_salt(n->ki_mi, n->kn, n->salt);
	for (i = 0; i < k->n_peers; i++) {
		struct kay_peer *p = &k->peers[i];

		if (!p->live)
			continue;
		install_rxsc(k, p);
		p->ssci = ssci_of(k, p->sci);
		p->rx_latest = p->tx_latest = false;
		sa_of(n, &sa, p->ssci);
		secy_err(k, "add RX SA", k->secy->ops->add_rxsa(k->secy, p->sci, &sa));
	}
	n->own_ssci = ssci_of(k, k->sci);
	sa_of(n, &sa, n->own_ssci);
	secy_err(k, "add TX SA", k->secy->ops->add_txsa(k->secy, &sa));
	n->rx = true;
	n->tx = false;
	n->valid = true;
	k->latest = *n;
	crypto_wipe(n, sizeof(*n));
	log_info("SAK KI %s AN %u %s installed for receive%s", ki_txt(&k->latest),
		 k->latest.an, cs_name(k->latest.cs),
		 k->latest.co == MKA_CO_NONE ? ", integrity only" : "");
	k->send_now = true;
	return 0;
}

static void start_tx(struct kay *k, double now)
{
	if (!k->latest.valid || k->latest.tx)
		return;
	secy_err(k, "use TX SA", k->secy->ops->use_txsa(k->secy, k->latest.an));
	k->latest.tx = true;
	k->latest.since = now;
	if (k->old.valid)
		k->old.tx = false;
	if (!k->secured) {
		k->secured = true;
		k->secured_at = now;
		log_info("secured: transmitting with SAK KI %s AN %u, %.1f s after start",
			 ki_txt(&k->latest), k->latest.an, now - k->started_at);
	} else {
		log_info("transmitting with SAK KI %s AN %u", ki_txt(&k->latest),
			 k->latest.an);
	}
	k->send_now = true;
}

/* The cipher suite the key server distributes: the configured one if no
 * live peer announced a list without it, else GCM-AES-128. */
static uint64_t choose_cs(struct kay *k)
{
	uint64_t cs = k->conf.cipher_suite;
	int i, j;

	for (i = 0; i < k->n_peers; i++) {
		struct kay_peer *p = &k->peers[i];
		bool ok = false;

		if (!p->live || !p->n_cs)
			continue;
		for (j = 0; j < p->n_cs; j++)
			ok |= p->cs[j] == cs;
		if (!ok) {
			log_warn("peer %016" PRIx64 " does not announce %s, using gcm-aes-128",
				 p->sci, cs_name(cs));
			return VSECY_CS_GCM_AES_128;
		}
	}
	return cs;
}

static uint8_t choose_co(struct kay *k)
{
	uint8_t cap = MKA_CAP_CONF_ALL;
	int i;

	if (k->conf.integ_only)
		return MKA_CO_NONE;
	for (i = 0; i < k->n_peers; i++)
		if (k->peers[i].live && k->peers[i].desired &&
		    k->peers[i].cap < cap)
			cap = k->peers[i].cap;
	if (cap <= MKA_CAP_INTEG)
		return MKA_CO_NONE;
	if (cap == MKA_CAP_CONF0)
		return MKA_CO_0;
	return k->conf.conf_offset == 30 ? MKA_CO_30 :
	       k->conf.conf_offset == 50 ? MKA_CO_50 : MKA_CO_0;
}

/* Key server: a fresh SAK (802.1X-2020 9.8.1), distributed from now on. */
static int generate_sak(struct kay *k, double now)
{
	uint8_t nonce[MKA_MAX_KEY_LEN], mis[(MKA_MAX_PEERS + 1) * MKA_MI_LEN];
	struct kay_sak n;
	size_t n_mis = 0;
	int i;

	memset(&n, 0, sizeof(n));
	n.cs = choose_cs(k);
	n.key_len = cs_key_len(n.cs);
	n.co = choose_co(k);
	memcpy(mis, k->mi, MKA_MI_LEN);
	n_mis = 1;
	for (i = 0; i < k->n_peers; i++)
		if (k->peers[i].live)
			memcpy(mis + MKA_MI_LEN * n_mis++, k->peers[i].mi, MKA_MI_LEN);
	if (crypto_random(nonce, n.key_len) ||
	    crypto_sak(k->conf.cak, k->conf.cak_len, nonce, n.key_len, mis,
		       n_mis, k->next_kn, n.key, n.key_len)) {
		crypto_wipe(nonce, sizeof(nonce));
		log_err("SAK generation failed");
		return -1;
	}
	crypto_wipe(nonce, sizeof(nonce));
	memcpy(n.ki_mi, k->mi, MKA_MI_LEN);
	n.kn = k->next_kn++;
	n.an = k->latest.valid ? (uint8_t)((k->latest.an + 1) & 3) : 0;
	if (k->old.valid && n.an == k->old.an)
		n.an = (uint8_t)((n.an + 1) & 3);
	k->cnt.saks_generated++;
	k->last_dist = now;
	k->want_rekey = false;
	log_info("key server: new SAK KN %u AN %u for %d live peer(s)", n.kn, n.an,
		 n_live(k));
	install_sak(k, &n);
	k->dist_pending = true;
	return 0;
}

/* Live peers or the key server changed (9.5). */
static void elect(struct kay *k, double now)
{
	struct kay_peer *best = NULL;
	bool was_ks = k->is_ks, me = true;
	uint64_t old_ks = k->ks_sci;
	int i;

	for (i = 0; i < k->n_peers; i++) {
		struct kay_peer *p = &k->peers[i];

		if (!p->live || !p->key_server)
			continue;
		if (!best || p->priority < best->priority ||
		    (p->priority == best->priority && p->sci < best->sci))
			best = p;
	}
	if (best && (best->priority < k->conf.priority ||
		     (best->priority == k->conf.priority && best->sci < k->sci)))
		me = false;
	if (!n_live(k)) {
		k->elected = false;
		k->is_ks = false;
		return;
	}
	k->elected = true;
	k->is_ks = me;
	k->ks_sci = me ? k->sci : best->sci;
	k->ks_priority = me ? k->conf.priority : best->priority;
	if (k->is_ks != was_ks || k->ks_sci != old_ks) {
		log_info("key server: %s (SCI %016" PRIx64 ", priority %u)",
			 me ? "this participant" : "peer", k->ks_sci, k->ks_priority);
		k->ks_since = now;
	}
	if (k->is_ks) {
		k->want_rekey = true;
		k->dist_pending = false;
		(void)now;
	}
}

/* The time we sent MN, or -1 if it is not one of our recent MKPDUs. */
static double mn_sent_at(const struct kay *k, uint32_t mn)
{
	size_t i;

	if (!mn || mn > k->mn)
		return -1;
	for (i = 0; i < sizeof(k->sent) / sizeof(k->sent[0]); i++)
		if (k->sent[i].mn == mn)
			return k->sent[i].at;
	return -1;
}

/*
 * 9.4.2, 9.4.3: does the MKPDU list our MI with an "acceptably recent" MN?
 * Taken as one we sent within the MKA life time: a count of MNs would not
 * do, as we may send several MKPDUs (bounded hello, triggered) between two
 * of a peer's.
 */
static bool lists_me(const struct kay *k, const struct mkpdu *p, double now)
{
	double t;
	int i;

	for (i = 0; i < p->n_live + p->n_potential; i++) {
		const struct mka_peer_id *id = i < p->n_live ? &p->live[i] :
					       &p->potential[i - p->n_live];

		if (memcmp(id->mi, k->mi, MKA_MI_LEN))
			continue;
		t = mn_sent_at(k, id->mn);
		if (t >= 0 && now - t <= MKA_LIFE_TIME)
			return true;
	}
	return false;
}

static void rx_dist_sak(struct kay *k, struct kay_peer *from,
			const struct mka_dist_sak *d, double now)
{
	struct kay_sak n;
	uint64_t cs = d->cs ? d->cs : VSECY_CS_GCM_AES_128;

	if (k->is_ks || !k->elected || from->sci != k->ks_sci) {
		log_warn("Distributed SAK from %016" PRIx64 ", which is not the key server, ignored",
			 from->sci);
		return;
	}
	if (d->empty) {
		log_warn("key server advises no MACsec");
		return;
	}
	if (k->latest.valid && !memcmp(k->latest.ki_mi, from->mi, MKA_MI_LEN) &&
	    k->latest.kn == d->kn)
		return;		/* already installed: the key server repeats it */
	if (cs == VSECY_CS_GCM_AES_128_LEGACY)
		cs = VSECY_CS_GCM_AES_128;
	memset(&n, 0, sizeof(n));
	n.key_len = cs_key_len(cs);
	if (!n.key_len || d->wrapped_len != n.key_len + 8) {
		log_warn("Distributed SAK with unsupported cipher suite %016" PRIx64 ", ignored", cs);
		return;
	}
	if (crypto_unwrap(k->kek, k->conf.cak_len, d->wrapped, d->wrapped_len, n.key)) {
		log_warn("Distributed SAK does not unwrap with our KEK, ignored");
		crypto_wipe(&n, sizeof(n));
		return;
	}
	n.cs = cs;
	n.co = d->conf_offset;
	n.an = d->dan;
	n.kn = d->kn;
	memcpy(n.ki_mi, from->mi, MKA_MI_LEN);
	k->cnt.saks_received++;
	log_info("received SAK KN %u AN %u from the key server", n.kn, n.an);
	install_sak(k, &n);
	(void)now;
}

static bool ki_is(const struct kay_sak *s, const uint8_t *mi, uint32_t kn)
{
	return s->valid && !memcmp(s->ki_mi, mi, MKA_MI_LEN) && s->kn == kn;
}

static void rx_sak_use(struct kay *k, struct kay_peer *p,
		       const struct mka_sak_use *u, double now)
{
	bool rx = false, tx = false;

	if (u->empty || !k->latest.valid)
		return;
	if (ki_is(&k->latest, u->lsrv_mi, u->lkn)) {
		rx = u->lrx;
		tx = u->ltx;
	}
	if (ki_is(&k->latest, u->osrv_mi, u->okn)) {
		rx |= u->orx;
		tx |= u->otx;
	}
	p->rx_latest = rx;
	p->tx_latest = tx;

	if (k->is_ks) {
		int i;
		bool all = true;

		if ((uint64_t)u->llpn > MKA_PN_THRESHOLD && !cs_is_xpn(k->latest.cs) &&
		    ki_is(&k->latest, u->lsrv_mi, u->lkn) && !k->dist_pending) {
			log_info("peer %016" PRIx64 " reports PN %u near exhaustion: rekey",
				 p->sci, u->llpn);
			k->want_rekey = true;
		}
		for (i = 0; i < k->n_peers; i++)
			if (k->peers[i].live && !k->peers[i].rx_latest)
				all = false;
		if (all && k->dist_pending) {
			k->dist_pending = false;
			log_info("every live peer receives with SAK KI %s", ki_txt(&k->latest));
		}
		if (all)
			start_tx(k, now);
	} else if (p->sci == k->ks_sci && tx && k->latest.rx) {
		start_tx(k, now);
	}
}

/*
 * Drops are logged at most once a second per reason, with how many went
 * unlogged, so that a flood of bad frames cannot flood the log.
 */
enum { DROP_FORMAT, DROP_CKN, DROP_ICV, DROP_REASONS };

static bool drop_log_ok(int reason, double now, unsigned long *skipped)
{
	static double last[DROP_REASONS] = { -10, -10, -10 };
	static unsigned long count[DROP_REASONS];

	if (now - last[reason] < 1.0) {
		count[reason]++;
		return false;
	}
	last[reason] = now;
	*skipped = count[reason];
	count[reason] = 0;
	return true;
}

static void count_bad(struct kay *k, enum mkpdu_err err, const uint8_t *src,
		      double now)
{
	unsigned long skipped;

	if (err == MKPDU_ERR_LEN)
		k->cnt.rx_bad_len++;
	else if (err == MKPDU_ERR_DST)
		k->cnt.rx_bad_dst++;
	else
		k->cnt.rx_bad_format++;
	if (drop_log_ok(DROP_FORMAT, now, &skipped))
		log_warn("MKPDU from %02x:%02x:%02x:%02x:%02x:%02x dropped: %s (%lu more not logged)",
			 src[0], src[1], src[2], src[3], src[4], src[5],
			 mkpdu_strerror(err), skipped);
}

void kay_rx(struct kay *k, const uint8_t *frame, size_t len, double now)
{
	mono_hint = now;
	static struct mkpdu p;
	struct kay_peer *peer;
	bool changed = false, was_live;
	enum mkpdu_err err;
	unsigned long skipped;
	const uint8_t *src = len >= 12 ? frame + 6 : (const uint8_t *)"\0\0\0\0\0\0";

	if (k->quiet_until)
		return;		/* rejoining: not a participant until then */
	err = mkpdu_parse(frame, len, &p);
	if (err == MKPDU_ERR_NOT_MKA)
		return;
	k->cnt.rx_mkpdu++;
	if (err) {
		count_bad(k, err, src, now);
		return;
	}
	if (p.basic.ckn_len != k->conf.ckn_len ||
	    memcmp(p.basic.ckn, k->conf.ckn, k->conf.ckn_len)) {
		k->cnt.rx_unknown_ckn++;
		if (drop_log_ok(DROP_CKN, now, &skipped))
			log_warn("MKPDU from SCI %016" PRIx64 " dropped: unknown CKN (%lu more not logged)",
				 p.basic.sci, skipped);
		return;
	}
	if (memcmp(p.basic.algo, mka_algo_agility, 4)) {
		k->cnt.rx_bad_format++;
		if (drop_log_ok(DROP_FORMAT, now, &skipped))
			log_warn("MKPDU from SCI %016" PRIx64 " dropped: algorithm agility %02x%02x%02x%02x",
				 p.basic.sci, p.basic.algo[0], p.basic.algo[1],
				 p.basic.algo[2], p.basic.algo[3]);
		return;
	}
	if (!mkpdu_icv_ok(frame, len, k->ick, k->conf.cak_len)) {
		k->cnt.rx_bad_icv++;
		if (drop_log_ok(DROP_ICV, now, &skipped))
			log_warn("MKPDU from SCI %016" PRIx64 " dropped: bad ICV (%lu more not logged)",
				 p.basic.sci, skipped);
		return;
	}
	if (p.basic.sci == k->sci)
		return;		/* our own, looped back */
	if (!memcmp(p.basic.mi, k->mi, MKA_MI_LEN)) {
		log_warn("peer %016" PRIx64 " uses our MI: choosing a new one", p.basic.sci);
		new_mi(k);
		return;
	}

	peer = peer_by_mi(k, p.basic.mi);
	if (!peer) {
		struct kay_peer *same = peer_by_sci(k, p.basic.sci);

		if (same) {
			/*
			 * A known SCI with a new MI: the peer restarted, or
			 * someone replays its SCI. Only a peer that proves
			 * liveness under the old MI keeps it; the old entry
			 * expires soon and the new MI is then accepted.
			 */
			if (same->expire > now + MKA_HELLO_TIME * 1.5)
				same->expire = now + MKA_HELLO_TIME * 1.5;
			log_dbg("SCI %016" PRIx64 " with a new MI: waiting for the old one to expire",
				p.basic.sci);
			return;
		}
		if (k->n_peers >= MKA_MAX_PEERS) {
			log_warn("too many peers, MKPDU from %016" PRIx64 " ignored", p.basic.sci);
			return;
		}
		peer = &k->peers[k->n_peers++];
		memset(peer, 0, sizeof(*peer));
		memcpy(peer->mi, p.basic.mi, MKA_MI_LEN);
		peer->sci = p.basic.sci;
		peer->expire = now + MKA_LIFE_TIME;
		log_info("potential peer MI %s SCI %016" PRIx64, mi_txt(peer->mi), peer->sci);
		k->send_now = true;
	} else if (p.basic.mn <= peer->mn) {
		k->cnt.rx_stale++;
		log_dbg("MKPDU from %016" PRIx64 " with old MN %u dropped", peer->sci, p.basic.mn);
		return;
	}
	peer->mn = p.basic.mn;
	peer->priority = p.basic.priority;
	peer->key_server = p.basic.key_server;
	peer->desired = p.basic.macsec_desired;
	peer->cap = p.basic.capability;
	if (p.announce.present) {
		peer->n_cs = p.announce.n_cs;
		memcpy(peer->cs, p.announce.cs, sizeof(peer->cs));
	}

	was_live = peer->live;
	if (lists_me(k, &p, now)) {
		peer->expire = now + MKA_LIFE_TIME;
		if (!peer->live) {
			peer->live = true;
			changed = true;
			log_info("live peer MI %s SCI %016" PRIx64 " priority %u",
				 mi_txt(peer->mi), peer->sci, peer->priority);
		}
	} else if (!peer->live) {
		peer->expire = now + MKA_LIFE_TIME;
	}
	/* Key server claims may change without the live set changing. */
	if (changed || (peer->live && (!k->elected ||
	    (peer->key_server && peer->sci != k->ks_sci &&
	     (peer->priority < k->ks_priority ||
	      (peer->priority == k->ks_priority && peer->sci < k->ks_sci))))))
		elect(k, now);
	if (!peer->live)
		return;
	if (!was_live)
		k->send_now = true;
	if (p.dist_sak.present)
		rx_dist_sak(k, peer, &p.dist_sak, now);
	if (p.sak_use.present)
		rx_sak_use(k, peer, &p.sak_use, now);
}

static int build(struct kay *k, uint8_t *buf, size_t size, double now)
{
	static struct mkpdu p;
	int i;

	memset(&p, 0, sizeof(p));
	memcpy(p.dst, mka_pae_group, 6);
	memcpy(p.src, k->mac, 6);
	p.basic.version = MKA_VERSION;
	p.basic.priority = k->conf.priority;
	p.basic.key_server = k->elected ? k->is_ks : true;
	p.basic.macsec_desired = k->conf.secure;
	p.basic.capability = k->conf.integ_only ? MKA_CAP_INTEG : MKA_CAP_CONF_ALL;
	p.basic.sci = k->sci;
	memcpy(p.basic.mi, k->mi, MKA_MI_LEN);
	p.basic.mn = ++k->mn;
	memcpy(p.basic.algo, mka_algo_agility, 4);
	memcpy(p.basic.ckn, k->conf.ckn, k->conf.ckn_len);
	p.basic.ckn_len = k->conf.ckn_len;

	for (i = 0; i < k->n_peers; i++) {
		struct kay_peer *q = &k->peers[i];
		struct mka_peer_id *id = q->live ? &p.live[p.n_live++] :
					 &p.potential[p.n_potential++];

		memcpy(id->mi, q->mi, MKA_MI_LEN);
		id->mn = q->mn;
	}
	p.has_live = p.n_live > 0;
	p.has_potential = p.n_potential > 0;

	/*
	 * No SAK Use set during our first hello time: wpa_supplicant 2.10
	 * takes a SAK Use from a participant it does not (yet) hold live
	 * as an error and then abandons its own MI, restarting its session.
	 * A participant we have not heard from yet cannot hold us live; by
	 * a hello time after we start we have heard from everyone and list
	 * them, which makes us live to them before they read the SAK Use.
	 */
	if (p.n_live && now >= k->sak_use_from) {
		struct mka_sak_use *u = &p.sak_use;

		u->present = true;
		if (!k->conf.secure) {
			u->empty = true;
		} else {
			if (k->latest.valid) {
				u->lan = k->latest.an;
				u->lrx = k->latest.rx;
				u->ltx = k->latest.tx;
				memcpy(u->lsrv_mi, k->latest.ki_mi, MKA_MI_LEN);
				u->lkn = k->latest.kn;
				u->llpn = k->latest.lpn_report ? k->latest.lpn_report : 1;
			}
			if (k->old.valid) {
				u->oan = k->old.an;
				u->orx = k->old.rx;
				u->otx = k->old.tx;
				memcpy(u->osrv_mi, k->old.ki_mi, MKA_MI_LEN);
				u->okn = k->old.kn;
				u->olpn = k->old.lpn_report ? k->old.lpn_report : 1;
			}
		}
	}

	if (k->is_ks && p.n_live && k->dist_pending && k->latest.valid) {
		struct mka_dist_sak *d = &p.dist_sak;

		d->present = true;
		d->dan = k->latest.an;
		d->conf_offset = k->latest.co;
		d->kn = k->latest.kn;
		/* GCM-AES-128 travels without its identifier (Figure 11-11) */
		d->cs = k->latest.cs == VSECY_CS_GCM_AES_128 ? 0 : k->latest.cs;
		d->wrapped_len = k->latest.key_len + 8;
		if (crypto_wrap(k->kek, k->conf.cak_len, k->latest.key,
				k->latest.key_len, d->wrapped)) {
			log_err("SAK wrap failed");
			return -1;
		}
	}

	/* Announce the cipher suites we implement (11.12, Table 11-10). */
	p.announce.present = true;
	p.announce.n_cs = 4;
	for (i = 0; i < 4; i++) {
		p.announce.cs[i] = all_suites[i];
		p.announce.cs_cap[i] = MKA_CAP_CONF_ALL;
	}
	if (k->latest.valid && cs_is_xpn(k->latest.cs))
		p.xpn.present = true;

	i = mkpdu_encode(&p, k->ick, k->conf.cak_len, buf, size);
	crypto_wipe(p.dist_sak.wrapped, sizeof(p.dist_sak.wrapped));
	return i;
}

static void send_mkpdu(struct kay *k, double now)
{
	uint8_t buf[MKPDU_MAX_LEN];
	int len = build(k, buf, sizeof(buf), now);

	k->send_now = false;
	k->next_hello = now + ((k->dist_pending || (k->latest.valid && !k->latest.tx)) ?
			       MKA_BOUNDED_HELLO_TIME : MKA_HELLO_TIME);
	if (len < 0) {
		log_err("cannot encode an MKPDU");
		return;
	}
	k->sent[k->sent_pos].mn = k->mn;
	k->sent[k->sent_pos].at = now;
	k->sent_pos = (k->sent_pos + 1) % (sizeof(k->sent) / sizeof(k->sent[0]));
	if (k->send(k->send_ctx, buf, (size_t)len) == 0)
		k->cnt.tx_mkpdu++;
}

/* With no live peer left, the secure session ends (9.7). */
static void end_session(struct kay *k)
{
	int i;

	del_sak_sas(k, &k->old);
	del_sak_sas(k, &k->latest);
	for (i = 0; i < k->n_peers; i++) {
		if (k->peers[i].rxsc) {
			secy_err(k, "delete RX SC",
				 k->secy->ops->del_rxsc(k->secy, k->peers[i].sci));
			k->peers[i].rxsc = false;
		}
	}
	if (k->secured)
		log_info("no live peer: secure session removed");
	k->secured = false;
	k->dist_pending = false;
	k->want_rekey = false;
	k->elected = false;
	k->is_ks = false;
	k->ks_sci = 0;		/* the next election is news (ks_since) */
}

/* Starts the participant afresh: a new MI, no peers, no SAs. */
static int restart_participant(struct kay *k, double now, const char *why)
{
	end_session(k);
	while (k->n_peers)
		drop_peer(k, &k->peers[0], why);
	k->params_set = false;
	k->started_at = now;
	k->send_now = true;
	return new_mi(k);
}

/*
 * A peer is key server and we still hold none of its SAKs, MKA_REJOIN_TIME
 * after it was elected. wpa_supplicant 2.10 drops, where 802.1X-2020 9.8.1
 * defers, the new SAK a peer joining within MKA_LIFE_TIME of its previous
 * one asks for: that peer would wait for ever. We rejoin as a new peer,
 * with a new MI, after a silence: wpa_supplicant ignores an SCI's new MI
 * while the old one lives, and when the old one expires it distributes a
 * SAK to the peers left, which starts its hold-off again. Silent for
 * MKA_REJOIN_QUIET, we come back after both.
 */
static void check_ks_gives_sak(struct kay *k, double now)
{
	struct kay_peer *ks;

	if (!k->elected || k->is_ks || !k->conf.secure ||
	    now - k->ks_since < MKA_REJOIN_TIME)
		return;
	ks = peer_by_sci(k, k->ks_sci);
	if (!ks || !ks->live || !ks->desired ||
	    (k->latest.valid && !memcmp(k->latest.ki_mi, ks->mi, MKA_MI_LEN)))
		return;
	log_warn("no SAK from key server %016" PRIx64 " %.0f s after its election: rejoining with a new MI in %.0f s",
		 k->ks_sci, now - k->ks_since, MKA_REJOIN_QUIET);
	k->cnt.rejoins++;
	end_session(k);
	while (k->n_peers)
		drop_peer(k, &k->peers[0], "participant rejoins");
	k->quiet_until = now + MKA_REJOIN_QUIET;
}

static void retire_old(struct kay *k, double now)
{
	int i;
	bool all = true;

	if (!k->old.valid || !k->latest.tx)
		return;
	for (i = 0; i < k->n_peers; i++)
		if (k->peers[i].live && !k->peers[i].tx_latest)
			all = false;
	if ((all && now - k->latest.since >= MKA_SAK_RETIRE_TIME) ||
	    now - k->latest.since >= MKA_LIFE_TIME) {
		log_info("old SAK KI %s AN %u retired", ki_txt(&k->old), k->old.an);
		del_sak_sas(k, &k->old);
	}
}

/*
 * The TX SA of the latest SAK reached the PN threshold, or ran out. The
 * key server rekeys. Another participant cannot: it reports the PN as the
 * Latest Key Lowest Acceptable PN of its SAK Use (11.11.3), which a key
 * server compares with the threshold (rx_sak_use()). That field has 32
 * bits: with XPN the event is only logged.
 */
static void tx_pn_high(struct kay *k, uint64_t pn, const char *what)
{
	struct kay_sak *s = &k->latest;

	if (k->is_ks) {
		if (k->want_rekey) {
			log_dbg("%s, TX SA AN %u: a rekey is due already", what, s->an);
			return;
		}
		log_info("rekey: %s, TX SA AN %u next PN %" PRIu64, what, s->an, pn);
		k->want_rekey = true;
		return;
	}
	if (cs_is_xpn(s->cs)) {
		log_info("%s, TX SA AN %u next PN %" PRIu64 ": key server %016" PRIx64
			 " must rekey (no report with XPN)", what, s->an, pn, k->ks_sci);
		return;
	}
	if (pn > 0xffffffffULL)
		pn = 0xffffffffULL;
	if (s->lpn_report >= (uint32_t)pn)
		return;
	s->lpn_report = (uint32_t)pn;
	log_info("%s, TX SA AN %u next PN %" PRIu64
		 ": not key server, reporting it in SAK Use to key server %016" PRIx64,
		 what, s->an, pn, k->ks_sci);
	k->send_now = true;
}

void kay_tick(struct kay *k, double now)
{
	mono_hint = now;
	bool changed = false;
	int i;

	if (k->quiet_until) {
		if (now < k->quiet_until)
			return;
		k->quiet_until = 0;
		if (restart_participant(k, now, "participant rejoins"))
			log_err("no random MI");
		log_info("rejoining with MI %s", mi_txt(k->mi));
	}
	for (i = 0; i < k->n_peers; ) {
		struct kay_peer *p = &k->peers[i];

		if (now > p->expire) {
			changed |= p->live;
			drop_peer(k, p, p->live ? "silent for the MKA life time, removed" :
				  "expired");
			continue;
		}
		i++;
	}
	if (changed) {
		if (!n_live(k))
			end_session(k);
		else
			elect(k, now);
	}

	if (k->is_ks && n_live(k) && k->conf.secure) {
		uint64_t pn;

		if (k->conf.rekey_period && k->latest.valid &&
		    now - k->last_dist >= k->conf.rekey_period && !k->want_rekey) {
			log_info("rekey: mka_rekey_period %u s elapsed", k->conf.rekey_period);
			k->want_rekey = true;
		}
		/*
		 * A SecY without events: its TX PN, read once per hello
		 * time (9.8.3). One with events says when (kay_secy_event).
		 */
		if (now >= k->next_hello && k->latest.tx && !secy_has_events(k->secy) &&
		    k->secy->ops->get_tx_pn &&
		    !k->secy->ops->get_tx_pn(k->secy, k->latest.an, &pn) &&
		    pn > pn_threshold(k->latest.cs) &&
		    !k->want_rekey && !k->dist_pending)
			tx_pn_high(k, pn, "TX PN past the threshold (read every hello time)");
		/*
		 * A new SAK at most every MKA_LIFE_TIME (as wpa_supplicant)
		 * unless none is in use: each one must reach every peer first.
		 */
		if (k->want_rekey && (!k->latest.valid ||
				      now - k->last_dist >= MKA_LIFE_TIME ||
				      !k->dist_pending))
			generate_sak(k, now);
	}
	check_ks_gives_sak(k, now);
	retire_old(k, now);
	if (k->send_now || now >= k->next_hello)
		send_mkpdu(k, now);
}

void kay_secy_event(struct kay *k, const struct secy_event *ev, double now)
{
	struct kay_sak *s = &k->latest;
	const char *what;
	uint8_t ki[16];
	uint64_t pn;

	mono_hint = now;
	/*
	 * Before the latest SAK transmits, an event can only be about an
	 * older one, which the latest (already on its way) replaces.
	 */
	if (!s->valid || !s->tx || !k->conf.secure) {
		log_dbg("SecY event %d for AN %u before the latest SAK transmits: ignored",
			ev->type, ev->an);
		return;
	}
	if (ev->type == SECY_EV_LOST) {
		/* One read of the PN stands for the events lost. */
		if (k->secy->ops->get_tx_pn &&
		    !k->secy->ops->get_tx_pn(k->secy, s->an, &pn) &&
		    pn > pn_threshold(s->cs))
			tx_pn_high(k, pn, "TX PN past the threshold, read after lost SecY events");
		return;
	}
	what = ev->type == SECY_EV_PN_EXHAUSTED ? "PN exhausted event from the SecY" :
	       "PN threshold event from the SecY";
	keyid(s, ki);
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
	tx_pn_high(k, pn, what);
}

int kay_request_rekey(struct kay *k)
{
	if (!k->is_ks || !n_live(k))
		return -1;
	k->want_rekey = true;
	return 0;
}

int kay_reconfigure(struct kay *k, const struct mkad_conf *conf, double now)
{
	bool restart = conf->cak_len != k->conf.cak_len ||
		       crypto_memcmp(conf->cak, k->conf.cak, conf->cak_len) ||
		       conf->ckn_len != k->conf.ckn_len ||
		       memcmp(conf->ckn, k->conf.ckn, conf->ckn_len) ||
		       conf->port != k->conf.port;

	if (restart) {
		log_info("configuration: new CAK/CKN or port, restarting the participant");
		if (restart_participant(k, now, "participant restarted"))
			return -1;
		k->conf = *conf;
		k->sci = secy_make_sci(k->mac, conf->port);
		return derive_keys(k) ? -1 : 0;
	}
	k->conf = *conf;
	log_info("configuration reloaded: priority %u, %s, rekey period %u s",
		 conf->priority, cs_name(conf->cipher_suite), conf->rekey_period);
	/* A new priority may change who is key server (9.5). */
	if (n_live(k))
		elect(k, now);
	k->send_now = true;
	return 0;
}

void kay_shutdown(struct kay *k)
{
	end_session(k);
	crypto_wipe(k->ick, sizeof(k->ick));
	crypto_wipe(k->kek, sizeof(k->kek));
	crypto_wipe(&k->conf, sizeof(k->conf));
	crypto_wipe(&k->latest, sizeof(k->latest));
	crypto_wipe(&k->old, sizeof(k->old));
}

/* JSON ---------------------------------------------------------------- */

struct jbuf {
	char *p;
	size_t size, n;
	bool overflow;
};

static void jp(struct jbuf *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void jp(struct jbuf *j, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (j->overflow)
		return;
	va_start(ap, fmt);
	r = vsnprintf(j->p + j->n, j->size - j->n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= j->size - j->n)
		j->overflow = true;
	else
		j->n += (size_t)r;
}

static void j_sak(struct jbuf *j, const char *name, const struct kay_sak *s)
{
	if (!s->valid) {
		jp(j, "\"%s\":null,", name);
		return;
	}
	jp(j, "\"%s\":{\"ki\":\"%s\",\"kn\":%u,\"an\":%u,\"rx\":%s,\"tx\":%s},", name,
	   ki_txt(s), s->kn, s->an, s->rx ? "true" : "false", s->tx ? "true" : "false");
}

static void j_peers(struct jbuf *j, const struct kay *k, bool live, double now)
{
	int i, first = 1;

	jp(j, "\"%s\":[", live ? "live_peers" : "potential_peers");
	for (i = 0; i < k->n_peers; i++) {
		const struct kay_peer *p = &k->peers[i];

		if (p->live != live)
			continue;
		jp(j, "%s{\"sci\":\"%016" PRIx64 "\",\"mi\":\"%s\",\"mn\":%u,"
		   "\"priority\":%u,\"key_server\":%s,\"expires_in\":%.1f}",
		   first ? "" : ",", p->sci, mi_txt(p->mi), p->mn, p->priority,
		   p->key_server ? "true" : "false", p->expire - now);
		first = 0;
	}
	jp(j, "],");
}

int kay_status_json(const struct kay *k, char *buf, size_t size, double now)
{
	struct jbuf j = { .p = buf, .size = size };
	char ckn[2 * MKA_MAX_CKN_LEN + 1];
	const struct kay_sak *cur = k->latest.valid ? &k->latest : &k->old;
	const struct kay_counters *c = &k->cnt;

	hex(ckn, k->conf.ckn, k->conf.ckn_len);
	jp(&j, "{\"ifname\":\"%s\",\"lower\":\"%s\",\"backend\":\"%s\",",
	   k->secy->ifname, k->secy->lower, k->secy->ops->name);
	jp(&j, "\"ckn\":\"%s\",\"sci\":\"%016" PRIx64 "\",\"mi\":\"%s\",\"mn\":%u,"
	   "\"priority\":%u,", ckn, k->sci, mi_txt(k->mi), k->mn, k->conf.priority);
	if (k->elected)
		jp(&j, "\"key_server\":{\"self\":%s,\"sci\":\"%016" PRIx64 "\",\"priority\":%u},",
		   k->is_ks ? "true" : "false", k->ks_sci, k->ks_priority);
	else
		jp(&j, "\"key_server\":null,");
	jp(&j, "\"cipher_suite\":\"%s\",", cs_name(cur->valid ? cur->cs : k->conf.cipher_suite));
	if (cur->valid)
		jp(&j, "\"confidentiality\":%s,\"offset\":%d,",
		   cur->co == MKA_CO_NONE ? "false" : "true", co_offset(cur->co));
	jp(&j, "\"secured\":%s,", k->secured ? "true" : "false");
	if (k->secured)
		jp(&j, "\"secured_after\":%.2f,", k->secured_at - k->started_at);
	j_sak(&j, "latest_sak", &k->latest);
	j_sak(&j, "old_sak", &k->old);
	jp(&j, "\"current_an\":%d,", k->latest.tx ? k->latest.an :
	   k->old.tx ? k->old.an : -1);
	j_peers(&j, k, true, now);
	j_peers(&j, k, false, now);
	jp(&j, "\"counters\":{\"tx_mkpdu\":%" PRIu64 ",\"rx_mkpdu\":%" PRIu64
	   ",\"rx_bad_icv\":%" PRIu64 ",\"rx_bad_len\":%" PRIu64
	   ",\"rx_bad_format\":%" PRIu64 ",\"rx_unknown_ckn\":%" PRIu64
	   ",\"rx_stale\":%" PRIu64 ",\"rx_bad_dst\":%" PRIu64
	   ",\"saks_generated\":%" PRIu64 ",\"saks_received\":%" PRIu64
	   ",\"secy_errors\":%" PRIu64 ",\"rejoins\":%" PRIu64 "}}",
	   c->tx_mkpdu, c->rx_mkpdu, c->rx_bad_icv, c->rx_bad_len,
	   c->rx_bad_format, c->rx_unknown_ckn, c->rx_stale, c->rx_bad_dst,
	   c->saks_generated, c->saks_received, c->sak_install_failed,
	   c->rejoins);
	return j.overflow ? -1 : (int)j.n;
}
