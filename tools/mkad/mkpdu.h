/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: EAPOL-MKA frames (IEEE 802.1X-2020 clause 11.11), decoded
 * into and encoded from struct mkpdu. Parsing checks every length against
 * the frame; it does not check the ICV (mkpdu_icv_ok() does, once the
 * caller has found the CAK named by the CKN).
 */
#ifndef MKAD_MKPDU_H
#define MKAD_MKPDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define ETH_ALEN_		6
#define ETH_P_PAE_		0x888E
#define EAPOL_HDR_LEN		4
#define ETH_HDR_LEN		14
#define EAPOL_VERSION_3		3
#define EAPOL_TYPE_MKA		5
/*
 * MKA Version Identifier (11.11.2): 1 for 802.1X-2010, 2 for 802.1Xbx-2014
 * (the XPN parameter set), 3 for 802.1X-2020 (the Key Server SSCI, Live
 * Peer List in SSCI order). Sent: 3 unless configured (mka_version).
 */
#define MKA_VERSION		3
#define MKA_VERSION_XPN		2	/* the first with the XPN set */
#define MKA_VERSION_SSCI	3	/* the first with the Key Server SSCI */
#define MKA_MAX_PEERS		64
#define MKA_MAX_CS		8
#define MKPDU_MAX_LEN		1514

/* Parameter set types (Table 11-7). */
enum {
	MKA_SET_LIVE = 1,
	MKA_SET_POTENTIAL = 2,
	MKA_SET_SAK_USE = 3,
	MKA_SET_DIST_SAK = 4,
	MKA_SET_DIST_CAK = 5,
	MKA_SET_KMD = 6,
	MKA_SET_ANNOUNCE = 7,
	MKA_SET_XPN = 8,
	MKA_SET_ICV = 255,
};

/* Confidentiality offset field of the Distributed SAK (Table 11-6). */
enum { MKA_CO_NONE = 0, MKA_CO_0 = 1, MKA_CO_30 = 2, MKA_CO_50 = 3 };

/* MACsec Capability (Table 11-6). */
enum { MKA_CAP_NONE = 0, MKA_CAP_INTEG = 1, MKA_CAP_CONF0 = 2, MKA_CAP_CONF_ALL = 3 };

/* The group addresses MKPDUs may be sent to (802.1X-2020 Table 11-1). */
extern const uint8_t mka_pae_group[ETH_ALEN_];		/* 01:80:C2:00:00:03 */

/* Algorithm agility 00-80-C2-01 (Table 9-1). */
extern const uint8_t mka_algo_agility[4];

struct mka_peer_id {
	uint8_t mi[MKA_MI_LEN];
	uint32_t mn;
};

struct mka_basic {
	uint8_t version;
	uint8_t priority;
	bool key_server;
	bool macsec_desired;
	uint8_t capability;
	uint64_t sci;
	uint8_t mi[MKA_MI_LEN];
	uint32_t mn;
	uint8_t algo[4];
	uint8_t ckn[MKA_MAX_CKN_LEN];
	size_t ckn_len;
};

struct mka_sak_use {
	bool present;
	bool empty;		/* body length 0: no MACsec */
	uint8_t lan, oan;
	bool ltx, lrx, otx, orx, ptx, prx, delay_protect;
	uint8_t lsrv_mi[MKA_MI_LEN], osrv_mi[MKA_MI_LEN];
	uint32_t lkn, okn, llpn, olpn;
};

struct mka_dist_sak {
	bool present;
	bool empty;		/* body length 0: key server says no MACsec */
	uint8_t dan;
	uint8_t conf_offset;	/* MKA_CO_* */
	uint32_t kn;
	uint64_t cs;		/* 0 when absent: GCM-AES-128 */
	uint8_t wrapped[MKA_MAX_KEY_LEN + 8];
	size_t wrapped_len;
};

struct mka_announce {
	bool present;
	int n_cs;		/* MACsec Cipher Suites TLV entries */
	uint64_t cs[MKA_MAX_CS];
	uint8_t cs_cap[MKA_MAX_CS];
};

struct mka_xpn {
	bool present;
	uint8_t suspension;
	uint32_t llpn_hi, olpn_hi;
};

struct mkpdu {
	uint8_t src[ETH_ALEN_];
	uint8_t dst[ETH_ALEN_];
	struct mka_basic basic;
	bool has_live, has_potential;
	uint8_t ks_ssci;	/* octet 2 of the Live Peer List (XPN) */
	int n_live, n_potential;
	struct mka_peer_id live[MKA_MAX_PEERS];
	struct mka_peer_id potential[MKA_MAX_PEERS];
	struct mka_sak_use sak_use;
	struct mka_dist_sak dist_sak;
	struct mka_announce announce;
	struct mka_xpn xpn;
	int n_unknown;		/* parameter sets skipped */
};

enum mkpdu_err {
	MKPDU_OK = 0,
	MKPDU_ERR_NOT_MKA,	/* not EAPOL-MKA: ignored silently */
	MKPDU_ERR_DST,		/* not to a PAE group address */
	MKPDU_ERR_LEN,		/* a length field disagrees with the frame */
	MKPDU_ERR_FORMAT,	/* a parameter set violates its format */
};

const char *mkpdu_strerror(enum mkpdu_err err);

/* Decodes frame[0..len) (Ethernet header onwards) into *p. */
enum mkpdu_err mkpdu_parse(const uint8_t *frame, size_t len, struct mkpdu *p);

/* Checks the ICV of a frame mkpdu_parse() accepted. */
bool mkpdu_icv_ok(const uint8_t *frame, size_t len, const uint8_t *ick,
		  size_t ick_len);

/*
 * Encodes *p into buf (Ethernet header, EAPOL header, parameter sets in
 * the order of 11.11.3, ICV with ick) and returns its length, or -1.
 */
int mkpdu_encode(const struct mkpdu *p, const uint8_t *ick, size_t ick_len,
		 uint8_t *buf, size_t size);

#endif
