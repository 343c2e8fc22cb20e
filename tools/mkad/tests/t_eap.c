// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the access device's keys and CAs. The CAK and
 * CKN from an EAP MSK and Session-Id (802.1X-2020 6.2.2, as wpa_supplicant
 * derives them: the known answer below was computed with `openssl mac
 * CMAC`), and a CA started by EAP (port_start_ca): key server whatever
 * the priorities (obliged_ks), ended at once (port_end_ca).
 */
#include <string.h>

#include "unit.h"

static void t_eap_keys(void)
{
	uint8_t msk[64], sid[65], cak[16], ckn[16], cak2[16], ckn2[16];
	const uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 }, m2[6] = { 2, 0, 0, 0, 0, 2 };
	int i, ok;

	for (i = 0; i < 64; i++)
		msk[i] = (uint8_t)i;
	sid[0] = 0x0d;
	for (i = 1; i < 65; i++)
		sid[i] = (uint8_t)(0x3f + i);
	ok = check(!crypto_eap_cak_ckn(msk, 64, sid, 65, m1, m2, cak, ckn), "derivation failed") &&
	     expect_hex("CAK", cak, "f7c54b9b518839f4453a7415c65d4be3") &&
	     expect_hex("CKN", ckn, "1927c066eb55cc42b0c62a2d4541cec6") &&
	     check(!crypto_eap_cak_ckn(msk, 64, sid, 65, m2, m1, cak2, ckn2) &&
		   !memcmp(cak, cak2, 16) && !memcmp(ckn, ckn2, 16),
		   "the MACs' order changes the keys") &&
	     check(crypto_eap_cak_ckn(msk, 15, sid, 65, m1, m2, cak, ckn), "short MSK taken") &&
	     check(crypto_eap_cak_ckn(msk, 64, sid, 0, m1, m2, cak, ckn), "no Session-Id taken");
	result(ok, "eap: CAK and CKN from MSK and Session-Id (802.1X-2020 6.2.2 known answer)");
}

static void t_eap_ca(void)
{
	struct mkad_ca_conf c;
	struct port_ca *ca;
	int ok;

	sim_reset();
	sim_add_simple(0, 255, NULL);
	sim_add(1, "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=" SIM_CAK
		"\nmka_ckn=0a0b\nmka_priority=255\n}\n", &sim_ops, NULL);
	sim_run(0.1);
	/*
	 * node 0: a CA of node 1's CKN from EAP, with a priority that may
	 * never be key server (255, mka_priority_255=never; node 1 would
	 * take it, the better SCI at equal priority): not a candidate, so
	 * only obliged_ks makes it key server, and the CA secured
	 */
	memset(&c, 0, sizeof(c));
	c = sim[0].port.ca[0].conf;
	c.ckn_len = unhex("0a0b", c.ckn);
	c.cak_len = unhex(SIM_CAK, c.cak);
	c.priority = 255;
	c.never_ks_255 = true;
	c.obliged_ks = true;
	ca = port_start_ca(&sim[0].port, &c);
	ok = check(ca && ca->part, "port_start_ca gave no participant") &&
	     check(!port_start_ca(&sim[0].port, &c), "the same CKN started twice");
	sim_run(6);
	ok = ok && check(sim_secured(0) && sim_secured(1), "not secured: %d %d (live %d %d, ks %d %d, elected %d %d)", sim_secured(0),
			 sim_secured(1), participant_n_live(P(0)), participant_n_live(P(1)),
			 P(0)->is_ks, P(1)->is_ks, P(0)->elected, P(1)->elected) &&
	     check(P(0)->is_ks && P(0)->conf.obliged_ks && !P(1)->is_ks,
		   "the obliged access device is not key server");
	port_end_ca(&sim[0].port, c.ckn, c.ckn_len, "test");
	ok = ok && check(!port_find_ca(&sim[0].port, c.ckn, c.ckn_len), "the CA is still there") &&
	     check(!sim_secured(0) && CP(0)->connect == CP_CONNECT_PENDING &&
		   !CP(0)->latest.valid && !CP(0)->old.valid && !CP(0)->n_rxsc,
		   "SAs or RX SCs left at once after port_end_ca");
	crypto_wipe(&c, sizeof(c));
	result(ok, "eap: a CA from EAP is key server whatever the priorities, and ends at once");
}

void t_eap(void)
{
	t_eap_keys();
	t_eap_ca();
}
