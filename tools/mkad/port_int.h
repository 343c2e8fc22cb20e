/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: what port.c, port_pae.c and port_qkd.c share of a port's
 * inside (not for the port's users: port.h is).
 */
#ifndef MKAD_PORT_INT_H
#define MKAD_PORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "port.h"

/* A CKN as log text (hex; a QKD key ID, never a key); one static buffer. */
const char *port_ckn_txt(const uint8_t *ckn, size_t len);
/* A slot for a CA the port did not have: an empty one, or a new one. */
struct port_ca *port_free_slot(struct port *p);
/* ca is a QKD CA (our key or a looked-up key ID). */
bool port_is_qkd(const struct port *p, const struct port_ca *ca);
/* A QKD CA runs on the port, or is being asked for. */
bool port_qkd_in_use(const struct port *p);
/* The principal is no longer: the CP waits, its peers' RX SCs go. */
void port_principal_step_down(struct port *p, const char *why);
/* Empties a slot: its participant goes, its request is forgotten. */
void port_drop_ca(struct port *p, struct port_ca *ca, const char *why);
/* Asks ca's key source (the port's by default) for its CAK. */
void port_ask_cak(struct port *p, struct port_ca *ca);

/*
 * port_pae.c: the EAPOL socket on lower (p->ifindex), in the loop; 0, or
 * not: the port cannot open (the socket's failures are logged).
 */
int port_pae_open(struct port *p, const char *lower);

/* port_qkd.c */
void port_qkd_initiate(struct port *p);
void port_qkd_track_peers(struct port *p);
void port_lookup_ckn(struct port *p, const struct mka_basic *b, const uint8_t *frame,
		     size_t len, double now);

#endif
