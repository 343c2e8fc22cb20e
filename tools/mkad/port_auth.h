/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the access device of client-oriented mode. The port is the
 * 802.1X authenticator (pae_auth.h) of one supplicant, relays its EAP to
 * a RADIUS server (radius.h), and an Access-Accept gives a CA: CAK and
 * CKN from the EAP MSK and Session-Id (802.1X-2020 6.2.2), this port its
 * key server. The session ends at once (participant and SAs) on
 * EAPOL-Logoff, EAP-Failure, Access-Reject on re-authentication or link
 * down (the lower device loses carrier, is set down or deleted: link.h
 * watches it; link up starts a new authentication); a re-authentication's
 * new CA takes over from the old, which ends once the new one is secured
 * (or PORT_AUTH_OVERLAP after it started).
 */
#ifndef MKAD_PORT_AUTH_H
#define MKAD_PORT_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "crypto.h"
#include "link.h"
#include "loop.h"
#include "pae_auth.h"
#include "port_eap.h"
#include "radius.h"

#define PORT_AUTH_OVERLAP	10.0
/*
 * mka_wpa_compat (the default): wpa_supplicant 2.10 keeps one RX SC per
 * peer SCI in the kernel, and deletes it when a participant's live peer
 * expires, up to 9 s after that peer's last MKPDU; a new participant (new
 * CKN) cannot add its RX SC while the old one is there, and is deleted if
 * it has no live peer 6 s after the EAP-Success. So a new CA follows an
 * ended one only after this long: a re-authentication ends the old CA at
 * its Access-Accept (no overlap), and the EAP-Success that starts the new
 * one waits until then.
 */
#define PORT_AUTH_WPA_QUIET	10.0

struct port;

struct port_auth {
	struct port *port;
	struct pae_auth *pae;
	struct radius_client *radius;
	struct link_watch *link;		/* the lower device's, or NULL */
	char server[80];			/* "addr:port", for logs and status */
	uint8_t state[RADIUS_ATTR_MAX];		/* RADIUS State of the exchange */
	size_t state_len;
	bool busy;				/* a request is with the server */
	struct port_eap_ca ca;			/* the session's CAs (PORT_AUTH_OVERLAP) */
	double ended_at;			/* when the last CA ended, 0: none */
	/* an Access-Accept held back (PORT_AUTH_WPA_QUIET) */
	bool held;
	uint8_t held_eap[64];
	size_t held_eap_len;
	uint8_t held_msk[RADIUS_MSK_LEN];
	bool held_have_msk;
	uint8_t held_sid[RADIUS_ATTR_MAX];
	size_t held_sid_len;
	struct loop_timer hold;
};

/* For port p (after port_open): the PAE on its lower device, the client. */
struct port_auth *port_auth_new(struct port *p, const struct mkad_auth_conf *c);
void port_auth_free(struct port_auth *a);
/*
 * The lower device starts (LINK_RUNNING) or stops running: the link
 * watcher's callback (the unit tests call it themselves).
 */
void port_auth_link(struct port_auth *a, enum link_state st);
/* An EAPOL frame that is not an MKPDU. */
void port_auth_rx(struct port_auth *a, const uint8_t *frame, size_t len);

#endif
