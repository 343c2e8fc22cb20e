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
#include "kay.h"
#include "log.h"
#include "mkpdu.h"
#include "../../include/uapi/linux/vsecy.h"

static int test_no, failed;
static char why[512];

static void result(int ok, const char *name)
{
	test_no++;
	if (!ok) {
		printf("# %s\n", why);
		failed++;
	}
	printf("%sok %d mkad: %s\n", ok ? "" : "not ", test_no, name);
	why[0] = 0;
}

static int unhex(const char *s, uint8_t *out)
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

static int expect_hex(const char *what, const uint8_t *got, const char *want_hex)
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

static int check(int cond, const char *fmt, ...)
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
	     check(c.cak_len == 16 && c.cak[0] == 0x01 && c.cak[15] == 0xef, "CAK") &&
	     check(c.ckn_len == 8 && !memcmp(c.ckn, "abcdefgh", 8), "CKN") &&
	     check(c.priority == 128 && c.secure && c.integ_only && c.replay_protect &&
		   c.replay_window == 32 && c.port == 7, "flags") &&
	     check(c.cipher_suite == VSECY_CS_GCM_AES_256, "csindex 1 is not GCM-AES-256") &&
	     check(c.warnings == 1, "ignored keys counted %d, expected 1 (ssid)", c.warnings);
	result(ok, "config: wpa_supplicant MACsec PSK network block");

	ok = check(!conf_parse("network={\nkey_mgmt=NONE\nmka_cak=" "00112233445566778899aabbccddeeff"
			       "00112233445566778899aabbccddeeff\nmka_ckn=01\n"
			       "macsec_ciphersuite=gcm-aes-xpn-128\nmacsec_conf_offset=30\n"
			       "mka_rekey_period=60\n}\n", &c, err, sizeof(err)), "%s", err) &&
	     check(c.cak_len == 32 && c.ckn_len == 1 && c.priority == 255 && c.port == 1,
		   "defaults") &&
	     check(c.cipher_suite == VSECY_CS_GCM_AES_XPN_128 && c.conf_offset == 30 &&
		   c.rekey_period == 60, "extensions");
	result(ok, "config: extensions and defaults");

	{
		static const struct { const char *text, *msg; } bad[] = {
			{ "network={\nkey_mgmt=WPA-PSK\nmka_cak=00112233445566778899aabbccddeeff\nmka_ckn=01\n}\n", "key_mgmt" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=0011\nmka_ckn=01\n}\n", "mka_cak" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeefg\nmka_ckn=01\n}\n", "mka_cak" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeeff\n}\n", "mka_ckn" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeeff\nmka_ckn=01\nmacsec_conf_offset=20\n}\n", "macsec_conf_offset" },
			{ "network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeeff\nmka_ckn=01\nmka_priority=256\n}\n", "mka_priority" },
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

/* Participants in memory --------------------------------------------- */

#define NODES 3
static struct kay nodes[NODES];
static struct secy secys[NODES];
static int drop_from[NODES];		/* node is silent */
static uint8_t queue[64][MKPDU_MAX_LEN];
static size_t qlen[64];
static int qfrom[64], qn;
static int tx_use[NODES], rx_sa[NODES];

static double sim_now, first_sak_use[NODES];

static int sim_send(void *ctx, const uint8_t *f, size_t len)
{
	static struct mkpdu p;
	int i = (int)(long)ctx;

	if (first_sak_use[i] < 0 && mkpdu_parse(f, len, &p) == MKPDU_OK &&
	    p.sak_use.present)
		first_sak_use[i] = sim_now;

	if (drop_from[i] || qn >= 64)
		return 0;
	memcpy(queue[qn], f, len);
	qlen[qn] = len;
	qfrom[qn++] = i;
	return 0;
}

static int s_ok(struct secy *s) { (void)s; return 0; }
static void s_void(struct secy *s) { (void)s; }
static int s_params(struct secy *s, const struct secy_params *p) { (void)s; (void)p; return 0; }
static int s_sc(struct secy *s, uint64_t sci) { (void)s; (void)sci; return 0; }
static int s_rxsa(struct secy *s, uint64_t sci, const struct secy_sa *sa)
{
	(void)sci; (void)sa;
	rx_sa[s - secys]++;
	return 0;
}
static int s_delrxsa(struct secy *s, uint64_t sci, uint8_t an) { (void)s; (void)sci; (void)an; return 0; }
static int s_txsa(struct secy *s, const struct secy_sa *sa) { (void)s; (void)sa; return 0; }
static int s_use(struct secy *s, uint8_t an) { (void)an; tx_use[s - secys]++; return 0; }
static int s_del(struct secy *s, uint8_t an) { (void)s; (void)an; return 0; }

static const struct secy_ops sim_ops = {
	.name = "sim", .create = s_ok, .destroy = s_void, .set_params = s_params,
	.add_rxsc = s_sc, .del_rxsc = s_sc, .add_rxsa = s_rxsa, .del_rxsa = s_delrxsa,
	.add_txsa = s_txsa, .use_txsa = s_use, .del_txsa = s_del,
};

/*
 * The same SecY with a TX PN that the test sets (sim_pn) and, for
 * sim_ev_ops, events: get_tx_pn is then only for a resync after lost
 * events, which the count of its calls shows.
 */
static uint64_t sim_pn[NODES], sim_threshold[NODES];
static uint8_t sim_pn_an[NODES];	/* the TX SA sim_pn is for; others are at 1 */
static int pn_reads[NODES];

static int s_params_thr(struct secy *s, const struct secy_params *p)
{
	sim_threshold[s - secys] = p->pn_threshold;
	return 0;
}
static int s_pn(struct secy *s, uint8_t an, uint64_t *pn)
{
	pn_reads[s - secys]++;
	*pn = an == sim_pn_an[s - secys] ? sim_pn[s - secys] : 1;
	return 0;
}
static bool s_events(struct secy *s) { (void)s; return true; }

static const struct secy_ops sim_poll_ops = {
	.name = "sim-poll", .create = s_ok, .destroy = s_void, .set_params = s_params_thr,
	.add_rxsc = s_sc, .del_rxsc = s_sc, .add_rxsa = s_rxsa, .del_rxsa = s_delrxsa,
	.add_txsa = s_txsa, .use_txsa = s_use, .del_txsa = s_del, .get_tx_pn = s_pn,
};

static const struct secy_ops sim_ev_ops = {
	.name = "sim-events", .create = s_ok, .destroy = s_void, .set_params = s_params_thr,
	.add_rxsc = s_sc, .del_rxsc = s_sc, .add_rxsa = s_rxsa, .del_rxsa = s_delrxsa,
	.add_txsa = s_txsa, .use_txsa = s_use, .del_txsa = s_del, .get_tx_pn = s_pn,
	.has_events = s_events,
};

static void sim_run(int n, double seconds)
{
	double end = sim_now + seconds;
	int i, j;

	while (sim_now < end) {
		for (i = 0; i < n; i++)
			kay_tick(&nodes[i], sim_now);
		for (j = 0; j < qn; j++)
			for (i = 0; i < n; i++)
				if (i != qfrom[j])
					kay_rx(&nodes[i], queue[j], qlen[j], sim_now);
		qn = 0;
		sim_now += 0.1;
	}
}

static const struct secy_ops *sim_use_ops;

static void sim_init(int n, const char *cak2)
{
	struct mkad_conf c;
	char err[128];
	char text[512];
	int i;

	memset(nodes, 0, sizeof(nodes));
	memset(drop_from, 0, sizeof(drop_from));
	memset(tx_use, 0, sizeof(tx_use));
	memset(rx_sa, 0, sizeof(rx_sa));
	memset(sim_pn, 0, sizeof(sim_pn));
	memset(sim_threshold, 0, sizeof(sim_threshold));
	memset(sim_pn_an, 0, sizeof(sim_pn_an));
	memset(pn_reads, 0, sizeof(pn_reads));
	for (i = 0; i < NODES; i++)
		first_sak_use[i] = -1;
	qn = 0;
	for (i = 0; i < n; i++) {
		uint8_t mac[6] = { 2, 0, 0, 0, 0, (uint8_t)(i + 1) };

		snprintf(text, sizeof(text),
			 "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=%s\n"
			 "mka_ckn=0102\nmka_priority=%d\n}\n",
			 i == 2 && cak2 ? cak2 : "00112233445566778899aabbccddeeff",
			 i == 1 ? 10 : 100);
		if (conf_parse(text, &c, err, sizeof(err)))
			abort();
		secys[i].ops = sim_use_ops ? sim_use_ops : &sim_ops;
		kay_init(&nodes[i], &c, &secys[i], mac, sim_send, (void *)(long)i, sim_now);
	}
}

static void t_kay(void)
{
	double t0;
	int ok;

	sim_init(2, NULL);
	t0 = sim_now;
	sim_run(2, 5);
	ok = check(first_sak_use[0] >= t0 + 2.0 && first_sak_use[1] >= t0 + 2.0,
		   "SAK Use sent %.1f/%.1f s after start, before one hello time",
		   first_sak_use[0] - t0, first_sak_use[1] - t0);
	result(ok, "no SAK Use before one hello time (wpa_supplicant would reset its MI)");
	ok = check(nodes[0].secured && nodes[1].secured, "not secured after 5 s: %d %d",
		   nodes[0].secured, nodes[1].secured) &&
	     check(nodes[1].is_ks && !nodes[0].is_ks && nodes[0].ks_sci == nodes[1].sci,
		   "node 1 (priority 10) should be key server") &&
	     check(nodes[0].latest.kn == nodes[1].latest.kn &&
		   !memcmp(nodes[0].latest.ki_mi, nodes[1].mi, 12) &&
		   !memcmp(nodes[0].latest.key, nodes[1].latest.key, 16),
		   "participants disagree on the SAK") &&
	     check(tx_use[0] == 1 && tx_use[1] == 1 && rx_sa[0] == 1 && rx_sa[1] == 1,
		   "SA programming: tx_use %d %d rx_sa %d %d", tx_use[0], tx_use[1],
		   rx_sa[0], rx_sa[1]);
	result(ok, "two participants: election by priority, one SAK, RX then TX");

	kay_request_rekey(&nodes[1]);
	sim_run(2, 8);
	ok = check(nodes[0].latest.kn == 2 && nodes[1].latest.kn == 2 &&
		   nodes[0].latest.tx && nodes[1].latest.tx,
		   "after rekey: KN %u/%u tx %d/%d", nodes[0].latest.kn, nodes[1].latest.kn,
		   nodes[0].latest.tx, nodes[1].latest.tx) &&
	     check(nodes[0].latest.an == 1, "new SAK AN %u, expected 1", nodes[0].latest.an) &&
	     check(!nodes[0].old.valid && !nodes[1].old.valid, "old SAK not retired");
	result(ok, "rekey: new KN and AN, old SAK retired after the switch");

	/* a peer's life time runs from its last MKPDU, at most one hello ago */
	drop_from[1] = 1;
	sim_run(2, 3.9);
	ok = check(nodes[0].n_peers == 1 && nodes[0].secured,
		   "peer dropped 3.9 s after it went silent, before the 6 s life time");
	sim_run(2, 2.3);
	ok = ok && check(nodes[0].n_peers == 0 && !nodes[0].secured && !nodes[0].latest.valid,
			 "silent peer kept 6.2 s after its last MKPDU (peers %d)", nodes[0].n_peers);
	result(ok, "silent peer removed after the MKA life time, session ends");

	sim_init(3, "ffeeddccbbaa99887766554433221100");
	sim_run(3, 8);
	ok = check(nodes[0].secured && nodes[1].secured && !nodes[2].secured,
		   "secured %d %d %d", nodes[0].secured, nodes[1].secured, nodes[2].secured) &&
	     check(nodes[0].n_peers == 1 && nodes[1].n_peers == 1 && nodes[2].n_peers == 0,
		   "peers %d %d %d", nodes[0].n_peers, nodes[1].n_peers, nodes[2].n_peers) &&
	     check(nodes[0].cnt.rx_bad_icv > 0 && nodes[1].cnt.rx_bad_icv > 0,
		   "MKPDUs with another CAK not counted as bad ICV");
	result(ok, "a participant with another CAK (same CKN) is never a peer");
}

/*
 * A participant that holds no SAK of the elected key server rejoins with a
 * new MI once MKA_REJOIN_TIME has passed (the key server then sees a new
 * live peer and distributes), and one that got the SAK never does.
 */
static void t_kay_rejoin(void)
{
	uint8_t old_mi[MKA_MI_LEN];
	int ok;

	sim_init(2, NULL);
	sim_run(2, 5);
	ok = check(nodes[0].secured && nodes[1].secured, "not secured after 5 s");
	sim_run(2, MKA_REJOIN_TIME + 2);
	ok = ok && check(!nodes[0].cnt.rejoins && !nodes[1].cnt.rejoins,
			 "rejoined though secured: %" PRIu64 " %" PRIu64,
			 nodes[0].cnt.rejoins, nodes[1].cnt.rejoins);
	result(ok, "a participant with the key server's SAK does not rejoin");

	/* As if the key server had never given node 0 its SAK. */
	memcpy(old_mi, nodes[0].mi, MKA_MI_LEN);
	nodes[0].latest.ki_mi[0] ^= 0xff;
	sim_run(2, 0.3);
	ok = check(nodes[0].cnt.rejoins == 1, "no rejoin (rejoins %" PRIu64 ")",
		   nodes[0].cnt.rejoins) &&
	     check(!nodes[0].secured && !nodes[0].n_peers, "rejoined but kept its session");
	/* Silent, so the key server forgets the old MI. */
	sim_run(2, MKA_LIFE_TIME + 0.5);
	ok = ok && check(nodes[1].n_peers == 0 && !nodes[1].secured,
			 "the key server still has the old MI (peers %d)", nodes[1].n_peers);
	sim_run(2, MKA_REJOIN_QUIET - MKA_LIFE_TIME);
	ok = ok && check(memcmp(nodes[0].mi, old_mi, MKA_MI_LEN), "no new MI after the silence");
	sim_run(2, 6);
	ok = ok && check(nodes[0].secured && nodes[1].secured &&
			 !memcmp(nodes[0].latest.ki_mi, nodes[1].mi, MKA_MI_LEN) &&
			 nodes[0].latest.kn == nodes[1].latest.kn,
			 "not secured with the key server's SAK after rejoining: %d %d KN %u %u",
			 nodes[0].secured, nodes[1].secured, nodes[0].latest.kn,
			 nodes[1].latest.kn) &&
	     check(nodes[0].cnt.rejoins == 1, "rejoined %" PRIu64 " times", nodes[0].cnt.rejoins);
	result(ok, "no SAK from the key server: rejoin with a new MI, then its SAK");
}

/* SecY events ------------------------------------------------------- */

/* A PN event as the module sends it (vsecy.h, "Events"). */
static struct nlmsghdr *ev_msg(char *buf, uint16_t family, uint8_t cmd,
			       uint32_t ifindex, uint8_t an, uint64_t pn)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct nlattr *n;
	uint8_t ki[VSECY_KEYID_LEN];

	memset(ki, 0xab, sizeof(ki));
	h->nlmsg_type = family;
	g = mnl_nlmsg_put_extra_header(h, sizeof(*g));
	g->cmd = cmd;
	g->version = VSECY_GENL_VERSION;
	mnl_attr_put_u32(h, VSECY_A_IFINDEX, ifindex);
	mnl_attr_put_strz(h, VSECY_A_IFNAME, "vs0");
	n = mnl_attr_nest_start(h, VSECY_A_SECY);
	mnl_attr_put_u64(h, VSECY_SECY_A_SCI, 0x5254001234560001ULL);
	if (cmd == VSECY_CMD_PN_THRESHOLD)
		mnl_attr_put_u64(h, VSECY_SECY_A_PN_THRESHOLD, MKA_PN_THRESHOLD);
	mnl_attr_nest_end(h, n);
	n = mnl_attr_nest_start(h, VSECY_A_SA);
	mnl_attr_put_u8(h, VSECY_SA_A_AN, an);
	mnl_attr_put(h, VSECY_SA_A_KEYID, sizeof(ki), ki);
	if (cmd == VSECY_CMD_PN_THRESHOLD)
		mnl_attr_put_u64(h, VSECY_SA_A_PN, pn);
	mnl_attr_nest_end(h, n);
	return h;
}

static void t_event_parse(void)
{
	static char buf[4096] __attribute__((aligned(4)));
	struct secy_event ev;
	int ok;

	ok = check(secy_vsecy_parse_event(ev_msg(buf, 30, VSECY_CMD_PN_THRESHOLD, 7, 2,
						 MKA_PN_THRESHOLD + 1), 30, 7, &ev) == 1,
		   "threshold event of ifindex 7 not taken") &&
	     check(ev.type == SECY_EV_PN_THRESHOLD && ev.an == 2 &&
		   ev.pn == MKA_PN_THRESHOLD + 1 && ev.has_keyid && ev.keyid[15] == 0xab,
		   "threshold event: type %d an %u pn %llu keyid %d", ev.type, ev.an,
		   (unsigned long long)ev.pn, ev.has_keyid) &&
	     check(secy_vsecy_parse_event(ev_msg(buf, 30, VSECY_CMD_PN_EXHAUSTED, 7, 3, 0),
					  30, 7, &ev) == 1 &&
		   ev.type == SECY_EV_PN_EXHAUSTED && ev.an == 3,
		   "exhausted event not taken as such");
	result(ok, "events: PN threshold and exhausted events parsed (AN, PN, key identifier)");

	ok = check(!secy_vsecy_parse_event(ev_msg(buf, 30, VSECY_CMD_PN_THRESHOLD, 8, 2, 5),
					   30, 7, &ev), "event of ifindex 8 taken") &&
	     check(!secy_vsecy_parse_event(ev_msg(buf, 30, VSECY_CMD_ADD_TXSA, 7, 2, 5),
					   30, 7, &ev), "add-txsa event taken as a PN event") &&
	     check(!secy_vsecy_parse_event(ev_msg(buf, 31, VSECY_CMD_PN_THRESHOLD, 7, 2, 5),
					   30, 7, &ev), "message of another family taken");
	result(ok, "events: other SecYs, other events and other families ignored");
}

/* The key identifier of a node's latest SAK, as the SecY reports it. */
static void ev_for(int i, enum secy_event_type type, int an_delta, struct secy_event *ev)
{
	const struct kay_sak *s = &nodes[i].latest;

	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->an = (uint8_t)((s->an + an_delta) & 3);
	ev->has_keyid = true;
	memcpy(ev->keyid, s->ki_mi, MKA_MI_LEN);
	ev->keyid[12] = (uint8_t)(s->kn >> 24);
	ev->keyid[13] = (uint8_t)(s->kn >> 16);
	ev->keyid[14] = (uint8_t)(s->kn >> 8);
	ev->keyid[15] = (uint8_t)s->kn;
	ev->pn = MKA_PN_THRESHOLD + 1;
}

static bool sim_secured_both(void)
{
	return nodes[0].secured && nodes[1].secured && nodes[0].latest.tx &&
	       nodes[1].latest.tx && !nodes[0].old.valid && !nodes[1].old.valid;
}

static void t_kay_events(void)
{
	struct secy_event ev;
	uint32_t kn;
	int ok;

	/* node 1 (priority 10) is key server */
	sim_use_ops = &sim_ev_ops;
	sim_init(2, NULL);
	sim_run(2, 5);
	kn = nodes[1].latest.kn;
	ok = check(sim_secured_both(), "not secured") &&
	     check(sim_threshold[0] == MKA_PN_THRESHOLD && sim_threshold[1] == MKA_PN_THRESHOLD,
		   "SecY PN threshold programmed %llx/%llx, expected %llx",
		   (unsigned long long)sim_threshold[0], (unsigned long long)sim_threshold[1],
		   MKA_PN_THRESHOLD);
	sim_pn[0] = MKA_PN_THRESHOLD + 100;
	sim_pn[1] = MKA_PN_THRESHOLD + 100;
	sim_pn_an[0] = nodes[0].latest.an;
	sim_pn_an[1] = nodes[1].latest.an;
	sim_run(2, 5);
	ok = ok && check(pn_reads[0] == 0 && pn_reads[1] == 0 && nodes[1].latest.kn == kn,
			 "a SecY with events polled (%d/%d reads) or rekeyed (KN %u -> %u)",
			 pn_reads[0], pn_reads[1], kn, nodes[1].latest.kn);
	result(ok, "events: SecY threshold set to MKA's; no TX PN polling with events");

	ev_for(1, SECY_EV_PN_THRESHOLD, 1, &ev);
	kay_secy_event(&nodes[1], &ev, sim_now);
	ev_for(1, SECY_EV_PN_THRESHOLD, 0, &ev);
	ev.keyid[0] ^= 1;
	kay_secy_event(&nodes[1], &ev, sim_now);
	sim_run(2, 3);
	ok = check(nodes[1].latest.kn == kn && !nodes[1].want_rekey,
		   "threshold event for another AN or key identifier rekeyed (KN %u -> %u)",
		   kn, nodes[1].latest.kn);
	result(ok, "events: an event for an SA not in use is ignored");

	ev_for(1, SECY_EV_PN_THRESHOLD, 0, &ev);
	kay_secy_event(&nodes[1], &ev, sim_now);
	sim_run(2, 8);
	ok = check(nodes[1].latest.kn == kn + 1 && nodes[0].latest.kn == kn + 1 &&
		   sim_secured_both(), "after the key server's event: KN %u/%u, expected %u",
		   nodes[0].latest.kn, nodes[1].latest.kn, kn + 1);
	result(ok, "events: threshold event on the key server's TX SA: rekey");

	kn++;
	ev_for(1, SECY_EV_PN_EXHAUSTED, 0, &ev);
	kay_secy_event(&nodes[1], &ev, sim_now);
	sim_run(2, 8);
	ok = check(nodes[1].latest.kn == kn + 1 && sim_secured_both(),
		   "after the exhausted event: KN %u, expected %u", nodes[1].latest.kn, kn + 1);
	result(ok, "events: PN exhausted event: rekey");

	kn++;
	ev_for(0, SECY_EV_PN_THRESHOLD, 0, &ev);
	kay_secy_event(&nodes[0], &ev, sim_now);
	ok = check(!nodes[0].want_rekey && nodes[0].latest.lpn_report == MKA_PN_THRESHOLD + 1,
		   "non key server: want_rekey %d, reported LPN %u", nodes[0].want_rekey,
		   nodes[0].latest.lpn_report);
	sim_run(2, 8);
	ok = ok && check(nodes[1].latest.kn == kn + 1 && sim_secured_both(),
			 "key server did not rekey on the reported LPN: KN %u, expected %u",
			 nodes[1].latest.kn, kn + 1);
	result(ok, "events: threshold on a non key server: reported in SAK Use, key server rekeys");

	kn++;
	sim_pn[1] = 5;
	sim_pn_an[1] = nodes[1].latest.an;
	ev.type = SECY_EV_LOST;
	kay_secy_event(&nodes[1], &ev, sim_now);
	sim_run(2, 3);
	ok = check(pn_reads[1] == 1 && nodes[1].latest.kn == kn,
		   "lost events, low PN: %d reads (expected 1), KN %u (expected %u)",
		   pn_reads[1], nodes[1].latest.kn, kn);
	sim_pn[1] = MKA_PN_THRESHOLD + 7;
	kay_secy_event(&nodes[1], &ev, sim_now);
	sim_run(2, 8);
	ok = ok && check(pn_reads[1] == 2 && nodes[1].latest.kn == kn + 1,
			 "lost events, PN past the threshold: %d reads (expected 2), KN %u (expected %u)",
			 pn_reads[1], nodes[1].latest.kn, kn + 1);
	result(ok, "events: lost events (ENOBUFS) resync with one PN read");

	/* A SecY without events (the kernel's macsec): polled. */
	sim_use_ops = &sim_poll_ops;
	sim_init(2, NULL);
	sim_run(2, 5);
	kn = nodes[1].latest.kn;
	sim_pn[1] = MKA_PN_THRESHOLD + 100;
	sim_pn_an[1] = nodes[1].latest.an;
	sim_run(2, 8);
	ok = check(pn_reads[1] > 0 && nodes[1].latest.kn == kn + 1,
		   "SecY without events: %d PN reads, KN %u (expected %u)", pn_reads[1],
		   nodes[1].latest.kn, kn + 1);
	result(ok, "events: a SecY without events is polled once per hello time");
	sim_use_ops = NULL;
}

int main(void)
{
	mkad_log_open("build/unit.log", false);
	memset(ick, 0x42, sizeof(ick));
	printf("KTAP version 1\n");
	printf("1..43\n");
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
	printf("# mkad unit: %d tests, %d failed\n", test_no, failed);
	return failed ? 1 : 0;
}
