// SPDX-License-Identifier: GPL-2.0
/*
 * Building and checking the SecTAG (IEEE 802.1AE-2018 clause 9).
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/if_ether.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "compat.h"
#include "sectag.h"

/* The checks of 802.1AE 9.12 (and figure 10-5's "valid SecTAG?"). */
int vsecy_sectag_parse(const u8 *tag, unsigned int len, unsigned int icv_len,
		       bool xpn, struct vsecy_sectag *out)
{
	unsigned int tag_len, data_len;
	bool has_sci;

	if (len < VSECY_SECTAG_BASE_LEN ||
	    get_unaligned_be16(tag) != ETH_P_MACSEC)
		return -EINVAL;

	out->tci_an = tag[2];
	out->sl = tag[3];
	out->pn = get_unaligned_be32(tag + 4);
	has_sci = out->tci_an & VSECY_TCI_SC;

	/* c) V = 0: the only version there is. */
	if (out->tci_an & VSECY_TCI_V)
		return -EINVAL;
	/* d) ES = 1 or SCB = 1 say the SCI is implicit: not with SC = 1. */
	if ((out->tci_an & (VSECY_TCI_ES | VSECY_TCI_SCB)) && has_sci)
		return -EINVAL;
	/* e) The two high bits of the SL octet are clear. */
	if (out->sl & ~VSECY_SL_MASK)
		return -EINVAL;
	/* PN 0 is never sent (10.5.2); with XPN only the full 64-bit PN is
	 * non-zero, its low half may be 0.
	 */
	if (!out->pn && !xpn)
		return -EINVAL;

	tag_len = vsecy_sectag_len(has_sci);
	if (len < tag_len + icv_len)
		return -EINVAL;
	out->sci = has_sci ? get_unaligned_be64(tag + VSECY_SECTAG_BASE_LEN) : 0;

	/* f) to i): SL, when set, is the exact length of the user data;
	 * when clear, there are at least 48 octets of it.
	 */
	data_len = len - tag_len - icv_len;
	if (out->sl)
		return data_len == out->sl ? 0 : -EINVAL;
	return data_len > VSECY_SL_MAX ? 0 : -EINVAL;
}

unsigned int vsecy_sectag_build(u8 *tag, const struct vsecy_sectag *in,
				unsigned int data_len)
{
	bool has_sci = in->tci_an & VSECY_TCI_SC;

	put_unaligned_be16(ETH_P_MACSEC, tag);
	tag[2] = in->tci_an;
	tag[3] = data_len <= VSECY_SL_MAX ? data_len : 0;
	put_unaligned_be32(in->pn, tag + 4);
	if (has_sci)
		put_unaligned_be64(in->sci, tag + VSECY_SECTAG_BASE_LEN);
	return vsecy_sectag_len(has_sci);
}

#include "selftest/sectag.c"
