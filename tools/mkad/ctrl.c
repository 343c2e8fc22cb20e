// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: control socket.
 *
 * A unix stream socket, /run/vsecy-mkad/<ifname>.sock (mode 0600, root),
 * one request per connection: the client writes one line, the daemon
 * answers and closes the connection.
 *
 *   "STATUS\n"  ->  one JSON object and "\n":
 *       {"ifname":"vsecy0","lower":"eth0","backend":"vsecy",
 *        "ckn":"<hex>","sci":"<16 hex>","mi":"<24 hex>","mn":42,
 *        "priority":16,
 *        "key_server":{"self":true,"sci":"<16 hex>","priority":16} | null,
 *        "cipher_suite":"gcm-aes-128",
 *        "confidentiality":true,"offset":0,     (once an SAK exists)
 *        "secured":true,"secured_after":2.51,   (seconds from start)
 *        "latest_sak":{"ki":"<32 hex>","kn":1,"an":0,"rx":true,"tx":true} | null,
 *        "old_sak":{...} | null,
 *        "current_an":0,                        (-1: not transmitting)
 *        "live_peers":[{"sci":"..","mi":"..","mn":7,"priority":255,
 *                       "key_server":false,"expires_in":5.2}],
 *        "potential_peers":[...],
 *        "counters":{"tx_mkpdu":..,"rx_mkpdu":..,"rx_bad_icv":..,
 *                    "rx_bad_len":..,"rx_bad_format":..,"rx_unknown_ckn":..,
 *                    "rx_stale":..,"rx_bad_dst":..,"saks_generated":..,
 *                    "saks_received":..,"secy_errors":..}}
 *   "REKEY\n"   ->  "OK\n" (key server with live peers: a new SAK is
 *                   distributed now) or "FAIL not key server\n"
 *   "PING\n"    ->  "PONG\n"
 *   otherwise   ->  "FAIL unknown command\n"
 *
 * The CAK, ICK, KEK and SAKs never appear in any answer; the KI (key
 * server MI and KN) names an SAK.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "ctrl.h"
#include "log.h"

int ctrl_open(const char *dir, const char *ifname, char *path, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (mkdir(dir, 0700) && errno != EEXIST) {
		log_err("control socket: mkdir %s: %s", dir, strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(path, size, "%s/%s.sock", dir, ifname) >= size ||
	    strlen(path) >= sizeof(sa.sun_path)) {
		log_err("control socket path too long");
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600) ||
	    listen(fd, 4)) {
		log_err("control socket %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void ctrl_serve(int lfd, struct kay *k, double now)
{
	static char out[65536];
	char req[64];
	struct pollfd pfd;
	ssize_t n;
	int fd, len;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* A client gets 1 s to send its line: the daemon must not hang. */
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 1000) != 1) {
		close(fd);
		return;
	}
	n = read(fd, req, sizeof(req) - 1);
	if (n <= 0) {
		close(fd);
		return;
	}
	req[n] = 0;
	req[strcspn(req, "\r\n")] = 0;
	if (!strcasecmp(req, "STATUS")) {
		len = kay_status_json(k, out, sizeof(out) - 1, now);
		if (len < 0)
			len = snprintf(out, sizeof(out), "FAIL status too large");
		out[len++] = '\n';
	} else if (!strcasecmp(req, "REKEY")) {
		len = snprintf(out, sizeof(out), kay_request_rekey(k) ?
			       "FAIL not key server\n" : "OK\n");
	} else if (!strcasecmp(req, "PING")) {
		len = snprintf(out, sizeof(out), "PONG\n");
	} else {
		len = snprintf(out, sizeof(out), "FAIL unknown command\n");
	}
	if (write(fd, out, (size_t)len) != len)
		log_dbg("control socket: short write");
	close(fd);
}

void ctrl_close(int lfd, const char *path)
{
	if (lfd >= 0) {
		close(lfd);
		unlink(path);
	}
}
