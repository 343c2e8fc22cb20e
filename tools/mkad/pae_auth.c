// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the Authenticator PAE (802.1X-2004 8.2.4 and 8.2.9, the
 * pass-through authenticator of RFC 3748 2.3), see pae_auth.h; its
 * frames are built and checked in eapol.c.
 *
 * One exchange at a time: either a Request is outstanding (req_out: sent
 * to the supplicant, t_exch counts its retransmissions) or a Response is
 * with the server (srv_wait: t_exch is the backstop), or neither (idle,
 * AUTHENTICATED or HELD). srv_open: the server has the exchange (from
 * the first to_server to its ACCEPT, REJECT or TIMEOUT); dropping it
 * before that is a server_cancel. The session (authorized) is apart from the
 * exchange, so that a re-authentication runs while it stays.
 *
 * Every callback comes after the PAE's state is settled for it; epoch
 * counts state changes, so that a step that calls back goes on only if
 * the callback changed nothing (it may have called pae_auth_link(false)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "eapol.h"
#include "log.h"
#include "mkpdu.h"
#include "pae_auth.h"

/* Drops from another supplicant, ignored Logoffs: logged so often at most. */
#define PAE_LOG_INTERVAL	60.0

enum pae_state {
	PAE_INITIALIZE, PAE_DISCONNECTED, PAE_CONNECTING, PAE_AUTHENTICATING,
	PAE_AUTHENTICATED, PAE_ABORTING, PAE_HELD,
};

static const char *const state_names[] = {
	[PAE_INITIALIZE] = "INITIALIZE",
	[PAE_DISCONNECTED] = "DISCONNECTED",
	[PAE_CONNECTING] = "CONNECTING",
	[PAE_AUTHENTICATING] = "AUTHENTICATING",
	[PAE_AUTHENTICATED] = "AUTHENTICATED",
	[PAE_ABORTING] = "ABORTING",
	[PAE_HELD] = "HELD",
};

struct ratelimit {
	bool logged;
	double last;
	unsigned long skipped;
};

struct pae_auth {
	struct loop *loop;
	struct pae_auth_conf conf;
	struct pae_auth_ops ops;
	void *ctx;
	uint8_t own[6];
	enum pae_state state;
	unsigned int epoch;
	bool link, closing;
	/* the supplicant, while it has an exchange or a session */
	bool have_supp;
	uint8_t supp[6];
	/* the exchange */
	bool req_out, req_own_identity, srv_wait, srv_open;
	uint8_t req_id, next_id, resp_id;
	unsigned int retrans;
	uint8_t req[PAE_EAP_MAX];
	size_t req_len;
	char identity[PAE_IDENTITY_MAX + 1];	/* printable */
	char raw_identity[PAE_IDENTITY_MAX + 1];
	int eap_method;
	struct loop_timer t_exch, t_reauth, t_quiet;
	/* the session */
	bool authorized, secured;
	double since, last_auth;
	char sess_identity[PAE_IDENTITY_MAX + 1];
	struct ratelimit rl_other, rl_logoff;
	struct pae_counters cnt;
};

static void start_exchange(struct pae_auth *a);

static void mac_str(char out[18], const uint8_t *m)
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* True when this one is logged; *skipped then tells how many were not. */
static bool ratelimit_ok(struct ratelimit *r, double now, unsigned long *skipped)
{
	if (r->logged && now - r->last < PAE_LOG_INTERVAL) {
		r->skipped++;
		return false;
	}
	r->logged = true;
	r->last = now;
	*skipped = r->skipped;
	r->skipped = 0;
	return true;
}

/* " (N more not logged)", or "" for none. */
static const char *more_str(unsigned long skipped)
{
	static char buf[48];

	if (!skipped)
		return "";
	snprintf(buf, sizeof(buf), " (%lu more not logged)", skipped);
	return buf;
}

const char *pae_auth_state_name(const struct pae_auth *a)
{
	return state_names[a->state];
}

static void set_state(struct pae_auth *a, enum pae_state s)
{
	if (a->state != s)
		log_dbg("802.1X: %s -> %s", state_names[a->state], state_names[s]);
	a->state = s;
	a->epoch++;
}

/* Frames --------------------------------------------------------------- */

static const uint8_t *dst_of(const struct pae_auth *a)
{
	return a->conf.use_pae_group_addr || !a->have_supp ? mka_pae_group : a->supp;
}

/* The EAPOL frame of an EAP packet (len <= PAE_EAP_MAX) into f; its length. */
static size_t build_frame(const struct pae_auth *a, const uint8_t *eap, size_t len, uint8_t *f)
{
	return eapol_build(f, dst_of(a), a->own, a->conf.eapol_version, eap, len);
}

static void xmit(struct pae_auth *a, const uint8_t *f, size_t len)
{
	a->cnt.tx_eapol++;
	if (a->ops.send(a->ctx, f, len) < 0) {
		a->cnt.tx_errors++;
		log_dbg("802.1X: EAPOL send failed");
	}
}

/* Sends the outstanding Request (again). */
static void send_req(struct pae_auth *a)
{
	uint8_t f[PAE_FRAME_MAX];

	xmit(a, f, build_frame(a, a->req, a->req_len, f));
}

/* EAP-Success or EAP-Failure with Identifier id (RFC 3748 4.2). */
static size_t build_result(const struct pae_auth *a, uint8_t code, uint8_t id, uint8_t *f)
{
	return eapol_build_result(f, dst_of(a), a->own, a->conf.eapol_version, code, id);
}

static void note_method(struct pae_auth *a, uint8_t type)
{
	if (type > EAP_T_NAK)
		a->eap_method = type;
}

/* The exchange and the session ------------------------------------------ */

static void forget_supp(struct pae_auth *a)
{
	a->have_supp = false;
	memset(a->supp, 0, sizeof(a->supp));
}

static void end_session(struct pae_auth *a)
{
	a->authorized = a->secured = false;
	a->since = a->last_auth = 0;
	a->sess_identity[0] = 0;
	loop_timer_stop(a->loop, &a->t_reauth);
}

/*
 * Ends the exchange; true if the server had it (its server_cancel is
 * due: call_cancel()).
 */
static bool clear_exchange(struct pae_auth *a)
{
	bool srv = a->srv_open;

	loop_timer_stop(a->loop, &a->t_exch);
	a->req_out = a->srv_wait = a->srv_open = false;
	a->retrans = 0;
	return srv;
}

/* server_cancel if srv; false if the callback changed the PAE's state. */
static bool call_cancel(struct pae_auth *a, bool srv)
{
	unsigned int e = a->epoch;

	if (srv)
		a->ops.server_cancel(a->ctx);
	return a->epoch == e;
}

/* ended(why) if had (a session was there); false if it changed the state. */
static bool call_ended(struct pae_auth *a, bool had, enum pae_end why)
{
	unsigned int e = a->epoch;

	if (had)
		a->ops.ended(a->ctx, why);
	return a->epoch == e;
}

static void arm_reauth(struct pae_auth *a, double from)
{
	if (a->conf.reauth_period)
		loop_timer_at(a->loop, &a->t_reauth, from + a->conf.reauth_period);
	else
		loop_timer_stop(a->loop, &a->t_reauth);
}

/* CONNECTING: a new EAP-Request/Identity, any exchange before it dropped. */
static void start_exchange(struct pae_auth *a)
{
	bool srv = clear_exchange(a);

	loop_timer_stop(a->loop, &a->t_quiet);
	a->req_id = a->next_id++;
	a->req_len = eap_build_identity_req(a->req, a->req_id);
	a->req_out = a->req_own_identity = true;
	a->identity[0] = a->raw_identity[0] = 0;
	set_state(a, PAE_CONNECTING);
	loop_timer_at(a->loop, &a->t_exch, loop_now(a->loop) + a->conf.tx_period);
	if (!call_cancel(a, srv))
		return;
	send_req(a);
}

/*
 * The exchange was aborted (no answer from the supplicant or the
 * server): a session stays, else the PAE starts over.
 */
static void exchange_timeout(struct pae_auth *a, const char *who)
{
	bool srv = clear_exchange(a);
	char mac[18];

	if (a->have_supp) {
		a->cnt.auth_timeout++;
		mac_str(mac, a->supp);
		log_info("802.1X: %s: no answer from the %s, exchange aborted%s", mac, who,
			 a->authorized ? " (the session stays)" : "");
	}
	if (a->authorized) {
		set_state(a, PAE_AUTHENTICATED);
		if (!a->t_reauth.armed)
			arm_reauth(a, loop_now(a->loop));
		call_cancel(a, srv);
		return;
	}
	forget_supp(a);
	set_state(a, PAE_ABORTING);
	if (call_cancel(a, srv))
		start_exchange(a);
}

static void exch_timer(void *ctx, double now)
{
	struct pae_auth *a = ctx;

	if (a->srv_wait) {
		log_warn("802.1X: no answer from the authentication server in %.0f s",
			 PAE_SERVER_BACKSTOP);
		exchange_timeout(a, "server");
	} else if (a->req_out && a->retrans < a->conf.max_req) {
		a->retrans++;
		loop_timer_at(a->loop, &a->t_exch, now + a->conf.tx_period);
		log_dbg("802.1X: EAP-Request %u sent again (%u)", a->req_id, a->retrans);
		send_req(a);
	} else if (a->req_out) {
		exchange_timeout(a, "supplicant");
	}
}

static void reauth_timer(void *ctx, double now)
{
	struct pae_auth *a = ctx;
	char mac[18];

	(void)now;
	if (!a->authorized || a->state != PAE_AUTHENTICATED)
		return;		/* an exchange runs: its end arms it again */
	mac_str(mac, a->supp);
	log_info("802.1X: re-authenticating %s (reauth_period %u s)", mac, a->conf.reauth_period);
	start_exchange(a);
}

static void quiet_timer(void *ctx, double now)
{
	struct pae_auth *a = ctx;

	(void)now;
	if (a->state != PAE_HELD)
		return;
	log_dbg("802.1X: quiet period over");
	start_exchange(a);
}

/* The exchange failed: EAP-Failure (eap, or built), the session ends, HELD. */
static void auth_failed(struct pae_auth *a, const uint8_t *eap, size_t len, enum pae_end why)
{
	uint8_t f[PAE_FRAME_MAX];
	size_t n = eap ? build_frame(a, eap, len, f) : build_result(a, EAP_FAILURE, a->resp_id, f);
	bool had = a->authorized, srv = clear_exchange(a);
	unsigned int e;
	char mac[18];

	a->cnt.auth_fail++;
	mac_str(mac, a->supp);
	log_info("802.1X: supplicant %s identity \"%s\" %s: %s, held for %u s", mac, a->identity,
		 had ? "failed re-authentication" : "rejected",
		 had ? "session ended" : "not authorized", a->conf.quiet_period);
	end_session(a);
	forget_supp(a);
	set_state(a, PAE_HELD);
	loop_timer_at(a->loop, &a->t_quiet, loop_now(a->loop) + a->conf.quiet_period);
	e = a->epoch;
	if (!call_cancel(a, srv))
		return;
	xmit(a, f, n);
	if (a->epoch == e)
		call_ended(a, had, why);
}

static void auth_success(struct pae_auth *a, const uint8_t *eap, size_t len,
			 const uint8_t *msk, size_t msk_len, const uint8_t *sid, size_t sid_len)
{
	uint8_t f[PAE_FRAME_MAX];
	size_t n = eap ? build_frame(a, eap, len, f) : build_result(a, EAP_SUCCESS, a->resp_id, f);
	bool again = a->authorized;
	double now = loop_now(a->loop);
	struct pae_keys k;
	unsigned int e;
	char mac[18];

	memset(&k, 0, sizeof(k));
	k.msk_len = msk_len > PAE_MSK_MAX ? PAE_MSK_MAX : msk_len;
	memcpy(k.msk, msk, k.msk_len);
	memcpy(k.session_id, sid, sid_len);
	k.session_id_len = sid_len;
	memcpy(k.supp_mac, a->supp, 6);
	memcpy(k.identity, a->identity, sizeof(k.identity));

	a->cnt.auth_success++;
	clear_exchange(a);
	a->authorized = true;
	if (!again)
		a->since = now;
	a->last_auth = now;
	memcpy(a->sess_identity, a->identity, sizeof(a->sess_identity));
	arm_reauth(a, now);
	set_state(a, PAE_AUTHENTICATED);
	mac_str(mac, a->supp);
	log_info("802.1X: supplicant %s identity \"%s\" %s (%s)", mac, a->identity,
		 again ? "re-authenticated" : "authenticated", pae_eap_type_name(a->eap_method));
	e = a->epoch;
	xmit(a, f, n);
	if (a->epoch == e)
		a->ops.authenticated(a->ctx, &k);
	crypto_wipe(&k, sizeof(k));
}

static void srv_challenge(struct pae_auth *a, const uint8_t *eap, size_t len)
{
	if (eap[0] == EAP_FAILURE) {
		auth_failed(a, eap, len, PAE_END_REAUTH_FAILED);
		return;
	}
	if (eap[0] != EAP_REQUEST) {
		log_warn("802.1X: Access-Challenge with EAP code %u, not a Request", eap[0]);
		exchange_timeout(a, "server");
		return;
	}
	memcpy(a->req, eap, len);
	a->req_len = len;
	a->req_id = eap[1];
	a->next_id = (uint8_t)(eap[1] + 1);
	a->req_out = true;
	a->req_own_identity = false;
	a->retrans = 0;
	note_method(a, eap[4]);
	set_state(a, PAE_AUTHENTICATING);
	loop_timer_at(a->loop, &a->t_exch, loop_now(a->loop) + a->conf.tx_period);
	send_req(a);
}

static void srv_accept(struct pae_auth *a, const uint8_t *eap, size_t len, const uint8_t *msk,
		       size_t msk_len, const uint8_t *sid, size_t sid_len)
{
	enum pae_end why = PAE_END_FAILURE;

	if (eap && eap[0] != EAP_SUCCESS) {
		log_warn("802.1X: Access-Accept with EAP code %u, not a Success", eap[0]);
		if (eap[0] == EAP_FAILURE) {
			auth_failed(a, eap, len, PAE_END_REAUTH_FAILED);
			return;
		}
	} else if (!msk || msk_len < PAE_MSK_MIN || !sid || !sid_len || sid_len > PAE_SID_MAX) {
		log_err("802.1X: RADIUS Access-Accept without MS-MPPE keys / EAP-Key-Name: "
			"no MACsec key (MSK %zu octets, Session-Id %zu)", msk ? msk_len : 0,
			sid ? sid_len : 0);
	} else {
		auth_success(a, eap, len, msk, msk_len, sid, sid_len);
		return;
	}
	auth_failed(a, NULL, 0, why);
}

void pae_auth_server_answer(struct pae_auth *a, enum pae_server_result r,
			    const uint8_t *eap, size_t eap_len, const uint8_t *msk,
			    size_t msk_len, const uint8_t *sid, size_t sid_len)
{
	size_t len = eap_server_len(eap, eap_len);

	if (a->closing)
		return;
	if (!a->srv_wait) {
		log_dbg("802.1X: an answer of the server that was not waited for, ignored");
		return;
	}
	a->srv_wait = false;
	if (r != PAE_SRV_CHALLENGE)
		a->srv_open = false;	/* the server's exchange is over */
	loop_timer_stop(a->loop, &a->t_exch);
	if (eap && eap_len && !len && r != PAE_SRV_TIMEOUT) {
		log_warn("802.1X: malformed EAP packet from the server (%zu octets)", eap_len);
		if (r == PAE_SRV_CHALLENGE) {
			exchange_timeout(a, "server");
			return;
		}
	}
	switch (r) {
	case PAE_SRV_CHALLENGE:
		if (!len) {
			log_warn("802.1X: Access-Challenge without an EAP packet");
			exchange_timeout(a, "server");
		} else {
			srv_challenge(a, eap, len);
		}
		break;
	case PAE_SRV_ACCEPT:
		srv_accept(a, len ? eap : NULL, len, msk, msk_len, sid, sid_len);
		break;
	case PAE_SRV_REJECT:
		auth_failed(a, len && eap[0] == EAP_FAILURE ? eap : NULL, len,
			    PAE_END_REAUTH_FAILED);
		break;
	case PAE_SRV_TIMEOUT:
	default:
		exchange_timeout(a, "server");
		break;
	}
}

/* Received frames ------------------------------------------------------- */

static void malformed(struct pae_auth *a, const char *why)
{
	a->cnt.rx_malformed++;
	log_dbg("802.1X: malformed EAPOL frame dropped: %s", why);
}

/* False (counted, logged now and then) if src is not the supplicant. */
static bool from_supp(struct pae_auth *a, const uint8_t *src)
{
	unsigned long skipped;
	char m1[18], m2[18];

	if (!a->have_supp || !memcmp(src, a->supp, 6))
		return true;
	a->cnt.rx_other_supp++;
	if (ratelimit_ok(&a->rl_other, loop_now(a->loop), &skipped)) {
		mac_str(m1, src);
		mac_str(m2, a->supp);
		log_warn("802.1X: EAPOL from %s dropped: the port serves supplicant %s%s",
			 m1, m2, more_str(skipped));
	}
	return false;
}

static void learn_supp(struct pae_auth *a, const uint8_t *src)
{
	if (a->have_supp)
		return;
	memcpy(a->supp, src, 6);
	a->have_supp = true;
}

static void rx_start(struct pae_auth *a, const uint8_t *src)
{
	char mac[18];

	a->cnt.rx_start++;
	mac_str(mac, src);
	if (a->authorized)
		log_info("802.1X: EAPOL-Start from %s: re-authenticating, the session stays", mac);
	else if (!a->have_supp)
		log_info("802.1X: EAPOL-Start from %s", mac);
	else
		log_dbg("802.1X: EAPOL-Start from %s again", mac);
	learn_supp(a, src);
	if (a->state == PAE_CONNECTING && a->req_out && a->req_own_identity) {
		/* ours crossed it: the same Request again, now to the supplicant */
		a->retrans = 0;
		loop_timer_at(a->loop, &a->t_exch, loop_now(a->loop) + a->conf.tx_period);
		send_req(a);
		return;
	}
	start_exchange(a);
}

static void rx_logoff(struct pae_auth *a)
{
	bool had = a->authorized, srv;
	unsigned long skipped;
	char mac[18];

	a->cnt.rx_logoff++;
	if (!a->have_supp)
		return;		/* no exchange, no session: nothing to end */
	mac_str(mac, a->supp);
	if (had && a->secured && a->conf.ignore_logoff_secured) {
		a->cnt.logoff_ignored++;
		if (ratelimit_ok(&a->rl_logoff, loop_now(a->loop), &skipped))
			log_warn("802.1X: EAPOL-Logoff from %s ignored: the session is secured "
				 "(ignore_logoff_secured)%s", mac, more_str(skipped));
		return;
	}
	if (had)
		log_info("802.1X: EAPOL-Logoff from %s: session ended", mac);
	else
		log_info("802.1X: EAPOL-Logoff from %s: exchange ended", mac);
	srv = clear_exchange(a);
	end_session(a);
	forget_supp(a);
	set_state(a, PAE_DISCONNECTED);
	if (call_cancel(a, srv) && call_ended(a, had, PAE_END_LOGOFF))
		start_exchange(a);
}

static void rx_eap(struct pae_auth *a, const uint8_t *src, const uint8_t *eap, size_t len)
{
	bool own_identity = a->req_own_identity;

	if (!a->req_out || eap[1] != a->req_id) {
		a->cnt.rx_bad_id++;
		log_dbg("802.1X: EAP-Response %u dropped: it answers no outstanding Request",
			eap[1]);
		return;
	}
	if (a->req[4] == EAP_T_IDENTITY && eap[4] != EAP_T_IDENTITY) {
		malformed(a, "a Request/Identity answered with another Type");
		return;
	}
	a->cnt.rx_eap_resp++;
	learn_supp(a, src);
	if (a->req[4] == EAP_T_IDENTITY)
		eap_identity(eap, len, a->raw_identity, a->identity);
	note_method(a, eap[4]);
	a->resp_id = eap[1];
	a->req_out = false;
	a->srv_wait = a->srv_open = true;
	loop_timer_at(a->loop, &a->t_exch, loop_now(a->loop) + PAE_SERVER_BACKSTOP);
	set_state(a, PAE_AUTHENTICATING);
	a->ops.to_server(a->ctx, eap, len, a->raw_identity, a->supp, own_identity);
}

void pae_auth_rx(struct pae_auth *a, const uint8_t *f, size_t len)
{
	const uint8_t *body = f + ETH_HDR_LEN + EAPOL_HDR_LEN;
	size_t body_len = 0, eap_len = 0;
	const char *why = NULL;
	int type;

	a->cnt.rx_eapol++;
	if (a->closing)
		return;
	type = eapol_check(f, len, a->own, &body_len, &why);
	if (type < 0) {
		malformed(a, why);
		return;
	}
	if (type != EAPOL_EAP && type != EAPOL_START && type != EAPOL_LOGOFF) {
		a->cnt.rx_ignored_type++;
		log_dbg("802.1X: EAPOL packet type %d ignored", type);
		return;
	}
	if (type == EAPOL_EAP && !(eap_len = eap_check_response(body, body_len, &why))) {
		malformed(a, why);
		return;
	}
	if (!a->link)
		return;
	if (!from_supp(a, f + 6))
		return;
	if (a->state == PAE_HELD) {
		a->cnt.rx_held++;
		return;
	}
	if (type == EAPOL_START)
		rx_start(a, f + 6);
	else if (type == EAPOL_LOGOFF)
		rx_logoff(a);
	else
		rx_eap(a, f + 6, body, eap_len);
}

/* The port -------------------------------------------------------------- */

void pae_auth_link(struct pae_auth *a, bool up)
{
	bool had = a->authorized, srv;
	char mac[18];

	if (a->closing || up == a->link)
		return;
	a->link = up;
	if (up) {
		log_dbg("802.1X: link up");
		start_exchange(a);
		return;
	}
	mac_str(mac, a->supp);
	if (had)
		log_info("802.1X: link down: session of %s ended", mac);
	srv = clear_exchange(a);
	end_session(a);
	forget_supp(a);
	loop_timer_stop(a->loop, &a->t_quiet);
	set_state(a, PAE_DISCONNECTED);
	if (call_cancel(a, srv))
		call_ended(a, had, PAE_END_LINK_DOWN);
}

void pae_auth_set_secured(struct pae_auth *a, bool secured)
{
	if (a->closing)
		return;
	a->secured = secured && a->authorized;
}

void pae_auth_reauthenticate(struct pae_auth *a)
{
	if (a->closing)
		return;
	if (!a->link || a->state == PAE_HELD) {
		log_info("802.1X: re-authentication not started: %s", state_names[a->state]);
		return;
	}
	log_info("802.1X: re-authentication asked for");
	start_exchange(a);
}

static int conf_ok(const struct pae_auth_conf *c)
{
	if (c->eapol_version < 1 || c->eapol_version > 3) {
		log_err("802.1X: eapol_version %u: 1, 2 or 3", c->eapol_version);
		return 0;
	}
	if (!c->tx_period) {
		log_err("802.1X: the EAP retransmission period must be 1 s or more");
		return 0;
	}
	return 1;
}

void pae_auth_conf_init(struct pae_auth_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->eapol_version = PAE_DEF_EAPOL_VERSION;
	c->reauth_period = PAE_DEF_REAUTH_PERIOD;
	c->quiet_period = PAE_DEF_QUIET_PERIOD;
	c->tx_period = PAE_DEF_TX_PERIOD;
	c->max_req = PAE_DEF_MAX_REQ;
}

struct pae_auth *pae_auth_new(struct loop *l, const uint8_t own_mac[6],
			      const struct pae_auth_conf *c, const struct pae_auth_ops *ops,
			      void *ctx)
{
	struct pae_auth *a;
	uint8_t id;

	if (!conf_ok(c))
		return NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->loop = l;
	a->conf = *c;
	a->ops = *ops;
	a->ctx = ctx;
	memcpy(a->own, own_mac, 6);
	a->state = PAE_INITIALIZE;
	if (crypto_random(&id, 1))
		id = 0;
	a->next_id = id;
	loop_timer_init(&a->t_exch, exch_timer, a);
	loop_timer_init(&a->t_reauth, reauth_timer, a);
	loop_timer_init(&a->t_quiet, quiet_timer, a);
	return a;
}

int pae_auth_reconfigure(struct pae_auth *a, const struct pae_auth_conf *c)
{
	if (!conf_ok(c))
		return -1;
	a->conf = *c;
	if (a->authorized && a->t_reauth.armed)
		arm_reauth(a, a->last_auth);
	else if (a->authorized && a->state == PAE_AUTHENTICATED)
		arm_reauth(a, loop_now(a->loop));
	return 0;
}

void pae_auth_free(struct pae_auth *a)
{
	bool srv;

	if (!a || a->closing)
		return;
	a->closing = true;
	srv = clear_exchange(a);
	loop_timer_stop(a->loop, &a->t_reauth);
	loop_timer_stop(a->loop, &a->t_quiet);
	if (srv)
		a->ops.server_cancel(a->ctx);
	if (a->authorized)
		a->ops.ended(a->ctx, PAE_END_CLOSED);
	free(a);
}

/* Status ---------------------------------------------------------------- */

void pae_auth_status(const struct pae_auth *a, struct pae_auth_status *st)
{
	memset(st, 0, sizeof(*st));
	st->state = state_names[a->state];
	memcpy(st->identity, a->authorized ? a->sess_identity : a->identity,
	       sizeof(st->identity));
	st->eap_method = a->eap_method;
	st->authenticated_since = a->since;
	st->last_auth = a->last_auth;
	st->next_reauth = a->t_reauth.armed ? a->t_reauth.at : 0;
	st->authorized = a->authorized;
	st->secured = a->secured;
	memcpy(st->supp_mac, a->supp, 6);
	st->have_supp = a->have_supp;
}

const struct pae_counters *pae_auth_counters(const struct pae_auth *a)
{
	return &a->cnt;
}
