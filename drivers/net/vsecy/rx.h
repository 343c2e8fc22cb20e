/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_RX_H
#define _VSECY_RX_H

#include <linux/netdevice.h>

struct aead_request;
struct vsecy_port;
struct vsecy_sa;

/* Called by the lower device's rx_handler, under RCU. */
rx_handler_result_t vsecy_rx_handle_frame(struct vsecy_port *port,
					  struct sk_buff **pskb);

struct aead_request *vsecy_rx_prepare(struct sk_buff *skb, struct vsecy_sa *sa,
				      u64 sci, u64 pn, u8 tci_an, bool xpn,
				      unsigned int icv_len,
				      unsigned int conf_offset);

bool vsecy_rx_selftest(void);
bool vsecy_kat_selftest(void);

#endif /* _VSECY_RX_H */
