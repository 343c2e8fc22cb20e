// SPDX-License-Identifier: GPL-2.0
/*
 * GCM-AES for the SAs (IEEE 802.1AE-2018 clause 14): the AEAD transforms
 * and the IVs.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <crypto/internal/aead.h>

#include "compat.h"
#include "crypto.h"
#include "secy.h"

/* The transform is asynchronous only on some machines (a crypto
 * accelerator, or AES-NI when the FPU can't be used), so the datapath's
 * -EINPROGRESS paths would go untested. crypto_wrap=pcrypt wraps every
 * SA's gcm(aes) in that template, whose requests always complete later,
 * from another context: the test suite loads the module so once
 * (vsecy_secy_datapath.sh). (cryptd would do too, but fails 6.1's AEAD
 * self-test.) Read only at load (0444).
 */
static char *crypto_wrap;
module_param(crypto_wrap, charp, 0444);
MODULE_PARM_DESC(crypto_wrap,
		 "testing: wrap gcm(aes) in this crypto template (pcrypt) so that every frame completes asynchronously");

/* crypto_defer_ms=N (testing only) completes every encryption and
 * decryption of the datapath N milliseconds later from a workqueue of
 * ours, whatever the transform, so that the -EINPROGRESS paths and the
 * lifetimes they rely on (the SA, the SecY's devices, the module) are
 * tested on any kernel, the debug kernel included, where pcrypt cannot be
 * used (see the README) and with a delay long enough that a device or an
 * SC can go away while frames are in flight. Negative: off (the default).
 * Read only at load (0444).
 */
static int crypto_defer_ms = -1;
module_param(crypto_defer_ms, int, 0444);
MODULE_PARM_DESC(crypto_defer_ms,
		 "testing: complete each frame's crypto asynchronously, this many ms later (-1: off)");

static struct workqueue_struct *defer_wq;

/* The tail of a request allocation in crypto_defer_ms mode. */
struct defer {
	struct delayed_work work;
	struct aead_request *req;
	bool encrypt;
};

static bool defer_on(void)
{
	return crypto_defer_ms >= 0;
}

/* With crypto_wrap: WRAP(driver of a synchronous gcm(aes)); cryptd, for
 * one, wraps only synchronous algorithms. The wrapper is named after the
 * driver, not "gcm(aes)": its instance keeps the cra_name "gcm(aes)" (with
 * a higher priority), so "pcrypt(gcm(aes))" would never be found by name
 * (and each try would stack another instance). The instance is made once,
 * then found by its driver name.
 */
static struct crypto_aead *alloc_wrapped(void)
{
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *tfm;
	int n;

	tfm = crypto_alloc_aead("gcm(aes)", 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(tfm))
		return tfm;
	n = snprintf(name, sizeof(name), "%s(%s)", crypto_wrap,
		     crypto_aead_driver_name(tfm));
	crypto_free_aead(tfm);
	if (n >= (int)sizeof(name))
		return ERR_PTR(-ENAMETOOLONG);
	return crypto_alloc_aead(name, 0, 0);
}

/* Called in process context when an SA is created. The transform may be
 * asynchronous; the datapath copes with -EINPROGRESS. After setkey the
 * key lives only in the transform's context, which crypto_free_aead()
 * wipes (crypto_destroy_tfm() frees it with kfree_sensitive()); the
 * caller wipes its own copy.
 */
struct crypto_aead *vsecy_crypto_alloc(const u8 *key, unsigned int key_len,
				       unsigned int icv_len)
{
	struct crypto_aead *tfm;
	int ret;

	if (crypto_wrap && *crypto_wrap)
		tfm = alloc_wrapped();
	else if (defer_on())
		/* Run from the workqueue, it must be synchronous. */
		tfm = crypto_alloc_aead("gcm(aes)", 0, CRYPTO_ALG_ASYNC);
	else
		tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(tfm))
		return tfm;

	ret = crypto_aead_setkey(tfm, key, key_len);
	if (!ret)
		ret = crypto_aead_setauthsize(tfm, icv_len);
	if (ret < 0) {
		crypto_free_aead(tfm);
		return ERR_PTR(ret);
	}
	return tfm;
}

void vsecy_crypto_free(struct crypto_aead *tfm)
{
	crypto_free_aead(tfm);
}

/* Where the defer tail of @req is: right after the request context. */
static size_t defer_offset(struct crypto_aead *tfm)
{
	return ALIGN(sizeof(struct aead_request) + crypto_aead_reqsize(tfm),
		     __alignof__(struct defer));
}

/* The layout of a request with its IV and @nsg scatterlist entries (and
 * the defer tail): its size, and where the IV and the entries are.
 */
static size_t req_size(struct crypto_aead *tfm, unsigned int nsg,
		       size_t *iv_offset, size_t *sg_offset)
{
	size_t size = sizeof(struct aead_request) + crypto_aead_reqsize(tfm);

	if (defer_on())
		size = defer_offset(tfm) + sizeof(struct defer);
	*iv_offset = size;
	size += VSECY_IV_LEN;
	size = ALIGN(size, __alignof__(struct scatterlist));
	*sg_offset = size;
	return size + sizeof(struct scatterlist) * nsg;
}

/* Scatterlist entries of an SA's own request: a linear frame needs one
 * (two with a trailer from skb_cow_data()).
 */
#define CACHED_NSG	4

/* An SA's own request, which its queue's frames use one at a time (a
 * queue runs on one CPU at a time; an SA's frames go through one queue):
 * no allocation and no sensitive free per frame. Freed with the SA.
 */
int vsecy_crypto_cache_alloc(struct vsecy_sa *sa)
{
	size_t iv_offset, sg_offset;

	sa->req_cache = kzalloc(req_size(sa->tfm, CACHED_NSG, &iv_offset,
					 &sg_offset), GFP_KERNEL_ACCOUNT);
	return sa->req_cache ? 0 : -ENOMEM;
}

void vsecy_crypto_cache_free(struct vsecy_sa *sa)
{
	kfree_sensitive(sa->req_cache);
}

/* A request for @nsg entries: the SA's own when it is free and big
 * enough, else one allocation holding the request, its IV and the
 * entries; freed with vsecy_crypto_req_free().
 */
static struct aead_request *req_alloc(struct vsecy_sa *sa, u8 **iv,
				      struct scatterlist **sg,
				      unsigned int nsg)
{
	size_t size, iv_offset, sg_offset;
	struct aead_request *req;
	void *tmp;

	size = req_size(sa->tfm, nsg, &iv_offset, &sg_offset);
	if (sa->req_cache && nsg <= CACHED_NSG &&
	    /* Pairs with the release in vsecy_crypto_req_free(), which
	     * may run in a completion on another CPU.
	     */
	    !smp_load_acquire(&sa->req_busy)) {
		WRITE_ONCE(sa->req_busy, true);
		tmp = sa->req_cache;
	} else {
		tmp = kmalloc(size, GFP_ATOMIC);
		if (!tmp)
			return NULL;
	}

	*iv = (u8 *)tmp + iv_offset;
	*sg = (struct scatterlist *)((u8 *)tmp + sg_offset);
	req = tmp;
	aead_request_set_tfm(req, sa->tfm);
	return req;
}

/* Once the request's crypto is over: the SA's own is free again (nothing
 * in it is secret: the key schedule is the transform's, the IV is sent
 * in the clear), any other one is freed.
 */
void vsecy_crypto_req_free(struct vsecy_sa *sa, struct aead_request *req)
{
	if ((void *)req == sa->req_cache)
		/* The request's last use is before this: see req_alloc(). */
		smp_store_release(&sa->req_busy, false);
	else
		aead_request_free(req);
}

/* The deferred request runs to its end here, then completes as an
 * asynchronous transform would. The completion frees the request (and
 * this work item with it), so nothing of it is touched afterwards.
 */
static void defer_work(struct work_struct *work)
{
	struct defer *d = container_of(to_delayed_work(work), struct defer,
				       work);
	struct aead_request *req = d->req;
	int err;

	err = d->encrypt ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	local_bh_disable();
	aead_request_complete(req, err);
	local_bh_enable();
}

static int defer(struct aead_request *req, bool encrypt)
{
	struct defer *d = (void *)((u8 *)req +
				   defer_offset(crypto_aead_reqtfm(req)));

	d->req = req;
	d->encrypt = encrypt;
	INIT_DELAYED_WORK(&d->work, defer_work);
	queue_delayed_work(defer_wq, &d->work,
			   msecs_to_jiffies(crypto_defer_ms));
	return -EINPROGRESS;
}

/* The datapath's encryption and decryption: 0 or an error when done,
 * -EINPROGRESS when the request's callback will say.
 */
int vsecy_crypto_encrypt(struct aead_request *req)
{
	return defer_on() ? defer(req, true) : crypto_aead_encrypt(req);
}

int vsecy_crypto_decrypt(struct aead_request *req)
{
	return defer_on() ? defer(req, false) : crypto_aead_decrypt(req);
}

int __init vsecy_crypto_init(void)
{
	if (!defer_on())
		return 0;
	pr_warn("crypto_defer_ms=%d: every frame completes late (testing only)\n",
		crypto_defer_ms);
	defer_wq = alloc_workqueue("vsecy_defer", WQ_UNBOUND, 0);
	return defer_wq ? 0 : -ENOMEM;
}

/* After the last device is gone, so no more work can be queued: waits
 * for the work items still running, whose code is the module's.
 */
void vsecy_crypto_uninit(void)
{
	if (defer_wq)
		destroy_workqueue(defer_wq);
}

/* 14.5: for GCM-AES-128 and -256 the IV is the SCI followed by the PN. */
void vsecy_crypto_iv(u8 *iv, u64 sci, u32 pn)
{
	put_unaligned_be64(sci, iv);
	put_unaligned_be32(pn, iv + 8);
}

/* 14.7: for the XPN suites the IV is SSCI || PN (64 bits), both
 * big-endian, XORed with the SA's 96-bit salt. (The kernel's macsec gets
 * the same bytes: iproute2 sends the SSCI in network order and macsec
 * copies it into the IV as it is.)
 */
void vsecy_crypto_iv_xpn(u8 *iv, u32 ssci, u64 pn, const u8 *salt)
{
	unsigned int i;

	put_unaligned_be32(ssci, iv);
	put_unaligned_be64(pn, iv + 4);
	for (i = 0; i < VSECY_IV_LEN; i++)
		iv[i] ^= salt[i];
}

/* The one way a frame is set up for GCM-AES, protected (protect.c) or
 * validated (validate.c), and in the Annex C self-test: @skb made
 * writable in place (skb_cow_data()), the request allocated with its IV
 * (from @sci and @pn, or for XPN from @sa's SSCI and salt and @pn) and a
 * scatterlist over the whole of @skb, then @assoclen octets of associated
 * data and @cryptlen octets to encrypt or decrypt (a decryption's with
 * the ICV). The callback is the caller's to set. Returns an ERR_PTR on
 * failure; the caller frees @skb.
 */
struct aead_request *vsecy_crypto_frame_req(struct sk_buff *skb,
					    struct vsecy_sa *sa, u64 sci,
					    u64 pn, bool xpn,
					    unsigned int assoclen,
					    unsigned int cryptlen)
{
	struct aead_request *req;
	struct scatterlist *sg;
	struct sk_buff *trailer;
	int nsg, ret;
	u8 *iv;

	nsg = skb_cow_data(skb, 0, &trailer);
	if (unlikely(nsg < 0))
		return ERR_PTR(nsg);
	req = req_alloc(sa, &iv, &sg, nsg);
	if (!req)
		return ERR_PTR(-ENOMEM);
	if (xpn)
		vsecy_crypto_iv_xpn(iv, sa->ssci, pn, sa->salt);
	else
		vsecy_crypto_iv(iv, sci, lower_32_bits(pn));

	sg_init_table(sg, nsg);
	ret = skb_to_sgvec(skb, sg, 0, skb->len);
	if (unlikely(ret < 0)) {
		vsecy_crypto_req_free(sa, req);
		return ERR_PTR(ret);
	}
	aead_request_set_crypt(req, sg, sg, cryptlen, iv);
	aead_request_set_ad(req, assoclen);
	return req;
}
