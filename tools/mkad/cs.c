// SPDX-License-Identifier: GPL-2.0
/* vsecy-mkad: the cipher suite table (802.1AE-2018 Table 14-1). */
#include <strings.h>

#include "cs.h"
#include "util.h"
#include "../../include/uapi/linux/vsecy.h"

const struct cs_info cs_table[CS_COUNT] = {
	{ "gcm-aes-128", VSECY_CS_GCM_AES_128, 16, false },
	{ "gcm-aes-256", VSECY_CS_GCM_AES_256, 32, false },
	{ "gcm-aes-xpn-128", VSECY_CS_GCM_AES_XPN_128, 16, true },
	{ "gcm-aes-xpn-256", VSECY_CS_GCM_AES_XPN_256, 32, true },
};

const struct cs_info *cs_by_id(uint64_t id)
{
	size_t i;

	if (id == VSECY_CS_GCM_AES_128_LEGACY)
		id = VSECY_CS_GCM_AES_128;
	for (i = 0; i < ARRAY_SIZE(cs_table); i++)
		if (cs_table[i].id == id)
			return &cs_table[i];
	return NULL;
}

const struct cs_info *cs_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cs_table); i++)
		if (!strcasecmp(cs_table[i].name, name))
			return &cs_table[i];
	return NULL;
}

unsigned int cs_bit(uint64_t id)
{
	const struct cs_info *c = cs_by_id(id);

	return c ? 1u << (c - cs_table) : 0;
}

const char *cs_name(uint64_t id)
{
	const struct cs_info *c = cs_by_id(id);

	return c ? c->name : "unknown";
}

size_t cs_key_len(uint64_t id)
{
	const struct cs_info *c = cs_by_id(id);

	return c ? c->key_len : 0;
}

bool cs_is_xpn(uint64_t id)
{
	const struct cs_info *c = cs_by_id(id);

	return c && c->xpn;
}
