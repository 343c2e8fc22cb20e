// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy: a MACsec (IEEE 802.1AE) SecY as a stacked virtual netdev.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <net/rtnetlink.h>

#include "device.h"

static int __init vsecy_mod_init(void)
{
	int ret;

	ret = vsecy_device_init();
	if (ret < 0)
		return ret;

	pr_info("IEEE 802.1AE SecY loaded\n");
	return 0;
}

static void __exit vsecy_mod_exit(void)
{
	vsecy_device_uninit();
}

module_init(vsecy_mod_init);
module_exit(vsecy_mod_exit);
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("MACsec (IEEE 802.1AE) SecY as a virtual netdev");
MODULE_AUTHOR("The vsecy authors");
MODULE_ALIAS_RTNL_LINK(KBUILD_MODNAME);
