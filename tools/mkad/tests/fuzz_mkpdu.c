// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the MKPDU parser and ICV check on arbitrary frames.
 * A frame that parses must re-encode to a frame that parses to the same
 * basic parameter set (the parser never reports fields the encoder cannot
 * carry), and nothing may read out of bounds (ASan/UBSan).
 */
#include <stdlib.h>
#include <string.h>

#include "mkpdu.h"

static const uint8_t ick[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mkpdu p, q;
	static uint8_t buf[MKPDU_MAX_LEN + 64];
	int len;

	if (mkpdu_parse(data, size, &p) != MKPDU_OK)
		return 0;
	(void)mkpdu_icv_ok(data, size, ick, sizeof(ick));
	len = mkpdu_encode(&p, ick, sizeof(ick), buf, sizeof(buf));
	if (len < 0)
		return 0;
	if (mkpdu_parse(buf, (size_t)len, &q) != MKPDU_OK ||
	    !mkpdu_icv_ok(buf, (size_t)len, ick, sizeof(ick)) ||
	    q.basic.mn != p.basic.mn || q.basic.sci != p.basic.sci ||
	    q.n_live != p.n_live || q.n_potential != p.n_potential ||
	    q.basic.ckn_len != p.basic.ckn_len)
		abort();
	return 0;
}
