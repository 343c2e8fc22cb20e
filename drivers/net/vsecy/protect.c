// SPDX-License-Identifier: GPL-2.0
/*
 * The transmit half of the SecY (IEEE 802.1AE-2018 10.5): the encoding SA,
 * the PN, the SecTAG, GCM-AES and the ICV; the frame then goes to the
 * wire through the front end's xmit hook.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <crypto/aead.h>

#include "crypto.h"
#include "datapath.h"
#include "port.h"
#include "sectag.h"
#include "secy.h"

struct tx_cb {
	struct aead_request *req;
	struct vsecy_secy *secy;
	struct vsecy_sa *sa;
	unsigned int data_len;	/* user data octets, for OutOctets* */
	unsigned int len;	/* as the front end handed it in */
	bool encrypt;
};

static struct tx_cb *tx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct tx_cb) > sizeof(skb->cb));
	return (struct tx_cb *)skb->cb;
}

/* 10.5.3/10.7.18: the SC and SA counters of a protected frame. */
static void count_protected(struct vsecy_secy *secy, struct tx_cb *cb)
{
	struct vsecy_counters __percpu *sc = secy->tx_sc.stats;

	if (cb->encrypt) {
		vsecy_count(sc, VSECY_TXSC_STATS_A_OUT_PKTS_ENCRYPTED, 1);
		vsecy_count(sc, VSECY_TXSC_STATS_A_OUT_OCTETS_ENCRYPTED,
			    cb->data_len);
		vsecy_count(cb->sa->stats, VSECY_TXSA_STATS_A_OUT_PKTS_ENCRYPTED, 1);
	} else {
		vsecy_count(sc, VSECY_TXSC_STATS_A_OUT_PKTS_PROTECTED, 1);
		vsecy_count(sc, VSECY_TXSC_STATS_A_OUT_OCTETS_PROTECTED,
			    cb->data_len);
		vsecy_count(cb->sa->stats, VSECY_TXSA_STATS_A_OUT_PKTS_PROTECTED, 1);
	}
}

static void tx_finish(struct sk_buff *skb)
{
	struct tx_cb *cb = tx_cb(skb);
	struct vsecy_secy *secy = cb->secy;
	unsigned int len = cb->len;

	count_protected(secy, cb);
	aead_request_free(cb->req);
	vsecy_sa_put(cb->sa);
	skb_reset_mac_header(skb);
	skb->protocol = htons(ETH_P_MACSEC);
	secy->hooks->xmit(secy, skb, len);
}

/* Completion of an asynchronous encryption; the SecY and its device were
 * held for it.
 */
static void tx_done(VSECY_CRYPTO_DONE_ARG *base, int err)
{
	struct sk_buff *skb = vsecy_crypto_done_data(base);
	struct vsecy_secy *secy = tx_cb(skb)->secy;
	struct net_device *dev = secy->dev;

	if (unlikely(err)) {
		struct tx_cb *cb = tx_cb(skb);

		aead_request_free(cb->req);
		vsecy_sa_put(cb->sa);
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
	} else {
		rcu_read_lock_bh();
		tx_finish(skb);
		rcu_read_unlock_bh();
	}
	vsecy_secy_put(secy);
	dev_put(dev);
}

/* 802.1AE 10.5.2: the next PN of the SA, or 0 when there is none. The
 * front end hears of the threshold and of the last PN, once each.
 */
static u64 take_pn(struct vsecy_secy *secy, struct vsecy_sa *sa, u8 an)
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
			vsecy_sa_pn_exhausted(secy, sa);
		}
	}
	spin_unlock_bh(&sa->lock);

	if (unlikely(pn && pn >= vsecy_secy_pn_threshold(secy) &&
		     !test_bit(VSECY_SA_EV_THRESHOLD, &sa->events) &&
		     !test_and_set_bit(VSECY_SA_EV_THRESHOLD, &sa->events)))
		secy->hooks->tx_pn(secy, sa, an, pn + 1, false);
	if (unlikely(pn && pn == max))
		secy->hooks->tx_pn(secy, sa, an, 0, true);
	return pn;
}

/* Inserts the SecTAG described by @p into @skb (whose data starts at the
 * MAC addresses, with headroom for the SecTAG and tailroom for the ICV),
 * and returns an AEAD request that protects the frame in place when run,
 * its callback not yet set: the datapath's and the Annex C self-test's
 * one way to build a protected frame. Returns an ERR_PTR on failure; the
 * caller frees @skb.
 */
struct aead_request *vsecy_protect_prepare(struct sk_buff *skb,
					   struct vsecy_sa *sa,
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

	if (p->tci_an & VSECY_TCI_E)
		/* 14.5: the header is authenticated, the rest encrypted. */
		return vsecy_crypto_frame_req(skb, sa, p->sci, p->pn, p->xpn,
					      hdr_len + conf_offset,
					      skb->len - hdr_len - conf_offset -
					      p->icv_len);
	/* Integrity only (E = 0, C = 0): everything is associated data. */
	return vsecy_crypto_frame_req(skb, sa, p->sci, p->pn, p->xpn,
				      skb->len - p->icv_len, 0);
}

/* Protects @skb with @sa. Returns 0 when the frame went to the crypto
 * engine asynchronously (the completion sends it), 1 when it is ready to
 * be sent now, or a negative error (the frame was freed).
 */
static int protect(struct sk_buff **pskb, struct vsecy_secy *secy,
		   struct vsecy_sa *sa, u8 an)
{
	struct sk_buff *skb = *pskb;
	unsigned int orig_len = skb->len;
	unsigned int tag_len, icv_len = READ_ONCE(secy->p.icv_len);
	struct vsecy_tx_params p = {
		.tci_an = an,
		.icv_len = icv_len,
		.xpn = READ_ONCE(secy->xpn),
	};
	struct aead_request *req;
	bool has_sci, encrypt;
	int ret;

	encrypt = READ_ONCE(secy->p.encrypt);
	/* 10.5.3: the SCI is sent when asked, or when it is needed to tell
	 * this SC apart at a receiver that has several (the kernel macsec's
	 * rule).
	 */
	has_sci = READ_ONCE(secy->p.send_sci) ||
		  (READ_ONCE(secy->n_rx_scs) > 1 &&
		   !READ_ONCE(secy->p.end_station) && !READ_ONCE(secy->p.scb));
	tag_len = vsecy_sectag_len(has_sci);

	if (skb->len + tag_len + icv_len - ETH_HLEN > secy->port->lower->mtu) {
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

	p.pn = take_pn(secy, sa, an);
	if (!p.pn) {
		kfree_skb(skb);
		return -ENOLINK;
	}

	if (encrypt) {
		p.tci_an |= VSECY_TCI_E | VSECY_TCI_C;
		p.conf_offset = READ_ONCE(secy->p.conf_offset);
	}
	p.sci = READ_ONCE(secy->p.sci);
	if (has_sci) {
		p.tci_an |= VSECY_TCI_SC;
	} else {
		if (READ_ONCE(secy->p.end_station))
			p.tci_an |= VSECY_TCI_ES;
		if (READ_ONCE(secy->p.scb))
			p.tci_an |= VSECY_TCI_SCB;
	}

	tx_cb(skb)->data_len = skb->len - 2 * ETH_ALEN;
	req = vsecy_protect_prepare(skb, sa, &p);
	if (IS_ERR(req)) {
		kfree_skb(skb);
		return PTR_ERR(req);
	}

	tx_cb(skb)->req = req;
	tx_cb(skb)->secy = secy;
	tx_cb(skb)->sa = sa;
	tx_cb(skb)->encrypt = encrypt;
	tx_cb(skb)->len = orig_len;
	aead_request_set_callback(req, 0, tx_done, skb);

	/* The completion may run after the SecY was destroyed and its
	 * device started going away: it holds both, and the SA through
	 * cb->sa.
	 */
	refcount_inc(&secy->refcnt);
	dev_hold(secy->dev);
	ret = vsecy_crypto_encrypt(req);
	if (ret == -EINPROGRESS)
		return 0;
	dev_put(secy->dev);
	vsecy_secy_put(secy);
	if (ret) {
		aead_request_free(req);
		kfree_skb(skb);
		return ret;
	}
	return 1;
}

/* A frame from the front end, its data at the MAC header, under RCU (an
 * ndo_start_xmit): protected and sent (10.5), or dropped and counted.
 */
void vsecy_protect_xmit(struct vsecy_secy *secy, struct sk_buff *skb)
{
	unsigned int len = skb->len;
	struct vsecy_sa *sa;
	int ret;
	u8 an;

	/* 10.5: protectFrames off sends frames as they are. */
	if (!READ_ONCE(secy->p.protect)) {
		vsecy_count(secy->stats, VSECY_SECY_STATS_A_OUT_PKTS_UNTAGGED, 1);
		secy->hooks->xmit(secy, skb, len);
		return;
	}

	rcu_read_lock();
	an = READ_ONCE(secy->p.encoding_sa);
	sa = vsecy_sa_get(&secy->tx_sc.sa[an]);
	rcu_read_unlock();
	if (!sa) {
		/* No SA to encode with: the SecY is not operational. */
		DEV_STATS_INC(secy->dev, tx_dropped);
		kfree_skb(skb);
		return;
	}

	ret = protect(&skb, secy, sa, an);
	if (ret < 0) {
		vsecy_sa_put(sa);
		DEV_STATS_INC(secy->dev, tx_dropped);
		return;
	}
	if (ret == 0)
		return;	/* tx_done() takes over */
	tx_finish(skb);
}
