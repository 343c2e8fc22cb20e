// SPDX-License-Identifier: GPL-2.0
/*
 * `vsecy -batch FILE` (`-` for standard input) and `-force`, as ip has
 * them: one command per line, without the program name; a `#` outside
 * quotes starts a comment; a line that ends in a backslash continues on
 * the next; words may be quoted with ' or ". The first command that
 * fails ends the batch ("Command failed FILE:LINE"), unless -force, which
 * carries on with the next line. Lines written for `ip -batch` may keep
 * their leading `macsec` (vsecy's commands are ip macsec's). Every line
 * is wiped once run: keys are in it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "config.h"

bool opt_batch_stdin;

/*
 * Splits LINE in place into at most MAX - 1 words (ARGV ends with NULL).
 * Returns the number of words, or -1 after an error message (an open
 * quote, too many words).
 */
int batch_split(char *line, char **argv, int max)
{
	char *r = line, *w = line;
	int n = 0;

	for (;;) {
		char quote = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			break;
		if (n == max - 1) {
			vsecy_err("Error: too many words on one line (at most %d)", max - 1);
			return -1;
		}
		argv[n++] = w;
		for (; *r; r++) {
			if (quote) {
				if (*r == quote)
					quote = 0;
				else
					*w++ = *r;
			} else if (*r == '"' || *r == '\'') {
				quote = *r;
			} else if (*r == ' ' || *r == '\t' || *r == '\n' ||
				   *r == '\r' || *r == '#') {
				break;
			} else {
				*w++ = *r;
			}
		}
		if (quote) {
			vsecy_err("Error: unterminated %c quote", quote);
			return -1;
		}
		/* A comment right after a word ends the line too. */
		if (*r == '#') {
			*w = '\0';
			break;
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
	argv[n] = NULL;
	return n;
}

/* Reads one command, joining backslash-continued lines; *LINENO is the
 * number of its last line. Returns its length, or -1 at the end.
 */
static ssize_t read_command(FILE *f, char **buf, size_t *cap, int *lineno)
{
	char *part = NULL;
	size_t part_cap = 0, len = 0;
	ssize_t n;

	if (!*buf) {
		*cap = 256;
		*buf = malloc(*cap);
		if (!*buf)
			return -1;
	}
	(*buf)[0] = '\0';
	while ((n = getline(&part, &part_cap, f)) >= 0) {
		bool more;

		(*lineno)++;
		if (n && part[n - 1] == '\n')
			part[--n] = '\0';
		more = n && part[n - 1] == '\\';
		if (more)
			part[--n] = '\0';
		if (len + n + 2 > *cap) {
			size_t ncap = (len + n + 2) * 2;
			char *nbuf = malloc(ncap);

			if (!nbuf)
				break;
			memcpy(nbuf, *buf, len + 1);
			wipe(*buf, *cap);
			free(*buf);
			*buf = nbuf;
			*cap = ncap;
		}
		memcpy(*buf + len, part, n);
		len += n;
		(*buf)[len++] = ' ';
		(*buf)[len] = '\0';
		if (!more)
			break;
	}
	if (part) {
		wipe(part, part_cap);
		free(part);
	}
	return len || n >= 0 ? (ssize_t)len : -1;
}

int batch_run(const char *path, bool force, int (*run)(int argc, char **argv))
{
	const char *name = strcmp(path, "-") ? path : "-";
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *buf = NULL, *argv[BATCH_MAX_WORDS];
	int lineno = 0, first_fail = 0;
	size_t cap = 0;

	if (!f) {
		vsecy_err("Error: cannot open %s: %s", path, strerror(errno));
		return 1;
	}
	opt_batch_stdin = f == stdin;
	while (read_command(f, &buf, &cap, &lineno) >= 0) {
		int argc = batch_split(buf, argv, BATCH_MAX_WORDS), rc;
		char **av = argv;

		if (argc > 0 && !strcmp(av[0], "macsec")) {
			av++;
			argc--;
		}
		rc = argc < 0 ? 1 : argc ? run(argc, av) : 0;
		wipe(buf, cap);
		/* Whatever the command printed goes out before the next runs. */
		fflush(stdout);
		if (rc) {
			fprintf(stderr, "Command failed %s:%d\n", name, lineno);
			if (!first_fail)
				first_fail = rc;
			if (!force)
				break;
		}
	}
	if (buf) {
		wipe(buf, cap);
		free(buf);
	}
	if (f != stdin)
		fclose(f);
	return first_fail;
}
