// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the access device's keys and CAs. The CAK and
 * CKN from an EAP MSK and Session-Id (802.1X-2020 6.2.2, as wpa_supplicant
 * derives them: the known answer below was computed with `openssl mac
 * CMAC`), and a CA started by EAP (port_start_ca): key server whatever
 * the priorities (obliged_ks), ended at once (port_end_ca). And the
 * access device (port_auth.h) on a link that goes down: the session's CA
 * ends at once, nothing is sent while it is down, and link up starts a
 * new authentication that gives the supplicant a new CA.
 */
#include <stdio.h>
#include <string.h>

#include "eapol.h"
#include "port_auth.h"
#include "radius.h"
#include "status.h"
#include "unit.h"
#include "util.h"

static void t_eap_keys(void)
{
	uint8_t msk[64], sid[65], cak[16], ckn[16], cak2[16], ckn2[16];
	const uint8_t m1[6] = { 2, 0, 0, 0, 0, 1 }, m2[6] = { 2, 0, 0, 0, 0, 2 };
	int i, ok;

	for (i = 0; i < 64; i++)
		msk[i] = (uint8_t)i;
	sid[0] = 0x0d;
	for (i = 1; i < 65; i++)
		sid[i] = (uint8_t)(0x3f + i);
	ok = check(!crypto_eap_cak_ckn(msk, 64, sid, 65, m1, m2, cak, ckn), "derivation failed") &&
	     expect_hex("CAK", cak, "f7c54b9b518839f4453a7415c65d4be3") &&
	     expect_hex("CKN", ckn, "1927c066eb55cc42b0c62a2d4541cec6") &&
	     check(!crypto_eap_cak_ckn(msk, 64, sid, 65, m2, m1, cak2, ckn2) &&
		   !memcmp(cak, cak2, 16) && !memcmp(ckn, ckn2, 16),
		   "the MACs' order changes the keys") &&
	     check(crypto_eap_cak_ckn(msk, 15, sid, 65, m1, m2, cak, ckn), "short MSK taken") &&
	     check(crypto_eap_cak_ckn(msk, 64, sid, 0, m1, m2, cak, ckn), "no Session-Id taken");
	result(ok, "eap: CAK and CKN from MSK and Session-Id (802.1X-2020 6.2.2 known answer)");
}

static void t_eap_ca(void)
{
	struct mkad_ca_conf c;
	struct port_ca *ca;
	int ok;

	sim_reset();
	sim_add_simple(0, 255, NULL);
	sim_add(1, "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=" SIM_CAK
		"\nmka_ckn=0a0b\nmka_priority=255\n}\n", &sim_ops, NULL);
	sim_run(0.1);
	/*
	 * node 0: a CA of node 1's CKN from EAP, with a priority that may
	 * never be key server (255, mka_priority_255=never; node 1 would
	 * take it, the better SCI at equal priority): not a candidate, so
	 * only obliged_ks makes it key server, and the CA secured
	 */
	memset(&c, 0, sizeof(c));
	c = sim[0].port.ca[0].conf;
	c.ckn_len = unhex("0a0b", c.ckn);
	c.cak_len = unhex(SIM_CAK, c.cak);
	c.priority = 255;
	c.never_ks_255 = true;
	c.obliged_ks = true;
	ca = port_start_ca(&sim[0].port, &c);
	ok = check(ca && ca->part, "port_start_ca gave no participant") &&
	     check(!port_start_ca(&sim[0].port, &c), "the same CKN started twice");
	sim_run(6);
	ok = ok && check(sim_secured(0) && sim_secured(1), "not secured: %d %d (live %d %d, ks %d %d, elected %d %d)", sim_secured(0),
			 sim_secured(1), participant_n_live(P(0)), participant_n_live(P(1)),
			 P(0)->is_ks, P(1)->is_ks, P(0)->elected, P(1)->elected) &&
	     check(P(0)->is_ks && P(0)->conf.obliged_ks && !P(1)->is_ks,
		   "the obliged access device is not key server");
	port_end_ca(&sim[0].port, c.ckn, c.ckn_len, "test");
	ok = ok && check(!port_find_ca(&sim[0].port, c.ckn, c.ckn_len), "the CA is still there") &&
	     check(!sim_secured(0) && CP(0)->connect == CP_CONNECT_PENDING &&
		   !CP(0)->latest.valid && !CP(0)->old.valid && !CP(0)->n_rxsc,
		   "SAs or RX SCs left at once after port_end_ca");
	crypto_wipe(&c, sizeof(c));
	result(ok, "eap: a CA from EAP is key server whatever the priorities, and ends at once");
}

/* The access device: node 0, its supplicant node 1 (two CAs, one per authentication). */
static const char *auth_conf =
	"ieee8021x=1\nuse_pae_group_addr=1\nmacsec_policy=1\nauth_server_addr=127.0.0.1\n"
	"auth_server_port=1812\nauth_server_shared_secret=radius\n";

/* node 0's last EAP-Request/Identity: its Identifier, or -1 if the last EAPOL was none */
static int last_identity_req(void)
{
	int i;

	for (i = sim[0].n_sent - 1; i >= 0 && i >= sim[0].n_sent - 16; i--) {
		const uint8_t *f = sim[0].sent[i % 16];

		if (f[15] != 0)
			continue;	/* an MKPDU */
		return f[18] == EAP_REQUEST && f[22] == EAP_T_IDENTITY ? f[19] : -1;
	}
	return -1;
}

/* node 1 answers the Request/Identity id; the server accepts with msk and sid */
static void authenticate(struct port_auth *a, int id, const uint8_t *msk, const uint8_t *sid,
			 size_t sid_len)
{
	uint8_t eap[8] = { EAP_RESPONSE, (uint8_t)id, 0, 8, EAP_T_IDENTITY, 'b', 'o', 'b' };
	uint8_t f[PAE_FRAME_MAX];

	port_rx(&sim[0].port, f, eapol_build(f, mka_pae_group, sim[1].port.mac, 2, eap,
					     sizeof(eap)));
	/* the test is the server: the request to 127.0.0.1 is not waited for */
	if (a->busy)
		radius_cancel(a->radius, a);
	a->busy = false;
	pae_auth_server_answer(a->pae, PAE_SRV_ACCEPT, NULL, 0, msk, 64, sid, sid_len);
}

static bool no_sas(int i)
{
	return !sim_secured(i) && CP(i)->connect == CP_CONNECT_PENDING && !CP(i)->latest.valid &&
	       !CP(i)->old.valid && !CP(i)->n_rxsc;
}

static void t_eap_link(void)
{
	static struct mkad_conf hc;
	const uint8_t m0[6] = { 2, 0, 0, 0, 0, 1 }, m1[6] = { 2, 0, 0, 0, 0, 2 };
	uint8_t msk[2][64], sid[2][33], cak[2][16], ckn[2][16], f[64];
	char text[1024], hk[2][33], hn[2][33], err[128];
	static char js[8192];
	const struct pae_counters *pc;
	struct pae_auth_status st;
	struct port_auth *a;
	struct port_ca *ca;
	uint64_t tx;
	int i, k, id, ok;
	size_t n;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < 64; i++)
			msk[k][i] = (uint8_t)(i + 0x10 * k);
		for (i = 0; i < 33; i++)
			sid[k][i] = (uint8_t)(0x0d + i + k);
	}
	sim_reset();
	ok = check(!conf_parse(auth_conf, &hc, err, sizeof(err)), "%s", err) &&
	     check(!sim_add(0, auth_conf, NULL, NULL), "node 0");
	for (k = 0; k < 2; k++) {
		crypto_eap_cak_ckn(msk[k], 64, sid[k], 33, m0, m1, cak[k], ckn[k]);
		hex_str(hk[k], cak[k], 16);
		hex_str(hn[k], ckn[k], 16);
	}
	snprintf(text, sizeof(text),
		 "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=%s\nmka_ckn=%s\n}\n"
		 "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=%s\nmka_ckn=%s\n}\n",
		 hk[0], hn[0], hk[1], hn[1]);
	ok = ok && check(!sim_add(1, text, NULL, NULL), "node 1");
	a = ok ? port_auth_new(&sim[0].port, &hc.auth) : NULL;
	conf_wipe(&hc);
	if (!check(a != NULL, "port_auth_new")) {
		result(0, "eap: link down ends the CA at once, link up authenticates again");
		sim_reset();
		return;
	}
	pc = pae_auth_counters(a->pae);
	id = last_identity_req();
	ok = check(id >= 0, "no EAP-Request/Identity at start");
	authenticate(a, id, msk[0], sid[0], 33);
	sim_run(6);
	ok = ok && check(sim_secured(0) && sim_secured(1), "first CA not secured: %d %d",
			 sim_secured(0), sim_secured(1));

	/* the cable is pulled: the session, its CA and SAs go at once */
	port_auth_link(a, LINK_NO_CARRIER);
	pae_auth_status(a->pae, &st);
	ok = ok && check(!port_find_ca(&sim[0].port, ckn[0], 16), "the CA is still there") &&
	     check(no_sas(0), "SAs or RX SCs left at once after link down") &&
	     check(!st.authorized && !strcmp(st.state, "DISCONNECTED"), "PAE %s, authorized %d",
		   st.state, st.authorized);
	/* with no CA, STATUS shows the settings the next one gets, not a wiped slot's */
	status_json(&sim[0].port, js, sizeof(js), sim_now);
	ok = ok && check(strstr(js, "\"cipher_suite\":\"gcm-aes-128\"") && strstr(js, "\"ckn\":\"\""),
			 "STATUS without a CA: %.300s", js);
	/* nothing while it is down, an EAPOL-Start from the supplicant included */
	tx = pc->tx_eapol;
	n = eapol_build(f, mka_pae_group, sim[1].port.mac, 2, f + 32, 0);
	f[15] = EAPOL_START;
	port_rx(&sim[0].port, f, n);
	sim_run(40);
	port_auth_link(a, LINK_ADMIN_DOWN);	/* still down: no change */
	ok = ok && check(pc->tx_eapol == tx, "%llu EAPOL frames sent while down",
			 (unsigned long long)(pc->tx_eapol - tx)) &&
	     check(!port_find_ca(&sim[0].port, ckn[0], 16) && no_sas(0), "a CA while down");

	/* back up: a new Request/Identity, and a new authentication its CA */
	port_auth_link(a, LINK_RUNNING);
	id = last_identity_req();
	ok = ok && check(pc->tx_eapol == tx + 1 && id >= 0, "link up: %llu sent, identity %d",
			 (unsigned long long)(pc->tx_eapol - tx), id);
	authenticate(a, id, msk[1], sid[1], 33);
	sim_run(12);		/* the EAP-Success is held (mka_wpa_compat), then MKA */
	ca = port_find_ca(&sim[0].port, ckn[1], 16);
	pae_auth_status(a->pae, &st);
	ok = ok && check(ca && ca->part && st.authorized, "no second CA (authorized %d)",
			 st.authorized) &&
	     check(sim_secured(0) && sim_secured(1) && !memcmp(P(1)->conf.ckn, ckn[1], 16),
		   "second CA not secured: %d %d", sim_secured(0), sim_secured(1));
	port_auth_free(a);
	ok = ok && check(!sim[0].port.auth && no_sas(0), "port_auth_free left the CA");
	sim_reset();
	result(ok, "eap: link down ends the CA at once, link up authenticates again");
}

void t_eap(void)
{
	t_eap_keys();
	t_eap_ca();
	t_eap_link();
}
