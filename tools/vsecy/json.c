// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal streaming JSON writer: objects, arrays, strings, unsigned
 * numbers and booleans, with `-p` indentation. Strings are escaped per
 * RFC 8259 so that any interface name stays valid JSON.
 */
#include "json.h"

void json_init(struct json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 0;
	j->has_items[0] = false;
}

static void newline(struct json *j)
{
	if (j->pretty)
		fprintf(j->f, "\n%*s", 4 * j->depth, "");
}

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void member(struct json *j, const char *key)
{
	if (j->has_items[j->depth])
		fputc(',', j->f);
	if (j->depth)
		newline(j);
	j->has_items[j->depth] = true;
	if (key) {
		put_str(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

void json_open(struct json *j, const char *key, char bracket)
{
	member(j, key);
	fputc(bracket, j->f);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->has_items[j->depth] = false;
}

void json_close(struct json *j, char bracket)
{
	bool items = j->has_items[j->depth];

	if (j->depth)
		j->depth--;
	if (items)
		newline(j);
	fputc(bracket, j->f);
	if (!j->depth)
		fputc('\n', j->f);
}

void json_string(struct json *j, const char *key, const char *v)
{
	member(j, key);
	put_str(j->f, v);
}

void json_uint(struct json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}
