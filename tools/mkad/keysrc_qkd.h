/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the quantum key source (SKIP or ETSI GS QKD 014 key
 * provider) behind the asynchronous interface of keysrc.h. See
 * keysrc_qkd.c for what it does and how the CAK is derived.
 */
#ifndef MKAD_KEYSRC_QKD_H
#define MKAD_KEYSRC_QKD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "keysrc.h"
#include "kp.h"

struct keysrc_qkd_conf {
	struct kp_conf kp;
	bool hybrid;			/* CAK mixed with a pre-shared CAK (below) */
	uint8_t psk_cak[MKA_MAX_KEY_LEN];
	size_t psk_cak_len;		/* 16 or 32 */
};

/* A copy of conf is kept (in secmem); NULL if conf is unusable (logged).
 * The worker thread starts with the first request, so a daemon may fork
 * in between. The loop must be a real one (epoll): the answers come
 * through a pipe it watches. */
struct keysrc *keysrc_qkd_new(struct loop *loop, const struct keysrc_qkd_conf *conf);

/* The CAK of a QKD key of ID ckn (exposed for the unit tests): qkd-only
 * (conf->hybrid false) the key itself, hybrid the mix documented in
 * keysrc_qkd.c. 0, or -EINVAL (a key of a length that cannot be a CAK).
 * Wipes nothing of its inputs. */
int keysrc_qkd_cak(const struct keysrc_qkd_conf *conf, const struct kp_key *key,
		   struct keysrc_cak *cak);

#endif
