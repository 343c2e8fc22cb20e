// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the RADIUS packet codec of radius.h, pure functions with no
 * socket, loop or log, written from RFC 2865 (the packet, the Response
 * Authenticator), RFC 3579 3.2 (the Message-Authenticator, HMAC-MD5 keyed
 * with the shared secret over the packet with the attribute's value zeroed
 * and, in a reply, the Request Authenticator in the authenticator field),
 * RFC 3580 (the attributes of IEEE 802.1X), RFC 2548 2.4.2/2.4.3 (the
 * MS-MPPE keys) and RFC 4072 (EAP-Key-Name).
 *
 * It builds Access-Requests (EAP split into EAP-Message attributes),
 * checks replies (lengths, code, identifier, both authenticators) and
 * takes their attributes apart (EAP-Message joined, State, EAP-Key-Name,
 * Session-Timeout, the MS-MPPE keys decrypted into the MSK); the tests'
 * server signs its replies and encrypts its keys with it. The client on
 * the event loop is radius.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto.h"
#include "radius.h"
#include "radius_int.h"
#include "util.h"

#define NAS_PORT_TYPE_ETHERNET	15	/* RFC 2865 5.41 */
#define SERVICE_TYPE_FRAMED	2	/* RFC 2865 5.6 */
#define FRAMED_MTU		1400	/* RFC 3579 2.2: room for the EAP methods */

/* Digest input: a list of pieces, so that no packet is copied. */
struct chunk {
	const uint8_t *p;
	size_t len;
};

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put_be16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static int md5_chunks(const struct chunk *v, int n, uint8_t out[16])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int out_len = 0;
	int i, ok;

	if (!ctx)
		return -1;
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1;
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, v[i].p, v[i].len) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, out, &out_len) == 1 && out_len == 16;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

static int hmac_md5_chunks(const uint8_t *key, size_t key_len, const struct chunk *v, int n,
			   uint8_t out[16])
{
	EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = m ? EVP_MAC_CTX_new(m) : NULL;
	OSSL_PARAM params[2];
	size_t out_len = 0;
	int i, ok;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"MD5", 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = ctx && EVP_MAC_init(ctx, key, key_len, params) == 1;
	for (i = 0; ok && i < n; i++)
		ok = EVP_MAC_update(ctx, v[i].p, v[i].len) == 1;
	ok = ok && EVP_MAC_final(ctx, out, &out_len, 16) == 1 && out_len == 16;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
	return ok ? 0 : -1;
}

/*
 * The Message-Authenticator of pkt (len octets), whose value starts at
 * ma (an offset): the packet with auth in the authenticator field and
 * the value zeroed.
 */
static int msg_auth(const uint8_t *secret, size_t secret_len, const uint8_t *pkt, size_t len,
		    const uint8_t auth[RADIUS_AUTH_LEN], size_t ma, uint8_t out[16])
{
	static const uint8_t zero[16];
	struct chunk v[5] = {
		{ pkt, 4 }, { auth, RADIUS_AUTH_LEN },
		{ pkt + RADIUS_HDR_LEN, ma - RADIUS_HDR_LEN },
		{ zero, 16 }, { pkt + ma + 16, len - ma - 16 },
	};

	return hmac_md5_chunks(secret, secret_len, v, 5, out);
}

/* RFC 2865 3: MD5(Code | ID | Length | RequestAuth | Attributes | Secret). */
static int response_auth(const uint8_t *secret, size_t secret_len, const uint8_t *pkt,
			 size_t len, const uint8_t req_auth[RADIUS_AUTH_LEN], uint8_t out[16])
{
	struct chunk v[4] = {
		{ pkt, 4 }, { req_auth, RADIUS_AUTH_LEN },
		{ pkt + RADIUS_HDR_LEN, len - RADIUS_HDR_LEN }, { secret, secret_len },
	};

	return md5_chunks(v, 4, out);
}

/* Requests ------------------------------------------------------------ */

struct wbuf {
	uint8_t *p;
	size_t len, max;
	bool over;
};

static void put_attr(struct wbuf *w, uint8_t type, const void *val, size_t len)
{
	if (len > RADIUS_ATTR_MAX || w->len + 2 + len > w->max) {
		w->over = true;
		return;
	}
	w->p[w->len] = type;
	w->p[w->len + 1] = (uint8_t)(len + 2);
	if (len)
		memcpy(w->p + w->len + 2, val, len);
	w->len += 2 + len;
}

static void put_u32(struct wbuf *w, uint8_t type, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	put_attr(w, type, b, 4);
}

/* RFC 3580 3.20, 3.21: "00-10-A4-23-19-C0". */
static void put_mac(struct wbuf *w, uint8_t type, const uint8_t mac[6])
{
	char s[18];

	snprintf(s, sizeof(s), "%02X-%02X-%02X-%02X-%02X-%02X",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	put_attr(w, type, s, 17);
}

/* NAS-IP-Address or NAS-IPv6-Address from text; 0, or -EINVAL. */
static int put_nas_ip(struct wbuf *w, const char *ip)
{
	uint8_t a[16];

	if (!ip[0])
		return 0;
	if (inet_pton(AF_INET, ip, a) == 1)
		put_attr(w, RADIUS_ATTR_NAS_IP_ADDRESS, a, 4);
	else if (inet_pton(AF_INET6, ip, a) == 1)
		put_attr(w, RADIUS_ATTR_NAS_IPV6_ADDRESS, a, 16);
	else
		return -EINVAL;
	return 0;
}

static size_t text_len(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	return n > RADIUS_ATTR_MAX ? RADIUS_ATTR_MAX : n;
}

int radius_check_request(const struct radius_conf *c, const struct radius_req *req)
{
	if (!c->secret_len || c->secret_len > RADIUS_SECRET_MAX)
		return -EINVAL;
	if (!req->eap || !req->eap_len || req->state_len > RADIUS_ATTR_MAX ||
	    (req->state_len && !req->state))
		return -EINVAL;
	return 0;
}

int radius_build_request(const struct radius_conf *c, const struct radius_req *req,
			 uint8_t id, const uint8_t auth[RADIUS_AUTH_LEN],
			 uint8_t *buf, size_t max)
{
	static const uint8_t zero[16], key_name_ask;
	struct wbuf w = { .p = buf, .len = RADIUS_HDR_LEN,
			  .max = max < RADIUS_MAX_LEN ? max : RADIUS_MAX_LEN };
	const char *nas_id = c->nas_id[0] ? c->nas_id : "vsecy-mkad";
	size_t off, n;

	if (radius_check_request(c, req))
		return -EINVAL;
	if (max < RADIUS_HDR_LEN)
		return -EMSGSIZE;
	buf[0] = RADIUS_CODE_ACCESS_REQUEST;
	buf[1] = id;
	memcpy(buf + 4, auth, RADIUS_AUTH_LEN);
	/* first, so that no chosen prefix precedes it (BlastRADIUS) */
	put_attr(&w, RADIUS_ATTR_MESSAGE_AUTH, zero, 16);
	if (req->user_name && req->user_name[0])
		put_attr(&w, RADIUS_ATTR_USER_NAME, req->user_name,
			 text_len(req->user_name, RADIUS_ATTR_MAX));
	if (put_nas_ip(&w, c->nas_ip))
		return -EINVAL;
	put_attr(&w, RADIUS_ATTR_NAS_IDENTIFIER, nas_id, text_len(nas_id, sizeof(c->nas_id)));
	put_mac(&w, RADIUS_ATTR_CALLED_STATION_ID, req->called_mac);
	put_mac(&w, RADIUS_ATTR_CALLING_STATION_ID, req->calling_mac);
	put_u32(&w, RADIUS_ATTR_NAS_PORT_TYPE, NAS_PORT_TYPE_ETHERNET);
	put_u32(&w, RADIUS_ATTR_SERVICE_TYPE, SERVICE_TYPE_FRAMED);
	put_u32(&w, RADIUS_ATTR_FRAMED_MTU, FRAMED_MTU);
	if (req->nas_port_id && req->nas_port_id[0])
		put_attr(&w, RADIUS_ATTR_NAS_PORT_ID, req->nas_port_id,
			 text_len(req->nas_port_id, RADIUS_ATTR_MAX));
	if (req->state_len)
		put_attr(&w, RADIUS_ATTR_STATE, req->state, req->state_len);
	put_attr(&w, RADIUS_ATTR_EAP_KEY_NAME, &key_name_ask, 1);
	for (off = 0; off < req->eap_len; off += n) {
		n = req->eap_len - off;
		if (n > RADIUS_ATTR_MAX)
			n = RADIUS_ATTR_MAX;
		put_attr(&w, RADIUS_ATTR_EAP_MESSAGE, req->eap + off, n);
	}
	if (w.over)
		return -EMSGSIZE;
	put_be16(buf + 2, w.len);
	if (msg_auth(c->secret, c->secret_len, buf, w.len, auth, RADIUS_HDR_LEN + 2,
		     buf + RADIUS_HDR_LEN + 2))
		return -EIO;
	return (int)w.len;
}

/* Replies -------------------------------------------------------------- */

const char *radius_drop_str(enum radius_drop d)
{
	switch (d) {
	case RADIUS_OK:
		return "accepted";
	case RADIUS_DROP_MALFORMED:
		return "malformed (a packet or attribute length)";
	case RADIUS_DROP_CODE:
		return "not an Access-Accept, -Reject or -Challenge";
	case RADIUS_DROP_ID:
		return "no request of its identifier outstanding";
	case RADIUS_DROP_AUTHENTICATOR:
		return "bad Response Authenticator (wrong shared secret?)";
	case RADIUS_DROP_NO_MSG_AUTH:
		return "no Message-Authenticator";
	case RADIUS_DROP_MSG_AUTH:
		return "bad Message-Authenticator";
	case RADIUS_DROP_EAP:
		return "its EAP-Message attributes do not hold one EAP packet";
	case RADIUS_DROP_MPPE:
		return "an MS-MPPE key attribute does not decrypt";
	}
	return "?";
}

/*
 * Walks the attributes of pkt[RADIUS_HDR_LEN..len): every length within
 * the packet, at most one Message-Authenticator of 16 octets (its value's
 * offset in *ma, 0 if none), and whether there is an EAP-Message.
 */
static enum radius_drop scan_attrs(const uint8_t *pkt, size_t len, size_t *ma, bool *has_eap)
{
	size_t off;

	*ma = 0;
	*has_eap = false;
	for (off = RADIUS_HDR_LEN; off < len; off += pkt[off + 1]) {
		if (len - off < 2 || pkt[off + 1] < 2 || pkt[off + 1] > len - off)
			return RADIUS_DROP_MALFORMED;
		if (pkt[off] == RADIUS_ATTR_MESSAGE_AUTH) {
			if (*ma || pkt[off + 1] != 18)
				return RADIUS_DROP_MALFORMED;
			*ma = off + 2;
		} else if (pkt[off] == RADIUS_ATTR_EAP_MESSAGE) {
			*has_eap = true;
		}
	}
	return RADIUS_OK;
}

static enum radius_drop mppe_key(const uint8_t *secret, size_t secret_len,
				 const uint8_t *req_auth, const uint8_t *val, size_t len,
				 uint8_t *dst, bool *have)
{
	uint8_t key[RADIUS_ATTR_MAX];
	size_t key_len = 0;
	int ret;

	if (*have)
		return RADIUS_DROP_MALFORMED;	/* twice */
	ret = radius_mppe_decrypt(secret, secret_len, req_auth, val, len, key, sizeof(key),
				  &key_len);
	if (!ret && key_len == RADIUS_MPPE_KEY_LEN) {
		memcpy(dst, key, RADIUS_MPPE_KEY_LEN);
		*have = true;
	}
	/* a key of another length decrypts but is no MSK half: ignored */
	crypto_wipe(key, sizeof(key));
	return ret ? RADIUS_DROP_MPPE : RADIUS_OK;
}

/* A Vendor-Specific attribute's value (RFC 2865 5.26): Microsoft's keys. */
static enum radius_drop vendor_attr(const uint8_t *secret, size_t secret_len,
				    const uint8_t *req_auth, const uint8_t *v, size_t len,
				    struct radius_reply *rep)
{
	enum radius_drop d = RADIUS_OK;
	size_t off;

	if (len < 4)
		return RADIUS_DROP_MALFORMED;
	if (get_be32(v) != RADIUS_VENDOR_MICROSOFT)
		return RADIUS_OK;
	/* RFC 2548 2: Vendor-Type, Vendor-Length, value; one or more */
	for (off = 4; off < len && !d; off += v[off + 1]) {
		if (len - off < 2 || v[off + 1] < 2 || v[off + 1] > len - off)
			return RADIUS_DROP_MALFORMED;
		if (v[off] == RADIUS_MS_MPPE_RECV_KEY)
			d = mppe_key(secret, secret_len, req_auth, v + off + 2, v[off + 1] - 2u,
				     rep->msk, &rep->have_recv_key);
		else if (v[off] == RADIUS_MS_MPPE_SEND_KEY)
			d = mppe_key(secret, secret_len, req_auth, v + off + 2, v[off + 1] - 2u,
				     rep->msk + RADIUS_MPPE_KEY_LEN, &rep->have_send_key);
	}
	return d;
}

/* Copies a value that may come once; false if it came before. */
static bool once(uint8_t *dst, size_t *dst_len, const uint8_t *v, size_t len)
{
	if (*dst_len)
		return false;
	memcpy(dst, v, len);
	*dst_len = len;
	return true;
}

/* The attributes of an authenticated reply into *rep. */
static enum radius_drop collect(const uint8_t *secret, size_t secret_len,
				const uint8_t *req_auth, const uint8_t *pkt, size_t len,
				struct radius_reply *rep)
{
	enum radius_drop d = RADIUS_OK;
	size_t off;

	for (off = RADIUS_HDR_LEN; off < len && !d; off += pkt[off + 1]) {
		const uint8_t *v = pkt + off + 2;
		size_t vlen = pkt[off + 1] - 2u;

		switch (pkt[off]) {
		case RADIUS_ATTR_EAP_MESSAGE:
			memcpy(rep->eap + rep->eap_len, v, vlen);	/* < len */
			rep->eap_len += vlen;
			break;
		case RADIUS_ATTR_STATE:
			if (!vlen || !once(rep->state, &rep->state_len, v, vlen))
				d = RADIUS_DROP_MALFORMED;
			break;
		case RADIUS_ATTR_EAP_KEY_NAME:
			if (!vlen || !once(rep->key_name, &rep->key_name_len, v, vlen))
				d = RADIUS_DROP_MALFORMED;
			break;
		case RADIUS_ATTR_SESSION_TIMEOUT:
			if (vlen != 4)
				d = RADIUS_DROP_MALFORMED;
			else
				rep->session_timeout = get_be32(v);
			break;
		case RADIUS_ATTR_VENDOR_SPECIFIC:
			d = vendor_attr(secret, secret_len, req_auth, v, vlen, rep);
			break;
		}
	}
	return d;
}

static enum radius_drop check_reply(const uint8_t *secret, size_t secret_len, uint8_t id,
				    const uint8_t *req_auth, bool eap, const uint8_t *pkt,
				    size_t len, struct radius_reply *rep)
{
	uint8_t want[16];
	enum radius_drop d;
	bool has_eap;
	size_t ma;

	/* octets past Length are padding (RFC 2865 3) */
	if (len < RADIUS_HDR_LEN || get_be16(pkt + 2) < RADIUS_HDR_LEN ||
	    get_be16(pkt + 2) > len || get_be16(pkt + 2) > RADIUS_MAX_LEN)
		return RADIUS_DROP_MALFORMED;
	len = get_be16(pkt + 2);
	if (pkt[0] != RADIUS_CODE_ACCESS_ACCEPT && pkt[0] != RADIUS_CODE_ACCESS_REJECT &&
	    pkt[0] != RADIUS_CODE_ACCESS_CHALLENGE)
		return RADIUS_DROP_CODE;
	if (pkt[1] != id)
		return RADIUS_DROP_ID;
	d = scan_attrs(pkt, len, &ma, &has_eap);
	if (d)
		return d;
	if (response_auth(secret, secret_len, pkt, len, req_auth, want) ||
	    crypto_memcmp(want, pkt + 4, 16))
		return RADIUS_DROP_AUTHENTICATOR;
	if (!ma && (has_eap || (eap && pkt[0] != RADIUS_CODE_ACCESS_REJECT)))
		return RADIUS_DROP_NO_MSG_AUTH;
	if (ma && (msg_auth(secret, secret_len, pkt, len, req_auth, ma, want) ||
		   crypto_memcmp(want, pkt + ma, 16)))
		return RADIUS_DROP_MSG_AUTH;
	rep->code = pkt[0];
	d = collect(secret, secret_len, req_auth, pkt, len, rep);
	if (d)
		return d;
	if (rep->eap_len && (rep->eap_len < 4 || get_be16(rep->eap + 2) != rep->eap_len))
		return RADIUS_DROP_EAP;
	rep->have_msk = rep->have_recv_key && rep->have_send_key;
	return RADIUS_OK;
}

enum radius_drop radius_check_reply(const uint8_t *secret, size_t secret_len, uint8_t id,
				    const uint8_t req_auth[RADIUS_AUTH_LEN], bool eap,
				    const uint8_t *pkt, size_t len, struct radius_reply *rep)
{
	enum radius_drop d;

	crypto_wipe(rep, sizeof(*rep));
	d = check_reply(secret, secret_len, id, req_auth, eap, pkt, len, rep);
	if (d)
		crypto_wipe(rep, sizeof(*rep));
	return d;
}

/*
 * RFC 2548 2.4.2: b(1) = MD5(S | R | A), c(1) = p(1) xor b(1),
 * b(i) = MD5(S | c(i-1)), c(i) = p(i) xor b(i): the same keystream both
 * ways, computed from the ciphertext c.
 */
static int mppe_stream(const uint8_t *secret, size_t secret_len, const uint8_t *req_auth,
		       const uint8_t salt[2], const uint8_t *c, size_t i, uint8_t b[16])
{
	struct chunk v[3] = {
		{ secret, secret_len },
		{ i ? c + i - 16 : req_auth, 16 },
		{ salt, 2 },
	};

	return md5_chunks(v, i ? 2 : 3, b);
}

int radius_mppe_decrypt(const uint8_t *secret, size_t secret_len,
			const uint8_t req_auth[RADIUS_AUTH_LEN], const uint8_t *val,
			size_t val_len, uint8_t *key, size_t key_max, size_t *key_len)
{
	uint8_t p[RADIUS_ATTR_MAX], b[16];
	const uint8_t *c = val + 2;
	size_t n, i, j;
	int ret = 0;

	*key_len = 0;
	if (val_len < 2 + 16 || val_len > RADIUS_ATTR_MAX || (val_len - 2) % 16 ||
	    !(val[0] & 0x80))
		return -EBADMSG;
	n = val_len - 2;
	for (i = 0; i < n && !ret; i += 16) {
		ret = mppe_stream(secret, secret_len, req_auth, val, c, i, b) ? -EIO : 0;
		for (j = 0; j < 16; j++)
			p[i + j] = c[i + j] ^ b[j];
	}
	if (!ret && (p[0] > n - 1 || p[0] > key_max))
		ret = -EBADMSG;
	if (!ret) {
		memcpy(key, p + 1, p[0]);
		*key_len = p[0];
	}
	crypto_wipe(p, sizeof(p));
	crypto_wipe(b, sizeof(b));
	return ret;
}

int radius_mppe_encrypt(const uint8_t *secret, size_t secret_len,
			const uint8_t req_auth[RADIUS_AUTH_LEN], uint16_t salt,
			const uint8_t *key, size_t key_len, uint8_t *out)
{
	uint8_t p[RADIUS_ATTR_MAX], b[16];
	size_t n = (key_len + 1 + 15) / 16 * 16, i, j;
	int ret = 0;

	if (2 + n > RADIUS_ATTR_MAX)
		return -EINVAL;
	memset(p, 0, sizeof(p));
	p[0] = (uint8_t)key_len;
	memcpy(p + 1, key, key_len);
	out[0] = (uint8_t)(0x80 | salt >> 8);
	out[1] = (uint8_t)salt;
	for (i = 0; i < n && !ret; i += 16) {
		ret = mppe_stream(secret, secret_len, req_auth, out, out + 2, i, b) ? -EIO : 0;
		for (j = 0; j < 16; j++)
			out[2 + i + j] = p[i + j] ^ b[j];
	}
	crypto_wipe(p, sizeof(p));
	crypto_wipe(b, sizeof(b));
	return ret ? ret : (int)(2 + n);
}

int radius_sign_reply(const uint8_t *secret, size_t secret_len,
		      const uint8_t req_auth[RADIUS_AUTH_LEN], uint8_t *pkt, size_t len)
{
	bool has_eap;
	size_t ma;

	if (len < RADIUS_HDR_LEN || len > RADIUS_MAX_LEN)
		return -EINVAL;
	put_be16(pkt + 2, len);
	if (scan_attrs(pkt, len, &ma, &has_eap))
		return -EINVAL;
	if (ma && msg_auth(secret, secret_len, pkt, len, req_auth, ma, pkt + ma))
		return -EIO;
	return response_auth(secret, secret_len, pkt, len, req_auth, pkt + 4) ? -EIO : 0;
}
