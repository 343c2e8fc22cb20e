// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: epoll for descriptors and a list of timers, earliest first
 * (a daemon has a few per port: a sorted list is all it needs).
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "log.h"
#include "loop.h"

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int loop_init(struct loop *l)
{
	memset(l, 0, sizeof(*l));
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->now = mono();
	return l->epfd < 0 ? -1 : 0;
}

void loop_init_manual(struct loop *l, double now)
{
	memset(l, 0, sizeof(*l));
	l->epfd = -1;
	l->now = now;
}

void loop_fini(struct loop *l)
{
	if (l->epfd >= 0)
		close(l->epfd);
	l->epfd = -1;
	l->timers = NULL;
}

double loop_now(struct loop *l)
{
	if (l->epfd >= 0)
		l->now = mono();
	return l->now;
}

int loop_add_fd(struct loop *l, struct loop_fd *f, int fd, uint32_t events,
		loop_fd_fn fn, void *ctx)
{
	struct epoll_event ev = { .events = events, .data.ptr = f };

	f->fd = fd;
	f->fn = fn;
	f->ctx = ctx;
	f->added = false;
	if (l->epfd < 0 || fd < 0)
		return 0;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	f->added = true;
	return 0;
}

void loop_del_fd(struct loop *l, struct loop_fd *f)
{
	if (f->added && l->epfd >= 0)
		epoll_ctl(l->epfd, EPOLL_CTL_DEL, f->fd, NULL);
	f->added = false;
}

void loop_timer_init(struct loop_timer *t, loop_timer_fn fn, void *ctx)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	t->ctx = ctx;
}

void loop_timer_stop(struct loop *l, struct loop_timer *t)
{
	struct loop_timer **pp;

	if (!t->armed)
		return;
	for (pp = &l->timers; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	t->armed = false;
	t->next = NULL;
}

void loop_timer_at(struct loop *l, struct loop_timer *t, double at)
{
	struct loop_timer **pp;

	loop_timer_stop(l, t);
	t->at = at;
	for (pp = &l->timers; *pp && (*pp)->at <= at; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	t->armed = true;
}

/* Fires the timers due at now, each once; those it re-arms wait. */
static void fire_due(struct loop *l, double now)
{
	int budget = 1000;

	while (l->timers && l->timers->at <= now && budget-- > 0) {
		struct loop_timer *t = l->timers;

		l->timers = t->next;
		t->armed = false;
		t->next = NULL;
		t->fn(t->ctx, now);
	}
}

void loop_advance(struct loop *l, double now)
{
	l->now = now;
	fire_due(l, now);
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}

int loop_run(struct loop *l)
{
	struct epoll_event evs[16];

	while (!l->stop) {
		double now = loop_now(l);
		int timeout = -1, n, i;

		fire_due(l, now);
		if (l->stop)
			break;
		if (l->timers) {
			double d = l->timers->at - loop_now(l);

			timeout = d <= 0 ? 0 : (int)(d * 1000) + 1;
		}
		n = epoll_wait(l->epfd, evs, (int)(sizeof(evs) / sizeof(evs[0])), timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_err("epoll_wait: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < n && !l->stop; i++) {
			struct loop_fd *f = evs[i].data.ptr;

			f->fn(f->ctx, evs[i].events);
		}
	}
	return 0;
}
