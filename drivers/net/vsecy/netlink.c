// SPDX-License-Identifier: GPL-2.0
/*
 * The generic-netlink family "vsecy" (include/uapi/linux/vsecy.h): a front
 * end that parses requests into vsecy_secy_ops calls and dumps SecYs.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#include <linux/if.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "device.h"
#include "events.h"
#include "netlink.h"
#include "secy.h"

static struct genl_family genl_family;

/* The largest reply to a GET without NLM_F_DUMP (uAPI: VSECY_CMD_GET_SECY). */
#define VSECY_GET_MAX_REPLY	(32 * 1024)

/* Bumped under RTNL by every change, so a dump that spans several
 * messages can flag itself inconsistent (NLM_F_DUMP_INTR).
 */
static unsigned int generation = 1;

void vsecy_netlink_changed(void)
{
	ASSERT_RTNL();
	generation++;
}

const struct nla_policy vsecy_netlink_secy_policy[VSECY_SECY_A_MAX + 1] = {
	[VSECY_SECY_A_UNSPEC]		= { .strict_start_type = 1 },
	[VSECY_SECY_A_SCI]		= { .type = NLA_U64 },
	[VSECY_SECY_A_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
	[VSECY_SECY_A_CIPHER_SUITE]	= { .type = NLA_U64 },
	[VSECY_SECY_A_ICV_LEN]		= NLA_POLICY_RANGE(NLA_U8, VSECY_ICV_LEN, VSECY_ICV_LEN),
	[VSECY_SECY_A_ENCODING_SA]	= NLA_POLICY_MAX(NLA_U8, VSECY_NUM_AN - 1),
	[VSECY_SECY_A_ENCRYPT]		= NLA_POLICY_MAX(NLA_U8, 1),
	[VSECY_SECY_A_PROTECT]		= NLA_POLICY_MAX(NLA_U8, 1),
	[VSECY_SECY_A_INC_SCI]		= NLA_POLICY_MAX(NLA_U8, 1),
	[VSECY_SECY_A_ES]		= NLA_POLICY_MAX(NLA_U8, 1),
	[VSECY_SECY_A_SCB]		= NLA_POLICY_MAX(NLA_U8, 1),
	[VSECY_SECY_A_REPLAY]		= NLA_POLICY_MAX(NLA_U8, 1),
	[VSECY_SECY_A_WINDOW]		= { .type = NLA_U32 },
	[VSECY_SECY_A_VALIDATE]		= NLA_POLICY_MAX(NLA_U8, VSECY_VALIDATE_MAX),
	[VSECY_SECY_A_CONF_OFFSET]	= NLA_POLICY_MAX(NLA_U8, 50),
	[VSECY_SECY_A_OPER]		= {
		.type = NLA_REJECT,
		.reject_message = "the operational state is read-only",
	},
	[VSECY_SECY_A_PAD]		= { .type = NLA_REJECT },
	[VSECY_SECY_A_PN_THRESHOLD]	= { .type = NLA_U64 },
	[VSECY_SECY_A_PORT_OPER]	= {
		.type = NLA_REJECT,
		.reject_message = "the operational state is read-only",
	},
};

static const struct nla_policy sa_policy[VSECY_SA_A_MAX + 1] = {
	[VSECY_SA_A_AN]		= NLA_POLICY_MAX(NLA_U8, VSECY_NUM_AN - 1),
	[VSECY_SA_A_ACTIVE]	= NLA_POLICY_MAX(NLA_U8, 1),
	[VSECY_SA_A_PN]		= { .type = NLA_U64 },
	[VSECY_SA_A_KEY]	= NLA_POLICY_RANGE(NLA_BINARY, 16, VSECY_MAX_KEY_LEN),
	[VSECY_SA_A_KEYID]	= NLA_POLICY_EXACT_LEN(VSECY_KEYID_LEN),
	[VSECY_SA_A_SSCI]	= { .type = NLA_U32 },
	[VSECY_SA_A_SALT]	= NLA_POLICY_EXACT_LEN(VSECY_SALT_LEN),
	[VSECY_SA_A_STATS]	= { .type = NLA_REJECT,
				    .reject_message = "statistics are read-only" },
	[VSECY_SA_A_PAD]	= { .type = NLA_REJECT },
};

static const struct nla_policy rxsc_policy[VSECY_RXSC_A_MAX + 1] = {
	[VSECY_RXSC_A_SCI]	= { .type = NLA_U64 },
	[VSECY_RXSC_A_ACTIVE]	= NLA_POLICY_MAX(NLA_U8, 1),
	[VSECY_RXSC_A_STATS]	= { .type = NLA_REJECT,
				    .reject_message = "statistics are read-only" },
	[VSECY_RXSC_A_SA_LIST]	= { .type = NLA_REJECT,
				    .reject_message = "SAs are added with VSECY_CMD_ADD_RXSA" },
	[VSECY_RXSC_A_PAD]	= { .type = NLA_REJECT },
};

static const struct nla_policy genl_policy[VSECY_A_MAX + 1] = {
	[VSECY_A_IFINDEX]	= { .type = NLA_U32 },
	[VSECY_A_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[VSECY_A_SECY]		= NLA_POLICY_NESTED(vsecy_netlink_secy_policy),
	[VSECY_A_SECY_STATS]	= { .type = NLA_REJECT },
	[VSECY_A_TXSC]		= { .type = NLA_REJECT },
	[VSECY_A_RXSC_LIST]	= { .type = NLA_REJECT },
	[VSECY_A_RXSC]		= NLA_POLICY_NESTED(rxsc_policy),
	[VSECY_A_SA]		= NLA_POLICY_NESTED(sa_policy),
	[VSECY_A_PAD]		= { .type = NLA_REJECT },
};

/* Attribute to vsecy_secy_cfg; the policy has checked types and ranges. */
void vsecy_netlink_parse_secy(struct nlattr **tb, struct vsecy_secy_cfg *cfg)
{
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->tb = tb;
	for (i = 1; i <= VSECY_SECY_A_MAX; i++)
		if (tb[i])
			cfg->set |= BIT(i);

	if (tb[VSECY_SECY_A_SCI])
		cfg->sci = nla_get_u64(tb[VSECY_SECY_A_SCI]);
	if (tb[VSECY_SECY_A_PORT])
		cfg->port = nla_get_u16(tb[VSECY_SECY_A_PORT]);
	if (tb[VSECY_SECY_A_CIPHER_SUITE])
		cfg->cipher_suite = nla_get_u64(tb[VSECY_SECY_A_CIPHER_SUITE]);
	if (tb[VSECY_SECY_A_ICV_LEN])
		cfg->icv_len = nla_get_u8(tb[VSECY_SECY_A_ICV_LEN]);
	if (tb[VSECY_SECY_A_ENCODING_SA])
		cfg->encoding_sa = nla_get_u8(tb[VSECY_SECY_A_ENCODING_SA]);
	if (tb[VSECY_SECY_A_ENCRYPT])
		cfg->encrypt = nla_get_u8(tb[VSECY_SECY_A_ENCRYPT]);
	if (tb[VSECY_SECY_A_PROTECT])
		cfg->protect = nla_get_u8(tb[VSECY_SECY_A_PROTECT]);
	if (tb[VSECY_SECY_A_INC_SCI])
		cfg->send_sci = nla_get_u8(tb[VSECY_SECY_A_INC_SCI]);
	if (tb[VSECY_SECY_A_ES])
		cfg->end_station = nla_get_u8(tb[VSECY_SECY_A_ES]);
	if (tb[VSECY_SECY_A_SCB])
		cfg->scb = nla_get_u8(tb[VSECY_SECY_A_SCB]);
	if (tb[VSECY_SECY_A_REPLAY])
		cfg->replay = nla_get_u8(tb[VSECY_SECY_A_REPLAY]);
	if (tb[VSECY_SECY_A_WINDOW])
		cfg->window = nla_get_u32(tb[VSECY_SECY_A_WINDOW]);
	if (tb[VSECY_SECY_A_VALIDATE])
		cfg->validate = nla_get_u8(tb[VSECY_SECY_A_VALIDATE]);
	if (tb[VSECY_SECY_A_CONF_OFFSET])
		cfg->conf_offset = nla_get_u8(tb[VSECY_SECY_A_CONF_OFFSET]);
	if (tb[VSECY_SECY_A_PN_THRESHOLD])
		cfg->pn_threshold = nla_get_u64(tb[VSECY_SECY_A_PN_THRESHOLD]);
}

/* The SecY parameters, flat: inside VSECY_A_SECY or IFLA_INFO_DATA. */
int vsecy_netlink_put_secy(struct sk_buff *skb, struct vsecy_secy *secy)
{
	if (nla_put_u64_64bit(skb, VSECY_SECY_A_SCI, secy->sci,
			      VSECY_SECY_A_PAD) ||
	    nla_put_u64_64bit(skb, VSECY_SECY_A_CIPHER_SUITE,
			      secy->cipher_suite, VSECY_SECY_A_PAD) ||
	    nla_put_u8(skb, VSECY_SECY_A_ICV_LEN, secy->icv_len) ||
	    nla_put_u8(skb, VSECY_SECY_A_ENCODING_SA, secy->encoding_sa) ||
	    nla_put_u8(skb, VSECY_SECY_A_ENCRYPT, secy->encrypt) ||
	    nla_put_u8(skb, VSECY_SECY_A_PROTECT, secy->protect) ||
	    nla_put_u8(skb, VSECY_SECY_A_INC_SCI, secy->send_sci) ||
	    nla_put_u8(skb, VSECY_SECY_A_ES, secy->end_station) ||
	    nla_put_u8(skb, VSECY_SECY_A_SCB, secy->scb) ||
	    nla_put_u8(skb, VSECY_SECY_A_REPLAY, secy->replay) ||
	    nla_put_u32(skb, VSECY_SECY_A_WINDOW, secy->window) ||
	    nla_put_u8(skb, VSECY_SECY_A_VALIDATE, secy->validate) ||
	    nla_put_u8(skb, VSECY_SECY_A_CONF_OFFSET, secy->conf_offset) ||
	    nla_put_u64_64bit(skb, VSECY_SECY_A_PN_THRESHOLD,
			      secy->pn_threshold, VSECY_SECY_A_PAD) ||
	    nla_put_u8(skb, VSECY_SECY_A_OPER, READ_ONCE(secy->operational)) ||
	    nla_put_u8(skb, VSECY_SECY_A_PORT_OPER,
		       netif_running(secy->dev) && netif_carrier_ok(secy->dev)))
		return -EMSGSIZE;
	return 0;
}

size_t vsecy_netlink_secy_size(void)
{
	return 3 * nla_total_size_64bit(sizeof(u64)) +	/* SCI, suite, thr. */
	       nla_total_size(sizeof(u32)) +		/* WINDOW */
	       12 * nla_total_size(sizeof(u8));
}

static void parse_sa(struct nlattr **tb, struct vsecy_sa_cfg *cfg)
{
	unsigned int i;

	cfg->tb = tb;
	for (i = 1; i <= VSECY_SA_A_MAX; i++)
		if (tb[i])
			cfg->set |= BIT(i);
	if (tb[VSECY_SA_A_AN])
		cfg->an = nla_get_u8(tb[VSECY_SA_A_AN]);
	if (tb[VSECY_SA_A_ACTIVE])
		cfg->active = nla_get_u8(tb[VSECY_SA_A_ACTIVE]);
	if (tb[VSECY_SA_A_PN])
		cfg->pn = nla_get_u64(tb[VSECY_SA_A_PN]);
	if (tb[VSECY_SA_A_KEY]) {
		cfg->key_len = nla_len(tb[VSECY_SA_A_KEY]);
		nla_memcpy(cfg->key, tb[VSECY_SA_A_KEY], sizeof(cfg->key));
	}
	if (tb[VSECY_SA_A_KEYID])
		nla_memcpy(cfg->keyid, tb[VSECY_SA_A_KEYID], VSECY_KEYID_LEN);
	if (tb[VSECY_SA_A_SSCI])
		cfg->ssci = nla_get_u32(tb[VSECY_SA_A_SSCI]);
	if (tb[VSECY_SA_A_SALT])
		nla_memcpy(cfg->salt, tb[VSECY_SA_A_SALT], VSECY_SALT_LEN);
}

/* Under RTNL. */
static struct net_device *lookup_dev(struct net *net, struct nlattr **attrs,
				     struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct nlattr *attr;

	if (attrs[VSECY_A_IFINDEX]) {
		attr = attrs[VSECY_A_IFINDEX];
		dev = __dev_get_by_index(net, nla_get_u32(attr));
	} else if (attrs[VSECY_A_IFNAME]) {
		attr = attrs[VSECY_A_IFNAME];
		dev = __dev_get_by_name(net, nla_data(attr));
	} else {
		NL_SET_ERR_MSG_ATTR(extack, NULL,
				    "name the device with VSECY_A_IFINDEX or VSECY_A_IFNAME");
		NL_SET_ERR_ATTR_MISS(extack, NULL, VSECY_A_IFINDEX);
		return ERR_PTR(-EINVAL);
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!vsecy_device_is_vsecy(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "not a vsecy device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

static int need_nest(struct genl_info *info, unsigned int type,
		     const char *msg)
{
	if (info->attrs[type])
		return 0;
	/* What NL_SET_ERR_MSG() does, for a message that is not a literal
	 * here (it is one at every caller).
	 */
	if (info->extack)
		info->extack->_msg = msg;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
	return -EINVAL;
}

static int parse_rxsc(struct genl_info *info, struct vsecy_ctx *ctx)
{
	struct nlattr *tb[VSECY_RXSC_A_MAX + 1];
	int ret;

	ret = need_nest(info, VSECY_A_RXSC,
			"the request needs VSECY_A_RXSC with the SCI");
	if (ret)
		return ret;
	ret = nla_parse_nested(tb, VSECY_RXSC_A_MAX, info->attrs[VSECY_A_RXSC],
			       rxsc_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[VSECY_RXSC_A_SCI]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VSECY_A_RXSC],
				    "an RX SC is named by its SCI (VSECY_RXSC_A_SCI)");
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[VSECY_A_RXSC],
				     VSECY_RXSC_A_SCI);
		return -EINVAL;
	}
	ctx->sci = nla_get_u64(tb[VSECY_RXSC_A_SCI]);
	ctx->sci_attr = tb[VSECY_RXSC_A_SCI];
	if (tb[VSECY_RXSC_A_ACTIVE]) {
		ctx->has_active = true;
		ctx->active = nla_get_u8(tb[VSECY_RXSC_A_ACTIVE]);
	}
	return 0;
}

static int (*op_of(u8 cmd))(struct vsecy_ctx *ctx)
{
	const struct vsecy_secy_ops *ops = &vsecy_secy_ops;

	switch (cmd) {
	case VSECY_CMD_SET_SECY: return ops->upd_secy;
	case VSECY_CMD_ADD_RXSC: return ops->add_rxsc;
	case VSECY_CMD_UPD_RXSC: return ops->upd_rxsc;
	case VSECY_CMD_DEL_RXSC: return ops->del_rxsc;
	case VSECY_CMD_ADD_TXSA: return ops->add_txsa;
	case VSECY_CMD_UPD_TXSA: return ops->upd_txsa;
	case VSECY_CMD_DEL_TXSA: return ops->del_txsa;
	case VSECY_CMD_ADD_RXSA: return ops->add_rxsa;
	case VSECY_CMD_UPD_RXSA: return ops->upd_rxsa;
	case VSECY_CMD_DEL_RXSA: return ops->del_rxsa;
	}
	return NULL;
}

/* Every command that changes something: parse, then one operation. */
static int change_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *secy_tb[VSECY_SECY_A_MAX + 1];
	struct nlattr *sa_tb[VSECY_SA_A_MAX + 1];
	u8 cmd = info->genlhdr->cmd;
	struct vsecy_secy_cfg secy_cfg;
	struct vsecy_sa_cfg sa_cfg = {};
	struct vsecy_ctx ctx = { .extack = info->extack };
	int (*op)(struct vsecy_ctx *ctx) = op_of(cmd);
	struct net_device *dev;
	int ret;

	if (!op)
		return -EOPNOTSUPP;

	if (cmd == VSECY_CMD_SET_SECY) {
		ret = need_nest(info, VSECY_A_SECY,
				"the request needs VSECY_A_SECY with the parameters");
		if (ret)
			return ret;
		ret = nla_parse_nested(secy_tb, VSECY_SECY_A_MAX,
				       info->attrs[VSECY_A_SECY],
				       vsecy_netlink_secy_policy, info->extack);
		if (ret)
			return ret;
		vsecy_netlink_parse_secy(secy_tb, &secy_cfg);
		ctx.secy_cfg = &secy_cfg;
	} else {
		if (cmd == VSECY_CMD_ADD_RXSC || cmd == VSECY_CMD_UPD_RXSC ||
		    cmd == VSECY_CMD_DEL_RXSC || cmd == VSECY_CMD_ADD_RXSA ||
		    cmd == VSECY_CMD_UPD_RXSA || cmd == VSECY_CMD_DEL_RXSA) {
			ret = parse_rxsc(info, &ctx);
			if (ret)
				return ret;
		}
		if (cmd != VSECY_CMD_ADD_RXSC && cmd != VSECY_CMD_UPD_RXSC &&
		    cmd != VSECY_CMD_DEL_RXSC) {
			ret = need_nest(info, VSECY_A_SA,
					"the request needs VSECY_A_SA with the association number");
			if (ret)
				return ret;
			ret = nla_parse_nested(sa_tb, VSECY_SA_A_MAX,
					       info->attrs[VSECY_A_SA], sa_policy,
					       info->extack);
			if (ret)
				return ret;
			parse_sa(sa_tb, &sa_cfg);
			ctx.sa_cfg = &sa_cfg;
		}
	}

	rtnl_lock();
	dev = lookup_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
	} else {
		ctx.secy = vsecy_secy_from_dev(dev);
		ret = op(&ctx);
		if (!ret) {
			vsecy_netlink_changed();
			vsecy_events_config(cmd, &ctx);
		}
	}
	rtnl_unlock();

	/* The key was copied out of the request; wipe it on every path. */
	memzero_explicit(&sa_cfg, sizeof(sa_cfg));
	return ret;
}

static int put_stats(struct sk_buff *skb, int type, const u64 *sum,
		     unsigned int max, unsigned int pad)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	unsigned int i;

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

/* The SAs of an SC (@sci is 0 for the TX SC). Keys never go out. */
static int put_sa_list(struct sk_buff *skb, struct vsecy_secy *secy,
		       struct vsecy_sa __rcu **slots, int type, bool tx, u64 sci)
{
	u64 sum[VSECY_NR_COUNTERS];
	struct nlattr *list, *nest;
	unsigned int an;

	list = nla_nest_start(skb, type);
	if (!list)
		return -EMSGSIZE;
	for (an = 0; an < VSECY_NUM_AN; an++) {
		struct vsecy_sa *sa = rtnl_dereference(slots[an]);
		struct vsecy_ctx ctx = {
			.secy = secy, .an = an, .sci = sci, .stats = sum,
		};
		bool active;
		u64 pn;

		if (!sa)
			continue;
		spin_lock_bh(&sa->lock);
		pn = sa->next_pn;
		active = sa->active;
		spin_unlock_bh(&sa->lock);

		if (tx)
			vsecy_secy_ops.get_tx_sa_stats(&ctx);
		else
			vsecy_secy_ops.get_rx_sa_stats(&ctx);

		nest = nla_nest_start(skb, VSECY_A_SA);
		if (!nest ||
		    nla_put_u8(skb, VSECY_SA_A_AN, an) ||
		    nla_put_u8(skb, VSECY_SA_A_ACTIVE, active) ||
		    nla_put_u64_64bit(skb, VSECY_SA_A_PN, pn, VSECY_SA_A_PAD) ||
		    nla_put(skb, VSECY_SA_A_KEYID, VSECY_KEYID_LEN, sa->keyid) ||
		    (secy->xpn && nla_put_u32(skb, VSECY_SA_A_SSCI, sa->ssci)) ||
		    put_stats(skb, VSECY_SA_A_STATS, sum,
			      tx ? VSECY_TXSA_STATS_A_MAX : VSECY_RXSA_STATS_A_MAX,
			      tx ? VSECY_TXSA_STATS_A_PAD : VSECY_RXSA_STATS_A_PAD)) {
			nla_nest_cancel(skb, list);
			return -EMSGSIZE;
		}
		nla_nest_end(skb, nest);
	}
	nla_nest_end(skb, list);
	return 0;
}

static int put_rxsc(struct sk_buff *skb, struct vsecy_secy *secy,
		    struct vsecy_rx_sc *sc)
{
	struct vsecy_ctx ctx = { .secy = secy, .sci = sc->sci };
	u64 sum[VSECY_NR_COUNTERS];
	struct nlattr *nest;

	ctx.stats = sum;
	vsecy_secy_ops.get_rx_sc_stats(&ctx);
	nest = nla_nest_start(skb, VSECY_A_RXSC);
	if (!nest ||
	    nla_put_u64_64bit(skb, VSECY_RXSC_A_SCI, sc->sci, VSECY_RXSC_A_PAD) ||
	    nla_put_u8(skb, VSECY_RXSC_A_ACTIVE, sc->active) ||
	    put_stats(skb, VSECY_RXSC_A_STATS, sum, VSECY_RXSC_STATS_A_MAX,
		      VSECY_RXSC_STATS_A_PAD) ||
	    put_sa_list(skb, secy, sc->sa, VSECY_RXSC_A_SA_LIST, false,
			sc->sci)) {
		if (nest)
			nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int put_head(struct sk_buff *skb, struct vsecy_secy *secy)
{
	struct vsecy_ctx ctx = { .secy = secy };
	u64 sum[VSECY_NR_COUNTERS];
	struct nlattr *nest;

	ctx.stats = sum;
	nest = nla_nest_start(skb, VSECY_A_SECY);
	if (!nest || vsecy_netlink_put_secy(skb, secy))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);

	vsecy_secy_ops.get_secy_stats(&ctx);
	if (put_stats(skb, VSECY_A_SECY_STATS, sum, VSECY_SECY_STATS_A_MAX,
		      VSECY_SECY_STATS_A_PAD))
		return -EMSGSIZE;

	vsecy_secy_ops.get_tx_sc_stats(&ctx);
	nest = nla_nest_start(skb, VSECY_A_TXSC);
	if (!nest ||
	    nla_put_u64_64bit(skb, VSECY_TXSC_A_SCI, secy->sci, VSECY_TXSC_A_PAD) ||
	    put_stats(skb, VSECY_TXSC_A_STATS, sum, VSECY_TXSC_STATS_A_MAX,
		      VSECY_TXSC_STATS_A_PAD) ||
	    put_sa_list(skb, secy, secy->tx_sc.sa, VSECY_TXSC_A_SA_LIST, true, 0))
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
	struct vsecy_secy *secy = vsecy_secy_from_dev(dev);
	struct nlattr *list;
	long start = *resume ? *resume - 1 : 0;
	struct vsecy_rx_sc *sc;
	long i = 0, put = 0;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &genl_family, flags,
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
static int get_start(struct netlink_callback *cb)
{
	struct nlattr **attrs = vsecy_genl_dump_attrs(cb);
	struct net *net = sock_net(cb->skb->sk);
	struct net_device *dev;

	if (!attrs[VSECY_A_IFINDEX] && !attrs[VSECY_A_IFNAME])
		return 0;
	rtnl_lock();
	dev = lookup_dev(net, attrs, cb->extack);
	if (!IS_ERR(dev))
		cb->args[2] = dev->ifindex;
	rtnl_unlock();
	return IS_ERR(dev) ? PTR_ERR(dev) : 0;
}

static int get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long idx = 0;
	int ret;

	rtnl_lock();
	cb->seq = generation;
	for_each_netdev(net, dev) {
		if (!vsecy_device_is_vsecy(dev))
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

static int get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	long resume = 0;
	size_t size;
	int ret;

	rtnl_lock();
	dev = lookup_dev(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev)) {
		rtnl_unlock();
		return PTR_ERR(dev);
	}
	/* Each RX SC with four SAs takes well under 1 KiB; a SecY with more
	 * than fits in VSECY_GET_MAX_REPLY is only dumped, so that no
	 * request makes the kernel allocate in proportion to the SecY.
	 */
	size = min_t(size_t, NLMSG_GOODSIZE +
		     (size_t)vsecy_secy_from_dev(dev)->n_rx_scs * 1024,
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

static const struct genl_ops genl_ops[] = {
	{
		.cmd = VSECY_CMD_GET_SECY,
		.start = get_start,
		.doit = get_doit,
		.dumpit = get_dumpit,
	},
#define CHANGE(c) { .cmd = (c), .doit = change_doit, .flags = GENL_UNS_ADMIN_PERM }
	CHANGE(VSECY_CMD_SET_SECY),
	CHANGE(VSECY_CMD_ADD_RXSC),
	CHANGE(VSECY_CMD_UPD_RXSC),
	CHANGE(VSECY_CMD_DEL_RXSC),
	CHANGE(VSECY_CMD_ADD_TXSA),
	CHANGE(VSECY_CMD_UPD_TXSA),
	CHANGE(VSECY_CMD_DEL_TXSA),
	CHANGE(VSECY_CMD_ADD_RXSA),
	CHANGE(VSECY_CMD_UPD_RXSA),
	CHANGE(VSECY_CMD_DEL_RXSA),
#undef CHANGE
};

/* Anyone who may dump may listen: events show nothing a dump does not. */
static const struct genl_multicast_group genl_mcgrps[] = {
	{ .name = VSECY_GENL_MCGRP_EVENTS },
};

static struct genl_family genl_family __ro_after_init = {
	.name = VSECY_GENL_NAME,
	.version = VSECY_GENL_VERSION,
	.maxattr = VSECY_A_MAX,
	.policy = genl_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = genl_ops,
	.n_ops = ARRAY_SIZE(genl_ops),
	.mcgrps = genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(genl_mcgrps),
};

int __init vsecy_netlink_init(void)
{
	int ret = genl_register_family(&genl_family);

	if (ret < 0)
		return ret;
	ret = vsecy_events_init(&genl_family);
	if (ret < 0)
		genl_unregister_family(&genl_family);
	return ret;
}

void vsecy_netlink_uninit(void)
{
	vsecy_events_uninit();
	genl_unregister_family(&genl_family);
}
