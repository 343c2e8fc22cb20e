/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command-line model shared by every subcommand: what `vsecy add ...`,
 * `vsecy link add ...` and friends mean, as plain structs that the request
 * builders in netlink.c turn into messages. Parsing never talks to the
 * kernel, so the unit tests drive it directly.
 */
#ifndef VSECY_CONFIG_H
#define VSECY_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/vsecy.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Where parse errors go; the unit tests point it at a memory stream. */
extern FILE *vsecy_errf;
void vsecy_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

enum verb { VERB_ADD, VERB_SET, VERB_DEL };

/* One SA, TX or RX, as `sa N [pn|xpn] [salt] [ssci] [on|off] [key ID KEY]`. */
struct sa_desc {
	uint8_t an;
	bool pn_set, xpn;
	uint64_t pn;
	bool key_set;
	uint8_t keyid[VSECY_KEYID_LEN];
	uint8_t key[VSECY_MAX_KEY_LEN];
	unsigned int key_len;
	bool salt_set;
	uint8_t salt[VSECY_SALT_LEN];
	bool ssci_set;
	uint32_t ssci;
	int active;		/* -1: not given */
};

/* `vsecy add|set|del DEV { tx sa N ... | rx SCI [sa N ...] [on|off] }` */
struct sa_cmd {
	enum verb verb;
	const char *dev;
	bool rx;		/* rx SCI ... (else tx sa N) */
	bool has_sa;		/* an SA is named (always for tx) */
	uint64_t sci;		/* rx only */
	int sc_active;		/* rx SC on|off, -1: not given */
	struct sa_desc sa;
};

/* SecY parameters; `set` says which ones the command line gave. */
enum {
	SECY_SCI = 1 << 0,
	SECY_PORT = 1 << 1,
	SECY_CIPHER = 1 << 2,
	SECY_ICV_LEN = 1 << 3,
	SECY_ENCODING_SA = 1 << 4,
	SECY_ENCRYPT = 1 << 5,
	SECY_PROTECT = 1 << 6,
	SECY_INC_SCI = 1 << 7,
	SECY_ES = 1 << 8,
	SECY_SCB = 1 << 9,
	SECY_REPLAY = 1 << 10,
	SECY_WINDOW = 1 << 11,
	SECY_VALIDATE = 1 << 12,
	SECY_CONF_OFFSET = 1 << 13,
	SECY_PN_THRESHOLD = 1 << 14,
	SECY_MODE = 1 << 15,
};

struct secy_opts {
	unsigned int set;
	uint64_t sci;
	uint16_t port;
	uint64_t cipher;
	uint8_t icv_len, encoding_sa;
	uint8_t encrypt, protect, inc_sci, es, scb, replay, validate;
	uint8_t conf_offset;
	uint32_t window;
	uint64_t pn_threshold;
	uint8_t mode;		/* enum vsecy_mode */
};

/* `vsecy link add|set|del ...` */
struct link_cmd {
	enum verb verb;
	const char *lower;	/* add only */
	const char *name;
	struct secy_opts opts;
};

int parse_u64(const char *s, int base, uint64_t max, uint64_t *out);
int parse_hex(const char *s, uint8_t *buf, unsigned int max, unsigned int *len);
int parse_lladdr(const char *s, uint8_t mac[6]);
int parse_on_off(const char *what, const char *s, uint8_t *out);
int parse_cipher(const char *s, uint64_t *id);
const char *cipher_name(uint64_t id);
bool cipher_is_xpn(uint64_t id);
bool matches(const char *word, const char *keyword);

int parse_sa_cmd(enum verb verb, int argc, char **argv, struct sa_cmd *c);
int parse_secy_opts(int argc, char **argv, struct secy_opts *o, bool add);
int parse_link_cmd(enum verb verb, int argc, char **argv, struct link_cmd *c);

/* Usage texts, shared by the error paths and `help`. */
void usage_sa(FILE *f);
void usage_link(FILE *f);

/* Wipes key material the command line put in memory. */
void wipe(void *p, size_t len);

#endif
