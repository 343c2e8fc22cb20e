// SPDX-License-Identifier: GPL-2.0
/* Writes seed MKPDUs for the fuzzer into tests/corpus (run by hand). */
#include <stdio.h>
#include <string.h>

#include "mkpdu.h"

int main(void)
{
	static struct mkpdu p;
	uint8_t ick[16] = { 0 }, buf[MKPDU_MAX_LEN];
	int len, i;
	FILE *fp;
	char name[64];

	for (i = 0; i < 3; i++) {
		memset(&p, 0, sizeof(p));
		memcpy(p.dst, mka_pae_group, 6);
		p.basic.version = 1;
		p.basic.mn = 1;
		p.basic.ckn_len = 16;
		memcpy(p.basic.algo, mka_algo_agility, 4);
		p.has_live = i > 0;
		p.n_live = i;
		p.sak_use.present = i > 0;
		p.dist_sak.present = i == 2;
		p.dist_sak.wrapped_len = 24;
		p.announce.present = i == 2;
		p.announce.n_cs = 1;
		p.xpn.present = i == 2;
		len = mkpdu_encode(&p, ick, 16, buf, sizeof(buf));
		snprintf(name, sizeof(name), "tests/corpus/seed%d", i);
		fp = fopen(name, "wb");
		if (!fp || len < 0)
			return 1;
		fwrite(buf, 1, (size_t)len, fp);
		fclose(fp);
	}
	return 0;
}
