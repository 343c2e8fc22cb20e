// SPDX-License-Identifier: GPL-2.0
/*
 * kp_get: the key-provider client of vsecy-mkad (kp.h) from the command
 * line, for the live checks (tests/kp_live.sh):
 *
 *   kp_get [options] new | get ID | check | source OP...
 *     --api skip|etsi014  --url https://host[:port][/prefix]  --remote-id R
 *     --bits 128|256  --ca FILE  --cert FILE  --key FILE
 *     --psk-identity ID  --psk-file FILE (hex, or raw octets)  --timeout S
 *
 * Prints "ok id=ID fp=FINGERPRINT" (never the key), or "err=ENAME reason"
 * and exits 1.
 *
 * "source" runs the OPs (new, an ID, or "last": the ID of the previous
 * answer) one after the other through the
 * asynchronous key source (keysrc_qkd.h, qkd-only: the CAK is the key) on
 * an event loop, printing a line as above for each (fp of the CAK) and
 * logging to stderr: a key asked for twice comes from its cache.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "keysrc_qkd.h"
#include "kp.h"
#include "log.h"
#include "secmem.h"

static const char *ename(int e)
{
	switch (e) {
	case ENOENT: return "ENOENT";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case ENETUNREACH: return "ENETUNREACH";
	case ECONNRESET: return "ECONNRESET";
	case EAGAIN: return "EAGAIN";
	case EACCES: return "EACCES";
	case EPROTO: return "EPROTO";
	case EINVAL: return "EINVAL";
	default: return "E?";
	}
}

static int read_psk(const char *file, struct kp_conf *c)
{
	uint8_t *raw = secmem_alloc(256);
	size_t n, len;
	FILE *f;
	int ret = -1, h;

	if (!raw)
		return -1;
	f = fopen(file, "rb");
	if (!f)
		goto out;
	n = fread(raw, 1, 255, f);
	fclose(f);
	len = n;
	while (len && isspace(raw[len - 1]))
		len--;
	h = kp_hex_decode((const char *)raw, len, c->psk, sizeof(c->psk));
	if (h > 0) {
		c->psk_len = (size_t)h;
	} else if (n && n <= sizeof(c->psk)) {
		memcpy(c->psk, raw, n);
		c->psk_len = n;
	} else {
		goto out;
	}
	ret = 0;
out:
	secmem_free(raw, 256);
	return ret;
}

struct run {
	struct loop loop;
	struct keysrc *ks;
	enum kp_api api;
	char **ops;
	int n, next, failed;
	uint8_t last[MKA_MAX_CKN_LEN];
	size_t last_len;
};

static int run_next(struct run *r);

static void on_cak(void *ctx, int err, const struct keysrc_cak *cak)
{
	struct run *r = ctx;
	struct kp_key *k;
	char ids[80], fp[9];

	if (err) {
		printf("err=%s\n", ename(-err));
		r->failed++;
	} else {
		k = secmem_alloc(sizeof(*k));
		if (k) {
			memcpy(k->key, cak->cak, cak->cak_len);
			k->key_len = cak->cak_len;
			kp_fingerprint(k, fp);
			secmem_free(k, sizeof(*k));
		}
		kp_id_string(r->api, cak->ckn, cak->ckn_len, ids, sizeof(ids));
		memcpy(r->last, cak->ckn, cak->ckn_len);
		r->last_len = cak->ckn_len;
		printf("ok id=%s fp=%s\n", ids, k ? fp : "?");
	}
	fflush(stdout);
	if (run_next(r))
		loop_stop(&r->loop);
}

/* Starts the next op: 0, or 1 when there is none (or it cannot start). */
static int run_next(struct run *r)
{
	uint8_t id[KP_MAX_ID_LEN];
	const char *s;
	int n = 0, ret;

	if (r->next >= r->n)
		return 1;
	s = r->ops[r->next++];
	if (!strcmp(s, "last")) {
		memcpy(id, r->last, r->last_len);
		n = (int)r->last_len;
	} else if (strcmp(s, "new")) {
		if (strlen(s) == 36 && !kp_uuid_parse(s, id))
			n = 16;
		else
			n = kp_hex_decode(s, strlen(s), id, sizeof(id));
		if (n <= 0) {
			printf("err=EINVAL bad ID %s\n", s);
			r->failed++;
			return 1;
		}
	}
	ret = keysrc_request(r->ks, id, (size_t)n, on_cak, r);
	if (ret) {
		printf("err=%s request\n", ename(-ret));
		r->failed++;
		return 1;
	}
	return 0;
}

static int run_source(const struct kp_conf *c, char **ops, int n)
{
	struct keysrc_qkd_conf *qc = secmem_alloc(sizeof(*qc));
	struct run r = { .api = c->api, .ops = ops, .n = n };

	if (!qc || loop_init(&r.loop))
		return 1;
	mkad_log_open(NULL, true);
	qc->kp = *c;
	r.ks = keysrc_qkd_new(&r.loop, qc);
	secmem_free(qc, sizeof(*qc));
	if (!r.ks)
		return 1;
	if (!run_next(&r))
		loop_run(&r.loop);
	r.ks->ops->destroy(r.ks);
	loop_fini(&r.loop);
	return r.failed ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: kp_get [--api skip|etsi014] --url URL --remote-id R [--bits N]\n"
		"\t[--ca F] [--cert F --key F] [--psk-identity ID --psk-file F] [--timeout S]\n"
		"\tnew | get ID | check | source new|ID...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "api", 1, NULL, 'a' }, { "url", 1, NULL, 'u' }, { "remote-id", 1, NULL, 'r' },
		{ "bits", 1, NULL, 'b' }, { "ca", 1, NULL, 'C' }, { "cert", 1, NULL, 'c' },
		{ "key", 1, NULL, 'k' }, { "psk-identity", 1, NULL, 'i' },
		{ "psk-file", 1, NULL, 'p' }, { "timeout", 1, NULL, 't' }, { 0 }
	};
	struct kp_conf *c = secmem_alloc(sizeof(*c));
	struct kp_key *k = secmem_alloc(sizeof(*k));
	uint8_t id[KP_MAX_ID_LEN];
	char err[256], ids[80], fp[9];
	int o, ret, n;

	if (!c || !k)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	c->key_bits = 256;
	c->timeout = 5;
	c->port = 443;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'a':
			if (!strcmp(optarg, "skip"))
				c->api = KP_API_SKIP;
			else if (!strcmp(optarg, "etsi014"))
				c->api = KP_API_ETSI014;
			else
				usage();
			break;
		case 'u':
			if (kp_parse_url(optarg, c))
				usage();
			break;
		case 'r':
			snprintf(c->remote_id, sizeof(c->remote_id), "%s", optarg);
			break;
		case 'b':
			c->key_bits = (unsigned int)atoi(optarg);
			break;
		case 'C':
			snprintf(c->ca_file, sizeof(c->ca_file), "%s", optarg);
			break;
		case 'c':
			snprintf(c->cert_file, sizeof(c->cert_file), "%s", optarg);
			break;
		case 'k':
			snprintf(c->key_file, sizeof(c->key_file), "%s", optarg);
			break;
		case 'i':
			snprintf(c->psk_identity, sizeof(c->psk_identity), "%s", optarg);
			break;
		case 'p':
			if (read_psk(optarg, c)) {
				fprintf(stderr, "kp_get: cannot read a PSK from %s\n", optarg);
				return 2;
			}
			break;
		case 't':
			c->timeout = atof(optarg);
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	if (!strcmp(argv[optind], "new")) {
		ret = kp_new_key(c, k, err, sizeof(err));
	} else if (!strcmp(argv[optind], "get") && optind + 1 < argc) {
		const char *s = argv[optind + 1];

		if (strlen(s) == 36 && !kp_uuid_parse(s, id))
			n = 16;
		else
			n = kp_hex_decode(s, strlen(s), id, sizeof(id));
		if (n <= 0)
			usage();
		ret = kp_get_key(c, id, (size_t)n, k, err, sizeof(err));
	} else if (!strcmp(argv[optind], "source") && optind + 1 < argc) {
		ret = run_source(c, argv + optind + 1, argc - optind - 1);
		secmem_free(k, sizeof(*k));
		secmem_free(c, sizeof(*c));
		return ret;
	} else if (!strcmp(argv[optind], "check")) {
		ret = kp_check(c, err, sizeof(err));
		if (!ret)
			printf("ok\n");
		goto out;
	} else {
		usage();
	}
	if (!ret) {
		kp_id_string(c->api, k->id, k->id_len, ids, sizeof(ids));
		kp_fingerprint(k, fp);
		printf("ok id=%s fp=%s\n", ids, fp);
	}
out:
	if (ret)
		printf("err=%s %s\n", ename(-ret), err);
	secmem_free(k, sizeof(*k));
	secmem_free(c, sizeof(*c));
	return ret ? 1 : 0;
}
