// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the RADIUS client (radius.h). The RFC 2865 7.1
 * example (its Access-Accept verifies against its Access-Request); an
 * Access-Request and its Message-Authenticator against a known answer;
 * EAP-Message split at 253 octets and joined; MS-MPPE key decryption
 * against a known answer and its rejections; replies that must be
 * dropped; and the client on a real loop against a fake server on the
 * loopback (a Challenge, then an Accept with keys; retransmission; a
 * server that never answers; IPv6).
 *
 * The known answers were computed once, independently of this code, by
 * a few lines of Python (hashlib, hmac) following RFC 3579 3.2 and RFC
 * 2548 2.4.2.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "radius.h"
#include "unit.h"
#include "util.h"

#define SECRET		"s3cr3t-mkad"
#define SECRET_LEN	(sizeof(SECRET) - 1)

static const uint8_t *sec = (const uint8_t *)SECRET;

/* Independent of radius.c: OpenSSL's one-shot MD5 and HMAC. */
static void md5_of(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint8_t out[16])
{
	uint8_t buf[RADIUS_MAX_LEN + 256];
	unsigned int n = 0;

	memcpy(buf, a, alen);
	memcpy(buf + alen, b, blen);
	EVP_Digest(buf, alen + blen, out, &n, EVP_md5(), NULL);
}

/* The Message-Authenticator a packet should carry (its value at ma). */
static void hmac_of(const uint8_t *pkt, size_t len, size_t ma, const uint8_t *auth,
		    uint8_t out[16])
{
	uint8_t buf[RADIUS_MAX_LEN];
	unsigned int n = 0;

	memcpy(buf, pkt, len);
	memcpy(buf + 4, auth, 16);
	memset(buf + ma, 0, 16);
	HMAC(EVP_md5(), SECRET, (int)SECRET_LEN, buf, len, out, &n);
}

/* The Response Authenticator, recomputed in place. */
static void resign_auth(uint8_t *pkt, size_t len, const uint8_t *req_auth)
{
	uint8_t out[16];

	memcpy(pkt + 4, req_auth, 16);
	md5_of(pkt, len, sec, SECRET_LEN, out);
	memcpy(pkt + 4, out, 16);
}

/* The offset of the idx-th attribute of type (its header), or 0. */
static size_t find_attr(const uint8_t *pkt, size_t len, uint8_t type, int idx)
{
	size_t off;

	for (off = RADIUS_HDR_LEN; off + 2 <= len && pkt[off + 1] >= 2; off += pkt[off + 1])
		if (pkt[off] == type && !idx--)
			return off;
	return 0;
}

/* Replies as a server writes them ------------------------------------- */

struct rb {
	uint8_t p[RADIUS_MAX_LEN];
	size_t len;
	uint8_t req_auth[16];
};

static void rb_start(struct rb *b, uint8_t code, uint8_t id, const uint8_t *req_auth, bool ma)
{
	memset(b, 0, sizeof(*b));
	b->p[0] = code;
	b->p[1] = id;
	memcpy(b->req_auth, req_auth, 16);
	b->len = RADIUS_HDR_LEN;
	if (ma) {
		b->p[b->len] = RADIUS_ATTR_MESSAGE_AUTH;
		b->p[b->len + 1] = 18;
		b->len += 18;
	}
}

static void rb_attr(struct rb *b, uint8_t type, const void *v, size_t len)
{
	b->p[b->len] = type;
	b->p[b->len + 1] = (uint8_t)(len + 2);
	memcpy(b->p + b->len + 2, v, len);
	b->len += len + 2;
}

static void rb_eap(struct rb *b, const uint8_t *eap, size_t len)
{
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = len - off > 253 ? 253 : len - off;
		rb_attr(b, RADIUS_ATTR_EAP_MESSAGE, eap + off, n);
	}
}

/* A Microsoft Vendor-Specific attribute holding one encrypted key. */
static void rb_mppe(struct rb *b, uint8_t type, const uint8_t *key, size_t key_len,
		    uint16_t salt, const uint8_t *req_auth)
{
	uint8_t v[RADIUS_ATTR_MAX] = { 0, 0, 1, 0x37, type };
	int n = radius_mppe_encrypt(sec, SECRET_LEN, req_auth, salt, key, key_len, v + 6);

	v[5] = (uint8_t)(n + 2);
	rb_attr(b, RADIUS_ATTR_VENDOR_SPECIFIC, v, (size_t)n + 6);
}

static void rb_sign(struct rb *b)
{
	radius_sign_reply(sec, SECRET_LEN, b->req_auth, b->p, b->len);
}

static void fill_eap(uint8_t *eap, size_t len, uint8_t code, uint8_t id)
{
	size_t i;

	eap[0] = code;
	eap[1] = id;
	eap[2] = (uint8_t)(len >> 8);
	eap[3] = (uint8_t)len;
	for (i = 4; i < len; i++)
		eap[i] = (uint8_t)(i * 7 + code);
}

/* The codec ------------------------------------------------------------- */

/* RFC 2865 7.1, User Telnet to Specified Host: ID 0, secret "xyzzy5461". */
static void t_radius_rfc2865(void)
{
	static const char *req_hex =
		"01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a 01 06 6e 65"
		"6d 6f 02 12 0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8"
		"01 10 05 06 00 00 00 03";
	static const char *acc_hex =
		"02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2 06 06 00 00"
		"00 01 0f 06 00 00 00 00 0e 06 c0 a8 01 03";
	const uint8_t *s = (const uint8_t *)"xyzzy5461";
	static struct radius_reply rep;
	uint8_t req[64], acc[64];
	int ok, n = unhex(acc_hex, acc);

	unhex(req_hex, req);
	ok = check(n == 38, "%d octets", n) &&
	     check(radius_check_reply(s, 9, 0, req + 4, false, acc, 38, &rep) == RADIUS_OK,
		   "the RFC's Access-Accept does not verify") &&
	     check(rep.code == RADIUS_CODE_ACCESS_ACCEPT && !rep.eap_len && !rep.have_msk,
		   "code %d", rep.code) &&
	     check(radius_check_reply(s, 9, 1, req + 4, false, acc, 38, &rep) == RADIUS_DROP_ID,
		   "ID 1 accepted") &&
	     check(radius_check_reply((const uint8_t *)"xyzzy5462", 9, 0, req + 4, false, acc, 38,
				      &rep) == RADIUS_DROP_AUTHENTICATOR, "wrong secret accepted");
	req[19] ^= 1;
	ok = ok && check(radius_check_reply(s, 9, 0, req + 4, false, acc, 38, &rep) ==
			 RADIUS_DROP_AUTHENTICATOR, "another Request Authenticator accepted");
	req[19] ^= 1;
	/* in answer to EAP, an Accept without Message-Authenticator goes */
	ok = ok && check(radius_check_reply(s, 9, 0, req + 4, true, acc, 38, &rep) ==
			 RADIUS_DROP_NO_MSG_AUTH, "EAP: an Accept without Message-Authenticator");
	result(ok, "radius: RFC 2865 7.1 Access-Accept verifies against its Access-Request");
}

static void kat_conf(struct radius_conf *c)
{
	radius_conf_defaults(c);
	snprintf(c->server, sizeof(c->server), "127.0.0.1");
	memcpy(c->secret, SECRET, SECRET_LEN);
	c->secret_len = SECRET_LEN;
	snprintf(c->nas_id, sizeof(c->nas_id), "mkad-test");
	snprintf(c->nas_ip, sizeof(c->nas_ip), "192.0.2.1");
}

static void kat_req(struct radius_req *r, const uint8_t *eap, size_t eap_len)
{
	static const uint8_t state[4] = { 1, 2, 3, 4 };

	memset(r, 0, sizeof(*r));
	r->eap = eap;
	r->eap_len = eap_len;
	r->user_name = "alice";
	r->state = state;
	r->state_len = 4;
	memcpy(r->calling_mac, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(r->called_mac, "\x02\x00\x00\x00\x00\x02", 6);
	r->nas_port_id = "vs1";
}

/*
 * Message-Authenticator first, then User-Name, NAS-IP-Address,
 * NAS-Identifier, Called- and Calling-Station-Id, NAS-Port-Type,
 * Service-Type, Framed-MTU, NAS-Port-Id, State, EAP-Key-Name, EAP-Message:
 * the whole packet, computed in Python.
 */
static void t_radius_build(void)
{
	static const char *want_hex =
		"012a0090000102030405060708090a0b0c0d0e0f5012568ada5c63c550fa130263ef37727ef9"
		"0107616c6963650406c0000201200b6d6b61642d746573741e1330322d30302d30302d3030"
		"2d30302d30321f1330322d30302d30302d30302d30302d30313d060000000f060600000002"
		"0c060000057857057673311806010203046603004f0c0201000a01616c696365";
	static const uint8_t eap[10] = { 2, 1, 0, 10, 1, 'a', 'l', 'i', 'c', 'e' };
	static uint8_t buf[RADIUS_MAX_LEN], want[256], big[RADIUS_MAX_LEN];
	uint8_t auth[16], ma[16];
	struct radius_conf c;
	struct radius_req r;
	int i, n, wn = unhex(want_hex, want);

	for (i = 0; i < 16; i++)
		auth[i] = (uint8_t)i;
	kat_conf(&c);
	kat_req(&r, eap, sizeof(eap));
	n = radius_build_request(&c, &r, 0x2a, auth, buf, sizeof(buf));
	hmac_of(buf, (size_t)n, 22, auth, ma);
	result(check(n == wn, "%d octets, expected %d", n, wn) &&
	       expect_hex("Message-Authenticator", buf + 22, "568ada5c63c550fa130263ef37727ef9") &&
	       check(!memcmp(ma, buf + 22, 16), "OpenSSL's HMAC() disagrees") &&
	       check(!memcmp(buf, want, (size_t)wn), "the packet differs from the known answer"),
	       "radius: Access-Request attributes and Message-Authenticator (known answer)");

	r.eap = big;
	r.eap_len = 4000;
	n = radius_build_request(&c, &r, 1, auth, buf, sizeof(buf));
	r.eap_len = 3000;
	i = radius_build_request(&c, &r, 1, auth, buf, sizeof(buf));
	result(check(n == -EMSGSIZE, "4000 octets of EAP: %d", n) &&
	       check(i > 3000 && i <= RADIUS_MAX_LEN, "3000 octets of EAP: %d", i) &&
	       check(radius_build_request(&c, &r, 1, auth, buf, 200) == -EMSGSIZE,
		     "small buffer") &&
	       (r.eap_len = 0, check(radius_build_request(&c, &r, 1, auth, buf, sizeof(buf)) ==
				     -EINVAL, "no EAP")) &&
	       (r.eap_len = 10, r.state_len = 254,
		check(radius_build_request(&c, &r, 1, auth, buf, sizeof(buf)) == -EINVAL,
		      "State of 254 octets")),
	       "radius: Access-Request bounds (4096 octets, EAP, State)");
}

/* A 600-octet EAP packet: 253 + 253 + 94 octets, joined again in a reply. */
static void t_radius_split(void)
{
	static uint8_t eap[600], buf[RADIUS_MAX_LEN];
	static struct radius_reply rep;
	static const size_t sizes[][2] = { { 600, 3 }, { 253, 1 }, { 254, 2 }, { 506, 2 } };
	struct radius_conf c;
	struct radius_req r;
	uint8_t auth[16];
	size_t off, k;
	int ok = 1, n, i;

	memset(auth, 0x5c, sizeof(auth));
	kat_conf(&c);
	for (k = 0; k < ARRAY_SIZE(sizes) && ok; k++) {
		fill_eap(eap, sizes[k][0], 2, 9);
		kat_req(&r, eap, sizes[k][0]);
		n = radius_build_request(&c, &r, 7, auth, buf, sizeof(buf));
		ok = check(n > 0, "build: %d", n);
		for (i = 0; ok && i < (int)sizes[k][1]; i++) {
			off = find_attr(buf, (size_t)n, RADIUS_ATTR_EAP_MESSAGE, i);
			ok = check(off && buf[off + 1] == (i + 1 < (int)sizes[k][1] ? 255 :
				   sizes[k][0] - 253 * (size_t)i + 2), "EAP-Message %d of %zu", i,
				   sizes[k][0]);
		}
		ok = ok && check(!find_attr(buf, (size_t)n, RADIUS_ATTR_EAP_MESSAGE, i),
				 "more EAP-Message attributes than %d", i);
		/* the same attributes in a Challenge */
		buf[0] = RADIUS_CODE_ACCESS_CHALLENGE;
		radius_sign_reply(sec, SECRET_LEN, auth, buf, (size_t)n);
		ok = ok && check(radius_check_reply(sec, SECRET_LEN, 7, auth, true, buf, (size_t)n,
						    &rep) == RADIUS_OK, "the reply is refused") &&
		     check(rep.eap_len == sizes[k][0] && !memcmp(rep.eap, eap, rep.eap_len),
			   "joined: %zu octets", rep.eap_len) &&
		     check(rep.state_len == 4 && rep.state[3] == 4, "State") &&
		     check(rep.key_name_len == 1 && !rep.key_name[0], "EAP-Key-Name");
	}
	result(ok, "radius: EAP-Message split at 253 octets and joined in order");
}

#define MPPE_HEX	"81239534db07f6033339ab7e5735cf784d83c187c80bffa25d6af15f0dbf2e7c" \
			"d447f7788395e04d252cc869f612482e9460"
/* The same with salt 0x0123: decrypts, were its high bit not required. */
#define MPPE_LOW_HEX	"0123139a9d629c7a3535e66fc4b2a8523b35e197ea63e6e2e17b2e45526a1181" \
			"cd070ac38b037144cf1e5eb9450a24594aae"

/* RFC 2548 2.4.2: a 32-octet key, salt 0x8123, Request Authenticator 00..0f. */
static void t_radius_mppe(void)
{
	uint8_t auth[16], key[32], ct[64], out[64], bad[64];
	size_t len = 0;
	int i, ok, n = unhex(MPPE_HEX, ct);

	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	memcpy(auth, key, 16);
	ok = check(n == 50, "%d", n) &&
	     check(!radius_mppe_decrypt(sec, SECRET_LEN, auth, ct, 50, out, sizeof(out), &len),
		   "does not decrypt") &&
	     check(len == 32 && !memcmp(out, key, 32), "key of %zu octets differs", len) &&
	     check(radius_mppe_encrypt(sec, SECRET_LEN, auth, 0x0123, key, 32, bad) == 50,
		   "encrypt length") &&
	     expect_hex("encrypted", bad, MPPE_HEX);
	result(ok, "radius: MS-MPPE key decryption, RFC 2548 (known answer)");

	unhex(MPPE_LOW_HEX, bad);
	ok = check(radius_mppe_decrypt(sec, SECRET_LEN, auth, bad, 50, out, 64, &len) == -EBADMSG,
		   "salt without its high bit accepted") &&
	     check(radius_mppe_decrypt(sec, SECRET_LEN, auth, ct, 49, out, 64, &len) == -EBADMSG &&
		   radius_mppe_decrypt(sec, SECRET_LEN, auth, ct, 48, out, 64, &len) == -EBADMSG &&
		   radius_mppe_decrypt(sec, SECRET_LEN, auth, ct, 17, out, 64, &len) == -EBADMSG &&
		   radius_mppe_decrypt(sec, SECRET_LEN, auth, ct, 2, out, 64, &len) == -EBADMSG,
		   "a string not a multiple of 16 octets accepted") &&
	     check(radius_mppe_decrypt(sec, SECRET_LEN, auth, ct, 34, out, 64, &len) == -EBADMSG,
		   "16 octets: key length 32 > 15 accepted") &&
	     check(radius_mppe_decrypt(sec, SECRET_LEN, auth, ct, 50, out, 16, &len) == -EBADMSG,
		   "32 octets into 16 accepted");
	/* the key length is the first octet, under the first keystream octet */
	memcpy(bad, ct, 50);
	bad[2] ^= 32 ^ 48;
	ok = ok && check(radius_mppe_decrypt(sec, SECRET_LEN, auth, bad, 50, out, 64, &len) ==
			 -EBADMSG && !len, "key length 48 > 47 accepted");
	bad[2] ^= 48 ^ 47;
	ok = ok && check(!radius_mppe_decrypt(sec, SECRET_LEN, auth, bad, 50, out, 64, &len) &&
			 len == 47, "key length 47 refused");
	result(ok, "radius: MS-MPPE keys: bad salt, bad lengths, key length past the data");
}

static const uint8_t recv_key[32] = { [0] = 0x11, [31] = 0x1f };
static const uint8_t send_key[32] = { [0] = 0x22, [31] = 0x2f };

/* An Access-Accept with everything: EAP-Success, keys, key name, time-out. */
static void good_accept(struct rb *b, uint8_t id, const uint8_t *req_auth, bool ma)
{
	static const uint8_t success[4] = { 3, 9, 0, 4 }, st[4] = { 0, 0, 0x0e, 0x10 };
	uint8_t name[65];

	memset(name, 0x0d, sizeof(name));
	rb_start(b, RADIUS_CODE_ACCESS_ACCEPT, id, req_auth, ma);
	rb_eap(b, success, 4);
	rb_mppe(b, RADIUS_MS_MPPE_RECV_KEY, recv_key, 32, 0x8001, req_auth);
	rb_mppe(b, RADIUS_MS_MPPE_SEND_KEY, send_key, 32, 0x8002, req_auth);
	rb_attr(b, RADIUS_ATTR_EAP_KEY_NAME, name, sizeof(name));
	rb_attr(b, RADIUS_ATTR_SESSION_TIMEOUT, st, 4);
	rb_sign(b);
}

static enum radius_drop chk(const struct rb *b, size_t len, uint8_t id, const uint8_t *auth,
			    struct radius_reply *rep)
{
	return radius_check_reply(sec, SECRET_LEN, id, auth, true, b->p, len, rep);
}

static void t_radius_replies(void)
{
	static struct radius_reply rep;
	static struct rb b, t;
	uint8_t auth[16], low_auth[16], vsa[64];
	enum radius_drop d;
	size_t off;
	int ok;

	memset(auth, 0xa7, sizeof(auth));
	good_accept(&b, 3, auth, true);
	d = chk(&b, b.len, 3, auth, &rep);
	ok = check(d == RADIUS_OK, "refused: %s", radius_drop_str(d)) &&
	     check(rep.code == RADIUS_CODE_ACCESS_ACCEPT && rep.eap_len == 4 && rep.eap[0] == 3,
		   "EAP-Success") &&
	     check(rep.have_msk && !memcmp(rep.msk, recv_key, 32) &&
		   !memcmp(rep.msk + 32, send_key, 32), "MSK") &&
	     check(rep.key_name_len == 65 && rep.key_name[64] == 0x0d, "key name") &&
	     check(rep.session_timeout == 3600, "Session-Timeout %u", rep.session_timeout);
	memset(b.p + b.len, 0xee, 10);
	ok = ok && check(chk(&b, b.len + 10, 3, auth, &rep) == RADIUS_OK, "padding refused");
	result(ok, "radius: Access-Accept with EAP-Success, MS-MPPE keys, key name, time-out");

	ok = check(radius_check_reply((const uint8_t *)"s3cr3t-mkae", SECRET_LEN, 3, auth, true,
				      b.p, b.len, &rep) == RADIUS_DROP_AUTHENTICATOR,
		   "wrong secret") &&
	     check(!rep.have_msk && !rep.msk[0] && !rep.code, "a refused reply is not wiped") &&
	     check(chk(&b, b.len, 4, auth, &rep) == RADIUS_DROP_ID, "wrong ID");
	auth[0] ^= 1;
	ok = ok && check(chk(&b, b.len, 3, auth, &rep) == RADIUS_DROP_AUTHENTICATOR,
			 "wrong Request Authenticator");
	auth[0] ^= 1;
	b.p[b.len - 1] ^= 1;
	ok = ok && check(chk(&b, b.len, 3, auth, &rep) == RADIUS_DROP_AUTHENTICATOR,
			 "a changed attribute");
	b.p[b.len - 1] ^= 1;
	result(ok, "radius: replies with a wrong secret, ID or authenticator dropped");

	/* lengths */
	ok = check(chk(&b, b.len - 1, 3, auth, &rep) == RADIUS_DROP_MALFORMED,
		   "datagram shorter than Length") &&
	     check(chk(&b, 19, 3, auth, &rep) == RADIUS_DROP_MALFORMED, "19 octets");
	t = b;
	t.p[t.len - 5]++;	/* Session-Timeout's length runs past the end */
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_MALFORMED,
			 "truncated attribute");
	rb_start(&t, RADIUS_CODE_ACCESS_CHALLENGE, 3, auth, true);
	rb_attr(&t, RADIUS_ATTR_STATE, "abcd", 4);
	t.p[t.len - 5] = 12;	/* the State runs 6 octets past the end */
	t.p[3] = (uint8_t)t.len;
	resign_auth(t.p, t.len, auth);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_MALFORMED,
			 "State past the end");
	t = b;
	t.p[t.len - 5] = 1;
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_MALFORMED,
			 "attribute length 1");
	t = b;
	t.p[t.len - 5] = 5;	/* a 3-octet Session-Timeout, at the end */
	t.len -= 1;
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_MALFORMED,
			 "3-octet Session-Timeout");
	t = b;
	t.p[2] = 0;
	t.p[3] = 19;
	ok = ok && check(chk(&t, b.len, 3, auth, &rep) == RADIUS_DROP_MALFORMED, "Length 19");
	t = b;
	t.p[0] = 5;
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_CODE, "code 5");
	result(ok, "radius: malformed replies dropped (lengths, truncated attribute, code)");

	/* Message-Authenticator */
	good_accept(&t, 3, auth, false);
	ok = check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_NO_MSG_AUTH,
		   "EAP-Message without Message-Authenticator");
	rb_start(&t, RADIUS_CODE_ACCESS_CHALLENGE, 3, auth, false);
	rb_attr(&t, RADIUS_ATTR_STATE, "s", 1);
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_NO_MSG_AUTH,
			 "Challenge without Message-Authenticator");
	rb_start(&t, RADIUS_CODE_ACCESS_REJECT, 3, auth, false);
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_OK && rep.code == 3,
			 "a bare Reject refused");
	t = b;
	t.p[22] ^= 0x80;
	resign_auth(t.p, t.len, auth);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_MSG_AUTH,
			 "wrong Message-Authenticator");
	t = b;
	rb_attr(&t, RADIUS_ATTR_MESSAGE_AUTH, b.p + 22, 16);
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_MALFORMED,
			 "two Message-Authenticators");
	result(ok, "radius: Message-Authenticator required with EAP-Message and verified");

	/* contents */
	rb_start(&t, RADIUS_CODE_ACCESS_CHALLENGE, 3, auth, true);
	rb_attr(&t, RADIUS_ATTR_EAP_MESSAGE, "\x01\x02\x00\x09\x04", 5);
	rb_sign(&t);
	ok = check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_EAP, "EAP length 9 in 5");
	for (off = 0; off < 16; off++)
		low_auth[off] = (uint8_t)off;
	rb_start(&t, RADIUS_CODE_ACCESS_ACCEPT, 3, low_auth, true);
	memcpy(vsa, "\x00\x00\x01\x37\x11\x34", 6);	/* Recv-Key, 52 octets */
	unhex(MPPE_LOW_HEX, vsa + 6);
	rb_attr(&t, RADIUS_ATTR_VENDOR_SPECIFIC, vsa, 56);
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, low_auth, &rep) == RADIUS_DROP_MPPE, "bad salt");
	rb_start(&t, RADIUS_CODE_ACCESS_ACCEPT, 3, auth, true);
	rb_mppe(&t, RADIUS_MS_MPPE_RECV_KEY, recv_key, 32, 0x8001, auth);
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_OK && !rep.have_msk &&
			 rep.have_recv_key, "one key is an MSK");
	rb_start(&t, RADIUS_CODE_ACCESS_ACCEPT, 3, auth, true);
	rb_mppe(&t, RADIUS_MS_MPPE_RECV_KEY, recv_key, 16, 0x8001, auth);
	rb_mppe(&t, RADIUS_MS_MPPE_SEND_KEY, send_key, 32, 0x8001, auth);
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_OK && !rep.have_msk,
			 "a 16-octet key makes an MSK");
	rb_start(&t, RADIUS_CODE_ACCESS_CHALLENGE, 3, auth, true);
	rb_attr(&t, RADIUS_ATTR_STATE, "a", 1);
	rb_attr(&t, RADIUS_ATTR_STATE, "b", 1);
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_MALFORMED, "two States");
	rb_start(&t, RADIUS_CODE_ACCESS_CHALLENGE, 3, auth, true);
	rb_attr(&t, RADIUS_ATTR_STATE, "", 0);
	rb_sign(&t);
	ok = ok && check(chk(&t, t.len, 3, auth, &rep) == RADIUS_DROP_MALFORMED, "empty State");
	result(ok, "radius: reply contents checked (EAP length, MPPE salt, one key, States)");
}

/* The client on a loop against a fake server ----------------------------- */

struct fake {
	int fd;
	struct loop_fd lfd;
	struct loop *loop;
	bool mute;			/* answers nothing */
	bool accept_now;		/* answers an Accept at once */
	int datagrams;
	uint8_t first[RADIUS_MAX_LEN];	/* the first copy of round 1 */
	size_t first_len;
	bool identical;
	int round;
	char fail[160];			/* what the server found wrong */
};

static int fake_open(struct fake *f, struct loop *l, int family, uint16_t *port)
{
	struct sockaddr_storage ss = { .ss_family = (sa_family_t)family };
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = family == AF_INET ? sizeof(*s4) : sizeof(*s6);

	memset(f, 0, sizeof(*f));
	f->loop = l;
	if (family == AF_INET)
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else
		s6->sin6_addr = in6addr_loopback;
	f->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (f->fd < 0)
		return -1;
	if (bind(f->fd, (struct sockaddr *)&ss, len) ||
	    getsockname(f->fd, (struct sockaddr *)&ss, &len)) {
		close(f->fd);
		f->fd = -1;
		return -1;
	}
	*port = ntohs(family == AF_INET ? s4->sin_port : s6->sin6_port);
	return 0;
}

static void fake_close(struct fake *f)
{
	if (f->fd < 0)
		return;
	loop_del_fd(f->loop, &f->lfd);
	close(f->fd);
}

/* Checks a request as a server would; a reason, or NULL. */
static const char *fake_check(const uint8_t *p, size_t n)
{
	uint8_t ma[16];
	size_t off;

	if (n < 20 || p[0] != RADIUS_CODE_ACCESS_REQUEST || (size_t)(p[2] << 8 | p[3]) != n)
		return "not an Access-Request";
	if (p[20] != RADIUS_ATTR_MESSAGE_AUTH || p[21] != 18)
		return "Message-Authenticator not first";
	hmac_of(p, n, 22, p + 4, ma);
	if (memcmp(ma, p + 22, 16))
		return "bad Message-Authenticator";
	off = find_attr(p, n, RADIUS_ATTR_EAP_KEY_NAME, 0);
	if (!off || p[off + 1] != 3 || p[off + 2])
		return "no EAP-Key-Name of one zero octet";
	off = find_attr(p, n, RADIUS_ATTR_CALLING_STATION_ID, 0);
	if (!off || p[off + 1] != 19 || memcmp(p + off + 2, "02-00-00-00-00-01", 17))
		return "Calling-Station-Id";
	if (!find_attr(p, n, RADIUS_ATTR_EAP_MESSAGE, 0))
		return "no EAP-Message";
	return NULL;
}

static uint8_t chal_eap[400];

static void fake_reply(struct fake *f, const struct rb *b, const struct sockaddr *to,
		       socklen_t tolen)
{
	if (sendto(f->fd, b->p, b->len, 0, to, tolen) != (ssize_t)b->len)
		snprintf(f->fail, sizeof(f->fail), "sendto: %s", strerror(errno));
}

/* Round 1: the first copy unanswered, then a Challenge (after one signed
 * with another secret); round 2: State checked, then an Accept (after one
 * of another ID). */
static void fake_answer(struct fake *f, const uint8_t *p, size_t n, const struct sockaddr *to,
			socklen_t tolen)
{
	static struct rb b;
	size_t off;

	if (f->accept_now) {
		good_accept(&b, p[1], p + 4, true);
		fake_reply(f, &b, to, tolen);
		return;
	}
	if (f->round == 0) {
		if (!f->first_len) {
			memcpy(f->first, p, n);
			f->first_len = n;
			return;
		}
		f->identical = n == f->first_len && !memcmp(p, f->first, n);
		rb_start(&b, RADIUS_CODE_ACCESS_CHALLENGE, p[1], p + 4, true);
		rb_eap(&b, chal_eap, sizeof(chal_eap));
		rb_attr(&b, RADIUS_ATTR_STATE, "round-2", 7);
		radius_sign_reply((const uint8_t *)"other", 5, b.req_auth, b.p, b.len);
		fake_reply(f, &b, to, tolen);
		rb_sign(&b);
		fake_reply(f, &b, to, tolen);
		f->round = 1;
		return;
	}
	off = find_attr(p, n, RADIUS_ATTR_STATE, 0);
	if (!off || p[off + 1] != 9 || memcmp(p + off + 2, "round-2", 7)) {
		snprintf(f->fail, sizeof(f->fail), "round 2 without the State");
		return;
	}
	good_accept(&b, (uint8_t)(p[1] ^ 0x80), p + 4, true);
	fake_reply(f, &b, to, tolen);
	good_accept(&b, p[1], p + 4, true);
	fake_reply(f, &b, to, tolen);
	f->round = 2;
}

static void fake_readable(void *arg, uint32_t events)
{
	struct fake *f = arg;
	static uint8_t p[RADIUS_MAX_LEN];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	const char *bad;
	ssize_t n;

	(void)events;
	while ((n = recvfrom(f->fd, p, sizeof(p), 0, (struct sockaddr *)&from, &flen)) > 0) {
		f->datagrams++;
		bad = fake_check(p, (size_t)n);
		if (bad) {
			snprintf(f->fail, sizeof(f->fail), "request %d: %s", f->datagrams, bad);
			continue;
		}
		if (!f->mute)
			fake_answer(f, p, (size_t)n, (struct sockaddr *)&from, flen);
		flen = sizeof(from);
	}
}

struct caller {
	struct radius_client *c;
	struct loop *loop;
	int calls;
	enum radius_result r[4];
	bool in_send;
	bool chal_ok, accept_ok, resend_ok;
	uint8_t eap2[8];
};

static void done(void *ctx, enum radius_result r, const struct radius_reply *rep)
{
	struct caller *k = ctx;
	struct radius_req req;
	size_t i;

	check(!k->in_send, "done called inside radius_send");
	if (k->calls < 4)
		k->r[k->calls] = r;
	k->calls++;
	if (r == RADIUS_CHALLENGE && k->calls == 1) {
		k->chal_ok = rep && rep->eap_len == sizeof(chal_eap) &&
			     !memcmp(rep->eap, chal_eap, sizeof(chal_eap)) &&
			     rep->state_len == 7 && !memcmp(rep->state, "round-2", 7) &&
			     !rep->have_msk;
		/* the next round, from the callback */
		fill_eap(k->eap2, sizeof(k->eap2), 2, chal_eap[1]);
		kat_req(&req, k->eap2, sizeof(k->eap2));
		req.state = rep->state;
		req.state_len = rep->state_len;
		k->resend_ok = !radius_send(k->c, &req, done, k);
		return;
	}
	if (r == RADIUS_ACCEPT) {
		k->accept_ok = rep && rep->have_msk && !memcmp(rep->msk, recv_key, 32) &&
			       !memcmp(rep->msk + 32, send_key, 32) && rep->key_name_len == 65 &&
			       rep->session_timeout == 3600 && rep->eap_len == 4;
		for (i = 0; rep && i < 65; i++)
			k->accept_ok = k->accept_ok && rep->key_name[i] == 0x0d;
	}
	loop_stop(k->loop);
}

static void on_deadline(void *ctx, double now)
{
	(void)now;
	loop_stop(ctx);
}

/* Runs the loop until a callback stops it, at most 5 s. */
static void run(struct loop *l)
{
	struct loop_timer t;

	l->stop = false;
	loop_timer_init(&t, on_deadline, l);
	loop_timer_at(l, &t, loop_now(l) + 5);
	loop_run(l);
	loop_timer_stop(l, &t);
}

static struct radius_client *client(struct loop *l, const char *server, uint16_t port,
				    double timeout, int retries)
{
	struct radius_conf c;
	struct radius_client *rc;

	kat_conf(&c);
	snprintf(c.server, sizeof(c.server), "%s", server);
	c.port = port;
	c.timeout = timeout;
	c.retries = retries;
	rc = radius_client_new(l, &c);
	crypto_wipe(&c, sizeof(c));
	return rc;
}

static void t_radius_async(void)
{
	static const uint8_t eap1[10] = { 2, 1, 0, 10, 1, 'a', 'l', 'i', 'c', 'e' };
	static struct fake f;
	struct caller k = { 0 };
	const struct radius_counters *n;
	struct radius_req req;
	uint16_t port;
	struct loop l;
	int ok = 0;

	fill_eap(chal_eap, sizeof(chal_eap), 1, 2);
	if (loop_init(&l) || fake_open(&f, &l, AF_INET, &port) ||
	    loop_add_fd(&l, &f.lfd, f.fd, EPOLLIN, fake_readable, &f)) {
		check(0, "cannot set up a loop and a socket");
		goto out;
	}
	k.loop = &l;
	k.c = client(&l, "127.0.0.1", port, 0.2, 3);
	if (!check(k.c != NULL, "no client"))
		goto out;
	kat_req(&req, eap1, sizeof(eap1));
	req.state_len = 0;
	k.in_send = true;
	ok = check(!radius_send(k.c, &req, done, &k), "radius_send");
	k.in_send = false;
	if (ok)
		run(&l);
	n = radius_counters(k.c);
	ok = ok && check(!why[0], "%s", why) && check(!f.fail[0], "server: %s", f.fail) &&
	     check(k.calls == 2 && k.r[0] == RADIUS_CHALLENGE && k.r[1] == RADIUS_ACCEPT,
		   "%d calls: %d %d", k.calls, k.r[0], k.r[1]) &&
	     check(f.identical, "the retransmission differs") &&
	     check(k.chal_ok, "the Challenge's EAP or State") &&
	     check(k.resend_ok, "radius_send from the callback") &&
	     check(k.accept_ok, "the Accept's MSK, key name or Session-Timeout") &&
	     check(n->requests == 2 && n->retransmits == 1 && n->challenges == 1 &&
		   n->accepts == 1 && n->bad_authenticator == 1 && n->unknown_id == 1 &&
		   !n->timeouts && !n->malformed && !n->bad_msg_auth,
		   "counters: %llu requests, %llu retransmits, %llu bad, %llu unknown",
		   (unsigned long long)n->requests, (unsigned long long)n->retransmits,
		   (unsigned long long)n->bad_authenticator, (unsigned long long)n->unknown_id);
	radius_client_free(k.c);
out:
	fake_close(&f);
	loop_fini(&l);
	result(ok, "radius: Challenge then Accept through the loop: EAP, State, MSK, key name");
}

static void t_radius_timeout(void)
{
	static const uint8_t eap1[10] = { 2, 1, 0, 10, 1, 'a', 'l', 'i', 'c', 'e' };
	static struct fake f;
	struct caller a = { 0 }, b = { 0 };
	const struct radius_counters *n;
	struct radius_req req;
	struct radius_conf bad;
	uint16_t port;
	struct loop l;
	double t0;
	int ok = 0;

	if (loop_init(&l) || fake_open(&f, &l, AF_INET, &port) ||
	    loop_add_fd(&l, &f.lfd, f.fd, EPOLLIN, fake_readable, &f)) {
		check(0, "cannot set up a loop and a socket");
		goto out;
	}
	f.mute = true;
	a.loop = b.loop = &l;
	a.c = client(&l, "127.0.0.1", port, 0.05, 2);
	if (!check(a.c != NULL, "no client"))
		goto out;
	kat_req(&req, eap1, sizeof(eap1));
	ok = check(!radius_send(a.c, &req, done, &b), "send b") &&
	     check(!radius_send(a.c, &req, done, &a), "send a") &&
	     check(!radius_send(a.c, &req, done, &a), "send a again");
	radius_cancel(a.c, &b);
	t0 = loop_now(&l);
	if (ok)
		run(&l);
	n = radius_counters(a.c);
	ok = ok && check(!f.fail[0], "server: %s", f.fail) &&
	     check(a.calls == 1 && a.r[0] == RADIUS_TIMEOUT, "a: %d calls, %d", a.calls, a.r[0]) &&
	     check(!b.calls, "the cancelled request was answered") &&
	     check(loop_now(&l) - t0 >= 0.14 && loop_now(&l) - t0 < 2, "after %.3f s",
		   loop_now(&l) - t0) &&
	     check(f.datagrams == 5, "the server got %d datagrams, expected 1 + 1 + 3",
		   f.datagrams) &&
	     check(n->timeouts == 1 && n->retransmits == 2 && n->requests == 3,
		   "%llu timeouts, %llu retransmits", (unsigned long long)n->timeouts,
		   (unsigned long long)n->retransmits);
	radius_client_free(a.c);
	kat_conf(&bad);
	bad.secret_len = 0;
	ok = ok && check(!radius_client_new(&l, &bad), "a client without secret");
	kat_conf(&bad);
	snprintf(bad.nas_ip, sizeof(bad.nas_ip), "192.0.2");
	ok = ok && check(!radius_client_new(&l, &bad), "a client with a bad NAS address");
out:
	fake_close(&f);
	loop_fini(&l);
	result(ok, "radius: a silent server: RADIUS_TIMEOUT after the retries; cancel, replace");
}

static void t_radius_ipv6(void)
{
	static const uint8_t eap1[10] = { 2, 1, 0, 10, 1, 'a', 'l', 'i', 'c', 'e' };
	static struct fake f;
	struct caller k = { 0 };
	struct radius_req req;
	uint16_t port;
	struct loop l;
	int ok = 0;

	if (loop_init(&l)) {
		check(0, "no loop");
		goto out;
	}
	if (fake_open(&f, &l, AF_INET6, &port)) {
		result(1, "radius: an IPv6 server # SKIP no IPv6 loopback");
		loop_fini(&l);
		return;
	}
	if (loop_add_fd(&l, &f.lfd, f.fd, EPOLLIN, fake_readable, &f)) {
		check(0, "epoll");
		goto out;
	}
	f.accept_now = true;
	k.loop = &l;
	k.c = client(&l, "::1", port, 0.5, 1);
	if (!check(k.c != NULL, "no client"))
		goto out;
	kat_req(&req, eap1, sizeof(eap1));
	ok = check(!radius_send(k.c, &req, done, &k), "radius_send");
	if (ok)
		run(&l);
	ok = ok && check(!f.fail[0], "server: %s", f.fail) &&
	     check(k.calls == 1 && k.r[0] == RADIUS_ACCEPT && k.accept_ok, "%d calls, %d",
		   k.calls, k.r[0]);
	radius_client_free(k.c);
out:
	fake_close(&f);
	loop_fini(&l);
	result(ok, "radius: an IPv6 server ([::1])");
}

void t_radius(void)
{
	t_radius_rfc2865();
	t_radius_build();
	t_radius_split();
	t_radius_mppe();
	t_radius_replies();
	t_radius_async();
	t_radius_timeout();
	t_radius_ipv6();
}
