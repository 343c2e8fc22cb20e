/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_TX_H
#define _VSECY_TX_H

#include <linux/netdevice.h>

struct aead_request;
struct vsecy_sa;

/* What a protected frame's SecTAG and IV are made of (802.1AE 9, 14). */
struct vsecy_tx_params {
	u64 sci;		/* for the IV; sent when tci_an has SC */
	u64 pn;			/* the full PN (XPN: 64 bits) */
	u8 tci_an;		/* TCI bits and AN, as sent */
	u8 icv_len;
	u8 conf_offset;		/* used when tci_an has E */
	bool xpn;
};

struct aead_request *vsecy_tx_prepare(struct sk_buff *skb, struct vsecy_sa *sa,
				      const struct vsecy_tx_params *p);
netdev_tx_t vsecy_tx_xmit(struct sk_buff *skb, struct net_device *dev);

#endif /* _VSECY_TX_H */
