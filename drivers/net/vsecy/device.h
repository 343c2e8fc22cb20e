/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_DEVICE_H
#define _VSECY_DEVICE_H

#include <linux/netdevice.h>

#include "sectag.h"

struct vsecy_nic;
struct vsecy_port;
struct vsecy_secy;

/* netdev_priv() of a vsecy device: the controlled port of a SecY of its
 * own (VSECY_MODE_SECY), or a MACsec-offload NIC (VSECY_MODE_OFFLOAD,
 * offload.c). The mode is fixed at creation.
 */
struct vsecy_dev {
	struct net_device *dev;
	struct net_device *lower;
	netdevice_tracker lower_tracker;
	struct vsecy_port *port;
	u8 mode;
	struct vsecy_secy *secy;	/* SecY mode */
	struct vsecy_nic *nic;		/* offload mode */
};

int vsecy_device_init(void);
void vsecy_device_uninit(void);
bool vsecy_device_is_vsecy(const struct net_device *dev);
struct vsecy_secy *vsecy_device_secy(const struct net_device *dev);
unsigned int vsecy_device_overhead(const struct vsecy_dev *vs);
void vsecy_device_kill(struct net_device *dev);

/* The netdev ops both modes share (the lower device mirrors them). */
int vsecy_device_open_lower(struct net_device *dev, bool open);
void vsecy_device_change_rx_flags(struct net_device *dev, int change);
void vsecy_device_set_rx_mode(struct net_device *dev);
int vsecy_device_set_mac_address(struct net_device *dev, void *p);
int vsecy_device_get_iflink(const struct net_device *dev);

#endif /* _VSECY_DEVICE_H */
