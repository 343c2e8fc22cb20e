// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: STATUS, one JSON object per port; its members are listed
 * in ctrl.c. Strings are escaped (an interface name may hold a quote);
 * no key is ever written, only key identifiers (KI: key server MI | KN).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cs.h"
#include "port.h"
#include "port_auth.h"
#include "port_supp.h"
#include "status.h"
#include "util.h"

struct jbuf {
	char *p;
	size_t size, n;
	bool overflow;
};

static void jp(struct jbuf *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void jp(struct jbuf *j, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (j->overflow)
		return;
	va_start(ap, fmt);
	r = vsnprintf(j->p + j->n, j->size - j->n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= j->size - j->n)
		j->overflow = true;
	else
		j->n += (size_t)r;
}

/* "key":"value", escaped (RFC 8259 7), and a comma. */
static void jstr(struct jbuf *j, const char *key, const char *v)
{
	jp(j, "\"%s\":\"", key);
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '"' || c == '\\')
			jp(j, "\\%c", c);
		else if (c < 0x20)
			jp(j, "\\u%04x", c);
		else
			jp(j, "%c", c);
	}
	jp(j, "\",");
}

/* Takes the last comma back. */
static void uncomma(struct jbuf *j)
{
	if (!j->overflow && j->n && j->p[j->n - 1] == ',')
		j->n--;
}

static const char *tf(bool b)
{
	return b ? "true" : "false";
}

static void j_sak(struct jbuf *j, const char *name, const struct sak *s)
{
	char ki[33];

	if (!s->valid) {
		jp(j, "\"%s\":null,", name);
		return;
	}
	sak_ki_txt(s, ki);
	jp(j, "\"%s\":{\"ki\":\"%s\",\"kn\":%u,\"an\":%u,\"rx\":%s,\"tx\":%s", name, ki,
	   s->kn, s->an, tf(s->rx), tf(s->tx));
	if (cs_is_xpn(s->cs))
		jp(j, ",\"ssci\":%u", s->own_ssci);
	jp(j, "},");
}

static void j_peers(struct jbuf *j, const struct participant *q, bool live, double now)
{
	char mi[2 * MKA_MI_LEN + 1];
	int i, first = 1;

	jp(j, "\"%s\":[", live ? "live_peers" : "potential_peers");
	for (i = 0; q && i < q->n_peers; i++) {
		const struct peer *e = &q->peers[i];

		if (e->live != live)
			continue;
		hex_str(mi, e->mi, MKA_MI_LEN);
		jp(j, "%s{\"sci\":\"%016" PRIx64 "\",\"mi\":\"%s\",\"mn\":%u,"
		   "\"priority\":%u,\"key_server\":%s,\"version\":%u,\"capability\":%u,"
		   "\"desired\":%s,\"expires_in\":%.1f}",
		   first ? "" : ",", e->sci, mi, e->mn, e->priority, tf(e->key_server),
		   e->version, e->cap, tf(e->desired), e->expire - now);
		first = 0;
	}
	jp(j, "],");
}

static void j_error(struct jbuf *j, const char *name, const struct cp_error *e, bool set)
{
	if (!set) {
		jp(j, "\"%s\":null,", name);
		return;
	}
	jp(j, "\"%s\":{", name);
	jstr(j, "what", e->what);
	jstr(j, "error", strerror(e->err));
	jp(j, "\"count\":%" PRIu64 "},", e->count);
}

static void j_port(struct jbuf *j, const struct port *p)
{
	const struct cp *cp = &p->cp;
	int i, first = 1;

	jp(j, "\"controlled_port\":{\"connect\":\"%s\",\"state\":\"%s\",",
	   cp_connect_name(cp->connect), cp_state_name(cp->state));
	jstr(j, "why", cp->why);
	uncomma(j);
	jp(j, "},\"secy\":{\"capability\":%u,\"suites\":[", p->secy.caps.capability);
	for (i = 0; i < CS_COUNT; i++)
		if (p->secy.caps.suites & (1u << i)) {
			jp(j, "%s\"%s\"", first ? "" : ",", cs_table[i].name);
			first = 0;
		}
	jp(j, "],\"events\":%s,", tf(p->secy.caps.events));
	j_error(j, "error", &cp->err, cp->failing);
	j_error(j, "last_error", &cp->last_err, cp->errors > 0);
	uncomma(j);
	jp(j, "},");
}

static void j_participants(struct jbuf *j, const struct port *p)
{
	char ckn[2 * MKA_MAX_CKN_LEN + 1], mi[2 * MKA_MI_LEN + 1];
	int i;

	jp(j, "\"participants\":[");
	for (i = 0; i < p->n_ca; i++) {
		const struct participant *q = p->ca[i].part;

		if (!p->ca[i].conf.ckn_len)
			continue;

		hex_str(ckn, p->ca[i].conf.ckn, p->ca[i].conf.ckn_len);
		if (q)
			hex_str(mi, q->mi, MKA_MI_LEN);
		jp(j, "{\"ckn\":\"%s\",\"state\":\"%s\",\"mi\":\"%s\",\"principal\":%s,"
		   "\"live_peers\":%d},", ckn,
		   q ? "running" : "waiting for the key source", q ? mi : "",
		   tf(q && q->principal), q ? participant_n_live(q) : 0);
	}
	uncomma(j);
	jp(j, "],");
}

/*
 * An 802.1X end (j_auth, j_supp): the object's name and first members,
 * the state, the other end's MAC (m, if known: in member peer), the
 * identity and the EAP method.
 */
static void j_eap_begin(struct jbuf *j, const char *name, const char *state, const char *peer,
			const uint8_t *m, const char *identity, int eap_method)
{
	jp(j, "\"%s\":{", name);
	jstr(j, "state", state);
	if (m)
		jp(j, "\"%s\":\"%02x:%02x:%02x:%02x:%02x:%02x\",", peer,
		   m[0], m[1], m[2], m[3], m[4], m[5]);
	jstr(j, "identity", identity);
	jstr(j, "eap_method", eap_method ? pae_eap_type_name(eap_method) : "");
}

/* ... and after the end's own members: how long authenticated, the session's CKN. */
static void j_eap_ca(struct jbuf *j, bool authorized, double since, const struct port_eap_ca *e,
		     double now)
{
	char ckn[2 * MKA_EAP_KEY_LEN + 1] = "";

	if (authorized)
		jp(j, "\"authenticated_for\":%.1f,", now - since);
	if (e->have_ca)
		hex_str(ckn, e->ckn, sizeof(e->ckn));
	jstr(j, "ckn", ckn);
}

/* The access device's 802.1X authenticator (port_auth.h). */
static void j_auth(struct jbuf *j, const struct port_auth *a, double now)
{
	const struct radius_counters *rc = radius_counters(a->radius);
	const struct pae_counters *pc = pae_auth_counters(a->pae);
	struct pae_auth_status st;

	pae_auth_status(a->pae, &st);
	j_eap_begin(j, "authenticator", st.state, "supplicant", st.have_supp ? st.supp_mac : NULL,
		    st.identity, st.eap_method);
	jstr(j, "radius_server", a->server);
	j_eap_ca(j, st.authorized, st.authenticated_since, &a->ca, now);
	jp(j, "\"counters\":{\"rx_eapol\":%" PRIu64 ",\"rx_start\":%" PRIu64
	   ",\"rx_logoff\":%" PRIu64 ",\"rx_malformed\":%" PRIu64
	   ",\"rx_other_supplicant\":%" PRIu64 ",\"rx_bad_id\":%" PRIu64
	   ",\"auth_success\":%" PRIu64 ",\"auth_fail\":%" PRIu64
	   ",\"auth_timeout\":%" PRIu64 ",\"logoff_ignored\":%" PRIu64
	   ",\"radius_requests\":%" PRIu64 ",\"radius_retransmits\":%" PRIu64
	   ",\"radius_timeouts\":%" PRIu64 ",\"radius_bad_authenticator\":%" PRIu64
	   ",\"radius_bad_msg_auth\":%" PRIu64 ",\"radius_malformed\":%" PRIu64 "}},",
	   pc->rx_eapol, pc->rx_start, pc->rx_logoff, pc->rx_malformed, pc->rx_other_supp,
	   pc->rx_bad_id, pc->auth_success, pc->auth_fail, pc->auth_timeout,
	   pc->logoff_ignored, rc->requests, rc->retransmits, rc->timeouts,
	   rc->bad_authenticator, rc->bad_msg_auth, rc->malformed);
}

/* The 802.1X supplicant (port_supp.h). */
static void j_supp(struct jbuf *j, const struct port_supp *s, double now)
{
	const struct pae_supp_counters *c = pae_supp_counters(s->pae);
	struct pae_supp_status st;

	pae_supp_status(s->pae, &st);
	j_eap_begin(j, "supplicant", st.state, "authenticator", st.have_auth ? st.auth_mac : NULL,
		    st.identity, st.eap_method);
	jstr(j, "tls_version", st.tls_version);
	j_eap_ca(j, st.authorized, st.authenticated_since, &s->ca, now);
	jp(j, "\"counters\":{\"rx_eapol\":%" PRIu64 ",\"rx_req\":%" PRIu64
	   ",\"rx_retrans\":%" PRIu64 ",\"rx_malformed\":%" PRIu64
	   ",\"rx_other_authenticator\":%" PRIu64 ",\"rx_unexpected\":%" PRIu64
	   ",\"rx_ignored\":%" PRIu64 ",\"rx_held\":%" PRIu64 ",\"tx_eapol\":%" PRIu64
	   ",\"tx_start\":%" PRIu64 ",\"tx_logoff\":%" PRIu64
	   ",\"auth_success\":%" PRIu64 ",\"auth_fail\":%" PRIu64
	   ",\"auth_timeout\":%" PRIu64 "}},",
	   c->rx_eapol, c->rx_req, c->rx_retrans, c->rx_malformed, c->rx_other_auth,
	   c->rx_unexpected, c->rx_ignored, c->rx_held, c->tx_eapol, c->tx_start,
	   c->tx_logoff, c->auth_success, c->auth_fail, c->auth_timeout);
}

/*
 * The settings STATUS shows: the principal's; with none, those the port's
 * CAs are made with (EAP's, a key provider's), else its first configured
 * CA's (a slot that an ended CA left is wiped: no cipher suite, no
 * policy).
 */
static const struct mkad_ca_conf *settings(const struct port *p)
{
	int i;

	if (p->principal)
		return &p->principal->conf;
	if (p->auth)
		return &p->auth->ca.tmpl;
	if (p->supp)
		return &p->supp->ca.tmpl;
	for (i = 0; i < p->n_ca; i++)
		if (p->ca[i].conf.ckn_len)
			return &p->ca[i].conf;
	return p->qkd ? &p->qkd_conf.tmpl : &p->ca[0].conf;
}

int status_json(const struct port *p, char *buf, size_t size, double now)
{
	struct jbuf j = { .p = buf, .size = size };
	const struct participant *q = p->principal;
	const struct mkad_ca_conf *c = settings(p);
	const struct cp *cp = &p->cp;
	const struct sak *cur = cp->latest.valid ? &cp->latest : &cp->old;
	const struct mka_counters *n = q ? &q->cnt : NULL;
	const struct port_counters *pc = &p->cnt;
	char ckn[2 * MKA_MAX_CKN_LEN + 1], mi[2 * MKA_MI_LEN + 1] = "";

	hex_str(ckn, c->ckn, c->ckn_len);
	if (q)
		hex_str(mi, q->mi, MKA_MI_LEN);
	jp(&j, "{");
	jstr(&j, "ifname", p->name);
	jstr(&j, "lower", p->lower);
	jstr(&j, "backend", p->secy.ops->name);
	jp(&j, "\"ckn\":\"%s\",\"sci\":\"%016" PRIx64 "\",\"mi\":\"%s\",\"mn\":%u,"
	   "\"priority\":%u,\"mka_version\":%u,\"policy\":\"%s\",", ckn, p->sci, mi,
	   q ? q->mn : 0, c->priority, c->mka_version,
	   c->policy == MKAD_POLICY_MUST ? "must secure" : "should secure");
	if (q && q->elected)
		jp(&j, "\"key_server\":{\"self\":%s,\"sci\":\"%016" PRIx64 "\",\"priority\":%u},",
		   tf(q->is_ks), q->ks_sci, q->ks_priority);
	else
		jp(&j, "\"key_server\":null,");
	jp(&j, "\"cipher_suite\":\"%s\",", cs_name(cur->valid ? cur->cs : c->cipher_suite));
	if (cur->valid)
		jp(&j, "\"confidentiality\":%s,\"offset\":%d,", tf(cur->co != MKA_CO_NONE),
		   cur->co == MKA_CO_30 ? 30 : cur->co == MKA_CO_50 ? 50 : 0);
	jp(&j, "\"secured\":%s,", tf(q && q->secured && !cp->failing));
	if (q && q->secured)
		jp(&j, "\"secured_after\":%.2f,", q->secured_at - q->started_at);
	j_sak(&j, "latest_sak", &cp->latest);
	j_sak(&j, "old_sak", &cp->old);
	jp(&j, "\"current_an\":%d,", cp->latest.tx ? cp->latest.an :
	   cp->old.tx ? cp->old.an : -1);
	j_peers(&j, q, true, now);
	j_peers(&j, q, false, now);
	j_port(&j, p);
	if (p->auth)
		j_auth(&j, p->auth, now);
	if (p->supp)
		j_supp(&j, p->supp, now);
	j_participants(&j, p);
	jp(&j, "\"counters\":{\"tx_mkpdu\":%" PRIu64 ",\"rx_mkpdu\":%" PRIu64
	   ",\"rx_bad_icv\":%" PRIu64 ",\"rx_bad_len\":%" PRIu64
	   ",\"rx_bad_format\":%" PRIu64 ",\"rx_unknown_ckn\":%" PRIu64
	   ",\"rx_stale\":%" PRIu64 ",\"rx_bad_dst\":%" PRIu64
	   ",\"rx_replay\":%" PRIu64 ",\"rx_same_sci\":%" PRIu64
	   ",\"rx_eapol_other\":%" PRIu64 ",\"peers_evicted\":%" PRIu64
	   ",\"saks_generated\":%" PRIu64 ",\"saks_received\":%" PRIu64
	   ",\"saks_refused\":%" PRIu64 ",\"secy_errors\":%" PRIu64
	   ",\"rejoins\":%" PRIu64 "}}",
	   n ? n->tx_mkpdu : 0, pc->rx_mkpdu, n ? n->rx_bad_icv : 0, pc->rx_bad_len,
	   pc->rx_bad_format + (n ? n->rx_bad_format : 0), pc->rx_unknown_ckn,
	   n ? n->rx_stale : 0, pc->rx_bad_dst, n ? n->rx_replay : 0,
	   n ? n->rx_same_sci : 0, pc->rx_eapol_other, n ? n->peers_evicted : 0,
	   n ? n->saks_generated : 0, n ? n->saks_received : 0,
	   n ? n->saks_refused : 0, cp->errors, n ? n->rejoins : 0);
	return j.overflow ? -1 : (int)j.n;
}
