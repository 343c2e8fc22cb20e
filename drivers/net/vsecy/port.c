// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: the lower devices that carry SecYs. A port takes the lower
 * device's rx_handler for the SecYs on it and for the front end that made
 * it: vsecy links (any number on one lower device, device.c) or one NIC
 * in offload mode (offload.c), never both.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "datapath.h"
#include "port.h"
#include "secy.h"

/* Called under rcu_read_lock() by __netif_receive_skb_core(). */
static rx_handler_result_t port_handle_frame(struct sk_buff **pskb)
{
	struct vsecy_port *port = rcu_dereference((*pskb)->dev->rx_handler_data);

	return vsecy_validate_frame(port, pskb);
}

/* Under RTNL: the port of @lower, or NULL when it is none of ours. */
struct vsecy_port *vsecy_port_of(const struct net_device *lower)
{
	if (rcu_access_pointer(lower->rx_handler) != port_handle_frame)
		return NULL;
	return rtnl_dereference(lower->rx_handler_data);
}

/* Under RTNL: the port of @lower for a front end with @ops, made if need
 * be; each call takes a use of it, vsecy_port_put() gives it back.
 */
struct vsecy_port *vsecy_port_get(struct net_device *lower,
				  const struct vsecy_port_ops *ops,
				  void *priv,
				  struct netlink_ext_ack *extack)
{
	struct vsecy_port *port;
	int ret;

	ASSERT_RTNL();

	port = vsecy_port_of(lower);
	if (port) {
		if (port->ops != ops) {
			NL_SET_ERR_MSG(extack,
				       "the lower device carries vsecy devices of another mode");
			return ERR_PTR(-EBUSY);
		}
		port->users++;
		return port;
	}

	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	if (!port)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&port->secys);
	ret = rhashtable_init(&port->rx_scs, &vsecy_rx_sc_params);
	if (ret) {
		kfree(port);
		return ERR_PTR(ret);
	}
	port->lower = lower;
	port->ops = ops;
	port->priv = priv;
	port->users = 1;

	ret = netdev_rx_handler_register(lower, port_handle_frame, port);
	if (ret < 0) {
		rhashtable_destroy(&port->rx_scs);
		kfree(port);
		NL_SET_ERR_MSG(extack,
			       "lower device already has a receive handler (bridge, bond, macvlan or macsec port?)");
		return ERR_PTR(ret);
	}
	return port;
}

/* Drops a use; the last one frees the port. The receive path may still
 * be looking at it under RCU, hence kfree_rcu();
 * netdev_rx_handler_unregister() already waited for readers of
 * lower->rx_handler itself.
 */
void vsecy_port_put(struct vsecy_port *port)
{
	ASSERT_RTNL();

	if (--port->users)
		return;
	WARN_ON(!list_empty(&port->secys));
	netdev_rx_handler_unregister(port->lower);
	/* Empty: its SecYs took their SCs out. */
	rhashtable_destroy(&port->rx_scs);
	kfree_rcu(port, rcu);
}
