// SPDX-License-Identifier: GPL-2.0
/*
 * The transmit path (IEEE 802.1AE-2018 10.5): SecTAG, PN, GCM-AES, ICV,
 * then the lower device.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <crypto/aead.h>

#include "compat.h"
#include "crypto.h"
#include "device.h"
#include "events.h"
#include "sectag.h"
#include "secy.h"
#include "tx.h"

struct tx_cb {
	struct aead_request *req;
	struct vsecy_sa *sa;
	unsigned int data_len;	/* user data octets, for OutOctets* */
	unsigned int len;	/* as the controlled port got it */
	bool encrypt;
};

static struct tx_cb *tx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct tx_cb) > sizeof(skb->cb));
	return (struct tx_cb *)skb->cb;
}

static void count_tx(struct net_device *dev, int ret, unsigned int len)
{
	if (likely(ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN))
		dev_sw_netstats_tx_add(dev, 1, len);
	else
		DEV_STATS_INC(dev, tx_dropped);
}

static void xmit_lower(struct sk_buff *skb, struct net_device *dev,
		       unsigned int len)
{
	struct vsecy_dev *vs = netdev_priv(dev);

	skb->dev = vs->lower;
	count_tx(dev, dev_queue_xmit(skb), len);
}

/* 10.5.3/10.7.18: the SC and SA counters of a protected frame. */
static void count_protected(struct vsecy_secy *secy, struct sk_buff *skb)
{
	struct tx_cb *cb = tx_cb(skb);

	if (cb->encrypt) {
		vsecy_count(secy->tx_sc.stats, VSECY_TXSC_STATS_A_OUT_PKTS_ENCRYPTED, 1);
		vsecy_count(secy->tx_sc.stats, VSECY_TXSC_STATS_A_OUT_OCTETS_ENCRYPTED,
			    cb->data_len);
		vsecy_count(cb->sa->stats, VSECY_TXSA_STATS_A_OUT_PKTS_ENCRYPTED, 1);
	} else {
		vsecy_count(secy->tx_sc.stats, VSECY_TXSC_STATS_A_OUT_PKTS_PROTECTED, 1);
		vsecy_count(secy->tx_sc.stats, VSECY_TXSC_STATS_A_OUT_OCTETS_PROTECTED,
			    cb->data_len);
		vsecy_count(cb->sa->stats, VSECY_TXSA_STATS_A_OUT_PKTS_PROTECTED, 1);
	}
}

static void tx_finish(struct sk_buff *skb, struct net_device *dev)
{
	struct vsecy_secy *secy = vsecy_secy_from_dev(dev);
	struct tx_cb *cb = tx_cb(skb);
	unsigned int len = cb->len;

	count_protected(secy, skb);
	aead_request_free(cb->req);
	vsecy_secy_sa_put(cb->sa);
	skb_reset_mac_header(skb);
	skb->protocol = htons(ETH_P_MACSEC);
	xmit_lower(skb, dev, len);
}

/* Completion of an asynchronous encryption; the device was held for us. */
static void tx_done(VSECY_CRYPTO_DONE_ARG *base, int err)
{
	struct sk_buff *skb = vsecy_crypto_done_data(base);
	struct net_device *dev = skb->dev;

	if (unlikely(err)) {
		struct tx_cb *cb = tx_cb(skb);

		aead_request_free(cb->req);
		vsecy_secy_sa_put(cb->sa);
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
	} else {
		rcu_read_lock_bh();
		tx_finish(skb, dev);
		rcu_read_unlock_bh();
	}
	dev_put(dev);
}

/* 802.1AE 10.5.2: the next PN of the SA, or 0 when there is none. */
static u64 take_pn(struct vsecy_secy *secy, struct vsecy_sa *sa)
{
	u64 max = vsecy_secy_max_pn(secy), pn = 0;

	spin_lock_bh(&sa->lock);
	if (sa->active && sa->next_pn && sa->next_pn <= max) {
		pn = sa->next_pn++;
		if (pn == max) {
			/* The last one: next_pn is now past the PN space
			 * (or 0 for XPN). Stop the SA before another frame
			 * could take a PN twice.
			 */
			vsecy_secy_pn_exhausted(secy, sa);
		}
	}
	spin_unlock_bh(&sa->lock);
	vsecy_events_tx_pn(secy, sa, pn);
	return pn;
}

/* Inserts the SecTAG described by @p into @skb (whose data starts at the
 * MAC addresses, with headroom for the SecTAG and tailroom for the ICV),
 * and returns an AEAD request that protects the frame in place when run,
 * its callback not yet set: the datapath's and the Annex C self-test's
 * one way to build a protected frame. Returns an ERR_PTR on failure; the
 * caller frees @skb.
 */
struct aead_request *vsecy_tx_prepare(struct sk_buff *skb, struct vsecy_sa *sa,
				      const struct vsecy_tx_params *p)
{
	bool has_sci = p->tci_an & VSECY_TCI_SC;
	unsigned int tag_len = vsecy_sectag_len(has_sci);
	unsigned int hdr_len = 2 * ETH_ALEN + tag_len;
	unsigned int data_len = skb->len - 2 * ETH_ALEN, conf_offset;
	struct vsecy_sectag tag = {
		.tci_an = p->tci_an,
		.sci = p->sci,
		.pn = lower_32_bits(p->pn),
	};
	struct aead_request *req;
	struct scatterlist *sg;
	struct sk_buff *trailer;
	int nsg, ret;
	u8 *iv;

	/* 10.5.2, 14.5: confidentialityOffset octets of the user data right
	 * after the SecTAG stay in the clear, covered by the ICV only. A
	 * frame shorter than that is sent wholly in the clear, as the
	 * receiver (which clamps the same way) expects.
	 */
	conf_offset = min_t(unsigned int, p->conf_offset, data_len);

	skb_push(skb, tag_len);
	memmove(skb->data, skb->data + tag_len, 2 * ETH_ALEN);
	vsecy_sectag_build(skb->data + 2 * ETH_ALEN, &tag, data_len);
	skb_put(skb, p->icv_len);

	nsg = skb_cow_data(skb, 0, &trailer);
	if (unlikely(nsg < 0))
		return ERR_PTR(nsg);
	req = vsecy_crypto_req_alloc(sa->tfm, &iv, &sg, nsg);
	if (!req)
		return ERR_PTR(-ENOMEM);
	if (p->xpn)
		vsecy_crypto_iv_xpn(iv, sa->ssci, p->pn, sa->salt);
	else
		vsecy_crypto_iv(iv, p->sci, lower_32_bits(p->pn));

	sg_init_table(sg, nsg);
	ret = skb_to_sgvec(skb, sg, 0, skb->len);
	if (unlikely(ret < 0)) {
		aead_request_free(req);
		return ERR_PTR(ret);
	}

	if (p->tci_an & VSECY_TCI_E) {
		/* 14.5: the header is authenticated, the rest encrypted. */
		aead_request_set_crypt(req, sg, sg, skb->len - hdr_len -
				       conf_offset - p->icv_len, iv);
		aead_request_set_ad(req, hdr_len + conf_offset);
	} else {
		/* Integrity only (E = 0, C = 0): everything is AAD. */
		aead_request_set_crypt(req, sg, sg, 0, iv);
		aead_request_set_ad(req, skb->len - p->icv_len);
	}
	return req;
}

/* Protects @skb with @sa. Returns 0 when the frame went to the crypto
 * engine asynchronously (the completion sends it), 1 when it is ready to
 * be sent now, or a negative error (the frame was freed).
 */
static int protect(struct sk_buff **pskb, struct net_device *dev,
		   struct vsecy_secy *secy, struct vsecy_sa *sa, u8 an)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	struct sk_buff *skb = *pskb;
	unsigned int orig_len = skb->len;
	unsigned int tag_len, icv_len = secy->icv_len;
	struct vsecy_tx_params p = {
		.tci_an = an,
		.icv_len = icv_len,
		.xpn = secy->xpn,
	};
	struct aead_request *req;
	bool has_sci, encrypt;
	int ret;

	encrypt = READ_ONCE(secy->encrypt);
	/* 10.5.3: the SCI is sent when asked, or when it is needed to tell
	 * this SC apart at a receiver that has several (the kernel macsec's
	 * rule).
	 */
	has_sci = READ_ONCE(secy->send_sci) ||
		  (READ_ONCE(secy->n_rx_scs) > 1 &&
		   !READ_ONCE(secy->end_station) && !READ_ONCE(secy->scb));
	tag_len = vsecy_sectag_len(has_sci);

	if (skb->len + tag_len + icv_len - ETH_HLEN > vs->lower->mtu) {
		vsecy_count(secy->stats, VSECY_SECY_STATS_A_OUT_PKTS_TOO_LONG, 1);
		kfree_skb(skb);
		return -EMSGSIZE;
	}

	if (unlikely(skb_headroom(skb) < tag_len ||
		     skb_tailroom(skb) < icv_len)) {
		struct sk_buff *nskb = skb_copy_expand(skb, tag_len, icv_len,
						       GFP_ATOMIC);

		consume_skb(skb);
		skb = nskb;
	} else {
		skb = skb_unshare(skb, GFP_ATOMIC);
	}
	*pskb = skb;
	if (!skb)
		return -ENOMEM;

	p.pn = take_pn(secy, sa);
	if (!p.pn) {
		kfree_skb(skb);
		return -ENOLINK;
	}

	if (encrypt) {
		p.tci_an |= VSECY_TCI_E | VSECY_TCI_C;
		p.conf_offset = READ_ONCE(secy->conf_offset);
	}
	p.sci = READ_ONCE(secy->sci);
	if (has_sci) {
		p.tci_an |= VSECY_TCI_SC;
	} else {
		if (READ_ONCE(secy->end_station))
			p.tci_an |= VSECY_TCI_ES;
		if (READ_ONCE(secy->scb))
			p.tci_an |= VSECY_TCI_SCB;
	}

	tx_cb(skb)->data_len = skb->len - 2 * ETH_ALEN;
	req = vsecy_tx_prepare(skb, sa, &p);
	if (IS_ERR(req)) {
		kfree_skb(skb);
		return PTR_ERR(req);
	}

	tx_cb(skb)->req = req;
	tx_cb(skb)->sa = sa;
	tx_cb(skb)->encrypt = encrypt;
	tx_cb(skb)->len = orig_len;
	skb->dev = dev;
	aead_request_set_callback(req, 0, tx_done, skb);

	/* The completion may run after the device started going away: it
	 * holds the device, and the SA through cb->sa.
	 */
	dev_hold(dev);
	ret = vsecy_crypto_encrypt(req);
	if (ret == -EINPROGRESS)
		return 0;
	dev_put(dev);
	if (ret) {
		aead_request_free(req);
		kfree_skb(skb);
		return ret;
	}
	return 1;
}

netdev_tx_t vsecy_tx_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vsecy_secy *secy = vsecy_secy_from_dev(dev);
	unsigned int len = skb->len;
	struct vsecy_sa *sa;
	int ret;
	u8 an;

	/* 10.5: protectFrames off sends frames as they are. */
	if (!READ_ONCE(secy->protect)) {
		vsecy_count(secy->stats, VSECY_SECY_STATS_A_OUT_PKTS_UNTAGGED, 1);
		xmit_lower(skb, dev, len);
		return NETDEV_TX_OK;
	}

	rcu_read_lock();
	an = READ_ONCE(secy->encoding_sa);
	sa = vsecy_secy_sa_get(&secy->tx_sc.sa[an]);
	rcu_read_unlock();
	if (!sa) {
		/* No SA to encode with: the SecY is not operational. */
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}

	ret = protect(&skb, dev, secy, sa, an);
	if (ret < 0) {
		vsecy_secy_sa_put(sa);
		DEV_STATS_INC(dev, tx_dropped);
		return NETDEV_TX_OK;
	}
	if (ret == 0)
		return NETDEV_TX_OK;	/* tx_done() takes over */

	tx_finish(skb, dev);
	return NETDEV_TX_OK;
}
