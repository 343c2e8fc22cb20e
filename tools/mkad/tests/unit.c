// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad host unit tests, KTAP output.
 *
 * Crypto against published vectors: IEEE 802.1X-2020 Annex G (KDF, KEK,
 * ICK, SAK; as reproduced in Technica Engineering's MKAdaemon tests),
 * RFC 4493 (AES-CMAC, the ICV function), RFC 3394 (AES Key Wrap). MKPDU
 * encode/decode round trips and malformed frames; configuration parsing;
 * and whole participants talking to each other in memory with simulated
 * time (election, SAK distribution and use, rekey, life time, a foreign
 * CAK).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "conf.h"
#include "crypto.h"
#include "log.h"
#include "mkpdu.h"
#include "unit.h"
#include "../../include/uapi/linux/vsecy.h"

static int test_no, failed;
char why[512];

/* Results are collected, so that the plan can come first. */
static char *results;
static size_t results_len;
static FILE *ktap;

void result(int ok, const char *name)
{
	test_no++;
	if (!ok) {
		fprintf(ktap, "# %s\n", why);
		failed++;
	}
	fprintf(ktap, "%sok %d mkad: %s\n", ok ? "" : "not ", test_no, name);
	fflush(ktap);
	why[0] = 0;
}

int unhex(const char *s, uint8_t *out)
{
	int n = 0;

	while (s[0] && s[1]) {
		unsigned int v;

		if (s[0] == ' ') {
			s++;
			continue;
		}
		sscanf(s, "%2x", &v);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

int expect_hex(const char *what, const uint8_t *got, const char *want_hex)
{
	uint8_t want[128];
	int n = unhex(want_hex, want), i, off;

	if (!memcmp(got, want, (size_t)n))
		return 1;
	off = snprintf(why, sizeof(why), "%s: expected %s, observed ", what, want_hex);
	for (i = 0; i < n && off < (int)sizeof(why) - 3; i++)
		off += snprintf(why + off, sizeof(why) - (size_t)off, "%02x", got[i]);
	return 0;
}

int check(int cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		return 1;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return 0;
}

/* Crypto ------------------------------------------------------------- */

static const char *cak128 = "135bd758b0ee5c11c55ff6ab19fdb199";
static const char *ckn128 = "96437a93ccf10d9dfe347846cce52c7d";
static const char *cak256 = "a29efdb63d6fba73c65daab2295340a837a8886e94a905b5c9c7ef1d9dbb297e";
static const char *ckn256 = "7888f5d48ba8b24e96bb95bd8c7304ec";

static void t_kdf(void)
{
	uint8_t key[32], out[32], ctx[4] = { 1, 2, 1, 4 };
	int ok;

	unhex("1ab9024fa04a03feb9024fa04a03fe11", key);
	ok = !crypto_kdf(key, 16, "HI THERE", ctx, 4, out, 16) &&
	     expect_hex("KDF G.1.1", out, "b57a0b05f43e9600c3c4d15c1e3c26e8");
	result(ok, "KDF, 802.1X-2020 Annex G.1 (128-bit key)");
	unhex("3946ec36f59017f1267e914abed2dbf6633f52ae7e20309d3eefdda4073adfad", key);
	ok = !crypto_kdf(key, 32, "HI THERE", ctx, 4, out, 32) &&
	     expect_hex("KDF G.1.2", out,
			"0efd01e5b03a0951a6df9bbffe419016ee40fdbfc3335ebf92ea03802214a307");
	result(ok, "KDF, 802.1X-2020 Annex G.1 (256-bit key)");
}

static void t_kek_ick(void)
{
	uint8_t cak[32], ckn[32], out[32];
	int ok;

	unhex(cak128, cak);
	unhex(ckn128, ckn);
	ok = !crypto_kek(cak, 16, ckn, 16, out) &&
	     expect_hex("KEK G.4.1", out, "8f5a384c15d6ae9302b462e363d03ca6");
	result(ok, "KEK, Annex G.4 (128-bit CAK)");
	ok = !crypto_ick(cak, 16, ckn, 16, out) &&
	     expect_hex("ICK G.5.1", out, "8f1c5cb1c8ed2e5f047906e0473aad4d");
	result(ok, "ICK, Annex G.5 (128-bit CAK)");
	unhex(cak256, cak);
	unhex(ckn256, ckn);
	ok = !crypto_kek(cak, 32, ckn, 16, out) &&
	     expect_hex("KEK G.4.2", out,
			"71340e454c84a1232aa7977d5ed86f78f250f3f9d53584b9337ff0c6dfdc9f96");
	result(ok, "KEK, Annex G.4 (256-bit CAK)");
	ok = !crypto_ick(cak, 32, ckn, 16, out) &&
	     expect_hex("ICK G.5.2", out,
			"98b8544d7390a41e50ef72e25b4a036523c919e812918871949b48123eab526e");
	result(ok, "ICK, Annex G.5 (256-bit CAK)");
}

static void t_sak(void)
{
	uint8_t cak[32], nonce[32], mis[24], out[32];
	int ok;

	unhex("cd421cf86ba4579386 57675b 0102030405060708 0d1f36cf", mis);
	unhex(cak128, cak);
	unhex("0102030405060708090a0b0c0d0e0f10", nonce);
	ok = !crypto_sak(cak, 16, nonce, 16, mis, 2, 1, out, 16) &&
	     expect_hex("SAK G.6.1", out, "0452059258 31ae59c14550ed59cc003d");
	result(ok, "SAK, Annex G.6 (GCM-AES-128)");
	unhex(cak256, cak);
	unhex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00", nonce);
	ok = !crypto_sak(cak, 32, nonce, 32, mis, 2, 1, out, 32) &&
	     expect_hex("SAK G.6.2", out,
			"bb692568b287484a5f3f4793b09732270d13dd818373c15b3f2793fdc1948a37");
	result(ok, "SAK, Annex G.6 (GCM-AES-256)");
}

static void t_cmac(void)
{
	uint8_t key[16], msg[16], mac[16];
	int ok;

	unhex("2b7e151628aed2a6abf7158809cf4f3c", key);
	unhex("6bc1bee22e409f96e93d7e117393172a", msg);
	ok = !crypto_cmac(key, 16, msg, 0, mac) &&
	     expect_hex("CMAC empty", mac, "bb1d6929e95937287fa37d129b756746") &&
	     !crypto_cmac(key, 16, msg, 16, mac) &&
	     expect_hex("CMAC 16", mac, "070a16b46b4d4144f79bdd9dd04a287c");
	result(ok, "ICV function AES-CMAC, RFC 4493 examples 1 and 2");
}

static void t_wrap(void)
{
	uint8_t kek[32], data[32], out[40], back[32];
	int ok;

	unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", kek);
	unhex("00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f", data);
	ok = !crypto_wrap(kek, 16, data, 16, out) &&
	     expect_hex("RFC 3394 4.1", out, "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5") &&
	     !crypto_unwrap(kek, 16, out, 24, back) &&
	     check(!memcmp(back, data, 16), "unwrap 4.1 does not give the data back");
	result(ok, "AES Key Wrap, RFC 3394 4.1 (128-bit KEK, 128-bit key)");
	ok = !crypto_wrap(kek, 32, data, 16, out) &&
	     expect_hex("RFC 3394 4.3", out, "64e8c3f9ce0f5ba263e9777905818a2a93c8191e7d6e8ae7");
	result(ok, "AES Key Wrap, RFC 3394 4.3 (256-bit KEK, 128-bit key)");
	ok = !crypto_wrap(kek, 32, data, 32, out) &&
	     expect_hex("RFC 3394 4.6", out,
			"28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21") &&
	     !crypto_unwrap(kek, 32, out, 40, back) &&
	     check(!memcmp(back, data, 32), "unwrap 4.6 does not give the data back");
	result(ok, "AES Key Wrap, RFC 3394 4.6 (256-bit KEK, 256-bit key)");
	out[5] ^= 1;
	ok = check(crypto_unwrap(kek, 32, out, 40, back) != 0,
		   "unwrap of a modified blob succeeded");
	result(ok, "AES Key Unwrap rejects a modified blob");
}

/* MKPDU -------------------------------------------------------------- */

static uint8_t ick[16];

static void sample(struct mkpdu *p)
{
	int i;

	memset(p, 0, sizeof(*p));
	memcpy(p->dst, mka_pae_group, 6);
	memcpy(p->src, "\x02\x00\x00\x00\x00\x01", 6);
	p->basic.version = 1;
	p->basic.priority = 16;
	p->basic.key_server = true;
	p->basic.macsec_desired = true;
	p->basic.capability = 3;
	p->basic.sci = 0x0200000000010001ULL;
	memset(p->basic.mi, 0xa5, 12);
	p->basic.mn = 7;
	memcpy(p->basic.algo, mka_algo_agility, 4);
	memcpy(p->basic.ckn, "\x61\x62\x63", 3);
	p->basic.ckn_len = 3;
	p->has_live = true;
	p->n_live = 2;
	for (i = 0; i < 2; i++) {
		memset(p->live[i].mi, 0x10 + i, 12);
		p->live[i].mn = 100 + (uint32_t)i;
	}
	p->has_potential = true;
	p->n_potential = 1;
	memset(p->potential[0].mi, 0x33, 12);
	p->potential[0].mn = 5;
	p->sak_use.present = true;
	p->sak_use.lan = 2;
	p->sak_use.lrx = p->sak_use.ltx = true;
	p->sak_use.oan = 1;
	p->sak_use.orx = true;
	memset(p->sak_use.lsrv_mi, 0xa5, 12);
	p->sak_use.lkn = 3;
	p->sak_use.llpn = 77;
	memset(p->sak_use.osrv_mi, 0xa5, 12);
	p->sak_use.okn = 2;
	p->sak_use.olpn = 1000;
	p->dist_sak.present = true;
	p->dist_sak.dan = 3;
	p->dist_sak.conf_offset = MKA_CO_30;
	p->dist_sak.kn = 4;
	p->dist_sak.cs = VSECY_CS_GCM_AES_256;
	p->dist_sak.wrapped_len = 40;
	memset(p->dist_sak.wrapped, 0x5a, 40);
	p->announce.present = true;
	p->announce.n_cs = 2;
	p->announce.cs[0] = VSECY_CS_GCM_AES_128;
	p->announce.cs[1] = VSECY_CS_GCM_AES_XPN_256;
	p->announce.cs_cap[0] = 3;
	p->announce.cs_cap[1] = 2;
	p->xpn.present = true;
	p->xpn.llpn_hi = 9;
	p->xpn.olpn_hi = 8;
}

static void t_roundtrip(void)
{
	static struct mkpdu a, b;
	uint8_t buf[MKPDU_MAX_LEN];
	int len, ok;
	enum mkpdu_err e;

	sample(&a);
	len = mkpdu_encode(&a, ick, 16, buf, sizeof(buf));
	e = len > 0 ? mkpdu_parse(buf, (size_t)len, &b) : MKPDU_ERR_LEN;
	ok = check(len > 0, "encode failed") &&
	     check(e == MKPDU_OK, "parse: %s", mkpdu_strerror(e)) &&
	     check(mkpdu_icv_ok(buf, (size_t)len, ick, 16), "ICV does not verify") &&
	     check(b.basic.priority == 16 && b.basic.key_server && b.basic.macsec_desired &&
		   b.basic.capability == 3 && b.basic.sci == a.basic.sci && b.basic.mn == 7 &&
		   !memcmp(b.basic.mi, a.basic.mi, 12) && b.basic.ckn_len == 3 &&
		   !memcmp(b.basic.ckn, "abc", 3), "basic parameter set differs") &&
	     check(b.n_live == 2 && b.live[1].mn == 101 && b.live[1].mi[0] == 0x11 &&
		   b.n_potential == 1 && b.potential[0].mn == 5, "peer lists differ") &&
	     check(b.sak_use.present && b.sak_use.lan == 2 && b.sak_use.ltx && b.sak_use.lrx &&
		   b.sak_use.oan == 1 && b.sak_use.orx && !b.sak_use.otx &&
		   b.sak_use.lkn == 3 && b.sak_use.llpn == 77 && b.sak_use.okn == 2 &&
		   b.sak_use.olpn == 1000, "SAK use differs") &&
	     check(b.dist_sak.present && b.dist_sak.dan == 3 &&
		   b.dist_sak.conf_offset == MKA_CO_30 && b.dist_sak.kn == 4 &&
		   b.dist_sak.cs == VSECY_CS_GCM_AES_256 && b.dist_sak.wrapped_len == 40 &&
		   b.dist_sak.wrapped[39] == 0x5a, "distributed SAK differs") &&
	     check(b.announce.present && b.announce.n_cs == 2 &&
		   b.announce.cs[1] == VSECY_CS_GCM_AES_XPN_256 && b.announce.cs_cap[1] == 2,
		   "announcement differs") &&
	     check(b.xpn.present && b.xpn.llpn_hi == 9 && b.xpn.olpn_hi == 8, "XPN differs");
	result(ok, "MKPDU encode/decode round trip, every parameter set");

	/* GCM-AES-128: the Distributed SAK has no cipher suite (28 octets) */
	a.dist_sak.cs = 0;
	a.dist_sak.wrapped_len = 24;
	len = mkpdu_encode(&a, ick, 16, buf, sizeof(buf));
	e = mkpdu_parse(buf, (size_t)len, &b);
	ok = check(e == MKPDU_OK, "parse: %s", mkpdu_strerror(e)) &&
	     check(b.dist_sak.cs == 0 && b.dist_sak.wrapped_len == 24, "cs %llx len %zu",
		   (unsigned long long)b.dist_sak.cs, b.dist_sak.wrapped_len) &&
	     check(buf[ETH_HDR_LEN + EAPOL_HDR_LEN] == 1, "MKA version");
	result(ok, "Distributed SAK for GCM-AES-128 without cipher suite id");

	/* Ethernet padding after the EAPOL body is ignored (11.4) */
	memset(buf + len, 0, 20);
	ok = check(mkpdu_parse(buf, (size_t)len + 20, &b) == MKPDU_OK &&
		   mkpdu_icv_ok(buf, (size_t)len + 20, ick, 16), "padded frame rejected");
	result(ok, "trailing Ethernet padding ignored");
}

static int build_min(uint8_t *buf)
{
	struct mkpdu a;

	sample(&a);
	a.has_live = a.has_potential = false;
	a.sak_use.present = a.dist_sak.present = a.announce.present = a.xpn.present = false;
	return mkpdu_encode(&a, ick, 16, buf, MKPDU_MAX_LEN);
}

static void t_malformed(void)
{
	static struct mkpdu p;
	uint8_t buf[MKPDU_MAX_LEN], bad[MKPDU_MAX_LEN];
	int len = build_min(buf), ok, i;
	size_t blen = (size_t)len - 18;

	ok = check(mkpdu_parse(buf, (size_t)len, &p) == MKPDU_OK, "minimal MKPDU rejected");
	result(ok, "minimal MKPDU (basic set and ICV) accepted");

	ok = 1;
	for (i = 0; i < len && ok; i++)
		ok = check(mkpdu_parse(buf, (size_t)i, &p) != MKPDU_OK,
			   "frame truncated to %d octets accepted", i);
	result(ok, "every truncation of an MKPDU rejected");

	memcpy(bad, buf, (size_t)len);
	bad[16] = (uint8_t)((blen + 4) >> 8);
	bad[17] = (uint8_t)(blen + 4);
	ok = check(mkpdu_parse(bad, (size_t)len, &p) == MKPDU_ERR_LEN,
		   "EAPOL length past the frame not reported as bad length");
	bad[16] = (uint8_t)((blen - 2) >> 8);
	bad[17] = (uint8_t)(blen - 2);
	ok = ok && check(mkpdu_parse(bad, (size_t)len, &p) == MKPDU_ERR_LEN,
			 "EAPOL length not a multiple of 4 accepted");
	result(ok, "EAPOL body length checked against the frame and 11.11.2");

	memcpy(bad, buf, (size_t)len);
	bad[18 + 2] = (uint8_t)((bad[18 + 2] & 0xf0) | 0x0f);
	bad[18 + 3] = 0xff;
	ok = check(mkpdu_parse(bad, (size_t)len, &p) == MKPDU_ERR_LEN,
		   "basic set length 4095 accepted");
	memcpy(bad, buf, (size_t)len);
	bad[18 + 3] = 28;	/* no CKN */
	bad[18 + 2] &= 0xf0;
	ok = ok && check(mkpdu_parse(bad, (size_t)len, &p) == MKPDU_ERR_LEN,
			 "basic set without a CKN accepted");
	result(ok, "basic parameter set length bounds");

	{
		/* A peer list of 20 octets (not a multiple of 16), then an unknown set */
		struct mkpdu a;
		int l;

		sample(&a);
		a.has_potential = false;
		a.sak_use.present = a.dist_sak.present = a.announce.present = a.xpn.present = false;
		a.n_live = 1;
		l = mkpdu_encode(&a, ick, 16, bad, sizeof(bad));
		/* grow the live list body by 4 bytes of garbage, fix lengths */
		memmove(bad + l - 16 + 4, bad + l - 16, 16);
		memset(bad + l - 16, 0xee, 4);
		bad[18 + 36 + 3] = 20;	/* live list set header length */
		l += 4;
		bad[16] = (uint8_t)((l - 18) >> 8);
		bad[17] = (uint8_t)(l - 18);
		ok = check(mkpdu_parse(bad, (size_t)l, &p) == MKPDU_ERR_FORMAT,
			   "peer list of 20 octets: %s", mkpdu_strerror(mkpdu_parse(bad, (size_t)l, &p)));
	}
	result(ok, "peer list length must be a multiple of 16");

	{
		/* insert an unknown parameter set (type 99, 8 octets) before the ICV */
		int l = len;

		memcpy(bad, buf, (size_t)l);
		memmove(bad + l - 16 + 12, bad + l - 16, 16);
		memcpy(bad + l - 16, "\x63\x00\x00\x08\x01\x02\x03\x04\x05\x06\x07\x08", 12);
		l += 12;
		bad[16] = (uint8_t)((l - 18) >> 8);
		bad[17] = (uint8_t)(l - 18);
		ok = check(mkpdu_parse(bad, (size_t)l, &p) == MKPDU_OK && p.n_unknown == 1,
			   "unknown set not skipped");
		bad[l - 16 - 12 + 3] = 0x40;	/* its length now runs into the ICV */
		ok = ok && check(mkpdu_parse(bad, (size_t)l, &p) == MKPDU_ERR_LEN,
				 "unknown set overrunning the ICV accepted");
	}
	result(ok, "unknown parameter set skipped by length, bounded");

	{
		/* Distributed SAK with a 30-octet body is malformed */
		struct mkpdu a;
		int l;

		sample(&a);
		a.dist_sak.cs = 0;
		a.dist_sak.wrapped_len = 24;
		l = mkpdu_encode(&a, ick, 16, bad, sizeof(bad));
		ok = check(mkpdu_parse(bad, (size_t)l, &p) == MKPDU_OK, "sample rejected");
		/* find the dist SAK header */
		for (i = 18; i < l - 4; i++)
			if (bad[i] == MKA_SET_DIST_SAK && bad[i + 3] == 28)
				break;
		bad[i + 3] = 30;
		ok = ok && check(mkpdu_parse(bad, (size_t)l, &p) != MKPDU_OK,
				 "Distributed SAK of 30 octets accepted");
	}
	result(ok, "Distributed SAK body length 0, 28, 36 or 52 only");

	memcpy(bad, buf, (size_t)len);
	bad[5] = 0x01;
	ok = check(mkpdu_parse(bad, (size_t)len, &p) == MKPDU_ERR_DST, "individual DA accepted");
	bad[5] = 0x0e;
	ok = ok && check(mkpdu_parse(bad, (size_t)len, &p) == MKPDU_OK, "01:80:c2:00:00:0e rejected");
	bad[5] = 0x00;
	ok = ok && check(mkpdu_parse(bad, (size_t)len, &p) == MKPDU_OK, "01:80:c2:00:00:00 rejected");
	result(ok, "destination must be a PAE group address (:03, :00, :0E)");

	memcpy(bad, buf, (size_t)len);
	bad[15] = 0;	/* EAP-Packet */
	ok = check(mkpdu_parse(bad, (size_t)len, &p) == MKPDU_ERR_NOT_MKA, "EAP packet taken as MKA");
	result(ok, "other EAPOL packet types are not MKPDUs");

	memcpy(bad, buf, (size_t)len);
	ok = 1;
	for (i = 0; i < len && ok; i++) {
		bad[i] ^= 0x01;
		ok = check(!mkpdu_icv_ok(bad, (size_t)len, ick, 16) ||
			   (i >= 16 && i < 18), "flip of octet %d keeps the ICV valid", i);
		bad[i] ^= 0x01;
	}
	result(ok, "any flipped bit fails the ICV");
}

/* Configuration ------------------------------------------------------ */

static void t_conf(void)
{
	struct mkad_conf c;
	char err[256];
	int ok;
	const char *wpa =
		"ctrl_interface=/var/run/wpa_supplicant\n"
		"eapol_version=3\nap_scan=0\n"
		"network={\n"
		"\tkey_mgmt=NONE\n\teapol_flags=0\n\tmacsec_policy=1\n"
		"\tmka_cak=0123456789ABCDEF0123456789ABCDEF\n"
		"\tmka_ckn=6162636465666768\n"
		"\tmka_priority=128\n"
		"\tmacsec_integ_only=1\n\tmacsec_replay_protect=1\n"
		"\tmacsec_replay_window=32\n\tmacsec_port=7\n"
		"\tmacsec_csindex=1\n"
		"\tssid=\"x\"\n"
		"}\n";

	ok = check(!conf_parse(wpa, &c, err, sizeof(err)), "parse failed: %s", err) &&
	     check(c.n_ca == 1, "%d CAs, expected 1", c.n_ca) &&
	     check(c.ca[0].cak_len == 16 && c.ca[0].cak[0] == 0x01 && c.ca[0].cak[15] == 0xef,
		   "CAK") &&
	     check(c.ca[0].ckn_len == 8 && !memcmp(c.ca[0].ckn, "abcdefgh", 8), "CKN") &&
	     check(c.ca[0].priority == 128 && c.ca[0].policy == MKAD_POLICY_MUST &&
		   c.ca[0].integ_only && c.ca[0].replay_protect &&
		   c.ca[0].replay_window == 32 && c.ca[0].port == 7 && !c.ca[0].offload, "flags") &&
	     check(c.ca[0].cipher_suite == VSECY_CS_GCM_AES_256, "csindex 1 is not GCM-AES-256") &&
	     check(c.warnings == 1, "ignored keys counted %d, expected 1 (ssid)", c.warnings);
	result(ok, "config: wpa_supplicant MACsec PSK network block");

	ok = check(!conf_parse("network={\nkey_mgmt=NONE\nmka_cak=" "00112233445566778899aabbccddeeff"
			       "00112233445566778899aabbccddeeff\nmka_ckn=01\n"
			       "macsec_ciphersuite=gcm-aes-xpn-128\nmacsec_conf_offset=30\n"
			       "mka_rekey_period=60\nmacsec_offload=2\n}\n", &c, err, sizeof(err)),
		   "%s", err) &&
	     check(c.ca[0].cak_len == 32 && c.ca[0].ckn_len == 1 && c.ca[0].priority == 255 &&
		   c.ca[0].port == 1, "defaults") &&
	     check(c.ca[0].cipher_suite == VSECY_CS_GCM_AES_XPN_128 && c.ca[0].conf_offset == 30 &&
		   c.ca[0].rekey_period == 60 && c.ca[0].offload == 2, "extensions") &&
	     check(c.ca[0].policy == MKAD_POLICY_SHOULD && c.ca[0].mka_version == 3 &&
		   !c.ca[0].never_ks_255 && c.ca[0].include_sci && c.ca[0].wpa_compat,
		   "defaults: policy %d, version %u", c.ca[0].policy, c.ca[0].mka_version);
	result(ok, "config: extensions and defaults");

	{
		static const struct { const char *text, *msg; } bad[] = {
			{ "network={\nkey_mgmt=WPA-PSK\nmka_cak=00112233445566778899aabbccddeeff\nmka_ckn=01\n}\n", "key_mgmt" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=0011\nmka_ckn=01\n}\n", "mka_cak" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeefg\nmka_ckn=01\n}\n", "mka_cak" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeeff\n}\n", "mka_ckn" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeeff\nmka_ckn=01\nmacsec_conf_offset=20\n}\n", "macsec_conf_offset" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeeff\nmka_ckn=01\nmka_priority=256\n}\n", "mka_priority" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeeff\nmka_ckn=01\nmacsec_offload=3\n}\n", "macsec_offload" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeeff\nmka_ckn=" "0011223344556677889900112233445566778899001122334455667788990011" "22\n}\n", "mka_ckn" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeeff\nmka_ckn=01\n", "unterminated" },
			{ "ctrl_interface=/run\n", "no network" },
		};
		size_t i;

		ok = 1;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]) && ok; i++)
			ok = check(conf_parse(bad[i].text, &c, err, sizeof(err)) &&
				   strstr(err, bad[i].msg), "bad config %zu: error '%s', expected '%s'",
				   i, err, bad[i].msg);
	}
	result(ok, "config: invalid files rejected with a message naming the key");
}

int main(void)
{
	ktap = open_memstream(&results, &results_len);
	mkad_log_open("build/unit.log", getenv("MKAD_UNIT_DEBUG") != NULL);
	memset(ick, 0x42, sizeof(ick));
	t_kdf();
	t_kek_ick();
	t_sak();
	t_cmac();
	t_wrap();
	t_roundtrip();
	t_malformed();
	t_conf();
	t_kay();
	t_kay_rejoin();
	t_event_parse();
	t_kay_events();
	t_group();
	t_secy();
	t_proto();
	t_kp();
	t_eap();
	t_radius();
	t_pae();
	t_link();
	t_eap_tls();
	t_supp();
	t_conf_hostapd();
	t_qkd();
	fclose(ktap);
	printf("KTAP version 1\n1..%d\n%s", test_no, results);
	free(results);
	printf("# mkad unit: %d tests, %d failed\n", test_no, failed);
	return failed ? 1 : 0;
}
