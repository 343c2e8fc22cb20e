/* SPDX-License-Identifier: GPL-2.0 */
/* vsecy-mkad: a port's state as the JSON object of STATUS (see ctrl.c). */
#ifndef MKAD_STATUS_H
#define MKAD_STATUS_H

#include <stddef.h>

struct port;

/* Writes the object into buf; returns its length, or -1 if it is larger. */
int status_json(const struct port *p, char *buf, size_t size, double now);

#endif
