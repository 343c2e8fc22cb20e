/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * vsecy: MACsec (IEEE 802.1AE-2018) SecYs as virtual netdevs, and a
 * MACsec-offload NIC for the kernel's macsec.
 *
 * Copyright (C) 2026 The vsecy authors.
 *
 * Link
 * ----
 *
 * A vsecy device is created with rtnetlink, kind "vsecy", on an Ethernet
 * lower device (IFLA_LINK). Its IFLA_INFO_DATA holds SecY parameters: the
 * attributes of enum vsecy_secy_attr below, the same ones the
 * VSECY_A_SECY nest carries in generic netlink. Unset parameters take the
 * defaults given there. The SCI is VSECY_SECY_A_SCI when given, else the
 * device's MAC address with VSECY_SECY_A_PORT (default 1).
 *
 * VSECY_SECY_A_MODE (enum vsecy_mode), given at creation only, makes the
 * device a MACsec-offload NIC instead (VSECY_MODE_OFFLOAD): an Ethernet
 * device that passes its own frames to the lower device as they are and
 * advertises NETIF_F_HW_MACSEC, so that the kernel's macsec devices made
 * on it with "offload mac" have their SecYs run by vsecy. A NIC takes no
 * SecY parameters and no generic netlink request (-EOPNOTSUPP); its link
 * dumps list the SecYs offloaded to it (VSECY_SECY_A_OFFLOADED). A lower
 * device carries vsecy devices of one mode only, and at most one NIC.
 *
 * Generic netlink
 * ---------------
 *
 * Family "vsecy" (VSECY_GENL_NAME), version VSECY_GENL_VERSION, usable in
 * every network namespace. Every command but VSECY_CMD_GET_SECY needs
 * CAP_NET_ADMIN in the namespace of the device. A device is named by
 * VSECY_A_IFINDEX or VSECY_A_IFNAME. Numbers are in host byte order,
 * including SCIs and cipher suites (see "SCI" below). Every rejected
 * request carries an extack message naming the offending attribute.
 *
 * Keys are write-only: no reply ever contains key bytes. An SA is known by
 * its key identifier (VSECY_SA_A_KEYID), chosen by whoever installs it
 * (MKA uses its Key Identifier, ip macsec users pick any 128-bit value).
 *
 * VSECY_CMD_GET_SECY
 *   A dump of every SecY in the namespace (NLM_F_DUMP), or of one when
 *   VSECY_A_IFINDEX or VSECY_A_IFNAME is given; without NLM_F_DUMP, one
 *   reply for the device named, when it fits in 32 KiB (a SecY with a few
 *   dozen RX SCs; a larger one is refused with EMSGSIZE and must be
 *   dumped). One message per SecY, except that a SecY
 *   with more RX SCs than fit in one dump message continues in the next
 *   ones, which carry only VSECY_A_IFINDEX, VSECY_A_IFNAME and
 *   VSECY_A_RXSC_LIST with the following RX SCs (merge them by ifindex).
 *   A dump interrupted by a change is flagged NLM_F_DUMP_INTR.
 *
 *   VSECY_A_IFINDEX: NLA_U32
 *   VSECY_A_IFNAME: NLA_NUL_STRING
 *   VSECY_A_SECY: NLA_NESTED
 *       VSECY_SECY_A_SCI, _CIPHER_SUITE, _ICV_LEN, _ENCODING_SA,
 *       _ENCRYPT, _PROTECT, _INC_SCI, _ES, _SCB, _REPLAY, _WINDOW,
 *       _VALIDATE, _CONF_OFFSET, _PN_THRESHOLD, _OPER, _PORT_OPER
 *   VSECY_A_SECY_STATS: NLA_NESTED
 *       VSECY_SECY_STATS_A_*: NLA_U64 each
 *   VSECY_A_TXSC: NLA_NESTED
 *       VSECY_TXSC_A_SCI: NLA_U64
 *       VSECY_TXSC_A_STATS: NLA_NESTED
 *           VSECY_TXSC_STATS_A_*: NLA_U64 each
 *       VSECY_TXSC_A_SA_LIST: NLA_NESTED
 *           VSECY_A_SA: NLA_NESTED, one per installed SA
 *               VSECY_SA_A_AN: NLA_U8
 *               VSECY_SA_A_ACTIVE: NLA_U8
 *               VSECY_SA_A_PN: NLA_U64, the next PN to send
 *               VSECY_SA_A_KEYID: NLA_BINARY, VSECY_KEYID_LEN
 *               VSECY_SA_A_SSCI: NLA_U32 (XPN suites)
 *               VSECY_SA_A_STATS: NLA_NESTED
 *                   VSECY_TXSA_STATS_A_*: NLA_U64 each
 *   VSECY_A_RXSC_LIST: NLA_NESTED
 *       VSECY_A_RXSC: NLA_NESTED, one per RX SC
 *           VSECY_RXSC_A_SCI: NLA_U64
 *           VSECY_RXSC_A_ACTIVE: NLA_U8
 *           VSECY_RXSC_A_STATS: NLA_NESTED
 *               VSECY_RXSC_STATS_A_*: NLA_U64 each
 *           VSECY_RXSC_A_SA_LIST: NLA_NESTED
 *               VSECY_A_SA: NLA_NESTED, one per installed SA
 *                   VSECY_SA_A_AN, _ACTIVE, _KEYID, _SSCI as above
 *                   VSECY_SA_A_PN: NLA_U64, the next PN expected
 *                       (one more than the highest accepted, as ip
 *                       macsec shows it); the lowest acceptable PN is
 *                       this minus the replay window
 *                   VSECY_SA_A_STATS: NLA_NESTED
 *                       VSECY_RXSA_STATS_A_*: NLA_U64 each
 *
 * VSECY_CMD_SET_SECY
 *   Changes SecY parameters; the absent ones keep their values. The SCI,
 *   the cipher suite and the ICV length cannot change while SAs exist.
 *
 *   VSECY_A_IFINDEX or VSECY_A_IFNAME
 *   VSECY_A_SECY: NLA_NESTED
 *       any of VSECY_SECY_A_* except _OPER and _PORT_OPER
 *
 * VSECY_CMD_ADD_RXSC, VSECY_CMD_UPD_RXSC, VSECY_CMD_DEL_RXSC
 *   Adds an RX SC (active unless told otherwise), changes whether it is
 *   active, or deletes it with its SAs. A SecY has at most as many RX SCs
 *   as the module parameter max_rx_scs says (4096 by default); one more
 *   is refused with -ENOSPC. (The rtnl link likewise refuses more vsecy
 *   devices on one lower device than max_secys, 64 by default.)
 *
 *   VSECY_A_IFINDEX or VSECY_A_IFNAME
 *   VSECY_A_RXSC: NLA_NESTED
 *       VSECY_RXSC_A_SCI: NLA_U64, required
 *       VSECY_RXSC_A_ACTIVE: NLA_U8, 0 or 1 (add and update)
 *
 * VSECY_CMD_ADD_TXSA, VSECY_CMD_UPD_TXSA, VSECY_CMD_DEL_TXSA
 *   Installs, changes or deletes an SA of the TX SC.
 *
 *   VSECY_A_IFINDEX or VSECY_A_IFNAME
 *   VSECY_A_SA: NLA_NESTED
 *       VSECY_SA_A_AN: NLA_U8, 0..3, required
 *       VSECY_SA_A_PN: NLA_U64, the next PN to send: required and non-zero
 *                      on add; on update it may only move forward
 *                      (compared with the PN the SA has when the update
 *                      is applied, so that no PN is sent twice); at
 *                      most 2^32 - 1 for non-XPN suites
 *       VSECY_SA_A_KEY: NLA_BINARY, 16 or 32 bytes to match the cipher
 *                       suite; add only, required there
 *       VSECY_SA_A_KEYID: NLA_BINARY, VSECY_KEYID_LEN; add only, required
 *       VSECY_SA_A_SSCI: NLA_U32; add only; required for XPN suites
 *       VSECY_SA_A_SALT: NLA_BINARY, VSECY_SALT_LEN; add only; required
 *                        for XPN suites
 *       VSECY_SA_A_ACTIVE: NLA_U8, 0 or 1 (default 0 on add)
 *
 *   An SA that exists cannot be added again (-EEXIST), key, key
 *   identifier, SSCI and salt cannot be changed by update, and an active
 *   SA must be made inactive before it is deleted (-EBUSY).
 *
 * VSECY_CMD_ADD_RXSA, VSECY_CMD_UPD_RXSA, VSECY_CMD_DEL_RXSA
 *   The same for an SA of an RX SC, which VSECY_A_RXSC names by its SCI:
 *
 *   VSECY_A_IFINDEX or VSECY_A_IFNAME
 *   VSECY_A_RXSC: NLA_NESTED
 *       VSECY_RXSC_A_SCI: NLA_U64, required
 *   VSECY_A_SA: NLA_NESTED, as for TX SAs but VSECY_SA_A_PN is the next
 *                           PN expected (default 1; the lowest acceptable
 *                           is this minus the replay window, as with ip
 *                           macsec's "pn")
 *
 * Events
 * ------
 *
 * The multicast group "events" (VSECY_GENL_MCGRP_EVENTS) announces what
 * happens to the SecYs of a network namespace, to sockets of that
 * namespace only. Joining needs no privilege: events carry nothing a dump
 * does not show, and never a key or a salt. Every event has
 * VSECY_A_IFINDEX and VSECY_A_IFNAME, then:
 *
 * VSECY_CMD_PN_THRESHOLD
 *   A TX SA sent its first frame with a PN at or above the SecY's
 *   VSECY_SECY_A_PN_THRESHOLD: time to install the next SA (MKA
 *   implementations rekey at 3/4 of the PN space, the default). Sent once
 *   per SA, from the transmit path.
 *   VSECY_A_SECY: NLA_NESTED
 *       VSECY_SECY_A_SCI, VSECY_SECY_A_PN_THRESHOLD (the one in effect)
 *   VSECY_A_SA: NLA_NESTED
 *       VSECY_SA_A_AN, VSECY_SA_A_KEYID
 *       VSECY_SA_A_PN: the next PN to send, as in dumps
 *
 * VSECY_CMD_PN_EXHAUSTED
 *   A TX SA sent its last PN (2^32 - 1, or 2^64 - 1 for XPN) and stopped;
 *   the SecY is not operational until another SA takes over. Once per SA.
 *   VSECY_A_SECY: NLA_NESTED
 *       VSECY_SECY_A_SCI
 *   VSECY_A_SA: NLA_NESTED
 *       VSECY_SA_A_AN, VSECY_SA_A_KEYID
 *
 * VSECY_CMD_OPER_CHANGE
 *   VSECY_SECY_A_OPER or VSECY_SECY_A_PORT_OPER changed: the SecY's
 *   encoding SA became usable or not, the lower device or the vsecy device
 *   went up or down or lost or got its carrier.
 *   VSECY_A_SECY: NLA_NESTED
 *       VSECY_SECY_A_SCI, VSECY_SECY_A_OPER, VSECY_SECY_A_PORT_OPER
 *
 * VSECY_CMD_SET_SECY, VSECY_CMD_{ADD,UPD,DEL}_{RXSC,TXSA,RXSA}
 *   After each successful generic netlink request of that command, so a
 *   second listener stays in sync with the one that configures:
 *   SET_SECY: VSECY_A_SECY with every parameter, as in dumps;
 *   *_RXSC: VSECY_A_RXSC with VSECY_RXSC_A_SCI and (add, update)
 *   VSECY_RXSC_A_ACTIVE; *_TXSA and *_RXSA: VSECY_A_SA with VSECY_SA_A_AN
 *   and (add, update) VSECY_SA_A_ACTIVE, _PN, _KEYID, _SSCI (XPN), and
 *   for RX SAs VSECY_A_RXSC with VSECY_RXSC_A_SCI. Creation, deletion and
 *   changes of devices through rtnetlink are announced by rtnetlink
 *   (RTNLGRP_LINK, with IFLA_INFO_DATA).
 *
 * Events from the transmit path are built with GFP_ATOMIC: under memory
 * pressure one can be lost, as can any event when the listener's socket
 * buffer is full (the listener then reads ENOBUFS). A listener that sees
 * ENOBUFS dumps again.
 *
 * SCI
 * ---
 *
 * An SCI (802.1AE 8.2.1) is eight octets: a MAC address and a port
 * number. Here it travels as a __u64 whose value is those eight octets
 * read as a big-endian number: MAC 52:54:00:12:34:56 with port 1 is
 * 0x5254001234560001. Tools print it as 16 hex digits, as ip macsec does.
 *
 * Counters
 * --------
 *
 * InPktsOverrun is always 0 (software never overruns). A frame whose
 * SecTAG is malformed cannot be told to belong to one SecY: every SecY on
 * the lower device counts it as InPktsBadTag. An RX SC that is not active
 * has no SA in use (InPktsNotUsingSA or InPktsUnusedSA).
 */

#ifndef _UAPI_LINUX_VSECY_H
#define _UAPI_LINUX_VSECY_H

#include <linux/types.h>

#define VSECY_GENL_NAME		"vsecy"
#define VSECY_GENL_VERSION	1
#define VSECY_GENL_MCGRP_EVENTS	"events"

#define VSECY_KEYID_LEN		16
#define VSECY_SALT_LEN		12
#define VSECY_MAX_KEY_LEN	32
#define VSECY_ICV_LEN		16
#define VSECY_NUM_AN		4

/* Cipher suite identifiers (802.1AE-2018 Table 14-1). */
#define VSECY_CS_GCM_AES_128		0x0080C20001000001ULL
#define VSECY_CS_GCM_AES_256		0x0080C20001000002ULL
#define VSECY_CS_GCM_AES_XPN_128	0x0080C20001000003ULL
#define VSECY_CS_GCM_AES_XPN_256	0x0080C20001000004ULL
/* The identifier 802.1AE-2006 gave GCM-AES-128; accepted as its alias. */
#define VSECY_CS_GCM_AES_128_LEGACY	0x0080020001000001ULL
#define VSECY_CS_DEFAULT		VSECY_CS_GCM_AES_128

/* validateFrames (802.1AE 10.7.8). */
enum vsecy_validate {
	VSECY_VALIDATE_DISABLED = 0,
	VSECY_VALIDATE_CHECK = 1,
	VSECY_VALIDATE_STRICT = 2,
	__VSECY_VALIDATE_END,
	VSECY_VALIDATE_MAX = __VSECY_VALIDATE_END - 1,
};

/* What a vsecy device is (VSECY_SECY_A_MODE). */
enum vsecy_mode {
	/* The controlled port of a SecY of its own, configured by the
	 * vsecy family (the default).
	 */
	VSECY_MODE_SECY = 0,
	/* A MACsec-offload NIC: an Ethernet device whose own traffic is
	 * plaintext, advertising NETIF_F_HW_MACSEC, on which the kernel's
	 * macsec with "offload mac" runs its SecYs in vsecy's engine. The
	 * vsecy family does not configure it.
	 */
	VSECY_MODE_OFFLOAD = 1,
	__VSECY_MODE_END,
	VSECY_MODE_MAX = __VSECY_MODE_END - 1,
};

/* A SecY offloaded to a NIC, in VSECY_SECY_A_OFFLOADED. */
enum vsecy_offload_attr {
	VSECY_OFFLOAD_A_UNSPEC,
	VSECY_OFFLOAD_A_SECY,		/* nested: the attributes below */
	VSECY_OFFLOAD_A_SCI,		/* u64: its TX SCI */
	VSECY_OFFLOAD_A_IFINDEX,	/* u32: the macsec device */
	VSECY_OFFLOAD_A_RXSCS,		/* u32: its RX SCs */
	VSECY_OFFLOAD_A_PAD,
	__VSECY_OFFLOAD_A_MAX,
	VSECY_OFFLOAD_A_MAX = __VSECY_OFFLOAD_A_MAX - 1,
};

enum vsecy_cmd {
	VSECY_CMD_UNSPEC,
	VSECY_CMD_GET_SECY,
	VSECY_CMD_SET_SECY,
	VSECY_CMD_ADD_RXSC,
	VSECY_CMD_UPD_RXSC,
	VSECY_CMD_DEL_RXSC,
	VSECY_CMD_ADD_TXSA,
	VSECY_CMD_UPD_TXSA,
	VSECY_CMD_DEL_TXSA,
	VSECY_CMD_ADD_RXSA,
	VSECY_CMD_UPD_RXSA,
	VSECY_CMD_DEL_RXSA,
	VSECY_CMD_PN_THRESHOLD,		/* event only */
	VSECY_CMD_PN_EXHAUSTED,		/* event only */
	VSECY_CMD_OPER_CHANGE,		/* event only */
	__VSECY_CMD_MAX,
	VSECY_CMD_MAX = __VSECY_CMD_MAX - 1,
};

enum vsecy_attr {
	VSECY_A_UNSPEC,
	VSECY_A_IFINDEX,	/* u32 */
	VSECY_A_IFNAME,		/* string */
	VSECY_A_SECY,		/* nest, enum vsecy_secy_attr */
	VSECY_A_SECY_STATS,	/* nest, enum vsecy_secy_stats_attr */
	VSECY_A_TXSC,		/* nest, enum vsecy_txsc_attr */
	VSECY_A_RXSC_LIST,	/* nest of VSECY_A_RXSC */
	VSECY_A_RXSC,		/* nest, enum vsecy_rxsc_attr */
	VSECY_A_SA,		/* nest, enum vsecy_sa_attr */
	VSECY_A_PAD,
	__VSECY_A_MAX,
	VSECY_A_MAX = __VSECY_A_MAX - 1,
};

/*
 * SecY parameters (802.1AE 10.7), in VSECY_A_SECY and, for kind "vsecy",
 * in IFLA_INFO_DATA. Flags are u8 0 or 1.
 */
enum vsecy_secy_attr {
	VSECY_SECY_A_UNSPEC,
	VSECY_SECY_A_SCI,		/* u64; default: address + port */
	VSECY_SECY_A_PORT,		/* u16, 1..65535; default 1 */
	VSECY_SECY_A_CIPHER_SUITE,	/* u64; default GCM-AES-128 */
	VSECY_SECY_A_ICV_LEN,		/* u8, 16 (the only one supported) */
	VSECY_SECY_A_ENCODING_SA,	/* u8, 0..3; default 0 */
	VSECY_SECY_A_ENCRYPT,		/* flag; default 0, as for macsec */
	VSECY_SECY_A_PROTECT,		/* flag; default 1 (protectFrames) */
	VSECY_SECY_A_INC_SCI,		/* flag; default 1 (alwaysIncludeSCI) */
	VSECY_SECY_A_ES,		/* flag; default 0 (useES) */
	VSECY_SECY_A_SCB,		/* flag; default 0 (useSCB) */
	VSECY_SECY_A_REPLAY,		/* flag; default 0 (replayProtect) */
	VSECY_SECY_A_WINDOW,		/* u32; default 0 (replayWindow) */
	VSECY_SECY_A_VALIDATE,		/* u8, enum vsecy_validate; default strict */
	VSECY_SECY_A_CONF_OFFSET,	/* u8, 0, 30 or 50; default 0 */
	VSECY_SECY_A_OPER,		/* flag, replies only: SecY operational */
	VSECY_SECY_A_PAD,
	/* u64: a TX SA announces VSECY_CMD_PN_THRESHOLD when it sends this
	 * PN or a higher one. 0, the default, is 3/4 of the PN space of the
	 * cipher suite (0xC0000000, or 0xC000000000000000 for XPN); a value
	 * past the end of the PN space acts as its last PN.
	 */
	VSECY_SECY_A_PN_THRESHOLD,
	/* flag, replies only: the controlled port is operational (the vsecy
	 * device is up and has carrier, which it has while the lower device
	 * has and the SecY is operational).
	 */
	VSECY_SECY_A_PORT_OPER,
	/* u8, enum vsecy_mode, IFLA_INFO_DATA only: what the device is,
	 * given at creation (default VSECY_MODE_SECY) and fixed from then
	 * on; reported in link dumps.
	 */
	VSECY_SECY_A_MODE,
	/* Nested, link dumps of a NIC only (VSECY_MODE_OFFLOAD): one
	 * VSECY_OFFLOAD_A_SECY per SecY that the kernel's macsec offloads
	 * to it.
	 */
	VSECY_SECY_A_OFFLOADED,
	__VSECY_SECY_A_MAX,
	VSECY_SECY_A_MAX = __VSECY_SECY_A_MAX - 1,
};

enum vsecy_txsc_attr {
	VSECY_TXSC_A_UNSPEC,
	VSECY_TXSC_A_SCI,		/* u64 */
	VSECY_TXSC_A_STATS,		/* nest, enum vsecy_txsc_stats_attr */
	VSECY_TXSC_A_SA_LIST,		/* nest of VSECY_A_SA */
	VSECY_TXSC_A_PAD,
	__VSECY_TXSC_A_MAX,
	VSECY_TXSC_A_MAX = __VSECY_TXSC_A_MAX - 1,
};

enum vsecy_rxsc_attr {
	VSECY_RXSC_A_UNSPEC,
	VSECY_RXSC_A_SCI,		/* u64 */
	VSECY_RXSC_A_ACTIVE,		/* u8 */
	VSECY_RXSC_A_STATS,		/* nest, enum vsecy_rxsc_stats_attr */
	VSECY_RXSC_A_SA_LIST,		/* nest of VSECY_A_SA */
	VSECY_RXSC_A_PAD,
	__VSECY_RXSC_A_MAX,
	VSECY_RXSC_A_MAX = __VSECY_RXSC_A_MAX - 1,
};

enum vsecy_sa_attr {
	VSECY_SA_A_UNSPEC,
	VSECY_SA_A_AN,			/* u8, 0..3 */
	VSECY_SA_A_ACTIVE,		/* u8 */
	VSECY_SA_A_PN,			/* u64 */
	VSECY_SA_A_KEY,			/* binary, 16 or 32; never in replies */
	VSECY_SA_A_KEYID,		/* binary, VSECY_KEYID_LEN */
	VSECY_SA_A_SSCI,		/* u32 */
	VSECY_SA_A_SALT,		/* binary, VSECY_SALT_LEN; never in replies */
	VSECY_SA_A_STATS,		/* nest, enum vsecy_{tx,rx}sa_stats_attr */
	VSECY_SA_A_PAD,
	__VSECY_SA_A_MAX,
	VSECY_SA_A_MAX = __VSECY_SA_A_MAX - 1,
};

/* The SecY's counters (802.1AE 10.7.17, 10.7.18); u64 each. */
enum vsecy_secy_stats_attr {
	VSECY_SECY_STATS_A_UNSPEC,
	VSECY_SECY_STATS_A_OUT_PKTS_UNTAGGED,
	VSECY_SECY_STATS_A_IN_PKTS_UNTAGGED,
	VSECY_SECY_STATS_A_OUT_PKTS_TOO_LONG,
	VSECY_SECY_STATS_A_IN_PKTS_NO_TAG,
	VSECY_SECY_STATS_A_IN_PKTS_BAD_TAG,
	VSECY_SECY_STATS_A_IN_PKTS_UNKNOWN_SCI,
	VSECY_SECY_STATS_A_IN_PKTS_NO_SCI,
	VSECY_SECY_STATS_A_IN_PKTS_OVERRUN,
	VSECY_SECY_STATS_A_PAD,
	__VSECY_SECY_STATS_A_MAX,
	VSECY_SECY_STATS_A_MAX = __VSECY_SECY_STATS_A_MAX - 1,
};

/* Transmit SC counters (802.1AE 10.7.18); u64 each. */
enum vsecy_txsc_stats_attr {
	VSECY_TXSC_STATS_A_UNSPEC,
	VSECY_TXSC_STATS_A_OUT_PKTS_PROTECTED,
	VSECY_TXSC_STATS_A_OUT_PKTS_ENCRYPTED,
	VSECY_TXSC_STATS_A_OUT_OCTETS_PROTECTED,
	VSECY_TXSC_STATS_A_OUT_OCTETS_ENCRYPTED,
	VSECY_TXSC_STATS_A_PAD,
	__VSECY_TXSC_STATS_A_MAX,
	VSECY_TXSC_STATS_A_MAX = __VSECY_TXSC_STATS_A_MAX - 1,
};

/* Receive SC counters (802.1AE 10.7.12, 10.7.17); u64 each. */
enum vsecy_rxsc_stats_attr {
	VSECY_RXSC_STATS_A_UNSPEC,
	VSECY_RXSC_STATS_A_IN_OCTETS_VALIDATED,
	VSECY_RXSC_STATS_A_IN_OCTETS_DECRYPTED,
	VSECY_RXSC_STATS_A_IN_PKTS_UNCHECKED,
	VSECY_RXSC_STATS_A_IN_PKTS_DELAYED,
	VSECY_RXSC_STATS_A_IN_PKTS_OK,
	VSECY_RXSC_STATS_A_IN_PKTS_INVALID,
	VSECY_RXSC_STATS_A_IN_PKTS_LATE,
	VSECY_RXSC_STATS_A_IN_PKTS_NOT_VALID,
	VSECY_RXSC_STATS_A_IN_PKTS_NOT_USING_SA,
	VSECY_RXSC_STATS_A_IN_PKTS_UNUSED_SA,
	VSECY_RXSC_STATS_A_PAD,
	__VSECY_RXSC_STATS_A_MAX,
	VSECY_RXSC_STATS_A_MAX = __VSECY_RXSC_STATS_A_MAX - 1,
};

/* Transmit SA counters (802.1AE 10.7.23); u64 each. */
enum vsecy_txsa_stats_attr {
	VSECY_TXSA_STATS_A_UNSPEC,
	VSECY_TXSA_STATS_A_OUT_PKTS_PROTECTED,
	VSECY_TXSA_STATS_A_OUT_PKTS_ENCRYPTED,
	VSECY_TXSA_STATS_A_PAD,
	__VSECY_TXSA_STATS_A_MAX,
	VSECY_TXSA_STATS_A_MAX = __VSECY_TXSA_STATS_A_MAX - 1,
};

/* Receive SA counters (802.1AE 10.7.22); u64 each. */
enum vsecy_rxsa_stats_attr {
	VSECY_RXSA_STATS_A_UNSPEC,
	VSECY_RXSA_STATS_A_IN_PKTS_OK,
	VSECY_RXSA_STATS_A_IN_PKTS_INVALID,
	VSECY_RXSA_STATS_A_IN_PKTS_NOT_VALID,
	VSECY_RXSA_STATS_A_IN_PKTS_NOT_USING_SA,
	VSECY_RXSA_STATS_A_IN_PKTS_UNUSED_SA,
	VSECY_RXSA_STATS_A_PAD,
	__VSECY_RXSA_STATS_A_MAX,
	VSECY_RXSA_STATS_A_MAX = __VSECY_RXSA_STATS_A_MAX - 1,
};

#endif /* _UAPI_LINUX_VSECY_H */
