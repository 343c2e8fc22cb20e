// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the CAs that EAP gives a port (port_eap.h): the handover
 * from a session's CA to the one of its re-authentication, for the
 * authenticator (port_auth.c) and the supplicant (port_supp.c) alike.
 */
#include <string.h>

#include "log.h"
#include "port.h"
#include "port_eap.h"
#include "util.h"

/* The replaced CA ends once the new one is secured, or after the overlap. */
static void retire_old(void *ctx, double now)
{
	struct port_eap_ca *e = ctx;
	struct port_ca *ca;

	if (!e->have_old)
		return;
	ca = port_find_ca(e->port, e->ckn, sizeof(e->ckn));
	if ((!ca || !ca->part || !ca->part->secured) && now < e->new_at + e->overlap) {
		loop_timer_at(e->port->loop, &e->retire, now + 0.2);
		return;
	}
	e->have_old = false;
	port_end_ca(e->port, e->old_ckn, sizeof(e->old_ckn),
		    "re-authenticated: the new CA took over");
}

void port_eap_ca_init(struct port_eap_ca *e, struct port *p, const struct mkad_ca_conf *tmpl,
		      double overlap, const char *what, const char *peer)
{
	e->port = p;
	e->tmpl = *tmpl;
	e->overlap = overlap;
	e->what = what;
	e->peer = peer;
	e->have_ca = e->have_old = false;
	loop_timer_init(&e->retire, retire_old, e);
}

int port_eap_ca_start(struct port_eap_ca *e, const uint8_t *msk, size_t msk_len,
		      const uint8_t *sid, size_t sid_len, const uint8_t peer_mac[6])
{
	struct port *p = e->port;
	struct mkad_ca_conf conf = e->tmpl;
	char ckn[2 * MKA_EAP_KEY_LEN + 1];
	int ret = 0;

	if (crypto_eap_cak_ckn(msk, msk_len, sid, sid_len, p->mac, peer_mac, conf.cak, conf.ckn)) {
		crypto_wipe(&conf, sizeof(conf));
		return -1;
	}
	conf.cak_len = conf.ckn_len = MKA_EAP_KEY_LEN;
	hex_str(ckn, conf.ckn, MKA_EAP_KEY_LEN);
	log_info("%s: CA of CKN %s %s %02x:%02x:%02x:%02x:%02x:%02x", e->what, ckn, e->peer,
		 peer_mac[0], peer_mac[1], peer_mac[2], peer_mac[3], peer_mac[4], peer_mac[5]);
	if (e->have_ca && !memcmp(e->ckn, conf.ckn, sizeof(e->ckn)))
		goto out;	/* the same keys again: the CA goes on */
	if (e->have_old)	/* a third CA before the second took over */
		port_end_ca(p, e->old_ckn, sizeof(e->old_ckn), "replaced again");
	if (!port_start_ca(p, &conf))
		goto out;
	if (e->have_ca) {
		memcpy(e->old_ckn, e->ckn, sizeof(e->ckn));
		e->have_old = true;
		e->new_at = loop_now(p->loop);
		loop_timer_at(p->loop, &e->retire, e->new_at + 0.2);
	}
	memcpy(e->ckn, conf.ckn, sizeof(e->ckn));
	e->have_ca = true;
	ret = 1;
out:
	crypto_wipe(&conf, sizeof(conf));
	return ret;
}

bool port_eap_ca_end(struct port_eap_ca *e, const char *why)
{
	bool had = e->have_ca || e->have_old;

	loop_timer_stop(e->port->loop, &e->retire);
	if (e->have_old)
		port_end_ca(e->port, e->old_ckn, sizeof(e->old_ckn), why);
	if (e->have_ca)
		port_end_ca(e->port, e->ckn, sizeof(e->ckn), why);
	e->have_old = e->have_ca = false;
	crypto_wipe(e->ckn, sizeof(e->ckn));
	crypto_wipe(e->old_ckn, sizeof(e->old_ckn));
	return had;
}

void port_eap_ca_fini(struct port_eap_ca *e)
{
	loop_timer_stop(e->port->loop, &e->retire);
}
