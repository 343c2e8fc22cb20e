/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the EAP-TLS peer (RFC 5216; TLS 1.3 as RFC 9190) of the
 * Supplicant PAE, on OpenSSL with memory BIOs: EAP-Request/TLS packets
 * in, EAP-Response/TLS packets out, no sockets. Both directions are
 * fragmented (flags L, M, S; a fragment is acknowledged by an empty
 * Response, and an empty Request asks for the next one). The server's
 * certificate must chain to ca_cert, and its name may be checked as
 * wpa_supplicant's domain_suffix_match and domain_match do; the client
 * authenticates with client_cert and private_key (PEM; the key may be
 * encrypted).
 *
 * Keys (as wpa_supplicant and hostapd 2.10 derive them):
 *   TLS 1.2: MSK = TLS-PRF(master secret, "client EAP encryption",
 *            client.random || server.random)[0..63] (RFC 5216 2.3),
 *            Session-Id = 0x0D || client.random || server.random;
 *   TLS 1.3: MSK = TLS-Exporter("EXPORTER_EAP_TLS_Key_Material", 0x0D,
 *            128)[0..63], Session-Id = 0x0D || TLS-Exporter(
 *            "EXPORTER_EAP_TLS_Method-Id", 0x0D, 64) (RFC 9190 2.3),
 *            once the server's commitment message (one octet of
 *            application data, 0x00) has come.
 */
#ifndef MKAD_EAP_TLS_H
#define MKAD_EAP_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EAP_T_TLS		13
#define EAP_TLS_MSK_LEN		64
#define EAP_TLS_SID_MAX		65
#define EAP_TLS_FRAG_DEF	1000	/* TLS octets per Response */
#define EAP_TLS_FRAG_MIN	16
#define EAP_TLS_FRAG_MAX	1400
#define EAP_TLS_MSG_MAX		65536	/* a reassembled TLS message, at most */
#define EAP_TLS_DOMAIN_MAX	255	/* domain_suffix_match, domain_match */

struct eap_tls_conf {
	const char *ca_cert;		/* PEM file(s) of the CAs the server's chain ends at */
	const char *client_cert;	/* PEM: the client certificate (chain) */
	const char *private_key;	/* PEM: its key */
	const char *private_key_passwd;	/* NULL or "": not encrypted */
	size_t frag_size;		/* EAP_TLS_FRAG_MIN..EAP_TLS_FRAG_MAX, 0: default */
	int max_version;		/* TLS1_2_VERSION or TLS1_3_VERSION, 0: 1.3 */
	/*
	 * NULL or "": not checked. Else ';'-separated names, one of which the
	 * server certificate's dNSName subjectAltNames (its subject CN when it
	 * has none) must hold (case-insensitive): the name itself or, for
	 * domain_suffix_match, a name ending in "." and it. Both: both hold.
	 */
	const char *domain_suffix_match;
	const char *domain_match;
};

enum eap_tls_rc {
	EAP_TLS_CONT,	/* *resp_len octets to send; more to come */
	EAP_TLS_DONE,	/* *resp_len octets to send; the keys are there (eap_tls_keys) */
	EAP_TLS_FAIL,	/* the handshake failed (logged); maybe an alert to send */
	EAP_TLS_DROP,	/* malformed or unexpected: dropped (why), nothing to send */
};

struct eap_tls;

/*
 * Loads the certificates and key (errors in err). The strings are copied
 * (the password is wiped with the object). NULL on error.
 */
struct eap_tls *eap_tls_new(const struct eap_tls_conf *c, char *err, size_t errlen);
void eap_tls_free(struct eap_tls *t);
/* Drops the exchange (a new Request/Identity, Failure, link down): keys wiped. */
void eap_tls_reset(struct eap_tls *t);
/*
 * One EAP-Request/TLS (the whole packet, len from its Length field): the
 * EAP-Response to it into resp (at most resp_size octets, which must
 * hold frag_size + 10). EAP_TLS_DROP sets *why.
 */
enum eap_tls_rc eap_tls_process(struct eap_tls *t, const uint8_t *req, size_t len,
				uint8_t *resp, size_t resp_size, size_t *resp_len,
				const char **why);
/* After EAP_TLS_DONE: the MSK (EAP_TLS_MSK_LEN octets) and Session-Id. */
bool eap_tls_keys(const struct eap_tls *t, uint8_t msk[EAP_TLS_MSK_LEN],
		  uint8_t sid[EAP_TLS_SID_MAX], size_t *sid_len);
/* "TLSv1.2", "TLSv1.3", or "" before a handshake. */
const char *eap_tls_version(const struct eap_tls *t);

#endif
