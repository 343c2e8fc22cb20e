/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the EAPOL frames of the Authenticator PAE (802.1X-2020
 * clause 11: EAP-Packet, EAPOL-Start, EAPOL-Logoff) and the EAP packets
 * they carry (RFC 3748 4, 5): building frames (padded to the Ethernet
 * minimum), checking received frames and packets, the EAP type names.
 * No state here: the PAE (pae_auth.c) decides what to send and counts
 * and logs what is dropped, with the reason given here.
 */
#ifndef MKAD_EAPOL_H
#define MKAD_EAPOL_H

#include <stddef.h>
#include <stdint.h>

#include "mkpdu.h"
#include "pae_auth.h"

/* EAPOL packet types (802.1X-2020 Table 11-3) and EAP (RFC 3748 4, 5). */
enum { EAPOL_EAP = 0, EAPOL_START = 1, EAPOL_LOGOFF = 2 };
enum { EAP_REQUEST = 1, EAP_RESPONSE = 2, EAP_SUCCESS = 3, EAP_FAILURE = 4 };
enum { EAP_T_IDENTITY = 1, EAP_T_NOTIFICATION = 2, EAP_T_NAK = 3 };

#define EAP_HDR_LEN	4
#define ETH_MIN_LEN	60
#define PAE_FRAME_MAX	(ETH_HDR_LEN + EAPOL_HDR_LEN + PAE_EAP_MAX)

/*
 * The EAPOL frame (EAP-Packet, version) of an EAP packet (len <=
 * PAE_EAP_MAX) from src to dst into f (PAE_FRAME_MAX octets); its length.
 */
size_t eapol_build(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint8_t version,
		   const uint8_t *eap, size_t len);
/* The frame of an EAP-Success or EAP-Failure with Identifier id (RFC 3748 4.2). */
size_t eapol_build_result(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
			  uint8_t version, uint8_t code, uint8_t id);
/* An EAP-Request/Identity with Identifier id into req; its length. */
size_t eap_build_identity_req(uint8_t *req, uint8_t id);

/*
 * The EAPOL header's checks of a received frame (own: the port's
 * address): the packet type and *body_len, or -1 with *why.
 */
int eapol_check(const uint8_t *f, size_t len, const uint8_t own[6], size_t *body_len,
		const char **why);
/* An EAP packet in an EAPOL body: a Response with a Type; its length, or 0 with *why. */
size_t eap_check_response(const uint8_t *eap, size_t body_len, const char **why);
/* An EAP packet from the server: its length (Length field), 0 if unusable. */
size_t eap_server_len(const uint8_t *eap, size_t len);
/*
 * The identity of a Response/Identity (len from eap_check_response):
 * raw (to a NUL) and printable (octets outside 0x20..0x7e as '?'), both
 * at most PAE_IDENTITY_MAX and NUL-terminated.
 */
void eap_identity(const uint8_t *eap, size_t len, char raw[PAE_IDENTITY_MAX + 1],
		  char printable[PAE_IDENTITY_MAX + 1]);

#endif
