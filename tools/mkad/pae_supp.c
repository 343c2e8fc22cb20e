// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the Supplicant PAE (pae_supp.h): EAPOL-Start and -Logoff,
 * the EAP peer (RFC 3748: Identity, Notification, Nak, the method, the
 * retransmitted Request, Success and Failure), the timers (startWhen,
 * heldWhile, authWhile) and the link. Frames are built and checked with
 * eapol.c; the method is eap_tls.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "eapol.h"
#include "log.h"
#include "mkpdu.h"
#include "pae_supp.h"
#include "secmem.h"

enum supp_state {
	S_DISCONNECTED, S_CONNECTING, S_AUTHENTICATING, S_AUTHENTICATED, S_HELD,
};

static const char *const state_names[] = {
	[S_DISCONNECTED] = "DISCONNECTED",
	[S_CONNECTING] = "CONNECTING",
	[S_AUTHENTICATING] = "AUTHENTICATING",
	[S_AUTHENTICATED] = "AUTHENTICATED",
	[S_HELD] = "HELD",
};

struct pae_supp {
	struct loop *loop;
	struct pae_supp_conf conf;
	struct pae_supp_ops ops;
	void *ctx;
	struct eap_tls *tls;
	uint8_t own[6];
	enum supp_state state;
	bool link;
	unsigned int start_count;
	struct loop_timer t_start, t_held, t_auth;
	/* the authenticator of the exchange and the session */
	bool have_auth;
	uint8_t auth[6];
	bool method_done;	/* EAP-TLS gave its keys: a Success is awaited */
	int eap_method;
	char tls_version[16];
	/* the last Request answered and its Response (retransmissions) */
	bool have_last;
	uint8_t last_req[PAE_EAP_MAX], last_resp[PAE_EAP_MAX];
	size_t last_req_len, last_resp_len;
	/* the session */
	bool authorized;
	double since, last_auth;
	struct pae_supp_counters cnt;
};

const char *pae_supp_state_name(const struct pae_supp *s)
{
	return state_names[s->state];
}

static void set_state(struct pae_supp *s, enum supp_state st)
{
	if (s->state != st)
		log_dbg("802.1X supplicant: %s -> %s", state_names[s->state], state_names[st]);
	s->state = st;
}

void pae_supp_conf_init(struct pae_supp_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->eapol_version = PAE_DEF_EAPOL_VERSION;
	c->held_period = SUPP_DEF_HELD_PERIOD;
	c->start_period = SUPP_DEF_START_PERIOD;
	c->max_start = SUPP_DEF_MAX_START;
	c->auth_period = SUPP_DEF_AUTH_PERIOD;
}

/* Frames --------------------------------------------------------------- */

static void xmit(struct pae_supp *s, const uint8_t *f, size_t len)
{
	s->cnt.tx_eapol++;
	if (s->ops.send(s->ctx, f, len) < 0) {
		s->cnt.tx_errors++;
		log_dbg("802.1X supplicant: EAPOL send failed");
	}
}

/* EAPOL-Start or -Logoff: an empty body of that type. */
static void send_type(struct pae_supp *s, uint8_t type)
{
	uint8_t f[ETH_MIN_LEN] = { 0 };
	size_t n = eapol_build(f, mka_pae_group, s->own, s->conf.eapol_version, f, 0);

	f[15] = type;
	if (type == EAPOL_START)
		s->cnt.tx_start++;
	else
		s->cnt.tx_logoff++;
	xmit(s, f, n);
}

/* An EAP-Response to req (kept for a retransmission of req). */
static void send_resp(struct pae_supp *s, const uint8_t *req, size_t req_len,
		      const uint8_t *resp, size_t len)
{
	uint8_t f[PAE_FRAME_MAX];

	memcpy(s->last_req, req, req_len);
	s->last_req_len = req_len;
	memcpy(s->last_resp, resp, len);
	s->last_resp_len = len;
	s->have_last = true;
	xmit(s, f, eapol_build(f, mka_pae_group, s->own, s->conf.eapol_version, resp, len));
}

static void forget_last(struct pae_supp *s)
{
	s->have_last = false;
	crypto_wipe(s->last_req, s->last_req_len);
	crypto_wipe(s->last_resp, s->last_resp_len);
	s->last_req_len = s->last_resp_len = 0;
}

/* States ---------------------------------------------------------------- */

static void clear_exchange(struct pae_supp *s)
{
	eap_tls_reset(s->tls);
	s->method_done = false;
	forget_last(s);
	loop_timer_stop(s->loop, &s->t_auth);
}

static void connecting(struct pae_supp *s)
{
	clear_exchange(s);
	if (!s->authorized)
		s->have_auth = false;
	set_state(s, S_CONNECTING);
	s->start_count = 1;
	send_type(s, EAPOL_START);
	loop_timer_at(s->loop, &s->t_start, loop_now(s->loop) + s->conf.start_period);
}

static void end_session(struct pae_supp *s, enum supp_end why)
{
	if (!s->authorized)
		return;
	s->authorized = false;
	s->since = s->last_auth = 0;
	s->ops.ended(s->ctx, why);
}

static void start_timeout(void *ctx, double now)
{
	struct pae_supp *s = ctx;

	if (s->state != S_CONNECTING)
		return;
	if (s->start_count >= s->conf.max_start) {
		/* no authenticator: a new round later (a Request is taken meanwhile) */
		log_info("802.1X supplicant: no answer to %u EAPOL-Starts, again in %u s",
			 s->start_count, s->conf.held_period);
		s->start_count = 0;
		loop_timer_at(s->loop, &s->t_start, now + s->conf.held_period);
		return;
	}
	s->start_count++;
	send_type(s, EAPOL_START);
	loop_timer_at(s->loop, &s->t_start, now + s->conf.start_period);
}

static void held_timeout(void *ctx, double now)
{
	struct pae_supp *s = ctx;

	(void)now;
	if (s->state == S_HELD)
		connecting(s);
}

/* authWhile: the authenticator stopped asking in the middle of an exchange. */
static void auth_timeout(void *ctx, double now)
{
	struct pae_supp *s = ctx;

	(void)now;
	if (s->state != S_AUTHENTICATING)
		return;
	s->cnt.auth_timeout++;
	log_warn("802.1X supplicant: no EAP-Request for %u s, the exchange is abandoned",
		 s->conf.auth_period);
	if (s->authorized) {
		clear_exchange(s);
		set_state(s, S_AUTHENTICATED);	/* the session stays */
	} else {
		connecting(s);
	}
}

static void held(struct pae_supp *s)
{
	clear_exchange(s);
	loop_timer_stop(s->loop, &s->t_start);
	set_state(s, S_HELD);
	s->have_auth = false;
	loop_timer_at(s->loop, &s->t_held, loop_now(s->loop) + s->conf.held_period);
	end_session(s, SUPP_END_FAILURE);
}

static void success(struct pae_supp *s)
{
	struct supp_keys *k = secmem_alloc(sizeof(*k));
	double now = loop_now(s->loop);

	if (!k || !eap_tls_keys(s->tls, k->msk, k->session_id, &k->session_id_len)) {
		log_err("802.1X supplicant: EAP-Success without keys");
		if (k)
			secmem_free(k, sizeof(*k));
		held(s);
		return;
	}
	memcpy(k->auth_mac, s->auth, 6);
	snprintf(s->tls_version, sizeof(s->tls_version), "%s", eap_tls_version(s->tls));
	clear_exchange(s);
	loop_timer_stop(s->loop, &s->t_start);
	set_state(s, S_AUTHENTICATED);
	s->cnt.auth_success++;
	if (!s->authorized)
		s->since = now;
	s->authorized = true;
	s->last_auth = now;
	log_info("802.1X supplicant: authenticated (EAP-TLS, %s) as \"%s\"", s->tls_version,
		 s->conf.identity);
	s->ops.authenticated(s->ctx, k);
	crypto_wipe(k, sizeof(*k));
	secmem_free(k, sizeof(*k));
}

/* Received --------------------------------------------------------------- */

static void malformed(struct pae_supp *s, const char *why)
{
	s->cnt.rx_malformed++;
	log_dbg("802.1X supplicant: malformed frame dropped: %s", why);
}

static void unexpected(struct pae_supp *s, const char *what)
{
	s->cnt.rx_unexpected++;
	log_dbg("802.1X supplicant: %s in %s dropped", what, state_names[s->state]);
}

static void identity(struct pae_supp *s, const uint8_t *src, const uint8_t *req, size_t n)
{
	size_t il = strlen(s->conf.identity);
	uint8_t resp[EAP_HDR_LEN + 1 + PAE_IDENTITY_MAX];

	if (s->state == S_AUTHENTICATED)
		log_info("802.1X supplicant: re-authentication");
	clear_exchange(s);
	loop_timer_stop(s->loop, &s->t_start);
	memcpy(s->auth, src, 6);
	s->have_auth = true;
	set_state(s, S_AUTHENTICATING);
	loop_timer_at(s->loop, &s->t_auth, loop_now(s->loop) + s->conf.auth_period);
	resp[0] = EAP_RESPONSE;
	resp[1] = req[1];
	resp[2] = (uint8_t)((EAP_HDR_LEN + 1 + il) >> 8);
	resp[3] = (uint8_t)(EAP_HDR_LEN + 1 + il);
	resp[4] = EAP_T_IDENTITY;
	memcpy(resp + 5, s->conf.identity, il);
	send_resp(s, req, n, resp, EAP_HDR_LEN + 1 + il);
}

static void method(struct pae_supp *s, const uint8_t *req, size_t n)
{
	static uint8_t resp[PAE_EAP_MAX];
	const char *why = "";
	enum eap_tls_rc rc;
	size_t len;

	rc = eap_tls_process(s->tls, req, n, resp, sizeof(resp), &len, &why);
	if (rc == EAP_TLS_DROP) {
		malformed(s, why);
		return;
	}
	s->eap_method = EAP_T_TLS;
	s->method_done = rc == EAP_TLS_DONE;
	loop_timer_at(s->loop, &s->t_auth, loop_now(s->loop) + s->conf.auth_period);
	send_resp(s, req, n, resp, len);
	crypto_wipe(resp, len);
}

static void request(struct pae_supp *s, const uint8_t *src, const uint8_t *req, size_t n)
{
	uint8_t resp[EAP_HDR_LEN + 1 + 1] = { EAP_RESPONSE, req[1], 0, EAP_HDR_LEN + 1 };

	if (n < EAP_HDR_LEN + 1) {
		malformed(s, "EAP-Request without a Type");
		return;
	}
	if (s->have_last && n == s->last_req_len && !memcmp(req, s->last_req, n)) {
		uint8_t f[PAE_FRAME_MAX];

		s->cnt.rx_retrans++;
		xmit(s, f, eapol_build(f, mka_pae_group, s->own, s->conf.eapol_version,
				       s->last_resp, s->last_resp_len));
		return;
	}
	if (req[4] == EAP_T_IDENTITY) {
		s->cnt.rx_req++;
		identity(s, src, req, n);
		return;
	}
	if (s->state != S_AUTHENTICATING) {
		unexpected(s, "EAP-Request outside an exchange");
		return;
	}
	s->cnt.rx_req++;
	switch (req[4]) {
	case EAP_T_TLS:
		method(s, req, n);
		return;
	case EAP_T_NOTIFICATION:
		resp[4] = EAP_T_NOTIFICATION;
		break;
	default:
		/* a legacy Nak (RFC 3748 5.3.1): EAP-TLS is what we have */
		log_info("802.1X supplicant: %s asked for, Nak (EAP-TLS)",
			 pae_eap_type_name(req[4]));
		s->eap_method = req[4];
		resp[3] = EAP_HDR_LEN + 2;
		resp[4] = EAP_T_NAK;
		resp[5] = EAP_T_TLS;
		break;
	}
	loop_timer_at(s->loop, &s->t_auth, loop_now(s->loop) + s->conf.auth_period);
	send_resp(s, req, n, resp, resp[3]);
}

static void rx_eap(struct pae_supp *s, const uint8_t *src, const uint8_t *eap, size_t body)
{
	size_t n;

	if (body < EAP_HDR_LEN) {
		malformed(s, "EAP packet too short");
		return;
	}
	n = (size_t)(eap[2] << 8 | eap[3]);
	if (n < EAP_HDR_LEN || n > body) {
		malformed(s, "EAP length inconsistent with the EAPOL body");
		return;
	}
	if (eap[0] < EAP_REQUEST || eap[0] > EAP_FAILURE) {
		malformed(s, "unknown EAP code");
		return;
	}
	if (eap[0] == EAP_RESPONSE) {
		s->cnt.rx_ignored++;	/* another supplicant's */
		return;
	}
	if (s->state == S_HELD) {
		s->cnt.rx_held++;
		return;
	}
	if (s->have_auth && memcmp(src, s->auth, 6)) {
		s->cnt.rx_other_auth++;
		log_dbg("802.1X supplicant: EAP from another authenticator dropped");
		return;
	}
	switch (eap[0]) {
	case EAP_REQUEST:
		request(s, src, eap, n);
		break;
	case EAP_SUCCESS:
		if (s->state != S_AUTHENTICATING || !s->method_done)
			unexpected(s, "EAP-Success");
		else
			success(s);
		break;
	case EAP_FAILURE:
		if (s->state != S_AUTHENTICATING) {
			unexpected(s, "EAP-Failure");
			break;
		}
		s->cnt.auth_fail++;
		log_warn("802.1X supplicant: EAP-Failure, held for %u s", s->conf.held_period);
		held(s);
		break;
	}
}

void pae_supp_rx(struct pae_supp *s, const uint8_t *f, size_t len)
{
	const char *why = "";
	size_t body;
	int type;

	s->cnt.rx_eapol++;
	type = eapol_check(f, len, s->own, &body, &why);
	if (type < 0) {
		malformed(s, why);
		return;
	}
	if (s->state == S_DISCONNECTED) {
		s->cnt.rx_held++;
		return;
	}
	if (type == EAPOL_EAP)
		rx_eap(s, f + 6, f + ETH_HDR_LEN + EAPOL_HDR_LEN, body);
	else
		s->cnt.rx_ignored++;
}

/* Life ------------------------------------------------------------------ */

void pae_supp_link(struct pae_supp *s, bool up)
{
	if (up == s->link)
		return;
	s->link = up;
	if (up) {
		connecting(s);
		return;
	}
	clear_exchange(s);
	loop_timer_stop(s->loop, &s->t_start);
	loop_timer_stop(s->loop, &s->t_held);
	set_state(s, S_DISCONNECTED);
	s->have_auth = false;
	end_session(s, SUPP_END_LINK_DOWN);
}

struct pae_supp *pae_supp_new(struct loop *l, const uint8_t own_mac[6],
			      const struct pae_supp_conf *c, struct eap_tls *tls,
			      const struct pae_supp_ops *ops, void *ctx)
{
	struct pae_supp *s;

	if (c->eapol_version < 1 || c->eapol_version > 3 || !c->start_period ||
	    !c->max_start || !c->auth_period || !*c->identity || !tls) {
		log_err("802.1X supplicant: bad settings");
		return NULL;
	}
	s = secmem_alloc(sizeof(*s));
	if (!s)
		return NULL;
	s->loop = l;
	s->conf = *c;
	s->ops = *ops;
	s->ctx = ctx;
	s->tls = tls;
	memcpy(s->own, own_mac, 6);
	s->state = S_DISCONNECTED;
	loop_timer_init(&s->t_start, start_timeout, s);
	loop_timer_init(&s->t_held, held_timeout, s);
	loop_timer_init(&s->t_auth, auth_timeout, s);
	return s;
}

void pae_supp_free(struct pae_supp *s)
{
	if (!s)
		return;
	if (s->link) {
		send_type(s, EAPOL_LOGOFF);
		log_info("802.1X supplicant: EAPOL-Logoff sent");
	}
	clear_exchange(s);
	loop_timer_stop(s->loop, &s->t_start);
	loop_timer_stop(s->loop, &s->t_held);
	end_session(s, SUPP_END_CLOSED);
	crypto_wipe(s, sizeof(*s));
	secmem_free(s, sizeof(*s));
}

/* Status ---------------------------------------------------------------- */

void pae_supp_status(const struct pae_supp *s, struct pae_supp_status *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->state = state_names[s->state];
	for (i = 0; s->conf.identity[i]; i++) {
		unsigned char ch = (unsigned char)s->conf.identity[i];

		st->identity[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	st->eap_method = s->eap_method;
	st->tls_version = s->authorized ? s->tls_version : "";
	st->authorized = s->authorized;
	st->authenticated_since = s->since;
	st->last_auth = s->last_auth;
	st->have_auth = s->have_auth;
	memcpy(st->auth_mac, s->auth, 6);
}

const struct pae_supp_counters *pae_supp_counters(const struct pae_supp *s)
{
	return &s->cnt;
}
