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

struct mkad_conf {
	struct mkad_ca_conf ca[MKAD_MAX_CA];
	int n_ca;
	struct mkad_qkd_conf qkd;	/* mode OFF: none */
	int warnings;		/* keys ignored */
};

/* The CA whose settings are the port's (macsec_port, cipher suite...). */
static inline const struct mkad_ca_conf *conf_port_ca(const struct mkad_conf *c)
{
	return c->n_ca ? &c->ca[0] : &c->qkd.tmpl;
}

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
