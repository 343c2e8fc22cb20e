/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the inside of the Authenticator PAE, which pae_auth.c (the
 * state machine) and pae_auth_rx.c (the supplicant's frames) share; not
 * for the PAE's users (pae_auth.h is). The steps below that call back
 * (pae_call_cancel, pae_call_ended, pae_start_exchange, pae_send_req) do
 * so once the state is settled; see pae_auth.c on epoch.
 */
#ifndef MKAD_PAE_AUTH_INT_H
#define MKAD_PAE_AUTH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loop.h"
#include "pae_auth.h"

enum pae_state {
	PAE_INITIALIZE, PAE_DISCONNECTED, PAE_CONNECTING, PAE_AUTHENTICATING,
	PAE_AUTHENTICATED, PAE_ABORTING, PAE_HELD,
};

/* A log line that may come often: once per PAE_LOG_INTERVAL (pae_auth_rx.c). */
struct ratelimit {
	bool logged;
	double last;
	unsigned long skipped;
};

struct pae_auth {
	struct loop *loop;
	struct pae_auth_conf conf;
	struct pae_auth_ops ops;
	void *ctx;
	uint8_t own[6];
	enum pae_state state;
	unsigned int epoch;
	bool link, closing;
	/* the supplicant, while it has an exchange or a session */
	bool have_supp;
	uint8_t supp[6];
	/* the exchange */
	bool req_out, req_own_identity, srv_wait, srv_open;
	uint8_t req_id, next_id, resp_id;
	unsigned int retrans;
	uint8_t req[PAE_EAP_MAX];
	size_t req_len;
	char identity[PAE_IDENTITY_MAX + 1];	/* printable */
	char raw_identity[PAE_IDENTITY_MAX + 1];
	int eap_method;
	struct loop_timer t_exch, t_reauth, t_quiet;
	/* the session */
	bool authorized, secured;
	double since, last_auth;
	char sess_identity[PAE_IDENTITY_MAX + 1];
	struct ratelimit rl_other, rl_logoff;
	struct pae_counters cnt;
};

/* "02:00:00:00:00:01" */
void pae_mac_str(char out[18], const uint8_t *m);
/* The new state (logged when it changes); epoch counts it. */
void pae_set_state(struct pae_auth *a, enum pae_state s);
/* Sends the outstanding Request (again). */
void pae_send_req(struct pae_auth *a);
/* The EAP method of the exchange, for the status (not Identity, Notification, Nak). */
void pae_note_method(struct pae_auth *a, uint8_t type);
void pae_forget_supp(struct pae_auth *a);
/* The session is over (no callback): not authorized, no reauth timer. */
void pae_end_session(struct pae_auth *a);
/* Ends the exchange; true if the server had it (its server_cancel is due). */
bool pae_clear_exchange(struct pae_auth *a);
/* server_cancel if srv; false if the callback changed the PAE's state. */
bool pae_call_cancel(struct pae_auth *a, bool srv);
/* ended(why) if had (a session was there); false if it changed the state. */
bool pae_call_ended(struct pae_auth *a, bool had, enum pae_end why);
/* CONNECTING: a new EAP-Request/Identity, any exchange before it dropped. */
void pae_start_exchange(struct pae_auth *a);

#endif
