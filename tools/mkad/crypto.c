// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: MKA cryptography through OpenSSL's EVP interfaces.
 *
 * Every key that passes through here is a caller's buffer; temporaries
 * holding key-derived bytes are wiped with OPENSSL_cleanse before return.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "crypto.h"

static const char *cbc_name(size_t key_len)
{
	return key_len == 32 ? "AES-256-CBC" : key_len == 16 ? "AES-128-CBC" : NULL;
}

int crypto_cmac(const uint8_t *key, size_t key_len, const uint8_t *msg,
		size_t msg_len, uint8_t mac[16])
{
	const char *cipher = cbc_name(key_len);
	EVP_MAC *m = NULL;
	EVP_MAC_CTX *c = NULL;
	OSSL_PARAM params[2];
	size_t out_len = 0;
	int ret = -1;

	if (!cipher)
		return -1;
	m = EVP_MAC_fetch(NULL, "CMAC", NULL);
	if (!m)
		return -1;
	c = EVP_MAC_CTX_new(m);
	if (!c)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
						     (char *)cipher, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(c, key, key_len, params) != 1 ||
	    EVP_MAC_update(c, msg, msg_len) != 1 ||
	    EVP_MAC_final(c, mac, &out_len, 16) != 1 || out_len != 16)
		goto out;
	ret = 0;
out:
	EVP_MAC_CTX_free(c);
	EVP_MAC_free(m);
	return ret;
}

/*
 * 802.1X-2020 6.2.1: for i = 1..ceil(L/128),
 *   PRF(Key, i || Label || 0x00 || Context || L), L in bits, 2 octets;
 * the output is the leftmost L bits. PRF is AES-CMAC with Key. The
 * input holds the context (for an SAK, the key server's nonce): it is
 * built on the heap, its size following the context, and wiped.
 */
int crypto_kdf(const uint8_t *key, size_t key_len, const char *label,
	       const uint8_t *ctx, size_t ctx_len, uint8_t *out, size_t out_len)
{
	size_t label_len = strlen(label), n = 0, buf_len;
	uint8_t *buf, block[16];
	unsigned int i;
	int ret = 0;

	if (label_len > 64 || ctx_len > 65536 || out_len > 8191 / 8 || !out_len)
		return -1;
	buf_len = 1 + label_len + 1 + ctx_len + 2;
	buf = malloc(buf_len);
	if (!buf)
		return -1;
	memcpy(buf + 1, label, label_len);
	buf[1 + label_len] = 0;
	if (ctx_len)
		memcpy(buf + 2 + label_len, ctx, ctx_len);
	buf[buf_len - 2] = (uint8_t)((out_len * 8) >> 8);
	buf[buf_len - 1] = (uint8_t)(out_len * 8);
	for (i = 1; n < out_len; i++) {
		size_t take = out_len - n < 16 ? out_len - n : 16;

		buf[0] = (uint8_t)i;
		if (crypto_cmac(key, key_len, buf, buf_len, block)) {
			ret = -1;
			break;
		}
		memcpy(out + n, block, take);
		n += take;
	}
	OPENSSL_cleanse(block, sizeof(block));
	OPENSSL_cleanse(buf, buf_len);
	free(buf);
	if (ret)
		OPENSSL_cleanse(out, out_len);
	return ret;
}

/* The KEK and ICK context: the first 16 octets of the CKN, zero padded. */
static int derive_from_cak(const uint8_t *cak, size_t cak_len,
			   const uint8_t *ckn, size_t ckn_len,
			   const char *label, uint8_t *out)
{
	uint8_t keyid[16] = { 0 };

	if ((cak_len != 16 && cak_len != 32) || !ckn_len)
		return -1;
	memcpy(keyid, ckn, ckn_len < 16 ? ckn_len : 16);
	return crypto_kdf(cak, cak_len, label, keyid, sizeof(keyid), out, cak_len);
}

int crypto_kek(const uint8_t *cak, size_t cak_len, const uint8_t *ckn,
	       size_t ckn_len, uint8_t *kek)
{
	return derive_from_cak(cak, cak_len, ckn, ckn_len, "IEEE8021 KEK", kek);
}

int crypto_ick(const uint8_t *cak, size_t cak_len, const uint8_t *ckn,
	       size_t ckn_len, uint8_t *ick)
{
	return derive_from_cak(cak, cak_len, ckn, ckn_len, "IEEE8021 ICK", ick);
}

int crypto_eap_cak_ckn(const uint8_t *msk, size_t msk_len, const uint8_t *sid,
		       size_t sid_len, const uint8_t mac1[6], const uint8_t mac2[6],
		       uint8_t cak[MKA_EAP_KEY_LEN], uint8_t ckn[MKA_EAP_KEY_LEN])
{
	const uint8_t *lo = memcmp(mac1, mac2, 6) < 0 ? mac1 : mac2;
	const uint8_t *hi = lo == mac1 ? mac2 : mac1;
	uint8_t ctx[253 + 12];
	int ret;

	if (msk_len < MKA_EAP_KEY_LEN || !sid_len || sid_len > 253)
		return -1;
	/* CAK: KDF(KDK, "IEEE8021 EAP CAK", MAC1 | MAC2) */
	memcpy(ctx, lo, 6);
	memcpy(ctx + 6, hi, 6);
	ret = crypto_kdf(msk, MKA_EAP_KEY_LEN, "IEEE8021 EAP CAK", ctx, 12, cak,
			 MKA_EAP_KEY_LEN);
	/* CKN: KDF(KDK, "IEEE8021 EAP CKN", Session-Id | MAC1 | MAC2) */
	memcpy(ctx, sid, sid_len);
	memcpy(ctx + sid_len, lo, 6);
	memcpy(ctx + sid_len + 6, hi, 6);
	if (!ret)
		ret = crypto_kdf(msk, MKA_EAP_KEY_LEN, "IEEE8021 EAP CKN", ctx, sid_len + 12,
				 ckn, MKA_EAP_KEY_LEN);
	OPENSSL_cleanse(ctx, sizeof(ctx));
	if (ret) {
		OPENSSL_cleanse(cak, MKA_EAP_KEY_LEN);
		OPENSSL_cleanse(ckn, MKA_EAP_KEY_LEN);
	}
	return ret;
}

/*
 * 802.1X-2020 6.2.5 and 9.8.1: KS-nonce | the MI of every live
 * participant | KN (big-endian, as in Annex G.6). A context per call, as
 * long as the CA is large.
 */
int crypto_sak(const uint8_t *cak, size_t cak_len, const uint8_t *nonce,
	       size_t nonce_len, const uint8_t *mis, size_t n_mis,
	       uint32_t kn, uint8_t *sak, size_t sak_len)
{
	size_t len = nonce_len + n_mis * MKA_MI_LEN + 4;
	uint8_t *ctx;
	int ret;

	if (sak_len != 16 && sak_len != 32)
		return -1;
	ctx = malloc(len);
	if (!ctx)
		return -1;
	memcpy(ctx, nonce, nonce_len);
	memcpy(ctx + nonce_len, mis, n_mis * MKA_MI_LEN);
	ctx[len - 4] = (uint8_t)(kn >> 24);
	ctx[len - 3] = (uint8_t)(kn >> 16);
	ctx[len - 2] = (uint8_t)(kn >> 8);
	ctx[len - 1] = (uint8_t)kn;
	ret = crypto_kdf(cak, cak_len, "IEEE8021 SAK", ctx, len, sak, sak_len);
	OPENSSL_cleanse(ctx, len);
	free(ctx);
	return ret;
}

static int wrap_op(int enc, const uint8_t *kek, size_t kek_len,
		   const uint8_t *in, size_t in_len, uint8_t *out)
{
	const EVP_CIPHER *cipher = kek_len == 32 ? EVP_aes_256_wrap() :
				   kek_len == 16 ? EVP_aes_128_wrap() : NULL;
	EVP_CIPHER_CTX *c;
	int len = 0, fin = 0, ret = -1;
	size_t want = enc ? in_len + 8 : in_len - 8;

	if (!cipher || in_len < 16 || in_len % 8 || in_len > 64)
		return -1;
	c = EVP_CIPHER_CTX_new();
	if (!c)
		return -1;
	EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
	if (EVP_CipherInit_ex(c, cipher, NULL, kek, NULL, enc) != 1)
		goto out;
	if (EVP_CipherUpdate(c, out, &len, in, (int)in_len) != 1)
		goto out;
	if (EVP_CipherFinal_ex(c, out + len, &fin) != 1)
		goto out;
	if ((size_t)(len + fin) != want)
		goto out;
	ret = 0;
out:
	if (ret)
		OPENSSL_cleanse(out, want);
	EVP_CIPHER_CTX_free(c);
	return ret;
}

int crypto_wrap(const uint8_t *kek, size_t kek_len, const uint8_t *in,
		size_t in_len, uint8_t *out)
{
	return wrap_op(1, kek, kek_len, in, in_len, out);
}

int crypto_unwrap(const uint8_t *kek, size_t kek_len, const uint8_t *in,
		  size_t in_len, uint8_t *out)
{
	if (in_len < 24)
		return -1;
	return wrap_op(0, kek, kek_len, in, in_len, out);
}

int crypto_random(uint8_t *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

/*
 * 802.1X-2020 9.8.2: the 64 least significant bits of the Salt are those
 * of the key server's MI; the next 16 bits are the MI's next 16 XORed with
 * the 16 most significant bits of the KN; the 16 most significant bits are
 * the MI's 16 most significant XORed with the KN's 16 least significant.
 * Octet 0 is the most significant, as the MI and KN travel.
 */
void crypto_xpn_salt(const uint8_t mi[MKA_MI_LEN], uint32_t kn,
		     uint8_t salt[MKA_SALT_LEN])
{
	memcpy(salt, mi, MKA_SALT_LEN);
	salt[0] ^= (uint8_t)(kn >> 8);
	salt[1] ^= (uint8_t)kn;
	salt[2] ^= (uint8_t)(kn >> 24);
	salt[3] ^= (uint8_t)(kn >> 16);
}

int crypto_memcmp(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len);
}

void crypto_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}
