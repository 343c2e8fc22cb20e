// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the "log" SecY backend. It installs nothing and logs what
 * it would install (key identifiers, never keys), so that MKA can run and
 * be tested without a SecY. Its options (-b log:OPTS, comma separated)
 * make it another SecY: suites=A+B (the cipher suites it implements),
 * cap=N (its MACsec capability), fail=OP[/COUNT[/ERRNO]] (the first
 * COUNT calls of operation OP fail with ERRNO, default EIO; COUNT 0:
 * every call), to test how the CP handles a SecY that refuses.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs.h"
#include "log.h"
#include "secy.h"
#include "util.h"

struct log_secy {
	char fail_op[16];
	unsigned long fail_left;	/* ULONG_MAX: for ever */
	int fail_errno;
	unsigned long calls;
};

static int parse_suites(char *v, unsigned int *mask)
{
	char *save = NULL, *t;

	*mask = 0;
	for (t = strtok_r(v, "+", &save); t; t = strtok_r(NULL, "+", &save)) {
		const struct cs_info *cs = cs_by_name(t);

		if (!cs)
			return -1;
		*mask |= cs_bit(cs->id);
	}
	return *mask ? 0 : -1;
}

static int parse_fail(char *v, struct log_secy *l)
{
	char *count = strchr(v, '/'), *err = NULL;

	if (count) {
		*count++ = 0;
		err = strchr(count, '/');
		if (err)
			*err++ = 0;
	}
	snprintf(l->fail_op, sizeof(l->fail_op), "%s", v);
	l->fail_left = count ? strtoul(count, NULL, 10) : 0;
	if (!l->fail_left)
		l->fail_left = (unsigned long)-1;
	l->fail_errno = err ? atoi(err) : EIO;
	return l->fail_errno > 0 ? 0 : -1;
}

static int log_opts(struct secy *s, struct log_secy *l)
{
	char buf[sizeof(s->opts)], *save = NULL, *t;

	snprintf(buf, sizeof(buf), "%s", s->opts);
	for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *v = strchr(t, '=');

		if (!v)
			return -1;
		*v++ = 0;
		if (!strcmp(t, "suites")) {
			if (parse_suites(v, &s->caps.suites))
				return -1;
		} else if (!strcmp(t, "cap")) {
			if (v[0] < '0' || v[0] > '3' || v[1])
				return -1;
			s->caps.capability = (uint8_t)(v[0] - '0');
		} else if (!strcmp(t, "fail")) {
			if (parse_fail(v, l))
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

/* The injected failure, if op is the one that fails. */
static int fail(struct secy *s, const char *op)
{
	struct log_secy *l = s->priv;

	if (!l->fail_left || strcmp(l->fail_op, op))
		return 0;
	if (l->fail_left != (unsigned long)-1)
		l->fail_left--;
	log_info("secy[log]: %s fails (injected): %s", op, strerror(l->fail_errno));
	return -l->fail_errno;
}

static int log_create(struct secy *s)
{
	struct log_secy *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	s->priv = l;
	s->caps = (struct secy_caps){
		.suites = (1u << CS_COUNT) - 1,
		.capability = 3,
		.cs_change_in_place = true,
		.port_control = true,
	};
	if (log_opts(s, l)) {
		log_err("secy[log]: bad options '%s' (suites=A+B, cap=0..3, fail=OP[/COUNT[/ERRNO]])",
			s->opts);
		return -EINVAL;
	}
	log_info("secy[log]: would create %s on %s, SCI %016" PRIx64, s->ifname,
		 s->lower, s->sci);
	return 0;
}

static void log_destroy(struct secy *s)
{
	log_info("secy[log]: would delete %s", s->ifname);
	free(s->priv);
	s->priv = NULL;
}

static int log_set_params(struct secy *s, const struct secy_params *p)
{
	log_info("secy[log]: set cipher suite %016" PRIx64
		 " encrypt %s offset %d replay %s window %u pn threshold %" PRIu64
		 " include sci %s", p->cipher_suite, p->encrypt ? "on" : "off", p->conf_offset,
		 p->replay_protect ? "on" : "off", p->replay_window, p->pn_threshold,
		 p->include_sci ? "on" : "off");
	return fail(s, "set_params");
}

static int log_set_port(struct secy *s, enum secy_port_mode mode)
{
	static const char *const what[] = {
		[SECY_PORT_CLOSED] = "closed",
		[SECY_PORT_UNSECURED] = "open, unprotected (protect off, validate disabled)",
		[SECY_PORT_SECURED] = "secured (protect on, validate strict)",
	};

	log_info("secy[log]: controlled port %s", what[mode]);
	return fail(s, "set_port");
}

static int log_set_sci(struct secy *s, uint64_t sci, uint16_t port)
{
	log_info("secy[log]: set sci %016" PRIx64 " (port %u)", sci, port);
	return fail(s, "set_sci");
}

static int log_add_rxsc(struct secy *s, uint64_t sci)
{
	log_info("secy[log]: add rx sc sci %016" PRIx64, sci);
	return fail(s, "add_rxsc");
}

static int log_del_rxsc(struct secy *s, uint64_t sci)
{
	log_info("secy[log]: del rx sc sci %016" PRIx64, sci);
	return fail(s, "del_rxsc");
}

static void log_sa(const char *what, const struct secy_sa *sa, uint64_t sci)
{
	char ki[33];

	hex_str(ki, sa->keyid, 16);
	if (sci)
		log_info("secy[log]: %s sci %016" PRIx64 " an %u pn %" PRIu64
			 " keyid %s keylen %zu%s", what, sci, sa->an, sa->pn, ki,
			 sa->key_len, sa->xpn ? " xpn" : "");
	else
		log_info("secy[log]: %s an %u pn %" PRIu64 " keyid %s keylen %zu%s",
			 what, sa->an, sa->pn, ki, sa->key_len, sa->xpn ? " xpn" : "");
}

static int log_add_rxsa(struct secy *s, uint64_t sci, const struct secy_sa *sa)
{
	log_sa("add rx sa", sa, sci);
	if (sa->xpn)
		log_info("secy[log]: rx sa an %u ssci %u (sci %016" PRIx64 ")", sa->an,
			 sa->ssci, sci);
	return fail(s, "add_rxsa");
}

static int log_del_rxsa(struct secy *s, uint64_t sci, uint8_t an)
{
	log_info("secy[log]: del rx sa sci %016" PRIx64 " an %u", sci, an);
	return fail(s, "del_rxsa");
}

static int log_add_txsa(struct secy *s, const struct secy_sa *sa)
{
	log_sa("add tx sa", sa, 0);
	if (sa->xpn)
		log_info("secy[log]: tx sa an %u ssci %u", sa->an, sa->ssci);
	return fail(s, "add_txsa");
}

static int log_use_txsa(struct secy *s, uint8_t an)
{
	int rc = fail(s, "use_txsa");

	if (!rc)
		log_info("secy[log]: encoding sa an %u (tx sa active)", an);
	return rc;
}

static int log_del_txsa(struct secy *s, uint8_t an)
{
	log_info("secy[log]: del tx sa an %u", an);
	return fail(s, "del_txsa");
}

const struct secy_ops secy_log_ops = {
	.name = "log",
	.create = log_create,
	.destroy = log_destroy,
	.set_params = log_set_params,
	.set_port = log_set_port,
	.set_sci = log_set_sci,
	.add_rxsc = log_add_rxsc,
	.del_rxsc = log_del_rxsc,
	.add_rxsa = log_add_rxsa,
	.del_rxsa = log_del_rxsa,
	.add_txsa = log_add_txsa,
	.use_txsa = log_use_txsa,
	.del_txsa = log_del_txsa,
};
