// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the access device of client-oriented mode (port_auth.h):
 * the PAE's callbacks, the RADIUS exchange behind them, and the CAs that
 * EAP gives the port.
 *
 * RADIUS: every EAP-Response of the supplicant is one Access-Request
 * (with the State of the exchange's last Access-Challenge); the PAE has
 * one exchange at a time, so the client has at most one request, whose
 * answer goes back to the PAE. A new exchange forgets the State.
 *
 * Keys: the MSK (MS-MPPE-Recv-Key | MS-MPPE-Send-Key) and the EAP
 * Session-Id (EAP-Key-Name) give the CA (port_eap.h), shared with the
 * supplicant's participant.
 *
 * The link (link.h): the PAE is told when the lower device starts or
 * stops running; at start it is told up only if the device runs then
 * (or cannot be watched: then it is taken to be up for good).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "port.h"
#include "port_auth.h"
#include "secmem.h"

static void release_accept(void *ctx, double now)
{
	struct port_auth *a = ctx;

	(void)now;
	if (!a->held)
		return;
	mkad_log_context(a->port->name);
	a->held = false;
	pae_auth_server_answer(a->pae, PAE_SRV_ACCEPT, a->held_eap, a->held_eap_len,
			       a->held_have_msk ? a->held_msk : NULL,
			       a->held_have_msk ? sizeof(a->held_msk) : 0,
			       a->held_sid, a->held_sid_len);
	crypto_wipe(a->held_msk, sizeof(a->held_msk));
}

static void drop_held(struct port_auth *a)
{
	a->held = false;
	loop_timer_stop(a->port->loop, &a->hold);
	crypto_wipe(a->held_msk, sizeof(a->held_msk));
}

/*
 * PORT_AUTH_WPA_QUIET: an Accept that starts a new CA within that time of
 * the last CA's end (or that replaces a CA: which ends now) waits.
 * Returns true if it was held.
 */
static bool hold_accept(struct port_auth *a, const struct radius_reply *rep)
{
	struct loop *l = a->port->loop;
	double now = loop_now(l), at;

	if (!a->ca.tmpl.wpa_compat || rep->eap_len > sizeof(a->held_eap) ||
	    rep->key_name_len > sizeof(a->held_sid))
		return false;
	if (a->ca.have_ca) {
		port_end_ca(a->port, a->ca.ckn, sizeof(a->ca.ckn),
			    "re-authenticated: the old CA ends before the new one (mka_wpa_compat)");
		a->ca.have_ca = false;
		a->ended_at = now;
	}
	at = a->ended_at ? a->ended_at + PORT_AUTH_WPA_QUIET : 0;
	if (at <= now)
		return false;
	log_info("802.1X: EAP-Success held %.1f s, until the supplicant has dropped the ended CA (mka_wpa_compat)",
		 at - now);
	memcpy(a->held_eap, rep->eap, rep->eap_len);
	a->held_eap_len = rep->eap_len;
	a->held_have_msk = rep->have_msk;
	if (rep->have_msk)
		memcpy(a->held_msk, rep->msk, sizeof(a->held_msk));
	memcpy(a->held_sid, rep->key_name, rep->key_name_len);
	a->held_sid_len = rep->key_name_len;
	a->held = true;
	loop_timer_at(l, &a->hold, at);
	return true;
}

static void to_pae(void *ctx, enum radius_result r, const struct radius_reply *rep)
{
	struct port_auth *a = ctx;

	mkad_log_context(a->port->name);
	a->busy = false;
	switch (r) {
	case RADIUS_CHALLENGE:
		if (rep->state_len <= sizeof(a->state)) {
			memcpy(a->state, rep->state, rep->state_len);
			a->state_len = rep->state_len;
		}
		pae_auth_server_answer(a->pae, PAE_SRV_CHALLENGE, rep->eap, rep->eap_len,
				       NULL, 0, NULL, 0);
		break;
	case RADIUS_ACCEPT:
		a->state_len = 0;
		if (hold_accept(a, rep))
			break;
		if (!rep->have_msk)
			log_warn("RADIUS Access-Accept from %s without MS-MPPE-Recv-Key and -Send-Key",
				 a->server);
		if (!rep->key_name_len)
			log_warn("RADIUS Access-Accept from %s without EAP-Key-Name (the EAP Session-Id)",
				 a->server);
		pae_auth_server_answer(a->pae, PAE_SRV_ACCEPT, rep->eap, rep->eap_len,
				       rep->have_msk ? rep->msk : NULL,
				       rep->have_msk ? sizeof(rep->msk) : 0,
				       rep->key_name, rep->key_name_len);
		break;
	case RADIUS_REJECT:
		a->state_len = 0;
		log_info("RADIUS Access-Reject from %s", a->server);
		pae_auth_server_answer(a->pae, PAE_SRV_REJECT, rep ? rep->eap : NULL,
				       rep ? rep->eap_len : 0, NULL, 0, NULL, 0);
		break;
	case RADIUS_TIMEOUT:
	case RADIUS_ERROR:
	default:
		a->state_len = 0;
		pae_auth_server_answer(a->pae, PAE_SRV_TIMEOUT, NULL, 0, NULL, 0, NULL, 0);
		break;
	}
}

static void to_server(void *ctx, const uint8_t *eap, size_t len, const char *identity,
		      const uint8_t supp_mac[6], bool new_exchange)
{
	struct port_auth *a = ctx;
	struct radius_req req;
	int rc;

	if (a->busy)
		radius_cancel(a->radius, a);
	if (new_exchange)
		a->state_len = 0;
	memset(&req, 0, sizeof(req));
	req.eap = eap;
	req.eap_len = len;
	req.user_name = identity;
	req.state = a->state_len ? a->state : NULL;
	req.state_len = a->state_len;
	memcpy(req.calling_mac, supp_mac, 6);
	memcpy(req.called_mac, a->port->mac, 6);
	req.nas_port_id = a->port->lower;
	rc = radius_send(a->radius, &req, to_pae, a);
	a->busy = !rc;
	if (rc) {
		log_err("RADIUS request to %s not sent: %s", a->server, strerror(-rc));
		/* the PAE is owed an answer: the exchange is aborted */
		pae_auth_server_answer(a->pae, PAE_SRV_TIMEOUT, NULL, 0, NULL, 0, NULL, 0);
	}
}

static void server_cancel(void *ctx)
{
	struct port_auth *a = ctx;

	drop_held(a);
	if (a->busy)
		radius_cancel(a->radius, a);
	a->busy = false;
	a->state_len = 0;
}

static int send_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct port_auth *a = ctx;

	return port_send(a->port, frame, len);
}

static void authenticated(void *ctx, const struct pae_keys *k)
{
	struct port_auth *a = ctx;

	mkad_log_context(a->port->name);
	if (port_eap_ca_start(&a->ca, k->msk, k->msk_len, k->session_id, k->session_id_len,
			      k->supp_mac) < 0)
		log_err("802.1X: no CAK from the EAP keys (MSK %zu, Session-Id %zu octets)",
			k->msk_len, k->session_id_len);
}

static const char *end_txt(enum pae_end why)
{
	switch (why) {
	case PAE_END_LOGOFF: return "EAPOL-Logoff";
	case PAE_END_FAILURE: return "authentication failed";
	case PAE_END_LINK_DOWN: return "link down";
	case PAE_END_REAUTH_FAILED: return "re-authentication failed";
	case PAE_END_CLOSED: return "shutting down";
	}
	return "?";
}

/* The session ends: its CAs and their SAs go now, not after the MKA life time. */
static void ended(void *ctx, enum pae_end why)
{
	struct port_auth *a = ctx;
	char txt[64];

	mkad_log_context(a->port->name);
	snprintf(txt, sizeof(txt), "802.1X session ended (%s)", end_txt(why));
	drop_held(a);
	if (port_eap_ca_end(&a->ca, txt))
		a->ended_at = loop_now(a->port->loop);
}

static const struct pae_auth_ops pae_ops = {
	.send = send_frame,
	.to_server = to_server,
	.server_cancel = server_cancel,
	.authenticated = authenticated,
	.ended = ended,
};

void port_auth_link(struct port_auth *a, enum link_state st)
{
	mkad_log_context(a->port->name);
	if (st == LINK_RUNNING)
		log_info("link on %s up: 802.1X authentication starts", a->port->lower);
	else
		log_info("link on %s down: %s", a->port->lower, link_state_name(st));
	pae_auth_link(a->pae, st == LINK_RUNNING);
}

static void link_changed(void *ctx, enum link_state st)
{
	port_auth_link(ctx, st);
}

struct port_auth *port_auth_new(struct port *p, const struct mkad_auth_conf *c)
{
	struct port_auth *a = secmem_alloc(sizeof(*a));
	struct radius_conf rc;
	struct pae_auth_conf pc;
	bool running;

	if (!a)
		return NULL;
	a->port = p;
	port_eap_ca_init(&a->ca, p, &c->tmpl, PORT_AUTH_OVERLAP, "802.1X", "for supplicant");
	a->ca.tmpl.obliged_ks = true;
	loop_timer_init(&a->hold, release_accept, a);
	snprintf(a->server, sizeof(a->server), c->server_family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 c->server, c->server_port);
	radius_conf_defaults(&rc);
	snprintf(rc.server, sizeof(rc.server), "%s", c->server);
	rc.port = c->server_port;
	memcpy(rc.secret, c->secret, c->secret_len);
	rc.secret_len = c->secret_len;
	snprintf(rc.nas_id, sizeof(rc.nas_id), "%s", c->nas_id);
	snprintf(rc.nas_ip, sizeof(rc.nas_ip), "%s", c->nas_ip);
	a->radius = radius_client_new(p->loop, &rc);
	crypto_wipe(&rc, sizeof(rc));
	pae_auth_conf_init(&pc);
	pc.eapol_version = c->eapol_version;
	pc.use_pae_group_addr = c->use_pae_group_addr;
	pc.reauth_period = c->reauth_period;
	pc.quiet_period = c->quiet_period;
	pc.tx_period = c->tx_period;
	pc.ignore_logoff_secured = c->ignore_logoff_secured;
	if (a->radius)
		a->pae = pae_auth_new(p->loop, p->mac, &pc, &pae_ops, a);
	if (!a->pae) {
		log_err("802.1X authenticator on %s: cannot start", p->lower);
		port_auth_free(a);
		return NULL;
	}
	p->auth = a;
	log_info("802.1X authenticator on %s, RADIUS server %s", p->lower, a->server);
	a->link = link_watch_port(p->loop, p->ifindex, p->lower, link_changed, a, &running);
	if (running)
		pae_auth_link(a->pae, true);
	return a;
}

void port_auth_free(struct port_auth *a)
{
	if (!a)
		return;
	if (a->port->auth == a)
		a->port->auth = NULL;
	link_watch_free(a->link);
	if (a->pae)
		pae_auth_free(a->pae);	/* ended(CLOSED): the CAs go */
	if (a->radius)
		radius_client_free(a->radius);
	port_eap_ca_fini(&a->ca);
	drop_held(a);
	crypto_wipe(a, sizeof(*a));
	secmem_free(a, sizeof(*a));
}

void port_auth_rx(struct port_auth *a, const uint8_t *frame, size_t len)
{
	pae_auth_set_secured(a->pae, port_secured(a->port));
	pae_auth_rx(a->pae, frame, len);
}
