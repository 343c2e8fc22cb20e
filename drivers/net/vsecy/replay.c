// SPDX-License-Identifier: GPL-2.0
/*
 * Replay protection and PN recovery of an RX SA (IEEE 802.1AE-2018
 * 10.6.2, 10.6.5): the lowest acceptable PN, the replay bitmap of PNs
 * accepted within the window (struct vsecy_replay), and the upper half of
 * an XPN PN. Every function runs under sa->lock.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/lockdep.h>
#include <linux/slab.h>

#include "replay.h"
#include "secy.h"

/* The replay bitmap of an RX SA (struct vsecy_replay in secy.h). The
 * bit of PN p is p mod VSECY_REPLAY_BITS, and the bitmap describes the
 * PNs [next_pn - VSECY_REPLAY_BITS, next_pn): each position stands for
 * exactly one of them, so no bit can be mistaken for a PN further back or
 * ahead. All of them run under sa->lock.
 */

/* Whether @pn was accepted before, as far as the bitmap knows: PNs at or
 * above next_pn never were (except the last XPN PN, which next_pn cannot
 * pass); PNs further back than the bitmap reaches are not known.
 */
static bool replay_seen(const struct vsecy_sa *sa, u64 pn)
{
	lockdep_assert_held(&sa->lock);
	if (pn == U64_MAX && sa->replay.last_seen)
		return true;
	if (pn >= sa->next_pn || sa->next_pn - pn > VSECY_REPLAY_BITS)
		return false;
	return test_bit(pn & (VSECY_REPLAY_BITS - 1), sa->replay.seen);
}

/* Moves next_pn forward to @next. The PNs in [next_pn, next) enter the
 * bitmap's reach unseen, and their positions are those of the PNs
 * VSECY_REPLAY_BITS further back, which leave it: clear them.
 */
static void replay_advance(struct vsecy_sa *sa, u64 next)
{
	unsigned int start = sa->next_pn & (VSECY_REPLAY_BITS - 1);
	u64 n = next - sa->next_pn;

	BUILD_BUG_ON_NOT_POWER_OF_2(VSECY_REPLAY_BITS);
	if (n >= VSECY_REPLAY_BITS) {
		bitmap_zero(sa->replay.seen, VSECY_REPLAY_BITS);
	} else if (start + n <= VSECY_REPLAY_BITS) {
		bitmap_clear(sa->replay.seen, start, n);
	} else {
		bitmap_clear(sa->replay.seen, start, VSECY_REPLAY_BITS - start);
		bitmap_clear(sa->replay.seen, 0, start + n - VSECY_REPLAY_BITS);
	}
	WRITE_ONCE(sa->next_pn, next);
}

/* Records that a frame with @pn passed validation and was taken: nextPN
 * moves past it (10.6.5) and its bit is set, if still within reach.
 */
static void replay_accept(struct vsecy_sa *sa, u64 pn)
{
	lockdep_assert_held(&sa->lock);
	if (pn == U64_MAX) {
		/* next_pn would wrap to 0 and accept everything again. */
		sa->replay.last_seen = true;
		return;
	}
	if (pn >= sa->next_pn)
		replay_advance(sa, pn + 1);
	if (sa->next_pn - pn <= VSECY_REPLAY_BITS)
		__set_bit(pn & (VSECY_REPLAY_BITS - 1), sa->replay.seen);
}

/* The next PN of an RX SA set by management, under sa->lock. It moves
 * forward the way accepting a frame moves it: the PNs between the old and
 * the new next_pn were never accepted, and those that were stay refused,
 * as a frame is accepted once. A PN below next_pn changes nothing (vsecy's
 * own uAPI refuses it before; see vsecy_replay_reset()).
 */
void vsecy_replay_set_next_pn(struct vsecy_sa *sa, u64 pn)
{
	lockdep_assert_held(&sa->lock);
	if (pn > sa->next_pn)
		replay_advance(sa, pn);
}

/* The next PN of an RX SA moved back by management, under sa->lock (the
 * kernel's macsec lets an offloaded RX SA be set so): what the bitmap
 * knew no longer lines up with the PNs below next_pn, and it starts
 * empty.
 */
void vsecy_replay_reset(struct vsecy_sa *sa, u64 pn)
{
	lockdep_assert_held(&sa->lock);
	bitmap_zero(sa->replay.seen, VSECY_REPLAY_BITS);
	sa->replay.last_seen = false;
	WRITE_ONCE(sa->next_pn, pn);
}

/* Largest distance back from nextPN within which the upper half of an XPN
 * PN is recovered when replay protection is off (802.1AE 10.6.2 bounds
 * the replay window to 2^30 for this reason).
 */
#define XPN_RECOVERY_WINDOW	BIT_ULL(30)

/* 10.6.2: lowestPN = nextPN - replayWindow (not below 0). */
static u64 lowest_pn(u64 next_pn, u32 window)
{
	return next_pn > window ? next_pn - window : 0;
}

/* 10.6.2 for XPN: the SecTAG carries the low 32 bits of the PN; the upper
 * half is that of @base (the lowest acceptable PN), plus one when the low
 * half is below @base's, i.e. the PN wrapped past a 2^32 boundary.
 */
u64 vsecy_replay_recover_pn(u64 base, u32 pn_low)
{
	u64 pn = (base & ~(u64)U32_MAX) | pn_low;

	if (pn_low < lower_32_bits(base))
		pn += 1ULL << 32;
	return pn;
}

/* The full PN of a frame whose SecTAG carries @tag_pn, under sa->lock.
 * For XPN the upper half is recovered from the lowest acceptable PN
 * (10.6.2), or, with replay protection off, from a point far enough back
 * that delayed frames still recover to their own PN.
 */
u64 vsecy_replay_full_pn(const struct vsecy_sa *sa, u32 tag_pn, bool xpn,
			 u32 window, bool replay)
{
	return vsecy_replay_pre_check(READ_ONCE(sa->next_pn), tag_pn, xpn,
				      window, replay, NULL);
}

/* Without sa->lock, from a snapshot @next_pn of the SA's next PN: the full
 * PN of a frame whose SecTAG carries @tag_pn, and in *@late (when not
 * NULL) whether the frame is certainly late. next_pn only moves forward
 * between two frames (management moving it back is the one exception, a
 * race it may lose), so a snapshot's lowest acceptable PN is never above
 * the SA's own: a frame below it is below the SA's too. The replay bitmap
 * is not looked at here: without the lock, one of its bits may stand for
 * another PN. The final check, under the lock, decides.
 */
u64 vsecy_replay_pre_check(u64 next_pn, u32 tag_pn, bool xpn, u32 window,
			   bool replay, bool *late)
{
	u64 pn = tag_pn;

	if (xpn)
		pn = vsecy_replay_recover_pn(lowest_pn(next_pn, replay ? window :
						       XPN_RECOVERY_WINDOW),
					     tag_pn);
	if (late)
		*late = replay && pn < lowest_pn(next_pn, window);
	return pn;
}

/* The replay check of 10.6.2, under sa->lock. 802.1AE keeps only a lowest
 * acceptable PN, so a copy of a frame still within the replay window
 * would be accepted again; with replay protection on, the SA's bitmap of
 * accepted PNs refuses it too. PNs further back than the bitmap reaches
 * (a window larger than VSECY_REPLAY_BITS) are judged by the lowest-PN
 * rule alone. With replay protection off nothing is refused.
 */
enum vsecy_replay_verdict vsecy_replay_check(const struct vsecy_sa *sa,
					     u64 pn, u32 window, bool replay)
{
	if (pn < lowest_pn(sa->next_pn, window))
		return replay ? VSECY_REPLAY_LATE : VSECY_REPLAY_DELAYED;
	if (replay && replay_seen(sa, pn))
		return VSECY_REPLAY_LATE;
	return VSECY_REPLAY_OK;
}

/* The final replay verdict, after validation, under sa->lock: a valid
 * frame that is not late is recorded (nextPN, bitmap) in the same
 * critical section as the check, so that of two copies of a frame
 * validated at the same time on two CPUs only one is taken. Frames that
 * were not validated, or failed, record nothing: a forged frame must not
 * make the genuine one with its PN look like a replay.
 */
enum vsecy_replay_verdict vsecy_replay_final(struct vsecy_sa *sa, u64 pn,
					     bool valid, u32 window,
					     bool replay)
{
	enum vsecy_replay_verdict verdict = vsecy_replay_check(sa, pn, window,
							   replay);

	if (valid && verdict != VSECY_REPLAY_LATE)
		replay_accept(sa, pn);
	return verdict;
}

#include "selftest/replay.c"
