// SPDX-License-Identifier: GPL-2.0
/*
 * The vsecy link: rtnl link ops, and the netdev of a vsecy device in its
 * default mode, the controlled port of a SecY of its own (IEEE 802.1AE-2018
 * clause 10). The Ethernet device it is stacked on stays the uncontrolled
 * port, so frames the SecY does not claim (EAPOL-MKA among them) still
 * reach the lower device's own stack. A vsecy device in offload mode is a
 * NIC instead (offload.c); the mode is fixed at creation.
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

#include "datapath.h"
#include "device.h"
#include "events.h"
#include "netlink.h"
#include "offload.h"
#include "port.h"
#include "secy.h"

static struct rtnl_link_ops vsecy_link_ops;

#define VSECY_FEATURES	(NETIF_F_SG | NETIF_F_HIGHDMA | NETIF_F_HW_CSUM | \
			 NETIF_F_GSO_SOFTWARE)

/* SecYs on one lower device: each frame received there is looked at by
 * every one of them (frames without SecTAG, unknown SCIs). Writable, as
 * max_rx_scs.
 */
static unsigned int max_secys = 64;
module_param(max_secys, uint, 0644);
MODULE_PARM_DESC(max_secys, "most vsecy devices on one lower device (default 64)");

bool vsecy_device_is_vsecy(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &vsecy_link_ops;
}

/* The SecY of a vsecy device in SecY mode; NULL for any other device. */
struct vsecy_secy *vsecy_device_secy(const struct net_device *dev)
{
	const struct vsecy_dev *vs;

	if (!vsecy_device_is_vsecy(dev))
		return NULL;
	vs = netdev_priv(dev);
	return vs->mode == VSECY_MODE_SECY ? vs->secy : NULL;
}

/* The carrier of the controlled port: the lower device's, and only while
 * the SecY is operational (vsecy_secy_update_oper()). Dormant and testing
 * states are copied as netif_stacked_transfer_operstate() does.
 */
static void update_carrier(struct vsecy_dev *vs)
{
	struct net_device *dev = vs->dev, *lower = vs->lower;

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
	if (netif_carrier_ok(lower) && READ_ONCE(vs->secy->operational))
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
}

/* The SecY's hooks: received frames go to this device. */

static struct net_device *secy_rx_dev(struct vsecy_secy *secy,
				      struct vsecy_rx_sc *sc,
				      struct sk_buff *skb)
{
	return ((struct vsecy_dev *)secy->priv)->dev;
}

static void secy_oper_changed(struct vsecy_secy *secy)
{
	update_carrier(secy->priv);
	vsecy_events_oper(secy);
}

/* From the transmit path: the carrier goes off at once when the encoding
 * SA is spent (netif_carrier_off() only schedules the link watch).
 */
static void secy_tx_pn(struct vsecy_secy *secy, struct vsecy_sa *sa, u8 an,
		       u64 next_pn, bool exhausted)
{
	struct net_device *dev = ((struct vsecy_dev *)secy->priv)->dev;

	vsecy_events_tx_pn(secy, sa, an, next_pn, exhausted);
	if (exhausted) {
		netif_carrier_off(dev);
		netdev_info(dev, "transmit SA %u ran out of packet numbers\n", an);
	}
}

static const struct vsecy_secy_hooks secy_hooks = {
	.rx_dev		= secy_rx_dev,
	.oper_changed	= secy_oper_changed,
	.tx_pn		= secy_tx_pn,
	.unchecked	= true,
};

/* Frames no SecY takes stay on the lower device. */
static rx_handler_result_t secy_port_unclaimed(struct vsecy_port *port,
					       struct sk_buff **pskb)
{
	return RX_HANDLER_PASS;
}

static const struct vsecy_port_ops secy_port_ops = {
	.unclaimed	= secy_port_unclaimed,
};

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

	if (vs->secy)
		vsecy_secy_put(vs->secy);
	vs->secy = NULL;
	vsecy_offload_free(vs);
	free_percpu(dev->tstats);
	dev->tstats = NULL;
	netdev_put(vs->lower, &vs->lower_tracker);
}

/* Mirrors the device's address, promiscuity and multicast lists on the
 * lower device: on open (@open) or stop.
 */
int vsecy_device_open_lower(struct net_device *dev, bool open)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	struct net_device *lower = vs->lower;
	int ret;

	if (!open) {
		dev_mc_unsync(lower, dev);
		dev_uc_unsync(lower, dev);
		if (dev->flags & IFF_ALLMULTI)
			dev_set_allmulti(lower, -1);
		if (dev->flags & IFF_PROMISC)
			dev_set_promiscuity(lower, -1);
		if (!ether_addr_equal(dev->dev_addr, lower->dev_addr))
			dev_uc_del(lower, dev->dev_addr);
		return 0;
	}

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
	return 0;

err_allmulti:
	if (dev->flags & IFF_ALLMULTI)
		dev_set_allmulti(lower, -1);
err_uc:
	if (!ether_addr_equal(dev->dev_addr, lower->dev_addr))
		dev_uc_del(lower, dev->dev_addr);
	return ret;
}

static int vsecy_dev_open(struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	int ret;

	ret = vsecy_device_open_lower(dev, true);
	if (ret)
		return ret;
	WRITE_ONCE(vs->secy->running, true);
	update_carrier(vs);
	return 0;
}

static int vsecy_dev_stop(struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);

	WRITE_ONCE(vs->secy->running, false);
	vsecy_device_open_lower(dev, false);
	netif_carrier_off(dev);
	return 0;
}

void vsecy_device_change_rx_flags(struct net_device *dev, int change)
{
	struct net_device *lower = ((struct vsecy_dev *)netdev_priv(dev))->lower;

	if (!(dev->flags & IFF_UP))
		return;
	if (change & IFF_ALLMULTI)
		dev_set_allmulti(lower, dev->flags & IFF_ALLMULTI ? 1 : -1);
	if (change & IFF_PROMISC)
		dev_set_promiscuity(lower, dev->flags & IFF_PROMISC ? 1 : -1);
}

void vsecy_device_set_rx_mode(struct net_device *dev)
{
	struct net_device *lower = ((struct vsecy_dev *)netdev_priv(dev))->lower;

	dev_mc_sync(lower, dev);
	dev_uc_sync(lower, dev);
}

int vsecy_device_set_mac_address(struct net_device *dev, void *p)
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
	struct vsecy_dev *vs = netdev_priv(dev);

	if (new_mtu > (int)vs->lower->mtu - vsecy_device_overhead(vs))
		return -ERANGE;
	dev->mtu = new_mtu;
	return 0;
}

int vsecy_device_get_iflink(const struct net_device *dev)
{
	return ((struct vsecy_dev *)netdev_priv(dev))->lower->ifindex;
}

static netdev_tx_t vsecy_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);

	vsecy_protect_xmit(vs->secy, skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops vsecy_netdev_ops = {
	.ndo_open		= vsecy_dev_open,
	.ndo_stop		= vsecy_dev_stop,
	.ndo_start_xmit		= vsecy_dev_xmit,
	.ndo_change_rx_flags	= vsecy_device_change_rx_flags,
	.ndo_set_rx_mode	= vsecy_device_set_rx_mode,
	.ndo_set_mac_address	= vsecy_device_set_mac_address,
	.ndo_change_mtu		= vsecy_dev_change_mtu,
	.ndo_get_iflink		= vsecy_device_get_iflink,
	.ndo_get_stats64	= dev_get_tstats64,
};

/* The MTU a vsecy device leaves for the lower device's frames: the
 * SecTAG and ICV in SecY mode, nothing for a NIC (whose macsec devices
 * account for them).
 */
unsigned int vsecy_device_overhead(const struct vsecy_dev *vs)
{
	return vs->mode == VSECY_MODE_SECY ? VSECY_OVERHEAD : 0;
}

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
	/* GSO frames and checksums come to the SecY's transmit queue as
	 * they are: it segments and checksums them itself, one SA lookup
	 * and one wake-up for a whole GSO frame (protect.c).
	 */
	dev->hw_features = VSECY_FEATURES;
	dev->features |= VSECY_FEATURES;
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
	return vsecy_device_is_vsecy(dev);
}

/* A vsecy device sits directly or indirectly (through a VLAN, say) on
 * Ethernet but never on another vsecy: MACsec in MACsec is not something
 * 802.1AE describes, and refusing it also keeps loops out.
 */
static int vsecy_check_lower(struct net_device *lower, unsigned int overhead,
			     struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	if (vsecy_device_is_vsecy(lower) ||
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
	if (lower->mtu < overhead + ETH_MIN_MTU) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "lower device MTU too small for the SecTAG and ICV");
		return -EINVAL;
	}
	return 0;
}

/* SecY mode: the SecY, on the port of the lower device. */
static int secy_newlink(struct vsecy_dev *vs, struct nlattr *tb[],
			struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct net_device *dev = vs->dev;
	struct vsecy_secy_params p;
	struct vsecy_port *port;
	int ret;

	port = vsecy_port_get(vs->lower, &secy_port_ops, NULL, extack);
	if (IS_ERR(port))
		return PTR_ERR(port);
	if (port->n_secys >= READ_ONCE(max_secys)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
				    "too many vsecy devices on this lower device (module parameter max_secys)");
		ret = -ENOSPC;
		goto err;
	}
	vsecy_secy_default_params(&p, vsecy_make_sci(dev->dev_addr, 1));
	ret = vsecy_netlink_secy_params(data, NULL, dev, &p, extack);
	if (ret)
		goto err;
	vs->secy = vsecy_netlink_secy_create(port, dev, &secy_hooks, vs, &p,
					     data, extack);
	if (IS_ERR(vs->secy)) {
		ret = PTR_ERR(vs->secy);
		vs->secy = NULL;
		goto err;
	}
	vs->port = port;
	return 0;
err:
	vsecy_port_put(port);
	return ret;
}

static void secy_dellink(struct vsecy_dev *vs)
{
	vsecy_secy_unlink(vs->secy);
	vsecy_port_put(vs->port);
	vs->port = NULL;
}

static int vsecy_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	struct net_device *lower;
	unsigned int overhead;
	int ret;

	vs->mode = data && data[VSECY_SECY_A_MODE] ?
		   nla_get_u8(data[VSECY_SECY_A_MODE]) : VSECY_MODE_SECY;
	overhead = vsecy_device_overhead(vs);
	lower = __dev_get_by_index(src_net, nla_get_u32(tb[IFLA_LINK]));
	if (!lower) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
				    "lower device not found");
		return -ENODEV;
	}
	ret = vsecy_check_lower(lower, overhead, tb[IFLA_LINK], extack);
	if (ret < 0)
		return ret;

	if (tb[IFLA_MTU]) {
		if (nla_get_u32(tb[IFLA_MTU]) > lower->mtu - overhead) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU],
					    "MTU larger than the lower device's minus the MACsec overhead");
			return -EINVAL;
		}
	} else {
		dev->mtu = lower->mtu - overhead;
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

	dev->tstats = __netdev_alloc_pcpu_stats(struct pcpu_sw_netstats,
						GFP_KERNEL_ACCOUNT);
	if (!dev->tstats)
		return -ENOMEM;
	if (vs->mode == VSECY_MODE_OFFLOAD)
		ret = vsecy_offload_newlink(vs, data, extack);
	else
		ret = secy_newlink(vs, tb, data, extack);
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
	/* The SecYs' queues run in kernel threads of their own (queue.c),
	 * wherever the scheduler finds a CPU.
	 */
	dev_set_threaded(dev, true);

	ret = netdev_upper_dev_link(lower, dev, extack);
	if (ret < 0)
		goto err_unregister;

	if (vs->mode == VSECY_MODE_SECY)
		update_carrier(vs);
	else
		netif_stacked_transfer_operstate(lower, dev);
	linkwatch_fire_event(dev);
	vsecy_netlink_changed();
	return 0;

err_unregister:
	unregister_netdevice(dev);
	if (vs->mode == VSECY_MODE_OFFLOAD)
		vsecy_offload_dellink(vs);
	else
		secy_dellink(vs);
	return ret;
err_lower:
	netdev_put(lower, &vs->lower_tracker);
	if (vs->mode == VSECY_MODE_OFFLOAD) {
		vsecy_offload_dellink(vs);
		vsecy_offload_free(vs);
	} else {
		secy_dellink(vs);
		vsecy_secy_put(vs->secy);
		vs->secy = NULL;
	}
err_tstats:
	free_percpu(dev->tstats);
	dev->tstats = NULL;
	return ret;
}

static void vsecy_dellink(struct net_device *dev, struct list_head *head)
{
	struct vsecy_dev *vs = netdev_priv(dev);

	ASSERT_RTNL();
	if (vs->mode == VSECY_MODE_OFFLOAD)
		vsecy_offload_dellink(vs);
	else
		secy_dellink(vs);
	vsecy_netlink_changed();
	netdev_upper_dev_unlink(vs->lower, dev);
	unregister_netdevice_queue(dev, head);
}

static int vsecy_changelink(struct net_device *dev, struct nlattr *tb[],
			    struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	struct vsecy_dev *vs = netdev_priv(dev);
	int ret;

	if (!data)
		return 0;
	if (data[VSECY_SECY_A_MODE] &&
	    nla_get_u8(data[VSECY_SECY_A_MODE]) != vs->mode) {
		NL_SET_ERR_MSG_ATTR(extack, data[VSECY_SECY_A_MODE],
				    "the mode of a vsecy device is fixed when it is created");
		return -EOPNOTSUPP;
	}
	if (vs->mode == VSECY_MODE_OFFLOAD)
		return vsecy_offload_changelink(vs, data, extack);
	ret = vsecy_netlink_secy_configure(vs->secy, data, extack);
	if (!ret)
		vsecy_netlink_changed();
	return ret;
}

static size_t vsecy_get_size(const struct net_device *dev)
{
	const struct vsecy_dev *vs = netdev_priv(dev);

	if (vs->mode == VSECY_MODE_OFFLOAD)
		return vsecy_offload_info_size(vs);
	return vsecy_netlink_secy_size();
}

static int vsecy_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct vsecy_dev *vs = netdev_priv(dev);

	if (vs->mode == VSECY_MODE_OFFLOAD)
		return vsecy_offload_fill_info(skb, vs);
	return vsecy_netlink_put_secy(skb, vs->secy);
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

/* The lower device's events. When it goes away every vsecy device on it
 * goes with it, in one batch; its state and MTU are mirrored on the vsecy
 * devices above it.
 */
static int vsecy_notify(struct notifier_block *nb, unsigned long event,
			void *ptr)
{
	struct net_device *lower = netdev_notifier_info_to_dev(ptr);
	struct vsecy_secy *secy, *tmp;
	struct vsecy_port *port = vsecy_port_of(lower);
	LIST_HEAD(kill);

	if (!port)
		return NOTIFY_DONE;
	if (port->ops != &secy_port_ops)
		return vsecy_offload_lower_event(port, event);

	switch (event) {
	case NETDEV_UNREGISTER:
		/* The last vsecy_dellink() frees the port. */
		list_for_each_entry_safe(secy, tmp, &port->secys, port_node)
			vsecy_dellink(((struct vsecy_dev *)secy->priv)->dev,
				      &kill);
		unregister_netdevice_many(&kill);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		list_for_each_entry(secy, &port->secys, port_node)
			update_carrier(secy->priv);
		break;
	case NETDEV_CHANGEMTU:
		list_for_each_entry(secy, &port->secys, port_node) {
			struct net_device *dev = ((struct vsecy_dev *)secy->priv)->dev;
			int mtu = lower->mtu - VSECY_OVERHEAD;

			if (dev->mtu > mtu)
				dev_set_mtu(dev, mtu);
		}
		break;
	}
	return NOTIFY_DONE;
}

/* Used by offload.c for its own lower devices' unregistration. */
void vsecy_device_kill(struct net_device *dev)
{
	LIST_HEAD(kill);

	vsecy_dellink(dev, &kill);
	unregister_netdevice_many(&kill);
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
}
