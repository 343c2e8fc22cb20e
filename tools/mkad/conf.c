// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: reads a wpa_supplicant.conf as wpa_supplicant does for a
 * wired MACsec PSK network, so that existing files work unchanged:
 *
 *   network={
 *           key_mgmt=NONE
 *           eapol_flags=0
 *           macsec_policy=1
 *           mka_cak=0123456789abcdef0123456789abcdef
 *           mka_ckn=6162636465666768
 *           mka_priority=128
 *   }
 *
 * Keys and semantics follow wpa_supplicant 2.10 (wpa_supplicant.conf(5)):
 * macsec_policy=1 secures, macsec_integ_only=1 protects without
 * encryption, macsec_csindex 0/1 picks GCM-AES-128/256. Extensions:
 * macsec_ciphersuite=NAME, macsec_conf_offset=0|30|50,
 * mka_rekey_period=SECONDS. Global settings (ctrl_interface, ap_scan,
 * eapol_version...) belong to wpa_supplicant and are ignored.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "log.h"
#include "../../include/uapi/linux/vsecy.h"

static const struct {
	const char *name;
	uint64_t id;
	size_t key_len;
	bool xpn;
} suites[] = {
	{ "gcm-aes-128", VSECY_CS_GCM_AES_128, 16, false },
	{ "gcm-aes-256", VSECY_CS_GCM_AES_256, 32, false },
	{ "gcm-aes-xpn-128", VSECY_CS_GCM_AES_XPN_128, 16, true },
	{ "gcm-aes-xpn-256", VSECY_CS_GCM_AES_XPN_256, 32, true },
	{ "gcm-aes-128", VSECY_CS_GCM_AES_128_LEGACY, 16, false },
};

const char *cs_name(uint64_t cs)
{
	size_t i;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (suites[i].id == cs)
			return suites[i].name;
	return "unknown";
}

size_t cs_key_len(uint64_t cs)
{
	size_t i;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		if (suites[i].id == cs)
			return suites[i].key_len;
	return 0;
}

bool cs_is_xpn(uint64_t cs)
{
	return cs == VSECY_CS_GCM_AES_XPN_128 || cs == VSECY_CS_GCM_AES_XPN_256;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

static int parse_hex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(s), i;

	if (!n || n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno || *end || *v > max)
		return -1;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); goto fail; } while (0)

int conf_parse(const char *text, struct mkad_conf *c, char *err, size_t errlen)
{
	char *copy = strdup(text), *line, *save = NULL;
	int lineno = 0, in_net = 0, nets = 0, have_mgmt = 0;
	bool have_cs = false, have_csindex = false;
	unsigned long v;

	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(c, 0, sizeof(*c));
	c->priority = 255;
	c->port = 1;
	c->cipher_suite = VSECY_CS_GCM_AES_128;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *s = trim(line), *key, *val, *eq;

		lineno++;
		if (!*s || *s == '#')
			continue;
		if (!in_net) {
			if (!strncmp(s, "network", 7) && strchr(s, '{')) {
				if (nets++)
					ERR("line %d: only one network block is supported", lineno);
				in_net = 1;
			}
			continue;	/* wpa_supplicant's global settings */
		}
		if (*s == '}') {
			in_net = 0;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq)
			ERR("line %d: expected key=value", lineno);
		*eq = 0;
		key = trim(s);
		val = trim(eq + 1);
		if (*val == '"') {
			size_t l = strlen(val);

			if (l < 2 || val[l - 1] != '"')
				ERR("line %d: unterminated string", lineno);
			val[l - 1] = 0;
			val++;
		}

		if (!strcmp(key, "key_mgmt")) {
			if (strcmp(val, "NONE"))
				ERR("line %d: key_mgmt=%s: only NONE (MKA with a pre-shared CAK) is supported",
				    lineno, val);
			have_mgmt = 1;
		} else if (!strcmp(key, "eapol_flags")) {
			if (parse_uint(val, 3, &v))
				ERR("line %d: bad eapol_flags", lineno);
		} else if (!strcmp(key, "macsec_policy")) {
			if (parse_uint(val, 1, &v))
				ERR("line %d: macsec_policy must be 0 or 1", lineno);
			c->secure = v;
		} else if (!strcmp(key, "macsec_integ_only")) {
			if (parse_uint(val, 1, &v))
				ERR("line %d: macsec_integ_only must be 0 or 1", lineno);
			c->integ_only = v;
		} else if (!strcmp(key, "macsec_replay_protect")) {
			if (parse_uint(val, 1, &v))
				ERR("line %d: macsec_replay_protect must be 0 or 1", lineno);
			c->replay_protect = v;
		} else if (!strcmp(key, "macsec_replay_window")) {
			if (parse_uint(val, UINT32_MAX, &v))
				ERR("line %d: bad macsec_replay_window", lineno);
			c->replay_window = (uint32_t)v;
		} else if (!strcmp(key, "macsec_port")) {
			if (parse_uint(val, 65534, &v) || !v)
				ERR("line %d: macsec_port must be 1..65534", lineno);
			c->port = (uint16_t)v;
		} else if (!strcmp(key, "mka_cak")) {
			if (parse_hex(val, c->cak, sizeof(c->cak), &c->cak_len) ||
			    (c->cak_len != 16 && c->cak_len != 32))
				ERR("line %d: mka_cak must be 32 or 64 hex digits", lineno);
		} else if (!strcmp(key, "mka_ckn")) {
			if (parse_hex(val, c->ckn, sizeof(c->ckn), &c->ckn_len))
				ERR("line %d: mka_ckn must be 2..64 hex digits", lineno);
		} else if (!strcmp(key, "mka_priority")) {
			if (parse_uint(val, 255, &v))
				ERR("line %d: mka_priority must be 0..255", lineno);
			c->priority = (uint8_t)v;
		} else if (!strcmp(key, "macsec_csindex")) {
			if (parse_uint(val, 1, &v))
				ERR("line %d: macsec_csindex must be 0 or 1", lineno);
			if (!have_cs)
				c->cipher_suite = v ? VSECY_CS_GCM_AES_256 : VSECY_CS_GCM_AES_128;
			have_csindex = true;
		} else if (!strcmp(key, "macsec_ciphersuite")) {
			size_t i;

			for (i = 0; i < 4; i++)
				if (!strcasecmp(val, suites[i].name))
					break;
			if (i == 4)
				ERR("line %d: unknown macsec_ciphersuite %s", lineno, val);
			c->cipher_suite = suites[i].id;
			have_cs = true;
		} else if (!strcmp(key, "macsec_conf_offset")) {
			if (parse_uint(val, 50, &v) || (v != 0 && v != 30 && v != 50))
				ERR("line %d: macsec_conf_offset must be 0, 30 or 50", lineno);
			c->conf_offset = (int)v;
		} else if (!strcmp(key, "mka_rekey_period")) {
			if (parse_uint(val, 86400 * 365, &v))
				ERR("line %d: bad mka_rekey_period", lineno);
			c->rekey_period = (unsigned int)v;
		} else {
			log_warn("config line %d: %s is not used by vsecy-mkad, ignored",
				 lineno, key);
			c->warnings++;
		}
	}
	if (in_net)
		ERR("unterminated network block");
	if (!nets)
		ERR("no network block");
	if (!have_mgmt)
		ERR("the network block needs key_mgmt=NONE");
	if (!c->cak_len || !c->ckn_len)
		ERR("the network block needs mka_cak and mka_ckn");
	if (have_cs && have_csindex)
		log_warn("config: macsec_ciphersuite overrides macsec_csindex");
	crypto_wipe(copy, strlen(text));
	free(copy);
	return 0;
fail:
	crypto_wipe(copy, strlen(text));
	free(copy);
	crypto_wipe(c->cak, sizeof(c->cak));
	return -1;
}

int conf_load(const char *path, struct mkad_conf *c, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	struct stat st;
	char *buf;
	size_t n;
	int ret;

	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) || st.st_size > 1 << 20) {
		fclose(fp);
		snprintf(err, errlen, "%s: unreadable or too large", path);
		return -1;
	}
	buf = calloc(1, (size_t)st.st_size + 1);
	if (!buf) {
		fclose(fp);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	n = fread(buf, 1, (size_t)st.st_size, fp);
	fclose(fp);
	buf[n] = 0;
	ret = conf_parse(buf, c, err, errlen);
	crypto_wipe(buf, n);
	free(buf);
	return ret;
}

void conf_wipe(struct mkad_conf *c)
{
	crypto_wipe(c, sizeof(*c));
}
