/* SPDX-License-Identifier: GPL-2.0 */
/* vsecy-mkad: the control socket (protocol in ctrl.c). */
#ifndef MKAD_CTRL_H
#define MKAD_CTRL_H

#include "kay.h"

#define MKAD_CTRL_DIR	"/run/vsecy-mkad"

/* Opens DIR/IFNAME.sock; returns the listening fd or -1. */
int ctrl_open(const char *dir, const char *ifname, char *path, size_t size);
/* Serves one client on the listening fd (called when it is readable). */
void ctrl_serve(int lfd, struct kay *k, double now);
void ctrl_close(int lfd, const char *path);

#endif
