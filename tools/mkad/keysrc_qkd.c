// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the quantum key source: CAKs from a SKIP or ETSI GS QKD 014
 * key provider (kp.h), behind the asynchronous interface of keysrc.h.
 *
 * request() with no CKN asks the provider for a new key; the answer's CKN
 * is the key's ID (SKIP: the keyId's octets; ETSI 014: the UUID's 16
 * octets). request() with a CKN asks for the key of that ID: from the
 * cache of keys this source already got (fetched, or new ones it handed
 * out) if it is there, since a provider delivers a key once, else from
 * the provider. The cache holds QKD_CACHE keys; the oldest is evicted and
 * wiped. A key got from the provider is cached even when its request was
 * cancelled meanwhile: the provider will not deliver it again.
 *
 * The CAK of a key K of ID I (CKN = I):
 *  - qkd-only: CAK = K (16 or 32 octets, key_bits/8).
 *  - hybrid, with the pre-shared CAK P of n = 16 or 32 octets:
 *      CAK = KDF(P, "vsecy ppk cak", I, n) XOR KDF(K, "vsecy ppk cak", I, n)
 *    where KDF(key, label, context, length) is the AES-CMAC KDF of IEEE
 *    802.1X-2020 6.2.1 (crypto_kdf; AES-128 or AES-256 by the length of
 *    its key, K being 16 or 32 octets), the label is the 13 ASCII octets
 *    "vsecy ppk cak", the context is the CKN's octets and the output is n
 *    octets. The XOR of the two PRF outputs stays secret as long as either
 *    P or K does (the intent of RFC 8784's PPK).
 *
 * The provider calls block (up to the configured timeout), so they run on
 * one worker thread (started by the first request) fed by a small queue of
 * jobs; a finished job is
 * signalled through a pipe the event loop watches, and the done callback
 * runs on the loop thread, never inside request(). cancel() drops the
 * answers of a context (one already computed is wiped, not delivered);
 * destroy() stops and joins the worker (which may be in a request for up
 * to the timeout) and wipes everything. The jobs, the cache and the
 * configuration (with the PSKs) are all in one secmem object, so keys
 * cross between threads in secmem only, and are wiped after use. Logging
 * happens on the loop thread only: key IDs and fingerprints, never a key,
 * a CAK or a PSK.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "crypto.h"
#include "keysrc_qkd.h"
#include "log.h"
#include "secmem.h"

#define QKD_MAX_JOBS	16
#define QKD_CACHE	32
#define QKD_LABEL	"vsecy ppk cak"

enum job_state { JOB_FREE, JOB_QUEUED, JOB_RUNNING, JOB_DONE };
enum key_from { FROM_NEW, FROM_PROVIDER, FROM_CACHE };

struct qkd_job {
	enum job_state state;
	uint64_t seq;			/* FIFO order */
	bool cancelled;
	uint8_t ckn[MKA_MAX_CKN_LEN];
	size_t ckn_len;			/* 0: a new key */
	keysrc_done_fn done;
	void *ctx;
	int err;
	enum key_from from;
	char why[160];
	struct kp_key key;
};

struct qkd_cached {
	uint64_t seq;			/* 0: empty */
	struct kp_key key;
};

struct qkd_source {
	struct keysrc ks;
	struct keysrc_qkd_conf conf;
	const char *name;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stopping;			/* under lock */
	uint64_t seq;
	int rd, wr;			/* the pipe */
	struct loop_fd lfd;
	struct qkd_job jobs[QKD_MAX_JOBS];
	struct qkd_cached cache[QKD_CACHE];
	struct kp_key wkey;		/* the worker's */
	struct kp_key lkey;		/* the loop thread's */
	struct keysrc_cak out;		/* the loop thread's */
};

int keysrc_qkd_cak(const struct keysrc_qkd_conf *conf, const struct kp_key *key,
		   struct keysrc_cak *cak)
{
	uint8_t a[MKA_MAX_KEY_LEN], b[MKA_MAX_KEY_LEN];
	size_t i, n = conf->psk_cak_len;
	int ret = 0;

	memset(cak, 0, sizeof(*cak));
	if (!key->id_len || key->id_len > MKA_MAX_CKN_LEN ||
	    (key->key_len != 16 && key->key_len != 32))
		return -EINVAL;
	memcpy(cak->ckn, key->id, key->id_len);
	cak->ckn_len = key->id_len;
	if (!conf->hybrid) {
		memcpy(cak->cak, key->key, key->key_len);
		cak->cak_len = key->key_len;
		return 0;
	}
	if (n != 16 && n != 32)
		return -EINVAL;
	if (crypto_kdf(conf->psk_cak, n, QKD_LABEL, cak->ckn, cak->ckn_len, a, n) ||
	    crypto_kdf(key->key, key->key_len, QKD_LABEL, cak->ckn, cak->ckn_len, b, n)) {
		ret = -EINVAL;
	} else {
		for (i = 0; i < n; i++)
			cak->cak[i] = a[i] ^ b[i];
		cak->cak_len = n;
	}
	crypto_wipe(a, sizeof(a));
	crypto_wipe(b, sizeof(b));
	if (ret)
		crypto_wipe(cak, sizeof(*cak));
	return ret;
}

/* Under lock. */
static struct qkd_cached *cache_find(struct qkd_source *src, const uint8_t *id, size_t len)
{
	int i;

	for (i = 0; i < QKD_CACHE; i++) {
		struct qkd_cached *e = &src->cache[i];

		if (e->seq && e->key.id_len == len && !memcmp(e->key.id, id, len))
			return e;
	}
	return NULL;
}

/* Under lock. */
static void cache_put(struct qkd_source *src, const struct kp_key *k)
{
	struct qkd_cached *e = cache_find(src, k->id, k->id_len), *old = &src->cache[0];
	int i;

	if (!e) {
		for (i = 0; i < QKD_CACHE && !e; i++) {
			if (!src->cache[i].seq)
				e = &src->cache[i];
			else if (src->cache[i].seq < old->seq)
				old = &src->cache[i];
		}
		if (!e)
			e = old;	/* the oldest goes */
	}
	crypto_wipe(e, sizeof(*e));
	e->key = *k;
	e->seq = ++src->seq;
}

static void notify(struct qkd_source *src)
{
	char b = 1;
	ssize_t n;

	/* fails only when full: then the loop has been told already */
	n = write(src->wr, &b, 1);
	(void)n;
}

/* Under lock: the oldest job in state s. */
static struct qkd_job *oldest(struct qkd_source *src, enum job_state s)
{
	struct qkd_job *best = NULL;
	int i;

	for (i = 0; i < QKD_MAX_JOBS; i++)
		if (src->jobs[i].state == s && (!best || src->jobs[i].seq < best->seq))
			best = &src->jobs[i];
	return best;
}

static void *worker(void *arg)
{
	struct qkd_source *src = arg;
	uint8_t ckn[MKA_MAX_CKN_LEN];
	char why[160];

	for (;;) {
		struct qkd_job *j = NULL;
		struct qkd_cached *hit;
		enum key_from from;
		size_t ckn_len;
		int err = 0;

		pthread_mutex_lock(&src->lock);
		while (!src->stopping && !(j = oldest(src, JOB_QUEUED)))
			pthread_cond_wait(&src->cond, &src->lock);
		if (src->stopping) {
			pthread_mutex_unlock(&src->lock);
			break;
		}
		j->state = JOB_RUNNING;
		ckn_len = j->ckn_len;
		memcpy(ckn, j->ckn, ckn_len);
		/* an ID fetched since this job was queued */
		hit = ckn_len ? cache_find(src, ckn, ckn_len) : NULL;
		if (hit)
			src->wkey = hit->key;
		pthread_mutex_unlock(&src->lock);

		why[0] = 0;
		if (hit) {
			from = FROM_CACHE;
		} else if (ckn_len) {
			from = FROM_PROVIDER;
			err = kp_get_key(&src->conf.kp, ckn, ckn_len, &src->wkey, why, sizeof(why));
		} else {
			from = FROM_NEW;
			err = kp_new_key(&src->conf.kp, &src->wkey, why, sizeof(why));
		}

		pthread_mutex_lock(&src->lock);
		if (!err && from != FROM_CACHE)
			cache_put(src, &src->wkey);
		j->err = err;
		j->from = from;
		j->key = src->wkey;
		memcpy(j->why, why, sizeof(j->why));
		j->state = JOB_DONE;
		notify(src);
		pthread_mutex_unlock(&src->lock);
		crypto_wipe(&src->wkey, sizeof(src->wkey));
	}
	return NULL;
}

/* Loop thread: what became of a job. */
static void log_job(struct qkd_source *src, const uint8_t *ckn, size_t ckn_len, int err,
		    enum key_from from, const char *why, const struct kp_key *k)
{
	enum kp_api api = src->conf.kp.api;
	char ids[80], fp[9];

	if (!err) {
		kp_id_string(api, k->id, k->id_len, ids, sizeof(ids));
		kp_fingerprint(k, fp);
		if (from == FROM_CACHE)
			log_dbg("%s: key %s fp=%s from the cache", src->name, ids, fp);
		else
			log_info("%s: key %s fp=%s from provider (%s)", src->name, ids, fp,
				 from == FROM_NEW ? "new" : "by ID");
		return;
	}
	if (ckn_len)
		kp_id_string(api, ckn, ckn_len, ids, sizeof(ids));
	else
		snprintf(ids, sizeof(ids), "(new)");
	switch (err) {
	case -EACCES:
		log_err("%s: key %s: TLS/authentication configuration error with %s "
			"(CA file, client certificate, PSK identity/PSK): %s", src->name, ids,
			src->conf.kp.host, why);
		break;
	case -EINVAL:
		log_err("%s: key %s: configuration error: %s", src->name, ids, why);
		break;
	case -ENOENT:
		log_warn("%s: key %s: the provider has no such key: %s", src->name, ids, why);
		break;
	default:
		log_warn("%s: key %s: %s: %s", src->name, ids, strerror(-err), why);
		break;
	}
}

static void on_pipe(void *arg, uint32_t events)
{
	struct qkd_source *src = arg;
	char buf[64];

	(void)events;
	while (read(src->rd, buf, sizeof(buf)) > 0)
		;
	for (;;) {
		uint8_t ckn[MKA_MAX_CKN_LEN];
		keysrc_done_fn done;
		enum key_from from;
		struct qkd_job *j;
		size_t ckn_len;
		bool cancelled;
		char why[160];
		void *ctx;
		int err;

		pthread_mutex_lock(&src->lock);
		j = oldest(src, JOB_DONE);
		if (!j) {
			pthread_mutex_unlock(&src->lock);
			break;
		}
		err = j->err;
		from = j->from;
		done = j->done;
		ctx = j->ctx;
		cancelled = j->cancelled;
		ckn_len = j->ckn_len;
		memcpy(ckn, j->ckn, ckn_len);
		memcpy(why, j->why, sizeof(why));
		src->lkey = j->key;
		crypto_wipe(j, sizeof(*j));	/* JOB_FREE */
		pthread_mutex_unlock(&src->lock);

		log_job(src, ckn, ckn_len, err, from, why, &src->lkey);
		if (!err && keysrc_qkd_cak(&src->conf, &src->lkey, &src->out)) {
			log_err("%s: a key of %zu octets cannot make a CAK", src->name,
				src->lkey.key_len);
			err = -EPROTO;
		}
		crypto_wipe(&src->lkey, sizeof(src->lkey));
		if (!cancelled)
			done(ctx, err, err ? NULL : &src->out);
		crypto_wipe(&src->out, sizeof(src->out));
	}
}

/*
 * The worker starts with the first request, not in keysrc_qkd_new: that
 * runs before the daemon's -B fork, which a thread does not survive. It
 * takes no signals: the loop's signalfd has them.
 */
static int start_worker(struct qkd_source *src)
{
	sigset_t all, old;
	int ret;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&src->thread, NULL, worker, src);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		log_err("%s: cannot start the worker: %s", src->name, strerror(ret));
		return -ret;
	}
	src->started = true;
	return 0;
}

static int qkd_request(struct keysrc *ks, const uint8_t *ckn, size_t ckn_len,
		       keysrc_done_fn done, void *ctx)
{
	struct qkd_source *src = (struct qkd_source *)ks;
	struct qkd_cached *hit;
	struct qkd_job *j = NULL;
	int i, ret;

	if (ckn_len > MKA_MAX_CKN_LEN || !done)
		return -EINVAL;
	if (!src->started) {
		ret = start_worker(src);
		if (ret)
			return ret;
	}
	pthread_mutex_lock(&src->lock);
	for (i = 0; i < QKD_MAX_JOBS && !j; i++)
		if (src->jobs[i].state == JOB_FREE)
			j = &src->jobs[i];
	if (!j) {
		pthread_mutex_unlock(&src->lock);
		return -EBUSY;
	}
	memset(j, 0, sizeof(*j));
	j->seq = ++src->seq;
	if (ckn_len)
		memcpy(j->ckn, ckn, ckn_len);
	j->ckn_len = ckn_len;
	j->done = done;
	j->ctx = ctx;
	hit = ckn_len ? cache_find(src, ckn, ckn_len) : NULL;
	if (hit) {
		/* served from memory, still through the loop */
		j->key = hit->key;
		j->from = FROM_CACHE;
		j->state = JOB_DONE;
		notify(src);
	} else {
		j->state = JOB_QUEUED;
		pthread_cond_signal(&src->cond);
	}
	pthread_mutex_unlock(&src->lock);
	return 0;
}

static void qkd_cancel(struct keysrc *ks, void *ctx)
{
	struct qkd_source *src = (struct qkd_source *)ks;
	int i;

	for (i = 0; i < QKD_MAX_JOBS; i++) {
		struct qkd_job *j = &src->jobs[i];

		pthread_mutex_lock(&src->lock);
		if (j->state == JOB_FREE || j->ctx != ctx) {
			pthread_mutex_unlock(&src->lock);
			continue;
		}
		if (j->state == JOB_RUNNING) {
			j->cancelled = true;	/* on_pipe wipes its answer */
		} else {
			if (j->state == JOB_DONE) {
				/* computed: logged, wiped (a fetched key stays cached) */
				src->lkey = j->key;
				log_job(src, j->ckn, j->ckn_len, j->err, j->from, j->why,
					&src->lkey);
				crypto_wipe(&src->lkey, sizeof(src->lkey));
			}
			crypto_wipe(j, sizeof(*j));
		}
		pthread_mutex_unlock(&src->lock);
	}
}

static void qkd_destroy(struct keysrc *ks)
{
	struct qkd_source *src = (struct qkd_source *)ks;

	if (src->started) {
		pthread_mutex_lock(&src->lock);
		src->stopping = true;
		pthread_cond_broadcast(&src->cond);
		pthread_mutex_unlock(&src->lock);
		pthread_join(src->thread, NULL);
	}
	loop_del_fd(ks->loop, &src->lfd);
	if (src->rd >= 0)
		close(src->rd);
	if (src->wr >= 0)
		close(src->wr);
	pthread_cond_destroy(&src->cond);
	pthread_mutex_destroy(&src->lock);
	secmem_free(src, sizeof(*src));	/* wipes keys, jobs, PSKs */
}

static const struct keysrc_ops skip_ops = {
	.name = "skip",
	.flags = KEYSRC_LOOKUP,
	.request = qkd_request,
	.cancel = qkd_cancel,
	.destroy = qkd_destroy,
};

static const struct keysrc_ops etsi014_ops = {
	.name = "etsi014",
	.flags = KEYSRC_LOOKUP,
	.request = qkd_request,
	.cancel = qkd_cancel,
	.destroy = qkd_destroy,
};

struct keysrc *keysrc_qkd_new(struct loop *loop, const struct keysrc_qkd_conf *conf)
{
	const char *name = conf->kp.api == KP_API_SKIP ? "skip" : "etsi014";
	struct qkd_source *src;
	struct kp_conf *kp;
	int p[2], ret;

	if (conf->kp.api != KP_API_SKIP && conf->kp.api != KP_API_ETSI014) {
		log_err("qkd: unknown key provider API");
		return NULL;
	}
	if (conf->hybrid && conf->psk_cak_len != 16 && conf->psk_cak_len != 32) {
		log_err("%s: hybrid mode needs a pre-shared CAK of 16 or 32 octets", name);
		return NULL;
	}
	if (!conf->kp.host[0] || !conf->kp.remote_id[0]) {
		log_err("%s: no key provider host or remote ID", name);
		return NULL;
	}
	if (conf->kp.key_bits && conf->kp.key_bits != 128 && conf->kp.key_bits != 256) {
		log_err("%s: key size %u bits: 128 or 256", name, conf->kp.key_bits);
		return NULL;
	}
	src = secmem_alloc(sizeof(*src));
	if (!src)
		return NULL;
	src->ks.ops = conf->kp.api == KP_API_SKIP ? &skip_ops : &etsi014_ops;
	src->ks.loop = loop;
	src->name = name;
	src->conf = *conf;
	kp = &src->conf.kp;
	if (!kp->key_bits)
		kp->key_bits = 256;
	if (!kp->port)
		kp->port = 443;
	if (kp->timeout <= 0)
		kp->timeout = 5;
	src->rd = src->wr = -1;
	pthread_mutex_init(&src->lock, NULL);
	pthread_cond_init(&src->cond, NULL);
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK)) {
		log_err("%s: pipe: %s", name, strerror(errno));
		goto fail;
	}
	src->rd = p[0];
	src->wr = p[1];
	ret = loop_add_fd(loop, &src->lfd, src->rd, EPOLLIN, on_pipe, src);
	if (ret) {
		log_err("%s: cannot watch the worker's pipe: %s", name, strerror(-ret));
		goto fail;
	}
	return &src->ks;
fail:
	qkd_destroy(&src->ks);
	return NULL;
}
