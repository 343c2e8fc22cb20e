/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: watches one network device's link (the lower device of an
 * access device's port) on rtnetlink (RTNLGRP_LINK). The device is
 * running when it is administratively up and operational (IFF_UP and
 * IFF_RUNNING: carrier, and not dormant); it is not when it loses carrier,
 * is set down or is deleted. The state is asked for at start (RTM_GETLINK)
 * and after lost notifications (ENOBUFS); the callback comes only when
 * running changes.
 */
#ifndef MKAD_LINK_H
#define MKAD_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "loop.h"

struct nlmsghdr;

enum link_state {
	LINK_RUNNING,
	LINK_NO_CARRIER,	/* up, no IFF_LOWER_UP */
	LINK_NOT_OPER,		/* up, carrier, but not operational (dormant...) */
	LINK_ADMIN_DOWN,	/* no IFF_UP */
	LINK_GONE,		/* RTM_DELLINK */
};

typedef void (*link_fn)(void *ctx, enum link_state st);

struct link_watch;

/*
 * Watches ifindex (name for the logs): its state is known when this
 * returns (link_watch_state). fn(ctx, st) when it starts or stops running,
 * from the loop (fn may not free w). NULL (logged) if the socket or the
 * first query fails.
 */
struct link_watch *link_watch_new(struct loop *l, int ifindex, const char *name,
				  link_fn fn, void *ctx);
/*
 * For an 802.1X port: the watch of ifindex (none if ifindex <= 0 or it
 * cannot be had: logged, the link taken to be up), and in *running
 * whether 802.1X may start now (a link that is down is logged).
 */
struct link_watch *link_watch_port(struct loop *l, int ifindex, const char *name,
				   link_fn fn, void *ctx, bool *running);
void link_watch_free(struct link_watch *w);
enum link_state link_watch_state(const struct link_watch *w);

/* "running", "no carrier", "set down", "device deleted", ... */
const char *link_state_name(enum link_state st);

/*
 * What one netlink message (h->nlmsg_len octets, checked by the caller
 * against what was read) says of ifindex: 1 and *st for an RTM_NEWLINK or
 * RTM_DELLINK of it, else 0: other types, other devices, other families
 * than AF_UNSPEC (a bridge's messages about its ports) and messages too
 * short for their ifinfomsg.
 */
int link_parse(const struct nlmsghdr *h, int ifindex, enum link_state *st);

#endif
