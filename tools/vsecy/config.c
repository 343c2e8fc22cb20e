// SPDX-License-Identifier: GPL-2.0
/*
 * Command-line parsing for every subcommand. The grammar, defaults and
 * number bases follow iproute2's `ip macsec` and `ip link ... type macsec`
 * so that their command lines work unchanged; where ip silently truncates
 * or ignores input (over-long hex strings, a lone address), vsecy refuses
 * it and says which word is wrong.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "config.h"
#include "netlink.h"
#include "vsecy.h"

FILE *vsecy_errf;
bool opt_stats, opt_json, opt_pretty, opt_details;
const char *prog_name = "vsecy";

void vsecy_err(const char *fmt, ...)
{
	FILE *f = vsecy_errf ? vsecy_errf : stderr;
	va_list ap;

	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

static FILE *errf(void)
{
	return vsecy_errf ? vsecy_errf : stderr;
}

void wipe(void *p, size_t len)
{
	/* explicit_bzero: the compiler may not elide it as a dead store. */
	explicit_bzero(p, len);
}

/* ip's `matches`: WORD is a non-empty prefix of KEYWORD. */
bool matches(const char *word, const char *keyword)
{
	size_t n = strlen(word);

	return n && n <= strlen(keyword) && !strncmp(word, keyword, n);
}

/*
 * strtoull with ip's bases (0: decimal, 0x hex, 0 octal), but no sign,
 * no empty string, no trailing junk and no silent wrap.
 */
int parse_u64(const char *s, int base, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Pairs of hex digits, at most MAX bytes; *LEN gets the count. */
int parse_hex(const char *s, uint8_t *buf, unsigned int max, unsigned int *len)
{
	size_t n = strlen(s);
	unsigned int i;

	if (!n || n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		buf[i] = hi << 4 | lo;
	}
	*len = n / 2;
	return 0;
}

/* aa:bb:cc:dd:ee:ff, one or two hex digits per octet. */
int parse_lladdr(const char *s, uint8_t mac[6])
{
	int i;

	for (i = 0; i < 6; i++) {
		int d = 0, v = 0;

		while (d < 2 && hexval(*s) >= 0) {
			v = v << 4 | hexval(*s++);
			d++;
		}
		if (!d)
			return -1;
		mac[i] = v;
		if (i < 5 && *s++ != ':')
			return -1;
	}
	return *s ? -1 : 0;
}

int parse_on_off(const char *what, const char *s, uint8_t *out)
{
	if (!strcmp(s, "on") || !strcmp(s, "off")) {
		*out = !strcmp(s, "on");
		return 0;
	}
	vsecy_err("Error: argument of \"%s\" must be \"on\" or \"off\", not \"%s\"",
		  what, s);
	return -1;
}

static const struct {
	const char *name, *uname;
	uint64_t id;
} ciphers[] = {
	{ "gcm-aes-128", "GCM-AES-128", VSECY_CS_GCM_AES_128 },
	{ "gcm-aes-256", "GCM-AES-256", VSECY_CS_GCM_AES_256 },
	{ "gcm-aes-xpn-128", "GCM-AES-XPN-128", VSECY_CS_GCM_AES_XPN_128 },
	{ "gcm-aes-xpn-256", "GCM-AES-XPN-256", VSECY_CS_GCM_AES_XPN_256 },
};

int parse_cipher(const char *s, uint64_t *id)
{
	size_t i;

	if (!strcmp(s, "default")) {
		*id = VSECY_CS_DEFAULT;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(ciphers); i++) {
		if (!strcmp(s, ciphers[i].name) || !strcmp(s, ciphers[i].uname)) {
			*id = ciphers[i].id;
			return 0;
		}
	}
	vsecy_err("Error: argument \"%s\" is wrong: expected: default, gcm-aes-128, gcm-aes-256, gcm-aes-xpn-128 or gcm-aes-xpn-256",
		  s);
	return -1;
}

const char *cipher_name(uint64_t id)
{
	size_t i;

	/* Both identifiers GCM-AES-128 ever had print as GCM-AES-128. */
	if (id == VSECY_CS_GCM_AES_128_LEGACY)
		id = VSECY_CS_GCM_AES_128;
	for (i = 0; i < ARRAY_SIZE(ciphers); i++)
		if (ciphers[i].id == id)
			return ciphers[i].uname;
	return "(unknown)";
}

bool cipher_is_xpn(uint64_t id)
{
	return id == VSECY_CS_GCM_AES_XPN_128 || id == VSECY_CS_GCM_AES_XPN_256;
}

void usage_sa(FILE *f)
{
	fprintf(f,
		"Usage: vsecy add DEV tx sa { 0..3 } [ OPTS ] key ID KEY\n"
		"       vsecy set DEV tx sa { 0..3 } [ OPTS ]\n"
		"       vsecy del DEV tx sa { 0..3 }\n"
		"       vsecy add DEV rx SCI [ on | off ]\n"
		"       vsecy set DEV rx SCI [ on | off ]\n"
		"       vsecy del DEV rx SCI\n"
		"       vsecy add DEV rx SCI sa { 0..3 } [ OPTS ] key ID KEY\n"
		"       vsecy set DEV rx SCI sa { 0..3 } [ OPTS ]\n"
		"       vsecy del DEV rx SCI sa { 0..3 }\n"
		"       vsecy show [ DEV ]\n"
		"where  OPTS := [ pn <u32> | xpn <u64> ] [ salt SALT ] [ ssci <u32> ] [ on | off ]\n"
		"       ID   := 1 to 16 bytes in hex (zero-padded to 128 bits)\n"
		"       KEY  := 128-bit or 256-bit hex string, or - (read from stdin), or @FILE\n"
		"       SCI  := { sci <u64> | port { 1..2^16-1 } address <lladdr> }\n"
		"       SALT := 96-bit hex string\n");
}

void usage_link(FILE *f)
{
	fprintf(f,
		"Usage: vsecy link add link LOWER NAME [ OPTS ]\n"
		"       vsecy link add link LOWER NAME mode offload\n"
		"       vsecy link set NAME OPTS\n"
		"       vsecy link del NAME\n"
		"where  OPTS := [ [ address <lladdr> ] port { 1..2^16-1 } | sci <u64> ]\n"
		"               [ cipher { default | gcm-aes-128 | gcm-aes-256 | gcm-aes-xpn-128 | gcm-aes-xpn-256 } ]\n"
		"               [ icvlen 16 ]\n"
		"               [ encrypt { on | off } ]\n"
		"               [ send_sci { on | off } ]\n"
		"               [ end_station { on | off } ]\n"
		"               [ scb { on | off } ]\n"
		"               [ protect { on | off } ]\n"
		"               [ replay { on | off } window { 0..2^32-1 } ]\n"
		"               [ validate { strict | check | disabled } ]\n"
		"               [ encodingsa { 0..3 } ]\n"
		"               [ confoffset { 0 | 30 | 50 } ]\n"
		"               [ pnthreshold { 0..2^64-1 } ]\n"
		"               [ offload off ]\n"
		"               [ mode { secy | offload } ]\n"
		"mode offload makes a MACsec-offload NIC for the kernel's macsec\n"
		"(ip link add link NAME ... type macsec ... offload mac); it takes no OPTS.\n");
}

static int invarg(const char *msg, const char *arg)
{
	vsecy_err("Error: argument \"%s\" is wrong: %s", arg, msg);
	return -1;
}

static int duparg(const char *key, const char *arg)
{
	vsecy_err("Error: duplicate \"%s\": \"%s\" is the second value.", key, arg);
	return -1;
}

static int missing(const char *key)
{
	vsecy_err("Error: \"%s\" needs an argument", key);
	return -1;
}

static int unknown(const char *word, void (*usage)(FILE *))
{
	vsecy_err("Error: unknown word \"%s\"", word);
	if (usage)
		usage(errf());
	return -1;
}

/* NEXT: the value after keyword argv[*i], or an error naming the keyword. */
#define NEXT(argc, argv, i) \
	do { \
		if (++(i) >= (argc)) \
			return missing((argv)[(i) - 1]); \
	} while (0)

static int parse_an(const char *s, uint8_t *an)
{
	uint64_t v;

	if (parse_u64(s, 0, 3, &v))
		return invarg("expected an { 0..3 }", s);
	*an = v;
	return 0;
}

/*
 * The SCI words: `sci <u64>` (hex, as ip macsec prints it) or
 * `port P address A`, in either order. Returns 1 when a word was taken.
 */
struct sci_words {
	bool s, p, a;
	uint64_t sci;
	uint16_t port;
	uint8_t mac[6];
};

static int sci_word(int argc, char **argv, int *i, struct sci_words *w)
{
	const char *k = argv[*i];
	uint64_t v;

	if (!strcmp(k, "sci")) {
		if (w->s)
			return duparg("sci", argv[*i + 1 < argc ? *i + 1 : *i]);
		if (w->p || w->a)
			return invarg("sci excludes port and address", k);
		NEXT(argc, argv, *i);
		if (parse_u64(argv[*i], 16, UINT64_MAX, &w->sci))
			return invarg("expected sci", argv[*i]);
		w->s = true;
		return 1;
	}
	if (!strcmp(k, "port")) {
		if (w->s)
			return invarg("port excludes sci", k);
		if (w->p)
			return duparg("port", argv[*i + 1 < argc ? *i + 1 : *i]);
		NEXT(argc, argv, *i);
		if (parse_u64(argv[*i], 0, UINT16_MAX, &v))
			return invarg("expected port", argv[*i]);
		if (!v)
			return invarg("expected port != 0", argv[*i]);
		w->port = v;
		w->p = true;
		return 1;
	}
	if (!strcmp(k, "address")) {
		if (w->s)
			return invarg("address excludes sci", k);
		if (w->a)
			return duparg("address", argv[*i + 1 < argc ? *i + 1 : *i]);
		NEXT(argc, argv, *i);
		if (parse_lladdr(argv[*i], w->mac))
			return invarg("expected lladdr", argv[*i]);
		w->a = true;
		return 1;
	}
	return 0;
}

/* The SCI as this uAPI carries it: the eight octets read big-endian. */
static uint64_t make_sci(const uint8_t mac[6], uint16_t port)
{
	uint64_t sci = 0;
	int i;

	for (i = 0; i < 6; i++)
		sci = sci << 8 | mac[i];
	return sci << 16 | port;
}

/*
 * `key ID -` reads the key from standard input, `key ID @FILE` from FILE:
 * hex digits, surrounding white space ignored. Keeps keys off command
 * lines (and so out of shell histories and ps), as wg's key files do.
 */
static int read_key(const char *src, struct sa_desc *sa)
{
	char buf[2 * VSECY_MAX_KEY_LEN + 8], *p;
	FILE *f;
	size_t n = 0, end;
	int r = -1;

	if (!strcmp(src, "-") && opt_batch_stdin) {
		vsecy_err("Error: \"key ID -\" reads standard input, which is the batch: use key ID @FILE");
		return -1;
	}
	f = strcmp(src, "-") ? fopen(src + 1, "re") : stdin;
	if (!f) {
		vsecy_err("Error: cannot read the key from %s: %s", src + 1, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	if (f != stdin)
		fclose(f);
	for (p = buf; isspace((unsigned char)*p); p++)
		;
	for (end = strlen(p); end && isspace((unsigned char)p[end - 1]); end--)
		;
	p[end] = '\0';
	if (n < sizeof(buf) - 1)
		r = parse_hex(p, sa->key, VSECY_MAX_KEY_LEN, &sa->key_len);
	wipe(buf, sizeof(buf));
	return r;
}

static int parse_sa_args(int argc, char **argv, int i, struct sa_desc *sa)
{
	bool active_set = false;
	unsigned int len;
	uint64_t v;
	int r;

	for (; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "pn") || !strcmp(k, "xpn")) {
			bool x = k[0] == 'x';

			if (sa->pn_set)
				return duparg(k, i + 1 < argc ? argv[i + 1] : k);
			NEXT(argc, argv, i);
			if (parse_u64(argv[i], 0, x ? UINT64_MAX : UINT32_MAX, &v))
				return invarg("expected pn", argv[i]);
			if (!v)
				return invarg("expected pn != 0", argv[i]);
			sa->pn = v;
			sa->pn_set = true;
			sa->xpn = x;
		} else if (!strcmp(k, "salt")) {
			if (sa->salt_set)
				return duparg(k, i + 1 < argc ? argv[i + 1] : k);
			NEXT(argc, argv, i);
			/* ip macsec pads a short salt with zeros; so do we. */
			if (parse_hex(argv[i], sa->salt, VSECY_SALT_LEN, &len))
				return invarg("expected salt (up to 96 bits in hex)", argv[i]);
			sa->salt_set = true;
		} else if (!strcmp(k, "ssci")) {
			if (sa->ssci_set)
				return duparg(k, i + 1 < argc ? argv[i + 1] : k);
			NEXT(argc, argv, i);
			/* Hexadecimal, as ip macsec reads and prints it. */
			if (parse_u64(argv[i], 16, UINT32_MAX, &v))
				return invarg("expected ssci", argv[i]);
			sa->ssci = v;
			sa->ssci_set = true;
		} else if (!strcmp(k, "key")) {
			if (sa->key_set)
				return duparg(k, i + 1 < argc ? argv[i + 1] : k);
			NEXT(argc, argv, i);
			/* A short key identifier is zero-padded, as in ip macsec. */
			if (parse_hex(argv[i], sa->keyid, VSECY_KEYID_LEN, &len))
				return invarg("expected key id (1 to 16 bytes in hex)", argv[i]);
			NEXT(argc, argv, i);
			if (!strcmp(argv[i], "-") || argv[i][0] == '@') {
				r = read_key(argv[i], sa);
			} else {
				r = parse_hex(argv[i], sa->key, VSECY_MAX_KEY_LEN,
					      &sa->key_len);
				/*
				 * The key is ours now: clear it from argv, which
				 * /proc/PID/cmdline shows for as long as we run.
				 */
				wipe(argv[i], strlen(argv[i]));
			}
			if (r || (sa->key_len != 16 && sa->key_len != 32)) {
				wipe(sa->key, sizeof(sa->key));
				sa->key_len = 0;
				/* Never echo what may be most of a key. */
				return invarg("expected key (128 or 256 bits in hex)", "KEY");
			}
			sa->key_set = true;
		} else if (!strcmp(k, "on") || !strcmp(k, "off")) {
			if (active_set) {
				vsecy_err("Error: either \"on/off\" is duplicate, or \"%s\" is garbage.", k);
				return -1;
			}
			sa->active = k[1] == 'n';
			active_set = true;
		} else {
			return unknown(k, usage_sa);
		}
	}
	return 0;
}

static int check_sa_args(const struct sa_cmd *c)
{
	const struct sa_desc *sa = &c->sa;

	if (c->verb == VERB_ADD) {
		if (!sa->key_set) {
			vsecy_err("Error: cannot create SA without key");
			return -1;
		}
		/* An RX SA may start at the default lowest PN (1). */
		if (!c->rx && !sa->pn_set) {
			vsecy_err("Error: must specify a packet number != 0");
			return -1;
		}
	} else if (c->verb == VERB_SET) {
		if (sa->key_set) {
			vsecy_err("Error: cannot change key on SA");
			return -1;
		}
		if (sa->salt_set || sa->ssci_set) {
			vsecy_err("Error: cannot change %s on SA",
				  sa->salt_set ? "salt" : "ssci");
			return -1;
		}
	}
	return 0;
}

int parse_sa_cmd(enum verb verb, int argc, char **argv, struct sa_cmd *c)
{
	struct sci_words w = {0};
	int i = 0, r;

	memset(c, 0, sizeof(*c));
	c->verb = verb;
	c->sc_active = -1;
	c->sa.active = -1;

	if (argc < 2) {
		vsecy_err("Error: expected DEV and then \"tx\" or \"rx\"");
		usage_sa(errf());
		return -1;
	}
	c->dev = argv[i++];

	if (!strcmp(argv[i], "tx")) {
		if (++i >= argc || strcmp(argv[i], "sa")) {
			if (i < argc)
				vsecy_err("Error: unknown word \"%s\": expected \"sa\" after \"tx\"",
					  argv[i]);
			else
				vsecy_err("Error: expected \"sa\" after \"tx\"");
			usage_sa(errf());
			return -1;
		}
		NEXT(argc, argv, i);
		if (parse_an(argv[i], &c->sa.an))
			return -1;
		c->has_sa = true;
	} else if (!strcmp(argv[i], "rx")) {
		c->rx = true;
		for (i++; i < argc && !(w.s || (w.p && w.a)); i++) {
			r = sci_word(argc, argv, &i, &w);
			if (r < 0)
				return -1;
			if (!r)
				return invarg("expected sci, port, or address", argv[i]);
		}
		if (!(w.s || (w.p && w.a))) {
			vsecy_err("Error: expected sci");
			usage_sa(errf());
			return -1;
		}
		c->sci = w.s ? w.sci : make_sci(w.mac, w.port);
		if (i < argc && !strcmp(argv[i], "sa")) {
			NEXT(argc, argv, i);
			if (parse_an(argv[i], &c->sa.an))
				return -1;
			c->has_sa = true;
			i++;
		}
		if (!c->has_sa) {
			for (; i < argc; i++) {
				if (strcmp(argv[i], "on") && strcmp(argv[i], "off"))
					return unknown(argv[i], usage_sa);
				if (c->sc_active >= 0) {
					vsecy_err("Error: either \"on/off\" is duplicate, or \"%s\" is garbage.",
						  argv[i]);
					return -1;
				}
				c->sc_active = argv[i][1] == 'n';
			}
			return 0;
		}
		i--;
	} else {
		return unknown(argv[i], usage_sa);
	}

	/* ip macsec ignores the words after `del ... sa N`; vsecy checks them. */
	if (parse_sa_args(argc, argv, i + 1, &c->sa))
		return -1;
	return check_sa_args(c);
}

static int bad_validate(const char *s)
{
	vsecy_err("Error: argument of \"validate\" must be one of \"disabled\", \"check\", \"strict\", not \"%s\"",
		  s);
	return -1;
}

static int set_flag(struct secy_opts *o, unsigned int bit, uint8_t *field,
		    const char *k, const char *v)
{
	if (o->set & bit)
		return duparg(k, v);
	if (parse_on_off(k, v, field))
		return -1;
	o->set |= bit;
	return 0;
}

int parse_secy_opts(int argc, char **argv, struct secy_opts *o, bool add)
{
	struct sci_words w = {0};
	uint64_t v;
	int i, r;

	(void)add;
	memset(o, 0, sizeof(*o));
	for (i = 0; i < argc; i++) {
		const char *k = argv[i];

		r = sci_word(argc, argv, &i, &w);
		if (r < 0)
			return -1;
		if (r)
			continue;
		if (!strcmp(k, "cipher")) {
			NEXT(argc, argv, i);
			if (o->set & SECY_CIPHER)
				return duparg("cipher", argv[i]);
			if (parse_cipher(argv[i], &o->cipher))
				return -1;
			o->set |= SECY_CIPHER;
		} else if (!strcmp(k, "icvlen")) {
			NEXT(argc, argv, i);
			if (o->set & SECY_ICV_LEN)
				return duparg("icvlen", argv[i]);
			if (parse_u64(argv[i], 10, UINT8_MAX, &v))
				return invarg("expected ICV length", argv[i]);
			if (v != VSECY_ICV_LEN)
				return invarg("vsecy supports ICV length 16 only", argv[i]);
			o->icv_len = v;
			o->set |= SECY_ICV_LEN;
		} else if (!strcmp(k, "encrypt")) {
			NEXT(argc, argv, i);
			if (set_flag(o, SECY_ENCRYPT, &o->encrypt, k, argv[i]))
				return -1;
		} else if (!strcmp(k, "send_sci")) {
			NEXT(argc, argv, i);
			if (set_flag(o, SECY_INC_SCI, &o->inc_sci, k, argv[i]))
				return -1;
		} else if (!strcmp(k, "end_station")) {
			NEXT(argc, argv, i);
			if (set_flag(o, SECY_ES, &o->es, k, argv[i]))
				return -1;
		} else if (!strcmp(k, "scb")) {
			NEXT(argc, argv, i);
			if (set_flag(o, SECY_SCB, &o->scb, k, argv[i]))
				return -1;
		} else if (!strcmp(k, "protect")) {
			NEXT(argc, argv, i);
			if (set_flag(o, SECY_PROTECT, &o->protect, k, argv[i]))
				return -1;
		} else if (!strcmp(k, "replay")) {
			NEXT(argc, argv, i);
			if (set_flag(o, SECY_REPLAY, &o->replay, k, argv[i]))
				return -1;
		} else if (!strcmp(k, "window")) {
			NEXT(argc, argv, i);
			if (o->set & SECY_WINDOW)
				return duparg("window", argv[i]);
			if (parse_u64(argv[i], 0, UINT32_MAX, &v))
				return invarg("expected replay window size", argv[i]);
			o->window = v;
			o->set |= SECY_WINDOW;
		} else if (!strcmp(k, "pnthreshold")) {
			NEXT(argc, argv, i);
			if (o->set & SECY_PN_THRESHOLD)
				return duparg("pnthreshold", argv[i]);
			if (parse_u64(argv[i], 0, UINT64_MAX, &v))
				return invarg("expected a PN (0: 3/4 of the PN space)", argv[i]);
			o->pn_threshold = v;
			o->set |= SECY_PN_THRESHOLD;
		} else if (!strcmp(k, "validate")) {
			NEXT(argc, argv, i);
			if (o->set & SECY_VALIDATE)
				return duparg("validate", argv[i]);
			if (matches(argv[i], "strict"))
				o->validate = VSECY_VALIDATE_STRICT;
			else if (matches(argv[i], "check"))
				o->validate = VSECY_VALIDATE_CHECK;
			else if (matches(argv[i], "disabled"))
				o->validate = VSECY_VALIDATE_DISABLED;
			else
				return bad_validate(argv[i]);
			o->set |= SECY_VALIDATE;
		} else if (!strcmp(k, "offload")) {
			/* ip link's offload: a software SecY has only "off". */
			NEXT(argc, argv, i);
			if (strcmp(argv[i], "off"))
				return invarg("vsecy has no offload: only \"off\"", argv[i]);
		} else if (!strcmp(k, "confoffset")) {
			/* 802.1AE confidentialityOffset: the octets of user data sent in
			 * the clear (integrity-protected) when encrypting.
			 */
			NEXT(argc, argv, i);
			if (o->set & SECY_CONF_OFFSET)
				return duparg("confoffset", argv[i]);
			if (parse_u64(argv[i], 10, 50, &v) ||
			    (v != 0 && v != 30 && v != 50))
				return invarg("expected confidentiality offset 0, 30 or 50", argv[i]);
			o->conf_offset = v;
			o->set |= SECY_CONF_OFFSET;
		} else if (!strcmp(k, "mode")) {
			/* Fixed at creation: the kernel refuses a change. */
			NEXT(argc, argv, i);
			if (o->set & SECY_MODE)
				return duparg("mode", argv[i]);
			if (!strcmp(argv[i], "secy"))
				o->mode = VSECY_MODE_SECY;
			else if (!strcmp(argv[i], "offload"))
				o->mode = VSECY_MODE_OFFLOAD;
			else
				return invarg("expected mode secy or offload", argv[i]);
			o->set |= SECY_MODE;
		} else if (!strcmp(k, "encodingsa")) {
			NEXT(argc, argv, i);
			if (o->set & SECY_ENCODING_SA)
				return duparg("encodingsa", argv[i]);
			if (parse_an(argv[i], &o->encoding_sa))
				return -1;
			o->set |= SECY_ENCODING_SA;
		} else {
			return unknown(k, usage_link);
		}
	}

	if (w.s) {
		o->sci = w.sci;
		o->set |= SECY_SCI;
	} else if (w.p && w.a) {
		o->sci = make_sci(w.mac, w.port);
		o->set |= SECY_SCI;
	} else if (w.p) {
		o->port = w.port;
		o->set |= SECY_PORT;
	} else if (w.a) {
		vsecy_err("Error: \"address\" needs \"port\": address <lladdr> port PORT");
		return -1;
	}

	/* 802.1AE 9.3: ES and SCB describe a SecTAG without an SCI. */
	if (((o->set & SECY_INC_SCI) && o->inc_sci &&
	     (((o->set & SECY_ES) && o->es) || ((o->set & SECY_SCB) && o->scb))) ||
	    ((o->set & SECY_ES) && o->es && (o->set & SECY_SCB) && o->scb)) {
		vsecy_err("Error: invalid combination of send_sci/end_station/scb");
		return -1;
	}
	if ((o->set & SECY_WINDOW) && !(o->set & SECY_REPLAY)) {
		vsecy_err("Error: replay window set, but replay protection not enabled. did you mean 'replay on window %u'?",
			  o->window);
		return -1;
	}
	if ((o->set & SECY_REPLAY) && o->replay && !(o->set & SECY_WINDOW)) {
		vsecy_err("Error: replay protection enabled, but no window set. did you mean 'replay on window VALUE'?");
		return -1;
	}
	/* As ip does: `replay off window N` sends no window. */
	if ((o->set & SECY_REPLAY) && !o->replay)
		o->set &= ~SECY_WINDOW;
	return 0;
}

static bool is_secy_word(const char *k)
{
	static const char *const words[] = {
		"sci", "port", "address", "cipher", "icvlen", "encrypt",
		"send_sci", "end_station", "scb", "protect", "replay",
		"window", "validate", "encodingsa", "offload", "confoffset",
		"pnthreshold", "mode",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(k, words[i]))
			return true;
	return false;
}

int parse_link_cmd(enum verb verb, int argc, char **argv, struct link_cmd *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->verb = verb;

	/*
	 * ip link's words before the type options, in any order:
	 * `link LOWER`, `name NAME` or `dev NAME` or a bare NAME, and an
	 * optional `type vsecy` (or `type macsec`, for pasted ip lines).
	 */
	for (i = 0; i < argc && !is_secy_word(argv[i]); i++) {
		const char *k = argv[i];

		if (!strcmp(k, "link") && verb == VERB_ADD) {
			NEXT(argc, argv, i);
			if (c->lower)
				return duparg("link", argv[i]);
			c->lower = argv[i];
		} else if (!strcmp(k, "name") || !strcmp(k, "dev")) {
			NEXT(argc, argv, i);
			if (c->name)
				return duparg(k, argv[i]);
			c->name = argv[i];
		} else if (!strcmp(k, "type")) {
			NEXT(argc, argv, i);
			if (strcmp(argv[i], "vsecy") && strcmp(argv[i], "macsec"))
				return invarg("expected type vsecy", argv[i]);
		} else if (!c->name) {
			c->name = k;
		} else {
			return unknown(k, usage_link);
		}
	}
	if (!c->name) {
		vsecy_err("Error: expected a device NAME");
		usage_link(errf());
		return -1;
	}
	if (verb == VERB_ADD && !c->lower) {
		vsecy_err("Error: expected \"link LOWER\": the lower device");
		usage_link(errf());
		return -1;
	}
	if (verb == VERB_DEL) {
		if (i < argc)
			return unknown(argv[i], usage_link);
		return 0;
	}
	if (parse_secy_opts(argc - i, argv + i, &c->opts, verb == VERB_ADD))
		return -1;
	if (verb == VERB_SET && !c->opts.set) {
		vsecy_err("Error: nothing to change: expected OPTS after %s", c->name);
		usage_link(errf());
		return -1;
	}
	return 0;
}

int parse_global_opt(const char *arg)
{
	const char *o = arg + 1;

	if (*o == '-' && strcmp(arg, "--dry-run"))
		o++;	/* --json works as -json does with ip */
	if (!strcmp(arg, "--dry-run")) {
		opt_dry_run = true;
	} else if (*o && matches(o, "statistics")) {
		opt_stats = true;
	} else if (*o && matches(o, "details")) {
		opt_details = true;
	} else if (*o && matches(o, "json")) {
		opt_json = true;
	} else if (*o && matches(o, "pretty")) {
		opt_pretty = true;
	} else {
		vsecy_err("Error: unknown option \"%s\"; try \"%s help\"", arg, prog_name);
		return 1;
	}
	return 0;
}
