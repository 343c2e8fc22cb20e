#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Client-oriented mode: vsecy-mkad as the 802.1X access device. Debian's
# wpa_supplicant (key_mgmt=IEEE8021X, -Dmacsec_linux, the kernel's macsec
# on its side) authenticates with EAP-TLS or PEAP-MSCHAPv2; vsecy-mkad
# relays the EAP to Debian's hostapd as RADIUS server (driver=none,
# eap_server=1), derives the CAK and CKN from the MSK and the EAP
# Session-Id, is key server and programs the vsecy SecY. Logoff and the
# link going down remove the session at once; a re-authentication's new
# CA takes over.
#
#   ns 1: hostapd (RADIUS, 127.0.0.1:1812)     ns 2: wpa_supplicant
#         vsecy-mkad -c hostapd-style.conf           macsec0 192.0.2.2/24
#         vs1 (vsecy) 192.0.2.1/24
#         veth1 <=================================> veth2
#
# Lines "# time to secured", "# Logoff ... SAs gone", "# link down ...
# SAs gone" and "# ... lost N; longest gap" are the measurements.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"
. "$(dirname "$0")/mka_eap_lib.sh"

require_iproute2
trap mka_cleanup EXIT

# Test that a Logoff removes the session at once: vs1's SAs gone well
# within the MKA life time, nothing from the client delivered after.
test_logoff()
{
	local t0 rx0 rx1 d
	t0=$(now)
	wcli logoff > /dev/null || fail "wpa_cli logoff failed" || return 1
	wait_for 5 no_sas || { dump; fail "SAs still there after the Logoff"; return 1; }
	echo "Logoff: vs1's SAs gone $(elapsed "$t0") s after wpa_cli logoff (polled)"
	# in the daemon: from the Logoff frame to the CA's end (one loop turn)
	d=$(awk '/EAPOL-Logoff from/ { split($1, a, ":"); s = a[1]*3600 + a[2]*60 + a[3] }
		 /CA of CKN .* ends: 802.1X session ended/ && s { split($1, a, ":");
		 printf "%.3f", a[1]*3600 + a[2]*60 + a[3] - s; exit }' "$MKA_DIR/vs1.log")
	echo "Logoff frame to session gone in vsecy-mkad: ${d:-?} s"
	[ -n "$d" ] && awk -v d="$d" 'BEGIN { exit !(d < 0.5) }' ||
		{ dump; fail "session not ended within 0.5 s of the Logoff ($d)"; return 1; }
	# the client's SAs live on (its peer expires in 6-9 s): it still sends
	rx0=$(n 1 cat /sys/class/net/vs1/statistics/rx_packets)
	! ping_from_cli || fail "a ping from the client still answered after the Logoff" || return 1
	rx1=$(n 1 cat /sys/class/net/vs1/statistics/rx_packets)
	expect_eq "frames vs1 delivered from the client after the Logoff" 0 $((rx1 - rx0)) || return 1
	expect_eq "vs1 secured after the Logoff" false "$(mkad_status vs1 .secured)" || return 1
	expect_eq "authenticator CKN after the Logoff" "" "$(auth_ckn)" || return 1
	# wpa_supplicant is not told (its KaY runs on): its peer expires
	wait_for 12 grep -q "KaY: Live peer removed" "$MKA_DIR/wpa-2.log" ||
		fail "wpa_supplicant did not drop the ended CA's peer"
	echo "wpa_supplicant removed its live peer $(elapsed "$t0") s after the Logoff"
}

# Test that a new logon gives a new CKN and a secured link again.
test_logon()
{
	local old=$1 t0
	t0=$(now)
	wcli logon > /dev/null || fail "wpa_cli logon failed" || return 1
	wait_for 30 mkad_secured vs1 || { dump; return 1; }
	echo "secured again $(elapsed "$t0") s after wpa_cli logon"
	[ -n "$(auth_ckn)" ] && [ "$(auth_ckn)" != "$old" ] ||
		fail "CKN after the logon: '$(auth_ckn)', before: '$old'" || return 1
	expect_eq "CKN: vsecy-mkad vs wpa_supplicant's derived" "$(wpa_ckn)" "$(auth_ckn)" || return 1
	addr 2 macsec0 192.0.2.2 || return 1
	pings 1:192.0.2.2 || { dump; return 1; }
}

# Test a re-authentication under pings: a new CKN takes over, the old CA
# ends, the loss is measured.
test_reauth()
{
	local old out sent recv gap took rpid
	old=$(auth_ckn)
	cap_start 1 veth1 "$MKA_DIR/reauth.pcap" || return 1
	( sleep 2; vsecy-mkad -n vs1 -C "$MKA_DIR/ctl" -q REAUTH > /dev/null ) &
	rpid=$!
	out=$(gap_ping 8000)
	wait "$rpid"
	cap_stop
	# must secure: while no CA is there, nothing passes in the clear
	expect_eq "ICMP in the clear on veth1 across the re-authentication" 0 \
		"$(tcpdump -nr "$MKA_DIR/reauth.pcap" icmp 2>/dev/null | wc -l)" || return 1
	read -r sent recv gap took <<< "$out"
	sed -n '/re-authentication asked for/,$p' "$MKA_DIR/vs1.log" |
		grep -E '802.1X|CA of CKN|controlled port|secured' | head -n 12
	echo "re-authentication during pings every 2 ms: sent $sent, received $recv," \
		"lost $((sent - recv)); longest gap between replies $gap s (replies over $took s)"
	[ -n "$(auth_ckn)" ] && [ "$(auth_ckn)" != "$old" ] ||
		{ dump; fail "CKN after the re-authentication: '$(auth_ckn)', before: '$old'"; return 1; }
	mkad_log_has vs1 "re-authenticated: the old CA ends before the new one" ||
		{ DUMP_WPA=150 dump; fail "the old CA did not end"; return 1; }
	wait_for 10 mkad_secured vs1 && pings 1:192.0.2.2 || { DUMP_WPA=150 dump; return 1; }
}

# Test that the port's link going down (the client's end of the cable
# down: veth1 loses its carrier) ends the session at once, and that the
# client authenticates again when it comes back.
test_link_down()
{
	local t0
	mkad_secured vs1 || fail "not secured before the link went down" || return 1
	t0=$(now)
	n 2 ip link set veth2 down || return 1
	wait_for 5 no_sas || { n 2 ip link set veth2 up; dump; fail "SAs left after link down"; return 1; }
	echo "link down: vs1's SAs gone $(elapsed "$t0") s after ip link set down (polled)"
	mkad_log_has vs1 "link on veth1 down" || fail "no log line for the link going down" ||
		return 1
	expect_eq "secured with the link down" false "$(mkad_status vs1 .secured)" || return 1
	expect_eq "authenticator CKN with the link down" "" "$(auth_ckn)" || return 1
	t0=$(now)
	n 2 ip link set veth2 up || return 1
	wait_for 40 mkad_secured vs1 || { dump; return 1; }
	echo "secured again $(elapsed "$t0") s after the link came back"
	addr 2 macsec0 192.0.2.2 && pings 1:192.0.2.2 || { dump; return 1; }
}

# Test that a wrong password gives no MKA and delivers nothing.
test_wrong_password() { refused "with a wrong password" PEAP wrong-password; }

# Test that a RADIUS server that does not answer is reported, gives no
# session, and that the port recovers when it is back.
test_radius_down()
{
	local t0
	radius_stop
	wpa_reset 2
	wpa_conf TLS
	wpa_eap_start || return 1
	wait_for 40 mkad_log_has vs1 "does not answer" ||
		{ dump; fail "no log line for the silent RADIUS server"; return 1; }
	grep -m1 "does not answer" "$MKA_DIR/vs1.log" | sed 's/^/log: /'
	expect_eq "secured without a RADIUS server" false "$(mkad_status vs1 .secured)" || return 1
	t0=$(now)
	radius_start || return 1
	wait_for 40 mkad_secured vs1 || { dump; return 1; }
	echo "secured $(elapsed "$t0") s after the RADIUS server came back"
}

# Test that malformed EAPOL frames from the supplicant's address are
# dropped and counted, and the secured session goes on.
test_malformed()
{
	local m0 m1 f mac
	m0=$(mkad_status vs1 .authenticator.counters.rx_malformed)
	mac=0180c2000003$(n 2 cat /sys/class/net/veth2/address | tr -d :)888e
	for f in 0300 030000ff 0300000401000009 03000005020100ff01 0300000402010004; do
		n 2 "$(dirname "$0")/vsecy-inject" -i veth2 -k raw --hex "$mac$f" > /dev/null ||
			fail "vsecy-inject failed" || return 1
	done
	sleep 1
	m1=$(mkad_status vs1 .authenticator.counters.rx_malformed)
	[ "$m1" -ge $((m0 + 4)) ] || { dump; fail "malformed EAPOL counted: $m0 -> $m1"; return 1; }
	echo "malformed EAPOL frames counted: $((m1 - m0))"
	expect_eq "secured after malformed EAPOL" true "$(mkad_status vs1 .secured)" || return 1
	pings 1:192.0.2.2
}

eap_begin 10 mka_eap
run_case "radius: hostapd's RADIUS server passes eapol_test -e (EAP-TLS, PEAP)" test_radius_ref
run_case "eap: EAP-TLS via RADIUS: same CKN as wpa_supplicant, key server, secured, pings" test_eap_tls
CKN1=$(auth_ckn)
run_case "eap: wpa_cli logoff ends the session at once, nothing delivered after" test_logoff
run_case "eap: wpa_cli logon: a new CKN, secured again" test_logon "$CKN1"
run_case "eap: re-authentication under pings: the new CA takes over" test_reauth
run_case "eap: malformed EAPOL counted and dropped, session goes on" test_malformed
run_case "eap: link down ends the session at once; back up, secured again" test_link_down
run_case "eap: PEAP-MSCHAPv2 via RADIUS: secured, pings" test_peap
run_case "eap: wrong password: no MKA, nothing delivered" test_wrong_password
run_case "eap: RADIUS server down: logged, no session, recovery" test_radius_down
ktap_finished
