// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: ports in memory. Each node is a port whose
 * frames go to every other node (a bridge), whose SecY is a table of
 * counters, and whose time is sim_now, in steps of 0.1 s; the ports'
 * timers run on one manual loop.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs.h"
#include "keysrc.h"
#include "unit.h"

struct sim_node sim[SIM_MAX];
bool sim_blocked[SIM_MAX][SIM_MAX];
uint8_t sim_mac[SIM_MAX][6];
double sim_keysrc_delay;
unsigned int sim_keysrc_flags;
int sim_keysrc_requests;

/* The PSK source, with the flags the test wants and its requests counted. */
static struct keysrc_ops flagged_ops;
static int (*psk_request)(struct keysrc *, const uint8_t *, size_t, keysrc_done_fn, void *);

static int counted_request(struct keysrc *ks, const uint8_t *ckn, size_t len,
			   keysrc_done_fn done, void *ctx)
{
	sim_keysrc_requests++;
	return psk_request(ks, ckn, len, done, ctx);
}
double sim_now = 1000;
struct loop sim_loop;

static struct {
	int from;
	size_t len;
	uint8_t f[MKPDU_MAX_LEN];
} queue[256];
static int qn;

static struct sim_node *node_of(struct secy *s)
{
	return (struct sim_node *)((char *)s - offsetof(struct sim_node, port.secy));
}

static int sim_send(void *ctx, const uint8_t *f, size_t len)
{
	static struct mkpdu m;
	struct sim_node *n = ctx;
	int i = (int)(n - sim);

	if (n->first_sak_use < 0 && mkpdu_parse(f, len, &m) == MKPDU_OK && m.sak_use.present)
		n->first_sak_use = sim_now;
	memcpy(n->sent[n->n_sent % 16], f, len);
	n->sent_len[n->n_sent++ % 16] = len;
	if (!n->silent)
		sim_broadcast(i, f, len);
	return 0;
}

void sim_broadcast(int from, const uint8_t *frame, size_t len)
{
	if (qn >= (int)(sizeof(queue) / sizeof(queue[0])) || len > MKPDU_MAX_LEN)
		return;
	queue[qn].from = from;
	queue[qn].len = len;
	memcpy(queue[qn++].f, frame, len);
}

/* The SecY: counts what the CP asks, fails fail_op when told to. */
static int fails(struct secy *s, const char *op)
{
	struct sim_node *n = node_of(s);

	if (n->fail_left && !strcmp(n->fail_op, op)) {
		n->fail_left--;
		return -n->fail_errno;
	}
	return 0;
}

static int s_create(struct secy *s)
{
	s->caps = node_of(s)->caps;
	return 0;
}

static void s_destroy(struct secy *s) { (void)s; }

static int s_params(struct secy *s, const struct secy_params *p)
{
	struct sim_node *n = node_of(s);
	int rc = fails(s, "set_params");

	if (rc)
		return rc;
	n->params_calls++;
	n->params = *p;
	n->threshold = p->pn_threshold;
	return 0;
}

static int s_port(struct secy *s, enum secy_port_mode mode)
{
	node_of(s)->mode = mode;
	return fails(s, "set_port");
}

static int s_sci(struct secy *s, uint64_t sci, uint16_t port)
{
	(void)sci;
	(void)port;
	return fails(s, "set_sci");
}

static int s_sc(struct secy *s, uint64_t sci)
{
	(void)sci;
	return fails(s, "add_rxsc");
}

static int s_delsc(struct secy *s, uint64_t sci)
{
	(void)s;
	(void)sci;
	return 0;
}

static int s_rxsa(struct secy *s, uint64_t sci, const struct secy_sa *sa)
{
	int rc = fails(s, "add_rxsa");

	(void)sci;
	(void)sa;
	if (!rc)
		node_of(s)->rx_sa++;
	return rc;
}

static int s_delrxsa(struct secy *s, uint64_t sci, uint8_t an)
{
	(void)s;
	(void)sci;
	(void)an;
	return 0;
}

static int s_txsa(struct secy *s, const struct secy_sa *sa)
{
	(void)sa;
	return fails(s, "add_txsa");
}

static int s_use(struct secy *s, uint8_t an)
{
	int rc = fails(s, "use_txsa");

	(void)an;
	if (!rc)
		node_of(s)->tx_use++;
	return rc;
}

static int s_del(struct secy *s, uint8_t an)
{
	(void)s;
	(void)an;
	return 0;
}

static int s_pn(struct secy *s, uint8_t an, uint64_t *pn)
{
	struct sim_node *n = node_of(s);

	n->pn_reads++;
	*pn = an == n->pn_an ? n->pn : 1;
	return 0;
}

#define SIM_OPS .create = s_create, .destroy = s_destroy, .set_params = s_params, \
	.set_port = s_port, .set_sci = s_sci, .add_rxsc = s_sc, .del_rxsc = s_delsc, \
	.add_rxsa = s_rxsa, .del_rxsa = s_delrxsa, .add_txsa = s_txsa, .use_txsa = s_use, \
	.del_txsa = s_del, .get_tx_pn = s_pn

const struct secy_ops sim_ops = { .name = "sim", SIM_OPS };
const struct secy_ops sim_poll_ops = { .name = "sim-poll", SIM_OPS };
const struct secy_ops sim_ev_ops = { .name = "sim-events", SIM_OPS };

void sim_reset(void)
{
	int i;

	for (i = 0; i < SIM_MAX; i++)
		sim_stop(i);
	memset(sim, 0, sizeof(sim));
	memset(sim_blocked, 0, sizeof(sim_blocked));
	memset(sim_mac, 0, sizeof(sim_mac));
	qn = 0;
	loop_init_manual(&sim_loop, sim_now);
}

int sim_add(int i, const char *conf_text, const struct secy_ops *ops,
	    const struct secy_caps *caps)
{
	struct sim_node *n = &sim[i];
	struct port_io io = { .send = sim_send, .ctx = n, .ops = ops ? ops : &sim_ops,
			      .mac = { 2, 0, 0, 0, 0, (uint8_t)(i + 1) } };
	static struct mkad_conf c;
	struct keysrc_cak caks[MKAD_MAX_CA];
	char err[128], name[16];
	static const uint8_t zero[6];
	int k, rc;

	if (memcmp(sim_mac[i], zero, 6))
		memcpy(io.mac, sim_mac[i], 6);

	if (conf_parse(conf_text, &c, err, sizeof(err))) {
		fprintf(stderr, "sim config: %s\n", err);
		abort();
	}
	memset(caks, 0, sizeof(caks));
	for (k = 0; k < c.n_ca; k++) {
		memcpy(caks[k].cak, c.ca[k].cak, c.ca[k].cak_len);
		caks[k].cak_len = c.ca[k].cak_len;
		memcpy(caks[k].ckn, c.ca[k].ckn, c.ca[k].ckn_len);
		caks[k].ckn_len = c.ca[k].ckn_len;
	}
	n->caps = caps ? *caps : (struct secy_caps){
		.suites = (1u << CS_COUNT) - 1, .capability = 3, .cs_change_in_place = true,
		.port_control = true, .events = ops == &sim_ev_ops,
		.tx_pn = ops == &sim_ev_ops || ops == &sim_poll_ops,
	};
	n->first_sak_use = -1;
	n->ks = keysrc_psk_new(&sim_loop, caks, c.n_ca, sim_keysrc_delay);
	if (sim_keysrc_flags) {
		flagged_ops = *n->ks->ops;
		psk_request = n->ks->ops->request;
		flagged_ops.flags = sim_keysrc_flags;
		flagged_ops.request = counted_request;
		n->ks->ops = &flagged_ops;
	}
	snprintf(name, sizeof(name), "vs%d", i + 1);
	rc = port_open(&n->port, &sim_loop, "sim", name, NULL, &c, n->ks, &io);
	conf_wipe(&c);
	n->up = rc == 0;
	return rc;
}

int sim_add_simple(int i, int priority, const char *extra)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=%s\n"
		 "mka_ckn=0102\nmka_priority=%d\n%s\n}\n", SIM_CAK, priority,
		 extra ? extra : "");
	return sim_add(i, text, NULL, NULL);
}

void sim_stop(int i)
{
	struct sim_node *n = &sim[i];

	if (!n->up)
		return;
	port_close(&n->port);
	n->ks->ops->destroy(n->ks);
	n->up = false;
}

/* One step: the timers due, then the frames sent, to everyone else. */
void sim_run(double seconds)
{
	double end = sim_now + seconds;
	int i, j, n;

	while (sim_now < end) {
		loop_advance(&sim_loop, sim_now);
		n = qn;
		for (j = 0; j < n; j++)
			for (i = 0; i < SIM_MAX; i++)
				if (sim[i].up && !sim[i].deaf && i != queue[j].from &&
				    (queue[j].from < 0 || !sim_blocked[queue[j].from][i]))
					port_rx(&sim[i].port, queue[j].f, queue[j].len);
		memmove(queue, queue + n, (size_t)(qn - n) * sizeof(queue[0]));
		qn -= n;
		sim_now += 0.1;
	}
	loop_advance(&sim_loop, sim_now);
}

struct participant *P(int i)
{
	return sim[i].port.principal;
}

struct cp *CP(int i)
{
	return &sim[i].port.cp;
}

bool sim_secured(int i)
{
	return sim[i].up && P(i) && P(i)->secured && !CP(i)->failing;
}

void sim_fake(struct mkpdu *m, uint64_t sci, const uint8_t *mi, uint32_t mn,
	      uint8_t priority)
{
	int i;

	memset(m, 0, sizeof(*m));
	memcpy(m->dst, mka_pae_group, 6);
	for (i = 0; i < 6; i++)
		m->src[i] = (uint8_t)(sci >> (56 - 8 * i));
	m->basic.version = 3;
	m->basic.priority = priority;
	m->basic.key_server = true;
	m->basic.macsec_desired = true;
	m->basic.capability = MKA_CAP_CONF_ALL;
	m->basic.sci = sci;
	memcpy(m->basic.mi, mi, MKA_MI_LEN);
	m->basic.mn = mn;
	memcpy(m->basic.algo, mka_algo_agility, 4);
	m->basic.ckn[0] = 0x01;
	m->basic.ckn[1] = 0x02;
	m->basic.ckn_len = 2;
}

size_t sim_encode(const struct mkpdu *m, uint8_t *buf)
{
	uint8_t cak[16], ick[16];
	int len;

	unhex(SIM_CAK, cak);
	crypto_ick(cak, 16, (const uint8_t *)"\x01\x02", 2, ick);
	len = mkpdu_encode(m, ick, 16, buf, MKPDU_MAX_LEN);
	crypto_wipe(ick, sizeof(ick));
	return len > 0 ? (size_t)len : 0;
}

void sim_list(struct mkpdu *m, int i)
{
	memcpy(m->live[m->n_live].mi, P(i)->mi, MKA_MI_LEN);
	m->live[m->n_live++].mn = P(i)->mn;
	m->has_live = true;
}
