// SPDX-License-Identifier: GPL-2.0
/*
 * The receive half of the SecY (IEEE 802.1AE-2018 10.6, figure 10-5), run
 * from the lower device's rx_handler for every SecY on it: SecTAG checks,
 * SC and SA lookup and a first replay check there; validation,
 * decryption, the final replay check and delivery through GRO in the
 * SecY's receive queue (queue.c), in the order the frames came, on the
 * device the front end names. Frames no SecY takes
 * (without SecTAG, with an unknown SCI, the KaY's own) go where the
 * port's front end says: they stay on the lower device (the uncontrolled
 * port) for vsecy links, they reach the NIC in offload mode. A SecY that
 * is not Strict also gets a copy of frames without SecTAG, as with the
 * kernel's macsec.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <crypto/aead.h>

#include "crypto.h"
#include "datapath.h"
#include "port.h"
#include "queue.h"
#include "replay.h"
#include "sectag.h"
#include "secy.h"

struct rx_cb {
	struct vsecy_qcb q;
	struct aead_request *req;
	struct vsecy_sa *sa;	/* referenced; its SC, its SecY */
	u64 sci;
	u64 pn;			/* the full PN, recovered for XPN */
	u8 tci_an;
	bool has_sci;
	bool check;		/* validated (10.6.4) */
	bool valid;
};

static struct rx_cb *rx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct rx_cb) > sizeof(skb->cb));
	return (struct rx_cb *)skb->cb;
}

static void count_all(struct vsecy_port *port, unsigned int idx)
{
	struct vsecy_secy *secy;

	list_for_each_entry_rcu(secy, &port->secys, port_node)
		vsecy_count(secy->stats, idx, 1);
}

/* Removes SecTAG and ICV from a frame whose data starts at its MAC
 * addresses; the data still starts there.
 */
static void strip(struct sk_buff *skb, bool has_sci, unsigned int icv_len)
{
	unsigned int tag_len = vsecy_sectag_len(has_sci);

	memmove(skb->data + tag_len, skb->data, 2 * ETH_ALEN);
	skb_pull(skb, tag_len);
	pskb_trim_unique(skb, skb->len - icv_len);
	/* The payload changed under any checksum the lower device gave. */
	skb->ip_summed = CHECKSUM_NONE;
}

/* For the front ends' deliver hooks: makes @skb, its data at the MAC
 * header, a frame received on @dev (data past the Ethernet header).
 */
void vsecy_rx_retarget(struct sk_buff *skb, struct net_device *dev)
{
	skb->pkt_type = PACKET_HOST;
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	if (!skb_transport_header_was_set(skb))
		skb_reset_transport_header(skb);
	skb_reset_mac_len(skb);
}

/* Hands @skb, its data at the MAC header, to the device the front end
 * names, through GRO from the receive queue's NAPI (@napi), else through
 * netif_rx().
 */
static void deliver(struct vsecy_secy *secy, struct vsecy_rx_sc *sc,
		    struct sk_buff *skb, struct napi_struct *napi)
{
	struct net_device *dev = secy->hooks->rx_dev(secy, sc, skb);
	unsigned int len = skb->len;

	if (!dev) {
		DEV_STATS_INC(secy->dev, rx_dropped);
		kfree_skb(skb);
		return;
	}
	vsecy_rx_retarget(skb, dev);
	if (napi) {
		dev_sw_netstats_rx_add(dev, len);
		napi_gro_receive(napi, skb);
	} else if (netif_rx(skb) == NET_RX_SUCCESS) {
		dev_sw_netstats_rx_add(dev, len);
	} else {
		DEV_STATS_INC(dev, rx_dropped);
	}
}

/* Whether frames that carry no protection this SecY can check go to its
 * Controlled Port: validateFrames not Strict (10.6), and a front end that
 * takes them.
 */
static bool takes_unchecked(struct vsecy_secy *secy)
{
	return secy->hooks->unchecked &&
	       READ_ONCE(secy->p.validate) != VSECY_VALIDATE_STRICT &&
	       READ_ONCE(secy->running);
}

/* Frames without a SecTAG (10.6, first step of figure 10-5); @skb's data
 * is past its Ethernet header, and it stays the port's.
 */
static void rx_untagged(struct vsecy_port *port, struct sk_buff *skb)
{
	struct vsecy_secy *secy;

	list_for_each_entry_rcu(secy, &port->secys, port_node) {
		struct sk_buff *nskb;

		if (!secy->hooks->unchecked)
			continue;
		if (!takes_unchecked(secy)) {
			vsecy_count(secy->stats, VSECY_SECY_STATS_A_IN_PKTS_NO_TAG, 1);
			continue;
		}
		nskb = skb_clone(skb, GFP_ATOMIC);
		if (!nskb)
			break;
		skb_push(nskb, ETH_HLEN);
		vsecy_count(secy->stats, VSECY_SECY_STATS_A_IN_PKTS_UNTAGGED, 1);
		deliver(secy, NULL, nskb, NULL);
	}
}

/* 10.6.1, no SC for the SCI: counted by every SecY on the port; a frame
 * that is neither Strict-validated nor confidentiality-protected still
 * reaches the controlled ports, without SecTAG and ICV. @skb's data is
 * past its Ethernet header, and it stays the port's.
 */
static void rx_unknown_sci(struct vsecy_port *port, struct sk_buff *skb,
			   u8 tci_an)
{
	struct vsecy_secy *secy;

	list_for_each_entry_rcu(secy, &port->secys, port_node) {
		struct sk_buff *nskb;

		if ((tci_an & VSECY_TCI_C) || !takes_unchecked(secy)) {
			vsecy_count(secy->stats, VSECY_SECY_STATS_A_IN_PKTS_NO_SCI, 1);
			continue;
		}
		/* A private copy: the SecTAG is cut out in place. */
		nskb = skb_copy(skb, GFP_ATOMIC);
		if (!nskb)
			break;
		skb_push(nskb, ETH_HLEN);
		strip(nskb, tci_an & VSECY_TCI_SC, READ_ONCE(secy->p.icv_len));
		vsecy_count(secy->stats, VSECY_SECY_STATS_A_IN_PKTS_UNKNOWN_SCI, 1);
		deliver(secy, NULL, nskb, NULL);
	}
}

/* 9.9: the SCI of a frame whose SecTAG does not carry one. */
static u64 implicit_sci(struct vsecy_port *port, const u8 *hdr, u8 tci_an)
{
	/* ES = 0 and SCB = 0: a point-to-point link where the receiver
	 * knows its one peer. That is our one SecY's one RX SC.
	 */
	if (!(tci_an & (VSECY_TCI_ES | VSECY_TCI_SCB)) &&
	    list_is_singular(&port->secys)) {
		struct vsecy_secy *secy;
		struct vsecy_rx_sc *sc;

		secy = list_first_or_null_rcu(&port->secys, struct vsecy_secy,
					      port_node);
		if (secy && READ_ONCE(secy->n_rx_scs) == 1) {
			sc = list_first_or_null_rcu(&secy->rx_scs,
						    struct vsecy_rx_sc, node);
			if (sc)
				return sc->sci;
		}
	}
	/* ES = 1 (and the fallback): the source address with port 1. */
	return vsecy_make_sci(hdr + ETH_ALEN, 1);
}

/* The checks of figure 10-5 after validation: replay, counters, nextPN.
 * Returns whether the frame goes to the controlled port.
 */
static bool rx_post(struct vsecy_secy *secy, struct sk_buff *skb)
{
	struct rx_cb *cb = rx_cb(skb);
	struct vsecy_sa *sa = cb->sa;
	struct vsecy_rx_sc *sc = sa->sc;
	u8 validate = READ_ONCE(secy->p.validate);
	enum vsecy_replay_verdict verdict;
	unsigned int data_len;

	data_len = skb->len - 2 * ETH_ALEN - vsecy_sectag_len(cb->has_sci) -
		   READ_ONCE(secy->p.icv_len);

	spin_lock_bh(&sa->lock);
	verdict = vsecy_replay_final(sa, cb->pn, cb->valid,
				     READ_ONCE(secy->p.window),
				     READ_ONCE(secy->p.replay));
	spin_unlock_bh(&sa->lock);

	if (verdict == VSECY_REPLAY_LATE) {
		vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_LATE, 1);
		DEV_STATS_INC(secy->dev, rx_dropped);
		return false;
	}

	if (validate != VSECY_VALIDATE_DISABLED)
		vsecy_count(sc->stats, cb->tci_an & VSECY_TCI_E ?
			    VSECY_RXSC_STATS_A_IN_OCTETS_DECRYPTED :
			    VSECY_RXSC_STATS_A_IN_OCTETS_VALIDATED, data_len);

	if (!cb->valid) {
		if ((cb->tci_an & VSECY_TCI_C) ||
		    validate == VSECY_VALIDATE_STRICT) {
			vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_NOT_VALID, 1);
			vsecy_count(sa->stats, VSECY_RXSA_STATS_A_IN_PKTS_NOT_VALID, 1);
			DEV_STATS_INC(secy->dev, rx_errors);
			return false;
		}
		if (validate == VSECY_VALIDATE_CHECK) {
			vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_INVALID, 1);
			vsecy_count(sa->stats, VSECY_RXSA_STATS_A_IN_PKTS_INVALID, 1);
		} else if (verdict == VSECY_REPLAY_DELAYED) {
			vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_DELAYED, 1);
		} else {
			vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_UNCHECKED, 1);
		}
		return true;
	}

	if (verdict == VSECY_REPLAY_DELAYED) {
		vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_DELAYED, 1);
	} else {
		vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_OK, 1);
		vsecy_count(sa->stats, VSECY_RXSA_STATS_A_IN_PKTS_OK, 1);
	}
	return true;
}

/* Completion of an asynchronous validation; the SecY and its device were
 * held for it.
 */
static void rx_done(VSECY_CRYPTO_DONE_ARG *base, int err)
{
	struct sk_buff *skb = vsecy_crypto_done_data(base);
	struct rx_cb *cb = rx_cb(skb);
	struct vsecy_secy *secy = cb->sa->sc->secy;
	struct net_device *dev = secy->dev;

	vsecy_crypto_req_free(cb->sa, cb->req);
	vsecy_queue_done(&secy->rxq, skb, err);
	vsecy_secy_put(secy);
	dev_put(dev);
}

/* Returns an AEAD request that validates (and, with E set in @tci_an,
 * decrypts) @skb in place, its callback not yet set; @skb's data starts
 * at the MAC addresses. The datapath's and the Annex C self-test's one
 * way to check a frame. Returns an ERR_PTR on failure; the caller frees
 * @skb.
 */
struct aead_request *vsecy_validate_prepare(struct sk_buff *skb,
					    struct vsecy_sa *sa, u64 sci,
					    u64 pn, u8 tci_an, bool xpn,
					    unsigned int icv_len,
					    unsigned int conf_offset)
{
	unsigned int hdr_len = 2 * ETH_ALEN +
			       vsecy_sectag_len(tci_an & VSECY_TCI_SC);

	if (tci_an & VSECY_TCI_E) {
		/* 10.6.4: the first confidentialityOffset octets after the
		 * SecTAG were sent in the clear (all of them in a shorter
		 * frame, as the transmitter clamps too).
		 */
		conf_offset = min(conf_offset, skb->len - hdr_len - icv_len);
		return vsecy_crypto_frame_req(skb, sa, sci, pn, xpn,
					      hdr_len + conf_offset,
					      skb->len - hdr_len - conf_offset);
	}
	return vsecy_crypto_frame_req(skb, sa, sci, pn, xpn,
				      skb->len - icv_len, icv_len);
}

/* The receive queue's ops. */

/* Validates (and decrypts) a frame, whose data starts at the MAC
 * addresses, unless 10.6.4 says not to.
 */
static enum vsecy_qstate rx_start(struct vsecy_queue *q, struct sk_buff *skb)
{
	struct vsecy_secy *secy = container_of(q, struct vsecy_secy, rxq);
	struct rx_cb *cb = rx_cb(skb);
	int ret;

	cb->valid = false;
	if (!cb->check)
		return VSECY_Q_DONE;
	cb->req = vsecy_validate_prepare(skb, cb->sa, cb->sci, cb->pn,
					 cb->tci_an, READ_ONCE(secy->xpn),
					 READ_ONCE(secy->p.icv_len),
					 READ_ONCE(secy->p.conf_offset));
	if (IS_ERR(cb->req))
		return VSECY_Q_DROP;
	aead_request_set_callback(cb->req, 0, rx_done, skb);

	/* Held for rx_done(), with the SA reference in cb->sa. */
	refcount_inc(&secy->refcnt);
	dev_hold(secy->dev);
	ret = vsecy_crypto_decrypt(cb->req);
	if (ret == -EINPROGRESS)
		return VSECY_Q_PENDING;
	dev_put(secy->dev);
	vsecy_secy_put(secy);
	vsecy_crypto_req_free(cb->sa, cb->req);
	cb->q.err = ret;
	return VSECY_Q_DONE;
}

/* In the order the frames came: the final replay check, the counters,
 * delivery.
 */
static void rx_finish(struct vsecy_queue *q, struct sk_buff *skb)
{
	struct vsecy_secy *secy = container_of(q, struct vsecy_secy, rxq);
	struct rx_cb *cb = rx_cb(skb);
	struct vsecy_sa *sa = cb->sa;
	int err = cb->q.err;

	if (cb->q.state != VSECY_Q_DONE || (err && err != -EBADMSG)) {
		DEV_STATS_INC(secy->dev, rx_dropped);
		kfree_skb(skb);
	} else {
		cb->valid = cb->check && !err;
		if (rx_post(secy, skb)) {
			strip(skb, cb->has_sci, READ_ONCE(secy->p.icv_len));
			deliver(secy, sa->sc, skb, &q->napi);
		} else {
			kfree_skb(skb);
		}
	}
	vsecy_sa_put(sa);
}

const struct vsecy_queue_ops vsecy_rx_queue_ops = {
	.start	= rx_start,
	.finish	= rx_finish,
};

static rx_handler_result_t rx_drop(struct sk_buff **pskb)
{
	kfree_skb(*pskb);
	*pskb = NULL;
	return RX_HANDLER_CONSUMED;
}

/* The rx_handler of a port, under RCU. */
rx_handler_result_t vsecy_validate_frame(struct vsecy_port *port,
					 struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct vsecy_sectag tag;
	struct vsecy_secy *secy;
	struct vsecy_rx_sc *sc;
	struct vsecy_sa *sa;
	bool has_sci, in_use, replay, late, xpn;
	u8 tci_an, an, validate;
	const u8 *hdr;
	u64 sci, pn;
	u32 window;

	if (eth_hdr(skb)->h_proto != htons(ETH_P_MACSEC)) {
		rx_untagged(port, skb);
		return port->ops->unclaimed(port, pskb);
	}

	skb = skb_unshare(skb, GFP_ATOMIC);
	*pskb = skb;
	if (!skb)
		return RX_HANDLER_CONSUMED;

	/* skb->data is past the EtherType: TCI/AN, SL, PN, maybe SCI. */
	if (!pskb_may_pull(skb, VSECY_SECTAG_BASE_LEN - 2)) {
		count_all(port, VSECY_SECY_STATS_A_IN_PKTS_BAD_TAG);
		return rx_drop(pskb);
	}
	tci_an = skb->data[0];
	has_sci = tci_an & VSECY_TCI_SC;

	/* 9.5: E = 1 with C = 0 marks frames that are not for the
	 * Controlled Port (the KaY's own); leave them to the port.
	 */
	if ((tci_an & (VSECY_TCI_E | VSECY_TCI_C)) == VSECY_TCI_E)
		return port->ops->unclaimed(port, pskb);

	if ((has_sci && !pskb_may_pull(skb, vsecy_sectag_len(true) - 2)) ||
	    skb_mac_header(skb) + ETH_HLEN != skb->data) {
		count_all(port, VSECY_SECY_STATS_A_IN_PKTS_BAD_TAG);
		return rx_drop(pskb);
	}
	hdr = skb_mac_header(skb);

	/* The structure of the SecTAG, before knowing the SecY (the PN = 0
	 * rule, which depends on its cipher suite, comes below).
	 */
	if (vsecy_sectag_parse(hdr + 2 * ETH_ALEN, skb->len + 2,
			       VSECY_ICV_LEN, true, &tag)) {
		count_all(port, VSECY_SECY_STATS_A_IN_PKTS_BAD_TAG);
		return rx_drop(pskb);
	}

	sci = has_sci ? tag.sci : implicit_sci(port, hdr, tci_an);
	sc = vsecy_rx_sc_find(port, sci);
	if (!sc) {
		rx_unknown_sci(port, skb, tci_an);
		return port->ops->unclaimed(port, pskb);
	}
	secy = sc->secy;
	/* A controlled port that is down takes nothing: the frame is not
	 * validated (the replay state stays as it is) nor delivered, only
	 * counted.
	 */
	if (unlikely(!READ_ONCE(secy->running))) {
		DEV_STATS_INC(secy->dev, rx_dropped);
		return rx_drop(pskb);
	}
	validate = READ_ONCE(secy->p.validate);
	xpn = READ_ONCE(secy->xpn);

	if (!tag.pn && !xpn) {
		vsecy_count(secy->stats, VSECY_SECY_STATS_A_IN_PKTS_BAD_TAG, 1);
		DEV_STATS_INC(secy->dev, rx_errors);
		return rx_drop(pskb);
	}

	/* 10.6.1: the SA, if it is in use. An SC that is not active has no
	 * SA in use.
	 */
	an = tci_an & VSECY_AN_MASK;
	sa = vsecy_sa_get(&sc->sa[an]);
	in_use = sa && READ_ONCE(sc->active) && READ_ONCE(sa->active);
	if (!in_use) {
		bool discard = (tci_an & VSECY_TCI_C) ||
			       validate == VSECY_VALIDATE_STRICT ||
			       !secy->hooks->unchecked;
		unsigned int idx = discard ?
			VSECY_RXSC_STATS_A_IN_PKTS_NOT_USING_SA :
			VSECY_RXSC_STATS_A_IN_PKTS_UNUSED_SA;

		vsecy_count(sc->stats, idx, 1);
		if (sa) {
			vsecy_count(sa->stats, discard ?
				    VSECY_RXSA_STATS_A_IN_PKTS_NOT_USING_SA :
				    VSECY_RXSA_STATS_A_IN_PKTS_UNUSED_SA, 1);
			vsecy_sa_put(sa);
		}
		if (discard) {
			DEV_STATS_INC(secy->dev, rx_errors);
			return rx_drop(pskb);
		}
		skb_push(skb, ETH_HLEN);
		goto deliver;
	}

	/* Replay check before spending time on the crypto (10.6.2), without
	 * the SA's lock: a frame that passes may still be refused, as
	 * rx_post() checks again, and records the PN, under the lock once
	 * the frame is validated.
	 */
	window = READ_ONCE(secy->p.window);
	replay = READ_ONCE(secy->p.replay);
	pn = vsecy_replay_pre_check(READ_ONCE(sa->next_pn), tag.pn, xpn, window,
				    replay, &late);
	if (late) {
		vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_LATE, 1);
		DEV_STATS_INC(secy->dev, rx_dropped);
		vsecy_sa_put(sa);
		return rx_drop(pskb);
	}

	rx_cb(skb)->sa = sa;
	rx_cb(skb)->sci = sci;
	rx_cb(skb)->pn = pn;
	rx_cb(skb)->tci_an = tci_an;
	rx_cb(skb)->has_sci = has_sci;
	/* 10.6.4: with validateFrames Disabled, frames whose user data is
	 * in the clear are not checked.
	 */
	rx_cb(skb)->check = (tci_an & VSECY_TCI_C) ||
			    validate != VSECY_VALIDATE_DISABLED;

	/* The MAC addresses are part of what the ICV covers. */
	skb_push(skb, ETH_HLEN);
	*pskb = NULL;
	if (!vsecy_queue_push(&secy->rxq, skb)) {
		vsecy_sa_put(sa);
		DEV_STATS_INC(secy->dev, rx_dropped);
		kfree_skb(skb);
	}
	return RX_HANDLER_CONSUMED;

deliver:
	/* An SA not in use, validateFrames not Strict: as it is (10.6.1). */
	strip(skb, has_sci, READ_ONCE(secy->p.icv_len));
	*pskb = NULL;
	deliver(secy, sc, skb, NULL);
	return RX_HANDLER_CONSUMED;
}
