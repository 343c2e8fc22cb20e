// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the EAP-TLS server of tls_srv.h. Written for the
 * tests from RFC 5216 and RFC 9190: fragments its messages (L on the
 * first), acknowledges the peer's, and exports the keys as the RFCs say,
 * independently of eap_tls.c.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/err.h>

#include "eap_tls_certs.h"
#include "tls_srv.h"

static int put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), TS_DIR "%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) ? -1 : 0;
}

int ts_files(void)
{
	mkdir("build", 0755);
	mkdir(TS_DIR, 0700);
	return put("ca.pem", ca_pem) | put("ca2.pem", ca2_pem) | put("server.pem", server_pem) |
	       put("server.key", server_key) | put("server2.pem", server2_pem) |
	       put("server2.key", server2_key) | put("server3.pem", server3_pem) |
	       put("server3.key", server3_key) | put("server4.pem", server4_pem) |
	       put("server4.key", server4_key) | put("client.pem", client_pem) |
	       put("client.key", client_key) | put("client_enc.key", client_enc_key);
}

int ts_init(struct tls_srv *s, const char *cert, const char *key, int max_version,
	    size_t frag)
{
	char c[128], k[128];

	memset(s, 0, sizeof(*s));
	snprintf(c, sizeof(c), TS_DIR "%s", cert);
	snprintf(k, sizeof(k), TS_DIR "%s", key);
	s->frag = frag;
	s->id = 10;
	s->ctx = SSL_CTX_new(TLS_server_method());
	if (!s->ctx || SSL_CTX_use_certificate_file(s->ctx, c, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_use_PrivateKey_file(s->ctx, k, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_load_verify_locations(s->ctx, TS_DIR "ca.pem", NULL) != 1)
		return -1;
	SSL_CTX_set_min_proto_version(s->ctx, TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(s->ctx, max_version);
	SSL_CTX_set_verify(s->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	s->ssl = SSL_new(s->ctx);
	s->rbio = BIO_new(BIO_s_mem());
	s->wbio = BIO_new(BIO_s_mem());
	SSL_set_bio(s->ssl, s->rbio, s->wbio);
	SSL_set_accept_state(s->ssl);
	return 0;
}

void ts_fini(struct tls_srv *s)
{
	if (s->ssl)
		SSL_free(s->ssl);
	if (s->ctx)
		SSL_CTX_free(s->ctx);
	ERR_clear_error();
	memset(s, 0, sizeof(*s));
}

static size_t hdr(struct tls_srv *s, uint8_t *req, size_t len, uint8_t flags)
{
	req[0] = 1;
	req[1] = ++s->id;
	req[2] = (uint8_t)(len >> 8);
	req[3] = (uint8_t)len;
	req[4] = 13;
	req[5] = flags;
	return len;
}

size_t ts_start(struct tls_srv *s, uint8_t *req)
{
	return hdr(s, req, 6, 0x20);
}

/* The next fragment of out, or an empty Request (an ACK). */
static size_t next(struct tls_srv *s, uint8_t *req)
{
	size_t left = s->out_len - s->out_pos, n = left < s->frag ? left : s->frag, off = 6;
	uint8_t flags = 0;

	if (n < left)
		flags |= 0x40;
	if (!s->out_pos && n < left) {
		flags |= 0x80;
		req[6] = (uint8_t)(s->out_len >> 24);
		req[7] = (uint8_t)(s->out_len >> 16);
		req[8] = (uint8_t)(s->out_len >> 8);
		req[9] = (uint8_t)s->out_len;
		off += 4;
	}
	memcpy(req + off, s->out + s->out_pos, n);
	s->out_pos += n;
	if (n)
		s->n_frag_out++;
	if (s->out_pos == s->out_len)
		s->out_len = s->out_pos = 0;
	return hdr(s, req, off + n, flags);
}

static void keys(struct tls_srv *s)
{
	static const uint8_t ctx[1] = { 13 };
	uint8_t km[128];

	s->sid[0] = 13;
	s->sid_len = 65;
	if (SSL_version(s->ssl) >= TLS1_3_VERSION) {
		SSL_export_keying_material(s->ssl, km, 128, "EXPORTER_EAP_TLS_Key_Material", 29,
					   ctx, 1, 1);
		SSL_export_keying_material(s->ssl, s->sid + 1, 64, "EXPORTER_EAP_TLS_Method-Id",
					   26, ctx, 1, 1);
	} else {
		SSL_export_keying_material(s->ssl, km, 128, "client EAP encryption", 21, NULL,
					   0, 0);
		SSL_get_client_random(s->ssl, s->sid + 1, 32);
		SSL_get_server_random(s->ssl, s->sid + 33, 32);
	}
	memcpy(s->msk, km, 64);
}

enum ts_rc ts_step(struct tls_srv *s, const uint8_t *resp, size_t len, uint8_t *req,
		   size_t *req_len)
{
	size_t off = 6, n;
	uint8_t flags;
	int r;

	*req_len = 0;
	if (len < 6 || resp[0] != 2 || resp[1] != s->id || resp[4] != 13)
		return TS_FAILURE;
	flags = resp[5];
	if (flags & 0x80)
		off += 4;
	n = len - off;
	if (!n && !(flags & 0x40)) {
		s->n_acks_in++;
		if (s->out_len) {
			*req_len = next(s, req);
			return TS_REQ;
		}
		if (s->failed)
			return TS_FAILURE;
		if (s->hs_done) {
			keys(s);
			return TS_SUCCESS;
		}
		return TS_FAILURE;
	}
	memcpy(s->in + s->in_len, resp + off, n);
	s->in_len += n;
	if (flags & 0x40) {
		s->n_frag_in++;
		*req_len = next(s, req);	/* an ACK */
		return TS_REQ;
	}
	BIO_write(s->rbio, s->in, (int)s->in_len);
	s->in_len = 0;
	if (!s->hs_done) {
		r = SSL_do_handshake(s->ssl);
		if (r == 1) {
			s->hs_done = true;
			if (SSL_version(s->ssl) >= TLS1_3_VERSION)
				SSL_write(s->ssl, "", 1);	/* the commitment message, 0x00 */
		} else if (SSL_get_error(s->ssl, r) != SSL_ERROR_WANT_READ) {
			s->failed = true;
		}
	}
	while (BIO_ctrl_pending(s->wbio)) {
		r = BIO_read(s->wbio, s->out + s->out_len, (int)(sizeof(s->out) - s->out_len));
		if (r <= 0)
			break;
		s->out_len += (size_t)r;
	}
	if (s->failed && !s->out_len)
		return TS_FAILURE;
	if (!s->out_len && s->hs_done) {
		keys(s);
		return TS_SUCCESS;
	}
	*req_len = next(s, req);
	return TS_REQ;
}
