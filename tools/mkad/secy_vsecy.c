// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the "vsecy" SecY backend, the vsecy module: the link
 * through rtnetlink (kind "vsecy" on the lower device), SAs, SCs and
 * parameters through the generic-netlink family "vsecy"
 * (include/uapi/linux/vsecy.h), and its "events" group for the PN
 * threshold. Key bytes only sit in the nl.c buffers, which are wiped.
 *
 * A device that exists already (a restart after a crash) is taken over:
 * it must be a vsecy device on the same lower device; its stale SAs and
 * RX SCs are removed and its SCI set to ours, so that the first SAK does
 * not meet an SA in its place or frames leave with another SCI.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "cs.h"
#include "log.h"
#include "nl.h"
#include "secy.h"
#include "../../include/uapi/linux/vsecy.h"

struct vsecy_priv {
	struct nl genl, rtnl;
	uint16_t family;
	/* The "events" group, on a socket of its own so that events never
	 * mix with the answers nl_talk() waits for. */
	struct mnl_socket *ev;
	uint32_t ev_group;
	char ev_buf[16384] __attribute__((aligned(4)));
};

static struct nlmsghdr *vs_req(struct secy *s, uint8_t cmd)
{
	struct vsecy_priv *v = s->priv;
	struct nlmsghdr *h = nl_genl_msg(&v->genl, v->family, cmd, VSECY_GENL_VERSION);

	mnl_attr_put_u32(h, VSECY_A_IFINDEX, (uint32_t)s->ifindex);
	return h;
}

static int vs_talk(struct secy *s, struct nlmsghdr *h, mnl_cb_t cb, void *data,
		   const char *what)
{
	return nl_talk(&((struct vsecy_priv *)s->priv)->genl, h, cb, data, what);
}

static int vs_create_link(struct secy *s)
{
	struct vsecy_priv *v = s->priv;
	struct nlmsghdr *h = nl_msg(&v->rtnl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	struct nlattr *li, *d;

	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(h, IFLA_IFNAME, s->ifname);
	mnl_attr_put_u32(h, IFLA_LINK, (uint32_t)s->lower_ifindex);
	li = mnl_attr_nest_start(h, IFLA_LINKINFO);
	mnl_attr_put_strz(h, IFLA_INFO_KIND, "vsecy");
	d = mnl_attr_nest_start(h, IFLA_INFO_DATA);
	mnl_attr_put_u16(h, VSECY_SECY_A_PORT, s->port);
	mnl_attr_nest_end(h, d);
	mnl_attr_nest_end(h, li);
	return nl_talk(&v->rtnl, h, NULL, NULL, "create link");
}

/* What a GET_SECY dump says of a device: its SCI, TX SAs and RX SCs. */
struct vs_dump {
	uint64_t sci;
	uint8_t txsa_mask;
	size_t n_rxsc, cap_rxsc;
	uint64_t *rxsc;		/* malloc'ed, as many as the SecY has */
	bool nomem;
	/* the PN of one TX SA (get_tx_pn) */
	int want_an;
	bool found;
	uint64_t pn;
};

static void dump_sas(const struct nlattr *list, struct vs_dump *d, bool tx)
{
	const struct nlattr *sa, *a;

	mnl_attr_for_each_nested(sa, list) {
		int an = -1;
		uint64_t pn = 0;

		mnl_attr_for_each_nested(a, sa) {
			if (mnl_attr_get_type(a) == VSECY_SA_A_AN &&
			    mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
				an = mnl_attr_get_u8(a);
			else if (mnl_attr_get_type(a) == VSECY_SA_A_PN &&
				 mnl_attr_validate(a, MNL_TYPE_U64) >= 0)
				pn = mnl_attr_get_u64(a);
		}
		if (!tx || an < 0 || an >= VSECY_NUM_AN)
			continue;
		d->txsa_mask |= (uint8_t)(1 << an);
		if (an == d->want_an) {
			d->found = true;
			d->pn = pn;
		}
	}
}

static int dump_add_rxsc(struct vs_dump *d, uint64_t sci)
{
	if (d->n_rxsc == d->cap_rxsc) {
		size_t cap = d->cap_rxsc ? 2 * d->cap_rxsc : 64;
		uint64_t *p = reallocarray(d->rxsc, cap, sizeof(*p));

		if (!p) {
			d->nomem = true;
			return -1;
		}
		d->rxsc = p;
		d->cap_rxsc = cap;
	}
	d->rxsc[d->n_rxsc++] = sci;
	return 0;
}

static int dump_cb(const struct nlmsghdr *h, void *data)
{
	struct vs_dump *d = data;
	const struct nlattr *a, *b, *c;

	mnl_attr_for_each(a, h, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case VSECY_A_SECY:
			mnl_attr_for_each_nested(b, a)
				if (mnl_attr_get_type(b) == VSECY_SECY_A_SCI &&
				    mnl_attr_validate(b, MNL_TYPE_U64) >= 0)
					d->sci = mnl_attr_get_u64(b);
			break;
		case VSECY_A_TXSC:
			mnl_attr_for_each_nested(b, a)
				if (mnl_attr_get_type(b) == VSECY_TXSC_A_SA_LIST)
					dump_sas(b, d, true);
			break;
		case VSECY_A_RXSC_LIST:
			mnl_attr_for_each_nested(b, a)
				mnl_attr_for_each_nested(c, b)
					if (mnl_attr_get_type(c) == VSECY_RXSC_A_SCI &&
					    mnl_attr_validate(c, MNL_TYPE_U64) >= 0 &&
					    dump_add_rxsc(d, mnl_attr_get_u64(c)))
						return MNL_CB_ERROR;
			break;
		}
	}
	return MNL_CB_OK;
}

/*
 * The SecY as a dump filtered on its ifindex, not a GET: the module caps
 * a GET's reply (VSECY_GET_MAX_REPLY), while a dump carries a SecY of any
 * size over as many messages as it takes. The caller frees d->rxsc.
 */
static int vs_dump(struct secy *s, struct vs_dump *d, int want_an)
{
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_GET_SECY);
	int rc;

	memset(d, 0, sizeof(*d));
	d->want_an = want_an;
	h->nlmsg_flags |= NLM_F_DUMP;
	rc = vs_talk(s, h, dump_cb, d, "get secy");
	if (d->nomem)
		rc = -ENOMEM;
	if (rc) {
		free(d->rxsc);
		d->rxsc = NULL;
	}
	return rc;
}

static void put_an(struct nlmsghdr *h, uint8_t an, int active)
{
	struct nlattr *n = mnl_attr_nest_start(h, VSECY_A_SA);

	mnl_attr_put_u8(h, VSECY_SA_A_AN, an);
	if (active >= 0)
		mnl_attr_put_u8(h, VSECY_SA_A_ACTIVE, (uint8_t)active);
	mnl_attr_nest_end(h, n);
}

static void put_rxsc(struct nlmsghdr *h, uint64_t sci)
{
	struct nlattr *n = mnl_attr_nest_start(h, VSECY_A_RXSC);

	mnl_attr_put_u64(h, VSECY_RXSC_A_SCI, sci);
	mnl_attr_nest_end(h, n);
}

/*
 * An active SA cannot be deleted: it is set off first. An RX SA when
 * rx_sci is given, else the TX SA.
 */
static int vs_sa_off_del(struct secy *s, bool rx, uint64_t rx_sci, uint8_t an,
			 const char *what)
{
	struct nlmsghdr *h = vs_req(s, rx ? VSECY_CMD_UPD_RXSA : VSECY_CMD_UPD_TXSA);

	if (rx)
		put_rxsc(h, rx_sci);
	put_an(h, an, 0);
	vs_talk(s, h, NULL, NULL, NULL);
	h = vs_req(s, rx ? VSECY_CMD_DEL_RXSA : VSECY_CMD_DEL_TXSA);
	if (rx)
		put_rxsc(h, rx_sci);
	put_an(h, an, -1);
	return vs_talk(s, h, NULL, NULL, what);
}

static int vs_rxsc(struct secy *s, uint64_t sci, uint8_t cmd, const char *what)
{
	struct nlmsghdr *h = vs_req(s, cmd);

	put_rxsc(h, sci);
	return vs_talk(s, h, NULL, NULL, what);
}

static int vs_set_sci(struct secy *s, uint64_t sci, uint16_t port)
{
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_SET_SECY);
	struct nlattr *n = mnl_attr_nest_start(h, VSECY_A_SECY);
	int rc;

	mnl_attr_put_u64(h, VSECY_SECY_A_SCI, sci);
	mnl_attr_nest_end(h, n);
	rc = vs_talk(s, h, NULL, NULL, "set sci");
	if (!rc) {
		s->sci = sci;
		s->port = port;
	}
	return rc;
}

/* A device left by an earlier run: its SAs and RX SCs go, its SCI is ours. */
static int vs_take_over(struct secy *s)
{
	struct vsecy_priv *v = s->priv;
	struct vs_dump d;
	char kind[16];
	int link = 0, an, rc;
	size_t i;

	rc = nl_link_kind(&v->rtnl, s->ifindex, kind, sizeof(kind), &link);
	if (rc || strcmp(kind, "vsecy") || link != s->lower_ifindex) {
		log_err("secy[vsecy]: %s exists and is not a vsecy device on %s (kind '%s')",
			s->ifname, s->lower, kind);
		return -EEXIST;
	}
	rc = vs_dump(s, &d, -1);
	if (rc)
		return rc;
	for (an = 0; an < VSECY_NUM_AN; an++)
		if (d.txsa_mask & (1 << an))
			vs_sa_off_del(s, false, 0, (uint8_t)an, "remove stale tx sa");
	for (i = 0; i < d.n_rxsc; i++)
		vs_rxsc(s, d.rxsc[i], VSECY_CMD_DEL_RXSC, "remove stale rx sc");
	free(d.rxsc);
	log_warn("secy[vsecy]: %s exists already: using it (left on exit); removed %d stale TX SA(s) and %zu RX SC(s)",
		 s->ifname, __builtin_popcount(d.txsa_mask), d.n_rxsc);
	if (d.sci != s->sci) {
		log_warn("secy[vsecy]: %s had SCI %016" PRIx64 ", setting ours, %016" PRIx64,
			 s->ifname, d.sci, s->sci);
		rc = vs_set_sci(s, s->sci, s->port);
	}
	return rc;
}

/*
 * Joins the family's "events" group on a non-blocking socket of its own.
 * Without it the KaY polls the TX PN instead, so a failure is a warning.
 */
static void vs_events_open(struct secy *s)
{
	struct vsecy_priv *v = s->priv;

	if (!v->ev_group) {
		log_warn("secy[vsecy]: the %s family has no \"%s\" group: polling the TX PN",
			 VSECY_GENL_NAME, VSECY_GENL_MCGRP_EVENTS);
		return;
	}
	v->ev = mnl_socket_open2(NETLINK_GENERIC, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!v->ev || mnl_socket_bind(v->ev, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(v->ev, NETLINK_ADD_MEMBERSHIP, &v->ev_group,
				  sizeof(v->ev_group)) < 0) {
		log_warn("secy[vsecy]: cannot join the %s group: %s; polling the TX PN",
			 VSECY_GENL_MCGRP_EVENTS, strerror(errno));
		if (v->ev)
			mnl_socket_close(v->ev);
		v->ev = NULL;
		return;
	}
	log_info("secy[vsecy]: listening to the %s group (id %u) for PN events",
		 VSECY_GENL_MCGRP_EVENTS, v->ev_group);
}

static int vs_params(struct secy *s, const struct secy_params *p, const char *what);

/*
 * Offsets 30 and 50 are asked for, with no SA in place: a module that
 * refuses them (EOPNOTSUPP) has capability 2, one that takes them 3.
 */
static void vs_probe_caps(struct secy *s)
{
	struct secy_params p = { .cipher_suite = VSECY_CS_GCM_AES_128, .encrypt = true,
				 .conf_offset = 30, .include_sci = true };
	int rc = vs_params(s, &p, NULL);

	s->caps = (struct secy_caps){
		.suites = (1u << CS_COUNT) - 1,
		.capability = rc ? 2 : 3,
		.cs_change_in_place = true,
		.events = ((struct vsecy_priv *)s->priv)->ev != NULL,
		.tx_pn = true,
		.port_control = true,
	};
	if (rc && rc != -EOPNOTSUPP)
		log_warn("secy[vsecy]: confidentiality offset 30 refused (%s): announcing capability 2",
			 strerror(-rc));
	p.conf_offset = 0;
	vs_params(s, &p, "set secy");
}

static int vs_create(struct secy *s)
{
	struct vsecy_priv *v = calloc(1, sizeof(*v));
	int rc;

	if (!v)
		return -ENOMEM;
	s->priv = v;
	rc = nl_open(&v->genl, NETLINK_GENERIC);
	if (!rc)
		rc = nl_open(&v->rtnl, NETLINK_ROUTE);
	if (rc) {
		log_err("secy[vsecy]: netlink sockets: %s", strerror(-rc));
		return rc;
	}
	/* Creating the link loads the module, and with it the family. */
	s->ifindex = (int)if_nametoindex(s->ifname);
	if (!s->ifindex) {
		rc = vs_create_link(s);
		if (rc) {
			log_err("secy[vsecy]: cannot create %s on %s (is the vsecy module available?)",
				s->ifname, s->lower);
			return rc;
		}
		s->created = true;
		s->ifindex = (int)if_nametoindex(s->ifname);
		if (!s->ifindex)
			return -ENODEV;
	}
	rc = nl_family(&v->genl, VSECY_GENL_NAME, VSECY_GENL_MCGRP_EVENTS, &v->family,
		       &v->ev_group);
	if (rc) {
		log_err("secy[vsecy]: generic netlink family %s not found", VSECY_GENL_NAME);
		return rc;
	}
	if (!s->created) {
		rc = vs_take_over(s);
		if (rc)
			return rc;
	}
	nl_link_up(&v->rtnl, s->ifindex);
	vs_events_open(s);
	vs_probe_caps(s);
	log_info("secy[vsecy]: %s on %s, ifindex %d, SCI %016" PRIx64 ", capability %u",
		 s->ifname, s->lower, s->ifindex, s->sci, s->caps.capability);
	return 0;
}

static void vs_destroy(struct secy *s)
{
	struct vsecy_priv *v = s->priv;

	if (!v)
		return;
	if (s->created && s->ifindex && v->rtnl.sock &&
	    nl_link_del(&v->rtnl, s->ifindex) == 0)
		log_info("secy[vsecy]: deleted %s", s->ifname);
	nl_close(&v->genl);
	nl_close(&v->rtnl);
	if (v->ev)
		mnl_socket_close(v->ev);
	free(v);
	s->priv = NULL;
}

static int vs_params(struct secy *s, const struct secy_params *p, const char *what)
{
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_SET_SECY);
	struct nlattr *n = mnl_attr_nest_start(h, VSECY_A_SECY);

	mnl_attr_put_u64(h, VSECY_SECY_A_CIPHER_SUITE, p->cipher_suite);
	mnl_attr_put_u8(h, VSECY_SECY_A_ENCRYPT, p->encrypt);
	mnl_attr_put_u8(h, VSECY_SECY_A_CONF_OFFSET, (uint8_t)p->conf_offset);
	mnl_attr_put_u8(h, VSECY_SECY_A_REPLAY, p->replay_protect);
	mnl_attr_put_u32(h, VSECY_SECY_A_WINDOW, p->replay_window);
	mnl_attr_put_u8(h, VSECY_SECY_A_INC_SCI, p->include_sci);
	if (p->pn_threshold)
		mnl_attr_put_u64(h, VSECY_SECY_A_PN_THRESHOLD, p->pn_threshold);
	mnl_attr_nest_end(h, n);
	return vs_talk(s, h, NULL, NULL, what);
}

static int vs_set_params(struct secy *s, const struct secy_params *p)
{
	return vs_params(s, p, "set secy");
}

static int vs_set_port(struct secy *s, enum secy_port_mode mode)
{
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_SET_SECY);
	struct nlattr *n = mnl_attr_nest_start(h, VSECY_A_SECY);
	bool open = mode == SECY_PORT_UNSECURED;

	mnl_attr_put_u8(h, VSECY_SECY_A_PROTECT, !open);
	mnl_attr_put_u8(h, VSECY_SECY_A_VALIDATE,
			open ? VSECY_VALIDATE_DISABLED : VSECY_VALIDATE_STRICT);
	mnl_attr_nest_end(h, n);
	return vs_talk(s, h, NULL, NULL, "set controlled port");
}

static int vs_add_rxsc(struct secy *s, uint64_t sci)
{
	return vs_rxsc(s, sci, VSECY_CMD_ADD_RXSC, "add rx sc");
}

static int vs_del_rxsc(struct secy *s, uint64_t sci)
{
	return vs_rxsc(s, sci, VSECY_CMD_DEL_RXSC, "del rx sc");
}

static void put_sa(struct nlmsghdr *h, const struct secy_sa *sa, int active)
{
	struct nlattr *n = mnl_attr_nest_start(h, VSECY_A_SA);

	mnl_attr_put_u8(h, VSECY_SA_A_AN, sa->an);
	mnl_attr_put_u64(h, VSECY_SA_A_PN, sa->pn);
	mnl_attr_put(h, VSECY_SA_A_KEY, sa->key_len, sa->key);
	mnl_attr_put(h, VSECY_SA_A_KEYID, VSECY_KEYID_LEN, sa->keyid);
	if (sa->xpn) {
		mnl_attr_put_u32(h, VSECY_SA_A_SSCI, sa->ssci);
		mnl_attr_put(h, VSECY_SA_A_SALT, VSECY_SALT_LEN, sa->salt);
	}
	mnl_attr_put_u8(h, VSECY_SA_A_ACTIVE, (uint8_t)active);
	mnl_attr_nest_end(h, n);
}

static int vs_add_rxsa(struct secy *s, uint64_t sci, const struct secy_sa *sa)
{
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_ADD_RXSA);

	put_rxsc(h, sci);
	put_sa(h, sa, 1);
	return vs_talk(s, h, NULL, NULL, "add rx sa");
}

static int vs_del_rxsa(struct secy *s, uint64_t sci, uint8_t an)
{
	return vs_sa_off_del(s, true, sci, an, "del rx sa");
}

static int vs_add_txsa(struct secy *s, const struct secy_sa *sa)
{
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_ADD_TXSA);

	put_sa(h, sa, 0);
	return vs_talk(s, h, NULL, NULL, "add tx sa");
}

static int vs_use_txsa(struct secy *s, uint8_t an)
{
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_UPD_TXSA);
	struct nlattr *n;
	int rc;

	put_an(h, an, 1);
	rc = vs_talk(s, h, NULL, NULL, "activate tx sa");
	if (rc)
		return rc;
	h = vs_req(s, VSECY_CMD_SET_SECY);
	n = mnl_attr_nest_start(h, VSECY_A_SECY);
	mnl_attr_put_u8(h, VSECY_SECY_A_ENCODING_SA, an);
	mnl_attr_nest_end(h, n);
	return vs_talk(s, h, NULL, NULL, "set encoding sa");
}

static int vs_del_txsa(struct secy *s, uint8_t an)
{
	return vs_sa_off_del(s, false, 0, an, "del tx sa");
}

static int vs_get_tx_pn(struct secy *s, uint8_t an, uint64_t *pn)
{
	struct vs_dump d;
	int rc;

	rc = vs_dump(s, &d, an);
	if (rc)
		return rc;
	free(d.rxsc);
	if (!d.found)
		return -ENOENT;
	*pn = d.pn;
	return 0;
}

/*
 * One message of the events group: a PN event of the SecY at @ifindex
 * fills @ev and returns 1; any other event (the group also announces
 * every configuration change, ours included) or SecY returns 0.
 */
int secy_vsecy_parse_event(const struct nlmsghdr *h, uint16_t family,
			   int ifindex, struct secy_event *ev)
{
	const struct genlmsghdr *g;
	const struct nlattr *a, *b;
	bool mine = false, has_an = false;

	if (h->nlmsg_type != family ||
	    h->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*g))
		return 0;
	g = mnl_nlmsg_get_payload(h);
	memset(ev, 0, sizeof(*ev));
	if (g->cmd == VSECY_CMD_PN_THRESHOLD)
		ev->type = SECY_EV_PN_THRESHOLD;
	else if (g->cmd == VSECY_CMD_PN_EXHAUSTED)
		ev->type = SECY_EV_PN_EXHAUSTED;
	else
		return 0;
	mnl_attr_for_each(a, h, sizeof(*g)) {
		if (mnl_attr_get_type(a) == VSECY_A_IFINDEX &&
		    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			mine = mnl_attr_get_u32(a) == (uint32_t)ifindex;
		if (mnl_attr_get_type(a) != VSECY_A_SA)
			continue;
		mnl_attr_for_each_nested(b, a) {
			switch (mnl_attr_get_type(b)) {
			case VSECY_SA_A_AN:
				if (mnl_attr_validate(b, MNL_TYPE_U8) >= 0) {
					ev->an = mnl_attr_get_u8(b);
					has_an = true;
				}
				break;
			case VSECY_SA_A_PN:
				if (mnl_attr_validate(b, MNL_TYPE_U64) >= 0)
					ev->pn = mnl_attr_get_u64(b);
				break;
			case VSECY_SA_A_KEYID:
				if (mnl_attr_get_payload_len(b) == VSECY_KEYID_LEN) {
					memcpy(ev->keyid, mnl_attr_get_payload(b),
					       VSECY_KEYID_LEN);
					ev->has_keyid = true;
				}
				break;
			}
		}
	}
	return mine && has_an && ev->an < VSECY_NUM_AN;
}

static int vs_event_fd(struct secy *s)
{
	struct vsecy_priv *v = s->priv;

	return v && v->ev ? mnl_socket_get_fd(v->ev) : -1;
}

/*
 * Reads every pending message. A full socket buffer loses events and is
 * reported as ENOBUFS (vsecy.h, "Events"): the KaY is then told to read
 * the TX PN once (SECY_EV_LOST), which stands for whatever was lost.
 */
static void vs_read_events(struct secy *s, secy_event_fn fn, void *ctx)
{
	struct vsecy_priv *v = s->priv;
	bool lost = false;

	if (!v || !v->ev)
		return;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(v->ev, v->ev_buf, sizeof(v->ev_buf));
		const struct nlmsghdr *h;
		struct secy_event ev;
		int left;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				lost = true;
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("secy[vsecy]: events: %s", strerror(errno));
			break;
		}
		left = (int)n;
		for (h = (const struct nlmsghdr *)v->ev_buf; mnl_nlmsg_ok(h, left);
		     h = mnl_nlmsg_next(h, &left))
			if (secy_vsecy_parse_event(h, v->family, s->ifindex, &ev))
				fn(ctx, &ev);
	}
	if (lost) {
		struct secy_event ev = { .type = SECY_EV_LOST };

		log_warn("secy[vsecy]: events lost (ENOBUFS): reading the TX PN once");
		fn(ctx, &ev);
	}
}

const struct secy_ops secy_vsecy_ops = {
	.name = "vsecy",
	.create = vs_create,
	.destroy = vs_destroy,
	.set_params = vs_set_params,
	.set_port = vs_set_port,
	.set_sci = vs_set_sci,
	.add_rxsc = vs_add_rxsc,
	.del_rxsc = vs_del_rxsc,
	.add_rxsa = vs_add_rxsa,
	.del_rxsa = vs_del_rxsa,
	.add_txsa = vs_add_txsa,
	.use_txsa = vs_use_txsa,
	.del_txsa = vs_del_txsa,
	.get_tx_pn = vs_get_tx_pn,
	.event_fd = vs_event_fd,
	.read_events = vs_read_events,
};
