/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_NETLINK_H
#define _VSECY_NETLINK_H

#include <net/genetlink.h>
#include <net/netlink.h>

#include "secy.h"

extern const struct nla_policy vsecy_netlink_secy_policy[VSECY_SECY_A_MAX + 1];
extern struct genl_family vsecy_genl_family;
extern unsigned int vsecy_netlink_generation;

int vsecy_netlink_init(void);
void vsecy_netlink_uninit(void);
void vsecy_netlink_changed(void);
struct net_device *vsecy_netlink_lookup_dev(struct net *net,
					    struct nlattr **attrs,
					    struct netlink_ext_ack *extack);

/* SecY parameters from attributes (netlink.c). */
int vsecy_netlink_secy_params(struct nlattr **tb, struct vsecy_secy *secy,
			      struct net_device *dev,
			      struct vsecy_secy_params *p,
			      struct netlink_ext_ack *extack);
struct vsecy_secy *vsecy_netlink_secy_create(struct vsecy_port *port,
					     struct net_device *dev,
					     const struct vsecy_secy_hooks *hooks,
					     void *priv,
					     const struct vsecy_secy_params *p,
					     struct nlattr **tb,
					     struct netlink_ext_ack *extack);
int vsecy_netlink_secy_configure(struct vsecy_secy *secy, struct nlattr **tb,
				 struct netlink_ext_ack *extack);

/* Replies and the attributes they share with events (dump.c). */
#define VSECY_PUT_SA_STATE	BIT(0)
#define VSECY_PUT_SA_STATS	BIT(1)

int vsecy_netlink_put_secy(struct sk_buff *skb, struct vsecy_secy *secy);
size_t vsecy_netlink_secy_size(void);
int vsecy_netlink_put_sa(struct sk_buff *skb, struct vsecy_secy *secy,
			 struct vsecy_sa *sa, u8 an, bool rx,
			 unsigned int flags);
int vsecy_dump_start(struct netlink_callback *cb);
int vsecy_dump_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int vsecy_dump_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _VSECY_NETLINK_H */
