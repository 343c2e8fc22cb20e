/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the CAs that EAP gives a port, at either end of 802.1X
 * (port_auth.h, port_supp.h): CAK and CKN from the EAP MSK and
 * Session-Id (802.1X-2020 6.2.2, crypto_eap_cak_ckn: MSK[0..15], the two
 * MACs in ascending order, as wpa_supplicant derives them), so that both
 * ends share the CA. The session has one CA; a re-authentication's new
 * one takes over from the old, which ends once the new one is secured or
 * the overlap after it started. Nothing of the MSK or CAK is kept here
 * once the participant has its copy.
 */
#ifndef MKAD_PORT_EAP_H
#define MKAD_PORT_EAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "crypto.h"
#include "loop.h"

struct port;

struct port_eap_ca {
	struct port *port;
	struct mkad_ca_conf tmpl;		/* the CAs' settings, no CAK */
	double overlap;				/* the old CA's longest life after the new */
	const char *what, *peer;		/* for the log: "802.1X", "for supplicant" */
	/* the session's CA, and the one a re-authentication replaces */
	uint8_t ckn[MKA_EAP_KEY_LEN], old_ckn[MKA_EAP_KEY_LEN];
	bool have_ca, have_old;
	double new_at;				/* when the replacing CA started */
	struct loop_timer retire;
};

/*
 * For port p: no CA yet, the CAs' settings from tmpl (the caller may
 * change e->tmpl after). what and peer name the two ends in the log line
 * of a new CA ("<what>: CA of CKN <ckn> <peer> <MAC>"); they are kept.
 */
void port_eap_ca_init(struct port_eap_ca *e, struct port *p, const struct mkad_ca_conf *tmpl,
		      double overlap, const char *what, const char *peer);
/*
 * EAP-Success with these keys, peer_mac the other end's: the CA of their
 * CKN, unless it is the session's already; a CA it replaces ends later
 * (one that was itself replacing ends now). 1 if a new CA started, 0 if
 * not, -1 if the keys give no CAK (not logged: the caller says why).
 */
int port_eap_ca_start(struct port_eap_ca *e, const uint8_t *msk, size_t msk_len,
		      const uint8_t *sid, size_t sid_len, const uint8_t peer_mac[6]);
/* The session ends: its CAs (the old, then the current) end now. true if there were any. */
bool port_eap_ca_end(struct port_eap_ca *e, const char *why);
/* Before e is freed: stops the timer (the CAs are left to the port). */
void port_eap_ca_fini(struct port_eap_ca *e);

#endif
