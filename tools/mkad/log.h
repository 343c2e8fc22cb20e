/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: logging to stderr or to a file. Key material is never
 * passed here: callers log key identifiers, never keys. A daemon serving
 * several ports prefixes each line with the port whose event is being
 * handled ("[vs1] ").
 */
#ifndef MKAD_LOG_H
#define MKAD_LOG_H

#include <stdbool.h>

enum { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void mkad_log_open(const char *file, bool debug);
void mkad_log_close(void);
void mkad_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The port the following lines are about (NULL: none); shown only once
 * mkad_log_prefixes(true) says there are several. */
void mkad_log_context(const char *name);
void mkad_log_prefixes(bool on);

#define log_err(...)	mkad_log(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...)	mkad_log(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)	mkad_log(LOG_LVL_INFO, __VA_ARGS__)
#define log_dbg(...)	mkad_log(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
