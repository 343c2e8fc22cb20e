/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: a blocking HTTPS client of a quantum key provider, speaking
 * SKIP (draft-cisco-skip-02) or ETSI GS QKD 014. kp_http.c is the TLS 1.3
 * and HTTP/1.1 transport, kp_api.c the two APIs on top of it. Every call
 * blocks for at most the configured timeout: keysrc_qkd.c runs them on a
 * worker thread, never on the event loop.
 */
#ifndef MKAD_KP_H
#define MKAD_KP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kp_api { KP_API_SKIP, KP_API_ETSI014 };

struct kp_conf {
	enum kp_api api;
	char host[256];
	uint16_t port;			/* default 443 */
	char prefix[128];		/* path before the API's routes, "" or "/qkd" */
	char remote_id[64];		/* SKIP remoteSystemID, ETSI 014 the peer's SAE ID */
	unsigned int key_bits;		/* 128 or 256 (default 256) */
	char ca_file[256];		/* verifies the provider's certificate */
	char cert_file[256], key_file[256];	/* our client certificate (ETSI 014: mutual TLS) */
	char psk_identity[128];
	uint8_t psk[64];
	size_t psk_len;			/* >0: TLS 1.3 external PSK */
	double timeout;			/* seconds for a whole request, default 5 */
};

/* "https://host[:port][/prefix]" (host may be "[v6 address]"); sets host,
 * port and prefix only. 0 or -EINVAL. */
int kp_parse_url(const char *url, struct kp_conf *c);

#define KP_MAX_ID_LEN	32
#define KP_MAX_KEY_LEN	64

struct kp_key {
	uint8_t id[KP_MAX_ID_LEN];
	size_t id_len;
	uint8_t key[KP_MAX_KEY_LEN];
	size_t key_len;
};

/*
 * Each blocks for at most c->timeout. 0, or a negative errno:
 *  -ENOENT     the provider has no such key (SKIP 400/404 on /key/{id},
 *              ETSI 400/404 on dec_keys), or the ID cannot be one of
 *              this API (ETSI 014: not 16 octets; SKIP: 0 or over 32)
 *  -ETIMEDOUT, -ECONNREFUSED, -EHOSTUNREACH, -ENETUNREACH  unreachable
 *              (also -ECONNRESET, -EPIPE, -EADDRNOTAVAIL): worth retrying
 *  -EAGAIN     provider up but unable now (HTTP 5xx, 503)
 *  -EACCES     TLS handshake or certificate verification failed, or
 *              HTTP 401/403: a configuration error
 *  -EINVAL     the provider rejected a new-key request (HTTP 400/404 on
 *              SKIP /key or ETSI enc_keys: remote ID, size, prefix), or
 *              the configuration is incomplete: a configuration error
 *  -EPROTO     malformed HTTP or JSON, wrong key length, key ID over 32
 *              octets, keyId other than the one asked for
 * err gets a one-line reason, never key material. k is the caller's
 * (secmem) memory; on failure it is wiped.
 */
int kp_new_key(const struct kp_conf *c, struct kp_key *k, char *err, size_t errlen);
int kp_get_key(const struct kp_conf *c, const uint8_t *id, size_t id_len, struct kp_key *k,
	       char *err, size_t errlen);
/* SKIP GET /capabilities ("key": true), ETSI GET status (key size in range). */
int kp_check(const struct kp_conf *c, char *err, size_t errlen);

/* first 4 octets of SHA-256(key) in hex: what logs may show of a key */
void kp_fingerprint(const struct kp_key *k, char out[9]);
/* the ID as the API writes it: SKIP lowercase hex, ETSI 014 UUID
 * 8-4-4-4-12 (lowercase hex if not 16 octets). Always NUL-terminated. */
void kp_id_string(enum kp_api api, const uint8_t *id, size_t id_len, char *out, size_t outlen);

/*
 * Internals, exposed for the unit tests.
 *
 * kp_parse_key_reply: the body of a 200 answer to a key request: SKIP
 * {"keyId":hex,"key":hex}, ETSI 014 {"keys":[{"key_ID":uuid,"key":b64}]}
 * (exactly one key). The key must be key_bits/8 octets. 0 or -EPROTO.
 */
int kp_parse_key_reply(enum kp_api api, unsigned int key_bits, const char *body,
		       size_t len, struct kp_key *k, char *err, size_t errlen);
/* Strict Base64 (RFC 4648, padded): the decoded length, or -1 if malformed
 * or longer than outmax. */
int kp_base64_decode(const char *in, size_t in_len, uint8_t *out, size_t outmax);
/* Hex of any case, even length: the decoded length, or -1. */
int kp_hex_decode(const char *in, size_t in_len, uint8_t *out, size_t outmax);
/* UUID 8-4-4-4-12 of any case into 16 octets: 0 or -1. */
int kp_uuid_parse(const char *in, uint8_t out[16]);

/* A one-line reason into err (kp_api.c). */
void kp_seterr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* kp_http.c: one request on a connection of its own. */
#define KP_BODY_MAX	(64 * 1024)

struct kp_http_resp {
	int status;
	char *body;		/* NUL-terminated, secmem of KP_BODY_MAX + 1 */
	size_t body_len;
};

/* 0 with r->status and the body (any status), or a negative errno as
 * above for transport failures. body: NULL for none (POST sends it as
 * application/json). Free r with kp_http_resp_free in every case. */
int kp_http_request(const struct kp_conf *c, const char *method, const char *path,
		    const char *body, struct kp_http_resp *r, char *err, size_t errlen);
/* Wipes and frees the body. */
void kp_http_resp_free(struct kp_http_resp *r);

#endif
