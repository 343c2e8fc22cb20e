/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small netlink layer over libmnl: request builders that fill a buffer
 * from the structs of config.h (pure, so the unit tests check them), and
 * the socket side that sends a request and decodes the kernel's answer,
 * extack included.
 */
#ifndef VSECY_NETLINK_H
#define VSECY_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "config.h"

#define NL_BUFLEN 8192

struct nl {
	struct mnl_socket *sock;
	unsigned int portid, seq;
	int bus;
	uint16_t family;	/* generic netlink family id of "vsecy" */
};

/* Global options. */
extern bool opt_dry_run;

/* Builders: return the message, or NULL when it does not fit. */
struct nlmsghdr *build_genl(void *buf, uint16_t family, uint8_t cmd,
			    uint16_t flags);
struct nlmsghdr *build_sa_cmd(void *buf, uint16_t family, uint32_t ifindex,
			      const struct sa_cmd *c);
struct nlmsghdr *build_set_secy(void *buf, uint16_t family, uint32_t ifindex,
				const struct secy_opts *o);
struct nlmsghdr *build_get_secy(void *buf, uint16_t family, uint32_t ifindex);
struct nlmsghdr *build_newlink(void *buf, uint32_t lower, const struct link_cmd *c);
struct nlmsghdr *build_dellink(void *buf, uint32_t ifindex);
void put_secy_opts(struct nlmsghdr *nlh, const struct secy_opts *o);
uint8_t sa_cmd_genl(const struct sa_cmd *c);

/*
 * The error in an NLMSG_ERROR answer to REQ: errno value, the extack
 * message and the name of the attribute the extack points at (in REQ,
 * whose kind BUS says: genl or rtnetlink), each "" when absent.
 */
struct nl_error {
	int err;
	char msg[256];
	char attr[96];
};
void nl_decode_error(const struct nlmsghdr *err, const struct nlmsghdr *req,
		     int bus, struct nl_error *out);
void nl_print_error(const struct nl_error *e, const char *what);

/* Name of the attribute at byte OFFSET of REQ, or "" . */
void nl_attr_name_at(const struct nlmsghdr *req, int bus, uint32_t offset,
		     char *out, size_t len);

/* Prints a request as an attribute tree, key bytes hidden (--dry-run). */
void nl_dump_request(FILE *f, const struct nlmsghdr *req, int bus);

int nl_open(struct nl *nl, int bus);
void nl_close(struct nl *nl);
int genl_resolve(struct nl *nl);
int genl_resolve_name(struct nl *nl, const char *name);
/*
 * Sends REQ and reads until the ack (or the end of a dump), handing data
 * messages to CB. Returns 0, or -1 after printing the error ("WHAT: ...").
 */
int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data,
	    const char *what);
uint32_t dev_index(const char *name);

#endif
