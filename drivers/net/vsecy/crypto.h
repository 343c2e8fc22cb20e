/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_CRYPTO_H
#define _VSECY_CRYPTO_H

#include <linux/scatterlist.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include <crypto/aead.h>

struct vsecy_sa;

/* GCM-AES IV: 96 bits (802.1AE 14.5, 14.7). */
#define VSECY_IV_LEN		12

struct crypto_aead *vsecy_crypto_alloc(const u8 *key, unsigned int key_len,
				       unsigned int icv_len);
void vsecy_crypto_free(struct crypto_aead *tfm);

struct aead_request *vsecy_crypto_frame_req(struct sk_buff *skb,
					    struct vsecy_sa *sa, u64 sci,
					    u64 pn, bool xpn,
					    unsigned int assoclen,
					    unsigned int cryptlen);
void vsecy_crypto_req_free(struct vsecy_sa *sa, struct aead_request *req);
int vsecy_crypto_cache_alloc(struct vsecy_sa *sa);
void vsecy_crypto_cache_free(struct vsecy_sa *sa);
int vsecy_crypto_encrypt(struct aead_request *req);
int vsecy_crypto_decrypt(struct aead_request *req);
int vsecy_crypto_init(void);
void vsecy_crypto_uninit(void);

void vsecy_crypto_iv(u8 *iv, u64 sci, u32 pn);
void vsecy_crypto_iv_xpn(u8 *iv, u32 ssci, u64 pn, const u8 *salt);

#endif /* _VSECY_CRYPTO_H */
