// SPDX-License-Identifier: GPL-2.0
/*
 * The MACsec-offload NIC: a vsecy device in offload mode is an Ethernet
 * device stacked on its lower device that tells the kernel it does MACsec
 * in hardware (NETIF_F_HW_MACSEC, struct macsec_ops) and does it in
 * vsecy's SecY engine, with real GCM-AES on the wire. The kernel's macsec
 * with "offload mac" on the NIC (ip link add link NIC ... type macsec ...
 * offload mac) configures one engine SecY per macsec device through the
 * ops below; its frames reach the NIC with a METADATA_MACSEC dst naming
 * the SecY by its SCI, and received frames go back up with their RX SC's
 * dst, by which the macsec core finds the macsec device. The NIC's own
 * traffic is plaintext (the uncontrolled port; EAPOL runs on it), as is
 * that of software macsec devices stacked on it.
 *
 * Locking: every op runs under RTNL (the macsec core takes it); the NIC's
 * table of SecYs is read under RCU by its ndo_start_xmit.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/dst_metadata.h>
#include <net/macsec.h>

#include "compat.h"
#include "datapath.h"
#include "device.h"
#include "offload.h"
#include "port.h"
#include "secy.h"

/* A SecY offloaded by the kernel's macsec. */
struct offsecy {
	struct hlist_node hnode;	/* in nic->secys, RTNL; RCU */
	u64 sci;
	struct vsecy_nic *nic;
	struct vsecy_secy *secy;
	/* The macsec core's SecY and TX SAs, for macsec_pn_wrapped(): the
	 * core frees them only after a grace period from their op, and the
	 * transmit path reads them under RCU.
	 */
	struct macsec_secy *core;
	struct macsec_tx_sa __rcu *core_tx_sa[VSECY_NUM_AN];
	struct rcu_head rcu;
};

struct vsecy_nic {
	struct vsecy_dev *vs;
	DECLARE_HASHTABLE(secys, 4);	/* by TX SCI */
	/* macsec.ko's, taken with symbol_get() so that vsecy itself does
	 * not depend on macsec: only a NIC needs it.
	 */
	void (*pn_wrapped)(struct macsec_secy *secy,
			   struct macsec_tx_sa *tx_sa);
};

static u64 sci_of(sci_t sci)
{
	return be64_to_cpu((__force __be64)sci);
}

static struct vsecy_nic *nic_of(struct macsec_context *ctx)
{
	struct net_device *dev = ctx->netdev;

	if (!vsecy_device_is_vsecy(dev))
		return NULL;
	return ((struct vsecy_dev *)netdev_priv(dev))->nic;
}

/* Under RCU or RTNL. */
static struct offsecy *find_secy(struct vsecy_nic *nic, u64 sci)
{
	struct offsecy *o;

	hash_for_each_possible_rcu(nic->secys, o, hnode, sci,
				   lockdep_rtnl_is_held())
		if (o->sci == sci)
			return o;
	return NULL;
}

static struct offsecy *ctx_secy(struct macsec_context *ctx)
{
	struct vsecy_nic *nic = nic_of(ctx);

	return nic ? find_secy(nic, sci_of(ctx->secy->sci)) : NULL;
}

/* The hooks of an offloaded SecY. */

static struct net_device *off_rx_dev(struct vsecy_secy *secy,
				     struct vsecy_rx_sc *sc,
				     struct sk_buff *skb)
{
	struct offsecy *o = secy->priv;
	struct metadata_dst *md = sc ? READ_ONCE(sc->priv) : NULL;

	/* Without its RX SC's dst the macsec core would leave the frame on
	 * the NIC, in the clear: the SC was just deleted, or (no SC) the
	 * frame was never validated.
	 */
	if (!md || !dst_hold_safe(&md->dst))
		return NULL;
	skb_dst_drop(skb);
	skb_dst_set(skb, &md->dst);
	return o->nic->vs->dev;
}

static void nic_xmit_lower(struct vsecy_dev *vs, struct sk_buff *skb,
			   unsigned int len)
{
	int ret;

	skb->dev = vs->lower;
	ret = dev_queue_xmit(skb);
	if (likely(ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN))
		dev_sw_netstats_tx_add(vs->dev, 1, len);
	else
		DEV_STATS_INC(vs->dev, tx_dropped);
}

/* The macsec core keeps the SecY's operational state and carrier. */
static void off_oper_changed(struct vsecy_secy *secy)
{
}

/* A TX SA spent: the macsec core's event path, as a hardware NIC raises
 * it (802.1AE 10.5.2; MKA then installs the next SAK).
 */
static void off_tx_pn(struct vsecy_secy *secy, struct vsecy_sa *sa, u8 an,
		      u64 next_pn, bool exhausted)
{
	struct offsecy *o = secy->priv;
	struct macsec_tx_sa *tx_sa;

	if (!exhausted)
		return;
	rcu_read_lock();
	tx_sa = rcu_dereference(o->core_tx_sa[an]);
	if (tx_sa)
		o->nic->pn_wrapped(o->core, tx_sa);
	rcu_read_unlock();
}

static const struct vsecy_secy_hooks off_hooks = {
	.rx_dev		= off_rx_dev,
	.oper_changed	= off_oper_changed,
	.tx_pn		= off_tx_pn,
	.unchecked	= false,
};

/* Frames no offloaded SecY takes go up on the NIC as they are: a
 * software macsec on the NIC, or its own stack, takes them there.
 */
static rx_handler_result_t nic_unclaimed(struct vsecy_port *port,
					 struct sk_buff **pskb)
{
	struct vsecy_dev *vs = port->priv;
	struct sk_buff *skb = *pskb;

	skb->dev = vs->dev;
	skb->pkt_type = PACKET_HOST;
	eth_skb_pkt_type(skb, vs->dev);
	dev_sw_netstats_rx_add(vs->dev, skb->len + ETH_HLEN);
	return RX_HANDLER_ANOTHER;
}

static const struct vsecy_port_ops nic_port_ops = {
	.unclaimed	= nic_unclaimed,
};

/* The engine's parameters from the macsec core's SecY. */
static void secy_params(const struct macsec_secy *s,
			struct vsecy_secy_params *p)
{
	const struct macsec_tx_sc *tx = &s->tx_sc;

	vsecy_secy_default_params(p, sci_of(s->sci));
	if (s->xpn)
		p->cipher_suite = s->key_len == 32 ? VSECY_CS_GCM_AES_XPN_256 :
						     VSECY_CS_GCM_AES_XPN_128;
	else
		p->cipher_suite = s->key_len == 32 ? VSECY_CS_GCM_AES_256 :
						     VSECY_CS_GCM_AES_128;
	p->icv_len = s->icv_len;
	p->validate = s->validate_frames;
	p->protect = s->protect_frames;
	p->replay = s->replay_protect;
	p->window = s->replay_window;
	p->encoding_sa = tx->encoding_sa;
	p->encrypt = tx->encrypt;
	p->send_sci = tx->send_sci;
	p->end_station = tx->end_station;
	p->scb = tx->scb;
}

static void free_rxsc_dst(struct vsecy_rx_sc *sc)
{
	struct metadata_dst *md = sc->priv;

	/* A receive path that read it under RCU still holds it or fails
	 * dst_hold_safe(); the dst goes a grace period after its last put.
	 */
	WRITE_ONCE(sc->priv, NULL);
	if (md)
		dst_release(&md->dst);
}

/* Takes @o off the NIC and the datapath, and drops it. */
static void del_secy(struct offsecy *o)
{
	struct vsecy_rx_sc *sc;

	hash_del_rcu(&o->hnode);
	list_for_each_entry(sc, &o->secy->rx_scs, node)
		free_rxsc_dst(sc);
	vsecy_secy_unlink(o->secy);
	vsecy_secy_put(o->secy);
	kfree_rcu(o, rcu);
}

static int mdo_add_secy(struct macsec_context *ctx)
{
	struct vsecy_nic *nic = nic_of(ctx);
	struct vsecy_secy_params p;
	enum vsecy_field bad;
	struct offsecy *o;

	if (!nic)
		return -ENODEV;
	secy_params(ctx->secy, &p);
	/* A SecY the core added once without registering its device (its
	 * registration failed, and it calls no mdo_del_secy() then) is
	 * replaced.
	 */
	o = find_secy(nic, p.sci);
	if (o)
		del_secy(o);

	o = kzalloc(sizeof(*o), GFP_KERNEL_ACCOUNT);
	if (!o)
		return -ENOMEM;
	o->nic = nic;
	o->sci = p.sci;
	o->core = ctx->secy;
	o->secy = vsecy_secy_create(nic->vs->port, nic->vs->dev, &off_hooks, o,
				    &p, &bad, NULL);
	if (IS_ERR(o->secy)) {
		int ret = PTR_ERR(o->secy);

		kfree(o);
		return ret;
	}
	hash_add_rcu(nic->secys, &o->hnode, o->sci);
	return 0;
}

static int mdo_upd_secy(struct macsec_context *ctx)
{
	struct offsecy *o = ctx_secy(ctx);
	struct vsecy_secy_params p;
	enum vsecy_field bad;

	if (!o)
		return -ENOENT;
	secy_params(ctx->secy, &p);
	return vsecy_secy_configure(o->secy, &p, &bad, NULL);
}

/* Frees everything below the SecY: the core deletes its SCs and SAs
 * without their ops afterwards.
 */
static int mdo_del_secy(struct macsec_context *ctx)
{
	struct offsecy *o = ctx_secy(ctx);

	if (o)
		del_secy(o);
	return 0;
}

/* The core's dev_open and dev_stop of the macsec device: the Controlled
 * Port. A stop after mdo_del_secy() finds no SecY, and is harmless.
 */
static int set_running(struct macsec_context *ctx, bool running)
{
	struct offsecy *o = ctx_secy(ctx);

	if (o)
		WRITE_ONCE(o->secy->running, running);
	return o || !running ? 0 : -ENOENT;
}

static int mdo_dev_open(struct macsec_context *ctx)
{
	return set_running(ctx, true);
}

static int mdo_dev_stop(struct macsec_context *ctx)
{
	return set_running(ctx, false);
}

static int mdo_add_rxsc(struct macsec_context *ctx)
{
	struct offsecy *o = ctx_secy(ctx);
	struct metadata_dst *md;
	struct vsecy_rx_sc *sc;

	if (!o)
		return -ENOENT;
	md = metadata_dst_alloc(0, METADATA_MACSEC, GFP_KERNEL_ACCOUNT);
	if (!md)
		return -ENOMEM;
	md->u.macsec_info.sci = ctx->rx_sc->sci;
	sc = vsecy_rx_sc_add(o->secy, sci_of(ctx->rx_sc->sci),
			     ctx->rx_sc->active, NULL);
	if (IS_ERR(sc)) {
		dst_release(&md->dst);
		return PTR_ERR(sc);
	}
	/* Published with the SC: the receive path reads it under RCU. */
	WRITE_ONCE(sc->priv, md);
	return 0;
}

static struct vsecy_rx_sc *ctx_rxsc(struct macsec_context *ctx,
				    struct offsecy **po)
{
	struct offsecy *o = ctx_secy(ctx);
	const struct macsec_rx_sc *rx_sc;

	/* The RX SA ops name the SC only through the SA (ctx->rx_sc is
	 * NULL there: macsec_add_rxsa(), _upd_rxsa(), _del_rxsa()).
	 */
	rx_sc = ctx->rx_sc ?: ctx->sa.rx_sa->sc;
	*po = o;
	return o ? vsecy_rx_sc_rtnl(o->secy, sci_of(rx_sc->sci)) : NULL;
}

static int mdo_upd_rxsc(struct macsec_context *ctx)
{
	struct vsecy_rx_sc *sc;
	struct offsecy *o;

	sc = ctx_rxsc(ctx, &o);
	if (!sc)
		return -ENOENT;
	vsecy_rx_sc_set_active(sc, ctx->rx_sc->active);
	return 0;
}

static int mdo_del_rxsc(struct macsec_context *ctx)
{
	struct vsecy_rx_sc *sc;
	struct offsecy *o;

	sc = ctx_rxsc(ctx, &o);
	if (!sc)
		return -ENOENT;
	free_rxsc_dst(sc);
	vsecy_rx_sc_del(o->secy, sc);
	return 0;
}

/* An SA as the core made it: @key (wiped by the core after the op), the
 * core SA's PN, flag, SSCI and salt.
 */
static int add_sa(struct macsec_context *ctx, struct offsecy *o,
		  struct vsecy_rx_sc *sc, u64 pn, bool active, ssci_t ssci,
		  const salt_t *salt)
{
	struct vsecy_sa_params p = {
		.key_len = ctx->secy->key_len,
		.pn = pn,
		.active = active,
		.ssci = be32_to_cpu((__force __be32)ssci),
	};
	enum vsecy_field bad;
	int ret;

	if (p.key_len > sizeof(p.key))
		return -EINVAL;
	memcpy(p.key, ctx->sa.key, p.key_len);
	memcpy(p.salt, salt->bytes, sizeof(p.salt));
	ret = vsecy_sa_add(o->secy, sc, ctx->sa.assoc_num, &p, &bad, NULL);
	memzero_explicit(&p, sizeof(p));
	return ret;
}

static int mdo_add_rxsa(struct macsec_context *ctx)
{
	struct macsec_rx_sa *rx_sa = ctx->sa.rx_sa;
	struct vsecy_rx_sc *sc;
	struct offsecy *o;

	sc = ctx_rxsc(ctx, &o);
	if (!sc)
		return -ENOENT;
	return add_sa(ctx, o, sc, rx_sa->next_pn, rx_sa->active, rx_sa->ssci,
		      &rx_sa->key.salt);
}

/* The core has written the new flag, and the new PN if update_pn, into
 * its SA; the engine takes them as they are (the core allows any PN).
 */
static int upd_sa(struct macsec_context *ctx, struct offsecy *o,
		  struct vsecy_rx_sc *sc, u64 pn, bool active)
{
	enum vsecy_field bad;

	return vsecy_sa_update(o->secy, sc, ctx->sa.assoc_num,
			       vsecy_ctx_update_pn(ctx) ? &pn : NULL,
			       VSECY_PN_ANY, &active, &bad, NULL);
}

static int mdo_upd_rxsa(struct macsec_context *ctx)
{
	struct vsecy_rx_sc *sc;
	struct offsecy *o;

	sc = ctx_rxsc(ctx, &o);
	if (!sc)
		return -ENOENT;
	return upd_sa(ctx, o, sc, ctx->sa.rx_sa->next_pn, ctx->sa.rx_sa->active);
}

static int mdo_del_rxsa(struct macsec_context *ctx)
{
	struct vsecy_rx_sc *sc;
	struct offsecy *o;

	sc = ctx_rxsc(ctx, &o);
	if (!sc || !vsecy_sa_rtnl(o->secy, sc, ctx->sa.assoc_num))
		return -ENOENT;
	vsecy_sa_del(o->secy, sc, ctx->sa.assoc_num);
	return 0;
}

static int mdo_add_txsa(struct macsec_context *ctx)
{
	struct macsec_tx_sa *tx_sa = ctx->sa.tx_sa;
	struct offsecy *o = ctx_secy(ctx);
	int ret;

	if (!o)
		return -ENOENT;
	ret = add_sa(ctx, o, NULL, tx_sa->next_pn, tx_sa->active, tx_sa->ssci,
		     &tx_sa->key.salt);
	if (!ret)
		rcu_assign_pointer(o->core_tx_sa[ctx->sa.assoc_num], tx_sa);
	return ret;
}

static int mdo_upd_txsa(struct macsec_context *ctx)
{
	struct offsecy *o = ctx_secy(ctx);

	if (!o)
		return -ENOENT;
	return upd_sa(ctx, o, NULL, ctx->sa.tx_sa->next_pn,
		      ctx->sa.tx_sa->active);
}

static int mdo_del_txsa(struct macsec_context *ctx)
{
	struct offsecy *o = ctx_secy(ctx);
	u8 an = ctx->sa.assoc_num;

	if (!o || !vsecy_sa_rtnl(o->secy, NULL, an))
		return -ENOENT;
	RCU_INIT_POINTER(o->core_tx_sa[an], NULL);
	vsecy_sa_del(o->secy, NULL, an);
	return 0;
}

/* The statistics the core asks for; the PNs of the SAs go back into the
 * core's SAs too, which it dumps right after (wpa_supplicant reads the
 * transmit PN and the lowest receive PN there).
 */

static int mdo_get_dev_stats(struct macsec_context *ctx)
{
	struct macsec_dev_stats *s = ctx->stats.dev_stats;
	struct offsecy *o = ctx_secy(ctx);
	u64 c[VSECY_NR_COUNTERS];

	if (!o)
		return -ENOENT;
	vsecy_counters_sum(o->secy->stats, c);
	s->OutPktsUntagged = c[VSECY_SECY_STATS_A_OUT_PKTS_UNTAGGED];
	s->InPktsUntagged = c[VSECY_SECY_STATS_A_IN_PKTS_UNTAGGED];
	s->OutPktsTooLong = c[VSECY_SECY_STATS_A_OUT_PKTS_TOO_LONG];
	s->InPktsNoTag = c[VSECY_SECY_STATS_A_IN_PKTS_NO_TAG];
	s->InPktsBadTag = c[VSECY_SECY_STATS_A_IN_PKTS_BAD_TAG];
	s->InPktsUnknownSCI = c[VSECY_SECY_STATS_A_IN_PKTS_UNKNOWN_SCI];
	s->InPktsNoSCI = c[VSECY_SECY_STATS_A_IN_PKTS_NO_SCI];
	s->InPktsOverrun = 0;
	return 0;
}

static int mdo_get_tx_sc_stats(struct macsec_context *ctx)
{
	struct macsec_tx_sc_stats *s = ctx->stats.tx_sc_stats;
	struct offsecy *o = ctx_secy(ctx);
	u64 c[VSECY_NR_COUNTERS];

	if (!o)
		return -ENOENT;
	vsecy_counters_sum(o->secy->tx_sc.stats, c);
	s->OutPktsProtected = c[VSECY_TXSC_STATS_A_OUT_PKTS_PROTECTED];
	s->OutPktsEncrypted = c[VSECY_TXSC_STATS_A_OUT_PKTS_ENCRYPTED];
	s->OutOctetsProtected = c[VSECY_TXSC_STATS_A_OUT_OCTETS_PROTECTED];
	s->OutOctetsEncrypted = c[VSECY_TXSC_STATS_A_OUT_OCTETS_ENCRYPTED];
	return 0;
}

static int mdo_get_tx_sa_stats(struct macsec_context *ctx)
{
	struct macsec_tx_sa_stats *s = ctx->stats.tx_sa_stats;
	struct macsec_tx_sa *tx_sa = ctx->sa.tx_sa;
	struct offsecy *o = ctx_secy(ctx);
	u64 c[VSECY_NR_COUNTERS], pn;
	struct vsecy_sa *sa;
	bool active;

	sa = o ? vsecy_sa_rtnl(o->secy, NULL, ctx->sa.assoc_num) : NULL;
	if (!sa)
		return -ENOENT;
	vsecy_counters_sum(sa->stats, c);
	s->OutPktsProtected = c[VSECY_TXSA_STATS_A_OUT_PKTS_PROTECTED];
	s->OutPktsEncrypted = c[VSECY_TXSA_STATS_A_OUT_PKTS_ENCRYPTED];
	vsecy_sa_state(sa, &pn, &active);
	spin_lock_bh(&tx_sa->lock);
	tx_sa->next_pn = pn;
	tx_sa->active = active;
	spin_unlock_bh(&tx_sa->lock);
	return 0;
}

static int mdo_get_rx_sc_stats(struct macsec_context *ctx)
{
	struct macsec_rx_sc_stats *s = ctx->stats.rx_sc_stats;
	u64 c[VSECY_NR_COUNTERS];
	struct vsecy_rx_sc *sc;
	struct offsecy *o;

	sc = ctx_rxsc(ctx, &o);
	if (!sc)
		return -ENOENT;
	vsecy_counters_sum(sc->stats, c);
	s->InOctetsValidated = c[VSECY_RXSC_STATS_A_IN_OCTETS_VALIDATED];
	s->InOctetsDecrypted = c[VSECY_RXSC_STATS_A_IN_OCTETS_DECRYPTED];
	s->InPktsUnchecked = c[VSECY_RXSC_STATS_A_IN_PKTS_UNCHECKED];
	s->InPktsDelayed = c[VSECY_RXSC_STATS_A_IN_PKTS_DELAYED];
	s->InPktsOK = c[VSECY_RXSC_STATS_A_IN_PKTS_OK];
	s->InPktsInvalid = c[VSECY_RXSC_STATS_A_IN_PKTS_INVALID];
	s->InPktsLate = c[VSECY_RXSC_STATS_A_IN_PKTS_LATE];
	s->InPktsNotValid = c[VSECY_RXSC_STATS_A_IN_PKTS_NOT_VALID];
	s->InPktsNotUsingSA = c[VSECY_RXSC_STATS_A_IN_PKTS_NOT_USING_SA];
	s->InPktsUnusedSA = c[VSECY_RXSC_STATS_A_IN_PKTS_UNUSED_SA];
	return 0;
}

static int mdo_get_rx_sa_stats(struct macsec_context *ctx)
{
	struct macsec_rx_sa_stats *s = ctx->stats.rx_sa_stats;
	struct macsec_rx_sa *rx_sa = ctx->sa.rx_sa;
	u64 c[VSECY_NR_COUNTERS], pn;
	struct vsecy_rx_sc *sc;
	struct vsecy_sa *sa;
	struct offsecy *o;
	bool active;

	sc = ctx_rxsc(ctx, &o);
	sa = sc ? vsecy_sa_rtnl(o->secy, sc, ctx->sa.assoc_num) : NULL;
	if (!sa)
		return -ENOENT;
	vsecy_counters_sum(sa->stats, c);
	s->InPktsOK = c[VSECY_RXSA_STATS_A_IN_PKTS_OK];
	s->InPktsInvalid = c[VSECY_RXSA_STATS_A_IN_PKTS_INVALID];
	s->InPktsNotValid = c[VSECY_RXSA_STATS_A_IN_PKTS_NOT_VALID];
	s->InPktsNotUsingSA = c[VSECY_RXSA_STATS_A_IN_PKTS_NOT_USING_SA];
	s->InPktsUnusedSA = c[VSECY_RXSA_STATS_A_IN_PKTS_UNUSED_SA];
	vsecy_sa_state(sa, &pn, &active);
	spin_lock_bh(&rx_sa->lock);
	rx_sa->next_pn = pn;
	spin_unlock_bh(&rx_sa->lock);
	return 0;
}

static const struct macsec_ops nic_macsec_ops = {
	.mdo_dev_open		= mdo_dev_open,
	.mdo_dev_stop		= mdo_dev_stop,
	.mdo_add_secy		= mdo_add_secy,
	.mdo_upd_secy		= mdo_upd_secy,
	.mdo_del_secy		= mdo_del_secy,
	.mdo_add_rxsc		= mdo_add_rxsc,
	.mdo_upd_rxsc		= mdo_upd_rxsc,
	.mdo_del_rxsc		= mdo_del_rxsc,
	.mdo_add_rxsa		= mdo_add_rxsa,
	.mdo_upd_rxsa		= mdo_upd_rxsa,
	.mdo_del_rxsa		= mdo_del_rxsa,
	.mdo_add_txsa		= mdo_add_txsa,
	.mdo_upd_txsa		= mdo_upd_txsa,
	.mdo_del_txsa		= mdo_del_txsa,
	.mdo_get_dev_stats	= mdo_get_dev_stats,
	.mdo_get_tx_sc_stats	= mdo_get_tx_sc_stats,
	.mdo_get_tx_sa_stats	= mdo_get_tx_sa_stats,
	.mdo_get_rx_sc_stats	= mdo_get_rx_sc_stats,
	.mdo_get_rx_sa_stats	= mdo_get_rx_sa_stats,
	/* Received frames carry their RX SC's dst: the core never looks at
	 * MAC addresses to find the macsec device (the legacy, insecure
	 * mode).
	 */
	VSECY_MACSEC_OPS_MD_DST
};

/* The NIC's netdev. */

static int nic_open(struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	int ret = vsecy_device_open_lower(dev, true);

	if (!ret)
		netif_stacked_transfer_operstate(vs->lower, dev);
	return ret;
}

static int nic_stop(struct net_device *dev)
{
	vsecy_device_open_lower(dev, false);
	netif_carrier_off(dev);
	return 0;
}

/* A frame of an offloaded macsec device carries its SecY's SCI in a
 * METADATA_MACSEC dst: it is protected by that SecY (dropped if the SecY
 * is unknown or stopped). Any other frame, the NIC's own or a software
 * macsec's, goes out as it is.
 */
static netdev_tx_t nic_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	struct metadata_dst *md = skb_metadata_dst(skb);
	struct offsecy *o;

	if (!md || md->type != METADATA_MACSEC) {
		nic_xmit_lower(vs, skb, skb->len);
		return NETDEV_TX_OK;
	}
	rcu_read_lock();
	o = find_secy(vs->nic, sci_of(md->u.macsec_info.sci));
	skb_dst_drop(skb);
	if (!o || !READ_ONCE(o->secy->running)) {
		rcu_read_unlock();
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	vsecy_protect_xmit(o->secy, skb);
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static int nic_change_mtu(struct net_device *dev, int new_mtu)
{
	struct vsecy_dev *vs = netdev_priv(dev);

	if (new_mtu > (int)vs->lower->mtu)
		return -ERANGE;
	dev->mtu = new_mtu;
	return 0;
}

static const struct net_device_ops nic_netdev_ops = {
	.ndo_open		= nic_open,
	.ndo_stop		= nic_stop,
	.ndo_start_xmit		= nic_xmit,
	.ndo_change_rx_flags	= vsecy_device_change_rx_flags,
	.ndo_set_rx_mode	= vsecy_device_set_rx_mode,
	.ndo_set_mac_address	= vsecy_device_set_mac_address,
	.ndo_change_mtu		= nic_change_mtu,
	.ndo_get_iflink		= vsecy_device_get_iflink,
	.ndo_get_stats64	= dev_get_tstats64,
};

/* A NIC takes no SecY parameter, at creation or later. */
static int refuse_secy_attrs(struct nlattr **data,
			     struct netlink_ext_ack *extack)
{
	unsigned int i;

	for (i = 1; data && i <= VSECY_SECY_A_MAX; i++) {
		if (data[i] && i != VSECY_SECY_A_MODE) {
			NL_SET_ERR_MSG_ATTR(extack, data[i],
					    "a vsecy NIC has no SecY of its own: configure its macsec devices");
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/* Under RTNL, from vsecy_newlink(), before the device is registered. */
int vsecy_offload_newlink(struct vsecy_dev *vs, struct nlattr **data,
			  struct netlink_ext_ack *extack)
{
	struct net_device *dev = vs->dev;
	struct vsecy_nic *nic;
	int ret;

	ret = refuse_secy_attrs(data, extack);
	if (ret)
		return ret;
	if (!vsecy_have_macsec_md_dst()) {
		NL_SET_ERR_MSG(extack,
			       "this kernel's macsec cannot hand received frames to an offloading driver by their dst (rx_uses_md_dst)");
		return -EOPNOTSUPP;
	}
	nic = kzalloc(sizeof(*nic), GFP_KERNEL_ACCOUNT);
	if (!nic)
		return -ENOMEM;
	hash_init(nic->secys);
	nic->vs = vs;
	request_module("macsec");
	nic->pn_wrapped = symbol_get(macsec_pn_wrapped);
	if (!nic->pn_wrapped) {
		NL_SET_ERR_MSG(extack, "a vsecy NIC needs the kernel's macsec module");
		ret = -EOPNOTSUPP;
		goto err;
	}
	vs->port = vsecy_port_get(vs->lower, &nic_port_ops, vs, extack);
	if (IS_ERR(vs->port)) {
		ret = PTR_ERR(vs->port);
		vs->port = NULL;
		goto err_sym;
	}
	if (vs->port->users > 1) {
		NL_SET_ERR_MSG(extack, "the lower device has a vsecy NIC already");
		vsecy_port_put(vs->port);
		vs->port = NULL;
		ret = -EBUSY;
		goto err_sym;
	}
	vs->nic = nic;

	dev->netdev_ops = &nic_netdev_ops;
#if IS_ENABLED(CONFIG_MACSEC)
	dev->macsec_ops = &nic_macsec_ops;
#endif
	/* In features only, so that nobody can turn it off under the macsec
	 * core (which would then call ops it no longer finds).
	 */
	dev->features |= NETIF_F_HW_MACSEC;
	/* The macsec core's frames carry their SecY in their dst. */
	netif_keep_dst(dev);
	/* Its unicast list (a macsec device adds its address on open) goes
	 * to the lower device (ndo_set_rx_mode): no promiscuity for it.
	 */
	dev->priv_flags |= IFF_UNICAST_FLT;
	return 0;

err_sym:
	symbol_put(macsec_pn_wrapped);
err:
	kfree(nic);
	return ret;
}

int vsecy_offload_changelink(struct vsecy_dev *vs, struct nlattr **data,
			     struct netlink_ext_ack *extack)
{
	return refuse_secy_attrs(data, extack);
}

/* Under RTNL: the NIC is going. The macsec devices on it go with it (the
 * macsec core deletes them on its unregistration); their SecYs go now,
 * and the core's ops find nothing afterwards.
 */
void vsecy_offload_dellink(struct vsecy_dev *vs)
{
	struct vsecy_nic *nic = vs->nic;
	struct hlist_node *tmp;
	struct offsecy *o;
	unsigned int bkt;

	if (!nic || !vs->port)
		return;
	hash_for_each_safe(nic->secys, bkt, tmp, o, hnode)
		del_secy(o);
	vsecy_port_put(vs->port);
	vs->port = NULL;
}

/* The NIC's destructor (or newlink's error path). */
void vsecy_offload_free(struct vsecy_dev *vs)
{
	if (!vs->nic)
		return;
	symbol_put(macsec_pn_wrapped);
	kfree(vs->nic);
	vs->nic = NULL;
}

size_t vsecy_offload_info_size(const struct vsecy_dev *vs)
{
	return nla_total_size(sizeof(u8)) +			/* MODE */
	       nla_total_size(0) +				/* OFFLOADED */
	       64 * (nla_total_size(0) +			/* a SecY */
		     nla_total_size_64bit(sizeof(u64)) +
		     2 * nla_total_size(sizeof(u32)));
}

int vsecy_offload_fill_info(struct sk_buff *skb, struct vsecy_dev *vs)
{
	struct nlattr *list, *nest;
	struct offsecy *o;
	unsigned int bkt, n = 0;

	if (nla_put_u8(skb, VSECY_SECY_A_MODE, VSECY_MODE_OFFLOAD))
		return -EMSGSIZE;
	list = nla_nest_start(skb, VSECY_SECY_A_OFFLOADED);
	if (!list)
		return -EMSGSIZE;
	hash_for_each(vs->nic->secys, bkt, o, hnode) {
		/* As many as vsecy_offload_info_size() made room for. */
		if (n++ == 64)
			break;
		nest = nla_nest_start(skb, VSECY_OFFLOAD_A_SECY);
		if (!nest ||
		    nla_put_u64_64bit(skb, VSECY_OFFLOAD_A_SCI, o->sci,
				      VSECY_OFFLOAD_A_PAD) ||
		    nla_put_u32(skb, VSECY_OFFLOAD_A_IFINDEX,
				o->core->netdev->ifindex) ||
		    nla_put_u32(skb, VSECY_OFFLOAD_A_RXSCS, o->secy->n_rx_scs))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	nla_nest_end(skb, list);
	return 0;
}

/* The lower device's events, for the NIC on it. */
int vsecy_offload_lower_event(struct vsecy_port *port, unsigned long event)
{
	struct vsecy_dev *vs = port->priv;

	switch (event) {
	case NETDEV_UNREGISTER:
		vsecy_device_kill(vs->dev);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		netif_stacked_transfer_operstate(vs->lower, vs->dev);
		break;
	case NETDEV_CHANGEMTU:
		if (vs->dev->mtu > vs->lower->mtu)
			dev_set_mtu(vs->dev, vs->lower->mtu);
		break;
	}
	return NOTIFY_DONE;
}
