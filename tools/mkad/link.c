// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the link watcher (link.h). One non-blocking NETLINK_ROUTE
 * socket per watched device, a member of RTNLGRP_LINK, which carries every
 * device's RTM_NEWLINK and RTM_DELLINK; those of other devices are
 * skipped. The RTM_GETLINK that tells the first state is answered while
 * it is being sent (rtnetlink runs in the sender's context), so it is read
 * at once; joining the group first means no change is missed in between.
 * Lost notifications (ENOBUFS: the socket's buffer overran on a busy host)
 * are made up for by asking again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "link.h"
#include "log.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000		/* linux/if.h, which net/if.h keeps out */
#endif

/* A device's RTM_NEWLINK (no statistics of VFs unless asked for) fits. */
#define LINK_BUF_SIZE	32768

struct link_watch {
	struct loop *loop;
	struct mnl_socket *sock;
	struct loop_fd lfd;
	int ifindex;
	char name[IF_NAMESIZE];
	enum link_state st;
	bool known;		/* st was told */
	int query_err;		/* the RTM_GETLINK's error ACK, 0 */
	uint32_t seq;
	link_fn fn;
	void *ctx;
	uint8_t buf[LINK_BUF_SIZE] __attribute__((aligned(4)));
};

const char *link_state_name(enum link_state st)
{
	switch (st) {
	case LINK_RUNNING: return "running";
	case LINK_NO_CARRIER: return "no carrier";
	case LINK_NOT_OPER: return "not operational";
	case LINK_ADMIN_DOWN: return "set down";
	case LINK_GONE: return "device deleted";
	}
	return "?";
}

int link_parse(const struct nlmsghdr *h, int ifindex, enum link_state *st)
{
	const struct ifinfomsg *ifi;

	if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK)
		return 0;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return 0;
	ifi = mnl_nlmsg_get_payload(h);
	if (ifi->ifi_family != AF_UNSPEC || ifi->ifi_index != ifindex)
		return 0;
	if (h->nlmsg_type == RTM_DELLINK)
		*st = LINK_GONE;
	else if (!(ifi->ifi_flags & IFF_UP))
		*st = LINK_ADMIN_DOWN;
	else if (!(ifi->ifi_flags & IFF_LOWER_UP))
		*st = LINK_NO_CARRIER;
	else if (!(ifi->ifi_flags & IFF_RUNNING))
		*st = LINK_NOT_OPER;
	else
		*st = LINK_RUNNING;
	return 1;
}

enum link_state link_watch_state(const struct link_watch *w)
{
	return w->st;
}

static void set_state(struct link_watch *w, enum link_state st)
{
	bool was = w->known && w->st == LINK_RUNNING, changed;

	changed = w->known && was != (st == LINK_RUNNING);
	if (w->st != st || !w->known)
		log_dbg("link %s: %s", w->name, link_state_name(st));
	w->st = st;
	w->known = true;
	if (changed && w->fn)
		w->fn(w->ctx, st);
}

/* RTM_GETLINK of the device; its answer comes with the next read. */
static int query(struct link_watch *w)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(w->buf);
	struct ifinfomsg *ifi;

	h->nlmsg_type = RTM_GETLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = ++w->seq;
	ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = w->ifindex;
	w->query_err = 0;
	if (mnl_socket_sendto(w->sock, h, h->nlmsg_len) < 0)
		return -errno;
	return 0;
}

static void walk(struct link_watch *w, size_t len)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)w->buf;
	int left = (int)len;
	enum link_state st;

	for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
		if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_seq == w->seq &&
		    h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

			w->query_err = e->error;
			if (e->error)
				log_warn("link %s: RTM_GETLINK: %s", w->name, strerror(-e->error));
		} else if (link_parse(h, w->ifindex, &st)) {
			set_state(w, st);
		}
	}
}

/* Reads all there is; asks again if notifications were lost. */
static void drain(struct link_watch *w)
{
	bool lost = false;

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(w->sock, w->buf, sizeof(w->buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS || errno == ENOSPC) {
				lost = true;
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("link %s: netlink: %s", w->name, strerror(errno));
			break;
		}
		walk(w, (size_t)n);
	}
	if (!lost)
		return;
	log_warn("link %s: notifications lost (ENOBUFS): asking for the state", w->name);
	if (query(w))
		log_warn("link %s: RTM_GETLINK not sent: %s", w->name, strerror(errno));
	/* the answer is on the socket: the loop comes back for it */
}

static void readable(void *ctx, uint32_t events)
{
	(void)events;
	drain(ctx);
}

/* The socket, in the group, and the first state; the failed step, or NULL. */
static const char *open_watch(struct link_watch *w)
{
	unsigned int group = RTNLGRP_LINK;
	int rc;

	w->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!w->sock || mnl_socket_bind(w->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return "netlink socket";
	if (mnl_socket_setsockopt(w->sock, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0)
		return "joining RTNLGRP_LINK";
	if (query(w) < 0)
		return "RTM_GETLINK";
	drain(w);		/* no fn yet: the first state is no change */
	if (!w->known) {
		errno = w->query_err ? -w->query_err : ENODATA;
		return "RTM_GETLINK";
	}
	rc = loop_add_fd(w->loop, &w->lfd, mnl_socket_get_fd(w->sock), EPOLLIN, readable, w);
	if (rc) {
		errno = -rc;
		return "epoll";
	}
	return NULL;
}

struct link_watch *link_watch_new(struct loop *l, int ifindex, const char *name,
				  link_fn fn, void *ctx)
{
	struct link_watch *w = calloc(1, sizeof(*w));
	const char *failed;

	if (!w) {
		log_warn("link %s: cannot watch it: out of memory", name);
		return NULL;
	}
	w->loop = l;
	w->ifindex = ifindex;
	snprintf(w->name, sizeof(w->name), "%s", name);
	w->seq = (uint32_t)time(NULL);
	failed = open_watch(w);
	if (failed) {
		log_warn("link %s: cannot watch it: %s: %s", name, failed, strerror(errno));
		link_watch_free(w);
		return NULL;
	}
	w->fn = fn;
	w->ctx = ctx;
	return w;
}

void link_watch_free(struct link_watch *w)
{
	if (!w)
		return;
	loop_del_fd(w->loop, &w->lfd);
	if (w->sock)
		mnl_socket_close(w->sock);
	free(w);
}

struct link_watch *link_watch_port(struct loop *l, int ifindex, const char *name,
				   link_fn fn, void *ctx, bool *running)
{
	struct link_watch *w = ifindex > 0 ? link_watch_new(l, ifindex, name, fn, ctx) : NULL;

	*running = !w || w->st == LINK_RUNNING;
	if (!w)
		log_warn("link on %s not watched: 802.1X takes it to be up", name);
	else if (!*running)
		log_info("link on %s down: %s; 802.1X waits for it", name, link_state_name(w->st));
	return w;
}
