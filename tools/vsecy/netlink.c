// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink for vsecy over libmnl: building the generic-netlink and
 * rtnetlink requests, naming attributes for errors and --dry-run, and a
 * request/answer loop that reports the kernel's extack.
 */
#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "netlink.h"

bool opt_dry_run;

/* Attribute descriptions, enough to name and print every request. */
struct attr_set;

struct attr_desc {
	const char *name;
	/* 1 2 4 8: unsigned; s: string; n: nest; b: binary; k: secret */
	char type;
	const struct attr_set *nest;
};

struct attr_set {
	const struct attr_desc *attrs;
	int max;
};

#define A(e, t) [e] = { #e, t, NULL }
#define N(e, s) [e] = { #e, 'n', &s }

extern const struct attr_set genl_set;

static const struct attr_desc secy_attrs[] = {
	A(VSECY_SECY_A_SCI, '8'), A(VSECY_SECY_A_PORT, '2'),
	A(VSECY_SECY_A_CIPHER_SUITE, '8'), A(VSECY_SECY_A_ICV_LEN, '1'),
	A(VSECY_SECY_A_ENCODING_SA, '1'), A(VSECY_SECY_A_ENCRYPT, '1'),
	A(VSECY_SECY_A_PROTECT, '1'), A(VSECY_SECY_A_INC_SCI, '1'),
	A(VSECY_SECY_A_ES, '1'), A(VSECY_SECY_A_SCB, '1'),
	A(VSECY_SECY_A_REPLAY, '1'), A(VSECY_SECY_A_WINDOW, '4'),
	A(VSECY_SECY_A_VALIDATE, '1'), A(VSECY_SECY_A_CONF_OFFSET, '1'),
	A(VSECY_SECY_A_OPER, '1'), A(VSECY_SECY_A_PAD, 'b'),
	A(VSECY_SECY_A_PN_THRESHOLD, '8'), A(VSECY_SECY_A_PORT_OPER, '1'),
	A(VSECY_SECY_A_MODE, '1'), A(VSECY_SECY_A_OFFLOADED, 'b'),
};
static const struct attr_set secy_set = { secy_attrs, VSECY_SECY_A_MAX };

static const struct attr_desc sa_attrs[] = {
	A(VSECY_SA_A_AN, '1'), A(VSECY_SA_A_ACTIVE, '1'),
	A(VSECY_SA_A_PN, '8'), A(VSECY_SA_A_KEY, 'k'),
	A(VSECY_SA_A_KEYID, 'b'), A(VSECY_SA_A_SSCI, '4'),
	A(VSECY_SA_A_SALT, 'k'), A(VSECY_SA_A_STATS, 'b'),
	A(VSECY_SA_A_PAD, 'b'),
};
static const struct attr_set sa_set = { sa_attrs, VSECY_SA_A_MAX };

static const struct attr_desc rxsc_attrs[] = {
	A(VSECY_RXSC_A_SCI, '8'), A(VSECY_RXSC_A_ACTIVE, '1'),
	A(VSECY_RXSC_A_STATS, 'b'), N(VSECY_RXSC_A_SA_LIST, genl_set),
	A(VSECY_RXSC_A_PAD, 'b'),
};
static const struct attr_set rxsc_set = { rxsc_attrs, VSECY_RXSC_A_MAX };

static const struct attr_desc txsc_attrs[] = {
	A(VSECY_TXSC_A_SCI, '8'), A(VSECY_TXSC_A_STATS, 'b'),
	N(VSECY_TXSC_A_SA_LIST, genl_set), A(VSECY_TXSC_A_PAD, 'b'),
};
static const struct attr_set txsc_set = { txsc_attrs, VSECY_TXSC_A_MAX };

/* Lists (RXSC_LIST, SA_LIST) hold attributes numbered in enum vsecy_attr. */
static const struct attr_desc genl_attrs[] = {
	A(VSECY_A_IFINDEX, '4'), A(VSECY_A_IFNAME, 's'),
	N(VSECY_A_SECY, secy_set), A(VSECY_A_SECY_STATS, 'b'),
	N(VSECY_A_TXSC, txsc_set), N(VSECY_A_RXSC_LIST, genl_set),
	N(VSECY_A_RXSC, rxsc_set), N(VSECY_A_SA, sa_set),
	A(VSECY_A_PAD, 'b'),
};
const struct attr_set genl_set = { genl_attrs, VSECY_A_MAX };

static const struct attr_desc linkinfo_attrs[] = {
	A(IFLA_INFO_KIND, 's'), N(IFLA_INFO_DATA, secy_set),
};
static const struct attr_set linkinfo_set = { linkinfo_attrs, IFLA_INFO_DATA };

static const struct attr_desc rtnl_attrs[] = {
	A(IFLA_ADDRESS, 'b'), A(IFLA_IFNAME, 's'), A(IFLA_MTU, '4'),
	A(IFLA_LINK, '4'), N(IFLA_LINKINFO, linkinfo_set),
};
static const struct attr_set rtnl_set = { rtnl_attrs, IFLA_LINKINFO };

static size_t hdr_len(int bus)
{
	return bus == NETLINK_ROUTE ? sizeof(struct ifinfomsg) :
				      sizeof(struct genlmsghdr);
}

static const struct attr_desc *desc_of(const struct attr_set *set, uint16_t type)
{
	type &= NLA_TYPE_MASK;
	if (!set || type > set->max || !set->attrs[type].name)
		return NULL;
	return &set->attrs[type];
}

struct nlmsghdr *build_genl(void *buf, uint16_t family, uint8_t cmd,
			    uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VSECY_GENL_VERSION;
	return nlh;
}

static void put_sa(struct nlmsghdr *nlh, const struct sa_cmd *c)
{
	const struct sa_desc *sa = &c->sa;
	struct nlattr *nest = mnl_attr_nest_start(nlh, VSECY_A_SA);

	mnl_attr_put_u8(nlh, VSECY_SA_A_AN, sa->an);
	if (c->verb != VERB_DEL) {
		if (sa->pn_set)
			mnl_attr_put_u64(nlh, VSECY_SA_A_PN, sa->pn);
		if (sa->key_set) {
			mnl_attr_put(nlh, VSECY_SA_A_KEYID, VSECY_KEYID_LEN, sa->keyid);
			mnl_attr_put(nlh, VSECY_SA_A_KEY, sa->key_len, sa->key);
		}
		if (sa->ssci_set)
			mnl_attr_put_u32(nlh, VSECY_SA_A_SSCI, sa->ssci);
		if (sa->salt_set)
			mnl_attr_put(nlh, VSECY_SA_A_SALT, VSECY_SALT_LEN, sa->salt);
		if (sa->active >= 0)
			mnl_attr_put_u8(nlh, VSECY_SA_A_ACTIVE, sa->active);
	}
	mnl_attr_nest_end(nlh, nest);
}

uint8_t sa_cmd_genl(const struct sa_cmd *c)
{
	static const uint8_t cmds[3][3] = {
		/* tx SA, rx SC, rx SA */
		[VERB_ADD] = { VSECY_CMD_ADD_TXSA, VSECY_CMD_ADD_RXSC, VSECY_CMD_ADD_RXSA },
		[VERB_SET] = { VSECY_CMD_UPD_TXSA, VSECY_CMD_UPD_RXSC, VSECY_CMD_UPD_RXSA },
		[VERB_DEL] = { VSECY_CMD_DEL_TXSA, VSECY_CMD_DEL_RXSC, VSECY_CMD_DEL_RXSA },
	};

	return cmds[c->verb][!c->rx ? 0 : c->has_sa ? 2 : 1];
}

struct nlmsghdr *build_sa_cmd(void *buf, uint16_t family, uint32_t ifindex,
			      const struct sa_cmd *c)
{
	struct nlmsghdr *nlh = build_genl(buf, family, sa_cmd_genl(c), NLM_F_ACK);

	mnl_attr_put_u32(nlh, VSECY_A_IFINDEX, ifindex);
	if (c->rx) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, VSECY_A_RXSC);

		mnl_attr_put_u64(nlh, VSECY_RXSC_A_SCI, c->sci);
		if (!c->has_sa && c->verb != VERB_DEL && c->sc_active >= 0)
			mnl_attr_put_u8(nlh, VSECY_RXSC_A_ACTIVE, c->sc_active);
		mnl_attr_nest_end(nlh, nest);
	}
	if (c->has_sa)
		put_sa(nlh, c);
	return nlh;
}

void put_secy_opts(struct nlmsghdr *nlh, const struct secy_opts *o)
{
	if (o->set & SECY_SCI)
		mnl_attr_put_u64(nlh, VSECY_SECY_A_SCI, o->sci);
	if (o->set & SECY_PORT)
		mnl_attr_put_u16(nlh, VSECY_SECY_A_PORT, o->port);
	if (o->set & SECY_CIPHER)
		mnl_attr_put_u64(nlh, VSECY_SECY_A_CIPHER_SUITE, o->cipher);
	if (o->set & SECY_ICV_LEN)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_ICV_LEN, o->icv_len);
	if (o->set & SECY_ENCODING_SA)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_ENCODING_SA, o->encoding_sa);
	if (o->set & SECY_ENCRYPT)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_ENCRYPT, o->encrypt);
	if (o->set & SECY_PROTECT)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_PROTECT, o->protect);
	if (o->set & SECY_INC_SCI)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_INC_SCI, o->inc_sci);
	if (o->set & SECY_ES)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_ES, o->es);
	if (o->set & SECY_SCB)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_SCB, o->scb);
	if (o->set & SECY_REPLAY)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_REPLAY, o->replay);
	if (o->set & SECY_WINDOW)
		mnl_attr_put_u32(nlh, VSECY_SECY_A_WINDOW, o->window);
	if (o->set & SECY_VALIDATE)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_VALIDATE, o->validate);
	if (o->set & SECY_CONF_OFFSET)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_CONF_OFFSET, o->conf_offset);
	if (o->set & SECY_PN_THRESHOLD)
		mnl_attr_put_u64(nlh, VSECY_SECY_A_PN_THRESHOLD, o->pn_threshold);
	if (o->set & SECY_MODE)
		mnl_attr_put_u8(nlh, VSECY_SECY_A_MODE, o->mode);
}

struct nlmsghdr *build_set_secy(void *buf, uint16_t family, uint32_t ifindex,
				const struct secy_opts *o)
{
	struct nlmsghdr *nlh = build_genl(buf, family, VSECY_CMD_SET_SECY, NLM_F_ACK);
	struct nlattr *nest;

	mnl_attr_put_u32(nlh, VSECY_A_IFINDEX, ifindex);
	nest = mnl_attr_nest_start(nlh, VSECY_A_SECY);
	put_secy_opts(nlh, o);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

struct nlmsghdr *build_get_secy(void *buf, uint16_t family, uint32_t ifindex)
{
	struct nlmsghdr *nlh = build_genl(buf, family, VSECY_CMD_GET_SECY, NLM_F_DUMP);

	if (ifindex)
		mnl_attr_put_u32(nlh, VSECY_A_IFINDEX, ifindex);
	return nlh;
}

struct nlmsghdr *build_newlink(void *buf, uint32_t lower, const struct link_cmd *c)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *info, *data;
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, c->name);
	mnl_attr_put_u32(nlh, IFLA_LINK, lower);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vsecy");
	if (c->opts.set) {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		put_secy_opts(nlh, &c->opts);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

struct nlmsghdr *build_dellink(void *buf, uint32_t ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_DELLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

/*
 * Walks the attributes in [START, END) of REQ looking for OFFSET; appends
 * the names on the way ("VSECY_A_SA/VSECY_SA_A_PN"). With WANT_NEST, the
 * set of the nest found at OFFSET is returned instead.
 */
static const struct attr_set *walk(const struct nlmsghdr *req, size_t start,
				   size_t end, const struct attr_set *set,
				   uint32_t offset, char *out, size_t len)
{
	const char *base = (const char *)req;
	size_t pos = start;

	while (pos + sizeof(struct nlattr) <= end) {
		const struct nlattr *a = (const void *)(base + pos);
		const struct attr_desc *d = desc_of(set, a->nla_type);
		size_t alen = a->nla_len;
		size_t used = strlen(out);

		if (alen < sizeof(*a) || pos + alen > end)
			break;
		if (offset >= pos && offset < pos + alen) {
			snprintf(out + used, len - used, "%s%s", used ? "/" : "",
				 d ? d->name : "?");
			if (offset == pos)
				return d && d->nest ? d->nest : set;
			if (d && d->nest)
				return walk(req, pos + MNL_ALIGN(sizeof(*a)),
					    pos + alen, d->nest, offset, out, len);
			return NULL;
		}
		pos += MNL_ALIGN(alen);
	}
	return NULL;
}

void nl_attr_name_at(const struct nlmsghdr *req, int bus, uint32_t offset,
		     char *out, size_t len)
{
	out[0] = '\0';
	walk(req, MNL_NLMSG_HDRLEN + MNL_ALIGN(hdr_len(bus)), req->nlmsg_len,
	     bus == NETLINK_ROUTE ? &rtnl_set : &genl_set, offset, out, len);
}

static void missing_name(const struct nlmsghdr *req, int bus, uint32_t type,
			 bool in_nest, uint32_t nest_off, char *out, size_t len)
{
	const struct attr_set *set = bus == NETLINK_ROUTE ? &rtnl_set : &genl_set;
	const struct attr_desc *d;
	char path[96] = "";

	if (in_nest)
		set = walk(req, MNL_NLMSG_HDRLEN + MNL_ALIGN(hdr_len(bus)),
			   req->nlmsg_len, set, nest_off, path, sizeof(path));
	d = desc_of(set, type);
	if (d)
		snprintf(out, len, "%s%s%s", path, *path ? "/" : "", d->name);
	else
		snprintf(out, len, "%s%sattribute %u", path, *path ? "/" : "", type);
}

void nl_decode_error(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		     int bus, struct nl_error *out)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off;
	bool miss = false, miss_nest = false;
	uint32_t miss_type = 0, nest_off = 0;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		out->err = EBADMSG;
		return;
	}
	out->err = -e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;

	/* The TLVs follow the echoed request, or only its header if capped. */
	off = MNL_NLMSG_HDRLEN + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (off > nlh->nlmsg_len)
		return;

	mnl_attr_for_each_payload((const void *)((const char *)nlh + off),
				  nlh->nlmsg_len - off) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
				snprintf(out->msg, sizeof(out->msg), "%s",
					 mnl_attr_get_str(attr));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (req && mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
				nl_attr_name_at(req, bus, mnl_attr_get_u32(attr),
						out->attr, sizeof(out->attr));
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
				miss = true;
				miss_type = mnl_attr_get_u32(attr);
			}
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
				miss_nest = true;
				nest_off = mnl_attr_get_u32(attr);
			}
			break;
		}
	}
	if (miss && req && !*out->attr) {
		char name[80];

		missing_name(req, bus, miss_type, miss_nest, nest_off,
			     name, sizeof(name));
		snprintf(out->attr, sizeof(out->attr), "missing %s", name);
	}
}

void nl_print_error(const struct nl_error *e, const char *what)
{
	FILE *f = vsecy_errf ? vsecy_errf : stderr;

	if (*e->msg) {
		size_t n = strlen(e->msg);

		fprintf(f, "Error: %s%s", e->msg, e->msg[n - 1] == '.' ? "" : ".");
		if (*e->attr)
			fprintf(f, " (attribute %s)", e->attr);
		fprintf(f, "\n");
	} else if (*e->attr) {
		fprintf(f, "Error: %s: %s (attribute %s)\n", what,
			strerror(e->err), e->attr);
	} else {
		fprintf(f, "Error: %s: %s\n", what, strerror(e->err));
	}
}

static void dump_attrs(FILE *f, const char *base, size_t start, size_t end,
		       const struct attr_set *set, int depth)
{
	size_t pos = start;

	while (pos + sizeof(struct nlattr) <= end) {
		const struct nlattr *a = (const void *)(base + pos);
		const struct attr_desc *d = desc_of(set, a->nla_type);
		size_t plen = a->nla_len - MNL_ATTR_HDRLEN, i;
		const uint8_t *p = mnl_attr_get_payload(a);

		if (a->nla_len < sizeof(*a) || pos + a->nla_len > end)
			break;
		fprintf(f, "%*s%s", 2 * depth, "", d ? d->name : "?");
		switch (d ? d->type : 'b') {
		case '1':
			fprintf(f, " u8 %u\n", mnl_attr_get_u8(a));
			break;
		case '2':
			fprintf(f, " u16 %u\n", mnl_attr_get_u16(a));
			break;
		case '4':
			fprintf(f, " u32 %u\n", mnl_attr_get_u32(a));
			break;
		case '8':
			fprintf(f, " u64 0x%016llx\n",
				(unsigned long long)mnl_attr_get_u64(a));
			break;
		case 's':
			fprintf(f, " \"%.*s\"\n", (int)strnlen((const char *)p, plen), p);
			break;
		case 'n':
			fprintf(f, "\n");
			dump_attrs(f, base, pos + MNL_ATTR_HDRLEN, pos + a->nla_len,
				   d->nest, depth + 1);
			break;
		case 'k':
			fprintf(f, " (%zu bytes, hidden)\n", plen);
			break;
		default:
			fprintf(f, " ");
			for (i = 0; i < plen; i++)
				fprintf(f, "%02x", p[i]);
			fprintf(f, "\n");
		}
		pos += MNL_ALIGN(a->nla_len);
	}
}

void nl_dump_request(FILE *f, const struct nlmsghdr *req, int bus)
{
	size_t start = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdr_len(bus));

	if (bus == NETLINK_ROUTE) {
		const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(req);

		fprintf(f, "rtnetlink %s flags 0x%x ifindex %d\n",
			req->nlmsg_type == RTM_NEWLINK ? "RTM_NEWLINK" :
			req->nlmsg_type == RTM_DELLINK ? "RTM_DELLINK" : "?",
			req->nlmsg_flags, ifi->ifi_index);
		dump_attrs(f, (const char *)req, start, req->nlmsg_len, &rtnl_set, 1);
	} else {
		static const char *const cmds[] = {
			[VSECY_CMD_GET_SECY] = "VSECY_CMD_GET_SECY",
			[VSECY_CMD_SET_SECY] = "VSECY_CMD_SET_SECY",
			[VSECY_CMD_ADD_RXSC] = "VSECY_CMD_ADD_RXSC",
			[VSECY_CMD_UPD_RXSC] = "VSECY_CMD_UPD_RXSC",
			[VSECY_CMD_DEL_RXSC] = "VSECY_CMD_DEL_RXSC",
			[VSECY_CMD_ADD_TXSA] = "VSECY_CMD_ADD_TXSA",
			[VSECY_CMD_UPD_TXSA] = "VSECY_CMD_UPD_TXSA",
			[VSECY_CMD_DEL_TXSA] = "VSECY_CMD_DEL_TXSA",
			[VSECY_CMD_ADD_RXSA] = "VSECY_CMD_ADD_RXSA",
			[VSECY_CMD_UPD_RXSA] = "VSECY_CMD_UPD_RXSA",
			[VSECY_CMD_DEL_RXSA] = "VSECY_CMD_DEL_RXSA",
		};
		const struct genlmsghdr *g = mnl_nlmsg_get_payload(req);

		fprintf(f, "genl %s %s flags 0x%x\n", VSECY_GENL_NAME,
			g->cmd <= VSECY_CMD_MAX && cmds[g->cmd] ? cmds[g->cmd] : "?",
			req->nlmsg_flags);
		dump_attrs(f, (const char *)req, start, req->nlmsg_len, &genl_set, 1);
	}
}

int nl_open(struct nl *nl, int bus)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->bus = bus;
	nl->seq = time(NULL);
	nl->sock = mnl_socket_open(bus);
	if (!nl->sock) {
		perror("vsecy: netlink socket");
		return -1;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("vsecy: netlink bind");
		mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Extack messages and attribute offsets; the echoed request is not needed. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct talk {
	mnl_cb_t cb;
	void *data;
	const struct nlmsghdr *req;
	int bus;
	struct nl_error err;
	bool failed, intr_warned;
};

static int talk_data(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	/* The kernel saw the SecYs change under the dump (genl_dump_check_consistent). */
	if ((nlh->nlmsg_flags & NLM_F_DUMP_INTR) && !t->intr_warned) {
		fprintf(stderr, "Dump was interrupted and may be inconsistent.\n");
		t->intr_warned = true;
	}

	return t->cb ? t->cb(nlh, t->data) : MNL_CB_OK;
}

static int talk_error(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;

	nl_decode_error(nlh, t->req, t->bus, &t->err);
	if (!t->err.err) {
		/* An ack may carry a warning. */
		if (*t->err.msg)
			fprintf(stderr, "Warning: %s\n", t->err.msg);
		return MNL_CB_STOP;
	}
	t->failed = true;
	errno = t->err.err;
	return MNL_CB_ERROR;
}

static int talk_done(const struct nlmsghdr *nlh, void *data)
{
	struct talk *t = data;
	const int *err = mnl_nlmsg_get_payload(nlh);

	/* A dump that fails part way ends with a negative errno in DONE. */
	if (mnl_nlmsg_get_payload_len(nlh) >= (int)sizeof(int) && *err < 0) {
		memset(&t->err, 0, sizeof(t->err));
		t->err.err = -*err;
		t->failed = true;
		errno = t->err.err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    const char *what)
{
	static char buf[65536];
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = talk_error,
		[NLMSG_DONE] = talk_done,
	};
	struct talk t = { .cb = cb, .data = data, .req = req, .bus = nl->bus };
	unsigned int seq = ++nl->seq;
	ssize_t n;
	int ret;

	req->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0) {
		fprintf(stderr, "Error: %s: sending: %s\n", what, strerror(errno));
		return -1;
	}
	do {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "Error: %s: receiving: %s\n", what,
				strerror(errno));
			return -1;
		}
		ret = mnl_cb_run2(buf, n, seq, nl->portid, talk_data, &t,
				  ctl, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);

	if (ret < 0) {
		if (!t.failed) {
			t.err.err = errno;
			t.err.msg[0] = '\0';
			t.err.attr[0] = '\0';
		}
		nl_print_error(&t.err, what);
		return -1;
	}
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			*(uint16_t *)data = mnl_attr_get_u16(a);
	}
	return MNL_CB_OK;
}

int genl_resolve_name(struct nl *nl, const char *name)
{
	/* The answer lists every operation and group: room for all of it. */
	static char buf[16384];
	struct nlmsghdr *nlh = build_genl(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
					  NLM_F_ACK);
	struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct talk t = { .cb = family_cb, .data = &nl->family, .req = nlh,
			  .bus = nl->bus };
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = talk_error,
		[NLMSG_DONE] = talk_done,
	};
	unsigned int seq = ++nl->seq;
	ssize_t n;
	int ret;

	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			break;
		ret = mnl_cb_run2(buf, n, seq, nl->portid, talk_data, &t,
				  ctl, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	if (n < 0 || ret < 0 || !nl->family) {
		fprintf(vsecy_errf ? vsecy_errf : stderr,
			"Error: generic netlink family \"%s\" not found (%s)%s\n",
			name, strerror(t.err.err ? t.err.err : errno),
			strcmp(name, VSECY_GENL_NAME) ? "" :
			": is the vsecy module loaded?");
		return -1;
	}
	return 0;
}

int genl_resolve(struct nl *nl)
{
	return genl_resolve_name(nl, VSECY_GENL_NAME);
}

uint32_t dev_index(const char *name)
{
	uint32_t i = if_nametoindex(name);

	if (!i)
		fprintf(stderr, "Device \"%s\" does not exist.\n", name);
	return i;
}
