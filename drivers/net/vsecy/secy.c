// SPDX-License-Identifier: GPL-2.0
/*
 * The SecY object (IEEE 802.1AE-2018 clause 10): its lifetime, its
 * parameters and their invariants, its operational state. Its SCs and
 * SAs are in sa.c; the locking rules at the top of secy.h.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "datapath.h"
#include "port.h"
#include "secy.h"

/* Largest replay window for the XPN suites (802.1AE 10.7.8): the PN
 * recovery of 10.6.2 needs the window well inside half the 2^32 space.
 */
#define VSECY_XPN_MAX_WINDOW	((1U << 30) - 1)

struct vsecy_counters __percpu *vsecy_counters_alloc(void)
{
	return __netdev_alloc_pcpu_stats(struct vsecy_counters,
					 GFP_KERNEL_ACCOUNT);
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

static bool cs_is_xpn(u64 cs)
{
	return cs == VSECY_CS_GCM_AES_XPN_128 || cs == VSECY_CS_GCM_AES_XPN_256;
}

/* The defaults of the uAPI header, which are the kernel macsec's. */
void vsecy_secy_default_params(struct vsecy_secy_params *p, u64 sci)
{
	memset(p, 0, sizeof(*p));
	p->sci = sci;
	p->cipher_suite = VSECY_CS_DEFAULT;
	p->icv_len = VSECY_ICV_LEN;
	p->validate = VSECY_VALIDATE_STRICT;
	p->protect = true;
	p->send_sci = true;
}

/* The invariants of @p, for @secy as it is now; @bad names the parameter
 * refused.
 */
static int check_params(struct vsecy_secy *secy, struct vsecy_secy_params *p,
			enum vsecy_field *bad,
			struct netlink_ext_ack *extack)
{
	bool has_sa = secy && vsecy_secy_has_sa(secy);
	u64 cs = p->cipher_suite;

	*bad = VSECY_FIELD_NONE;
	if (cs == VSECY_CS_GCM_AES_128_LEGACY) {
		cs = VSECY_CS_GCM_AES_128;
		p->cipher_suite = cs;
	}
	if (cs != VSECY_CS_GCM_AES_128 && cs != VSECY_CS_GCM_AES_256 &&
	    !cs_is_xpn(cs)) {
		*bad = VSECY_FIELD_CIPHER_SUITE;
		NL_SET_ERR_MSG(extack, "unknown cipher suite");
		return -EINVAL;
	}
	if (has_sa && cs != secy->p.cipher_suite) {
		*bad = VSECY_FIELD_CIPHER_SUITE;
		NL_SET_ERR_MSG(extack, "cannot change the cipher suite while SAs exist");
		return -EBUSY;
	}
	if (has_sa && p->sci != secy->p.sci) {
		*bad = VSECY_FIELD_SCI;
		NL_SET_ERR_MSG(extack, "cannot change the SCI while SAs exist");
		return -EBUSY;
	}
	if (cs_is_xpn(cs) && p->window > VSECY_XPN_MAX_WINDOW) {
		*bad = VSECY_FIELD_WINDOW;
		NL_SET_ERR_MSG(extack,
			       "replay window larger than 2^30 - 1 with an XPN cipher suite");
		return -EINVAL;
	}
	if (p->icv_len != VSECY_ICV_LEN) {
		*bad = VSECY_FIELD_ICV_LEN;
		NL_SET_ERR_MSG(extack, "only a 16-octet ICV is supported");
		return -EINVAL;
	}
	/* 802.1AE confidentialityOffset (clause 14): 0, 30 or 50 octets. */
	if (p->conf_offset && p->conf_offset != 30 && p->conf_offset != 50) {
		*bad = VSECY_FIELD_CONF_OFFSET;
		NL_SET_ERR_MSG(extack, "confidentiality offset must be 0, 30 or 50");
		return -EINVAL;
	}
	if (p->encoding_sa >= VSECY_NUM_AN || p->validate > VSECY_VALIDATE_MAX) {
		NL_SET_ERR_MSG(extack, "encoding SA or validateFrames out of range");
		return -EINVAL;
	}
	return 0;
}

/* Each field once, for the datapath's READ_ONCE(). */
static void apply_params(struct vsecy_secy *secy,
			 const struct vsecy_secy_params *p)
{
	u64 cs = p->cipher_suite;

	WRITE_ONCE(secy->p.sci, p->sci);
	WRITE_ONCE(secy->p.cipher_suite, cs);
	WRITE_ONCE(secy->xpn, cs_is_xpn(cs));
	WRITE_ONCE(secy->key_len, cs == VSECY_CS_GCM_AES_256 ||
		   cs == VSECY_CS_GCM_AES_XPN_256 ? 32 : 16);
	WRITE_ONCE(secy->p.icv_len, p->icv_len);
	WRITE_ONCE(secy->p.encoding_sa, p->encoding_sa);
	WRITE_ONCE(secy->p.validate, p->validate);
	WRITE_ONCE(secy->p.conf_offset, p->conf_offset);
	WRITE_ONCE(secy->p.encrypt, p->encrypt);
	WRITE_ONCE(secy->p.protect, p->protect);
	WRITE_ONCE(secy->p.send_sci, p->send_sci);
	WRITE_ONCE(secy->p.end_station, p->end_station);
	WRITE_ONCE(secy->p.scb, p->scb);
	WRITE_ONCE(secy->p.replay, p->replay);
	WRITE_ONCE(secy->p.window, p->window);
	WRITE_ONCE(secy->p.pn_threshold, p->pn_threshold);
}

/* Under RTNL: sets every parameter of @secy to @p, or, refusing one (it
 * is named in @bad), changes nothing.
 */
int vsecy_secy_configure(struct vsecy_secy *secy,
			 const struct vsecy_secy_params *p,
			 enum vsecy_field *bad,
			 struct netlink_ext_ack *extack)
{
	struct vsecy_secy_params q = *p;
	int ret;

	ASSERT_RTNL();
	ret = check_params(secy, &q, bad, extack);
	if (ret)
		return ret;
	apply_params(secy, &q);
	vsecy_secy_update_oper(secy);
	return 0;
}

/* Under RTNL: a SecY on @port, parameters @p, owned by a front end
 * (@hooks, @priv) that counts its drops on @dev and holds @dev while the
 * SecY lives. The Controlled Port starts down (secy->running).
 */
struct vsecy_secy *vsecy_secy_create(struct vsecy_port *port,
				     struct net_device *dev,
				     const struct vsecy_secy_hooks *hooks,
				     void *priv,
				     const struct vsecy_secy_params *p,
				     enum vsecy_field *bad,
				     struct netlink_ext_ack *extack)
{
	struct vsecy_secy_params q = *p;
	struct vsecy_secy *secy;
	int ret;

	ASSERT_RTNL();
	ret = check_params(NULL, &q, bad, extack);
	if (ret)
		return ERR_PTR(ret);

	secy = kzalloc(sizeof(*secy), GFP_KERNEL_ACCOUNT);
	if (!secy)
		return ERR_PTR(-ENOMEM);
	secy->stats = vsecy_counters_alloc();
	secy->tx_sc.stats = vsecy_counters_alloc();
	if (!secy->stats || !secy->tx_sc.stats) {
		free_percpu(secy->tx_sc.stats);
		free_percpu(secy->stats);
		kfree(secy);
		return ERR_PTR(-ENOMEM);
	}
	secy->hooks = hooks;
	secy->priv = priv;
	secy->dev = dev;
	secy->port = port;
	INIT_LIST_HEAD(&secy->rx_scs);
	refcount_set(&secy->refcnt, 1);
	vsecy_queue_init(&secy->txq, dev, &vsecy_tx_queue_ops);
	vsecy_queue_init(&secy->rxq, dev, &vsecy_rx_queue_ops);
	apply_params(secy, &q);
	secy->operational = !q.protect;

	list_add_tail_rcu(&secy->port_node, &port->secys);
	port->n_secys++;
	return secy;
}

static atomic_t rcu_pending = ATOMIC_INIT(0);

void vsecy_call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	atomic_inc(&rcu_pending);
	call_rcu(head, func);
}

/* The last thing a callback does. */
void vsecy_rcu_done(void)
{
	atomic_dec(&rcu_pending);
}

bool vsecy_rcu_idle(void)
{
	return !atomic_read(&rcu_pending);
}

static void secy_free_rcu(struct rcu_head *head)
{
	struct vsecy_secy *secy = container_of(head, struct vsecy_secy, rcu);

	free_percpu(secy->tx_sc.stats);
	free_percpu(secy->stats);
	kfree(secy);
	vsecy_rcu_done();
}

/* The last put is a completion's or the front end's, never an RCU
 * callback's (secy.h).
 */
void vsecy_secy_put(struct vsecy_secy *secy)
{
	if (refcount_dec_and_test(&secy->refcnt))
		vsecy_call_rcu(&secy->rcu, secy_free_rcu);
}

/* Under RTNL: unlinks @secy and everything under it from the datapath.
 * Frames in flight keep what they hold by RCU or by reference; the front
 * end still holds its reference (its device may still be asked about the
 * SecY while it is unregistered) and drops it with vsecy_secy_put().
 */
void vsecy_secy_unlink(struct vsecy_secy *secy)
{
	ASSERT_RTNL();
	WRITE_ONCE(secy->running, false);
	/* Nothing queued holds anything of what follows once they stop. */
	vsecy_queue_stop(&secy->txq);
	vsecy_queue_stop(&secy->rxq);
	vsecy_secy_unlink_all(secy);
	WRITE_ONCE(secy->operational, false);
	WRITE_ONCE(secy->running, false);
	list_del_rcu(&secy->port_node);
	secy->port->n_secys--;
}

bool vsecy_secy_has_sa(struct vsecy_secy *secy)
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

/* 3/4 of the PN space (2^32 or 2^64) unless set: where MKA
 * implementations (wpa_supplicant's pn_exhaustion among them) install
 * the next SAK.
 */
u64 vsecy_secy_pn_threshold(const struct vsecy_secy *secy)
{
	u64 thr = READ_ONCE(secy->p.pn_threshold);

	if (!thr)
		return READ_ONCE(secy->xpn) ? 0xC000000000000000ULL : 0xC0000000ULL;
	return min(thr, vsecy_secy_max_pn(secy));
}

/* 802.1AE 10.7.2 "operational" is kept simple: a SecY that protects
 * frames is operational while the encoding SA is installed, active and
 * has PNs left; one that does not protect frames always is. Under RTNL;
 * the front end hears of it. It is written under the encoding SA's lock,
 * as vsecy_sa_pn_exhausted() writes it from the datapath: whichever runs
 * last has the last word, and it is right.
 */
void vsecy_secy_update_oper(struct vsecy_secy *secy)
{
	struct vsecy_sa *sa = NULL;

	ASSERT_RTNL();
	if (secy->p.protect)
		sa = rtnl_dereference(secy->tx_sc.sa[secy->p.encoding_sa]);
	if (sa) {
		spin_lock_bh(&sa->lock);
		WRITE_ONCE(secy->operational,
			   sa->active && vsecy_sa_has_pn_left(secy, sa));
		spin_unlock_bh(&sa->lock);
	} else {
		WRITE_ONCE(secy->operational, !secy->p.protect);
	}
	secy->hooks->oper_changed(secy);
}

/* Called by the transmit path, with sa->lock held, once the encoding SA
 * has sent its last PN (10.5.2: a PN is never reused): the SA stops, and
 * the SecY is not operational until another SA takes over. The front
 * end hears of it through its tx_pn hook.
 */
void vsecy_sa_pn_exhausted(struct vsecy_secy *secy, struct vsecy_sa *sa)
{
	lockdep_assert_held(&sa->lock);
	sa->active = false;
	WRITE_ONCE(secy->operational, false);
}
