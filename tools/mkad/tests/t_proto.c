// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the protocol around the SAKs (issue 10, items 7
 * to 10): the Controlled Port's policy, replayed MKPDUs, the MKA version,
 * priority 255 and re-election, netlink error ACKs, the configuration's
 * numeric forms, the asynchronous key source and several CAs on a port.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "cs.h"
#include "keysrc.h"
#include "nl.h"
#include "status.h"
#include "unit.h"
#include "../../include/uapi/linux/vsecy.h"

static const struct secy_caps no_macsec = { .suites = 1, .port_control = true };

static void conf_text(char *text, size_t size, int priority, const char *extra)
{
	snprintf(text, size, "network={\nkey_mgmt=NONE\nmka_cak=%s\nmka_ckn=0102\n"
		 "mka_priority=%d\n%s\n}\n", SIM_CAK, priority, extra ? extra : "");
}

/*
 * A key server whose only peer cannot do MACsec advises no MACsec: with
 * macsec_policy=0 (should secure) its port opens unprotected, with 1
 * (must secure) it stays closed. A peer key server's advice (an empty
 * Distributed SAK) is followed in the same way.
 */
static void t_policy(void)
{
	char text[256];
	int ok, policy;

	for (policy = 0; policy < 2; policy++) {
		sim_reset();
		conf_text(text, sizeof(text), 10, policy ? "macsec_policy=1" : "macsec_policy=0");
		sim_add(0, text, NULL, NULL);
		conf_text(text, sizeof(text), 100, "macsec_policy=0");
		sim_add(1, text, NULL, &no_macsec);
		sim_run(5);
		ok = check(P(0)->is_ks && !P(0)->ks.macsec, "the key server decided for MACsec") &&
		     check(CP(0)->connect == (policy ? CP_CONNECT_PENDING : CP_CONNECT_AUTHENTICATED) &&
			   sim[0].mode == (policy ? SECY_PORT_CLOSED : SECY_PORT_UNSECURED),
			   "policy %d: connect %s, port mode %d", policy,
			   cp_connect_name(CP(0)->connect), sim[0].mode) &&
		     check(CP(1)->connect == CP_CONNECT_AUTHENTICATED && P(1)->ks_says_no,
			   "the peer: connect %s, advised no MACsec %d",
			   cp_connect_name(CP(1)->connect), P(1)->ks_says_no) &&
		     check(strstr(CP(0)->why, policy ? "must secure" : "should secure") != NULL,
			   "why: %s", CP(0)->why);
		result(ok, policy ? "policy: must secure, the key server advises no MACsec: closed" :
		       "policy: should secure, the key server advises no MACsec: unprotected");
	}
}

/*
 * Replays: an MKPDU of a live peer's earlier MI (captured before it
 * restarted) changes nothing; MKPDUs of 70 departed participants do not
 * fill the peer table: the live peer stays, a new member still joins.
 */
static void t_replay(void)
{
	static struct mkpdu m;
	uint8_t old[MKPDU_MAX_LEN], buf[MKPDU_MAX_LEN], mi[MKA_MI_LEN];
	size_t old_len, len;
	double expire;
	uint32_t kn;
	int ok, i, k;

	sim_reset();
	sim_add_simple(0, 100, NULL);
	sim_add_simple(1, 10, NULL);
	sim_run(5);
	k = (sim[0].n_sent - 1) % 16;
	old_len = sim[0].sent_len[k];
	memcpy(old, sim[0].sent[k], old_len);
	/* restarted at once: the capture's MNs still prove liveness */
	sim_stop(0);
	sim_add_simple(0, 100, NULL);
	sim_run(5);
	ok = check(sim_secured(0) && sim_secured(1), "not secured after the restart");
	kn = CP(1)->latest.kn;
	for (i = 0; i < 5 && ok; i++) {
		uint8_t cur[MKA_MI_LEN];

		memcpy(cur, P(1)->peers[0].mi, MKA_MI_LEN);
		expire = P(1)->peers[0].expire;
		sim_broadcast(-1, old, old_len);
		sim_run(0.1);
		ok = check(P(1)->peers[0].expire >= expire && P(1)->peers[0].live &&
			   P(1)->n_peers == 1 && !memcmp(P(1)->peers[0].mi, cur, MKA_MI_LEN),
			   "replay %d: the peer's life %.1f s -> %.1f s, %d peers", i,
			   expire - sim_now, P(1)->peers[0].expire - sim_now, P(1)->n_peers);
		sim_run(0.4);
	}
	sim_run(4);
	ok = ok && check(CP(1)->latest.kn == kn && sim_secured(1) && P(1)->cnt.rx_replay >= 5,
			 "the session changed: KN %u -> %u, replays counted %" PRIu64, kn,
			 CP(1)->latest.kn, P(1)->cnt.rx_replay);
	result(ok, "replay: an MKPDU of a live SCI's earlier MI changes nothing");

	for (i = 0; i < 70; i++) {
		memset(mi, 0x30 + i, sizeof(mi));
		sim_fake(&m, 0x0400000000000001ULL + ((uint64_t)i << 16), mi, 5, 200);
		memset(m.live[0].mi, 0x99, MKA_MI_LEN);	/* listed what it heard then */
		m.live[0].mn = 3;
		m.n_live = 1;
		m.has_live = true;
		len = sim_encode(&m, buf);
		sim_broadcast(-1, buf, len);
		if (i % 16 == 15)
			sim_run(0.1);
	}
	sim_run(0.5);
	ok = check(P(1)->n_peers <= MKA_MAX_PEERS && participant_n_live(P(1)) == 1 &&
		   sim_secured(1) && CP(1)->latest.kn == kn,
		   "after 70 departed peers: %d peers, %d live, KN %u", P(1)->n_peers,
		   participant_n_live(P(1)), CP(1)->latest.kn);
	sim_add_simple(2, 100, NULL);
	sim_run(5);
	ok = ok && check(participant_n_live(P(1)) == 2 && sim_secured(2),
			 "a new member cannot join: %d live, secured %d",
			 participant_n_live(P(1)), sim_secured(2)) &&
	     check(P(1)->cnt.peers_evicted > 0, "no potential peer evicted");
	result(ok, "replay: departed participants' MKPDUs cannot fill the peer table");
}

/*
 * MKA versions: version 3 is sent (mka_version=1 sends 1); every version
 * from 1 up is accepted, 0 is not; a peer that takes only version 3, as
 * MKAdaemon does, secures with us.
 */
static uint8_t sent_version(int i)
{
	int k = (sim[i].n_sent - 1) % 16;

	return sim[i].n_sent ? sim[i].sent[k][18] : 0;
}

static void t_version(void)
{
	static struct mkpdu m;
	static const uint8_t versions[] = { 1, 2, 3, 4, 255, 0 };
	uint8_t mi[MKA_MI_LEN], buf[MKPDU_MAX_LEN];
	int ok, i, n;
	size_t len;

	sim_reset();
	sim_add_simple(0, 100, NULL);
	sim_add_simple(1, 10, "mka_version=1");
	sim_run(5);
	ok = check(sent_version(0) == 3 && sent_version(1) == 1, "versions sent %u/%u",
		   sent_version(0), sent_version(1)) &&
	     check(sim_secured(0) && sim_secured(1), "versions 3 and 1 do not secure") &&
	     check(P(0)->peers[0].version == 1 && P(1)->peers[0].version == 3,
		   "peer versions seen %u/%u", P(0)->peers[0].version, P(1)->peers[0].version);
	for (i = 0; i < (int)sizeof(versions) && ok; i++) {
		n = P(0)->n_peers;
		memset(mi, 0x60 + i, sizeof(mi));
		sim_fake(&m, 0x0500000000000001ULL + ((uint64_t)i << 16), mi, 1, 200);
		m.basic.version = versions[i];
		sim_list(&m, 0);
		len = sim_encode(&m, buf);
		port_rx(&sim[0].port, buf, len);
		ok = check((P(0)->n_peers == n + 1) == (versions[i] != 0),
			   "an MKPDU of version %u %s", versions[i],
			   versions[i] ? "refused" : "accepted");
	}
	result(ok, "version: 3 sent (or mka_version), every version from 1 up accepted");
}

/*
 * Priority 255 with mka_priority_255=never is never key server; a key
 * server that drops its claim (worse priority) is replaced at once.
 */
static void t_election(void)
{
	struct mkad_ca_conf ca;
	int ok;

	sim_reset();
	sim_add_simple(0, 255, "mka_priority_255=never");
	sim_add_simple(1, 255, "mka_priority_255=never");
	sim_run(5);
	ok = check(!P(0)->elected && !P(1)->elected && !CP(0)->latest.valid,
		   "a key server among priority-255 participants: %d %d", P(0)->is_ks,
		   P(1)->is_ks);
	ca = P(1)->conf;
	ca.priority = 254;
	participant_reconfigure(P(1), &ca);
	sim_run(5);
	ok = ok && check(P(1)->is_ks && sim_secured(0) && sim_secured(1),
			 "priority 254 is not key server / not secured");
	result(ok, "election: priority 255 never key server (mka_priority_255=never)");

	sim_reset();
	sim_add_simple(0, 100, NULL);
	sim_add_simple(1, 10, NULL);
	sim_run(5);
	ca = P(1)->conf;
	ca.priority = 200;
	participant_reconfigure(P(1), &ca);
	sim_run(3);
	ok = check(P(0)->is_ks && !P(1)->is_ks && P(1)->ks_sci == sim[0].port.sci,
		   "node 0 (100) not key server after node 1 went to 200") &&
	     check(!memcmp(CP(1)->latest.ki_mi, P(0)->mi, MKA_MI_LEN),
		   "no SAK from the new key server");
	sim_run(3);
	ok = ok && check(sim_secured(0) && sim_secured(1) && !P(0)->cnt.rejoins,
			 "not secured with the new key server");
	result(ok, "election: a key server that drops its claim is replaced at once");
}

/* The ACK of a refused request (a key in it) with and without CAP_ACK. */
static bool ack_echoes(struct nl *n, bool cap)
{
	static const uint8_t key[32] = "KEYKEYKEYKEYKEYKEYKEYKEYKEYKEYK";
	uint8_t buf[8192];
	struct nlmsghdr *h;
	struct ifinfomsg *ifi;
	int off = 0;
	ssize_t len;
	size_t i;

	mnl_socket_setsockopt(n->sock, NETLINK_CAP_ACK, &off, sizeof(off));
	if (cap)
		mnl_socket_setsockopt(n->sock, NETLINK_CAP_ACK, &(int){ 1 }, sizeof(int));
	h = nl_msg(n, RTM_NEWLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_index = 0x7ffffff0;	/* no such device: ENODEV */
	mnl_attr_put(h, IFLA_ADDRESS, sizeof(key), key);
	mnl_socket_sendto(n->sock, h, h->nlmsg_len);
	len = mnl_socket_recvfrom(n->sock, buf, sizeof(buf));
	for (i = 0; len > 0 && i + sizeof(key) <= (size_t)len; i++)
		if (!memcmp(buf + i, key, sizeof(key)))
			return true;
	return false;
}

static void t_netlink(void)
{
	struct nl n;
	int ok;

	if (nl_open(&n, NETLINK_ROUTE)) {
		result(1, "netlink: error ACKs do not echo the request (no netlink here) # SKIP");
		return;
	}
	ok = check(n.cap_ack, "nl_open did not set NETLINK_CAP_ACK") &&
	     check(ack_echoes(&n, false), "without CAP_ACK no echo either: the test tests nothing") &&
	     check(!ack_echoes(&n, true), "with CAP_ACK the error ACK holds the key");
	nl_close(&n);
	result(ok, "netlink: error ACKs do not echo the request (NETLINK_CAP_ACK)");
}

static void t_conf_forms(void)
{
	static struct mkad_conf c;
	char err[128];
	int ok;

	ok = check(!conf_parse("network={\nkey_mgmt=NONE\nmka_cak=" SIM_CAK "\nmka_ckn=01\n"
			       "macsec_ciphersuite=3\nmacsec_conf_offset=2\nmacsec_include_sci=0\n"
			       "macsec_policy=0\nmka_priority_255=never\nmka_version=2\n}\n"
			       "network={\nkey_mgmt=NONE\nmka_cak=" SIM_CAK "\nmka_ckn=02\n"
			       "macsec_ciphersuite=gcm-aes-256\nmacsec_conf_offset=50\n}\n",
			       &c, err, sizeof(err)), "%s", err) &&
	     check(c.n_ca == 2, "%d CAs", c.n_ca) &&
	     check(c.ca[0].cipher_suite == VSECY_CS_GCM_AES_XPN_256 && c.ca[0].conf_offset == 30 &&
		   !c.ca[0].include_sci && c.ca[0].policy == MKAD_POLICY_SHOULD &&
		   c.ca[0].never_ks_255 && c.ca[0].mka_version == 2, "numeric forms") &&
	     check(c.ca[1].cipher_suite == VSECY_CS_GCM_AES_256 && c.ca[1].conf_offset == 50,
		   "named forms") &&
	     check(conf_parse("network={\nkey_mgmt=NONE\nmka_cak=" SIM_CAK "\nmka_ckn=01\n}\n"
			      "network={\nkey_mgmt=NONE\nmka_cak=" SIM_CAK "\nmka_ckn=01\n}\n",
			      &c, err, sizeof(err)) && strstr(err, "same mka_ckn"),
		   "two blocks with one CKN: '%s'", err) &&
	     check(conf_parse("network={\nkey_mgmt=NONE\nmka_cak=" SIM_CAK "\nmka_ckn=01\n"
			      "macsec_ciphersuite=4\n}\n", &c, err, sizeof(err)) &&
		   conf_parse("network={\nkey_mgmt=NONE\nmka_cak=" SIM_CAK "\nmka_ckn=01\n"
			      "macsec_policy=2\n}\n", &c, err, sizeof(err)),
		   "macsec_ciphersuite=4 or macsec_policy=2 accepted");
	conf_wipe(&c);
	result(ok, "config: SONiC's numeric forms, several network blocks");
}

/*
 * A key source that answers after 3 s: the port keeps going meanwhile
 * (MKPDUs of the CA asked for are unknown until then), the CAs start when
 * their CAKs arrive, and the principal is the CA that has a live peer.
 */
static void t_keysrc(void)
{
	char text[512], status[8192];
	int ok, len;

	sim_reset();
	sim_add_simple(1, 10, NULL);
	snprintf(text, sizeof(text),
		 "network={\nkey_mgmt=NONE\nmka_cak=ffeeddccbbaa99887766554433221100\nmka_ckn=09\n}\n"
		 "network={\nkey_mgmt=NONE\nmacsec_policy=1\nmka_cak=%s\nmka_ckn=0102\n}\n",
		 SIM_CAK);
	sim_keysrc_delay = 3.0;
	sim_add(0, text, NULL, NULL);
	sim_keysrc_delay = 0;
	sim_run(2.5);
	ok = check(!sim[0].port.ca[0].part && !sim[0].port.ca[1].part,
		   "participants before the key source answered") &&
	     check(sim[0].port.cnt.rx_unknown_ckn > 0 && sim[1].n_sent >= 2,
		   "unknown CKN %" PRIu64 ", node 1 sent %d", sim[0].port.cnt.rx_unknown_ckn,
		   sim[1].n_sent);
	sim_run(5);
	ok = ok && check(sim[0].port.ca[0].part && sim[0].port.ca[1].part,
			 "no participants after the key source answered") &&
	     check(P(0) == sim[0].port.ca[1].part, "the principal is not the CA with a live peer") &&
	     check(sim_secured(0) && sim_secured(1), "not secured");
	snprintf(sim[0].port.name, sizeof(sim[0].port.name), "v\"s");
	len = status_json(&sim[0].port, status, sizeof(status), sim_now);
	ok = ok && check(len > 0 && strstr(status, "\"ifname\":\"v\\\"s\"") &&
			 strstr(status, "\"principal\":true") && !strstr(status, SIM_CAK),
			 "STATUS: %.200s", status);
	result(ok, "keysrc: a CAK 3 s late: MKPDUs go on, the CA starts when it comes");
}

/*
 * A key source that looks CKNs up (as a QKD key server's responder would:
 * CKN = key ID) is asked for the CKN of MKPDUs no CA has; the CA starts
 * when the CAK comes. A CKN it does not know is not asked for again.
 */
static void t_lookup(void)
{
	char text[512];
	int ok, asked;

	sim_reset();
	sim_add_simple(1, 10, NULL);
	snprintf(text, sizeof(text),
		 "network={\nkey_mgmt=NONE\nmka_cak=ffeeddccbbaa99887766554433221100\nmka_ckn=09\n}\n"
		 "network={\nkey_mgmt=NONE\nmka_cak=%s\nmka_ckn=0102\n}\n", SIM_CAK);
	/* node 0 is configured with CKN 09 only; its source also has 0102 */
	sim_keysrc_flags = KEYSRC_LOOKUP;
	sim_keysrc_delay = 1.0;
	sim_keysrc_requests = 0;
	sim_add(0, text, NULL, NULL);
	sim[0].port.n_ca = 1;		/* as if only the first block were configured */
	sim_keysrc_flags = 0;
	sim_keysrc_delay = 0;
	sim_run(8);
	asked = sim_keysrc_requests;
	ok = check(sim[0].port.n_ca == 2 && sim[0].port.ca[1].part &&
		   P(0) == sim[0].port.ca[1].part, "no CA for the looked-up CKN") &&
	     check(sim_secured(0) && sim_secured(1), "not secured with the looked-up CAK");
	snprintf(text, sizeof(text),
		 "network={\nkey_mgmt=NONE\nmka_cak=%s\nmka_ckn=0c0d\nmka_priority=5\n}\n",
		 SIM_CAK);
	sim_add(2, text, NULL, NULL);
	sim_run(10);
	ok = ok && check(sim_keysrc_requests == asked + 1,
			 "an unknown CKN asked for %d times in 10 s, expected once",
			 sim_keysrc_requests - asked) &&
	     check(sim_secured(0) && sim[0].port.ca[1].part == P(0),
		   "the session was disturbed: secured %d, %d CAs", sim_secured(0), sim[0].port.n_ca);
	result(ok, "keysrc: a CKN no CA has is looked up (KEYSRC_LOOKUP), once");
}

void t_proto(void)
{
	t_policy();
	t_replay();
	t_version();
	t_election();
	t_netlink();
	t_conf_forms();
	t_keysrc();
	t_lookup();
}
