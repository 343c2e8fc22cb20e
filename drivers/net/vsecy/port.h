/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lower device that carries SecYs: its rx_handler, its SecYs and their
 * RX SCs by SCI.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_PORT_H
#define _VSECY_PORT_H

#include <linux/rhashtable-types.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>

struct vsecy_port;

/* What the front end that owns a port does with frames no SecY takes. */
struct vsecy_port_ops {
	/* Under RCU, from the rx_handler: a frame without SecTAG, with an
	 * SCI no SecY has, or for the KaY (E without C). Returns what the
	 * rx_handler returns.
	 */
	rx_handler_result_t (*unclaimed)(struct vsecy_port *port,
					 struct sk_buff **pskb);
};

/* One per lower device that carries SecYs, hung off its rx_handler_data.
 * Every field is written under RTNL; the receive path reads the lists
 * under RCU.
 */
struct vsecy_port {
	struct net_device *lower;
	const struct vsecy_port_ops *ops;
	void *priv;			/* the owning front end's */
	struct list_head secys;
	unsigned int n_secys;
	unsigned int users;
	/* Every RX SC of every SecY on this lower device, by SCI: the
	 * receive path finds SC and SecY in one lookup, whose cost does not
	 * grow with the number of SCs (the table grows with them).
	 */
	struct rhashtable rx_scs;
	struct rcu_head rcu;
};

struct vsecy_port *vsecy_port_get(struct net_device *lower,
				  const struct vsecy_port_ops *ops,
				  void *priv,
				  struct netlink_ext_ack *extack);
void vsecy_port_put(struct vsecy_port *port);
struct vsecy_port *vsecy_port_of(const struct net_device *lower);

#endif /* _VSECY_PORT_H */
