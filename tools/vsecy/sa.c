// SPDX-License-Identifier: GPL-2.0
/*
 * `vsecy add|set|del DEV tx sa N ...` and `... rx SCI [sa N ...]`: the
 * RX SC and SA commands of the generic-netlink family, one request each.
 */
#include <string.h>
#include <linux/netlink.h>

#include "config.h"
#include "netlink.h"
#include "vsecy.h"

static const char *const verb_names[] = {
	[VERB_ADD] = "add", [VERB_SET] = "set", [VERB_DEL] = "del",
};

int cmd_sa(int verb, int argc, char **argv)
{
	static char buf[NL_BUFLEN];
	struct nlmsghdr *req;
	struct sa_cmd c;
	char what[48];
	struct nl nl;
	uint32_t ifindex;
	int ret = 1;

	if (parse_sa_cmd(verb, argc, argv, &c))
		goto out;
	snprintf(what, sizeof(what), "%s %s%s", verb_names[verb],
		 c.rx ? "rx sc" : "tx sa", c.rx && c.has_sa ? " sa" : "");
	ifindex = dev_index(c.dev);
	if (!ifindex)
		goto out;

	if (opt_dry_run) {
		req = build_sa_cmd(buf, 0, ifindex, &c);
		nl_dump_request(stdout, req, NETLINK_GENERIC);
		ret = 0;
		goto out;
	}
	/* From here on, failures are the kernel's answer: exit status 2. */
	ret = 2;
	if (nl_open(&nl, NETLINK_GENERIC))
		goto out;
	if (!genl_resolve(&nl)) {
		req = build_sa_cmd(buf, nl.family, ifindex, &c);
		ret = nl_talk(&nl, req, NULL, NULL, what) ? 2 : 0;
	}
	nl_close(&nl);
out:
	/* The key went through both: wipe them on every path. */
	wipe(buf, sizeof(buf));
	wipe(&c, sizeof(c));
	return ret;
}
