// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the key provider of a configuration (the qkd_* keys of
 * conf.h) made into its key source (keysrc_qkd.h): the URL split, the
 * TLS PSK read from its file, the pre-shared CAK of qkd_mode=hybrid.
 * What it builds holds keys, so it lives in secmem and is wiped here.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conf.h"
#include "keysrc_qkd.h"
#include "log.h"
#include "qkd_conf.h"
#include "secmem.h"
#include "util.h"

/*
 * The PSK file: one line of hex, 32..128 digits (16..64 octets), readable
 * by its owner only (a warning otherwise: it is a long-term secret).
 */
static int read_psk(const char *path, uint8_t *psk, size_t max, size_t *len)
{
	char buf[160];
	struct stat st;
	ssize_t n;
	size_t i, digits;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_err("qkd_psk_file %s: %s", path, strerror(errno));
		return -1;
	}
	if (!fstat(fd, &st) && (st.st_mode & 077))
		log_warn("qkd_psk_file %s can be read by others than its owner (chmod 600)", path);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	for (digits = 0; digits < (size_t)n && hex_digit(buf[digits]) >= 0; digits++)
		;
	for (i = digits; i < (size_t)n && (buf[i] == '\n' || buf[i] == '\r' || buf[i] == ' '); i++)
		;
	if (i != (size_t)n || digits % 2 || digits < 32 || digits / 2 > max) {
		log_err("qkd_psk_file %s: expected one line of 32..%zu hex digits", path, 2 * max);
		goto out;
	}
	*len = (size_t)hex_decode(buf, digits, psk, max);
	rc = 0;
out:
	crypto_wipe(buf, sizeof(buf));
	return rc;
}

static void copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

struct keysrc *qkd_source_new(struct loop *loop, const struct mkad_qkd_conf *q)
{
	const char *files[] = { q->ca_cert, q->client_cert, q->private_key };
	struct keysrc_qkd_conf *kc = secmem_alloc(sizeof(*kc));
	struct kp_conf *kp;
	struct keysrc *ks = NULL;
	size_t i;

	if (!kc)
		return NULL;
	kp = &kc->kp;
	if (kp_parse_url(q->url, kp)) {
		log_err("qkd_url %s: expected https://HOST[:PORT][/PATH]", q->url);
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(files); i++)
		if (files[i][0] && access(files[i], R_OK)) {
			log_err("%s: %s", files[i], strerror(errno));
			goto out;
		}
	kp->api = q->api ? KP_API_ETSI014 : KP_API_SKIP;
	copy(kp->remote_id, sizeof(kp->remote_id), q->remote_id);
	kp->key_bits = q->key_bits;
	copy(kp->ca_file, sizeof(kp->ca_file), q->ca_cert);
	copy(kp->cert_file, sizeof(kp->cert_file), q->client_cert);
	copy(kp->key_file, sizeof(kp->key_file), q->private_key);
	copy(kp->psk_identity, sizeof(kp->psk_identity), q->psk_identity);
	if (q->psk_file[0] && read_psk(q->psk_file, kp->psk, sizeof(kp->psk), &kp->psk_len))
		goto out;
	kp->timeout = q->timeout;
	kc->hybrid = q->mode == MKAD_QKD_HYBRID;
	if (kc->hybrid) {
		memcpy(kc->psk_cak, q->tmpl.cak, q->tmpl.cak_len);
		kc->psk_cak_len = q->tmpl.cak_len;
	}
	ks = keysrc_qkd_new(loop, kc);
	if (!ks)
		log_err("cannot start the key provider client");
out:
	secmem_free(kc, sizeof(*kc));
	return ks;
}
