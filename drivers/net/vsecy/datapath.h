/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SecY's datapath, shared by both front ends: protect (protect.c) and
 * validate (validate.c).
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_DATAPATH_H
#define _VSECY_DATAPATH_H

#include <linux/netdevice.h>

struct aead_request;
struct vsecy_port;
struct vsecy_queue_ops;
struct vsecy_sa;
struct vsecy_secy;

/* What a protected frame's SecTAG and IV are made of (802.1AE 9, 14). */
struct vsecy_tx_params {
	u64 sci;		/* for the IV; sent when tci_an has SC */
	u64 pn;			/* the full PN (XPN: 64 bits) */
	u8 tci_an;		/* TCI bits and AN, as sent */
	u8 icv_len;
	u8 conf_offset;		/* used when tci_an has E */
	bool xpn;
};

extern const struct vsecy_queue_ops vsecy_tx_queue_ops;
extern const struct vsecy_queue_ops vsecy_rx_queue_ops;

void vsecy_protect_xmit(struct vsecy_secy *secy, struct sk_buff *skb);
struct aead_request *vsecy_protect_prepare(struct sk_buff *skb,
					   struct vsecy_sa *sa,
					   const struct vsecy_tx_params *p);

rx_handler_result_t vsecy_validate_frame(struct vsecy_port *port,
					 struct sk_buff **pskb);
void vsecy_rx_retarget(struct sk_buff *skb, struct net_device *dev);
struct aead_request *vsecy_validate_prepare(struct sk_buff *skb,
					    struct vsecy_sa *sa, u64 sci,
					    u64 pn, u8 tci_an, bool xpn,
					    unsigned int icv_len,
					    unsigned int conf_offset);

bool vsecy_kat_selftest(void);

#endif /* _VSECY_DATAPATH_H */
