// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the EAPOL frames and EAP packets of the Authenticator PAE
 * (802.1X-2020 clause 11, RFC 3748), built and checked; see eapol.h.
 */
#include <stdio.h>
#include <string.h>

#include "eapol.h"

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

const char *pae_eap_type_name(int type)
{
	static const struct { int type; const char *name; } names[] = {
		{ 0, "none" }, { 1, "Identity" }, { 2, "Notification" }, { 3, "Nak" },
		{ 4, "EAP-MD5" }, { 5, "EAP-OTP" }, { 6, "EAP-GTC" }, { 13, "EAP-TLS" },
		{ 17, "LEAP" }, { 18, "EAP-SIM" }, { 21, "EAP-TTLS" }, { 23, "EAP-AKA" },
		{ 25, "PEAP" }, { 26, "EAP-MSCHAPv2" }, { 43, "EAP-FAST" }, { 47, "EAP-PSK" },
		{ 48, "EAP-SAKE" }, { 49, "EAP-IKEv2" }, { 50, "EAP-AKA'" }, { 51, "EAP-GPSK" },
		{ 52, "EAP-pwd" }, { 55, "TEAP" }, { 254, "expanded EAP type" },
	};
	static char other[24];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == type)
			return names[i].name;
	snprintf(other, sizeof(other), "EAP type %d", type);
	return other;
}

/* Building -------------------------------------------------------------- */

size_t eapol_build(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint8_t version,
		   const uint8_t *eap, size_t len)
{
	size_t n = ETH_HDR_LEN + EAPOL_HDR_LEN + len;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put_be16(f + 12, ETH_P_PAE_);
	f[14] = version;
	f[15] = EAPOL_EAP;
	put_be16(f + 16, (uint16_t)len);
	memcpy(f + ETH_HDR_LEN + EAPOL_HDR_LEN, eap, len);
	if (n < ETH_MIN_LEN) {
		memset(f + n, 0, ETH_MIN_LEN - n);
		n = ETH_MIN_LEN;
	}
	return n;
}

size_t eapol_build_result(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
			  uint8_t version, uint8_t code, uint8_t id)
{
	uint8_t eap[EAP_HDR_LEN] = { code, id, 0, EAP_HDR_LEN };

	return eapol_build(f, dst, src, version, eap, sizeof(eap));
}

size_t eap_build_identity_req(uint8_t *req, uint8_t id)
{
	req[0] = EAP_REQUEST;
	req[1] = id;
	put_be16(req + 2, EAP_HDR_LEN + 1);
	req[4] = EAP_T_IDENTITY;
	return EAP_HDR_LEN + 1;
}

/* Checking -------------------------------------------------------------- */

int eapol_check(const uint8_t *f, size_t len, const uint8_t own[6], size_t *body_len,
		const char **why)
{
	if (len < ETH_HDR_LEN + EAPOL_HDR_LEN) {
		*why = "short frame";
		return -1;
	}
	if (get_be16(f + 12) != ETH_P_PAE_) {
		*why = "not EAPOL";
		return -1;
	}
	if (f[14] == 0) {
		*why = "protocol version 0";
		return -1;
	}
	*body_len = get_be16(f + 16);
	if (*body_len > len - ETH_HDR_LEN - EAPOL_HDR_LEN) {
		*why = "body length beyond the frame";
		return -1;
	}
	if ((f[6] & 1) || !memcmp(f + 6, own, 6)) {
		*why = "source address";
		return -1;
	}
	return f[15];
}

size_t eap_check_response(const uint8_t *eap, size_t body_len, const char **why)
{
	size_t n;

	if (body_len < EAP_HDR_LEN) {
		*why = "EAP packet too short";
		return 0;
	}
	n = get_be16(eap + 2);
	if (n < EAP_HDR_LEN || n > body_len) {
		*why = "EAP length inconsistent with the EAPOL body";
		return 0;
	}
	if (eap[0] != EAP_RESPONSE) {
		*why = "EAP code not Response";
		return 0;
	}
	if (n < EAP_HDR_LEN + 1) {
		*why = "EAP-Response without a Type";
		return 0;
	}
	return n;
}

size_t eap_server_len(const uint8_t *eap, size_t len)
{
	size_t n;

	if (!eap || len < EAP_HDR_LEN)
		return 0;
	n = get_be16(eap + 2);
	if (n < EAP_HDR_LEN || n > len || n > PAE_EAP_MAX)
		return 0;
	if ((eap[0] == EAP_REQUEST || eap[0] == EAP_RESPONSE) && n < EAP_HDR_LEN + 1)
		return 0;
	return n;
}

void eap_identity(const uint8_t *eap, size_t len, char raw[PAE_IDENTITY_MAX + 1],
		  char printable[PAE_IDENTITY_MAX + 1])
{
	size_t n = len - EAP_HDR_LEN - 1, i;
	const uint8_t *d = eap + EAP_HDR_LEN + 1;

	if (n > PAE_IDENTITY_MAX)
		n = PAE_IDENTITY_MAX;
	for (i = 0; i < n && d[i]; i++) {
		raw[i] = (char)d[i];
		printable[i] = d[i] >= 0x20 && d[i] < 0x7f ? (char)d[i] : '?';
	}
	raw[i] = printable[i] = 0;
}
