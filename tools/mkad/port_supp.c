// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the 802.1X supplicant of a port (port_supp.h): the PAE's
 * callbacks and the CAs that EAP gives the port. Keys as the access
 * device derives them (port_auth.c): crypto_eap_cak_ckn with the MSK's
 * first 16 octets, the Session-Id and both MACs in ascending order, so
 * that both ends have the same CAK and CKN. Nothing of the MSK or CAK is
 * kept here once the participant has its copy.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/ssl.h>

#include "log.h"
#include "port.h"
#include "port_supp.h"
#include "secmem.h"
#include "util.h"

static int send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct port_supp *s = ctx;

	return port_send(s->port, frame, len);
}

/* The replaced CA ends once the new one is secured, or after the overlap. */
static void retire_old(void *ctx, double now)
{
	struct port_supp *s = ctx;
	struct port_ca *ca;

	if (!s->have_old)
		return;
	ca = port_find_ca(s->port, s->ckn, sizeof(s->ckn));
	if ((!ca || !ca->part || !ca->part->secured) && now < s->new_at + PORT_SUPP_OVERLAP) {
		loop_timer_at(s->port->loop, &s->retire, now + 0.2);
		return;
	}
	s->have_old = false;
	port_end_ca(s->port, s->old_ckn, sizeof(s->old_ckn),
		    "re-authenticated: the new CA took over");
}

static void authenticated(void *ctx, const struct supp_keys *k)
{
	struct port_supp *s = ctx;
	struct port *p = s->port;
	struct mkad_ca_conf conf = s->tmpl;
	char ckn[2 * MKA_EAP_KEY_LEN + 1];

	mkad_log_context(p->name);
	if (crypto_eap_cak_ckn(k->msk, sizeof(k->msk), k->session_id, k->session_id_len,
			       p->mac, k->auth_mac, conf.cak, conf.ckn)) {
		log_err("802.1X supplicant: no CAK from the EAP keys");
		crypto_wipe(&conf, sizeof(conf));
		return;
	}
	conf.cak_len = conf.ckn_len = MKA_EAP_KEY_LEN;
	hex_str(ckn, conf.ckn, MKA_EAP_KEY_LEN);
	log_info("802.1X supplicant: CA of CKN %s with authenticator %02x:%02x:%02x:%02x:%02x:%02x",
		 ckn, k->auth_mac[0], k->auth_mac[1], k->auth_mac[2], k->auth_mac[3],
		 k->auth_mac[4], k->auth_mac[5]);
	if (s->have_ca && !memcmp(s->ckn, conf.ckn, sizeof(s->ckn))) {
		crypto_wipe(&conf, sizeof(conf));
		return;
	}
	if (s->have_old)
		port_end_ca(p, s->old_ckn, sizeof(s->old_ckn), "replaced again");
	if (!port_start_ca(p, &conf)) {
		crypto_wipe(&conf, sizeof(conf));
		return;
	}
	if (s->have_ca) {
		memcpy(s->old_ckn, s->ckn, sizeof(s->ckn));
		s->have_old = true;
		s->new_at = loop_now(p->loop);
		loop_timer_at(p->loop, &s->retire, s->new_at + 0.2);
	}
	memcpy(s->ckn, conf.ckn, sizeof(s->ckn));
	s->have_ca = true;
	crypto_wipe(&conf, sizeof(conf));
}

static void end_cas(struct port_supp *s, const char *why)
{
	loop_timer_stop(s->port->loop, &s->retire);
	if (s->have_old)
		port_end_ca(s->port, s->old_ckn, sizeof(s->old_ckn), why);
	if (s->have_ca)
		port_end_ca(s->port, s->ckn, sizeof(s->ckn), why);
	s->have_old = s->have_ca = false;
	crypto_wipe(s->ckn, sizeof(s->ckn));
	crypto_wipe(s->old_ckn, sizeof(s->old_ckn));
}

static void ended(void *ctx, enum supp_end why)
{
	struct port_supp *s = ctx;

	mkad_log_context(s->port->name);
	end_cas(s, why == SUPP_END_FAILURE ? "802.1X session ended (authentication failed)" :
		why == SUPP_END_LINK_DOWN ? "802.1X session ended (link down)" :
		"802.1X session ended (shutting down)");
}

static const struct pae_supp_ops pae_ops = {
	.send = send_frame,
	.authenticated = authenticated,
	.ended = ended,
};

void port_supp_link(struct port_supp *s, enum link_state st)
{
	mkad_log_context(s->port->name);
	if (st == LINK_RUNNING)
		log_info("link on %s up: 802.1X supplicant starts", s->port->lower);
	else
		log_info("link on %s down: %s", s->port->lower, link_state_name(st));
	pae_supp_link(s->pae, st == LINK_RUNNING);
}

static void link_changed(void *ctx, enum link_state st)
{
	port_supp_link(ctx, st);
}

struct port_supp *port_supp_new(struct port *p, const struct mkad_supp_conf *c)
{
	struct port_supp *s = secmem_alloc(sizeof(*s));
	struct eap_tls_conf tc = {
		.ca_cert = c->ca_cert, .client_cert = c->client_cert,
		.private_key = c->private_key, .private_key_passwd = c->private_key_passwd,
		.frag_size = c->fragment_size,
		.max_version = c->no_tls13 ? TLS1_2_VERSION : TLS1_3_VERSION,
	};
	struct pae_supp_conf pc;
	char err[256];

	if (!s)
		return NULL;
	s->port = p;
	s->tmpl = c->tmpl;
	s->tmpl.never_ks = true;
	s->tmpl.obliged_ks = false;
	loop_timer_init(&s->retire, retire_old, s);
	s->tls = eap_tls_new(&tc, err, sizeof(err));
	if (!s->tls) {
		log_err("802.1X supplicant on %s: %s", p->lower, err);
		port_supp_free(s);
		return NULL;
	}
	pae_supp_conf_init(&pc);
	pc.eapol_version = c->eapol_version;
	snprintf(pc.identity, sizeof(pc.identity), "%s", c->identity);
	pc.held_period = c->held_period;
	pc.start_period = c->start_period;
	s->pae = pae_supp_new(p->loop, p->mac, &pc, s->tls, &pae_ops, s);
	if (!s->pae) {
		log_err("802.1X supplicant on %s: cannot start", p->lower);
		port_supp_free(s);
		return NULL;
	}
	p->supp = s;
	log_info("802.1X supplicant on %s, EAP-TLS as \"%s\"", p->lower, c->identity);
	if (p->ifindex > 0)
		s->link = link_watch_new(p->loop, p->ifindex, p->lower, link_changed, s);
	if (!s->link)
		log_warn("link on %s not watched: 802.1X takes it to be up", p->lower);
	if (!s->link || link_watch_state(s->link) == LINK_RUNNING)
		pae_supp_link(s->pae, true);
	else
		log_info("link on %s down: %s; 802.1X waits for it",
			 p->lower, link_state_name(link_watch_state(s->link)));
	return s;
}

void port_supp_free(struct port_supp *s)
{
	if (!s)
		return;
	if (s->port->supp == s)
		s->port->supp = NULL;
	link_watch_free(s->link);
	if (s->pae)
		pae_supp_free(s->pae);	/* Logoff, ended(CLOSED): the CAs go */
	end_cas(s, "802.1X supplicant stops");
	eap_tls_free(s->tls);
	crypto_wipe(s, sizeof(*s));
	secmem_free(s, sizeof(*s));
}

void port_supp_rx(struct port_supp *s, const uint8_t *frame, size_t len)
{
	pae_supp_rx(s->pae, frame, len);
}
