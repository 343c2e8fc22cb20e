// SPDX-License-Identifier: GPL-2.0
/*
 * Table-driven checks of the replay window and of the XPN PN recovery
 * (802.1AE 10.6.2), run at module load when selftest=1. #included by
 * rx.c, whose static helpers they test.
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

struct window_step {
	u64 pn;
	bool accept;
};

/* Window 4, nextPN starts at 1: frames arrive out of order. */
static const struct window_step window_steps[] = {
	{ 1, true }, { 2, true }, { 2, true },	/* duplicate within window */
	{ 10, true },				/* next_pn 11, lowest 7 */
	{ 7, true }, { 6, false }, { 3, false },
	{ 11, true }, { 8, true },		/* next_pn 12, lowest 8 */
	{ 7, false },
	{ 0xffffffffULL, true }, { 0xfffffffcULL, true },
	{ 0xfffffffbULL, false },
};

bool vsecy_rx_selftest(void)
{
	u64 next_pn = 1, got;
	bool ok = true, accept;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(recover_cases); i++) {
		const struct recover_case *c = &recover_cases[i];

		got = recover_pn(c->base, c->pn_low);
		if (got != c->expect) {
			pr_err("PN recovery self-test %u: base %#llx low %#x: expected %#llx, got %#llx\n",
			       i + 1, c->base, c->pn_low, c->expect, got);
			ok = false;
		}
	}

	for (i = 0; i < ARRAY_SIZE(window_steps); i++) {
		const struct window_step *s = &window_steps[i];

		accept = s->pn >= lowest_pn(next_pn, 4);
		if (accept != s->accept) {
			pr_err("replay window self-test %u: PN %llu with nextPN %llu: expected %s, got %s\n",
			       i + 1, s->pn, next_pn,
			       s->accept ? "accept" : "late",
			       accept ? "accept" : "late");
			ok = false;
		}
		if (accept && s->pn >= next_pn)
			next_pn = s->pn + 1;
	}

	if (lowest_pn(3, 10) != 0 || lowest_pn(10, 0) != 10) {
		pr_err("replay window self-test: lowest PN bounds wrong\n");
		ok = false;
	}
	if (ok)
		pr_info("replay window and PN recovery self-tests: pass\n");
	return ok;
}
