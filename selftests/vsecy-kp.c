// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-kp: a test key provider for the vsecy-mkad QKD tests. It serves
 * two key-delivery APIs over HTTPS (TLS 1.3, TLS_AES_256_GCM_SHA384 only):
 *
 *   SKIP, draft-cisco-skip-02:  GET /capabilities, /key, /key/{keyId}
 *   ETSI GS QKD 014 v1.1.1:     /api/v1/keys/{SAE_ID}/status, enc_keys,
 *                               dec_keys (GET or POST)
 *
 * There is no QKD link and no database shared between providers: every
 * key is a PRF of a seed given to both providers and of the key ID,
 *
 *   key = HMAC-SHA256(seed, "vsecy-kp key" || 0x00 || keyId || ctr_be32),
 *         ctr = 1, 2, ... concatenated, truncated to size/8 octets,
 *
 * so two providers started with the same seed agree on every key. Keys are
 * one-shot, as a real provider zeroizes a key it has delivered: a provider
 * refuses a key ID it has delivered before (kept in --state FILE if given).
 * The log names key IDs and fp = SHA-256(key)[0..3], never a key.
 *
 *   vsecy-kp --listen ADDR:PORT --seed-file FILE --local-id ID
 *            [--cert FILE --key FILE [--client-ca FILE]]
 *            [--psk-identity ID --psk-file FILE]
 *            [--log FILE] [--state FILE] [--delay SECONDS]
 *
 * SIGUSR1 toggles "down": every request gets 503. SIGTERM/SIGINT: exit 0.
 * One connection at a time, one request per connection.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>

#define SUITE		"TLS_AES_256_GCM_SHA384"
#define IO_TIMEOUT_MS	5000
#define MAX_ID		32	/* octets of a key ID (a CKN's maximum) */
#define MAX_KEY		64	/* octets of a key (512 bits) */
#define MAX_HDR		8192
#define MAX_BODY	4096
#define SID_CTX		((const unsigned char *)"vsecy-kp")
#define SID_CTX_LEN	8

static struct {
	const char *listen, *seed_file, *local_id, *cert, *key, *client_ca;
	const char *psk_identity, *psk_file, *log, *state;
	double delay;
} opt;

static uint8_t seed[64], psk[64];
static size_t seed_len, psk_len;
static FILE *log_fp, *statef;

struct key_id {
	uint8_t len;
	uint8_t b[MAX_ID];
};
static struct key_id *used;	/* the key IDs delivered */
static size_t n_used, cap_used;

static volatile sig_atomic_t quit, down, toggled;

struct resp {
	int status;
	char body[512];
	struct key_id id;	/* for the log; len 0: none */
	uint8_t fp[4];
	bool has_key;
	const char *note;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("vsecy-kp: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static void hex(char *out, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

/* Decodes n hex digits (n even); returns the octet count or -1. */
static int unhex(uint8_t *out, size_t max, const char *s, size_t n)
{
	size_t i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -1;
	for (i = 0; i < n / 2; i++)
		out[i] = OPENSSL_hexchar2int(s[2 * i]) << 4 | OPENSSL_hexchar2int(s[2 * i + 1]);
	return n / 2;
}

static void log_line(const char *fmt, ...)
{
	struct timespec ts;
	struct tm tm;
	char t[32];
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(log_fp, "%s.%03ldZ ", t, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(log_fp, fmt, ap);
	va_end(ap);
	fputc('\n', log_fp);
	fflush(log_fp);
}

/* Reads a small file whole; returns its length. */
static size_t read_small(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		die("%s: %s", path, strerror(errno));
	n = fread(buf, 1, size, f);
	if (!feof(f))
		die("%s: too long", path);
	fclose(f);
	return n;
}

static size_t strip_nl(const char *buf, size_t n)
{
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	return n;
}

static void load_secrets(void)
{
	char buf[260];
	size_t n, m;
	int r;

	n = read_small(opt.seed_file, buf, sizeof(buf));
	m = strip_nl(buf, n);
	r = unhex(seed, sizeof(seed), buf, m);
	if (r < 0) {		/* raw octets */
		if (n > sizeof(seed))
			die("%s: seed longer than 64 octets", opt.seed_file);
		memcpy(seed, buf, n);
		r = n;
	}
	seed_len = r;
	if (seed_len < 16)
		die("%s: seed shorter than 16 octets", opt.seed_file);
	if (opt.psk_file) {
		n = strip_nl(buf, read_small(opt.psk_file, buf, sizeof(buf)));
		r = unhex(psk, sizeof(psk), buf, n);
		if (r < 16)
			die("%s: not a PSK of 32..128 hex digits", opt.psk_file);
		psk_len = r;
	}
	OPENSSL_cleanse(buf, sizeof(buf));
}

static bool id_used(const struct key_id *id)
{
	size_t i;

	for (i = 0; i < n_used; i++)
		if (used[i].len == id->len && !memcmp(used[i].b, id->b, id->len))
			return true;
	return false;
}

static void id_record(const struct key_id *id, bool persist)
{
	char h[2 * MAX_ID + 1];

	if (n_used == cap_used) {
		cap_used = cap_used ? 2 * cap_used : 4096;
		used = realloc(used, cap_used * sizeof(*used));
		if (!used)
			die("out of memory");
	}
	used[n_used++] = *id;
	if (persist && statef) {
		hex(h, id->b, id->len);
		fprintf(statef, "%s\n", h);
		fflush(statef);
	}
}

static void load_state(void)
{
	char line[256];
	struct key_id id;
	FILE *f;
	int r;

	f = fopen(opt.state, "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			r = unhex(id.b, MAX_ID, line, strip_nl(line, strlen(line)));
			if (r > 0) {
				id.len = r;
				id_record(&id, false);
			}
		}
		fclose(f);
	}
	statef = fopen(opt.state, "a");
	if (!statef)
		die("%s: %s", opt.state, strerror(errno));
}

static void derive(uint8_t *key, size_t len, const struct key_id *id)
{
	static const char label[] = "vsecy-kp key";	/* with its NUL */
	uint8_t msg[sizeof(label) + MAX_ID + 4], blk[32];
	size_t n = sizeof(label) + id->len, done;
	uint32_t ctr;

	memcpy(msg, label, sizeof(label));
	memcpy(msg + sizeof(label), id->b, id->len);
	for (ctr = 1, done = 0; done < len; ctr++, done += 32) {
		msg[n] = ctr >> 24;
		msg[n + 1] = ctr >> 16;
		msg[n + 2] = ctr >> 8;
		msg[n + 3] = ctr;
		HMAC(EVP_sha256(), seed, seed_len, msg, n + 4, blk, NULL);
		memcpy(key + done, blk, len - done < 32 ? len - done : 32);
	}
	OPENSSL_cleanse(blk, sizeof(blk));
}

static void set_err(struct resp *r, int status, bool etsi, const char *msg)
{
	r->status = status;
	r->note = msg;
	snprintf(r->body, sizeof(r->body), etsi ? "{\"message\":\"%s\",\"details\":[]}" :
		 "{\"message\":\"%s\"}", msg);
}

static void uuid_str(char *out, const uint8_t *b)
{
	char h[33];

	hex(h, b, 16);
	sprintf(out, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

static bool uuid_parse(struct key_id *id, const char *s, size_t n)
{
	char h[33];
	size_t i, j;

	if (n != 36)
		return false;
	for (i = j = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else {
			h[j++] = s[i];
		}
	}
	id->len = 16;
	return unhex(id->b, 16, h, 32) == 16;
}

/*
 * Delivers the key of r->id, bits long, once: the body in the SKIP shape
 * (hex ID and key) or the ETSI one (UUID, Base64 key).
 */
static void deliver(struct resp *r, unsigned int bits, bool etsi)
{
	uint8_t key[MAX_KEY], d[SHA256_DIGEST_LENGTH];
	char kstr[2 * MAX_KEY + 1], idstr[2 * MAX_ID + 1];
	size_t len = bits / 8;

	if (id_used(&r->id)) {
		set_err(r, 400, etsi, etsi ? "key not found" : "already delivered");
		if (etsi)
			r->note = "already delivered";
		return;
	}
	derive(key, len, &r->id);
	SHA256(key, len, d);
	memcpy(r->fp, d, sizeof(r->fp));
	r->has_key = true;
	if (etsi) {
		EVP_EncodeBlock((unsigned char *)kstr, key, len);
		uuid_str(idstr, r->id.b);
		snprintf(r->body, sizeof(r->body),
			 "{\"keys\":[{\"key_ID\":\"%s\",\"key\":\"%s\"}]}", idstr, kstr);
	} else {
		hex(kstr, key, len);
		hex(idstr, r->id.b, r->id.len);
		snprintf(r->body, sizeof(r->body), "{\"keyId\":\"%s\",\"key\":\"%s\"}", idstr,
			 kstr);
	}
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(kstr, sizeof(kstr));
	r->status = 200;
	id_record(&r->id, true);
}

/* Finds NAME=VALUE in an (unescaped) query; -1: absent. */
static int query_get(const char *q, const char *name, char *val, size_t size)
{
	size_t nl = strlen(name), vl;
	const char *p = q, *end;

	while (p && *p) {
		end = strchr(p, '&');
		vl = end ? (size_t)(end - p) : strlen(p);
		if (vl > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			vl -= nl + 1;
			if (vl >= size)
				vl = size - 1;
			memcpy(val, p + nl + 1, vl);
			val[vl] = '\0';
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	return -1;
}

/* A key size in bits: multiple of 8, 64..512. */
static bool size_ok(const char *s, unsigned int *bits)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v < 64 || v > 512 || v % 8)
		return false;
	*bits = v;
	return true;
}

/* The value after "NAME": in a JSON body, a number or a string; NULL if absent. */
static const char *json_find(const char *body, const char *name, const char *after)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\"", name);
	p = strstr(after ? after : body, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != ':')
		return NULL;
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

static bool json_num(const char *body, const char *name, char *out, size_t size)
{
	const char *p = json_find(body, name, NULL);
	size_t n = 0;

	if (!p)
		return false;
	while (isdigit((unsigned char)p[n]) && n < size - 1)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

static void skip_route(struct resp *r, const char *method, const char *path, const char *q)
{
	char rid[256], sz[16];
	const char *idstr = path + 5;
	unsigned int bits = 256;
	int n;

	if (strcmp(path, "/capabilities") && strcmp(path, "/key") && strncmp(path, "/key/", 5))
		return set_err(r, 404, false, "not found");
	if (strcmp(method, "GET"))
		return set_err(r, 405, false, "method not allowed");
	if (!strcmp(path, "/capabilities")) {
		r->status = 200;
		snprintf(r->body, sizeof(r->body),
			 "{\"entropy\":false,\"key\":true,\"algorithm\":\"PRF\","
			 "\"localSystemID\":\"%s\",\"remoteSystemID\":[\"*\"]}", opt.local_id);
		return;
	}
	if (query_get(q, "remoteSystemID", rid, sizeof(rid)) || !*rid)
		return set_err(r, 400, false, "remoteSystemID missing");
	if (!query_get(q, "size", sz, sizeof(sz)) && !size_ok(sz, &bits))
		return set_err(r, 400, false, "bad size");
	if (!strcmp(path, "/key")) {
		r->id.len = 16;
		RAND_bytes(r->id.b, 16);
		return deliver(r, bits, false);
	}
	n = unhex(r->id.b, MAX_ID, idstr, strlen(idstr));
	if (n <= 0)
		return set_err(r, 400, false, "malformed keyId");
	r->id.len = n;
	deliver(r, bits, false);
}

static void etsi_route(struct resp *r, const char *method, const char *path, const char *q,
		       const char *body)
{
	const char *sae = path + strlen("/api/v1/keys/"), *op = strchr(sae, '/'), *p;
	char num[16] = "1", sz[16] = "256", uuid[40] = "";
	unsigned int bits;
	bool post = !strcmp(method, "POST");
	size_t n;

	if (!op || op == sae || (strcmp(op, "/status") && strcmp(op, "/enc_keys") &&
				 strcmp(op, "/dec_keys")))
		return set_err(r, 404, true, "not found");
	if (strcmp(method, "GET") && (!post || !strcmp(op, "/status")))
		return set_err(r, 405, true, "method not allowed");
	if (!strcmp(op, "/status")) {
		r->status = 200;
		snprintf(r->body, sizeof(r->body),
			 "{\"source_KME_ID\":\"%s\",\"target_KME_ID\":\"peer\","
			 "\"master_SAE_ID\":\"%s\",\"slave_SAE_ID\":\"%.*s\",\"key_size\":256,"
			 "\"stored_key_count\":1000,\"max_key_count\":1000,"
			 "\"max_key_per_request\":1,\"max_key_size\":512,\"min_key_size\":64,"
			 "\"max_SAE_ID_count\":0}", opt.local_id, opt.local_id,
			 (int)(op - sae), sae);
		return;
	}
	if (!strcmp(op, "/enc_keys")) {
		if (post) {
			json_num(body, "number", num, sizeof(num));
			json_num(body, "size", sz, sizeof(sz));
		} else {
			query_get(q, "number", num, sizeof(num));
			query_get(q, "size", sz, sizeof(sz));
		}
		if (strcmp(num, "1"))
			return set_err(r, 400, true, "number must be 1");
		if (!size_ok(sz, &bits))
			return set_err(r, 400, true, "bad size");
		r->id.len = 16;
		RAND_bytes(r->id.b, 16);
		r->id.b[6] = (r->id.b[6] & 0x0f) | 0x40;	/* version 4 */
		r->id.b[8] = (r->id.b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
		return deliver(r, bits, true);
	}
	/* dec_keys has no size: a non-standard "size" (default 256) gives it here. */
	if (post) {
		json_num(body, "size", sz, sizeof(sz));
		p = json_find(body, "key_ID", NULL);
		if (p && *p == '"' && json_find(body, "key_ID", p))
			return set_err(r, 400, true, "one key_ID per request");
		if (p && *p++ == '"') {
			n = strcspn(p, "\"");
			if (p[n] == '"' && n < sizeof(uuid))
				snprintf(uuid, sizeof(uuid), "%.*s", (int)n, p);
		}
	} else {
		query_get(q, "key_ID", uuid, sizeof(uuid));
		query_get(q, "size", sz, sizeof(sz));
	}
	if (!size_ok(sz, &bits))
		return set_err(r, 400, true, "bad size");
	if (!uuid_parse(&r->id, uuid, strlen(uuid))) {
		r->id.len = 0;
		set_err(r, 400, true, "key not found");
		r->note = "malformed key_ID";
		return;
	}
	deliver(r, bits, true);
}

/* Waits until the TLS call that returned ret can go on; -1 on error or timeout. */
static int tls_wait(SSL *ssl, int ret, const struct timespec *deadline)
{
	struct pollfd p = { .fd = SSL_get_fd(ssl) };
	struct timespec now;
	long ms;

	switch (SSL_get_error(ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		p.events = POLLIN;
		break;
	case SSL_ERROR_WANT_WRITE:
		p.events = POLLOUT;
		break;
	default:
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
	if (ms <= 0 || poll(&p, 1, ms) != 1)
		return -1;
	return 0;
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 503: return "Service Unavailable";
	}
	return "Error";
}

static void serve(SSL *ssl)
{
	static char buf[MAX_HDR + MAX_BODY + 1];
	char method[8], target[1024], path[1024], idh[2 * MAX_ID + 1] = "-", fph[9] = "-";
	char *hdr_end = NULL, *q, *cl, out[1024];
	struct resp r = { 0 };
	struct timespec deadline, d;
	size_t len = 0, need = 0, body_len = 0;
	int n;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += IO_TIMEOUT_MS / 1000;
	while ((n = SSL_accept(ssl)) <= 0)
		if (tls_wait(ssl, n, &deadline)) {
			log_line("TLS handshake failed: %s",
				 ERR_reason_error_string(ERR_peek_last_error()) ?: "timeout or EOF");
			return;
		}
	while (!hdr_end || len < need) {
		if (len == sizeof(buf) - 1) {
			log_line("request too large");
			return;
		}
		n = SSL_read(ssl, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0) {
			if (tls_wait(ssl, n, &deadline)) {
				log_line("no complete request (EOF, or %d s)", IO_TIMEOUT_MS / 1000);
				return;
			}
			continue;
		}
		len += n;
		buf[len] = '\0';
		if (hdr_end)
			continue;
		hdr_end = strstr(buf, "\r\n\r\n");
		if (hdr_end) {
			hdr_end += 4;
			cl = strcasestr(buf, "\r\ncontent-length:");
			if (cl && cl < hdr_end)
				body_len = strtoul(cl + 17, NULL, 10);
			if (body_len > MAX_BODY) {
				log_line("request body too large");
				return;
			}
			need = hdr_end - buf + body_len;
		}
	}
	buf[need] = '\0';
	if (sscanf(buf, "%7s %1023s HTTP/1.%*c", method, target) != 2 || target[0] != '/') {
		set_err(&r, 400, false, "bad request");
		strcpy(method, "-");
		strcpy(target, "-");
	} else if (down) {
		set_err(&r, 503, !strncmp(target, "/api/v1/", 8), "provider down");
	} else {
		strcpy(path, target);
		q = strchr(path, '?');
		if (q)
			*q++ = '\0';
		if (!strncmp(path, "/api/v1/keys/", 13))
			etsi_route(&r, method, path, q, hdr_end);
		else
			skip_route(&r, method, path, q);
	}
	if (opt.delay > 0) {
		d.tv_sec = opt.delay;
		d.tv_nsec = (opt.delay - d.tv_sec) * 1e9;
		nanosleep(&d, NULL);
	}
	n = snprintf(out, sizeof(out),
		     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
		     "Connection: close\r\n\r\n%s", r.status, reason(r.status), strlen(r.body),
		     r.body);
	OPENSSL_cleanse(r.body, sizeof(r.body));
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += IO_TIMEOUT_MS / 1000;
	for (len = 0; len < (size_t)n; ) {
		int w = SSL_write(ssl, out + len, n - len);

		if (w > 0)
			len += w;
		else if (tls_wait(ssl, w, &deadline))
			break;
	}
	OPENSSL_cleanse(out, sizeof(out));
	if (r.id.len)
		hex(idh, r.id.b, r.id.len);
	if (r.has_key)
		hex(fph, r.fp, sizeof(r.fp));
	log_line("%s %s %d id=%s fp=%s%s%s", method, target, r.status, idh, fph,
		 r.note ? " " : "", r.note ?: "");
	SSL_shutdown(ssl);
}

/* TLS 1.3 external PSK: the session for our identity; any other fails the handshake. */
static int psk_find(SSL *ssl, const unsigned char *id, size_t id_len, SSL_SESSION **sess)
{
	static const unsigned char aes256gcm_sha384[] = { 0x13, 0x02 };
	SSL_SESSION *s;

	*sess = NULL;
	if (id_len != strlen(opt.psk_identity) || memcmp(id, opt.psk_identity, id_len))
		return 0;
	s = SSL_SESSION_new();
	if (!s || !SSL_SESSION_set1_master_key(s, psk, psk_len) ||
	    !SSL_SESSION_set_cipher(s, SSL_CIPHER_find(ssl, aes256gcm_sha384)) ||
	    !SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION) ||
	    !SSL_SESSION_set1_id_context(s, SID_CTX, SID_CTX_LEN)) {
		SSL_SESSION_free(s);
		return 0;
	}
	*sess = s;
	return 1;
}

static SSL_CTX *tls_setup(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_ciphersuites(ctx, SUITE))
		die("TLS setup failed");
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	/* A session (our PSK's) must name its context once peers are verified. */
	SSL_CTX_set_session_id_context(ctx, SID_CTX, SID_CTX_LEN);
	if (opt.cert) {
		if (SSL_CTX_use_certificate_chain_file(ctx, opt.cert) != 1 ||
		    SSL_CTX_use_PrivateKey_file(ctx, opt.key, SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(ctx) != 1)
			die("%s, %s: cannot use the certificate and key", opt.cert, opt.key);
	}
	if (opt.client_ca) {
		if (SSL_CTX_load_verify_locations(ctx, opt.client_ca, NULL) != 1)
			die("%s: cannot load the client CA", opt.client_ca);
		SSL_CTX_set_client_CA_list(ctx, SSL_load_client_CA_file(opt.client_ca));
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	if (opt.psk_identity)
		SSL_CTX_set_psk_find_session_callback(ctx, psk_find);
	return ctx;
}

static int listen_on(const char *spec)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	char addr[64];
	const char *colon = strrchr(spec, ':');
	size_t alen = colon ? (size_t)(colon - spec) : 0;
	int fd, one = 1, port = colon ? atoi(colon + 1) : 0;

	if (alen >= 2 && spec[0] == '[' && spec[alen - 1] == ']') {
		spec++;
		alen -= 2;
	}
	if (!colon || alen >= sizeof(addr) || port <= 0 || port > 65535)
		die("--listen %s: not ADDR:PORT", spec);
	snprintf(addr, sizeof(addr), "%.*s", (int)alen, spec);
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
	} else {
		die("--listen: bad address %s", addr);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, sizeof(ss)) || listen(fd, 16))
		die("--listen %s: %s", spec, strerror(errno));
	return fd;
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1) {
		down = !down;
		toggled = 1;
	} else {
		quit = 1;
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vsecy-kp --listen ADDR:PORT --seed-file FILE --local-id ID\n"
		"                [--cert FILE --key FILE [--client-ca FILE]]\n"
		"                [--psk-identity ID --psk-file FILE]\n"
		"                [--log FILE] [--state FILE] [--delay SECONDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "listen", 1, NULL, 0 }, { "seed-file", 1, NULL, 1 },
		{ "local-id", 1, NULL, 2 }, { "cert", 1, NULL, 3 },
		{ "key", 1, NULL, 4 }, { "client-ca", 1, NULL, 5 },
		{ "psk-identity", 1, NULL, 6 }, { "psk-file", 1, NULL, 7 },
		{ "log", 1, NULL, 8 }, { "state", 1, NULL, 9 },
		{ "delay", 1, NULL, 10 }, { NULL, 0, NULL, 0 }
	};
	const char **str_opt[] = {
		&opt.listen, &opt.seed_file, &opt.local_id, &opt.cert, &opt.key, &opt.client_ca,
		&opt.psk_identity, &opt.psk_file, &opt.log, &opt.state
	};
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, none;
	struct pollfd p;
	SSL_CTX *ctx;
	SSL *ssl;
	char *end;
	int c, fd, lfd;

	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		if (c >= 0 && c < 10) {
			*str_opt[c] = optarg;
			continue;
		}
		if (c != 10)
			usage();
		opt.delay = strtod(optarg, &end);
		if (*end || opt.delay < 0)
			usage();
	}
	if (optind != argc || !opt.listen || !opt.seed_file || !opt.local_id ||
	    !opt.cert != !opt.key || !opt.psk_identity != !opt.psk_file ||
	    (opt.client_ca && !opt.cert) || (!opt.cert && !opt.psk_identity) ||
	    strpbrk(opt.local_id, "\"\\"))
		usage();

	log_fp = opt.log ? fopen(opt.log, "a") : stderr;
	if (!log_fp)
		die("%s: %s", opt.log, strerror(errno));
	load_secrets();
	if (opt.state)
		load_state();
	ctx = tls_setup();
	lfd = listen_on(opt.listen);

	/* Signals arrive only while waiting for a connection (ppoll). */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &none);
	sigdelset(&none, SIGTERM);
	sigdelset(&none, SIGINT);
	sigdelset(&none, SIGUSR1);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	fprintf(stderr, "vsecy-kp: listening on %s\n", opt.listen);
	while (!quit) {
		p = (struct pollfd){ .fd = lfd, .events = POLLIN };
		c = ppoll(&p, 1, NULL, &none);
		if (toggled) {
			toggled = 0;
			log_line("SIGUSR1: provider %s", down ? "down (503)" : "up");
		}
		if (c != 1)
			continue;
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		ssl = SSL_new(ctx);
		if (ssl && SSL_set_fd(ssl, fd))
			serve(ssl);
		SSL_free(ssl);
		close(fd);
		ERR_clear_error();
	}
	log_line("exiting");
	OPENSSL_cleanse(seed, sizeof(seed));
	OPENSSL_cleanse(psk, sizeof(psk));
	return 0;
}
