// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the 802.1X supplicant. Its PAE (pae_supp.h)
 * against a fake authenticator with simulated time: EAPOL-Start on link
 * up and its retransmissions, the identity, a retransmitted Request, a
 * Nak, EAP-Failure and HELD, malformed frames counted and dropped, the
 * Logoff at the end. Then both ends in memory (sim.c): our supplicant
 * (port_supp) and our access device (port_auth, with the test's EAP-TLS
 * server in place of RADIUS) derive the same CKN, are secured with the
 * access device as key server, re-authenticate to a new CA, and the
 * supplicant's Logoff ends the session. And the wpa_supplicant.conf
 * reader of the supplicant (conf_wpa.c).
 */
#include <stdio.h>
#include <string.h>

#include "eapol.h"
#include "pae_auth_int.h"
#include "pae_supp.h"
#include "port_auth.h"
#include "port_supp.h"
#include "tls_srv.h"
#include "unit.h"

#define HELD	10
#define START	5

static const uint8_t own[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t auth[6] = { 0x02, 0, 0, 0, 0, 0xaa };
static const uint8_t rogue[6] = { 0x02, 0, 0, 0, 0, 0xbb };

static struct {
	int n_sent, n_auth, n_ended;
	uint8_t last[1514];
	size_t last_len;
	enum supp_end why;
} F;

static struct loop L;
static double T;

static int fk_send(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	F.n_sent++;
	memcpy(F.last, f, len);
	F.last_len = len;
	return 0;
}

static void fk_auth(void *ctx, const struct supp_keys *k)
{
	(void)ctx;
	(void)k;
	F.n_auth++;
}

static void fk_ended(void *ctx, enum supp_end reason)
{
	(void)ctx;
	F.n_ended++;
	F.why = reason;
}

static const struct pae_supp_ops fk_ops = {
	.send = fk_send, .authenticated = fk_auth, .ended = fk_ended,
};

static struct eap_tls *tls_of(void)
{
	struct eap_tls_conf c = {
		.ca_cert = TS_DIR "ca.pem", .client_cert = TS_DIR "client.pem",
		.private_key = TS_DIR "client.key",
	};
	char err[256];

	return eap_tls_new(&c, err, sizeof(err));
}

static struct pae_supp *setup(struct eap_tls *t)
{
	struct pae_supp_conf c;
	struct pae_supp *s;

	memset(&F, 0, sizeof(F));
	T = 100;
	loop_init_manual(&L, T);
	pae_supp_conf_init(&c);
	c.eapol_version = 3;
	c.held_period = HELD;
	c.start_period = START;
	snprintf(c.identity, sizeof(c.identity), "host.test");
	s = t ? pae_supp_new(&L, own, &c, t, &fk_ops, NULL) : NULL;
	if (s)
		pae_supp_link(s, true);
	return s;
}

static void adv(double sec)
{
	T += sec;
	loop_advance(&L, T);
}

/* An EAP packet from src to the supplicant. */
static void eap_in(struct pae_supp *s, const uint8_t *src, const uint8_t *eap, size_t len)
{
	uint8_t f[1514];

	pae_supp_rx(s, f, eapol_build(f, mka_pae_group, src, 2, eap, len));
}

static bool sent_type(uint8_t type)
{
	return F.last_len >= 18 && !memcmp(F.last, mka_pae_group, 6) &&
	       !memcmp(F.last + 6, own, 6) && F.last[12] == 0x88 && F.last[13] == 0x8e &&
	       F.last[14] == 3 && F.last[15] == type;
}

static const char *state(struct pae_supp *s)
{
	return pae_supp_state_name(s);
}

static void t_supp_pae(void)
{
	static const uint8_t id_req[] = { 1, 7, 0, 5, 1 };
	static const uint8_t md5_req[] = { 1, 8, 0, 6, 4, 0 };
	static const uint8_t success[] = { 3, 8, 0, 4 };
	struct eap_tls *t = tls_of();
	struct pae_supp *s = setup(t);
	const struct pae_supp_counters *c = s ? pae_supp_counters(s) : NULL;
	int ok, n;

	ok = check(s != NULL, "no PAE") &&
	     check(F.n_sent == 1 && sent_type(EAPOL_START) && F.last[17] == 0,
		   "link up: %d sent, not an EAPOL-Start v3 to the group address", F.n_sent) &&
	     check(!strcmp(state(s), "CONNECTING"), "state %s", state(s));
	if (ok) {
		adv(START);
		adv(START);
		n = F.n_sent;
		adv(START);	/* maxStart reached: quiet */
		ok = check(n == 3 && F.n_sent == 3 && c->tx_start == 3,
			   "startPeriod/maxStart: %d then %d Starts", n, F.n_sent);
		adv(HELD);
		ok = ok && check(F.n_sent == 4 && sent_type(EAPOL_START), "no new round of Starts");
		/* the identity, then a retransmission of its Request */
		eap_in(s, auth, id_req, sizeof(id_req));
		ok = ok && check(F.n_sent == 5 && sent_type(EAPOL_EAP) && F.last[18] == 2 &&
				 F.last[19] == 7 && F.last[22] == 1 &&
				 !memcmp(F.last + 23, "host.test", 9) && F.last[21] == 14,
				 "no Response/Identity host.test") &&
		     check(!strcmp(state(s), "AUTHENTICATING"), "state %s", state(s));
		eap_in(s, auth, id_req, sizeof(id_req));
		ok = ok && check(F.n_sent == 6 && c->rx_retrans == 1 && F.last[19] == 7,
				 "retransmitted Request not answered again");
		/* another method: a Nak for EAP-TLS; a Success before the method's end */
		eap_in(s, auth, md5_req, sizeof(md5_req));
		ok = ok && check(F.n_sent == 7 && F.last[22] == 3 && F.last[23] == 13,
				 "no Nak asking for EAP-TLS");
		eap_in(s, auth, success, sizeof(success));
		ok = ok && check(!F.n_auth && c->rx_unexpected == 1 &&
				 !strcmp(state(s), "AUTHENTICATING"),
				 "an early EAP-Success was taken (%s)", state(s));
		/* no Start while an exchange runs */
		n = F.n_sent;
		adv(START + 1);
		ok = ok && check(F.n_sent == n, "Start sent during the exchange");
	}
	pae_supp_free(s);
	ok = ok && check(sent_type(EAPOL_LOGOFF), "no EAPOL-Logoff at the end");
	eap_tls_free(t);
	result(ok, "supp: Start on link up, startPeriod/maxStart, identity, retransmission, Nak, Logoff");
}

static void t_supp_held(void)
{
	static const uint8_t id_req[] = { 1, 20, 0, 5, 1 };
	static const uint8_t id_req2[] = { 1, 21, 0, 5, 1 };
	static const uint8_t failure[] = { 4, 20, 0, 4 };
	static const uint8_t tls_start[] = { 1, 22, 0, 6, 13, 0x20 };
	static const uint8_t tls_nostart[] = { 1, 23, 0, 7, 13, 0x00, 0x16 };
	static const uint8_t no_type[] = { 1, 24, 0, 4 };
	static const uint8_t bad_code[] = { 9, 24, 0, 4 };
	static const uint8_t long_len[] = { 1, 24, 0, 40, 1 };
	struct eap_tls *t = tls_of();
	struct pae_supp *s = setup(t);
	const struct pae_supp_counters *c = s ? pae_supp_counters(s) : NULL;
	uint8_t f[64];
	int ok, n;

	ok = check(s != NULL, "no PAE");
	if (ok) {
		eap_in(s, auth, id_req, sizeof(id_req));
		eap_in(s, auth, tls_start, sizeof(tls_start));
		ok = check(F.n_sent == 3 && F.last[22] == 13 && F.last_len > 100,
			   "no ClientHello for the EAP-TLS Start");
		/* malformed, all dropped without an answer or a change */
		n = F.n_sent;
		pae_supp_rx(s, f, 10);
		memset(f, 0, sizeof(f));
		eapol_build(f, mka_pae_group, auth, 2, id_req, sizeof(id_req));
		f[16] = 0x05;	/* body beyond the frame */
		pae_supp_rx(s, f, 60);
		eap_in(s, auth, long_len, sizeof(long_len));
		eap_in(s, auth, no_type, sizeof(no_type));
		eap_in(s, auth, bad_code, sizeof(bad_code));
		eap_in(s, auth, tls_nostart + 0, 5);	/* EAP length beyond: 7 > 5 */
		ok = ok && check(F.n_sent == n && c->rx_malformed == 6,
				 "malformed: %d sent, %llu counted", F.n_sent - n,
				 (unsigned long long)c->rx_malformed) &&
		     check(!strcmp(state(s), "AUTHENTICATING"), "state %s", state(s));
		/* from another authenticator meanwhile */
		eap_in(s, rogue, id_req2, sizeof(id_req2));
		ok = ok && check(F.n_sent == n && c->rx_other_auth == 1, "rogue Request answered");
		/* the exchange fails: HELD, deaf, then Start again */
		eap_in(s, auth, failure, sizeof(failure));
		ok = ok && check(!strcmp(state(s), "HELD") && c->auth_fail == 1, "state %s",
				 state(s));
		eap_in(s, auth, id_req2, sizeof(id_req2));
		ok = ok && check(F.n_sent == n && c->rx_held == 1, "answered while HELD");
		adv(HELD - 1);
		ok = ok && check(F.n_sent == n, "Start before heldPeriod");
		adv(1.5);
		ok = ok && check(F.n_sent == n + 1 && sent_type(EAPOL_START) &&
				 !strcmp(state(s), "CONNECTING"), "no Start after HELD (%s)",
				 state(s));
		eap_in(s, auth, id_req2, sizeof(id_req2));
		ok = ok && check(F.n_sent == n + 2 && !strcmp(state(s), "AUTHENTICATING"),
				 "no exchange after HELD");
		pae_supp_link(s, false);
		ok = ok && check(!strcmp(state(s), "DISCONNECTED") && !F.n_ended,
				 "link down: %s", state(s));
	}
	n = F.n_sent;
	pae_supp_free(s);
	ok = ok && check(F.n_sent == n, "Logoff sent with the link down");
	eap_tls_free(t);
	result(ok, "supp: malformed frames counted and dropped, EAP-Failure holds, then Start");
}

/* Both ends ------------------------------------------------------------- */

static const char *auth_conf =
	"ieee8021x=1\nuse_pae_group_addr=1\nmacsec_policy=1\nauth_server_addr=127.0.0.1\n"
	"auth_server_shared_secret=radius\n";
static const char *supp_conf =
	"ctrl_interface=/var/run/wpa_supplicant\neapol_version=3\nap_scan=0\nnetwork={\n"
	"\tkey_mgmt=IEEE8021X\n\teap=TLS\n\tidentity=\"host.test\"\n"
	"\tca_cert=\"" TS_DIR "ca.pem\"\n\tclient_cert=\"" TS_DIR "client.pem\"\n"
	"\tprivate_key=\"" TS_DIR "client_enc.key\"\n\tprivate_key_passwd=\"sekrit\"\n"
	"\tfragment_size=300\n\teapol_flags=0\n\tmacsec_policy=1\n}\n";

static struct tls_srv ES;
static struct port_auth *EA;
static int es_exchanges;

/* The authentication server: the test's EAP-TLS server, answering at once. */
static void es_to_server(void *ctx, const uint8_t *eap, size_t len, const char *identity,
			 const uint8_t mac[6], bool new_exchange)
{
	static uint8_t req[2048];
	size_t rl;

	(void)ctx;
	(void)identity;
	(void)mac;
	if (new_exchange) {
		ts_fini(&ES);
		ts_init(&ES, "server.pem", "server.key", TLS1_3_VERSION, 400);
		es_exchanges++;
		rl = ts_start(&ES, req);
		pae_auth_server_answer(EA->pae, PAE_SRV_CHALLENGE, req, rl, NULL, 0, NULL, 0);
		return;
	}
	switch (ts_step(&ES, eap, len, req, &rl)) {
	case TS_REQ:
		pae_auth_server_answer(EA->pae, PAE_SRV_CHALLENGE, req, rl, NULL, 0, NULL, 0);
		break;
	case TS_SUCCESS:
		pae_auth_server_answer(EA->pae, PAE_SRV_ACCEPT, NULL, 0, ES.msk, 64, ES.sid,
				       ES.sid_len);
		break;
	default:
		pae_auth_server_answer(EA->pae, PAE_SRV_REJECT, NULL, 0, NULL, 0, NULL, 0);
	}
}

static void es_cancel(void *ctx)
{
	(void)ctx;
}

static void t_supp_e2e(void)
{
	static struct mkad_conf hc, sc;
	const uint8_t m0[6] = { 2, 0, 0, 0, 0, 0x99 }, m1[6] = { 2, 0, 0, 0, 0, 0x01 };
	uint8_t first[16];
	struct port_supp *s = NULL;
	struct pae_auth_status st;
	char err[256];
	int ok;

	sim_reset();
	memcpy(sim_mac[0], m0, 6);	/* the supplicant has the better SCI */
	memcpy(sim_mac[1], m1, 6);
	ok = check(!conf_parse(auth_conf, &hc, err, sizeof(err)), "%s", err) &&
	     check(!conf_parse(supp_conf, &sc, err, sizeof(err)), "%s", err) &&
	     check(!sim_add(0, auth_conf, NULL, NULL) && !sim_add(1, supp_conf, NULL, NULL),
		   "sim nodes");
	EA = ok ? port_auth_new(&sim[0].port, &hc.auth) : NULL;
	if (EA) {
		EA->pae->ops.to_server = es_to_server;
		EA->pae->ops.server_cancel = es_cancel;
		s = port_supp_new(&sim[1].port, &sc.supp);
	}
	conf_wipe(&hc);
	conf_wipe(&sc);
	ok = ok && check(EA && s, "port_auth_new or port_supp_new failed");
	if (ok) {
		sim_run(12);
		ok = check(EA->ca.have_ca && s->ca.have_ca && !memcmp(EA->ca.ckn, s->ca.ckn, 16),
			   "no common CKN (auth %d, supp %d)", EA->ca.have_ca, s->ca.have_ca) &&
		     check(sim_secured(0) && sim_secured(1), "not secured: %d %d",
			   sim_secured(0), sim_secured(1)) &&
		     check(P(0)->is_ks && !P(1)->is_ks, "the supplicant is key server");
		memcpy(first, s->ca.ckn, 16);
		/* re-authentication: a new CA on both ends, the old one gone */
		pae_auth_reauthenticate(EA->pae);
		sim_run(25);
		ok = ok && check(es_exchanges >= 2 && s->ca.have_ca &&
				 memcmp(first, s->ca.ckn, 16) && !memcmp(EA->ca.ckn, s->ca.ckn, 16),
				 "no new common CKN (%d exchanges)", es_exchanges) &&
		     check(!port_find_ca(&sim[1].port, first, 16) && !s->ca.have_old,
			   "the old CA is still there") &&
		     check(sim_secured(0) && sim_secured(1) &&
			   !memcmp(P(1)->conf.ckn, s->ca.ckn, 16),
			   "not secured on the new CA: %d %d", sim_secured(0), sim_secured(1));
		/* the supplicant stops: its Logoff ends the session */
		port_supp_free(s);
		s = NULL;
		sim_run(1);
		pae_auth_status(EA->pae, &st);
		ok = ok && check(!st.authorized && !EA->ca.have_ca,
				 "session still on after Logoff");
	}
	port_supp_free(s);
	port_auth_free(EA);
	ts_fini(&ES);
	sim_reset();
	result(ok, "supp: our supplicant and our access device: EAP-TLS, same CKN, secured, "
	       "re-authentication, Logoff");
}

/* The configuration ------------------------------------------------------ */

static void t_supp_conf(void)
{
	static struct mkad_conf c;
	char err[256] = "", text[1024];
	int ok;

	ok = check(conf_is_wpa(supp_conf), "not taken for the supplicant") &&
	     check(!conf_is_wpa("network={\nkey_mgmt=NONE\nmka_cak=00\n}\n"), "PSK taken") &&
	     check(!conf_parse(supp_conf, &c, err, sizeof(err)), "%s", err) &&
	     check(c.supp.enabled && c.supp.eapol_version == 3 &&
		   !strcmp(c.supp.identity, "host.test") &&
		   !strcmp(c.supp.private_key_passwd, "sekrit") &&
		   !strcmp(c.supp.ca_cert, TS_DIR "ca.pem") && c.supp.fragment_size == 300 &&
		   c.supp.tmpl.policy == MKAD_POLICY_MUST && c.supp.tmpl.never_ks &&
		   c.supp.held_period == 60 && !c.n_ca, "values read wrong") &&
	     check(c.warnings == 1, "%d warnings (ctrl_interface only)", c.warnings);
	/* hex strings, extensions, unknown keys */
	snprintf(text, sizeof(text), "network={\nkey_mgmt=IEEE8021X\neap=TLS\n"
		 "identity=686f7374\nca_cert=\"a b\"\nclient_cert=\"c\"\nprivate_key=\"k\"\n"
		 "phase1=\"tls_disable_tlsv1_3=1\"\nvsecy_held_period=2\npassword=\"x\"\n"
		 "mka_priority=7\n}\nupdate_config=1\n");
	ok = ok && check(!conf_parse(text, &c, err, sizeof(err)), "%s", err) &&
	     check(!strcmp(c.supp.identity, "host") && !strcmp(c.supp.ca_cert, "a b") &&
		   c.supp.no_tls13 && c.supp.held_period == 2 && c.supp.tmpl.priority == 7 &&
		   c.supp.eapol_version == 1 && c.warnings == 2, "hex/extensions/warnings: %d",
		   c.warnings);
	/* what is refused, clearly */
#define REFUSED(t, what) (conf_parse(t, &c, err, sizeof(err)) && strstr(err, what))
	ok = ok && check(REFUSED("network={\nkey_mgmt=IEEE8021X\neap=TLS\nca_cert=\"a\"\n"
				 "client_cert=\"c\"\nprivate_key=\"k\"\n}\n", "needs identity"),
			 "no identity: %s", err) &&
	     check(REFUSED("network={\nkey_mgmt=IEEE8021X\neap=TLS\nidentity=\"h\"\n"
			   "client_cert=\"c\"\nprivate_key=\"k\"\n}\n", "needs ca_cert"),
		   "no ca_cert: %s", err) &&
	     check(REFUSED("network={\nkey_mgmt=IEEE8021X\nidentity=\"h\"\n}\n", "needs eap=TLS"),
		   "no eap: %s", err) &&
	     check(REFUSED("network={\nkey_mgmt=IEEE8021X\neap=PEAP\n}\n", "only TLS"),
		   "eap=PEAP: %s", err) &&
	     check(REFUSED("network={\nkey_mgmt=IEEE8021X\nidentity=host\n}\n", "identity must"),
		   "unquoted non-hex identity: %s", err) &&
	     check(REFUSED("network={\nkey_mgmt=IEEE8021X\nmka_cak=00\n}\n", "comes from EAP"),
		   "mka_cak: %s", err) &&
	     check(REFUSED("network={\nkey_mgmt=IEEE8021X\n}\nnetwork={\n}\n", "one network"),
		   "two blocks: %s", err) &&
	     check(REFUSED("network={\nkey_mgmt=IEEE8021X\nidentity=\"h\n}\n", "identity must"),
		   "unterminated quote: %s", err) &&
	     check(REFUSED("network={\nkey_mgmt=IEEE8021X\n", "unterminated"),
		   "unterminated block: %s", err);
#undef REFUSED
	conf_wipe(&c);
	result(ok, "supp: wpa_supplicant.conf of the supplicant: values, quoted and hex strings, "
	       "warnings, refusals");
}

void t_supp(void)
{
	t_supp_pae();
	t_supp_held();
	t_supp_e2e();
	t_supp_conf();
}
