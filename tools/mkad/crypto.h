/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the MKA key hierarchy of IEEE 802.1X-2020 clause 6.2 and
 * 9.8, on OpenSSL libcrypto (AES-CMAC, AES Key Wrap).
 */
#ifndef MKAD_CRYPTO_H
#define MKAD_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define MKA_ICV_LEN	16
#define MKA_MI_LEN	12
#define MKA_MAX_KEY_LEN	32
#define MKA_MAX_CKN_LEN	32
#define MKA_SALT_LEN	12

/* KDF of 802.1X-2020 6.2.1: out_len bytes into out. 0 on success. */
int crypto_kdf(const uint8_t *key, size_t key_len, const char *label,
	       const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len);
/* KEK and ICK (6.2.3, 6.2.4): as long as the CAK. */
int crypto_kek(const uint8_t *cak, size_t cak_len, const uint8_t *ckn,
	       size_t ckn_len, uint8_t *kek);
int crypto_ick(const uint8_t *cak, size_t cak_len, const uint8_t *ckn,
	       size_t ckn_len, uint8_t *ick);
/*
 * The CAK and CKN of a CA from EAP (6.2.2), as wpa_supplicant and hostapd
 * derive them: the KDK is MSK[0..15] (16-octet CAK and CKN), the MACs of
 * the two ends in ascending order, the EAP Session-Id as it is (65 octets
 * for EAP-TLS and PEAP). 0 on success.
 */
#define MKA_EAP_KEY_LEN	16
int crypto_eap_cak_ckn(const uint8_t *msk, size_t msk_len, const uint8_t *sid,
		       size_t sid_len, const uint8_t mac1[6], const uint8_t mac2[6],
		       uint8_t cak[MKA_EAP_KEY_LEN], uint8_t ckn[MKA_EAP_KEY_LEN]);
/* SAK (6.2.5): KDF(CAK, "IEEE8021 SAK", KS-nonce | MI list | KN). */
int crypto_sak(const uint8_t *cak, size_t cak_len, const uint8_t *nonce,
	       size_t nonce_len, const uint8_t *mis, size_t n_mis,
	       uint32_t kn, uint8_t *sak, size_t sak_len);
/* MKPDU ICV (9.4.1): AES-CMAC with the ICK. */
int crypto_cmac(const uint8_t *key, size_t key_len, const uint8_t *msg,
		size_t msg_len, uint8_t mac[16]);
/* RFC 3394 AES Key Wrap: out is in_len + 8 bytes. 0 on success. */
int crypto_wrap(const uint8_t *kek, size_t kek_len, const uint8_t *in,
		size_t in_len, uint8_t *out);
/* Unwrap: out is in_len - 8 bytes; fails when the integrity check fails. */
int crypto_unwrap(const uint8_t *kek, size_t kek_len, const uint8_t *in,
		  size_t in_len, uint8_t *out);
int crypto_random(uint8_t *buf, size_t len);
/* The XPN salt of 802.1X-2020 9.8.2 from the key server's MI and the KN. */
void crypto_xpn_salt(const uint8_t mi[MKA_MI_LEN], uint32_t kn,
		     uint8_t salt[MKA_SALT_LEN]);
/* Constant-time compare, 0 when equal. */
int crypto_memcmp(const void *a, const void *b, size_t len);
void crypto_wipe(void *p, size_t len);

#endif
