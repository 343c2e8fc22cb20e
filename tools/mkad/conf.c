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
 * Keys follow wpa_supplicant 2.10 (wpa_supplicant.conf(5)):
 * macsec_integ_only=1 protects without encryption, macsec_csindex 0/1
 * picks GCM-AES-128/256; macsec_policy is 0 (should secure) or 1 (must
 * secure), see conf.h. Extensions: macsec_ciphersuite=NAME|0..3,
 * macsec_conf_offset=0|30|50 (octets) or 1|2|3, macsec_include_sci=0|1
 * (the numeric forms are those of SONiC's wpa_supplicant),
 * mka_rekey_period=SECONDS, mka_version=1..3,
 * mka_priority_255=candidate|never, mka_wpa_compat=0|1. Each network
 * block is one CA. Global settings (ctrl_interface, ap_scan,
 * eapol_version...) belong to wpa_supplicant and are ignored. A file
 * whose last top-level ieee8021x is 1 is a hostapd.conf instead, for the
 * access device (conf_hostapd.c), whose MACsec keys are read here too
 * (conf_ca_key).
 */
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conf.h"
#include "cs.h"
#include "log.h"
#include "mkpdu.h"
#include "util.h"
#include "../../include/uapi/linux/vsecy.h"

static int parse_hex(const char *s, uint8_t *out, size_t max, size_t *len)
{
	int n = *s ? hex_decode(s, strlen(s), out, max) : -1;

	if (n < 0)
		return -1;
	*len = (size_t)n;
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

int conf_num(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	while (isspace((unsigned char)*end))
		end++;
	if (errno || *end || *v < min || *v > max)
		return -1;
	return 0;
}

bool conf_block_start(const char *s, size_t n)
{
	return n >= 7 && !strncmp(s, "network", 7) && memchr(s, '{', n);
}

char *conf_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

void conf_ca_defaults(struct mkad_ca_conf *ca, int lineno)
{
	memset(ca, 0, sizeof(*ca));
	ca->priority = 255;
	ca->port = 1;
	ca->cipher_suite = VSECY_CS_GCM_AES_128;
	ca->include_sci = true;
	ca->mka_version = MKA_VERSION;
	ca->wpa_compat = true;
	ca->lineno = lineno;
}

struct block_state {
	bool have_mgmt, have_qkd;
	struct conf_ca_keys k;
	struct mkad_qkd_conf q;
};

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

static int copy_str(char *dst, size_t size, const char *val)
{
	if (!*val || strlen(val) >= size)
		return -1;
	memcpy(dst, val, strlen(val) + 1);
	return 0;
}

/* The index of val in names (NULL entries match nothing), or -1. */
static int name_index(const char *val, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(val, names[i]))
			return (int)i;
	return -1;
}

/* The qkd_* keys: the key provider of the block (conf.h, keysrc_qkd.h). */
static int parse_qkd_key(struct mkad_qkd_conf *q, const char *key, const char *val,
			 int lineno, char *err, size_t errlen)
{
	static const struct { const char *key; size_t off, size; } paths[] = {
#define P(k, f) { k, offsetof(struct mkad_qkd_conf, f), sizeof(((struct mkad_qkd_conf *)0)->f) }
		P("qkd_url", url), P("qkd_remote_id", remote_id), P("qkd_ca_cert", ca_cert),
		P("qkd_client_cert", client_cert), P("qkd_private_key", private_key),
		P("qkd_psk_identity", psk_identity), P("qkd_psk_file", psk_file),
#undef P
	};
	static const char *const modes[] = { [MKAD_QKD_HYBRID] = "hybrid",
					     [MKAD_QKD_ONLY] = "qkd-only" };
	static const char *const apis[] = { "skip", "etsi014" };
	static const char *const roles[] = { [MKAD_QKD_AUTO] = "auto",
					     [MKAD_QKD_INITIATOR] = "initiator",
					     [MKAD_QKD_RESPONDER] = "responder" };
	unsigned long v;
	size_t i;
	int k;

	for (i = 0; i < ARRAY_SIZE(paths); i++)
		if (!strcmp(key, paths[i].key)) {
			if (copy_str((char *)q + paths[i].off, paths[i].size, val))
				BAD("line %d: %s must be 1..%zu characters", lineno, key,
				    paths[i].size - 1);
			return 0;
		}
	if (!strcmp(key, "qkd_mode")) {
		k = name_index(val, modes, ARRAY_SIZE(modes));
		if (k < 0)
			BAD("line %d: qkd_mode must be hybrid or qkd-only", lineno);
		q->mode = (enum mkad_qkd_mode)k;
	} else if (!strcmp(key, "qkd_api")) {
		k = name_index(val, apis, ARRAY_SIZE(apis));
		if (k < 0)
			BAD("line %d: qkd_api must be skip or etsi014", lineno);
		q->api = k;
	} else if (!strcmp(key, "qkd_role")) {
		k = name_index(val, roles, ARRAY_SIZE(roles));
		if (k < 0)
			BAD("line %d: qkd_role must be auto, initiator or responder", lineno);
		q->role = (enum mkad_qkd_role)k;
	} else if (!strcmp(key, "qkd_key_bits")) {
		if (parse_uint(val, 256, &v) || (v != 128 && v != 256))
			BAD("line %d: qkd_key_bits must be 128 or 256", lineno);
		q->key_bits = (unsigned int)v;
	} else if (!strcmp(key, "qkd_timeout")) {
		if (parse_uint(val, 60, &v) || !v)
			BAD("line %d: qkd_timeout must be 1..60 seconds", lineno);
		q->timeout = (unsigned int)v;
	} else if (!strcmp(key, "qkd_cak_lifetime")) {
		if (parse_uint(val, 86400 * 365, &v) || (v && v < 10))
			BAD("line %d: qkd_cak_lifetime must be 0 (never) or at least 10 seconds",
			    lineno);
		q->cak_lifetime = (unsigned int)v;
	} else if (!strcmp(key, "qkd_max_cak_age")) {
		if (parse_uint(val, 86400 * 365, &v))
			BAD("line %d: bad qkd_max_cak_age", lineno);
		q->max_cak_age = (unsigned int)v;
	} else if (!strcmp(key, "qkd_retry_max")) {
		if (parse_uint(val, 3600, &v) || !v)
			BAD("line %d: qkd_retry_max must be 1..3600 seconds", lineno);
		q->retry_max = (unsigned int)v;
	} else {
		BAD("line %d: unknown key %s", lineno, key);
	}
	return 0;
}

/* A block with qkd_* keys: complete, and one way to authenticate. */
static int check_qkd(const struct mkad_ca_conf *ca, const struct mkad_qkd_conf *q,
		     char *err, size_t errlen)
{
	bool psk = q->psk_identity[0] || q->psk_file[0];

	if (!q->url[0] || !q->remote_id[0])
		BAD("the network block at line %d needs qkd_url and qkd_remote_id", ca->lineno);
	if (strncmp(q->url, "https://", 8))
		BAD("line %d: qkd_url must be https://HOST[:PORT][/PATH]", ca->lineno);
	if (psk && (!q->psk_identity[0] || !q->psk_file[0]))
		BAD("the network block at line %d: qkd_psk_identity and qkd_psk_file go together",
		    ca->lineno);
	if (!psk && !q->ca_cert[0])
		BAD("the network block at line %d: the key provider needs qkd_ca_cert or a TLS PSK (qkd_psk_identity, qkd_psk_file)",
		    ca->lineno);
	if (!q->client_cert[0] != !q->private_key[0])
		BAD("the network block at line %d: qkd_client_cert and qkd_private_key go together",
		    ca->lineno);
	if (q->api == 1 && (!q->client_cert[0] || !q->ca_cert[0]))
		BAD("the network block at line %d: ETSI GS QKD 014 authenticates by certificates: qkd_ca_cert, qkd_client_cert, qkd_private_key",
		    ca->lineno);
	if (q->max_cak_age && q->cak_lifetime && q->max_cak_age <= q->cak_lifetime)
		BAD("the network block at line %d: qkd_max_cak_age must be longer than qkd_cak_lifetime (or 0)",
		    ca->lineno);
	if (q->mode == MKAD_QKD_ONLY && (ca->cak_len || ca->ckn_len))
		BAD("the network block at line %d: qkd_mode=qkd-only takes its CAK and CKN from the key provider; remove mka_cak and mka_ckn",
		    ca->lineno);
	return 0;
}

/* The MACsec settings of a CA: network blocks and hostapd.conf (conf.h). */
int conf_ca_key(struct mkad_ca_conf *ca, struct conf_ca_keys *k, const char *key,
		const char *val, int lineno, char *err, size_t errlen)
{
	const struct cs_info *cs;
	unsigned long v;

	if (!strcmp(key, "macsec_policy")) {
		if (parse_uint(val, 1, &v))
			BAD("line %d: macsec_policy must be 0 (should secure) or 1 (must secure)",
			    lineno);
		ca->policy = v ? MKAD_POLICY_MUST : MKAD_POLICY_SHOULD;
	} else if (!strcmp(key, "macsec_integ_only")) {
		if (parse_uint(val, 1, &v))
			BAD("line %d: macsec_integ_only must be 0 or 1", lineno);
		ca->integ_only = v;
	} else if (!strcmp(key, "macsec_replay_protect")) {
		if (parse_uint(val, 1, &v))
			BAD("line %d: macsec_replay_protect must be 0 or 1", lineno);
		ca->replay_protect = v;
	} else if (!strcmp(key, "macsec_replay_window")) {
		if (parse_uint(val, UINT32_MAX, &v))
			BAD("line %d: bad macsec_replay_window", lineno);
		ca->replay_window = (uint32_t)v;
	} else if (!strcmp(key, "macsec_port")) {
		if (parse_uint(val, 65534, &v) || !v)
			BAD("line %d: macsec_port must be 1..65534", lineno);
		ca->port = (uint16_t)v;
	} else if (!strcmp(key, "mka_priority")) {
		if (parse_uint(val, 255, &v))
			BAD("line %d: mka_priority must be 0..255", lineno);
		ca->priority = (uint8_t)v;
	} else if (!strcmp(key, "mka_priority_255")) {
		if (strcmp(val, "candidate") && strcmp(val, "never"))
			BAD("line %d: mka_priority_255 must be candidate or never", lineno);
		ca->never_ks_255 = !strcmp(val, "never");
	} else if (!strcmp(key, "macsec_csindex")) {
		if (parse_uint(val, 1, &v))
			BAD("line %d: macsec_csindex must be 0 or 1", lineno);
		if (!k->have_cs)
			ca->cipher_suite = cs_table[v].id;
		k->have_csindex = true;
	} else if (!strcmp(key, "macsec_ciphersuite")) {
		/* a name, or SONiC's 0..3 (GCM-AES-128, -256, -XPN-128, -XPN-256) */
		cs = cs_by_name(val);
		if (!cs && !parse_uint(val, CS_COUNT - 1, &v))
			cs = &cs_table[v];
		if (!cs)
			BAD("line %d: unknown macsec_ciphersuite %s", lineno, val);
		ca->cipher_suite = cs->id;
		k->have_cs = true;
	} else if (!strcmp(key, "macsec_conf_offset")) {
		/*
		 * Octets 0, 30, 50; or SONiC's 1, 2, 3 for offset 0, 30, 50
		 * (its 0, "no confidentiality", is macsec_integ_only=1 here:
		 * 0 is offset 0, as it always was).
		 */
		if (parse_uint(val, 50, &v) || (v > 3 && v != 30 && v != 50))
			BAD("line %d: macsec_conf_offset must be 0, 30 or 50 (or 1, 2, 3)",
			    lineno);
		ca->conf_offset = v == 2 ? 30 : v == 3 ? 50 : v == 1 ? 0 : (int)v;
	} else if (!strcmp(key, "macsec_include_sci")) {
		if (parse_uint(val, 1, &v))
			BAD("line %d: macsec_include_sci must be 0 or 1", lineno);
		ca->include_sci = v;
	} else if (!strcmp(key, "mka_rekey_period")) {
		if (parse_uint(val, 86400 * 365, &v))
			BAD("line %d: bad mka_rekey_period", lineno);
		ca->rekey_period = (unsigned int)v;
	} else if (!strcmp(key, "mka_version")) {
		if (parse_uint(val, MKA_VERSION, &v) || !v)
			BAD("line %d: mka_version must be 1..%d", lineno, MKA_VERSION);
		ca->mka_version = (uint8_t)v;
	} else if (!strcmp(key, "macsec_offload")) {
		/* wpa_supplicant's values: 0 off, 1 PHY, 2 MAC (IFLA_MACSEC_OFFLOAD) */
		if (parse_uint(val, 2, &v))
			BAD("line %d: macsec_offload must be 0 (off), 1 (PHY) or 2 (MAC)", lineno);
		ca->offload = (uint8_t)v;
	} else if (!strcmp(key, "mka_wpa_compat")) {
		if (parse_uint(val, 1, &v))
			BAD("line %d: mka_wpa_compat must be 0 or 1", lineno);
		ca->wpa_compat = v;
	} else {
		return 1;
	}
	return 0;
}

/* One key=value line of a network block. */
static int parse_key(struct mkad_ca_conf *ca, struct block_state *st, const char *key,
		     const char *val, int lineno, int *warnings, char *err, size_t errlen)
{
	unsigned long v;
	int ret;

	if (!strcmp(key, "key_mgmt")) {
		if (strcmp(val, "NONE"))
			BAD("line %d: key_mgmt=%s: only NONE (MKA with a pre-shared CAK) is supported",
			    lineno, val);
		st->have_mgmt = true;
	} else if (!strcmp(key, "eapol_flags")) {
		if (parse_uint(val, 3, &v))
			BAD("line %d: bad eapol_flags", lineno);
	} else if (!strcmp(key, "mka_cak")) {
		if (parse_hex(val, ca->cak, sizeof(ca->cak), &ca->cak_len) ||
		    (ca->cak_len != 16 && ca->cak_len != 32))
			BAD("line %d: mka_cak must be 32 or 64 hex digits", lineno);
	} else if (!strcmp(key, "mka_ckn")) {
		if (parse_hex(val, ca->ckn, sizeof(ca->ckn), &ca->ckn_len))
			BAD("line %d: mka_ckn must be 2..64 hex digits", lineno);
	} else if (!strncmp(key, "qkd_", 4)) {
		st->have_qkd = true;
		return parse_qkd_key(&st->q, key, val, lineno, err, errlen);
	} else {
		ret = conf_ca_key(ca, &st->k, key, val, lineno, err, errlen);
		if (ret <= 0)
			return ret;
		log_warn("config line %d: %s is not used by vsecy-mkad, ignored", lineno, key);
		(*warnings)++;
	}
	return 0;
}

/* A finished block: what it must have, and names not used twice. */
static int check_block(const struct mkad_conf *c, const struct mkad_ca_conf *ca,
		       const struct block_state *st, char *err, size_t errlen)
{
	int i;

	if (!st->have_mgmt)
		BAD("the network block at line %d needs key_mgmt=NONE", ca->lineno);
	if (st->have_qkd) {
		if (c->qkd.mode != MKAD_QKD_OFF)
			BAD("the network blocks at lines %d and %d both have a key provider (qkd_*)",
			    c->qkd.tmpl.lineno, ca->lineno);
		if (check_qkd(ca, &st->q, err, errlen))
			return -1;
		if (st->q.mode == MKAD_QKD_ONLY)
			return 0;
	}
	if (!ca->cak_len || !ca->ckn_len)
		BAD("the network block at line %d needs mka_cak and mka_ckn%s", ca->lineno,
		    st->have_qkd ? " (qkd_mode=hybrid mixes mka_cak into the provider's keys)" : "");
	for (i = 0; i < c->n_ca; i++)
		if (&c->ca[i] != ca && c->ca[i].ckn_len == ca->ckn_len &&
		    !memcmp(c->ca[i].ckn, ca->ckn, ca->ckn_len))
			BAD("the network blocks at lines %d and %d have the same mka_ckn",
			    c->ca[i].lineno, ca->lineno);
	if (st->k.have_cs && st->k.have_csindex)
		log_warn("config: macsec_ciphersuite overrides macsec_csindex");
	return 0;
}

#undef BAD
#define ERR(...) do { snprintf(err, errlen, __VA_ARGS__); goto fail; } while (0)

/* A wpa_supplicant.conf: its network blocks. */
static int conf_parse_wpa(const char *text, struct mkad_conf *c, char *err, size_t errlen)
{
	size_t text_len = strlen(text);
	char *copy = strdup(text), *line, *save = NULL;
	struct mkad_ca_conf *ca = NULL;
	struct block_state st;
	int lineno = 0;

	memset(c, 0, sizeof(*c));
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *s = conf_trim(line), *key, *val, *eq;

		lineno++;
		if (!*s || *s == '#')
			continue;
		if (!ca) {
			if (conf_block_start(s, strlen(s))) {
				if (c->n_ca == MKAD_MAX_CA)
					ERR("line %d: at most %d network blocks", lineno,
					    MKAD_MAX_CA);
				ca = &c->ca[c->n_ca++];
				conf_ca_defaults(ca, lineno);
				memset(&st, 0, sizeof(st));
				st.q.mode = MKAD_QKD_HYBRID;
				st.q.key_bits = 256;
				st.q.timeout = 5;
				st.q.retry_max = 60;
				st.q.cak_lifetime = 3600;
				st.q.max_cak_age = 86400;
			}
			continue;	/* wpa_supplicant's global settings */
		}
		if (*s == '}') {
			if (check_block(c, ca, &st, err, errlen))
				goto fail;
			if (st.have_qkd) {
				c->qkd = st.q;
				c->qkd.tmpl = *ca;
				/* qkd-only: a template, not a CA of its own */
				if (st.q.mode == MKAD_QKD_ONLY)
					memset(&c->ca[--c->n_ca], 0, sizeof(*ca));
			}
			ca = NULL;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq)
			ERR("line %d: expected key=value", lineno);
		*eq = 0;
		key = conf_trim(s);
		val = conf_trim(eq + 1);
		if (*val == '"') {
			size_t l = strlen(val);

			if (l < 2 || val[l - 1] != '"')
				ERR("line %d: unterminated string", lineno);
			val[l - 1] = 0;
			val++;
		}
		if (parse_key(ca, &st, key, val, lineno, &c->warnings, err, errlen))
			goto fail;
	}
	if (ca)
		ERR("unterminated network block");
	if (!c->n_ca && c->qkd.mode == MKAD_QKD_OFF)
		ERR("no network block");
	crypto_wipe(copy, text_len);
	free(copy);
	return 0;
fail:
	crypto_wipe(copy, text_len);
	free(copy);
	conf_wipe(c);
	return -1;
}

int conf_parse(const char *text, struct mkad_conf *c, char *err, size_t errlen)
{
	if (conf_is_hostapd(text))
		return conf_parse_hostapd(text, c, err, errlen);
	if (conf_is_wpa(text))
		return conf_parse_wpa_supp(text, c, err, errlen);
	return conf_parse_wpa(text, c, err, errlen);
}

/*
 * The file is read with read(2) into one buffer that is wiped: stdio
 * would leave the CAK's hex in a FILE buffer that free() does not wipe.
 */
int conf_load(const char *path, struct mkad_conf *c, char *err, size_t errlen)
{
	struct stat st;
	size_t n = 0, size;
	char *buf;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || st.st_size > 1 << 20) {
		close(fd);
		snprintf(err, errlen, "%s: unreadable or too large", path);
		return -1;
	}
	size = (size_t)st.st_size;
	buf = calloc(1, size + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (n < size) {
		ssize_t r = read(fd, buf + n, size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = 0;
	ret = conf_parse(buf, c, err, errlen);
	if (ret) {
		char what[256];

		snprintf(what, sizeof(what), "%s", err);
		snprintf(err, errlen, "%s: %s", path, what);
	}
	crypto_wipe(buf, size + 1);
	free(buf);
	return ret;
}

/* All of it: the CAKs, the templates, the RADIUS secret (c->auth.secret). */
void conf_wipe(struct mkad_conf *c)
{
	crypto_wipe(c, sizeof(*c));
}

const struct mkad_ca_conf *conf_find_ca(const struct mkad_conf *c,
					const uint8_t *ckn, size_t ckn_len)
{
	int i;

	for (i = 0; i < c->n_ca; i++)
		if (c->ca[i].ckn_len == ckn_len && !memcmp(c->ca[i].ckn, ckn, ckn_len))
			return &c->ca[i];
	return NULL;
}
