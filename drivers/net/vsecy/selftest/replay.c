// SPDX-License-Identifier: GPL-2.0
/*
 * Table-driven checks of the replay window, the replay bitmap and the
 * XPN PN recovery (802.1AE 10.6.2), run at module load when selftest=1.
 * #included by replay.c, whose static helpers they test.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

struct recover_case {
	u64 base;
	u32 pn_low;
	u64 expect;
};

static const struct recover_case recover_cases[] = {
	{ 1, 1, 1 },
	{ 1, 100, 100 },
	{ 0xfffffff0ULL, 0xfffffff5U, 0xfffffff5ULL },
	/* Wrapped past 2^32: the upper half moves on. */
	{ 0xfffffff0ULL, 0x00000003U, 0x100000003ULL },
	{ 0x1fffffff0ULL, 0x00000000U, 0x200000000ULL },
	{ 0x500000000ULL, 0x00000000U, 0x500000000ULL },
	{ 0x512345678ULL, 0x12345677U, 0x612345677ULL },
	{ 0x512345678ULL, 0x12345678U, 0x512345678ULL },
	/* The boundary from the other side: lowest PN just past 2^32. A
	 * low half of 0xffffffff is read as the top of the next 2^32 (the
	 * recovered PN is always within [lowest, lowest + 2^32)); such an
	 * old frame then fails its ICV instead of being taken as late.
	 */
	{ 0x100000002ULL, 0x00000002U, 0x100000002ULL },
	{ 0x100000002ULL, 0xffffffffU, 0x1ffffffffULL },
	{ 0x100000002ULL, 0x00000001U, 0x200000001ULL },
	/* The top of the XPN space. */
	{ 0xffffffff00000000ULL, 0xfffffffeU, 0xfffffffffffffffeULL },
};

/* The replay checks as the receive path makes them, on a real SA: the
 * check before validation (vsecy_replay_check(), a frame late there is
 * dropped) and the final one after it (vsecy_replay_final()), with the PN
 * recovered from the SecTAG's low 32 bits for XPN (vsecy_replay_full_pn()).
 */
enum replay_op {
	FRAME,		/* a frame that passes validation */
	FORGED,		/* a frame that fails validation */
	SET_PN,		/* management sets the RX SA's next PN to .pn */
	RESET_PN,	/* ... and may move it back (vsecy_replay_reset()) */
	END_OF_STEPS,
};

struct replay_step {
	u8 op;
	u64 pn;		/* XPN: the full PN; the SecTAG carries the low half */
	u8 expect;	/* enum vsecy_replay_verdict, for frames */
};

struct replay_case {
	const char *name;
	bool xpn;
	bool replay;
	u32 window;
	u64 first_pn;	/* the SA's next PN when created */
	const struct replay_step *steps;	/* up to END */
};

#define ACCEPT(p)	{ FRAME, p, VSECY_REPLAY_OK }
#define LATE(p)		{ FRAME, p, VSECY_REPLAY_LATE }
#define DELAYED(p)	{ FRAME, p, VSECY_REPLAY_DELAYED }
#define END		{ END_OF_STEPS }

static const struct replay_step in_order[] = {
	ACCEPT(1), ACCEPT(2), ACCEPT(3), ACCEPT(4), LATE(4), LATE(1),
	ACCEPT(5),
	END
};

/* Window 64: any order within it, each PN once. */
static const struct replay_step out_of_order[] = {
	ACCEPT(2), ACCEPT(1), ACCEPT(4), ACCEPT(3), ACCEPT(10), ACCEPT(5),
	ACCEPT(9), ACCEPT(8),
	ACCEPT(70), LATE(6),		/* lowest acceptable PN 71 - 64 = 7 */
	ACCEPT(7), ACCEPT(69),
	END
};

static const struct replay_step duplicates[] = {
	ACCEPT(1), ACCEPT(2), ACCEPT(3), LATE(2), LATE(3), LATE(1),
	ACCEPT(10), LATE(10), ACCEPT(5), LATE(5),
	/* A forged frame is not recorded: the genuine one still passes. */
	{ FORGED, 6, VSECY_REPLAY_OK }, ACCEPT(6), LATE(6),
	/* A forged copy of an accepted PN is refused before validation. */
	{ FORGED, 10, VSECY_REPLAY_LATE },
	END
};

/* Window 4096, larger than the 2048-bit bitmap: PNs more than 2048 below
 * nextPN are judged by the lowest-PN rule alone, so a duplicate there is
 * accepted again (Documentation/counters.md, "Replay notes").
 */
static const struct replay_step older_than_bitmap[] = {
	ACCEPT(1), ACCEPT(3000),	/* nextPN 3001 */
	ACCEPT(1),			/* 3000 back: not known */
	ACCEPT(952), ACCEPT(952),	/* 2049 back: not known */
	ACCEPT(953), LATE(953),		/* 2048 back: known */
	ACCEPT(6000),			/* nextPN 6001, lowest 1905 */
	LATE(1904),			/* below the window */
	ACCEPT(3953), LATE(3953),	/* 2048 back: known */
	ACCEPT(3952), ACCEPT(3952),	/* 2049 back: not known */
	ACCEPT(3000),			/* accepted before, out of reach */
	END
};

static const struct replay_step window_0[] = {
	ACCEPT(5), LATE(5), LATE(4), ACCEPT(7), LATE(6), ACCEPT(8),
	END
};

static const struct replay_step window_0_replay_off[] = {
	ACCEPT(5), DELAYED(5), DELAYED(4), ACCEPT(6),
	END
};

/* Replay protection off: nothing is refused; a duplicate within the
 * window is taken again as 802.1AE says, one below the window is Delayed.
 */
static const struct replay_step replay_off[] = {
	ACCEPT(1), ACCEPT(1), ACCEPT(3), ACCEPT(2), ACCEPT(2),
	ACCEPT(100), DELAYED(2), DELAYED(36), ACCEPT(37), ACCEPT(37),
	END
};

/* nextPN set by management: PNs accepted before stay refused. */
static const struct replay_step set_pn[] = {
	ACCEPT(1), ACCEPT(2), ACCEPT(3),
	{ SET_PN, 10 },
	LATE(2), ACCEPT(5), LATE(5), ACCEPT(10), LATE(10), LATE(3),
	{ SET_PN, 5000 },		/* past the bitmap's reach */
	ACCEPT(4990), LATE(4990), ACCEPT(4999),
	{ SET_PN, 4000 },		/* backwards: ignored */
	LATE(4999), ACCEPT(4998),
	/* Moved back on purpose (the kernel's macsec allows it): what the
	 * bitmap knew is forgotten, the window starts again below 4000.
	 */
	{ RESET_PN, 4000 },
	ACCEPT(3990), LATE(3990), LATE(3900), ACCEPT(4999),
	END
};

/* XPN, window 64, nextPN 2^32 - 16: the SecTAG's low half wraps. */
static const struct replay_step xpn_2_32[] = {
	ACCEPT(0xfffffffeULL), ACCEPT(0x100000001ULL), ACCEPT(0xffffffffULL),
	ACCEPT(0x100000000ULL),
	LATE(0xffffffffULL), LATE(0x100000001ULL), LATE(0xfffffffeULL),
	ACCEPT(0x100000002ULL), ACCEPT(0xfffffff0ULL), LATE(0xfffffff0ULL),
	/* Below the window, the low half recovers into the next 2^32: such
	 * a frame fails its ICV (FORGED here) and is not recorded.
	 */
	{ FORGED, 0x1ffffff00ULL, VSECY_REPLAY_OK },
	ACCEPT(0x100000003ULL),
	END
};

/* XPN with replay off: old frames recover to their own PN, Delayed. */
static const struct replay_step xpn_replay_off[] = {
	ACCEPT(0x100000005ULL), ACCEPT(0xfffffff0ULL), ACCEPT(0xfffffff0ULL),
	DELAYED(0xffffff00ULL), ACCEPT(0x100000006ULL),
	END
};

/* The last XPN PN: nextPN cannot move past it, it is remembered apart. */
static const struct replay_step xpn_last[] = {
	ACCEPT(U64_MAX), LATE(U64_MAX), ACCEPT(U64_MAX - 1),
	LATE(U64_MAX - 1), LATE(U64_MAX), ACCEPT(U64_MAX - 2),
	END
};

static const struct replay_case replay_cases[] = {
	{ "in order, window 0", false, true, 0, 1, in_order },
	{ "out of order within window", false, true, 64, 1, out_of_order },
	{ "duplicate within window", false, true, 64, 1, duplicates },
	{ "duplicate older than the bitmap", false, true, 4096, 1,
	  older_than_bitmap },
	{ "window 0", false, true, 0, 5, window_0 },
	{ "window 0, replay off", false, false, 0, 5, window_0_replay_off },
	{ "replay off, window 64", false, false, 64, 1, replay_off },
	{ "next PN set by netlink", false, true, 64, 1, set_pn },
	{ "XPN across 2^32", true, true, 64, 0xfffffff0ULL, xpn_2_32 },
	{ "XPN, replay off", true, false, 64, 0x100000000ULL,
	  xpn_replay_off },
	{ "XPN, last PN", true, true, 64, U64_MAX - 8, xpn_last },
};

static const char *const verdict_names[] = {
	[VSECY_REPLAY_OK] = "accept",
	[VSECY_REPLAY_DELAYED] = "delayed",
	[VSECY_REPLAY_LATE] = "late",
};

static bool replay_case_run(const struct replay_case *c)
{
	struct vsecy_sa *sa;
	enum vsecy_replay_verdict got;
	bool ok = true;
	unsigned int i;
	u64 pn;

	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return false;
	spin_lock_init(&sa->lock);
	sa->next_pn = c->first_pn;

	for (i = 0; c->steps[i].op != END_OF_STEPS; i++) {
		const struct replay_step *s = &c->steps[i];

		spin_lock_bh(&sa->lock);
		if (s->op == SET_PN || s->op == RESET_PN) {
			if (s->op == SET_PN)
				vsecy_replay_set_next_pn(sa, s->pn);
			else
				vsecy_replay_reset(sa, s->pn);
			spin_unlock_bh(&sa->lock);
			continue;
		}
		pn = vsecy_replay_full_pn(sa, lower_32_bits(s->pn), c->xpn, c->window,
				c->replay);
		got = vsecy_replay_check(sa, pn, c->window, c->replay);
		if (got != VSECY_REPLAY_LATE)
			got = vsecy_replay_final(sa, pn, s->op == FRAME,
					      c->window, c->replay);
		spin_unlock_bh(&sa->lock);

		if (pn != s->pn) {
			pr_err("replay self-test '%s' step %u: PN %#llx recovered as %#llx\n",
			       c->name, i + 1, s->pn, pn);
			ok = false;
		} else if (got != s->expect) {
			pr_err("replay self-test '%s' step %u: PN %#llx: expected %s, got %s\n",
			       c->name, i + 1, s->pn, verdict_names[s->expect],
			       verdict_names[got]);
			ok = false;
		}
	}
	kfree(sa);
	return ok;
}

bool vsecy_replay_selftest(void)
{
	unsigned int i, failed = 0;
	bool ok = true;
	u64 got;

	for (i = 0; i < ARRAY_SIZE(recover_cases); i++) {
		const struct recover_case *c = &recover_cases[i];

		got = vsecy_replay_recover_pn(c->base, c->pn_low);
		if (got != c->expect) {
			pr_err("PN recovery self-test %u: base %#llx low %#x: expected %#llx, got %#llx\n",
			       i + 1, c->base, c->pn_low, c->expect, got);
			ok = false;
		}
	}

	for (i = 0; i < ARRAY_SIZE(replay_cases); i++)
		if (!replay_case_run(&replay_cases[i]))
			failed++;
	if (failed) {
		pr_err("replay self-tests: %u of %zu cases failed\n", failed,
		       ARRAY_SIZE(replay_cases));
		ok = false;
	}

	if (lowest_pn(3, 10) != 0 || lowest_pn(10, 0) != 10) {
		pr_err("replay window self-test: lowest PN bounds wrong\n");
		ok = false;
	}
	if (ok)
		pr_info("replay window (%zu cases) and PN recovery self-tests: pass\n",
			ARRAY_SIZE(replay_cases));
	return ok;
}
