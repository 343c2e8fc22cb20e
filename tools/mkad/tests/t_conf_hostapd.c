// SPDX-License-Identifier: GPL-2.0
/*
 * vsecy-mkad unit tests: the access device's configuration, a hostapd.conf
 * with ieee8021x=1 (conf_hostapd.c): hostapd's wired MACsec authenticator
 * file as hostapd's own tests write it, the defaults, an IPv6 server and
 * the extensions, a backup server, invalid files, and the choice between
 * the two kinds of file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "conf.h"
#include "unit.h"
#include "../../include/uapi/linux/vsecy.h"

/* The file of hostapd's tests/hwsim/test_macsec.py, run_macsec_hostapd_eap. */
static const char *hwsim =
	"# hostapd, wired MACsec authenticator\n"
	"interface=veth1\n"
	"driver=macsec_linux\n"
	"eapol_version=3\n"
	"ieee8021x=1\n"
	"use_pae_group_addr=1\n"
	"\n"
	"macsec_policy=1\n"
	"mka_priority=1\n"
	"auth_server_addr=127.0.0.1\n"
	"auth_server_port=1812\n"
	"auth_server_shared_secret=radius\n"
	"eap_reauth_period=600\n"
	"nas_identifier=nas.w1.fi\n";

static const char *minimal =
	"ieee8021x=1\nauth_server_addr=192.0.2.1\nauth_server_shared_secret=s3cret\n";

static void t_hostapd_full(void)
{
	struct mkad_conf c;
	const struct mkad_auth_conf *a = &c.auth;
	char err[256];
	int ok;

	ok = check(!conf_parse(hwsim, &c, err, sizeof(err)), "parse failed: %s", err) &&
	     check(a->enabled && c.n_ca == 0 && c.qkd.mode == MKAD_QKD_OFF,
		   "role: auth %d, %d CAs, qkd %d", a->enabled, c.n_ca, c.qkd.mode) &&
	     check(a->eapol_version == 3 && a->use_pae_group_addr, "eapol_version %u, group %d",
		   a->eapol_version, a->use_pae_group_addr) &&
	     check(!strcmp(a->server, "127.0.0.1") && a->server_family == AF_INET &&
		   a->server_port == 1812, "server %s family %d port %u", a->server,
		   a->server_family, a->server_port) &&
	     check(a->secret_len == 6 && !memcmp(a->secret, "radius", 6), "secret") &&
	     check(a->reauth_period == 600 && !strcmp(a->nas_id, "nas.w1.fi") && !a->nas_ip[0],
		   "reauth %u, nas_identifier '%s'", a->reauth_period, a->nas_id) &&
	     check(a->tmpl.policy == MKAD_POLICY_MUST && a->tmpl.priority == 1 &&
		   a->tmpl.obliged_ks && a->tmpl.lineno == 5, "template: policy %d, priority %u, "
		   "obliged_ks %d, line %d", a->tmpl.policy, a->tmpl.priority, a->tmpl.obliged_ks,
		   a->tmpl.lineno) &&
	     check(conf_port_ca(&c) == &a->tmpl, "conf_port_ca is not the template") &&
	     check(c.warnings == 2, "ignored keys counted %d, expected 2 (interface, driver)",
		   c.warnings);
	conf_wipe(&c);
	result(ok, "config: hostapd.conf of hostapd's MACsec EAP test (ieee8021x=1)");

	ok = check(!conf_parse(minimal, &c, err, sizeof(err)), "parse failed: %s", err) &&
	     check(a->enabled && a->eapol_version == 2 && !a->use_pae_group_addr &&
		   a->server_port == 1812 && a->reauth_period == 3600, "hostapd's defaults: "
		   "eapol_version %u, port %u, reauth %u", a->eapol_version, a->server_port,
		   a->reauth_period) &&
	     check(a->quiet_period == 60 && a->tx_period == 30 && !a->ignore_logoff_secured &&
		   !a->nas_id[0], "extensions' defaults: quiet %u, tx %u", a->quiet_period,
		   a->tx_period) &&
	     check(a->tmpl.priority == 255 && a->tmpl.port == 1 &&
		   a->tmpl.policy == MKAD_POLICY_SHOULD &&
		   a->tmpl.cipher_suite == VSECY_CS_GCM_AES_128 && !a->tmpl.integ_only &&
		   a->tmpl.include_sci && a->tmpl.mka_version == 3 && !a->tmpl.cak_len &&
		   a->tmpl.obliged_ks, "template defaults") &&
	     check(c.warnings == 0, "%d warnings", c.warnings);
	conf_wipe(&c);
	result(ok, "config: hostapd.conf defaults");
}

static void t_hostapd_ext(void)
{
	struct mkad_conf c;
	const struct mkad_auth_conf *a = &c.auth;
	char err[256], text[1024];
	int ok;

	/* the secret verbatim, as hostapd takes it: spaces and quotes are its own */
	ok = check(!conf_parse("ieee8021x = 1\r\n"
			       "auth_server_addr=2001:db8::1812\n"
			       "auth_server_port= 18120 \n"
			       "auth_server_shared_secret=\"a b\" \n"
			       "own_ip_addr=2001:db8::1\n"
			       "eapol_version=1\n"
			       "eap_reauth_period=0\n"
			       "vsecy_ignore_logoff_secured=1\n"
			       "vsecy_quiet_period=0\n"
			       "vsecy_tx_period=1\n"
			       "macsec_integ_only=1\nmacsec_replay_protect=1\n"
			       "macsec_replay_window=64\nmacsec_port=2\n"
			       "macsec_ciphersuite=gcm-aes-xpn-256\nmacsec_conf_offset=30\n"
			       "macsec_include_sci=0\nmka_rekey_period=60\nmka_version=2\n"
			       "macsec_offload=1\n", &c, err, sizeof(err)),
		   "parse failed: %s", err) &&
	     check(!strcmp(a->server, "2001:db8::1812") && a->server_family == AF_INET6 &&
		   a->server_port == 18120, "server %s family %d port %u", a->server,
		   a->server_family, a->server_port) &&
	     check(a->secret_len == 6 && !memcmp(a->secret, "\"a b\" ", 6),
		   "secret not taken verbatim (%zu octets)", a->secret_len) &&
	     check(!strcmp(a->nas_ip, "2001:db8::1") && a->eapol_version == 1 &&
		   a->reauth_period == 0, "own_ip_addr '%s', eapol_version %u, reauth %u",
		   a->nas_ip, a->eapol_version, a->reauth_period) &&
	     check(a->ignore_logoff_secured && a->quiet_period == 0 && a->tx_period == 1,
		   "vsecy extensions") &&
	     check(a->tmpl.integ_only && a->tmpl.replay_protect && a->tmpl.replay_window == 64 &&
		   a->tmpl.port == 2 && a->tmpl.cipher_suite == VSECY_CS_GCM_AES_XPN_256 &&
		   a->tmpl.conf_offset == 30 && !a->tmpl.include_sci &&
		   a->tmpl.rekey_period == 60 && a->tmpl.mka_version == 2 &&
		   a->tmpl.offload == 1, "MACsec keys of the network blocks") &&
	     check(c.warnings == 0, "%d warnings", c.warnings);
	conf_wipe(&c);
	ok = ok && check(!a->secret_len && !a->secret[0] && !a->enabled,
			 "conf_wipe left the secret");
	result(ok, "config: hostapd.conf, IPv6 server, verbatim secret, extensions");

	/* hostapd's backup server: its own port and secret follow it; only the first is used */
	ok = check(!conf_parse("ieee8021x=1\n"
			       "auth_server_addr=10.0.0.1\nauth_server_port=1645\n"
			       "auth_server_shared_secret=one\n"
			       "auth_server_addr=10.0.0.2\nauth_server_port=1812\n"
			       "auth_server_shared_secret=two\n", &c, err, sizeof(err)),
		   "parse failed: %s", err) &&
	     check(!strcmp(a->server, "10.0.0.1") && a->server_port == 1645 &&
		   a->secret_len == 3 && !memcmp(a->secret, "one", 3), "server %s port %u",
		   a->server, a->server_port) &&
	     check(c.warnings == 1, "%d warnings, expected 1 (the backup)", c.warnings);
	conf_wipe(&c);
	result(ok, "config: hostapd.conf, a backup auth_server_addr is ignored with a warning");

	/* a 128-octet secret is the longest */
	snprintf(text, sizeof(text), "ieee8021x=1\nauth_server_addr=::1\n"
		 "auth_server_shared_secret=%0128d\n", 0);
	ok = check(!conf_parse(text, &c, err, sizeof(err)), "parse failed: %s", err) &&
	     check(a->secret_len == 128 && a->server_family == AF_INET6, "secret of %zu octets",
		   a->secret_len);
	conf_wipe(&c);
	result(ok, "config: hostapd.conf, a secret of 128 octets");
}

static void t_hostapd_bad(void)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "ieee8021x=1\nauth_server_addr=127.0.0.1\n", "needs auth_server_shared_secret" },
		{ "ieee8021x=1\nauth_server_addr=127.0.0.1\nauth_server_addr=::1\n"
		  "auth_server_shared_secret=x\n", "needs auth_server_shared_secret" },
		{ "ieee8021x=1\n", "needs auth_server_addr" },
		{ "ieee8021x=1\nauth_server_shared_secret=x\nauth_server_addr=127.0.0.1\n",
		  "line 2: auth_server_shared_secret must follow" },
		{ "ieee8021x=1\nauth_server_port=1812\nauth_server_addr=127.0.0.1\n",
		  "line 2: auth_server_port must follow" },
		{ "ieee8021x=1\nauth_server_addr=127.0.0.1\nauth_server_port=0\n",
		  "line 3: auth_server_port" },
		{ "ieee8021x=1\nauth_server_addr=127.0.0.1\nauth_server_port=65536\n",
		  "line 3: auth_server_port" },
		{ "ieee8021x=1\nauth_server_addr=127.0.0.1\n\nauth_server_port=18x\n",
		  "line 4: auth_server_port" },
		{ "ieee8021x=1\nauth_server_addr=radius.example\nauth_server_shared_secret=x\n",
		  "line 2: auth_server_addr" },
		{ "ieee8021x=1\nauth_server_addr=fe80::1%eth0\nauth_server_shared_secret=x\n",
		  "line 2: auth_server_addr" },
		{ "eapol_version=4\nieee8021x=1\n", "line 1: eapol_version" },
		{ "eapol_version=0\nieee8021x=1\n", "line 1: eapol_version" },
		{ "ieee8021x=1\nnetwork={\nkey_mgmt=NONE\n}\n", "line 2: a hostapd-style file "
		  "(ieee8021x=1) has no network blocks" },
		{ "network={\nkey_mgmt=NONE\n}\nieee8021x=1\n", "has no network blocks" },
		{ "ieee8021x=1\nauth_server_addr=127.0.0.1\nauth_server_shared_secret=\n",
		  "line 3: auth_server_shared_secret must be 1..128" },
		{ "ieee8021x=1\nmka_cak=00112233445566778899aabbccddeeff\n", "line 2: mka_cak" },
		{ "ieee8021x=1\nmka_ckn=01\n", "line 2: mka_ckn" },
		{ "ieee8021x=1\nmacsec_conf_offset=20\n", "line 2: macsec_conf_offset" },
		{ "ieee8021x=1\nmka_priority=256\n", "line 2: mka_priority" },
		{ "ieee8021x=1\nmacsec_policy=2\n", "line 2: macsec_policy" },
		{ "ieee8021x=1\nuse_pae_group_addr=2\n", "line 2: use_pae_group_addr" },
		{ "ieee8021x=1\neap_reauth_period=-1\n", "line 2: eap_reauth_period" },
		{ "ieee8021x=1\nvsecy_tx_period=0\n", "line 2: vsecy_tx_period" },
		{ "ieee8021x=1\nvsecy_ignore_logoff_secured=yes\n", "line 2: vsecy_ignore_logoff" },
		{ "ieee8021x=1\neap_server=1\n", "line 2: eap_server=1" },
		{ "ieee8021x=1\nnas_identifier=0123456789012345678901234567890123456789012345678\n",
		  "line 2: nas_identifier" },
		{ "ieee8021x=1\nwhat\n", "line 2: expected key=value" },
	};
	struct mkad_conf c;
	char err[256], text[512];
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]) && ok; i++) {
		err[0] = 0;
		ok = check(conf_parse(bad[i].text, &c, err, sizeof(err)) &&
			   strstr(err, bad[i].msg), "bad config %zu: error '%s', expected '%s'",
			   i, err, bad[i].msg);
	}
	/* 129 octets: too long; the error must not show it */
	snprintf(text, sizeof(text), "ieee8021x=1\nauth_server_addr=127.0.0.1\n"
		 "auth_server_shared_secret=%0129d\n", 7);
	ok = ok && check(conf_parse(text, &c, err, sizeof(err)) &&
			 strstr(err, "line 3: auth_server_shared_secret must be 1..128 octets") &&
			 !strstr(err, "0007"), "over-long secret: '%s'", err) &&
	     check(!c.auth.secret_len && !c.auth.enabled, "a failed parse left the settings");
	result(ok, "config: invalid hostapd.conf rejected with a message naming the key and line");
}

/* ieee8021x=1 at top level, and only there, makes a file the access device's. */
static void t_hostapd_choice(void)
{
	static const char *block =
		"network={\nkey_mgmt=NONE\nmka_cak=00112233445566778899aabbccddeeff\n"
		"mka_ckn=01\n}\n";
	struct mkad_conf c;
	char err[256], text[512], path[] = "/tmp/mkad-hostapd-XXXXXX";
	int ok, fd;

	snprintf(text, sizeof(text), "ieee8021x=0\neapol_version=3\n%s", block);
	ok = check(!conf_is_hostapd(text), "ieee8021x=0 taken for a hostapd.conf") &&
	     check(!conf_parse(text, &c, err, sizeof(err)), "%s", err) &&
	     check(!c.auth.enabled && c.n_ca == 1 && conf_port_ca(&c) == &c.ca[0] &&
		   !c.ca[0].obliged_ks, "ieee8021x=0: auth %d, %d CAs", c.auth.enabled, c.n_ca);
	conf_wipe(&c);
	ok = ok && check(conf_parse("ieee8021x=0\nauth_server_addr=127.0.0.1\n"
				    "auth_server_shared_secret=x\n", &c, err, sizeof(err)) &&
			 strstr(err, "no network block"), "ieee8021x=0 without a block: '%s'", err);
	/* hostapd: the last value counts */
	ok = ok && check(!conf_is_hostapd("ieee8021x=1\nieee8021x=0\n"), "1 then 0") &&
	     check(conf_is_hostapd("ieee8021x=0\n  ieee8021x = 1 \n"), "0 then 1, blanks") &&
	     check(!conf_is_hostapd("ieee8021x_x=1\n#ieee8021x=1\n"), "other key, comment") &&
	     check(!conf_is_hostapd("network={\nieee8021x=1\n}\n"), "inside a network block");
	snprintf(text, sizeof(text), "ctrl_interface=/run/wpa_supplicant\n%s", block);
	ok = ok && check(!conf_parse(text, &c, err, sizeof(err)) && !c.auth.enabled &&
			 c.n_ca == 1 && c.warnings == 0, "wpa_supplicant.conf: %s", err);
	conf_wipe(&c);

	/* through conf_load, as the daemon reads it */
	fd = mkstemp(path);
	ok = ok && check(fd >= 0 && write(fd, hwsim, strlen(hwsim)) == (ssize_t)strlen(hwsim),
			 "temporary file") &&
	     check(!conf_load(path, &c, err, sizeof(err)) && c.auth.enabled &&
		   c.auth.secret_len == 6, "conf_load: %s", err);
	conf_wipe(&c);
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	result(ok, "config: ieee8021x=1 at top level selects the hostapd.conf reader");
}

void t_conf_hostapd(void)
{
	t_hostapd_full();
	t_hostapd_ext();
	t_hostapd_bad();
	t_hostapd_choice();
}
