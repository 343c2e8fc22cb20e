// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the 802.1X supplicant of a port (port_supp.h): the PAE's
 * callbacks and the CAs that EAP gives the port (port_eap.h: CAK and
 * CKN as the access device derives them).
 */
#include <stdio.h>
#include <openssl/ssl.h>

#include "log.h"
#include "port.h"
#include "port_supp.h"
#include "secmem.h"

static int send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct port_supp *s = ctx;

	return port_send(s->port, frame, len);
}

static void authenticated(void *ctx, const struct supp_keys *k)
{
	struct port_supp *s = ctx;

	mkad_log_context(s->port->name);
	if (port_eap_ca_start(&s->ca, k->msk, sizeof(k->msk), k->session_id, k->session_id_len,
			      k->auth_mac) < 0)
		log_err("802.1X supplicant: no CAK from the EAP keys");
}

static void ended(void *ctx, enum supp_end why)
{
	struct port_supp *s = ctx;

	mkad_log_context(s->port->name);
	port_eap_ca_end(&s->ca, why == SUPP_END_FAILURE ?
			"802.1X session ended (authentication failed)" :
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
		.domain_suffix_match = c->domain_suffix_match, .domain_match = c->domain_match,
	};
	struct pae_supp_conf pc;
	bool running;
	char err[256];

	if (!s)
		return NULL;
	s->port = p;
	port_eap_ca_init(&s->ca, p, &c->tmpl, PORT_SUPP_OVERLAP, "802.1X supplicant",
			 "with authenticator");
	s->ca.tmpl.never_ks = true;
	s->ca.tmpl.obliged_ks = false;
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
	s->link = link_watch_port(p->loop, p->ifindex, p->lower, link_changed, s, &running);
	if (running)
		pae_supp_link(s->pae, true);
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
	port_eap_ca_end(&s->ca, "802.1X supplicant stops");
	eap_tls_free(s->tls);
	crypto_wipe(s, sizeof(*s));
	secmem_free(s, sizeof(*s));
}

void port_supp_rx(struct port_supp *s, const uint8_t *frame, size_t len)
{
	pae_supp_rx(s->pae, frame, len);
}
