// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: log lines with a UTC timestamp and a level, to stderr or to
 * the file given by -f (appended, line buffered so tests can follow it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <sys/time.h>

#include "log.h"

static FILE *log_fp;
static bool log_debug, log_prefix;
static const char *log_ctx;

void mkad_log_context(const char *name)
{
	log_ctx = name;
}

void mkad_log_prefixes(bool on)
{
	log_prefix = on;
}

void mkad_log_open(const char *file, bool debug)
{
	log_debug = debug;
	if (file) {
		FILE *fp = fopen(file, "a");

		if (fp) {
			setvbuf(fp, NULL, _IOLBF, 0);
			if (log_fp && log_fp != stderr)
				fclose(log_fp);
			log_fp = fp;
			return;
		}
		fprintf(stderr, "vsecy-mkad: cannot open log file %s\n", file);
	}
	if (!log_fp)
		log_fp = stderr;
}

void mkad_log_close(void)
{
	if (log_fp && log_fp != stderr)
		fclose(log_fp);
	log_fp = NULL;
}

void mkad_log(int level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	struct timeval tv;
	struct tm tm;
	va_list ap;
	FILE *fp = log_fp ? log_fp : stderr;

	if (level == LOG_LVL_DEBUG && !log_debug)
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	fprintf(fp, "%02d:%02d:%02d.%03ld %s: ", tm.tm_hour, tm.tm_min,
		tm.tm_sec, (long)(tv.tv_usec / 1000), names[level]);
	if (log_prefix && log_ctx)
		fprintf(fp, "[%s] ", log_ctx);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
}
