// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the Controlled Port (802.1X-2020 12.4, Figure 12-2).
 *
 * connect PENDING: CHANGE, no SA, the port closed. AUTHENTICATED (the
 * key server advises no MACsec and the policy allows it): the port open
 * with protectFrames off and validateFrames Disabled. SECURE: SECURED
 * (protect, validate Strict), then for each SAK: RECEIVE (an RX SA per
 * live peer and an unused TX SA; lrx once every one is in), TRANSMIT (the
 * TX SA is the encoding SA; ltx), RETIRE (the old SAK's SAs go).
 *
 * A cipher suite or confidentiality offset other than the SecY's is a
 * changedCipher: as in Figure 12-2 (SECURED on changedConnect) the SAs
 * go first, the parameters change, then the new SAK is installed; the
 * MKA session is not touched. The replay settings and macsec_include_sci
 * are applied when the next SAK is installed.
 *
 * Every SecY operation's result is checked. A failed add is retried
 * (0.5 s, doubling to 8 s) until the installed state is the wanted one;
 * until then lrx (or ltx) stays false, so no peer is told that we receive
 * what we cannot, and STATUS shows the failure. An add that meets a stale
 * SA at its AN (EEXIST) deletes it and adds again; an RX SA whose RX SC
 * went (ENOENT) brings the RX SC back. Deletions that find nothing are no
 * error: the CP deletes only what it installed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cp.h"
#include "cs.h"
#include "log.h"
#include "util.h"

#define CP_RETRY_MIN	0.5
#define CP_RETRY_MAX	8.0
/* Where MKA rekeys: 3/4 of the PN space, as wpa_supplicant does. */
#define CP_PN_THRESHOLD		0xC0000000ULL
#define CP_XPN_THRESHOLD	0xC000000000000000ULL

static void cp_repair(struct cp *cp);

static void retry_fn(void *ctx, double now)
{
	(void)now;
	cp_repair(ctx);
}

void cp_init(struct cp *cp, struct loop *loop, struct secy *secy,
	     void (*changed)(void *ctx), void *ctx)
{
	memset(cp, 0, sizeof(*cp));
	cp->loop = loop;
	cp->secy = secy;
	cp->changed = changed;
	cp->ctx = ctx;
	cp->include_sci = true;
	cp->state = CP_INIT;
	cp->retry_delay = CP_RETRY_MIN;
	loop_timer_init(&cp->retry, retry_fn, cp);
	snprintf(cp->why, sizeof(cp->why), "no live peer");
}

void cp_set_local(struct cp *cp, bool replay_protect, uint32_t replay_window,
		  bool include_sci)
{
	cp->replay_protect = replay_protect;
	cp->replay_window = replay_window;
	cp->include_sci = include_sci;
}

void sak_keyid(const struct sak *s, uint8_t out[16])
{
	memcpy(out, s->ki_mi, MKA_MI_LEN);
	out[12] = (uint8_t)(s->kn >> 24);
	out[13] = (uint8_t)(s->kn >> 16);
	out[14] = (uint8_t)(s->kn >> 8);
	out[15] = (uint8_t)s->kn;
}

void sak_ki_txt(const struct sak *s, char out[33])
{
	uint8_t ki[16];

	sak_keyid(s, ki);
	hex_str(out, ki, sizeof(ki));
}

uint32_t sak_ssci(const struct sak *s, uint64_t sci, const uint8_t *mi)
{
	int i;

	for (i = 0; i < s->n_members; i++) {
		const struct sak_member *m = &s->members[i];

		if ((mi && !memcmp(m->mi, mi, MKA_MI_LEN)) || (sci && m->sci == sci))
			return m->ssci;
	}
	return 0;
}

/* Failures -------------------------------------------------------- */

/*
 * Records the result of one SecY operation: 0 is success; anything else
 * is logged, counted and kept, and a retry is armed.
 */
static int check(struct cp *cp, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int check(struct cp *cp, int rc, const char *fmt, ...)
{
	char what[sizeof(cp->err.what)];
	double now = loop_now(cp->loop);
	va_list ap;

	if (!rc)
		return 0;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cp->errors++;
	if (!cp->failing || strcmp(cp->err.what, what) || cp->err.err != -rc) {
		snprintf(cp->err.what, sizeof(cp->err.what), "%s", what);
		cp->err.err = -rc;
		cp->err.count = 0;
		cp->err.since = now;
	}
	cp->err.count++;
	cp->failing = true;
	cp->failed_now = true;
	cp->last_err = cp->err;
	log_err("SecY %s failed: %s; retrying in %.1f s", what, strerror(-rc),
		cp->retry_delay);
	if (!cp->retry.armed) {
		loop_timer_at(cp->loop, &cp->retry, now + cp->retry_delay);
		cp->retry_delay = cp->retry_delay * 2 > CP_RETRY_MAX ? CP_RETRY_MAX :
				  cp->retry_delay * 2;
	}
	return rc;
}

static void ok_again(struct cp *cp)
{
	if (cp->failing)
		log_info("SecY: %s now done, after %" PRIu64 " failure(s)", cp->err.what,
			 cp->err.count);
	cp->failing = false;
	cp->retry_delay = CP_RETRY_MIN;
	loop_timer_stop(cp->loop, &cp->retry);
}

/* SAs ------------------------------------------------------------- */

static struct cp_rxsc *rxsc_of(struct cp *cp, uint64_t sci)
{
	int i;

	for (i = 0; i < cp->n_rxsc; i++)
		if (cp->rxsc[i].sci == sci)
			return &cp->rxsc[i];
	return NULL;
}

static void sa_of(const struct sak *s, struct secy_sa *sa, uint32_t ssci)
{
	memset(sa, 0, sizeof(*sa));
	sa->an = s->an;
	sa->pn = 1;
	sa->key = s->key;
	sa->key_len = s->key_len;
	sak_keyid(s, sa->keyid);
	sa->xpn = cs_is_xpn(s->cs);
	sa->ssci = ssci;
	sa->salt = sa->xpn ? s->salt : NULL;
}

static int add_rxsc(struct cp *cp, struct cp_rxsc *r)
{
	int rc;

	if (r->added)
		return 0;
	rc = cp->secy->ops->add_rxsc(cp->secy, r->sci);
	if (rc == -EEXIST)
		rc = 0;		/* ours already (a retry) */
	if (check(cp, rc, "add RX SC %016" PRIx64, r->sci))
		return rc;
	r->added = true;
	return 0;
}

/* The RX SA of s for r, if r is a member of s that it can have. */
static int add_rxsa(struct cp *cp, struct cp_rxsc *r, const struct sak *s)
{
	struct secy *y = cp->secy;
	struct secy_sa sa;
	uint32_t ssci = 0;
	int rc;

	if (r->sa_mask & (1 << s->an))
		return 0;
	if (cs_is_xpn(s->cs)) {
		ssci = sak_ssci(s, r->sci, r->mi);
		if (!ssci)
			return 0;	/* not a member of this SAK: the next one */
	}
	if (add_rxsc(cp, r))
		return -1;
	sa_of(s, &sa, ssci);
	rc = y->ops->add_rxsa(y, r->sci, &sa);
	if (rc == -EEXIST) {
		log_warn("SecY: a stale RX SA at AN %u for %016" PRIx64 ": replacing it",
			 s->an, r->sci);
		y->ops->del_rxsa(y, r->sci, s->an);
		rc = y->ops->add_rxsa(y, r->sci, &sa);
	} else if (rc == -ENOENT) {
		log_warn("SecY: the RX SC %016" PRIx64 " is gone: adding it again", r->sci);
		r->added = false;
		rc = add_rxsc(cp, r);
		if (!rc)
			rc = y->ops->add_rxsa(y, r->sci, &sa);
	}
	crypto_wipe(&sa, sizeof(sa));
	if (check(cp, rc, "add RX SA %016" PRIx64 " AN %u", r->sci, s->an))
		return rc;
	r->sa_mask |= (uint8_t)(1 << s->an);
	return 0;
}

static int add_txsa(struct cp *cp, const struct sak *s)
{
	struct secy *y = cp->secy;
	struct secy_sa sa;
	int rc;

	if (cp->txsa_mask & (1 << s->an))
		return 0;
	sa_of(s, &sa, s->own_ssci);
	rc = y->ops->add_txsa(y, &sa);
	if (rc == -EEXIST) {
		log_warn("SecY: a stale TX SA at AN %u: replacing it", s->an);
		y->ops->del_txsa(y, s->an);
		rc = y->ops->add_txsa(y, &sa);
	}
	crypto_wipe(&sa, sizeof(sa));
	if (check(cp, rc, "add TX SA AN %u", s->an))
		return rc;
	cp->txsa_mask |= (uint8_t)(1 << s->an);
	return 0;
}

/*
 * Installs what s still lacks; s->rx tells whether every SA is in: the
 * TX SA and the RX SA of each live peer that is a member of s.
 */
static void install(struct cp *cp, struct sak *s)
{
	bool all = true;
	int i;

	if (!s->valid)
		return;
	if (add_txsa(cp, s))
		all = false;
	for (i = 0; i < cp->n_rxsc; i++)
		if (add_rxsa(cp, &cp->rxsc[i], s))
			all = false;
	s->rx = all;
}

/* Removes s's SAs, those that exist; s itself is wiped. */
static void remove_sas(struct cp *cp, struct sak *s)
{
	struct secy *y = cp->secy;
	uint8_t bit;
	int i, rc;

	if (!s->valid)
		return;
	bit = (uint8_t)(1 << s->an);
	for (i = 0; i < cp->n_rxsc; i++) {
		struct cp_rxsc *r = &cp->rxsc[i];

		if (!(r->sa_mask & bit))
			continue;
		rc = y->ops->del_rxsa(y, r->sci, s->an);
		if (rc && rc != -ENOENT)
			log_warn("SecY: delete RX SA %016" PRIx64 " AN %u: %s", r->sci,
				 s->an, strerror(-rc));
		r->sa_mask &= (uint8_t)~bit;
	}
	if (cp->txsa_mask & bit) {
		rc = y->ops->del_txsa(y, s->an);
		if (rc && rc != -ENOENT)
			log_warn("SecY: delete TX SA AN %u: %s", s->an, strerror(-rc));
		cp->txsa_mask &= (uint8_t)~bit;
	}
	crypto_wipe(s, sizeof(*s));
}

static void remove_all_sas(struct cp *cp)
{
	remove_sas(cp, &cp->old);
	remove_sas(cp, &cp->latest);
	cp->want_tx = false;
}

/* Parameters and the port ---------------------------------------- */

static int co_offset(uint8_t co)
{
	return co == MKA_CO_30 ? 30 : co == MKA_CO_50 ? 50 : 0;
}

/* The SecY's parameters for s (802.1X-2020 12.4 SECURED). */
static void params_of(const struct cp *cp, const struct sak *s, struct secy_params *p)
{
	*p = (struct secy_params){
		.cipher_suite = s->cs,
		.encrypt = s->co != MKA_CO_NONE,
		.conf_offset = co_offset(s->co),
		.replay_protect = cp->replay_protect,
		.replay_window = cp->replay_window,
		.include_sci = cp->include_sci,
		/*
		 * The SecY's own threshold is MKA's, so that a SecY with
		 * events announces a TX SA exactly where the next SAK is due.
		 */
		.pn_threshold = cs_is_xpn(s->cs) ? CP_XPN_THRESHOLD : CP_PN_THRESHOLD,
	};
}

static int set_params(struct cp *cp, const struct secy_params *p)
{
	int rc = cp->secy->ops->set_params(cp->secy, p);

	if (check(cp, rc, "set parameters (%s, offset %d)", cs_name(p->cipher_suite),
		  p->encrypt ? p->conf_offset : -1))
		return rc;
	cp->params = *p;
	cp->params_set = true;
	return 0;
}

static int set_port(struct cp *cp, enum secy_port_mode mode)
{
	int rc;

	if (cp->port_set && cp->port_mode == mode)
		return 0;
	rc = cp->secy->ops->set_port(cp->secy, mode);
	if (check(cp, rc, "set the controlled port"))
		return rc;
	cp->port_mode = mode;
	cp->port_set = true;
	return 0;
}

/* CHANGE: no SA; the RX SCs of the live peers stay. */
static void change(struct cp *cp)
{
	remove_all_sas(cp);
	cp->state = CP_CHANGE;
}

void cp_connect(struct cp *cp, enum cp_connect c, const char *why)
{
	static const enum secy_port_mode mode[] = {
		[CP_CONNECT_PENDING] = SECY_PORT_CLOSED,
		[CP_CONNECT_AUTHENTICATED] = SECY_PORT_UNSECURED,
		[CP_CONNECT_SECURE] = SECY_PORT_SECURED,
	};

	snprintf(cp->why, sizeof(cp->why), "%s", why);
	if (c == cp->connect && cp->port_set)
		return;
	log_info("controlled port: %s (%s)", cp_connect_name(c), why);
	if (c != CP_CONNECT_SECURE)
		change(cp);
	cp->connect = c;
	set_port(cp, mode[c]);
	cp->state = c == CP_CONNECT_SECURE ? CP_SECURED :
		    c == CP_CONNECT_AUTHENTICATED ? CP_AUTHENTICATED : CP_CHANGE;
}

void cp_new_sak(struct cp *cp, struct sak *n)
{
	struct secy_params p;
	char ki[33];

	if (cp->connect != CP_CONNECT_SECURE)
		cp_connect(cp, CP_CONNECT_SECURE, "the key server distributes an SAK");
	params_of(cp, n, &p);
	if (!cp->params_set || p.cipher_suite != cp->params.cipher_suite ||
	    p.encrypt != cp->params.encrypt || p.conf_offset != cp->params.conf_offset) {
		/* changedCipher: CHANGE, then SECURED with the new parameters */
		if (cp->params_set && (cp->latest.valid || cp->old.valid))
			log_info("cipher suite or offset changes (%s offset %d -> %s offset %d): removing the SAs first",
				 cs_name(cp->params.cipher_suite),
				 cp->params.encrypt ? cp->params.conf_offset : -1,
				 cs_name(p.cipher_suite), p.encrypt ? p.conf_offset : -1);
		remove_all_sas(cp);
		set_params(cp, &p);
	} else {
		if (cp->old.valid && cp->old.tx && cp->latest.valid && !cp->latest.tx) {
			/*
			 * ABANDON: the latest SAK never went into use; the old
			 * one transmits until the new one is ready. Its AN may
			 * not be taken from the SA in use.
			 */
			remove_sas(cp, &cp->latest);
			if (n->an == cp->old.an) {
				log_warn("SAK KN %u takes AN %u of the SAK in use: removing that one first",
					 n->kn, n->an);
				remove_sas(cp, &cp->old);
			}
		} else {
			remove_sas(cp, &cp->old);
			if (cp->latest.valid && cp->latest.an == n->an)
				remove_sas(cp, &cp->latest);
			if (cp->latest.valid)
				cp->old = cp->latest;
		}
		if (p.replay_protect != cp->params.replay_protect ||
		    p.replay_window != cp->params.replay_window ||
		    p.include_sci != cp->params.include_sci)
			set_params(cp, &p);
	}
	cp->latest = *n;
	cp->latest.valid = true;
	cp->latest.rx = cp->latest.tx = false;
	crypto_wipe(n, sizeof(*n));
	install(cp, &cp->latest);
	cp->state = CP_RECEIVING;
	sak_ki_txt(&cp->latest, ki);
	log_info("SAK KI %s AN %u %s installed for receive%s%s", ki,
		 cp->latest.an, cs_name(cp->latest.cs),
		 cp->latest.co == MKA_CO_NONE ? ", integrity only" : "",
		 cp->latest.rx ? "" : " (incomplete: SecY error)");
}

void cp_peer_live(struct cp *cp, uint64_t sci, const uint8_t mi[MKA_MI_LEN])
{
	struct cp_rxsc *r = rxsc_of(cp, sci);
	bool before = cp->latest.rx;

	if (!r) {
		if (cp->n_rxsc == (int)(sizeof(cp->rxsc) / sizeof(cp->rxsc[0])))
			return;
		r = &cp->rxsc[cp->n_rxsc++];
		memset(r, 0, sizeof(*r));
		r->sci = sci;
	}
	memcpy(r->mi, mi, MKA_MI_LEN);
	if (cp->connect != CP_CONNECT_SECURE) {
		add_rxsc(cp, r);
		return;
	}
	/*
	 * A peer that becomes live after the SAK was installed receives and
	 * is received at once, with the SAK(s) in use.
	 */
	if (cp->old.valid)
		add_rxsa(cp, r, &cp->old);
	if (cp->latest.valid)
		install(cp, &cp->latest);
	else
		add_rxsc(cp, r);
	if (cp->latest.rx != before && cp->changed)
		cp->changed(cp->ctx);
}

void cp_peer_gone(struct cp *cp, uint64_t sci)
{
	struct cp_rxsc *r = rxsc_of(cp, sci);
	int rc, an;

	if (!r)
		return;
	for (an = 0; an < 4; an++)
		if (r->sa_mask & (1 << an))
			cp->secy->ops->del_rxsa(cp->secy, sci, (uint8_t)an);
	if (r->added) {
		rc = cp->secy->ops->del_rxsc(cp->secy, sci);
		if (rc && rc != -ENOENT)
			log_warn("SecY: delete RX SC %016" PRIx64 ": %s", sci, strerror(-rc));
	}
	*r = cp->rxsc[--cp->n_rxsc];
}

void cp_transmit(struct cp *cp, double now)
{
	struct sak *s = &cp->latest;
	int rc;

	if (!s->valid || s->tx)
		return;
	if (!s->rx) {
		cp->want_tx = true;	/* once what is missing is in */
		return;
	}
	rc = cp->secy->ops->use_txsa(cp->secy, s->an);
	if (check(cp, rc, "use TX SA AN %u", s->an)) {
		cp->want_tx = true;
		return;
	}
	cp->want_tx = false;
	s->tx = true;
	s->since = now;
	if (cp->old.valid)
		cp->old.tx = false;
	cp->state = CP_TRANSMITTING;
}

void cp_retire(struct cp *cp)
{
	remove_sas(cp, &cp->old);
}

int cp_set_sci(struct cp *cp, uint64_t sci, uint16_t port)
{
	int rc;

	while (cp->n_rxsc)
		cp_peer_gone(cp, cp->rxsc[0].sci);
	remove_all_sas(cp);
	rc = cp->secy->ops->set_sci(cp->secy, sci, port);
	if (!rc) {
		cp->secy->sci = sci;
		cp->secy->port = port;
	}
	return check(cp, rc, "set the SCI to %016" PRIx64, sci);
}

void cp_shutdown(struct cp *cp)
{
	remove_all_sas(cp);
	while (cp->n_rxsc)
		cp_peer_gone(cp, cp->rxsc[0].sci);
	loop_timer_stop(cp->loop, &cp->retry);
	crypto_wipe(&cp->latest, sizeof(cp->latest));
	crypto_wipe(&cp->old, sizeof(cp->old));
}

/* The retry: whatever is still missing. */
static void cp_repair(struct cp *cp)
{
	bool rx = cp->latest.rx, tx = cp->latest.tx;
	struct secy_params p;
	int i;

	cp->failed_now = false;
	if (cp->connect == CP_CONNECT_SECURE && cp->latest.valid) {
		params_of(cp, &cp->latest, &p);
		if (!cp->params_set || memcmp(&p, &cp->params, sizeof(p)))
			set_params(cp, &p);
	}
	if (!cp->port_set ||
	    cp->port_mode != (cp->connect == CP_CONNECT_SECURE ? SECY_PORT_SECURED :
			      cp->connect == CP_CONNECT_AUTHENTICATED ?
			      SECY_PORT_UNSECURED : SECY_PORT_CLOSED)) {
		cp->port_set = false;
		set_port(cp, cp->connect == CP_CONNECT_SECURE ? SECY_PORT_SECURED :
			 cp->connect == CP_CONNECT_AUTHENTICATED ? SECY_PORT_UNSECURED :
			 SECY_PORT_CLOSED);
	}
	for (i = 0; i < cp->n_rxsc; i++)
		if (cp->connect != CP_CONNECT_PENDING)
			add_rxsc(cp, &cp->rxsc[i]);
	if (cp->old.valid)
		for (i = 0; i < cp->n_rxsc; i++)
			add_rxsa(cp, &cp->rxsc[i], &cp->old);
	install(cp, &cp->latest);
	if (cp->want_tx)
		cp_transmit(cp, loop_now(cp->loop));
	if (!cp->failed_now)
		ok_again(cp);
	if ((cp->latest.rx != rx || cp->latest.tx != tx) && cp->changed)
		cp->changed(cp->ctx);
}

bool cp_secured(const struct cp *cp)
{
	return cp->connect == CP_CONNECT_SECURE && cp->latest.valid &&
	       cp->latest.tx && cp->latest.rx && !cp->failing;
}

const char *cp_state_name(enum cp_state s)
{
	static const char *const names[] = {
		[CP_INIT] = "INIT", [CP_CHANGE] = "CHANGE",
		[CP_AUTHENTICATED] = "AUTHENTICATED", [CP_SECURED] = "SECURED",
		[CP_RECEIVING] = "RECEIVING", [CP_TRANSMITTING] = "TRANSMITTING",
	};

	return names[s];
}

const char *cp_connect_name(enum cp_connect c)
{
	static const char *const names[] = {
		[CP_CONNECT_PENDING] = "pending",
		[CP_CONNECT_AUTHENTICATED] = "unsecured",
		[CP_CONNECT_SECURE] = "secure",
	};

	return names[c];
}
