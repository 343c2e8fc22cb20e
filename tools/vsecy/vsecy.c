// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy: configure vsecy MACsec SecYs, as `ip macsec` and `ip link ...
 * type macsec` configure the kernel's macsec. Any `ip macsec ...` command
 * line works with `vsecy` in place of `ip macsec`.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "config.h"
#include "netlink.h"
#include "vsecy.h"

#ifndef VSECY_VERSION
#define VSECY_VERSION "0.1"
#endif

static int cmd_help(int argc, char **argv);

static int cmd_add(int argc, char **argv)
{
	return cmd_sa(VERB_ADD, argc, argv);
}

static int cmd_set(int argc, char **argv)
{
	return cmd_sa(VERB_SET, argc, argv);
}

static int cmd_del(int argc, char **argv)
{
	return cmd_sa(VERB_DEL, argc, argv);
}

/* `ip macsec offload`: a software SecY has no offload; "off" is the truth. */
static int cmd_offload(int argc, char **argv)
{
	if (argc != 2) {
		vsecy_err("Error: expected: offload DEV { off | phy | mac }");
		return 1;
	}
	if (!dev_index(argv[0]))
		return 1;
	if (strcmp(argv[1], "off")) {
		vsecy_err("Error: vsecy has no %s offload: only \"off\" is possible",
			  argv[1]);
		return 2;
	}
	return 0;
}

/* Matched in this order, by prefix as ip does: "s" is show, "del" delete. */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *description;
} subcommands[] = {
	{ "help", cmd_help, "Shows this help" },
	{ "show", cmd_show, "Shows SecYs, their SCs and SAs, and NICs: show [ DEV ]" },
	{ "add", cmd_add, "Adds a TX SA, an RX SC or an RX SA" },
	{ "set", cmd_set, "Changes a TX SA, an RX SC or an RX SA" },
	{ "delete", cmd_del, "Deletes a TX SA, an RX SC or an RX SA" },
	{ "link", cmd_link, "Adds, changes or deletes a vsecy device" },
	{ "offload", cmd_offload, "Accepts `offload DEV off` (vsecy has no offload)" },
	{ "monitor", cmd_monitor, "Prints SecY events as they come (-j: JSON lines)" },
	{ "mka", cmd_mka, "Shows vsecy-mkad's MKA state: mka status [ DEV ] [ dir DIR ]" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [ OPTIONS ] COMMAND [ ARGS ]\n\n", prog_name);
	fprintf(f, "       %s [ OPTIONS ] -b[atch] FILE [ -force ]\n\n", prog_name);
	fprintf(f, "OPTIONS := { -s[tatistics] | -d[etails] | -j[son] | -p[retty] |\n"
		   "             -n[etns] NAME | --dry-run | -V[ersion] | -h[elp] }\n"
		   "-batch FILE: one command per line (FILE - : standard input), as ip -batch;\n"
		   "-force: carry on after a command fails (the exit status still says so).\n\n");
	fprintf(f, "Commands:\n");
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name, subcommands[i].description);
	fprintf(f, "\n");
	usage_sa(f);
	fprintf(f, "\n");
	usage_link(f);
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

static int enter_netns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "Cannot open network namespace \"%s\": %s\n",
			name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "setting the network namespace \"%s\" failed: %s\n",
			name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* One command: a subcommand and its words. */
static int run_cmd(int argc, char **argv)
{
	size_t i;

	/* `vsecy macsec add ...` is `ip macsec add ...` with vsecy for ip. */
	if (argc > 1 && !strcmp(argv[0], "macsec")) {
		argc--;
		argv++;
	}
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		if (matches(argv[0], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);

	vsecy_err("Command \"%s\" is unknown, try \"%s help\".", argv[0], prog_name);
	return 1;
}

int main(int argc, char **argv)
{
	const char *batch = NULL;
	bool force = false;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		const char *o = argv[0] + (argv[0][1] == '-' ? 2 : 1);

		if (!strcmp(o, "h") || !strcmp(o, "help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(o, "V") || !strcmp(o, "Version") || !strcmp(o, "version")) {
			printf("vsecy %s\n", VSECY_VERSION);
			return 0;
		}
		if (!strcmp(o, "n") || !strcmp(o, "netns")) {
			if (argc < 2) {
				vsecy_err("Error: %s needs a namespace name", argv[0]);
				return 1;
			}
			if (enter_netns(argv[1]))
				return 1;
			argc -= 2;
			argv += 2;
			continue;
		}
		if (!strcmp(o, "b") || !strcmp(o, "batch")) {
			if (argc < 2) {
				vsecy_err("Error: %s needs a file name (- for standard input)", argv[0]);
				return 1;
			}
			batch = argv[1];
			argc -= 2;
			argv += 2;
			continue;
		}
		if (!strcmp(o, "force")) {
			force = true;
			argc--;
			argv++;
			continue;
		}
		if (parse_global_opt(argv[0]))
			return 1;
		argc--;
		argv++;
	}
	if (batch) {
		if (argc) {
			vsecy_err("Error: -batch takes its commands from %s, not from the command line (\"%s\")",
				  batch, argv[0]);
			return 1;
		}
		return batch_run(batch, force, run_cmd);
	}
	if (argc < 1) {
		usage(stderr);
		return 1;
	}
	return run_cmd(argc, argv);
}
