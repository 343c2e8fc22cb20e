// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the Authenticator PAE (802.1X-2004 8.2.4 and 8.2.9, the
 * pass-through authenticator of RFC 3748 2.3), see pae_auth.h: the
 * exchange and the session, the server's answers, the timers, the link,
 * the PAE's life and status. What the supplicant sends is taken in
 * pae_auth_rx.c; frames are built and checked in eapol.c.
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
#include "pae_auth_int.h"

static const char *const state_names[] = {
	[PAE_INITIALIZE] = "INITIALIZE",
	[PAE_DISCONNECTED] = "DISCONNECTED",
	[PAE_CONNECTING] = "CONNECTING",
	[PAE_AUTHENTICATING] = "AUTHENTICATING",
	[PAE_AUTHENTICATED] = "AUTHENTICATED",
	[PAE_ABORTING] = "ABORTING",
	[PAE_HELD] = "HELD",
};

void pae_mac_str(char out[18], const uint8_t *m)
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

const char *pae_auth_state_name(const struct pae_auth *a)
{
	return state_names[a->state];
}

void pae_set_state(struct pae_auth *a, enum pae_state s)
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
void pae_send_req(struct pae_auth *a)
{
	uint8_t f[PAE_FRAME_MAX];

	xmit(a, f, build_frame(a, a->req, a->req_len, f));
}

/* EAP-Success or EAP-Failure with Identifier id (RFC 3748 4.2). */
static size_t build_result(const struct pae_auth *a, uint8_t code, uint8_t id, uint8_t *f)
{
	return eapol_build_result(f, dst_of(a), a->own, a->conf.eapol_version, code, id);
}

void pae_note_method(struct pae_auth *a, uint8_t type)
{
	if (type > EAP_T_NAK)
		a->eap_method = type;
}

/* The exchange and the session ------------------------------------------ */

void pae_forget_supp(struct pae_auth *a)
{
	a->have_supp = false;
	memset(a->supp, 0, sizeof(a->supp));
}

void pae_end_session(struct pae_auth *a)
{
	a->authorized = a->secured = false;
	a->since = a->last_auth = 0;
	a->sess_identity[0] = 0;
	loop_timer_stop(a->loop, &a->t_reauth);
}

/*
 * Ends the exchange; true if the server had it (its server_cancel is
 * due: pae_call_cancel()).
 */
bool pae_clear_exchange(struct pae_auth *a)
{
	bool srv = a->srv_open;

	loop_timer_stop(a->loop, &a->t_exch);
	a->req_out = a->srv_wait = a->srv_open = false;
	a->retrans = 0;
	return srv;
}

/* server_cancel if srv; false if the callback changed the PAE's state. */
bool pae_call_cancel(struct pae_auth *a, bool srv)
{
	unsigned int e = a->epoch;

	if (srv)
		a->ops.server_cancel(a->ctx);
	return a->epoch == e;
}

/* ended(why) if had (a session was there); false if it changed the state. */
bool pae_call_ended(struct pae_auth *a, bool had, enum pae_end why)
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
void pae_start_exchange(struct pae_auth *a)
{
	bool srv = pae_clear_exchange(a);

	loop_timer_stop(a->loop, &a->t_quiet);
	a->req_id = a->next_id++;
	a->req_len = eap_build_identity_req(a->req, a->req_id);
	a->req_out = a->req_own_identity = true;
	a->identity[0] = a->raw_identity[0] = 0;
	pae_set_state(a, PAE_CONNECTING);
	loop_timer_at(a->loop, &a->t_exch, loop_now(a->loop) + a->conf.tx_period);
	if (!pae_call_cancel(a, srv))
		return;
	pae_send_req(a);
}

/*
 * The exchange was aborted (no answer from the supplicant or the
 * server): a session stays, else the PAE starts over.
 */
static void exchange_timeout(struct pae_auth *a, const char *who)
{
	bool srv = pae_clear_exchange(a);
	char mac[18];

	if (a->have_supp) {
		a->cnt.auth_timeout++;
		pae_mac_str(mac, a->supp);
		log_info("802.1X: %s: no answer from the %s, exchange aborted%s", mac, who,
			 a->authorized ? " (the session stays)" : "");
	}
	if (a->authorized) {
		pae_set_state(a, PAE_AUTHENTICATED);
		if (!a->t_reauth.armed)
			arm_reauth(a, loop_now(a->loop));
		pae_call_cancel(a, srv);
		return;
	}
	pae_forget_supp(a);
	pae_set_state(a, PAE_ABORTING);
	if (pae_call_cancel(a, srv))
		pae_start_exchange(a);
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
		pae_send_req(a);
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
	pae_mac_str(mac, a->supp);
	log_info("802.1X: re-authenticating %s (reauth_period %u s)", mac, a->conf.reauth_period);
	pae_start_exchange(a);
}

static void quiet_timer(void *ctx, double now)
{
	struct pae_auth *a = ctx;

	(void)now;
	if (a->state != PAE_HELD)
		return;
	log_dbg("802.1X: quiet period over");
	pae_start_exchange(a);
}

/* The exchange failed: EAP-Failure (eap, or built), the session ends, HELD. */
static void auth_failed(struct pae_auth *a, const uint8_t *eap, size_t len, enum pae_end why)
{
	uint8_t f[PAE_FRAME_MAX];
	size_t n = eap ? build_frame(a, eap, len, f) : build_result(a, EAP_FAILURE, a->resp_id, f);
	bool had = a->authorized, srv = pae_clear_exchange(a);
	unsigned int e;
	char mac[18];

	a->cnt.auth_fail++;
	pae_mac_str(mac, a->supp);
	log_info("802.1X: supplicant %s identity \"%s\" %s: %s, held for %u s", mac, a->identity,
		 had ? "failed re-authentication" : "rejected",
		 had ? "session ended" : "not authorized", a->conf.quiet_period);
	pae_end_session(a);
	pae_forget_supp(a);
	pae_set_state(a, PAE_HELD);
	loop_timer_at(a->loop, &a->t_quiet, loop_now(a->loop) + a->conf.quiet_period);
	e = a->epoch;
	if (!pae_call_cancel(a, srv))
		return;
	xmit(a, f, n);
	if (a->epoch == e)
		pae_call_ended(a, had, why);
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
	pae_clear_exchange(a);
	a->authorized = true;
	if (!again)
		a->since = now;
	a->last_auth = now;
	memcpy(a->sess_identity, a->identity, sizeof(a->sess_identity));
	arm_reauth(a, now);
	pae_set_state(a, PAE_AUTHENTICATED);
	pae_mac_str(mac, a->supp);
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
	pae_note_method(a, eap[4]);
	pae_set_state(a, PAE_AUTHENTICATING);
	loop_timer_at(a->loop, &a->t_exch, loop_now(a->loop) + a->conf.tx_period);
	pae_send_req(a);
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
		pae_start_exchange(a);
		return;
	}
	pae_mac_str(mac, a->supp);
	if (had)
		log_info("802.1X: link down: session of %s ended", mac);
	srv = pae_clear_exchange(a);
	pae_end_session(a);
	pae_forget_supp(a);
	loop_timer_stop(a->loop, &a->t_quiet);
	pae_set_state(a, PAE_DISCONNECTED);
	if (pae_call_cancel(a, srv))
		pae_call_ended(a, had, PAE_END_LINK_DOWN);
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
	pae_start_exchange(a);
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
	srv = pae_clear_exchange(a);
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
