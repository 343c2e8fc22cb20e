/* SPDX-License-Identifier: GPL-2.0 */
/* vsecy-mkad: the key source of a configuration's key provider (qkd_*). */
#ifndef MKAD_QKD_CONF_H
#define MKAD_QKD_CONF_H

#include "conf.h"
#include "keysrc.h"

/* NULL, with the reason logged, if the settings cannot be used. */
struct keysrc *qkd_source_new(struct loop *loop, const struct mkad_qkd_conf *q);

#endif
