// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the "macsec" SecY backend, the kernel's own macsec driver,
 * programmed as wpa_supplicant's macsec_linux does: for running MKA and
 * the datapath end to end where the vsecy module is not available, and as
 * a reference. A macsec link keeps the cipher suite it was made with, so
 * it is created with the first SAK's (or when the port first opens
 * unprotected) and made again for another suite, with no SA in it then
 * (caps.cs_change_in_place is false: its addresses go with it). It has no
 * confidentiality offset (capability 2) and takes SCIs in network byte
 * order. A macsec device of that name on the same lower device is taken
 * to be ours from a run that ended without cleaning up, and replaced.
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/if_macsec.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "cs.h"
#include "log.h"
#include "nl.h"
#include "secy.h"

#define MS_MAX_RXSC 64

struct macsec_priv {
	struct nl genl, rtnl;
	uint16_t family;
	bool link;
	struct secy_params params;
	bool have_params;
	enum secy_port_mode mode;
	int n_rxsc;
	uint64_t rxsc[MS_MAX_RXSC];
	uint8_t txsa_present;	/* bit per AN */
};

/* RTM_NEWLINK: the link made (create) or changed, with what is known. */
static int ms_link(struct secy *s, bool create, int encoding_sa)
{
	struct macsec_priv *m = s->priv;
	const struct secy_params *p = &m->params;
	struct nlmsghdr *h = nl_msg(&m->rtnl, RTM_NEWLINK,
				    create ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	struct nlattr *li, *d;

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
		/* The kernel refuses it when the lower device cannot offload. */
		if (s->offload)
			mnl_attr_put_u8(h, IFLA_MACSEC_OFFLOAD, s->offload);
	}
	if (encoding_sa < 0) {
		bool open = m->mode == SECY_PORT_UNSECURED;

		mnl_attr_put_u8(h, IFLA_MACSEC_PROTECT, !open);
		mnl_attr_put_u8(h, IFLA_MACSEC_VALIDATION,
				open ? MACSEC_VALIDATE_DISABLED : MACSEC_VALIDATE_STRICT);
		mnl_attr_put_u8(h, IFLA_MACSEC_ENCRYPT, p->encrypt);
		mnl_attr_put_u8(h, IFLA_MACSEC_INC_SCI, p->include_sci);
		mnl_attr_put_u8(h, IFLA_MACSEC_REPLAY_PROTECT, p->replay_protect);
		if (p->replay_protect)
			mnl_attr_put_u32(h, IFLA_MACSEC_WINDOW, p->replay_window);
	} else {
		mnl_attr_put_u8(h, IFLA_MACSEC_ENCODING_SA, (uint8_t)encoding_sa);
	}
	mnl_attr_nest_end(h, d);
	mnl_attr_nest_end(h, li);
	return nl_talk(&m->rtnl, h, NULL, NULL, create ? "create macsec link" :
		       "change macsec link");
}

static struct nlmsghdr *ms_req(struct secy *s, uint8_t cmd)
{
	struct macsec_priv *m = s->priv;
	struct nlmsghdr *h = nl_genl_msg(&m->genl, m->family, cmd, MACSEC_GENL_VERSION);

	mnl_attr_put_u32(h, MACSEC_ATTR_IFINDEX, (uint32_t)s->ifindex);
	return h;
}

static int ms_talk(struct secy *s, struct nlmsghdr *h, mnl_cb_t cb, void *data,
		   const char *what)
{
	return nl_talk(&((struct macsec_priv *)s->priv)->genl, h, cb, data, what);
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
	return ms_talk(s, h, NULL, NULL, "add rx sc");
}

/* Makes the link with the parameters known; the RX SCs go in again. */
static int ms_make_link(struct secy *s)
{
	struct macsec_priv *m = s->priv;
	int rc, i;

	rc = ms_link(s, true, -1);
	if (rc)
		return rc;
	m->link = true;
	m->txsa_present = 0;
	s->created = true;
	s->ifindex = (int)if_nametoindex(s->ifname);
	if (!s->ifindex)
		return -ENODEV;
	nl_link_up(&m->rtnl, s->ifindex);
	for (i = 0; i < m->n_rxsc; i++) {
		rc = ms_add_rxsc_nl(s, m->rxsc[i]);
		if (rc)
			return rc;
	}
	log_info("secy[macsec]: %s created on %s, cipher suite %016" PRIx64 "%s",
		 s->ifname, s->lower, m->params.cipher_suite,
		 s->offload == 2 ? ", offload mac" : s->offload == 1 ? ", offload phy" : "");
	return 0;
}

static void ms_drop_link(struct secy *s)
{
	struct macsec_priv *m = s->priv;

	if (m->link && s->ifindex)
		nl_link_del(&m->rtnl, s->ifindex);
	m->link = false;
	m->txsa_present = 0;
}

static int ms_create(struct secy *s)
{
	struct macsec_priv *m = calloc(1, sizeof(*m));
	char kind[16];
	int rc, link = 0, ifindex;

	if (!m)
		return -ENOMEM;
	s->priv = m;
	m->params = (struct secy_params){ .cipher_suite = cs_table[0].id,
					  .include_sci = true };
	rc = nl_open(&m->genl, NETLINK_GENERIC);
	if (!rc)
		rc = nl_open(&m->rtnl, NETLINK_ROUTE);
	if (rc) {
		log_err("secy[macsec]: netlink sockets: %s", strerror(-rc));
		return rc;
	}
	ifindex = (int)if_nametoindex(s->ifname);
	if (ifindex) {
		rc = nl_link_kind(&m->rtnl, ifindex, kind, sizeof(kind), &link);
		if (rc || strcmp(kind, "macsec") || link != s->lower_ifindex) {
			log_err("secy[macsec]: %s exists and is not a macsec device on %s",
				s->ifname, s->lower);
			return -EEXIST;
		}
		log_warn("secy[macsec]: %s exists already, left by an earlier run: replacing it",
			 s->ifname);
		nl_link_del(&m->rtnl, ifindex);
	}
	rc = nl_family(&m->genl, MACSEC_GENL_NAME, NULL, &m->family, NULL);
	if (rc) {
		log_err("secy[macsec]: no macsec generic netlink family (modprobe macsec)");
		return rc;
	}
	s->caps = (struct secy_caps){
		.suites = (1u << CS_COUNT) - 1,
		.capability = 2,
		.cs_change_in_place = false,
		.tx_pn = true,
		.port_control = true,
		.offload = true,
		.max_rxsc = MS_MAX_RXSC,
	};
	log_info("secy[macsec]: %s on %s will be created with the first SAK",
		 s->ifname, s->lower);
	return 0;
}

static void ms_destroy(struct secy *s)
{
	struct macsec_priv *m = s->priv;

	if (!m)
		return;
	if (m->link && s->ifindex && nl_link_del(&m->rtnl, s->ifindex) == 0)
		log_info("secy[macsec]: deleted %s", s->ifname);
	nl_close(&m->genl);
	nl_close(&m->rtnl);
	free(m);
	s->priv = NULL;
}

static int ms_set_params(struct secy *s, const struct secy_params *p)
{
	struct macsec_priv *m = s->priv;
	bool new_cs = m->link && m->params.cipher_suite != p->cipher_suite;

	m->params = *p;
	m->have_params = true;
	if (m->link && !new_cs)
		return ms_link(s, false, -1);
	if (new_cs) {
		log_info("secy[macsec]: cipher suite change, making %s again", s->ifname);
		ms_drop_link(s);
	}
	return ms_make_link(s);
}

static int ms_set_port(struct secy *s, enum secy_port_mode mode)
{
	struct macsec_priv *m = s->priv;

	m->mode = mode;
	if (m->link)
		return ms_link(s, false, -1);
	/* unprotected traffic needs the device, which has no SA yet */
	return mode == SECY_PORT_UNSECURED ? ms_make_link(s) : 0;
}

static int ms_set_sci(struct secy *s, uint64_t sci, uint16_t port)
{
	struct macsec_priv *m = s->priv;

	s->sci = sci;
	s->port = port;
	if (!m->link)
		return 0;
	/* the SCI of a macsec link is fixed: make it again */
	ms_drop_link(s);
	return ms_make_link(s);
}

static int ms_add_rxsc(struct secy *s, uint64_t sci)
{
	struct macsec_priv *m = s->priv;
	int i;

	for (i = 0; i < m->n_rxsc && m->rxsc[i] != sci; i++)
		;
	if (i == m->n_rxsc) {
		if (m->n_rxsc == MS_MAX_RXSC)
			return -ENOSPC;
		m->rxsc[m->n_rxsc++] = sci;
	}
	return m->link ? ms_add_rxsc_nl(s, sci) : 0;
}

static int ms_del_rxsc(struct secy *s, uint64_t sci)
{
	struct macsec_priv *m = s->priv;
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
	return ms_talk(s, h, NULL, NULL, "del rx sc");
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

/* An active SA is set off, then deleted: an RX SA of rx_sci, or TX. */
static int ms_sa_off_del(struct secy *s, bool rx, uint64_t rx_sci, uint8_t an,
			 const char *what)
{
	struct secy_sa sa = { .an = an };
	struct nlmsghdr *h = ms_req(s, rx ? MACSEC_CMD_UPD_RXSA : MACSEC_CMD_UPD_TXSA);

	if (rx)
		ms_put_rxsc(h, rx_sci, -1);
	ms_put_sa(h, &sa, 0, false);
	ms_talk(s, h, NULL, NULL, NULL);
	h = ms_req(s, rx ? MACSEC_CMD_DEL_RXSA : MACSEC_CMD_DEL_TXSA);
	if (rx)
		ms_put_rxsc(h, rx_sci, -1);
	ms_put_sa(h, &sa, -1, false);
	return ms_talk(s, h, NULL, NULL, what);
}

static int ms_need_link(struct secy *s)
{
	struct macsec_priv *m = s->priv;

	return m->link ? 0 : ms_make_link(s);
}

static int ms_add_rxsa(struct secy *s, uint64_t sci, const struct secy_sa *sa)
{
	struct nlmsghdr *h;
	int rc = ms_need_link(s);

	if (rc)
		return rc;
	h = ms_req(s, MACSEC_CMD_ADD_RXSA);
	ms_put_rxsc(h, sci, -1);
	ms_put_sa(h, sa, 1, true);
	return ms_talk(s, h, NULL, NULL, "add rx sa");
}

static int ms_del_rxsa(struct secy *s, uint64_t sci, uint8_t an)
{
	struct macsec_priv *m = s->priv;

	return m->link ? ms_sa_off_del(s, true, sci, an, "del rx sa") : 0;
}

static int ms_add_txsa(struct secy *s, const struct secy_sa *sa)
{
	struct macsec_priv *m = s->priv;
	struct nlmsghdr *h;
	int rc = ms_need_link(s);

	if (rc)
		return rc;
	h = ms_req(s, MACSEC_CMD_ADD_TXSA);
	ms_put_sa(h, sa, 0, true);
	rc = ms_talk(s, h, NULL, NULL, "add tx sa");
	if (!rc)
		m->txsa_present |= (uint8_t)(1 << (sa->an & 3));
	return rc;
}

static int ms_use_txsa(struct secy *s, uint8_t an)
{
	struct secy_sa sa = { .an = an };
	struct nlmsghdr *h = ms_req(s, MACSEC_CMD_UPD_TXSA);
	int rc;

	ms_put_sa(h, &sa, 1, false);
	rc = ms_talk(s, h, NULL, NULL, "activate tx sa");
	return rc ? rc : ms_link(s, false, an);
}

static int ms_del_txsa(struct secy *s, uint8_t an)
{
	struct macsec_priv *m = s->priv;

	if (!m->link || !(m->txsa_present & (1 << (an & 3))))
		return 0;
	m->txsa_present &= (uint8_t)~(1 << (an & 3));
	return ms_sa_off_del(s, false, 0, an, "del tx sa");
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
	struct macsec_priv *m = s->priv;
	struct ms_pn_query q = { .ifindex = s->ifindex, .an = an };
	struct nlmsghdr *h;
	int rc;

	if (!m->link)
		return -ENOENT;
	h = ms_req(s, MACSEC_CMD_GET_TXSC);
	h->nlmsg_flags |= NLM_F_DUMP;
	rc = ms_talk(s, h, ms_pn_cb, &q, "get macsec tx sc");
	if (rc)
		return rc;
	if (!q.found)
		return -ENOENT;
	*pn = q.pn;
	return 0;
}

const struct secy_ops secy_macsec_ops = {
	.name = "macsec",
	.create = ms_create,
	.destroy = ms_destroy,
	.set_params = ms_set_params,
	.set_port = ms_set_port,
	.set_sci = ms_set_sci,
	.add_rxsc = ms_add_rxsc,
	.del_rxsc = ms_del_rxsc,
	.add_rxsa = ms_add_rxsa,
	.del_rxsa = ms_del_rxsa,
	.add_txsa = ms_add_txsa,
	.use_txsa = ms_use_txsa,
	.del_txsa = ms_del_txsa,
	.get_tx_pn = ms_get_tx_pn,
};
