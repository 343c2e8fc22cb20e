/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the Authenticator PAE of a port in client-oriented mode
 * (IEEE 802.1X-2004 8.2.4, as 802.1X-2020 keeps it for EAP): the port is
 * the access device, one supplicant at a time authenticates with EAP
 * (RFC 3748), and the PAE relays the EAP exchange between the supplicant
 * (EAPOL, 802.1X-2020 clause 11, on the wire) and an authentication
 * server it reaches through callbacks (the RADIUS client). An accepted
 * supplicant gives the MSK and EAP Session-Id the port derives its CAK
 * from. No sockets and no RADIUS here: frames in and out, the server's
 * answers in, and the loop's timers.
 *
 * States (pae_auth_state_name): INITIALIZE (never had a link),
 * DISCONNECTED (link down), CONNECTING (our EAP-Request/Identity is out),
 * AUTHENTICATING (relaying the method), AUTHENTICATED, ABORTING (an
 * exchange being dropped, momentary) and HELD (quietPeriod after a
 * failure: every frame is dropped, EAPOL-Start included). As in 8.2.4 a
 * re-authentication goes through CONNECTING and AUTHENTICATING while the
 * session (the Authorized port) stays: pae_auth_status() tells both.
 *
 * The exchange: on link up, on an EAPOL-Start (from the supplicant of a
 * session too: it asks to re-authenticate), every reauth_period of a
 * session, and on pae_auth_reauthenticate(), the PAE sends an
 * EAP-Request/Identity of its own. Every EAP-Response that answers the
 * outstanding Request goes to the server (to_server); the server's answer
 * (pae_auth_server_answer) is relayed to the supplicant. An unanswered
 * Request is sent again every tx_period, max_req times; then the exchange
 * is aborted (a supplicant timeout): a session stays as it was, without
 * one the PAE starts over with a new Request/Identity. An ACCEPT
 * authenticates (a session, or new keys for the session); a REJECT, an
 * EAP-Failure, or an ACCEPT without keys (MSK of 32 octets or more and an
 * EAP Session-Id) fails: the supplicant gets an EAP-Failure, the session
 * if any ends, and the PAE is HELD for quiet_period.
 *
 * One supplicant per port: the MAC address of the first EAPOL-Start or
 * valid EAP-Response is the supplicant until its exchange fails or times
 * out, or its session ends; frames from other addresses meanwhile are
 * dropped (rx_other_supp). Frames go to the PAE group address
 * 01:80:C2:00:00:03 with use_pae_group_addr, else to the supplicant
 * (to the group address while there is none), from own_mac.
 *
 * EAPOL-Logoff is not authenticated: anyone on the LAN can send one with
 * the supplicant's source address, and EAPOL frames are not protected by
 * MACsec. A Logoff ends the session at once unless ignore_logoff_secured
 * is set and the port said (pae_auth_set_secured) that the session is
 * secured by MKA: then MKA's own liveness ends a dead session. The same
 * holds for an EAPOL-Start: a forged one makes the PAE re-authenticate,
 * and a forged answer to that can make the re-authentication fail.
 *
 * Callbacks come from within pae_auth_link, pae_auth_rx,
 * pae_auth_server_answer, pae_auth_reauthenticate, pae_auth_free and the
 * PAE's timers. They may call every function here except pae_auth_free
 * (pae_auth_link(false) from ended() or authenticated() is fine, and
 * to_server may answer at once with pae_auth_server_answer): the PAE has
 * settled its state before each callback and does not go on with a step
 * a callback changed. Buffers passed to callbacks are the PAE's and are
 * valid during the call only (the keys are wiped after authenticated()
 * returns); buffers passed in are the caller's and are copied.
 */
#ifndef MKAD_PAE_AUTH_H
#define MKAD_PAE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"

/* Defaults (hostapd's names: eapol_version, eap_reauth_period). */
#define PAE_DEF_EAPOL_VERSION	2
#define PAE_DEF_REAUTH_PERIOD	3600	/* s, 0: never */
#define PAE_DEF_QUIET_PERIOD	60	/* s (802.1X quietPeriod) */
#define PAE_DEF_TX_PERIOD	30	/* s (txPeriod, suppTimeout) */
#define PAE_DEF_MAX_REQ		2	/* retransmissions (maxReq) */
/*
 * How long the PAE waits for the server's answer before it gives up on
 * its own (server_cancel, as a TIMEOUT): a backstop far beyond any RADIUS
 * retransmission schedule, which answers TIMEOUT long before.
 */
#define PAE_SERVER_BACKSTOP	120.0

#define PAE_MSK_MAX		64
#define PAE_MSK_MIN		32	/* an ACCEPT with less gives no CAK */
#define PAE_SID_MAX		253	/* a RADIUS attribute's value */
#define PAE_IDENTITY_MAX	253	/* kept of an EAP-Response/Identity */
#define PAE_EAP_MAX		1496	/* an EAP packet in one EAPOL frame */

enum pae_end {
	PAE_END_LOGOFF,		/* EAPOL-Logoff from the supplicant */
	PAE_END_FAILURE,	/* re-authentication ACCEPTed without usable keys */
	PAE_END_LINK_DOWN,	/* pae_auth_link(false) */
	PAE_END_REAUTH_FAILED,	/* re-authentication rejected (REJECT, EAP-Failure) */
	PAE_END_CLOSED,		/* pae_auth_free() */
};

struct pae_keys {
	uint8_t msk[PAE_MSK_MAX];
	size_t msk_len;				/* PAE_MSK_MIN..PAE_MSK_MAX */
	uint8_t session_id[PAE_SID_MAX];	/* EAP Session-Id (EAP-Key-Name) */
	size_t session_id_len;			/* 1..PAE_SID_MAX */
	uint8_t supp_mac[6];
	char identity[PAE_IDENTITY_MAX + 1];	/* printable (see status) */
};

struct pae_auth_ops {
	/* A whole Ethernet frame (padded to 60 octets); 0, or < 0 if not sent. */
	int (*send)(void *ctx, const uint8_t *frame, size_t len);
	/*
	 * An EAP-Response for the server, as received (len from its Length
	 * field), with the identity of the exchange (the Response/Identity's
	 * octets up to a NUL, at most PAE_IDENTITY_MAX, not made printable:
	 * the RADIUS User-Name) and the supplicant. new_exchange: this is the
	 * answer to the PAE's own Request/Identity, a new exchange (forget
	 * the RADIUS State of any earlier one). Exactly one
	 * pae_auth_server_answer must follow, unless server_cancel comes
	 * first.
	 */
	void (*to_server)(void *ctx, const uint8_t *eap, size_t len, const char *identity,
			  const uint8_t supp_mac[6], bool new_exchange);
	/*
	 * The PAE dropped the exchange the server had (supplicant timeout,
	 * a new EAPOL-Start, Logoff, link down, ...): no answer is wanted
	 * for the last to_server, its RADIUS State may go. Not called after
	 * an ACCEPT, REJECT or TIMEOUT: the server ended that one itself.
	 */
	void (*server_cancel)(void *ctx);
	/* Accepted: a new session, or new keys for the session. *k wiped after. */
	void (*authenticated)(void *ctx, const struct pae_keys *k);
	/* The session must go now. Called only after authenticated(), once per session. */
	void (*ended)(void *ctx, enum pae_end why);
};

struct pae_auth_conf {
	uint8_t eapol_version;		/* sent: 1..3 */
	bool use_pae_group_addr;
	unsigned int reauth_period;	/* s, 0: never */
	unsigned int quiet_period;	/* s, 0: HELD ends on the loop's next turn */
	unsigned int tx_period;		/* s, 1 or more */
	unsigned int max_req;		/* retransmissions of a Request */
	bool ignore_logoff_secured;
};

struct pae_auth;

/* Fills c with the defaults above (ignore_logoff_secured off, no group address). */
void pae_auth_conf_init(struct pae_auth_conf *c);
/*
 * A PAE for a port whose link is down (state INITIALIZE). ops is copied;
 * ctx is passed to every callback. NULL if c is invalid (eapol_version
 * not 1..3, tx_period 0; logged) or memory is short.
 */
struct pae_auth *pae_auth_new(struct loop *l, const uint8_t own_mac[6],
			      const struct pae_auth_conf *c, const struct pae_auth_ops *ops,
			      void *ctx);
/*
 * Calls server_cancel and ended(PAE_END_CLOSED) as needed (calls into the
 * PAE from those do nothing), then frees. NULL: nothing.
 */
void pae_auth_free(struct pae_auth *a);
/* New settings (SIGHUP): a running reauth timer moves, others apply when next armed. */
int pae_auth_reconfigure(struct pae_auth *a, const struct pae_auth_conf *c);

/* The port's link (MAC_Operational): up starts an exchange, down ends everything. */
void pae_auth_link(struct pae_auth *a, bool up);
/*
 * An EAPOL frame from the wire (ethertype 0x888E, anything but EAPOL-MKA).
 * Any EAPOL version (1 or more; higher ones as version 3) is accepted;
 * EAP-Packet, EAPOL-Start and EAPOL-Logoff are handled, other types are
 * counted and dropped, malformed frames are counted and dropped.
 */
void pae_auth_rx(struct pae_auth *a, const uint8_t *frame, size_t len);

enum pae_server_result {
	PAE_SRV_CHALLENGE,	/* eap: a Request for the supplicant */
	PAE_SRV_ACCEPT,		/* eap: EAP-Success (built if none); msk, sid */
	PAE_SRV_REJECT,		/* eap: EAP-Failure (built if none) */
	PAE_SRV_TIMEOUT,	/* no answer from the server: the exchange is aborted */
};

/*
 * The server's answer to the last to_server. eap (and for ACCEPT msk,
 * sid) are copied; an answer when none is expected is ignored.
 */
void pae_auth_server_answer(struct pae_auth *a, enum pae_server_result r,
			    const uint8_t *eap, size_t eap_len, const uint8_t *msk,
			    size_t msk_len, const uint8_t *sid, size_t sid_len);
/* The port's word that MKA secures the session (for ignore_logoff_secured). */
void pae_auth_set_secured(struct pae_auth *a, bool secured);
/* Re-authenticate now (control socket); ignored while the link is down or HELD. */
void pae_auth_reauthenticate(struct pae_auth *a);

/* Status -------------------------------------------------------------- */

const char *pae_auth_state_name(const struct pae_auth *a);
/* "EAP-TLS" and the like, "EAP type N" for others; 0 gives "none" (eapol.c). */
const char *pae_eap_type_name(int type);

struct pae_auth_status {
	const char *state;
	/*
	 * The session's identity, or while there is none the exchange's:
	 * octets outside 0x20..0x7e shown as '?'.
	 */
	char identity[PAE_IDENTITY_MAX + 1];
	int eap_method;		/* last EAP type seen but Identity/Notification/Nak, 0 */
	double authenticated_since;	/* loop time of the session's first ACCEPT, 0: none */
	double last_auth;		/* of its latest ACCEPT, 0: none */
	double next_reauth;		/* when the next re-authentication is due, 0: none */
	bool authorized;		/* a session (survives a re-authentication) */
	bool secured;			/* pae_auth_set_secured */
	uint8_t supp_mac[6];
	bool have_supp;
};

void pae_auth_status(const struct pae_auth *a, struct pae_auth_status *st);

struct pae_counters {
	uint64_t rx_eapol;		/* every frame given to pae_auth_rx */
	uint64_t rx_start, rx_logoff;	/* from the supplicant (or a new one) */
	uint64_t rx_eap_resp;		/* EAP-Responses relayed to the server */
	uint64_t rx_malformed;		/* bad lengths, not a Response, bad source */
	uint64_t rx_other_supp;		/* from another MAC than the supplicant's */
	uint64_t rx_ignored_type;	/* EAPOL-Key, -Encapsulated-ASF-Alert, announcements */
	uint64_t rx_bad_id;		/* a Response but not to the outstanding Request */
	uint64_t rx_held;		/* dropped while HELD */
	uint64_t tx_eapol, tx_errors;
	uint64_t auth_success, auth_fail;
	uint64_t auth_timeout;		/* exchanges aborted: supplicant or server timeout */
	uint64_t logoff_ignored;	/* ignore_logoff_secured */
};

const struct pae_counters *pae_auth_counters(const struct pae_auth *a);

#endif
