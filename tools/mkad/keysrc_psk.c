// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the pre-shared CAK source (mka_cak/mka_ckn), behind the
 * asynchronous interface of keysrc.h: each answer is a timer of its own,
 * so that it comes from the loop, never from inside the request.
 */
#include <errno.h>
#include <string.h>

#include "conf.h"
#include "keysrc.h"
#include "secmem.h"

#define PSK_MAX_PENDING	8

struct psk_pending {
	struct loop_timer timer;
	struct psk_source *src;
	bool used;
	uint8_t ckn[MKA_MAX_CKN_LEN];
	size_t ckn_len;
	keysrc_done_fn done;
	void *ctx;
};

struct psk_source {
	struct keysrc ks;
	double delay;
	int n;
	struct keysrc_cak caks[MKAD_MAX_CA];
	struct psk_pending pending[PSK_MAX_PENDING];
};

static void psk_answer(void *arg, double now)
{
	struct psk_pending *q = arg;
	struct psk_source *src = q->src;
	struct keysrc_cak cak;
	int i;

	(void)now;
	q->used = false;
	for (i = 0; i < src->n; i++) {
		const struct keysrc_cak *c = &src->caks[i];

		if (!q->ckn_len || (c->ckn_len == q->ckn_len &&
				    !memcmp(c->ckn, q->ckn, q->ckn_len))) {
			cak = *c;
			q->done(q->ctx, 0, &cak);
			crypto_wipe(&cak, sizeof(cak));
			return;
		}
	}
	q->done(q->ctx, -ENOENT, NULL);
}

static int psk_request(struct keysrc *ks, const uint8_t *ckn, size_t ckn_len,
		       keysrc_done_fn done, void *ctx)
{
	struct psk_source *src = (struct psk_source *)ks;
	int i;

	if (ckn_len > MKA_MAX_CKN_LEN)
		return -EINVAL;
	for (i = 0; i < PSK_MAX_PENDING; i++) {
		struct psk_pending *q = &src->pending[i];

		if (q->used)
			continue;
		q->used = true;
		q->src = src;
		memcpy(q->ckn, ckn, ckn_len);
		q->ckn_len = ckn_len;
		q->done = done;
		q->ctx = ctx;
		loop_timer_init(&q->timer, psk_answer, q);
		loop_timer_at(ks->loop, &q->timer, loop_now(ks->loop) + src->delay);
		return 0;
	}
	return -EBUSY;
}

static void psk_cancel(struct keysrc *ks, void *ctx)
{
	struct psk_source *src = (struct psk_source *)ks;
	int i;

	for (i = 0; i < PSK_MAX_PENDING; i++)
		if (src->pending[i].used && src->pending[i].ctx == ctx) {
			loop_timer_stop(ks->loop, &src->pending[i].timer);
			src->pending[i].used = false;
		}
}

static void psk_destroy(struct keysrc *ks)
{
	struct psk_source *src = (struct psk_source *)ks;
	int i;

	for (i = 0; i < PSK_MAX_PENDING; i++)
		loop_timer_stop(ks->loop, &src->pending[i].timer);
	secmem_free(src, sizeof(*src));
}

static const struct keysrc_ops psk_ops = {
	.name = "psk",
	.request = psk_request,
	.cancel = psk_cancel,
	.destroy = psk_destroy,
};

void keysrc_psk_set(struct keysrc *ks, const struct keysrc_cak *caks, int n)
{
	struct psk_source *src = (struct psk_source *)ks;

	crypto_wipe(src->caks, sizeof(src->caks));
	src->n = n > MKAD_MAX_CA ? MKAD_MAX_CA : n;
	memcpy(src->caks, caks, (size_t)src->n * sizeof(*caks));
}

struct keysrc *keysrc_psk_new(struct loop *loop, const struct keysrc_cak *caks,
			      int n, double delay)
{
	struct psk_source *src = secmem_alloc(sizeof(*src));

	if (!src)
		return NULL;
	src->ks.ops = &psk_ops;
	src->ks.loop = loop;
	src->delay = delay;
	keysrc_psk_set(&src->ks, caks, n);
	return &src->ks;
}
