/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the SecY the KaY programs (802.1X-2020 clause 12.3, the
 * SecY management interface), behind an operation table with two
 * backends: "vsecy" (the vsecy module over generic netlink) and "log"
 * (installs nothing, logs each operation; for tests and dry runs).
 */
#ifndef MKAD_SECY_H
#define MKAD_SECY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

struct secy_sa {
	uint8_t an;
	uint64_t pn;		/* next PN (TX) or lowest acceptable PN (RX) */
	const uint8_t *key;	/* never logged */
	size_t key_len;
	uint8_t keyid[16];	/* MKA Key Identifier: key server MI | KN */
	bool xpn;
	uint32_t ssci;
	const uint8_t *salt;	/* 12 octets, XPN only */
};

struct secy_params {
	uint64_t cipher_suite;
	bool encrypt;
	int conf_offset;
	bool replay_protect;
	uint32_t replay_window;
	/* TX PN at which the SecY reports a TX SA (events); 0: unchanged */
	uint64_t pn_threshold;
};

/*
 * What a SecY with events reports about its TX SAs, so that the KaY
 * rekeys when the SecY says so instead of reading the PN (802.1X-2020
 * 12.3: the SecY's transmit PN, and whether it nears exhaustion).
 */
enum secy_event_type {
	SECY_EV_PN_THRESHOLD,	/* a TX SA sent a PN at or past the threshold */
	SECY_EV_PN_EXHAUSTED,	/* a TX SA sent its last PN and stopped */
	SECY_EV_LOST,		/* events were lost (ENOBUFS): read the PN once */
};

struct secy_event {
	enum secy_event_type type;
	uint8_t an;
	bool has_keyid;
	uint8_t keyid[16];
	uint64_t pn;		/* threshold: the next PN to send */
};

typedef void (*secy_event_fn)(void *ctx, const struct secy_event *ev);

struct secy;

struct secy_ops {
	const char *name;
	/* Creates the SecY's device on the lower device. */
	int (*create)(struct secy *s);
	/* Deletes what create made. */
	void (*destroy)(struct secy *s);
	int (*set_params)(struct secy *s, const struct secy_params *p);
	int (*add_rxsc)(struct secy *s, uint64_t sci);
	int (*del_rxsc)(struct secy *s, uint64_t sci);
	int (*add_rxsa)(struct secy *s, uint64_t sci, const struct secy_sa *sa);
	int (*del_rxsa)(struct secy *s, uint64_t sci, uint8_t an);
	/* Adds a TX SA, not yet in use. */
	int (*add_txsa)(struct secy *s, const struct secy_sa *sa);
	/* Makes the TX SA the encoding SA: transmission switches to it. */
	int (*use_txsa)(struct secy *s, uint8_t an);
	int (*del_txsa)(struct secy *s, uint8_t an);
	/* Next PN of a TX SA; -1 when unknown. */
	int (*get_tx_pn)(struct secy *s, uint8_t an, uint64_t *pn);
	/*
	 * Whether the SecY reports PN threshold and exhaustion itself
	 * (read_events); a KaY polls get_tx_pn only when it does not.
	 * Optional: absent means no events.
	 */
	bool (*has_events)(struct secy *s);
	/* The descriptor to poll for events, -1 if none. */
	int (*event_fd)(struct secy *s);
	/* Reads what is pending, calls fn for the events of this SecY. */
	void (*read_events)(struct secy *s, secy_event_fn fn, void *ctx);
};

struct secy {
	const struct secy_ops *ops;
	char ifname[IF_NAMESIZE];
	char lower[IF_NAMESIZE];
	int lower_ifindex;
	int ifindex;
	uint8_t mac[6];
	uint16_t port;
	uint64_t sci;
	bool created;
	void *priv;
};

const struct secy_ops *secy_backend(const char *name);
/* The SCI of a MAC address and port, as a big-endian number (uapi). */
uint64_t secy_make_sci(const uint8_t mac[6], uint16_t port);
/*
 * The vsecy backend's event parser, for tests: 1 for a PN event of the
 * SecY at ifindex (ev filled), else 0.
 */
struct nlmsghdr;
int secy_vsecy_parse_event(const struct nlmsghdr *h, uint16_t family,
			   int ifindex, struct secy_event *ev);

static inline bool secy_has_events(struct secy *s)
{
	return s->ops->has_events && s->ops->has_events(s);
}

#endif
