/* SPDX-License-Identifier: GPL-2.0 */
/* vsecy-mkad: the control socket of a port (protocol in ctrl.c). */
#ifndef MKAD_CTRL_H
#define MKAD_CTRL_H

#include <stdbool.h>
#include <stddef.h>

#include "loop.h"

#define MKAD_CTRL_DIR	"/run/vsecy-mkad"
#define CTRL_CLIENTS	8

struct port;

struct ctrl_client {
	struct ctrl *ctrl;
	int fd;			/* -1: free */
	struct loop_fd lfd;
	struct loop_timer timeout;
	char req[64];
	size_t req_len;
	char *out;		/* the answer, being written */
	size_t out_len, out_pos;
};

struct ctrl {
	struct loop *loop;
	struct port *port;
	int fd;
	struct loop_fd lfd;
	char path[256];
	struct ctrl_client clients[CTRL_CLIENTS];
};

/* Listens on DIR/IFNAME.sock for the port; 0, or -1 (logged). */
int ctrl_open(struct ctrl *c, struct loop *loop, struct port *port, const char *dir);
void ctrl_close(struct ctrl *c);
/* One request to the daemon serving ifname (vsecy-mkad -q); exit status. */
int ctrl_query(const char *dir, const char *ifname, const char *cmd);

#endif
