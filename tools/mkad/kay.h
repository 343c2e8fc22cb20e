/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the MKA participant (IEEE 802.1X-2020 clause 9) for one
 * CAK, with its peers, key server election and SAK distribution and use.
 */
#ifndef MKAD_KAY_H
#define MKAD_KAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "mkpdu.h"
#include "secy.h"

#define MKA_HELLO_TIME		2.0	/* 802.1X-2020 Table 9-3 */
#define MKA_BOUNDED_HELLO_TIME	0.5
#define MKA_LIFE_TIME		6.0
#define MKA_SAK_RETIRE_TIME	3.0
/*
 * Not key server, and no SAK from the elected one this long: rejoin, after
 * a silence long enough for the key server to forget our old MI and for
 * wpa_supplicant's hold-off after the SAK that follows to pass (kay.c).
 */
#define MKA_REJOIN_TIME		(2 * MKA_LIFE_TIME)
#define MKA_REJOIN_QUIET	(2 * MKA_LIFE_TIME + MKA_HELLO_TIME)
#define MKA_PN_THRESHOLD	0xC0000000ULL		/* 3/4 of 2^32 */
#define MKA_XPN_THRESHOLD	0xC000000000000000ULL

struct kay_peer {
	uint8_t mi[MKA_MI_LEN];
	uint32_t mn;
	uint64_t sci;
	uint8_t priority;
	bool key_server;
	bool desired;
	uint8_t cap;
	bool live;
	double expire;
	bool rxsc;		/* its RX SC is installed */
	bool rx_latest;		/* reports lrx for our latest key */
	bool tx_latest;		/* reports ltx for our latest key */
	uint32_t ssci;
	int n_cs;		/* announced cipher suites, 0: none announced */
	uint64_t cs[MKA_MAX_CS];
};

struct kay_sak {
	bool valid;
	uint8_t key[MKA_MAX_KEY_LEN];
	size_t key_len;
	uint8_t ki_mi[MKA_MI_LEN];
	uint32_t kn;
	uint8_t an;
	uint64_t cs;
	uint8_t co;		/* MKA_CO_* */
	uint8_t salt[MKA_SALT_LEN];
	uint32_t own_ssci;
	bool rx, tx;		/* RX SAs installed, TX SA in use */
	double since;		/* time the TX SA went into use */
	uint32_t lpn_report;	/* not key server: a TX PN past the threshold */
};

struct kay_counters {
	uint64_t tx_mkpdu, rx_mkpdu, rx_bad_icv, rx_bad_len, rx_bad_format,
		 rx_unknown_ckn, rx_stale, rx_bad_dst, saks_generated,
		 saks_received, sak_install_failed, rejoins;
};

/* Sends a frame on the lower device; returns 0 on success. */
typedef int (*kay_send_fn)(void *ctx, const uint8_t *frame, size_t len);

struct kay {
	struct mkad_conf conf;
	uint8_t ick[MKA_MAX_KEY_LEN], kek[MKA_MAX_KEY_LEN];
	uint8_t mi[MKA_MI_LEN];
	uint32_t mn;
	/* When each recent MN was sent: a peer echoing one is live until
	 * MKA_LIFE_TIME after it (9.4.3). */
	struct { uint32_t mn; double at; } sent[64];
	unsigned int sent_pos;
	uint64_t sci;
	uint8_t mac[6];
	struct secy *secy;
	kay_send_fn send;
	void *send_ctx;

	int n_peers;
	struct kay_peer peers[MKA_MAX_PEERS];

	bool elected;		/* a key server is known */
	bool is_ks;
	uint64_t ks_sci;
	uint8_t ks_priority;
	double ks_since;	/* a peer: when it was elected key server */
	double quiet_until;	/* rejoining: silent until then (if set) */

	struct kay_sak latest, old;
	uint32_t next_kn;
	bool dist_pending;	/* key server: peers still lack the latest SAK */
	bool want_rekey;	/* key server: a new SAK is due */
	double last_dist;
	double next_hello;
	bool send_now;
	bool secured;
	bool params_set;
	double sak_use_from;	/* no SAK Use set before (see build()) */
	double secured_at, started_at;
	struct kay_counters cnt;
};

int kay_init(struct kay *k, const struct mkad_conf *conf, struct secy *secy,
	     const uint8_t mac[6], kay_send_fn send, void *send_ctx, double now);
/* Takes a new configuration (SIGHUP): a new CAK/CKN restarts the session. */
int kay_reconfigure(struct kay *k, const struct mkad_conf *conf, double now);
void kay_rx(struct kay *k, const uint8_t *frame, size_t len, double now);
void kay_tick(struct kay *k, double now);
/*
 * What the SecY reports (secy_ops.read_events): PN threshold or
 * exhaustion of the TX SA in use makes the key server rekey.
 */
void kay_secy_event(struct kay *k, const struct secy_event *ev, double now);
/* Key server: distribute a new SAK now (control socket "REKEY"). */
int kay_request_rekey(struct kay *k);
/* Removes every SA and RX SC and wipes all keys. */
void kay_shutdown(struct kay *k);
/* Writes the status as one JSON object; returns its length or -1. */
int kay_status_json(const struct kay *k, char *buf, size_t size, double now);

#endif
