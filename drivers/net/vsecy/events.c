// SPDX-License-Identifier: GPL-2.0
/*
 * Events on the "events" multicast group of the vsecy family (the uAPI
 * header's "Events" section): PN threshold and exhaustion of TX SAs, the
 * operational state of SecYs, and every configuration change made through
 * generic netlink, so that an MKA daemon need not poll and a second
 * listener stays in sync.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "device.h"
#include "events.h"
#include "netlink.h"
#include "secy.h"

/* Bits of vsecy_secy.ev_oper. */
#define EV_OPER_SECY		BIT(0)
#define EV_OPER_PORT		BIT(1)
#define EV_OPER_KNOWN		BIT(7)

/* NULL once the module is going: the transmit path reads it under RCU
 * (it runs inside rcu_read_lock_bh()), vsecy_events_uninit() waits for it.
 */
static struct genl_family *family;

/* The start of every event: header, device, and its netns's listeners.
 * Returns NULL when nobody listens or no memory.
 */
static struct sk_buff *ev_new(struct net_device *dev, u8 cmd, gfp_t gfp,
			      void **hdr)
{
	struct genl_family *f = READ_ONCE(family);
	struct sk_buff *skb;

	if (!f || !genl_has_listeners(f, dev_net(dev), 0))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, f, 0, cmd);
	if (!*hdr ||
	    nla_put_u32(skb, VSECY_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VSECY_A_IFNAME, dev->name)) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/* Only to the device's namespace: a listener elsewhere may not see it. */
static void ev_send(struct net_device *dev, struct sk_buff *skb, void *hdr,
		    gfp_t gfp)
{
	struct genl_family *f = READ_ONCE(family);

	genlmsg_end(skb, hdr);
	if (f)
		genlmsg_multicast_netns(f, dev_net(dev), skb, 0, 0, gfp);
	else
		nlmsg_free(skb);
}

/* A PN event: the SCI (and the threshold), the SA's AN and key identifier
 * (and its next PN), without taking sa->lock.
 */
static void tx_pn_event(struct vsecy_secy *secy, struct vsecy_sa *sa, u8 an,
			u8 cmd, u64 next_pn)
{
	struct net_device *dev = secy->dev;
	bool thr = cmd == VSECY_CMD_PN_THRESHOLD;
	struct sk_buff *skb;
	struct nlattr *nest;
	void *hdr;

	skb = ev_new(dev, cmd, GFP_ATOMIC, &hdr);
	if (!skb)
		return;
	nest = nla_nest_start(skb, VSECY_A_SECY);
	if (!nest ||
	    nla_put_u64_64bit(skb, VSECY_SECY_A_SCI, READ_ONCE(secy->p.sci),
			      VSECY_SECY_A_PAD) ||
	    (thr && nla_put_u64_64bit(skb, VSECY_SECY_A_PN_THRESHOLD,
				      vsecy_secy_pn_threshold(secy),
				      VSECY_SECY_A_PAD)))
		goto err;
	nla_nest_end(skb, nest);
	nest = nla_nest_start(skb, VSECY_A_SA);
	if (!nest || nla_put_u8(skb, VSECY_SA_A_AN, an) ||
	    nla_put(skb, VSECY_SA_A_KEYID, VSECY_KEYID_LEN, sa->keyid) ||
	    (thr && nla_put_u64_64bit(skb, VSECY_SA_A_PN, next_pn,
				      VSECY_SA_A_PAD)))
		goto err;
	nla_nest_end(skb, nest);
	ev_send(dev, skb, hdr, GFP_ATOMIC);
	return;
err:
	nlmsg_free(skb);
}

/* From the transmit path (the SecY's tx_pn hook), in atomic context: the
 * message is built with GFP_ATOMIC and sent from here, no work item
 * needed. Each event happens at most once per SA (the engine keeps a flag
 * for the threshold; for exhaustion, the PN that only moves forward is
 * never taken twice), so their rate is bounded by the rate SAs are
 * installed; and the device cannot go away while its own transmit path
 * runs. The name is read without RTNL: a device that transmits is up,
 * and an up device cannot be renamed.
 */
void vsecy_events_tx_pn(struct vsecy_secy *secy, struct vsecy_sa *sa, u8 an,
			u64 next_pn, bool exhausted)
{
	if (exhausted)
		tx_pn_event(secy, sa, an, VSECY_CMD_PN_EXHAUSTED, 0);
	else
		tx_pn_event(secy, sa, an, VSECY_CMD_PN_THRESHOLD, next_pn);
}

static u8 oper_state(struct vsecy_secy *secy)
{
	struct net_device *dev = secy->dev;
	u8 state = EV_OPER_KNOWN;

	if (READ_ONCE(secy->operational))
		state |= EV_OPER_SECY;
	if (netif_running(dev) && netif_carrier_ok(dev))
		state |= EV_OPER_PORT;
	return state;
}

/* Under RTNL, whenever the state may have changed (secy.c after every
 * change of the SecY's operational state, the netdev notifier for the
 * vsecy device's up, down and carrier changes): announces it if it
 * differs from the last one announced. A device being created only
 * records it; rtnetlink announces the device.
 */
void vsecy_events_oper(struct vsecy_secy *secy)
{
	struct net_device *dev = secy->dev;
	struct sk_buff *skb;
	struct nlattr *nest;
	u8 state;
	void *hdr;

	ASSERT_RTNL();
	state = oper_state(secy);
	if (state == secy->ev_oper)
		return;
	secy->ev_oper = state;
	if (dev->reg_state != NETREG_REGISTERED)
		return;

	skb = ev_new(dev, VSECY_CMD_OPER_CHANGE, GFP_KERNEL, &hdr);
	if (!skb)
		return;
	nest = nla_nest_start(skb, VSECY_A_SECY);
	if (!nest ||
	    nla_put_u64_64bit(skb, VSECY_SECY_A_SCI, secy->p.sci,
			      VSECY_SECY_A_PAD) ||
	    nla_put_u8(skb, VSECY_SECY_A_OPER, !!(state & EV_OPER_SECY)) ||
	    nla_put_u8(skb, VSECY_SECY_A_PORT_OPER, !!(state & EV_OPER_PORT))) {
		nlmsg_free(skb);
		return;
	}
	nla_nest_end(skb, nest);
	ev_send(dev, skb, hdr, GFP_KERNEL);
}

static bool cmd_is_rx(u8 cmd)
{
	return cmd == VSECY_CMD_ADD_RXSA || cmd == VSECY_CMD_UPD_RXSA ||
	       cmd == VSECY_CMD_DEL_RXSA;
}

/* Under RTNL, after a successful request @cmd on @secy (the RX SC @sci,
 * the SA @an, as the command has them): the object as it is now (or its
 * name, once deleted).
 */
void vsecy_events_config(u8 cmd, struct vsecy_secy *secy, u64 sci, u8 an)
{
	struct net_device *dev = secy->dev;
	bool del = cmd == VSECY_CMD_DEL_RXSC || cmd == VSECY_CMD_DEL_TXSA ||
		   cmd == VSECY_CMD_DEL_RXSA;
	struct vsecy_rx_sc *sc = NULL;
	struct sk_buff *skb;
	struct nlattr *nest;
	void *hdr;

	ASSERT_RTNL();
	skb = ev_new(dev, cmd, GFP_KERNEL, &hdr);
	if (!skb)
		return;

	switch (cmd) {
	case VSECY_CMD_SET_SECY:
		nest = nla_nest_start(skb, VSECY_A_SECY);
		if (!nest || vsecy_netlink_put_secy(skb, secy))
			goto err;
		nla_nest_end(skb, nest);
		break;
	case VSECY_CMD_ADD_RXSC:
	case VSECY_CMD_UPD_RXSC:
	case VSECY_CMD_DEL_RXSC:
	case VSECY_CMD_ADD_RXSA:
	case VSECY_CMD_UPD_RXSA:
	case VSECY_CMD_DEL_RXSA:
		sc = vsecy_rx_sc_rtnl(secy, sci);
		nest = nla_nest_start(skb, VSECY_A_RXSC);
		if (!nest ||
		    nla_put_u64_64bit(skb, VSECY_RXSC_A_SCI, sci,
				      VSECY_RXSC_A_PAD) ||
		    (sc && !cmd_is_rx(cmd) &&
		     nla_put_u8(skb, VSECY_RXSC_A_ACTIVE, READ_ONCE(sc->active))))
			goto err;
		nla_nest_end(skb, nest);
		if (!cmd_is_rx(cmd))
			break;
		if (!sc)
			goto err;
		fallthrough;
	case VSECY_CMD_ADD_TXSA:
	case VSECY_CMD_UPD_TXSA:
	case VSECY_CMD_DEL_TXSA:
		if (vsecy_netlink_put_sa(skb, secy,
					 del ? NULL : vsecy_sa_rtnl(secy, sc, an),
					 an, sc, VSECY_PUT_SA_STATE))
			goto err;
		break;
	default:
		goto err;
	}
	ev_send(dev, skb, hdr, GFP_KERNEL);
	return;
err:
	nlmsg_free(skb);
}

/* The vsecy devices' own up, down and carrier changes (carrier changes
 * reach us through the link watch as NETDEV_CHANGE).
 */
static int ev_notify(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vsecy_secy *secy = vsecy_device_secy(dev);

	if (!secy)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_REGISTER:
		secy->ev_oper = oper_state(secy);
		break;
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		vsecy_events_oper(secy);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block ev_notifier = {
	.notifier_call = ev_notify,
};

int __init vsecy_events_init(struct genl_family *f)
{
	WRITE_ONCE(family, f);
	return register_netdevice_notifier(&ev_notifier);
}

/* Before the family is unregistered: after this no event is built, and
 * none is being built (a transmit path in flight is an RCU reader).
 */
void vsecy_events_uninit(void)
{
	unregister_netdevice_notifier(&ev_notifier);
	WRITE_ONCE(family, NULL);
	synchronize_net();
}
