// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path (IEEE 802.1AE-2018 10.6, figure 10-5), run from the
 * lower device's rx_handler: SecTAG checks, SC and SA lookup, replay
 * protection, validation and decryption, delivery on the controlled port.
 * Frames without a SecTAG stay with the uncontrolled port (the lower
 * device) in every case, and also reach the controlled port when
 * validateFrames is not Strict, as with the kernel's macsec.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <crypto/aead.h>

#include "compat.h"
#include "crypto.h"
#include "device.h"
#include "rx.h"
#include "sectag.h"
#include "secy.h"
#include "tx.h"

/* Largest distance back from nextPN within which the upper half of an XPN
 * PN is recovered when replay protection is off (802.1AE 10.6.2 bounds
 * the replay window to 2^30 for this reason).
 */
#define XPN_RECOVERY_WINDOW	BIT_ULL(30)

struct rx_cb {
	struct aead_request *req;
	struct vsecy_sa *sa;
	u64 pn;			/* the full PN, recovered for XPN */
	u8 tci_an;
	bool has_sci;
	bool valid;
};

static struct rx_cb *rx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct rx_cb) > sizeof(skb->cb));
	return (struct rx_cb *)skb->cb;
}

/* 10.6.2: lowestPN = nextPN - replayWindow (not below 0). */
static u64 lowest_pn(u64 next_pn, u32 window)
{
	return next_pn > window ? next_pn - window : 0;
}

/* 10.6.2 for XPN: the SecTAG carries the low 32 bits of the PN; the upper
 * half is that of @base (the lowest acceptable PN), plus one when the low
 * half is below @base's, i.e. the PN wrapped past a 2^32 boundary.
 */
static u64 recover_pn(u64 base, u32 pn_low)
{
	u64 pn = (base & ~(u64)U32_MAX) | pn_low;

	if (pn_low < lower_32_bits(base))
		pn += 1ULL << 32;
	return pn;
}

/* The full PN of a frame whose SecTAG carries @tag_pn, under sa->lock.
 * For XPN the upper half is recovered from the lowest acceptable PN
 * (10.6.2), or, with replay protection off, from a point far enough back
 * that delayed frames still recover to their own PN.
 */
static u64 rx_full_pn(const struct vsecy_sa *sa, u32 tag_pn, bool xpn,
		      u32 window, bool replay)
{
	if (!xpn)
		return tag_pn;
	return recover_pn(lowest_pn(sa->next_pn,
				    replay ? window : XPN_RECOVERY_WINDOW),
			  tag_pn);
}

enum rx_replay {
	RX_REPLAY_OK,		/* at or above the lowest acceptable PN */
	RX_REPLAY_DELAYED,	/* below it, replay protection off */
	RX_REPLAY_LATE,		/* refused: below it, or seen, replay on */
};

/* The replay check of 10.6.2, under sa->lock. 802.1AE keeps only a lowest
 * acceptable PN, so a copy of a frame still within the replay window
 * would be accepted again; with replay protection on, the SA's bitmap of
 * accepted PNs refuses it too. PNs further back than the bitmap reaches
 * (a window larger than VSECY_REPLAY_BITS) are judged by the lowest-PN
 * rule alone. With replay protection off nothing is refused.
 */
static enum rx_replay rx_replay_check(const struct vsecy_sa *sa, u64 pn,
				      u32 window, bool replay)
{
	if (pn < lowest_pn(sa->next_pn, window))
		return replay ? RX_REPLAY_LATE : RX_REPLAY_DELAYED;
	if (replay && vsecy_secy_replay_seen(sa, pn))
		return RX_REPLAY_LATE;
	return RX_REPLAY_OK;
}

/* The final replay verdict, after validation, under sa->lock: a valid
 * frame that is not late is recorded (nextPN, bitmap) in the same
 * critical section as the check, so that of two copies of a frame
 * validated at the same time on two CPUs only one is taken. Frames that
 * were not validated, or failed, record nothing: a forged frame must not
 * make the genuine one with its PN look like a replay.
 */
static enum rx_replay rx_replay_final(struct vsecy_sa *sa, u64 pn,
				      bool valid, u32 window, bool replay)
{
	enum rx_replay verdict = rx_replay_check(sa, pn, window, replay);

	if (valid && verdict != RX_REPLAY_LATE)
		vsecy_secy_replay_accept(sa, pn);
	return verdict;
}

static void count_all(struct vsecy_port *port, unsigned int idx)
{
	struct vsecy_dev *vs;

	list_for_each_entry_rcu(vs, &port->secys, port_node)
		vsecy_count(vs->secy.stats, idx, 1);
}

/* Removes SecTAG and ICV from a frame whose data starts at its MAC
 * addresses, and makes it a frame received on @dev.
 */
static void strip_and_retarget(struct sk_buff *skb, bool has_sci,
			       unsigned int icv_len, struct net_device *dev)
{
	unsigned int tag_len = vsecy_sectag_len(has_sci);

	memmove(skb->data + tag_len, skb->data, 2 * ETH_ALEN);
	skb_pull(skb, tag_len);
	pskb_trim_unique(skb, skb->len - icv_len);
	/* The payload changed under any checksum the lower device gave. */
	skb->ip_summed = CHECKSUM_NONE;
	skb->pkt_type = PACKET_HOST;
	skb->protocol = eth_type_trans(skb, dev);
	skb_reset_network_header(skb);
	if (!skb_transport_header_was_set(skb))
		skb_reset_transport_header(skb);
	skb_reset_mac_len(skb);
}

/* Frames without a SecTAG (10.6, first step of figure 10-5). */
static void rx_untagged(struct vsecy_port *port, struct sk_buff *skb)
{
	struct vsecy_dev *vs;

	list_for_each_entry_rcu(vs, &port->secys, port_node) {
		struct vsecy_secy *secy = &vs->secy;
		struct sk_buff *nskb;

		if (READ_ONCE(secy->validate) == VSECY_VALIDATE_STRICT) {
			vsecy_count(secy->stats, VSECY_SECY_STATS_A_IN_PKTS_NO_TAG, 1);
			continue;
		}
		nskb = skb_clone(skb, GFP_ATOMIC);
		if (!nskb)
			break;
		nskb->dev = vs->dev;
		nskb->pkt_type = PACKET_HOST;
		eth_skb_pkt_type(nskb, vs->dev);
		if (netif_rx(nskb) == NET_RX_SUCCESS) {
			vsecy_count(secy->stats, VSECY_SECY_STATS_A_IN_PKTS_UNTAGGED, 1);
			dev_sw_netstats_rx_add(vs->dev, nskb->len + ETH_HLEN);
		} else {
			DEV_STATS_INC(vs->dev, rx_dropped);
		}
	}
}

/* 10.6.1, no SC for the SCI: counted by every SecY on the port; a frame
 * that is neither Strict-validated nor confidentiality-protected still
 * reaches the controlled ports, without SecTAG and ICV.
 */
static void rx_unknown_sci(struct vsecy_port *port, struct sk_buff *skb,
			   u8 tci_an)
{
	struct vsecy_dev *vs;

	list_for_each_entry_rcu(vs, &port->secys, port_node) {
		struct vsecy_secy *secy = &vs->secy;
		struct sk_buff *nskb;
		unsigned int len;

		if ((tci_an & VSECY_TCI_C) ||
		    READ_ONCE(secy->validate) == VSECY_VALIDATE_STRICT) {
			vsecy_count(secy->stats, VSECY_SECY_STATS_A_IN_PKTS_NO_SCI, 1);
			continue;
		}
		/* A private copy: the SecTAG is cut out in place. */
		nskb = skb_copy(skb, GFP_ATOMIC);
		if (!nskb)
			break;
		skb_push(nskb, ETH_HLEN);
		strip_and_retarget(nskb, tci_an & VSECY_TCI_SC, secy->icv_len,
				   vs->dev);
		len = nskb->len + ETH_HLEN;
		if (netif_rx(nskb) == NET_RX_SUCCESS) {
			vsecy_count(secy->stats, VSECY_SECY_STATS_A_IN_PKTS_UNKNOWN_SCI, 1);
			dev_sw_netstats_rx_add(vs->dev, len);
		} else {
			DEV_STATS_INC(vs->dev, rx_dropped);
		}
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
		struct vsecy_dev *vs = list_first_or_null_rcu(&port->secys,
							      struct vsecy_dev,
							      port_node);
		struct vsecy_rx_sc *sc;

		if (vs && READ_ONCE(vs->secy.n_rx_scs) == 1) {
			sc = list_first_or_null_rcu(&vs->secy.rx_scs,
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
	u8 validate = READ_ONCE(secy->validate);
	enum rx_replay verdict;
	unsigned int data_len;

	data_len = skb->len - 2 * ETH_ALEN - vsecy_sectag_len(cb->has_sci) -
		   secy->icv_len;

	spin_lock_bh(&sa->lock);
	verdict = rx_replay_final(sa, cb->pn, cb->valid,
				  READ_ONCE(secy->window),
				  READ_ONCE(secy->replay));
	spin_unlock_bh(&sa->lock);

	if (verdict == RX_REPLAY_LATE) {
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
		} else if (verdict == RX_REPLAY_DELAYED) {
			vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_DELAYED, 1);
		} else {
			vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_UNCHECKED, 1);
		}
		return true;
	}

	if (verdict == RX_REPLAY_DELAYED) {
		vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_DELAYED, 1);
	} else {
		vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_OK, 1);
		vsecy_count(sa->stats, VSECY_RXSA_STATS_A_IN_PKTS_OK, 1);
	}
	return true;
}

static void rx_done(VSECY_CRYPTO_DONE_ARG *base, int err)
{
	struct sk_buff *skb = vsecy_crypto_done_data(base);
	struct net_device *dev = skb->dev;
	struct vsecy_secy *secy = vsecy_secy_from_dev(dev);
	struct rx_cb *cb = rx_cb(skb);
	struct vsecy_sa *sa = cb->sa;
	unsigned int len;

	aead_request_free(cb->req);
	cb->valid = !err;

	rcu_read_lock_bh();
	if ((err && err != -EBADMSG) || !rx_post(secy, skb)) {
		kfree_skb(skb);
	} else {
		strip_and_retarget(skb, cb->has_sci, secy->icv_len, dev);
		len = skb->len + ETH_HLEN;
		if (netif_rx(skb) == NET_RX_SUCCESS)
			dev_sw_netstats_rx_add(dev, len);
		else
			DEV_STATS_INC(dev, rx_dropped);
	}
	rcu_read_unlock_bh();

	vsecy_secy_sa_put(sa);
	dev_put(dev);
}

/* Returns an AEAD request that validates (and, with E set in @tci_an,
 * decrypts) @skb in place, its callback not yet set; @skb's data starts
 * at the MAC addresses. The datapath's and the Annex C self-test's one
 * way to check a frame. Returns an ERR_PTR on failure; the caller frees
 * @skb.
 */
struct aead_request *vsecy_rx_prepare(struct sk_buff *skb, struct vsecy_sa *sa,
				      u64 sci, u64 pn, u8 tci_an, bool xpn,
				      unsigned int icv_len,
				      unsigned int conf_offset)
{
	unsigned int hdr_len = 2 * ETH_ALEN +
			       vsecy_sectag_len(tci_an & VSECY_TCI_SC);
	struct aead_request *req;
	struct sk_buff *trailer;
	struct scatterlist *sg;
	int nsg, ret;
	u8 *iv;

	nsg = skb_cow_data(skb, 0, &trailer);
	if (unlikely(nsg < 0))
		return ERR_PTR(nsg);
	req = vsecy_crypto_req_alloc(sa->tfm, &iv, &sg, nsg);
	if (!req)
		return ERR_PTR(-ENOMEM);
	if (xpn)
		vsecy_crypto_iv_xpn(iv, sa->ssci, pn, sa->salt);
	else
		vsecy_crypto_iv(iv, sci, lower_32_bits(pn));

	sg_init_table(sg, nsg);
	ret = skb_to_sgvec(skb, sg, 0, skb->len);
	if (unlikely(ret < 0)) {
		aead_request_free(req);
		return ERR_PTR(ret);
	}

	if (tci_an & VSECY_TCI_E) {
		/* 10.6.4: the first confidentialityOffset octets after the
		 * SecTAG were sent in the clear (all of them in a shorter
		 * frame, as the transmitter clamps too).
		 */
		conf_offset = min(conf_offset, skb->len - hdr_len - icv_len);
		aead_request_set_crypt(req, sg, sg,
				       skb->len - hdr_len - conf_offset, iv);
		aead_request_set_ad(req, hdr_len + conf_offset);
	} else {
		aead_request_set_crypt(req, sg, sg, icv_len, iv);
		aead_request_set_ad(req, skb->len - icv_len);
	}
	return req;
}

/* Validates (and decrypts) @skb, whose data starts at the MAC addresses.
 * Returns 0 when the crypto engine took the frame (rx_done() finishes
 * it), 1 when the result is in cb->valid, or a negative error (the frame
 * was freed).
 */
static int rx_validate(struct sk_buff *skb, struct vsecy_secy *secy,
		       u64 sci)
{
	struct rx_cb *cb = rx_cb(skb);
	struct aead_request *req;
	int ret;

	req = vsecy_rx_prepare(skb, cb->sa, sci, cb->pn, cb->tci_an, secy->xpn,
			       secy->icv_len, READ_ONCE(secy->conf_offset));
	if (IS_ERR(req)) {
		kfree_skb(skb);
		return PTR_ERR(req);
	}

	cb->req = req;
	skb->dev = secy->dev;
	aead_request_set_callback(req, 0, rx_done, skb);

	/* Held for rx_done(), with the SA reference in cb->sa. */
	dev_hold(secy->dev);
	ret = vsecy_crypto_decrypt(req);
	if (ret == -EINPROGRESS)
		return 0;
	dev_put(secy->dev);
	aead_request_free(req);
	if (ret && ret != -EBADMSG) {
		kfree_skb(skb);
		return ret;
	}
	cb->valid = !ret;
	return 1;
}

static rx_handler_result_t rx_drop(struct sk_buff **pskb)
{
	kfree_skb(*pskb);
	*pskb = NULL;
	return RX_HANDLER_CONSUMED;
}

rx_handler_result_t vsecy_rx_handle_frame(struct vsecy_port *port,
					  struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct vsecy_sectag tag;
	struct vsecy_secy *secy;
	struct vsecy_rx_sc *sc;
	struct vsecy_sa *sa;
	bool has_sci, in_use, replay, late;
	u8 tci_an, an, validate;
	const u8 *hdr;
	u64 sci, pn;
	u32 window;
	int ret;

	if (eth_hdr(skb)->h_proto != htons(ETH_P_MACSEC)) {
		rx_untagged(port, skb);
		return RX_HANDLER_PASS;
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
	 * Controlled Port (the KaY's own); leave them to the lower device.
	 */
	if ((tci_an & (VSECY_TCI_E | VSECY_TCI_C)) == VSECY_TCI_E)
		return RX_HANDLER_PASS;

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
	sc = vsecy_secy_find_rx_sc(port, sci);
	if (!sc) {
		rx_unknown_sci(port, skb, tci_an);
		return RX_HANDLER_PASS;
	}
	secy = sc->secy;
	/* A controlled port that is down takes nothing: the frame is not
	 * validated (the replay state stays as it is) nor delivered, only
	 * counted.
	 */
	if (unlikely(!netif_running(secy->dev))) {
		DEV_STATS_INC(secy->dev, rx_dropped);
		return rx_drop(pskb);
	}
	validate = READ_ONCE(secy->validate);

	if (!tag.pn && !secy->xpn) {
		vsecy_count(secy->stats, VSECY_SECY_STATS_A_IN_PKTS_BAD_TAG, 1);
		DEV_STATS_INC(secy->dev, rx_errors);
		return rx_drop(pskb);
	}

	/* 10.6.1: the SA, if it is in use. An SC that is not active has no
	 * SA in use.
	 */
	an = tci_an & VSECY_AN_MASK;
	sa = vsecy_secy_sa_get(&sc->sa[an]);
	in_use = sa && READ_ONCE(sc->active) && READ_ONCE(sa->active);
	if (!in_use) {
		bool discard = (tci_an & VSECY_TCI_C) ||
			       validate == VSECY_VALIDATE_STRICT;
		unsigned int idx = discard ?
			VSECY_RXSC_STATS_A_IN_PKTS_NOT_USING_SA :
			VSECY_RXSC_STATS_A_IN_PKTS_UNUSED_SA;

		vsecy_count(sc->stats, idx, 1);
		if (sa) {
			vsecy_count(sa->stats, discard ?
				    VSECY_RXSA_STATS_A_IN_PKTS_NOT_USING_SA :
				    VSECY_RXSA_STATS_A_IN_PKTS_UNUSED_SA, 1);
			vsecy_secy_sa_put(sa);
		}
		if (discard) {
			DEV_STATS_INC(secy->dev, rx_errors);
			return rx_drop(pskb);
		}
		skb_push(skb, ETH_HLEN);
		goto deliver;
	}

	/* Replay check before spending time on the crypto (10.6.2). A frame
	 * that passes may still be refused: other frames of this SA are in
	 * flight on other CPUs, so rx_post() checks again, and records the
	 * PN, under the same lock once the frame is validated.
	 */
	window = READ_ONCE(secy->window);
	replay = READ_ONCE(secy->replay);
	spin_lock_bh(&sa->lock);
	pn = rx_full_pn(sa, tag.pn, secy->xpn, window, replay);
	late = rx_replay_check(sa, pn, window, replay) == RX_REPLAY_LATE;
	spin_unlock_bh(&sa->lock);
	if (late) {
		vsecy_count(sc->stats, VSECY_RXSC_STATS_A_IN_PKTS_LATE, 1);
		DEV_STATS_INC(secy->dev, rx_dropped);
		vsecy_secy_sa_put(sa);
		return rx_drop(pskb);
	}

	rx_cb(skb)->sa = sa;
	rx_cb(skb)->pn = pn;
	rx_cb(skb)->tci_an = tci_an;
	rx_cb(skb)->has_sci = has_sci;
	rx_cb(skb)->valid = false;

	/* The MAC addresses are part of what the ICV covers. */
	skb_push(skb, ETH_HLEN);

	/* 10.6.4: with validateFrames Disabled, frames whose user data is
	 * in the clear are not checked.
	 */
	if ((tci_an & VSECY_TCI_C) || validate != VSECY_VALIDATE_DISABLED) {
		ret = rx_validate(skb, secy, sci);
		if (ret <= 0) {
			if (ret < 0) {
				vsecy_secy_sa_put(sa);
				DEV_STATS_INC(secy->dev, rx_dropped);
			}
			*pskb = NULL;
			return RX_HANDLER_CONSUMED;
		}
	}

	if (!rx_post(secy, skb)) {
		vsecy_secy_sa_put(sa);
		return rx_drop(pskb);
	}
	vsecy_secy_sa_put(sa);

deliver:
	strip_and_retarget(skb, has_sci, secy->icv_len, secy->dev);
	dev_sw_netstats_rx_add(secy->dev, skb->len + ETH_HLEN);
	*pskb = skb;
	return RX_HANDLER_ANOTHER;
}

#include "selftest/replay.c"
#include "selftest/kat.c"
