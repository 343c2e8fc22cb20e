/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: configuration, read from the MACsec network blocks of a
 * wpa_supplicant.conf: one block per connectivity association (CA), so
 * that a port can run several (CAK rollover, two key sources); or, for
 * the access device (802.1X authenticator), from a hostapd.conf with
 * ieee8021x=1 (conf_hostapd.c).
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
	/* always key server: the access device in client-oriented mode */
	bool obliged_ks;
	/* never key server: its 802.1X supplicant (as wpa_supplicant with EAP) */
	bool never_ks;
	int lineno;		/* of its "network={" */
};

/*
 * An external key provider (SKIP or ETSI GS QKD 014, see keysrc_qkd.h):
 * the qkd_* keys of one network block, whose other settings are those of
 * the CAs it yields. Their CKN is the provider's key ID.
 */
enum mkad_qkd_mode {
	MKAD_QKD_OFF = 0,
	/*
	 * The default: CAK mixed from the block's mka_cak and the provider's
	 * key (secret while either is). The block's own pre-shared CA
	 * (mka_cak, mka_ckn) runs too, and carries the link until a QKD CA
	 * has a live peer, or whenever none has.
	 */
	MKAD_QKD_HYBRID,
	MKAD_QKD_ONLY,		/* CAK = the provider's key; no mka_cak */
};

enum mkad_qkd_role {
	/* both ask for a key; the CA of the better (priority, SCI) stays */
	MKAD_QKD_AUTO = 0,
	MKAD_QKD_INITIATOR,	/* asks its provider for a new key */
	MKAD_QKD_RESPONDER,	/* fetches the key ID (CKN) its peer sends */
};

struct mkad_qkd_conf {
	enum mkad_qkd_mode mode;
	int api;			/* enum kp_api: 0 SKIP, 1 ETSI GS QKD 014 */
	enum mkad_qkd_role role;
	char url[256];
	char remote_id[64];		/* remoteSystemID, or the peer's SAE ID */
	unsigned int key_bits;		/* 128 or 256 */
	char ca_cert[256];		/* the provider's CA */
	char client_cert[256], private_key[256];
	char psk_identity[128];
	char psk_file[256];		/* TLS 1.3 external PSK, hex */
	unsigned int timeout;		/* seconds per request */
	unsigned int retry_max;		/* longest wait between retries, seconds */
	unsigned int cak_lifetime;	/* seconds until the initiator's next key; 0: never */
	unsigned int max_cak_age;	/* an initiator's CA ends this old; 0: never */
	struct mkad_ca_conf tmpl;	/* the block: settings of the CAs */
};

/*
 * The access device, "client-oriented mode" (conf_hostapd.c): the port is
 * the 802.1X authenticator, relays EAP to one RADIUS server, and each
 * authenticated supplicant gives a CA whose CAK comes from the EAP MSK,
 * with the settings of tmpl (obliged_ks: the access device is its key
 * server). Read from a hostapd.conf with ieee8021x=1; names and defaults
 * are hostapd's, the vsecy_* keys are extensions.
 */
#define MKAD_AUTH_SECRET_MAX	128
#define MKAD_AUTH_NAS_ID_MAX	48

struct mkad_auth_conf {
	bool enabled;			/* ieee8021x=1: this role */
	uint8_t eapol_version;		/* 1..3, default 2 */
	bool use_pae_group_addr;	/* EAPOL to 01:80:C2:00:00:03, not the supplicant */
	/* auth_server_addr: an IPv4 or IPv6 literal (the first one; no backup) */
	char server[64];
	int server_family;		/* AF_INET or AF_INET6 */
	uint16_t server_port;		/* auth_server_port, default 1812 */
	uint8_t secret[MKAD_AUTH_SECRET_MAX];	/* auth_server_shared_secret: a key */
	size_t secret_len;		/* 1..MKAD_AUTH_SECRET_MAX */
	char nas_id[MKAD_AUTH_NAS_ID_MAX + 1];	/* nas_identifier, "": none */
	char nas_ip[64];		/* own_ip_addr (NAS-IP-Address), "": none */
	unsigned int reauth_period;	/* eap_reauth_period, s, default 3600, 0: never */
	unsigned int quiet_period;	/* vsecy_quiet_period, s, default 60 */
	unsigned int tx_period;		/* vsecy_tx_period, s, default 30 */
	bool ignore_logoff_secured;	/* vsecy_ignore_logoff_secured */
	struct mkad_ca_conf tmpl;	/* the MACsec settings of the CAs EAP makes */
};

/*
 * The 802.1X supplicant with EAP-TLS (conf_wpa.c): the port authenticates
 * to an access device, and each EAP-Success gives a CA whose CAK comes
 * from the EAP MSK, with the settings of tmpl (never_ks: the access device
 * is key server). Read from a wpa_supplicant.conf whose network block has
 * key_mgmt=IEEE8021X; names and defaults are wpa_supplicant's, the
 * vsecy_* keys are extensions.
 */
#define MKAD_SUPP_ID_MAX	253
#define MKAD_SUPP_PATH_MAX	256

struct mkad_supp_conf {
	bool enabled;			/* key_mgmt=IEEE8021X: this role */
	uint8_t eapol_version;		/* 1..3, default 1 (wpa_supplicant's) */
	char identity[MKAD_SUPP_ID_MAX + 1];
	char ca_cert[MKAD_SUPP_PATH_MAX], client_cert[MKAD_SUPP_PATH_MAX];
	char private_key[MKAD_SUPP_PATH_MAX];
	char private_key_passwd[128];	/* a secret, "": none */
	unsigned int fragment_size;	/* EAP-TLS, default 1000 */
	bool no_tls13;			/* phase1="tls_disable_tlsv1_3=1" */
	char domain_suffix_match[256];	/* "": the server's name is not checked */
	char domain_match[256];		/* "": idem; both: both must hold */
	unsigned int held_period;	/* vsecy_held_period, s, default 60 */
	unsigned int start_period;	/* vsecy_start_period, s, default 30 */
	struct mkad_ca_conf tmpl;	/* the MACsec settings of the CAs EAP makes */
};

struct mkad_conf {
	struct mkad_ca_conf ca[MKAD_MAX_CA];
	int n_ca;
	struct mkad_qkd_conf qkd;	/* mode OFF: none */
	struct mkad_auth_conf auth;	/* enabled false: not the access device */
	struct mkad_supp_conf supp;	/* enabled false: not an 802.1X supplicant */
	int warnings;		/* keys ignored */
};

/* The CA whose settings are the port's (macsec_port, cipher suite...). */
static inline const struct mkad_ca_conf *conf_port_ca(const struct mkad_conf *c)
{
	if (c->n_ca)
		return &c->ca[0];
	if (c->supp.enabled)
		return &c->supp.tmpl;
	return c->auth.enabled ? &c->auth.tmpl : &c->qkd.tmpl;
}

/*
 * Parses text (NUL-terminated). Returns 0, or -1 with a message in err.
 * Unknown keys of a network block are logged as warnings and counted. A
 * text whose last top-level ieee8021x is 1 is a hostapd.conf for the
 * access device (conf_parse_hostapd), one with a network block of
 * key_mgmt=IEEE8021X a wpa_supplicant.conf for the 802.1X supplicant
 * (conf_parse_wpa_supp), any other a wpa_supplicant.conf of MACsec PSK
 * network blocks.
 */
int conf_parse(const char *text, struct mkad_conf *c, char *err, size_t errlen);
/* A decimal number min..max, blanks around it allowed: 0, or -1. */
int conf_num(const char *s, unsigned long min, unsigned long max, unsigned long *v);
/* Whether the n octets at s open a network block ("network={"). */
bool conf_block_start(const char *s, size_t n);
/* s without the blanks around it (in place). */
char *conf_trim(char *s);
/* Reads path with read(2) into memory that is wiped, then parses it. */
int conf_load(const char *path, struct mkad_conf *c, char *err, size_t errlen);
/* Wipes all of c: CAKs, the RADIUS shared secret. */
void conf_wipe(struct mkad_conf *c);
/* The CA of c named by ckn, or NULL. */
const struct mkad_ca_conf *conf_find_ca(const struct mkad_conf *c,
					const uint8_t *ckn, size_t ckn_len);

/* Shared by the readers (conf.c, conf_hostapd.c) --------------------- */

/* What a CA's keys said so far, for the keys that depend on each other. */
struct conf_ca_keys {
	bool have_cs, have_csindex;	/* macsec_ciphersuite, macsec_csindex */
};

/* A CA's settings before its keys: mka_priority 255, macsec_port 1... */
void conf_ca_defaults(struct mkad_ca_conf *ca, int lineno);
/*
 * One key of a CA's MACsec settings (macsec_*, mka_priority, mka_version,
 * mka_rekey_period...), the same in both kinds of file: 0, 1 if key is not
 * one of them, -1 for a bad value (message in err, with lineno).
 */
int conf_ca_key(struct mkad_ca_conf *ca, struct conf_ca_keys *k, const char *key,
		const char *val, int lineno, char *err, size_t errlen);
/* Whether text's last top-level ieee8021x is 1: a hostapd.conf. */
bool conf_is_hostapd(const char *text);
/* Reads a hostapd.conf (the access device) into c, as conf_parse. */
int conf_parse_hostapd(const char *text, struct mkad_conf *c, char *err, size_t errlen);
/* Whether text has a network block with key_mgmt=IEEE8021X: the supplicant. */
bool conf_is_wpa(const char *text);
/* Reads such a wpa_supplicant.conf (the 802.1X supplicant) into c, as conf_parse. */
int conf_parse_wpa_supp(const char *text, struct mkad_conf *c, char *err, size_t errlen);

#endif
