// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: an MKA participant (IEEE 802.1X-2020 clause 9).
 *
 * Peers (9.4): an MKPDU with our CKN and a good ICV makes its sender a
 * potential peer; it becomes live once its MKPDU lists our MI with a
 * recent MN (one we sent within the life time, 9.4.3), and stays live
 * while it keeps doing so; a peer silent for MKA_LIFE_TIME is dropped
 * with its RX SC. Only an MKPDU that lists us is obeyed (its SAK Use and
 * Distributed SAK), so a live peer that stops listing us changes nothing.
 *
 * Replayed MKPDUs (captured, resent by someone without the CAK) change
 * nothing: an old MN of a known MI is stale; an unknown MI of a known SCI
 * (a restart, or a replay of that SCI's earlier MI) replaces the entry
 * only when it lists us with a recent MN, which a replay cannot; an MKPDU
 * of a departed participant makes a potential peer, which is the first to
 * go when the table is full, so replays cannot keep members out.
 *
 * Key server (9.5): among ourselves and the live peers that claim the
 * role, the lowest priority value wins, then the lowest SCI; with
 * mka_priority_255=never, priority 255 is never key server (as switches
 * treat it). The election runs again whenever a live peer's claim or
 * priority changes, so a key server that drops its claim is replaced.
 * The key server's work is in keyserver.c, the use of its SAKs in sak.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cs.h"
#include "log.h"
#include "participant.h"
#include "port.h"
#include "secmem.h"
#include "util.h"

const char *mi_txt(const uint8_t *mi)
{
	static char buf[4][2 * MKA_MI_LEN + 1];
	static int i;

	i = (i + 1) % 4;
	hex_str(buf[i], mi, MKA_MI_LEN);
	return buf[i];
}

static void schedule(struct participant *p);

static double now_of(struct participant *p)
{
	return loop_now(p->port->loop);
}

static int new_mi(struct participant *p)
{
	p->mn = 0;
	memset(p->sent, 0, sizeof(p->sent));
	interop_new_mi(p, now_of(p));
	return crypto_random(p->mi, MKA_MI_LEN);
}

static int derive_keys(struct participant *p)
{
	const struct mkad_ca_conf *c = &p->conf;

	if (crypto_ick(c->cak, c->cak_len, c->ckn, c->ckn_len, p->ick) ||
	    crypto_kek(c->cak, c->cak_len, c->ckn, c->ckn_len, p->kek)) {
		log_err("cannot derive ICK/KEK from the CAK");
		return -1;
	}
	return 0;
}

struct participant *participant_new(struct port *port, const struct mkad_ca_conf *ca)
{
	struct participant *p = secmem_alloc(sizeof(*p));

	if (!p)
		return NULL;
	p->port = port;
	p->conf = *ca;
	p->ks.next_kn = 1;
	p->started_at = now_of(p);
	p->next_hello = p->started_at;
	loop_timer_init(&p->timer, participant_tick, p);
	if (derive_keys(p) || new_mi(p)) {
		participant_free(p);
		return NULL;
	}
	log_info("participant MI %s SCI %016" PRIx64 " priority %u, %s%s, MKA version %u",
		 mi_txt(p->mi), port->sci, ca->priority, cs_name(ca->cipher_suite),
		 ca->integ_only ? " integrity only" : "", ca->mka_version);
	participant_kick(p);
	return p;
}

void participant_free(struct participant *p)
{
	if (!p)
		return;
	loop_timer_stop(p->port->loop, &p->timer);
	secmem_free(p, sizeof(*p));
}

static struct peer *peer_by_mi(struct participant *p, const uint8_t *mi)
{
	int i;

	for (i = 0; i < p->n_peers; i++)
		if (!memcmp(p->peers[i].mi, mi, MKA_MI_LEN))
			return &p->peers[i];
	return NULL;
}

struct peer *participant_peer_by_sci(struct participant *p, uint64_t sci)
{
	int i;

	for (i = 0; i < p->n_peers; i++)
		if (p->peers[i].sci == sci)
			return &p->peers[i];
	return NULL;
}

int participant_n_live(const struct participant *p)
{
	int i, n = 0;

	for (i = 0; i < p->n_peers; i++)
		n += p->peers[i].live;
	return n;
}

int participant_n_potential(const struct participant *p)
{
	return p->n_peers - participant_n_live(p);
}

static void drop_peer(struct participant *p, struct peer *q, const char *why)
{
	int idx = (int)(q - p->peers);
	unsigned int g = p->gone_pos++ % ARRAY_SIZE(p->gone);

	memcpy(p->gone[g].mi, q->mi, MKA_MI_LEN);
	p->gone[g].mn = q->mn;
	p->gone[g].until = now_of(p) + 2 * MKA_LIFE_TIME;

	log_info("peer MI %s SCI %016" PRIx64 " %s: %s", mi_txt(q->mi), q->sci,
		 q->live ? "live" : "potential", why);
	if (q->live && p->principal)
		cp_peer_gone(&p->port->cp, q->sci);
	memmove(q, q + 1, (size_t)(p->n_peers - idx - 1) * sizeof(*q));
	p->n_peers--;
	memset(&p->peers[p->n_peers], 0, sizeof(p->peers[0]));
}

/* With no live peer left, the secure session ends (9.7). */
static void end_session(struct participant *p)
{
	if (p->principal)
		cp_connect(&p->port->cp, CP_CONNECT_PENDING, "no live peer");
	if (p->secured)
		log_info("no live peer: secure session removed");
	p->secured = false;
	p->ks.dist_pending = false;
	p->ks.want_rekey = false;
	p->elected = false;
	p->is_ks = false;
	p->ks_sci = 0;		/* the next election is news (ks_since) */
	p->ks_says_no = false;
}

static bool eligible(const struct participant *p, uint8_t priority)
{
	return !(p->conf.never_ks_255 && priority == 255);
}

/* Live peers or a key server claim changed (9.5). */
static void elect(struct participant *p, double now, bool live_changed)
{
	struct peer *best = NULL;
	bool was_ks = p->is_ks, was_elected = p->elected, me;
	uint64_t old_ks = p->ks_sci;
	int i;

	if (!participant_n_live(p)) {
		p->elected = false;
		p->is_ks = false;
		return;
	}
	for (i = 0; i < p->n_peers; i++) {
		struct peer *q = &p->peers[i];

		if (!q->live || !q->key_server || !eligible(p, q->priority))
			continue;
		if (!best || q->priority < best->priority ||
		    (q->priority == best->priority && q->sci < best->sci))
			best = q;
	}
	/* in client-oriented mode the access device is key server, its supplicant never */
	me = p->conf.obliged_ks ||
	     (!p->conf.never_ks && eligible(p, p->conf.priority) &&
	      (!best || p->conf.priority < best->priority ||
	       (p->conf.priority == best->priority && p->port->sci < best->sci)));
	if (!me && !best) {
		if (was_elected)
			log_warn("no key server: no live participant may be one (priority 255, mka_priority_255=never)");
		p->elected = p->is_ks = false;
		p->ks_sci = 0;
		p->ks.dist_pending = p->ks.want_rekey = false;
		sak_update_connect(p);
		return;
	}
	p->elected = true;
	p->is_ks = me;
	p->ks_sci = me ? p->port->sci : best->sci;
	p->ks_priority = me ? p->conf.priority : best->priority;
	if (p->is_ks != was_ks || p->ks_sci != old_ks || !was_elected) {
		log_info("key server: %s (SCI %016" PRIx64 ", priority %u)",
			 me ? "this participant" : "peer", p->ks_sci, p->ks_priority);
		p->ks_since = now;
		p->ks_says_no = false;
		if (was_ks && !me) {
			/* a key server no more: nothing of ours to distribute */
			p->ks.dist_pending = false;
			p->ks.want_rekey = false;
		}
		if (me)
			ks_became(p, now);
	} else if (me && live_changed) {
		ks_members_changed(p);
	}
	sak_update_connect(p);
}

/* The time we sent MN, or -1 if it is not one of our recent MKPDUs. */
static double mn_sent_at(const struct participant *p, uint32_t mn)
{
	size_t i;

	if (!mn || mn > p->mn)
		return -1;
	for (i = 0; i < ARRAY_SIZE(p->sent); i++)
		if (p->sent[i].mn == mn)
			return p->sent[i].at;
	return -1;
}

/*
 * 9.4.2, 9.4.3: does the MKPDU list our MI with an "acceptably recent" MN?
 * Taken as one we sent within the MKA life time: a count of MNs would not
 * do, as we may send several MKPDUs (bounded hello, triggered) between two
 * of a peer's. A replay cannot: it carries an MN of ours from its time.
 */
static bool lists_me(const struct participant *p, const struct mkpdu *m, double now)
{
	double t;
	int i;

	for (i = 0; i < m->n_live + m->n_potential; i++) {
		const struct mka_peer_id *id = i < m->n_live ? &m->live[i] :
					       &m->potential[i - m->n_live];

		if (memcmp(id->mi, p->mi, MKA_MI_LEN))
			continue;
		t = mn_sent_at(p, id->mn);
		if (t >= 0 && now - t <= MKA_LIFE_TIME)
			return true;
	}
	return false;
}

/* Rate-limited drop logs, one line a second per reason (DROP_*). */
enum { DROP_FORMAT, DROP_ICV, DROP_SCI, DROP_EVICT };

static bool drop_ok(struct participant *p, int reason, double now, unsigned long *skipped)
{
	bool ok = port_drop_log_ok(&p->drop_logged[reason], &p->drop_skipped[reason], now);

	*skipped = p->drop_skipped[reason];
	return ok;
}

/* Room for a new peer: a potential one goes, the one expiring first. */
static bool make_room(struct participant *p, double now)
{
	struct peer *victim = NULL;
	unsigned long skipped;
	int i;

	if (p->n_peers < MKA_MAX_PEERS)
		return true;
	for (i = 0; i < p->n_peers; i++)
		if (!p->peers[i].live && (!victim || p->peers[i].expire < victim->expire))
			victim = &p->peers[i];
	if (!victim)
		return false;
	p->cnt.peers_evicted++;
	if (drop_ok(p, DROP_EVICT, now, &skipped))
		log_warn("peer table full: potential peer %016" PRIx64 " removed for a new one (%lu more not logged)",
			 victim->sci, skipped);
	drop_peer(p, victim, "removed for a newer one");
	return true;
}

/* An MKPDU of a peer dropped lately, with an MN seen then: a replay. */
static bool replayed(const struct participant *p, const struct mkpdu *m, double now)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(p->gone); i++)
		if (p->gone[i].until > now && !memcmp(p->gone[i].mi, m->basic.mi, MKA_MI_LEN) &&
		    m->basic.mn <= p->gone[i].mn)
			return true;
	return false;
}

/* An MKPDU of an MI we do not know; returns its new entry, or NULL. */
static struct peer *new_peer(struct participant *p, const struct mkpdu *m, bool fresh,
			     bool *changed, double now)
{
	struct peer *same = participant_peer_by_sci(p, m->basic.sci), *q;

	if (replayed(p, m, now)) {
		p->cnt.rx_replay++;
		log_dbg("MKPDU of MI %s (gone) with an MN seen before: a replay, ignored",
			mi_txt(m->basic.mi));
		return NULL;
	}

	if (same) {
		/*
		 * A known SCI with a new MI: the peer restarted, or someone
		 * replays its SCI's earlier MKPDUs. Only the one that proves
		 * liveness (lists us, recently) takes the SCI over.
		 */
		if (!fresh) {
			p->cnt.rx_replay++;
			log_dbg("SCI %016" PRIx64 " with another MI %s, not listing us: ignored",
				m->basic.sci, mi_txt(m->basic.mi));
			return NULL;
		}
		log_info("peer SCI %016" PRIx64 " restarted: MI %s replaces MI %s",
			 m->basic.sci, mi_txt(m->basic.mi), mi_txt(same->mi));
		*changed |= same->live;
		drop_peer(p, same, "replaced by its new MI");
	}
	if (!make_room(p, now)) {
		log_warn("too many live peers, MKPDU from %016" PRIx64 " ignored", m->basic.sci);
		return NULL;
	}
	q = &p->peers[p->n_peers++];
	memset(q, 0, sizeof(*q));
	memcpy(q->mi, m->basic.mi, MKA_MI_LEN);
	q->sci = m->basic.sci;
	q->expire = now + MKA_LIFE_TIME;
	log_info("potential peer MI %s SCI %016" PRIx64, mi_txt(q->mi), q->sci);
	p->send_now = true;
	return q;
}

/* The ICV, the algorithm, and MKPDUs that are not from a peer. */
static bool acceptable(struct participant *p, const struct mkpdu *m, const uint8_t *frame,
		       size_t len, double now)
{
	unsigned long skipped;

	if (memcmp(m->basic.algo, mka_algo_agility, 4)) {
		p->cnt.rx_bad_format++;
		if (drop_ok(p, DROP_FORMAT, now, &skipped))
			log_warn("MKPDU from SCI %016" PRIx64 " dropped: algorithm agility %02x%02x%02x%02x",
				 m->basic.sci, m->basic.algo[0], m->basic.algo[1],
				 m->basic.algo[2], m->basic.algo[3]);
		return false;
	}
	if (!mkpdu_icv_ok(frame, len, p->ick, p->conf.cak_len)) {
		p->cnt.rx_bad_icv++;
		if (drop_ok(p, DROP_ICV, now, &skipped))
			log_warn("MKPDU from SCI %016" PRIx64 " dropped: bad ICV (%lu more not logged)",
				 m->basic.sci, skipped);
		return false;
	}
	if (m->basic.sci == p->port->sci) {
		if (!memcmp(m->basic.mi, p->mi, MKA_MI_LEN))
			return false;		/* our own, looped back */
		p->cnt.rx_same_sci++;
		if (drop_ok(p, DROP_SCI, now, &skipped))
			log_warn("MKPDU with our SCI %016" PRIx64 " from another participant (MI %s; a clone with our MAC address?) ignored (%lu more not logged)",
				 m->basic.sci, mi_txt(m->basic.mi), skipped);
		return false;
	}
	if (!memcmp(m->basic.mi, p->mi, MKA_MI_LEN)) {
		log_warn("peer %016" PRIx64 " uses our MI: choosing a new one", m->basic.sci);
		new_mi(p);
		return false;
	}
	return true;
}

void participant_rx(struct participant *p, const struct mkpdu *m, const uint8_t *frame,
		    size_t len, double now)
{
	bool changed = false, was_live, fresh, claim_changed;
	struct peer *q;
	int i;

	if (p->quiet_until)
		return;		/* rejoining: not a participant until then */
	p->cnt.rx_mkpdu++;
	if (!acceptable(p, m, frame, len, now))
		return;
	fresh = lists_me(p, m, now);
	q = peer_by_mi(p, m->basic.mi);
	if (!q) {
		q = new_peer(p, m, fresh, &changed, now);
		if (!q) {
			if (changed)
				elect(p, now, true);
			goto out;
		}
	} else if (q->sci != m->basic.sci) {
		/* one MI, two SCIs: not the peer we know (9.4.2: an MI is one participant's) */
		log_dbg("MKPDU of MI %s with SCI %016" PRIx64 ", known with %016" PRIx64 ": dropped",
			mi_txt(q->mi), m->basic.sci, q->sci);
		return;
	} else if (m->basic.mn <= q->mn) {
		p->cnt.rx_stale++;
		log_dbg("MKPDU from %016" PRIx64 " with old MN %u dropped", q->sci, m->basic.mn);
		return;
	}
	claim_changed = q->key_server != m->basic.key_server ||
			q->priority != m->basic.priority;
	q->mn = m->basic.mn;
	q->version = m->basic.version;
	q->priority = m->basic.priority;
	q->key_server = m->basic.key_server;
	q->desired = m->basic.macsec_desired;
	q->cap = m->basic.capability;
	if (m->announce.present) {
		q->n_cs = m->announce.n_cs;
		memcpy(q->cs, m->announce.cs, sizeof(q->cs));
		memcpy(q->cs_cap, m->announce.cs_cap, sizeof(q->cs_cap));
	}
	if (m->sak_use.present)
		q->sak_use_empty = m->sak_use.empty;

	was_live = q->live;
	if (fresh) {
		q->n_heard = m->n_live < 16 ? m->n_live : 16;
		for (i = 0; i < q->n_heard; i++)
			memcpy(q->heard[i], m->live[i].mi, MKA_MI_LEN);
		q->expire = now + MKA_LIFE_TIME;
		if (!q->live) {
			q->live = true;
			changed = true;
			log_info("live peer MI %s SCI %016" PRIx64 " priority %u",
				 mi_txt(q->mi), q->sci, q->priority);
			if (p->principal)
				cp_peer_live(&p->port->cp, q->sci, q->mi);
		}
	} else if (!q->live) {
		q->expire = now + MKA_LIFE_TIME;
	}
	/* Key server claims may change without the live set changing. */
	if (changed || (q->live && (claim_changed || !p->elected)))
		elect(p, now, changed);
	if (changed && participant_n_live(p) == 1)
		port_update_principal(p->port);
	if (!q->live || !fresh)
		goto out;
	if (!was_live)
		p->send_now = true;
	if (p->principal && m->dist_sak.present)
		sak_rx_dist(p, q, m, now);
	if (p->principal && m->sak_use.present) {
		if (p->is_ks)
			ks_rx_sak_use(p, q, &m->sak_use, now);
		else
			sak_rx_use(p, q, &m->sak_use, now);
	}
out:
	schedule(p);
}

/* MKPDUs -------------------------------------------------------- */

static int build(struct participant *p, uint8_t *buf, size_t size, double now)
{
	static struct mkpdu m;
	const struct secy_caps *caps = &p->port->secy.caps;
	uint8_t cap = caps->capability;
	unsigned int i, k;
	int len;

	if (p->conf.integ_only && cap > MKA_CAP_INTEG)
		cap = MKA_CAP_INTEG;
	memset(&m, 0, sizeof(m));
	memcpy(m.dst, mka_pae_group, 6);
	memcpy(m.src, p->port->mac, 6);
	m.basic.version = p->conf.mka_version;
	m.basic.priority = p->conf.priority;
	m.basic.key_server = p->conf.obliged_ks ||
			     (!p->conf.never_ks &&
			      (p->elected ? p->is_ks : eligible(p, p->conf.priority)));
	m.basic.macsec_desired = cap > MKA_CAP_NONE;
	m.basic.capability = cap;
	m.basic.sci = p->port->sci;
	memcpy(m.basic.mi, p->mi, MKA_MI_LEN);
	m.basic.mn = ++p->mn;
	memcpy(m.basic.algo, mka_algo_agility, 4);
	memcpy(m.basic.ckn, p->conf.ckn, p->conf.ckn_len);
	m.basic.ckn_len = p->conf.ckn_len;

	for (i = 0; i < (unsigned int)p->n_peers; i++) {
		struct peer *q = &p->peers[i];
		struct mka_peer_id *id = q->live ? &m.live[m.n_live++] :
					 &m.potential[m.n_potential++];

		memcpy(id->mi, q->mi, MKA_MI_LEN);
		id->mn = q->mn;
	}
	m.has_live = m.n_live > 0;
	m.has_potential = m.n_potential > 0;

	if (p->principal) {
		sak_build_use(p, &m, now);
		if (p->is_ks)
			ks_build(p, &m);	/* Distributed SAK, SSCI order */
	}

	/* Announce the cipher suites the SecY implements (11.12, Table 11-10). */
	m.announce.present = true;
	for (i = 0, k = 0; i < CS_COUNT; i++)
		if (caps->suites & (1u << i)) {
			m.announce.cs[k] = cs_table[i].id;
			m.announce.cs_cap[k++] = cap;
		}
	m.announce.n_cs = (int)k;
	if (p->port->cp.latest.valid && cs_is_xpn(p->port->cp.latest.cs) &&
	    p->conf.mka_version >= MKA_VERSION_XPN && p->principal)
		m.xpn.present = true;

	len = mkpdu_encode(&m, p->ick, p->conf.cak_len, buf, size);
	crypto_wipe(m.dist_sak.wrapped, sizeof(m.dist_sak.wrapped));
	return len;
}

static void send_mkpdu(struct participant *p, double now)
{
	const struct cp *cp = &p->port->cp;
	uint8_t buf[MKPDU_MAX_LEN];
	int len = build(p, buf, sizeof(buf), now);

	p->send_now = false;
	p->next_hello = now + ((p->ks.dist_pending ||
				(p->principal && cp->latest.valid && !cp->latest.tx)) ?
			       MKA_BOUNDED_HELLO_TIME : MKA_HELLO_TIME);
	if (len < 0) {
		log_err("cannot encode an MKPDU");
		return;
	}
	p->sent[p->sent_pos].mn = p->mn;
	p->sent[p->sent_pos].at = now;
	p->sent_pos = (p->sent_pos + 1) % ARRAY_SIZE(p->sent);
	if (port_send(p->port, buf, (size_t)len) == 0)
		p->cnt.tx_mkpdu++;
}

/* Timers -------------------------------------------------------- */

static void schedule(struct participant *p)
{
	double now = now_of(p), next = p->next_hello, t;
	int i;

	if (p->quiet_until) {
		loop_timer_at(p->port->loop, &p->timer, p->quiet_until);
		return;
	}
	if (p->send_now)
		next = now;
	for (i = 0; i < p->n_peers; i++)
		if (p->peers[i].expire < next)
			next = p->peers[i].expire;
	if (p->principal) {
		t = ks_next_deadline(p, now);
		if (t < next)
			next = t;
		t = interop_next_deadline(p, now);
		if (t < next)
			next = t;
		if (p->port->cp.old.valid && p->port->cp.latest.tx) {
			t = p->port->cp.latest.since + MKA_SAK_RETIRE_TIME;
			if (t > now && t < next)
				next = t;
		}
	}
	loop_timer_at(p->port->loop, &p->timer, next < now ? now : next);
}

void participant_kick(struct participant *p)
{
	p->send_now = true;
	schedule(p);
}

void participant_tick(void *ctx, double now)
{
	struct participant *p = ctx;
	bool changed = false;
	int i;

	mkad_log_context(p->port->name);
	if (p->quiet_until) {
		if (now < p->quiet_until) {
			schedule(p);
			return;
		}
		p->quiet_until = 0;
		if (participant_restart(p, "participant rejoins"))
			log_err("no random MI");
		log_info("rejoining with MI %s", mi_txt(p->mi));
	}
	for (i = 0; i < p->n_peers; ) {
		struct peer *q = &p->peers[i];

		if (now > q->expire) {
			changed |= q->live;
			drop_peer(p, q, q->live ? "silent for the MKA life time, removed" :
				  "expired");
			continue;
		}
		i++;
	}
	if (changed) {
		if (!participant_n_live(p))
			end_session(p);
		else
			elect(p, now, true);
		port_update_principal(p->port);
	}
	if (p->principal) {
		ks_tick(p, now);
		interop_check_rejoin(p, now);
		sak_check_retire(p, now);
	}
	if (p->quiet_until) {
		schedule(p);
		return;
	}
	if (p->send_now || now >= p->next_hello)
		send_mkpdu(p, now);
	schedule(p);
}

void participant_go_quiet(struct participant *p, double until, const char *why)
{
	end_session(p);
	while (p->n_peers)
		drop_peer(p, &p->peers[0], why);
	p->quiet_until = until;
	schedule(p);
}

int participant_restart(struct participant *p, const char *why)
{
	end_session(p);
	while (p->n_peers)
		drop_peer(p, &p->peers[0], why);
	p->started_at = now_of(p);
	p->ks_says_no = false;
	if (new_mi(p))
		return -1;
	participant_kick(p);
	return 0;
}

void participant_set_principal(struct participant *p, bool principal)
{
	int i;

	if (p->principal == principal)
		return;
	p->principal = principal;
	if (!principal)
		return;
	log_info("participant MI %s (CKN of %zu octets) is the principal actor", mi_txt(p->mi),
		 p->conf.ckn_len);
	for (i = 0; i < p->n_peers; i++)
		if (p->peers[i].live)
			cp_peer_live(&p->port->cp, p->peers[i].sci, p->peers[i].mi);
	sak_update_connect(p);
	participant_kick(p);
}

void participant_reconfigure(struct participant *p, const struct mkad_ca_conf *ca)
{
	struct mkad_ca_conf old = p->conf;
	bool sak_params = old.cipher_suite != ca->cipher_suite ||
			  old.integ_only != ca->integ_only ||
			  old.conf_offset != ca->conf_offset;

	p->conf = *ca;
	crypto_wipe(&old.cak, sizeof(old.cak));
	log_info("configuration reloaded: priority %u, %s, rekey period %u s",
		 ca->priority, cs_name(ca->cipher_suite), ca->rekey_period);
	/* A new priority may change who is key server (9.5). */
	if (participant_n_live(p))
		elect(p, now_of(p), false);
	sak_update_connect(p);		/* the policy may be another */
	/* What the SAK carries (cipher suite, offset) comes with a new SAK. */
	if (p->is_ks && sak_params && p->port->cp.latest.valid) {
		log_info("rekey: the cipher suite or confidentiality offset configured changed");
		p->ks.want_rekey = true;
	}
	participant_kick(p);
}

int participant_request_rekey(struct participant *p)
{
	if (!p->is_ks || !participant_n_live(p) || !p->principal)
		return -1;
	p->ks.want_rekey = true;
	schedule(p);
	return 0;
}
