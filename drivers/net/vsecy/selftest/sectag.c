// SPDX-License-Identifier: GPL-2.0
/*
 * Table-driven checks of the SecTAG parser and builder, run at module load
 * when the module parameter selftest=1 is given. #included by sectag.c.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

struct sectag_case {
	const char *name;
	u8 tci_an;
	u8 sl_override;		/* 0: keep what build wrote */
	u32 pn;
	unsigned int data_len;	/* user data after the SecTAG, before ICV */
	bool xpn;
	int expect;
};

static const struct sectag_case sectag_cases[] = {
	{ "SC=1, long frame", VSECY_TCI_SC | 1, 0, 1, 100, false, 0 },
	{ "SC=0 ES=1, long frame", VSECY_TCI_ES, 0, 7, 48, false, 0 },
	{ "short frame, SL=46", VSECY_TCI_SC | VSECY_TCI_E | VSECY_TCI_C, 0, 2, 46, false, 0 },
	{ "shortest frame, SL=2", VSECY_TCI_SC, 0, 2, 2, false, 0 },
	{ "V=1", VSECY_TCI_V | VSECY_TCI_SC, 0, 1, 100, false, -EINVAL },
	{ "ES=1 with SC=1", VSECY_TCI_ES | VSECY_TCI_SC, 0, 1, 100, false, -EINVAL },
	{ "SCB=1 with SC=1", VSECY_TCI_SCB | VSECY_TCI_SC, 0, 1, 100, false, -EINVAL },
	{ "PN 0", VSECY_TCI_SC, 0, 0, 100, false, -EINVAL },
	{ "PN low half 0 with XPN", VSECY_TCI_SC, 0, 0, 100, true, 0 },
	{ "SL does not match", VSECY_TCI_SC, 20, 1, 30, false, -EINVAL },
	{ "SL high bits set", VSECY_TCI_SC, 0x40 | 30, 1, 30, false, -EINVAL },
	{ "SL=0 but fewer than 48 octets", VSECY_TCI_SC, 0xff, 1, 47, false, -EINVAL },
};

bool vsecy_sectag_selftest(void)
{
	u8 buf[VSECY_SECTAG_BASE_LEN + VSECY_SCI_LEN + 128 + 16];
	struct vsecy_sectag in, out;
	bool ok = true;
	unsigned int i, len;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sectag_cases); i++) {
		const struct sectag_case *c = &sectag_cases[i];

		memset(buf, 0, sizeof(buf));
		in.tci_an = c->tci_an;
		in.pn = c->pn;
		in.sci = 0x5254001234560001ULL;
		len = vsecy_sectag_build(buf, &in, c->data_len);
		if (c->sl_override == 0xff)
			buf[3] = 0;
		else if (c->sl_override)
			buf[3] = c->sl_override;
		ret = vsecy_sectag_parse(buf, len + c->data_len + 16, 16,
					 c->xpn, &out);
		if (ret != c->expect) {
			pr_err("sectag self-test %u (%s): expected %d, got %d\n",
			       i + 1, c->name, c->expect, ret);
			ok = false;
			continue;
		}
		if (ret)
			continue;
		if (out.tci_an != in.tci_an || out.pn != in.pn ||
		    ((in.tci_an & VSECY_TCI_SC) && out.sci != in.sci) ||
		    (c->data_len < 48 && out.sl != c->data_len)) {
			pr_err("sectag self-test %u (%s): fields do not round-trip\n",
			       i + 1, c->name);
			ok = false;
		}
	}
	if (ok)
		pr_info("sectag self-tests: pass\n");
	return ok;
}
