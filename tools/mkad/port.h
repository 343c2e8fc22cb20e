/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: a port (802.1X-2020 clause 12): one lower Ethernet device
 * with its PAE (the EAPOL socket and the demultiplexer that hands each
 * MKPDU to the participant of its CKN), its SecY and Controlled Port, one
 * SCI, and the participants of its CAs, of which one, the principal,
 * drives the CP. A daemon serves one port or several.
 */
#ifndef MKAD_PORT_H
#define MKAD_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "conf.h"
#include "cp.h"
#include "keysrc.h"
#include "loop.h"
#include "mkpdu.h"
#include "participant.h"
#include "secy.h"

struct port_counters {
	uint64_t rx_eapol_other;	/* EAPOL but not MKA: for PACP, later */
	uint64_t rx_bad_len, rx_bad_format, rx_bad_dst, rx_unknown_ckn, rx_mkpdu;
	uint64_t tx_errors;
};

/* A CA of the configuration, and where its participant is. */
struct port;
struct port_auth;
struct port_supp;

struct port_ca {
	struct port *port;
	struct mkad_ca_conf conf;	/* CAK not kept here */
	struct participant *part;	/* NULL while the key source answers */
	bool asked;
	bool looked_up;			/* an MKPDU's CKN, asked for (KEYSRC_LOOKUP) */
	bool qkd_own;			/* a new key this port asked its provider for */
	bool eap;			/* from an EAP exchange (port_start_ca) */
	bool had_peer;			/* a live peer once (QKD CAs) */
	double lost_at;			/* when its last live peer went, or 0 */
	unsigned int gen;		/* QKD and EAP CAs: higher is newer */
	/* looked up: the MKPDU that named the CKN, checked with the CAK */
	uint8_t trigger[MKPDU_MAX_LEN];
	size_t trigger_len;
	struct keysrc *src;		/* where its CAK comes from */
};

/*
 * A QKD CA whose live peers went this long ago ends, and an initiator asks
 * for a new key: the peer may have restarted, and a provider delivers a
 * key once, so the peer cannot fetch the old one again.
 */
#define PORT_QKD_STALE	10.0
/*
 * A newer QKD CA took over as principal (a rollover): the older ones end
 * this long after, once the new one is secured.
 */
#define PORT_QKD_OVERLAP	10.0

/* CKNs a key source did not know, not asked for again for a while. */
#define PORT_NO_CKN	8
#define PORT_NO_CKN_TIME	60.0

typedef int (*port_send_fn)(void *ctx, const uint8_t *frame, size_t len);

/* For the unit tests: instead of the PAE socket and a named backend. */
struct port_io {
	port_send_fn send;
	void *ctx;
	uint8_t mac[6];
	const struct secy_ops *ops;
};

struct port {
	struct loop *loop;
	char name[IF_NAMESIZE];		/* the SecY device */
	char lower[IF_NAMESIZE];
	int ifindex;			/* of the lower device */
	uint8_t mac[6];
	uint16_t port_id;		/* macsec_port */
	uint64_t sci;
	struct secy secy;
	struct cp cp;
	struct keysrc *keysrc;
	struct keysrc *qkd;		/* a key provider (port_set_qkd), or NULL */
	struct mkad_qkd_conf qkd_conf;	/* its template CA, without a CAK */
	struct loop_timer qkd_retry;
	struct loop_timer qkd_stale;
	struct loop_timer qkd_roll;	/* qkd_cak_lifetime: the next key */
	struct loop_timer qkd_retire;	/* PORT_QKD_OVERLAP */
	struct loop_timer qkd_age;	/* qkd_max_cak_age of the newest own CA */
	unsigned int qkd_age_gen;	/* ... which is this one */
	bool qkd_rolling;		/* a rollover's new key is being asked for */
	unsigned int qkd_gen;
	double qkd_backoff;
	int n_ca;
	struct port_ca ca[MKAD_MAX_CA];
	struct participant *principal;
	struct port_auth *auth;		/* the 802.1X authenticator (port_auth.h), or NULL */
	struct port_supp *supp;		/* the 802.1X supplicant (port_supp.h), or NULL */
	int pae_fd;
	struct loop_fd pae;
	struct loop_fd secy_ev;
	port_send_fn send;		/* tests replace the PAE socket */
	void *send_ctx;
	char conf_path[256];
	struct { uint8_t ckn[MKA_MAX_CKN_LEN]; size_t len; double at; } no_ckn[PORT_NO_CKN];
	double last_lookup;
	double drop_logged[3];
	unsigned long drop_skipped[3];
	struct port_counters cnt;
};

/*
 * Sets a port up: the PAE socket on lower (unless io is given), the SecY
 * (backend spec) named ifname, the CAs of conf through keysrc. Returns 0,
 * or -1 with the reason logged.
 */
int port_open(struct port *p, struct loop *loop, const char *lower, const char *ifname,
	      const char *backend, const struct mkad_conf *conf, struct keysrc *keysrc,
	      const struct port_io *io);
void port_close(struct port *p);
/*
 * A key provider for the port's QKD CAs (after port_open; qc->tmpl holds
 * their settings). An initiator (or auto) asks it for a key at once, a
 * responder (or auto) for the CKNs of MKPDUs no CA has.
 */
void port_set_qkd(struct port *p, struct keysrc *qkd, const struct mkad_qkd_conf *qc);
/*
 * A CA whose CAK comes with it (an EAP exchange): its participant starts
 * now and, once it has a live peer, takes over from the CAs before it.
 * Returns its slot, or NULL (logged).
 */
struct port_ca *port_start_ca(struct port *p, const struct mkad_ca_conf *conf);
/* Ends the CA of ckn at once: its participant, and its SAs if principal. */
void port_end_ca(struct port *p, const uint8_t *ckn, size_t ckn_len, const char *why);
/* The CA of ckn, or NULL. */
struct port_ca *port_find_ca(struct port *p, const uint8_t *ckn, size_t ckn_len);
/* The principal's CA is secured. */
bool port_secured(const struct port *p);
/* A frame from the lower device (the PAE demultiplexer). */
void port_rx(struct port *p, const uint8_t *frame, size_t len);
int port_send(struct port *p, const uint8_t *frame, size_t len);
/* A new configuration (SIGHUP); the key source has the new CAKs. */
int port_reconfigure(struct port *p, const struct mkad_conf *conf);
/* The principal: the first participant with a live peer, else the first. */
void port_update_principal(struct port *p);
/* Rate-limited logging of dropped MKPDUs: true when this one is logged. */
bool port_drop_log_ok(double *last, unsigned long *skipped, double now);

#endif
