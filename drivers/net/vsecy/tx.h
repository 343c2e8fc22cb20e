/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_TX_H
#define _VSECY_TX_H

#include <linux/netdevice.h>

netdev_tx_t vsecy_tx_xmit(struct sk_buff *skb, struct net_device *dev);

#endif /* _VSECY_TX_H */
