/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the SecY the CP programs (802.1X-2020 clause 12.3, the
 * SecY management interface), behind an operation table. Backends:
 * "vsecy" (the vsecy module over generic netlink, secy_vsecy.c),
 * "macsec" (the kernel's macsec driver, secy_macsec.c) and "log"
 * (installs nothing and logs each operation, secy_log.c). Each one says
 * what it can do in a struct secy_caps; nothing outside the backends
 * asks for a backend by name.
 *
 * Every operation returns 0 or a negative errno; the CP acts on failures
 * (cp.c), so a backend never hides one.
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
	bool include_sci;
	/* TX PN at which the SecY reports a TX SA (events); 0: unchanged */
	uint64_t pn_threshold;
};

/*
 * The Controlled Port (802.1X-2020 12.4, Figure 12-2): closed (CHANGE,
 * INIT), open without MACsec (AUTHENTICATED: protectFrames off,
 * validateFrames Disabled), or protected (SECURED: protectFrames on,
 * validateFrames Strict).
 */
enum secy_port_mode {
	SECY_PORT_CLOSED,
	SECY_PORT_UNSECURED,
	SECY_PORT_SECURED,
};

/* What a backend can do, so that the KaY announces no more than that. */
struct secy_caps {
	unsigned int suites;	/* cs_bit() of each cipher suite */
	/* MACsec Capability (802.1X-2020 Table 11-6): 0 none, 1 integrity
	 * only, 2 confidentiality offset 0, 3 offsets 0, 30 and 50 */
	uint8_t capability;
	/* The cipher suite changes in place once the SAs are gone; false:
	 * the device is made again (its addresses go with it). */
	bool cs_change_in_place;
	bool events;		/* reports PN threshold/exhaustion itself */
	bool tx_pn;		/* get_tx_pn works (the KaY polls it) */
	bool port_control;	/* can pass traffic unprotected */
	bool offload;		/* takes struct secy's offload */
	unsigned int max_rxsc;	/* 0: no limit */
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
	/* Creates (or takes over and flushes) the SecY's device; fills caps. */
	int (*create)(struct secy *s);
	/* Deletes what create made. */
	void (*destroy)(struct secy *s);
	int (*set_params)(struct secy *s, const struct secy_params *p);
	int (*set_port)(struct secy *s, enum secy_port_mode mode);
	/* A new SCI (port number); only while no SA exists. */
	int (*set_sci)(struct secy *s, uint64_t sci, uint16_t port);
	int (*add_rxsc)(struct secy *s, uint64_t sci);
	int (*del_rxsc)(struct secy *s, uint64_t sci);
	int (*add_rxsa)(struct secy *s, uint64_t sci, const struct secy_sa *sa);
	int (*del_rxsa)(struct secy *s, uint64_t sci, uint8_t an);
	/* Adds a TX SA, not yet in use. */
	int (*add_txsa)(struct secy *s, const struct secy_sa *sa);
	/* Makes the TX SA the encoding SA: transmission switches to it. */
	int (*use_txsa)(struct secy *s, uint8_t an);
	int (*del_txsa)(struct secy *s, uint8_t an);
	/* Next PN of a TX SA. Optional (caps.tx_pn). */
	int (*get_tx_pn)(struct secy *s, uint8_t an, uint64_t *pn);
	/* The descriptor to poll for events, -1 if none. Optional. */
	int (*event_fd)(struct secy *s);
	/* Reads what is pending, calls fn for the events of this SecY. */
	void (*read_events)(struct secy *s, secy_event_fn fn, void *ctx);
};

struct secy {
	const struct secy_ops *ops;
	struct secy_caps caps;
	char ifname[IF_NAMESIZE];
	char lower[IF_NAMESIZE];
	int lower_ifindex;
	int ifindex;
	uint8_t mac[6];
	uint16_t port;
	uint64_t sci;
	bool created;		/* we made the device (and delete it) */
	/* The device's MACsec offload, IFLA_MACSEC_OFFLOAD (macsec_offload):
	 * 0 none, 1 PHY, 2 MAC; only with caps.offload. */
	uint8_t offload;
	char opts[128];		/* backend options: "log:OPTS" */
	void *priv;
};

/*
 * The backend of spec "NAME[:OPTIONS]" (NULL: vsecy), or NULL. The log
 * backend's options simulate another SecY: suites=gcm-aes-128+gcm-aes-256,
 * cap=0..3, fail=OP[/COUNT[/ERRNO]] (the first COUNT calls of OP fail).
 */
const struct secy_ops *secy_backend(const char *spec, char *opts, size_t opts_size);
/* The SCI of a MAC address and port, as a big-endian number (uapi). */
uint64_t secy_make_sci(const uint8_t mac[6], uint16_t port);
/*
 * The vsecy backend's event parser, for tests: 1 for a PN event of the
 * SecY at ifindex (ev filled), else 0.
 */
struct nlmsghdr;
int secy_vsecy_parse_event(const struct nlmsghdr *h, uint16_t family,
			   int ifindex, struct secy_event *ev);

extern const struct secy_ops secy_log_ops, secy_vsecy_ops, secy_macsec_ops;

#endif
