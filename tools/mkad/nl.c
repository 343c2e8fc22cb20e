// SPDX-License-Identifier: GPL-2.0
/* vsecy-mkad: the netlink requests the backends share (see nl.h). */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "crypto.h"
#include "log.h"
#include "nl.h"
#include "secmem.h"

int nl_open(struct nl *n, int bus)
{
	int one = 1;

	memset(n, 0, sizeof(*n));
	n->seq = (uint32_t)time(NULL);
	n->req = secmem_alloc(NL_REQ_SIZE);
	n->reply = secmem_alloc(NL_REPLY_SIZE);
	n->sock = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!n->req || !n->reply || !n->sock ||
	    mnl_socket_bind(n->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno ? -errno : -ENOMEM;

		nl_close(n);
		return err;
	}
	mnl_socket_setsockopt(n->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	n->cap_ack = mnl_socket_setsockopt(n->sock, NETLINK_CAP_ACK, &one,
					   sizeof(one)) == 0;
	if (!n->cap_ack)
		log_warn("netlink: NETLINK_CAP_ACK refused: %s", strerror(errno));
	return 0;
}

void nl_close(struct nl *n)
{
	if (n->sock)
		mnl_socket_close(n->sock);
	secmem_free(n->req, NL_REQ_SIZE);
	secmem_free(n->reply, NL_REPLY_SIZE);
	memset(n, 0, sizeof(*n));
}

struct nlmsghdr *nl_msg(struct nl *n, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(n->req);

	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = ++n->seq;
	return h;
}

struct nlmsghdr *nl_genl_msg(struct nl *n, uint16_t family, uint8_t cmd,
			     uint8_t version)
{
	struct nlmsghdr *h = nl_msg(n, family, 0);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(h, sizeof(*g));

	g->cmd = cmd;
	g->version = version;
	return h;
}

/* The extack message of an error ACK, if any. */
static const char *ack_msg(const struct nlmsghdr *h, const struct nlmsgerr *e)
{
	size_t off = sizeof(*e);
	const struct nlattr *a;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	mnl_attr_for_each(a, h, off)
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			return mnl_attr_get_str(a);
	return NULL;
}

int nl_talk(struct nl *n, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    const char *what)
{
	uint32_t seq = req->nlmsg_seq, portid = mnl_socket_get_portid(n->sock);
	ssize_t len = mnl_socket_sendto(n->sock, req, req->nlmsg_len);
	int err = 0, done = 0;

	crypto_wipe(req, req->nlmsg_len);
	if (len < 0)
		return -errno;
	while (!done) {
		struct nlmsghdr *h;
		int left;

		len = mnl_socket_recvfrom(n->sock, n->reply, NL_REPLY_SIZE);
		if (len < 0) {
			err = -errno;
			break;
		}
		left = (int)len;
		for (h = (struct nlmsghdr *)n->reply; mnl_nlmsg_ok(h, left);
		     h = mnl_nlmsg_next(h, &left)) {
			if (h->nlmsg_seq != seq || h->nlmsg_pid != portid)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
				const char *msg;

				err = e->error;
				msg = err ? ack_msg(h, e) : NULL;
				if (err && what)
					log_err("%s: %s%s%s", what, strerror(-err),
						msg ? ": " : "", msg ? msg : "");
				done = 1;
				break;
			}
			if (cb && cb(h, data) < 0)
				err = -EPROTO;
		}
		crypto_wipe(n->reply, (size_t)len);
	}
	return err;
}

struct family_query {
	uint16_t id;
	const char *group;
	uint32_t group_id;
};

static void group_of(const struct nlattr *groups, struct family_query *q)
{
	const struct nlattr *g, *a;

	mnl_attr_for_each_nested(g, groups) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, g) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
				 mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				id = mnl_attr_get_u32(a);
		}
		if (name && q->group && !strcmp(name, q->group))
			q->group_id = id;
	}
}

static int family_cb(const struct nlmsghdr *h, void *data)
{
	struct family_query *q = data;
	struct nlattr *a;

	mnl_attr_for_each(a, h, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			q->id = mnl_attr_get_u16(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
			group_of(a, q);
	}
	return MNL_CB_OK;
}

int nl_family(struct nl *n, const char *name, const char *group,
	      uint16_t *id, uint32_t *group_id)
{
	struct family_query q = { .group = group };
	struct nlmsghdr *h = nl_genl_msg(n, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	int rc;

	mnl_attr_put_strz(h, CTRL_ATTR_FAMILY_NAME, name);
	rc = nl_talk(n, h, family_cb, &q, name);
	if (rc)
		return rc;
	if (!q.id)
		return -ENOENT;
	*id = q.id;
	if (group_id)
		*group_id = q.group_id;
	return 0;
}

static struct nlmsghdr *link_msg(struct nl *n, uint16_t type, int ifindex)
{
	struct nlmsghdr *h = nl_msg(n, type, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return h;
}

int nl_link_del(struct nl *n, int ifindex)
{
	return nl_talk(n, link_msg(n, RTM_DELLINK, ifindex), NULL, NULL, "delete link");
}

int nl_link_up(struct nl *n, int ifindex)
{
	struct nlmsghdr *h = link_msg(n, RTM_NEWLINK, ifindex);
	struct ifinfomsg *ifi = (struct ifinfomsg *)mnl_nlmsg_get_payload(h);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return nl_talk(n, h, NULL, NULL, "set link up");
}

struct kind_query {
	char *kind;
	size_t size;
	int link;
};

static int kind_cb(const struct nlmsghdr *h, void *data)
{
	struct kind_query *q = data;
	const struct nlattr *a, *b;

	mnl_attr_for_each(a, h, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) == IFLA_LINK &&
		    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			q->link = (int)mnl_attr_get_u32(a);
		if (mnl_attr_get_type(a) != IFLA_LINKINFO)
			continue;
		mnl_attr_for_each_nested(b, a)
			if (mnl_attr_get_type(b) == IFLA_INFO_KIND &&
			    mnl_attr_validate(b, MNL_TYPE_NUL_STRING) >= 0)
				snprintf(q->kind, q->size, "%s", mnl_attr_get_str(b));
	}
	return MNL_CB_OK;
}

int nl_link_kind(struct nl *n, int ifindex, char *kind, size_t size, int *link)
{
	struct kind_query q = { .kind = kind, .size = size };
	struct nlmsghdr *h = link_msg(n, RTM_GETLINK, ifindex);
	int rc;

	kind[0] = 0;
	rc = nl_talk(n, h, kind_cb, &q, "get link");
	if (link)
		*link = q.link;
	return rc;
}
