// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: control socket, one per port.
 *
 * A unix stream socket, /run/vsecy-mkad/<ifname>.sock (mode 0600, root),
 * one request per connection: the client writes one line, the daemon
 * answers and closes the connection. Everything is non-blocking and on
 * the event loop: a client that says nothing for 1 s is dropped, and an
 * answer is written as the client reads it, so no client stalls MKA.
 *
 *   "STATUS\n"  ->  one JSON object and "\n":
 *       {"ifname":"vsecy0","lower":"eth0","backend":"vsecy",
 *        "ckn":"<hex>","sci":"<16 hex>","mi":"<24 hex>","mn":42,
 *        "priority":16,"mka_version":3,"policy":"must secure",
 *        "key_server":{"self":true,"sci":"<16 hex>","priority":16} | null,
 *        "cipher_suite":"gcm-aes-128",
 *        "confidentiality":true,"offset":0,     (once an SAK exists)
 *        "secured":true,"secured_after":2.51,   (seconds from start)
 *        "latest_sak":{"ki":"<32 hex>","kn":1,"an":0,"rx":true,"tx":true,
 *                      "ssci":1 (XPN)} | null,
 *        "old_sak":{...} | null,
 *        "current_an":0,                        (-1: not transmitting)
 *        "live_peers":[{"sci":"..","mi":"..","mn":7,"priority":255,
 *                       "key_server":false,"version":3,"capability":3,
 *                       "desired":true,"expires_in":5.2}],
 *        "potential_peers":[...],
 *        "controlled_port":{"connect":"secure"|"unsecured"|"pending",
 *                           "state":"TRANSMITTING" (Figure 12-2),
 *                           "why":"..."},
 *        "secy":{"capability":3,"suites":["gcm-aes-128",...],
 *                "events":true,
 *                "error":{"what":"add RX SA ...","error":"...",
 *                         "count":3} | null,     (failing now)
 *                "last_error":{...} | null},
 *        "authenticator":{"state":"AUTHENTICATED","supplicant":"<MAC>",
 *                         "identity":"bob","eap_method":"PEAP",
 *                         "radius_server":"127.0.0.1:1812",
 *                         "authenticated_for":12.5,"ckn":"<32 hex>",
 *                         "counters":{...}}    (access device only)
 *        "participants":[{"ckn":"..","state":"running","mi":"..",
 *                         "principal":true,"live_peers":1}],
 *        "counters":{"tx_mkpdu":..,"rx_mkpdu":..,"rx_bad_icv":..,
 *                    "rx_bad_len":..,"rx_bad_format":..,"rx_unknown_ckn":..,
 *                    "rx_stale":..,"rx_bad_dst":..,"rx_replay":..,
 *                    "rx_same_sci":..,"rx_eapol_other":..,
 *                    "peers_evicted":..,"saks_generated":..,
 *                    "saks_received":..,"saks_refused":..,
 *                    "secy_errors":..,"rejoins":..}}
 *   "REKEY\n"   ->  "OK\n" (key server with live peers: a new SAK is
 *                   distributed now) or "FAIL not key server\n"
 *   "REAUTH\n"  ->  "OK\n" (the 802.1X authenticator re-authenticates its
 *                   supplicant now) or "FAIL not an 802.1X authenticator\n"
 *   "PING\n"    ->  "PONG\n"
 *   otherwise   ->  "FAIL unknown command\n"
 *
 * The CAK, ICK, KEK and SAKs never appear in any answer; the KI (key
 * server MI and KN) names an SAK.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "ctrl.h"
#include "port_auth.h"
#include "log.h"
#include "port.h"
#include "status.h"

#define CTRL_OUT_MAX	65536

static void client_close(struct ctrl_client *cl)
{
	struct ctrl *c = cl->ctrl;

	if (cl->fd < 0)
		return;
	loop_del_fd(c->loop, &cl->lfd);
	loop_timer_stop(c->loop, &cl->timeout);
	close(cl->fd);
	cl->fd = -1;
	free(cl->out);
	cl->out = NULL;
}

static void client_timeout(void *ctx, double now)
{
	(void)now;
	client_close(ctx);
}

static void answer(struct ctrl_client *cl)
{
	struct ctrl *c = cl->ctrl;
	int len;

	cl->out = malloc(CTRL_OUT_MAX);
	if (!cl->out) {
		client_close(cl);
		return;
	}
	mkad_log_context(c->port->name);
	if (!strcasecmp(cl->req, "STATUS")) {
		len = status_json(c->port, cl->out, CTRL_OUT_MAX - 1, loop_now(c->loop));
		if (len < 0)
			len = snprintf(cl->out, CTRL_OUT_MAX, "FAIL status too large");
		cl->out[len++] = '\n';
	} else if (!strcasecmp(cl->req, "REKEY")) {
		len = snprintf(cl->out, CTRL_OUT_MAX, c->port->principal &&
			       !participant_request_rekey(c->port->principal) ?
			       "OK\n" : "FAIL not key server\n");
	} else if (!strcasecmp(cl->req, "REAUTH")) {
		if (c->port->auth)
			pae_auth_reauthenticate(c->port->auth->pae);
		len = snprintf(cl->out, CTRL_OUT_MAX, c->port->auth ? "OK\n" :
			       "FAIL not an 802.1X authenticator\n");
	} else if (!strcasecmp(cl->req, "PING")) {
		len = snprintf(cl->out, CTRL_OUT_MAX, "PONG\n");
	} else {
		len = snprintf(cl->out, CTRL_OUT_MAX, "FAIL unknown command\n");
	}
	cl->out_len = (size_t)len;
	cl->out_pos = 0;
}

static void client_event(void *ctx, uint32_t events)
{
	struct ctrl_client *cl = ctx;
	ssize_t n;

	if (cl->fd < 0)
		return;
	if (!cl->out && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
		n = read(cl->fd, cl->req + cl->req_len, sizeof(cl->req) - 1 - cl->req_len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			client_close(cl);
			return;
		}
		cl->req_len += (size_t)n;
		cl->req[cl->req_len] = 0;
		if (!strpbrk(cl->req, "\r\n") && cl->req_len < sizeof(cl->req) - 1)
			return;
		cl->req[strcspn(cl->req, "\r\n")] = 0;
		answer(cl);
		if (!cl->out)
			return;
		epoll_ctl(cl->ctrl->loop->epfd, EPOLL_CTL_MOD, cl->fd,
			  &(struct epoll_event){ .events = EPOLLOUT, .data.ptr = &cl->lfd });
	}
	if (cl->out) {
		n = write(cl->fd, cl->out + cl->out_pos, cl->out_len - cl->out_pos);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0 || (cl->out_pos += (size_t)n) == cl->out_len)
			client_close(cl);
	}
}

static void accept_event(void *ctx, uint32_t events)
{
	struct ctrl *c = ctx;
	int fd, i;

	(void)events;
	while ((fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		for (i = 0; i < CTRL_CLIENTS && c->clients[i].fd >= 0; i++)
			;
		if (i == CTRL_CLIENTS) {
			close(fd);	/* busy: the client may try again */
			continue;
		}
		c->clients[i] = (struct ctrl_client){ .ctrl = c, .fd = fd };
		loop_timer_init(&c->clients[i].timeout, client_timeout, &c->clients[i]);
		loop_timer_at(c->loop, &c->clients[i].timeout, loop_now(c->loop) + 1.0);
		if (loop_add_fd(c->loop, &c->clients[i].lfd, fd, EPOLLIN, client_event,
				&c->clients[i]))
			client_close(&c->clients[i]);
	}
}

int ctrl_open(struct ctrl *c, struct loop *loop, struct port *port, const char *dir)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int i;

	memset(c, 0, sizeof(*c));
	c->loop = loop;
	c->port = port;
	c->fd = -1;
	for (i = 0; i < CTRL_CLIENTS; i++)
		c->clients[i].fd = -1;
	if (mkdir(dir, 0700) && errno != EEXIST) {
		log_err("control socket: mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(c->path, sizeof(c->path), "%s/%s.sock", dir, port->name) >=
	    sizeof(c->path) || strlen(c->path) >= sizeof(sa.sun_path)) {
		log_err("control socket path too long");
		return -1;
	}
	strcpy(sa.sun_path, c->path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0)
		return -1;
	unlink(c->path);
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(c->path, 0600) ||
	    listen(c->fd, 8) || loop_add_fd(loop, &c->lfd, c->fd, EPOLLIN, accept_event, c)) {
		log_err("control socket %s: %s", c->path, strerror(errno));
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

void ctrl_close(struct ctrl *c)
{
	int i;

	if (!c->loop || c->fd < 0)
		return;
	for (i = 0; i < CTRL_CLIENTS; i++)
		client_close(&c->clients[i]);
	loop_del_fd(c->loop, &c->lfd);
	close(c->fd);
	unlink(c->path);
	c->fd = -1;
}

int ctrl_query(const char *dir, const char *ifname, const char *cmd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[65536];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s.sock", dir,
			     ifname) >= sizeof(sa.sun_path))
		return 2;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "vsecy-mkad: %s: %s\n", sa.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	snprintf(buf, sizeof(buf), "%s\n", cmd);
	if (write(fd, buf, strlen(buf)) < 0) {
		close(fd);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return 0;
}
