// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-inject: sends crafted MACsec frames on a device through a packet
 * socket, for the hostile-frame and replay tests.
 *
 *   vsecy-inject -i DEV -k KIND [options]
 *
 * KIND is one of
 *   valid       a well-formed frame, protected with --key (GCM-AES-128/256,
 *               or XPN with --ssci and --salt), integrity only unless -e
 *   truncated   a SecTAG cut short (fewer than 6 octets after 0x88E5)
 *   bad-sl      SL set on a frame too long for it, or SL >= 48
 *   v1          the version bit set
 *   es-sc       ES and SC both set
 *   no-sci      SC clear and ES clear: implicit SCI (source address, port 1)
 *   unknown-an  a valid-looking frame for the given --an (no SA there)
 *   pn0         PN zero
 *   short-icv   fewer octets after the SecTAG than an ICV
 *   bad-icv     a valid frame with one ICV bit flipped
 *   random      random octets after the EtherType 0x88E5
 *   oversize    a frame longer than the lower MTU allows
 *   untagged    a frame without SecTAG (EtherType 0x88B5)
 *   fuzz        -n frames, each a valid frame with random mutations;
 *               never a frame for the KaY (E without C), never unchanged
 *   pcap        resend every 0x88E5 frame of the pcap file --pcap FILE
 *               (with -s, only those from that source address)
 *   raw         the octets of --hex HEX as they are, from the destination
 *               address on, -n times: frames of other protocols, such as
 *               malformed MKPDUs for vsecy-mkad
 *
 * Options: -s SRC -d DST (MAC addresses; default the device's and
 * broadcast), --sci HEX16 (the SCI to send, default SRC + port 1),
 * --an N, --pn N, --key HEX, --ssci N, --salt HEX24, -e (encrypt),
 * -n COUNT (frames, default 1), --len N (user data length, default 64),
 * --seed N, --hex HEX (raw). Prints how many frames it sent.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <openssl/evp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define ETH_P_MACSEC_	0x88E5
#define TCI_V		0x80
#define TCI_ES		0x40
#define TCI_SC		0x20
#define TCI_SCB		0x10
#define TCI_E		0x08
#define TCI_C		0x04
#define ICV_LEN		16
#define MAX_FRAME	9216

struct opts {
	const char *dev, *kind, *pcap;
	uint8_t raw[MAX_FRAME];
	size_t raw_len;
	uint8_t src[6], dst[6];
	bool have_src, have_sci, encrypt;
	uint64_t sci, pn;
	unsigned int an, len;
	uint8_t key[32];
	size_t key_len;
	uint32_t ssci;
	uint8_t salt[12];
	bool have_salt;
	unsigned long count;
	unsigned int seed;
};

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "vsecy-inject: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

static size_t parse_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	if (strlen(s) % 2 || strlen(s) / 2 > max)
		die("bad hex string '%s'", s);
	for (; *s; s += 2) {
		unsigned int b;

		if (sscanf(s, "%2x", &b) != 1)
			die("bad hex string '%s'", s);
		out[n++] = b;
	}
	return n;
}

static void parse_mac(const char *s, uint8_t *mac)
{
	if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		   &mac[2], &mac[3], &mac[4], &mac[5]) != 6)
		die("bad MAC address '%s'", s);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, v);
}

/*
 * GCM-AES over a built frame: the IV is SCI || PN (802.1AE 14.5) or, for
 * XPN, (SSCI || PN64) XOR salt (14.7). With encryption the user data is
 * ciphertext and the header + SecTAG the AAD; without, all of it is AAD.
 */
static void protect(const struct opts *o, uint8_t *frame, size_t hdr_len,
		    size_t data_len, uint64_t sci, uint64_t pn)
{
	const EVP_CIPHER *c;
	uint8_t iv[12];
	EVP_CIPHER_CTX *ctx;
	int len, i;
	bool xpn = o->have_salt;

	if (!o->key_len)
		die("%s needs --key", o->kind);
	if (xpn) {
		put_be32(iv, o->ssci);
		put_be64(iv + 4, pn);
		for (i = 0; i < 12; i++)
			iv[i] ^= o->salt[i];
	} else {
		put_be64(iv, sci);
		put_be32(iv + 8, (uint32_t)pn);
	}
	c = o->key_len == 32 ? EVP_aes_256_gcm() : EVP_aes_128_gcm();
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx || !EVP_EncryptInit_ex(ctx, c, NULL, o->key, iv))
		die("%s", "EVP_EncryptInit_ex failed");
	if (o->encrypt) {
		EVP_EncryptUpdate(ctx, NULL, &len, frame, hdr_len);
		EVP_EncryptUpdate(ctx, frame + hdr_len, &len, frame + hdr_len,
				  data_len);
	} else {
		EVP_EncryptUpdate(ctx, NULL, &len, frame, hdr_len + data_len);
	}
	EVP_EncryptFinal_ex(ctx, frame + hdr_len + data_len, &len);
	EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, ICV_LEN,
			    frame + hdr_len + data_len);
	EVP_CIPHER_CTX_free(ctx);
}

/* Builds a well-formed frame; returns its length. */
static size_t build_valid(const struct opts *o, uint8_t *f, uint64_t pn,
			  unsigned int an, unsigned int data_len)
{
	size_t hdr;
	uint64_t sci = o->sci;
	unsigned int i;

	memcpy(f, o->dst, 6);
	memcpy(f + 6, o->src, 6);
	f[12] = ETH_P_MACSEC_ >> 8;
	f[13] = ETH_P_MACSEC_ & 0xff;
	f[14] = TCI_SC | (an & 3) | (o->encrypt ? TCI_E | TCI_C : 0);
	/* SL: the user data length when it is below 48 octets (9.7). */
	f[15] = data_len < 48 ? data_len : 0;
	put_be32(f + 16, (uint32_t)pn);
	put_be64(f + 20, sci);
	hdr = 28;
	/* User data: an EtherType nobody listens to, then a pattern. */
	f[hdr] = 0x88;
	f[hdr + 1] = 0xb5;
	for (i = 2; i < data_len; i++)
		f[hdr + i] = i;
	if (o->key_len)
		protect(o, f, hdr, data_len, sci, pn);
	else
		memset(f + hdr + data_len, 0xa5, ICV_LEN);
	return hdr + data_len + ICV_LEN;
}

static size_t build(const struct opts *o, uint8_t *f, unsigned long seq)
{
	const char *k = o->kind;
	unsigned int len = o->len;
	size_t n, i;

	if (!strcmp(k, "raw")) {
		if (o->raw_len < 14)
			die("%s", "raw needs --hex with at least an Ethernet header");
		memcpy(f, o->raw, o->raw_len);
		return o->raw_len;
	}
	if (!strcmp(k, "valid") || !strcmp(k, "unknown-an"))
		return build_valid(o, f, o->pn + seq, o->an, len);
	if (!strcmp(k, "bad-icv")) {
		n = build_valid(o, f, o->pn + seq, o->an, len);
		f[n - 1] ^= 0x01;
		return n;
	}
	if (!strcmp(k, "pn0"))
		return build_valid(o, f, 0, o->an, len);
	if (!strcmp(k, "truncated")) {
		build_valid(o, f, o->pn + seq, o->an, len);
		return 14 + 5;
	}
	if (!strcmp(k, "bad-sl")) {
		n = build_valid(o, f, o->pn + seq, o->an, len < 48 ? 64 : len);
		f[15] = 20;
		return n;
	}
	if (!strcmp(k, "v1")) {
		n = build_valid(o, f, o->pn + seq, o->an, len);
		f[14] |= TCI_V;
		return n;
	}
	if (!strcmp(k, "es-sc")) {
		n = build_valid(o, f, o->pn + seq, o->an, len);
		f[14] |= TCI_ES;
		return n;
	}
	if (!strcmp(k, "no-sci")) {
		/* Same frame without the SCI: 8 octets shorter SecTAG. */
		n = build_valid(o, f, o->pn + seq, o->an, len);
		f[14] &= ~TCI_SC;
		memmove(f + 20, f + 28, n - 28);
		return n - 8;
	}
	if (!strcmp(k, "short-icv")) {
		build_valid(o, f, o->pn + seq, o->an, len);
		return 28 + 10;
	}
	if (!strcmp(k, "random")) {
		n = 14 + 1 + rand() % 200;
		build_valid(o, f, 1, 0, 8);
		for (i = 14; i < n; i++)
			f[i] = rand();
		return n;
	}
	if (!strcmp(k, "untagged")) {
		/* No SecTAG: the type 0x88B5 (local experimental). */
		memcpy(f, o->dst, 6);
		memcpy(f + 6, o->src, 6);
		f[12] = 0x88;
		f[13] = 0xb5;
		for (i = 14; i < 14 + len; i++)
			f[i] = i;
		return 14 + len;
	}
	if (!strcmp(k, "oversize"))
		return build_valid(o, f, o->pn + seq, o->an, 3000);
	if (!strcmp(k, "fuzz")) {
		unsigned int flips = 1 + rand() % 4;
		uint8_t orig[200];
		size_t n0;

		n = build_valid(o, f, o->pn + seq, rand() & 3, 1 + rand() % 120);
		n0 = n;
		memcpy(orig, f, n);
		while (flips--) {
			switch (rand() % 4) {
			case 0:	/* a random TCI/AN */
				f[14] = rand();
				break;
			case 1:	/* a random SL */
				f[15] = rand();
				break;
			case 2:	/* a random octet anywhere after the type */
				f[14 + rand() % (n - 14)] = rand();
				break;
			default: /* cut the frame short, keeping one octet */
				if (n > 15)
					n = 15 + rand() % (n - 15);
				break;
			}
		}
		/*
		 * E = 1 with C = 0 marks a frame for the KaY (9.5), which the
		 * SecY leaves to the uncontrolled port without counting it:
		 * not a frame for this test, which checks that every fuzzed
		 * frame is counted. A mutation that changed nothing would
		 * leave a valid frame: flip an ICV bit then.
		 */
		if ((f[14] & (TCI_E | TCI_C)) == TCI_E)
			f[14] |= TCI_C;
		if (n == n0 && !memcmp(f, orig, n))
			f[n - 1] ^= 0x01;
		return n;
	}
	die("unknown kind '%s'", k);
	return 0;
}

static int open_sock(const char *dev, struct sockaddr_ll *sll)
{
	struct ifreq ifr = {};
	int fd;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_ifindex = if_nametoindex(dev);
	sll->sll_halen = 6;
	if (!sll->sll_ifindex)
		die("no device '%s'", dev);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die("SIOCGIFHWADDR: %s", strerror(errno));
	memcpy(sll->sll_addr, ifr.ifr_hwaddr.sa_data, 6);
	return fd;
}

/* Resends the MACsec frames of a pcap file (classic format, Ethernet). */
static unsigned long send_pcap(int fd, struct sockaddr_ll *sll,
			       const char *path, const uint8_t *src)
{
	uint8_t gh[24], rh[16], f[MAX_FRAME];
	unsigned long sent = 0;
	bool swap;
	FILE *fp;

	fp = fopen(path, "rb");
	if (!fp)
		die("cannot open %s", path);
	if (fread(gh, 1, sizeof(gh), fp) != sizeof(gh))
		die("%s: no pcap header", path);
	swap = gh[0] == 0xa1;
	while (fread(rh, 1, sizeof(rh), fp) == sizeof(rh)) {
		uint32_t caplen;

		memcpy(&caplen, rh + 8, 4);
		if (swap)
			caplen = __builtin_bswap32(caplen);
		if (caplen > sizeof(f)) {
			/* Larger than any frame we send: not ours, skip it. */
			if (fseek(fp, caplen, SEEK_CUR))
				die("%s: bad record", path);
			continue;
		}
		if (fread(f, 1, caplen, fp) != caplen) {
			/* A capture stopped while writing: its last record
			 * is cut short. Only whole frames are resent (and
			 * counted in what we print).
			 */
			fprintf(stderr, "vsecy-inject: %s: last record cut short, not sent\n",
				path);
			break;
		}
		if (caplen < 14 || f[12] != 0x88 || f[13] != 0xe5)
			continue;
		if (src && memcmp(f + 6, src, 6))
			continue;
		if (sendto(fd, f, caplen, 0, (struct sockaddr *)sll,
			   sizeof(*sll)) < 0)
			die("sendto: %s", strerror(errno));
		sent++;
	}
	fclose(fp);
	return sent;
}

static void pin_to_this_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		fprintf(stderr, "vsecy-inject: sched_setaffinity: %s\n", strerror(errno));
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "sci", required_argument, NULL, 'S' },
		{ "an", required_argument, NULL, 'a' },
		{ "pn", required_argument, NULL, 'p' },
		{ "key", required_argument, NULL, 'K' },
		{ "ssci", required_argument, NULL, 'x' },
		{ "salt", required_argument, NULL, 't' },
		{ "len", required_argument, NULL, 'l' },
		{ "seed", required_argument, NULL, 'r' },
		{ "pcap", required_argument, NULL, 'P' },
		{ "hex", required_argument, NULL, 'H' },
		{}
	};
	static struct opts o = { .pn = 1, .len = 64, .count = 1, .seed = 1 };
	struct sockaddr_ll sll;
	uint8_t frame[MAX_FRAME];
	unsigned long i, sent = 0;
	int c, fd;

	memset(o.dst, 0xff, 6);
	while ((c = getopt_long(argc, argv, "i:k:s:d:en:", lo, NULL)) != -1) {
		switch (c) {
		case 'i': o.dev = optarg; break;
		case 'k': o.kind = optarg; break;
		case 's': parse_mac(optarg, o.src); o.have_src = true; break;
		case 'd': parse_mac(optarg, o.dst); break;
		case 'e': o.encrypt = true; break;
		case 'n': o.count = strtoul(optarg, NULL, 0); break;
		case 'S': o.sci = strtoull(optarg, NULL, 16); o.have_sci = true; break;
		case 'a': o.an = strtoul(optarg, NULL, 0) & 3; break;
		case 'p': o.pn = strtoull(optarg, NULL, 0); break;
		case 'K': o.key_len = parse_hex(optarg, o.key, sizeof(o.key)); break;
		case 'x': o.ssci = strtoul(optarg, NULL, 0); break;
		case 't':
			if (parse_hex(optarg, o.salt, sizeof(o.salt)) != 12)
				die("salt must be 12 octets: '%s'", optarg);
			o.have_salt = true;
			break;
		case 'l': o.len = strtoul(optarg, NULL, 0); break;
		case 'r': o.seed = strtoul(optarg, NULL, 0); break;
		case 'P': o.pcap = optarg; break;
		case 'H': o.raw_len = parse_hex(optarg, o.raw, sizeof(o.raw)); break;
		default: die("%s", "usage: vsecy-inject -i DEV -k KIND [options]");
		}
	}
	if (!o.dev || !o.kind)
		die("%s", "usage: vsecy-inject -i DEV -k KIND [options]");
	if (o.key_len && o.key_len != 16 && o.key_len != 32)
		die("%s", "key must be 16 or 32 octets");
	if (o.len < 2 || o.len > 3000)
		die("%s", "--len must be 2..3000");
	srand(o.seed);

	/* A veth delivers on the sending CPU: frames sent from two CPUs
	 * may be received out of order, which the replay cases would count.
	 * All frames of one run go from the CPU it started on.
	 */
	pin_to_this_cpu();
	fd = open_sock(o.dev, &sll);
	if (!o.have_src)
		memcpy(o.src, sll.sll_addr, 6);
	if (!o.have_sci) {
		o.sci = 0;
		for (i = 0; i < 6; i++)
			o.sci = (o.sci << 8) | o.src[i];
		o.sci = (o.sci << 16) | 1;
	}

	if (!strcmp(o.kind, "pcap")) {
		if (!o.pcap)
			die("%s", "pcap needs --pcap FILE");
		sent = send_pcap(fd, &sll, o.pcap, o.have_src ? o.src : NULL);
	} else {
		for (i = 0; i < o.count; i++) {
			size_t n = build(&o, frame, i);

			if (sendto(fd, frame, n, 0, (struct sockaddr *)&sll,
				   sizeof(sll)) < 0) {
				/* oversize frames are refused by the lower */
				if (errno == EMSGSIZE)
					continue;
				die("sendto: %s", strerror(errno));
			}
			sent++;
		}
	}
	OPENSSL_cleanse(o.key, sizeof(o.key));
	printf("%lu\n", sent);
	close(fd);
	return 0;
}
