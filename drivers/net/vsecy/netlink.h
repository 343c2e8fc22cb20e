/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_NETLINK_H
#define _VSECY_NETLINK_H

#include <net/netlink.h>

#include "secy.h"

extern const struct nla_policy vsecy_netlink_secy_policy[VSECY_SECY_A_MAX + 1];

int vsecy_netlink_init(void);
void vsecy_netlink_uninit(void);
void vsecy_netlink_changed(void);
void vsecy_netlink_parse_secy(struct nlattr **tb, struct vsecy_secy_cfg *cfg);
int vsecy_netlink_put_secy(struct sk_buff *skb, struct vsecy_secy *secy);
size_t vsecy_netlink_secy_size(void);

#endif /* _VSECY_NETLINK_H */
