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

/* VSECY_HAVE_LINUX_UNALIGNED_H (probe: include/linux/unaligned.h exists).
 * 6.12 moved the get/put_unaligned_*() helpers from <asm/unaligned.h>,
 * which it removed, to <linux/unaligned.h>.
 */
#ifdef VSECY_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#endif /* _VSECY_COMPAT_H */
