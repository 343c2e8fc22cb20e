#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsecy-mkad as the 802.1X supplicant (a wpa_supplicant.conf with
# key_mgmt=IEEE8021X, EAP-TLS over OpenSSL): against vsecy-mkad's access
# device end to end (hostapd as RADIUS server), and against Debian's
# hostapd as wired 802.1X authenticator (driver=wired, its own EAP
# server) for the EAP part (Debian's hostapd has no MACsec).
#
#   ns 1: hostapd (RADIUS, 127.0.0.1:1812)     ns 2: vsecy-mkad -c supp.conf
#         vsecy-mkad -c acc.conf, vs1                  vs2 192.0.2.2/24
#         (or hostapd driver=wired)
#         veth1 <=================================> veth2

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"
. "$(dirname "$0")/mka_eap_lib.sh"

require_iproute2
trap mka_cleanup EXIT

SUPP=$MKA_DIR/supp.conf

# supp_conf [CA [DOMAIN]]: the supplicant's wpa_supplicant.conf (CA: the
# file name of the CA that it trusts, default ca; DOMAIN: its
# domain_suffix_match, default test: the server is server.test, a CN
# without subjectAltName). Held 5 s after a failure,
# EAPOL-Start every 3 s (hostapd's wired authenticator ignores a Start
# that comes right after a Logoff; 802.1X's 30 s would slow the test).
supp_conf()
{
	cat > "$SUPP" <<-EOF
	eapol_version=3
	ap_scan=0
	network={
		key_mgmt=IEEE8021X
		eapol_flags=0
		macsec_policy=1
		eap=TLS
		identity="client"
		ca_cert="$MKA_DIR/${1:-ca}.pem"
		domain_suffix_match="${2:-test}"
		client_cert="$MKA_DIR/client.pem"
		private_key="$MKA_DIR/client.key"
		vsecy_held_period=5
		vsecy_start_period=3
	}
	EOF
}

supp() { mkad_status vs2 ".supplicant.$1"; }
supp_is() { [ "$(supp state)" = "$1" ]; }
same_ckn() { [ -n "$(supp ckn)" ] && [ "$(supp ckn)" = "$(auth_ckn)" ]; }
both_secured() { mkad_secured vs1 && mkad_secured vs2; }

# Test vsecy-mkad supplicant and access device end to end.
test_supp_acc()
{
	local t0
	radius_start || return 1
	acc_conf
	# the supplicant is not wpa_supplicant: CAs may overlap
	echo mka_wpa_compat=0 >> "$ACC"
	supp_conf
	: > "$MKA_DIR/vs1.log"
	: > "$MKA_DIR/vs2.log"
	t0=$(now)
	mkad_start 1 veth1 vs1 "$ACC" && mkad_start 2 veth2 vs2 "$SUPP" || return 1
	wait_for 40 both_secured || { supp_dump; return 1; }
	echo "time to secured: $(elapsed "$t0") s (vsecy-mkad supplicant, EAP-TLS $(supp tls_version))"
	expect_eq "supplicant state" AUTHENTICATED "$(supp state)" || return 1
	same_ckn || fail "CKN: supplicant '$(supp ckn)', access device '$(auth_ckn)'" || return 1
	expect_eq "access device key server" true "$(mkad_status vs1 .key_server.self)" || return 1
	expect_eq "supplicant key server" false "$(mkad_status vs2 .key_server.self)" || return 1
	addr 1 vs1 192.0.2.1 && addr 2 vs2 192.0.2.2 || return 1
	pings 1:192.0.2.2 2:192.0.2.1 || { supp_dump; return 1; }
	n 2 vsecy mka status vs2 dir "$MKA_DIR/ctl" | grep -q "supplicant: AUTHENTICATED" ||
		fail "vsecy mka status does not show the supplicant"
}

supp_dump()
{
	local i
	for i in 1 2; do
		echo "vs$i: $(mkad_status vs$i -c 2>&1 | cut -c1-1200)"
		echo "vsecy-mkad vs$i log (tail):"
		tail -n 20 "$MKA_DIR/vs$i.log" | sed 's/^/  /'
	done
}

# Test a re-authentication under pings: a new CKN at both ends, secured
# again; the new CA takes over beside the old one (mka_wpa_compat=0), the
# loss and the longest gap are the measurement.
test_supp_reauth()
{
	local old=$(auth_ckn) out sent recv gap span rpid
	( sleep 2; vsecy-mkad -n vs1 -C "$MKA_DIR/ctl" -q REAUTH > /dev/null ) &
	rpid=$!
	out=$(gap_ping 5000)
	wait "$rpid"
	read -r sent recv gap span <<< "$out"
	echo "re-authentication during pings every 2 ms: sent $sent, received $recv," \
		"lost $((sent - recv)); longest gap between replies $gap s (replies over $span s)"
	wait_for 40 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS |
		jq -r .authenticator.ckn)\" != $old ]" || { supp_dump; fail "no new CKN"; return 1; }
	wait_for 30 same_ckn && wait_for 30 both_secured || { supp_dump; return 1; }
	echo "re-authenticated: CKN $old -> $(auth_ckn) at both ends"
	mkad_log_has vs1 "re-authenticated: the new CA took over" ||
		{ supp_dump; fail "the old CA did not retire after the new one took over"; return 1; }
	pings 1:192.0.2.2 || { supp_dump; return 1; }
}

# Test that the supplicant's stop (an EAPOL-Logoff) ends the access
# device's session at once.
test_supp_logoff()
{
	local t0
	t0=$(now)
	mkad_stop vs2
	wait_for 5 no_sas || { supp_dump; fail "the access device's SAs stayed"; return 1; }
	echo "access device's SAs gone $(elapsed "$t0") s after the supplicant stopped"
	mkad_log_has vs1 "EAPOL-Logoff from" || fail "no Logoff seen by the access device"
}

# hostapd as the wired 802.1X authenticator in ns 1, with its own EAP
# server (EAP-TLS); eapol_version 3 is MACsec's, which Debian's hostapd
# is built without.
wired_start()
{
	local d=$MKA_DIR
	cat > "$d/wired.conf" <<-EOF
	interface=veth1
	driver=wired
	ieee8021x=1
	eapol_version=2
	use_pae_group_addr=1
	eap_server=1
	eap_user_file=$d/eap_user
	ca_cert=$d/ca.pem
	server_cert=$d/server.pem
	private_key=$d/server.key
	EOF
	: > "$d/wired.log"
	n 1 hostapd -B -P "$d/wired.pid" -f "$d/wired.log" -dd "$d/wired.conf" ||
		{ tail -n 5 "$d/wired.log"; fail "hostapd (driver=wired) did not start"; return 1; }
	wait_for 5 test -s "$d/wired.pid"
}

# Test the supplicant against hostapd's wired authenticator: EAP-TLS
# succeeds, the port is authorized.
test_supp_wired()
{
	mkad_stop vs1
	wired_start || return 1
	supp_conf
	: > "$MKA_DIR/vs2.log"
	mkad_start 2 veth2 vs2 "$SUPP" || return 1
	wait_for 40 grep -q "CTRL-EVENT-EAP-SUCCESS" "$MKA_DIR/wired.log" ||
		{ supp_dump; tail -n 30 "$MKA_DIR/wired.log"; fail "hostapd saw no EAP success"; return 1; }
	wait_for 10 supp_is AUTHENTICATED || { supp_dump; return 1; }
	grep -m1 "IEEE 802.1X: authorizing port" "$MKA_DIR/wired.log" | sed 's/^/hostapd: /'
	echo "supplicant: $(supp state), EAP $(supp eap_method) $(supp tls_version)"
}

# Test that a server certificate of another CA is refused: no
# authentication, the supplicant held.
test_supp_rogue_ca()
{
	local f0
	mkad_stop vs2
	supp_conf rogue-ca
	: > "$MKA_DIR/vs2.log"
	mkad_start 2 veth2 vs2 "$SUPP" || return 1
	wait_for 40 grep -q "CTRL-EVENT-EAP-FAILURE" "$MKA_DIR/wired.log" ||
		{ supp_dump; fail "hostapd saw no EAP failure"; return 1; }
	f0=$(supp counters.auth_fail)
	[ "$f0" -ge 1 ] || { supp_dump; fail "no failed authentication counted"; return 1; }
	expect_eq "supplicant CKN with a rogue CA" "" "$(supp ckn)" || return 1
	grep -m1 -i "certificate\|verify" "$MKA_DIR/vs2.log" | sed 's/^/vsecy-mkad: /'
	supp_is AUTHENTICATED && fail "authenticated with a rogue CA"
	return 0
}

# Test that a server certificate of the right CA but another name
# (domain_suffix_match) is refused.
test_supp_wrong_name()
{
	mkad_stop vs2
	supp_conf ca example.org
	: > "$MKA_DIR/vs2.log"
	mkad_start 2 veth2 vs2 "$SUPP" || return 1
	wait_for 40 mkad_log_has vs2 "does not match domain_suffix_match" ||
		{ supp_dump; fail "no refusal of the server's name logged"; return 1; }
	grep -m1 "does not match" "$MKA_DIR/vs2.log" | sed 's/^/vsecy-mkad: /'
	sleep 1
	expect_eq "supplicant CKN with another server name" "" "$(supp ckn)" || return 1
	supp_is AUTHENTICATED && fail "authenticated to a server of another name"
	return 0
}

eap_begin 6 mka_eap_supp
run_case "supplicant: vsecy-mkad to vsecy-mkad's access device: same CKN, secured, pings" \
	test_supp_acc
run_case "supplicant: re-authentication: a new CKN at both ends, secured" test_supp_reauth
run_case "supplicant: its stop (EAPOL-Logoff) ends the access device's session at once" \
	test_supp_logoff
run_case "supplicant: against hostapd's wired authenticator: EAP-TLS succeeds" test_supp_wired
run_case "supplicant: a server certificate of another CA is refused" test_supp_rogue_ca
run_case "supplicant: a server of another name (domain_suffix_match) is refused" \
	test_supp_wrong_name
ktap_finished
