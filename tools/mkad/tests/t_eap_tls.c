// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the EAP-TLS peer (eap_tls.h) against the test's
 * own EAP-TLS server (tls_srv.c) in memory: TLS 1.2 and TLS 1.3 with
 * fragments both ways, the MSK and Session-Id equal to what the server
 * exports, malformed Requests dropped without harm, a server certificate
 * of another CA refused (no keys), the server's name checked as
 * domain_suffix_match and domain_match say, and the client key's password.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/ssl.h>

#include "conf.h"
#include "eap_tls.h"
#include "tls_srv.h"
#include "unit.h"

static struct tls_srv S;

static struct eap_tls *peer_names(size_t frag, int max_version, const char *key,
				   const char *pw, const char *suffix, const char *match)
{
	struct eap_tls_conf c = {
		.ca_cert = TS_DIR "ca.pem", .client_cert = TS_DIR "client.pem",
		.private_key = key, .private_key_passwd = pw, .frag_size = frag,
		.max_version = max_version, .domain_suffix_match = suffix,
		.domain_match = match,
	};
	char err[256];
	struct eap_tls *t = eap_tls_new(&c, err, sizeof(err));

	if (!t)
		check(0, "eap_tls_new: %s", err);
	return t;
}

static struct eap_tls *peer(size_t frag, int max_version, const char *key, const char *pw)
{
	return peer_names(frag, max_version, key, pw, NULL, NULL);
}

struct run {
	enum ts_rc end;
	enum eap_tls_rc last;
	int rounds, peer_frags, peer_acks, drops_ok;
};

/*
 * The exchange from the Start to the server's end. inject: a malformed
 * Request is given to the peer in round 3 (it must be dropped and change
 * nothing).
 */
static void exchange(struct eap_tls *t, struct run *r, bool inject)
{
	static uint8_t req[2048], resp[2048];
	size_t req_len = ts_start(&S, req), resp_len;
	const char *w;

	memset(r, 0, sizeof(*r));
	r->end = TS_FAILURE;
	while (r->rounds++ < 400) {
		if (inject && r->rounds == 3) {
			static const uint8_t bad[][12] = {
				{ 1, 99, 0, 10, 13, 0x80, 0, 0, 0 },		/* L, no room */
				{ 1, 99, 0, 11, 13, 0x80, 0x7f, 0, 0, 0, 1 },	/* L too big */
				{ 1, 99, 0, 5, 13 },				/* no flags */
			};
			static const size_t bl[] = { 9, 11, 5 };
			size_t i;

			r->drops_ok = 1;
			for (i = 0; i < 3; i++)
				if (eap_tls_process(t, bad[i], bl[i], resp, sizeof(resp), &resp_len,
						    &w) != EAP_TLS_DROP || resp_len)
					r->drops_ok = 0;
		}
		r->last = eap_tls_process(t, req, req_len, resp, sizeof(resp), &resp_len, &w);
		if (r->last == EAP_TLS_DROP) {
			check(0, "peer dropped round %d: %s", r->rounds, w);
			return;
		}
		if (resp_len > 10 && (resp[5] & 0x40))
			r->peer_frags++;
		if (resp_len == 6 && resp[5] == 0)
			r->peer_acks++;
		r->end = ts_step(&S, resp, resp_len, req, &req_len);
		if (r->end != TS_REQ)
			return;
	}
}

static void t_tls_ok(int version, const char *name)
{
	uint8_t msk[64], sid[65];
	size_t sid_len = 0;
	struct eap_tls *t;
	struct run r;
	int ok;

	ok = check(!ts_init(&S, "server.pem", "server.key", version, 150), "server setup");
	t = ok ? peer(100, 0, TS_DIR "client.key", NULL) : NULL;
	ok = ok && t;
	if (ok)
		exchange(t, &r, true);
	ok = ok && check(r.end == TS_SUCCESS && r.last == EAP_TLS_DONE,
			 "exchange ended %d, peer %d after %d rounds", r.end, r.last, r.rounds) &&
	     check(r.drops_ok, "a malformed Request was not dropped cleanly") &&
	     check(r.peer_frags >= 2 && r.peer_acks >= 2 && S.n_frag_out >= 3 && S.n_frag_in >= 2,
		   "not fragmented both ways: peer %d frags %d acks, server %d out %d in",
		   r.peer_frags, r.peer_acks, S.n_frag_out, S.n_frag_in) &&
	     check(SSL_version(S.ssl) == version, "TLS version %x", SSL_version(S.ssl)) &&
	     check(eap_tls_keys(t, msk, sid, &sid_len), "no keys") &&
	     check(!memcmp(msk, S.msk, 64), "MSK differs from the server's") &&
	     check(sid_len == 65 && sid[0] == 13 && !memcmp(sid, S.sid, 65),
		   "Session-Id differs from the server's (%zu)", sid_len);
	if (ok && version == TLS1_2_VERSION) {
		uint8_t cr[32];

		SSL_get_client_random(S.ssl, cr, 32);
		ok = check(!memcmp(sid + 1, cr, 32), "Session-Id is not 0x0D || client.random...");
	}
	eap_tls_free(t);
	ts_fini(&S);
	result(ok, name);
}

static void t_tls_rogue(void)
{
	uint8_t msk[64], sid[65];
	size_t sid_len;
	struct eap_tls *t;
	struct run r;
	int ok;

	ok = check(!ts_init(&S, "server2.pem", "server2.key", TLS1_3_VERSION, 1000),
		   "server setup");
	t = ok ? peer(0, TLS1_2_VERSION, TS_DIR "client.key", NULL) : NULL;
	ok = ok && t;
	if (ok)
		exchange(t, &r, false);
	ok = ok && check(r.end == TS_FAILURE && r.last == EAP_TLS_FAIL,
			 "server %d, peer %d", r.end, r.last) &&
	     check(!eap_tls_keys(t, msk, sid, &sid_len), "keys from a refused server");
	eap_tls_free(t);
	ts_fini(&S);
	result(ok, "eap-tls: a server certificate of another CA is refused, no keys");
}

/*
 * The server (cert: server3.pem, subjectAltName DNS:radius.example.org;
 * server.pem, CN radius.test and no subjectAltName; server4.pem, DNS
 * "radius.example.org\0.evil.org") against the names.
 */
static void t_tls_name(const char *cert, const char *key, int version, const char *suffix,
		       const char *match, bool accept, const char *name)
{
	uint8_t msk[64], sid[65];
	size_t sid_len;
	struct eap_tls *t;
	struct run r;
	bool keys;
	int ok;

	ok = check(!ts_init(&S, cert, key, version, 1000), "server setup");
	t = ok ? peer_names(0, 0, TS_DIR "client.key", NULL, suffix, match) : NULL;
	ok = ok && t;
	if (ok)
		exchange(t, &r, false);
	keys = ok && eap_tls_keys(t, msk, sid, &sid_len);
	if (accept)
		ok = ok && check(r.end == TS_SUCCESS && r.last == EAP_TLS_DONE && keys,
				 "refused: server %d, peer %d", r.end, r.last);
	else
		ok = ok && check(r.end == TS_FAILURE && r.last == EAP_TLS_FAIL && !keys,
				 "accepted: server %d, peer %d, keys %d", r.end, r.last, keys);
	eap_tls_free(t);
	ts_fini(&S);
	result(ok, name);
}

static void t_tls_names(void)
{
	static const struct {
		const char *cert, *suffix, *match;
		bool accept;
		const char *name;
	} c[] = {
		{ "server3", "example.org", NULL, true,
		  "eap-tls: domain_suffix_match=\"example.org\" accepts radius.example.org" },
		{ "server3", "RADIUS.example.org", NULL, true,
		  "eap-tls: domain_suffix_match of the whole name accepted (any case)" },
		{ "server3", "other.org", NULL, false,
		  "eap-tls: domain_suffix_match=\"other.org\" refuses radius.example.org, no keys" },
		{ "server3", "ample.org", NULL, false,
		  "eap-tls: domain_suffix_match=\"ample.org\" refused (not on a label boundary)" },
		{ "server3", NULL, "radius.example.org", true,
		  "eap-tls: domain_match=\"radius.example.org\" accepted" },
		{ "server3", NULL, "example.org", false,
		  "eap-tls: domain_match=\"example.org\" refuses radius.example.org" },
		{ "server3", "other.org;;example.org", NULL, true,
		  "eap-tls: domain_suffix_match list, one value matching: accepted" },
		{ "server3", "a.org;b.org", "x.org;radius.example.org", false,
		  "eap-tls: domain_match holds, domain_suffix_match not: refused" },
		{ "server3", "a.org;example.org", "x.org;radius.example.org", true,
		  "eap-tls: domain_suffix_match and domain_match lists both hold: accepted" },
		{ "server", "test", "radius.test", true,
		  "eap-tls: no dNSName: the subject CN is matched" },
		{ "server", "example.org", NULL, false,
		  "eap-tls: no dNSName: a CN that does not match is refused" },
		{ "server4", "evil.org", NULL, false,
		  "eap-tls: a dNSName with a NUL in it is refused" },
	};
	char cert[32], key[32];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(cert, sizeof(cert), "%s.pem", c[i].cert);
		snprintf(key, sizeof(key), "%s.key", c[i].cert);
		t_tls_name(cert, key, i & 1 ? TLS1_2_VERSION : TLS1_3_VERSION, c[i].suffix,
			   c[i].match, c[i].accept, c[i].name);
	}
}

/* conf_wpa.c reads both keys into the supplicant's configuration. */
static void t_tls_name_conf(void)
{
	static const char text[] =
		"network={\nkey_mgmt=IEEE8021X\neap=TLS\nidentity=\"host.test\"\n"
		"ca_cert=\"" TS_DIR "ca.pem\"\nclient_cert=\"" TS_DIR "client.pem\"\n"
		"private_key=\"" TS_DIR "client.key\"\n"
		"domain_suffix_match=\"example.org;example.net\"\n"
		"domain_match=\"radius.example.org\"\n}\n";
	static struct mkad_conf c;
	char err[256] = "", big[600];
	int ok;

	ok = check(!conf_parse(text, &c, err, sizeof(err)), "%s", err) &&
	     check(!strcmp(c.supp.domain_suffix_match, "example.org;example.net") &&
		   !strcmp(c.supp.domain_match, "radius.example.org") && !c.warnings,
		   "values read wrong (%d warnings)", c.warnings);
	conf_wipe(&c);
	snprintf(big, sizeof(big), "network={\nkey_mgmt=IEEE8021X\ndomain_match=\"%0256d\"\n}\n",
		 0);
	ok = ok && check(conf_parse(big, &c, err, sizeof(err)) && strstr(err, "domain_match"),
			 "a 256-octet domain_match taken: %s", err);
	conf_wipe(&c);
	result(ok, "eap-tls: the conf reader takes domain_suffix_match and domain_match");
}

static void t_tls_key_passwd(void)
{
	struct eap_tls_conf c = {
		.ca_cert = TS_DIR "ca.pem", .client_cert = TS_DIR "client.pem",
		.private_key = TS_DIR "client_enc.key", .private_key_passwd = "wrong",
	};
	struct eap_tls *t;
	char err[256] = "";
	int ok;

	t = eap_tls_new(&c, err, sizeof(err));
	ok = check(!t && strstr(err, "private_key"), "wrong password: %s", err);
	eap_tls_free(t);
	c.private_key_passwd = "sekrit";
	t = eap_tls_new(&c, err, sizeof(err));
	ok = ok && check(t != NULL, "right password: %s", err);
	eap_tls_free(t);
	c.ca_cert = TS_DIR "nonexistent.pem";
	t = eap_tls_new(&c, err, sizeof(err));
	ok = ok && check(!t && strstr(err, "ca_cert"), "missing ca_cert: %s", err);
	eap_tls_free(t);
	result(ok, "eap-tls: encrypted private_key with private_key_passwd, clear errors");
}

void t_eap_tls(void)
{
	if (ts_files()) {
		result(0, "eap-tls: test certificates written");
		return;
	}
	t_tls_ok(TLS1_2_VERSION, "eap-tls: TLS 1.2 exchange, fragments both ways, "
		 "MSK and Session-Id as the server's");
	t_tls_ok(TLS1_3_VERSION, "eap-tls: TLS 1.3 exchange (RFC 9190), fragments both ways, "
		 "MSK and Session-Id as the server's");
	t_tls_rogue();
	t_tls_names();
	t_tls_name_conf();
	t_tls_key_passwd();
}
