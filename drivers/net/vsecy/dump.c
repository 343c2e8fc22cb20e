// SPDX-License-Identifier: GPL-2.0
/*
 * What the vsecy family says about SecYs: VSECY_CMD_GET_SECY (one reply or
 * a dump) and the attributes that replies, link dumps and events share.
 * Keys never go out.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "device.h"
#include "netlink.h"
#include "secy.h"

/* The largest reply to a GET without NLM_F_DUMP (uAPI: VSECY_CMD_GET_SECY). */
#define VSECY_GET_MAX_REPLY	(32 * 1024)

/* The SecY parameters, flat: inside VSECY_A_SECY or IFLA_INFO_DATA. */
int vsecy_netlink_put_secy(struct sk_buff *skb, struct vsecy_secy *secy)
{
	const struct vsecy_secy_params *p = &secy->p;
	struct net_device *dev = secy->dev;

	if (nla_put_u64_64bit(skb, VSECY_SECY_A_SCI, p->sci, VSECY_SECY_A_PAD) ||
	    nla_put_u64_64bit(skb, VSECY_SECY_A_CIPHER_SUITE, p->cipher_suite,
			      VSECY_SECY_A_PAD) ||
	    nla_put_u8(skb, VSECY_SECY_A_ICV_LEN, p->icv_len) ||
	    nla_put_u8(skb, VSECY_SECY_A_ENCODING_SA, p->encoding_sa) ||
	    nla_put_u8(skb, VSECY_SECY_A_ENCRYPT, p->encrypt) ||
	    nla_put_u8(skb, VSECY_SECY_A_PROTECT, p->protect) ||
	    nla_put_u8(skb, VSECY_SECY_A_INC_SCI, p->send_sci) ||
	    nla_put_u8(skb, VSECY_SECY_A_ES, p->end_station) ||
	    nla_put_u8(skb, VSECY_SECY_A_SCB, p->scb) ||
	    nla_put_u8(skb, VSECY_SECY_A_REPLAY, p->replay) ||
	    nla_put_u32(skb, VSECY_SECY_A_WINDOW, p->window) ||
	    nla_put_u8(skb, VSECY_SECY_A_VALIDATE, p->validate) ||
	    nla_put_u8(skb, VSECY_SECY_A_CONF_OFFSET, p->conf_offset) ||
	    nla_put_u64_64bit(skb, VSECY_SECY_A_PN_THRESHOLD, p->pn_threshold,
			      VSECY_SECY_A_PAD) ||
	    nla_put_u8(skb, VSECY_SECY_A_OPER, READ_ONCE(secy->operational)) ||
	    nla_put_u8(skb, VSECY_SECY_A_PORT_OPER,
		       netif_running(dev) && netif_carrier_ok(dev)) ||
	    nla_put_u8(skb, VSECY_SECY_A_MODE, VSECY_MODE_SECY))
		return -EMSGSIZE;
	return 0;
}

size_t vsecy_netlink_secy_size(void)
{
	return 3 * nla_total_size_64bit(sizeof(u64)) +	/* SCI, suite, thr. */
	       nla_total_size(sizeof(u32)) +		/* WINDOW */
	       13 * nla_total_size(sizeof(u8));
}

static int put_stats(struct sk_buff *skb, int type,
		     struct vsecy_counters __percpu *stats,
		     unsigned int max, unsigned int pad)
{
	u64 sum[VSECY_NR_COUNTERS];
	struct nlattr *nest;
	unsigned int i;

	vsecy_counters_sum(stats, sum);
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i <= max; i++) {
		if (i == pad)
			continue;
		if (nla_put_u64_64bit(skb, i, sum[i], pad)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* VSECY_A_SA for the SA of @an (@sa, or NULL once deleted: the AN only):
 * its key identifier, and with VSECY_PUT_SA_STATE its state, with
 * VSECY_PUT_SA_STATS (an RX SA if @rx) its counters. Never a key, a salt
 * or a key schedule: dumps and events say the same.
 */
int vsecy_netlink_put_sa(struct sk_buff *skb, struct vsecy_secy *secy,
			 struct vsecy_sa *sa, u8 an, bool rx,
			 unsigned int flags)
{
	struct nlattr *nest = nla_nest_start(skb, VSECY_A_SA);
	bool active;
	u64 pn;

	if (!nest || nla_put_u8(skb, VSECY_SA_A_AN, an))
		return -EMSGSIZE;
	if (sa) {
		vsecy_sa_state(sa, &pn, &active);
		if (nla_put(skb, VSECY_SA_A_KEYID, VSECY_KEYID_LEN, sa->keyid))
			return -EMSGSIZE;
		if ((flags & VSECY_PUT_SA_STATE) &&
		    (nla_put_u8(skb, VSECY_SA_A_ACTIVE, active) ||
		     nla_put_u64_64bit(skb, VSECY_SA_A_PN, pn, VSECY_SA_A_PAD) ||
		     (secy->xpn && nla_put_u32(skb, VSECY_SA_A_SSCI, sa->ssci))))
			return -EMSGSIZE;
		if ((flags & VSECY_PUT_SA_STATS) &&
		    put_stats(skb, VSECY_SA_A_STATS, sa->stats,
			      rx ? VSECY_RXSA_STATS_A_MAX : VSECY_TXSA_STATS_A_MAX,
			      rx ? VSECY_RXSA_STATS_A_PAD : VSECY_TXSA_STATS_A_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The SAs of an SC: the TX SC's (@sc NULL) or @sc's. */
static int put_sa_list(struct sk_buff *skb, struct vsecy_secy *secy,
		       struct vsecy_rx_sc *sc, int type)
{
	struct nlattr *list;
	unsigned int an;

	list = nla_nest_start(skb, type);
	if (!list)
		return -EMSGSIZE;
	for (an = 0; an < VSECY_NUM_AN; an++) {
		struct vsecy_sa *sa = vsecy_sa_rtnl(secy, sc, an);

		if (sa && vsecy_netlink_put_sa(skb, secy, sa, an, sc,
					       VSECY_PUT_SA_STATE |
					       VSECY_PUT_SA_STATS)) {
			nla_nest_cancel(skb, list);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, list);
	return 0;
}

static int put_rxsc(struct sk_buff *skb, struct vsecy_secy *secy,
		    struct vsecy_rx_sc *sc)
{
	struct nlattr *nest = nla_nest_start(skb, VSECY_A_RXSC);

	if (!nest ||
	    nla_put_u64_64bit(skb, VSECY_RXSC_A_SCI, sc->sci, VSECY_RXSC_A_PAD) ||
	    nla_put_u8(skb, VSECY_RXSC_A_ACTIVE, READ_ONCE(sc->active)) ||
	    put_stats(skb, VSECY_RXSC_A_STATS, sc->stats, VSECY_RXSC_STATS_A_MAX,
		      VSECY_RXSC_STATS_A_PAD) ||
	    put_sa_list(skb, secy, sc, VSECY_RXSC_A_SA_LIST)) {
		if (nest)
			nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_head(struct sk_buff *skb, struct vsecy_secy *secy)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, VSECY_A_SECY);
	if (!nest || vsecy_netlink_put_secy(skb, secy))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);

	if (put_stats(skb, VSECY_A_SECY_STATS, secy->stats,
		      VSECY_SECY_STATS_A_MAX, VSECY_SECY_STATS_A_PAD))
		return -EMSGSIZE;

	nest = nla_nest_start(skb, VSECY_A_TXSC);
	if (!nest ||
	    nla_put_u64_64bit(skb, VSECY_TXSC_A_SCI, secy->p.sci,
			      VSECY_TXSC_A_PAD) ||
	    put_stats(skb, VSECY_TXSC_A_STATS, secy->tx_sc.stats,
		      VSECY_TXSC_STATS_A_MAX, VSECY_TXSC_STATS_A_PAD) ||
	    put_sa_list(skb, secy, NULL, VSECY_TXSC_A_SA_LIST))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One message for the SecY of @dev. *@resume is 0 for a SecY not yet
 * started, else 1 + the number of the first RX SC still to send. The RX
 * SCs go in as many as fit; when some are left, *@resume says where the
 * next message of the dump starts (that message has VSECY_A_IFINDEX,
 * _IFNAME and VSECY_A_RXSC_LIST only). Returns 0 when the SecY is
 * complete, -EMSGSIZE otherwise.
 */
static int fill_secy(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		     struct netlink_callback *cb, struct net_device *dev,
		     long *resume)
{
	struct vsecy_secy *secy = vsecy_device_secy(dev);
	struct nlattr *list;
	long start = *resume ? *resume - 1 : 0;
	struct vsecy_rx_sc *sc;
	long i = 0, put = 0;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &vsecy_genl_family, flags,
			  VSECY_CMD_GET_SECY);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, VSECY_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, VSECY_A_IFNAME, dev->name))
		goto cancel;
	if (!*resume && put_head(skb, secy))
		goto cancel;

	list = nla_nest_start(skb, VSECY_A_RXSC_LIST);
	if (!list)
		goto cancel;
	list_for_each_entry(sc, &secy->rx_scs, node) {
		if (i++ < start)
			continue;
		if (put_rxsc(skb, secy, sc)) {
			if (!put && *resume)
				goto cancel;	/* not even one: next skb */
			nla_nest_end(skb, list);
			genlmsg_end(skb, hdr);
			*resume = i;	/* SC number i - 1 is next */
			return -EMSGSIZE;
		}
		put++;
	}
	nla_nest_end(skb, list);
	genlmsg_end(skb, hdr);
	*resume = 0;
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* cb->args[0]: how many vsecy devices of the namespace are done;
 * cb->args[1]: the RX SC to resume from in the next one;
 * cb->args[2]: the ifindex the dump is filtered on, 0 for all.
 */
int vsecy_dump_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = vsecy_genl_dump_attrs(cb);
	struct net *net = sock_net(cb->skb->sk);
	struct net_device *dev;

	if (!attrs[VSECY_A_IFINDEX] && !attrs[VSECY_A_IFNAME])
		return 0;
	rtnl_lock();
	dev = vsecy_netlink_lookup_dev(net, attrs, cb->extack);
	if (!IS_ERR(dev))
		cb->args[2] = dev->ifindex;
	rtnl_unlock();
	return IS_ERR(dev) ? PTR_ERR(dev) : 0;
}

int vsecy_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;
	int ret;

	rtnl_lock();
	cb->seq = vsecy_netlink_generation;
	for_each_netdev(net, dev) {
		if (!vsecy_device_secy(dev))
			continue;
		if (cb->args[2] && dev->ifindex != cb->args[2])
			continue;
		if (idx++ < cb->args[0])
			continue;
		ret = fill_secy(skb, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI, cb, dev,
				&cb->args[1]);
		if (ret)
			break;
		cb->args[0] = idx;
	}
	rtnl_unlock();
	return skb->len;
}

int vsecy_dump_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	long resume = 0;
	size_t size;
	int ret;

	rtnl_lock();
	dev = vsecy_netlink_lookup_dev(genl_info_net(info), info->attrs,
				       info->extack);
	if (IS_ERR(dev)) {
		rtnl_unlock();
		return PTR_ERR(dev);
	}
	/* Each RX SC with four SAs takes well under 1 KiB; a SecY with more
	 * than fits in VSECY_GET_MAX_REPLY is only dumped, so that no
	 * request makes the kernel allocate in proportion to the SecY.
	 */
	size = min_t(size_t, NLMSG_GOODSIZE +
		     (size_t)vsecy_device_secy(dev)->n_rx_scs * 1024,
		     VSECY_GET_MAX_REPLY);
	msg = genlmsg_new(size, GFP_KERNEL_ACCOUNT);
	if (!msg) {
		rtnl_unlock();
		return -ENOMEM;
	}
	ret = fill_secy(msg, info->snd_portid, info->snd_seq, 0, NULL, dev,
			&resume);
	rtnl_unlock();
	if (ret) {
		nlmsg_free(msg);
		NL_SET_ERR_MSG(info->extack,
			       "the SecY does not fit in one reply: dump it (NLM_F_DUMP with VSECY_A_IFINDEX)");
		return ret;
	}
	return genlmsg_reply(msg, info);
}
