// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad: the Authenticator PAE's received frames (pae_auth_rx, see
 * pae_auth.h): EAPOL-Start, EAPOL-Logoff and the EAP-Responses that go
 * to the server, the one supplicant a port serves, and the frames that
 * are dropped (malformed, from another supplicant, while HELD or with no
 * link), counted and logged now and then. The state machine they drive
 * is pae_auth.c's (pae_auth_int.h).
 */
#include <stdio.h>
#include <string.h>

#include "eapol.h"
#include "log.h"
#include "pae_auth.h"
#include "pae_auth_int.h"

/* Drops from another supplicant, ignored Logoffs: logged so often at most. */
#define PAE_LOG_INTERVAL	60.0

/* True when this one is logged; *skipped then tells how many were not. */
static bool ratelimit_ok(struct ratelimit *r, double now, unsigned long *skipped)
{
	if (r->logged && now - r->last < PAE_LOG_INTERVAL) {
		r->skipped++;
		return false;
	}
	r->logged = true;
	r->last = now;
	*skipped = r->skipped;
	r->skipped = 0;
	return true;
}

/* " (N more not logged)", or "" for none. */
static const char *more_str(unsigned long skipped)
{
	static char buf[48];

	if (!skipped)
		return "";
	snprintf(buf, sizeof(buf), " (%lu more not logged)", skipped);
	return buf;
}

static void malformed(struct pae_auth *a, const char *why)
{
	a->cnt.rx_malformed++;
	log_dbg("802.1X: malformed EAPOL frame dropped: %s", why);
}

/* False (counted, logged now and then) if src is not the supplicant. */
static bool from_supp(struct pae_auth *a, const uint8_t *src)
{
	unsigned long skipped;
	char m1[18], m2[18];

	if (!a->have_supp || !memcmp(src, a->supp, 6))
		return true;
	a->cnt.rx_other_supp++;
	if (ratelimit_ok(&a->rl_other, loop_now(a->loop), &skipped)) {
		pae_mac_str(m1, src);
		pae_mac_str(m2, a->supp);
		log_warn("802.1X: EAPOL from %s dropped: the port serves supplicant %s%s",
			 m1, m2, more_str(skipped));
	}
	return false;
}

static void learn_supp(struct pae_auth *a, const uint8_t *src)
{
	if (a->have_supp)
		return;
	memcpy(a->supp, src, 6);
	a->have_supp = true;
}

static void rx_start(struct pae_auth *a, const uint8_t *src)
{
	char mac[18];

	a->cnt.rx_start++;
	pae_mac_str(mac, src);
	if (a->authorized)
		log_info("802.1X: EAPOL-Start from %s: re-authenticating, the session stays", mac);
	else if (!a->have_supp)
		log_info("802.1X: EAPOL-Start from %s", mac);
	else
		log_dbg("802.1X: EAPOL-Start from %s again", mac);
	learn_supp(a, src);
	if (a->state == PAE_CONNECTING && a->req_out && a->req_own_identity) {
		/* ours crossed it: the same Request again, now to the supplicant */
		a->retrans = 0;
		loop_timer_at(a->loop, &a->t_exch, loop_now(a->loop) + a->conf.tx_period);
		pae_send_req(a);
		return;
	}
	pae_start_exchange(a);
}

static void rx_logoff(struct pae_auth *a)
{
	bool had = a->authorized, srv;
	unsigned long skipped;
	char mac[18];

	a->cnt.rx_logoff++;
	if (!a->have_supp)
		return;		/* no exchange, no session: nothing to end */
	pae_mac_str(mac, a->supp);
	if (had && a->secured && a->conf.ignore_logoff_secured) {
		a->cnt.logoff_ignored++;
		if (ratelimit_ok(&a->rl_logoff, loop_now(a->loop), &skipped))
			log_warn("802.1X: EAPOL-Logoff from %s ignored: the session is secured "
				 "(ignore_logoff_secured)%s", mac, more_str(skipped));
		return;
	}
	if (had)
		log_info("802.1X: EAPOL-Logoff from %s: session ended", mac);
	else
		log_info("802.1X: EAPOL-Logoff from %s: exchange ended", mac);
	srv = pae_clear_exchange(a);
	pae_end_session(a);
	pae_forget_supp(a);
	pae_set_state(a, PAE_DISCONNECTED);
	if (pae_call_cancel(a, srv) && pae_call_ended(a, had, PAE_END_LOGOFF))
		pae_start_exchange(a);
}

static void rx_eap(struct pae_auth *a, const uint8_t *src, const uint8_t *eap, size_t len)
{
	bool own_identity = a->req_own_identity;

	if (!a->req_out || eap[1] != a->req_id) {
		a->cnt.rx_bad_id++;
		log_dbg("802.1X: EAP-Response %u dropped: it answers no outstanding Request",
			eap[1]);
		return;
	}
	if (a->req[4] == EAP_T_IDENTITY && eap[4] != EAP_T_IDENTITY) {
		malformed(a, "a Request/Identity answered with another Type");
		return;
	}
	a->cnt.rx_eap_resp++;
	learn_supp(a, src);
	if (a->req[4] == EAP_T_IDENTITY)
		eap_identity(eap, len, a->raw_identity, a->identity);
	pae_note_method(a, eap[4]);
	a->resp_id = eap[1];
	a->req_out = false;
	a->srv_wait = a->srv_open = true;
	loop_timer_at(a->loop, &a->t_exch, loop_now(a->loop) + PAE_SERVER_BACKSTOP);
	pae_set_state(a, PAE_AUTHENTICATING);
	a->ops.to_server(a->ctx, eap, len, a->raw_identity, a->supp, own_identity);
}

void pae_auth_rx(struct pae_auth *a, const uint8_t *f, size_t len)
{
	const uint8_t *body = f + ETH_HDR_LEN + EAPOL_HDR_LEN;
	size_t body_len = 0, eap_len = 0;
	const char *why = NULL;
	int type;

	a->cnt.rx_eapol++;
	if (a->closing)
		return;
	type = eapol_check(f, len, a->own, &body_len, &why);
	if (type < 0) {
		malformed(a, why);
		return;
	}
	if (type != EAPOL_EAP && type != EAPOL_START && type != EAPOL_LOGOFF) {
		a->cnt.rx_ignored_type++;
		log_dbg("802.1X: EAPOL packet type %d ignored", type);
		return;
	}
	if (type == EAPOL_EAP && !(eap_len = eap_check_response(body, body_len, &why))) {
		malformed(a, why);
		return;
	}
	if (!a->link)
		return;
	if (!from_supp(a, f + 6))
		return;
	if (a->state == PAE_HELD) {
		a->cnt.rx_held++;
		return;
	}
	if (type == EAPOL_START)
		rx_start(a, f + 6);
	else if (type == EAPOL_LOGOFF)
		rx_logoff(a);
	else
		rx_eap(a, f + 6, body, eap_len);
}
