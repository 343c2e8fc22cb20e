/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: an MKA participant (IEEE 802.1X-2020 clause 9): one per
 * CAK on a port. It has its MI and MN, its peers (9.4), elects the key
 * server (9.5), is key server itself or takes the key server's SAKs
 * (9.8, keyserver.c), and reports SAK use. The port's principal
 * participant drives the port's CP (cp.c); others only keep their CA.
 */
#ifndef MKAD_PARTICIPANT_H
#define MKAD_PARTICIPANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "loop.h"
#include "mkpdu.h"
#include "secy.h"

#define MKA_HELLO_TIME		2.0	/* 802.1X-2020 Table 9-3 */
#define MKA_BOUNDED_HELLO_TIME	0.5
#define MKA_LIFE_TIME		6.0
#define MKA_SAK_RETIRE_TIME	3.0
/*
 * Not in the standard (interop.c): a participant without the elected key
 * server's SAK this long rejoins, after a silence this long.
 */
#define MKA_REJOIN_TIME		(2 * MKA_LIFE_TIME)
#define MKA_REJOIN_QUIET	(2 * MKA_LIFE_TIME + MKA_HELLO_TIME)
#define MKA_PN_THRESHOLD	0xC0000000ULL		/* 3/4 of 2^32 */
#define MKA_XPN_THRESHOLD	0xC000000000000000ULL

struct port;

struct peer {
	uint8_t mi[MKA_MI_LEN];
	uint32_t mn;
	uint64_t sci;
	uint8_t version;
	uint8_t priority;
	bool key_server;
	bool desired;
	uint8_t cap;
	bool live;
	double expire;
	bool sak_use_empty;	/* its last SAK Use had no body: no MACsec */
	bool rx_latest;		/* reports lrx for our latest key */
	bool tx_latest;		/* reports ltx for our latest key */
	/* the live peers its last MKPDU listing us listed (the first 16) */
	int n_heard;
	uint8_t heard[16][MKA_MI_LEN];
	int n_cs;		/* announced cipher suites, 0: none announced */
	uint64_t cs[MKA_MAX_CS];
	uint8_t cs_cap[MKA_MAX_CS];
};

/* The key server's side (keyserver.c). */
struct ks_state {
	uint32_t next_kn;
	bool dist_pending;	/* peers still lack the latest SAK */
	bool want_rekey;	/* a new SAK is due */
	bool members_changed;	/* ... because the live peers changed (9.8.1) */
	double changed_at;
	double last_dist;
	bool macsec;		/* the decision: MACsec is used */
	uint8_t cap;		/* ... with this capability */
	char no_macsec_why[80];
};

struct mka_counters {
	uint64_t tx_mkpdu, rx_mkpdu, rx_bad_icv, rx_bad_len, rx_bad_format,
		 rx_unknown_ckn, rx_stale, rx_bad_dst, rx_replay, rx_same_sci,
		 saks_generated, saks_received, saks_refused, rejoins,
		 peers_evicted;
};

struct participant {
	struct port *port;
	struct mkad_ca_conf conf;	/* holds the CAK */
	uint8_t ick[MKA_MAX_KEY_LEN], kek[MKA_MAX_KEY_LEN];
	uint8_t mi[MKA_MI_LEN];
	uint32_t mn;
	/* When each recent MN was sent: a peer echoing one is live until
	 * MKA_LIFE_TIME after it (9.4.3). */
	struct { uint32_t mn; double at; } sent[64];
	unsigned int sent_pos;

	int n_peers;
	struct peer peers[MKA_MAX_PEERS];
	/* Peers dropped lately, with their last MN: a replay of one (within
	 * the life time its MNs still prove liveness) is not a new peer. */
	struct { uint8_t mi[MKA_MI_LEN]; uint32_t mn; double until; } gone[16];
	unsigned int gone_pos;

	bool principal;
	bool elected;		/* a key server is known */
	bool is_ks;
	uint64_t ks_sci;
	uint8_t ks_priority;
	double ks_since;	/* a peer: when it was elected key server */
	bool ks_says_no;	/* the key server advises no MACsec */
	uint32_t refused_kn;	/* the last KN refused (said once) */
	struct ks_state ks;

	double quiet_until;	/* rejoining: silent until then (if set) */
	double sak_use_from;	/* no SAK Use before (interop.c) */
	double next_hello;
	bool send_now;
	bool secured;
	double secured_at, started_at;
	double drop_logged[4];
	unsigned long drop_skipped[4];
	struct loop_timer timer;
	struct mka_counters cnt;
};

/* A participant for ca (its CAK included), on port. */
struct participant *participant_new(struct port *port, const struct mkad_ca_conf *ca);
void participant_free(struct participant *p);
/* An MKPDU whose CKN is ours, parsed by the port (ICV not yet checked). */
void participant_rx(struct participant *p, const struct mkpdu *m, const uint8_t *frame,
		    size_t len, double now);
/* New settings (SIGHUP) for the same CKN and CAK. */
void participant_reconfigure(struct participant *p, const struct mkad_ca_conf *ca);
/* Starts afresh: a new MI, no peers (a new SCI, a rejoin). */
int participant_restart(struct participant *p, const char *why);
void participant_set_principal(struct participant *p, bool principal);
/* Leaves the CA (no peers, no MKPDU) until `until`, then rejoins. */
void participant_go_quiet(struct participant *p, double until, const char *why);
void participant_secy_event(struct participant *p, const struct secy_event *ev);
/* Key server: distribute a new SAK now (control socket "REKEY"). */
int participant_request_rekey(struct participant *p);
/* Something changed: send an MKPDU now and rearm the timer. */
void participant_kick(struct participant *p);
int participant_n_live(const struct participant *p);
int participant_n_potential(const struct participant *p);
struct peer *participant_peer_by_sci(struct participant *p, uint64_t sci);
/* The participant's timer: hellos, life times, key server, retire. */
void participant_tick(void *ctx, double now);
const char *mi_txt(const uint8_t *mi);

/* keyserver.c: the key server (9.5, 9.8) */
void ks_became(struct participant *p, double now);
void ks_members_changed(struct participant *p);
void ks_tick(struct participant *p, double now);
void ks_rx_sak_use(struct participant *p, struct peer *from, const struct mka_sak_use *u,
		   double now);
void ks_build(struct participant *p, struct mkpdu *m);
double ks_next_deadline(const struct participant *p, double now);
void ks_tx_pn_high(struct participant *p, uint64_t pn, const char *what);
bool ks_macsec_member(const struct peer *q);
void ks_check_all_receiving(struct participant *p, double now);

/* sak_rx.c: the SAKs of a key server that is a peer */
void sak_rx_dist(struct participant *p, struct peer *from, const struct mkpdu *m,
		 double now);
void sak_rx_use(struct participant *p, struct peer *from, const struct mka_sak_use *u,
		double now);
void sak_build_use(struct participant *p, struct mkpdu *m, double now);
void sak_check_retire(struct participant *p, double now);
void sak_update_connect(struct participant *p);
/* The members of n as we see them, with the key server's SSCI rule. */
struct sak;
void sak_members_by_sci(struct participant *p, struct sak *n);
bool sak_ki_is(const struct sak *s, const uint8_t *mi, uint32_t kn);
/* What a peer's SAK Use says of our latest key (rx_latest, tx_latest). */
void sak_peer_use(struct participant *p, struct peer *from, const struct mka_sak_use *u);
void sak_transmit(struct participant *p, double now);
/* The CP finished what had failed (a retry): report it, go on. */
void sak_cp_changed(struct participant *p);

/* interop.c: wpa_supplicant 2.10 workarounds (mka_wpa_compat) */
bool interop_sak_use_ok(const struct participant *p, double now);
void interop_new_mi(struct participant *p, double now);
void interop_check_rejoin(struct participant *p, double now);
double interop_next_deadline(const struct participant *p, double now);

#endif
