/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: where a CAK comes from. A port asks its key source for the
 * CAK of a CA and gets it later, through the event loop: never within
 * the call, so that the port handles the asynchronous answer of a slow
 * source (an EAP exchange, an external key server such as SKIP or ETSI
 * GS QKD 014 behind a worker) in the same way as the immediate one of the
 * pre-shared key, and keeps sending and answering MKPDUs meanwhile.
 *
 * A request names the CKN it wants, or none (len 0) for "a new CA" (the
 * initiator of a QKD source gets the key and its ID, which is the CKN).
 * A source that can look CKNs up (KEYSRC_LOOKUP) is asked for the CKN of
 * an MKPDU no participant knows; others are not.
 */
#ifndef MKAD_KEYSRC_H
#define MKAD_KEYSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "loop.h"

struct keysrc_cak {
	uint8_t cak[MKA_MAX_KEY_LEN];
	size_t cak_len;
	uint8_t ckn[MKA_MAX_CKN_LEN];
	size_t ckn_len;
	double lifetime;	/* seconds, 0: none */
};

/*
 * The answer: err 0 and the CAK, or a negative errno (-ENOENT: no such
 * CKN). The source wipes *cak once this returns: copy what is kept.
 */
typedef void (*keysrc_done_fn)(void *ctx, int err, const struct keysrc_cak *cak);

#define KEYSRC_LOOKUP	0x1	/* can be asked for a CKN it did not offer */

struct keysrc;

struct keysrc_ops {
	const char *name;
	unsigned int flags;
	/* Starts a request; 0, or a negative errno if it cannot start. */
	int (*request)(struct keysrc *ks, const uint8_t *ckn, size_t ckn_len,
		       keysrc_done_fn done, void *ctx);
	/* Forgets the requests of ctx (its answer will not come). */
	void (*cancel)(struct keysrc *ks, void *ctx);
	void (*destroy)(struct keysrc *ks);
};

struct keysrc {
	const struct keysrc_ops *ops;
	struct loop *loop;
};

static inline int keysrc_request(struct keysrc *ks, const uint8_t *ckn, size_t ckn_len,
				 keysrc_done_fn done, void *ctx)
{
	return ks->ops->request(ks, ckn, ckn_len, done, ctx);
}

/*
 * The pre-shared key source: the CAKs of the configuration (a copy,
 * wiped when destroyed). Its answers come after delay seconds (0 for the
 * daemon: on the loop's next turn; the unit tests simulate a slow one).
 */
struct keysrc *keysrc_psk_new(struct loop *loop, const struct keysrc_cak *caks,
			      int n, double delay);
/* Replaces the CAKs (SIGHUP). */
void keysrc_psk_set(struct keysrc *ks, const struct keysrc_cak *caks, int n);

#endif
