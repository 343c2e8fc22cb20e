// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the key-provider client (kp.h) and the quantum
 * key source (keysrc_qkd.h), as far as they need no provider: URL
 * parsing, key ID strings, Base64/hex/UUID decoding, the parsing of key
 * replies (well formed and malformed), the CAK derivation (qkd-only and
 * hybrid, known answer), and the asynchronous path of the source against
 * a loopback port where nothing listens.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "keysrc_qkd.h"
#include "kp.h"
#include "unit.h"

static void t_kp_url(void)
{
	static const char *bad[] = {
		"http://h", "https://", "https://:443", "https://h:0", "https://h:65536",
		"https://h:x", "https://h:443x", "https://h?q", "https://h/a?q",
		"https://h/a b", "https://[::1", "https://[]:1", "https://h\x01",
		"ftp://h",
	};
	struct kp_conf c;
	unsigned int i;
	int ok = 1;

	memset(&c, 0, sizeof(c));
	ok = check(!kp_parse_url("https://kp.example", &c) && !strcmp(c.host, "kp.example") &&
		   c.port == 443 && !c.prefix[0], "plain host: %s %u '%s'", c.host, c.port,
		   c.prefix) &&
	     check(!kp_parse_url("https://127.0.0.1:8443", &c) && !strcmp(c.host, "127.0.0.1") &&
		   c.port == 8443 && !c.prefix[0], "host:port") &&
	     check(!kp_parse_url("HTTPS://h:1/qkd/", &c) && !strcmp(c.host, "h") &&
		   c.port == 1 && !strcmp(c.prefix, "/qkd"), "prefix: '%s'", c.prefix) &&
	     check(!kp_parse_url("https://h/", &c) && !c.prefix[0] && c.port == 443,
		   "a lone slash") &&
	     check(!kp_parse_url("https://[::1]:9/a/b", &c) && !strcmp(c.host, "::1") &&
		   c.port == 9 && !strcmp(c.prefix, "/a/b"), "IPv6: %s", c.host);
	for (i = 0; ok && i < sizeof(bad) / sizeof(bad[0]); i++)
		ok = check(kp_parse_url(bad[i], &c) == -EINVAL, "accepted %s", bad[i]);
	result(ok, "kp: URL parsing");
}

static void t_kp_ids(void)
{
	static const uint8_t id[16] = { 0x3f, 0xa2, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
					0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0xcd, 0xef };
	uint8_t u[16];
	char s[64], small[5];

	kp_id_string(KP_API_SKIP, id, 3, s, sizeof(s));
	result(check(!strcmp(s, "3fa200"), "SKIP: %s", s) &&
	       (kp_id_string(KP_API_ETSI014, id, 16, s, sizeof(s)),
		check(!strcmp(s, "3fa20001-0203-0405-0607-08090a0bcdef"), "ETSI: %s", s)) &&
	       (kp_id_string(KP_API_ETSI014, id, 3, s, sizeof(s)),
		check(!strcmp(s, "3fa200"), "ETSI, not 16: %s", s)) &&
	       (kp_id_string(KP_API_SKIP, id, 16, small, sizeof(small)),
		check(!strcmp(small, "3fa2"), "truncated: %s", small)) &&
	       check(!kp_uuid_parse("3FA20001-0203-0405-0607-08090A0BCDEF", u) &&
		     !memcmp(u, id, 16), "UUID round trip") &&
	       check(kp_uuid_parse("3fa20001-0203-0405-0607-08090a0bcde", u) &&
		     kp_uuid_parse("3fa20001a0203-0405-0607-08090a0bcdef", u) &&
		     kp_uuid_parse("3fa2000g-0203-0405-0607-08090a0bcdef", u),
		     "bad UUIDs accepted"),
	       "kp: key ID strings and UUIDs");
}

static void t_kp_decode(void)
{
	uint8_t out[64];

	result(check(kp_base64_decode("", 0, out, 64) == 0, "empty") &&
	       check(kp_base64_decode("Zm9v", 4, out, 64) == 3 && !memcmp(out, "foo", 3), "foo") &&
	       check(kp_base64_decode("Zm8=", 4, out, 64) == 2 && !memcmp(out, "fo", 2), "fo") &&
	       check(kp_base64_decode("Zg==", 4, out, 64) == 1 && out[0] == 'f', "f") &&
	       check(kp_base64_decode("Zm9vYmFy", 8, out, 64) == 6, "foobar") &&
	       check(kp_base64_decode("Zm9", 3, out, 64) < 0, "unpadded") &&
	       check(kp_base64_decode("Zg=a", 4, out, 64) < 0, "data after =") &&
	       check(kp_base64_decode("Zg==Zm9v", 8, out, 64) < 0, "= inside") &&
	       check(kp_base64_decode("Z===", 4, out, 64) < 0, "three =") &&
	       check(kp_base64_decode("Zh==", 4, out, 64) < 0, "non-canonical") &&
	       check(kp_base64_decode("Zm9*", 4, out, 64) < 0, "bad character") &&
	       check(kp_base64_decode("Zm9vYmFy", 8, out, 5) < 0, "overflow") &&
	       check(kp_hex_decode("0aFf", 4, out, 64) == 2 && out[0] == 0x0a && out[1] == 0xff,
		     "hex") &&
	       check(kp_hex_decode("0aF", 3, out, 64) < 0 && kp_hex_decode("0g", 2, out, 64) < 0 &&
		     kp_hex_decode("0011", 4, out, 1) < 0, "bad hex accepted"),
	       "kp: Base64 and hex decoding");
}

#define K32HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define K32B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

static int reply(enum kp_api api, unsigned int bits, const char *body, struct kp_key *k)
{
	char err[160];

	return kp_parse_key_reply(api, bits, body, strlen(body), k, err, sizeof(err));
}

static void t_kp_reply(void)
{
	static const char *skip_bad[] = {
		"", "{", "[]", "\"x\"", "{\"keyId\":\"01\"}", "{\"key\":\"" K32HEX "\"}",
		"{\"keyId\":1,\"key\":\"" K32HEX "\"}",
		"{\"keyId\":\"\",\"key\":\"" K32HEX "\"}",
		"{\"keyId\":\"012\",\"key\":\"" K32HEX "\"}",
		"{\"keyId\":\"0x\",\"key\":\"" K32HEX "\"}",
		"{\"keyId\":\"01\",\"key\":\"" K32HEX "00\"}",
		"{\"keyId\":\"01\",\"key\":\"0001\"}",
		"{\"keyId\":\"01\",\"key\":\"" K32HEX "\",\"keyId\":\"02\"}",
		"{\"keyId\":\"01\",\"key\":\"zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"}",
		/* a 33-octet keyId */
		"{\"keyId\":\"" K32HEX "20\",\"key\":\"" K32HEX "\"}",
	};
	static const char *etsi_bad[] = {
		"{}", "{\"keys\":[]}", "{\"keys\":{}}",
		"{\"keys\":[{\"key_ID\":\"3fa20001-0203-0405-0607-08090a0bcdef\"}]}",
		"{\"keys\":[{\"key_ID\":\"3fa200010203040506070809\",\"key\":\"" K32B64 "\"}]}",
		"{\"keys\":[{\"key_ID\":\"3fa20001-0203-0405-0607-08090a0bcdef\",\"key\":\"AAEC\"}]}",
		"{\"keys\":[{\"key_ID\":\"3fa20001-0203-0405-0607-08090a0bcdef\",\"key\":\"" K32B64 "x\"}]}",
		"{\"keys\":[{\"key_ID\":\"3fa20001-0203-0405-0607-08090a0bcdef\",\"key\":\"!AECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\"}]}",
		"{\"keys\":[{\"key_ID\":\"3fa20001-0203-0405-0607-08090a0bcdef\",\"key\":\"" K32B64 "\"},"
		"{\"key_ID\":\"3fa20001-0203-0405-0607-08090a0bcdee\",\"key\":\"" K32B64 "\"}]}",
	};
	struct kp_key k;
	unsigned int i;
	int ok;

	ok = check(!reply(KP_API_SKIP, 256, "{\"keyId\":\"0A0b\",\"key\":\"" K32HEX "\"}", &k) &&
		   k.id_len == 2 && k.id[0] == 0x0a && k.id[1] == 0x0b && k.key_len == 32 &&
		   k.key[31] == 0x1f, "SKIP reply") &&
	     check(!reply(KP_API_SKIP, 256, "{\"keyId\":\"" K32HEX "\",\"key\":\"" K32HEX "\"}",
			  &k) && k.id_len == 32, "SKIP, 32-octet keyId") &&
	     check(!reply(KP_API_SKIP, 128, "{\"keyId\":\"01\",\"key\":\"000102030405060708090a0b0c0d0e0f\"}",
			  &k) && k.key_len == 16, "SKIP, 128 bits") &&
	     check(reply(KP_API_SKIP, 128, "{\"keyId\":\"01\",\"key\":\"" K32HEX "\"}", &k) ==
		   -EPROTO && !k.key_len && !k.key[0x1f], "SKIP, 256 bits for 128");
	for (i = 0; ok && i < sizeof(skip_bad) / sizeof(skip_bad[0]); i++)
		ok = check(reply(KP_API_SKIP, 256, skip_bad[i], &k) == -EPROTO,
			   "SKIP accepted %s", skip_bad[i]);
	ok = ok &&
	     check(!reply(KP_API_ETSI014, 256, "{\"keys\":[{\"key_ID\":\"3fa20001-0203-0405-0607-"
			  "08090a0bcdef\",\"key\":\"" K32B64 "\"}]}", &k) && k.id_len == 16 &&
		   k.id[0] == 0x3f && k.id[15] == 0xef && k.key_len == 32 && k.key[31] == 0x1f,
		   "ETSI reply");
	for (i = 0; ok && i < sizeof(etsi_bad) / sizeof(etsi_bad[0]); i++)
		ok = check(reply(KP_API_ETSI014, 256, etsi_bad[i], &k) == -EPROTO,
			   "ETSI accepted %s", etsi_bad[i]);
	result(ok, "kp: key replies, malformed ones give -EPROTO");
}

/*
 * The hybrid CAK: known answers (computed once from the definition in
 * keysrc_qkd.c, independently of this code with `openssl mac ... CMAC`),
 * and the properties: either input and the CKN change it, and it is
 * neither KDF alone.
 */
static void t_kp_cak(void)
{
	struct keysrc_qkd_conf conf;
	struct keysrc_cak cak, c2;
	struct kp_key k;
	uint8_t kdf_psk[32], kdf_qkd[32];
	int ok;

	memset(&conf, 0, sizeof(conf));
	memset(&k, 0, sizeof(k));
	k.id_len = 16;
	memset(k.id, 0xa5, 16);
	k.key_len = 32;
	unhex(K32HEX, k.key);
	ok = check(!keysrc_qkd_cak(&conf, &k, &cak) && cak.cak_len == 32 &&
		   !memcmp(cak.cak, k.key, 32) && cak.ckn_len == 16 && cak.ckn[15] == 0xa5,
		   "qkd-only: the CAK is the key");
	conf.hybrid = true;
	conf.psk_cak_len = 16;
	unhex(SIM_CAK, conf.psk_cak);
	ok = ok && check(!keysrc_qkd_cak(&conf, &k, &cak) && cak.cak_len == 16, "hybrid 16") &&
	     expect_hex("hybrid CAK", cak.cak, "47972e15e35e6bf632a6bccb5deb4a83");
	crypto_kdf(conf.psk_cak, 16, "vsecy ppk cak", k.id, 16, kdf_psk, 16);
	crypto_kdf(k.key, 32, "vsecy ppk cak", k.id, 16, kdf_qkd, 16);
	ok = ok && check(memcmp(cak.cak, kdf_psk, 16) && memcmp(cak.cak, kdf_qkd, 16),
			 "the CAK is one KDF alone");
	k.key[0] ^= 1;
	ok = ok && check(!keysrc_qkd_cak(&conf, &k, &c2) && memcmp(c2.cak, cak.cak, 16),
			 "QKD key change ignored");
	k.key[0] ^= 1;
	conf.psk_cak[0] ^= 1;
	ok = ok && check(!keysrc_qkd_cak(&conf, &k, &c2) && memcmp(c2.cak, cak.cak, 16),
			 "pre-shared CAK change ignored");
	conf.psk_cak[0] ^= 1;
	k.id[0] ^= 1;
	ok = ok && check(!keysrc_qkd_cak(&conf, &k, &c2) && memcmp(c2.cak, cak.cak, 16),
			 "CKN change ignored");
	k.id[0] ^= 1;
	conf.psk_cak_len = 32;
	unhex(K32HEX, conf.psk_cak);
	conf.psk_cak[0] = 0xff;
	ok = ok && check(!keysrc_qkd_cak(&conf, &k, &cak) && cak.cak_len == 32, "hybrid 32") &&
	     expect_hex("hybrid CAK 32", cak.cak,
		     "520dd7d9296ffcb61958001fdc782d9ef462fe33930839c77b18dc0be49c4d93");
	k.key_len = 24;
	ok = ok && check(keysrc_qkd_cak(&conf, &k, &c2) == -EINVAL, "24-octet key accepted");
	k.key_len = 32;
	conf.psk_cak_len = 20;
	ok = ok && check(keysrc_qkd_cak(&conf, &k, &c2) == -EINVAL, "20-octet PSK CAK accepted");
	result(ok, "kp: CAK of a QKD key, qkd-only and hybrid (known answer)");
}

struct answer {
	int calls, err;
	bool in_request;
	struct loop *loop;
};

static void on_answer(void *ctx, int err, const struct keysrc_cak *cak)
{
	struct answer *a = ctx;

	(void)cak;
	a->calls++;
	a->err = err;
	check(!a->in_request, "done called inside request()");
	loop_stop(a->loop);
}

static void on_deadline(void *ctx, double now)
{
	(void)now;
	loop_stop(ctx);
}

/* The worker and the pipe: a provider port where nothing listens answers
 * -ECONNREFUSED through the loop; a cancelled request is not answered. */
static void t_kp_async(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct keysrc_qkd_conf conf;
	struct answer a = { 0 }, b = { 0 };
	struct loop_timer t;
	struct keysrc *ks;
	struct loop l;
	int fd, ok = 0;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) || loop_init(&l)) {
		check(0, "cannot set up a socket and a loop");
		goto out;
	}
	memset(&conf, 0, sizeof(conf));
	snprintf(conf.kp.host, sizeof(conf.kp.host), "127.0.0.1");
	conf.kp.port = ntohs(sa.sin_port);
	snprintf(conf.kp.remote_id, sizeof(conf.kp.remote_id), "peer");
	conf.kp.psk_len = 32;
	snprintf(conf.kp.psk_identity, sizeof(conf.kp.psk_identity), "me");
	conf.kp.timeout = 2;
	ks = keysrc_qkd_new(&l, &conf);
	if (!check(ks && !strcmp(ks->ops->name, "skip") && ks->ops->flags == KEYSRC_LOOKUP,
		   "no source"))
		goto fini;
	a.loop = b.loop = &l;
	a.in_request = b.in_request = true;
	ok = check(!keysrc_request(ks, (const uint8_t *)"\x01\x02", 2, on_answer, &b),
		   "request b") &&
	     check(!keysrc_request(ks, NULL, 0, on_answer, &a), "request a");
	ks->ops->cancel(ks, &b);
	a.in_request = b.in_request = false;
	loop_timer_init(&t, on_deadline, &l);
	loop_timer_at(&l, &t, loop_now(&l) + 5);
	if (ok)
		loop_run(&l);
	loop_timer_stop(&l, &t);
	ok = ok && check(!why[0], "%s", why) &&
	     check(a.calls == 1 && a.err == -ECONNREFUSED, "a: %d calls, err %d", a.calls, a.err) &&
	     check(!b.calls, "the cancelled request was answered");
	ks->ops->destroy(ks);
fini:
	loop_fini(&l);
out:
	if (fd >= 0)
		close(fd);
	result(ok, "kp: the source answers through the loop, -ECONNREFUSED, cancel");
}

void t_kp(void)
{
	t_kp_url();
	t_kp_ids();
	t_kp_decode();
	t_kp_reply();
	t_kp_cak();
	t_kp_async();
}
