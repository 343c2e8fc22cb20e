/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_DEVICE_H
#define _VSECY_DEVICE_H

#include <linux/netdevice.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/hashtable.h>

#include "secy.h"

/* SecTAG with an explicit SCI (802.1AE 9.3) plus the ICV (9.10): the most a
 * SecY adds to a frame. The MTU of the controlled port is the lower
 * device's minus this.
 */
#define VSECY_SECTAG_MAX_LEN	16
#define VSECY_ICV_MAX_LEN	16
#define VSECY_OVERHEAD		(VSECY_SECTAG_MAX_LEN + VSECY_ICV_MAX_LEN)

/* One per lower device that carries at least one vsecy, hung off the lower
 * device's rx_handler_data. The list of SecYs is written under RTNL and read
 * under RCU from the receive path.
 */
struct vsecy_port {
	struct list_head secys;
	unsigned int n_secys;		/* RTNL */
	/* Every RX SC of every SecY on this lower device, by SCI: the
	 * receive path finds SC and SecY in one lookup. RTNL writes, RCU
	 * reads.
	 */
	DECLARE_HASHTABLE(rx_scs, 8);
	struct net_device *lower;
	struct rcu_head rcu;
};

/* netdev_priv() of a vsecy device: the controlled port of one SecY. */
struct vsecy_dev {
	struct net_device *dev;
	struct net_device *lower;
	netdevice_tracker lower_tracker;
	struct vsecy_port *port;
	struct list_head port_node;	/* in port->secys, RCU */
	struct vsecy_secy secy;
};

int vsecy_device_init(void);
void vsecy_device_uninit(void);
void vsecy_device_update_carrier(struct net_device *dev);
bool vsecy_device_is_vsecy(const struct net_device *dev);

#endif /* _VSECY_DEVICE_H */
