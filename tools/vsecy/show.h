/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VSECY_SHOW_H
#define VSECY_SHOW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <libmnl/libmnl.h>

#include "json.h"

struct show_ctx {
	FILE *out;
	bool stats, json, details;
	uint32_t ifindex;	/* only this SecY, 0: all */
	struct json j;
	int shown;
	/* The SecY being printed: more of its RX SCs may follow. */
	bool open, open_xpn;
	uint32_t open_ifindex;
};

/*
 * Prints one VSECY_CMD_GET_SECY message; an mnl callback. A SecY's output
 * stays open for continuation messages (more RX SCs, same ifindex) until
 * the next SecY or show_finish().
 */
int show_secy_msg(const struct nlmsghdr *nlh, void *ctx);
void show_finish(struct show_ctx *c);
/*
 * Prints a vsecy NIC (offload mode) from one RTM_NEWLINK message: its
 * mode, lower device and the SecYs the kernel's macsec offloads to it;
 * other links are skipped. An mnl callback.
 */
int show_nic_msg(const struct nlmsghdr *nlh, void *ctx);
struct nlmsghdr *build_getlink_vsecy(void *buf, uint32_t ifindex);

#endif
