// SPDX-License-Identifier: GPL-2.0
/*
 * The transmit half of the SecY (IEEE 802.1AE-2018 10.5): the encoding SA,
 * the PN, the SecTAG, GCM-AES and the ICV; the frame then goes to the
 * lower device. ndo_start_xmit only takes a frame into the SecY's transmit
 * queue (queue.c): its NAPI segments GSO frames, takes the PNs, encrypts
 * and sends in order, so that one GSO frame costs one SA lookup and the
 * wire sees each SA's PNs in order.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <crypto/aead.h>

#include "compat.h"
#include "crypto.h"
#include "datapath.h"
#include "port.h"
#include "queue.h"
#include "sectag.h"
#include "secy.h"

struct tx_cb {
	struct vsecy_qcb q;
	struct aead_request *req;
	struct vsecy_secy *secy;
	struct vsecy_sa *sa;	/* NULL until the frame's crypto starts */
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

/* The lower device takes the frame; it counts on the SecY's device. */
static void xmit_lower(struct vsecy_secy *secy, struct sk_buff *skb,
		       unsigned int len)
{
	struct net_device *dev = secy->dev;
	int ret;

	skb->dev = secy->port->lower;
	ret = dev_queue_xmit(skb);
	if (likely(ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN))
		dev_sw_netstats_tx_add(dev, 1, len);
	else
		DEV_STATS_INC(dev, tx_dropped);
}

/* Completion of an asynchronous encryption; the SecY and its device were
 * held for it.
 */
static void tx_done(VSECY_CRYPTO_DONE_ARG *base, int err)
{
	struct sk_buff *skb = vsecy_crypto_done_data(base);
	struct tx_cb *cb = tx_cb(skb);
	struct vsecy_secy *secy = cb->secy;
	struct net_device *dev = secy->dev;

	vsecy_crypto_req_free(cb->sa, cb->req);
	vsecy_queue_done(&secy->txq, skb, err);
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
		pn = sa->next_pn;
		WRITE_ONCE(sa->next_pn, pn + 1);
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

/* Sets @skb (with room for the SecTAG and ICV, tx_split()) up to be
 * protected with @sa: PN, SecTAG, request (in cb->req). Returns 0, or a
 * negative error (the caller drops the frame).
 */
static int protect(struct sk_buff *skb, struct vsecy_secy *secy,
		   struct vsecy_sa *sa, u8 an)
{
	unsigned int orig_len = skb->len;
	unsigned int tag_len, icv_len = READ_ONCE(secy->p.icv_len);
	struct vsecy_tx_params p = {
		.tci_an = an,
		.icv_len = icv_len,
		.xpn = READ_ONCE(secy->xpn),
	};
	struct aead_request *req;
	bool has_sci, encrypt;

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
		return -EMSGSIZE;
	}

	p.pn = take_pn(secy, sa, an);
	if (!p.pn)
		return -ENOLINK;

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
	if (IS_ERR(req))
		return PTR_ERR(req);
	tx_cb(skb)->req = req;
	tx_cb(skb)->encrypt = encrypt;
	tx_cb(skb)->len = orig_len;
	return 0;
}

/* The transmit queue's ops. */

/* A frame with room for the SecTAG and ICV, writable in place (a
 * private copy of a clone); NULL when there is no memory for it.
 */
static struct sk_buff *make_room(struct sk_buff *skb)
{
	struct sk_buff *nskb;

	if (likely(skb_headroom(skb) >= VSECY_SECTAG_MAX_LEN &&
		   skb_tailroom(skb) >= VSECY_ICV_MAX_LEN && !skb_cloned(skb)))
		return skb;
	nskb = skb_copy_expand(skb, max_t(int, skb_headroom(skb),
					  VSECY_SECTAG_MAX_LEN),
			       VSECY_ICV_MAX_LEN, GFP_ATOMIC);
	if (nskb)
		memcpy(nskb->cb, skb->cb, sizeof(skb->cb));
	consume_skb(skb);
	return nskb;
}

/* One frame for the queue: checksummed, with room, or dropped. */
static void tx_one(struct vsecy_secy *secy, struct sk_buff *skb,
		   struct sk_buff_head *list)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto drop;
	skb = make_room(skb);
	if (!skb)
		goto count;
	tx_cb(skb)->sa = NULL;
	__skb_queue_tail(list, skb);
	return;
drop:
	kfree_skb(skb);
count:
	DEV_STATS_INC(secy->dev, tx_dropped);
}

/* A GSO frame becomes its segments here rather than in the stack: one
 * wake-up for all of them, on the queue's CPU. (Segments out of
 * skb_gso_segment() without NETIF_F_SG are linear, as the crypto wants
 * them.)
 */
static void tx_split(struct vsecy_queue *q, struct sk_buff *skb,
		     struct sk_buff_head *list)
{
	struct vsecy_secy *secy = container_of(q, struct vsecy_secy, txq);
	struct sk_buff *segs, *next;

	if (!skb_is_gso(skb)) {
		tx_one(secy, skb, list);
		return;
	}
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		DEV_STATS_INC(secy->dev, tx_dropped);
		kfree_skb(skb);
		return;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, skb, next) {
		skb_mark_not_on_list(skb);
		tx_one(secy, skb, list);
	}
}

static enum vsecy_qstate tx_start(struct vsecy_queue *q, struct sk_buff *skb)
{
	struct vsecy_secy *secy = container_of(q, struct vsecy_secy, txq);
	struct tx_cb *cb = tx_cb(skb);
	struct vsecy_sa *sa;
	int ret;
	u8 an;

	rcu_read_lock();
	an = READ_ONCE(secy->p.encoding_sa);
	sa = vsecy_sa_get(&secy->tx_sc.sa[an]);
	rcu_read_unlock();
	cb->sa = sa;
	/* No SA to encode with: the SecY is not operational. */
	if (!sa)
		return VSECY_Q_DROP;

	if (protect(skb, secy, sa, an))
		return VSECY_Q_DROP;

	cb->secy = secy;
	aead_request_set_callback(cb->req, 0, tx_done, skb);
	/* The completion may run after the SecY was unlinked and its device
	 * started going away: it holds both.
	 */
	refcount_inc(&secy->refcnt);
	dev_hold(secy->dev);
	ret = vsecy_crypto_encrypt(cb->req);
	if (ret == -EINPROGRESS)
		return VSECY_Q_PENDING;
	dev_put(secy->dev);
	vsecy_secy_put(secy);
	vsecy_crypto_req_free(cb->sa, cb->req);
	return ret ? VSECY_Q_DROP : VSECY_Q_DONE;
}

static void tx_finish(struct vsecy_queue *q, struct sk_buff *skb)
{
	struct vsecy_secy *secy = container_of(q, struct vsecy_secy, txq);
	struct tx_cb *cb = tx_cb(skb);
	unsigned int len = cb->len;

	if (cb->q.state != VSECY_Q_DONE || cb->q.err) {
		if (cb->sa)
			vsecy_sa_put(cb->sa);
		DEV_STATS_INC(secy->dev, tx_dropped);
		kfree_skb(skb);
		return;
	}
	count_protected(secy, cb);
	vsecy_sa_put(cb->sa);
	skb_reset_mac_header(skb);
	skb->protocol = htons(ETH_P_MACSEC);
	xmit_lower(secy, skb, len);
}

const struct vsecy_queue_ops vsecy_tx_queue_ops = {
	.split	= tx_split,
	.start	= tx_start,
	.finish	= tx_finish,
};

/* A frame from the front end, its data at the MAC header (an
 * ndo_start_xmit): into the transmit queue, or, protectFrames off, out as
 * it is (10.5).
 */
void vsecy_protect_xmit(struct vsecy_secy *secy, struct sk_buff *skb)
{
	if (!READ_ONCE(secy->p.protect)) {
		vsecy_count(secy->stats, VSECY_SECY_STATS_A_OUT_PKTS_UNTAGGED, 1);
		xmit_lower(secy, skb, skb->len);
		return;
	}
	if (!vsecy_queue_push(&secy->txq, skb)) {
		DEV_STATS_INC(secy->dev, tx_dropped);
		kfree_skb(skb);
	}
}
