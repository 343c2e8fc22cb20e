// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: a port's CAs from a key provider (port_set_qkd, keysrc_qkd.h):
 * the initiator's requests with their retries, rollover (qkd_cak_lifetime),
 * the age limit (qkd_max_cak_age), the end of CAs whose peer went
 * (PORT_QKD_STALE), and the responder's lookup of key IDs it sees as CKNs,
 * with the tie-break of qkd_role=auto. The rest of the port is port.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "log.h"
#include "port.h"
#include "port_int.h"
#include "util.h"

/* Asks the provider for a new key: its ID is the new CA's CKN. */
void port_qkd_initiate(struct port *p)
{
	struct port_ca *ca = port_free_slot(p);

	if (!ca) {
		log_warn("no room for another CA (%d): no new key asked for", MKAD_MAX_CA);
		return;
	}
	ca->conf = p->qkd_conf.tmpl;
	ca->conf.ckn_len = 0;
	ca->src = p->qkd;
	ca->qkd_own = true;
	log_info("asking key provider %s for a new key", p->qkd->ops->name);
	port_ask_cak(p, ca);
}

/* The first request (from the loop: after -B's fork), or a retry. */
static void qkd_retry(void *ctx, double now)
{
	struct port *p = ctx;

	(void)now;
	mkad_log_context(p->name);
	/* a CA came from the peer's key ID meanwhile */
	if (!p->qkd_rolling && port_qkd_in_use(p))
		return;
	port_qkd_initiate(p);
}

/* qkd_cak_lifetime is up: a new key, whose CA runs beside the current one. */
static void qkd_roll(void *ctx, double now)
{
	struct port *p = ctx;

	(void)now;
	mkad_log_context(p->name);
	if (p->qkd_retry.armed)
		return;
	log_info("qkd_cak_lifetime %u s is up: a new key for a new CA", p->qkd_conf.cak_lifetime);
	p->qkd_rolling = true;
	port_qkd_initiate(p);
}

/*
 * qkd_max_cak_age: the newest key of ours is that old and no newer one
 * could be had. Its CA ends; then macsec_policy decides (must secure: the
 * port closes; hybrid: the pre-shared CA carries the link), and the
 * initiator goes on asking for a key.
 */
static void qkd_age(void *ctx, double now)
{
	struct port *p = ctx;
	bool asking = false;
	int i;

	(void)now;
	mkad_log_context(p->name);
	for (i = 0; i < p->n_ca; i++)
		asking |= p->ca[i].qkd_own && p->ca[i].asked;
	for (i = 0; i < p->n_ca; i++)
		if (p->ca[i].qkd_own && p->ca[i].part && p->ca[i].gen == p->qkd_age_gen) {
			log_err("qkd_max_cak_age %u s reached without a new key from %s: its CA ends",
				p->qkd_conf.max_cak_age, p->qkd->ops->name);
			port_drop_ca(p, &p->ca[i], "qkd_max_cak_age reached");
			p->qkd_rolling = true;
			port_update_principal(p);
			if (!p->qkd_retry.armed && !asking)
				port_qkd_initiate(p);
			return;
		}
}

/*
 * A rollover's end: the QKD CAs older than the principal go once it is
 * secured (the SAK of the new CA carries the traffic). The pre-shared CA
 * of a hybrid port stays.
 */
static void qkd_retire(void *ctx, double now)
{
	struct port *p = ctx;
	struct port_ca *cur = NULL;
	int i;

	mkad_log_context(p->name);
	for (i = 0; i < p->n_ca; i++)
		if (p->ca[i].part && p->ca[i].part == p->principal)
			cur = &p->ca[i];
	if (!cur || !port_is_qkd(p, cur))
		return;
	if (!cur->part->secured) {
		loop_timer_at(p->loop, &p->qkd_retire, now + 1.0);
		return;
	}
	for (i = 0; i < p->n_ca; i++)
		if (&p->ca[i] != cur && port_is_qkd(p, &p->ca[i]) && p->ca[i].part &&
		    p->ca[i].gen < cur->gen)
			port_drop_ca(p, &p->ca[i], "rolled over to a newer key");
}

/* QKD CAs without a live peer for PORT_QKD_STALE end; see port.h. */
static void qkd_stale(void *ctx, double now)
{
	struct port *p = ctx;
	double next = 0;
	int i;

	mkad_log_context(p->name);
	for (i = 0; i < p->n_ca; i++) {
		struct port_ca *ca = &p->ca[i];

		if (!port_is_qkd(p, ca) || !ca->part || !ca->lost_at)
			continue;
		if (now - ca->lost_at >= PORT_QKD_STALE - 1e-6) {
			port_drop_ca(p, ca, "no live peer for a while (the peer may have restarted)");
		} else if (!next || ca->lost_at + PORT_QKD_STALE < next) {
			next = ca->lost_at + PORT_QKD_STALE;
		}
	}
	if (next)
		loop_timer_at(p->loop, &p->qkd_stale, next);
	port_update_principal(p);
	if (!port_qkd_in_use(p) && p->qkd_conf.role != MKAD_QKD_RESPONDER && !p->qkd_retry.armed)
		port_qkd_initiate(p);
}

/* Notes when QKD CAs gain and lose their live peers. */
void port_qkd_track_peers(struct port *p)
{
	double now = loop_now(p->loop);
	int i;

	for (i = 0; i < p->n_ca; i++) {
		struct port_ca *ca = &p->ca[i];

		if (!port_is_qkd(p, ca) || !ca->part)
			continue;
		if (participant_n_live(ca->part)) {
			ca->had_peer = true;
			ca->lost_at = 0;
		} else if (ca->had_peer && !ca->lost_at) {
			ca->lost_at = now;
			if (!p->qkd_stale.armed || p->qkd_stale.at > now + PORT_QKD_STALE)
				loop_timer_at(p->loop, &p->qkd_stale, now + PORT_QKD_STALE);
		}
	}
}

/* Our (priority, SCI) beats the sender's: lower wins, as in the election. */
static bool we_win(const struct port *p, const struct mka_basic *b)
{
	uint8_t prio = p->qkd_conf.tmpl.priority;

	return prio < b->priority || (prio == b->priority && p->sci < b->sci);
}

/*
 * An MKPDU's CKN that no CA has: a key source that can look CKNs up (the
 * responder of a QKD key server: CKN = key ID) is asked for it, at most
 * one a second, and a CKN it did not know is not asked for again for a
 * minute. The CA, with the settings of the key provider's network block
 * (else of the first CA), starts when the CAK comes; MKPDUs meanwhile are
 * dropped as unknown, and nothing waits. With qkd_role=auto both sides
 * asked their providers for a key: the CA of the better (priority, SCI)
 * stays, so the winner ignores the other's key ID and the other fetches
 * the winner's and drops its own.
 */
void port_lookup_ckn(struct port *p, const struct mka_basic *b, const uint8_t *frame,
		       size_t frame_len, double now)
{
	struct keysrc *src = p->qkd;
	const uint8_t *ckn = b->ckn;
	size_t len = b->ckn_len;
	struct port_ca *ca;
	bool own = false;
	int i;

	if (!src && (p->keysrc->ops->flags & KEYSRC_LOOKUP))
		src = p->keysrc;
	if (!src || now - p->last_lookup < 1.0)
		return;
	if (p->qkd && p->qkd_conf.role == MKAD_QKD_INITIATOR)
		return;
	for (i = 0; i < p->n_ca; i++) {
		if (p->ca[i].conf.ckn_len == len && !memcmp(p->ca[i].conf.ckn, ckn, len))
			return;		/* being asked for */
		own |= p->ca[i].qkd_own;
	}
	for (i = 0; i < PORT_NO_CKN; i++)
		if (p->no_ckn[i].len == len && !memcmp(p->no_ckn[i].ckn, ckn, len) &&
		    now - p->no_ckn[i].at < PORT_NO_CKN_TIME)
			return;
	if (p->qkd && own && we_win(p, b))
		return;
	ca = port_free_slot(p);
	if (!ca)
		return;
	p->last_lookup = now;
	ca->conf = p->qkd ? p->qkd_conf.tmpl : p->ca[0].conf;
	crypto_wipe(ca->conf.cak, sizeof(ca->conf.cak));
	ca->conf.cak_len = 0;
	memcpy(ca->conf.ckn, ckn, len);
	ca->conf.ckn_len = len;
	ca->looked_up = true;
	ca->src = src;
	if (frame_len <= sizeof(ca->trigger)) {
		memcpy(ca->trigger, frame, frame_len);
		ca->trigger_len = frame_len;
	}
	log_info("CKN %s unknown: asking key source %s", port_ckn_txt(ckn, len), src->ops->name);
	port_ask_cak(p, ca);
}

void port_set_qkd(struct port *p, struct keysrc *qkd, const struct mkad_qkd_conf *qc)
{
	mkad_log_context(p->name);
	p->qkd = qkd;
	p->qkd_conf = *qc;
	crypto_wipe(p->qkd_conf.tmpl.cak, sizeof(p->qkd_conf.tmpl.cak));
	p->qkd_conf.tmpl.cak_len = 0;
	p->qkd_conf.tmpl.ckn_len = 0;
	loop_timer_init(&p->qkd_retry, qkd_retry, p);
	loop_timer_init(&p->qkd_stale, qkd_stale, p);
	loop_timer_init(&p->qkd_roll, qkd_roll, p);
	loop_timer_init(&p->qkd_retire, qkd_retire, p);
	loop_timer_init(&p->qkd_age, qkd_age, p);
	log_info("key provider %s (%s), qkd_role %s", qkd->ops->name,
		 qc->mode == MKAD_QKD_ONLY ? "qkd-only: CAK = its key" :
		 "hybrid: CAK mixed from mka_cak and its key",
		 qc->role == MKAD_QKD_INITIATOR ? "initiator" :
		 qc->role == MKAD_QKD_RESPONDER ? "responder" : "auto");
	if (qc->role != MKAD_QKD_RESPONDER)
		loop_timer_at(p->loop, &p->qkd_retry, loop_now(p->loop));
}
