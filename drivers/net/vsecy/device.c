// SPDX-License-Identifier: GPL-2.0
/*
 * The vsecy netdev: link ops, netdev ops and the tie to the lower device.
 *
 * A vsecy device is the controlled port of a SecY (IEEE 802.1AE-2018 clause
 * 10); the Ethernet device it is stacked on stays the uncontrolled port, so
 * frames the SecY does not claim (EAPOL-MKA among them) still reach the
 * lower device's own stack.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "rx.h"
#include "secy.h"
#include "tx.h"

static struct rtnl_link_ops vsecy_link_ops;

/* SecYs on one lower device: each frame received there is looked at by
 * every one of them (frames without SecTAG, unknown SCIs). Writable, as
 * max_rx_scs.
 */
static unsigned int max_secys = 64;
module_param(max_secys, uint, 0644);
MODULE_PARM_DESC(max_secys, "most vsecy devices on one lower device (default 64)");

static bool vsecy_is_vsecy(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &vsecy_link_ops;
}

bool vsecy_device_is_vsecy(const struct net_device *dev)
{
	return vsecy_is_vsecy(dev);
}

/* Called under rcu_read_lock() by __netif_receive_skb_core(). */
static rx_handler_result_t vsecy_handle_frame(struct sk_buff **pskb)
{
	struct vsecy_port *port = rcu_dereference((*pskb)->dev->rx_handler_data);

	return vsecy_rx_handle_frame(port, pskb);
}

/* The carrier of the controlled port: the lower device's, and only while
 * the SecY is operational (secy.c: vsecy_secy_operational()). Dormant and
 * testing states are copied as netif_stacked_transfer_operstate() does.
 */
void vsecy_device_update_carrier(struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	struct net_device *lower = vs->lower;

	if (dev->reg_state != NETREG_REGISTERED)
		return;
	if (lower->operstate == IF_OPER_DORMANT)
		netif_dormant_on(dev);
	else
		netif_dormant_off(dev);
	if (netif_testing(lower))
		netif_testing_on(dev);
	else
		netif_testing_off(dev);
	if (netif_carrier_ok(lower) && READ_ONCE(vs->secy.operational))
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
}

static bool vsecy_is_port(const struct net_device *lower)
{
	return rcu_access_pointer(lower->rx_handler) == vsecy_handle_frame;
}

static struct vsecy_port *vsecy_port_get_rtnl(const struct net_device *lower)
{
	return rtnl_dereference(lower->rx_handler_data);
}

/* Find or create the port of @lower. Called under RTNL. */
static struct vsecy_port *vsecy_port_get(struct net_device *lower,
					 struct netlink_ext_ack *extack)
{
	struct vsecy_port *port;
	int ret;

	ASSERT_RTNL();

	if (vsecy_is_port(lower))
		return vsecy_port_get_rtnl(lower);

	port = kzalloc(sizeof(*port), GFP_KERNEL_ACCOUNT);
	if (!port)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&port->secys);
	hash_init(port->rx_scs);
	port->lower = lower;

	ret = netdev_rx_handler_register(lower, vsecy_handle_frame, port);
	if (ret < 0) {
		kfree(port);
		NL_SET_ERR_MSG(extack,
			       "lower device already has a receive handler (bridge, bond, macvlan or macsec port?)");
		return ERR_PTR(ret);
	}
	return port;
}

/* Drop the port once its last SecY is gone. The receive path may still be
 * looking at it under RCU, hence kfree_rcu(); netdev_rx_handler_unregister()
 * already waited for readers of lower->rx_handler itself.
 */
static void vsecy_port_put(struct vsecy_port *port)
{
	ASSERT_RTNL();

	if (!list_empty(&port->secys))
		return;
	netdev_rx_handler_unregister(port->lower);
	kfree_rcu(port, rcu);
}

/* Everything a vsecy device holds, the reference on the lower device
 * among it, goes once the device's own refcount is zero: a crypto
 * completion holds the device (dev_hold) and still counts into its
 * counters and sends on the lower device after ndo_uninit. (The kernel's
 * macsec learnt this the hard way, CVE-2022-49390.) Set as the
 * priv_destructor only once register_netdevice() succeeded: before, the
 * error path of vsecy_newlink() frees the same things.
 */
static void vsecy_dev_free(struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);

	vsecy_secy_free(&vs->secy);
	vs->secy.stats = NULL;
	vs->secy.tx_sc.stats = NULL;
	free_percpu(dev->tstats);
	dev->tstats = NULL;
	netdev_put(vs->lower, &vs->lower_tracker);
}

static int vsecy_dev_open(struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	struct net_device *lower = vs->lower;
	int ret;

	if (!(lower->flags & IFF_UP))
		return -ENETDOWN;

	if (!ether_addr_equal(dev->dev_addr, lower->dev_addr)) {
		ret = dev_uc_add(lower, dev->dev_addr);
		if (ret < 0)
			return ret;
	}

	if (dev->flags & IFF_ALLMULTI) {
		ret = dev_set_allmulti(lower, 1);
		if (ret < 0)
			goto err_uc;
	}
	if (dev->flags & IFF_PROMISC) {
		ret = dev_set_promiscuity(lower, 1);
		if (ret < 0)
			goto err_allmulti;
	}

	vsecy_device_update_carrier(dev);
	return 0;

err_allmulti:
	if (dev->flags & IFF_ALLMULTI)
		dev_set_allmulti(lower, -1);
err_uc:
	if (!ether_addr_equal(dev->dev_addr, lower->dev_addr))
		dev_uc_del(lower, dev->dev_addr);
	return ret;
}

static int vsecy_dev_stop(struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	struct net_device *lower = vs->lower;

	dev_mc_unsync(lower, dev);
	dev_uc_unsync(lower, dev);

	if (dev->flags & IFF_ALLMULTI)
		dev_set_allmulti(lower, -1);
	if (dev->flags & IFF_PROMISC)
		dev_set_promiscuity(lower, -1);
	if (!ether_addr_equal(dev->dev_addr, lower->dev_addr))
		dev_uc_del(lower, dev->dev_addr);

	netif_carrier_off(dev);
	return 0;
}

static void vsecy_dev_change_rx_flags(struct net_device *dev, int change)
{
	struct net_device *lower = ((struct vsecy_dev *)netdev_priv(dev))->lower;

	if (!(dev->flags & IFF_UP))
		return;
	if (change & IFF_ALLMULTI)
		dev_set_allmulti(lower, dev->flags & IFF_ALLMULTI ? 1 : -1);
	if (change & IFF_PROMISC)
		dev_set_promiscuity(lower, dev->flags & IFF_PROMISC ? 1 : -1);
}

static void vsecy_dev_set_rx_mode(struct net_device *dev)
{
	struct net_device *lower = ((struct vsecy_dev *)netdev_priv(dev))->lower;

	dev_mc_sync(lower, dev);
	dev_uc_sync(lower, dev);
}

static int vsecy_dev_set_mac_address(struct net_device *dev, void *p)
{
	struct net_device *lower = ((struct vsecy_dev *)netdev_priv(dev))->lower;
	struct sockaddr *addr = p;
	int ret;

	if (!is_valid_ether_addr(addr->sa_data))
		return -EADDRNOTAVAIL;

	if (dev->flags & IFF_UP) {
		if (!ether_addr_equal(addr->sa_data, lower->dev_addr)) {
			ret = dev_uc_add(lower, addr->sa_data);
			if (ret < 0)
				return ret;
		}
		if (!ether_addr_equal(dev->dev_addr, lower->dev_addr))
			dev_uc_del(lower, dev->dev_addr);
	}

	eth_hw_addr_set(dev, addr->sa_data);
	return 0;
}

static int vsecy_dev_change_mtu(struct net_device *dev, int new_mtu)
{
	struct net_device *lower = ((struct vsecy_dev *)netdev_priv(dev))->lower;

	if (new_mtu > (int)lower->mtu - VSECY_OVERHEAD)
		return -ERANGE;
	dev->mtu = new_mtu;
	return 0;
}

static int vsecy_dev_get_iflink(const struct net_device *dev)
{
	return ((struct vsecy_dev *)netdev_priv(dev))->lower->ifindex;
}

static const struct net_device_ops vsecy_netdev_ops = {
	.ndo_open		= vsecy_dev_open,
	.ndo_stop		= vsecy_dev_stop,
	.ndo_start_xmit		= vsecy_tx_xmit,
	.ndo_change_rx_flags	= vsecy_dev_change_rx_flags,
	.ndo_set_rx_mode	= vsecy_dev_set_rx_mode,
	.ndo_set_mac_address	= vsecy_dev_set_mac_address,
	.ndo_change_mtu		= vsecy_dev_change_mtu,
	.ndo_get_iflink		= vsecy_dev_get_iflink,
	.ndo_get_stats64	= dev_get_tstats64,
};

static void vsecy_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->min_mtu = 0;
	dev->max_mtu = ETH_MAX_MTU;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->netdev_ops = &vsecy_netdev_ops;
	dev->needs_free_netdev = true;
	vsecy_netdev_set_lltx(dev);
}

static int vsecy_validate(struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	if (!tb[IFLA_LINK]) {
		NL_SET_ERR_MSG(extack,
			       "a vsecy device needs a lower Ethernet device (link DEV)");
		return -EINVAL;
	}
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN ||
		    !is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "invalid Ethernet address");
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}

static int vsecy_lower_is_vsecy(struct net_device *dev,
				struct netdev_nested_priv *priv)
{
	return vsecy_is_vsecy(dev);
}

/* A SecY sits directly or indirectly (through a VLAN, say) on Ethernet but
 * never on another vsecy: MACsec in MACsec is not something 802.1AE
 * describes, and refusing it also keeps loops out.
 */
static int vsecy_check_lower(struct net_device *lower, struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	if (vsecy_is_vsecy(lower) ||
	    netdev_walk_all_lower_dev(lower, vsecy_lower_is_vsecy, NULL)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "cannot stack a vsecy device on another vsecy device");
		return -EINVAL;
	}
	if (lower->type != ARPHRD_ETHER || lower->addr_len != ETH_ALEN) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "lower device is not an Ethernet device");
		return -EINVAL;
	}
	if (lower->mtu < VSECY_OVERHEAD + ETH_MIN_MTU) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "lower device MTU too small for the SecTAG and ICV");
		return -EINVAL;
	}
	return 0;
}

/* IFLA_INFO_DATA goes through the same operation set as generic netlink. */
static int vsecy_link_secy_op(struct net_device *dev, struct nlattr *data[],
			      int (*op)(struct vsecy_ctx *ctx),
			      struct netlink_ext_ack *extack)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	struct vsecy_secy_cfg cfg = {};
	struct vsecy_ctx ctx = {
		.secy = &vs->secy,
		.extack = extack,
		.secy_cfg = &cfg,
	};

	if (data)
		vsecy_netlink_parse_secy(data, &cfg);
	return op(&ctx);
}

static int vsecy_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	struct net_device *lower;
	struct vsecy_port *port;
	int ret;

	lower = __dev_get_by_index(src_net, nla_get_u32(tb[IFLA_LINK]));
	if (!lower) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
				    "lower device not found");
		return -ENODEV;
	}
	ret = vsecy_check_lower(lower, tb[IFLA_LINK], extack);
	if (ret < 0)
		return ret;

	if (tb[IFLA_MTU]) {
		if (nla_get_u32(tb[IFLA_MTU]) > lower->mtu - VSECY_OVERHEAD) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU],
					    "MTU larger than the lower device's minus the MACsec overhead");
			return -EINVAL;
		}
	} else {
		dev->mtu = lower->mtu - VSECY_OVERHEAD;
	}
	if (!tb[IFLA_ADDRESS])
		eth_hw_addr_inherit(dev, lower);

	vs->dev = dev;
	vs->lower = lower;
	dev->gso_max_size = lower->gso_max_size;
	dev->gso_max_segs = lower->gso_max_segs;
	/* Room for the SecTAG and ICV, and for what the lower device puts
	 * around a frame itself (a vxlan lower: its headers), so that a
	 * frame built for vsecy needs no reallocation on its way out.
	 */
	dev->needed_headroom = lower->needed_headroom + VSECY_SECTAG_MAX_LEN;
	dev->needed_tailroom = lower->needed_tailroom + VSECY_ICV_MAX_LEN;

	port = vsecy_port_get(lower, extack);
	if (IS_ERR(port))
		return PTR_ERR(port);
	if (port->n_secys >= READ_ONCE(max_secys)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
				    "too many vsecy devices on this lower device (module parameter max_secys)");
		ret = -ENOSPC;
		goto err_port;
	}
	vs->port = port;

	dev->tstats = __netdev_alloc_pcpu_stats(struct pcpu_sw_netstats,
						GFP_KERNEL_ACCOUNT);
	if (!dev->tstats) {
		ret = -ENOMEM;
		goto err_port;
	}
	vs->secy.dev = dev;
	vs->secy.port = port;
	ret = vsecy_link_secy_op(dev, data, vsecy_secy_ops.add_secy, extack);
	if (ret < 0)
		goto err_tstats;

	/* register_netdevice() calls no destructor on some of its failures
	 * (an invalid name template, before ndo_init), so this function
	 * frees what it allocated until it succeeds, and the device frees
	 * it from then on (vsecy_dev_free()).
	 */
	netdev_hold(lower, &vs->lower_tracker, GFP_KERNEL);
	ret = register_netdevice(dev);
	if (ret < 0)
		goto err_lower;
	dev->priv_destructor = vsecy_dev_free;

	ret = netdev_upper_dev_link(lower, dev, extack);
	if (ret < 0)
		goto err_unregister;

	list_add_tail_rcu(&vs->port_node, &port->secys);
	port->n_secys++;
	vsecy_device_update_carrier(dev);
	linkwatch_fire_event(dev);
	vsecy_netlink_changed();
	return 0;

err_unregister:
	unregister_netdevice(dev);
	vsecy_port_put(port);
	return ret;
err_lower:
	netdev_put(lower, &vs->lower_tracker);
	vsecy_secy_free(&vs->secy);
err_tstats:
	free_percpu(dev->tstats);
	dev->tstats = NULL;
err_port:
	vsecy_port_put(port);
	return ret;
}

static void vsecy_dellink(struct net_device *dev, struct list_head *head)
{
	struct vsecy_dev *vs = netdev_priv(dev);

	struct vsecy_ctx ctx = { .secy = &vs->secy };

	ASSERT_RTNL();

	vsecy_secy_ops.del_secy(&ctx);
	vsecy_netlink_changed();
	list_del_rcu(&vs->port_node);
	vs->port->n_secys--;
	netdev_upper_dev_unlink(vs->lower, dev);
	unregister_netdevice_queue(dev, head);
	vsecy_port_put(vs->port);
}

static int vsecy_changelink(struct net_device *dev, struct nlattr *tb[],
			    struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	int ret;

	if (!data)
		return 0;
	ret = vsecy_link_secy_op(dev, data, vsecy_secy_ops.upd_secy, extack);
	if (!ret)
		vsecy_netlink_changed();
	return ret;
}

static size_t vsecy_get_size(const struct net_device *dev)
{
	return vsecy_netlink_secy_size();
}

static int vsecy_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);

	return vsecy_netlink_put_secy(skb, &vs->secy);
}

static struct net *vsecy_get_link_net(const struct net_device *dev)
{
	return dev_net(((struct vsecy_dev *)netdev_priv(dev))->lower);
}

static struct rtnl_link_ops vsecy_link_ops __read_mostly = {
	.kind		= KBUILD_MODNAME,
	.priv_size	= sizeof(struct vsecy_dev),
	.setup		= vsecy_setup,
	.maxtype	= VSECY_SECY_A_MAX,
	.policy		= vsecy_netlink_secy_policy,
	.validate	= vsecy_validate,
	.newlink	= vsecy_newlink,
	.changelink	= vsecy_changelink,
	.dellink	= vsecy_dellink,
	.get_size	= vsecy_get_size,
	.fill_info	= vsecy_fill_info,
	.get_link_net	= vsecy_get_link_net,
};

/* The lower device's events. When it goes away every SecY on it goes with
 * it, in one batch; its state and MTU are mirrored on the SecYs above it.
 */
static int vsecy_notify(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *lower = netdev_notifier_info_to_dev(ptr);
	struct vsecy_dev *vs, *tmp;
	struct vsecy_port *port;
	LIST_HEAD(kill);

	if (!vsecy_is_port(lower))
		return NOTIFY_DONE;
	port = vsecy_port_get_rtnl(lower);

	switch (event) {
	case NETDEV_UNREGISTER:
		/* vsecy_dellink() frees the port with the last SecY. */
		list_for_each_entry_safe(vs, tmp, &port->secys, port_node)
			vsecy_dellink(vs->dev, &kill);
		unregister_netdevice_many(&kill);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		list_for_each_entry(vs, &port->secys, port_node)
			vsecy_device_update_carrier(vs->dev);
		break;
	case NETDEV_CHANGEMTU:
		list_for_each_entry(vs, &port->secys, port_node) {
			int mtu = lower->mtu - VSECY_OVERHEAD;

			if (vs->dev->mtu > mtu)
				dev_set_mtu(vs->dev, mtu);
		}
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vsecy_notifier = {
	.notifier_call = vsecy_notify,
};

int __init vsecy_device_init(void)
{
	int ret;

	ret = register_netdevice_notifier(&vsecy_notifier);
	if (ret < 0)
		return ret;

	ret = rtnl_link_register(&vsecy_link_ops);
	if (ret < 0)
		goto err_notifier;
	return 0;

err_notifier:
	unregister_netdevice_notifier(&vsecy_notifier);
	return ret;
}

void vsecy_device_uninit(void)
{
	/* Deletes every vsecy device in every namespace. */
	rtnl_link_unregister(&vsecy_link_ops);
	unregister_netdevice_notifier(&vsecy_notifier);
	/* The SAs' and SCs' RCU callbacks are the module's code: wait for
	 * them (none queues another, see secy.h) before it goes.
	 */
	rcu_barrier();
}
