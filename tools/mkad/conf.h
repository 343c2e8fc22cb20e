/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: configuration, read from the MACsec network block of a
 * wpa_supplicant.conf.
 */
#ifndef MKAD_CONF_H
#define MKAD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

struct mkad_conf {
	uint8_t cak[MKA_MAX_KEY_LEN];
	size_t cak_len;
	uint8_t ckn[MKA_MAX_CKN_LEN];
	size_t ckn_len;
	uint8_t priority;	/* mka_priority, default 255 */
	bool secure;		/* macsec_policy=1 */
	bool integ_only;	/* macsec_integ_only=1 */
	bool replay_protect;
	uint32_t replay_window;
	uint16_t port;		/* macsec_port, default 1 */
	uint64_t cipher_suite;	/* from macsec_csindex or macsec_ciphersuite */
	int conf_offset;	/* 0, 30 or 50 */
	unsigned int rekey_period;	/* seconds, 0 = none */
	int warnings;		/* keys ignored */
};

/*
 * Parses text (NUL-terminated). Returns 0, or -1 with a message in err.
 * Unknown keys of the network block are logged as warnings and counted.
 */
int conf_parse(const char *text, struct mkad_conf *c, char *err, size_t errlen);
int conf_load(const char *path, struct mkad_conf *c, char *err, size_t errlen);
void conf_wipe(struct mkad_conf *c);
const char *cs_name(uint64_t cs);
size_t cs_key_len(uint64_t cs);
bool cs_is_xpn(uint64_t cs);

#endif
