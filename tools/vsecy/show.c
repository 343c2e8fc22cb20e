// SPDX-License-Identifier: GPL-2.0
/*
 * `vsecy show`: the SecYs, their SCs and SAs, in the shape `ip macsec
 * show` prints (text, `-s` statistics blocks, `-j` JSON with the same
 * field names), so that readers and scripts used to it feel at home.
 * Keys are never shown: the kernel never returns them; key identifiers are.
 * A NIC (offload mode) has no SecY of its own: it is shown from its link
 * dump, with the SecYs the kernel's macsec offloads to it; -d says which
 * mode a SecY's device is in, as ip -d link would.
 */
#include <net/if.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "config.h"
#include "netlink.h"
#include "show.h"
#include "vsecy.h"

static const char *const secy_stats_names[] = {
	[VSECY_SECY_STATS_A_OUT_PKTS_UNTAGGED] = "OutPktsUntagged",
	[VSECY_SECY_STATS_A_IN_PKTS_UNTAGGED] = "InPktsUntagged",
	[VSECY_SECY_STATS_A_OUT_PKTS_TOO_LONG] = "OutPktsTooLong",
	[VSECY_SECY_STATS_A_IN_PKTS_NO_TAG] = "InPktsNoTag",
	[VSECY_SECY_STATS_A_IN_PKTS_BAD_TAG] = "InPktsBadTag",
	[VSECY_SECY_STATS_A_IN_PKTS_UNKNOWN_SCI] = "InPktsUnknownSCI",
	[VSECY_SECY_STATS_A_IN_PKTS_NO_SCI] = "InPktsNoSCI",
	[VSECY_SECY_STATS_A_IN_PKTS_OVERRUN] = "InPktsOverrun",
	[VSECY_SECY_STATS_A_PAD] = NULL,
};

static const char *const txsc_stats_names[] = {
	[VSECY_TXSC_STATS_A_OUT_PKTS_PROTECTED] = "OutPktsProtected",
	[VSECY_TXSC_STATS_A_OUT_PKTS_ENCRYPTED] = "OutPktsEncrypted",
	[VSECY_TXSC_STATS_A_OUT_OCTETS_PROTECTED] = "OutOctetsProtected",
	[VSECY_TXSC_STATS_A_OUT_OCTETS_ENCRYPTED] = "OutOctetsEncrypted",
	[VSECY_TXSC_STATS_A_PAD] = NULL,
};

static const char *const rxsc_stats_names[] = {
	[VSECY_RXSC_STATS_A_IN_OCTETS_VALIDATED] = "InOctetsValidated",
	[VSECY_RXSC_STATS_A_IN_OCTETS_DECRYPTED] = "InOctetsDecrypted",
	[VSECY_RXSC_STATS_A_IN_PKTS_UNCHECKED] = "InPktsUnchecked",
	[VSECY_RXSC_STATS_A_IN_PKTS_DELAYED] = "InPktsDelayed",
	[VSECY_RXSC_STATS_A_IN_PKTS_OK] = "InPktsOK",
	[VSECY_RXSC_STATS_A_IN_PKTS_INVALID] = "InPktsInvalid",
	[VSECY_RXSC_STATS_A_IN_PKTS_LATE] = "InPktsLate",
	[VSECY_RXSC_STATS_A_IN_PKTS_NOT_VALID] = "InPktsNotValid",
	[VSECY_RXSC_STATS_A_IN_PKTS_NOT_USING_SA] = "InPktsNotUsingSA",
	[VSECY_RXSC_STATS_A_IN_PKTS_UNUSED_SA] = "InPktsUnusedSA",
	[VSECY_RXSC_STATS_A_PAD] = NULL,
};

static const char *const txsa_stats_names[] = {
	[VSECY_TXSA_STATS_A_OUT_PKTS_PROTECTED] = "OutPktsProtected",
	[VSECY_TXSA_STATS_A_OUT_PKTS_ENCRYPTED] = "OutPktsEncrypted",
	[VSECY_TXSA_STATS_A_PAD] = NULL,
};

static const char *const rxsa_stats_names[] = {
	[VSECY_RXSA_STATS_A_IN_PKTS_OK] = "InPktsOK",
	[VSECY_RXSA_STATS_A_IN_PKTS_INVALID] = "InPktsInvalid",
	[VSECY_RXSA_STATS_A_IN_PKTS_NOT_VALID] = "InPktsNotValid",
	[VSECY_RXSA_STATS_A_IN_PKTS_NOT_USING_SA] = "InPktsNotUsingSA",
	[VSECY_RXSA_STATS_A_IN_PKTS_UNUSED_SA] = "InPktsUnusedSA",
	[VSECY_RXSA_STATS_A_PAD] = NULL,
};

#define NAMES(a) a, (int)(ARRAY_SIZE(a))
#define MAX_TB 32

/* Indexes the attributes of a nest (or of the message) by type. */
static void index_attrs(const struct nlattr *nest, const struct nlattr **tb)
{
	const struct nlattr *a;

	memset(tb, 0, MAX_TB * sizeof(*tb));
	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) < MAX_TB)
			tb[mnl_attr_get_type(a)] = a;
}

/* A counter of any integer width (ip macsec does the same). */
static bool get_uint(const struct nlattr *a, uint64_t *v)
{
	switch (mnl_attr_get_payload_len(a)) {
	case 8:
		*v = mnl_attr_get_u64(a);
		return true;
	case 4:
		*v = mnl_attr_get_u32(a);
		return true;
	case 2:
		*v = mnl_attr_get_u16(a);
		return true;
	case 1:
		*v = mnl_attr_get_u8(a);
		return true;
	}
	return false;
}

static uint64_t u(const struct nlattr *a)
{
	uint64_t v = 0;

	if (a)
		get_uint(a, &v);
	return v;
}

static void print_stats(struct show_ctx *c, const char *prefix,
			const char *const *names, int num,
			const struct nlattr *nest)
{
	const struct nlattr *tb[MAX_TB];
	uint64_t v;
	int i;

	if (!nest || !c->stats)
		return;
	index_attrs(nest, tb);

	if (c->json) {
		/* ip -j flattens counters into the enclosing object. */
		for (i = 1; i < num && i < MAX_TB; i++)
			if (names[i] && tb[i] && get_uint(tb[i], &v))
				json_uint(&c->j, names[i], v);
		return;
	}

	fprintf(c->out, "%sstats:", prefix);
	for (i = 1; i < num; i++)
		if (names[i])
			fprintf(c->out, " %s", names[i]);
	fprintf(c->out, "\n%s      ", prefix);
	for (i = 1; i < num && i < MAX_TB; i++) {
		int pad;

		if (!names[i])
			continue;
		pad = strlen(names[i]) + 1;
		if (tb[i] && get_uint(tb[i], &v))
			fprintf(c->out, "%*llu", pad, (unsigned long long)v);
		else
			fprintf(c->out, "%*c", pad, '-');
	}
	fprintf(c->out, "\n");
}

static void print_flag(struct show_ctx *c, const char *name, const struct nlattr *a)
{
	if (!a)
		return;
	if (c->json)
		json_bool(&c->j, name, u(a));
	else
		fprintf(c->out, "%s %s ", name, u(a) ? "on" : "off");
}

static void hex(char *out, size_t len, const struct nlattr *a)
{
	const uint8_t *p = mnl_attr_get_payload(a);
	size_t i, n = mnl_attr_get_payload_len(a);

	out[0] = '\0';
	for (i = 0; i < n && 2 * i + 2 < len; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* ip -j prints SCIs with %#llx, as a string. */
static void json_sci(struct show_ctx *c, uint64_t sci)
{
	char b[24];

	snprintf(b, sizeof(b), "%#llx", (unsigned long long)sci);
	json_string(&c->j, "sci", b);
}

static void print_sa_list(struct show_ctx *c, const struct nlattr *list,
			  bool xpn, bool tx)
{
	const struct nlattr *sa, *tb[MAX_TB];
	char key[2 * VSECY_KEYID_LEN + 8];

	if (c->json)
		json_open(&c->j, "sa_list", '[');
	if (list) {
		mnl_attr_for_each_nested(sa, list) {
			bool active;

			if (mnl_attr_get_type(sa) != VSECY_A_SA)
				continue;
			index_attrs(sa, tb);
			active = u(tb[VSECY_SA_A_ACTIVE]);
			key[0] = '\0';
			if (tb[VSECY_SA_A_KEYID])
				hex(key, sizeof(key), tb[VSECY_SA_A_KEYID]);
			if (c->json) {
				json_open(&c->j, NULL, '{');
				json_uint(&c->j, "an", u(tb[VSECY_SA_A_AN]));
				json_uint(&c->j, "pn", u(tb[VSECY_SA_A_PN]));
				if (xpn) {
					char b[16];

					snprintf(b, sizeof(b), "%#llx",
						 (unsigned long long)u(tb[VSECY_SA_A_SSCI]));
					json_string(&c->j, "ssci", b);
				}
				json_bool(&c->j, "active", active);
				json_string(&c->j, "key", key);
			} else if (xpn) {
				/* Byte for byte what ip macsec prints, missing space included. */
				fprintf(c->out, "        %u: PN %llu,SSCI %08x state %s, key %s\n",
					(unsigned int)u(tb[VSECY_SA_A_AN]),
					(unsigned long long)u(tb[VSECY_SA_A_PN]),
					(unsigned int)u(tb[VSECY_SA_A_SSCI]),
					active ? "on" : "off", key);
			} else {
				/*
				 * ip macsec reads a u32 here; a 64-bit read
				 * prints the same below 2^32 and stays right
				 * for a TX SA whose PN ran out (2^32).
				 */
				fprintf(c->out, "        %u: PN %llu, state %s, key %s\n",
					(unsigned int)u(tb[VSECY_SA_A_AN]),
					(unsigned long long)u(tb[VSECY_SA_A_PN]),
					active ? "on" : "off", key);
			}
			if (tx)
				print_stats(c, "    ", NAMES(txsa_stats_names),
					    tb[VSECY_SA_A_STATS]);
			else
				print_stats(c, "    ", NAMES(rxsa_stats_names),
					    tb[VSECY_SA_A_STATS]);
			if (c->json)
				json_close(&c->j, '}');
		}
	}
	if (c->json)
		json_close(&c->j, ']');
}

static void print_rxsc_list(struct show_ctx *c, const struct nlattr *list, bool xpn)
{
	const struct nlattr *rxsc, *rx[MAX_TB];

	if (!list)
		return;
	mnl_attr_for_each_nested(rxsc, list) {
		bool active;

		if (mnl_attr_get_type(rxsc) != VSECY_A_RXSC)
			continue;
		index_attrs(rxsc, rx);
		active = u(rx[VSECY_RXSC_A_ACTIVE]);
		if (c->json) {
			json_open(&c->j, NULL, '{');
			json_sci(c, u(rx[VSECY_RXSC_A_SCI]));
			json_bool(&c->j, "active", active);
		} else {
			fprintf(c->out, "    RXSC: %016llx, state %s\n",
				(unsigned long long)u(rx[VSECY_RXSC_A_SCI]),
				active ? "on" : "off");
		}
		print_stats(c, "    ", NAMES(rxsc_stats_names), rx[VSECY_RXSC_A_STATS]);
		print_sa_list(c, rx[VSECY_RXSC_A_SA_LIST], xpn, false);
		if (c->json)
			json_close(&c->j, '}');
	}
}

/*
 * ip macsec ends each SecY with its offload mode; a vsecy SecY is
 * software only, so it is always "off".
 */
void show_finish(struct show_ctx *c)
{
	if (!c->open)
		return;
	c->open = false;
	if (c->json) {
		json_close(&c->j, ']');
		json_string(&c->j, "offload", "off");
		json_close(&c->j, '}');
	} else {
		fprintf(c->out, "    offload: off \n");
	}
}

int show_secy_msg(const struct nlmsghdr *nlh, void *data)
{
	static const char *const validate[] = {
		[VSECY_VALIDATE_DISABLED] = "disabled",
		[VSECY_VALIDATE_CHECK] = "check",
		[VSECY_VALIDATE_STRICT] = "strict",
	};
	struct show_ctx *c = data;
	const struct nlattr *a, *tb[MAX_TB], *sy[MAX_TB], *tx[MAX_TB];
	char name[IF_NAMESIZE + 1] = "";
	uint32_t ifindex;
	uint64_t cs;
	uint8_t enc_sa;
	bool xpn;

	memset(tb, 0, sizeof(tb));
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) < MAX_TB)
			tb[mnl_attr_get_type(a)] = a;
	if (!tb[VSECY_A_IFINDEX]) {
		vsecy_err("incomplete dump message");
		return MNL_CB_ERROR;
	}
	ifindex = mnl_attr_get_u32(tb[VSECY_A_IFINDEX]);
	if (c->ifindex && ifindex != c->ifindex)
		return MNL_CB_OK;
	/* A SecY with too many RX SCs for one message continues in the next. */
	if (!tb[VSECY_A_SECY]) {
		if (!c->open || c->open_ifindex != ifindex || !tb[VSECY_A_RXSC_LIST]) {
			vsecy_err("incomplete dump message");
			return MNL_CB_ERROR;
		}
		print_rxsc_list(c, tb[VSECY_A_RXSC_LIST], c->open_xpn);
		return MNL_CB_OK;
	}
	show_finish(c);
	index_attrs(tb[VSECY_A_SECY], sy);
	if (!sy[VSECY_SECY_A_SCI] || !sy[VSECY_SECY_A_CIPHER_SUITE] ||
	    !sy[VSECY_SECY_A_ICV_LEN] || !sy[VSECY_SECY_A_ENCODING_SA]) {
		vsecy_err("incomplete dump message");
		return MNL_CB_ERROR;
	}
	if (tb[VSECY_A_IFNAME] && mnl_attr_validate(tb[VSECY_A_IFNAME], MNL_TYPE_NUL_STRING) >= 0)
		snprintf(name, sizeof(name), "%s", mnl_attr_get_str(tb[VSECY_A_IFNAME]));
	else if (!if_indextoname(ifindex, name))
		snprintf(name, sizeof(name), "if%u", ifindex);

	cs = u(sy[VSECY_SECY_A_CIPHER_SUITE]);
	xpn = cipher_is_xpn(cs);
	enc_sa = u(sy[VSECY_SECY_A_ENCODING_SA]);
	c->shown++;

	if (c->json) {
		json_open(&c->j, NULL, '{');
		json_uint(&c->j, "ifindex", ifindex);
		json_string(&c->j, "ifname", name);
		if (c->details)
			json_string(&c->j, "mode", "secy");
	} else {
		fprintf(c->out, "%u: %s: ", ifindex, name);
	}
	print_flag(c, "protect", sy[VSECY_SECY_A_PROTECT]);
	if (sy[VSECY_SECY_A_VALIDATE]) {
		uint64_t v = u(sy[VSECY_SECY_A_VALIDATE]);
		const char *s = v <= VSECY_VALIDATE_MAX ? validate[v] : "(unknown)";

		if (c->json)
			json_string(&c->j, "validate", s);
		else
			fprintf(c->out, "validate %s ", s);
	}
	/*
	 * ip macsec prints "sc" and "sa" from the attribute that macsec
	 * numbers 2 in its SecY nest, which is the encoding SA: both read
	 * "on" exactly when the encoding SA is not 0. Printed the same way so
	 * the two tools agree line for line.
	 */
	print_flag(c, "sc", sy[VSECY_SECY_A_ENCODING_SA]);
	print_flag(c, "sa", sy[VSECY_SECY_A_ENCODING_SA]);
	print_flag(c, "encrypt", sy[VSECY_SECY_A_ENCRYPT]);
	print_flag(c, "send_sci", sy[VSECY_SECY_A_INC_SCI]);
	print_flag(c, "end_station", sy[VSECY_SECY_A_ES]);
	print_flag(c, "scb", sy[VSECY_SECY_A_SCB]);
	print_flag(c, "replay", sy[VSECY_SECY_A_REPLAY]);
	/* The kernel's macsec reports a window only with replay protection on. */
	if (sy[VSECY_SECY_A_WINDOW] && u(sy[VSECY_SECY_A_REPLAY])) {
		if (c->json)
			json_uint(&c->j, "window", u(sy[VSECY_SECY_A_WINDOW]));
		else
			fprintf(c->out, "window %u ", (unsigned int)u(sy[VSECY_SECY_A_WINDOW]));
	}
	/* Printed only when not 0, which the kernel's macsec cannot be, so
	 * the lines still match ip macsec's for a common configuration.
	 */
	if (sy[VSECY_SECY_A_CONF_OFFSET] && u(sy[VSECY_SECY_A_CONF_OFFSET])) {
		if (c->json)
			json_uint(&c->j, "conf_offset", u(sy[VSECY_SECY_A_CONF_OFFSET]));
		else
			fprintf(c->out, "confoffset %u ", (unsigned int)u(sy[VSECY_SECY_A_CONF_OFFSET]));
	}
	/* vsecy only: the PN threshold of the pn-threshold event, when set. */
	if (u(sy[VSECY_SECY_A_PN_THRESHOLD])) {
		if (c->json)
			json_uint(&c->j, "pn_threshold", u(sy[VSECY_SECY_A_PN_THRESHOLD]));
		else
			fprintf(c->out, "pnthreshold %llu ",
				(unsigned long long)u(sy[VSECY_SECY_A_PN_THRESHOLD]));
	}
	if (c->json) {
		json_string(&c->j, "cipher_suite", cipher_name(cs));
		json_uint(&c->j, "icv_length", u(sy[VSECY_SECY_A_ICV_LEN]));
		if (sy[VSECY_SECY_A_OPER])
			json_bool(&c->j, "oper", u(sy[VSECY_SECY_A_OPER]));
	} else {
		/* -d, as ip -d link: what kind of vsecy device this is. */
		if (c->details)
			fprintf(c->out, "\n    mode secy");
		fprintf(c->out, "\n    cipher suite: %s, using ICV length %u\n",
			cipher_name(cs), (unsigned int)u(sy[VSECY_SECY_A_ICV_LEN]));
	}

	memset(tx, 0, sizeof(tx));
	if (tb[VSECY_A_TXSC])
		index_attrs(tb[VSECY_A_TXSC], tx);
	if (c->json) {
		json_sci(c, tx[VSECY_TXSC_A_SCI] ? u(tx[VSECY_TXSC_A_SCI]) :
				   u(sy[VSECY_SECY_A_SCI]));
		json_uint(&c->j, "encoding_sa", enc_sa);
	} else {
		fprintf(c->out, "    TXSC: %016llx on SA %u\n",
			(unsigned long long)(tx[VSECY_TXSC_A_SCI] ?
					     u(tx[VSECY_TXSC_A_SCI]) :
					     u(sy[VSECY_SECY_A_SCI])),
			enc_sa);
	}
	print_stats(c, "    ", NAMES(secy_stats_names), tb[VSECY_A_SECY_STATS]);
	print_stats(c, "    ", NAMES(txsc_stats_names), tx[VSECY_TXSC_A_STATS]);
	print_sa_list(c, tx[VSECY_TXSC_A_SA_LIST], xpn, true);

	if (c->json)
		json_open(&c->j, "rx_sc", '[');
	print_rxsc_list(c, tb[VSECY_A_RXSC_LIST], xpn);
	c->open = true;
	c->open_xpn = xpn;
	c->open_ifindex = ifindex;
	return MNL_CB_OK;
}

struct nlmsghdr *build_getlink_vsecy(void *buf, uint32_t ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *info;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | (ifindex ? NLM_F_ACK : NLM_F_DUMP);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	/* The kernel filters a dump by kind, as for ip link show type X. */
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vsecy");
	mnl_attr_nest_end(nlh, info);
	return nlh;
}

static void ifname_of(uint32_t ifindex, char *name)
{
	if (!if_indextoname(ifindex, name))
		snprintf(name, IF_NAMESIZE, "if%u", ifindex);
}

static void print_offloaded(struct show_ctx *c, const struct nlattr *list)
{
	const struct nlattr *a, *tb[MAX_TB];
	char name[IF_NAMESIZE + 1];

	if (c->json)
		json_open(&c->j, "offloaded", '[');
	if (!list)
		goto out;
	mnl_attr_for_each_nested(a, list) {
		uint64_t rxscs;

		if (mnl_attr_get_type(a) != VSECY_OFFLOAD_A_SECY)
			continue;
		index_attrs(a, tb);
		ifname_of(u(tb[VSECY_OFFLOAD_A_IFINDEX]), name);
		rxscs = u(tb[VSECY_OFFLOAD_A_RXSCS]);
		if (c->json) {
			json_open(&c->j, NULL, '{');
			json_sci(c, u(tb[VSECY_OFFLOAD_A_SCI]));
			json_uint(&c->j, "ifindex", u(tb[VSECY_OFFLOAD_A_IFINDEX]));
			json_string(&c->j, "ifname", name);
			json_uint(&c->j, "rx_scs", rxscs);
			json_close(&c->j, '}');
		} else {
			fprintf(c->out, "    SECY: %016llx on %s (ifindex %u), RX SCs %llu\n",
				(unsigned long long)u(tb[VSECY_OFFLOAD_A_SCI]), name,
				(unsigned int)u(tb[VSECY_OFFLOAD_A_IFINDEX]),
				(unsigned long long)rxscs);
		}
	}
out:
	if (c->json)
		json_close(&c->j, ']');
}

int show_nic_msg(const struct nlmsghdr *nlh, void *data)
{
	struct show_ctx *c = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *b, *info_data = NULL, *tb[MAX_TB];
	const struct nlattr *ifname = NULL, *link = NULL, *link_netns = NULL;
	char kind[16] = "", name[IF_NAMESIZE + 1] = "", lower[IF_NAMESIZE + 16];
	unsigned int n = 0;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < (int)sizeof(*ifi))
		return MNL_CB_OK;
	if (c->ifindex && (uint32_t)ifi->ifi_index != c->ifindex)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			ifname = a;
			break;
		case IFLA_LINK:
			link = a;
			break;
		case IFLA_LINK_NETNSID:
			link_netns = a;
			break;
		case IFLA_LINKINFO:
			mnl_attr_for_each_nested(b, a) {
				if (mnl_attr_get_type(b) == IFLA_INFO_KIND &&
				    mnl_attr_validate(b, MNL_TYPE_NUL_STRING) >= 0)
					snprintf(kind, sizeof(kind), "%s", mnl_attr_get_str(b));
				else if (mnl_attr_get_type(b) == IFLA_INFO_DATA)
					info_data = b;
			}
			break;
		}
	}
	if (strcmp(kind, "vsecy") || !info_data)
		return MNL_CB_OK;
	index_attrs(info_data, tb);
	if (u(tb[VSECY_SECY_A_MODE]) != VSECY_MODE_OFFLOAD)
		return MNL_CB_OK;

	show_finish(c);
	c->shown++;
	if (ifname && mnl_attr_validate(ifname, MNL_TYPE_NUL_STRING) >= 0)
		snprintf(name, sizeof(name), "%s", mnl_attr_get_str(ifname));
	else
		ifname_of(ifi->ifi_index, name);
	/* A lower device in another namespace is known by its index only. */
	if (link && !link_netns)
		ifname_of(mnl_attr_get_u32(link), lower);
	else if (link)
		snprintf(lower, sizeof(lower), "if%u", mnl_attr_get_u32(link));
	else
		snprintf(lower, sizeof(lower), "none");
	if (tb[VSECY_SECY_A_OFFLOADED])
		mnl_attr_for_each_nested(a, tb[VSECY_SECY_A_OFFLOADED])
			n += mnl_attr_get_type(a) == VSECY_OFFLOAD_A_SECY;

	if (c->json) {
		json_open(&c->j, NULL, '{');
		json_uint(&c->j, "ifindex", ifi->ifi_index);
		json_string(&c->j, "ifname", name);
		json_string(&c->j, "mode", "offload");
		json_string(&c->j, "link", lower);
	} else {
		fprintf(c->out, "%d: %s: mode offload link %s secys %u\n",
			ifi->ifi_index, name, lower, n);
	}
	print_offloaded(c, tb[VSECY_SECY_A_OFFLOADED]);
	if (c->json)
		json_close(&c->j, '}');
	return MNL_CB_OK;
}

/* Whether IFINDEX is a vsecy NIC: 1, 0, or -1 after an error message. */
static int is_nic(uint32_t ifindex)
{
	struct show_ctx probe = { .ifindex = ifindex };
	char buf[256];
	struct nl nl;
	int ret;

	probe.out = fopen("/dev/null", "we");
	if (!probe.out)
		return -1;
	if (nl_open(&nl, NETLINK_ROUTE)) {
		fclose(probe.out);
		return -1;
	}
	ret = nl_talk(&nl, build_getlink_vsecy(buf, ifindex), show_nic_msg,
		      &probe, "show");
	nl_close(&nl);
	fclose(probe.out);
	return ret ? -1 : probe.shown > 0;
}

/* The NICs (all, or c->ifindex), after the SecYs. */
static int show_nics(struct show_ctx *c)
{
	char buf[256];
	struct nl nl;
	int ret;

	if (nl_open(&nl, NETLINK_ROUTE))
		return -1;
	ret = nl_talk(&nl, build_getlink_vsecy(buf, c->ifindex), show_nic_msg,
		      c, "show");
	nl_close(&nl);
	return ret;
}

int cmd_show(int argc, char **argv)
{
	struct show_ctx c = { .out = stdout, .stats = opt_stats, .json = opt_json };
	char buf[512];
	struct nlmsghdr *req;
	const char *dev = NULL;
	struct nl nl;
	int i, ret, nic;

	for (i = 0; i < argc; i++) {
		if (argv[i][0] == '-') {
			if (parse_global_opt(argv[i]))
				return 1;
		} else if (!dev) {
			dev = argv[i];
		} else {
			vsecy_err("Error: unknown word \"%s\"", argv[i]);
			usage_sa(stderr);
			return 1;
		}
	}
	c.stats = opt_stats;
	c.json = opt_json;
	c.details = opt_details;
	if (dev) {
		c.ifindex = dev_index(dev);
		if (!c.ifindex)
			return 1;
	}
	if (opt_dry_run) {
		req = build_get_secy(buf, 0, c.ifindex);
		nl_dump_request(stdout, req, NETLINK_GENERIC);
		return 0;
	}
	/* A NIC has no SecY for the vsecy family to show: its link has it. */
	nic = c.ifindex ? is_nic(c.ifindex) : 0;
	if (nic < 0)
		return 2;
	if (c.json) {
		json_init(&c.j, stdout, opt_pretty);
		json_open(&c.j, NULL, '[');
	}
	ret = 0;
	if (!nic) {
		if (nl_open(&nl, NETLINK_GENERIC))
			return 2;
		ret = genl_resolve(&nl);
		if (!ret) {
			req = build_get_secy(buf, nl.family, c.ifindex);
			ret = nl_talk(&nl, req, show_secy_msg, &c, "show");
			show_finish(&c);
		}
		nl_close(&nl);
	}
	if (!ret && (nic || !c.ifindex))
		ret = show_nics(&c);
	if (c.json)
		json_close(&c.j, ']');
	return ret ? 2 : 0;
}
