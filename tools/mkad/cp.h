/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the Controlled Port of one port (802.1X-2020 12.4, the CP
 * state machine of Figure 12-2), which owns everything installed in the
 * SecY: its parameters, the RX SCs of the live peers, the SAs of the
 * latest and the old SAK, which SA transmits, and whether the port passes
 * traffic. The principal participant (participant.c) tells it what to do
 * (connect, a new SAK, a peer live or gone, transmit, retire); the CP
 * says what it achieved (sak.rx is the lrx the KaY reports, sak.tx ltx).
 * A SecY operation that fails is logged, counted, kept as the CP's error
 * (shown by STATUS) and retried with a backoff; what failed is never
 * reported to the peers as done.
 */
#ifndef MKAD_CP_H
#define MKAD_CP_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto.h"
#include "loop.h"
#include "mkpdu.h"
#include "secy.h"

/* connect, from the Logon process (12.5) */
enum cp_connect {
	CP_CONNECT_PENDING,		/* no decision: port closed */
	CP_CONNECT_AUTHENTICATED,	/* no MACsec, traffic unprotected */
	CP_CONNECT_SECURE,		/* MACsec */
};

/* The states of Figure 12-2 that last. */
enum cp_state {
	CP_INIT, CP_CHANGE, CP_AUTHENTICATED, CP_SECURED, CP_RECEIVING,
	CP_TRANSMITTING,
};

/* An SAK member for XPN: its SSCI (802.1X-2020 9.8, 11.11.3). */
struct sak_member {
	uint8_t mi[MKA_MI_LEN];
	uint64_t sci;		/* 0 until known */
	uint32_t ssci;
};

struct sak {
	bool valid;
	uint8_t key[MKA_MAX_KEY_LEN];
	size_t key_len;
	uint8_t ki_mi[MKA_MI_LEN];	/* the key server's MI ... */
	uint32_t kn;			/* ... and KN: the KI */
	uint8_t an;
	uint64_t cs;
	uint8_t co;			/* MKA_CO_* */
	uint8_t salt[MKA_SALT_LEN];
	uint32_t own_ssci;
	int n_members;
	struct sak_member members[MKA_MAX_PEERS + 1];
	bool rx;		/* RX SA of each live member, and the TX SA: lrx */
	bool tx;		/* the TX SA is the encoding SA: ltx */
	double since;		/* when it went into transmit use */
	uint32_t lpn_report;	/* not key server: a TX PN past the threshold */
};

struct cp_rxsc {
	uint64_t sci;
	uint8_t mi[MKA_MI_LEN];
	bool added;
	uint8_t sa_mask;	/* the ANs with an RX SA */
};

struct cp_error {
	char what[96];		/* "add RX SA 0200000000020001 AN 1" */
	int err;		/* errno */
	uint64_t count;		/* consecutive failures */
	double since;
};

struct cp {
	struct loop *loop;
	struct secy *secy;
	enum cp_connect connect;
	enum cp_state state;
	char why[96];		/* why connect is what it is */
	struct sak latest, old;
	int n_rxsc;
	struct cp_rxsc rxsc[MKA_MAX_PEERS];
	uint8_t txsa_mask;	/* the ANs with a TX SA */
	/* the SecY's parameters, as set; and what the next SAK brings */
	struct secy_params params;
	bool params_set;
	bool replay_protect, include_sci;
	uint32_t replay_window;
	enum secy_port_mode port_mode;
	bool port_set;
	bool want_tx;		/* TRANSMIT was asked and has not succeeded */
	/* failures: the current one, the last one, how many in all */
	bool failing, failed_now;
	struct cp_error err, last_err;
	uint64_t errors;
	double retry_delay;
	struct loop_timer retry;
	/* Told when lrx/ltx change out of turn (a retry succeeded). */
	void (*changed)(void *ctx);
	void *ctx;
};

void cp_init(struct cp *cp, struct loop *loop, struct secy *secy,
	     void (*changed)(void *ctx), void *ctx);
/* Parameters of the SecY that are not the SAK's: from the next SAK on. */
void cp_set_local(struct cp *cp, bool replay_protect, uint32_t replay_window,
		  bool include_sci);
void cp_connect(struct cp *cp, enum cp_connect c, const char *why);
/* RECEIVE: installs n for reception and as an unused TX SA (n is wiped). */
void cp_new_sak(struct cp *cp, struct sak *n);
void cp_peer_live(struct cp *cp, uint64_t sci, const uint8_t mi[MKA_MI_LEN]);
void cp_peer_gone(struct cp *cp, uint64_t sci);
/* TRANSMIT: the latest SAK's TX SA becomes the encoding SA. */
void cp_transmit(struct cp *cp, double now);
/* RETIRE: the old SAK's SAs go. */
void cp_retire(struct cp *cp);
/* CHANGE with a new SCI: every SA and RX SC goes first. */
int cp_set_sci(struct cp *cp, uint64_t sci, uint16_t port);
/* Everything installed goes (shutdown). */
void cp_shutdown(struct cp *cp);
/* secured: the latest SAK transmits and receives from every live peer. */
bool cp_secured(const struct cp *cp);
const char *cp_state_name(enum cp_state s);
const char *cp_connect_name(enum cp_connect c);
/* The SSCI of sci/mi under s, 0 if unknown (802.1X-2020 9.8, 11.11.3). */
uint32_t sak_ssci(const struct sak *s, uint64_t sci, const uint8_t *mi);
void sak_keyid(const struct sak *s, uint8_t out[16]);
void sak_ki_txt(const struct sak *s, char out[33]);

#endif
