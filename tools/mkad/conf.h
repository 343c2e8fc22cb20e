/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: configuration, read from the MACsec network blocks of a
 * wpa_supplicant.conf: one block per connectivity association (CA), so
 * that a port can run several (CAK rollover, two key sources).
 */
#ifndef MKAD_CONF_H
#define MKAD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define MKAD_MAX_CA	4

/* macsec_policy: how the Controlled Port follows the key server. */
enum mkad_policy {
	/*
	 * 0, should secure: MACsec when the key server distributes an SAK;
	 * when it advises no MACsec, the port passes traffic unprotected
	 * (802.1X-2020 12.5, unsecuredAllowed = MKAserver).
	 */
	MKAD_POLICY_SHOULD = 0,
	/* 1, must secure: only MACsec-protected traffic, ever (Never). */
	MKAD_POLICY_MUST = 1,
};

struct mkad_ca_conf {
	uint8_t cak[MKA_MAX_KEY_LEN];
	size_t cak_len;
	uint8_t ckn[MKA_MAX_CKN_LEN];
	size_t ckn_len;
	uint8_t priority;	/* mka_priority, default 255 */
	bool never_ks_255;	/* mka_priority_255=never */
	enum mkad_policy policy;	/* macsec_policy */
	bool integ_only;	/* macsec_integ_only=1 */
	bool replay_protect;
	uint32_t replay_window;
	uint16_t port;		/* macsec_port, default 1 */
	uint64_t cipher_suite;	/* macsec_csindex or macsec_ciphersuite */
	int conf_offset;	/* 0, 30 or 50 octets */
	bool include_sci;	/* macsec_include_sci, default 1 */
	unsigned int rekey_period;	/* seconds, 0 = none */
	uint8_t mka_version;	/* sent; default MKA_VERSION */
	bool wpa_compat;	/* mka_wpa_compat: wpa_supplicant 2.10 workarounds */
	uint8_t offload;	/* macsec_offload: 0 off, 1 PHY, 2 MAC */
	int lineno;		/* of its "network={" */
};

struct mkad_conf {
	struct mkad_ca_conf ca[MKAD_MAX_CA];
	int n_ca;
	int warnings;		/* keys ignored */
};

/*
 * Parses text (NUL-terminated). Returns 0, or -1 with a message in err.
 * Unknown keys of a network block are logged as warnings and counted.
 */
int conf_parse(const char *text, struct mkad_conf *c, char *err, size_t errlen);
/* Reads path with read(2) into memory that is wiped, then parses it. */
int conf_load(const char *path, struct mkad_conf *c, char *err, size_t errlen);
void conf_wipe(struct mkad_conf *c);
/* The CA of c named by ckn, or NULL. */
const struct mkad_ca_conf *conf_find_ca(const struct mkad_conf *c,
					const uint8_t *ckn, size_t ckn_len);

#endif
