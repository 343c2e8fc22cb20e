// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the RADIUS client of radius.h on the event loop: one
 * non-blocking UDP socket connected to the server, the 256 identifiers,
 * retransmission and time-out, the callbacks, the counters and the
 * rate-limited messages. The packets themselves are built and checked by
 * the codec, radius_codec.c.
 *
 * Each outstanding request owns an identifier (the client has 256) and
 * the packet it sent, which is retransmitted as it is: a retransmission
 * is the same request to the server (RFC 2865 2.5).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "crypto.h"
#include "log.h"
#include "radius.h"
#include "radius_int.h"
#include "secmem.h"

#define LOG_INTERVAL		10.0	/* seconds between two drop messages */
#define RX_BUDGET		64	/* datagrams read per wake-up */

void radius_conf_defaults(struct radius_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->port = RADIUS_PORT;
	c->timeout = RADIUS_DEFAULT_TIMEOUT;
	c->retries = RADIUS_DEFAULT_RETRIES;
}

/* The client ------------------------------------------------------------ */

struct pending {
	struct radius_client *c;
	void *ctx;
	radius_done_fn done;
	uint8_t id;
	uint8_t auth[RADIUS_AUTH_LEN];
	int sent;			/* transmissions tried */
	bool left;			/* one of them was sent */
	struct loop_timer timer;
	size_t len;
	uint8_t pkt[RADIUS_MAX_LEN];
};

/* Says when a kind of message may be logged again. */
struct ratelimit {
	double at;			/* last logged */
	unsigned int quiet;		/* not logged since */
	bool used;
};

struct radius_client {
	struct loop *loop;
	struct radius_conf conf;	/* holds the secret */
	int fd;
	struct loop_fd lfd;
	char name[80];			/* "127.0.0.1:1812", "[::1]:1812" */
	uint8_t next_id;
	struct pending *pend[256];	/* by identifier */
	struct radius_counters cnt;
	struct ratelimit rl_drop, rl_timeout, rl_send;
	struct radius_reply rep;	/* the one being answered */
	uint8_t rx[RADIUS_MAX_LEN];
};

/* true if a message may be logged now; *quiet: how many were not. */
static bool rl_pass(struct radius_client *c, struct ratelimit *r, unsigned int *quiet)
{
	double now = loop_now(c->loop);

	if (r->used && now - r->at < LOG_INTERVAL) {
		r->quiet++;
		return false;
	}
	*quiet = r->quiet;
	r->quiet = 0;
	r->at = now;
	r->used = true;
	return true;
}

static void log_drop(struct radius_client *c, const char *why)
{
	unsigned int quiet;

	if (rl_pass(c, &c->rl_drop, &quiet))
		log_warn("RADIUS reply from %s dropped: %s%s", c->name, why,
			 quiet ? " (and others not logged)" : "");
}

static void pending_free(struct radius_client *c, struct pending *p)
{
	loop_timer_stop(c->loop, &p->timer);
	c->pend[p->id] = NULL;
	free(p);
}

static void transmit(struct radius_client *c, struct pending *p)
{
	unsigned int quiet;
	ssize_t n;

	p->sent++;
	n = send(c->fd, p->pkt, p->len, 0);
	if (n == (ssize_t)p->len) {
		p->left = true;
		return;
	}
	c->cnt.send_errors++;
	if (rl_pass(c, &c->rl_send, &quiet))
		log_warn("RADIUS request to %s not sent: %s", c->name,
			 n < 0 ? strerror(errno) : "short write");
}

static void on_timer(void *arg, double now)
{
	struct pending *p = arg;
	struct radius_client *c = p->c;
	radius_done_fn done = p->done;
	enum radius_result r;
	unsigned int quiet;
	void *ctx = p->ctx;

	if (p->sent <= c->conf.retries) {
		c->cnt.retransmits++;
		transmit(c, p);
		loop_timer_at(c->loop, &p->timer, now + c->conf.timeout);
		return;
	}
	r = p->left ? RADIUS_TIMEOUT : RADIUS_ERROR;
	if (r == RADIUS_TIMEOUT)
		c->cnt.timeouts++;
	if (rl_pass(c, &c->rl_timeout, &quiet))
		log_warn(r == RADIUS_TIMEOUT ? "RADIUS server %s does not answer" :
			 "RADIUS server %s cannot be reached", c->name);
	pending_free(c, p);
	done(ctx, r, NULL);
}

static void count_drop(struct radius_client *c, enum radius_drop d)
{
	if (d == RADIUS_DROP_AUTHENTICATOR)
		c->cnt.bad_authenticator++;
	else if (d == RADIUS_DROP_MSG_AUTH || d == RADIUS_DROP_NO_MSG_AUTH)
		c->cnt.bad_msg_auth++;
	else if (d == RADIUS_DROP_ID)
		c->cnt.unknown_id++;
	else
		c->cnt.malformed++;
}

static void on_datagram(struct radius_client *c, size_t n)
{
	struct pending *p;
	radius_done_fn done;
	enum radius_result r;
	enum radius_drop d;
	void *ctx;

	if (n < RADIUS_HDR_LEN || n > sizeof(c->rx)) {
		count_drop(c, RADIUS_DROP_MALFORMED);
		log_drop(c, n > sizeof(c->rx) ? "longer than 4096 octets" :
			 radius_drop_str(RADIUS_DROP_MALFORMED));
		return;
	}
	p = c->pend[c->rx[1]];
	d = p ? radius_check_reply(c->conf.secret, c->conf.secret_len, p->id, p->auth, true,
				   c->rx, n, &c->rep) : RADIUS_DROP_ID;
	if (d) {
		count_drop(c, d);
		log_drop(c, radius_drop_str(d));
		return;
	}
	if (c->rep.code == RADIUS_CODE_ACCESS_ACCEPT) {
		r = RADIUS_ACCEPT;
		c->cnt.accepts++;
	} else if (c->rep.code == RADIUS_CODE_ACCESS_REJECT) {
		r = RADIUS_REJECT;
		c->cnt.rejects++;
	} else {
		r = RADIUS_CHALLENGE;
		c->cnt.challenges++;
	}
	done = p->done;
	ctx = p->ctx;
	pending_free(c, p);
	done(ctx, r, &c->rep);
	crypto_wipe(&c->rep, sizeof(c->rep));
}

static void on_readable(void *arg, uint32_t events)
{
	struct radius_client *c = arg;
	unsigned int quiet;
	int budget;

	(void)events;
	for (budget = RX_BUDGET; budget > 0; budget--) {
		ssize_t n = recv(c->fd, c->rx, sizeof(c->rx), MSG_TRUNC);

		if (n >= 0) {
			on_datagram(c, (size_t)n);
			crypto_wipe(c->rx, sizeof(c->rx));
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		/* ECONNREFUSED: an ICMP port unreachable for an earlier request */
		if (rl_pass(c, &c->rl_send, &quiet))
			log_warn("RADIUS server %s: %s", c->name, strerror(errno));
		if (errno != ECONNREFUSED && errno != EHOSTUNREACH && errno != ENETUNREACH)
			break;
	}
}

static int next_id(struct radius_client *c)
{
	int i;

	for (i = 0; i < 256; i++) {
		uint8_t id = c->next_id++;

		if (!c->pend[id])
			return id;
	}
	return -1;
}

int radius_send(struct radius_client *c, const struct radius_req *req,
		radius_done_fn done, void *ctx)
{
	struct pending *p;
	int id, len;

	if (!c || !req || !done || !ctx || radius_check_request(&c->conf, req))
		return -EINVAL;
	id = next_id(c);
	if (id < 0)
		return -EBUSY;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	if (crypto_random(p->auth, sizeof(p->auth))) {
		free(p);
		return -EIO;
	}
	len = radius_build_request(&c->conf, req, (uint8_t)id, p->auth, p->pkt, sizeof(p->pkt));
	if (len < 0) {
		free(p);
		return len;
	}
	/* the new request stands: the old one of ctx goes */
	radius_cancel(c, ctx);
	p->c = c;
	p->ctx = ctx;
	p->done = done;
	p->id = (uint8_t)id;
	p->len = (size_t)len;
	loop_timer_init(&p->timer, on_timer, p);
	c->pend[id] = p;
	c->cnt.requests++;
	transmit(c, p);
	loop_timer_at(c->loop, &p->timer, loop_now(c->loop) + c->conf.timeout);
	return 0;
}

void radius_cancel(struct radius_client *c, void *ctx)
{
	int i;

	if (!c)
		return;
	for (i = 0; i < 256; i++)
		if (c->pend[i] && c->pend[i]->ctx == ctx)
			pending_free(c, c->pend[i]);
}

const struct radius_counters *radius_counters(const struct radius_client *c)
{
	return &c->cnt;
}

/* The socket, connected to the server; its name for the messages. */
static int open_socket(struct radius_client *c)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICSERV };
	char port[8], host[NI_MAXHOST];
	struct addrinfo *res;
	int gai, fd;

	snprintf(port, sizeof(port), "%u", c->conf.port);
	gai = getaddrinfo(c->conf.server, port, &hints, &res);
	if (gai) {
		log_err("RADIUS server %s: %s", c->conf.server, gai_strerror(gai));
		return -1;
	}
	if (getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host), NULL, 0,
			NI_NUMERICHOST))
		snprintf(host, sizeof(host), "%s", c->conf.server);
	snprintf(c->name, sizeof(c->name), res->ai_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
		 host, port);
	fd = socket(res->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen)) {
		log_err("RADIUS server %s: socket: %s", c->name, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	c->fd = fd;
	return 0;
}

static int check_conf(const struct radius_conf *conf)
{
	uint8_t a[16];

	if (!conf->server[0] || !memchr(conf->server, 0, sizeof(conf->server))) {
		log_err("RADIUS: no server address");
		return -1;
	}
	if (!conf->secret_len || conf->secret_len > RADIUS_SECRET_MAX) {
		log_err("RADIUS server %s: no shared secret", conf->server);
		return -1;
	}
	if (!memchr(conf->nas_ip, 0, sizeof(conf->nas_ip)) ||
	    (conf->nas_ip[0] && inet_pton(AF_INET, conf->nas_ip, a) != 1 &&
	     inet_pton(AF_INET6, conf->nas_ip, a) != 1)) {
		log_err("RADIUS: NAS address %.64s is not an IP address", conf->nas_ip);
		return -1;
	}
	if (!memchr(conf->nas_id, 0, sizeof(conf->nas_id))) {
		log_err("RADIUS: NAS-Identifier too long");
		return -1;
	}
	return 0;
}

struct radius_client *radius_client_new(struct loop *l, const struct radius_conf *conf)
{
	struct radius_client *c;
	uint8_t id;
	int ret;

	if (check_conf(conf))
		return NULL;
	c = secmem_alloc(sizeof(*c));
	if (!c) {
		log_err("RADIUS: out of memory");
		return NULL;
	}
	c->loop = l;
	c->conf = *conf;
	if (!c->conf.port)
		c->conf.port = RADIUS_PORT;
	if (c->conf.timeout <= 0)
		c->conf.timeout = RADIUS_DEFAULT_TIMEOUT;
	if (c->conf.retries < 0)
		c->conf.retries = RADIUS_DEFAULT_RETRIES;
	c->fd = -1;
	if (!crypto_random(&id, 1))
		c->next_id = id;
	if (open_socket(c))
		goto fail;
	ret = loop_add_fd(l, &c->lfd, c->fd, EPOLLIN, on_readable, c);
	if (ret) {
		log_err("RADIUS server %s: epoll: %s", c->name, strerror(-ret));
		goto fail;
	}
	log_info("RADIUS server %s", c->name);
	return c;
fail:
	if (c->fd >= 0)
		close(c->fd);
	secmem_free(c, sizeof(*c));
	return NULL;
}

void radius_client_free(struct radius_client *c)
{
	int i;

	if (!c)
		return;
	for (i = 0; i < 256; i++)
		if (c->pend[i])
			pending_free(c, c->pend[i]);
	loop_del_fd(c->loop, &c->lfd);
	close(c->fd);
	secmem_free(c, sizeof(*c));
}
