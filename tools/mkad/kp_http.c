// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the transport of the key-provider client: one HTTP/1.1
 * request over TLS 1.3 on a connection of its own, all of it bounded by
 * one deadline (c->timeout).
 *
 * TLS is OpenSSL directly: TLS 1.3 only, TLS_AES_256_GCM_SHA384 only (the
 * suite SKIP requires), and either
 *  - certificates: SSL_VERIFY_PEER against ca_file, with the host name
 *    (or IP address) always checked, and our client certificate if
 *    cert_file is set (ETSI 014's mutual TLS); or
 *  - a TLS 1.3 external PSK (SKIP's recommended mode) given through the
 *    psk_use_session callback. Without a ca_file no certificate is
 *    involved: a handshake that did not use the PSK fails verification.
 * There is no way to turn verification off.
 *
 * HTTP is a small client of our own rather than libcurl: libcurl cannot
 * do TLS-PSK, and its internal buffers (which would hold the keys) cannot
 * be wiped. It sends GET or POST with Host, Accept: application/json and
 * Connection: close, and reads the status line, the headers and a body
 * delimited by Content-Length, chunked encoding or the end of the
 * connection, at most KP_BODY_MAX octets. The buffers live in secmem and
 * are wiped before they are freed.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "crypto.h"
#include "kp.h"
#include "secmem.h"

#define HDR_MAX		(16 * 1024)
#define RAW_MAX		(HDR_MAX + KP_BODY_MAX + 8 * 1024)	/* room for chunk framing */

static const unsigned char tls13_aes256[2] = { 0x13, 0x02 };

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Milliseconds left before the deadline, 0 once it passed. */
static int left_ms(double deadline)
{
	double left = deadline - now_mono();

	if (left <= 0)
		return 0;
	return (int)(left * 1000) + 1;
}

/* Waits for events on fd; 0, or -ETIMEDOUT. */
static int wait_fd(int fd, short events, double deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int ms, n;

	for (;;) {
		ms = left_ms(deadline);
		if (!ms)
			return -ETIMEDOUT;
		n = poll(&p, 1, ms);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

static int connect_one(const struct addrinfo *ai, double deadline, int *fdp)
{
	socklen_t len = sizeof(int);
	int fd, ret, soerr = 0;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS) {
		ret = -errno;
		goto fail;
	}
	ret = wait_fd(fd, POLLOUT, deadline);
	if (ret)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len)) {
		ret = -errno;
		goto fail;
	}
	if (soerr) {
		ret = -soerr;
		goto fail;
	}
	*fdp = fd;
	return 0;
fail:
	close(fd);
	return ret;
}

static int tcp_connect(const struct kp_conf *c, double deadline, int *fdp,
		       char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	char port[8];
	int ret = -EHOSTUNREACH, gai;

	snprintf(port, sizeof(port), "%u", c->port ? c->port : 443);
	/* name resolution is not bounded by the deadline: use addresses */
	gai = getaddrinfo(c->host, port, &hints, &res);
	if (gai) {
		kp_seterr(err, errlen, "cannot resolve %s: %s", c->host, gai_strerror(gai));
		return gai == EAI_AGAIN ? -EAGAIN : -EHOSTUNREACH;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		ret = connect_one(ai, deadline, fdp);
		if (!ret || ret == -ETIMEDOUT)
			break;
	}
	freeaddrinfo(res);
	if (ret)
		kp_seterr(err, errlen, "connect to %s port %s: %s", c->host, port, strerror(-ret));
	return ret;
}

/* What a connection's callbacks see (SSL app data). */
struct conn {
	const struct kp_conf *c;
	bool cert_requested;		/* the provider asked for our certificate */
};

/* The TLS 1.3 external PSK, offered in the ClientHello. */
static int psk_use_session(SSL *ssl, const EVP_MD *md, const unsigned char **id,
			   size_t *idlen, SSL_SESSION **sessp)
{
	const struct conn *cn = SSL_get_app_data(ssl);
	const struct kp_conf *c = cn ? cn->c : NULL;
	const SSL_CIPHER *cipher = SSL_CIPHER_find(ssl, tls13_aes256);
	SSL_SESSION *s;

	*sessp = NULL;
	*id = NULL;
	*idlen = 0;
	if (!c || !cipher)
		return 0;
	/* after a HelloRetryRequest: only if the hash still fits */
	if (md && md != SSL_CIPHER_get_handshake_digest(cipher))
		return 1;
	s = SSL_SESSION_new();
	if (!s)
		return 0;
	if (!SSL_SESSION_set1_master_key(s, c->psk, c->psk_len) ||
	    !SSL_SESSION_set_cipher(s, cipher) ||
	    !SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION)) {
		SSL_SESSION_free(s);
		return 0;
	}
	*sessp = s;
	*id = (const unsigned char *)c->psk_identity;
	*idlen = strlen(c->psk_identity);
	return 1;
}

static const char *ssl_reason(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();

	if (!e)
		return "no detail";
	ERR_error_string_n(e, buf, len);
	return buf;
}

/* Called when the provider requests a client certificate. */
static int cert_requested(SSL *ssl, void *arg)
{
	struct conn *cn = SSL_get_app_data(ssl);

	(void)arg;
	if (cn)
		cn->cert_requested = true;
	return 1;
}

static SSL_CTX *make_ctx(const struct kp_conf *c, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char why[160];

	if (!ctx) {
		kp_seterr(err, errlen, "TLS: cannot create a context");
		return NULL;
	}
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_TICKET);
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_ciphersuites(ctx, "TLS_AES_256_GCM_SHA384")) {
		kp_seterr(err, errlen, "TLS: cannot restrict to TLS 1.3 AES-256-GCM");
		goto fail;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (c->ca_file[0] && !SSL_CTX_load_verify_locations(ctx, c->ca_file, NULL)) {
		kp_seterr(err, errlen, "TLS: cannot load CA file %s: %s", c->ca_file,
		       ssl_reason(why, sizeof(why)));
		goto fail;
	}
	if (c->cert_file[0]) {
		if (SSL_CTX_use_certificate_chain_file(ctx, c->cert_file) != 1 ||
		    SSL_CTX_use_PrivateKey_file(ctx, c->key_file[0] ? c->key_file :
						c->cert_file, SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(ctx) != 1) {
			kp_seterr(err, errlen, "TLS: cannot load client certificate %s: %s",
			       c->cert_file, ssl_reason(why, sizeof(why)));
			goto fail;
		}
	}
	SSL_CTX_set_cert_cb(ctx, cert_requested, NULL);
	if (c->psk_len)
		SSL_CTX_set_psk_use_session_callback(ctx, psk_use_session);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/*
 * Drives one SSL call to completion within the deadline: the call's
 * return if > 0, 0 at a clean end of the stream, or a negative errno:
 * -EBADMSG for a TLS failure (an alert, a bad record).
 */
enum tls_op { TLS_CONNECT, TLS_READ, TLS_WRITE };

static int tls_io(SSL *ssl, int fd, enum tls_op op, void *buf, int len, double deadline)
{
	int n, e, ret;

	for (;;) {
		ERR_clear_error();
		errno = 0;
		if (op == TLS_CONNECT)
			n = SSL_connect(ssl);
		else if (op == TLS_READ)
			n = SSL_read(ssl, buf, len);
		else
			n = SSL_write(ssl, buf, len);
		if (n > 0)
			return n;
		e = SSL_get_error(ssl, n);
		if (e == SSL_ERROR_WANT_READ)
			ret = wait_fd(fd, POLLIN, deadline);
		else if (e == SSL_ERROR_WANT_WRITE)
			ret = wait_fd(fd, POLLOUT, deadline);
		else if (e == SSL_ERROR_ZERO_RETURN)
			return 0;
		else if (e == SSL_ERROR_SYSCALL)
			return errno ? -errno : -ECONNRESET;
		else
			return -EBADMSG;
		if (ret)
			return ret;
	}
}

static int tls_handshake(const struct kp_conf *c, SSL *ssl, int fd, double deadline,
			 char *err, size_t errlen)
{
	char why[160];
	long v;
	int ret;

	ret = tls_io(ssl, fd, TLS_CONNECT, NULL, 0, deadline);
	if (ret == -ETIMEDOUT) {
		kp_seterr(err, errlen, "TLS handshake with %s timed out", c->host);
		return ret;
	}
	if (ret < 0) {
		v = SSL_get_verify_result(ssl);
		if (v != X509_V_OK)
			kp_seterr(err, errlen, "TLS: certificate of %s not accepted: %s",
			       c->host, X509_verify_cert_error_string(v));
		else if (ret == -EBADMSG)
			kp_seterr(err, errlen, "TLS handshake with %s failed: %s", c->host,
			       ssl_reason(why, sizeof(why)));
		else
			kp_seterr(err, errlen, "TLS handshake with %s failed: %s", c->host,
			       strerror(-ret));
		return -EACCES;
	}
	if (!c->ca_file[0] && !SSL_session_reused(ssl)) {
		/* not reached: the certificate cannot verify without a CA */
		kp_seterr(err, errlen, "TLS: %s did not accept our PSK", c->host);
		return -EACCES;
	}
	return 0;
}

/* Decodes a chunked body at p (n octets) into out: 1 done, 0 need more,
 * -EPROTO malformed or too long. */
static int unchunk(const char *p, size_t n, char *out, size_t *out_len)
{
	size_t pos = 0, len = 0;

	for (;;) {
		const char *eol = memmem(p + pos, n - pos, "\r\n", 2);
		unsigned long sz;
		char *end;

		if (!eol)
			return n - pos > 64 ? -EPROTO : 0;
		if (!isxdigit((unsigned char)p[pos]))
			return -EPROTO;
		errno = 0;
		sz = strtoul(p + pos, &end, 16);
		if (errno || (end != eol && *end != ';' && *end != ' ' && *end != '\t'))
			return -EPROTO;
		pos = (size_t)(eol - p) + 2;
		if (!sz)
			break;
		if (sz > KP_BODY_MAX || len + sz > KP_BODY_MAX)
			return -EPROTO;
		if (n - pos < sz + 2)
			return 0;
		memcpy(out + len, p + pos, sz);
		len += sz;
		pos += sz;
		if (p[pos] != '\r' || p[pos + 1] != '\n')
			return -EPROTO;
		pos += 2;
	}
	/* trailers, up to an empty line */
	for (;;) {
		const char *eol = memmem(p + pos, n - pos, "\r\n", 2);

		if (!eol)
			return 0;
		if (eol == p + pos)
			break;
		pos = (size_t)(eol - p) + 2;
	}
	*out_len = len;
	return 1;
}

struct http_state {
	bool have_hdr;
	size_t hdr_len;			/* through the empty line */
	bool chunked, has_length;
	size_t length;
};

/* Parses the status line and headers of raw[0..n): 1 parsed, 0 need
 * more, -EPROTO. */
static int parse_head(const char *raw, size_t n, struct http_state *st,
		      struct kp_http_resp *r)
{
	const char *end = memmem(raw, n, "\r\n\r\n", 4), *line, *eol;
	size_t i;

	if (!end)
		return n > HDR_MAX ? -EPROTO : 0;
	/* HTTP/1.x NNN[ reason] */
	if (end - raw < 12 || memcmp(raw, "HTTP/1.", 7) || !isdigit((unsigned char)raw[7]) ||
	    raw[8] != ' ' || (raw[12] != ' ' && raw[12] != '\r') || raw[9] < '1' || raw[9] > '5')
		return -EPROTO;
	for (i = 9; i < 12; i++) {
		if (!isdigit((unsigned char)raw[i]))
			return -EPROTO;
		r->status = r->status * 10 + raw[i] - '0';
	}
	st->hdr_len = (size_t)(end - raw) + 4;
	line = memmem(raw, n, "\r\n", 2) + 2;
	for (; line < end + 2; line = eol + 2) {
		const char *colon, *v;
		size_t vlen;

		eol = memmem(line, (size_t)(end + 2 - line), "\r\n", 2);
		colon = memchr(line, ':', (size_t)(eol - line));
		if (!colon)
			return -EPROTO;
		for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
			;
		vlen = (size_t)(eol - v);
		while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		if ((size_t)(colon - line) == 14 && !strncasecmp(line, "Content-Length", 14)) {
			size_t l = 0;

			for (i = 0; i < vlen; i++) {
				if (!isdigit((unsigned char)v[i]) || l > KP_BODY_MAX)
					return -EPROTO;
				l = l * 10 + (size_t)(v[i] - '0');
			}
			if (!vlen || l > KP_BODY_MAX || (st->has_length && st->length != l))
				return -EPROTO;
			st->has_length = true;
			st->length = l;
		} else if ((size_t)(colon - line) == 17 &&
			   !strncasecmp(line, "Transfer-Encoding", 17)) {
			if (vlen == 7 && !strncasecmp(v, "chunked", 7))
				st->chunked = true;
			else if (!(vlen == 8 && !strncasecmp(v, "identity", 8)))
				return -EPROTO;
		}
	}
	st->have_hdr = true;
	return 1;
}

/* 1 when the body is complete (copied to r), 0 need more, -EPROTO. */
static int parse_body(const char *raw, size_t n, bool eof, struct http_state *st,
		      struct kp_http_resp *r)
{
	const char *b = raw + st->hdr_len;
	size_t blen = n - st->hdr_len;
	int ret;

	if (r->status == 204 || r->status == 304 || r->status < 200) {
		r->body_len = 0;
		return 1;
	}
	if (st->chunked) {
		ret = unchunk(b, blen, r->body, &r->body_len);
		if (!ret && eof)
			return -EPROTO;
		return ret;
	}
	if (st->has_length) {
		if (blen < st->length)
			return eof ? -EPROTO : 0;
		blen = st->length;
	} else if (!eof) {
		return blen > KP_BODY_MAX ? -EPROTO : 0;
	}
	if (blen > KP_BODY_MAX)
		return -EPROTO;
	memcpy(r->body, b, blen);
	r->body_len = blen;
	return 1;
}

static int send_request(const struct kp_conf *c, SSL *ssl, int fd, const char *method,
			const char *path, const char *body, double deadline)
{
	size_t blen = body ? strlen(body) : 0, len, off;
	char hostport[300], *req;
	int n, ret = 0;

	snprintf(hostport, sizeof(hostport), strchr(c->host, ':') ? "[%s]:%u" : "%s:%u",
		 c->host, c->port ? c->port : 443);
	len = strlen(path) + strlen(hostport) + blen + 256;
	req = secmem_alloc(len);
	if (!req)
		return -ENOMEM;
	n = snprintf(req, len, "%s %s HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\n"
		     "User-Agent: vsecy-mkad\r\nConnection: close\r\n", method, path, hostport);
	if (body)
		n += snprintf(req + n, len - (size_t)n,
			      "Content-Type: application/json\r\nContent-Length: %zu\r\n", blen);
	n += snprintf(req + n, len - (size_t)n, "\r\n%s", body ? body : "");
	for (off = 0; off < (size_t)n; off += (size_t)ret) {
		ret = tls_io(ssl, fd, TLS_WRITE, req + off, n - (int)off, deadline);
		if (ret <= 0) {
			ret = ret ? ret : -ECONNRESET;
			break;
		}
	}
	secmem_free(req, len);
	return ret < 0 ? ret : 0;
}

static int read_response(SSL *ssl, int fd, double deadline, struct kp_http_resp *r)
{
	struct http_state st = { 0 };
	char *raw = secmem_alloc(RAW_MAX);
	size_t n = 0;
	bool eof = false;
	int ret;

	if (!raw)
		return -ENOMEM;
	for (;;) {
		ret = n == RAW_MAX ? -EPROTO :
		      tls_io(ssl, fd, TLS_READ, raw + n, (int)(RAW_MAX - n), deadline);
		if (ret == -ECONNRESET && n && !st.has_length && !st.chunked)
			ret = 0;	/* a close without close_notify ends the body too */
		if (ret == 0 && !n)
			ret = -ECONNRESET;	/* closed without an answer */
		if (ret < 0)
			break;
		eof = !ret;
		n += (size_t)ret;
		if (!st.have_hdr) {
			ret = parse_head(raw, n, &st, r);
			if (!ret && !eof)
				continue;
			if (ret <= 0) {
				ret = -EPROTO;
				break;
			}
		}
		ret = parse_body(raw, n, eof, &st, r);
		if (ret || eof) {
			ret = ret > 0 ? 0 : -EPROTO;
			break;
		}
	}
	if (!ret)
		r->body[r->body_len] = 0;
	secmem_free(raw, RAW_MAX);
	return ret;
}

static bool is_ip(const char *host)
{
	uint8_t a[16];

	return inet_pton(AF_INET, host, a) == 1 || inet_pton(AF_INET6, host, a) == 1;
}

int kp_http_request(const struct kp_conf *c, const char *method, const char *path,
		    const char *body, struct kp_http_resp *r, char *err, size_t errlen)
{
	double deadline = now_mono() + (c->timeout > 0 ? c->timeout : 5);
	struct conn cn = { .c = c };
	SSL_CTX *ctx = NULL;
	SSL *ssl = NULL;
	char why[160];
	int fd = -1, ret;

	memset(r, 0, sizeof(*r));
	kp_seterr(err, errlen, "no error");
	if (!c->host[0]) {
		kp_seterr(err, errlen, "no key provider host");
		return -EINVAL;
	}
	if (!c->ca_file[0] && !c->psk_len) {
		kp_seterr(err, errlen, "neither a CA file nor a PSK: cannot authenticate %s",
		       c->host);
		return -EACCES;
	}
	r->body = secmem_alloc(KP_BODY_MAX + 1);
	if (!r->body)
		return -ENOMEM;
	ctx = make_ctx(c, err, errlen);
	if (!ctx) {
		ret = -EACCES;
		goto out;
	}
	ret = tcp_connect(c, deadline, &fd, err, errlen);
	if (ret)
		goto out;
	ssl = SSL_new(ctx);
	if (!ssl || !SSL_set_fd(ssl, fd)) {
		kp_seterr(err, errlen, "TLS: cannot create a connection");
		ret = -ENOMEM;
		goto out;
	}
	SSL_set_app_data(ssl, &cn);
	if (is_ip(c->host)) {
		/* no SNI for an address (RFC 6066 3); the certificate must name it */
		ret = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), c->host);
	} else {
		ret = SSL_set_tlsext_host_name(ssl, c->host) && SSL_set1_host(ssl, c->host);
	}
	if (ret != 1) {
		kp_seterr(err, errlen, "TLS: cannot set the expected name %s", c->host);
		ret = -EINVAL;
		goto out;
	}
	ret = tls_handshake(c, ssl, fd, deadline, err, errlen);
	if (ret)
		goto out;
	ret = send_request(c, ssl, fd, method, path, body, deadline);
	if (!ret)
		ret = read_response(ssl, fd, deadline, r);
	if (ret == -EBADMSG) {
		/* TLS 1.3: a refused client certificate shows after the handshake */
		kp_seterr(err, errlen, "TLS: %s refused the connection: %s", c->host,
		       ssl_reason(why, sizeof(why)));
		ret = -EACCES;
	} else if (cn.cert_requested && !r->status &&
		   (ret == -ECONNRESET || ret == -EPIPE)) {
		/* TLS 1.3: the provider checks our certificate after the
		 * handshake; a close then, before any answer, is its verdict
		 * (its alert is lost when our request makes the close a reset) */
		kp_seterr(err, errlen, "TLS: %s closed the connection after asking for our "
		       "client certificate (%s): %s", c->host,
		       c->cert_file[0] ? "not accepted?" : "none configured", strerror(-ret));
		ret = -EACCES;
	} else if (ret == -EPROTO)
		kp_seterr(err, errlen, "malformed HTTP answer from %s", c->host);
	else if (ret)
		kp_seterr(err, errlen, "exchange with %s: %s", c->host, strerror(-ret));
out:
	if (ssl) {
		if (!ret)
			SSL_shutdown(ssl);	/* one try, non-blocking */
		SSL_free(ssl);
	}
	if (fd >= 0)
		close(fd);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

void kp_http_resp_free(struct kp_http_resp *r)
{
	if (r->body)
		secmem_free(r->body, KP_BODY_MAX + 1);
	r->body = NULL;
	r->body_len = 0;
}
