// SPDX-License-Identifier: GPL-2.0
/*
 * The MACsec-offload NIC: a vsecy device in offload mode is an Ethernet
 * device stacked on its lower device that tells the kernel it does MACsec
 * in hardware (NETIF_F_HW_MACSEC, struct macsec_ops) and does it in
 * vsecy's SecY engine, with real GCM-AES on the wire. The kernel's macsec
 * with "offload mac" on the NIC (ip link add link NIC ... type macsec ...
 * offload mac) configures one engine SecY per macsec device through its
 * ops; its frames reach the NIC with a METADATA_MACSEC dst naming
 * the SecY by its SCI, and received frames go back up with their RX SC's
 * dst, by which the macsec core finds the macsec device. The NIC's own
 * traffic is plaintext (the uncontrolled port; EAPOL runs on it), as is
 * that of software macsec devices stacked on it. This file is the NIC's
 * netdev and its rtnetlink side; offload_ops.c has the ops.
 *
 * Locking: the NIC's table of SecYs changes under RTNL (every op runs
 * under it) and is read under RCU by its ndo_start_xmit.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/dst_metadata.h>
#include <net/macsec.h>

#include "compat.h"
#include "datapath.h"
#include "device.h"
#include "offload.h"
#include "offload_nic.h"
#include "port.h"
#include "secy.h"

static void nic_xmit_lower(struct vsecy_dev *vs, struct sk_buff *skb,
			   unsigned int len)
{
	int ret;

	skb->dev = vs->lower;
	ret = dev_queue_xmit(skb);
	if (likely(ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN))
		dev_sw_netstats_tx_add(vs->dev, 1, len);
	else
		DEV_STATS_INC(vs->dev, tx_dropped);
}

/* Frames no offloaded SecY takes go up on the NIC as they are: a
 * software macsec on the NIC, or its own stack, takes them there.
 */
static rx_handler_result_t nic_unclaimed(struct vsecy_port *port,
					 struct sk_buff **pskb)
{
	struct vsecy_dev *vs = port->priv;
	struct sk_buff *skb = *pskb;

	skb->dev = vs->dev;
	skb->pkt_type = PACKET_HOST;
	eth_skb_pkt_type(skb, vs->dev);
	dev_sw_netstats_rx_add(vs->dev, skb->len + ETH_HLEN);
	return RX_HANDLER_ANOTHER;
}

static const struct vsecy_port_ops nic_port_ops = {
	.unclaimed	= nic_unclaimed,
};

/* The NIC's netdev. */

static int nic_open(struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	int ret = vsecy_device_open_lower(dev, true);

	if (!ret)
		netif_stacked_transfer_operstate(vs->lower, dev);
	return ret;
}

static int nic_stop(struct net_device *dev)
{
	vsecy_device_open_lower(dev, false);
	netif_carrier_off(dev);
	return 0;
}

/* A frame of an offloaded macsec device carries its SecY's SCI in a
 * METADATA_MACSEC dst: it is protected by that SecY (dropped if the SecY
 * is unknown or stopped). Any other frame, the NIC's own or a software
 * macsec's, goes out as it is.
 */
static netdev_tx_t nic_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	struct metadata_dst *md = skb_metadata_dst(skb);
	struct offsecy *o;

	if (!md || md->type != METADATA_MACSEC) {
		nic_xmit_lower(vs, skb, skb->len);
		return NETDEV_TX_OK;
	}
	rcu_read_lock();
	o = vsecy_nic_find_secy(vs->nic, vsecy_nic_sci(md->u.macsec_info.sci));
	skb_dst_drop(skb);
	if (!o || !READ_ONCE(o->secy->running)) {
		rcu_read_unlock();
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	vsecy_protect_xmit(o->secy, skb);
	rcu_read_unlock();
	return NETDEV_TX_OK;
}

static int nic_change_mtu(struct net_device *dev, int new_mtu)
{
	struct vsecy_dev *vs = netdev_priv(dev);

	if (new_mtu > (int)vs->lower->mtu)
		return -ERANGE;
	dev->mtu = new_mtu;
	return 0;
}

static const struct net_device_ops nic_netdev_ops = {
	.ndo_open		= nic_open,
	.ndo_stop		= nic_stop,
	.ndo_start_xmit		= nic_xmit,
	.ndo_change_rx_flags	= vsecy_device_change_rx_flags,
	.ndo_set_rx_mode	= vsecy_device_set_rx_mode,
	.ndo_set_mac_address	= vsecy_device_set_mac_address,
	.ndo_change_mtu		= nic_change_mtu,
	.ndo_get_iflink		= vsecy_device_get_iflink,
	.ndo_get_stats64	= dev_get_tstats64,
};

/* A NIC takes no SecY parameter, at creation or later. */
static int refuse_secy_attrs(struct nlattr **data,
			     struct netlink_ext_ack *extack)
{
	unsigned int i;

	for (i = 1; data && i <= VSECY_SECY_A_MAX; i++) {
		if (data[i] && i != VSECY_SECY_A_MODE) {
			NL_SET_ERR_MSG_ATTR(extack, data[i],
					    "a vsecy NIC has no SecY of its own: configure its macsec devices");
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/* Under RTNL, from vsecy_newlink(), before the device is registered. */
int vsecy_offload_newlink(struct vsecy_dev *vs, struct nlattr **data,
			  struct netlink_ext_ack *extack)
{
	struct net_device *dev = vs->dev;
	struct vsecy_nic *nic;
	int ret;

	ret = refuse_secy_attrs(data, extack);
	if (ret)
		return ret;
	if (!vsecy_have_macsec_md_dst()) {
		NL_SET_ERR_MSG(extack,
			       "this kernel's macsec cannot hand received frames to an offloading driver by their dst (rx_uses_md_dst)");
		return -EOPNOTSUPP;
	}
	nic = kzalloc(sizeof(*nic), GFP_KERNEL_ACCOUNT);
	if (!nic)
		return -ENOMEM;
	hash_init(nic->secys);
	nic->vs = vs;
	request_module("macsec");
	nic->pn_wrapped = symbol_get(macsec_pn_wrapped);
	if (!nic->pn_wrapped) {
		NL_SET_ERR_MSG(extack, "a vsecy NIC needs the kernel's macsec module");
		ret = -EOPNOTSUPP;
		goto err;
	}
	vs->port = vsecy_port_get(vs->lower, &nic_port_ops, vs, extack);
	if (IS_ERR(vs->port)) {
		ret = PTR_ERR(vs->port);
		vs->port = NULL;
		goto err_sym;
	}
	if (vs->port->users > 1) {
		NL_SET_ERR_MSG(extack, "the lower device has a vsecy NIC already");
		vsecy_port_put(vs->port);
		vs->port = NULL;
		ret = -EBUSY;
		goto err_sym;
	}
	vs->nic = nic;

	dev->netdev_ops = &nic_netdev_ops;
#if IS_ENABLED(CONFIG_MACSEC)
	dev->macsec_ops = &vsecy_nic_macsec_ops;
#endif
	/* In features only, so that nobody can turn it off under the macsec
	 * core (which would then call ops it no longer finds).
	 */
	dev->features |= NETIF_F_HW_MACSEC;
	/* The macsec core's frames carry their SecY in their dst. */
	netif_keep_dst(dev);
	/* Its unicast list (a macsec device adds its address on open) goes
	 * to the lower device (ndo_set_rx_mode): no promiscuity for it.
	 */
	dev->priv_flags |= IFF_UNICAST_FLT;
	return 0;

err_sym:
	symbol_put(macsec_pn_wrapped);
err:
	kfree(nic);
	return ret;
}

int vsecy_offload_changelink(struct vsecy_dev *vs, struct nlattr **data,
			     struct netlink_ext_ack *extack)
{
	return refuse_secy_attrs(data, extack);
}

/* Under RTNL: the NIC is going. The macsec devices on it go with it (the
 * macsec core deletes them on its unregistration); their SecYs go now,
 * and the core's ops find nothing afterwards.
 */
void vsecy_offload_dellink(struct vsecy_dev *vs)
{
	struct vsecy_nic *nic = vs->nic;
	struct hlist_node *tmp;
	struct offsecy *o;
	unsigned int bkt;

	if (!nic || !vs->port)
		return;
	hash_for_each_safe(nic->secys, bkt, tmp, o, hnode)
		vsecy_nic_del_secy(o);
	vsecy_port_put(vs->port);
	vs->port = NULL;
}

/* The NIC's destructor (or newlink's error path). */
void vsecy_offload_free(struct vsecy_dev *vs)
{
	if (!vs->nic)
		return;
	symbol_put(macsec_pn_wrapped);
	kfree(vs->nic);
	vs->nic = NULL;
}

size_t vsecy_offload_info_size(const struct vsecy_dev *vs)
{
	return nla_total_size(sizeof(u8)) +			/* MODE */
	       nla_total_size(0) +				/* OFFLOADED */
	       64 * (nla_total_size(0) +			/* a SecY */
		     nla_total_size_64bit(sizeof(u64)) +
		     2 * nla_total_size(sizeof(u32)));
}

int vsecy_offload_fill_info(struct sk_buff *skb, struct vsecy_dev *vs)
{
	struct nlattr *list, *nest;
	struct offsecy *o;
	unsigned int bkt, n = 0;

	if (nla_put_u8(skb, VSECY_SECY_A_MODE, VSECY_MODE_OFFLOAD))
		return -EMSGSIZE;
	list = nla_nest_start(skb, VSECY_SECY_A_OFFLOADED);
	if (!list)
		return -EMSGSIZE;
	hash_for_each(vs->nic->secys, bkt, o, hnode) {
		/* As many as vsecy_offload_info_size() made room for. */
		if (n++ == 64)
			break;
		nest = nla_nest_start(skb, VSECY_OFFLOAD_A_SECY);
		if (!nest ||
		    nla_put_u64_64bit(skb, VSECY_OFFLOAD_A_SCI, o->sci,
				      VSECY_OFFLOAD_A_PAD) ||
		    nla_put_u32(skb, VSECY_OFFLOAD_A_IFINDEX,
				o->core->netdev->ifindex) ||
		    nla_put_u32(skb, VSECY_OFFLOAD_A_RXSCS, o->secy->n_rx_scs))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	nla_nest_end(skb, list);
	return 0;
}

/* The lower device's events, for the NIC on it. */
int vsecy_offload_lower_event(struct vsecy_port *port, unsigned long event)
{
	struct vsecy_dev *vs = port->priv;

	switch (event) {
	case NETDEV_UNREGISTER:
		vsecy_device_kill(vs->dev);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		netif_stacked_transfer_operstate(vs->lower, vs->dev);
		break;
	case NETDEV_CHANGEMTU:
		if (vs->dev->mtu > vs->lower->mtu)
			dev_set_mtu(vs->dev, vs->lower->mtu);
		break;
	}
	return NOTIFY_DONE;
}
