// SPDX-License-Identifier: GPL-2.0
/*
 * `vsecy link add|set|del`: creating a vsecy device is rtnetlink's job
 * (kind "vsecy", parameters in IFLA_INFO_DATA, as `ip link add ... type
 * macsec` does); changing its SecY goes through VSECY_CMD_SET_SECY, whose
 * rules (no SCI or cipher change while SAs exist) the kernel enforces.
 */
#include <string.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "config.h"
#include "netlink.h"
#include "vsecy.h"

static int kind_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *b;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) != IFLA_LINKINFO)
			continue;
		mnl_attr_for_each_nested(b, a)
			if (mnl_attr_get_type(b) == IFLA_INFO_KIND &&
			    mnl_attr_validate(b, MNL_TYPE_NUL_STRING) >= 0)
				snprintf(data, 16, "%s", mnl_attr_get_str(b));
	}
	return MNL_CB_OK;
}

/* Deleting a device is not undoable: only vsecy devices, please. */
static int check_kind(struct nl *nl, uint32_t ifindex, const char *name)
{
	char buf[256], kind[16] = "";
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	if (nl_talk(nl, nlh, kind_cb, kind, "link show"))
		return -1;
	if (strcmp(kind, "vsecy")) {
		vsecy_err("Error: %s is not a vsecy device (kind \"%s\")", name,
			  *kind ? kind : "none");
		return -1;
	}
	return 0;
}

static int link_do(enum verb verb, int argc, char **argv)
{
	char buf[NL_BUFLEN];
	struct nlmsghdr *req;
	struct link_cmd c;
	uint32_t ifindex = 0, lower = 0;
	int bus = verb == VERB_SET ? NETLINK_GENERIC : NETLINK_ROUTE;
	const char *what = verb == VERB_ADD ? "link add" :
			   verb == VERB_SET ? "link set" : "link del";
	struct nl nl;
	int ret = 2;

	if (parse_link_cmd(verb, argc, argv, &c))
		return 1;
	if (verb == VERB_ADD) {
		lower = dev_index(c.lower);
		if (!lower)
			return 1;
	} else {
		ifindex = dev_index(c.name);
		if (!ifindex)
			return 1;
	}

	if (opt_dry_run) {
		if (verb == VERB_ADD)
			req = build_newlink(buf, lower, &c);
		else if (verb == VERB_SET)
			req = build_set_secy(buf, 0, ifindex, &c.opts);
		else
			req = build_dellink(buf, ifindex);
		nl_dump_request(stdout, req, bus);
		return 0;
	}

	if (nl_open(&nl, bus))
		return 2;
	if (verb == VERB_ADD) {
		req = build_newlink(buf, lower, &c);
	} else if (verb == VERB_SET) {
		if (genl_resolve(&nl))
			goto out;
		req = build_set_secy(buf, nl.family, ifindex, &c.opts);
	} else {
		if (check_kind(&nl, ifindex, c.name))
			goto out;
		req = build_dellink(buf, ifindex);
	}
	ret = nl_talk(&nl, req, NULL, NULL, what) ? 2 : 0;
out:
	nl_close(&nl);
	return ret;
}

int cmd_link(int argc, char **argv)
{
	if (argc < 1 || matches(argv[0], "help")) {
		usage_link(argc < 1 ? stderr : stdout);
		return argc < 1;
	}
	if (matches(argv[0], "add"))
		return link_do(VERB_ADD, argc - 1, argv + 1);
	if (matches(argv[0], "set") || !strcmp(argv[0], "change"))
		return link_do(VERB_SET, argc - 1, argv + 1);
	if (matches(argv[0], "delete"))
		return link_do(VERB_DEL, argc - 1, argv + 1);
	vsecy_err("Error: unknown word \"%s\": expected link add, set or del", argv[0]);
	usage_link(stderr);
	return 1;
}
