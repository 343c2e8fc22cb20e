// SPDX-License-Identifier: GPL-2.0
/*
 * The generic-netlink family "vsecy" (include/uapi/linux/vsecy.h): the
 * front end that turns requests into calls of the SecY engine, with the
 * rules of vsecy's own uAPI on top of the engine's invariants: a PN only
 * moves forward, an active SA is not deleted, an SA's key, key
 * identifier, SSCI and salt are set once. The replies (GET, dumps) are in
 * dump.c.
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

#include "device.h"
#include "events.h"
#include "netlink.h"
#include "secy.h"

/* Bumped under RTNL by every change, so a dump that spans several
 * messages can flag itself inconsistent (NLM_F_DUMP_INTR).
 */
unsigned int vsecy_netlink_generation = 1;

void vsecy_netlink_changed(void)
{
	ASSERT_RTNL();
	vsecy_netlink_generation++;
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
	[VSECY_SECY_A_MODE]		= NLA_POLICY_MAX(NLA_U8, VSECY_MODE_MAX),
	[VSECY_SECY_A_OFFLOADED]	= {
		.type = NLA_REJECT,
		.reject_message = "the offloaded SecYs are the kernel macsec's to configure",
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

static void get_flag(struct nlattr **tb, int type, bool *v)
{
	if (tb[type])
		*v = nla_get_u8(tb[type]);
}

/* The SecY parameters of @tb (IFLA_INFO_DATA or VSECY_A_SECY, checked by
 * the policy) over those in @p: a SecY's own, or the defaults.
 */
int vsecy_netlink_secy_params(struct nlattr **tb, struct vsecy_secy *secy,
			      struct net_device *dev,
			      struct vsecy_secy_params *p,
			      struct netlink_ext_ack *extack)
{
	if (secy)
		*p = secy->p;
	if (!tb)
		return 0;
	if (tb[VSECY_SECY_A_SCI] && tb[VSECY_SECY_A_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VSECY_SECY_A_PORT],
				    "give either an SCI or a port, not both");
		return -EINVAL;
	}
	if (tb[VSECY_SECY_A_SCI])
		p->sci = nla_get_u64(tb[VSECY_SECY_A_SCI]);
	if (tb[VSECY_SECY_A_PORT])
		p->sci = vsecy_make_sci(dev->dev_addr,
					nla_get_u16(tb[VSECY_SECY_A_PORT]));
	if (tb[VSECY_SECY_A_CIPHER_SUITE])
		p->cipher_suite = nla_get_u64(tb[VSECY_SECY_A_CIPHER_SUITE]);
	if (tb[VSECY_SECY_A_ICV_LEN])
		p->icv_len = nla_get_u8(tb[VSECY_SECY_A_ICV_LEN]);
	if (tb[VSECY_SECY_A_ENCODING_SA])
		p->encoding_sa = nla_get_u8(tb[VSECY_SECY_A_ENCODING_SA]);
	if (tb[VSECY_SECY_A_VALIDATE])
		p->validate = nla_get_u8(tb[VSECY_SECY_A_VALIDATE]);
	if (tb[VSECY_SECY_A_CONF_OFFSET])
		p->conf_offset = nla_get_u8(tb[VSECY_SECY_A_CONF_OFFSET]);
	if (tb[VSECY_SECY_A_WINDOW])
		p->window = nla_get_u32(tb[VSECY_SECY_A_WINDOW]);
	if (tb[VSECY_SECY_A_PN_THRESHOLD])
		p->pn_threshold = nla_get_u64(tb[VSECY_SECY_A_PN_THRESHOLD]);
	get_flag(tb, VSECY_SECY_A_ENCRYPT, &p->encrypt);
	get_flag(tb, VSECY_SECY_A_PROTECT, &p->protect);
	get_flag(tb, VSECY_SECY_A_INC_SCI, &p->send_sci);
	get_flag(tb, VSECY_SECY_A_ES, &p->end_station);
	get_flag(tb, VSECY_SECY_A_SCB, &p->scb);
	get_flag(tb, VSECY_SECY_A_REPLAY, &p->replay);
	return 0;
}

/* The attribute of @tb that stands for the engine's @field. */
static struct nlattr *secy_attr(struct nlattr **tb, enum vsecy_field field)
{
	if (!tb)
		return NULL;
	switch (field) {
	case VSECY_FIELD_SCI:
		return tb[VSECY_SECY_A_SCI] ?: tb[VSECY_SECY_A_PORT];
	case VSECY_FIELD_CIPHER_SUITE:
		return tb[VSECY_SECY_A_CIPHER_SUITE];
	case VSECY_FIELD_ICV_LEN:
		return tb[VSECY_SECY_A_ICV_LEN];
	case VSECY_FIELD_WINDOW:
		return tb[VSECY_SECY_A_WINDOW];
	case VSECY_FIELD_CONF_OFFSET:
		return tb[VSECY_SECY_A_CONF_OFFSET];
	default:
		return NULL;
	}
}

struct vsecy_secy *vsecy_netlink_secy_create(struct vsecy_port *port,
					     struct net_device *dev,
					     const struct vsecy_secy_hooks *hooks,
					     void *priv,
					     const struct vsecy_secy_params *p,
					     struct nlattr **tb,
					     struct netlink_ext_ack *extack)
{
	enum vsecy_field bad;
	struct vsecy_secy *secy;

	secy = vsecy_secy_create(port, dev, hooks, priv, p, &bad, extack);
	if (IS_ERR(secy))
		NL_SET_BAD_ATTR(extack, secy_attr(tb, bad));
	return secy;
}

/* rtnetlink's changelink and VSECY_CMD_SET_SECY. */
int vsecy_netlink_secy_configure(struct vsecy_secy *secy, struct nlattr **tb,
				 struct netlink_ext_ack *extack)
{
	struct vsecy_secy_params p;
	enum vsecy_field bad;
	int ret;

	ret = vsecy_netlink_secy_params(tb, secy, secy->dev, &p, extack);
	if (ret)
		return ret;
	ret = vsecy_secy_configure(secy, &p, &bad, extack);
	if (ret)
		NL_SET_BAD_ATTR(extack, secy_attr(tb, bad));
	return ret;
}

/* Under RTNL. */
struct net_device *vsecy_netlink_lookup_dev(struct net *net,
					    struct nlattr **attrs,
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
	if (!vsecy_device_secy(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a vsecy NIC (offload mode) has no SecY of its own: configure its macsec devices");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

/* A request's parts, parsed. */
struct req {
	struct genl_info *info;
	struct vsecy_secy *secy;
	struct nlattr *secy_tb[VSECY_SECY_A_MAX + 1];
	struct nlattr *sc_tb[VSECY_RXSC_A_MAX + 1];
	struct nlattr *sa_tb[VSECY_SA_A_MAX + 1];
	struct vsecy_rx_sc *sc;		/* RX SA requests: the SC */
	u64 sci;
};

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

static int parse_rxsc(struct req *r)
{
	struct genl_info *info = r->info;
	int ret;

	ret = need_nest(info, VSECY_A_RXSC,
			"the request needs VSECY_A_RXSC with the SCI");
	if (ret)
		return ret;
	ret = nla_parse_nested(r->sc_tb, VSECY_RXSC_A_MAX,
			       info->attrs[VSECY_A_RXSC], rxsc_policy,
			       info->extack);
	if (ret)
		return ret;
	if (!r->sc_tb[VSECY_RXSC_A_SCI]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VSECY_A_RXSC],
				    "an RX SC is named by its SCI (VSECY_RXSC_A_SCI)");
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[VSECY_A_RXSC],
				     VSECY_RXSC_A_SCI);
		return -EINVAL;
	}
	r->sci = nla_get_u64(r->sc_tb[VSECY_RXSC_A_SCI]);
	return 0;
}

static int parse_sa(struct req *r)
{
	struct genl_info *info = r->info;
	int ret;

	ret = need_nest(info, VSECY_A_SA,
			"the request needs VSECY_A_SA with the association number");
	if (ret)
		return ret;
	ret = nla_parse_nested(r->sa_tb, VSECY_SA_A_MAX, info->attrs[VSECY_A_SA],
			       sa_policy, info->extack);
	if (ret)
		return ret;
	if (!r->sa_tb[VSECY_SA_A_AN]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VSECY_A_SA],
				    "an SA needs its association number (0..3)");
		return -EINVAL;
	}
	return 0;
}

/* Under RTNL: the RX SC that an RX SC or RX SA request names. */
static int find_rxsc(struct req *r)
{
	r->sc = vsecy_rx_sc_rtnl(r->secy, r->sci);
	if (!r->sc) {
		NL_SET_ERR_MSG_ATTR(r->info->extack, r->sc_tb[VSECY_RXSC_A_SCI],
				    "no RX SC with this SCI on this device");
		return -ENOENT;
	}
	return 0;
}

static struct nlattr *sa_attr(struct req *r, enum vsecy_field field)
{
	switch (field) {
	case VSECY_FIELD_AN:
		return r->sa_tb[VSECY_SA_A_AN];
	case VSECY_FIELD_KEY:
		return r->sa_tb[VSECY_SA_A_KEY];
	case VSECY_FIELD_PN:
		return r->sa_tb[VSECY_SA_A_PN];
	default:
		return NULL;
	}
}

static int do_set_secy(struct req *r)
{
	struct genl_info *info = r->info;

	if (r->secy_tb[VSECY_SECY_A_MODE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, r->secy_tb[VSECY_SECY_A_MODE],
				    "the mode of a vsecy device is fixed when it is created");
		return -EOPNOTSUPP;
	}
	return vsecy_netlink_secy_configure(r->secy, r->secy_tb, info->extack);
}

static int do_rxsc(struct req *r, u8 cmd)
{
	struct netlink_ext_ack *extack = r->info->extack;
	struct nlattr *active = r->sc_tb[VSECY_RXSC_A_ACTIVE];
	struct vsecy_rx_sc *sc;

	if (cmd == VSECY_CMD_ADD_RXSC) {
		sc = vsecy_rx_sc_add(r->secy, r->sci,
				     !active || nla_get_u8(active), extack);
		if (IS_ERR(sc)) {
			NL_SET_BAD_ATTR(extack, r->sc_tb[VSECY_RXSC_A_SCI]);
			return PTR_ERR(sc);
		}
		return 0;
	}
	if (find_rxsc(r))
		return -ENOENT;
	if (cmd == VSECY_CMD_DEL_RXSC)
		vsecy_rx_sc_del(r->secy, r->sc);
	else if (active)
		vsecy_rx_sc_set_active(r->sc, nla_get_u8(active));
	return 0;
}

/* An SA of the TX SC (r->sc NULL) or of r->sc is added. */
static int do_add_sa(struct req *r)
{
	struct netlink_ext_ack *extack = r->info->extack;
	struct nlattr **tb = r->sa_tb, *attr;
	struct vsecy_sa_params p = { .pn = 1 };
	bool xpn = r->secy->xpn;
	enum vsecy_field bad;
	int ret;

	if (!tb[VSECY_SA_A_KEY]) {
		NL_SET_ERR_MSG_ATTR(extack, NULL, "an SA needs a key");
		return -EINVAL;
	}
	if (!tb[VSECY_SA_A_KEYID]) {
		NL_SET_ERR_MSG_ATTR(extack, NULL, "an SA needs a key identifier");
		return -EINVAL;
	}
	if (!r->sc && !tb[VSECY_SA_A_PN]) {
		NL_SET_ERR_MSG_ATTR(extack, NULL, "a transmit SA needs its first PN");
		return -EINVAL;
	}
	attr = tb[VSECY_SA_A_SSCI] ? tb[VSECY_SA_A_SALT] : tb[VSECY_SA_A_SSCI];
	if (xpn && (!tb[VSECY_SA_A_SSCI] || !tb[VSECY_SA_A_SALT])) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "an SA of an XPN cipher suite needs an SSCI and a salt");
		return -EINVAL;
	}
	attr = tb[VSECY_SA_A_SSCI] ?: tb[VSECY_SA_A_SALT];
	if (!xpn && attr) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "SSCI and salt are for XPN cipher suites only");
		return -EINVAL;
	}

	p.key_len = nla_len(tb[VSECY_SA_A_KEY]);
	nla_memcpy(p.key, tb[VSECY_SA_A_KEY], sizeof(p.key));
	nla_memcpy(p.keyid, tb[VSECY_SA_A_KEYID], VSECY_KEYID_LEN);
	if (tb[VSECY_SA_A_PN])
		p.pn = nla_get_u64(tb[VSECY_SA_A_PN]);
	if (tb[VSECY_SA_A_ACTIVE])
		p.active = nla_get_u8(tb[VSECY_SA_A_ACTIVE]);
	if (xpn) {
		p.ssci = nla_get_u32(tb[VSECY_SA_A_SSCI]);
		nla_memcpy(p.salt, tb[VSECY_SA_A_SALT], VSECY_SALT_LEN);
	}
	ret = vsecy_sa_add(r->secy, r->sc, nla_get_u8(tb[VSECY_SA_A_AN]), &p,
			   &bad, extack);
	if (ret)
		NL_SET_BAD_ATTR(extack, sa_attr(r, bad));
	/* The key went into the transform: our copies go now. */
	memzero_explicit(&p, sizeof(p));
	memzero_explicit(nla_data(tb[VSECY_SA_A_KEY]), nla_len(tb[VSECY_SA_A_KEY]));
	return ret;
}

static int do_upd_sa(struct req *r)
{
	static const struct {
		int type;
		const char *msg;
	} fixed[] = {
		{ VSECY_SA_A_KEY, "the key of an SA cannot be changed; add a new SA" },
		{ VSECY_SA_A_KEYID, "the key identifier of an SA cannot be changed" },
		{ VSECY_SA_A_SSCI, "the SSCI of an SA cannot be changed" },
		{ VSECY_SA_A_SALT, "the salt of an SA cannot be changed" },
	};
	struct netlink_ext_ack *extack = r->info->extack;
	struct nlattr **tb = r->sa_tb;
	enum vsecy_field bad;
	bool active;
	unsigned int i;
	u64 pn;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		if (tb[fixed[i].type]) {
			/* NL_SET_ERR_MSG_ATTR() with a message from a table. */
			if (extack)
				extack->_msg = fixed[i].msg;
			NL_SET_BAD_ATTR(extack, tb[fixed[i].type]);
			return -EINVAL;
		}
	}
	if (tb[VSECY_SA_A_PN])
		pn = nla_get_u64(tb[VSECY_SA_A_PN]);
	if (tb[VSECY_SA_A_ACTIVE])
		active = nla_get_u8(tb[VSECY_SA_A_ACTIVE]);
	ret = vsecy_sa_update(r->secy, r->sc, nla_get_u8(tb[VSECY_SA_A_AN]),
			      tb[VSECY_SA_A_PN] ? &pn : NULL, VSECY_PN_FORWARD,
			      tb[VSECY_SA_A_ACTIVE] ? &active : NULL, &bad,
			      extack);
	if (ret)
		NL_SET_BAD_ATTR(extack, sa_attr(r, bad));
	return ret;
}

static int do_del_sa(struct req *r)
{
	struct netlink_ext_ack *extack = r->info->extack;
	struct nlattr *an_attr = r->sa_tb[VSECY_SA_A_AN];
	u8 an = nla_get_u8(an_attr);
	struct vsecy_sa *sa = vsecy_sa_rtnl(r->secy, r->sc, an);
	bool active;
	u64 pn;

	if (!sa) {
		NL_SET_ERR_MSG_ATTR(extack, an_attr, "no SA with this association number");
		return -ENOENT;
	}
	vsecy_sa_state(sa, &pn, &active);
	if (active) {
		NL_SET_ERR_MSG_ATTR(extack, an_attr,
				    "the SA is active: set it off before deleting it");
		return -EBUSY;
	}
	vsecy_sa_del(r->secy, r->sc, an);
	return 0;
}

static bool cmd_is_rxsc(u8 cmd)
{
	return cmd == VSECY_CMD_ADD_RXSC || cmd == VSECY_CMD_UPD_RXSC ||
	       cmd == VSECY_CMD_DEL_RXSC;
}

static bool cmd_is_rxsa(u8 cmd)
{
	return cmd == VSECY_CMD_ADD_RXSA || cmd == VSECY_CMD_UPD_RXSA ||
	       cmd == VSECY_CMD_DEL_RXSA;
}

/* Under RTNL: the request on r->secy. */
static int do_cmd(struct req *r, u8 cmd)
{
	if (cmd_is_rxsa(cmd) && find_rxsc(r))
		return -ENOENT;

	switch (cmd) {
	case VSECY_CMD_SET_SECY:
		return do_set_secy(r);
	case VSECY_CMD_ADD_RXSC:
	case VSECY_CMD_UPD_RXSC:
	case VSECY_CMD_DEL_RXSC:
		return do_rxsc(r, cmd);
	case VSECY_CMD_ADD_TXSA:
	case VSECY_CMD_ADD_RXSA:
		return do_add_sa(r);
	case VSECY_CMD_UPD_TXSA:
	case VSECY_CMD_UPD_RXSA:
		return do_upd_sa(r);
	case VSECY_CMD_DEL_TXSA:
	case VSECY_CMD_DEL_RXSA:
		return do_del_sa(r);
	}
	return -EOPNOTSUPP;
}

/* Every command that changes something: parse, then one operation. */
static int change_doit(struct sk_buff *skb, struct genl_info *info)
{
	u8 cmd = info->genlhdr->cmd;
	struct net_device *dev;
	struct req *r;
	int ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->info = info;

	if (cmd == VSECY_CMD_SET_SECY) {
		ret = need_nest(info, VSECY_A_SECY,
				"the request needs VSECY_A_SECY with the parameters");
		if (!ret)
			ret = nla_parse_nested(r->secy_tb, VSECY_SECY_A_MAX,
					       info->attrs[VSECY_A_SECY],
					       vsecy_netlink_secy_policy,
					       info->extack);
	} else {
		ret = 0;
		if (cmd_is_rxsc(cmd) || cmd_is_rxsa(cmd))
			ret = parse_rxsc(r);
		if (!ret && !cmd_is_rxsc(cmd))
			ret = parse_sa(r);
	}
	if (ret)
		goto out;

	rtnl_lock();
	dev = vsecy_netlink_lookup_dev(genl_info_net(info), info->attrs,
				       info->extack);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
	} else {
		r->secy = vsecy_device_secy(dev);
		ret = do_cmd(r, cmd);
		if (!ret) {
			vsecy_netlink_changed();
			vsecy_events_config(cmd, r->secy, r->sci,
					    r->sa_tb[VSECY_SA_A_AN] ?
					    nla_get_u8(r->sa_tb[VSECY_SA_A_AN]) : 0);
		}
	}
	rtnl_unlock();
out:
	/* No key bytes are left in the request's parse tables (do_add_sa()
	 * wiped them); the tables go too.
	 */
	kfree_sensitive(r);
	return ret;
}

static const struct genl_ops genl_ops[] = {
	{
		.cmd = VSECY_CMD_GET_SECY,
		.start = vsecy_dump_start,
		.doit = vsecy_dump_doit,
		.dumpit = vsecy_dump_dumpit,
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

struct genl_family vsecy_genl_family __ro_after_init = {
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
	int ret = genl_register_family(&vsecy_genl_family);

	if (ret < 0)
		return ret;
	ret = vsecy_events_init(&vsecy_genl_family);
	if (ret < 0)
		genl_unregister_family(&vsecy_genl_family);
	return ret;
}

void vsecy_netlink_uninit(void)
{
	vsecy_events_uninit();
	genl_unregister_family(&vsecy_genl_family);
}
