/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_RX_H
#define _VSECY_RX_H

#include <linux/netdevice.h>

struct vsecy_port;

/* Called by the lower device's rx_handler, under RCU. */
rx_handler_result_t vsecy_rx_handle_frame(struct vsecy_port *port,
					  struct sk_buff **pskb);

bool vsecy_rx_selftest(void);

#endif /* _VSECY_RX_H */
