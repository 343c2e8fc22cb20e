// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the SecY under the CP (issue 10, items 1, 2, 3,
 * 5, 6): a SecY that refuses, parameters with the next SAK, a cipher
 * suite change in a session, a new SCI, and what the backend can do.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cs.h"
#include "unit.h"
#include "../../include/uapi/linux/vsecy.h"

static void pair(const char *extra0, const char *extra1)
{
	sim_reset();
	sim_add_simple(0, 100, extra0);
	sim_add_simple(1, 10, extra1);		/* key server */
}

/* The lrx of node i's last MKPDU (-1: no SAK Use in it). */
static int last_lrx(int i)
{
	static struct mkpdu m;
	struct sim_node *n = &sim[i];
	int k = (n->n_sent - 1) % 16;

	if (!n->n_sent || mkpdu_parse(n->sent[k], n->sent_len[k], &m) != MKPDU_OK ||
	    !m.sak_use.present || m.sak_use.empty)
		return -1;
	return m.sak_use.lrx;
}

/*
 * The SecY refuses node 0's RX SA four times: node 0 never reports lrx
 * meanwhile, the key server does not transmit with the SAK, STATUS has
 * the error; the retries (0.5, 1, 2, 4 s) install it and both secure.
 */
static void t_refused(void)
{
	int ok, i, told = 0;

	pair(NULL, NULL);
	snprintf(sim[0].fail_op, sizeof(sim[0].fail_op), "add_rxsa");
	sim[0].fail_left = 4;
	sim[0].fail_errno = EEXIST + 1000;	/* an error no one handles */
	for (i = 0; i < 60; i++) {
		sim_run(0.1);
		if (sim[0].fail_left && last_lrx(0) > 0)
			told++;
		if (sim[0].fail_left && CP(1)->latest.tx)
			told++;
	}
	ok = check(!told, "lrx reported or key server transmitting %d time(s) while the RX SA was refused",
		   told) &&
	     check(CP(0)->failing && strstr(CP(0)->err.what, "add RX SA") &&
		   !sim_secured(0) && !CP(0)->latest.rx,
		   "node 0: failing %d (%s) secured %d rx %d", CP(0)->failing, CP(0)->err.what,
		   sim_secured(0), CP(0)->latest.rx);
	sim_run(6);
	ok = ok && check(sim_secured(0) && sim_secured(1), "not secured after the retries: %d %d",
			 sim_secured(0), sim_secured(1)) &&
	     check(!CP(0)->failing && CP(0)->errors == 4 && strstr(CP(0)->last_err.what, "add RX SA"),
		   "errors %" PRIu64 ", last '%s'", CP(0)->errors, CP(0)->last_err.what);
	result(ok, "secy: a refused RX SA is never reported as lrx; retried; STATUS says why");

	pair(NULL, NULL);
	snprintf(sim[1].fail_op, sizeof(sim[1].fail_op), "use_txsa");
	sim[1].fail_left = 3;
	sim[1].fail_errno = EIO;
	for (i = 0, told = 0; i < 50; i++) {
		sim_run(0.1);
		if (sim[1].fail_left && (CP(1)->latest.tx || CP(0)->latest.tx ||
					 sim_secured(1)))
			told++;
	}
	ok = check(!told, "ltx (or a member transmitting) %d time(s) while the key server's TX SA was refused",
		   told) &&
	     check(sim[1].fail_left == 0 && CP(1)->errors == 3, "%d failures left, %" PRIu64 " errors",
		   sim[1].fail_left, CP(1)->errors);
	sim_run(4);
	ok = ok && check(sim_secured(0) && sim_secured(1) && sim[1].tx_use == 1,
			 "not secured after the retries (tx_use %d)", sim[1].tx_use);
	result(ok, "secy: a refused TX SA use is never reported as ltx; retried");

	pair(NULL, NULL);
	snprintf(sim[0].fail_op, sizeof(sim[0].fail_op), "add_txsa");
	sim[0].fail_left = 1;
	sim[0].fail_errno = EEXIST;	/* a stale SA at that AN */
	sim_run(5);
	ok = check(sim_secured(0) && sim_secured(1) && !CP(0)->errors,
		   "a stale TX SA (EEXIST) not replaced: secured %d, errors %" PRIu64,
		   sim_secured(0), CP(0)->errors);
	result(ok, "secy: an SA in the way (EEXIST) is deleted and added again");
}

/*
 * SIGHUP: replay protection of node 0 reaches its SecY with the next SAK;
 * integrity only on the key server makes it rekey, and both SecYs then
 * stop encrypting.
 */
static void t_params(void)
{
	struct mkad_ca_conf ca;
	uint32_t kn;
	int ok;

	pair(NULL, NULL);
	sim_run(5);
	ca = P(0)->conf;
	ca.replay_protect = true;
	ca.replay_window = 64;
	cp_set_local(CP(0), true, 64, true);
	participant_reconfigure(P(0), &ca);
	sim_run(1);
	ok = check(!sim[0].params.replay_protect, "applied before the next SAK");
	participant_request_rekey(P(1));
	sim_run(6);
	ok = ok && check(sim[0].params.replay_protect && sim[0].params.replay_window == 64,
			 "after the next SAK: replay %d window %u", sim[0].params.replay_protect,
			 sim[0].params.replay_window);
	kn = CP(1)->latest.kn;
	ca = P(1)->conf;
	ca.integ_only = true;
	participant_reconfigure(P(1), &ca);
	sim_run(8);
	ok = ok && check(CP(1)->latest.kn > kn, "the key server did not rekey") &&
	     check(!sim[0].params.encrypt && !sim[1].params.encrypt &&
		   CP(0)->latest.co == MKA_CO_NONE,
		   "encrypt %d/%d after integrity only", sim[0].params.encrypt,
		   sim[1].params.encrypt) &&
	     check(sim_secured(0) && sim_secured(1), "not secured");
	result(ok, "secy: SecY parameters changed by SIGHUP apply with the next SAK");
}

/*
 * A member that announces only GCM-AES-128 joins a GCM-AES-256 group:
 * the key server rekeys into GCM-AES-128; the SecYs change suites once
 * their SAs are gone; the MKA session (MIs, peers) stays.
 */
static void t_cs_change(void)
{
	struct secy_caps only128 = { .suites = 1, .capability = 3, .cs_change_in_place = true,
				     .port_control = true };
	uint8_t mi0[MKA_MI_LEN], mi1[MKA_MI_LEN];
	char text[256];
	int ok;

	pair("macsec_ciphersuite=gcm-aes-256", "macsec_ciphersuite=gcm-aes-256");
	sim_run(5);
	memcpy(mi0, P(0)->mi, MKA_MI_LEN);
	memcpy(mi1, P(1)->mi, MKA_MI_LEN);
	ok = check(CP(0)->latest.cs == VSECY_CS_GCM_AES_256 && sim_secured(0), "no 256 session");
	snprintf(text, sizeof(text), "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=%s\n"
		 "mka_ckn=0102\nmka_priority=200\n}\n", SIM_CAK);
	sim_add(2, text, NULL, &only128);
	sim_run(8);
	ok = ok && check(CP(0)->latest.cs == VSECY_CS_GCM_AES_128 &&
			 CP(1)->latest.cs == VSECY_CS_GCM_AES_128 &&
			 CP(2)->latest.cs == VSECY_CS_GCM_AES_128,
			 "suites %s %s %s", cs_name(CP(0)->latest.cs), cs_name(CP(1)->latest.cs),
			 cs_name(CP(2)->latest.cs)) &&
	     check(sim[0].params.cipher_suite == VSECY_CS_GCM_AES_128 &&
		   sim[1].params.cipher_suite == VSECY_CS_GCM_AES_128, "SecYs not at 128") &&
	     check(sim_secured(0) && sim_secured(1) && sim_secured(2), "not secured %d %d %d",
		   sim_secured(0), sim_secured(1), sim_secured(2)) &&
	     check(!memcmp(P(0)->mi, mi0, MKA_MI_LEN) && !memcmp(P(1)->mi, mi1, MKA_MI_LEN) &&
		   !P(0)->cnt.rejoins && !CP(0)->errors && !CP(1)->errors,
		   "the session was not kept (new MI, rejoin or SecY errors)");
	result(ok, "secy: a cipher suite change in a session (a GCM-AES-128-only member joins)");
}

/* SIGHUP with another macsec_port: the SecY gets the SCI MKPDUs carry. */
static void t_new_sci(void)
{
	static struct mkad_conf c;
	char text[256], err[64];
	int ok;

	pair(NULL, NULL);
	sim_run(5);
	snprintf(text, sizeof(text), "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=%s\n"
		 "mka_ckn=0102\nmka_priority=100\nmacsec_port=2\n}\n", SIM_CAK);
	conf_parse(text, &c, err, sizeof(err));
	port_reconfigure(&sim[0].port, &c);
	conf_wipe(&c);
	sim_run(8);
	ok = check(sim[0].port.sci == 0x0200000000010002ULL &&
		   sim[0].port.secy.sci == sim[0].port.sci,
		   "port SCI %016" PRIx64 ", SecY SCI %016" PRIx64, sim[0].port.sci,
		   sim[0].port.secy.sci) &&
	     check(P(1)->n_peers == 1 && P(1)->peers[0].sci == 0x0200000000010002ULL,
		   "the key server's peer is %016" PRIx64, P(1)->peers[0].sci) &&
	     check(sim_secured(0) && sim_secured(1), "not secured again");
	result(ok, "secy: a new macsec_port (SIGHUP) sets the SecY's SCI too");
}

/*
 * A SecY with capability 2 (the kernel's macsec: no offset 30): it says
 * so in its MKPDUs, and a key server configured for offset 30 gives the
 * CA offset 0. An SAK with an offset beyond it is refused.
 */
static void t_caps(void)
{
	struct secy_caps cap2 = { .suites = 15, .capability = 2, .port_control = true };
	char text[256];
	int ok;

	sim_reset();
	snprintf(text, sizeof(text), "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=%s\n"
		 "mka_ckn=0102\nmka_priority=100\n}\n", SIM_CAK);
	sim_add(0, text, NULL, &cap2);
	sim_add_simple(1, 10, "macsec_conf_offset=30");
	sim_run(5);
	ok = check(P(1)->n_peers == 1 && P(1)->peers[0].cap == 2,
		   "announced capability %u, expected 2", P(1)->peers[0].cap) &&
	     check(CP(0)->latest.co == MKA_CO_0 && CP(1)->latest.co == MKA_CO_0,
		   "offsets %u/%u, expected offset 0 (1)", CP(0)->latest.co, CP(1)->latest.co) &&
	     check(sim_secured(0) && sim_secured(1), "not secured");
	result(ok, "secy: the capability announced is the backend's; the key server keeps to it");

	/* macsec_offload reaches a SecY that takes it; any other refuses to start. */
	sim_reset();
	snprintf(text, sizeof(text), "network={\nkey_mgmt=NONE\nmka_cak=%s\n"
		 "mka_ckn=0102\nmacsec_offload=2\n}\n", SIM_CAK);
	ok = check(sim_add(0, text, NULL, NULL) != 0, "a SecY without offload started");
	sim_reset();
	cap2.offload = true;
	ok = ok && check(sim_add(0, text, NULL, &cap2) == 0, "a SecY with offload did not start") &&
	     check(sim[0].port.secy.offload == 2, "SecY offload %u, expected 2 (MAC)",
		   sim[0].port.secy.offload);
	result(ok, "secy: macsec_offload=2 reaches a SecY that offloads, stops one that cannot");
}

void t_secy(void)
{
	t_refused();
	t_params();
	t_cs_change();
	t_new_sci();
	t_caps();
}
