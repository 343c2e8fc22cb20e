/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters of SecYs, SCs and SAs (IEEE 802.1AE-2018 10.7).
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_COUNTERS_H
#define _VSECY_COUNTERS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <uapi/linux/vsecy.h>

/* One set of counters, indexed by the uAPI stats enums (all of which are
 * shorter than VSECY_NR_COUNTERS), so that one pair of helpers serves the
 * SecY, the SCs and the SAs.
 */
#define VSECY_NR_COUNTERS	(VSECY_RXSC_STATS_A_MAX + 1)

struct vsecy_counters {
	u64_stats_t c[VSECY_NR_COUNTERS];
	struct u64_stats_sync syncp;
};

/* From any context: completions of asynchronous crypto may run in
 * process context, so the CPU is pinned and interrupts are kept out of
 * the update section.
 */
static inline void vsecy_count(struct vsecy_counters __percpu *stats,
			       unsigned int idx, u64 n)
{
	struct vsecy_counters *s;
	unsigned long flags;

	s = get_cpu_ptr(stats);
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->c[idx], n);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(stats);
}

/* Charged to the memory cgroup of whoever asked (a request from root of
 * a user namespace counts against it).
 */
struct vsecy_counters __percpu *vsecy_counters_alloc(void);
void vsecy_counters_sum(struct vsecy_counters __percpu *stats,
			u64 sum[VSECY_NR_COUNTERS]);

#endif /* _VSECY_COUNTERS_H */
