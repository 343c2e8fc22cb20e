/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad host unit tests: KTAP helpers, and the in-memory network of
 * ports (sim.c) that the participant tests run on, with simulated time.
 */
#ifndef MKAD_TEST_UNIT_H
#define MKAD_TEST_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "cp.h"
#include "crypto.h"
#include "loop.h"
#include "mkpdu.h"
#include "participant.h"
#include "port.h"
#include "secy.h"

extern char why[512];
void result(int ok, const char *name);
int check(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int unhex(const char *s, uint8_t *out);
int expect_hex(const char *what, const uint8_t *got, const char *want_hex);

/* sim.c -------------------------------------------------------------- */

#define SIM_MAX		8
#define SIM_CAK		"00112233445566778899aabbccddeeff"

struct sim_node {
	struct port port;
	struct keysrc *ks;
	bool up;
	bool silent;		/* sends nothing */
	bool deaf;		/* receives nothing */
	/* what its SecY saw */
	int tx_use, rx_sa, params_calls;
	struct secy_params params;
	enum secy_port_mode mode;
	uint64_t pn, threshold;
	uint8_t pn_an;		/* the TX SA pn is for; others are at 1 */
	int pn_reads;
	double first_sak_use;
	/* the SecY it is: caps, and failures (fail_op fails fail_left times) */
	struct secy_caps caps;
	char fail_op[16];
	int fail_left, fail_errno;
	/* its last frames, for replays */
	int n_sent;
	uint8_t sent[16][MKPDU_MAX_LEN];
	size_t sent_len[16];
};

extern struct sim_node sim[SIM_MAX];
/* Frames from a node to another are lost while blocked[from][to]. */
extern bool sim_blocked[SIM_MAX][SIM_MAX];
/* A node's MAC address, if set before sim_add (else 02:00:00:00:00:i+1). */
extern uint8_t sim_mac[SIM_MAX][6];
/* How late the nodes' key sources answer (seconds). */
extern double sim_keysrc_delay;
/* Flags the nodes' key sources have (KEYSRC_LOOKUP), and requests made. */
extern unsigned int sim_keysrc_flags;
extern int sim_keysrc_requests;
extern double sim_now;
extern struct loop sim_loop;
/* sim_ops: no events, no PN; sim_poll_ops: a PN to poll; sim_ev_ops: events */
extern const struct secy_ops sim_ops, sim_poll_ops, sim_ev_ops;

void sim_reset(void);
/* Node i from a configuration text, with caps (NULL: everything). */
int sim_add(int i, const char *conf_text, const struct secy_ops *ops,
	    const struct secy_caps *caps);
/* A CA of one network block: priority, then more key=value lines. */
int sim_add_simple(int i, int priority, const char *extra);
void sim_stop(int i);
void sim_run(double seconds);
/* A frame for every node but from (-1: from nobody), this step. */
void sim_broadcast(int from, const uint8_t *frame, size_t len);
/* An MKPDU of someone else holding SIM_CAK (CKN 0102): basic set filled
 * from sci, mi, mn, priority (key server, MACsec desired, capability 3,
 * version 3); the caller adds the rest, sim_encode signs it. */
void sim_fake(struct mkpdu *m, uint64_t sci, const uint8_t *mi, uint32_t mn,
	      uint8_t priority);
size_t sim_encode(const struct mkpdu *m, uint8_t *buf);
/* Lists node i (its MI, its last MN) in m's Live Peer List. */
void sim_list(struct mkpdu *m, int i);
struct participant *P(int i);
struct cp *CP(int i);
bool sim_secured(int i);

/* The test groups. */
void t_kay(void);
void t_kay_rejoin(void);
void t_event_parse(void);
void t_kay_events(void);
void t_group(void);
void t_secy(void);
void t_proto(void);
void t_kp(void);
void t_qkd(void);
void t_conf_hostapd(void);
void t_pae(void);
void t_radius(void);
void t_eap(void);
void t_link(void);
void t_eap_tls(void);
void t_supp(void);

#endif
