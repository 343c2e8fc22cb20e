// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: a port with a key provider (port_set_qkd): the
 * qkd_* configuration, the roles, the tie-break of qkd_role=auto, the
 * retries of an initiator whose provider is down, and a hybrid port's
 * move from its pre-shared CA to the QKD CA. The provider is a fake
 * keysrc per node (answers 0.5 s late); all fakes derive a key from its
 * ID alone, as two QKD providers agree on it, and each delivers a key ID
 * once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keysrc.h"
#include "unit.h"

#define FAKE_PENDING	4

struct fake_kp {
	struct keysrc ks;
	int node;
	int fail_left, fail_err;	/* the next fail_left requests fail */
	int new_keys, lookups, refused;
	int n_delivered;
	uint8_t delivered[16][16];
	struct fake_q {
		struct loop_timer timer;
		struct fake_kp *kp;
		bool used;
		uint8_t id[16];
		size_t len;
		keysrc_done_fn done;
		void *ctx;
	} q[FAKE_PENDING];
};

static struct fake_kp fakes[SIM_MAX];
static unsigned int next_id;

static void fake_key(const uint8_t *id, size_t len, uint8_t *key)
{
	size_t i;

	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)(id[i % len] ^ 0x5a ^ i);
}

static bool fake_was_delivered(struct fake_kp *kp, const uint8_t *id)
{
	int i;

	for (i = 0; i < kp->n_delivered; i++)
		if (!memcmp(kp->delivered[i], id, 16))
			return true;
	return false;
}

static void fake_answer(void *arg, double now)
{
	struct fake_q *q = arg;
	struct fake_kp *kp = q->kp;
	struct keysrc_cak cak = { .cak_len = 32, .ckn_len = 16 };

	(void)now;
	q->used = false;
	if (kp->fail_left) {
		kp->fail_left--;
		q->done(q->ctx, kp->fail_err, NULL);
		return;
	}
	if (!q->len) {
		memset(q->id, 0, 16);
		q->id[0] = 0xd1;
		q->id[1] = (uint8_t)kp->node;
		next_id++;
		q->id[15] = (uint8_t)next_id;
		kp->new_keys++;
	} else if (q->len != 16 || fake_was_delivered(kp, q->id)) {
		kp->refused++;
		q->done(q->ctx, -ENOENT, NULL);
		return;
	} else {
		kp->lookups++;
	}
	if (kp->n_delivered < 16)
		memcpy(kp->delivered[kp->n_delivered++], q->id, 16);
	memcpy(cak.ckn, q->id, 16);
	fake_key(q->id, 16, cak.cak);
	q->done(q->ctx, 0, &cak);
}

static int fake_request(struct keysrc *ks, const uint8_t *ckn, size_t len,
			keysrc_done_fn done, void *ctx)
{
	struct fake_kp *kp = (struct fake_kp *)ks;
	int i;

	for (i = 0; i < FAKE_PENDING; i++) {
		struct fake_q *q = &kp->q[i];

		if (q->used)
			continue;
		q->used = true;
		q->kp = kp;
		q->len = len > 16 ? 17 : len;
		memcpy(q->id, ckn, len > 16 ? 16 : len);
		q->done = done;
		q->ctx = ctx;
		loop_timer_init(&q->timer, fake_answer, q);
		loop_timer_at(ks->loop, &q->timer, loop_now(ks->loop) + 0.5);
		return 0;
	}
	return -EBUSY;
}

static void fake_cancel(struct keysrc *ks, void *ctx)
{
	struct fake_kp *kp = (struct fake_kp *)ks;
	int i;

	for (i = 0; i < FAKE_PENDING; i++)
		if (kp->q[i].used && kp->q[i].ctx == ctx) {
			loop_timer_stop(ks->loop, &kp->q[i].timer);
			kp->q[i].used = false;
		}
}

static void fake_destroy(struct keysrc *ks)
{
	fake_cancel(ks, NULL);
}

static const struct keysrc_ops fake_ops = {
	.name = "fake-kp",
	.flags = KEYSRC_LOOKUP,
	.request = fake_request,
	.cancel = fake_cancel,
	.destroy = fake_destroy,
};

#define QKD_LINES "qkd_api=skip\nqkd_url=https://127.0.0.1:8443\nqkd_remote_id=peer\n" \
		  "qkd_psk_identity=mkad\nqkd_psk_file=/dev/null\n"

/* Node i with conf text; its fake provider attached (port_set_qkd). */
static int add_qkd_node(int i, const char *text)
{
	static struct mkad_conf c;
	char err[160];
	int rc;

	rc = sim_add(i, text, NULL, NULL);
	if (rc || conf_parse(text, &c, err, sizeof(err)))
		return -1;
	memset(&fakes[i], 0, sizeof(fakes[i]));
	fakes[i].ks.ops = &fake_ops;
	fakes[i].ks.loop = &sim_loop;
	fakes[i].node = i;
	port_set_qkd(&sim[i].port, &fakes[i].ks, &c.qkd);
	conf_wipe(&c);
	return 0;
}

static int add_only(int i, int prio, const char *role)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_priority=%d\nqkd_mode=qkd-only\n"
		 "qkd_role=%s\n" QKD_LINES "}\n", prio, role);
	return add_qkd_node(i, text);
}

/* The principal's CKN as hex, or "-". */
static const char *ckn_of(int i)
{
	static char buf[2][65];
	static int k;
	const struct participant *p = sim[i].port.principal;
	char *b = buf[k++ & 1];
	size_t j;

	if (!p)
		return "-";
	for (j = 0; j < p->conf.ckn_len && j < 32; j++)
		sprintf(b + 2 * j, "%02x", p->conf.ckn[j]);
	return b;
}

static void stop_nodes(void)
{
	int i;

	for (i = 0; i < SIM_MAX; i++)
		sim_stop(i);
}

static void t_qkd_conf(void)
{
	static struct mkad_conf c;
	char err[256];
	int ok;

	ok = check(!conf_parse("network={\nkey_mgmt=NONE\nqkd_mode=qkd-only\n" QKD_LINES "}\n",
			       &c, err, sizeof(err)), "qkd-only block: %s", err) &&
	     check(c.n_ca == 0 && c.qkd.mode == MKAD_QKD_ONLY && c.qkd.role == MKAD_QKD_AUTO &&
		   c.qkd.key_bits == 256 && c.qkd.timeout == 5 && c.qkd.tmpl.priority == 255,
		   "qkd-only: n_ca %d mode %d role %d", c.n_ca, c.qkd.mode, c.qkd.role);
	ok = ok && check(!conf_parse("network={\nkey_mgmt=NONE\nmka_cak=" SIM_CAK "\nmka_ckn=01\n"
				     QKD_LINES "qkd_role=responder\n}\n", &c, err, sizeof(err)),
			 "hybrid block: %s", err) &&
	     check(c.n_ca == 1 && c.qkd.mode == MKAD_QKD_HYBRID && c.qkd.tmpl.cak_len == 16 &&
		   c.qkd.role == MKAD_QKD_RESPONDER, "hybrid: n_ca %d mode %d", c.n_ca, c.qkd.mode);
#define BAD_CONF(text, msg) \
	(check(conf_parse(text, &c, err, sizeof(err)) && strstr(err, msg), \
	       "'%s' not refused with '%s' (%s)", #text, msg, err))
	ok = ok &&
	     BAD_CONF("network={\nkey_mgmt=NONE\nqkd_mode=qkd-only\nmka_cak=" SIM_CAK "\n"
		      QKD_LINES "}\n", "remove mka_cak") &&
	     BAD_CONF("network={\nkey_mgmt=NONE\n" QKD_LINES "}\n", "mixes mka_cak") &&
	     BAD_CONF("network={\nkey_mgmt=NONE\nqkd_mode=qkd-only\nqkd_api=etsi014\n"
		      "qkd_url=https://kme\nqkd_remote_id=x\nqkd_ca_cert=/c\n}\n",
		      "authenticates by certificates") &&
	     BAD_CONF("network={\nkey_mgmt=NONE\nqkd_mode=qkd-only\nqkd_api=skip\n"
		      "qkd_url=http://kp\nqkd_remote_id=x\nqkd_ca_cert=/c\n}\n", "https://") &&
	     BAD_CONF("network={\nkey_mgmt=NONE\nqkd_mode=qkd-only\nqkd_api=skip\n"
		      "qkd_url=https://kp\nqkd_remote_id=x\n}\n", "needs qkd_ca_cert or a TLS PSK") &&
	     BAD_CONF("network={\nkey_mgmt=NONE\nqkd_mode=qkd-only\n" QKD_LINES "}\n"
		      "network={\nkey_mgmt=NONE\nqkd_mode=qkd-only\n" QKD_LINES "}\n",
		      "both have a key provider") &&
	     BAD_CONF("network={\nkey_mgmt=NONE\nqkd_mode=qkd-only\nqkd_key_bits=192\n"
		      QKD_LINES "}\n", "128 or 256") &&
	     BAD_CONF("network={\nkey_mgmt=NONE\nqkd_mode=qkd-only\nqkd_frob=1\n"
		      QKD_LINES "}\n", "unknown key qkd_frob");
#undef BAD_CONF
	conf_wipe(&c);
	result(ok, "qkd: configuration of a key provider, and what is refused");
}

/* Test that an initiator's key ID becomes the CKN both run. */
static void t_qkd_roles(void)
{
	int ok;

	sim_reset();
	ok = check(!add_only(0, 16, "initiator") && !add_only(1, 100, "responder"),
		   "nodes did not start");
	sim_run(10);
	ok = ok && check(sim_secured(0) && sim_secured(1), "not secured: %d %d",
			 sim_secured(0), sim_secured(1)) &&
	     check(!strcmp(ckn_of(0), ckn_of(1)) && !strncmp(ckn_of(0), "d100", 4),
		   "CKNs %s / %s, expected node 0's key ID", ckn_of(0), ckn_of(1)) &&
	     check(fakes[0].new_keys == 1 && fakes[0].lookups == 0 && fakes[1].new_keys == 0 &&
		   fakes[1].lookups == 1, "provider calls: new %d/%d lookups %d/%d",
		   fakes[0].new_keys, fakes[1].new_keys, fakes[0].lookups, fakes[1].lookups);
	stop_nodes();
	result(ok, "qkd: initiator's key ID is the CKN; the responder fetches it once");
}

/* Test that with both ends auto the better (priority, SCI) end's key stays. */
static void t_qkd_auto(void)
{
	int ok;

	sim_reset();
	ok = check(!add_only(0, 100, "auto") && !add_only(1, 16, "auto"), "nodes did not start");
	sim_run(12);
	ok = ok && check(sim_secured(0) && sim_secured(1), "not secured: %d %d",
			 sim_secured(0), sim_secured(1)) &&
	     check(!strcmp(ckn_of(0), ckn_of(1)) && !strncmp(ckn_of(0), "d101", 4),
		   "CKNs %s / %s, expected node 1's (priority 16)", ckn_of(0), ckn_of(1)) &&
	     check(fakes[1].lookups == 0 && fakes[0].lookups == 1,
		   "lookups %d/%d: the winner fetched the loser's key ID",
		   fakes[0].lookups, fakes[1].lookups) &&
	     check(sim[0].port.n_ca <= 2 && sim[0].port.ca[0].part == NULL,
		   "node 0 kept its own CA");
	stop_nodes();
	result(ok, "qkd: auto on both ends: the CA of the better priority stays");
}

/*
 * Test that an initiator whose provider is down retries after 1, 2, 4 s
 * with the port closed (must secure), and secures once it answers.
 */
static void t_qkd_retry(void)
{
	int ok, asked;

	sim_reset();
	ok = check(!add_only(0, 16, "initiator") && !add_only(1, 100, "responder"),
		   "nodes did not start");
	/* the first request was sent by port_set_qkd: fail it and 3 more */
	fakes[0].fail_left = 4;
	fakes[0].fail_err = -ECONNREFUSED;
	sim_run(7);
	asked = 4 - fakes[0].fail_left;
	ok = ok && check(!sim_secured(0) && sim[0].mode == SECY_PORT_CLOSED,
			 "secured or open without a key") &&
	     check(asked == 3, "%d requests failed in 7 s, expected 3 (at 0.5, 2, 4.5 s)", asked);
	/* the 4th fails at 9 s; the 5th, asked 8 s later, gets a key */
	sim_run(16);
	ok = ok && check(sim_secured(0) && sim_secured(1), "not secured once the provider answers") &&
	     check(fakes[0].new_keys == 1, "%d new keys", fakes[0].new_keys);
	stop_nodes();
	result(ok, "qkd: provider down at start: retries with backoff, port closed, then secured");
}

/* Test that a hybrid port runs its pre-shared CA, then the QKD CA. */
static void t_qkd_hybrid(void)
{
	char text[2][512];
	int ok, i;

	sim_reset();
	for (i = 0; i < 2; i++)
		snprintf(text[i], sizeof(text[i]),
			 "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_priority=%d\n"
			 "mka_cak=" SIM_CAK "\nmka_ckn=0102\nqkd_role=%s\n" QKD_LINES "}\n",
			 i ? 100 : 16, i ? "responder" : "initiator");
	ok = check(!add_qkd_node(0, text[0]) && !add_qkd_node(1, text[1]), "nodes did not start");
	fakes[0].fail_left = 1000;
	fakes[0].fail_err = -ETIMEDOUT;
	sim_run(8);
	ok = ok && check(sim_secured(0) && sim_secured(1) && !strcmp(ckn_of(0), "0102"),
			 "not secured on the pre-shared CA while the provider is down: %s",
			 ckn_of(0));
	fakes[0].fail_left = 0;
	sim_run(70);
	ok = ok && check(sim_secured(0) && sim_secured(1), "not secured after the QKD CA came") &&
	     check(!strncmp(ckn_of(0), "d100", 4) && !strcmp(ckn_of(0), ckn_of(1)),
		   "principal CKNs %s / %s, expected the QKD key ID", ckn_of(0), ckn_of(1));
	stop_nodes();
	result(ok, "qkd: hybrid: the pre-shared CA while the provider is down, then the QKD CA");
}

/*
 * Test that when the responder restarts (its provider will not deliver
 * the old key again) the initiator, its peer gone, asks for a new key.
 */
static void t_qkd_restart(void)
{
	struct fake_kp saved;
	char old[65];
	int ok;

	sim_reset();
	ok = check(!add_only(0, 16, "initiator") && !add_only(1, 100, "responder"),
		   "nodes did not start");
	sim_run(10);
	ok = ok && check(sim_secured(0) && sim_secured(1), "not secured at first");
	snprintf(old, sizeof(old), "%s", ckn_of(0));
	sim_stop(1);
	saved = fakes[1];
	sim_run(1);
	ok = ok && check(!add_only(1, 100, "responder"), "node 1 did not restart");
	memcpy(fakes[1].delivered, saved.delivered, sizeof(saved.delivered));
	fakes[1].n_delivered = saved.n_delivered;
	sim_run(30);
	ok = ok && check(fakes[1].refused >= 1, "the old key ID was not refused") &&
	     check(sim_secured(0) && sim_secured(1), "not secured after the restart: %d %d",
		   sim_secured(0), sim_secured(1)) &&
	     check(strcmp(ckn_of(0), old) && !strcmp(ckn_of(0), ckn_of(1)),
		   "CKNs %s / %s (old %s)", ckn_of(0), ckn_of(1), old) &&
	     check(fakes[0].new_keys == 2, "%d new keys, expected 2", fakes[0].new_keys);
	stop_nodes();
	result(ok, "qkd: the responder restarts: the initiator gets a new key, link back");
}

/* The number of QKD CAs of node i that have a participant. */
static int n_qkd_cas(int i)
{
	int k, n = 0;

	for (k = 0; k < sim[i].port.n_ca; k++)
		n += sim[i].port.ca[k].part && sim[i].port.ca[k].gen;
	return n;
}

/*
 * Test a rollover (qkd_cak_lifetime 30): a new key, its CA beside the old,
 * the new one takes over with both SecYs secured all along (no close of
 * the controlled port, no RX SA removed), and the old CA goes.
 */
static void t_qkd_rollover(void)
{
	char text[512], first[65];
	int ok, i, k, closed = 0, old_rx;

	sim_reset();
	for (i = 0; i < 2; i++) {
		snprintf(text, sizeof(text),
			 "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_priority=%d\n"
			 "qkd_mode=qkd-only\nqkd_role=%s\nqkd_cak_lifetime=30\n" QKD_LINES "}\n",
			 i ? 100 : 16, i ? "responder" : "initiator");
		if (add_qkd_node(i, text))
			abort();
	}
	sim_run(20);
	ok = check(sim_secured(0) && sim_secured(1), "not secured at first");
	snprintf(first, sizeof(first), "%s", ckn_of(0));
	old_rx = sim[1].rx_sa;
	for (k = 0; k < 400; k++) {
		sim_run(0.1);
		for (i = 0; i < 2; i++)
			closed += sim[i].mode != SECY_PORT_SECURED;
	}
	ok = ok && check(!closed, "a controlled port left SECURED %d times (0.1 s steps)", closed) &&
	     check(fakes[0].new_keys == 2, "%d new keys in 60 s, expected 2", fakes[0].new_keys) &&
	     check(strcmp(ckn_of(0), first) && !strcmp(ckn_of(0), ckn_of(1)),
		   "principal CKNs %s / %s (first %s)", ckn_of(0), ckn_of(1), first) &&
	     check(n_qkd_cas(0) == 1 && n_qkd_cas(1) == 1, "QKD CAs left: %d / %d",
		   n_qkd_cas(0), n_qkd_cas(1)) &&
	     check(sim[1].rx_sa > old_rx, "no new RX SA on node 1");
	stop_nodes();
	result(ok, "qkd: rollover at qkd_cak_lifetime: new CA takes over, port secured throughout");
}

/*
 * Test that a CKN sent by someone without the provider's key makes no CA
 * at the responder: the MKPDU that named it fails its ICV with the CAK
 * the provider gives for it. The real pair stays secured.
 */
static void t_qkd_forged_ckn(void)
{
	static const char forged[] = "d1ff00000000000000000000000000aa";
	char text[512];
	int ok, k, bogus = 0;

	sim_reset();
	ok = check(!add_only(0, 16, "initiator") && !add_only(1, 100, "responder"),
		   "nodes did not start");
	sim_run(10);
	snprintf(text, sizeof(text),
		 "network={\nkey_mgmt=NONE\nmka_cak=ffeeddccbbaa99887766554433221100\n"
		 "mka_ckn=%s\nmka_priority=200\n}\n", forged);
	ok = ok && check(!sim_add(2, text, NULL, NULL), "node 2 did not start");
	sim_run(10);
	for (k = 0; k < sim[1].port.n_ca; k++)
		bogus += sim[1].port.ca[k].part && sim[1].port.ca[k].conf.ckn[0] == 0xd1 &&
			 sim[1].port.ca[k].conf.ckn[1] == 0xff;
	ok = ok && check(fakes[1].lookups == 2, "%d keys fetched: expected 2 (the real, the forged)",
			 fakes[1].lookups) &&
	     check(!bogus, "a CA for the forged CKN %s", forged) &&
	     check(sim_secured(0) && sim_secured(1) && !strcmp(ckn_of(0), ckn_of(1)),
		   "the real pair was disturbed");
	stop_nodes();
	result(ok, "qkd: a forged CKN (MKPDU fails its ICV with the provider's key) makes no CA");
}

/*
 * Test a provider that is down at the rollover (qkd_cak_lifetime 20,
 * qkd_max_cak_age 45): the current CA carries on while the initiator
 * retries, ends at 45 s (must secure: the port closes), and a key when
 * the provider is back secures the link again.
 */
static void t_qkd_down_at_rollover(void)
{
	char text[2][512];
	int ok, i, gaps = 0, k;

	sim_reset();
	for (i = 0; i < 2; i++) {
		snprintf(text[i], sizeof(text[i]),
			 "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_priority=%d\n"
			 "qkd_mode=qkd-only\nqkd_role=%s\nqkd_cak_lifetime=20\nqkd_max_cak_age=45\n"
			 "qkd_retry_max=4\n" QKD_LINES "}\n",
			 i ? 100 : 16, i ? "responder" : "initiator");
		if (add_qkd_node(i, text[i]))
			abort();
	}
	sim_run(10);
	ok = check(sim_secured(0) && sim_secured(1), "not secured at first");
	fakes[0].fail_left = 1000;
	fakes[0].fail_err = -EHOSTUNREACH;
	/* 10 s .. 40 s: the rollover fails, the first CA carries on */
	for (k = 0; k < 300; k++) {
		sim_run(0.1);
		gaps += sim[0].mode != SECY_PORT_SECURED || sim[1].mode != SECY_PORT_SECURED;
	}
	ok = ok && check(!gaps, "the port left SECURED %d times before the maximum age", gaps) &&
	     check(fakes[0].fail_left < 1000 - 3, "only %d retries", 1000 - fakes[0].fail_left) &&
	     check(fakes[0].new_keys == 1, "%d new keys", fakes[0].new_keys);
	sim_run(8);
	ok = ok && check(!sim_secured(0) && sim[0].mode == SECY_PORT_CLOSED,
			 "still secured or not closed past qkd_max_cak_age: secured %d mode %d",
			 sim_secured(0), sim[0].mode);
	fakes[0].fail_left = 0;
	sim_run(15);
	ok = ok && check(sim_secured(0) && sim_secured(1), "not secured once the provider is back") &&
	     check(fakes[0].new_keys == 2, "%d new keys", fakes[0].new_keys);
	stop_nodes();
	result(ok, "qkd: provider down at rollover: the CA carries on, ends at qkd_max_cak_age, back after");
}

void t_qkd(void)
{
	t_qkd_conf();
	t_qkd_roles();
	t_qkd_auto();
	t_qkd_retry();
	t_qkd_hybrid();
	t_qkd_restart();
	t_qkd_rollover();
	t_qkd_forged_ckn();
	t_qkd_down_at_rollover();
}
