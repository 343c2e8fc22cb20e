// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the EAP-TLS peer (eap_tls.h). The TLS client's records go
 * through two memory BIOs: what the server sent (reassembled from its
 * Requests) is written into rbio and the handshake is run; what the
 * client has to send is read from wbio and goes out in Responses of at
 * most frag_size TLS octets.
 *
 * RFC 5216 3.1: a Request with M set is a fragment, acknowledged by an
 * empty Response; L (the message's total length) comes with the first
 * fragment. While a message of ours is being sent, an empty Request
 * asks for its next fragment. A Request with S starts a new handshake.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto.h"
#include "eap_tls.h"
#include "log.h"
#include "secmem.h"
#include "util.h"

#define FL_L	0x80
#define FL_M	0x40
#define FL_S	0x20

#define HDR	6	/* EAP header, Type, Flags */

struct eap_tls {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *rbio, *wbio;	/* from the server, to the server */
	size_t frag;
	int max_version;
	/* a fragmented Request being reassembled */
	uint8_t *in;
	size_t in_len, in_total;
	bool in_frag;
	/* our message being sent */
	uint8_t *out;
	size_t out_len, out_pos;
	bool hs_done, committed, failed, have_keys;
	uint8_t msk[EAP_TLS_MSK_LEN];
	uint8_t sid[EAP_TLS_SID_MAX];
	size_t sid_len;
	char passwd[256];
	/* the server's name (eap_tls_conf), "": not checked */
	char suffix_match[EAP_TLS_DOMAIN_MAX + 1], domain_match[EAP_TLS_DOMAIN_MAX + 1];
	const char *name_fail;	/* the key the server's certificate failed, or NULL */
};

static void ssl_err(const char *what, char *err, size_t errlen)
{
	unsigned long e = ERR_get_error();
	char buf[160] = "";

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	snprintf(err, errlen, "%s%s%s", what, *buf ? ": " : "", buf);
	ERR_clear_error();
}

#define FAILC(what) do { ssl_err(what, err, errlen); goto fail; } while (0)

/* One name (nl octets) against one value of a list: equal, or ending in "." value. */
static bool name_is(const char *name, size_t nl, const char *v, size_t vl, bool full)
{
	if (!vl || nl < vl || strncasecmp(name + nl - vl, v, vl))
		return false;
	return nl == vl || (!full && name[nl - vl - 1] == '.');
}

/* A name of the certificate against the ';'-separated list; one with a NUL never matches. */
static bool name_in(const ASN1_STRING *s, const char *list, bool full)
{
	unsigned char *u = NULL;
	const char *p = list, *e;
	bool ok = false;
	int n = ASN1_STRING_to_UTF8(&u, s);

	if (n <= 0 || memchr(u, 0, (size_t)n)) {
		if (n > 0)
			log_warn("EAP-TLS: a name with a NUL in the server certificate ignored");
		OPENSSL_free(u);
		return false;
	}
	for (;; p = e + 1) {
		e = strchrnul(p, ';');
		if (name_is((const char *)u, (size_t)n, p, (size_t)(e - p), full)) {
			ok = true;
			break;
		}
		if (!*e)
			break;
	}
	OPENSSL_free(u);
	return ok;
}

/* The dNSName subjectAltNames of x or, if it has none, its subject CNs, against list. */
static bool cert_name_ok(X509 *x, const char *list, bool full)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	const X509_NAME *sn;
	bool have_dns = false, ok = false;
	int i, type;

	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const ASN1_STRING *s = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gens, i),
							       &type);

		if (type != GEN_DNS)
			continue;
		have_dns = true;
		if (name_in(s, list, full))
			ok = true;
	}
	GENERAL_NAMES_free(gens);
	if (have_dns)
		return ok;
	sn = X509_get_subject_name(x);
	for (i = -1; (i = X509_NAME_get_index_by_NID(sn, NID_commonName, i)) >= 0;)
		if (name_in(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(sn, i)), list, full))
			return true;
	return false;
}

/* OpenSSL's check of the chain, then, for the server's certificate, its name. */
static int verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct eap_tls *t = ssl ? SSL_get_app_data(ssl) : NULL;
	X509 *x = X509_STORE_CTX_get_current_cert(xs);

	if (!ok || X509_STORE_CTX_get_error_depth(xs))
		return ok;
	if (!t || !x)
		return 0;
	if (*t->suffix_match && !cert_name_ok(x, t->suffix_match, false))
		t->name_fail = "domain_suffix_match";
	else if (*t->domain_match && !cert_name_ok(x, t->domain_match, true))
		t->name_fail = "domain_match";
	if (!t->name_fail)
		return 1;
	X509_STORE_CTX_set_error(xs, X509_V_ERR_HOSTNAME_MISMATCH);
	return 0;
}

struct eap_tls *eap_tls_new(const struct eap_tls_conf *c, char *err, size_t errlen)
{
	struct eap_tls *t = secmem_alloc(sizeof(*t));

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->frag = c->frag_size ? c->frag_size : EAP_TLS_FRAG_DEF;
	t->max_version = c->max_version ? c->max_version : TLS1_3_VERSION;
	if (t->frag < EAP_TLS_FRAG_MIN || t->frag > EAP_TLS_FRAG_MAX) {
		snprintf(err, errlen, "EAP-TLS fragment size %zu not %d..%d", t->frag,
			 EAP_TLS_FRAG_MIN, EAP_TLS_FRAG_MAX);
		goto fail;
	}
	t->in = calloc(1, EAP_TLS_MSG_MAX);
	t->out = calloc(1, EAP_TLS_MSG_MAX);
	t->ctx = SSL_CTX_new(TLS_client_method());
	if (!t->in || !t->out || !t->ctx)
		FAILC("EAP-TLS: no TLS context");
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(t->ctx, t->max_version);
	SSL_CTX_set_options(t->ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, verify_cb);
	if ((c->domain_suffix_match && strlen(c->domain_suffix_match) > EAP_TLS_DOMAIN_MAX) ||
	    (c->domain_match && strlen(c->domain_match) > EAP_TLS_DOMAIN_MAX)) {
		snprintf(err, errlen, "EAP-TLS: domain_suffix_match or domain_match over %d octets",
			 EAP_TLS_DOMAIN_MAX);
		goto fail;
	}
	snprintf(t->suffix_match, sizeof(t->suffix_match), "%s",
		 c->domain_suffix_match ? c->domain_suffix_match : "");
	snprintf(t->domain_match, sizeof(t->domain_match), "%s",
		 c->domain_match ? c->domain_match : "");
	if (!c->ca_cert || !SSL_CTX_load_verify_locations(t->ctx, c->ca_cert, NULL))
		FAILC("EAP-TLS: ca_cert not loaded");
	if (c->private_key_passwd && *c->private_key_passwd) {
		snprintf(t->passwd, sizeof(t->passwd), "%s", c->private_key_passwd);
		SSL_CTX_set_default_passwd_cb_userdata(t->ctx, t->passwd);
	}
	if (!c->client_cert || SSL_CTX_use_certificate_chain_file(t->ctx, c->client_cert) != 1)
		FAILC("EAP-TLS: client_cert not loaded");
	if (!c->private_key ||
	    SSL_CTX_use_PrivateKey_file(t->ctx, c->private_key, SSL_FILETYPE_PEM) != 1)
		FAILC("EAP-TLS: private_key not loaded (or wrong private_key_passwd)");
	if (SSL_CTX_check_private_key(t->ctx) != 1)
		FAILC("EAP-TLS: private_key does not match client_cert");
	/* the password is not needed once the key is in */
	SSL_CTX_set_default_passwd_cb_userdata(t->ctx, NULL);
	crypto_wipe(t->passwd, sizeof(t->passwd));
	return t;
fail:
	eap_tls_free(t);
	return NULL;
}

void eap_tls_reset(struct eap_tls *t)
{
	if (t->ssl)
		SSL_free(t->ssl);	/* frees the BIOs */
	t->ssl = NULL;
	t->rbio = t->wbio = NULL;
	crypto_wipe(t->in, t->in_len);
	crypto_wipe(t->out, t->out_len);
	t->in_len = t->in_total = t->out_len = t->out_pos = 0;
	t->in_frag = t->hs_done = t->committed = t->failed = t->have_keys = false;
	crypto_wipe(t->msk, sizeof(t->msk));
	crypto_wipe(t->sid, sizeof(t->sid));
	t->sid_len = 0;
	t->name_fail = NULL;
}

void eap_tls_free(struct eap_tls *t)
{
	if (!t)
		return;
	if (t->in)
		eap_tls_reset(t);
	free(t->in);
	free(t->out);
	if (t->ctx)
		SSL_CTX_free(t->ctx);
	crypto_wipe(t, sizeof(*t));
	secmem_free(t, sizeof(*t));
}

const char *eap_tls_version(const struct eap_tls *t)
{
	return t->ssl && t->hs_done ? SSL_get_version(t->ssl) : "";
}

static int new_ssl(struct eap_tls *t)
{
	eap_tls_reset(t);
	t->ssl = SSL_new(t->ctx);
	t->rbio = BIO_new(BIO_s_mem());
	t->wbio = BIO_new(BIO_s_mem());
	if (!t->ssl || !t->rbio || !t->wbio) {
		BIO_free(t->rbio);
		BIO_free(t->wbio);
		if (t->ssl)
			SSL_free(t->ssl);
		t->ssl = NULL;
		t->rbio = t->wbio = NULL;
		return -1;
	}
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	SSL_set_app_data(t->ssl, t);
	SSL_set_connect_state(t->ssl);
	return 0;
}

/* The keys of a finished handshake (eap_tls.h). */
static int derive(struct eap_tls *t)
{
	static const uint8_t ctx13[1] = { EAP_T_TLS };
	static const char km13[] = "EXPORTER_EAP_TLS_Key_Material";
	static const char mid13[] = "EXPORTER_EAP_TLS_Method-Id";
	static const char km12[] = "client EAP encryption";
	uint8_t km[128];
	int ok;

	t->sid[0] = EAP_T_TLS;
	if (SSL_version(t->ssl) >= TLS1_3_VERSION) {
		ok = SSL_export_keying_material(t->ssl, km, sizeof(km), km13, strlen(km13),
						ctx13, sizeof(ctx13), 1) == 1 &&
		     SSL_export_keying_material(t->ssl, t->sid + 1, 64, mid13, strlen(mid13),
						ctx13, sizeof(ctx13), 1) == 1;
		t->sid_len = 65;
	} else {
		ok = SSL_export_keying_material(t->ssl, km, sizeof(km), km12, strlen(km12),
						NULL, 0, 0) == 1 &&
		     SSL_get_client_random(t->ssl, t->sid + 1, 32) == 32 &&
		     SSL_get_server_random(t->ssl, t->sid + 33, 32) == 32;
		t->sid_len = 65;
	}
	if (ok)
		memcpy(t->msk, km, sizeof(t->msk));
	crypto_wipe(km, sizeof(km));
	ERR_clear_error();
	return ok ? 0 : -1;
}

static void log_peer(struct eap_tls *t)
{
	X509 *x = SSL_get1_peer_certificate(t->ssl);
	char subj[256] = "?";

	if (x) {
		X509_NAME_oneline(X509_get_subject_name(x), subj, sizeof(subj));
		X509_free(x);
	}
	log_info("EAP-TLS: %s handshake done, server %s (%s)", SSL_get_version(t->ssl), subj,
		 SSL_get_cipher_name(t->ssl));
}

static void log_failure(struct eap_tls *t)
{
	long v = SSL_get_verify_result(t->ssl);
	unsigned long e = ERR_get_error();
	char buf[160] = "";

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	if (t->name_fail)
		log_warn("EAP-TLS: server certificate name does not match %s", t->name_fail);
	else if (v != X509_V_OK)
		log_warn("EAP-TLS: server certificate refused: %s",
			 X509_verify_cert_error_string(v));
	else
		log_warn("EAP-TLS: handshake failed: %s", *buf ? buf : "?");
}

/* Runs the TLS client on what rbio has; what it says goes to out. */
static void run(struct eap_tls *t)
{
	uint8_t app[64];
	int r;

	if (!t->hs_done && !t->failed) {
		r = SSL_do_handshake(t->ssl);
		if (r == 1) {
			t->hs_done = true;
			log_peer(t);
		} else if (SSL_get_error(t->ssl, r) != SSL_ERROR_WANT_READ) {
			t->failed = true;
			log_failure(t);
		}
	}
	/* TLS 1.3: the commitment message (and tickets) after the handshake */
	while (t->hs_done && !t->failed) {
		r = SSL_read(t->ssl, app, sizeof(app));
		if (r <= 0) {
			if (SSL_get_error(t->ssl, r) != SSL_ERROR_WANT_READ) {
				t->failed = true;
				log_failure(t);
			}
			break;
		}
		if (SSL_version(t->ssl) >= TLS1_3_VERSION && r == 1 && app[0] == 0)
			t->committed = true;
		else
			log_dbg("EAP-TLS: %d octets of application data ignored", r);
	}
	crypto_wipe(app, sizeof(app));
	ERR_clear_error();
	while (BIO_ctrl_pending(t->wbio) && t->out_len < EAP_TLS_MSG_MAX) {
		r = BIO_read(t->wbio, t->out + t->out_len, (int)(EAP_TLS_MSG_MAX - t->out_len));
		if (r <= 0)
			break;
		t->out_len += (size_t)r;
	}
	t->out_pos = 0;
}

/* The next Response: a fragment of out, or an acknowledgement. */
static size_t respond(struct eap_tls *t, uint8_t id, uint8_t *resp)
{
	size_t left = t->out_len - t->out_pos, n = left < t->frag ? left : t->frag, len = HDR;
	uint8_t flags = 0;

	if (n < left)
		flags |= FL_M;
	if (t->out_pos == 0 && n < left) {
		flags |= FL_L;
		put_be32(resp + HDR, (uint32_t)t->out_len);
		len += 4;
	}
	memcpy(resp + len, t->out + t->out_pos, n);
	len += n;
	t->out_pos += n;
	if (t->out_pos == t->out_len) {
		crypto_wipe(t->out, t->out_len);
		t->out_len = t->out_pos = 0;
	}
	resp[0] = 2;	/* Response */
	resp[1] = id;
	resp[2] = (uint8_t)(len >> 8);
	resp[3] = (uint8_t)len;
	resp[4] = EAP_T_TLS;
	resp[5] = flags;
	return len;
}

#define DROP(w) do { *why = (w); return EAP_TLS_DROP; } while (0)

enum eap_tls_rc eap_tls_process(struct eap_tls *t, const uint8_t *req, size_t len,
				uint8_t *resp, size_t resp_size, size_t *resp_len,
				const char **why)
{
	const uint8_t *d = req + HDR;
	size_t n, total = 0;
	uint8_t flags;

	*resp_len = 0;
	if (len < HDR || req[4] != EAP_T_TLS)
		DROP("EAP-TLS Request without Flags");
	if (resp_size < t->frag + HDR + 4)
		DROP("no room for the Response");
	flags = req[5];
	n = len - HDR;
	if (flags & FL_L) {
		if (n < 4)
			DROP("EAP-TLS L flag without the length");
		total = get_be32(d);
		d += 4;
		n -= 4;
		if (!total || total > EAP_TLS_MSG_MAX)
			DROP("EAP-TLS message length out of range");
	}
	if (flags & FL_S) {
		/* a new handshake: whatever was there goes */
		if (new_ssl(t))
			DROP("no TLS connection (memory)");
		run(t);
		*resp_len = respond(t, req[1], resp);
		return t->failed ? EAP_TLS_FAIL : EAP_TLS_CONT;
	}
	if (!t->ssl)
		DROP("EAP-TLS Request before the Start");
	if (t->have_keys || t->failed)
		DROP("EAP-TLS Request after the handshake ended");
	if (t->out_len) {
		if (n || (flags & FL_M))
			DROP("EAP-TLS data while our fragments are being sent");
		*resp_len = respond(t, req[1], resp);
		return EAP_TLS_CONT;
	}
	if (!n && !(flags & FL_M))
		DROP("empty EAP-TLS Request, no fragment of ours pending");
	if (!t->in_frag && total)
		t->in_total = total;
	if (t->in_len + n > EAP_TLS_MSG_MAX || (t->in_total && t->in_len + n > t->in_total))
		DROP("EAP-TLS fragments beyond the message's length");
	if (t->in_frag && total && total != t->in_total)
		DROP("EAP-TLS fragment with another message length");
	memcpy(t->in + t->in_len, d, n);
	t->in_len += n;
	if (flags & FL_M) {
		t->in_frag = true;
		*resp_len = respond(t, req[1], resp);	/* an acknowledgement */
		return EAP_TLS_CONT;
	}
	if (t->in_total && t->in_len != t->in_total)
		log_dbg("EAP-TLS: message of %zu octets, L said %zu", t->in_len, t->in_total);
	BIO_write(t->rbio, t->in, (int)t->in_len);
	crypto_wipe(t->in, t->in_len);
	t->in_len = t->in_total = 0;
	t->in_frag = false;
	run(t);
	if (!t->failed && t->hs_done && !t->have_keys &&
	    (SSL_version(t->ssl) < TLS1_3_VERSION || t->committed)) {
		if (derive(t)) {
			log_err("EAP-TLS: no keys from the TLS session");
			t->failed = true;
		} else {
			t->have_keys = true;
		}
	}
	*resp_len = respond(t, req[1], resp);
	if (t->failed)
		return EAP_TLS_FAIL;
	return t->have_keys ? EAP_TLS_DONE : EAP_TLS_CONT;
}

bool eap_tls_keys(const struct eap_tls *t, uint8_t msk[EAP_TLS_MSK_LEN],
		  uint8_t sid[EAP_TLS_SID_MAX], size_t *sid_len)
{
	if (!t->have_keys)
		return false;
	memcpy(msk, t->msk, EAP_TLS_MSK_LEN);
	memcpy(sid, t->sid, t->sid_len);
	*sid_len = t->sid_len;
	return true;
}
