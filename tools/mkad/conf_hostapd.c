// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the access device's configuration ("client-oriented mode":
 * the port is the 802.1X authenticator, relays EAP to a RADIUS server and
 * is the key server of the CA each authenticated supplicant gives), read
 * from the MACsec subset of the hostapd.conf of hostapd's wired MACsec
 * authenticator, so that such a file moves over unchanged:
 *
 *   interface=eth1
 *   driver=macsec_linux
 *   eapol_version=3
 *   ieee8021x=1
 *   use_pae_group_addr=1
 *   macsec_policy=1
 *   mka_priority=1
 *   auth_server_addr=127.0.0.1
 *   auth_server_port=1812
 *   auth_server_shared_secret=radius
 *
 * ieee8021x=1 at top level (hostapd.conf has no network blocks) selects
 * this reader (conf_parse). Lines are read as hostapd reads them: key=value,
 * the value the rest of the line; text values (the shared secret,
 * nas_identifier) are taken verbatim, spaces and quotes included; numbers
 * are decimal, blanks around them allowed. Names and defaults are
 * hostapd's; the MACsec keys are those of the network blocks (conf_ca_key,
 * the same parser, so one key means the same in both kinds of file:
 * macsec_policy=0 is should secure, 1 must secure). Extensions:
 * vsecy_ignore_logoff_secured, vsecy_quiet_period, vsecy_tx_period, and
 * the network blocks' own (macsec_ciphersuite, mka_rekey_period...).
 * Other keys are hostapd's, ignored with a warning. Only one RADIUS
 * server is used: a second auth_server_addr (hostapd's backup) is
 * checked, logged and otherwise ignored, with the port and secret that
 * follow it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "conf.h"
#include "crypto.h"
#include "log.h"

#define HOSTAPD_RADIUS_PORT	1812

/* An IPv4 or IPv6 literal: its family, or 0. */
static int ip_family(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET, s, &a) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, &a) == 1)
		return AF_INET6;
	return 0;
}

/* Reads text in place: it may hold secrets, and a copy would need wiping. */
bool conf_is_hostapd(const char *text)
{
	const char *p = text, *e, *s, *q;
	bool block = false, yes = false;

	for (; *p; p = *e ? e + 1 : e) {
		char val[24];
		unsigned long v;
		size_t n;

		e = strchrnul(p, '\n');
		for (s = p; s < e && isspace((unsigned char)*s); s++)
			;
		if (block) {
			block = *s != '}';
			continue;
		}
		if (conf_block_start(s, (size_t)(e - s))) {
			block = true;
			continue;
		}
		if (strncmp(s, "ieee8021x", 9))
			continue;
		for (q = s + 9; q < e && (*q == ' ' || *q == '\t'); q++)
			;
		if (q == e || *q != '=')
			continue;
		n = (size_t)(e - ++q);
		if (n >= sizeof(val)) {
			yes = false;
			continue;
		}
		memcpy(val, q, n);
		val[n] = 0;
		yes = !conf_num(val, 1, 1, &v);
	}
	return yes;
}

/* What the lines so far said, beyond c itself. */
struct hostapd_state {
	struct conf_ca_keys k;
	int n_servers, server_line, ieee_line;
};

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/* The RADIUS server: the first auth_server_addr and the keys that follow it. */
static int server_key(struct mkad_auth_conf *a, struct hostapd_state *st, int *warnings,
		      const char *key, char *raw, int lineno, char *err, size_t errlen)
{
	size_t len = strlen(raw);
	unsigned long v;
	char *val;

	if (!strcmp(key, "auth_server_addr")) {
		val = conf_trim(raw);
		if (strlen(val) >= sizeof(a->server) || !ip_family(val))
			BAD("line %d: auth_server_addr must be an IPv4 or IPv6 address", lineno);
		if (st->n_servers++) {
			/* hostapd's backup server: the port and secret below are its own */
			log_warn("config line %d: backup auth_server_addr: only line %d's is used",
				 lineno, st->server_line);
			(*warnings)++;
			return 0;
		}
		strcpy(a->server, val);
		a->server_family = ip_family(val);
		st->server_line = lineno;
		return 0;
	}
	if (!st->n_servers)
		BAD("line %d: %s must follow its auth_server_addr", lineno, key);
	if (!strcmp(key, "auth_server_port")) {
		if (conf_num(raw, 1, 65535, &v))
			BAD("line %d: auth_server_port must be 1..65535", lineno);
		if (st->n_servers == 1)
			a->server_port = (uint16_t)v;
	} else {
		/* auth_server_shared_secret: verbatim, never logged */
		if (!len || len > sizeof(a->secret))
			BAD("line %d: auth_server_shared_secret must be 1..%zu octets", lineno,
			    sizeof(a->secret));
		if (st->n_servers == 1) {
			crypto_wipe(a->secret, sizeof(a->secret));
			memcpy(a->secret, raw, len);
			a->secret_len = len;
		}
	}
	return 0;
}

/* One key=value line; raw is the value as written. */
static int parse_key(struct mkad_conf *c, struct hostapd_state *st, const char *key,
		     char *raw, int lineno, char *err, size_t errlen)
{
	struct mkad_auth_conf *a = &c->auth;
	size_t len = strlen(raw);
	unsigned long v;
	char *val;
	int ret;

	if (!strcmp(key, "ieee8021x")) {
		if (conf_num(raw, 0, 1, &v))
			BAD("line %d: ieee8021x must be 0 or 1", lineno);
		a->enabled = v;
		st->ieee_line = lineno;
	} else if (!strcmp(key, "eapol_version")) {
		if (conf_num(raw, 1, 3, &v))
			BAD("line %d: eapol_version must be 1..3", lineno);
		a->eapol_version = (uint8_t)v;
	} else if (!strcmp(key, "use_pae_group_addr")) {
		if (conf_num(raw, 0, 1, &v))
			BAD("line %d: use_pae_group_addr must be 0 or 1", lineno);
		a->use_pae_group_addr = v;
	} else if (!strncmp(key, "auth_server_", 12) &&
		   (!strcmp(key + 12, "addr") || !strcmp(key + 12, "port") ||
		    !strcmp(key + 12, "shared_secret"))) {
		return server_key(a, st, &c->warnings, key, raw, lineno, err, errlen);
	} else if (!strcmp(key, "eap_reauth_period")) {
		if (conf_num(raw, 0, 86400 * 365, &v))
			BAD("line %d: eap_reauth_period must be 0 (never) to %d seconds", lineno,
			    86400 * 365);
		a->reauth_period = (unsigned int)v;
	} else if (!strcmp(key, "nas_identifier")) {
		if (len > MKAD_AUTH_NAS_ID_MAX)
			BAD("line %d: nas_identifier must be at most %d characters", lineno,
			    MKAD_AUTH_NAS_ID_MAX);
		memcpy(a->nas_id, raw, len + 1);
	} else if (!strcmp(key, "own_ip_addr")) {
		val = conf_trim(raw);
		if (strlen(val) >= sizeof(a->nas_ip) || !ip_family(val))
			BAD("line %d: own_ip_addr must be an IPv4 or IPv6 address", lineno);
		strcpy(a->nas_ip, val);
	} else if (!strcmp(key, "eap_server")) {
		if (conf_num(raw, 0, 1, &v))
			BAD("line %d: eap_server must be 0 or 1", lineno);
		if (v)
			BAD("line %d: eap_server=1: no EAP server here, EAP goes to RADIUS",
			    lineno);
	} else if (!strcmp(key, "vsecy_ignore_logoff_secured")) {
		if (conf_num(raw, 0, 1, &v))
			BAD("line %d: vsecy_ignore_logoff_secured must be 0 or 1", lineno);
		a->ignore_logoff_secured = v;
	} else if (!strcmp(key, "vsecy_quiet_period")) {
		if (conf_num(raw, 0, 65535, &v))
			BAD("line %d: vsecy_quiet_period must be 0..65535 seconds", lineno);
		a->quiet_period = (unsigned int)v;
	} else if (!strcmp(key, "vsecy_tx_period")) {
		if (conf_num(raw, 1, 65535, &v))
			BAD("line %d: vsecy_tx_period must be 1..65535 seconds", lineno);
		a->tx_period = (unsigned int)v;
	} else if (!strcmp(key, "mka_cak") || !strcmp(key, "mka_ckn")) {
		BAD("line %d: %s: with ieee8021x=1 the CAK comes from EAP", lineno, key);
	} else {
		ret = conf_ca_key(&a->tmpl, &st->k, key, conf_trim(raw), lineno, err, errlen);
		if (ret <= 0)
			return ret;
		log_warn("config line %d: hostapd key '%s' ignored", lineno, key);
		c->warnings++;
	}
	return 0;
}

#undef BAD
#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); goto fail; } while (0)

int conf_parse_hostapd(const char *text, struct mkad_conf *c, char *err, size_t errlen)
{
	size_t text_len = strlen(text);
	char *copy = strdup(text), *line, *next;
	struct mkad_auth_conf *a = &c->auth;
	struct hostapd_state st = { 0 };
	int lineno = 0;

	memset(c, 0, sizeof(*c));
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->eapol_version = 2;
	a->server_port = HOSTAPD_RADIUS_PORT;
	a->reauth_period = 3600;
	a->quiet_period = 60;
	a->tx_period = 30;
	conf_ca_defaults(&a->tmpl, 0);
	for (line = copy; line; line = next) {
		char *s = line, *eq;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		if (conf_block_start(s, strlen(s)))
			ERR("line %d: a hostapd-style file (ieee8021x=1) has no network blocks",
			    lineno);
		eq = strchr(s, '=');
		if (!eq)
			ERR("line %d: expected key=value", lineno);
		*eq = 0;
		/* the value verbatim: hostapd takes text to the end of the line */
		if (parse_key(c, &st, conf_trim(s), eq + 1, lineno, err, errlen))
			goto fail;
	}
	if (!a->enabled)
		ERR("no ieee8021x=1: not a hostapd-style file for the access device");
	if (!st.n_servers)
		ERR("a hostapd-style file (ieee8021x=1) needs auth_server_addr, the RADIUS server");
	if (!a->secret_len)
		ERR("a hostapd-style file (ieee8021x=1) needs auth_server_shared_secret (line %d)",
		    st.server_line);
	if (st.k.have_cs && st.k.have_csindex)
		log_warn("config: macsec_ciphersuite overrides macsec_csindex");
	a->tmpl.obliged_ks = true;
	a->tmpl.lineno = st.ieee_line;
	crypto_wipe(copy, text_len);
	free(copy);
	return 0;
fail:
	crypto_wipe(copy, text_len);
	free(copy);
	conf_wipe(c);
	return -1;
}
