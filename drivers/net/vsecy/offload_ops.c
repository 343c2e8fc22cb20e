// SPDX-License-Identifier: GPL-2.0
/*
 * The MACsec-offload NIC's struct macsec_ops: the kernel's macsec, with
 * "offload mac" on a vsecy NIC, configures through them one engine SecY
 * per macsec device (its SCs and SAs too), and reads back the SecY's
 * counters and the PNs of its SAs. The engine SecY's hooks are here as
 * well: received frames go up with their RX SC's METADATA_MACSEC dst, by
 * which the macsec core finds the macsec device, and a spent TX SA goes
 * to the core's macsec_pn_wrapped().
 *
 * Locking: every op runs under RTNL (the macsec core takes it); the NIC's
 * table of SecYs is read under RCU by the NIC's transmit path.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <net/dst_metadata.h>
#include <net/macsec.h>

#include "compat.h"
#include "device.h"
#include "offload_nic.h"
#include "secy.h"

static struct vsecy_nic *nic_of(struct macsec_context *ctx)
{
	struct net_device *dev = ctx->netdev;

	if (!vsecy_device_is_vsecy(dev))
		return NULL;
	return ((struct vsecy_dev *)netdev_priv(dev))->nic;
}

static struct offsecy *ctx_secy(struct macsec_context *ctx)
{
	struct vsecy_nic *nic = nic_of(ctx);

	return nic ? vsecy_nic_find_secy(nic, vsecy_nic_sci(ctx->secy->sci)) : NULL;
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

/* The engine's parameters from the macsec core's SecY. */
static void secy_params(const struct macsec_secy *s,
			struct vsecy_secy_params *p)
{
	const struct macsec_tx_sc *tx = &s->tx_sc;

	vsecy_secy_default_params(p, vsecy_nic_sci(s->sci));
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

/* Under RTNL: takes @o off the NIC and the datapath, and drops it. */
void vsecy_nic_del_secy(struct offsecy *o)
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
	o = vsecy_nic_find_secy(nic, p.sci);
	if (o)
		vsecy_nic_del_secy(o);

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
		vsecy_nic_del_secy(o);
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
	sc = vsecy_rx_sc_add(o->secy, vsecy_nic_sci(ctx->rx_sc->sci),
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
	return o ? vsecy_rx_sc_rtnl(o->secy, vsecy_nic_sci(rx_sc->sci)) : NULL;
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

const struct macsec_ops vsecy_nic_macsec_ops = {
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
