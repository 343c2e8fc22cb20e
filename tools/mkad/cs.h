/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the MACsec cipher suites (802.1AE-2018 Table 14-1), one
 * table for the configuration, the KaY and the backends.
 */
#ifndef MKAD_CS_H
#define MKAD_CS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CS_COUNT	4

struct cs_info {
	const char *name;	/* as ip macsec spells it, lower case */
	uint64_t id;
	size_t key_len;
	bool xpn;
};

/* GCM-AES-128, -256, -XPN-128, -XPN-256: the numeric forms 0..3 of
 * macsec_ciphersuite (SONiC's wpa_supplicant) index this table. */
extern const struct cs_info cs_table[CS_COUNT];

/* The entry of an identifier (802.1AE-2006's GCM-AES-128 included). */
const struct cs_info *cs_by_id(uint64_t id);
const struct cs_info *cs_by_name(const char *name);
/* The bit of a suite in a mask (1 << table index), 0 if unknown. */
unsigned int cs_bit(uint64_t id);
const char *cs_name(uint64_t id);
size_t cs_key_len(uint64_t id);
bool cs_is_xpn(uint64_t id);

#endif
