// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy: a MACsec (IEEE 802.1AE) SecY engine with two front ends, its own
 * link kind and a MACsec-offload NIC for the kernel's macsec.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <uapi/linux/vsecy.h>

#include "crypto.h"
#include "datapath.h"
#include "device.h"
#include "netlink.h"
#include "replay.h"
#include "sectag.h"
#include "secy.h"

/* The built-in self-tests (selftest/) run when the module is loaded with
 * selftest=1; a failure fails the load.
 */
static bool selftest;
module_param(selftest, bool, 0444);
MODULE_PARM_DESC(selftest, "run the built-in self-tests at load, fail the load if one fails");

static int __init vsecy_mod_init(void)
{
	int ret;

	if (selftest) {
		bool ok = vsecy_sectag_selftest();

		ok = vsecy_replay_selftest() && ok;
		ok = vsecy_kat_selftest() && ok;
		if (!ok)
			return -ENOTRECOVERABLE;
	}

	ret = vsecy_crypto_init();
	if (ret < 0)
		return ret;

	ret = vsecy_device_init();
	if (ret < 0)
		goto err_crypto;

	ret = vsecy_netlink_init();
	if (ret < 0)
		goto err_device;

	pr_info("IEEE 802.1AE SecY loaded\n");
	return 0;

err_device:
	vsecy_device_uninit();
err_crypto:
	vsecy_crypto_uninit();
	return ret;
}

static void __exit vsecy_mod_exit(void)
{
	vsecy_netlink_uninit();
	vsecy_device_uninit();
	vsecy_crypto_uninit();
	/* The SAs', SCs', SecYs' and ports' RCU callbacks are the module's
	 * code, or free its memory: wait for them (none queues another,
	 * secy.h) before it goes. Every device is gone by now, so no frame
	 * in flight can queue one later.
	 */
	rcu_barrier();
	WARN(!vsecy_rcu_idle(), "vsecy: RCU callbacks queued after the barrier at module exit\n");
}

module_init(vsecy_mod_init);
module_exit(vsecy_mod_exit);
MODULE_LICENSE("GPL v2");
MODULE_DESCRIPTION("MACsec (IEEE 802.1AE) SecY as a virtual netdev");
MODULE_AUTHOR("The vsecy authors");
MODULE_ALIAS_RTNL_LINK(KBUILD_MODNAME);
MODULE_ALIAS_GENL_FAMILY(VSECY_GENL_NAME);
