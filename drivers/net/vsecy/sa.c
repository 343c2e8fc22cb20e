// SPDX-License-Identifier: GPL-2.0
/*
 * The SCs and SAs of a SecY (IEEE 802.1AE-2018 10.7.1-10.7.27): their
 * lifetime and the operations that change them, with the invariants the
 * datapath relies on. Rules a front end adds (vsecy's: a PN only moves
 * forward, an active SA is not deleted) are its own. The locking rules
 * are at the top of secy.h.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "crypto.h"
#include "port.h"
#include "replay.h"
#include "secy.h"

/* RX SCs per SecY: each costs an SC, its counters and up to four SAs
 * with a transform each. Writable, so that a host can raise it; a SecY
 * already above a lowered limit keeps its SCs.
 */
static unsigned int max_rx_scs = 4096;
module_param(max_rx_scs, uint, 0644);
MODULE_PARM_DESC(max_rx_scs, "most RX SCs on one SecY (default 4096)");

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

/* An RCU callback never queues another one, so the rcu_barrier() at
 * module exit waits for all of them: the last reference to an SC is
 * always dropped at least one grace period after the SC was unlinked
 * (its own reference goes in rx_sc_unlinked_rcu(), the others are its
 * SAs', which go in sa_free_rcu()), so the SC is freed at once, without a
 * call_rcu() of its own.
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
	vsecy_rcu_done();
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

	vsecy_crypto_cache_free(sa);
	vsecy_crypto_free(sa->tfm);
	free_percpu(sa->stats);
	if (sa->sc)
		rx_sc_put(sa->sc);
	kfree_sensitive(sa);
	vsecy_rcu_done();
}

void vsecy_sa_put(struct vsecy_sa *sa)
{
	if (refcount_dec_and_test(&sa->refcnt))
		vsecy_call_rcu(&sa->rcu, sa_free_rcu);
}

/* Under RCU: a reference that outlives the read-side section. */
struct vsecy_sa *vsecy_sa_get(struct vsecy_sa __rcu **slot)
{
	struct vsecy_sa *sa = rcu_dereference(*slot);

	if (sa && !refcount_inc_not_zero(&sa->refcnt))
		return NULL;
	return sa;
}

const struct rhashtable_params vsecy_rx_sc_params = {
	.key_len	= sizeof(u64),
	.key_offset	= offsetof(struct vsecy_rx_sc, sci),
	.head_offset	= offsetof(struct vsecy_rx_sc, hnode),
	.automatic_shrinking = true,
};

/* Under RCU (the datapath) or RTNL (the operations). */
struct vsecy_rx_sc *vsecy_rx_sc_find(struct vsecy_port *port, u64 sci)
{
	return rhashtable_lookup_fast(&port->rx_scs, &sci, vsecy_rx_sc_params);
}

struct vsecy_rx_sc *vsecy_rx_sc_rtnl(struct vsecy_secy *secy, u64 sci)
{
	struct vsecy_rx_sc *sc = vsecy_rx_sc_find(secy->port, sci);

	return sc && sc->secy == secy ? sc : NULL;
}

/* Under RTNL: a new RX SC for @sci, unique on the port (the receive path
 * finds the SecY by it).
 */
struct vsecy_rx_sc *vsecy_rx_sc_add(struct vsecy_secy *secy, u64 sci,
				    bool active,
				    struct netlink_ext_ack *extack)
{
	struct vsecy_rx_sc *sc;
	int ret;

	ASSERT_RTNL();
	sc = vsecy_rx_sc_find(secy->port, sci);
	if (sc && sc->secy == secy) {
		NL_SET_ERR_MSG(extack, "an RX SC with this SCI already exists");
		return ERR_PTR(-EEXIST);
	}
	if (sc) {
		NL_SET_ERR_MSG(extack,
			       "another SecY on this lower device already receives this SCI");
		return ERR_PTR(-EEXIST);
	}
	if (secy->n_rx_scs >= READ_ONCE(max_rx_scs)) {
		NL_SET_ERR_MSG(extack,
			       "too many RX SCs on this SecY (module parameter max_rx_scs)");
		return ERR_PTR(-ENOSPC);
	}

	sc = kzalloc(sizeof(*sc), GFP_KERNEL_ACCOUNT);
	if (!sc)
		return ERR_PTR(-ENOMEM);
	sc->stats = vsecy_counters_alloc();
	if (!sc->stats) {
		kfree(sc);
		return ERR_PTR(-ENOMEM);
	}
	sc->secy = secy;
	sc->sci = sci;
	sc->active = active;
	refcount_set(&sc->refcnt, 1);

	ret = rhashtable_insert_fast(&secy->port->rx_scs, &sc->hnode,
				     vsecy_rx_sc_params);
	if (ret) {
		free_percpu(sc->stats);
		kfree(sc);
		return ERR_PTR(ret);
	}
	list_add_tail_rcu(&sc->node, &secy->rx_scs);
	WRITE_ONCE(secy->n_rx_scs, secy->n_rx_scs + 1);
	return sc;
}

void vsecy_rx_sc_set_active(struct vsecy_rx_sc *sc, bool active)
{
	WRITE_ONCE(sc->active, active);
}

/* Unlinks an SA; frames in flight keep it by reference. */
static void sa_unlink(struct vsecy_sa __rcu **slots, u8 an)
{
	struct vsecy_sa *sa = rtnl_dereference(slots[an]);

	RCU_INIT_POINTER(slots[an], NULL);
	vsecy_sa_put(sa);
}

/* Under RTNL: unlinks @sc and its SAs from the datapath. */
void vsecy_rx_sc_del(struct vsecy_secy *secy, struct vsecy_rx_sc *sc)
{
	unsigned int an;

	ASSERT_RTNL();
	rhashtable_remove_fast(&secy->port->rx_scs, &sc->hnode,
			       vsecy_rx_sc_params);
	list_del_rcu(&sc->node);
	WRITE_ONCE(secy->n_rx_scs, secy->n_rx_scs - 1);
	for (an = 0; an < VSECY_NUM_AN; an++)
		if (rtnl_dereference(sc->sa[an]))
			sa_unlink(sc->sa, an);
	/* Readers may still be looking at it: see rx_sc_put(). */
	vsecy_call_rcu(&sc->rcu, rx_sc_unlinked_rcu);
}

static struct vsecy_sa __rcu **slots_of(struct vsecy_secy *secy,
					struct vsecy_rx_sc *sc)
{
	return sc ? sc->sa : secy->tx_sc.sa;
}

struct vsecy_sa *vsecy_sa_rtnl(struct vsecy_secy *secy,
			       struct vsecy_rx_sc *sc, u8 an)
{
	if (an >= VSECY_NUM_AN)
		return NULL;
	return rtnl_dereference(slots_of(secy, sc)[an]);
}

/* The PN and the active flag of @sa, at one moment. */
void vsecy_sa_state(struct vsecy_sa *sa, u64 *pn, bool *active)
{
	spin_lock_bh(&sa->lock);
	*pn = sa->next_pn;
	*active = sa->active;
	spin_unlock_bh(&sa->lock);
}

static int check_pn(struct vsecy_secy *secy, u64 pn,
		    struct netlink_ext_ack *extack)
{
	if (!pn) {
		NL_SET_ERR_MSG(extack, "PN 0 is never used");
		return -EINVAL;
	}
	if (pn > vsecy_secy_max_pn(secy)) {
		NL_SET_ERR_MSG(extack,
			       "PN larger than 2^32 - 1 with a non-XPN cipher suite");
		return -EINVAL;
	}
	return 0;
}

/* Under RTNL: installs an SA of the TX SC (@sc NULL) or of @sc. */
int vsecy_sa_add(struct vsecy_secy *secy, struct vsecy_rx_sc *sc, u8 an,
		 const struct vsecy_sa_params *p, enum vsecy_field *bad,
		 struct netlink_ext_ack *extack)
{
	struct vsecy_sa __rcu **slots = slots_of(secy, sc);
	struct vsecy_sa *sa;
	int ret;

	ASSERT_RTNL();
	*bad = VSECY_FIELD_AN;
	if (an >= VSECY_NUM_AN) {
		NL_SET_ERR_MSG(extack, "an SA needs its association number (0..3)");
		return -EINVAL;
	}
	if (rtnl_dereference(slots[an])) {
		NL_SET_ERR_MSG(extack, "an SA with this association number already exists");
		return -EEXIST;
	}
	*bad = VSECY_FIELD_KEY;
	if (p->key_len != secy->key_len) {
		NL_SET_ERR_MSG(extack,
			       "key length does not match the cipher suite (16 octets for 128-bit suites, 32 for 256-bit)");
		return -EINVAL;
	}
	*bad = VSECY_FIELD_PN;
	ret = check_pn(secy, p->pn, extack);
	if (ret)
		return ret;
	*bad = VSECY_FIELD_KEY;

	/* A transmit SA has no replay state. */
	sa = kzalloc(sc ? sizeof(*sa) : offsetof(struct vsecy_sa, replay),
		     GFP_KERNEL_ACCOUNT);
	if (!sa)
		return -ENOMEM;
	sa->stats = vsecy_counters_alloc();
	if (!sa->stats) {
		kfree(sa);
		return -ENOMEM;
	}
	sa->tfm = vsecy_crypto_alloc(p->key, p->key_len, secy->p.icv_len);
	if (IS_ERR(sa->tfm)) {
		ret = PTR_ERR(sa->tfm);
		free_percpu(sa->stats);
		kfree(sa);
		NL_SET_ERR_MSG(extack, "cannot set up gcm(aes) with this key");
		return ret;
	}
	ret = vsecy_crypto_cache_alloc(sa);
	if (ret) {
		vsecy_crypto_free(sa->tfm);
		free_percpu(sa->stats);
		kfree(sa);
		return ret;
	}

	spin_lock_init(&sa->lock);
	refcount_set(&sa->refcnt, 1);
	/* A new RX SA has accepted nothing: its replay bitmap is empty
	 * (kzalloc()), whatever its first PN.
	 */
	sa->next_pn = p->pn;
	sa->active = p->active;
	memcpy(sa->keyid, p->keyid, VSECY_KEYID_LEN);
	if (secy->xpn) {
		sa->ssci = p->ssci;
		memcpy(sa->salt, p->salt, VSECY_SALT_LEN);
	}
	if (sc) {
		refcount_inc(&sc->refcnt);
		sa->sc = sc;
	}
	rcu_assign_pointer(slots[an], sa);
	*bad = VSECY_FIELD_NONE;
	if (!sc)
		vsecy_secy_update_oper(secy);
	return 0;
}

/* Under RTNL: sets the next PN (@pn, when not NULL) and the active flag
 * (@active, when not NULL) of an SA. The PN is compared with the SA's and
 * assigned in one critical section: the datapath takes PNs under the
 * same lock, and a PN checked, then assigned after the lock was dropped,
 * could move a transmit SA back over PNs sent meanwhile, which would use
 * a GCM nonce twice (10.5.2). A refused update changes nothing.
 */
int vsecy_sa_update(struct vsecy_secy *secy, struct vsecy_rx_sc *sc, u8 an,
		    const u64 *pn, enum vsecy_pn_rule rule, const bool *active,
		    enum vsecy_field *bad, struct netlink_ext_ack *extack)
{
	struct vsecy_sa *sa = vsecy_sa_rtnl(secy, sc, an);
	unsigned int delay = READ_ONCE(pn_update_delay_ms);
	int ret = 0;

	ASSERT_RTNL();
	*bad = VSECY_FIELD_AN;
	if (!sa) {
		NL_SET_ERR_MSG(extack, "no SA with this association number");
		return -ENOENT;
	}
	*bad = VSECY_FIELD_PN;
	if (pn) {
		ret = check_pn(secy, *pn, extack);
		if (ret)
			return ret;
		if (delay)
			msleep(min(delay, 1000U));
	}

	spin_lock_bh(&sa->lock);
	if (pn) {
		if (!sc && !vsecy_sa_has_pn_left(secy, sa)) {
			NL_SET_ERR_MSG(extack,
				       "this SA has used all its PNs; install a new SA");
			ret = -EINVAL;
			goto out;
		}
		if (rule == VSECY_PN_FORWARD && *pn < sa->next_pn) {
			NL_SET_ERR_MSG(extack, "the PN of an SA may only move forward");
			ret = -EINVAL;
			goto out;
		}
		if (!sc)
			WRITE_ONCE(sa->next_pn, *pn);
		else if (*pn >= sa->next_pn)
			vsecy_replay_set_next_pn(sa, *pn);
		else
			vsecy_replay_reset(sa, *pn);
	}
	if (active)
		sa->active = *active;
out:
	spin_unlock_bh(&sa->lock);
	if (ret)
		return ret;
	*bad = VSECY_FIELD_NONE;
	if (!sc)
		vsecy_secy_update_oper(secy);
	return 0;
}

/* Under RTNL: deletes an SA of the TX SC (@sc NULL) or of @sc. */
void vsecy_sa_del(struct vsecy_secy *secy, struct vsecy_rx_sc *sc, u8 an)
{
	ASSERT_RTNL();
	sa_unlink(slots_of(secy, sc), an);
	if (!sc)
		vsecy_secy_update_oper(secy);
}

/* Under RTNL: unlinks every SC and SA of @secy, for vsecy_secy_unlink(),
 * without telling the front end (which is destroying it).
 */
void vsecy_secy_unlink_all(struct vsecy_secy *secy)
{
	struct vsecy_rx_sc *sc, *tmp;
	unsigned int an;

	list_for_each_entry_safe(sc, tmp, &secy->rx_scs, node)
		vsecy_rx_sc_del(secy, sc);
	for (an = 0; an < VSECY_NUM_AN; an++)
		if (rtnl_dereference(secy->tx_sc.sa[an]))
			sa_unlink(secy->tx_sc.sa, an);
}
