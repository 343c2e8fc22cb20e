/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the Supplicant PAE of a port (IEEE 802.1X-2004 8.2.11 and
 * the EAP peer of RFC 3748, as 802.1X-2020 keeps them for EAP) with one
 * method, EAP-TLS (eap_tls.h). No sockets: frames in and out, the loop's
 * timers, and callbacks for the keys and the end of a session.
 *
 * States (pae_supp_state_name): DISCONNECTED (link down), CONNECTING
 * (EAPOL-Start sent every start_period, max_start times; then a new round
 * after held_period), AUTHENTICATING (an exchange: a Request/Identity was
 * answered), AUTHENTICATED (EAP-Success after the method gave keys) and
 * HELD (held_period after an EAP-Failure: every frame is dropped).
 *
 * The exchange: a Request/Identity (in any state but DISCONNECTED and
 * HELD) starts one, answered with the identity; Requests of EAP-TLS go
 * to the method, Notifications are acknowledged, other methods get a Nak
 * asking for EAP-TLS. A Request with the Identifier and contents of the
 * last one answered is a retransmission: the last Response goes again. No
 * Request for auth_period during an exchange aborts it (a session stays).
 * A Request/Identity during a session is a re-authentication: the session
 * stays, and its EAP-Success gives new keys (authenticated() again). An
 * EAP-Failure in an exchange ends the session (ended()) and holds the PAE.
 *
 * The authenticator is the source of the exchange's first Request; frames
 * from others meanwhile and during the session are dropped (counted).
 * Frames go to the PAE group address 01:80:C2:00:00:03. Malformed frames,
 * EAP packets and EAP-TLS messages are counted and dropped without
 * changing anything. pae_supp_free sends an EAPOL-Logoff if the link is up.
 *
 * Callbacks must not call into the PAE but for its status; buffers given
 * to them are valid during the call only (the keys are wiped after).
 */
#ifndef MKAD_PAE_SUPP_H
#define MKAD_PAE_SUPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eap_tls.h"
#include "loop.h"
#include "pae_auth.h"

#define SUPP_DEF_HELD_PERIOD	60	/* s (heldPeriod) */
#define SUPP_DEF_START_PERIOD	30	/* s (startPeriod) */
#define SUPP_DEF_MAX_START	3	/* maxStart */
#define SUPP_DEF_AUTH_PERIOD	30	/* s (authPeriod) */

enum supp_end {
	SUPP_END_FAILURE,	/* EAP-Failure of a re-authentication */
	SUPP_END_LINK_DOWN,
	SUPP_END_CLOSED,	/* pae_supp_free: EAPOL-Logoff */
};

struct supp_keys {
	uint8_t msk[EAP_TLS_MSK_LEN];
	uint8_t session_id[EAP_TLS_SID_MAX];
	size_t session_id_len;
	uint8_t auth_mac[6];	/* the authenticator */
};

struct pae_supp_ops {
	/* A whole Ethernet frame (padded to 60 octets); 0, or < 0 if not sent. */
	int (*send)(void *ctx, const uint8_t *frame, size_t len);
	/* EAP-Success: a new session, or new keys for it. *k wiped after. */
	void (*authenticated)(void *ctx, const struct supp_keys *k);
	/* The session ends (only after authenticated(), once per session). */
	void (*ended)(void *ctx, enum supp_end why);
};

struct pae_supp_conf {
	uint8_t eapol_version;		/* 1..3 */
	char identity[PAE_IDENTITY_MAX + 1];
	unsigned int held_period;	/* s, 0: HELD ends on the loop's next turn */
	unsigned int start_period;	/* s, 1 or more */
	unsigned int max_start;		/* 1 or more */
	unsigned int auth_period;	/* s, 1 or more */
};

struct pae_supp;

void pae_supp_conf_init(struct pae_supp_conf *c);
/* A PAE whose link is down; tls is the method (not owned). NULL if c is invalid. */
struct pae_supp *pae_supp_new(struct loop *l, const uint8_t own_mac[6],
			      const struct pae_supp_conf *c, struct eap_tls *tls,
			      const struct pae_supp_ops *ops, void *ctx);
/* EAPOL-Logoff if the link is up, ended(CLOSED) if a session, then frees. */
void pae_supp_free(struct pae_supp *s);
/* The port's link: up sends EAPOL-Start, down ends everything. */
void pae_supp_link(struct pae_supp *s, bool up);
/* An EAPOL frame from the wire that is not an MKPDU. */
void pae_supp_rx(struct pae_supp *s, const uint8_t *frame, size_t len);

struct pae_supp_status {
	const char *state;
	char identity[PAE_IDENTITY_MAX + 1];	/* printable */
	int eap_method;			/* the last one asked for, 0: none */
	const char *tls_version;	/* of the session's last handshake, "" */
	bool authorized;
	double authenticated_since, last_auth;	/* loop time, 0: none */
	bool have_auth;
	uint8_t auth_mac[6];
};

struct pae_supp_counters {
	uint64_t rx_eapol;		/* every frame given to pae_supp_rx */
	uint64_t rx_req;		/* EAP-Requests taken */
	uint64_t rx_retrans;		/* retransmitted Requests: the last Response again */
	uint64_t rx_malformed;		/* bad EAPOL, EAP or EAP-TLS */
	uint64_t rx_other_auth;		/* from another MAC than the authenticator's */
	uint64_t rx_unexpected;		/* Success, Failure, Requests out of place */
	uint64_t rx_ignored;		/* Start, Logoff, Responses, other types */
	uint64_t rx_held;		/* dropped while HELD or DISCONNECTED */
	uint64_t tx_eapol, tx_start, tx_logoff, tx_errors;
	uint64_t auth_success, auth_fail, auth_timeout;
};

const char *pae_supp_state_name(const struct pae_supp *s);
void pae_supp_status(const struct pae_supp *s, struct pae_supp_status *st);
const struct pae_supp_counters *pae_supp_counters(const struct pae_supp *s);

#endif
