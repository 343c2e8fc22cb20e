/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands and the global options they share. */
#ifndef VSECY_H
#define VSECY_H

#include <stdbool.h>

extern bool opt_stats, opt_json, opt_pretty, opt_details;
extern const char *prog_name;

/* Parses one "-x" option; returns 0, or 1 after an error message. */
int parse_global_opt(const char *arg);

int cmd_show(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_sa(int verb, int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_mka(int argc, char **argv);

#endif
