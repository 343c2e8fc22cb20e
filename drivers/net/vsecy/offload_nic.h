/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the MACsec-offload NIC's two halves share: offload.c, the NIC's
 * netdev and its rtnetlink side, and offload_ops.c, the struct
 * macsec_ops by which the kernel's macsec configures one engine SecY per
 * offloaded macsec device.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_OFFLOAD_NIC_H
#define _VSECY_OFFLOAD_NIC_H

#include <linux/hashtable.h>
#include <linux/rtnetlink.h>
#include <net/macsec.h>

#include "secy.h"

struct vsecy_dev;

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

static inline u64 vsecy_nic_sci(sci_t sci)
{
	return be64_to_cpu((__force __be64)sci);
}

/* Under RCU or RTNL. */
static inline struct offsecy *
vsecy_nic_find_secy(struct vsecy_nic *nic, u64 sci)
{
	struct offsecy *o;

	hash_for_each_possible_rcu(nic->secys, o, hnode, sci,
				   lockdep_rtnl_is_held())
		if (o->sci == sci)
			return o;
	return NULL;
}

void vsecy_nic_del_secy(struct offsecy *o);

extern const struct macsec_ops vsecy_nic_macsec_ops;

#endif /* _VSECY_OFFLOAD_NIC_H */
