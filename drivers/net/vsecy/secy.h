/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SecY engine (IEEE 802.1AE-2018 clause 10): the SecY, its transmit
 * SC, its receive SCs and their SAs, and the operations on them, in plain
 * kernel types. Two front ends drive it: the vsecy link and its generic
 * netlink family (device.c, netlink.c), and the MACsec-offload NIC that
 * implements the kernel's struct macsec_ops (offload.c). Each tells the
 * engine, through struct vsecy_secy_hooks, what becomes of the frames.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_SECY_H
#define _VSECY_SECY_H

#include <linux/bitmap.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <uapi/linux/vsecy.h>

#include "compat.h"
#include "counters.h"
#include "queue.h"

struct crypto_aead;
struct vsecy_port;

/* Locking and lifetime (the rules every file of the module follows):
 *
 * - Every writer (generic netlink, rtnl link ops, the macsec core's
 *   offload ops, the lower device's notifier) runs under RTNL. RTNL alone
 *   orders configuration changes; there is no other configuration lock.
 * - The datapath (ndo_start_xmit, the lower device's rx_handler, the
 *   SecY's queues' NAPIs and the crypto completions) reads under RCU and
 *   never takes RTNL. A queued frame holds its SA; the queues are
 *   stopped before a SecY is unlinked, and every frame they hold is
 *   dropped, but for those whose crypto is still running, which their
 *   completion drops.
 * - SecY parameters are plain fields written with WRITE_ONCE() under RTNL
 *   and read with READ_ONCE() by the datapath: a frame sees either the
 *   old or the new value of each, as with the kernel's macsec. The SCI and
 *   the cipher suite (hence xpn and key_len) only change while no SA
 *   exists, so no frame can pair an SA with the wrong IV layout.
 * - A SecY is refcounted: its front end holds one reference from
 *   vsecy_secy_create() until it is done with it (vsecy_secy_put(), after
 *   vsecy_secy_unlink() took it off the datapath), and a frame in an
 *   asynchronous completion holds one, with its device (secy->dev,
 *   dev_hold()). The last put frees it after a grace period (readers find
 *   it under RCU through its port).
 * - RX SCs are found by SCI in the port's hash table (RCU) and listed per
 *   SecY (RTNL). SAs are RCU pointers in their SC. Both carry a refcount:
 *   the datapath takes a reference with refcount_inc_not_zero() under RCU
 *   when it must keep the object past the RCU section (asynchronous
 *   crypto). An SA's last put frees it with call_rcu(), so a reader that
 *   only holds rcu_read_lock() never sees freed memory.
 * - An SA holds a reference on its RX SC, so a completion that holds the
 *   SA can still count into the SC after the SC was deleted. The SC's own
 *   reference is dropped by an RCU callback queued when it is unlinked;
 *   the others go in the SAs' RCU callbacks. Whoever drops the last one
 *   is therefore a grace period past the unlink and frees the SC at once.
 * - No RCU callback queues another: the module's exit waits for all of
 *   them with one rcu_barrier(), after the last device is gone (the last
 *   SA and SecY puts happen in completions, which hold their device).
 * - A front end's device holds its lower device until its destructor,
 *   not ndo_uninit: a completion that holds the device still sends on the
 *   lower one.
 * - The PN state of an SA (next_pn, active, and for an RX SA the replay
 *   bitmap) is under sa->lock, which the datapath takes; writers take it
 *   too, and a writer compares a new PN with next_pn and assigns it in
 *   the same critical section (a transmit PN must never move back over
 *   PNs sent meanwhile: a GCM nonce would be used twice). The receive
 *   path reads it twice per frame: once before the crypto, to skip work
 *   on a frame that is late anyway, and once after validation, where the
 *   verdict is final and next_pn and the bitmap are updated in the same
 *   critical section. Frames of one SA may be validated on several CPUs
 *   at once; only that second check decides, so two copies of one frame
 *   racing each other are accepted once.
 * - What a request allocates is charged to the caller's memory cgroup
 *   (GFP_KERNEL_ACCOUNT), and bounded: max_rx_scs RX SCs per SecY,
 *   max_secys SecYs per lower device (module parameters).
 */

/* The PNs an RX SA remembers having accepted below its next_pn, for
 * replay protection finer than 802.1AE's lowest acceptable PN (10.6.2):
 * a frame within the replay window is accepted once, as with IPsec's and
 * WireGuard's anti-replay windows. A power of two, so that a PN's bit is
 * its low bits. PNs further back than this are judged by the lowest-PN
 * rule only (Documentation/counters.md, "Replay notes"). replay.c.
 */
#define VSECY_REPLAY_BITS	2048

struct vsecy_replay {
	/* Bit (PN mod VSECY_REPLAY_BITS) is set iff that PN, one of the
	 * VSECY_REPLAY_BITS below next_pn, passed validation and was taken
	 * since the SA was created.
	 */
	DECLARE_BITMAP(seen, VSECY_REPLAY_BITS);
	/* XPN only: the last PN, 2^64 - 1, was accepted. next_pn cannot
	 * move past it (it would wrap to 0), so the bitmap cannot say.
	 */
	bool last_seen;
};

/* A secure association, transmit or receive (802.1AE 7.1.3). The fields
 * every frame uses come first; a transmit SA is allocated without the
 * replay state at the end.
 */
struct vsecy_sa {
	spinlock_t lock;		/* the PN state: next_pn, active, replay */
	/* TX: the next PN to send; RX: the next PN expected (one more than
	 * the highest PN accepted), the lowest acceptable PN being this
	 * minus the replay window. Under lock.
	 */
	u64 next_pn;
	bool active;			/* under lock */
	struct crypto_aead *tfm;
	struct vsecy_counters __percpu *stats;
	struct vsecy_rx_sc *sc;		/* RX SAs: the SC, referenced */
	refcount_t refcnt;
	unsigned long events;		/* TX: VSECY_SA_EV_* announced */
	/* The SA's own crypto request (crypto.c), and whether a frame
	 * has it.
	 */
	void *req_cache;
	bool req_busy;
	u32 ssci;
	u8 salt[VSECY_SALT_LEN];
	u8 keyid[VSECY_KEYID_LEN];
	struct rcu_head rcu;
	struct vsecy_replay replay;	/* RX SAs only, under lock */
};

/* Bits of vsecy_sa.events. */
#define VSECY_SA_EV_THRESHOLD	0

struct vsecy_rx_sc {
	struct rhash_head hnode;	/* in port->rx_scs, RCU */
	struct list_head node;		/* in secy->rx_scs, RTNL; RCU */
	struct vsecy_secy *secy;
	u64 sci;
	bool active;
	struct vsecy_sa __rcu *sa[VSECY_NUM_AN];
	struct vsecy_counters __percpu *stats;
	void *priv;			/* the front end's (offload: md_dst) */
	refcount_t refcnt;
	struct rcu_head rcu;
};

struct vsecy_tx_sc {
	struct vsecy_sa __rcu *sa[VSECY_NUM_AN];
	struct vsecy_counters __percpu *stats;
};

/* The SecY's parameters (802.1AE 10.7), as a front end sets them. */
struct vsecy_secy_params {
	u64 sci;
	u64 cipher_suite;		/* VSECY_CS_* */
	u8 icv_len;
	u8 encoding_sa;
	u8 validate;			/* VSECY_VALIDATE_* */
	u8 conf_offset;			/* 0, 30 or 50 */
	bool encrypt;
	bool protect;
	bool send_sci;
	bool end_station;
	bool scb;
	bool replay;
	u32 window;
	u64 pn_threshold;		/* 0: 3/4 of the PN space */
};

/* Which parameter a refused operation objects to, so that a front end
 * can name it (netlink: the attribute).
 */
enum vsecy_field {
	VSECY_FIELD_NONE,
	VSECY_FIELD_SCI,
	VSECY_FIELD_CIPHER_SUITE,
	VSECY_FIELD_ICV_LEN,
	VSECY_FIELD_WINDOW,
	VSECY_FIELD_CONF_OFFSET,
	VSECY_FIELD_AN,
	VSECY_FIELD_KEY,
	VSECY_FIELD_PN,
};

/* What a front end does with its SecYs' frames and states. */
struct vsecy_secy_hooks {
	/* From the datapath: a frame for the Controlled Port, validated,
	 * SecTAG and ICV gone; @sc is the RX SC it came on, NULL for a
	 * frame without SecTAG (or with an unknown SCI) that validateFrames
	 * lets through. Returns the device it is received on (the engine
	 * counts it there and passes it up, through GRO where it can), or
	 * NULL to drop it.
	 */
	struct net_device *(*rx_dev)(struct vsecy_secy *secy,
				     struct vsecy_rx_sc *sc,
				     struct sk_buff *skb);
	/* Under RTNL: the SecY's operational state may have changed. */
	void (*oper_changed)(struct vsecy_secy *secy);
	/* Atomic context, at most once per SA and event: the TX SA of @an
	 * took the PN at the threshold (@next_pn is the next one), or its
	 * last one (@exhausted).
	 */
	void (*tx_pn)(struct vsecy_secy *secy, struct vsecy_sa *sa, u8 an,
		      u64 next_pn, bool exhausted);
	/* Whether frames this SecY cannot check (no SecTAG, an unknown
	 * SCI, an SA not in use) may reach its Controlled Port when
	 * validateFrames is not Strict. The kernel's macsec never hands
	 * such frames to a SecY it offloaded.
	 */
	bool unchecked;
};

/* The SecY (802.1AE 10.7). */
struct vsecy_secy {
	const struct vsecy_secy_hooks *hooks;
	void *priv;			/* the front end's */
	/* Counts the SecY's drops, and is held by its frames in flight. */
	struct net_device *dev;
	struct vsecy_port *port;
	struct list_head port_node;	/* in port->secys, RTNL; RCU */
	struct vsecy_secy_params p;
	bool xpn;
	u8 key_len;
	bool operational;
	bool running;			/* the Controlled Port is up */
	u8 ev_oper;			/* events.c: last announced, RTNL */
	struct vsecy_tx_sc tx_sc;
	struct list_head rx_scs;	/* RTNL writes, RCU reads */
	unsigned int n_rx_scs;
	struct vsecy_counters __percpu *stats;
	/* Frames to protect and frames validated, in order (queue.c). */
	struct vsecy_queue txq;
	struct vsecy_queue rxq;
	refcount_t refcnt;
	struct rcu_head rcu;
};

/* An SA to install (vsecy_sa_add()); the caller wipes the key. */
struct vsecy_sa_params {
	u8 key[VSECY_MAX_KEY_LEN];
	unsigned int key_len;
	u8 keyid[VSECY_KEYID_LEN];
	u64 pn;
	bool active;
	u32 ssci;			/* XPN */
	u8 salt[VSECY_SALT_LEN];	/* XPN */
};

/* How vsecy_sa_update() may move a PN. */
enum vsecy_pn_rule {
	VSECY_PN_FORWARD,	/* refused below the SA's next_pn */
	VSECY_PN_ANY,		/* as told (the kernel's macsec allows it) */
};

/* The module's RCU callbacks, counted: the rule that none queues another
 * (above) is checked at module exit, where none may be left after the
 * rcu_barrier().
 */
void vsecy_call_rcu(struct rcu_head *head, rcu_callback_t func);
void vsecy_rcu_done(void);
bool vsecy_rcu_idle(void);

void vsecy_secy_default_params(struct vsecy_secy_params *p, u64 sci);
struct vsecy_secy *vsecy_secy_create(struct vsecy_port *port,
				     struct net_device *dev,
				     const struct vsecy_secy_hooks *hooks,
				     void *priv,
				     const struct vsecy_secy_params *p,
				     enum vsecy_field *bad,
				     struct netlink_ext_ack *extack);
void vsecy_secy_unlink(struct vsecy_secy *secy);
void vsecy_secy_put(struct vsecy_secy *secy);
int vsecy_secy_configure(struct vsecy_secy *secy,
			 const struct vsecy_secy_params *p,
			 enum vsecy_field *bad,
			 struct netlink_ext_ack *extack);
bool vsecy_secy_has_sa(struct vsecy_secy *secy);
void vsecy_secy_update_oper(struct vsecy_secy *secy);
u64 vsecy_secy_pn_threshold(const struct vsecy_secy *secy);

struct vsecy_rx_sc *vsecy_rx_sc_add(struct vsecy_secy *secy, u64 sci,
				    bool active,
				    struct netlink_ext_ack *extack);
void vsecy_rx_sc_del(struct vsecy_secy *secy, struct vsecy_rx_sc *sc);
void vsecy_rx_sc_set_active(struct vsecy_rx_sc *sc, bool active);
extern const struct rhashtable_params vsecy_rx_sc_params;
struct vsecy_rx_sc *vsecy_rx_sc_find(struct vsecy_port *port, u64 sci);
struct vsecy_rx_sc *vsecy_rx_sc_rtnl(struct vsecy_secy *secy, u64 sci);

/* The SAs of the TX SC (@sc NULL) or of an RX SC. */
int vsecy_sa_add(struct vsecy_secy *secy, struct vsecy_rx_sc *sc, u8 an,
		 const struct vsecy_sa_params *p, enum vsecy_field *bad,
		 struct netlink_ext_ack *extack);
int vsecy_sa_update(struct vsecy_secy *secy, struct vsecy_rx_sc *sc, u8 an,
		    const u64 *pn, enum vsecy_pn_rule rule, const bool *active,
		    enum vsecy_field *bad, struct netlink_ext_ack *extack);
void vsecy_sa_del(struct vsecy_secy *secy, struct vsecy_rx_sc *sc, u8 an);
struct vsecy_sa *vsecy_sa_rtnl(struct vsecy_secy *secy,
			       struct vsecy_rx_sc *sc, u8 an);
void vsecy_sa_state(struct vsecy_sa *sa, u64 *pn, bool *active);
struct vsecy_sa *vsecy_sa_get(struct vsecy_sa __rcu **slot);
void vsecy_sa_put(struct vsecy_sa *sa);
void vsecy_sa_pn_exhausted(struct vsecy_secy *secy, struct vsecy_sa *sa);
void vsecy_secy_unlink_all(struct vsecy_secy *secy);

static inline u64 vsecy_secy_max_pn(const struct vsecy_secy *secy)
{
	return READ_ONCE(secy->xpn) ? U64_MAX : U32_MAX;
}

/* Under sa->lock. For XPN next_pn wraps to 0 after 2^64 - 1 was sent. */
static inline bool vsecy_sa_has_pn_left(const struct vsecy_secy *secy,
					const struct vsecy_sa *sa)
{
	return sa->next_pn && sa->next_pn <= vsecy_secy_max_pn(secy);
}

/* 802.1AE 8.2.1: the SCI as a number is its eight octets, big-endian. */
static inline u64 vsecy_make_sci(const u8 *addr, u16 port)
{
	return ((u64)get_unaligned_be32(addr) << 32 |
		(u64)get_unaligned_be16(addr + 4) << 16 | port);
}

#endif /* _VSECY_SECY_H */
