// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the link watcher's parser (link_parse) on
 * crafted rtnetlink messages: running, no carrier, set down, not
 * operational, deleted; other devices, a bridge's port messages, other
 * types and messages too short for their ifinfomsg ignored.
 */
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "link.h"
#include "unit.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000
#endif

#define UP_RUNNING	(IFF_UP | IFF_RUNNING | IFF_LOWER_UP | IFF_BROADCAST)

static char buf[512] __attribute__((aligned(4)));

/* An RTM_NEWLINK or RTM_DELLINK of ifindex, with an IFLA_IFNAME. */
static struct nlmsghdr *ifmsg(uint16_t type, uint8_t family, int ifindex, unsigned int flags)
{
	struct nlmsghdr *h;
	struct ifinfomsg *ifi;

	memset(buf, 0, sizeof(buf));
	h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = family;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	ifi->ifi_change = ~0U;
	mnl_attr_put_strz(h, IFLA_IFNAME, "veth0");
	return h;
}

/* link_parse of a message, 1 if it was about ifindex 7 with st want */
static int says(struct nlmsghdr *h, enum link_state want)
{
	enum link_state st = (enum link_state)-1;
	int rc = link_parse(h, 7, &st);

	return check(rc == 1 && st == want, "type %u flags %#x: %d %s, expected %s",
		     h->nlmsg_type, ((struct ifinfomsg *)mnl_nlmsg_get_payload(h))->ifi_flags,
		     rc, rc ? link_state_name(st) : "-", link_state_name(want));
}

static int ignored(struct nlmsghdr *h, const char *what)
{
	enum link_state st = LINK_RUNNING;

	return check(!link_parse(h, 7, &st) && st == LINK_RUNNING, "%s taken", what);
}

static void t_link_parse(void)
{
	int ok;

	ok = says(ifmsg(RTM_NEWLINK, AF_UNSPEC, 7, UP_RUNNING), LINK_RUNNING) &&
	     says(ifmsg(RTM_NEWLINK, AF_UNSPEC, 7, UP_RUNNING & ~(IFF_RUNNING | IFF_LOWER_UP)),
		  LINK_NO_CARRIER) &&
	     says(ifmsg(RTM_NEWLINK, AF_UNSPEC, 7, UP_RUNNING & ~IFF_UP), LINK_ADMIN_DOWN) &&
	     says(ifmsg(RTM_NEWLINK, AF_UNSPEC, 7, IFF_BROADCAST), LINK_ADMIN_DOWN) &&
	     says(ifmsg(RTM_NEWLINK, AF_UNSPEC, 7, UP_RUNNING & ~IFF_RUNNING), LINK_NOT_OPER) &&
	     says(ifmsg(RTM_DELLINK, AF_UNSPEC, 7, UP_RUNNING), LINK_GONE);
	result(ok, "link: RTM_NEWLINK running, no carrier, set down, not operational; RTM_DELLINK");

	ok = ignored(ifmsg(RTM_NEWLINK, AF_UNSPEC, 8, UP_RUNNING), "another device's NEWLINK") &&
	     ignored(ifmsg(RTM_DELLINK, AF_UNSPEC, 8, 0), "another device's DELLINK") &&
	     ignored(ifmsg(RTM_DELLINK, AF_BRIDGE, 7, 0), "a bridge's DELLINK of its port") &&
	     ignored(ifmsg(RTM_NEWADDR, AF_UNSPEC, 7, 0), "RTM_NEWADDR") &&
	     ignored(ifmsg(NLMSG_ERROR, AF_UNSPEC, 7, 0), "NLMSG_ERROR");
	result(ok, "link: other devices, a bridge's port messages and other types ignored");

	{
		struct nlmsghdr *h = ifmsg(RTM_DELLINK, AF_UNSPEC, 7, 0);

		h->nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg) - 1);
		ok = ignored(h, "a DELLINK too short for its ifinfomsg");
		h = ifmsg(RTM_NEWLINK, AF_UNSPEC, 7, 0);
		h->nlmsg_len = NLMSG_HDRLEN;
		ok = ok && ignored(h, "a NEWLINK of a bare header");
	}
	result(ok, "link: messages too short for their ifinfomsg ignored");
}

void t_link(void)
{
	t_link_parse();
}
