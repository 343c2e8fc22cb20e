// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the 802.1X supplicant's configuration (EAP-TLS, a CA from
 * each EAP-Success), read from the MACsec subset of the wpa_supplicant.conf
 * of `wpa_supplicant -Dmacsec_linux`, so that such a file moves over:
 *
 *   ctrl_interface=/var/run/wpa_supplicant
 *   eapol_version=3
 *   ap_scan=0
 *   network={
 *           key_mgmt=IEEE8021X
 *           eap=TLS
 *           identity="host.example.com"
 *           ca_cert="/etc/vsecy/ca.pem"
 *           client_cert="/etc/vsecy/client.pem"
 *           private_key="/etc/vsecy/client.key"
 *           private_key_passwd="secret"
 *           eapol_flags=0
 *           macsec_policy=1
 *   }
 *
 * One network block with key_mgmt=IEEE8021X selects this reader
 * (conf_parse). Strings are quoted ("...", taken verbatim) or, unquoted,
 * hex as wpa_supplicant reads them. Global keys: eapol_version (default
 * 1, wpa_supplicant's); ap_scan is ignored, others with a warning. The
 * block: eap=TLS only; identity, ca_cert, client_cert and private_key are
 * needed; domain_suffix_match and domain_match (the server's name, as
 * wpa_supplicant checks it); fragment_size (default 1000);
 * phase1="tls_disable_tlsv1_3=1";
 * eapol_flags is ignored; the MACsec keys are those of the PSK blocks
 * (conf_ca_key). Extensions: vsecy_held_period, vsecy_start_period.
 * Other keys are wpa_supplicant's, ignored with a warning.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "crypto.h"
#include "eap_tls.h"
#include "log.h"
#include "util.h"

/* A trimmed line's key is key, and its value (trimmed, unquoted) is val. */
static bool line_is(const char *s, const char *e, const char *key, const char *val)
{
	size_t kl = strlen(key), vl = strlen(val);

	if ((size_t)(e - s) < kl || strncmp(s, key, kl))
		return false;
	for (s += kl; s < e && isblank((unsigned char)*s); s++)
		;
	if (s == e || *s++ != '=')
		return false;
	while (s < e && isblank((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (e - s >= 2 && *s == '"' && e[-1] == '"') {
		s++;
		e--;
	}
	return (size_t)(e - s) == vl && !strncmp(s, val, vl);
}

/* Reads text in place: it may hold secrets, and a copy would need wiping. */
bool conf_is_wpa(const char *text)
{
	const char *p = text, *e, *s;
	bool block = false;

	for (; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, '\n');
		for (s = p; s < e && isspace((unsigned char)*s); s++)
			;
		if (!block) {
			block = conf_block_start(s, (size_t)(e - s));
			continue;
		}
		if (s < e && *s == '}')
			block = false;
		else if (line_is(s, e, "key_mgmt", "IEEE8021X"))
			return true;
	}
	return false;
}

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

/*
 * A string value as wpa_supplicant takes it: "quoted" verbatim, or hex.
 * Into out (size octets with the NUL); -1 if neither or too long.
 */
static int str_val(const char *val, char *out, size_t size)
{
	size_t l = strlen(val);
	int n;

	if (l >= 2 && val[0] == '"' && val[l - 1] == '"') {
		if (l - 2 >= size)
			return -1;
		memcpy(out, val + 1, l - 2);
		out[l - 2] = 0;
		return 0;
	}
	n = l ? hex_decode(val, l, (uint8_t *)out, size - 1) : -1;
	if (n < 0 || memchr(out, 0, (size_t)n))
		return -1;
	out[n] = 0;
	return 0;
}

struct wpa_state {
	struct conf_ca_keys k;
	bool have_mgmt, have_eap;
	int block_line, n_blocks;
};

/* A key outside the network block. */
static int global_key(struct mkad_conf *c, const char *key, const char *val, int lineno,
		      char *err, size_t errlen)
{
	unsigned long v;

	if (!strcmp(key, "eapol_version")) {
		if (conf_num(val, 1, 3, &v))
			BAD("line %d: eapol_version must be 1..3", lineno);
		c->supp.eapol_version = (uint8_t)v;
	} else if (strcmp(key, "ap_scan")) {
		log_warn("config line %d: wpa_supplicant key '%s' ignored", lineno, key);
		c->warnings++;
	}
	return 0;
}

/* A string key of the block: its field, or NULL. */
static char *str_field(struct mkad_supp_conf *s, const char *key, size_t *size)
{
	static const struct { const char *key; size_t off, size; } f[] = {
#define F(k) { #k, offsetof(struct mkad_supp_conf, k), sizeof(((struct mkad_supp_conf *)0)->k) }
		F(identity), F(ca_cert), F(client_cert), F(private_key), F(private_key_passwd),
		F(domain_suffix_match), F(domain_match),
#undef F
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!strcmp(key, f[i].key)) {
			*size = f[i].size;
			return (char *)s + f[i].off;
		}
	return NULL;
}

/* One key=value line of the network block. */
static int block_key(struct mkad_conf *c, struct wpa_state *st, const char *key,
		     const char *val, int lineno, char *err, size_t errlen)
{
	struct mkad_supp_conf *s = &c->supp;
	char tmp[MKAD_SUPP_PATH_MAX], *field;
	unsigned long v;
	size_t size;
	int ret;

	field = str_field(s, key, &size);
	if (field) {
		/* private_key_passwd is a secret: never in a message */
		if (str_val(val, field, size))
			BAD("line %d: %s must be a \"quoted\" string or hex, at most %zu octets",
			    lineno, key, size - 1);
		return 0;
	}
	if (!strcmp(key, "key_mgmt")) {
		if (strcmp(val, "IEEE8021X"))
			BAD("line %d: key_mgmt=%s: a file for the 802.1X supplicant has IEEE8021X",
			    lineno, val);
		st->have_mgmt = true;
	} else if (!strcmp(key, "eap")) {
		if (strcmp(val, "TLS"))
			BAD("line %d: eap=%s: only TLS is supported", lineno, val);
		st->have_eap = true;
	} else if (!strcmp(key, "eapol_flags")) {
		if (conf_num(val, 0, 3, &v))
			BAD("line %d: bad eapol_flags", lineno);
	} else if (!strcmp(key, "fragment_size")) {
		if (conf_num(val, EAP_TLS_FRAG_MIN, EAP_TLS_FRAG_MAX, &v))
			BAD("line %d: fragment_size must be %d..%d", lineno, EAP_TLS_FRAG_MIN,
			    EAP_TLS_FRAG_MAX);
		s->fragment_size = (unsigned int)v;
	} else if (!strcmp(key, "phase1")) {
		if (str_val(val, tmp, sizeof(tmp)))
			BAD("line %d: phase1 must be a \"quoted\" string", lineno);
		if (strstr(tmp, "tls_disable_tlsv1_3=1"))
			s->no_tls13 = true;
		if (strstr(tmp, "tls_disable_tlsv1_3=0"))
			s->no_tls13 = false;
	} else if (!strcmp(key, "vsecy_held_period")) {
		if (conf_num(val, 0, 65535, &v))
			BAD("line %d: vsecy_held_period must be 0..65535 seconds", lineno);
		s->held_period = (unsigned int)v;
	} else if (!strcmp(key, "vsecy_start_period")) {
		if (conf_num(val, 1, 65535, &v))
			BAD("line %d: vsecy_start_period must be 1..65535 seconds", lineno);
		s->start_period = (unsigned int)v;
	} else if (!strcmp(key, "mka_cak") || !strcmp(key, "mka_ckn")) {
		BAD("line %d: %s: with key_mgmt=IEEE8021X the CAK comes from EAP", lineno, key);
	} else {
		ret = conf_ca_key(&s->tmpl, &st->k, key, val, lineno, err, errlen);
		if (ret <= 0)
			return ret;
		log_warn("config line %d: wpa_supplicant key '%s' ignored", lineno, key);
		c->warnings++;
	}
	return 0;
}

#undef BAD
#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); goto fail; } while (0)

/* What the block must have. */
static int check(const struct mkad_conf *c, const struct wpa_state *st, char *err,
		 size_t errlen)
{
	const struct mkad_supp_conf *s = &c->supp;
	const char *miss = !st->have_eap ? "eap=TLS" : !*s->identity ? "identity" :
		!*s->ca_cert ? "ca_cert" : !*s->client_cert ? "client_cert" :
		!*s->private_key ? "private_key" : NULL;

	if (!miss)
		return 0;
	snprintf(err, errlen, "the network block at line %d (key_mgmt=IEEE8021X) needs %s",
		 st->block_line, miss);
	return -1;
}

int conf_parse_wpa_supp(const char *text, struct mkad_conf *c, char *err, size_t errlen)
{
	size_t text_len = strlen(text);
	char *copy = strdup(text), *line, *next;
	struct wpa_state st = { 0 };
	bool in_block = false;
	int lineno = 0;

	memset(c, 0, sizeof(*c));
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	c->supp.eapol_version = 1;
	c->supp.held_period = 60;
	c->supp.start_period = 30;
	c->supp.fragment_size = EAP_TLS_FRAG_DEF;
	conf_ca_defaults(&c->supp.tmpl, 0);
	for (line = copy; line; line = next) {
		char *s, *eq;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		s = conf_trim(line);
		if (!*s || *s == '#')
			continue;
		if (!in_block && conf_block_start(s, strlen(s))) {
			if (st.n_blocks++)
				ERR("line %d: one network block only for the 802.1X supplicant",
				    lineno);
			in_block = true;
			st.block_line = lineno;
			c->supp.tmpl.lineno = lineno;
			continue;
		}
		if (in_block && *s == '}') {
			in_block = false;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq)
			ERR("line %d: expected key=value", lineno);
		*eq = 0;
		if (in_block ? block_key(c, &st, conf_trim(s), conf_trim(eq + 1), lineno, err,
					 errlen) :
		    global_key(c, conf_trim(s), conf_trim(eq + 1), lineno, err, errlen))
			goto fail;
	}
	if (in_block)
		ERR("unterminated network block");
	if (check(c, &st, err, errlen))
		goto fail;
	if (st.k.have_cs && st.k.have_csindex)
		log_warn("config: macsec_ciphersuite overrides macsec_csindex");
	c->supp.enabled = true;
	c->supp.tmpl.never_ks = true;
	crypto_wipe(copy, text_len);
	free(copy);
	return 0;
fail:
	crypto_wipe(copy, text_len);
	free(copy);
	conf_wipe(c);
	return -1;
}
