/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SecTAG on the wire (IEEE 802.1AE-2018 clause 9).
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_SECTAG_H
#define _VSECY_SECTAG_H

#include <linux/types.h>

/* TCI bits and AN (9.4, 9.5, 9.6). */
#define VSECY_TCI_V		0x80
#define VSECY_TCI_ES		0x40
#define VSECY_TCI_SC		0x20
#define VSECY_TCI_SCB		0x10
#define VSECY_TCI_E		0x08
#define VSECY_TCI_C		0x04
#define VSECY_AN_MASK		0x03

/* The SecTAG after the MAC addresses: EtherType (2), TCI/AN (1), SL (1),
 * PN (4), optional SCI (8).
 */
#define VSECY_SECTAG_BASE_LEN	8
#define VSECY_SCI_LEN		8
#define VSECY_SL_MAX		47	/* 9.7: SL set when fewer than 48 */
#define VSECY_SL_MASK		0x3f

/* SecTAG with an explicit SCI (9.3) plus the ICV (9.10): the most a SecY
 * adds to a frame. The MTU of a controlled port is the lower device's
 * minus this.
 */
#define VSECY_SECTAG_MAX_LEN	16
#define VSECY_ICV_MAX_LEN	16
#define VSECY_OVERHEAD		(VSECY_SECTAG_MAX_LEN + VSECY_ICV_MAX_LEN)

static inline unsigned int vsecy_sectag_len(bool has_sci)
{
	return VSECY_SECTAG_BASE_LEN + (has_sci ? VSECY_SCI_LEN : 0);
}

struct vsecy_sectag {
	u8 tci_an;
	u8 sl;
	u32 pn;		/* the low 32 bits for XPN suites */
	u64 sci;	/* valid when tci_an & VSECY_TCI_SC */
};

/* @tag points at the MACsec EtherType; @len counts the octets from there
 * to the end of the frame, ICV included.
 */
int vsecy_sectag_parse(const u8 *tag, unsigned int len, unsigned int icv_len,
		       bool xpn, struct vsecy_sectag *out);
/* Writes the SecTAG for a frame whose user data (from its EtherType on)
 * is @data_len octets; returns the SecTAG length.
 */
unsigned int vsecy_sectag_build(u8 *tag, const struct vsecy_sectag *in,
				unsigned int data_len);

bool vsecy_sectag_selftest(void);

#endif /* _VSECY_SECTAG_H */
