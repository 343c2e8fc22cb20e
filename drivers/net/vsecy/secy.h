/* SPDX-License-Identifier: GPL-2.0 */
/*
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
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/vsecy.h>

#include "compat.h"

struct crypto_aead;
struct vsecy_port;

/* Locking and lifetime (the rules every file of the module follows):
 *
 * - Every writer (generic netlink, rtnl link ops, the lower device's
 *   notifier) runs under RTNL, through vsecy_secy_ops. RTNL alone orders
 *   configuration changes; there is no other configuration lock.
 * - The datapath (ndo_start_xmit, the lower device's rx_handler and the
 *   crypto completions) reads under RCU and never takes RTNL.
 * - SecY parameters are plain fields written with WRITE_ONCE() under RTNL
 *   and read once per frame with READ_ONCE(): a frame sees either the old
 *   or the new value of each, as with the kernel's macsec. The SCI and the
 *   cipher suite only change while no SA exists, so no frame can pair an
 *   SA with the wrong IV layout.
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
 *   SA puts happen in completions, which hold their device).
 * - A vsecy device holds its lower device until its destructor, not
 *   ndo_uninit: a completion that holds the vsecy device still sends on
 *   the lower one.
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

/* One set of per-CPU counters, indexed by the uAPI stats enums (all of
 * which are shorter than VSECY_NR_COUNTERS), so a single pair of helpers
 * serves the SecY, the SCs and the SAs.
 */
#define VSECY_NR_COUNTERS	(VSECY_RXSC_STATS_A_MAX + 1)

struct vsecy_counters {
	u64_stats_t c[VSECY_NR_COUNTERS];
	struct u64_stats_sync syncp;
};

void vsecy_count(struct vsecy_counters __percpu *stats, unsigned int idx,
		 u64 n);
void vsecy_counters_sum(struct vsecy_counters __percpu *stats,
			u64 sum[VSECY_NR_COUNTERS]);

/* The PNs an RX SA remembers having accepted below its next_pn, for
 * replay protection finer than 802.1AE's lowest acceptable PN (10.6.2):
 * a frame within the replay window is accepted once, as with IPsec's and
 * WireGuard's anti-replay windows. A power of two, so that a PN's bit is
 * its low bits. PNs further back than this are judged by the lowest-PN
 * rule only (Documentation/counters.md, "Replay notes").
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

/* A secure association, transmit or receive (802.1AE 7.1.3). */
struct vsecy_sa {
	struct crypto_aead *tfm;
	struct vsecy_counters __percpu *stats;
	struct vsecy_rx_sc *sc;		/* RX SAs: the SC, referenced */
	spinlock_t lock;
	/* TX: the next PN to send; RX: the next PN expected (one more than
	 * the highest PN accepted), the lowest acceptable PN being this
	 * minus the replay window. Under lock.
	 */
	u64 next_pn;
	bool active;			/* under lock */
	struct vsecy_replay replay;	/* RX SAs, under lock */
	unsigned long events;		/* events.c: VSECY_EV_* bits sent */
	u32 ssci;
	u8 salt[VSECY_SALT_LEN];
	u8 keyid[VSECY_KEYID_LEN];
	refcount_t refcnt;
	struct rcu_head rcu;
};

struct vsecy_rx_sc {
	struct hlist_node hnode;	/* in port->rx_scs, RCU */
	struct list_head node;		/* in secy->rx_scs, RTNL; RCU */
	struct vsecy_secy *secy;
	u64 sci;
	bool active;
	struct vsecy_sa __rcu *sa[VSECY_NUM_AN];
	struct vsecy_counters __percpu *stats;
	refcount_t refcnt;
	struct rcu_head rcu;
};

struct vsecy_tx_sc {
	struct vsecy_sa __rcu *sa[VSECY_NUM_AN];
	struct vsecy_counters __percpu *stats;
};

/* The SecY (802.1AE 10.7). Embedded in struct vsecy_dev. */
struct vsecy_secy {
	struct net_device *dev;
	struct vsecy_port *port;
	u64 sci;
	u64 cipher_suite;
	bool xpn;
	u8 key_len;
	u8 icv_len;
	u8 encoding_sa;
	u8 validate;
	u8 conf_offset;
	bool encrypt;
	bool protect;
	bool send_sci;
	bool end_station;
	bool scb;
	bool replay;
	u32 window;
	u64 pn_threshold;		/* 0: the default (uAPI) */
	bool operational;
	u8 ev_oper;			/* events.c: last announced, RTNL */
	struct vsecy_tx_sc tx_sc;
	struct list_head rx_scs;	/* RTNL writes, RCU reads */
	unsigned int n_rx_scs;
	struct vsecy_counters __percpu *stats;
};

/* The parameters a request carries. @set has BIT(VSECY_SECY_A_*) for each
 * one present; @tb (may be NULL) holds the attributes for extack.
 */
struct vsecy_secy_cfg {
	u32 set;
	struct nlattr **tb;
	u64 sci;
	u16 port;
	u64 cipher_suite;
	u8 icv_len;
	u8 encoding_sa;
	u8 validate;
	u8 conf_offset;
	bool encrypt;
	bool protect;
	bool send_sci;
	bool end_station;
	bool scb;
	bool replay;
	u32 window;
	u64 pn_threshold;
};

/* An SA request; @set has BIT(VSECY_SA_A_*). The key is wiped by the front
 * end on every exit path.
 */
struct vsecy_sa_cfg {
	u32 set;
	struct nlattr **tb;
	u8 an;
	bool active;
	u64 pn;
	u8 key[VSECY_MAX_KEY_LEN];
	unsigned int key_len;
	u8 keyid[VSECY_KEYID_LEN];
	u32 ssci;
	u8 salt[VSECY_SALT_LEN];
};

/* The argument of every operation, in the spirit of the kernel's struct
 * macsec_context.
 */
struct vsecy_ctx {
	struct vsecy_secy *secy;
	struct netlink_ext_ack *extack;
	/* RX SC operations and RX SA operations: the SC by SCI. */
	u64 sci;
	struct nlattr *sci_attr;
	/* RX SC add/upd: the active flag when @has_active. */
	bool has_active;
	bool active;
	union {
		struct vsecy_secy_cfg *secy_cfg;
		struct vsecy_sa_cfg *sa_cfg;
	};
	/* get_*_stats: the SA's AN, and where the sums go. */
	u8 an;
	u64 *stats;
};

/* The one internal operation set. Every call is made under RTNL. */
struct vsecy_secy_ops {
	int (*add_secy)(struct vsecy_ctx *ctx);
	int (*upd_secy)(struct vsecy_ctx *ctx);
	int (*del_secy)(struct vsecy_ctx *ctx);
	int (*add_rxsc)(struct vsecy_ctx *ctx);
	int (*upd_rxsc)(struct vsecy_ctx *ctx);
	int (*del_rxsc)(struct vsecy_ctx *ctx);
	int (*add_rxsa)(struct vsecy_ctx *ctx);
	int (*upd_rxsa)(struct vsecy_ctx *ctx);
	int (*del_rxsa)(struct vsecy_ctx *ctx);
	int (*add_txsa)(struct vsecy_ctx *ctx);
	int (*upd_txsa)(struct vsecy_ctx *ctx);
	int (*del_txsa)(struct vsecy_ctx *ctx);
	int (*get_secy_stats)(struct vsecy_ctx *ctx);
	int (*get_tx_sc_stats)(struct vsecy_ctx *ctx);
	int (*get_rx_sc_stats)(struct vsecy_ctx *ctx);
	int (*get_tx_sa_stats)(struct vsecy_ctx *ctx);
	int (*get_rx_sa_stats)(struct vsecy_ctx *ctx);
};

extern const struct vsecy_secy_ops vsecy_secy_ops;

struct vsecy_secy *vsecy_secy_from_dev(struct net_device *dev);
struct vsecy_rx_sc *vsecy_secy_find_rx_sc(struct vsecy_port *port, u64 sci);
struct vsecy_rx_sc *vsecy_secy_rx_sc_rtnl(struct vsecy_secy *secy, u64 sci);
struct vsecy_sa *vsecy_secy_sa_get(struct vsecy_sa __rcu **slot);
void vsecy_secy_sa_put(struct vsecy_sa *sa);
void vsecy_secy_rx_sa_set_pn(struct vsecy_sa *sa, u64 pn);
bool vsecy_secy_replay_seen(const struct vsecy_sa *sa, u64 pn);
void vsecy_secy_replay_accept(struct vsecy_sa *sa, u64 pn);
void vsecy_secy_pn_exhausted(struct vsecy_secy *secy, struct vsecy_sa *sa);
bool vsecy_secy_operational(struct vsecy_secy *secy);
u64 vsecy_secy_max_pn(const struct vsecy_secy *secy);
void vsecy_secy_free(struct vsecy_secy *secy);

/* 802.1AE 8.2.1: the SCI as a number is its eight octets, big-endian. */
static inline u64 vsecy_make_sci(const u8 *addr, u16 port)
{
	return ((u64)get_unaligned_be32(addr) << 32 |
		(u64)get_unaligned_be16(addr + 4) << 16 | port);
}

#endif /* _VSECY_SECY_H */
