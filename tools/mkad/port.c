// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: a port: its CAs and their participants, the principal, the
 * SecY with its CP, and the port's setup, reconfiguration and end. The
 * PAE (802.1X-2020 clause 12: the EAPOL socket and the demultiplexer) is
 * port_pae.c's; the 802.1X authenticator and supplicant (port_auth.c,
 * port_supp.c) start and end their CAs through port_eap.c, which calls
 * port_start_ca and port_end_ca.
 *
 * The CAKs come from the key source, asynchronously: a participant exists
 * from the moment its CAK has arrived; MKPDUs for a CKN still being asked
 * for are dropped as unknown until then, and nothing waits.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "cs.h"
#include "log.h"
#include "port.h"
#include "port_auth.h"
#include "port_int.h"
#include "util.h"

/* A CKN as log text (hex; a QKD key ID, never a key). */
const char *port_ckn_txt(const uint8_t *ckn, size_t len)
{
	static char buf[2 * MKA_MAX_CKN_LEN + 1];

	hex_str(buf, ckn, len > MKA_MAX_CKN_LEN ? MKA_MAX_CKN_LEN : len);
	return buf;
}

/* A slot for a CA the port did not have: an empty one, or a new one. */
struct port_ca *port_free_slot(struct port *p)
{
	int i;

	for (i = 0; i < p->n_ca; i++)
		if (!p->ca[i].conf.ckn_len && !p->ca[i].asked && !p->ca[i].part)
			return &p->ca[i];
	return p->n_ca < MKAD_MAX_CA ? &p->ca[p->n_ca++] : NULL;
}

bool port_is_qkd(const struct port *p, const struct port_ca *ca)
{
	return p->qkd && ca->src == p->qkd && (ca->qkd_own || ca->looked_up);
}

/* A QKD CA runs on the port, or is being asked for. */
bool port_qkd_in_use(const struct port *p)
{
	int i;

	for (i = 0; i < p->n_ca; i++)
		if (port_is_qkd(p, &p->ca[i]) && (p->ca[i].asked || p->ca[i].part))
			return true;
	return false;
}

/* The principal is no longer: the CP waits, its peers' RX SCs go. */
void port_principal_step_down(struct port *p, const char *why)
{
	participant_set_principal(p->principal, false);
	cp_connect(&p->cp, CP_CONNECT_PENDING, why);
	while (p->cp.n_rxsc)
		cp_peer_gone(&p->cp, p->cp.rxsc[0].sci);
	p->principal = NULL;
}

/* Empties a slot: its participant goes, its request is forgotten. */
void port_drop_ca(struct port *p, struct port_ca *ca, const char *why)
{
	if (ca->asked)
		ca->src->ops->cancel(ca->src, ca);
	if (ca->part) {
		log_info("CA of CKN %s ends: %s", port_ckn_txt(ca->conf.ckn, ca->conf.ckn_len), why);
		if (ca->part == p->principal)
			port_principal_step_down(p, why);
		participant_free(ca->part);
	}
	crypto_wipe(ca, sizeof(*ca));
}


void port_update_principal(struct port *p)
{
	struct participant *best = NULL;
	unsigned int best_gen = 0;
	int i, score, best_score = 0;
	bool handover;

	if (p->qkd)
		port_qkd_track_peers(p);
	/*
	 * Live before not live; among the live, a QKD or EAP CA before a
	 * pre-shared one, and the newest of those (a rollover's, a
	 * re-authentication's) first.
	 */
	for (i = 0; i < p->n_ca; i++) {
		struct participant *q = p->ca[i].part;

		if (!q)
			continue;
		score = participant_n_live(q) ?
			(port_is_qkd(p, &p->ca[i]) || p->ca[i].eap ? 3 : 2) : 1;
		if (score > best_score || (score == 3 && p->ca[i].gen > best_gen)) {
			best = q;
			best_score = score;
			best_gen = p->ca[i].gen;
		}
	}
	if (best == p->principal)
		return;
	/*
	 * From one live CA to another (a rollover, or a hybrid port's QKD CA
	 * taking over): the SAs of the old stay in use, the CP stays as it
	 * is, and the new principal's key server distributes its SAK on the
	 * next AN, as in a rekey: no frame is lost.
	 */
	handover = p->principal && best && participant_n_live(p->principal) &&
		   participant_n_live(best);
	if (handover) {
		log_info("CA handover: the newer CA takes over; the SAs in use stay until its SAK");
		participant_set_principal(p->principal, false);
		p->principal = best;
		participant_set_principal(best, true);
		if (p->qkd)
			loop_timer_at(p->loop, &p->qkd_retire, loop_now(p->loop) + PORT_QKD_OVERLAP);
		return;
	}
	if (p->principal)
		port_principal_step_down(p, "another CA is principal");
	p->principal = best;
	if (best)
		participant_set_principal(best, true);
}

static void on_secy_event(void *ctx, const struct secy_event *ev)
{
	struct port *p = ctx;

	if (p->principal)
		participant_secy_event(p->principal, ev);
}

static void secy_readable(void *ctx, uint32_t events)
{
	struct port *p = ctx;

	(void)events;
	mkad_log_context(p->name);
	/* ENOBUFS shows as EPOLLERR: read_events handles it too */
	p->secy.ops->read_events(&p->secy, on_secy_event, p);
}

static void cp_changed(void *ctx)
{
	struct port *p = ctx;

	if (p->principal)
		sak_cp_changed(p->principal);
}

/*
 * A looked-up CKN's CAK verifies the MKPDU that named it (its ICV, with
 * the ICK of that CAK): else anyone could make the port start CAs, one
 * per random CKN, each holding a slot.
 */
static bool trigger_ok(const struct port_ca *ca, const struct keysrc_cak *cak)
{
	uint8_t ick[MKA_MAX_KEY_LEN];
	bool ok;

	if (!ca->trigger_len)
		return true;	/* the frame was too long to keep: the participant checks */
	ok = !crypto_ick(cak->cak, cak->cak_len, ca->conf.ckn, ca->conf.ckn_len, ick) &&
	     mkpdu_icv_ok(ca->trigger, ca->trigger_len, ick, cak->cak_len);
	crypto_wipe(ick, sizeof(ick));
	return ok;
}

/* A configured CA without its CAK: the port keeps a copy of the rest. */
static void set_ca(struct port_ca *ca, const struct mkad_ca_conf *conf)
{
	ca->conf = *conf;
	crypto_wipe(ca->conf.cak, sizeof(ca->conf.cak));
	ca->conf.cak_len = 0;
}

/* The participant of ca, from conf (which holds the CAK). */
static int start_participant(struct port *p, struct port_ca *ca, const struct mkad_ca_conf *conf)
{
	ca->part = participant_new(p, conf);
	if (!ca->part)
		log_err("cannot start the participant of CKN %s",
			port_ckn_txt(conf->ckn, conf->ckn_len));
	port_update_principal(p);
	return ca->part ? 0 : -1;
}

/* The key source's answer for one CA. */
static void cak_arrived(void *ctx, int err, const struct keysrc_cak *cak)
{
	struct port_ca *ca = ctx;
	struct port *p = ca->port;
	struct mkad_ca_conf conf;
	int i;

	mkad_log_context(p->name);
	ca->asked = false;
	if (err && ca->looked_up && err == -ENOENT) {
		int oldest = 0;

		for (i = 1; i < PORT_NO_CKN; i++)
			if (p->no_ckn[i].at < p->no_ckn[oldest].at)
				oldest = i;
		memcpy(p->no_ckn[oldest].ckn, ca->conf.ckn, ca->conf.ckn_len);
		p->no_ckn[oldest].len = ca->conf.ckn_len;
		p->no_ckn[oldest].at = loop_now(p->loop);
		log_info("key source %s does not know CKN %s: not asked again for %.0f s",
			 ca->src->ops->name, port_ckn_txt(ca->conf.ckn, ca->conf.ckn_len),
			 PORT_NO_CKN_TIME);
		crypto_wipe(ca, sizeof(*ca));
		return;
	}
	if (err && ca->looked_up) {
		log_warn("key source %s: CKN %s not fetched (%s): asked again at a later MKPDU",
			 ca->src->ops->name, port_ckn_txt(ca->conf.ckn, ca->conf.ckn_len),
			 strerror(-err));
		crypto_wipe(ca, sizeof(*ca));
		return;
	}
	if (err && ca->qkd_own) {
		double wait = p->qkd_backoff ? p->qkd_backoff * 2 : 1;

		if (wait > p->qkd_conf.retry_max)
			wait = p->qkd_conf.retry_max;
		p->qkd_backoff = wait;
		if (err == -EACCES)
			log_err("key provider %s refused us or failed verification (TLS, certificate or PSK): a configuration error; trying again in %.0f s",
				ca->src->ops->name, wait);
		else
			log_warn("key provider %s: no new key (%s): trying again in %.0f s",
				 ca->src->ops->name, strerror(-err), wait);
		crypto_wipe(ca, sizeof(*ca));
		loop_timer_at(p->loop, &p->qkd_retry, loop_now(p->loop) + wait);
		return;
	}
	if (err) {
		log_err("key source %s: no CAK for the CA of line %d: %s", ca->src->ops->name,
			ca->conf.lineno, strerror(-err));
		return;
	}
	if (!ca->conf.ckn_len) {
		/* a new key: its ID is the CKN */
		memcpy(ca->conf.ckn, cak->ckn, cak->ckn_len);
		ca->conf.ckn_len = cak->ckn_len;
		p->qkd_backoff = 0;
		p->qkd_rolling = false;
		if (ca->qkd_own && p->qkd_conf.cak_lifetime)
			loop_timer_at(p->loop, &p->qkd_roll,
				      loop_now(p->loop) + p->qkd_conf.cak_lifetime);
	}
	if (ca->looked_up && !trigger_ok(ca, cak)) {
		/* not negative-cached: the real peer may send that CKN next */
		log_warn("the MKPDU that named CKN %s fails its ICV with the key source's CAK: no CA",
			 port_ckn_txt(ca->conf.ckn, ca->conf.ckn_len));
		crypto_wipe(ca, sizeof(*ca));
		return;
	}
	for (i = 0; i < p->n_ca; i++)
		if (&p->ca[i] != ca && p->ca[i].conf.ckn_len == ca->conf.ckn_len &&
		    !memcmp(p->ca[i].conf.ckn, ca->conf.ckn, ca->conf.ckn_len)) {
			log_warn("key source %s gave CKN %s twice: ignored", ca->src->ops->name,
				 port_ckn_txt(ca->conf.ckn, ca->conf.ckn_len));
			crypto_wipe(ca, sizeof(*ca));
			return;
		}
	if (port_is_qkd(p, ca)) {
		ca->gen = ++p->qkd_gen;
		log_info("QKD CA of CKN %s (%s key) starts", port_ckn_txt(ca->conf.ckn, ca->conf.ckn_len),
			 ca->qkd_own ? "our" : "the peer's");
	}
	if (ca->qkd_own && p->qkd_conf.max_cak_age) {
		p->qkd_age_gen = ca->gen;
		loop_timer_at(p->loop, &p->qkd_age, loop_now(p->loop) + p->qkd_conf.max_cak_age);
	}
	/* auto: the peer's key won (lookup_ckn): ours goes */
	if (ca->looked_up && p->qkd)
		for (i = 0; i < p->n_ca; i++)
			if (p->ca[i].qkd_own)
				port_drop_ca(p, &p->ca[i], "the peer's key ID won the tie-break");
	conf = ca->conf;
	memcpy(conf.cak, cak->cak, cak->cak_len);
	conf.cak_len = cak->cak_len;
	start_participant(p, ca, &conf);
	crypto_wipe(&conf, sizeof(conf));
}

struct port_ca *port_find_ca(struct port *p, const uint8_t *ckn, size_t ckn_len)
{
	int i;

	for (i = 0; i < p->n_ca; i++)
		if (p->ca[i].conf.ckn_len == ckn_len && ckn_len &&
		    !memcmp(p->ca[i].conf.ckn, ckn, ckn_len))
			return &p->ca[i];
	return NULL;
}

struct port_ca *port_start_ca(struct port *p, const struct mkad_ca_conf *conf)
{
	struct port_ca *ca;

	mkad_log_context(p->name);
	if (port_find_ca(p, conf->ckn, conf->ckn_len)) {
		log_warn("a CA of CKN %s runs already", port_ckn_txt(conf->ckn, conf->ckn_len));
		return NULL;
	}
	ca = port_free_slot(p);
	if (!ca) {
		log_err("no room for another CA (%d)", MKAD_MAX_CA);
		return NULL;
	}
	set_ca(ca, conf);
	ca->port = p;
	ca->eap = true;
	ca->gen = ++p->qkd_gen;
	log_info("CA of CKN %s starts", port_ckn_txt(conf->ckn, conf->ckn_len));
	if (start_participant(p, ca, conf)) {
		crypto_wipe(ca, sizeof(*ca));
		return NULL;
	}
	return ca;
}

void port_end_ca(struct port *p, const uint8_t *ckn, size_t ckn_len, const char *why)
{
	struct port_ca *ca = port_find_ca(p, ckn, ckn_len);

	mkad_log_context(p->name);
	if (!ca)
		return;
	port_drop_ca(p, ca, why);
	port_update_principal(p);
}

bool port_secured(const struct port *p)
{
	return p->principal && p->principal->secured;
}

void port_ask_cak(struct port *p, struct port_ca *ca)
{
	int rc;

	ca->port = p;
	if (!ca->src)
		ca->src = p->keysrc;
	ca->asked = true;
	rc = keysrc_request(ca->src, ca->conf.ckn, ca->conf.ckn_len, cak_arrived, ca);
	if (rc) {
		ca->asked = false;
		log_err("key source %s: %s", ca->src->ops->name, strerror(-rc));
	}
}

static int check_caps(struct port *p, const struct mkad_conf *conf)
{
	const struct mkad_ca_conf *ca = conf_port_ca(conf);

	/*
	 * An offset the SecY cannot do makes a link that passes nothing:
	 * that is an error at start, named, rather than a silent offset 0.
	 */
	if (ca->conf_offset && !ca->integ_only && p->secy.caps.capability < MKA_CAP_CONF_ALL) {
		log_err("the %s SecY %s does not support confidentiality offset %d; set macsec_conf_offset=0",
			p->secy.ops->name, p->secy.ifname, ca->conf_offset);
		return -1;
	}
	if (ca->offload && !p->secy.caps.offload) {
		log_err("the %s SecY %s cannot be offloaded: macsec_offload needs the macsec backend (-b macsec)",
			p->secy.ops->name, p->secy.ifname);
		return -1;
	}
	if (!(p->secy.caps.suites & cs_bit(ca->cipher_suite))) {
		log_err("the %s SecY %s does not implement %s", p->secy.ops->name,
			p->secy.ifname, cs_name(ca->cipher_suite));
		return -1;
	}
	return 0;
}

int port_open(struct port *p, struct loop *loop, const char *lower, const char *ifname,
	      const char *backend, const struct mkad_conf *conf, struct keysrc *keysrc,
	      const struct port_io *io)
{
	const struct mkad_ca_conf *ca0 = conf_port_ca(conf);
	int i, fd;

	memset(p, 0, sizeof(*p));
	p->loop = loop;
	p->pae_fd = -1;
	p->keysrc = keysrc;
	p->send = io ? io->send : NULL;
	p->send_ctx = io ? io->ctx : NULL;
	snprintf(p->lower, sizeof(p->lower), "%s", lower);
	snprintf(p->name, sizeof(p->name), "%s", ifname);
	mkad_log_context(p->name);
	p->secy.ops = io && io->ops ? io->ops :
		       secy_backend(backend, p->secy.opts, sizeof(p->secy.opts));
	if (!p->secy.ops) {
		log_err("unknown backend %s (vsecy, macsec or log)", backend);
		return -1;
	}
	if (!io) {
		p->ifindex = (int)if_nametoindex(lower);
		if (!p->ifindex) {
			log_err("no device %s", lower);
			return -1;
		}
		if (port_pae_open(p, lower))
			return -1;
	} else {
		memcpy(p->mac, io->mac, 6);
	}
	for (i = 1; i < conf->n_ca; i++)
		if (conf->ca[i].port != ca0->port || conf->ca[i].cipher_suite != ca0->cipher_suite)
			log_warn("network block of line %d: macsec_port and the cipher suite are the port's, those of line %d apply",
				 conf->ca[i].lineno, ca0->lineno);
	p->port_id = ca0->port;
	p->sci = secy_make_sci(p->mac, p->port_id);
	snprintf(p->secy.ifname, sizeof(p->secy.ifname), "%s", ifname);
	snprintf(p->secy.lower, sizeof(p->secy.lower), "%s", lower);
	p->secy.lower_ifindex = p->ifindex;
	memcpy(p->secy.mac, p->mac, 6);
	p->secy.port = p->port_id;
	p->secy.sci = p->sci;
	p->secy.offload = ca0->offload;
	if (p->secy.ops->create(&p->secy)) {
		log_err("cannot set up the SecY %s on %s", ifname, lower);
		return -1;
	}
	if (check_caps(p, conf))
		return -1;
	cp_init(&p->cp, loop, &p->secy, cp_changed, p);
	cp_set_local(&p->cp, ca0->replay_protect, ca0->replay_window, ca0->include_sci);
	cp_connect(&p->cp, CP_CONNECT_PENDING, "no live peer");
	fd = p->secy.ops->event_fd ? p->secy.ops->event_fd(&p->secy) : -1;
	if (fd >= 0)
		loop_add_fd(loop, &p->secy_ev, fd, EPOLLIN, secy_readable, p);
	else
		log_info("the %s SecY has no PN events: %s", p->secy.ops->name,
			 p->secy.caps.tx_pn ? "reading the TX PN every hello time" :
			 "no rekey at the PN threshold");
	p->n_ca = conf->n_ca;
	for (i = 0; i < conf->n_ca; i++) {
		set_ca(&p->ca[i], &conf->ca[i]);
		port_ask_cak(p, &p->ca[i]);
	}
	return 0;
}

void port_close(struct port *p)
{
	int i;

	mkad_log_context(p->name);
	for (i = 0; i < p->n_ca; i++) {
		if (p->ca[i].asked)
			p->ca[i].src->ops->cancel(p->ca[i].src, &p->ca[i]);
		participant_free(p->ca[i].part);
		p->ca[i].part = NULL;
	}
	p->principal = NULL;
	loop_timer_stop(p->loop, &p->qkd_retry);
	loop_timer_stop(p->loop, &p->qkd_stale);
	loop_timer_stop(p->loop, &p->qkd_roll);
	loop_timer_stop(p->loop, &p->qkd_retire);
	loop_timer_stop(p->loop, &p->qkd_age);
	if (p->secy.priv) {
		cp_shutdown(&p->cp);
		p->secy.ops->destroy(&p->secy);
	}
	loop_del_fd(p->loop, &p->secy_ev);
	loop_del_fd(p->loop, &p->pae);
	if (p->pae_fd >= 0)
		close(p->pae_fd);
	p->pae_fd = -1;
	crypto_wipe(p->ca, sizeof(p->ca));
}

/*
 * SIGHUP. A CA whose CKN is new is asked for; one no longer configured
 * goes; a new CAK for a CKN restarts its participant. A new macsec_port
 * (SCI) takes the SAs and RX SCs away and sets the SecY's SCI first, so
 * that MKPDUs and frames never carry two SCIs. Other settings apply to
 * the next SAK.
 */
int port_reconfigure(struct port *p, const struct mkad_conf *conf)
{
	const struct mkad_ca_conf *ca0 = conf_port_ca(conf);
	struct port_ca old[MKAD_MAX_CA];
	int n_old = p->n_ca, i, j;

	mkad_log_context(p->name);
	/* answers on their way are for slots about to be reused: ask again */
	for (i = 0; i < p->n_ca; i++)
		if (p->ca[i].asked) {
			p->ca[i].src->ops->cancel(p->ca[i].src, &p->ca[i]);
			p->ca[i].asked = false;
		}
	cp_set_local(&p->cp, ca0->replay_protect, ca0->replay_window, ca0->include_sci);
	if (ca0->port != p->port_id) {
		uint64_t sci = secy_make_sci(p->mac, ca0->port);

		log_info("configuration: macsec_port %u: SCI %016" PRIx64 ", restarting the participants",
			 ca0->port, sci);
		for (i = 0; i < p->n_ca; i++)
			if (p->ca[i].part)
				participant_restart(p->ca[i].part, "the SCI changes");
		if (cp_set_sci(&p->cp, sci, ca0->port))
			return -1;
		p->port_id = ca0->port;
		p->sci = sci;
	}
	memcpy(old, p->ca, sizeof(old));
	memset(p->ca, 0, sizeof(p->ca));
	p->n_ca = conf->n_ca;
	for (i = 0; i < conf->n_ca; i++) {
		const struct mkad_ca_conf *c = &conf->ca[i];

		set_ca(&p->ca[i], c);
		p->ca[i].port = p;
		for (j = 0; j < n_old; j++)
			if (old[j].conf.ckn_len == c->ckn_len &&
			    !memcmp(old[j].conf.ckn, c->ckn, c->ckn_len))
				break;
		if (j < n_old && old[j].part &&
		    old[j].part->conf.cak_len == c->cak_len &&
		    !crypto_memcmp(old[j].part->conf.cak, c->cak, c->cak_len)) {
			p->ca[i].part = old[j].part;
			old[j].part = NULL;
			participant_reconfigure(p->ca[i].part, c);
			continue;
		}
		log_info("configuration: %s CA (line %d): asking the key source",
			 j < n_old ? "new CAK for a" : "new", c->lineno);
		port_ask_cak(p, &p->ca[i]);
	}
	for (j = 0; j < n_old; j++) {
		/* a CA a key source gave for an MKPDU's CKN, a QKD key, an EAP CA stays */
		if (old[j].part && (old[j].looked_up || old[j].qkd_own || old[j].eap) &&
		    p->n_ca < MKAD_MAX_CA) {
			p->ca[p->n_ca] = old[j];
			p->ca[p->n_ca++].port = p;
			old[j].part = NULL;
			continue;
		}
		if (old[j].part) {
			if (old[j].part == p->principal) {
				participant_restart(old[j].part, "its CA is no longer configured");
				p->principal = NULL;
			}
			participant_free(old[j].part);
		}
	}
	crypto_wipe(old, sizeof(old));
	port_update_principal(p);
	/* a new key asked for was cancelled above: ask again */
	if (p->qkd && p->qkd_conf.role != MKAD_QKD_RESPONDER && !p->qkd_retry.armed &&
	    !port_qkd_in_use(p))
		port_qkd_initiate(p);
	return 0;
}
