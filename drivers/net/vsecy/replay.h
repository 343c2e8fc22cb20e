/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay protection and PN recovery of an RX SA (IEEE 802.1AE-2018
 * 10.6.2, 10.6.5). Every function runs under sa->lock.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_REPLAY_H
#define _VSECY_REPLAY_H

#include <linux/types.h>

struct vsecy_sa;

enum vsecy_replay_verdict {
	VSECY_REPLAY_OK,	/* at or above the lowest acceptable PN */
	VSECY_REPLAY_DELAYED,	/* below it, replay protection off */
	VSECY_REPLAY_LATE,	/* refused: below it, or seen, replay on */
};

u64 vsecy_replay_full_pn(const struct vsecy_sa *sa, u32 tag_pn, bool xpn,
			 u32 window, bool replay);
u64 vsecy_replay_pre_check(u64 next_pn, u32 tag_pn, bool xpn, u32 window,
			   bool replay, bool *late);
enum vsecy_replay_verdict vsecy_replay_check(const struct vsecy_sa *sa,
					     u64 pn, u32 window, bool replay);
enum vsecy_replay_verdict vsecy_replay_final(struct vsecy_sa *sa, u64 pn,
					     bool valid, u32 window,
					     bool replay);
void vsecy_replay_set_next_pn(struct vsecy_sa *sa, u64 pn);
void vsecy_replay_reset(struct vsecy_sa *sa, u64 pn);
u64 vsecy_replay_recover_pn(u64 base, u32 pn_low);

bool vsecy_replay_selftest(void);

#endif /* _VSECY_REPLAY_H */
