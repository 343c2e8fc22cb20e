// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: SecY backends.
 *
 * "vsecy" programs the vsecy module: the link through rtnetlink (kind
 * "vsecy" on the lower device), SAs and SCs through the generic-netlink
 * family "vsecy" (include/uapi/linux/vsecy.h). Key bytes only ever sit in
 * the request buffer, which is wiped once sent; replies never carry keys.
 *
 * "log" installs nothing and logs what it would install (key identifiers,
 * never keys), so MKA can run and be tested without the module.
 *
 * "macsec" programs the kernel's macsec driver instead (see below).
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/if_macsec.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "crypto.h"
#include "log.h"
#include "secy.h"
#include "../../include/uapi/linux/vsecy.h"

uint64_t secy_make_sci(const uint8_t mac[6], uint16_t port)
{
	uint64_t sci = 0;
	int i;

	for (i = 0; i < 6; i++)
		sci = sci << 8 | mac[i];
	return sci << 16 | port;
}

static void keyid_txt(const uint8_t *ki, char out[33])
{
	int i;

	for (i = 0; i < 16; i++)
		sprintf(out + 2 * i, "%02x", ki[i]);
}

/* log ---------------------------------------------------------------- */

static int log_create(struct secy *s)
{
	log_info("secy[log]: would create %s on %s, SCI %016" PRIx64, s->ifname,
		 s->lower, s->sci);
	return 0;
}

static void log_destroy(struct secy *s)
{
	log_info("secy[log]: would delete %s", s->ifname);
}

static int log_set_params(struct secy *s, const struct secy_params *p)
{
	(void)s;
	log_info("secy[log]: set cipher suite %016" PRIx64
		 " encrypt %s offset %d replay %s window %u pn threshold %" PRIu64,
		 p->cipher_suite, p->encrypt ? "on" : "off", p->conf_offset,
		 p->replay_protect ? "on" : "off", p->replay_window, p->pn_threshold);
	return 0;
}

static int log_add_rxsc(struct secy *s, uint64_t sci)
{
	(void)s;
	log_info("secy[log]: add rx sc sci %016" PRIx64, sci);
	return 0;
}

static int log_del_rxsc(struct secy *s, uint64_t sci)
{
	(void)s;
	log_info("secy[log]: del rx sc sci %016" PRIx64, sci);
	return 0;
}

static int log_add_rxsa(struct secy *s, uint64_t sci, const struct secy_sa *sa)
{
	char ki[33];

	(void)s;
	keyid_txt(sa->keyid, ki);
	log_info("secy[log]: add rx sa sci %016" PRIx64 " an %u pn %" PRIu64
		 " keyid %s keylen %zu%s", sci, sa->an, sa->pn, ki, sa->key_len,
		 sa->xpn ? " xpn" : "");
	if (sa->xpn)
		log_info("secy[log]: rx sa an %u ssci %u", sa->an, sa->ssci);
	return 0;
}

static int log_del_rxsa(struct secy *s, uint64_t sci, uint8_t an)
{
	(void)s;
	log_info("secy[log]: del rx sa sci %016" PRIx64 " an %u", sci, an);
	return 0;
}

static int log_add_txsa(struct secy *s, const struct secy_sa *sa)
{
	char ki[33];

	(void)s;
	keyid_txt(sa->keyid, ki);
	log_info("secy[log]: add tx sa an %u pn %" PRIu64 " keyid %s keylen %zu%s",
		 sa->an, sa->pn, ki, sa->key_len, sa->xpn ? " xpn" : "");
	if (sa->xpn)
		log_info("secy[log]: tx sa an %u ssci %u", sa->an, sa->ssci);
	return 0;
}

static int log_use_txsa(struct secy *s, uint8_t an)
{
	(void)s;
	log_info("secy[log]: encoding sa an %u (tx sa active)", an);
	return 0;
}

static int log_del_txsa(struct secy *s, uint8_t an)
{
	(void)s;
	log_info("secy[log]: del tx sa an %u", an);
	return 0;
}

static const struct secy_ops log_ops = {
	.name = "log",
	.create = log_create,
	.destroy = log_destroy,
	.set_params = log_set_params,
	.add_rxsc = log_add_rxsc,
	.del_rxsc = log_del_rxsc,
	.add_rxsa = log_add_rxsa,
	.del_rxsa = log_del_rxsa,
	.add_txsa = log_add_txsa,
	.use_txsa = log_use_txsa,
	.del_txsa = log_del_txsa,
};

/* vsecy --------------------------------------------------------------- */

struct vsecy_nl {
	struct mnl_socket *genl, *rtnl;
	uint16_t family;
	uint32_t seq;
	uint8_t txsa_present[VSECY_NUM_AN];
	/* The "events" multicast group, on a socket of its own so that
	 * events never mix with the answers nl_talk() waits for.
	 */
	struct mnl_socket *ev;
	uint32_t ev_group;
};

static char nl_buf[8192];

/*
 * Sends the request in nl_buf, wipes it, and reads the answer: data
 * messages go to cb, the ack's error is returned (negative errno) and its
 * extack message, if any, is logged.
 */
static int nl_talk(struct mnl_socket *sock, struct nlmsghdr *req,
		   mnl_cb_t cb, void *data, const char *what)
{
	uint32_t seq = req->nlmsg_seq, portid = mnl_socket_get_portid(sock);
	char rbuf[32768];
	ssize_t n = mnl_socket_sendto(sock, req, req->nlmsg_len);
	int err = 0, done = 0;

	crypto_wipe(req, req->nlmsg_len);
	if (n < 0)
		return -errno;
	while (!done) {
		struct nlmsghdr *h;
		int left;

		n = mnl_socket_recvfrom(sock, rbuf, sizeof(rbuf));
		if (n < 0)
			return -errno;
		left = (int)n;
		for (h = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(h, left);
		     h = mnl_nlmsg_next(h, &left)) {
			if (h->nlmsg_seq != seq || h->nlmsg_pid != portid)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
				const char *msg = NULL;

				err = e->error;
				if (err && (h->nlmsg_flags & NLM_F_ACK_TLVS)) {
					size_t off = sizeof(*e);
					struct nlattr *a;

					if (!(h->nlmsg_flags & NLM_F_CAPPED))
						off += e->msg.nlmsg_len - sizeof(e->msg);
					mnl_attr_for_each(a, h, off)
						if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
							msg = mnl_attr_get_str(a);
				}
				if (err)
					log_err("%s: %s%s%s", what, strerror(-err),
						msg ? ": " : "", msg ? msg : "");
				done = 1;
				break;
			}
			if (cb && cb(h, data) < 0) {
				err = -EPROTO;
			}
		}
	}
	return err;
}

/* What CTRL_CMD_GETFAMILY tells: the family's id, a multicast group's. */
struct family_query {
	uint16_t id;
	const char *group;	/* NULL: no group wanted */
	uint32_t group_id;
};

static void group_of(const struct nlattr *groups, struct family_query *q)
{
	const struct nlattr *g, *a;

	mnl_attr_for_each_nested(g, groups) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, g) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID &&
				 mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
				id = mnl_attr_get_u32(a);
		}
		if (name && q->group && !strcmp(name, q->group))
			q->group_id = id;
	}
}

static int family_cb(const struct nlmsghdr *h, void *data)
{
	struct family_query *q = data;
	struct nlattr *a;

	mnl_attr_for_each(a, h, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			q->id = mnl_attr_get_u16(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
			group_of(a, q);
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *genl_req(struct vsecy_nl *v, uint16_t type, uint8_t cmd,
				 uint8_t version)
{
	struct nlmsghdr *h = mnl_nlmsg_put_header(nl_buf);
	struct genlmsghdr *g;

	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = ++v->seq;
	g = mnl_nlmsg_put_extra_header(h, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return h;
}

static struct nlmsghdr *vs_req(struct secy *s, uint8_t cmd)
{
	struct vsecy_nl *v = s->priv;
	struct nlmsghdr *h = genl_req(v, v->family, cmd, VSECY_GENL_VERSION);

	mnl_attr_put_u32(h, VSECY_A_IFINDEX, (uint32_t)s->ifindex);
	return h;
}

static int rt_link(struct secy *s, uint16_t type, uint16_t flags, bool create)
{
	struct vsecy_nl *v = s->priv;
	struct nlmsghdr *h = mnl_nlmsg_put_header(nl_buf);
	struct ifinfomsg *ifi;

	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = ++v->seq;
	ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (create) {
		struct nlattr *li, *d;

		mnl_attr_put_strz(h, IFLA_IFNAME, s->ifname);
		mnl_attr_put_u32(h, IFLA_LINK, (uint32_t)s->lower_ifindex);
		li = mnl_attr_nest_start(h, IFLA_LINKINFO);
		mnl_attr_put_strz(h, IFLA_INFO_KIND, "vsecy");
		d = mnl_attr_nest_start(h, IFLA_INFO_DATA);
		mnl_attr_put_u16(h, VSECY_SECY_A_PORT, s->port);
		mnl_attr_nest_end(h, d);
		mnl_attr_nest_end(h, li);
	} else {
		ifi->ifi_index = s->ifindex;
		if (type == RTM_NEWLINK) {
			ifi->ifi_flags = IFF_UP;
			ifi->ifi_change = IFF_UP;
		}
	}
	return nl_talk(v->rtnl, h, NULL, NULL, create ? "create link" : "link");
}

/*
 * Joins the family's "events" group on a non-blocking socket of its own.
 * Without it the KaY polls the TX PN instead, so a failure is a warning.
 */
static void vs_events_open(struct secy *s)
{
	struct vsecy_nl *v = s->priv;

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

static int vs_create(struct secy *s)
{
	struct vsecy_nl *v = calloc(1, sizeof(*v));
	struct family_query fq = { .group = VSECY_GENL_MCGRP_EVENTS };
	struct nlmsghdr *h;
	int rc;

	if (!v)
		return -ENOMEM;
	s->priv = v;
	v->seq = (uint32_t)time(NULL);
	v->genl = mnl_socket_open(NETLINK_GENERIC);
	v->rtnl = mnl_socket_open(NETLINK_ROUTE);
	if (!v->genl || !v->rtnl ||
	    mnl_socket_bind(v->genl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(v->rtnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		log_err("secy[vsecy]: netlink sockets: %s", strerror(errno));
		return -errno;
	}
	rc = 1;
	mnl_socket_setsockopt(v->genl, NETLINK_EXT_ACK, &rc, sizeof(rc));
	mnl_socket_setsockopt(v->rtnl, NETLINK_EXT_ACK, &rc, sizeof(rc));

	s->ifindex = (int)if_nametoindex(s->ifname);
	if (s->ifindex) {
		log_warn("secy[vsecy]: %s exists already; using it and leaving it on exit",
			 s->ifname);
	} else {
		rc = rt_link(s, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, true);
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
	rt_link(s, RTM_NEWLINK, 0, false);

	h = genl_req(v, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(h, CTRL_ATTR_FAMILY_NAME, VSECY_GENL_NAME);
	rc = nl_talk(v->genl, h, family_cb, &fq, "resolve family vsecy");
	if (rc || !fq.id) {
		log_err("secy[vsecy]: generic netlink family %s not found", VSECY_GENL_NAME);
		return rc ? rc : -ENOENT;
	}
	v->family = fq.id;
	v->ev_group = fq.group_id;
	vs_events_open(s);
	log_info("secy[vsecy]: %s on %s, ifindex %d, SCI %016" PRIx64, s->ifname,
		 s->lower, s->ifindex, s->sci);
	return 0;
}

static void vs_destroy(struct secy *s)
{
	struct vsecy_nl *v = s->priv;

	if (!v)
		return;
	if (s->created && s->ifindex && v->rtnl) {
		if (rt_link(s, RTM_DELLINK, 0, false) == 0)
			log_info("secy[vsecy]: deleted %s", s->ifname);
	}
	if (v->genl)
		mnl_socket_close(v->genl);
	if (v->rtnl)
		mnl_socket_close(v->rtnl);
	if (v->ev)
		mnl_socket_close(v->ev);
	free(v);
	s->priv = NULL;
}

static int vs_set_params(struct secy *s, const struct secy_params *p)
{
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_SET_SECY);
	struct nlattr *n = mnl_attr_nest_start(h, VSECY_A_SECY);

	mnl_attr_put_u64(h, VSECY_SECY_A_CIPHER_SUITE, p->cipher_suite);
	mnl_attr_put_u8(h, VSECY_SECY_A_ENCRYPT, p->encrypt);
	mnl_attr_put_u8(h, VSECY_SECY_A_CONF_OFFSET, (uint8_t)p->conf_offset);
	mnl_attr_put_u8(h, VSECY_SECY_A_PROTECT, 1);
	mnl_attr_put_u8(h, VSECY_SECY_A_VALIDATE, VSECY_VALIDATE_STRICT);
	mnl_attr_put_u8(h, VSECY_SECY_A_REPLAY, p->replay_protect);
	mnl_attr_put_u32(h, VSECY_SECY_A_WINDOW, p->replay_window);
	if (p->pn_threshold)
		mnl_attr_put_u64(h, VSECY_SECY_A_PN_THRESHOLD, p->pn_threshold);
	mnl_attr_nest_end(h, n);
	return nl_talk(((struct vsecy_nl *)s->priv)->genl, h, NULL, NULL, "set secy");
}

static void put_rxsc(struct nlmsghdr *h, uint64_t sci)
{
	struct nlattr *n = mnl_attr_nest_start(h, VSECY_A_RXSC);

	mnl_attr_put_u64(h, VSECY_RXSC_A_SCI, sci);
	mnl_attr_nest_end(h, n);
}

static int vs_rxsc(struct secy *s, uint64_t sci, uint8_t cmd)
{
	struct nlmsghdr *h = vs_req(s, cmd);

	put_rxsc(h, sci);
	return nl_talk(((struct vsecy_nl *)s->priv)->genl, h, NULL, NULL,
		       cmd == VSECY_CMD_ADD_RXSC ? "add rx sc" : "del rx sc");
}

static int vs_add_rxsc(struct secy *s, uint64_t sci)
{
	return vs_rxsc(s, sci, VSECY_CMD_ADD_RXSC);
}

static int vs_del_rxsc(struct secy *s, uint64_t sci)
{
	return vs_rxsc(s, sci, VSECY_CMD_DEL_RXSC);
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

static void put_an(struct nlmsghdr *h, uint8_t an, int active)
{
	struct nlattr *n = mnl_attr_nest_start(h, VSECY_A_SA);

	mnl_attr_put_u8(h, VSECY_SA_A_AN, an);
	if (active >= 0)
		mnl_attr_put_u8(h, VSECY_SA_A_ACTIVE, (uint8_t)active);
	mnl_attr_nest_end(h, n);
}

static int vs_add_rxsa(struct secy *s, uint64_t sci, const struct secy_sa *sa)
{
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_ADD_RXSA);

	put_rxsc(h, sci);
	put_sa(h, sa, 1);
	return nl_talk(((struct vsecy_nl *)s->priv)->genl, h, NULL, NULL, "add rx sa");
}

static int vs_del_rxsa(struct secy *s, uint64_t sci, uint8_t an)
{
	struct vsecy_nl *v = s->priv;
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_UPD_RXSA);

	put_rxsc(h, sci);
	put_an(h, an, 0);
	nl_talk(v->genl, h, NULL, NULL, "deactivate rx sa");
	h = vs_req(s, VSECY_CMD_DEL_RXSA);
	put_rxsc(h, sci);
	put_an(h, an, -1);
	return nl_talk(v->genl, h, NULL, NULL, "del rx sa");
}

static int vs_add_txsa(struct secy *s, const struct secy_sa *sa)
{
	struct vsecy_nl *v = s->priv;
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_ADD_TXSA);
	int rc;

	put_sa(h, sa, 0);
	rc = nl_talk(v->genl, h, NULL, NULL, "add tx sa");
	if (!rc)
		v->txsa_present[sa->an & 3] = 1;
	return rc;
}

static int vs_use_txsa(struct secy *s, uint8_t an)
{
	struct vsecy_nl *v = s->priv;
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_UPD_TXSA);
	struct nlattr *n;
	int rc;

	put_an(h, an, 1);
	rc = nl_talk(v->genl, h, NULL, NULL, "activate tx sa");
	if (rc)
		return rc;
	h = vs_req(s, VSECY_CMD_SET_SECY);
	n = mnl_attr_nest_start(h, VSECY_A_SECY);
	mnl_attr_put_u8(h, VSECY_SECY_A_ENCODING_SA, an);
	mnl_attr_nest_end(h, n);
	return nl_talk(v->genl, h, NULL, NULL, "set encoding sa");
}

static int vs_del_txsa(struct secy *s, uint8_t an)
{
	struct vsecy_nl *v = s->priv;
	struct nlmsghdr *h;

	if (!v->txsa_present[an & 3])
		return 0;
	h = vs_req(s, VSECY_CMD_UPD_TXSA);
	put_an(h, an, 0);
	nl_talk(v->genl, h, NULL, NULL, "deactivate tx sa");
	h = vs_req(s, VSECY_CMD_DEL_TXSA);
	put_an(h, an, -1);
	v->txsa_present[an & 3] = 0;
	return nl_talk(v->genl, h, NULL, NULL, "del tx sa");
}

struct pn_query {
	uint8_t an;
	bool found;
	uint64_t pn;
};

static int pn_cb(const struct nlmsghdr *h, void *data)
{
	struct pn_query *q = data;
	struct nlattr *a, *b, *c, *d;

	mnl_attr_for_each(a, h, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != VSECY_A_TXSC)
			continue;
		mnl_attr_for_each_nested(b, a) {
			if (mnl_attr_get_type(b) != VSECY_TXSC_A_SA_LIST)
				continue;
			mnl_attr_for_each_nested(c, b) {
				int an = -1;
				uint64_t pn = 0;

				mnl_attr_for_each_nested(d, c) {
					if (mnl_attr_get_type(d) == VSECY_SA_A_AN)
						an = mnl_attr_get_u8(d);
					else if (mnl_attr_get_type(d) == VSECY_SA_A_PN)
						pn = mnl_attr_get_u64(d);
				}
				if (an == q->an) {
					q->found = true;
					q->pn = pn;
				}
			}
		}
	}
	return MNL_CB_OK;
}

static int vs_get_tx_pn(struct secy *s, uint8_t an, uint64_t *pn)
{
	struct pn_query q = { .an = an };
	struct nlmsghdr *h = vs_req(s, VSECY_CMD_GET_SECY);

	if (nl_talk(((struct vsecy_nl *)s->priv)->genl, h, pn_cb, &q, "get secy") ||
	    !q.found)
		return -1;
	*pn = q.pn;
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

static bool vs_has_events(struct secy *s)
{
	struct vsecy_nl *v = s->priv;

	return v && v->ev;
}

static int vs_event_fd(struct secy *s)
{
	struct vsecy_nl *v = s->priv;

	return v && v->ev ? mnl_socket_get_fd(v->ev) : -1;
}

/*
 * Reads every pending message. A full socket buffer loses events and is
 * reported as ENOBUFS (vsecy.h, "Events"): the KaY is then told to read
 * the TX PN once (SECY_EV_LOST), which stands for whatever was lost.
 */
static void vs_read_events(struct secy *s, secy_event_fn fn, void *ctx)
{
	static char buf[16384] __attribute__((aligned(4)));
	struct vsecy_nl *v = s->priv;
	bool lost = false;

	if (!v || !v->ev)
		return;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(v->ev, buf, sizeof(buf));
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
		for (h = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(h, left);
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

static const struct secy_ops vsecy_ops = {
	.name = "vsecy",
	.create = vs_create,
	.destroy = vs_destroy,
	.set_params = vs_set_params,
	.add_rxsc = vs_add_rxsc,
	.del_rxsc = vs_del_rxsc,
	.add_rxsa = vs_add_rxsa,
	.del_rxsa = vs_del_rxsa,
	.add_txsa = vs_add_txsa,
	.use_txsa = vs_use_txsa,
	.del_txsa = vs_del_txsa,
	.get_tx_pn = vs_get_tx_pn,
	.has_events = vs_has_events,
	.event_fd = vs_event_fd,
	.read_events = vs_read_events,
};

/* macsec -------------------------------------------------------------- */

/*
 * The kernel's own macsec driver, programmed as wpa_supplicant's
 * macsec_linux does: for running MKA and the datapath end to end where the
 * vsecy module is not available, and as a reference. Its link is created
 * with the first SAK's parameters because the cipher suite of a macsec
 * link cannot change; it has no confidentiality offset (0 is used) and
 * takes SCIs in network byte order.
 */
#define MS_MAX_RXSC 64

struct macsec_nl {
	struct vsecy_nl nl;
	bool link;
	uint64_t cs;
	int n_rxsc;
	uint64_t rxsc[MS_MAX_RXSC];
};

static int ms_link(struct secy *s, const struct secy_params *p, bool create,
		   int encoding_sa)
{
	struct macsec_nl *m = s->priv;
	struct nlmsghdr *h = mnl_nlmsg_put_header(nl_buf);
	struct ifinfomsg *ifi;
	struct nlattr *li, *d;

	h->nlmsg_type = RTM_NEWLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
			 (create ? NLM_F_CREATE | NLM_F_EXCL : 0);
	h->nlmsg_seq = ++m->nl.seq;
	ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (create) {
		mnl_attr_put_strz(h, IFLA_IFNAME, s->ifname);
		mnl_attr_put_u32(h, IFLA_LINK, (uint32_t)s->lower_ifindex);
	} else {
		ifi->ifi_index = s->ifindex;
	}
	li = mnl_attr_nest_start(h, IFLA_LINKINFO);
	mnl_attr_put_strz(h, IFLA_INFO_KIND, "macsec");
	d = mnl_attr_nest_start(h, IFLA_INFO_DATA);
	if (create) {
		mnl_attr_put_u16(h, IFLA_MACSEC_PORT, htobe16(s->port));	/* __be16 */
		mnl_attr_put_u64(h, IFLA_MACSEC_CIPHER_SUITE, p->cipher_suite);
		mnl_attr_put_u8(h, IFLA_MACSEC_ICV_LEN, 16);
		mnl_attr_put_u8(h, IFLA_MACSEC_PROTECT, 1);
		mnl_attr_put_u8(h, IFLA_MACSEC_VALIDATION, MACSEC_VALIDATE_STRICT);
	}
	if (p) {
		mnl_attr_put_u8(h, IFLA_MACSEC_ENCRYPT, p->encrypt);
		mnl_attr_put_u8(h, IFLA_MACSEC_REPLAY_PROTECT, p->replay_protect);
		if (p->replay_protect)
			mnl_attr_put_u32(h, IFLA_MACSEC_WINDOW, p->replay_window);
	}
	if (encoding_sa >= 0)
		mnl_attr_put_u8(h, IFLA_MACSEC_ENCODING_SA, (uint8_t)encoding_sa);
	mnl_attr_nest_end(h, d);
	mnl_attr_nest_end(h, li);
	return nl_talk(m->nl.rtnl, h, NULL, NULL, create ? "create macsec link" :
		       "change macsec link");
}

static int ms_create(struct secy *s)
{
	struct macsec_nl *m = calloc(1, sizeof(*m));
	struct family_query fq = { 0 };
	struct nlmsghdr *h;
	int rc = 1;

	if (!m)
		return -ENOMEM;
	s->priv = m;
	m->nl.seq = (uint32_t)time(NULL);
	m->nl.genl = mnl_socket_open(NETLINK_GENERIC);
	m->nl.rtnl = mnl_socket_open(NETLINK_ROUTE);
	if (!m->nl.genl || !m->nl.rtnl ||
	    mnl_socket_bind(m->nl.genl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(m->nl.rtnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		log_err("secy[macsec]: netlink sockets: %s", strerror(errno));
		return -errno;
	}
	mnl_socket_setsockopt(m->nl.genl, NETLINK_EXT_ACK, &rc, sizeof(rc));
	mnl_socket_setsockopt(m->nl.rtnl, NETLINK_EXT_ACK, &rc, sizeof(rc));
	if (if_nametoindex(s->ifname)) {
		log_err("secy[macsec]: %s exists already", s->ifname);
		return -EEXIST;
	}
	h = genl_req(&m->nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(h, CTRL_ATTR_FAMILY_NAME, MACSEC_GENL_NAME);
	rc = nl_talk(m->nl.genl, h, family_cb, &fq, "resolve family macsec");
	if (rc || !fq.id) {
		log_err("secy[macsec]: no macsec generic netlink family (modprobe macsec)");
		return rc ? rc : -ENOENT;
	}
	m->nl.family = fq.id;
	log_info("secy[macsec]: %s on %s will be created with the first SAK",
		 s->ifname, s->lower);
	return 0;
}

static void ms_destroy(struct secy *s)
{
	struct macsec_nl *m = s->priv;

	if (!m)
		return;
	if (m->link && s->ifindex && rt_link(s, RTM_DELLINK, 0, false) == 0)
		log_info("secy[macsec]: deleted %s", s->ifname);
	if (m->nl.genl)
		mnl_socket_close(m->nl.genl);
	if (m->nl.rtnl)
		mnl_socket_close(m->nl.rtnl);
	free(m);
	s->priv = NULL;
}

static struct nlmsghdr *ms_req(struct secy *s, uint8_t cmd)
{
	struct macsec_nl *m = s->priv;
	struct nlmsghdr *h = genl_req(&m->nl, m->nl.family, cmd, MACSEC_GENL_VERSION);

	mnl_attr_put_u32(h, MACSEC_ATTR_IFINDEX, (uint32_t)s->ifindex);
	return h;
}

static void ms_put_rxsc(struct nlmsghdr *h, uint64_t sci, int active)
{
	struct nlattr *n = mnl_attr_nest_start(h, MACSEC_ATTR_RXSC_CONFIG);

	mnl_attr_put_u64(h, MACSEC_RXSC_ATTR_SCI, htobe64(sci));
	if (active >= 0)
		mnl_attr_put_u8(h, MACSEC_RXSC_ATTR_ACTIVE, (uint8_t)active);
	mnl_attr_nest_end(h, n);
}

static int ms_add_rxsc_nl(struct secy *s, uint64_t sci)
{
	struct nlmsghdr *h = ms_req(s, MACSEC_CMD_ADD_RXSC);

	ms_put_rxsc(h, sci, 1);
	return nl_talk(((struct macsec_nl *)s->priv)->nl.genl, h, NULL, NULL, "add rx sc");
}

static int ms_set_params(struct secy *s, const struct secy_params *p)
{
	struct macsec_nl *m = s->priv;
	int rc, i;

	if (p->conf_offset)
		log_warn("secy[macsec]: the kernel's macsec has no confidentiality offset, using 0");
	if (m->link && m->cs == p->cipher_suite)
		return ms_link(s, p, false, -1);
	if (m->link) {
		/* A macsec link keeps its cipher suite: make a new one. */
		log_info("secy[macsec]: cipher suite change, recreating %s", s->ifname);
		rt_link(s, RTM_DELLINK, 0, false);
		m->link = false;
		memset(m->nl.txsa_present, 0, sizeof(m->nl.txsa_present));
	}
	rc = ms_link(s, p, true, 0);
	if (rc)
		return rc;
	m->link = true;
	m->cs = p->cipher_suite;
	s->created = true;
	s->ifindex = (int)if_nametoindex(s->ifname);
	if (!s->ifindex)
		return -ENODEV;
	rt_link(s, RTM_NEWLINK, 0, false);
	for (i = 0; i < m->n_rxsc; i++)
		ms_add_rxsc_nl(s, m->rxsc[i]);
	log_info("secy[macsec]: %s created on %s, cipher suite %016" PRIx64,
		 s->ifname, s->lower, p->cipher_suite);
	return 0;
}

static int ms_add_rxsc(struct secy *s, uint64_t sci)
{
	struct macsec_nl *m = s->priv;

	if (m->n_rxsc < MS_MAX_RXSC)
		m->rxsc[m->n_rxsc++] = sci;
	return m->link ? ms_add_rxsc_nl(s, sci) : 0;
}

static int ms_del_rxsc(struct secy *s, uint64_t sci)
{
	struct macsec_nl *m = s->priv;
	struct nlmsghdr *h;
	int i;

	for (i = 0; i < m->n_rxsc; i++)
		if (m->rxsc[i] == sci) {
			m->rxsc[i] = m->rxsc[--m->n_rxsc];
			break;
		}
	if (!m->link)
		return 0;
	h = ms_req(s, MACSEC_CMD_DEL_RXSC);
	ms_put_rxsc(h, sci, -1);
	return nl_talk(m->nl.genl, h, NULL, NULL, "del rx sc");
}

static void ms_put_sa(struct nlmsghdr *h, const struct secy_sa *sa, int active,
		      bool full)
{
	struct nlattr *n = mnl_attr_nest_start(h, MACSEC_ATTR_SA_CONFIG);

	mnl_attr_put_u8(h, MACSEC_SA_ATTR_AN, sa->an);
	if (active >= 0)
		mnl_attr_put_u8(h, MACSEC_SA_ATTR_ACTIVE, (uint8_t)active);
	if (full) {
		/* the PN is 32 bits wide, or 64 with XPN, and must match */
		if (sa->xpn)
			mnl_attr_put_u64(h, MACSEC_SA_ATTR_PN, sa->pn);
		else
			mnl_attr_put_u32(h, MACSEC_SA_ATTR_PN, (uint32_t)sa->pn);
		mnl_attr_put(h, MACSEC_SA_ATTR_KEY, sa->key_len, sa->key);
		mnl_attr_put(h, MACSEC_SA_ATTR_KEYID, MACSEC_KEYID_LEN, sa->keyid);
		if (sa->xpn) {
			mnl_attr_put_u32(h, MACSEC_SA_ATTR_SSCI, htobe32(sa->ssci));
			mnl_attr_put(h, MACSEC_SA_ATTR_SALT, MACSEC_SALT_LEN, sa->salt);
		}
	}
	mnl_attr_nest_end(h, n);
}

static int ms_add_rxsa(struct secy *s, uint64_t sci, const struct secy_sa *sa)
{
	struct nlmsghdr *h = ms_req(s, MACSEC_CMD_ADD_RXSA);

	ms_put_rxsc(h, sci, -1);
	ms_put_sa(h, sa, 1, true);
	return nl_talk(((struct macsec_nl *)s->priv)->nl.genl, h, NULL, NULL, "add rx sa");
}

static int ms_del_rxsa(struct secy *s, uint64_t sci, uint8_t an)
{
	struct macsec_nl *m = s->priv;
	struct secy_sa sa = { .an = an };
	struct nlmsghdr *h;

	if (!m->link)
		return 0;
	h = ms_req(s, MACSEC_CMD_UPD_RXSA);
	ms_put_rxsc(h, sci, -1);
	ms_put_sa(h, &sa, 0, false);
	nl_talk(m->nl.genl, h, NULL, NULL, "deactivate rx sa");
	h = ms_req(s, MACSEC_CMD_DEL_RXSA);
	ms_put_rxsc(h, sci, -1);
	ms_put_sa(h, &sa, -1, false);
	return nl_talk(m->nl.genl, h, NULL, NULL, "del rx sa");
}

static int ms_add_txsa(struct secy *s, const struct secy_sa *sa)
{
	struct macsec_nl *m = s->priv;
	struct nlmsghdr *h = ms_req(s, MACSEC_CMD_ADD_TXSA);
	int rc;

	ms_put_sa(h, sa, 0, true);
	rc = nl_talk(m->nl.genl, h, NULL, NULL, "add tx sa");
	if (!rc)
		m->nl.txsa_present[sa->an & 3] = 1;
	return rc;
}

static int ms_use_txsa(struct secy *s, uint8_t an)
{
	struct macsec_nl *m = s->priv;
	struct secy_sa sa = { .an = an };
	struct nlmsghdr *h = ms_req(s, MACSEC_CMD_UPD_TXSA);
	int rc;

	ms_put_sa(h, &sa, 1, false);
	rc = nl_talk(m->nl.genl, h, NULL, NULL, "activate tx sa");
	return rc ? rc : ms_link(s, NULL, false, an);
}

static int ms_del_txsa(struct secy *s, uint8_t an)
{
	struct macsec_nl *m = s->priv;
	struct secy_sa sa = { .an = an };
	struct nlmsghdr *h;

	if (!m->link || !m->nl.txsa_present[an & 3])
		return 0;
	h = ms_req(s, MACSEC_CMD_UPD_TXSA);
	ms_put_sa(h, &sa, 0, false);
	nl_talk(m->nl.genl, h, NULL, NULL, "deactivate tx sa");
	h = ms_req(s, MACSEC_CMD_DEL_TXSA);
	ms_put_sa(h, &sa, -1, false);
	m->nl.txsa_present[an & 3] = 0;
	return nl_talk(m->nl.genl, h, NULL, NULL, "del tx sa");
}

struct ms_pn_query {
	int ifindex;
	uint8_t an;
	bool found;
	uint64_t pn;
};

static void ms_pn_of(const struct nlattr *list, struct ms_pn_query *q)
{
	const struct nlattr *sa, *a;

	mnl_attr_for_each_nested(sa, list) {
		int an = -1;
		uint64_t pn = 0;

		mnl_attr_for_each_nested(a, sa) {
			if (mnl_attr_get_type(a) == MACSEC_SA_ATTR_AN &&
			    mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
				an = mnl_attr_get_u8(a);
			/* u32, or u64 with XPN */
			else if (mnl_attr_get_type(a) == MACSEC_SA_ATTR_PN &&
				 mnl_attr_get_payload_len(a) == 8)
				pn = mnl_attr_get_u64(a);
			else if (mnl_attr_get_type(a) == MACSEC_SA_ATTR_PN &&
				 mnl_attr_get_payload_len(a) == 4)
				pn = mnl_attr_get_u32(a);
		}
		if (an == q->an) {
			q->found = true;
			q->pn = pn;
		}
	}
}

static int ms_pn_cb(const struct nlmsghdr *h, void *data)
{
	struct ms_pn_query *q = data;
	const struct nlattr *a, *list = NULL;
	bool mine = false;

	mnl_attr_for_each(a, h, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == MACSEC_ATTR_IFINDEX &&
		    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			mine = mnl_attr_get_u32(a) == (uint32_t)q->ifindex;
		else if (mnl_attr_get_type(a) == MACSEC_ATTR_TXSA_LIST)
			list = a;
	}
	if (mine && list)
		ms_pn_of(list, q);
	return MNL_CB_OK;
}

/*
 * The macsec family has no events: its TX PN is read (once per hello
 * time, by the KaY). GET_TXSC is a dump of every macsec device of the
 * namespace, ours picked by ifindex.
 */
static int ms_get_tx_pn(struct secy *s, uint8_t an, uint64_t *pn)
{
	struct macsec_nl *m = s->priv;
	struct ms_pn_query q = { .ifindex = s->ifindex, .an = an };
	struct nlmsghdr *h;

	if (!m->link)
		return -1;
	h = ms_req(s, MACSEC_CMD_GET_TXSC);
	h->nlmsg_flags |= NLM_F_DUMP;
	if (nl_talk(m->nl.genl, h, ms_pn_cb, &q, "get macsec tx sc") || !q.found)
		return -1;
	*pn = q.pn;
	return 0;
}

static const struct secy_ops macsec_ops = {
	.name = "macsec",
	.create = ms_create,
	.destroy = ms_destroy,
	.set_params = ms_set_params,
	.add_rxsc = ms_add_rxsc,
	.del_rxsc = ms_del_rxsc,
	.add_rxsa = ms_add_rxsa,
	.del_rxsa = ms_del_rxsa,
	.add_txsa = ms_add_txsa,
	.use_txsa = ms_use_txsa,
	.del_txsa = ms_del_txsa,
	.get_tx_pn = ms_get_tx_pn,
};

const struct secy_ops *secy_backend(const char *name)
{
	if (!name || !strcmp(name, "vsecy"))
		return &vsecy_ops;
	if (!strcmp(name, "log") || !strcmp(name, "null"))
		return &log_ops;
	if (!strcmp(name, "macsec"))
		return &macsec_ops;
	return NULL;
}
