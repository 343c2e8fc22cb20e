/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_OFFLOAD_H
#define _VSECY_OFFLOAD_H

#include <linux/netdevice.h>
#include <net/netlink.h>

struct vsecy_dev;
struct vsecy_port;

int vsecy_offload_newlink(struct vsecy_dev *vs, struct nlattr **data,
			  struct netlink_ext_ack *extack);
int vsecy_offload_changelink(struct vsecy_dev *vs, struct nlattr **data,
			     struct netlink_ext_ack *extack);
void vsecy_offload_dellink(struct vsecy_dev *vs);
void vsecy_offload_free(struct vsecy_dev *vs);
size_t vsecy_offload_info_size(const struct vsecy_dev *vs);
int vsecy_offload_fill_info(struct sk_buff *skb, struct vsecy_dev *vs);
int vsecy_offload_lower_event(struct vsecy_port *port, unsigned long event);

#endif /* _VSECY_OFFLOAD_H */
