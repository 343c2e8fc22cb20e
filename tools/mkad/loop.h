/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: the event loop. Objects register the descriptors they read
 * and the timers they need; nothing polls at a fixed rate. Time is the
 * monotonic clock in seconds, or, for the unit tests, whatever the test
 * sets (loop_init_manual, loop_advance).
 */
#ifndef MKAD_LOOP_H
#define MKAD_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;

typedef void (*loop_fd_fn)(void *ctx, uint32_t events);
typedef void (*loop_timer_fn)(void *ctx, double now);

struct loop_fd {
	int fd;
	loop_fd_fn fn;
	void *ctx;
	bool added;
};

struct loop_timer {
	double at;
	bool armed;
	loop_timer_fn fn;
	void *ctx;
	struct loop_timer *next;
};

struct loop {
	int epfd;		/* -1: manual (tests) */
	double now;		/* manual time; the last time seen otherwise */
	struct loop_timer *timers;	/* armed, earliest first */
	bool stop;
};

int loop_init(struct loop *l);
void loop_init_manual(struct loop *l, double now);
void loop_fini(struct loop *l);
double loop_now(struct loop *l);

/* events: EPOLLIN and friends. */
int loop_add_fd(struct loop *l, struct loop_fd *f, int fd, uint32_t events,
		loop_fd_fn fn, void *ctx);
void loop_del_fd(struct loop *l, struct loop_fd *f);

void loop_timer_init(struct loop_timer *t, loop_timer_fn fn, void *ctx);
/* Arms (or moves) t to fire at the absolute time at. */
void loop_timer_at(struct loop *l, struct loop_timer *t, double at);
void loop_timer_stop(struct loop *l, struct loop_timer *t);

/* Runs until loop_stop(); returns -1 if epoll fails. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);
/* Manual loops: sets the time and fires every timer due by then. */
void loop_advance(struct loop *l, double now);

#endif
