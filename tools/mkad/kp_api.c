// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the two key-provider APIs on top of kp_http.c.
 *
 * SKIP (draft-cisco-skip-02): a new key is
 *   GET {prefix}/key?remoteSystemID=R&size=BITS
 * the key of an ID
 *   GET {prefix}/key/{hexid}?remoteSystemID=R   (lowercase hex, no size)
 * both answer {"keyId": hex, "key": hex}; the keyId is 1..32 octets and
 * must be the one asked for; the key must be key_bits/8 octets. The
 * check is GET {prefix}/capabilities with "key": true.
 *
 * ETSI GS QKD 014: a new key is
 *   GET {prefix}/api/v1/keys/{remote_id}/enc_keys?number=1&size=BITS
 * the key of an ID
 *   GET {prefix}/api/v1/keys/{remote_id}/dec_keys?key_ID={uuid}
 * both answer {"keys": [{"key_ID": uuid, "key": base64}]}; the ID is the
 * UUID's 16 octets. The check is GET .../status.
 *
 * JSON is jansson, with an allocator that wipes every block it frees (its
 * size is kept in a header before the block), so that the strings that
 * held a key are gone once parsed. Parse errors report a position only:
 * jansson's own message may quote the input.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "crypto.h"
#include "kp.h"
#include "util.h"

#define HDR	16	/* keeps the blocks aligned as malloc's */

static void *wipe_malloc(size_t size)
{
	uint8_t *p;

	if (size > SIZE_MAX - HDR)
		return NULL;
	p = malloc(size + HDR);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof(size));
	return p + HDR;
}

static void wipe_free(void *ptr)
{
	uint8_t *p = ptr;
	size_t size;

	if (!p)
		return;
	p -= HDR;
	memcpy(&size, p, sizeof(size));
	crypto_wipe(p, size + HDR);
	free(p);
}

static pthread_once_t alloc_once = PTHREAD_ONCE_INIT;

static void set_alloc(void)
{
	json_set_alloc_funcs(wipe_malloc, wipe_free);
}

void kp_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static json_t *load(const char *body, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *j;

	pthread_once(&alloc_once, set_alloc);
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		kp_seterr(err, errlen, "malformed JSON (line %d column %d)", jerr.line, jerr.column);
	crypto_wipe(&jerr, sizeof(jerr));	/* its text may quote the input */
	return j;
}

int kp_hex_decode(const char *in, size_t in_len, uint8_t *out, size_t outmax)
{
	return hex_decode(in, in_len, out, outmax);
}

static int b64val(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

int kp_base64_decode(const char *in, size_t in_len, uint8_t *out, size_t outmax)
{
	size_t i, n = 0;

	if (in_len % 4)
		return -1;
	for (i = 0; i < in_len; i += 4) {
		int v[4], k, pad = 0;
		uint32_t w = 0;

		for (k = 0; k < 4; k++) {
			if (in[i + k] == '=' && i + 4 == in_len && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad)
				return -1;	/* data after '=' */
			v[k] = b64val((unsigned char)in[i + k]);
			if (v[k] < 0)
				return -1;
		}
		w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		/* the bits the padding drops must be zero (canonical form) */
		if ((pad == 1 && (w & 0xff)) || (pad == 2 && (w & 0xffff)))
			return -1;
		if (n + 3 - (size_t)pad > outmax)
			return -1;
		out[n++] = (uint8_t)(w >> 16);
		if (pad < 2)
			out[n++] = (uint8_t)(w >> 8);
		if (pad < 1)
			out[n++] = (uint8_t)w;
		crypto_wipe(&w, sizeof(w));
		crypto_wipe(v, sizeof(v));
	}
	return (int)n;
}

int kp_uuid_parse(const char *in, uint8_t out[16])
{
	size_t i, n = 0;

	if (strlen(in) != 36)
		return -1;
	for (i = 0; i < 36; ) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (in[i] != '-')
				return -1;
			i++;
			continue;
		}
		hi = hex_digit((unsigned char)in[i]);
		lo = hex_digit((unsigned char)in[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return 0;
}

static const char *str_field(json_t *o, const char *name, size_t *len)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_string(v))
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

int kp_parse_key_reply(enum kp_api api, unsigned int key_bits, const char *body,
		       size_t len, struct kp_key *k, char *err, size_t errlen)
{
	size_t want = key_bits / 8, id_len = 0, key_len = 0;
	const char *id, *key;
	json_t *j, *o;
	int n, ret = -EPROTO;

	memset(k, 0, sizeof(*k));
	j = load(body, len, err, errlen);
	if (!j)
		return -EPROTO;
	if (api == KP_API_SKIP) {
		o = j;
	} else {
		json_t *keys = json_object_get(j, "keys");

		if (!json_is_array(keys) || json_array_size(keys) != 1) {
			kp_seterr(err, errlen, "reply has no \"keys\" array of one key");
			goto out;
		}
		o = json_array_get(keys, 0);
	}
	if (!json_is_object(o)) {
		kp_seterr(err, errlen, "reply is not a JSON object");
		goto out;
	}
	id = str_field(o, api == KP_API_SKIP ? "keyId" : "key_ID", &id_len);
	key = str_field(o, "key", &key_len);
	if (!id || !key) {
		kp_seterr(err, errlen, "reply lacks the key ID or the key");
		goto out;
	}
	if (api == KP_API_SKIP) {
		n = kp_hex_decode(id, id_len, k->id, sizeof(k->id));
		if (n <= 0) {
			kp_seterr(err, errlen, id_len > 2 * KP_MAX_ID_LEN ?
			       "keyId over 32 octets" : "keyId is not hex");
			goto out;
		}
		k->id_len = (size_t)n;
		n = kp_hex_decode(key, key_len, k->key, sizeof(k->key));
	} else {
		if (id_len != 36 || kp_uuid_parse(id, k->id)) {
			kp_seterr(err, errlen, "key_ID is not a UUID");
			goto out;
		}
		k->id_len = 16;
		n = kp_base64_decode(key, key_len, k->key, sizeof(k->key));
	}
	if (n < 0) {
		kp_seterr(err, errlen, api == KP_API_SKIP ? "key is not hex" : "key is not Base64");
		goto out;
	}
	k->key_len = (size_t)n;
	if (k->key_len != want) {
		kp_seterr(err, errlen, "key of %zu octets, %zu expected", k->key_len, want);
		goto out;
	}
	ret = 0;
out:
	json_decref(j);		/* wiped by wipe_free */
	if (ret)
		crypto_wipe(k, sizeof(*k));
	return ret;
}

/* Percent-encodes s (unreserved characters kept): 0 or -1 if too long. */
static int urlenc(const char *s, char *out, size_t outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
			if (n + 1 >= outlen)
				return -1;
			out[n++] = (char)ch;
		} else {
			if (n + 3 >= outlen)
				return -1;
			out[n++] = '%';
			out[n++] = hex[ch >> 4];
			out[n++] = hex[ch & 15];
		}
	}
	out[n] = 0;
	return 0;
}

void kp_id_string(enum kp_api api, const uint8_t *id, size_t id_len, char *out, size_t outlen)
{
	size_t i, n = 0;

	if (!outlen)
		return;
	out[0] = 0;
	for (i = 0; i < id_len && n + 3 <= outlen; i++) {
		if (api == KP_API_ETSI014 && id_len == 16 &&
		    (i == 4 || i == 6 || i == 8 || i == 10)) {
			if (n + 4 > outlen)
				break;
			out[n++] = '-';
		}
		n += (size_t)snprintf(out + n, outlen - n, "%02x", id[i]);
	}
	out[n] = 0;
}

void kp_fingerprint(const struct kp_key *k, char out[9])
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!EVP_Digest(k->key, k->key_len, md, &len, EVP_sha256(), NULL) || len < 4) {
		snprintf(out, 9, "????????");
		return;
	}
	snprintf(out, 9, "%02x%02x%02x%02x", md[0], md[1], md[2], md[3]);
	crypto_wipe(md, sizeof(md));
}

/* Copies a server's error message, printable only, for err. */
static void server_message(const struct kp_http_resp *r, char *out, size_t outlen)
{
	const char *m = NULL;
	size_t i, n = 0, len = 0;
	json_t *j;

	out[0] = 0;
	if (!r->body_len || outlen < 8)
		return;
	pthread_once(&alloc_once, set_alloc);
	j = json_loadb(r->body, r->body_len, 0, NULL);
	if (json_is_object(j))
		m = str_field(j, "message", &len);
	if (m) {
		n = (size_t)snprintf(out, outlen, ": ");
		for (i = 0; i < len && n + 1 < outlen && i < 80; i++)
			out[n++] = isprint((unsigned char)m[i]) ? m[i] : '?';
		out[n] = 0;
	}
	json_decref(j);
}

/* Maps an HTTP status other than 200 to an errno. */
static int status_err(const struct kp_http_resp *r, bool lookup, const char *what,
		      char *err, size_t errlen)
{
	char msg[96];
	int s = r->status, ret;

	server_message(r, msg, sizeof(msg));
	if (s == 401 || s == 403)
		ret = -EACCES;
	else if ((s == 400 || s == 404) && lookup)
		ret = -ENOENT;
	else if (s == 400 || s == 404)
		ret = -EINVAL;
	else if (s >= 500)
		ret = -EAGAIN;
	else
		ret = -EPROTO;
	kp_seterr(err, errlen, "%s: HTTP %d%s", what, s, msg);
	return ret;
}

static int key_request(const struct kp_conf *c, const char *path, bool lookup,
		       struct kp_key *k, char *err, size_t errlen)
{
	struct kp_http_resp r;
	int ret;

	memset(k, 0, sizeof(*k));
	ret = kp_http_request(c, "GET", path, NULL, &r, err, errlen);
	if (!ret && r.status != 200)
		ret = status_err(&r, lookup, lookup ? "key by ID" : "new key", err, errlen);
	else if (!ret)
		ret = kp_parse_key_reply(c->api, c->key_bits ? c->key_bits : 256, r.body,
					 r.body_len, k, err, errlen);
	kp_http_resp_free(&r);
	return ret;
}

static int check_conf(const struct kp_conf *c, char *err, size_t errlen)
{
	unsigned int bits = c->key_bits ? c->key_bits : 256;

	if (bits != 128 && bits != 256) {
		kp_seterr(err, errlen, "key size %u bits: 128 or 256", bits);
		return -EINVAL;
	}
	if (!c->remote_id[0]) {
		kp_seterr(err, errlen, "no remote ID");
		return -EINVAL;
	}
	return 0;
}

int kp_new_key(const struct kp_conf *c, struct kp_key *k, char *err, size_t errlen)
{
	unsigned int bits = c->key_bits ? c->key_bits : 256;
	char rid[3 * sizeof(c->remote_id) + 1], path[1024];
	int ret;

	memset(k, 0, sizeof(*k));
	ret = check_conf(c, err, errlen);
	if (ret)
		return ret;
	urlenc(c->remote_id, rid, sizeof(rid));
	if (c->api == KP_API_SKIP)
		snprintf(path, sizeof(path), "%s/key?remoteSystemID=%s&size=%u",
			 c->prefix, rid, bits);
	else
		snprintf(path, sizeof(path), "%s/api/v1/keys/%s/enc_keys?number=1&size=%u",
			 c->prefix, rid, bits);
	return key_request(c, path, false, k, err, errlen);
}

int kp_get_key(const struct kp_conf *c, const uint8_t *id, size_t id_len, struct kp_key *k,
	       char *err, size_t errlen)
{
	char rid[3 * sizeof(c->remote_id) + 1], path[1024], ids[2 * KP_MAX_ID_LEN + 8];
	int ret;

	memset(k, 0, sizeof(*k));
	ret = check_conf(c, err, errlen);
	if (ret)
		return ret;
	if ((c->api == KP_API_ETSI014 && id_len != 16) || !id_len || id_len > KP_MAX_ID_LEN) {
		kp_seterr(err, errlen, "a key ID of %zu octets cannot be a %s key ID", id_len,
		       c->api == KP_API_SKIP ? "SKIP" : "ETSI 014");
		return -ENOENT;
	}
	urlenc(c->remote_id, rid, sizeof(rid));
	kp_id_string(c->api, id, id_len, ids, sizeof(ids));
	if (c->api == KP_API_SKIP)
		snprintf(path, sizeof(path), "%s/key/%s?remoteSystemID=%s", c->prefix, ids, rid);
	else
		snprintf(path, sizeof(path), "%s/api/v1/keys/%s/dec_keys?key_ID=%s",
			 c->prefix, rid, ids);
	ret = key_request(c, path, true, k, err, errlen);
	if (!ret && (k->id_len != id_len || memcmp(k->id, id, id_len))) {
		kp_seterr(err, errlen, "provider answered with another key ID");
		crypto_wipe(k, sizeof(*k));
		ret = -EPROTO;
	}
	return ret;
}

int kp_check(const struct kp_conf *c, char *err, size_t errlen)
{
	unsigned int bits = c->key_bits ? c->key_bits : 256;
	char rid[3 * sizeof(c->remote_id) + 1], path[1024];
	struct kp_http_resp r;
	json_t *j = NULL, *v;
	int ret;

	ret = check_conf(c, err, errlen);
	if (ret)
		return ret;
	urlenc(c->remote_id, rid, sizeof(rid));
	if (c->api == KP_API_SKIP)
		snprintf(path, sizeof(path), "%s/capabilities", c->prefix);
	else
		snprintf(path, sizeof(path), "%s/api/v1/keys/%s/status", c->prefix, rid);
	ret = kp_http_request(c, "GET", path, NULL, &r, err, errlen);
	if (ret)
		goto out;
	if (r.status != 200) {
		ret = status_err(&r, false, c->api == KP_API_SKIP ? "capabilities" : "status",
				 err, errlen);
		goto out;
	}
	j = load(r.body, r.body_len, err, errlen);
	ret = -EPROTO;
	if (!json_is_object(j)) {
		if (j)
			kp_seterr(err, errlen, "reply is not a JSON object");
		goto out;
	}
	if (c->api == KP_API_SKIP) {
		if (!json_is_true(json_object_get(j, "key"))) {
			kp_seterr(err, errlen, "provider does not offer keys (\"key\" not true)");
			goto out;
		}
	} else {
		v = json_object_get(j, "max_key_size");
		if (json_is_integer(v) && json_integer_value(v) < bits) {
			kp_seterr(err, errlen, "provider's max_key_size %lld < %u",
			       (long long)json_integer_value(v), bits);
			goto out;
		}
		v = json_object_get(j, "min_key_size");
		if (json_is_integer(v) && json_integer_value(v) > bits) {
			kp_seterr(err, errlen, "provider's min_key_size %lld > %u",
			       (long long)json_integer_value(v), bits);
			goto out;
		}
	}
	kp_seterr(err, errlen, "ok");
	ret = 0;
out:
	json_decref(j);
	kp_http_resp_free(&r);
	return ret;
}

int kp_parse_url(const char *url, struct kp_conf *c)
{
	const char *p, *h, *hend, *rest;
	size_t hlen, plen;
	unsigned long port = 443;

	if (strncasecmp(url, "https://", 8))
		return -EINVAL;
	p = url + 8;
	if (*p == '[') {
		h = p + 1;
		hend = strchr(h, ']');
		if (!hend || !memchr(h, ':', (size_t)(hend - h)))
			return -EINVAL;
		rest = hend + 1;
	} else {
		h = p;
		hend = h + strcspn(h, ":/?#");
		rest = hend;
	}
	hlen = (size_t)(hend - h);
	if (!hlen || hlen >= sizeof(c->host))
		return -EINVAL;
	for (p = h; p < hend; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-_:%", *p))
			return -EINVAL;
	if (*rest == ':') {
		char *end;

		if (!isdigit((unsigned char)rest[1]))
			return -EINVAL;
		errno = 0;
		port = strtoul(rest + 1, &end, 10);
		if (errno || !port || port > 65535)
			return -EINVAL;
		rest = end;
	}
	if (*rest && *rest != '/')
		return -EINVAL;
	plen = strlen(rest);
	while (plen && rest[plen - 1] == '/')
		plen--;
	if (plen >= sizeof(c->prefix))
		return -EINVAL;
	for (p = rest; p < rest + plen; p++)
		if (!isgraph((unsigned char)*p) || *p == '?' || *p == '#')
			return -EINVAL;
	memcpy(c->host, h, hlen);
	c->host[hlen] = 0;
	c->port = (uint16_t)port;
	memcpy(c->prefix, rest, plen);
	c->prefix[plen] = 0;
	return 0;
}
