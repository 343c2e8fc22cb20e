// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the Authenticator PAE (pae_auth.h) against a
 * fake supplicant and a fake authentication server, with simulated time:
 * the whole exchange (Start, Request/Identity, relay, Success and the
 * keys), Logoff (and ignore_logoff_secured), Reject and HELD, the
 * retransmissions and their end, re-authentication (new keys, failure),
 * a second supplicant, malformed frames, EAPOL versions, link down, an
 * ACCEPT without keys, server timeouts, and callbacks that re-enter.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "pae_auth.h"
#include "unit.h"

#define TX	3	/* tx_period of the tests */
#define QUIET	10
#define FMAX	1514

static const uint8_t own[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa };
static const uint8_t supp[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t other[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t group[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03 };

/* What the PAE did through its callbacks. */
static struct {
	struct pae_auth *a;
	int n_sent;
	uint8_t last[FMAX];
	size_t last_len;
	int n_srv;
	uint8_t srv_eap[FMAX];
	size_t srv_len;
	char srv_identity[PAE_IDENTITY_MAX + 1];
	uint8_t srv_mac[6];
	bool srv_new;
	int n_cancel, n_auth, n_ended;
	struct pae_keys keys;
	enum pae_end why;
	/* re-entering callbacks */
	bool down_in_ended, down_in_auth, answer_in_to_server;
} F;

static struct loop L;
static double T;

static int fk_send(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	F.n_sent++;
	memcpy(F.last, f, len < FMAX ? len : FMAX);
	F.last_len = len;
	return 0;
}

static const uint8_t challenge_tls[] = { 1, 0x40, 0, 6, 13, 0x20 };

static void fk_to_server(void *ctx, const uint8_t *eap, size_t len, const char *identity,
			 const uint8_t mac[6], bool new_exchange)
{
	(void)ctx;
	F.n_srv++;
	memcpy(F.srv_eap, eap, len);
	F.srv_len = len;
	snprintf(F.srv_identity, sizeof(F.srv_identity), "%s", identity);
	memcpy(F.srv_mac, mac, 6);
	F.srv_new = new_exchange;
	if (F.answer_in_to_server)
		pae_auth_server_answer(F.a, PAE_SRV_CHALLENGE, challenge_tls,
				       sizeof(challenge_tls), NULL, 0, NULL, 0);
}

static void fk_cancel(void *ctx)
{
	(void)ctx;
	F.n_cancel++;
}

static void fk_auth(void *ctx, const struct pae_keys *k)
{
	(void)ctx;
	F.n_auth++;
	F.keys = *k;
	if (F.down_in_auth)
		pae_auth_link(F.a, false);
}

static void fk_ended(void *ctx, enum pae_end reason)
{
	(void)ctx;
	F.n_ended++;
	F.why = reason;
	if (F.down_in_ended)
		pae_auth_link(F.a, false);
}

static const struct pae_auth_ops fk_ops = {
	.send = fk_send,
	.to_server = fk_to_server,
	.server_cancel = fk_cancel,
	.authenticated = fk_auth,
	.ended = fk_ended,
};

static void conf_test(struct pae_auth_conf *c)
{
	pae_auth_conf_init(c);
	c->tx_period = TX;
	c->quiet_period = QUIET;
	c->reauth_period = 0;
}

/* A PAE on a fresh loop, link up. */
static struct pae_auth *setup(const struct pae_auth_conf *c)
{
	struct pae_auth_conf d;

	if (!c) {
		conf_test(&d);
		c = &d;
	}
	memset(&F, 0, sizeof(F));
	T = 1000;
	loop_init_manual(&L, T);
	F.a = pae_auth_new(&L, own, c, &fk_ops, NULL);
	if (F.a)
		pae_auth_link(F.a, true);
	return F.a;
}

static void teardown(void)
{
	pae_auth_free(F.a);
	F.a = NULL;
	loop_fini(&L);
}

/* Simulated time goes on by dt, each timer firing at its time. */
static void adv(double dt)
{
	double end = T + dt;

	while (L.timers && L.timers->at <= end) {
		T = L.timers->at;
		loop_advance(&L, T);
	}
	T = end;
	loop_advance(&L, T);
}

/* Frames of the supplicant ----------------------------------------------- */

static size_t eapol(uint8_t *f, const uint8_t *src, uint8_t ver, uint8_t type,
		    const uint8_t *body, size_t blen)
{
	size_t n = 18 + blen;

	memcpy(f, group, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0x8e;
	f[14] = ver;
	f[15] = type;
	f[16] = (uint8_t)(blen >> 8);
	f[17] = (uint8_t)blen;
	if (blen)
		memcpy(f + 18, body, blen);
	if (n < 60) {
		memset(f + n, 0, 60 - n);
		n = 60;
	}
	return n;
}

static size_t eap_resp(uint8_t *f, const uint8_t *src, uint8_t ver, uint8_t id, uint8_t type,
		       const char *data)
{
	uint8_t b[400];
	size_t dl = strlen(data), n = 5 + dl;

	b[0] = 2;
	b[1] = id;
	b[2] = (uint8_t)(n >> 8);
	b[3] = (uint8_t)n;
	b[4] = type;
	memcpy(b + 5, data, dl);
	return eapol(f, src, ver, 0, b, n);
}

static void rx_start(const uint8_t *src, uint8_t ver)
{
	uint8_t f[64];

	pae_auth_rx(F.a, f, eapol(f, src, ver, 1, NULL, 0));
}

static void rx_logoff(const uint8_t *src)
{
	uint8_t f[64];

	pae_auth_rx(F.a, f, eapol(f, src, 2, 2, NULL, 0));
}

static void rx_resp(const uint8_t *src, uint8_t ver, uint8_t id, uint8_t type, const char *data)
{
	uint8_t f[FMAX];

	pae_auth_rx(F.a, f, eap_resp(f, src, ver, id, type, data));
}

/* The last frame sent: an EAP packet of code (and id, if >= 0) to dst. */
static int sent_eap(const uint8_t *dst, uint8_t ver, uint8_t code, int id)
{
	const uint8_t *f = F.last;

	return check(F.last_len >= 60 && F.last_len >= 18 + (size_t)(f[16] << 8 | f[17]),
		     "frame of %zu octets", F.last_len) &&
	       check(!memcmp(f, dst, 6), "dst %02x:..:%02x", f[0], f[5]) &&
	       check(!memcmp(f + 6, own, 6), "src") &&
	       check(f[12] == 0x88 && f[13] == 0x8e, "EtherType %02x%02x", f[12], f[13]) &&
	       check(f[14] == ver, "EAPOL version %u, not %u", f[14], ver) &&
	       check(f[15] == 0, "EAPOL type %u", f[15]) &&
	       check(f[18] == code, "EAP code %u, expected %u", f[18], code) &&
	       check(id < 0 || f[19] == id, "EAP id %u, expected %d", f[19], id) &&
	       check((f[20] << 8 | f[21]) == (f[16] << 8 | f[17]), "EAP length");
}

static int sent_req_identity(const uint8_t *dst, uint8_t ver)
{
	return sent_eap(dst, ver, 1, -1) &&
	       check(F.last[21] == 5 && F.last[22] == 1, "not a Request/Identity");
}

static uint8_t last_id(void)
{
	return F.last[19];
}

static const char *state(void)
{
	return pae_auth_state_name(F.a);
}

static const struct pae_counters *cnt(void)
{
	return pae_auth_counters(F.a);
}

/* A whole exchange ------------------------------------------------------- */

static uint8_t msk[64], sid[65];
static uint8_t srv_id = 0x40;

/* The server's Request (EAP-TLS), its Identifier srv_id. */
static void srv_challenge(void)
{
	uint8_t req[] = { 1, srv_id, 0, 6, 13, 0x20 };

	pae_auth_server_answer(F.a, PAE_SRV_CHALLENGE, req, sizeof(req), NULL, 0, NULL, 0);
}

static void srv_accept(uint8_t k)
{
	uint8_t ok[] = { 3, srv_id, 0, 4 };

	memset(msk, k, sizeof(msk));
	memset(sid, k + 1, sizeof(sid));
	sid[0] = 13;
	pae_auth_server_answer(F.a, PAE_SRV_ACCEPT, ok, sizeof(ok), msk, sizeof(msk),
			       sid, sizeof(sid));
}

/*
 * Start (unless a Request/Identity is already out), Response/Identity,
 * Challenge, Response, Accept with keys of octet k; the checks on the way.
 */
static int authenticate(bool send_start, uint8_t k, const char *identity)
{
	int srv = F.n_srv, auth = F.n_auth;
	uint8_t id;

	if (send_start)
		rx_start(supp, 2);
	if (!check(sent_req_identity(supp, 2), "Request/Identity: %s", why))
		return 0;
	id = last_id();
	rx_resp(supp, 2, id, 1, identity);
	if (!check(F.n_srv == srv + 1 && F.srv_new && !strcmp(F.srv_identity, identity) &&
		   !memcmp(F.srv_mac, supp, 6) && F.srv_len == 5 + strlen(identity) &&
		   F.srv_eap[0] == 2 && F.srv_eap[1] == id && F.srv_eap[4] == 1,
		   "Response/Identity not relayed (%d, new %d, \"%s\")", F.n_srv - srv,
		   F.srv_new, F.srv_identity))
		return 0;
	srv_id++;
	srv_challenge();
	if (!check(sent_eap(supp, 2, 1, srv_id) && F.last[22] == 13, "challenge: %s", why))
		return 0;
	rx_resp(supp, 2, srv_id, 13, "tls");
	if (!check(F.n_srv == srv + 2 && !F.srv_new && F.srv_eap[1] == srv_id &&
		   F.srv_eap[4] == 13 && F.srv_len == 8, "Response not relayed") ||
	    !check(!strcmp(state(), "AUTHENTICATING"), "state %s", state()))
		return 0;
	srv_accept(k);
	return check(sent_eap(supp, 2, 3, srv_id), "Success: %s", why) &&
	       check(F.n_auth == auth + 1, "authenticated: %d", F.n_auth - auth) &&
	       check(F.keys.msk_len == 64 && F.keys.msk[63] == k && F.keys.session_id_len == 65 &&
		     F.keys.session_id[0] == 13 && F.keys.session_id[64] == k + 1, "keys") &&
	       check(!memcmp(F.keys.supp_mac, supp, 6) && !strcmp(F.keys.identity, identity),
		     "identity %s", F.keys.identity) &&
	       check(!strcmp(state(), "AUTHENTICATED"), "state %s", state());
}

/* The tests -------------------------------------------------------------- */

static void t_pae_exchange(void)
{
	struct pae_auth_status st;
	int ok, n;

	ok = check(setup(NULL) != NULL, "pae_auth_new") &&
	     check(F.n_sent == 1 && sent_req_identity(group, 2), "link up: %s", why) &&
	     check(!strcmp(state(), "CONNECTING"), "state %s", state());
	/* a Start crossing the Request: the same Request again, to the supplicant */
	n = last_id();
	rx_start(supp, 2);
	ok = ok && check(F.n_sent == 2 && sent_req_identity(supp, 2) && last_id() == n,
			 "Start: %s", why);
	/* a Response to another Identifier goes nowhere */
	rx_resp(supp, 2, (uint8_t)(n + 1), 1, "bob");
	ok = ok && check(F.n_srv == 0 && cnt()->rx_bad_id == 1, "bad id relayed");
	ok = ok && authenticate(false, 0x11, "bob");
	pae_auth_status(F.a, &st);
	ok = ok && check(st.authorized && st.authenticated_since == T && st.have_supp &&
			 !memcmp(st.supp_mac, supp, 6) && !strcmp(st.identity, "bob") &&
			 st.eap_method == 13 && !strcmp(st.state, "AUTHENTICATED") &&
			 !st.next_reauth, "status") &&
	     check(cnt()->auth_success == 1 && cnt()->rx_eap_resp == 2 && cnt()->rx_start == 1 &&
		   !cnt()->rx_malformed && F.n_cancel == 0 && F.n_ended == 0, "counters") &&
	     check(!strcmp(pae_eap_type_name(13), "EAP-TLS"), "method name");
	teardown();
	ok = ok && check(F.n_ended == 1 && F.why == PAE_END_CLOSED, "free: ended %d", F.n_ended);
	result(ok, "802.1X PAE: Start, Request/Identity, relayed exchange, Success and keys");
}

static void t_pae_group_addr(void)
{
	struct pae_auth_conf c;
	int ok;

	conf_test(&c);
	c.use_pae_group_addr = true;
	c.eapol_version = 3;
	ok = check(setup(&c) != NULL, "new");
	rx_start(supp, 2);
	ok = ok && check(sent_req_identity(group, 3), "%s", why);
	rx_resp(supp, 2, last_id(), 1, "alice");
	srv_id++;
	srv_challenge();
	ok = ok && check(sent_eap(group, 3, 1, srv_id), "%s", why);
	teardown();
	c.eapol_version = 0;
	ok = ok && check(!pae_auth_new(&L, own, &c, &fk_ops, NULL), "eapol_version 0 taken");
	c.eapol_version = 4;
	ok = ok && check(!pae_auth_new(&L, own, &c, &fk_ops, NULL), "eapol_version 4 taken");
	c.eapol_version = 1;
	c.tx_period = 0;
	ok = ok && check(!pae_auth_new(&L, own, &c, &fk_ops, NULL), "tx_period 0 taken");
	result(ok, "802.1X PAE: use_pae_group_addr and eapol_version 3 sent; bad settings refused");
}

static void t_pae_logoff(void)
{
	struct pae_auth_conf c;
	int ok;

	ok = check(setup(NULL) != NULL, "new") && authenticate(true, 1, "bob");
	rx_logoff(supp);
	ok = ok && check(F.n_ended == 1 && F.why == PAE_END_LOGOFF, "ended %d why %d",
			 F.n_ended, F.why) &&
	     check(!strcmp(state(), "CONNECTING") && sent_req_identity(group, 2),
		   "after Logoff: %s %s", state(), why) &&
	     check(cnt()->rx_logoff == 1, "rx_logoff");
	/* a new supplicant may come now */
	rx_start(other, 2);
	ok = ok && check(sent_req_identity(other, 2), "other after Logoff: %s", why);
	teardown();
	result(ok, "802.1X PAE: EAPOL-Logoff ends the session at once");

	conf_test(&c);
	c.ignore_logoff_secured = true;
	ok = check(setup(&c) != NULL, "new") && authenticate(true, 1, "bob");
	pae_auth_set_secured(F.a, true);
	rx_logoff(supp);
	rx_logoff(supp);
	ok = ok && check(F.n_ended == 0 && !strcmp(state(), "AUTHENTICATED"),
			 "secured session ended by a Logoff") &&
	     check(cnt()->logoff_ignored == 2, "logoff_ignored %llu",
		   (unsigned long long)cnt()->logoff_ignored);
	pae_auth_set_secured(F.a, false);
	rx_logoff(supp);
	ok = ok && check(F.n_ended == 1 && F.why == PAE_END_LOGOFF, "not secured: not ended");
	teardown();
	result(ok, "802.1X PAE: ignore_logoff_secured ignores Logoff while secured, not else");
}

static void t_pae_reject(void)
{
	uint8_t fail[] = { 4, 0, 0, 4 };
	struct pae_auth_status st;
	int ok, sent;

	ok = check(setup(NULL) != NULL, "new");
	rx_start(supp, 2);
	rx_resp(supp, 2, last_id(), 1, "mallory");
	srv_id++;
	srv_challenge();
	rx_resp(supp, 2, srv_id, 13, "x");
	fail[1] = srv_id;
	pae_auth_server_answer(F.a, PAE_SRV_REJECT, fail, sizeof(fail), NULL, 0, NULL, 0);
	ok = ok && check(sent_eap(supp, 2, 4, srv_id), "Failure: %s", why) &&
	     check(!strcmp(state(), "HELD") && F.n_auth == 0 && F.n_ended == 0,
		   "state %s auth %d ended %d", state(), F.n_auth, F.n_ended) &&
	     check(cnt()->auth_fail == 1, "auth_fail");
	pae_auth_status(F.a, &st);
	ok = ok && check(!st.authorized && !st.have_supp, "status after reject");
	sent = F.n_sent;
	adv(QUIET - 1);
	rx_start(supp, 2);
	rx_resp(supp, 2, srv_id, 13, "x");
	ok = ok && check(F.n_sent == sent && !strcmp(state(), "HELD") && cnt()->rx_held == 2,
			 "HELD answered: sent %d, %s", F.n_sent - sent, state());
	adv(1.05);
	ok = ok && check(!strcmp(state(), "CONNECTING") && F.n_sent == sent + 1 &&
			 sent_req_identity(group, 2), "after quietPeriod: %s %s", state(), why);
	/* a Reject without an EAP packet: a Failure with the last Identifier */
	rx_resp(supp, 2, last_id(), 1, "mallory");
	srv_id++;
	srv_challenge();
	rx_resp(supp, 2, srv_id, 13, "x");
	pae_auth_server_answer(F.a, PAE_SRV_REJECT, NULL, 0, NULL, 0, NULL, 0);
	ok = ok && check(sent_eap(supp, 2, 4, srv_id), "built Failure: %s", why) &&
	     check(!strcmp(state(), "HELD"), "state %s", state());
	teardown();
	result(ok, "802.1X PAE: Reject sends EAP-Failure, HELD ignores Start for quietPeriod");
}

static void t_pae_retransmit(void)
{
	int ok, sent;
	uint8_t id, id2;

	ok = check(setup(NULL) != NULL, "new");
	rx_start(supp, 2);
	id = last_id();
	sent = F.n_sent;
	adv(TX - 0.2);
	ok = ok && check(F.n_sent == sent, "sent before tx_period");
	adv(0.3);
	ok = ok && check(F.n_sent == sent + 1 && sent_req_identity(supp, 2) && last_id() == id,
			 "first retransmission: %s", why);
	adv(TX);
	ok = ok && check(F.n_sent == sent + 2 && last_id() == id, "second retransmission");
	adv(TX - 0.2);
	ok = ok && check(F.n_sent == sent + 2 && cnt()->auth_timeout == 0, "a third one");
	adv(0.3);
	ok = ok && check(cnt()->auth_timeout == 1, "no abort after max_req") &&
	     check(F.n_sent == sent + 3 && sent_req_identity(group, 2) && last_id() != id,
		   "a new Request/Identity to the group address after the abort: %s", why) &&
	     check(!strcmp(state(), "CONNECTING"), "state %s", state());
	/* the supplicant is forgotten: another one may start */
	rx_start(other, 2);
	ok = ok && check(sent_req_identity(other, 2), "another supplicant: %s", why);
	rx_resp(other, 2, last_id(), 1, "carol");
	srv_id++;
	srv_challenge();
	id2 = srv_id;
	sent = F.n_sent;
	adv(TX + 0.05);
	ok = ok && check(F.n_sent == sent + 1 && sent_eap(other, 2, 1, id2),
			 "server's Request not sent again: %s", why);
	adv(2 * TX);
	ok = ok && check(F.n_cancel == 1 && cnt()->auth_timeout == 2, "cancel %d timeout %llu",
			 F.n_cancel, (unsigned long long)cnt()->auth_timeout) &&
	     check(sent_req_identity(group, 2), "after the abort: %s", why);
	/* the idle port: a Request/Identity every tx_period, no timeout counted */
	sent = F.n_sent;
	adv(6 * TX + 0.05);
	ok = ok && check(F.n_sent == sent + 6 && cnt()->auth_timeout == 2,
			 "idle port: %d Requests", F.n_sent - sent);
	teardown();
	result(ok, "802.1X PAE: Requests sent again every tx_period, max_req times, then abort");
}

static void t_pae_reauth(void)
{
	struct pae_auth_conf c;
	struct pae_auth_status st;
	double since;
	int ok, sent;
	uint8_t fail[] = { 4, 0, 0, 4 };

	conf_test(&c);
	c.reauth_period = 100;
	ok = check(setup(&c) != NULL, "new") && authenticate(true, 1, "bob");
	since = T;
	pae_auth_status(F.a, &st);
	ok = ok && check(st.next_reauth == T + 100, "next_reauth %f", st.next_reauth);
	sent = F.n_sent;
	adv(99.9);
	ok = ok && check(F.n_sent == sent, "re-authenticated early");
	adv(0.2);
	pae_auth_status(F.a, &st);
	ok = ok && check(F.n_sent == sent + 1 && sent_req_identity(supp, 2), "no reauth: %s",
			 why) &&
	     check(st.authorized && !strcmp(st.state, "CONNECTING"), "session during reauth");
	ok = ok && authenticate(false, 2, "bob");
	pae_auth_status(F.a, &st);
	ok = ok && check(F.n_auth == 2 && F.keys.msk[0] == 2 && F.n_ended == 0,
			 "second authenticated: %d", F.n_auth) &&
	     check(st.authenticated_since == since && st.last_auth == T, "since");
	result(ok, "802.1X PAE: re-authentication timer gives new keys, session kept");

	/* a supplicant that does not answer a re-authentication keeps its session */
	adv(100.05);
	adv(3 * TX + 0.1);
	pae_auth_status(F.a, &st);
	ok = check(!strcmp(state(), "AUTHENTICATED") && F.n_ended == 0 && st.authorized &&
		   cnt()->auth_timeout == 1, "after a silent reauth: %s", state()) &&
	     check(st.next_reauth > T + 99, "next reauth %f", st.next_reauth - T);
	/* EAPOL-Start from the supplicant: a re-authentication, then a Reject */
	rx_start(supp, 2);
	ok = ok && check(sent_req_identity(supp, 2) && st.authorized, "Start: %s", why);
	rx_resp(supp, 2, last_id(), 1, "bob");
	ok = ok && check(F.srv_new, "new_exchange");
	srv_id++;
	srv_challenge();
	rx_resp(supp, 2, srv_id, 13, "x");
	fail[1] = srv_id;
	pae_auth_server_answer(F.a, PAE_SRV_REJECT, fail, sizeof(fail), NULL, 0, NULL, 0);
	pae_auth_status(F.a, &st);
	ok = ok && check(F.n_ended == 1 && F.why == PAE_END_REAUTH_FAILED, "ended %d why %d",
			 F.n_ended, F.why) &&
	     check(sent_eap(supp, 2, 4, srv_id) && !strcmp(st.state, "HELD") && !st.authorized,
		   "after a failed reauth: %s %s", st.state, why);
	teardown();
	ok = ok && check(F.n_ended == 1, "free ended a dead session");
	result(ok, "802.1X PAE: Reject of a re-authentication ends the session (REAUTH_FAILED)");

	/* the control socket's re-authentication */
	ok = check(setup(NULL) != NULL, "new") && authenticate(true, 3, "bob");
	pae_auth_reauthenticate(F.a);
	ok = ok && check(sent_req_identity(supp, 2), "%s", why) && authenticate(false, 4, "bob") &&
	     check(F.n_auth == 2 && F.n_ended == 0, "auth %d", F.n_auth);
	teardown();
	result(ok, "802.1X PAE: pae_auth_reauthenticate re-authenticates now");
}

static void t_pae_other(void)
{
	int ok, srv, sent;

	ok = check(setup(NULL) != NULL, "new");
	rx_start(supp, 2);
	sent = F.n_sent;
	rx_start(other, 2);
	rx_resp(other, 2, last_id(), 1, "eve");
	ok = ok && check(F.n_sent == sent && F.n_srv == 0 && cnt()->rx_other_supp == 2,
			 "during the exchange: sent %d srv %d", F.n_sent - sent, F.n_srv);
	ok = ok && authenticate(false, 1, "bob");
	srv = F.n_srv;
	sent = F.n_sent;
	rx_start(other, 2);
	rx_logoff(other);
	rx_resp(other, 2, srv_id, 13, "x");
	ok = ok && check(F.n_sent == sent && F.n_srv == srv && F.n_ended == 0 &&
			 !strcmp(state(), "AUTHENTICATED") && cnt()->rx_other_supp == 5,
			 "during the session: other %llu",
			 (unsigned long long)cnt()->rx_other_supp);
	teardown();
	result(ok, "802.1X PAE: frames of a second supplicant dropped and counted");
}

static void t_pae_malformed(void)
{
	uint8_t f[FMAX], body[16];
	const struct pae_counters *c;
	uint64_t bad;
	int ok, sent, srv, auth, i;
	size_t n;

	ok = check(setup(NULL) != NULL, "new") && authenticate(true, 1, "bob");
	c = cnt();
	sent = F.n_sent;
	srv = F.n_srv;
	auth = F.n_auth;
	bad = c->rx_malformed;

	n = eap_resp(f, supp, 2, srv_id, 13, "abc");
	pae_auth_rx(F.a, f, 17);				/* short */
	pae_auth_rx(F.a, f, 0);
	ok = ok && check(c->rx_malformed == bad + 2, "short frame");
	f[17] = 80;						/* body beyond the frame */
	pae_auth_rx(F.a, f, n);
	ok = ok && check(c->rx_malformed == bad + 3, "body length");
	f[17] = 8;
	f[21] = 9;						/* EAP length > body */
	pae_auth_rx(F.a, f, n);
	f[21] = 3;						/* EAP length < 4 */
	pae_auth_rx(F.a, f, n);
	f[21] = 4;						/* a Response without Type */
	pae_auth_rx(F.a, f, n);
	ok = ok && check(c->rx_malformed == bad + 6, "EAP length");
	f[21] = 8;
	for (i = 1; i <= 6; i++) {				/* codes but Response */
		if (i == 2)
			continue;
		f[18] = (uint8_t)i;
		pae_auth_rx(F.a, f, n);
	}
	ok = ok && check(c->rx_malformed == bad + 11, "EAP codes");
	f[18] = 2;
	f[14] = 0;						/* version 0 */
	pae_auth_rx(F.a, f, n);
	f[14] = 2;
	f[12] = 0x08;						/* not EAPOL */
	pae_auth_rx(F.a, f, n);
	f[12] = 0x88;
	f[6] = 0x03;						/* group source */
	pae_auth_rx(F.a, f, n);
	f[6] = 0x02;
	memset(body, 0, sizeof(body));
	pae_auth_rx(F.a, f, eapol(f, supp, 2, 0, body, 3));	/* EAP header cut */
	ok = ok && check(c->rx_malformed == bad + 15, "version, EtherType, source: %llu",
			 (unsigned long long)(c->rx_malformed - bad));
	rx_resp(supp, 2, (uint8_t)(srv_id + 1), 13, "abc");	/* not outstanding */
	rx_resp(supp, 2, srv_id, 13, "abc");
	ok = ok && check(c->rx_bad_id == 2, "bad id %llu", (unsigned long long)c->rx_bad_id);
	for (i = 3; i <= 8; i++) {				/* Key, ASF, MKA, announcements */
		body[0] = 0;
		pae_auth_rx(F.a, f, eapol(f, supp, 3, (uint8_t)i, body, 4));
	}
	ok = ok && check(c->rx_ignored_type == 6, "ignored %llu",
			 (unsigned long long)c->rx_ignored_type) &&
	     check(F.n_sent == sent && F.n_srv == srv && F.n_auth == auth && F.n_ended == 0 &&
		   F.n_cancel == 0 && !strcmp(state(), "AUTHENTICATED"),
		   "the session moved: sent %d, %s", F.n_sent - sent, state());
	teardown();
	result(ok, "802.1X PAE: malformed frames counted, an authenticated session untouched");
}

static void t_pae_versions(void)
{
	struct pae_auth_conf c;
	int ok = 1;
	uint8_t v;

	for (v = 1; v <= 4 && ok; v++) {
		conf_test(&c);
		c.eapol_version = v < 4 ? v : 2;
		ok = check(setup(&c) != NULL, "new");
		rx_start(supp, v);
		ok = ok && check(sent_req_identity(supp, c.eapol_version), "v%u: %s", v, why);
		rx_resp(supp, v, last_id(), 1, "bob");
		ok = ok && check(F.n_srv == 1 && !cnt()->rx_malformed, "version %u refused", v);
		teardown();
	}
	result(ok, "802.1X PAE: EAPOL versions 1, 2, 3 and 4 accepted, the configured one sent");
}

static void t_pae_link(void)
{
	int ok, sent;

	ok = check(setup(NULL) != NULL, "new") && authenticate(true, 1, "bob");
	pae_auth_link(F.a, false);
	ok = ok && check(F.n_ended == 1 && F.why == PAE_END_LINK_DOWN, "ended %d", F.n_ended) &&
	     check(!strcmp(state(), "DISCONNECTED"), "state %s", state());
	sent = F.n_sent;
	rx_start(supp, 2);
	adv(10 * TX);
	ok = ok && check(F.n_sent == sent, "sent while down");
	pae_auth_link(F.a, true);
	ok = ok && check(F.n_sent == sent + 1 && sent_req_identity(group, 2), "link up: %s", why);
	/* down during the server's turn: the server is told */
	rx_start(supp, 2);
	rx_resp(supp, 2, last_id(), 1, "bob");
	pae_auth_link(F.a, false);
	ok = ok && check(F.n_cancel == 1 && F.n_ended == 1, "cancel %d ended %d", F.n_cancel,
			 F.n_ended);
	sent = F.n_sent;
	srv_id++;
	srv_challenge();		/* late: ignored */
	ok = ok && check(F.n_sent == sent, "late answer relayed");
	teardown();
	result(ok, "802.1X PAE: link down ends the session and the exchange");
}

static void t_pae_nokeys(void)
{
	uint8_t ok_pkt[] = { 3, 0, 0, 4 };
	int ok;

	ok = check(setup(NULL) != NULL, "new");
	rx_start(supp, 2);
	rx_resp(supp, 2, last_id(), 1, "bob");
	srv_id++;
	srv_challenge();
	rx_resp(supp, 2, srv_id, 13, "x");
	ok_pkt[1] = srv_id;
	memset(msk, 1, sizeof(msk));
	pae_auth_server_answer(F.a, PAE_SRV_ACCEPT, ok_pkt, 4, msk, 64, NULL, 0);
	ok = ok && check(sent_eap(supp, 2, 4, srv_id), "no Failure: %s", why) &&
	     check(!strcmp(state(), "HELD") && F.n_auth == 0 && cnt()->auth_fail == 1,
		   "state %s", state());
	teardown();
	/* during a re-authentication: the session ends */
	setup(NULL);
	ok = ok && check(F.a != NULL, "new") && authenticate(true, 1, "bob");
	pae_auth_reauthenticate(F.a);
	rx_resp(supp, 2, last_id(), 1, "bob");
	ok_pkt[1] = last_id();
	pae_auth_server_answer(F.a, PAE_SRV_ACCEPT, ok_pkt, 4, msk, 16, sid, 10);
	ok = ok && check(F.n_auth == 1 && F.n_ended == 1 && F.why == PAE_END_FAILURE,
			 "short MSK: auth %d ended %d", F.n_auth, F.n_ended) &&
	     check(sent_eap(supp, 2, 4, ok_pkt[1]), "Failure: %s", why);
	teardown();
	result(ok, "802.1X PAE: Accept without MSK or Session-Id is a failure (EAP-Failure, HELD)");
}

static void t_pae_timeout(void)
{
	struct pae_auth_status st;
	int ok;

	ok = check(setup(NULL) != NULL, "new");
	rx_start(supp, 2);
	rx_resp(supp, 2, last_id(), 1, "bob");
	pae_auth_server_answer(F.a, PAE_SRV_TIMEOUT, NULL, 0, NULL, 0, NULL, 0);
	pae_auth_status(F.a, &st);
	ok = ok && check(!strcmp(st.state, "CONNECTING") && sent_req_identity(group, 2) &&
			 !st.have_supp && cnt()->auth_timeout == 1 && F.n_cancel == 0,
			 "not authorized: %s %s", st.state, why);
	ok = ok && authenticate(true, 1, "bob");
	pae_auth_reauthenticate(F.a);
	rx_resp(supp, 2, last_id(), 1, "bob");
	pae_auth_server_answer(F.a, PAE_SRV_TIMEOUT, NULL, 0, NULL, 0, NULL, 0);
	ok = ok && check(!strcmp(state(), "AUTHENTICATED") && F.n_ended == 0,
			 "authorized: %s", state());
	/* the server never answers: the backstop */
	pae_auth_reauthenticate(F.a);
	rx_resp(supp, 2, last_id(), 1, "bob");
	adv(PAE_SERVER_BACKSTOP + 0.1);
	ok = ok && check(F.n_cancel == 1 && !strcmp(state(), "AUTHENTICATED") &&
			 cnt()->auth_timeout == 3, "backstop: cancel %d %s", F.n_cancel, state());
	teardown();
	result(ok, "802.1X PAE: server TIMEOUT aborts the exchange, a session stays");
}

static void t_pae_reentry(void)
{
	int ok;

	/* ended() takes the link down */
	ok = check(setup(NULL) != NULL, "new") && authenticate(true, 1, "bob");
	F.down_in_ended = true;
	rx_logoff(supp);
	ok = ok && check(F.n_ended == 1 && F.why == PAE_END_LOGOFF &&
			 !strcmp(state(), "DISCONNECTED"), "ended %d %s", F.n_ended, state());
	teardown();
	/* authenticated() takes the link down: ended once, nothing after */
	setup(NULL);
	ok = ok && check(F.a != NULL, "new");
	F.down_in_auth = true;
	authenticate(true, 1, "bob");	/* its last check fails: the link went down */
	ok = ok && check(F.n_auth == 1 && F.n_ended == 1 && F.why == PAE_END_LINK_DOWN &&
		   !strcmp(state(), "DISCONNECTED"), "auth %d ended %d %s", F.n_auth, F.n_ended,
		   state());
	teardown();
	ok = ok && check(F.n_ended == 1, "ended again at free");
	/* the server answers from within to_server */
	setup(NULL);
	ok = ok && check(F.a != NULL, "new");
	F.answer_in_to_server = true;
	rx_start(supp, 2);
	rx_resp(supp, 2, last_id(), 1, "bob");
	ok = ok && check(sent_eap(supp, 2, 1, challenge_tls[1]) &&
			 !strcmp(state(), "AUTHENTICATING"), "inline answer: %s %s", state(), why);
	teardown();
	result(ok, "802.1X PAE: callbacks that take the link down or answer at once");
}

static void t_pae_identity(void)
{
	char id[400], want[PAE_IDENTITY_MAX + 1];
	struct pae_auth_status st;
	int ok;

	memset(id, 'a', 300);
	id[300] = 0;
	id[1] = '\t';
	memcpy(want, id, PAE_IDENTITY_MAX);
	want[1] = '?';
	want[PAE_IDENTITY_MAX] = 0;
	ok = check(setup(NULL) != NULL, "new");
	rx_start(supp, 2);
	rx_resp(supp, 2, last_id(), 1, id);
	pae_auth_status(F.a, &st);
	ok = ok && check(F.n_srv == 1 && F.srv_len == 305, "relayed whole: %zu", F.srv_len) &&
	     check(strlen(F.srv_identity) == PAE_IDENTITY_MAX && F.srv_identity[1] == '\t',
		   "User-Name: %zu", strlen(F.srv_identity)) &&
	     check(!strcmp(st.identity, want), "status identity");
	teardown();
	result(ok, "802.1X PAE: identity kept to 253 octets, printable in the status");
}

void t_pae(void)
{
	t_pae_exchange();
	t_pae_group_addr();
	t_pae_logoff();
	t_pae_reject();
	t_pae_retransmit();
	t_pae_reauth();
	t_pae_other();
	t_pae_malformed();
	t_pae_versions();
	t_pae_link();
	t_pae_nokeys();
	t_pae_timeout();
	t_pae_reentry();
	t_pae_identity();
}
