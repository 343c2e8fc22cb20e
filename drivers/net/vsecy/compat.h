/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels vsecy builds for (Debian 12's 6.1 and
 * 6.12). Each VSECY_HAVE_* below is the result of one probe of the kernel
 * headers at build time, in Kbuild (probe: ...), never a version number:
 * a backport moves the probe's answer with it.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_COMPAT_H
#define _VSECY_COMPAT_H

#include <linux/crypto.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>

/* VSECY_HAVE_LINUX_UNALIGNED_H (probe: include/linux/unaligned.h exists).
 * 6.12 moved the get/put_unaligned_*() helpers from <asm/unaligned.h>,
 * which it removed, to <linux/unaligned.h>.
 */
#ifdef VSECY_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* VSECY_HAVE_NET_GSO_H (probe: include/net/gso.h exists). 6.4 moved
 * skb_gso_segment() and the other GSO helpers from <linux/netdevice.h>
 * to <net/gso.h>.
 */
#ifdef VSECY_HAVE_NET_GSO_H
#include <net/gso.h>
#endif

/* VSECY_HAVE_CRYPTO_DONE_DATA (probe: crypto_completion_t takes a void *).
 * Since 6.3 a crypto completion is called with the data pointer given to
 * aead_request_set_callback(); before, with the struct crypto_async_request
 * that holds it (6.1's crypto_get_completion_data() reads it from there).
 * A completion is declared void done(VSECY_CRYPTO_DONE_ARG *arg, int err)
 * and finds its data with vsecy_crypto_done_data(arg).
 */
#ifdef VSECY_HAVE_CRYPTO_DONE_DATA
#define VSECY_CRYPTO_DONE_ARG void

static inline void *vsecy_crypto_done_data(void *data)
{
	return data;
}
#else
#define VSECY_CRYPTO_DONE_ARG struct crypto_async_request

static inline void *vsecy_crypto_done_data(struct crypto_async_request *req)
{
	return crypto_get_completion_data(req);
}
#endif

/* VSECY_HAVE_NETDEV_LLTX (probe: struct net_device has a member lltx).
 * 6.12 turned the NETIF_F_LLTX feature bit into dev->lltx, a private flag
 * of the device.
 */
static inline void vsecy_netdev_set_lltx(struct net_device *dev)
{
#ifdef VSECY_HAVE_NETDEV_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/* VSECY_HAVE_GENL_DUMPIT_INFO_INFO (probe: struct genl_dumpit_info holds
 * a struct genl_info). Since 6.2 a dump's parsed attributes are in
 * genl_dumpit_info(cb)->info.attrs; before, in genl_dumpit_info(cb)->attrs.
 */
static inline struct nlattr **vsecy_genl_dump_attrs(struct netlink_callback *cb)
{
#ifdef VSECY_HAVE_GENL_DUMPIT_INFO_INFO
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* VSECY_HAVE_MACSEC_RX_USES_MD_DST (probe: struct macsec_ops has
 * rx_uses_md_dst). From 6.9, and in 6.1.y from about 6.1.91, an offloading
 * driver can tell the macsec core that received frames carry their RX
 * SC's METADATA_MACSEC dst; before, the core found the macsec device by
 * MAC address, which the offload NIC cannot work with, so it refuses to be
 * made.
 */
#ifdef VSECY_HAVE_MACSEC_RX_USES_MD_DST
#define VSECY_MACSEC_OPS_MD_DST	.rx_uses_md_dst = true,
static inline bool vsecy_have_macsec_md_dst(void)
{
	return IS_ENABLED(CONFIG_MACSEC);
}
#else
#define VSECY_MACSEC_OPS_MD_DST
static inline bool vsecy_have_macsec_md_dst(void)
{
	return false;
}
#endif

/* VSECY_HAVE_MACSEC_UPDATE_PN (probe: struct macsec_context has
 * sa.update_pn). Since 6.7 (and in 6.1.y) the core says whether an SA
 * update changed the PN; before, the SA's PN, changed or not, is taken.
 */
#ifdef VSECY_HAVE_MACSEC_UPDATE_PN
#define vsecy_ctx_update_pn(ctx)	((ctx)->sa.update_pn)
#else
#define vsecy_ctx_update_pn(ctx)	true
#endif

#endif /* _VSECY_COMPAT_H */
