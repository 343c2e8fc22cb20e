// SPDX-License-Identifier: GPL-2.0
/* vsecy-mkad: the SecY backends by name, and the SCI. */
#include <stdio.h>
#include <string.h>

#include "secy.h"

uint64_t secy_make_sci(const uint8_t mac[6], uint16_t port)
{
	uint64_t sci = 0;
	int i;

	for (i = 0; i < 6; i++)
		sci = sci << 8 | mac[i];
	return sci << 16 | port;
}

const struct secy_ops *secy_backend(const char *spec, char *opts, size_t opts_size)
{
	static const struct secy_ops *const all[] = {
		&secy_vsecy_ops, &secy_macsec_ops, &secy_log_ops,
	};
	const char *colon;
	size_t len, i;

	if (!spec)
		spec = "vsecy";
	colon = strchr(spec, ':');
	len = colon ? (size_t)(colon - spec) : strlen(spec);
	snprintf(opts, opts_size, "%s", colon ? colon + 1 : "");
	if (len == 4 && !strncmp(spec, "null", 4))
		return &secy_log_ops;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strlen(all[i]->name) == len && !strncmp(spec, all[i]->name, len))
			return all[i];
	return NULL;
}
