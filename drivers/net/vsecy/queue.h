/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A SecY's ordered frame queues (queue.c): one for transmission, one for
 * reception.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#ifndef _VSECY_QUEUE_H
#define _VSECY_QUEUE_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>

struct vsecy_queue;

/* Where a frame is in its queue; the first octet of its skb->cb. */
enum vsecy_qstate {
	VSECY_Q_PENDING,	/* its crypto runs asynchronously */
	VSECY_Q_DONE,		/* its crypto is over: to be finished */
	VSECY_Q_DROP,		/* to be dropped in its turn */
};

/* The first member of the skb->cb of a queued frame. */
struct vsecy_qcb {
	u8 state;		/* enum vsecy_qstate */
	s16 err;		/* of its crypto, when DONE */
};

struct vsecy_queue_ops {
	/* In the queue's poll, in queue order: turns one frame taken in
	 * into the frames that go on (a GSO frame into its segments), each
	 * appended to @list; frees what it drops. Optional.
	 */
	void (*split)(struct vsecy_queue *q, struct sk_buff *skb,
		      struct sk_buff_head *list);
	/* Starts the crypto of a frame: returns VSECY_Q_DONE (over, the
	 * result in the cb's err, which the queue set to 0 before the
	 * call), VSECY_Q_PENDING (vsecy_queue_done() will be called), or
	 * VSECY_Q_DROP.
	 */
	enum vsecy_qstate (*start)(struct vsecy_queue *q, struct sk_buff *skb);
	/* The frame's turn, its state DONE or DROP: delivers, sends or drops
	 * it, and releases what it held.
	 */
	void (*finish)(struct vsecy_queue *q, struct sk_buff *skb);
};

/* A queue of a SecY's frames kept in the order they came: taken in from
 * any CPU (the rx_handler, ndo_start_xmit), their crypto started and
 * finished in that order by the queue's NAPI, which runs in a kernel
 * thread of its own (threaded NAPI) that the scheduler may put on any
 * CPU. Bounded (VSECY_QUEUE_MAX).
 */
struct vsecy_queue {
	struct napi_struct napi;
	/* Protects both lists and dead; taken in any context, crypto
	 * completions included (some complete in hard IRQ).
	 */
	spinlock_t lock;
	struct sk_buff_head intake;	/* taken in, not yet started */
	struct sk_buff_head inflight;	/* started, in order */
	bool dead;
	const struct vsecy_queue_ops *ops;
};

#define VSECY_QUEUE_MAX		1024

static inline struct vsecy_qcb *vsecy_qcb(struct sk_buff *skb)
{
	return (struct vsecy_qcb *)skb->cb;
}

void vsecy_queue_init(struct vsecy_queue *q, struct net_device *dev,
		      const struct vsecy_queue_ops *ops);
bool vsecy_queue_push(struct vsecy_queue *q, struct sk_buff *skb);
void vsecy_queue_done(struct vsecy_queue *q, struct sk_buff *skb, int err);
void vsecy_queue_stop(struct vsecy_queue *q);

#endif /* _VSECY_QUEUE_H */
