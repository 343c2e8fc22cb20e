/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad unit tests: an EAP-TLS server (RFC 5216, RFC 9190) on
 * OpenSSL with memory BIOs, for the peer's tests, and the test
 * certificates (eap_tls_certs.h) as files under build/eap-tls/.
 */
#ifndef MKAD_TEST_TLS_SRV_H
#define MKAD_TEST_TLS_SRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/ssl.h>

#define TS_DIR "build/eap-tls/"

enum ts_rc { TS_REQ, TS_SUCCESS, TS_FAILURE };

struct tls_srv {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *rbio, *wbio;
	size_t frag;
	uint8_t id;
	uint8_t in[65536], out[65536];
	size_t in_len, out_len, out_pos;
	bool hs_done, committed, failed;
	int n_frag_out, n_frag_in, n_acks_in;	/* fragments sent, received; ACKs received */
	uint8_t msk[64], sid[65];
	size_t sid_len;
};

/* Writes the test certificates under TS_DIR; 0 or -1. */
int ts_files(void);
/* A server of cert/key (files in TS_DIR), verifying clients against ca.pem. */
int ts_init(struct tls_srv *s, const char *cert, const char *key, int max_version,
	    size_t frag);
void ts_fini(struct tls_srv *s);
/* The EAP-Request/TLS Start into req; its length. */
size_t ts_start(struct tls_srv *s, uint8_t *req);
/* The peer's EAP-Response: the next Request (TS_REQ), or the end (keys in s). */
enum ts_rc ts_step(struct tls_srv *s, const uint8_t *resp, size_t len, uint8_t *req,
		   size_t *req_len);

#endif
