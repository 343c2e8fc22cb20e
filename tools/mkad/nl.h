/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: netlink requests for the vsecy and macsec backends. Each
 * socket has its own request and reply buffers; both are wiped after
 * every exchange, and NETLINK_CAP_ACK keeps the kernel from echoing a
 * refused request (its key included) in the error ACK.
 */
#ifndef MKAD_NL_H
#define MKAD_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#define NL_REQ_SIZE	8192
#define NL_REPLY_SIZE	32768

struct nl {
	struct mnl_socket *sock;
	uint32_t seq;
	uint8_t *req;		/* NL_REQ_SIZE, key memory */
	uint8_t *reply;		/* NL_REPLY_SIZE, key memory */
	bool cap_ack;		/* NETLINK_CAP_ACK is set */
};

/* bus: NETLINK_ROUTE or NETLINK_GENERIC. 0 or a negative errno. */
int nl_open(struct nl *n, int bus);
void nl_close(struct nl *n);
/* A request header in n->req, with NLM_F_REQUEST | NLM_F_ACK | flags. */
struct nlmsghdr *nl_msg(struct nl *n, uint16_t type, uint16_t flags);
/* A generic netlink request of family/cmd/version. */
struct nlmsghdr *nl_genl_msg(struct nl *n, uint16_t family, uint8_t cmd,
			     uint8_t version);
/*
 * Sends req, reads the answer: data messages go to cb, the ACK's error
 * is returned (negative errno) and logged with its extack message as
 * "what: error: message" (what NULL: not logged). Both buffers are wiped before it returns.
 */
int nl_talk(struct nl *n, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    const char *what);
/* The id of a generic netlink family and of one of its groups. */
int nl_family(struct nl *n, const char *name, const char *group,
	      uint16_t *id, uint32_t *group_id);
/* RTM_DELLINK, or RTM_NEWLINK setting IFF_UP, of ifindex. */
int nl_link_del(struct nl *n, int ifindex);
int nl_link_up(struct nl *n, int ifindex);
/* The rtnl link kind ("vsecy", "macsec", ...) and lower of ifindex. */
int nl_link_kind(struct nl *n, int ifindex, char *kind, size_t size, int *link);

#endif
