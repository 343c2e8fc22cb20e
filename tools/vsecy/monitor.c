// SPDX-License-Identifier: GPL-2.0
/*
 * `vsecy monitor`: joins the "events" multicast group of the vsecy family
 * and prints each event as it comes, one line each (one JSON object per
 * line with -j), until SIGINT or SIGTERM. Events carry no key material;
 * should one ever carry a key or a salt attribute, it is not printed and
 * a warning says so on stderr.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/vsecy.h>

#include "config.h"
#include "json.h"
#include "netlink.h"
#include "vsecy.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct resolve {
	uint16_t family;
	uint32_t group;
};

static int group_cb(const struct nlattr *a, void *data)
{
	struct resolve *r = data;
	const struct nlattr *g, *name = NULL, *id = NULL;

	mnl_attr_for_each_nested(g, a) {
		if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_NAME &&
		    mnl_attr_validate(g, MNL_TYPE_NUL_STRING) >= 0)
			name = g;
		if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_ID &&
		    mnl_attr_validate(g, MNL_TYPE_U32) >= 0)
			id = g;
	}
	if (name && id && !strcmp(mnl_attr_get_str(name), VSECY_GENL_MCGRP_EVENTS))
		r->group = mnl_attr_get_u32(id);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct resolve *r = data;
	const struct nlattr *a, *g;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			r->family = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
			mnl_attr_for_each_nested(g, a)
				group_cb(g, r);
	}
	return MNL_CB_OK;
}

static char keyid_hex[2 * VSECY_KEYID_LEN + 1];

static const char *hex(const struct nlattr *a)
{
	const uint8_t *p = mnl_attr_get_payload(a);
	unsigned int i, n = mnl_attr_get_payload_len(a);

	if (n > VSECY_KEYID_LEN)
		n = VSECY_KEYID_LEN;
	for (i = 0; i < n; i++)
		sprintf(keyid_hex + 2 * i, "%02x", p[i]);
	keyid_hex[2 * n] = 0;
	return keyid_hex;
}

struct out {
	struct json j;
	bool first;
};

/* One "key value" pair, or one JSON member. */
static void field_u(struct out *o, const char *key, uint64_t v)
{
	if (opt_json)
		json_uint(&o->j, key, v);
	else
		printf(" %s %llu", key, (unsigned long long)v);
}

static void field_s(struct out *o, const char *key, const char *v)
{
	if (opt_json)
		json_string(&o->j, key, v);
	else
		printf(" %s %s", key, v);
}

static void field_b(struct out *o, const char *key, bool v,
		    const char *on, const char *off)
{
	if (opt_json)
		json_bool(&o->j, key, v);
	else
		printf(" %s %s", key, v ? on : off);
}

static void field_sci(struct out *o, const char *key, uint64_t sci)
{
	char s[17];

	snprintf(s, sizeof(s), "%016llx", (unsigned long long)sci);
	field_s(o, key, s);
}

static const char *const event_names[] = {
	[VSECY_CMD_SET_SECY] = "set-secy",
	[VSECY_CMD_ADD_RXSC] = "add-rxsc",
	[VSECY_CMD_UPD_RXSC] = "upd-rxsc",
	[VSECY_CMD_DEL_RXSC] = "del-rxsc",
	[VSECY_CMD_ADD_TXSA] = "add-txsa",
	[VSECY_CMD_UPD_TXSA] = "upd-txsa",
	[VSECY_CMD_DEL_TXSA] = "del-txsa",
	[VSECY_CMD_ADD_RXSA] = "add-rxsa",
	[VSECY_CMD_UPD_RXSA] = "upd-rxsa",
	[VSECY_CMD_DEL_RXSA] = "del-rxsa",
	[VSECY_CMD_PN_THRESHOLD] = "pn-threshold",
	[VSECY_CMD_PN_EXHAUSTED] = "pn-exhausted",
	[VSECY_CMD_OPER_CHANGE] = "oper",
};

static void print_secy(struct out *o, const struct nlattr *nest)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case VSECY_SECY_A_SCI:
			field_sci(o, "sci", mnl_attr_get_u64(a));
			break;
		case VSECY_SECY_A_CIPHER_SUITE:
			field_s(o, "cipher", cipher_name(mnl_attr_get_u64(a)));
			break;
		case VSECY_SECY_A_ENCODING_SA:
			field_u(o, "encodingsa", mnl_attr_get_u8(a));
			break;
		case VSECY_SECY_A_ENCRYPT:
			field_b(o, "encrypt", mnl_attr_get_u8(a), "on", "off");
			break;
		case VSECY_SECY_A_PROTECT:
			field_b(o, "protect", mnl_attr_get_u8(a), "on", "off");
			break;
		case VSECY_SECY_A_REPLAY:
			field_b(o, "replay", mnl_attr_get_u8(a), "on", "off");
			break;
		case VSECY_SECY_A_WINDOW:
			field_u(o, "window", mnl_attr_get_u32(a));
			break;
		case VSECY_SECY_A_PN_THRESHOLD:
			field_u(o, "threshold", mnl_attr_get_u64(a));
			break;
		case VSECY_SECY_A_OPER:
			field_b(o, "oper", mnl_attr_get_u8(a), "up", "down");
			break;
		case VSECY_SECY_A_PORT_OPER:
			field_b(o, "port", mnl_attr_get_u8(a), "up", "down");
			break;
		}
	}
}

/* The kernel never sends these; should it, say so (tests look for it). */
static void key_attr_seen(unsigned int type)
{
	fprintf(stderr, "Warning: an event carries key material (VSECY_SA_A_%s); not printed\n",
		type == VSECY_SA_A_KEY ? "KEY" : "SALT");
}

static void print_sa(struct out *o, const struct nlattr *nest)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case VSECY_SA_A_AN:
			field_u(o, "sa", mnl_attr_get_u8(a));
			break;
		case VSECY_SA_A_PN:
			field_u(o, "pn", mnl_attr_get_u64(a));
			break;
		case VSECY_SA_A_ACTIVE:
			field_b(o, "active", mnl_attr_get_u8(a), "on", "off");
			break;
		case VSECY_SA_A_SSCI:
			field_u(o, "ssci", mnl_attr_get_u32(a));
			break;
		case VSECY_SA_A_KEYID:
			field_s(o, "keyid", hex(a));
			break;
		case VSECY_SA_A_KEY:
		case VSECY_SA_A_SALT:
			key_attr_seen(mnl_attr_get_type(a));
			break;
		}
	}
}

static void print_rxsc(struct out *o, const struct nlattr *nest)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case VSECY_RXSC_A_SCI:
			field_sci(o, "rxsci", mnl_attr_get_u64(a));
			break;
		case VSECY_RXSC_A_ACTIVE:
			field_b(o, "rxsc-active", mnl_attr_get_u8(a), "on", "off");
			break;
		}
	}
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *tb[VSECY_A_MAX + 1] = { NULL };
	const char *name = NULL;
	struct out o = { .first = true };

	(void)data;
	if (g->cmd < sizeof(event_names) / sizeof(event_names[0]))
		name = event_names[g->cmd];
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) <= VSECY_A_MAX)
			tb[mnl_attr_get_type(a)] = a;

	if (opt_json) {
		json_init(&o.j, stdout, false);
		json_open(&o.j, NULL, '{');
		if (name)
			json_string(&o.j, "event", name);
		else
			json_uint(&o.j, "event", g->cmd);
	} else if (name) {
		printf("%s", name);
	} else {
		printf("event-%u", g->cmd);
	}
	if (tb[VSECY_A_IFNAME] &&
	    mnl_attr_validate(tb[VSECY_A_IFNAME], MNL_TYPE_NUL_STRING) >= 0)
		field_s(&o, "dev", mnl_attr_get_str(tb[VSECY_A_IFNAME]));
	if (tb[VSECY_A_IFINDEX] && opt_json)
		field_u(&o, "ifindex", mnl_attr_get_u32(tb[VSECY_A_IFINDEX]));
	if (tb[VSECY_A_SECY])
		print_secy(&o, tb[VSECY_A_SECY]);
	if (tb[VSECY_A_RXSC])
		print_rxsc(&o, tb[VSECY_A_RXSC]);
	if (tb[VSECY_A_SA]) {
		if (!opt_json)
			printf(" %s", tb[VSECY_A_RXSC] ? "rx" : "tx");
		else
			json_string(&o.j, "sc", tb[VSECY_A_RXSC] ? "rx" : "tx");
		print_sa(&o, tb[VSECY_A_SA]);
	}
	if (opt_json)
		json_close(&o.j, '}');
	printf("\n");
	fflush(stdout);
	return MNL_CB_OK;
}

static int resolve(struct nl *nl, struct resolve *r)
{
	static char buf[16384];
	struct nlmsghdr *nlh = build_genl(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	unsigned int seq = ++nl->seq;
	ssize_t n;
	int ret;

	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VSECY_GENL_NAME);
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
	if (n < 0)
		return -1;
	ret = mnl_cb_run(buf, n, seq, nl->portid, family_cb, r);
	return ret < 0 || !r->family || !r->group ? -1 : 0;
}

int cmd_monitor(int argc, char **argv)
{
	static char buf[65536];
	struct sigaction sa = { .sa_handler = on_signal };
	struct resolve r = { 0 };
	struct nl nl;
	int ret = 0;

	if (argc > 0) {
		vsecy_err("Error: unexpected \"%s\"; usage: monitor", argv[0]);
		return 1;
	}
	if (nl_open(&nl, NETLINK_GENERIC))
		return 1;
	if (resolve(&nl, &r)) {
		vsecy_err("Error: no \"%s\" group in the generic netlink family \"%s\": is the vsecy module loaded (and new enough)?",
			  VSECY_GENL_MCGRP_EVENTS, VSECY_GENL_NAME);
		nl_close(&nl);
		return 1;
	}
	if (mnl_socket_setsockopt(nl.sock, NETLINK_ADD_MEMBERSHIP, &r.group,
				  sizeof(r.group)) < 0) {
		vsecy_err("Error: joining the vsecy events group: %s", strerror(errno));
		nl_close(&nl);
		return 1;
	}
	/* No SA_RESTART: a signal ends the blocking receive. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* Scripts wait for this line before they cause events. */
	fprintf(stderr, "Listening for vsecy events\n");

	while (!stop) {
		ssize_t n = mnl_socket_recvfrom(nl.sock, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* Events were lost: say so, keep going. */
				fprintf(stderr, "Warning: events lost (socket buffer full); dump again with \"%s show\"\n",
					prog_name);
				continue;
			}
			vsecy_err("Error: receiving events: %s", strerror(errno));
			ret = 1;
			break;
		}
		if (mnl_cb_run(buf, n, 0, 0, event_cb, NULL) < 0 && errno != ENOENT) {
			vsecy_err("Error: decoding an event: %s", strerror(errno));
			ret = 1;
			break;
		}
	}
	nl_close(&nl);
	return ret;
}
