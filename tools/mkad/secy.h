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
};

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

#endif
