// SPDX-License-Identifier: GPL-2.0
/*
 * A SecY's ordered frame queues. The transmit path and the receive path
 * each hand their frames to a queue of the SecY's and return at once; the
 * queue's NAPI, in a kernel thread of its own (threaded NAPI), runs their
 * crypto and finishes them, delivering received frames through GRO and
 * sending protected ones, in the order they came. On a machine where one
 * CPU both sends and receives (a veth delivers on the sending CPU), the
 * crypto and the GRO then run where the scheduler finds room. The order
 * is 802.1AE's: a transmit SA's frames reach the wire in PN order (10.5.2),
 * an SC's frames are validated and delivered in the order they came
 * (10.6).
 *
 * A frame whose crypto completes asynchronously waits in its place; the
 * completion marks it done and wakes the queue. A queue that is stopped
 * drops what it holds, and a completion that comes later drops its own
 * frame.
 *
 * Copyright (C) 2026 The vsecy authors.
 */

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "queue.h"

/* The next frame to finish, unlinked, or NULL while the oldest is still
 * pending.
 */
static struct sk_buff *next_done(struct vsecy_queue *q)
{
	struct sk_buff *skb;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	skb = skb_peek(&q->inflight);
	if (skb && vsecy_qcb(skb)->state != VSECY_Q_PENDING)
		__skb_unlink(skb, &q->inflight);
	else
		skb = NULL;
	spin_unlock_irqrestore(&q->lock, flags);
	return skb;
}

/* Whether there is work: frames taken in, or a finished one first. */
static bool has_work(struct vsecy_queue *q)
{
	struct sk_buff *skb;
	unsigned long flags;
	bool work;

	spin_lock_irqsave(&q->lock, flags);
	skb = skb_peek(&q->inflight);
	work = !skb_queue_empty(&q->intake) ||
	       (skb && vsecy_qcb(skb)->state != VSECY_Q_PENDING);
	spin_unlock_irqrestore(&q->lock, flags);
	return work;
}

static void start_one(struct vsecy_queue *q, struct sk_buff *skb)
{
	enum vsecy_qstate state;
	unsigned long flags;

	/* In the list before its crypto starts: a completion on another
	 * CPU may mark it done before start() even returns. The cb held
	 * the stack's data until now: err too is set here, not left to a
	 * completion that a synchronous start() never has.
	 */
	vsecy_qcb(skb)->state = VSECY_Q_PENDING;
	vsecy_qcb(skb)->err = 0;
	spin_lock_irqsave(&q->lock, flags);
	__skb_queue_tail(&q->inflight, skb);
	spin_unlock_irqrestore(&q->lock, flags);

	state = q->ops->start(q, skb);
	/* Done at once, or dropped: no completion comes, the state is ours.
	 * Pending: the completion's.
	 */
	if (state != VSECY_Q_PENDING) {
		spin_lock_irqsave(&q->lock, flags);
		vsecy_qcb(skb)->state = state;
		spin_unlock_irqrestore(&q->lock, flags);
	}
}

static int queue_poll(struct napi_struct *napi, int budget)
{
	struct vsecy_queue *q = container_of(napi, struct vsecy_queue, napi);
	struct sk_buff_head batch, list;
	struct sk_buff *skb;
	unsigned long flags;
	int n = 0;

	__skb_queue_head_init(&batch);
	spin_lock_irqsave(&q->lock, flags);
	while (n++ < budget && (skb = __skb_dequeue(&q->intake)))
		__skb_queue_tail(&batch, skb);
	spin_unlock_irqrestore(&q->lock, flags);

	while ((skb = __skb_dequeue(&batch))) {
		if (!q->ops->split) {
			start_one(q, skb);
			continue;
		}
		__skb_queue_head_init(&list);
		q->ops->split(q, skb, &list);
		while ((skb = __skb_dequeue(&list)))
			start_one(q, skb);
	}

	n = 0;
	while (n < budget && (skb = next_done(q))) {
		q->ops->finish(q, skb);
		n++;
	}
	if (n < budget && napi_complete_done(napi, n) && has_work(q))
		napi_schedule(napi);
	return n;
}

/* @dev is the device the queue's NAPI belongs to; threaded if @dev's NAPIs
 * are (dev_set_threaded()).
 */
void vsecy_queue_init(struct vsecy_queue *q, struct net_device *dev,
		      const struct vsecy_queue_ops *ops)
{
	spin_lock_init(&q->lock);
	__skb_queue_head_init(&q->intake);
	__skb_queue_head_init(&q->inflight);
	q->ops = ops;
	netif_napi_add(dev, &q->napi, queue_poll);
	napi_enable(&q->napi);
}

/* From any context: takes @skb in. False when the queue is full or
 * stopped: the caller drops the frame.
 */
bool vsecy_queue_push(struct vsecy_queue *q, struct sk_buff *skb)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&q->lock, flags);
	ok = !q->dead && skb_queue_len(&q->intake) < VSECY_QUEUE_MAX;
	if (ok) {
		__skb_queue_tail(&q->intake, skb);
		napi_schedule(&q->napi);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return ok;
}

/* From a crypto completion, in any context: @skb's crypto is over. The
 * NAPI is scheduled under the lock, so that vsecy_queue_stop(), which
 * disables it first, never sees it scheduled again.
 */
void vsecy_queue_done(struct vsecy_queue *q, struct sk_buff *skb, int err)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	vsecy_qcb(skb)->err = err;
	if (q->dead) {
		__skb_unlink(skb, &q->inflight);
		spin_unlock_irqrestore(&q->lock, flags);
		vsecy_qcb(skb)->state = VSECY_Q_DROP;
		q->ops->finish(q, skb);
		return;
	}
	vsecy_qcb(skb)->state = VSECY_Q_DONE;
	napi_schedule(&q->napi);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Under RTNL: no frame is taken in any more, those waiting are dropped,
 * and those whose crypto is still running are dropped by their
 * completion. The NAPI goes.
 */
void vsecy_queue_stop(struct vsecy_queue *q)
{
	struct sk_buff_head drop;
	struct sk_buff *skb, *tmp;
	unsigned long flags;

	napi_disable(&q->napi);
	__skb_queue_head_init(&drop);
	spin_lock_irqsave(&q->lock, flags);
	q->dead = true;
	skb_queue_splice_init(&q->intake, &drop);
	skb_queue_walk_safe(&q->inflight, skb, tmp) {
		if (vsecy_qcb(skb)->state == VSECY_Q_PENDING)
			continue;
		__skb_unlink(skb, &q->inflight);
		__skb_queue_tail(&drop, skb);
	}
	spin_unlock_irqrestore(&q->lock, flags);

	while ((skb = __skb_dequeue(&drop))) {
		vsecy_qcb(skb)->state = VSECY_Q_DROP;
		q->ops->finish(q, skb);
	}
	netif_napi_del(&q->napi);
}
