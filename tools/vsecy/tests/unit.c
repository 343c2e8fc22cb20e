// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for vsecy, KTAP on stdout: the command-line parser, the
 * requests it builds (read back with libmnl's parsers), the show output
 * for a dump message built here as the kernel would send it, extack
 * decoding, and the binary itself (argv[1]) for exit codes, --dry-run and
 * a real kernel's answer to a request it must refuse. No vsecy module is
 * needed. Each check prints what it ran, expected and observed on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "batch.h"
#include "config.h"
#include "json.h"
#include "netlink.h"
#include "show.h"

static const char *vsecy_bin;
static char *errbuf;
static size_t errlen;

enum result { PASS, FAIL, SKIP };

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) { \
			printf("# line %d: ", __LINE__); \
			printf(__VA_ARGS__); \
			printf("\n"); \
			return FAIL; \
		} \
	} while (0)

#define KEY16 "81818181818181818181818181818181"
#define KEY32 KEY16 "92929292929292929292929292929292"

/* Splits LINE into words (in a static copy) for the parsers. */
static int split(const char *line, char **argv)
{
	static char copy[8][512];
	static int slot;
	char *s = copy[slot++ % 8], *w;
	int n = 0;

	snprintf(s, 512, "%s", line);
	for (w = strtok(s, " "); w && n < 63; w = strtok(NULL, " "))
		argv[n++] = w;
	argv[n] = NULL;
	return n;
}

static void err_begin(void)
{
	free(errbuf);
	errbuf = NULL;
	vsecy_errf = open_memstream(&errbuf, &errlen);
}

static const char *err_end(void)
{
	fclose(vsecy_errf);
	vsecy_errf = NULL;
	return errbuf ? errbuf : "";
}

/* Parses an `add|set|del ...` line; returns the parser's result. */
static int sa(enum verb v, const char *line, struct sa_cmd *c)
{
	char *argv[64];
	int argc = split(line, argv), r;

	err_begin();
	r = parse_sa_cmd(v, argc, argv, c);
	err_end();
	return r;
}

static int lnk(enum verb v, const char *line, struct link_cmd *c)
{
	char *argv[64];
	int argc = split(line, argv), r;

	err_begin();
	r = parse_link_cmd(v, argc, argv, c);
	err_end();
	return r;
}

static int first_line_len(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? (int)(nl - s) : (int)strlen(s);
}

/* Test that every SCI form gives the SCI ip macsec would compute. */
static enum result test_sci_forms(void)
{
	static const char *const good[] = {
		"vs0 rx sci 5254001234560002",
		"vs0 rx sci 0x5254001234560002",
		"vs0 rx port 2 address 52:54:00:12:34:56",
		"vs0 rx address 52:54:0:12:34:56 port 0x2",
	};
	static const char *const bad[] = {
		"vs0 rx port 0 address 52:54:00:12:34:56",
		"vs0 rx port 65536 address 52:54:00:12:34:56",
		"vs0 rx port 1 address 52:54:00:12:34",
		"vs0 rx port 1 address 52:54:00:12:34:56:78",
		"vs0 rx port 1 address 52:54:00:12:34:zz",
		"vs0 rx sci zz",
		"vs0 rx sci 1 port 2",
		"vs0 rx port 1",
		"vs0 rx",
	};
	struct sa_cmd c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		CHECK(!sa(VERB_ADD, good[i], &c), "'%s' refused: %s", good[i], errbuf);
		CHECK(c.rx && !c.has_sa && c.sci == 0x5254001234560002ULL,
		      "'%s': expected sci 5254001234560002, got %016llx", good[i],
		      (unsigned long long)c.sci);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK(sa(VERB_ADD, bad[i], &c), "'%s' accepted, expected an error", bad[i]);
		CHECK(*errbuf, "'%s' refused without a message", bad[i]);
	}
	return PASS;
}

/* Test that keys and key ids must be whole hex bytes of the right length. */
static enum result test_hex_keys(void)
{
	static const char *const bad[] = {
		"vs0 tx sa 0 pn 1 key 01 818181818181818181818181818181",	/* 15 */
		"vs0 tx sa 0 pn 1 key 01 8181818181818181818181818181818181",	/* 17 */
		"vs0 tx sa 0 pn 1 key 01 " KEY32 "00",				/* 33 */
		"vs0 tx sa 0 pn 1 key 01 8181818181818181818181818181818",	/* odd */
		"vs0 tx sa 0 pn 1 key 01 zz818181818181818181818181818181",
		"vs0 tx sa 0 pn 1 key 0102030405060708090a0b0c0d0e0f1011 " KEY16,
		"vs0 tx sa 0 pn 1 key 1 " KEY16,
		"vs0 tx sa 0 pn 1 key 01",
	};
	struct sa_cmd c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK(sa(VERB_ADD, bad[i], &c), "'%s' accepted", bad[i]);
		CHECK(!strstr(errbuf, "8181818181818181"),
		      "error message echoes key bytes: %s", errbuf);
	}
	CHECK(!sa(VERB_ADD, "vs0 tx sa 1 pn 1 key 0102 " KEY16, &c), "16-byte key refused: %s", errbuf);
	CHECK(c.sa.key_set && c.sa.key_len == 16 && c.sa.key[15] == 0x81,
	      "expected a 16-byte key, got %u bytes", c.sa.key_len);
	CHECK(c.sa.keyid[0] == 1 && c.sa.keyid[1] == 2 && c.sa.keyid[2] == 0 &&
	      c.sa.keyid[15] == 0, "key id 0102 not zero-padded to 16 bytes");
	{
		char *argv[64];
		int argc = split("vs0 tx sa 1 pn 1 key 0102 " KEY16, argv);

		err_begin();
		CHECK(!parse_sa_cmd(VERB_ADD, argc, argv, &c), "refused: %s", err_end());
		err_end();
		CHECK(argv[argc - 1][0] == '\0' && !memchr(argv[argc - 1], '8', 32),
		      "the key is still in argv after parsing");
	}
	CHECK(!sa(VERB_ADD, "vs0 tx sa 1 pn 1 key 0102 " KEY32, &c), "32-byte key refused: %s", errbuf);
	CHECK(c.sa.key_len == 32 && c.sa.key[31] == 0x92, "expected a 32-byte key, got %u", c.sa.key_len);
	{
		char path[] = "/tmp/vsecy-key-XXXXXX", line[128];
		int fd = mkstemp(path);
		bool wrote;

		CHECK(fd >= 0, "mkstemp");
		wrote = write(fd, "  " KEY32 "\n", 67) == 67;
		close(fd);
		snprintf(line, sizeof(line), "vs0 tx sa 1 pn 1 key 01 @%s", path);
		CHECK(wrote && !sa(VERB_ADD, line, &c), "key @FILE refused: %s", errbuf);
		CHECK(c.sa.key_len == 32 && c.sa.key[31] == 0x92, "key @FILE: %u bytes", c.sa.key_len);
		fd = open(path, O_WRONLY | O_TRUNC);
		wrote = write(fd, KEY16 "00\n", 35) == 35;
		close(fd);
		CHECK(wrote && sa(VERB_ADD, line, &c), "17-byte key @FILE accepted");
		unlink(path);
		CHECK(sa(VERB_ADD, line, &c) && strstr(errbuf, "cannot read the key"),
		      "missing key file: %s", errbuf);
	}
	return PASS;
}

/* Test the PN rules: non-zero, 32 bits unless xpn, required for TX SA add. */
static enum result test_pn(void)
{
	struct sa_cmd c;

	CHECK(sa(VERB_ADD, "vs0 tx sa 0 pn 0 key 01 " KEY16, &c), "pn 0 accepted for tx sa add");
	CHECK(strstr(errbuf, "pn != 0"), "expected 'pn != 0' in the error, got: %s", errbuf);
	CHECK(sa(VERB_ADD, "vs0 tx sa 0 key 01 " KEY16, &c), "tx sa add without pn accepted");
	CHECK(strstr(errbuf, "packet number"), "expected 'packet number' in: %s", errbuf);
	CHECK(sa(VERB_ADD, "vs0 tx sa 0 pn 1", &c), "tx sa add without key accepted");
	CHECK(strstr(errbuf, "without key"), "expected 'without key' in: %s", errbuf);
	CHECK(sa(VERB_ADD, "vs0 tx sa 0 pn 4294967296 key 01 " KEY16, &c), "pn 2^32 accepted");
	CHECK(sa(VERB_ADD, "vs0 tx sa 0 pn -1 key 01 " KEY16, &c), "pn -1 accepted");
	CHECK(sa(VERB_ADD, "vs0 tx sa 4 pn 1 key 01 " KEY16, &c), "sa 4 accepted");
	CHECK(sa(VERB_ADD, "vs0 tx sa 0 pn 1 pn 2 key 01 " KEY16, &c), "two pn accepted");
	CHECK(!sa(VERB_ADD, "vs0 tx sa 0 xpn 4294967296 key 01 " KEY16, &c), "xpn 2^32 refused: %s", errbuf);
	CHECK(c.sa.pn == 4294967296ULL && c.sa.xpn, "xpn: got %llu", (unsigned long long)c.sa.pn);
	CHECK(!sa(VERB_ADD, "vs0 tx sa 0 pn 0x10 key 01 " KEY16, &c) && c.sa.pn == 16,
	      "pn 0x10: expected 16, got %llu (%s)", (unsigned long long)c.sa.pn, errbuf);
	CHECK(!sa(VERB_SET, "vs0 tx sa 0 pn 100", &c) && c.sa.pn == 100, "set pn 100 refused");
	CHECK(sa(VERB_SET, "vs0 tx sa 0 key 01 " KEY16, &c), "set with a key accepted");
	CHECK(!sa(VERB_ADD, "vs0 rx sci 1 sa 0 key 01 " KEY16, &c), "rx sa add without pn refused: %s", errbuf);
	CHECK(!c.sa.pn_set, "rx sa pn set although not given");
	return PASS;
}

/* Test the cipher names ip macsec knows, in both cases, and a wrong one. */
static enum result test_ciphers(void)
{
	static const struct {
		const char *name;
		uint64_t id;
	} t[] = {
		{ "default", VSECY_CS_GCM_AES_128 },
		{ "gcm-aes-128", VSECY_CS_GCM_AES_128 },
		{ "GCM-AES-128", VSECY_CS_GCM_AES_128 },
		{ "gcm-aes-256", VSECY_CS_GCM_AES_256 },
		{ "gcm-aes-xpn-128", VSECY_CS_GCM_AES_XPN_128 },
		{ "GCM-AES-XPN-256", VSECY_CS_GCM_AES_XPN_256 },
	};
	struct link_cmd c;
	char line[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		snprintf(line, sizeof(line), "link eth0 vs0 cipher %s", t[i].name);
		CHECK(!lnk(VERB_ADD, line, &c), "'%s' refused: %s", line, errbuf);
		CHECK((c.opts.set & SECY_CIPHER) && c.opts.cipher == t[i].id,
		      "'%s': expected %#llx, got %#llx", line,
		      (unsigned long long)t[i].id, (unsigned long long)c.opts.cipher);
	}
	CHECK(lnk(VERB_ADD, "link eth0 vs0 cipher gcm-aes-512", &c), "gcm-aes-512 accepted");
	CHECK(strstr(errbuf, "gcm-aes-512"), "error does not name the cipher: %s", errbuf);
	CHECK(!strcmp(cipher_name(VSECY_CS_GCM_AES_128_LEGACY), "GCM-AES-128"),
	      "legacy id prints as %s", cipher_name(VSECY_CS_GCM_AES_128_LEGACY));
	return PASS;
}

/* Test on/off flags of the link and of SAs and SCs. */
static enum result test_on_off(void)
{
	struct link_cmd l;
	struct sa_cmd c;

	CHECK(!lnk(VERB_ADD, "link eth0 vs0 encrypt on send_sci off protect off scb off end_station on", &l),
	      "flags refused: %s", errbuf);
	CHECK(l.opts.encrypt == 1 && l.opts.inc_sci == 0 && l.opts.protect == 0 &&
	      l.opts.es == 1 && (l.opts.set & (SECY_ENCRYPT | SECY_INC_SCI | SECY_PROTECT | SECY_ES | SECY_SCB)) ==
	      (SECY_ENCRYPT | SECY_INC_SCI | SECY_PROTECT | SECY_ES | SECY_SCB), "flags parsed wrong");
	CHECK(lnk(VERB_ADD, "link eth0 vs0 encrypt yes", &l), "encrypt yes accepted");
	CHECK(strstr(errbuf, "\"yes\""), "error does not name 'yes': %s", errbuf);
	CHECK(lnk(VERB_ADD, "link eth0 vs0 encrypt", &l), "encrypt without value accepted");
	CHECK(sa(VERB_SET, "vs0 tx sa 0 on off", &c), "'on off' accepted");
	CHECK(!sa(VERB_SET, "vs0 rx sci 1 off", &c) && c.sc_active == 0, "rx sc off refused");
	CHECK(!sa(VERB_SET, "vs0 rx sci 1 sa 2 on", &c) && c.sa.active == 1 && c.sa.an == 2,
	      "rx sa on refused");
	CHECK(!sa(VERB_SET, "vs0 tx sa 3", &c) && c.sa.active == -1, "absent on/off not -1");
	return PASS;
}

/* Test that a word the grammar does not know is refused and named. */
static enum result test_unknown_words(void)
{
	static const struct {
		enum verb v;
		bool link;
		const char *line, *word;
	} t[] = {
		{ VERB_ADD, false, "vs0 tx sa 0 pn 1 frob key 01 " KEY16, "frob" },
		{ VERB_ADD, false, "vs0 tx xx 0", "xx" },
		{ VERB_ADD, false, "vs0 bogus sa 0", "bogus" },
		{ VERB_ADD, false, "vs0 rx sci 1 zap", "zap" },
		{ VERB_ADD, false, "vs0 rx sci 1 sa 0 pn 1 key 01 " KEY16 " extra", "extra" },
		{ VERB_DEL, false, "vs0 tx sa 0 junk", "junk" },
		{ VERB_ADD, true, "link eth0 vs0 encrypt on wibble", "wibble" },
		{ VERB_SET, true, "vs0 encrypt on wobble", "wobble" },
		{ VERB_DEL, true, "vs0 wubble", "wubble" },
		{ VERB_ADD, true, "link eth0 vs0 other", "other" },
	};
	struct link_cmd l;
	struct sa_cmd c;
	char quoted[64];
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		r = t[i].link ? lnk(t[i].v, t[i].line, &l) : sa(t[i].v, t[i].line, &c);
		snprintf(quoted, sizeof(quoted), "\"%s\"", t[i].word);
		CHECK(r, "'%s' accepted", t[i].line);
		CHECK(strstr(errbuf, quoted), "'%s': error does not name %s: %.*s",
		      t[i].line, quoted, first_line_len(errbuf), errbuf);
	}
	return PASS;
}

/* Test the link grammar: ip link's word order, the SCI and replay rules. */
static enum result test_link_grammar(void)
{
	struct link_cmd c;

	CHECK(!lnk(VERB_ADD, "link eth0 macsec0 type macsec port 11 encrypt on", &c),
	      "ip link line refused: %s", errbuf);
	CHECK(!strcmp(c.lower, "eth0") && !strcmp(c.name, "macsec0") &&
	      (c.opts.set & SECY_PORT) && c.opts.port == 11 && !(c.opts.set & SECY_SCI),
	      "link/name/port parsed wrong");
	CHECK(!lnk(VERB_ADD, "vs0 link eth0", &c) && !strcmp(c.name, "vs0"), "NAME link LOWER refused");
	CHECK(!lnk(VERB_ADD, "link eth0 vs0 address 52:54:00:12:34:56 port 2", &c),
	      "address+port refused: %s", errbuf);
	CHECK((c.opts.set & SECY_SCI) && c.opts.sci == 0x5254001234560002ULL && !(c.opts.set & SECY_PORT),
	      "address+port: expected sci 5254001234560002, got %016llx",
	      (unsigned long long)c.opts.sci);
	CHECK(!lnk(VERB_ADD, "link eth0 vs0 sci 0x0a0b0c0d0e0f0010", &c) &&
	      c.opts.sci == 0x0a0b0c0d0e0f0010ULL, "sci refused");
	CHECK(lnk(VERB_ADD, "link eth0 vs0 address 52:54:00:12:34:56", &c), "address alone accepted");
	CHECK(lnk(VERB_ADD, "link eth0", &c), "no NAME accepted");
	CHECK(lnk(VERB_ADD, "vs0 port 1", &c), "no LOWER accepted");
	CHECK(lnk(VERB_ADD, "link eth0 vs0 replay on", &c), "replay on without window accepted");
	CHECK(strstr(errbuf, "window"), "replay error does not mention window: %s", errbuf);
	CHECK(lnk(VERB_ADD, "link eth0 vs0 window 32", &c), "window without replay accepted");
	CHECK(!lnk(VERB_ADD, "link eth0 vs0 replay off window 32", &c) &&
	      !(c.opts.set & SECY_WINDOW) && (c.opts.set & SECY_REPLAY), "replay off window 32");
	CHECK(!lnk(VERB_ADD, "link eth0 vs0 replay on window 0x20", &c) && c.opts.window == 32,
	      "replay on window 0x20");
	CHECK(lnk(VERB_ADD, "link eth0 vs0 send_sci on end_station on", &c), "send_sci+es accepted");
	CHECK(lnk(VERB_ADD, "link eth0 vs0 end_station on scb on", &c), "es+scb accepted");
	CHECK(lnk(VERB_ADD, "link eth0 vs0 icvlen 8", &c), "icvlen 8 accepted");
	CHECK(!lnk(VERB_ADD, "link eth0 vs0 icvlen 16", &c) && c.opts.icv_len == 16, "icvlen 16 refused");
	CHECK(!lnk(VERB_ADD, "link eth0 vs0 validate str", &c) &&
	      c.opts.validate == VSECY_VALIDATE_STRICT, "validate str (prefix) refused");
	CHECK(!lnk(VERB_ADD, "link eth0 vs0 validate disabled", &c) &&
	      c.opts.validate == VSECY_VALIDATE_DISABLED, "validate disabled");
	CHECK(lnk(VERB_ADD, "link eth0 vs0 validate lax", &c), "validate lax accepted");
	CHECK(lnk(VERB_ADD, "link eth0 vs0 encodingsa 4", &c), "encodingsa 4 accepted");
	CHECK(lnk(VERB_SET, "vs0", &c), "link set with nothing to change accepted");
	CHECK(!lnk(VERB_DEL, "vs0", &c) && !strcmp(c.name, "vs0"), "link del vs0 refused");
	return PASS;
}

/* Attribute lookup for the request checks. */
struct tb {
	const struct nlattr *a[32];
	int count;
};

static void index_nlh(const struct nlmsghdr *nlh, size_t hdr, struct tb *t)
{
	const struct nlattr *a;

	memset(t, 0, sizeof(*t));
	mnl_attr_for_each(a, nlh, hdr) {
		if (mnl_attr_get_type(a) < 32)
			t->a[mnl_attr_get_type(a)] = a;
		t->count++;
	}
}

static void index_nest(const struct nlattr *nest, struct tb *t)
{
	const struct nlattr *a;

	memset(t, 0, sizeof(*t));
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) < 32)
			t->a[mnl_attr_get_type(a)] = a;
		t->count++;
	}
}

/* Test the ADD_TXSA request: command, device, every SA attribute, sizes. */
static enum result test_build_txsa(void)
{
	char buf[NL_BUFLEN];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct tb top, sat;
	struct sa_cmd c;
	uint8_t key[16];

	memset(key, 0x81, sizeof(key));
	CHECK(!sa(VERB_ADD, "vs0 tx sa 1 pn 5 on key 0a0b " KEY16, &c), "refused: %s", errbuf);
	nlh = build_sa_cmd(buf, 0x1234, 7, &c);
	CHECK(mnl_nlmsg_ok(nlh, nlh->nlmsg_len), "message not well formed");
	CHECK(nlh->nlmsg_type == 0x1234, "type %#x, expected the family 0x1234", nlh->nlmsg_type);
	CHECK((nlh->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK)) == (NLM_F_REQUEST | NLM_F_ACK),
	      "flags %#x lack REQUEST|ACK", nlh->nlmsg_flags);
	g = mnl_nlmsg_get_payload(nlh);
	CHECK(g->cmd == VSECY_CMD_ADD_TXSA && g->version == VSECY_GENL_VERSION,
	      "cmd %u version %u", g->cmd, g->version);
	index_nlh(nlh, sizeof(*g), &top);
	CHECK(top.count == 2, "expected 2 top-level attributes, got %d", top.count);
	CHECK(top.a[VSECY_A_IFINDEX] && mnl_attr_get_u32(top.a[VSECY_A_IFINDEX]) == 7, "ifindex");
	CHECK(top.a[VSECY_A_SA] && !top.a[VSECY_A_RXSC], "SA nest missing or RXSC present");
	CHECK(mnl_attr_validate(top.a[VSECY_A_SA], MNL_TYPE_NESTED) >= 0, "SA is not a nest");
	index_nest(top.a[VSECY_A_SA], &sat);
	CHECK(sat.count == 5, "expected AN PN KEYID KEY ACTIVE, got %d attributes", sat.count);
	CHECK(sat.a[VSECY_SA_A_AN] && mnl_attr_get_payload_len(sat.a[VSECY_SA_A_AN]) == 1 &&
	      mnl_attr_get_u8(sat.a[VSECY_SA_A_AN]) == 1, "AN");
	CHECK(sat.a[VSECY_SA_A_PN] && mnl_attr_get_payload_len(sat.a[VSECY_SA_A_PN]) == 8 &&
	      mnl_attr_get_u64(sat.a[VSECY_SA_A_PN]) == 5, "PN must be u64 5");
	CHECK(sat.a[VSECY_SA_A_KEYID] &&
	      mnl_attr_get_payload_len(sat.a[VSECY_SA_A_KEYID]) == VSECY_KEYID_LEN &&
	      !memcmp(mnl_attr_get_payload(sat.a[VSECY_SA_A_KEYID]),
		      "\x0a\x0b\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16), "KEYID");
	CHECK(sat.a[VSECY_SA_A_KEY] && mnl_attr_get_payload_len(sat.a[VSECY_SA_A_KEY]) == 16 &&
	      !memcmp(mnl_attr_get_payload(sat.a[VSECY_SA_A_KEY]), key, 16), "KEY");
	CHECK(sat.a[VSECY_SA_A_ACTIVE] && mnl_attr_get_u8(sat.a[VSECY_SA_A_ACTIVE]) == 1, "ACTIVE");
	return PASS;
}

/* Test RX SC and RX SA requests: which command, which attributes. */
static enum result test_build_rx(void)
{
	char buf[NL_BUFLEN];
	struct nlmsghdr *nlh;
	struct tb top, sc, s;
	struct sa_cmd c;

	CHECK(!sa(VERB_ADD, "vs0 rx sci 5254001234560002 sa 3 xpn 4294967296 ssci 10 salt 0102030405060708090a0b0c key 01 " KEY32,
		  &c), "refused: %s", errbuf);
	nlh = build_sa_cmd(buf, 0x20, 3, &c);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == VSECY_CMD_ADD_RXSA, "cmd");
	index_nlh(nlh, GENL_HDRLEN, &top);
	CHECK(top.a[VSECY_A_RXSC] && top.a[VSECY_A_SA], "RXSC or SA nest missing");
	index_nest(top.a[VSECY_A_RXSC], &sc);
	CHECK(sc.count == 1 && mnl_attr_get_u64(sc.a[VSECY_RXSC_A_SCI]) == 0x5254001234560002ULL,
	      "RXSC nest must hold only the SCI");
	index_nest(top.a[VSECY_A_SA], &s);
	CHECK(mnl_attr_get_u64(s.a[VSECY_SA_A_PN]) == 4294967296ULL, "xpn");
	CHECK(s.a[VSECY_SA_A_SSCI] && mnl_attr_get_u32(s.a[VSECY_SA_A_SSCI]) == 0x10,
	      "ssci is hex: expected 0x10");
	CHECK(s.a[VSECY_SA_A_SALT] && mnl_attr_get_payload_len(s.a[VSECY_SA_A_SALT]) == 12 &&
	      ((uint8_t *)mnl_attr_get_payload(s.a[VSECY_SA_A_SALT]))[11] == 0x0c, "salt");
	CHECK(mnl_attr_get_payload_len(s.a[VSECY_SA_A_KEY]) == 32, "32-byte key");
	CHECK(!s.a[VSECY_SA_A_ACTIVE], "ACTIVE sent although not given");

	CHECK(!sa(VERB_DEL, "vs0 rx sci 1 sa 0", &c), "del rx sa refused");
	nlh = build_sa_cmd(buf, 0x20, 3, &c);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == VSECY_CMD_DEL_RXSA, "del rxsa cmd");
	index_nlh(nlh, GENL_HDRLEN, &top);
	index_nest(top.a[VSECY_A_SA], &s);
	CHECK(s.count == 1 && s.a[VSECY_SA_A_AN], "DEL_RXSA SA nest must hold only the AN");

	CHECK(!sa(VERB_SET, "vs0 rx port 7 address 02:00:00:00:00:01 off", &c), "set rx sc refused");
	nlh = build_sa_cmd(buf, 0x20, 3, &c);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == VSECY_CMD_UPD_RXSC, "upd rxsc cmd");
	index_nlh(nlh, GENL_HDRLEN, &top);
	CHECK(!top.a[VSECY_A_SA], "UPD_RXSC carries an SA");
	index_nest(top.a[VSECY_A_RXSC], &sc);
	CHECK(mnl_attr_get_u64(sc.a[VSECY_RXSC_A_SCI]) == 0x0200000000010007ULL &&
	      sc.a[VSECY_RXSC_A_ACTIVE] && mnl_attr_get_u8(sc.a[VSECY_RXSC_A_ACTIVE]) == 0,
	      "UPD_RXSC: SCI or ACTIVE wrong");

	CHECK(!sa(VERB_DEL, "vs0 rx sci 1", &c), "del rx sc refused");
	nlh = build_sa_cmd(buf, 0x20, 3, &c);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == VSECY_CMD_DEL_RXSC, "del rxsc cmd");
	CHECK(!sa(VERB_DEL, "vs0 tx sa 2", &c), "del tx sa refused");
	nlh = build_sa_cmd(buf, 0x20, 3, &c);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == VSECY_CMD_DEL_TXSA, "del txsa cmd");
	return PASS;
}

/* Test RTM_NEWLINK (kind vsecy, IFLA_INFO_DATA) and SET_SECY requests. */
static enum result test_build_link(void)
{
	char buf[NL_BUFLEN];
	struct nlmsghdr *nlh;
	struct tb top, info, data;
	struct link_cmd c;

	CHECK(!lnk(VERB_ADD, "link eth0 vs0 sci 5254001234560001 cipher gcm-aes-256 encrypt on replay on window 64 validate check encodingsa 3",
		   &c), "refused: %s", errbuf);
	nlh = build_newlink(buf, 4, &c);
	CHECK(nlh->nlmsg_type == RTM_NEWLINK, "type %u", nlh->nlmsg_type);
	CHECK((nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK)) ==
	      (NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK), "flags %#x", nlh->nlmsg_flags);
	index_nlh(nlh, sizeof(struct ifinfomsg), &top);
	CHECK(top.a[IFLA_IFNAME] && !strcmp(mnl_attr_get_str(top.a[IFLA_IFNAME]), "vs0"), "IFLA_IFNAME");
	CHECK(top.a[IFLA_LINK] && mnl_attr_get_u32(top.a[IFLA_LINK]) == 4, "IFLA_LINK");
	CHECK(top.a[IFLA_LINKINFO], "IFLA_LINKINFO missing");
	index_nest(top.a[IFLA_LINKINFO], &info);
	CHECK(info.a[IFLA_INFO_KIND] && !strcmp(mnl_attr_get_str(info.a[IFLA_INFO_KIND]), "vsecy"),
	      "kind must be vsecy");
	CHECK(info.a[IFLA_INFO_DATA], "IFLA_INFO_DATA missing");
	index_nest(info.a[IFLA_INFO_DATA], &data);
	CHECK(data.count == 7, "expected 7 SecY attributes, got %d", data.count);
	CHECK(mnl_attr_get_u64(data.a[VSECY_SECY_A_SCI]) == 0x5254001234560001ULL, "SCI");
	CHECK(mnl_attr_get_u64(data.a[VSECY_SECY_A_CIPHER_SUITE]) == VSECY_CS_GCM_AES_256, "cipher");
	CHECK(mnl_attr_get_u8(data.a[VSECY_SECY_A_ENCRYPT]) == 1, "encrypt");
	CHECK(mnl_attr_get_u8(data.a[VSECY_SECY_A_REPLAY]) == 1 &&
	      mnl_attr_get_u32(data.a[VSECY_SECY_A_WINDOW]) == 64, "replay/window");
	CHECK(mnl_attr_get_u8(data.a[VSECY_SECY_A_VALIDATE]) == VSECY_VALIDATE_CHECK, "validate");
	CHECK(mnl_attr_get_u8(data.a[VSECY_SECY_A_ENCODING_SA]) == 3, "encodingsa");

	CHECK(!lnk(VERB_ADD, "link eth0 vs1", &c), "bare link add refused");
	nlh = build_newlink(buf, 4, &c);
	index_nlh(nlh, sizeof(struct ifinfomsg), &top);
	index_nest(top.a[IFLA_LINKINFO], &info);
	CHECK(info.count == 1 && !info.a[IFLA_INFO_DATA], "no options must mean no IFLA_INFO_DATA");

	/* The form other tooling depends on: the NIC's mode alone. */
	CHECK(!lnk(VERB_ADD, "link veth0 nic0 mode offload", &c), "mode offload refused: %s", errbuf);
	nlh = build_newlink(buf, 4, &c);
	index_nlh(nlh, sizeof(struct ifinfomsg), &top);
	CHECK(!strcmp(mnl_attr_get_str(top.a[IFLA_IFNAME]), "nic0") &&
	      mnl_attr_get_u32(top.a[IFLA_LINK]) == 4, "mode offload: name/link");
	index_nest(top.a[IFLA_LINKINFO], &info);
	CHECK(info.a[IFLA_INFO_DATA], "mode offload: no IFLA_INFO_DATA");
	index_nest(info.a[IFLA_INFO_DATA], &data);
	CHECK(data.count == 1 && data.a[VSECY_SECY_A_MODE] &&
	      mnl_attr_get_u8(data.a[VSECY_SECY_A_MODE]) == VSECY_MODE_OFFLOAD,
	      "mode offload: expected VSECY_SECY_A_MODE 1 alone, got %d attributes", data.count);
	CHECK(!lnk(VERB_ADD, "link veth0 vs2 mode secy", &c) && (c.opts.set & SECY_MODE) &&
	      c.opts.mode == VSECY_MODE_SECY, "mode secy: %s", errbuf);
	CHECK(lnk(VERB_ADD, "link veth0 nic0 mode nic", &c) && strstr(errbuf, "\"nic\""),
	      "mode nic accepted or not named: %s", errbuf);
	CHECK(lnk(VERB_ADD, "link veth0 nic0 mode offload mode offload", &c) &&
	      strstr(errbuf, "duplicate"), "a second mode accepted: %s", errbuf);

	CHECK(!lnk(VERB_SET, "vs0 port 9 protect off", &c), "link set refused: %s", errbuf);
	nlh = build_set_secy(buf, 0x33, 12, &c.opts);
	CHECK(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd == VSECY_CMD_SET_SECY, "SET_SECY");
	index_nlh(nlh, GENL_HDRLEN, &top);
	CHECK(mnl_attr_get_u32(top.a[VSECY_A_IFINDEX]) == 12 && top.a[VSECY_A_SECY], "ifindex/SECY");
	index_nest(top.a[VSECY_A_SECY], &data);
	CHECK(data.count == 2 && mnl_attr_get_u16(data.a[VSECY_SECY_A_PORT]) == 9 &&
	      mnl_attr_get_u8(data.a[VSECY_SECY_A_PROTECT]) == 0, "SET_SECY attributes");
	return PASS;
}

/* A GET_SECY answer as the kernel would build it. */
struct fake {
	uint64_t cs;
	uint8_t enc_sa, replay;
	uint32_t window;
	bool with_key;	/* a (buggy) KEY attribute that must never be shown */
	/* Zero: the defaults of the other tests. */
	uint64_t tx_sci, rx_sci, tx_pn;
	uint8_t rx_keyid;
	bool zero_stats;
};

static bool zero_stats;

static void put_stats(struct nlmsghdr *nlh, uint16_t type, int n, uint64_t base)
{
	struct nlattr *st = mnl_attr_nest_start(nlh, type);
	int i;

	for (i = 1; i <= n; i++)
		mnl_attr_put_u64(nlh, i, zero_stats ? 0 : base + i);
	mnl_attr_nest_end(nlh, st);
}

static void put_fake_sa(struct nlmsghdr *nlh, const struct fake *f, uint8_t an,
			uint64_t pn, int nstats, uint64_t base, uint8_t keyid0)
{
	struct nlattr *s = mnl_attr_nest_start(nlh, VSECY_A_SA);
	uint8_t keyid[16] = { keyid0 };

	mnl_attr_put_u8(nlh, VSECY_SA_A_AN, an);
	mnl_attr_put_u8(nlh, VSECY_SA_A_ACTIVE, 1);
	mnl_attr_put_u64(nlh, VSECY_SA_A_PN, pn);
	mnl_attr_put(nlh, VSECY_SA_A_KEYID, 16, keyid);
	if (cipher_is_xpn(f->cs))
		mnl_attr_put_u32(nlh, VSECY_SA_A_SSCI, 1);
	if (f->with_key)
		mnl_attr_put(nlh, VSECY_SA_A_KEY, 16, "\xde\xad\xbe\xef\xde\xad\xbe\xef"
			     "\xde\xad\xbe\xef\xde\xad\xbe\xef");
	put_stats(nlh, VSECY_SA_A_STATS, nstats, base);
	mnl_attr_nest_end(nlh, s);
}

static struct nlmsghdr *fake_dump(void *buf, const struct fake *f)
{
	struct nlmsghdr *nlh = build_genl(buf, 0x20, VSECY_CMD_GET_SECY, NLM_F_MULTI);
	struct nlattr *n, *l, *r, *sl;
	uint64_t tx_sci = f->tx_sci ? f->tx_sci : 0x5254001234560001ULL;
	uint64_t rx_sci = f->rx_sci ? f->rx_sci : 0x5254001234560002ULL;
	uint64_t tx_pn = f->tx_pn ? f->tx_pn : cipher_is_xpn(f->cs) ? 4294967296ULL : 1;

	zero_stats = f->zero_stats;
	mnl_attr_put_u32(nlh, VSECY_A_IFINDEX, f->tx_sci ? 3 : 9);
	mnl_attr_put_strz(nlh, VSECY_A_IFNAME, f->tx_sci ? "macsec0" : "vs0");
	n = mnl_attr_nest_start(nlh, VSECY_A_SECY);
	mnl_attr_put_u64(nlh, VSECY_SECY_A_SCI, tx_sci);
	mnl_attr_put_u64(nlh, VSECY_SECY_A_CIPHER_SUITE, f->cs);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_ICV_LEN, 16);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_ENCODING_SA, f->enc_sa);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_ENCRYPT, 1);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_PROTECT, 1);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_INC_SCI, 1);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_ES, 0);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_SCB, 0);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_REPLAY, f->replay);
	mnl_attr_put_u32(nlh, VSECY_SECY_A_WINDOW, f->window);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_VALIDATE, VSECY_VALIDATE_STRICT);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_OPER, 1);
	mnl_attr_nest_end(nlh, n);
	put_stats(nlh, VSECY_A_SECY_STATS, 8, 100);
	n = mnl_attr_nest_start(nlh, VSECY_A_TXSC);
	mnl_attr_put_u64(nlh, VSECY_TXSC_A_SCI, tx_sci);
	put_stats(nlh, VSECY_TXSC_A_STATS, 4, 200);
	l = mnl_attr_nest_start(nlh, VSECY_TXSC_A_SA_LIST);
	put_fake_sa(nlh, f, 0, tx_pn, 2, 300, 1);
	mnl_attr_nest_end(nlh, l);
	mnl_attr_nest_end(nlh, n);
	l = mnl_attr_nest_start(nlh, VSECY_A_RXSC_LIST);
	r = mnl_attr_nest_start(nlh, VSECY_A_RXSC);
	mnl_attr_put_u64(nlh, VSECY_RXSC_A_SCI, rx_sci);
	mnl_attr_put_u8(nlh, VSECY_RXSC_A_ACTIVE, 1);
	put_stats(nlh, VSECY_RXSC_A_STATS, 10, 400);
	sl = mnl_attr_nest_start(nlh, VSECY_RXSC_A_SA_LIST);
	put_fake_sa(nlh, f, 0, 1, 5, 500, f->rx_sci ? f->rx_keyid : 1);
	mnl_attr_nest_end(nlh, sl);
	mnl_attr_nest_end(nlh, r);
	mnl_attr_nest_end(nlh, l);
	return nlh;
}

static char *render_ex(const struct fake *f, bool stats, bool json, bool pretty,
		       uint32_t filter, int copies)
{
	static char buf[NL_BUFLEN];
	struct show_ctx c = { .stats = stats, .json = json, .ifindex = filter };
	char *out = NULL;
	size_t len;
	int i;

	c.out = open_memstream(&out, &len);
	if (json) {
		json_init(&c.j, c.out, pretty);
		json_open(&c.j, NULL, '[');
	}
	for (i = 0; i < copies; i++)
		show_secy_msg(fake_dump(buf, f), &c);
	show_finish(&c);
	if (json)
		json_close(&c.j, ']');
	fclose(c.out);
	return out;
}

static char *render(const struct fake *f, bool stats, bool json)
{
	return render_ex(f, stats, json, false, 0, 1);
}

/*
 * A vsecy NIC's RTM_NEWLINK as the kernel sends it: kind vsecy, mode
 * offload and NSECYS offloaded SecYs (ifindex 1, "lo", so that the name
 * resolves on any host), lower device LINK.
 */
static struct nlmsghdr *fake_nic(void *buf, int nsecys, uint32_t link, bool secy_mode)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *info, *data, *list, *e;
	struct ifinfomsg *ifi;
	int i;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_MULTI;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "nic0");
	mnl_attr_put_u32(nlh, IFLA_LINK, link);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vsecy");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u8(nlh, VSECY_SECY_A_MODE, secy_mode ? VSECY_MODE_SECY : VSECY_MODE_OFFLOAD);
	if (!secy_mode) {
		list = mnl_attr_nest_start(nlh, VSECY_SECY_A_OFFLOADED);
		for (i = 0; i < nsecys; i++) {
			e = mnl_attr_nest_start(nlh, VSECY_OFFLOAD_A_SECY);
			mnl_attr_put_u64(nlh, VSECY_OFFLOAD_A_SCI, 0x0200000001010001ULL + i);
			mnl_attr_put_u32(nlh, VSECY_OFFLOAD_A_IFINDEX, 1);
			mnl_attr_put_u32(nlh, VSECY_OFFLOAD_A_RXSCS, i);
			mnl_attr_nest_end(nlh, e);
		}
		mnl_attr_nest_end(nlh, list);
	}
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

static char *render_nic(int nsecys, bool json, bool secy_mode)
{
	static char buf[NL_BUFLEN];
	struct show_ctx c = { .json = json };
	char *out = NULL;
	size_t len;

	c.out = open_memstream(&out, &len);
	if (json) {
		json_init(&c.j, c.out, false);
		json_open(&c.j, NULL, '[');
	}
	show_nic_msg(fake_nic(buf, nsecys, 1, secy_mode), &c);
	if (json)
		json_close(&c.j, ']');
	fclose(c.out);
	return out;
}

/* Test vsecy show of a NIC: its mode, lower device and offloaded SecYs
 * with their SCIs, in text and JSON; a SecY-mode link is not a NIC; the
 * dump request filters on kind vsecy; -d marks a SecY's mode.
 */
static enum result test_show_nic(void)
{
	static const char *const text =
		"7: nic0: mode offload link lo secys 2\n"
		"    SECY: 0200000001010001 on lo (ifindex 1), RX SCs 0\n"
		"    SECY: 0200000001010002 on lo (ifindex 1), RX SCs 1\n";
	static const char *const json =
		"[{\"ifindex\":7,\"ifname\":\"nic0\",\"mode\":\"offload\",\"link\":\"lo\","
		"\"offloaded\":[{\"sci\":\"0x200000001010001\",\"ifindex\":1,\"ifname\":\"lo\",\"rx_scs\":0},"
		"{\"sci\":\"0x200000001010002\",\"ifindex\":1,\"ifname\":\"lo\",\"rx_scs\":1}]}]\n";
	static char buf[NL_BUFLEN];
	struct fake f = { .cs = VSECY_CS_GCM_AES_128 };
	struct tb top, info;
	struct nlmsghdr *nlh;
	char *out;
	struct show_ctx c = { .details = true };
	size_t len;

	out = render_nic(2, false, false);
	CHECK(!strcmp(out, text), "expected:\n%s# observed:\n%s", text, out);
	free(out);
	out = render_nic(2, true, false);
	CHECK(!strcmp(out, json), "expected:\n# %s\n# observed:\n# %s", json, out);
	free(out);
	out = render_nic(0, false, false);
	CHECK(!strcmp(out, "7: nic0: mode offload link lo secys 0\n"), "no SecY: '%s'", out);
	free(out);
	out = render_nic(0, true, false);
	CHECK(strstr(out, "\"offloaded\":[]"), "no SecY, JSON: '%s'", out);
	free(out);
	out = render_nic(2, false, true);
	CHECK(!*out, "a SecY-mode link shown as a NIC: '%s'", out);
	free(out);

	nlh = build_getlink_vsecy(buf, 0);
	CHECK(nlh->nlmsg_type == RTM_GETLINK && (nlh->nlmsg_flags & NLM_F_DUMP), "dump request");
	index_nlh(nlh, sizeof(struct ifinfomsg), &top);
	CHECK(top.a[IFLA_LINKINFO], "no kind filter");
	index_nest(top.a[IFLA_LINKINFO], &info);
	CHECK(info.a[IFLA_INFO_KIND] && !strcmp(mnl_attr_get_str(info.a[IFLA_INFO_KIND]), "vsecy"),
	      "kind filter is not vsecy");

	c.out = open_memstream(&out, &len);
	show_secy_msg(fake_dump(buf, &f), &c);
	show_finish(&c);
	fclose(c.out);
	CHECK(strstr(out, "replay off \n    mode secy\n    cipher suite: "), "-d: no mode line:\n%s", out);
	free(out);
	return PASS;
}

/* Test the text of `vsecy show` against ip macsec show's, line by line. */
static enum result test_show_text(void)
{
	static const char *const expected =
		"9: vs0: protect on validate strict sc off sa off encrypt on send_sci on end_station off scb off replay off \n"
		"    cipher suite: GCM-AES-128, using ICV length 16\n"
		"    TXSC: 5254001234560001 on SA 0\n"
		"        0: PN 1, state on, key 01000000000000000000000000000000\n"
		"    RXSC: 5254001234560002, state on\n"
		"        0: PN 1, state on, key 01000000000000000000000000000000\n"
		"    offload: off \n";
	struct fake f = { .cs = VSECY_CS_GCM_AES_128 };
	char *out = render(&f, false, false);

	CHECK(!strcmp(out, expected), "expected:\n%s# observed:\n%s", expected, out);
	free(out);

	f.enc_sa = 2;
	f.replay = 1;
	f.window = 32;
	f.cs = VSECY_CS_GCM_AES_XPN_256;
	out = render(&f, false, false);
	CHECK(strstr(out, "sc on sa on encrypt on send_sci on end_station off scb off replay on window 32 \n"),
	      "encoding SA 2 / replay line wrong: %s", out);
	CHECK(strstr(out, "    cipher suite: GCM-AES-XPN-256, using ICV length 16\n"), "XPN cipher line: %s", out);
	CHECK(strstr(out, "    TXSC: 5254001234560001 on SA 2\n"), "TXSC line: %s", out);
	CHECK(strstr(out, "        0: PN 4294967296,SSCI 00000001 state on, key 01000000000000000000000000000000\n"),
	      "XPN SA line: %s", out);
	free(out);
	return PASS;
}

/*
 * Test -s against what iproute2 6.1's `ip -s macsec show` printed in the
 * VM for the same state of a kernel macsec device (captured once, with
 * `ip link add link veth1 macsec0 type macsec port 11 encrypt on
 * encodingsa 2 replay on window 32`, a TX SA 0 at PN 1024 with key id 01
 * and an RX SC c6:19:52:8f:e6:a0 port 1234 with SA 0, key id 00).
 */
static enum result test_show_like_captured_ip(void)
{
	static const char *const captured =
		"3: macsec0: protect on validate strict sc on sa on encrypt on send_sci on end_station off scb off replay on window 32 \n"
		"    cipher suite: GCM-AES-128, using ICV length 16\n"
		"    TXSC: d21b673d105d000b on SA 2\n"
		"    stats: OutPktsUntagged InPktsUntagged OutPktsTooLong InPktsNoTag InPktsBadTag InPktsUnknownSCI InPktsNoSCI InPktsOverrun\n"
		"                         0              0              0           0            0                0           0             0\n"
		"    stats: OutPktsProtected OutPktsEncrypted OutOctetsProtected OutOctetsEncrypted\n"
		"                          0                0                  0                  0\n"
		"        0: PN 1024, state on, key 01000000000000000000000000000000\n"
		"    stats: OutPktsProtected OutPktsEncrypted\n"
		"                          0                0\n"
		"    RXSC: c619528fe6a004d2, state on\n"
		"    stats: InOctetsValidated InOctetsDecrypted InPktsUnchecked InPktsDelayed InPktsOK InPktsInvalid InPktsLate InPktsNotValid InPktsNotUsingSA InPktsUnusedSA\n"
		"                           0                 0               0             0        0             0          0              0                0              0\n"
		"        0: PN 1, state on, key 00000000000000000000000000000000\n"
		"    stats: InPktsOK InPktsInvalid InPktsNotValid InPktsNotUsingSA InPktsUnusedSA\n"
		"                  0             0              0                0              0\n"
		"    offload: off \n";
	struct fake f = {
		.cs = VSECY_CS_GCM_AES_128, .enc_sa = 2, .replay = 1, .window = 32,
		.tx_sci = 0xd21b673d105d000bULL, .rx_sci = 0xc619528fe6a004d2ULL,
		.tx_pn = 1024, .rx_keyid = 0, .zero_stats = true,
	};
	char *out = render(&f, true, false);

	CHECK(!strcmp(out, captured), "expected (ip -s macsec show):\n%s# observed:\n%s", captured, out);
	free(out);
	return PASS;
}

/*
 * Test the -s blocks: ip's layout, a "stats:" line of names and under it
 * each counter right-aligned to the end of its name, in attribute order.
 */
static enum result test_show_stats(void)
{
	struct fake f = { .cs = VSECY_CS_GCM_AES_128 };
	char *out = render(&f, true, false), *line, *save = NULL, *copy;
	static const char *const txsa =
		"        0: PN 1, state on, key 01000000000000000000000000000000\n"
		"    stats: OutPktsProtected OutPktsEncrypted\n"
		"                        301              302\n";
	int blocks = 0;
	char *names = NULL;

	CHECK(strstr(out, txsa), "TX SA stats block: expected\n%s# observed:\n%s", txsa, out);
	CHECK(strstr(out, "    stats: OutPktsUntagged InPktsUntagged OutPktsTooLong InPktsNoTag InPktsBadTag InPktsUnknownSCI InPktsNoSCI InPktsOverrun\n"),
	      "SecY stats names");
	CHECK(strstr(out, "    stats: InOctetsValidated InOctetsDecrypted InPktsUnchecked InPktsDelayed InPktsOK InPktsInvalid InPktsLate InPktsNotValid InPktsNotUsingSA InPktsUnusedSA\n"),
	      "RX SC stats names");
	copy = strdup(out);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "    stats:", 10)) {
			names = line;
			continue;
		}
		if (!names)
			continue;
		/* Each value ends in the column where its name ends. */
		{
			char *n = names + 10, *v = line;
			size_t col;

			CHECK(!strncmp(line, "          ", 10), "values line not indented: '%s'", line);
			while (*n) {
				while (*n == ' ')
					n++;
				while (*n && *n != ' ')
					n++;
				col = n - names;
				CHECK(strlen(v) >= col && v[col - 1] != ' ' &&
				      (v[col] == ' ' || v[col] == '\0'),
				      "value not aligned under name ending at column %zu:\n# %s\n# %s",
				      col, names, line);
			}
			blocks++;
		}
		names = NULL;
	}
	free(copy);
	CHECK(blocks == 5, "expected 5 stats blocks (SecY, TX SC, TX SA, RX SC, RX SA), got %d", blocks);
	CHECK(strstr(out, "101            102"), "SecY counters 101 102 not in order");
	free(out);
	return PASS;
}

/* Runs jq FILTER on TEXT; returns its output (first line) or NULL. */
static char *jq(const char *text, const char *filter)
{
	char path[] = "/tmp/vsecy-unit-XXXXXX", cmd[256];
	static char line[256];
	FILE *p;
	int fd = mkstemp(path);

	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) < 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "jq -r '%s' < %s 2>&1", filter, path);
	p = popen(cmd, "r");
	line[0] = '\0';
	if (p) {
		if (!fgets(line, sizeof(line), p))
			line[0] = '\0';
		if (pclose(p))
			snprintf(line, sizeof(line), "jq failed");
	}
	unlink(path);
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* Test that -j output is JSON with ip -j macsec show's field names. */
static enum result test_show_json(void)
{
	static const struct {
		const char *filter, *want;
	} t[] = {
		{ ".[0].ifindex", "9" },
		{ ".[0].ifname", "vs0" },
		{ ".[0].protect", "true" },
		{ ".[0].validate", "strict" },
		{ ".[0].encrypt", "true" },
		{ ".[0].send_sci", "true" },
		{ ".[0].replay", "false" },
		{ ".[0].cipher_suite", "GCM-AES-128" },
		{ ".[0].icv_length", "16" },
		{ ".[0].sci", "0x5254001234560001" },
		{ ".[0].encoding_sa", "0" },
		{ ".[0].sa_list[0].an", "0" },
		{ ".[0].sa_list[0].pn", "1" },
		{ ".[0].sa_list[0].active", "true" },
		{ ".[0].sa_list[0].key", "01000000000000000000000000000000" },
		{ ".[0].sa_list[0].OutPktsEncrypted", "302" },
		{ ".[0].InPktsOverrun", "108" },
		{ ".[0].OutOctetsEncrypted", "204" },
		{ ".[0].rx_sc[0].sci", "0x5254001234560002" },
		{ ".[0].rx_sc[0].InPktsUnusedSA", "410" },
		{ ".[0].rx_sc[0].sa_list[0].InPktsOK", "501" },
		{ ".[0].offload", "off" },
		{ "length", "1" },
	};
	struct fake f = { .cs = VSECY_CS_GCM_AES_128 };
	char *out = render(&f, true, true), *got;
	size_t i;

	got = jq(out, "type");
	if (!got || !strcmp(got, "jq failed") || !*got) {
		printf("# jq not usable here\n");
		free(out);
		return SKIP;
	}
	CHECK(!strcmp(got, "array"), "not a JSON array (jq: %s):\n# %s", got, out);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		got = jq(out, t[i].filter);
		CHECK(got && !strcmp(got, t[i].want), "jq '%s': expected %s, got %s\n# %s",
		      t[i].filter, t[i].want, got ? got : "(null)", out);
	}
	free(out);

	/* Pretty, and two SecYs: still one well-formed array. */
	out = render_ex(&f, true, true, true, 0, 2);
	got = jq(out, "length");
	CHECK(got && !strcmp(got, "2"), "-p with two SecYs: jq length gave %s\n%s", got, out);
	CHECK(strstr(out, "\n    {\n        \"ifindex\": 9,"), "-p is not indented:\n%s", out);
	free(out);
	out = render_ex(&f, false, true, false, 10, 1);
	got = jq(out, "length");
	CHECK(got && !strcmp(got, "0"), "filter on ifindex 10 kept ifindex 9: %s", out);
	free(out);
	return PASS;
}

/* A continuation message: more RX SCs of SecY 9, nothing else. */
static struct nlmsghdr *fake_more_rxsc(void *buf, uint32_t ifindex)
{
	struct nlmsghdr *nlh = build_genl(buf, 0x20, VSECY_CMD_GET_SECY, NLM_F_MULTI);
	struct nlattr *l, *r;

	mnl_attr_put_u32(nlh, VSECY_A_IFINDEX, ifindex);
	mnl_attr_put_strz(nlh, VSECY_A_IFNAME, "vs0");
	l = mnl_attr_nest_start(nlh, VSECY_A_RXSC_LIST);
	r = mnl_attr_nest_start(nlh, VSECY_A_RXSC);
	mnl_attr_put_u64(nlh, VSECY_RXSC_A_SCI, 0x5254001234560003ULL);
	mnl_attr_put_u8(nlh, VSECY_RXSC_A_ACTIVE, 0);
	mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, VSECY_RXSC_A_SA_LIST));
	mnl_attr_nest_end(nlh, r);
	mnl_attr_nest_end(nlh, l);
	return nlh;
}

/*
 * Test that a SecY whose RX SCs span several dump messages prints as one:
 * the RX SCs of the continuation after the others, one offload line, one
 * JSON object with every RX SC; a continuation for another SecY is an error.
 */
static enum result test_show_continued(void)
{
	static char buf[NL_BUFLEN], buf2[NL_BUFLEN];
	struct fake f = { .cs = VSECY_CS_GCM_AES_128 };
	int pass;

	for (pass = 0; pass < 2; pass++) {
		struct show_ctx c = { .json = pass };
		char *out = NULL, *got;
		size_t len;
		int r1, r2;

		c.out = open_memstream(&out, &len);
		if (c.json) {
			json_init(&c.j, c.out, false);
			json_open(&c.j, NULL, '[');
		}
		r1 = show_secy_msg(fake_dump(buf, &f), &c);
		r2 = show_secy_msg(fake_more_rxsc(buf2, 9), &c);
		show_finish(&c);
		if (c.json)
			json_close(&c.j, ']');
		fclose(c.out);
		CHECK(r1 == MNL_CB_OK && r2 == MNL_CB_OK, "callbacks: %d %d", r1, r2);
		if (!c.json) {
			CHECK(strstr(out, "    RXSC: 5254001234560002, state on\n"
				     "        0: PN 1, state on, key 01000000000000000000000000000000\n"
				     "    RXSC: 5254001234560003, state off\n"
				     "    offload: off \n"), "continued text:\n%s", out);
			CHECK(!strstr(strstr(out, "offload") + 1, "offload"),
			      "more than one offload line:\n%s", out);
		} else {
			got = jq(out, ".[0].rx_sc | length");
			if (got && strcmp(got, "jq failed"))
				CHECK(!strcmp(got, "2"), "JSON rx_sc length: %s\n# %s", got, out);
			got = jq(out, ".[0].rx_sc[1].sci");
			if (got && strcmp(got, "jq failed"))
				CHECK(!strcmp(got, "0x5254001234560003"), "JSON rx_sc[1].sci: %s", got);
		}
		free(out);
	}
	{
		struct show_ctx c = { .out = fopen("/dev/null", "w") };
		int r;

		show_secy_msg(fake_dump(buf, &f), &c);
		err_begin();
		r = show_secy_msg(fake_more_rxsc(buf2, 10), &c);
		err_end();
		fclose(c.out);
		CHECK(r == MNL_CB_ERROR && strstr(errbuf, "incomplete"),
		      "continuation of another SecY accepted");
	}
	return PASS;
}

/* Test that key bytes never reach the output, even if a reply held them. */
static enum result test_no_key_bytes(void)
{
	struct fake f = { .cs = VSECY_CS_GCM_AES_128, .with_key = true };
	char buf[NL_BUFLEN], *out, *dump = NULL;
	struct sa_cmd c;
	size_t len;
	FILE *m;
	int i;

	for (i = 0; i < 4; i++) {
		out = render(&f, i & 1, i & 2);
		CHECK(!strstr(out, "deadbeef") && !strstr(out, "DEADBEEF"),
		      "key bytes in show output (stats %d json %d):\n# %s", i & 1, !!(i & 2), out);
		free(out);
	}
	CHECK(!sa(VERB_ADD, "vs0 rx sci 1 sa 0 pn 1 salt 0102030405060708090a0b0c key 01 " KEY16, &c),
	      "refused: %s", errbuf);
	m = open_memstream(&dump, &len);
	nl_dump_request(m, build_sa_cmd(buf, 0, 1, &c), NETLINK_GENERIC);
	fclose(m);
	CHECK(!strstr(dump, "8181") && strstr(dump, "VSECY_SA_A_KEY (16 bytes, hidden)"),
	      "--dry-run shows key bytes:\n# %s", dump);
	CHECK(!strstr(dump, "0102030405"), "--dry-run shows the salt");
	free(dump);
	return PASS;
}

/* Builds the NLMSG_ERROR a kernel would send for REQ. */
static struct nlmsghdr *fake_error(void *buf, const struct nlmsghdr *req, int err,
				   bool capped, const char *msg, int offs,
				   int miss_type, int miss_nest)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -err;
	e->msg = *req;
	if (!capped) {
		void *p = mnl_nlmsg_put_extra_header(nlh, req->nlmsg_len - sizeof(*req));

		memcpy(p, (const char *)req + sizeof(*req), req->nlmsg_len - sizeof(*req));
	}
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offs);
	if (miss_type >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, miss_type);
	if (miss_nest >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_NEST, miss_nest);
	return nlh;
}

static int offset_of(const struct nlmsghdr *req, const struct nlattr *a)
{
	return (const char *)a - (const char *)req;
}

/* Test extack decoding: message, the attribute it points at, a missing one. */
static enum result test_extack(void)
{
	char rbuf[NL_BUFLEN], ebuf[NL_BUFLEN], *printed = NULL;
	struct nlmsghdr *req, *err;
	struct nl_error e;
	struct sa_cmd c;
	struct tb top, s;
	size_t len;
	int capped;

	CHECK(!sa(VERB_ADD, "vs0 tx sa 0 pn 7 key 01 " KEY16, &c), "refused: %s", errbuf);
	req = build_sa_cmd(rbuf, 0x20, 5, &c);
	index_nlh(req, GENL_HDRLEN, &top);
	index_nest(top.a[VSECY_A_SA], &s);

	for (capped = 0; capped < 2; capped++) {
		err = fake_error(ebuf, req, EINVAL, capped, "PN too large for this cipher suite",
				 offset_of(req, s.a[VSECY_SA_A_PN]), -1, -1);
		nl_decode_error(err, req, NETLINK_GENERIC, &e);
		CHECK(e.err == EINVAL, "errno %d", e.err);
		CHECK(!strcmp(e.msg, "PN too large for this cipher suite"), "msg '%s'", e.msg);
		CHECK(!strcmp(e.attr, "VSECY_A_SA/VSECY_SA_A_PN"),
		      "capped %d: expected VSECY_A_SA/VSECY_SA_A_PN, got '%s'", capped, e.attr);
	}
	err = fake_error(ebuf, req, EINVAL, true, NULL, -1, VSECY_SA_A_SSCI,
			 offset_of(req, top.a[VSECY_A_SA]));
	nl_decode_error(err, req, NETLINK_GENERIC, &e);
	CHECK(!strcmp(e.attr, "missing VSECY_A_SA/VSECY_SA_A_SSCI"), "missing: got '%s'", e.attr);
	err = fake_error(ebuf, req, EEXIST, true, "SA in use", offset_of(req, top.a[VSECY_A_SA]), -1, -1);
	nl_decode_error(err, req, NETLINK_GENERIC, &e);
	CHECK(!strcmp(e.attr, "VSECY_A_SA"), "nest itself: got '%s'", e.attr);

	/* rtnetlink: into IFLA_LINKINFO/IFLA_INFO_DATA, the SecY set. */
	{
		struct link_cmd l;
		struct tb info, data;

		CHECK(!lnk(VERB_ADD, "link eth0 vs0 replay on window 64", &l), "refused: %s", errbuf);
		req = build_newlink(rbuf, 4, &l);
		index_nlh(req, sizeof(struct ifinfomsg), &top);
		index_nest(top.a[IFLA_LINKINFO], &info);
		index_nest(info.a[IFLA_INFO_DATA], &data);
		err = fake_error(ebuf, req, ERANGE, true, "window too large",
				 offset_of(req, data.a[VSECY_SECY_A_WINDOW]), -1, -1);
		nl_decode_error(err, req, NETLINK_ROUTE, &e);
		CHECK(!strcmp(e.attr, "IFLA_LINKINFO/IFLA_INFO_DATA/VSECY_SECY_A_WINDOW"),
		      "rtnetlink: got '%s'", e.attr);
	}
	err = fake_error(ebuf, req, EEXIST, true, "SA in use", 0, -1, -1);
	nl_decode_error(err, req, NETLINK_ROUTE, &e);
	CHECK(!*e.attr, "offset 0 (the header) must name no attribute, got '%s'", e.attr);
	CHECK(!strcmp(e.msg, "SA in use"), "msg '%s'", e.msg);

	vsecy_errf = open_memstream(&printed, &len);
	snprintf(e.attr, sizeof(e.attr), "VSECY_A_SA");
	nl_print_error(&e, "add tx sa");
	fclose(vsecy_errf);
	vsecy_errf = NULL;
	CHECK(!strcmp(printed, "Error: SA in use. (attribute VSECY_A_SA)\n"), "printed '%s'", printed);
	free(printed);
	return PASS;
}

/* Test the family lookup against this kernel: a big family and a missing one. */
static enum result test_genl_lookup(void)
{
	struct nl nl;
	int r;

	if (nl_open(&nl, NETLINK_GENERIC)) {
		printf("# no generic netlink socket here\n");
		return SKIP;
	}
	r = genl_resolve_name(&nl, "nlctrl");
	CHECK(!r && nl.family == GENL_ID_CTRL, "nlctrl: got %d, id %#x", r, nl.family);
	/* ethtool answers with dozens of operations: more than a page or so. */
	nl.family = 0;
	err_begin();
	r = genl_resolve_name(&nl, "ethtool");
	err_end();
	if (r && strstr(errbuf, strerror(ENOENT)))
		printf("# no ethtool family in this kernel\n");
	else
		CHECK(!r && nl.family >= GENL_MIN_ID, "ethtool: r %d, id %#x, %s", r,
		      nl.family, errbuf);
	nl.family = 0;
	err_begin();
	r = genl_resolve_name(&nl, "vsecy-no-such-family");
	err_end();
	CHECK(r && strstr(errbuf, "\"vsecy-no-such-family\" not found"),
	      "missing family: r %d, '%s'", r, errbuf);
	nl_close(&nl);
	return PASS;
}

/* Runs the vsecy binary; returns its exit status, output in OUT/ERR. */
/* As run(), with INPUT (unless NULL) on the program's standard input. */
static int run_in(char *out, size_t outlen, char *err, size_t errlen2, bool newns,
		  const char *input, const char *const *args)
{
	int po[2], pe[2], pi[2], status;
	size_t len;
	pid_t pid;
	ssize_t n;

	if (pipe(po) || pipe(pe) || pipe(pi))
		return -1;
	/* Small inputs only: the pipe holds them before the child reads. */
	if (input && write(pi[1], input, strlen(input)) != (ssize_t)strlen(input))
		return -1;
	close(pi[1]);
	pid = fork();
	if (!pid) {
		char *argv[32];
		int i;

		dup2(po[1], 1);
		dup2(pe[1], 2);
		if (input)
			dup2(pi[0], 0);
		close(pi[0]);
		close(po[0]);
		close(pe[0]);
		if (newns && unshare(CLONE_NEWNET))
			_exit(125);
		argv[0] = (char *)vsecy_bin;
		for (i = 0; args[i] && i < 30; i++)
			argv[i + 1] = (char *)args[i];
		argv[i + 1] = NULL;
		execv(vsecy_bin, argv);
		_exit(126);
	}
	close(pi[0]);
	close(po[1]);
	close(pe[1]);
	/* All of it: a child writing into a closed pipe would die of it. */
	out[0] = '\0';
	for (len = 0; (n = read(po[0], out + len, outlen - 1 - len)) > 0; len += n)
		out[len + n] = '\0';
	err[0] = '\0';
	for (len = 0; (n = read(pe[0], err + len, errlen2 - 1 - len)) > 0; len += n)
		err[len + n] = '\0';
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run(char *out, size_t outlen, char *err, size_t errlen2, bool newns,
	       const char *const *args)
{
	return run_in(out, outlen, err, errlen2, newns, NULL, args);
}

/*
 * A stand-in for vsecy-mkad's control socket: answers N connections with
 * ANSWER, as the daemon answers STATUS. Returns the child's pid.
 */
static pid_t fake_mkad(const char *path, const char *answer, int n)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	pid_t pid;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4))
		return -1;
	pid = fork();
	if (!pid) {
		char req[64];

		while (n--) {
			int c = accept(fd, NULL, NULL);

			if (c < 0)
				_exit(1);
			if (read(c, req, sizeof(req)) <= 0 ||
			    write(c, answer, strlen(answer)) < 0)
				_exit(1);
			close(c);
		}
		_exit(0);
	}
	close(fd);
	return pid;
}

/*
 * Test `vsecy mka status` against a stand-in daemon: the text names every
 * field the daemon reports, -j passes its object through in an array,
 * without DEV every socket in the directory is asked, and a device with no
 * daemon is an error.
 */
static enum result test_mka_status(void)
{
	static const char answer[] =
		"{\"ifname\":\"vs9\",\"lower\":\"eth0\",\"backend\":\"vsecy\","
		"\"ckn\":\"6162\",\"sci\":\"5254001234560001\","
		"\"mi\":\"0102030405060708090a0b0c\",\"mn\":42,\"priority\":16,"
		"\"key_server\":{\"self\":false,\"sci\":\"5254001234560002\",\"priority\":0},"
		"\"cipher_suite\":\"gcm-aes-xpn-256\",\"confidentiality\":false,\"offset\":0,"
		"\"secured\":true,\"secured_after\":2.51,"
		"\"latest_sak\":{\"ki\":\"0b0b0b0b0b0b0b0b0b0b0b0b00000007\",\"kn\":7,\"an\":3,"
		"\"rx\":true,\"tx\":false},\"old_sak\":null,\"current_an\":2,"
		"\"live_peers\":[{\"sci\":\"5254001234560002\",\"mi\":\"0b0b0b0b0b0b0b0b0b0b0b0b\","
		"\"mn\":9,\"priority\":0,\"key_server\":true,\"expires_in\":5.5}],"
		"\"potential_peers\":[],\"counters\":{\"tx_mkpdu\":11,\"rx_mkpdu\":12,"
		"\"rx_bad_icv\":13,\"rx_bad_len\":14,\"rx_bad_format\":15,\"rx_unknown_ckn\":16,"
		"\"rx_stale\":17,\"rx_bad_dst\":18,\"saks_generated\":19,\"saks_received\":20,"
		"\"secy_errors\":21}}\n";
	static const char *const want[] = {
		"vs9: lower eth0 backend vsecy CKN 6162\n",
		"SCI 5254001234560001 MI 0102030405060708090a0b0c MN 42 priority 16\n",
		"key server: SCI 5254001234560002 priority 0\n",
		"cipher suite: GCM-AES-XPN-256, integrity only, offset 0\n",
		"Secured: yes (2.51 s after start)\n",
		"SAK: KI 0b0b0b0b0b0b0b0b0b0b0b0b00000007 AN 3 KN 7 (rx yes, tx no)\n",
		"transmitting on AN 2\n",
		"live peer: SCI 5254001234560002 MI 0b0b0b0b0b0b0b0b0b0b0b0b MN 9 priority 0 key server (expires in 5.5 s)\n",
		"MKPDUs: tx 11 rx 12; dropped: bad ICV 13, bad length 14, bad format 15, unknown CKN 16, stale 17, bad destination 18\n",
		"SAKs: generated 19 received 20; SecY errors 21\n",
	};
	char dir[] = "/tmp/vsecy-unit.XXXXXX", path[128], out[8192], err[1024];
	const char *text[] = { "mka", "status", "vs9", "dir", dir, NULL };
	const char *json[] = { "-j", "mka", "status", "dir", dir, NULL };
	const char *none[] = { "mka", "status", "nope", "dir", dir, NULL };
	enum result r = FAIL;
	size_t i;
	pid_t pid;
	int rc;

	if (!vsecy_bin || !mkdtemp(dir))
		return SKIP;
	snprintf(path, sizeof(path), "%s/vs9.sock", dir);
	pid = fake_mkad(path, answer, 2);
	if (pid < 0)
		goto out;
	rc = run(out, sizeof(out), err, sizeof(err), false, text);
	if (rc) {
		printf("# vsecy mka status vs9: exit %d, stderr '%s'\n", rc, err);
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		if (!strstr(out, want[i])) {
			printf("# vsecy mka status vs9: expected a line '%.*s', output:\n%s",
			       (int)strlen(want[i]) - 1, want[i], out);
			goto out;
		}
	}
	rc = run(out, sizeof(out), err, sizeof(err), false, json);
	if (rc || out[0] != '[' || strncmp(out + 1, answer, strlen(answer) - 1) ||
	    strcmp(out + strlen(answer), "]\n")) {
		printf("# vsecy -j mka status: exit %d, expected [<answer>], observed '%s'\n",
		       rc, out);
		goto out;
	}
	rc = run(out, sizeof(out), err, sizeof(err), false, none);
	if (rc != 1 || !strstr(err, "no answer from vsecy-mkad for nope")) {
		printf("# vsecy mka status nope: expected exit 1 and 'no answer', observed %d '%s'\n",
		       rc, err);
		goto out;
	}
	r = PASS;
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	unlink(path);
	rmdir(dir);
	return r;
}

/* Test the binary: exit codes, usage errors and --dry-run on a real device. */
static enum result test_cli(void)
{
	static const char *const bad[][12] = {
		{ "add", "lo", "tx", "sa", "0", "pn", "1", "frob", NULL },
		{ "frobnicate", NULL },
		{ "link", "add", "link", "lo", "vs0", "cipher", "rot13", NULL },
		{ "add", "no-such-dev0", "tx", "sa", "0", "pn", "1", "key", "01", KEY16, NULL },
		{ "--bogus", "show", NULL },
	};
	static const char *const dry[] = {
		"--dry-run", "add", "lo", "tx", "sa", "0", "pn", "1", "on", "key", "01", KEY16, NULL,
	};
	static const char *const help[] = { "help", NULL };
	char out[8192], err[8192];
	size_t i;
	int rc;

	if (!vsecy_bin) {
		printf("# no vsecy binary given\n");
		return SKIP;
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		rc = run(out, sizeof(out), err, sizeof(err), false, bad[i]);
		CHECK(rc != 0, "vsecy %s ...: expected a non-zero exit, got 0", bad[i][0]);
		CHECK(strstr(err, "Error") || strstr(err, "unknown") || strstr(err, "does not exist"),
		      "vsecy %s ...: no error message on stderr: '%s'", bad[i][0], err);
	}
	rc = run(out, sizeof(out), err, sizeof(err), false, bad[0]);
	CHECK(strstr(err, "\"frob\""), "error does not name frob: %s", err);
	rc = run(out, sizeof(out), err, sizeof(err), false, bad[3]);
	CHECK(strstr(err, "Device \"no-such-dev0\" does not exist."), "missing device: %s", err);
	rc = run(out, sizeof(out), err, sizeof(err), false, dry);
	CHECK(rc == 0, "--dry-run add: exit %d, stderr %s", rc, err);
	CHECK(strstr(out, "VSECY_CMD_ADD_TXSA") && strstr(out, "VSECY_SA_A_PN u64 0x0000000000000001") &&
	      !strstr(out, "8181"), "--dry-run output:\n# %s", out);
	/* The examples of ip-macsec(8), ip macsec -> vsecy, devices -> lo. */
	{
		static const char *const man[] = {
			"link add link lo macsec0 type macsec port 11 encrypt on",
			"add lo tx sa 0 pn 1024 on key 01 81818181818181818181818181818181",
			"add lo rx port 1234 address c6:19:52:8f:e6:a0",
			"add lo rx port 1234 address c6:19:52:8f:e6:a0 sa 0 pn 1 on key 00 82828282828282828282828282828282",
			"show",
			"link add link lo macsec0 type macsec port 11 encrypt on cipher gcm-aes-xpn-128",
			"add lo tx sa 0 xpn 1024 on salt 838383838383838383838383 ssci 123 key 01 81818181818181818181818181818181",
			"add lo rx port 11 address c6:19:52:8f:e6:a0",
			"add lo rx port 11 address c6:19:52:8f:e6:a0 sa 0 xpn 1 on salt 838383838383838383838383 ssci 123 key 00 82828282828282828282828282828282",
			"offload lo off",
		};
		const char *args[40];
		char *words[40];
		size_t j;
		int k, nw;

		for (j = 0; j < ARRAY_SIZE(man); j++) {
			nw = split(man[j], words);
			args[0] = "--dry-run";
			for (k = 0; k < nw; k++)
				args[k + 1] = words[k];
			args[nw + 1] = NULL;
			rc = run(out, sizeof(out), err, sizeof(err), false, args);
			CHECK(rc == 0 && !strstr(out, "8181") && !strstr(out, "8282"),
			      "vsecy --dry-run %s: exit %d, stderr '%s'", man[j], rc, err);
		}
		nw = split("link add link lo macsec0 type macsec port 11 encrypt on offload mac", words);
		for (k = 0; k < nw; k++)
			args[k] = words[k];
		args[nw] = NULL;
		rc = run(out, sizeof(out), err, sizeof(err), false, args);
		CHECK(rc != 0 && strstr(err, "\"mac\""), "offload mac: exit %d, '%s'", rc, err);
	}
	rc = run(out, sizeof(out), err, sizeof(err), false, help);
	CHECK(rc == 0 && strstr(out, "vsecy link add link LOWER NAME"), "help: exit %d", rc);
	return PASS;
}

/* Test batch_split(): words, both quotes, comments, errors. */
static enum result test_batch_split(void)
{
	char line[128], *argv[8];
	int n;

	snprintf(line, sizeof(line), "  add \"v s0\" rx 'port' 1# comment \"x\"\n");
	n = batch_split(line, argv, 8);
	CHECK(n == 5 && !strcmp(argv[0], "add") && !strcmp(argv[1], "v s0") &&
	      !strcmp(argv[2], "rx") && !strcmp(argv[3], "port") && !strcmp(argv[4], "1") &&
	      !argv[5], "split: %d words", n);
	snprintf(line, sizeof(line), "# only a comment");
	CHECK(batch_split(line, argv, 8) == 0, "a comment line has words");
	snprintf(line, sizeof(line), "show \"lo");
	err_begin();
	n = batch_split(line, argv, 8);
	err_end();
	CHECK(n < 0 && strstr(errbuf, "unterminated"), "open quote: %d, '%s'", n, errbuf);
	snprintf(line, sizeof(line), "a b c d e f g h i");
	err_begin();
	n = batch_split(line, argv, 8);
	err_end();
	CHECK(n < 0 && strstr(errbuf, "too many"), "9 words in 8 slots: %d", n);
	return PASS;
}

/*
 * Test -batch and -force with the binary (--dry-run, so no kernel): ip
 * -batch's lines run, `macsec` prefix and continuation lines included;
 * the first failure stops the batch with FILE:LINE and a non-zero exit;
 * -force runs the rest and still exits non-zero; standard input works,
 * and a key cannot be read from it then; no key byte is printed.
 */
static enum result test_batch(void)
{
	static const char *const lines =
		"# ip -batch style, vsecy for ip macsec\n"
		"add lo tx sa 0 pn 1 on key 01 " KEY16 "\n"
		"\n"
		"macsec add lo rx port 1 address 52:54:00:12:34:56\n"
		"add lo rx port 1 \\\n"
		"  address 52:54:00:12:34:56 sa 0 pn 7 on key 02 " KEY16 "\n"
		"add lo tx sa 0 frob\n"
		"add lo rx sci 5\n";
	char path[] = "/tmp/vsecy-unit-batch-XXXXXX", out[16384], err[8192];
	const char *args[8] = { "--dry-run", "-batch", path, NULL };
	int fd, rc;

	if (!vsecy_bin) {
		printf("# no vsecy binary given\n");
		return SKIP;
	}
	fd = mkstemp(path);
	CHECK(fd >= 0 && write(fd, lines, strlen(lines)) == (ssize_t)strlen(lines), "temp file");
	close(fd);

	rc = run(out, sizeof(out), err, sizeof(err), false, args);
	CHECK(rc == 1, "-batch with a bad line 7: exit %d, expected 1; stderr '%s'", rc, err);
	CHECK(strstr(err, "\"frob\"") && strstr(err, "Command failed /tmp/vsecy-unit-batch-"),
	      "no error for line 7: '%s'", err);
	CHECK(strstr(err, ":7\n"), "the failed line is not 7: '%s'", err);
	CHECK(strstr(out, "VSECY_CMD_ADD_TXSA") && strstr(out, "VSECY_CMD_ADD_RXSC") &&
	      strstr(out, "VSECY_SA_A_PN u64 0x0000000000000007"),
	      "lines 2, 4 and 5-6 did not all run:\n%s", out);
	CHECK(!strstr(out, "0x0000000000000005"), "line 8 ran after a failure without -force");
	CHECK(!strstr(out, "8181"), "a key byte in the output");

	args[3] = "-force";
	args[4] = NULL;
	rc = run(out, sizeof(out), err, sizeof(err), false, args);
	CHECK(rc == 1, "-force: exit %d, expected 1 (one line failed)", rc);
	CHECK(strstr(out, "VSECY_RXSC_A_SCI u64 0x0000000000000005"),
	      "-force: line 8 did not run:\n%s", out);

	args[2] = "-";
	args[3] = NULL;
	rc = run_in(out, sizeof(out), err, sizeof(err), false,
		    "add lo rx sci 6\nshow lo\n", args);
	CHECK(rc == 0 && strstr(out, "0x0000000000000006") && strstr(out, "VSECY_CMD_GET_SECY"),
	      "-batch -: exit %d, stderr '%s', stdout:\n%s", rc, err, out);
	rc = run_in(out, sizeof(out), err, sizeof(err), false,
		    "add lo tx sa 1 pn 1 on key 01 -\n" KEY16 "\n", args);
	CHECK(rc == 1 && strstr(err, "standard input, which is the batch"),
	      "key - in a batch from stdin: exit %d, '%s'", rc, err);

	args[2] = path;
	args[3] = "show";
	rc = run(out, sizeof(out), err, sizeof(err), false, args);
	CHECK(rc == 1 && strstr(err, "not from the command line"), "-batch FILE show: exit %d", rc);
	unlink(path);
	return PASS;
}

/*
 * Test the error path against a real kernel, in a fresh network namespace:
 * the host has no vsecy kind or family, so the kernel must refuse, and
 * vsecy must print its extack message and exit non-zero.
 */
static enum result test_kernel_errors(void)
{
	static const char *const add[] = { "link", "add", "link", "lo", "vs0", NULL };
	static const char *const del[] = { "link", "del", "lo", NULL };
	static const char *const show[] = { "show", NULL };
	char out[4096], err[4096];
	int rc;

	if (!vsecy_bin)
		return SKIP;
	rc = run(out, sizeof(out), err, sizeof(err), true, add);
	if (rc == 125) {
		printf("# cannot unshare a network namespace here\n");
		return SKIP;
	}
	printf("# vsecy link add link lo vs0: exit %d, stderr: %s", rc, err);
	if (rc == 0) {
		printf("# this kernel knows kind vsecy: the refusal cannot be tested\n");
		return SKIP;
	}
	CHECK(!strncmp(err, "Error: ", 7), "expected 'Error: <extack or errno>', got '%s'", err);
	rc = run(out, sizeof(out), err, sizeof(err), true, del);
	CHECK(rc != 0 && strstr(err, "lo is not a vsecy device"),
	      "link del lo: exit %d, stderr '%s'", rc, err);
	rc = run(out, sizeof(out), err, sizeof(err), true, show);
	CHECK(rc != 0 && strstr(err, "\"vsecy\" not found"), "show without the family: exit %d, '%s'", rc, err);
	return PASS;
}

/* Test that Documentation/netlink/vsecy.yaml names and numbers what the header does. */
static enum result test_spec(void)
{
	static const char *const spec = "../../Documentation/netlink/vsecy.yaml";
	char line[512];
	FILE *p;
	int rc;

	if (access(spec, R_OK) || access("tests/spec_check.py", R_OK)) {
		printf("# run from tools/vsecy: %s not found\n", spec);
		return SKIP;
	}
	p = popen("python3 tests/spec_check.py ../../Documentation/netlink/vsecy.yaml ../../include/uapi 2>&1", "r");
	if (!p)
		return SKIP;
	while (fgets(line, sizeof(line), p))
		printf("# %s", line);
	rc = pclose(p);
	if (WIFEXITED(rc) && (WEXITSTATUS(rc) == 4 || WEXITSTATUS(rc) == 127))
		return SKIP;
	CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "tests/spec_check.py failed");
	return PASS;
}

static const struct {
	const char *name;
	enum result (*fn)(void);
} tests[] = {
	{ "parse_sci_forms", test_sci_forms },
	{ "parse_hex_keys", test_hex_keys },
	{ "parse_pn_rules", test_pn },
	{ "parse_cipher_names", test_ciphers },
	{ "parse_on_off", test_on_off },
	{ "parse_unknown_words_named", test_unknown_words },
	{ "parse_link_grammar", test_link_grammar },
	{ "build_add_txsa", test_build_txsa },
	{ "build_rx_sc_sa", test_build_rx },
	{ "build_link_and_set_secy", test_build_link },
	{ "show_text_like_ip_macsec", test_show_text },
	{ "show_stats_blocks", test_show_stats },
	{ "show_stats_like_captured_ip", test_show_like_captured_ip },
	{ "show_json", test_show_json },
	{ "show_continued_secy", test_show_continued },
	{ "show_nic", test_show_nic },
	{ "no_key_bytes_in_output", test_no_key_bytes },
	{ "extack_decoding", test_extack },
	{ "genl_family_lookup", test_genl_lookup },
	{ "cli_exit_codes_and_dry_run", test_cli },
	{ "batch_split_words", test_batch_split },
	{ "batch_and_force", test_batch },
	{ "kernel_refusal_reported", test_kernel_errors },
	{ "netlink_spec_matches_uapi", test_spec },
	{ "mka_status_from_control_socket", test_mka_status },
};

int main(int argc, char **argv)
{
	size_t i, n = ARRAY_SIZE(tests);
	int pass = 0, fail = 0, skip = 0;

	if (argc > 1)
		vsecy_bin = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..%zu\n", n);
	for (i = 0; i < n; i++) {
		enum result r = tests[i].fn();

		fflush(stdout);
		if (r == PASS)
			pass++;
		else if (r == SKIP)
			skip++;
		else
			fail++;
		printf("%s %zu %s%s\n", r == FAIL ? "not ok" : "ok", i + 1, tests[i].name,
		       r == SKIP ? " # SKIP" : "");
	}
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n", pass, fail, skip);
	free(errbuf);
	return fail ? 1 : 0;
}
