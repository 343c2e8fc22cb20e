/* SPDX-License-Identifier: GPL-2.0 */
/* `vsecy -batch FILE [-force]`: commands from a file, as `ip -batch`. */
#ifndef VSECY_BATCH_H
#define VSECY_BATCH_H

#include <stdbool.h>

#define BATCH_MAX_WORDS 100

/* The batch is standard input: `key ID -` cannot read a key from it. */
extern bool opt_batch_stdin;

int batch_split(char *line, char **argv, int max);
/*
 * Runs every command of PATH ("-": standard input) through RUN. Returns
 * 0 when all succeeded, else the exit status of the first that failed.
 */
int batch_run(const char *path, bool force, int (*run)(int argc, char **argv));

#endif
