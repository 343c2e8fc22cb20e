// SPDX-License-Identifier: GPL-2.0
/*
 * The SecY object (IEEE 802.1AE-2018 clause 10): parameters, the TX SC,
 * the RX SCs and their SAs, and the one operation set that changes them.
 * The locking rules are at the top of secy.h.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "crypto.h"
#include "device.h"
#include "events.h"
#include "secy.h"

/* Largest replay window for the XPN suites (802.1AE 10.7.8): the PN
 * recovery of 10.6.2 needs the window well inside half the 2^32 space.
 */
#define VSECY_XPN_MAX_WINDOW	((1U << 30) - 1)

void vsecy_count(struct vsecy_counters __percpu *stats, unsigned int idx,
		 u64 n)
{
	struct vsecy_counters *s;
	unsigned long flags;

	/* Completions of asynchronous crypto may run in process context:
	 * get_cpu_ptr() keeps us on one CPU while the counter is written.
	 */
	s = get_cpu_ptr(stats);
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->c[idx], n);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(stats);
}

void vsecy_counters_sum(struct vsecy_counters __percpu *stats,
			u64 sum[VSECY_NR_COUNTERS])
{
	unsigned int cpu, i, start;

	memset(sum, 0, sizeof(u64) * VSECY_NR_COUNTERS);
	for_each_possible_cpu(cpu) {
		const struct vsecy_counters *s = per_cpu_ptr(stats, cpu);
		u64 tmp[VSECY_NR_COUNTERS];

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < VSECY_NR_COUNTERS; i++)
				tmp[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < VSECY_NR_COUNTERS; i++)
			sum[i] += tmp[i];
	}
}

/* Every allocation a request makes is charged to the memory cgroup of
 * whoever made it (__GFP_ACCOUNT): root of a user namespace may
 * configure its own vsecy devices, so what it allocates must count
 * against it. (The crypto API allocates the transforms itself and takes
 * no GFP flags; max_rx_scs bounds how many a SecY has.)
 */
static struct vsecy_counters __percpu *counters_alloc(void)
{
	return __netdev_alloc_pcpu_stats(struct vsecy_counters,
					 GFP_KERNEL_ACCOUNT);
}

/* RX SCs per SecY: each costs an SC, its counters and up to four SAs
 * with a transform each. Writable, so that a host can raise it; a SecY
 * already above a lowered limit keeps its SCs.
 */
static unsigned int max_rx_scs = 4096;
module_param(max_rx_scs, uint, 0644);
MODULE_PARM_DESC(max_rx_scs, "most RX SCs on one SecY (default 4096)");

struct vsecy_secy *vsecy_secy_from_dev(struct net_device *dev)
{
	return &((struct vsecy_dev *)netdev_priv(dev))->secy;
}

u64 vsecy_secy_max_pn(const struct vsecy_secy *secy)
{
	return secy->xpn ? U64_MAX : U32_MAX;
}

/* Lifetime of SCs and SAs: see secy.h. An RCU callback never queues
 * another one, so the rcu_barrier() at module exit waits for all of them:
 * the last reference to an SC is always dropped at least one grace
 * period after the SC was unlinked (its own reference goes in
 * rx_sc_unlinked_rcu(), the others are its SAs', which go in
 * sa_free_rcu()), so the SC is freed at once, without a call_rcu() of
 * its own.
 */
static void rx_sc_put(struct vsecy_rx_sc *sc)
{
	if (refcount_dec_and_test(&sc->refcnt)) {
		free_percpu(sc->stats);
		kfree(sc);
	}
}

static void rx_sc_unlinked_rcu(struct rcu_head *head)
{
	rx_sc_put(container_of(head, struct vsecy_rx_sc, rcu));
}

/* The key itself is not here: it went into the transform at creation and
 * our copy was wiped then. crypto_free_aead() frees the transform's
 * context, key schedule included, with kfree_sensitive(). The salt (a
 * part of the XPN key material, 802.1AE 10.7.27) and the key identifier
 * are wiped with the SA by kfree_sensitive(), as the memory may be reused
 * by anyone once freed.
 */
static void sa_free_rcu(struct rcu_head *head)
{
	struct vsecy_sa *sa = container_of(head, struct vsecy_sa, rcu);

	vsecy_crypto_free(sa->tfm);
	free_percpu(sa->stats);
	if (sa->sc)
		rx_sc_put(sa->sc);
	kfree_sensitive(sa);
}

void vsecy_secy_sa_put(struct vsecy_sa *sa)
{
	if (refcount_dec_and_test(&sa->refcnt))
		call_rcu(&sa->rcu, sa_free_rcu);
}

/* Under RCU: a reference that outlives the read-side section. */
struct vsecy_sa *vsecy_secy_sa_get(struct vsecy_sa __rcu **slot)
{
	struct vsecy_sa *sa = rcu_dereference(*slot);

	if (sa && !refcount_inc_not_zero(&sa->refcnt))
		return NULL;
	return sa;
}

/* Under RCU (the datapath) or RTNL (the operations). */
struct vsecy_rx_sc *vsecy_secy_find_rx_sc(struct vsecy_port *port, u64 sci)
{
	struct vsecy_rx_sc *sc;

	hash_for_each_possible_rcu(port->rx_scs, sc, hnode, sci,
				   lockdep_rtnl_is_held())
		if (sc->sci == sci)
			return sc;
	return NULL;
}

struct vsecy_rx_sc *vsecy_secy_rx_sc_rtnl(struct vsecy_secy *secy, u64 sci)
{
	struct vsecy_rx_sc *sc;

	list_for_each_entry(sc, &secy->rx_scs, node)
		if (sc->sci == sci)
			return sc;
	return NULL;
}

static bool sa_has_pn_left(const struct vsecy_secy *secy,
			   const struct vsecy_sa *sa)
{
	/* For XPN next_pn wraps to 0 after 2^64 - 1 was sent. */
	return sa->next_pn && sa->next_pn <= vsecy_secy_max_pn(secy);
}

/* 802.1AE 10.7.2 "operational" is kept simple: a SecY that protects
 * frames is operational while the encoding SA is installed, active and
 * has PNs left; one that does not protect frames always is. The carrier
 * of the vsecy device is the lower device's AND this.
 */
bool vsecy_secy_operational(struct vsecy_secy *secy)
{
	struct vsecy_sa *sa;
	bool oper;

	ASSERT_RTNL();
	if (!secy->protect)
		return true;
	sa = rtnl_dereference(secy->tx_sc.sa[secy->encoding_sa]);
	if (!sa)
		return false;
	spin_lock_bh(&sa->lock);
	oper = sa->active && sa_has_pn_left(secy, sa);
	spin_unlock_bh(&sa->lock);
	return oper;
}

static void update_oper(struct vsecy_secy *secy)
{
	WRITE_ONCE(secy->operational, vsecy_secy_operational(secy));
	vsecy_device_update_carrier(secy->dev);
	vsecy_events_oper(secy);
}

/* Called by the transmit path, with sa->lock held, once the SA has sent
 * its last PN (10.5.2: a PN is never reused). The SA stops and the SecY
 * is no longer operational until a new SA takes over; carrier goes off
 * now, from atomic context (netif_carrier_off() only schedules the link
 * watch).
 */
void vsecy_secy_pn_exhausted(struct vsecy_secy *secy, struct vsecy_sa *sa)
{
	sa->active = false;
	WRITE_ONCE(secy->operational, !READ_ONCE(secy->protect));
	if (!READ_ONCE(secy->operational))
		netif_carrier_off(secy->dev);
	netdev_info(secy->dev, "transmit SA ran out of packet numbers\n");
}

/* The replay bitmap of an RX SA (struct vsecy_replay in secy.h). The
 * bit of PN p is p mod VSECY_REPLAY_BITS, and the bitmap describes the
 * PNs [next_pn - VSECY_REPLAY_BITS, next_pn): each position stands for
 * exactly one of them, so no bit can be mistaken for a PN further back or
 * ahead. All of them run under sa->lock.
 */

/* Whether @pn was accepted before, as far as the bitmap knows: PNs at or
 * above next_pn never were (except the last XPN PN, which next_pn cannot
 * pass); PNs further back than the bitmap reaches are not known.
 */
bool vsecy_secy_replay_seen(const struct vsecy_sa *sa, u64 pn)
{
	lockdep_assert_held(&sa->lock);
	if (pn == U64_MAX && sa->replay.last_seen)
		return true;
	if (pn >= sa->next_pn || sa->next_pn - pn > VSECY_REPLAY_BITS)
		return false;
	return test_bit(pn & (VSECY_REPLAY_BITS - 1), sa->replay.seen);
}

/* Moves next_pn forward to @next. The PNs in [next_pn, next) enter the
 * bitmap's reach unseen, and their positions are those of the PNs
 * VSECY_REPLAY_BITS further back, which leave it: clear them.
 */
static void replay_advance(struct vsecy_sa *sa, u64 next)
{
	unsigned int start = sa->next_pn & (VSECY_REPLAY_BITS - 1);
	u64 n = next - sa->next_pn;

	BUILD_BUG_ON_NOT_POWER_OF_2(VSECY_REPLAY_BITS);
	if (n >= VSECY_REPLAY_BITS) {
		bitmap_zero(sa->replay.seen, VSECY_REPLAY_BITS);
	} else if (start + n <= VSECY_REPLAY_BITS) {
		bitmap_clear(sa->replay.seen, start, n);
	} else {
		bitmap_clear(sa->replay.seen, start, VSECY_REPLAY_BITS - start);
		bitmap_clear(sa->replay.seen, 0, start + n - VSECY_REPLAY_BITS);
	}
	sa->next_pn = next;
}

/* Records that a frame with @pn passed validation and was taken: nextPN
 * moves past it (10.6.5) and its bit is set, if still within reach.
 */
void vsecy_secy_replay_accept(struct vsecy_sa *sa, u64 pn)
{
	lockdep_assert_held(&sa->lock);
	if (pn == U64_MAX) {
		/* next_pn would wrap to 0 and accept everything again. */
		sa->replay.last_seen = true;
		return;
	}
	if (pn >= sa->next_pn)
		replay_advance(sa, pn + 1);
	if (sa->next_pn - pn <= VSECY_REPLAY_BITS)
		__set_bit(pn & (VSECY_REPLAY_BITS - 1), sa->replay.seen);
}

/* The next PN of an RX SA set by management (netlink), under sa->lock,
 * which sa_upd() checked is not below next_pn. It moves forward the way
 * accepting a frame moves it: the PNs between the old and the new
 * next_pn were never accepted, and those that were stay refused, as a
 * frame is accepted once.
 */
void vsecy_secy_rx_sa_set_pn(struct vsecy_sa *sa, u64 pn)
{
	lockdep_assert_held(&sa->lock);
	if (pn > sa->next_pn)
		replay_advance(sa, pn);
}

static bool secy_has_sa(struct vsecy_secy *secy)
{
	struct vsecy_rx_sc *sc;
	unsigned int an;

	for (an = 0; an < VSECY_NUM_AN; an++)
		if (rtnl_dereference(secy->tx_sc.sa[an]))
			return true;
	list_for_each_entry(sc, &secy->rx_scs, node)
		for (an = 0; an < VSECY_NUM_AN; an++)
			if (rtnl_dereference(sc->sa[an]))
				return true;
	return false;
}

static struct nlattr *cfg_attr(struct nlattr **tb, unsigned int type)
{
	return tb ? tb[type] : NULL;
}

#define HAS(cfg, attr)	((cfg)->set & BIT(attr))

/* Checks every parameter of @cfg against @secy, then applies them all:
 * a rejected request changes nothing.
 */
static int secy_apply(struct vsecy_secy *secy, struct vsecy_secy_cfg *cfg,
		      struct netlink_ext_ack *extack)
{
	u64 cs = secy->cipher_suite, sci = secy->sci;
	bool has_sa = secy_has_sa(secy);
	u32 window = secy->window;
	bool xpn;

	if (HAS(cfg, VSECY_SECY_A_CIPHER_SUITE)) {
		cs = cfg->cipher_suite;
		if (cs == VSECY_CS_GCM_AES_128_LEGACY)
			cs = VSECY_CS_GCM_AES_128;
		if (cs != VSECY_CS_GCM_AES_128 && cs != VSECY_CS_GCM_AES_256 &&
		    cs != VSECY_CS_GCM_AES_XPN_128 &&
		    cs != VSECY_CS_GCM_AES_XPN_256) {
			NL_SET_ERR_MSG_ATTR(extack,
					    cfg_attr(cfg->tb, VSECY_SECY_A_CIPHER_SUITE),
					    "unknown cipher suite");
			return -EINVAL;
		}
		if (cs != secy->cipher_suite && has_sa) {
			NL_SET_ERR_MSG_ATTR(extack,
					    cfg_attr(cfg->tb, VSECY_SECY_A_CIPHER_SUITE),
					    "cannot change the cipher suite while SAs exist");
			return -EBUSY;
		}
	}
	xpn = cs == VSECY_CS_GCM_AES_XPN_128 || cs == VSECY_CS_GCM_AES_XPN_256;

	if (HAS(cfg, VSECY_SECY_A_SCI) && HAS(cfg, VSECY_SECY_A_PORT)) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SECY_A_PORT),
				    "give either an SCI or a port, not both");
		return -EINVAL;
	}
	if (HAS(cfg, VSECY_SECY_A_SCI))
		sci = cfg->sci;
	else if (HAS(cfg, VSECY_SECY_A_PORT))
		sci = vsecy_make_sci(secy->dev->dev_addr, cfg->port);
	if (sci != secy->sci && has_sa) {
		NL_SET_ERR_MSG_ATTR(extack,
				    cfg_attr(cfg->tb, HAS(cfg, VSECY_SECY_A_SCI) ?
					     VSECY_SECY_A_SCI : VSECY_SECY_A_PORT),
				    "cannot change the SCI while SAs exist");
		return -EBUSY;
	}

	if (HAS(cfg, VSECY_SECY_A_WINDOW))
		window = cfg->window;
	if (xpn && window > VSECY_XPN_MAX_WINDOW) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SECY_A_WINDOW),
				    "replay window larger than 2^30 - 1 with an XPN cipher suite");
		return -EINVAL;
	}

	if (HAS(cfg, VSECY_SECY_A_ICV_LEN) && cfg->icv_len != VSECY_ICV_LEN) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SECY_A_ICV_LEN),
				    "only a 16-octet ICV is supported");
		return -EINVAL;
	}

	/* 802.1AE confidentialityOffset (clause 14): 0, 30 or 50 octets. */
	if (HAS(cfg, VSECY_SECY_A_CONF_OFFSET) && cfg->conf_offset &&
	    cfg->conf_offset != 30 && cfg->conf_offset != 50) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SECY_A_CONF_OFFSET),
				    "confidentiality offset must be 0, 30 or 50");
		return -EINVAL;
	}

	/* Everything checked: apply. */
	WRITE_ONCE(secy->cipher_suite, cs);
	WRITE_ONCE(secy->xpn, xpn);
	WRITE_ONCE(secy->key_len, cs == VSECY_CS_GCM_AES_256 ||
		   cs == VSECY_CS_GCM_AES_XPN_256 ? 32 : 16);
	WRITE_ONCE(secy->sci, sci);
	WRITE_ONCE(secy->window, window);
	if (HAS(cfg, VSECY_SECY_A_ENCODING_SA))
		WRITE_ONCE(secy->encoding_sa, cfg->encoding_sa);
	if (HAS(cfg, VSECY_SECY_A_ENCRYPT))
		WRITE_ONCE(secy->encrypt, cfg->encrypt);
	if (HAS(cfg, VSECY_SECY_A_PROTECT))
		WRITE_ONCE(secy->protect, cfg->protect);
	if (HAS(cfg, VSECY_SECY_A_INC_SCI))
		WRITE_ONCE(secy->send_sci, cfg->send_sci);
	if (HAS(cfg, VSECY_SECY_A_ES))
		WRITE_ONCE(secy->end_station, cfg->end_station);
	if (HAS(cfg, VSECY_SECY_A_SCB))
		WRITE_ONCE(secy->scb, cfg->scb);
	if (HAS(cfg, VSECY_SECY_A_REPLAY))
		WRITE_ONCE(secy->replay, cfg->replay);
	if (HAS(cfg, VSECY_SECY_A_VALIDATE))
		WRITE_ONCE(secy->validate, cfg->validate);
	if (HAS(cfg, VSECY_SECY_A_CONF_OFFSET))
		WRITE_ONCE(secy->conf_offset, cfg->conf_offset);
	if (HAS(cfg, VSECY_SECY_A_PN_THRESHOLD))
		WRITE_ONCE(secy->pn_threshold, cfg->pn_threshold);
	update_oper(secy);
	return 0;
}

static int op_add_secy(struct vsecy_ctx *ctx)
{
	struct vsecy_secy *secy = ctx->secy;
	int ret;

	secy->stats = counters_alloc();
	secy->tx_sc.stats = counters_alloc();
	if (!secy->stats || !secy->tx_sc.stats) {
		ret = -ENOMEM;
		goto err;
	}
	INIT_LIST_HEAD(&secy->rx_scs);

	/* The defaults of the uAPI header, which are the kernel macsec's. */
	secy->cipher_suite = VSECY_CS_DEFAULT;
	secy->key_len = 16;
	secy->icv_len = VSECY_ICV_LEN;
	secy->validate = VSECY_VALIDATE_STRICT;
	secy->protect = true;
	secy->send_sci = true;
	secy->sci = vsecy_make_sci(secy->dev->dev_addr, 1);

	ret = secy_apply(secy, ctx->secy_cfg, ctx->extack);
	if (ret < 0)
		goto err;
	return 0;

err:
	free_percpu(secy->tx_sc.stats);
	free_percpu(secy->stats);
	secy->stats = NULL;
	secy->tx_sc.stats = NULL;
	return ret;
}

static int op_upd_secy(struct vsecy_ctx *ctx)
{
	return secy_apply(ctx->secy, ctx->secy_cfg, ctx->extack);
}

static void rx_sc_unlink(struct vsecy_secy *secy, struct vsecy_rx_sc *sc)
{
	struct vsecy_sa *sa;
	unsigned int an;

	hash_del_rcu(&sc->hnode);
	list_del_rcu(&sc->node);
	WRITE_ONCE(secy->n_rx_scs, secy->n_rx_scs - 1);
	for (an = 0; an < VSECY_NUM_AN; an++) {
		sa = rtnl_dereference(sc->sa[an]);
		if (sa) {
			RCU_INIT_POINTER(sc->sa[an], NULL);
			vsecy_secy_sa_put(sa);
		}
	}
	/* Readers may still be looking at it: see rx_sc_put(). */
	call_rcu(&sc->rcu, rx_sc_unlinked_rcu);
}

/* Unlinks everything from the datapath; frames in flight keep what they
 * hold by RCU or by reference. The per-CPU counters of the SecY and TX SC
 * go with the netdev (vsecy_secy_free()), since completions still count
 * into them until the last dev_put().
 */
static int op_del_secy(struct vsecy_ctx *ctx)
{
	struct vsecy_secy *secy = ctx->secy;
	struct vsecy_rx_sc *sc, *tmp;
	struct vsecy_sa *sa;
	unsigned int an;

	list_for_each_entry_safe(sc, tmp, &secy->rx_scs, node)
		rx_sc_unlink(secy, sc);
	for (an = 0; an < VSECY_NUM_AN; an++) {
		sa = rtnl_dereference(secy->tx_sc.sa[an]);
		if (sa) {
			RCU_INIT_POINTER(secy->tx_sc.sa[an], NULL);
			vsecy_secy_sa_put(sa);
		}
	}
	WRITE_ONCE(secy->operational, false);
	return 0;
}

void vsecy_secy_free(struct vsecy_secy *secy)
{
	free_percpu(secy->tx_sc.stats);
	free_percpu(secy->stats);
}

static struct vsecy_rx_sc *rx_sc_lookup(struct vsecy_ctx *ctx)
{
	struct vsecy_rx_sc *sc = vsecy_secy_rx_sc_rtnl(ctx->secy, ctx->sci);

	if (!sc)
		NL_SET_ERR_MSG_ATTR(ctx->extack, ctx->sci_attr,
				    "no RX SC with this SCI on this device");
	return sc;
}

static int op_add_rxsc(struct vsecy_ctx *ctx)
{
	struct vsecy_secy *secy = ctx->secy;
	struct vsecy_rx_sc *sc;

	sc = vsecy_secy_find_rx_sc(secy->port, ctx->sci);
	if (sc && sc->secy == secy) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, ctx->sci_attr,
				    "an RX SC with this SCI already exists");
		return -EEXIST;
	}
	if (sc) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, ctx->sci_attr,
				    "another SecY on this lower device already receives this SCI");
		return -EEXIST;
	}

	if (secy->n_rx_scs >= READ_ONCE(max_rx_scs)) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, ctx->sci_attr,
				    "too many RX SCs on this SecY (module parameter max_rx_scs)");
		return -ENOSPC;
	}

	sc = kzalloc(sizeof(*sc), GFP_KERNEL_ACCOUNT);
	if (!sc)
		return -ENOMEM;
	sc->stats = counters_alloc();
	if (!sc->stats) {
		kfree(sc);
		return -ENOMEM;
	}
	sc->secy = secy;
	sc->sci = ctx->sci;
	sc->active = ctx->has_active ? ctx->active : true;
	refcount_set(&sc->refcnt, 1);

	list_add_tail_rcu(&sc->node, &secy->rx_scs);
	WRITE_ONCE(secy->n_rx_scs, secy->n_rx_scs + 1);
	hash_add_rcu(secy->port->rx_scs, &sc->hnode, sc->sci);
	return 0;
}

static int op_upd_rxsc(struct vsecy_ctx *ctx)
{
	struct vsecy_rx_sc *sc = rx_sc_lookup(ctx);

	if (!sc)
		return -ENOENT;
	if (ctx->has_active)
		WRITE_ONCE(sc->active, ctx->active);
	return 0;
}

static int op_del_rxsc(struct vsecy_ctx *ctx)
{
	struct vsecy_rx_sc *sc = rx_sc_lookup(ctx);

	if (!sc)
		return -ENOENT;
	rx_sc_unlink(ctx->secy, sc);
	return 0;
}

/* The checks shared by the SA operations; @slot is the SA's place. */
static int sa_check(struct vsecy_ctx *ctx, struct vsecy_sa __rcu **slots,
		    bool add, bool tx)
{
	struct vsecy_sa_cfg *cfg = ctx->sa_cfg;
	struct netlink_ext_ack *extack = ctx->extack;
	struct vsecy_secy *secy = ctx->secy;
	struct vsecy_sa *sa;

	if (!HAS(cfg, VSECY_SA_A_AN) || cfg->an >= VSECY_NUM_AN) {
		NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SA_A_AN),
				    "an SA needs its association number (0..3)");
		return -EINVAL;
	}
	sa = rtnl_dereference(slots[cfg->an]);

	if (add) {
		if (sa) {
			NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SA_A_AN),
					    "an SA with this association number already exists");
			return -EEXIST;
		}
		if (!HAS(cfg, VSECY_SA_A_KEY)) {
			NL_SET_ERR_MSG_ATTR(extack, NULL, "an SA needs a key");
			return -EINVAL;
		}
		if (cfg->key_len != secy->key_len) {
			NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SA_A_KEY),
					    "key length does not match the cipher suite (16 octets for 128-bit suites, 32 for 256-bit)");
			return -EINVAL;
		}
		if (!HAS(cfg, VSECY_SA_A_KEYID)) {
			NL_SET_ERR_MSG_ATTR(extack, NULL,
					    "an SA needs a key identifier");
			return -EINVAL;
		}
		if (tx && !HAS(cfg, VSECY_SA_A_PN)) {
			NL_SET_ERR_MSG_ATTR(extack, NULL,
					    "a transmit SA needs its first PN");
			return -EINVAL;
		}
		if (secy->xpn && (!HAS(cfg, VSECY_SA_A_SSCI) ||
				  !HAS(cfg, VSECY_SA_A_SALT))) {
			NL_SET_ERR_MSG_ATTR(extack,
					    cfg_attr(cfg->tb, HAS(cfg, VSECY_SA_A_SSCI) ?
						     VSECY_SA_A_SSCI : VSECY_SA_A_SALT),
					    "an SA of an XPN cipher suite needs an SSCI and a salt");
			return -EINVAL;
		}
		if (!secy->xpn && (HAS(cfg, VSECY_SA_A_SSCI) ||
				   HAS(cfg, VSECY_SA_A_SALT))) {
			NL_SET_ERR_MSG_ATTR(extack,
					    cfg_attr(cfg->tb, HAS(cfg, VSECY_SA_A_SSCI) ?
						     VSECY_SA_A_SSCI : VSECY_SA_A_SALT),
					    "SSCI and salt are for XPN cipher suites only");
			return -EINVAL;
		}
	} else {
		if (!sa) {
			NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SA_A_AN),
					    "no SA with this association number");
			return -ENOENT;
		}
		if (HAS(cfg, VSECY_SA_A_KEY)) {
			NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SA_A_KEY),
					    "the key of an SA cannot be changed; add a new SA");
			return -EINVAL;
		}
		if (HAS(cfg, VSECY_SA_A_KEYID)) {
			NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SA_A_KEYID),
					    "the key identifier of an SA cannot be changed");
			return -EINVAL;
		}
		if (HAS(cfg, VSECY_SA_A_SSCI)) {
			NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SA_A_SSCI),
					    "the SSCI of an SA cannot be changed");
			return -EINVAL;
		}
		if (HAS(cfg, VSECY_SA_A_SALT)) {
			NL_SET_ERR_MSG_ATTR(extack, cfg_attr(cfg->tb, VSECY_SA_A_SALT),
					    "the salt of an SA cannot be changed");
			return -EINVAL;
		}
	}

	if (HAS(cfg, VSECY_SA_A_PN)) {
		struct nlattr *attr = cfg_attr(cfg->tb, VSECY_SA_A_PN);

		if (!cfg->pn) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "PN 0 is never used");
			return -EINVAL;
		}
		if (cfg->pn > vsecy_secy_max_pn(secy)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "PN larger than 2^32 - 1 with a non-XPN cipher suite");
			return -EINVAL;
		}
	}
	/* How the PN of an existing SA compares with the new one can only
	 * be judged where it is assigned, under sa->lock: sa_upd().
	 */
	return 0;
}

static int sa_add(struct vsecy_ctx *ctx, struct vsecy_sa __rcu **slots,
		  struct vsecy_rx_sc *sc)
{
	struct vsecy_sa_cfg *cfg = ctx->sa_cfg;
	struct vsecy_secy *secy = ctx->secy;
	struct vsecy_sa *sa;
	int ret;

	sa = kzalloc(sizeof(*sa), GFP_KERNEL_ACCOUNT);
	if (!sa)
		return -ENOMEM;
	sa->stats = counters_alloc();
	if (!sa->stats) {
		kfree(sa);
		return -ENOMEM;
	}
	sa->tfm = vsecy_crypto_alloc(cfg->key, cfg->key_len, secy->icv_len);
	if (IS_ERR(sa->tfm)) {
		ret = PTR_ERR(sa->tfm);
		free_percpu(sa->stats);
		kfree(sa);
		NL_SET_ERR_MSG_ATTR(ctx->extack, cfg_attr(cfg->tb, VSECY_SA_A_KEY),
				    "cannot set up gcm(aes) with this key");
		return ret;
	}
	/* The key is in the transform now; our copy goes at once. */
	memzero_explicit(cfg->key, sizeof(cfg->key));

	spin_lock_init(&sa->lock);
	refcount_set(&sa->refcnt, 1);
	/* A new RX SA has accepted nothing: its replay bitmap is empty
	 * (kzalloc()), whatever its first PN.
	 */
	sa->next_pn = HAS(cfg, VSECY_SA_A_PN) ? cfg->pn : 1;
	sa->active = HAS(cfg, VSECY_SA_A_ACTIVE) && cfg->active;
	memcpy(sa->keyid, cfg->keyid, VSECY_KEYID_LEN);
	if (secy->xpn) {
		sa->ssci = cfg->ssci;
		memcpy(sa->salt, cfg->salt, VSECY_SALT_LEN);
	}
	if (sc) {
		refcount_inc(&sc->refcnt);
		sa->sc = sc;
	}
	rcu_assign_pointer(slots[cfg->an], sa);
	return 0;
}

/* Testing only (vsecy_txpn.sh): how long an update of an SA's PN waits
 * between being accepted and being applied, as a writer preempted there
 * would, so that frames sent meanwhile show whether the PN is judged
 * where it is applied. Milliseconds, at most 1000; 0 (the default): no
 * wait.
 */
static unsigned int pn_update_delay_ms;
module_param(pn_update_delay_ms, uint, 0644);
MODULE_PARM_DESC(pn_update_delay_ms,
		 "testing: delay the application of an SA's PN update by this many ms");

/* Applies an update that sa_check() accepted. The PN is compared with
 * the SA's and assigned in one critical section: the datapath takes PNs
 * under the same lock, and a PN checked, then assigned after the lock
 * was dropped, could move a transmit SA back over PNs sent meanwhile,
 * which would use a GCM nonce twice (10.5.2). A refused update changes
 * nothing.
 */
static int sa_upd(struct vsecy_ctx *ctx, struct vsecy_sa __rcu **slots,
		  bool tx)
{
	struct vsecy_sa_cfg *cfg = ctx->sa_cfg;
	struct vsecy_sa *sa = rtnl_dereference(slots[cfg->an]);
	struct nlattr *attr = cfg_attr(cfg->tb, VSECY_SA_A_PN);
	unsigned int delay = READ_ONCE(pn_update_delay_ms);
	int ret = 0;

	if (delay && HAS(cfg, VSECY_SA_A_PN))
		msleep(min(delay, 1000U));
	spin_lock_bh(&sa->lock);
	if (HAS(cfg, VSECY_SA_A_PN)) {
		if (tx && !sa_has_pn_left(ctx->secy, sa)) {
			NL_SET_ERR_MSG_ATTR(ctx->extack, attr,
					    "this SA has used all its PNs; install a new SA");
			ret = -EINVAL;
			goto out;
		}
		if (cfg->pn < sa->next_pn) {
			NL_SET_ERR_MSG_ATTR(ctx->extack, attr,
					    "the PN of an SA may only move forward");
			ret = -EINVAL;
			goto out;
		}
		if (tx)
			sa->next_pn = cfg->pn;
		else
			vsecy_secy_rx_sa_set_pn(sa, cfg->pn);
	}
	if (HAS(cfg, VSECY_SA_A_ACTIVE))
		sa->active = cfg->active;
out:
	spin_unlock_bh(&sa->lock);
	return ret;
}

static int sa_del(struct vsecy_ctx *ctx, struct vsecy_sa __rcu **slots)
{
	struct vsecy_sa_cfg *cfg = ctx->sa_cfg;
	struct vsecy_sa *sa;
	bool active;

	if (!HAS(cfg, VSECY_SA_A_AN) || cfg->an >= VSECY_NUM_AN) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, cfg_attr(cfg->tb, VSECY_SA_A_AN),
				    "an SA needs its association number (0..3)");
		return -EINVAL;
	}
	sa = rtnl_dereference(slots[cfg->an]);
	if (!sa) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, cfg_attr(cfg->tb, VSECY_SA_A_AN),
				    "no SA with this association number");
		return -ENOENT;
	}
	spin_lock_bh(&sa->lock);
	active = sa->active;
	spin_unlock_bh(&sa->lock);
	if (active) {
		NL_SET_ERR_MSG_ATTR(ctx->extack, cfg_attr(cfg->tb, VSECY_SA_A_AN),
				    "the SA is active: set it off before deleting it");
		return -EBUSY;
	}
	RCU_INIT_POINTER(slots[cfg->an], NULL);
	vsecy_secy_sa_put(sa);
	return 0;
}

static int op_add_txsa(struct vsecy_ctx *ctx)
{
	struct vsecy_sa __rcu **slots = ctx->secy->tx_sc.sa;
	int ret;

	ret = sa_check(ctx, slots, true, true);
	if (!ret)
		ret = sa_add(ctx, slots, NULL);
	if (!ret)
		update_oper(ctx->secy);
	return ret;
}

static int op_upd_txsa(struct vsecy_ctx *ctx)
{
	struct vsecy_sa __rcu **slots = ctx->secy->tx_sc.sa;
	int ret;

	ret = sa_check(ctx, slots, false, true);
	if (!ret)
		ret = sa_upd(ctx, slots, true);
	if (!ret)
		update_oper(ctx->secy);
	return ret;
}

static int op_del_txsa(struct vsecy_ctx *ctx)
{
	int ret = sa_del(ctx, ctx->secy->tx_sc.sa);

	if (!ret)
		update_oper(ctx->secy);
	return ret;
}

static int op_add_rxsa(struct vsecy_ctx *ctx)
{
	struct vsecy_rx_sc *sc = rx_sc_lookup(ctx);
	int ret;

	if (!sc)
		return -ENOENT;
	ret = sa_check(ctx, sc->sa, true, false);
	if (!ret)
		ret = sa_add(ctx, sc->sa, sc);
	return ret;
}

static int op_upd_rxsa(struct vsecy_ctx *ctx)
{
	struct vsecy_rx_sc *sc = rx_sc_lookup(ctx);
	int ret;

	if (!sc)
		return -ENOENT;
	ret = sa_check(ctx, sc->sa, false, false);
	if (!ret)
		ret = sa_upd(ctx, sc->sa, false);
	return ret;
}

static int op_del_rxsa(struct vsecy_ctx *ctx)
{
	struct vsecy_rx_sc *sc = rx_sc_lookup(ctx);

	if (!sc)
		return -ENOENT;
	return sa_del(ctx, sc->sa);
}

static int op_get_secy_stats(struct vsecy_ctx *ctx)
{
	vsecy_counters_sum(ctx->secy->stats, ctx->stats);
	return 0;
}

static int op_get_tx_sc_stats(struct vsecy_ctx *ctx)
{
	vsecy_counters_sum(ctx->secy->tx_sc.stats, ctx->stats);
	return 0;
}

static int op_get_rx_sc_stats(struct vsecy_ctx *ctx)
{
	struct vsecy_rx_sc *sc = rx_sc_lookup(ctx);

	if (!sc)
		return -ENOENT;
	vsecy_counters_sum(sc->stats, ctx->stats);
	return 0;
}

static int sa_stats(struct vsecy_ctx *ctx, struct vsecy_sa __rcu **slots)
{
	struct vsecy_sa *sa;

	if (ctx->an >= VSECY_NUM_AN)
		return -EINVAL;
	sa = rtnl_dereference(slots[ctx->an]);
	if (!sa)
		return -ENOENT;
	vsecy_counters_sum(sa->stats, ctx->stats);
	return 0;
}

static int op_get_tx_sa_stats(struct vsecy_ctx *ctx)
{
	return sa_stats(ctx, ctx->secy->tx_sc.sa);
}

static int op_get_rx_sa_stats(struct vsecy_ctx *ctx)
{
	struct vsecy_rx_sc *sc = rx_sc_lookup(ctx);

	if (!sc)
		return -ENOENT;
	return sa_stats(ctx, sc->sa);
}

const struct vsecy_secy_ops vsecy_secy_ops = {
	.add_secy	= op_add_secy,
	.upd_secy	= op_upd_secy,
	.del_secy	= op_del_secy,
	.add_rxsc	= op_add_rxsc,
	.upd_rxsc	= op_upd_rxsc,
	.del_rxsc	= op_del_rxsc,
	.add_rxsa	= op_add_rxsa,
	.upd_rxsa	= op_upd_rxsa,
	.del_rxsa	= op_del_rxsa,
	.add_txsa	= op_add_txsa,
	.upd_txsa	= op_upd_txsa,
	.del_txsa	= op_del_txsa,
	.get_secy_stats	= op_get_secy_stats,
	.get_tx_sc_stats = op_get_tx_sc_stats,
	.get_rx_sc_stats = op_get_rx_sc_stats,
	.get_tx_sa_stats = op_get_tx_sa_stats,
	.get_rx_sa_stats = op_get_rx_sa_stats,
};
