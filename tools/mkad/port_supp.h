/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the 802.1X supplicant of a port (client-oriented mode, the
 * client's end): the Supplicant PAE (pae_supp.h) with EAP-TLS on the
 * lower device, and the CAs its EAP-Successes give: CAK and CKN from the
 * EAP MSK and Session-Id (802.1X-2020 6.2.2, crypto_eap_cak_ckn, the same
 * as the access device's), this port's participant never key server. A
 * re-authentication's new CA takes over from the old, which ends once the
 * new one is secured (or PORT_SUPP_OVERLAP after it started); the session
 * ends at once (participant and SAs) on EAP-Failure, link down (link.h)
 * and shutdown (EAPOL-Logoff).
 */
#ifndef MKAD_PORT_SUPP_H
#define MKAD_PORT_SUPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "crypto.h"
#include "eap_tls.h"
#include "link.h"
#include "loop.h"
#include "pae_supp.h"
#include "port_eap.h"

#define PORT_SUPP_OVERLAP	10.0

struct port;

struct port_supp {
	struct port *port;
	struct pae_supp *pae;
	struct eap_tls *tls;
	struct link_watch *link;		/* the lower device's, or NULL */
	struct port_eap_ca ca;			/* the session's CAs (PORT_SUPP_OVERLAP) */
};

/* For port p (after port_open): the supplicant on its lower device. */
struct port_supp *port_supp_new(struct port *p, const struct mkad_supp_conf *c);
/* Sends EAPOL-Logoff (link up), ends the CAs, frees. NULL: nothing. */
void port_supp_free(struct port_supp *s);
/* The lower device starts (LINK_RUNNING) or stops running (tests call it). */
void port_supp_link(struct port_supp *s, enum link_state st);
/* An EAPOL frame that is not an MKPDU. */
void port_supp_rx(struct port_supp *s, const uint8_t *frame, size_t len);

#endif
