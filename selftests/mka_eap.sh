#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Client-oriented mode: vsecy-mkad as the 802.1X access device. Debian's
# wpa_supplicant (key_mgmt=IEEE8021X, -Dmacsec_linux, the kernel's macsec
# on its side) authenticates with EAP-TLS or PEAP-MSCHAPv2; vsecy-mkad
# relays the EAP to Debian's hostapd as RADIUS server (driver=none,
# eap_server=1), derives the CAK and CKN from the MSK and the EAP
# Session-Id, is key server and programs the vsecy SecY. Logoff removes
# the session at once; a re-authentication's new CA takes over.
#
#   ns 1: hostapd (RADIUS, 127.0.0.1:1812)     ns 2: wpa_supplicant
#         vsecy-mkad -c hostapd-style.conf           macsec0 192.0.2.2/24
#         vs1 (vsecy) 192.0.2.1/24
#         veth1 <=================================> veth2
#
# Lines "# time to secured", "# Logoff ... SAs gone" and "# ... lost N"
# are the measurements.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
trap mka_cleanup EXIT
MKAD_BACKEND=vsecy
export OPENSSL_CONF=$MKA_DIR/openssl.cnf

ACC=$MKA_DIR/acc.conf
WPA=$MKA_DIR/wpa.conf
SECRET=vsecy-radius-secret

setup()
{
	modprobe macsec || { echo "# no macsec module"; return 1; }
	vsecy_load || { echo "# no vsecy module"; return 1; }
	mka_pair_setup && n 1 ip link set lo up || return 1
	# the OpenSSL 3 legacy provider, for MSCHAPv2's MD4 (wpa_supplicant
	# and hostapd load it themselves); an empty configuration otherwise
	printf 'openssl_conf = oc\n[oc]\n' > "$OPENSSL_CONF"
	certs
}

# A P-256 test CA, the RADIUS server's certificate and the client's.
certs()
{
	local d=$MKA_DIR n
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-keyout "$d/ca.key" -out "$d/ca.pem" -subj /CN=vsecy-test-ca 2>/dev/null || return 1
	for n in server client; do
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$d/$n.key" -out "$d/$n.csr" -subj "/CN=$n.test" 2>/dev/null &&
		openssl x509 -req -in "$d/$n.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
			-CAcreateserial -days 2 -out "$d/$n.pem" 2>/dev/null || return 1
	done
}

# hostapd as RADIUS/EAP server in ns 1, with the shared secret $1.
radius_start()
{
	local d=$MKA_DIR
	cat > "$d/as.conf" <<-EOF
	driver=none
	interface=as0
	eap_server=1
	eap_user_file=$d/eap_user
	radius_server_clients=$d/radius_clients
	radius_server_auth_port=1812
	ca_cert=$d/ca.pem
	server_cert=$d/server.pem
	private_key=$d/server.key
	EOF
	printf '* TLS,PEAP\n"bob" MSCHAPV2 "hello" [2]\n' > "$d/eap_user"
	printf '127.0.0.1/32 %s\n' "${1:-$SECRET}" > "$d/radius_clients"
	n 1 hostapd -B -P "$d/hostapd.pid" -f "$d/hostapd.log" "$d/as.conf" ||
		fail "hostapd (RADIUS server) did not start" || return 1
	wait_for 5 test -s "$d/hostapd.pid"
}

radius_stop()
{
	local pid
	pid=$(cat "$MKA_DIR/hostapd.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"
	rm -f "$MKA_DIR/hostapd.pid"
}

# wpa_conf METHOD [PASSWORD]: the client's wpa_supplicant.conf.
wpa_conf()
{
	{
		echo "ctrl_interface=$MKA_DIR/wpa-ctrl-wpa.conf"
		echo "eapol_version=3"
		echo "ap_scan=0"
		echo "network={"
		echo "	key_mgmt=IEEE8021X"
		echo "	eapol_flags=0"
		echo "	macsec_policy=1"
		echo "	ca_cert=\"$MKA_DIR/ca.pem\""
		if [ "$1" = TLS ]; then
			echo "	eap=TLS"
			echo "	identity=\"client\""
			echo "	client_cert=\"$MKA_DIR/client.pem\""
			echo "	private_key=\"$MKA_DIR/client.key\""
		else
			echo "	eap=PEAP"
			echo "	identity=\"bob\""
			echo "	password=\"${2:-hello}\""
			echo "	phase2=\"auth=MSCHAPV2\""
		fi
		echo "}"
	} > "$WPA"
}

# The access device's hostapd.conf, as hostapd's wired MACsec
# authenticator reads it (interface and driver are hostapd's: ignored).
acc_conf()
{
	cat > "$ACC" <<-EOF
	interface=veth1
	driver=macsec_linux
	eapol_version=3
	ieee8021x=1
	use_pae_group_addr=1
	macsec_policy=1
	mka_priority=16
	auth_server_addr=127.0.0.1
	auth_server_port=1812
	auth_server_shared_secret=$SECRET
	eap_reauth_period=0
	vsecy_tx_period=2
	vsecy_quiet_period=3
	EOF
}

# wpa_supplicant in ns 2, logging with keys (-K: its derived CAK and CKN).
wpa_eap_start()
{
	n 2 wpa_supplicant -B -i veth2 -Dmacsec_linux -c "$WPA" -P "$MKA_DIR/wpa-2.pid" \
		-f "$MKA_DIR/wpa-2.log" -dd -K ||
		fail "wpa_supplicant -Dmacsec_linux (EAP) failed to start"
}

wcli() { n 2 wpa_cli -p "$MKA_DIR/wpa-ctrl-wpa.conf" -i veth2 "$@"; }

# SAs on vs1 (RX and TX).
sas() { n 1 vsecy -j show vs1 | jq '[.. | .sa_list? // empty | .[]] | length'; }
no_sas() { [ "$(sas)" = 0 ]; }
ping_from_cli() { n 2 ping -c 1 -W 1 192.0.2.1 > /dev/null 2>&1; }
auth_ckn() { mkad_status vs1 .authenticator.ckn; }
# the CKN wpa_supplicant derived last (its -dd log)
wpa_ckn()
{
	grep 'Derived CKN' "$MKA_DIR/wpa-2.log" | tail -n 1 | sed 's/.*): //' | tr -d ' '
}

dump()
{
	echo "vs1: $(mkad_status vs1 -c 2>&1 | cut -c1-1600)"
	n 1 vsecy show vs1 2>&1 | sed 's/^/  /'
	echo "ns 2: wpa_cli status"
	wcli status 2>&1 | sed 's/^/  /'
	echo "vsecy-mkad vs1 log (tail):"
	tail -n 30 "$MKA_DIR/vs1.log" | sed 's/^/  /'
	echo "wpa_supplicant log (EAP/KaY lines):"
	grep -E 'CTRL-EVENT|KaY|CP:|Derived CKN|participant|Participant|live|peer' "$MKA_DIR/wpa-2.log" |
		grep -v 'hexdump\|MKPDU' | tail -n "${DUMP_WPA:-25}" | sed 's/^/  /'
}

# Test that the RADIUS server answers a reference NAS (eapol_test -e:
# EAP-Key-Name asked for and checked, MPPE keys checked) for both methods.
test_radius_ref()
{
	local m
	radius_start || return 1
	for m in TLS PEAP; do
		wpa_conf "$m"
		n 1 eapol_test -e -c "$WPA" -a 127.0.0.1 -s "$SECRET" > "$MKA_DIR/eapol_test-$m.log" 2>&1 ||
			{ tail -n 15 "$MKA_DIR/eapol_test-$m.log"; fail "eapol_test $m failed"; return 1; }
		grep -q "MPPE keys OK: 1" "$MKA_DIR/eapol_test-$m.log" ||
			fail "eapol_test $m: MPPE keys not OK" || return 1
	done
}

# Test EAP-TLS end to end: authenticated, the same CKN at both ends,
# vsecy-mkad key server, secured, pings both ways, status.
test_eap_tls()
{
	local t0 st
	wpa_conf TLS
	acc_conf
	: > "$MKA_DIR/vs1.log"
	t0=$(now)
	mkad_start 1 veth1 vs1 "$ACC" && wpa_eap_start || return 1
	wait_for 30 mkad_secured vs1 && wait_for 20 wpa_secured 2 veth2 "$WPA" || { dump; return 1; }
	echo "time to secured: $(elapsed "$t0") s (EAP-TLS, RADIUS, MKA)"
	grep -q "EAPOL authentication completed - result=SUCCESS" "$MKA_DIR/wpa-2.log" ||
		fail "wpa_supplicant did not complete EAP" || return 1
	expect_eq "CKN: vsecy-mkad vs wpa_supplicant's derived" "$(wpa_ckn)" "$(auth_ckn)" || return 1
	expect_eq "principal CKN is the EAP one" "$(auth_ckn)" "$(mkad_status vs1 .ckn)" || return 1
	expect_eq "vsecy-mkad is key server" true "$(mkad_status vs1 .key_server.self)" || return 1
	addr 1 vs1 192.0.2.1 && addr 2 macsec0 192.0.2.2 || { dump; return 1; }
	pings 1:192.0.2.2 2:192.0.2.1 || { dump; return 1; }
	st=$(n 1 vsecy mka status vs1 dir "$MKA_DIR/ctl")
	grep -q 'authenticator: AUTHENTICATED, supplicant .* identity "client" EAP EAP-TLS' <<< "$st" ||
		{ echo "$st"; fail "vsecy mka status does not show the authenticated supplicant"; return 1; }
	grep -q "RADIUS server 127.0.0.1:1812" <<< "$st" || fail "no RADIUS server in status"
}

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
	local old out sent recv rpid
	old=$(auth_ckn)
	cap_start 1 veth1 "$MKA_DIR/reauth.pcap" || return 1
	( sleep 2; vsecy-mkad -n vs1 -C "$MKA_DIR/ctl" -q REAUTH > /dev/null ) &
	rpid=$!
	out=$(lossy_ping 16)
	wait "$rpid"
	cap_stop
	# must secure: while no CA is there, nothing passes in the clear
	expect_eq "ICMP in the clear on veth1 across the re-authentication" 0 \
		"$(tcpdump -nr "$MKA_DIR/reauth.pcap" icmp 2>/dev/null | wc -l)" || return 1
	read -r sent recv <<< "$out"
	sed -n '/re-authentication asked for/,$p' "$MKA_DIR/vs1.log" |
		grep -E '802.1X|CA of CKN|controlled port|secured' | head -n 12
	echo "re-authentication during 16 s of pings every 2 ms: sent $sent, received $recv," \
		"lost $((sent - recv))"
	[ -n "$(auth_ckn)" ] && [ "$(auth_ckn)" != "$old" ] ||
		{ dump; fail "CKN after the re-authentication: '$(auth_ckn)', before: '$old'"; return 1; }
	mkad_log_has vs1 "re-authenticated: the old CA ends before the new one" ||
		{ DUMP_WPA=150 dump; fail "the old CA did not end"; return 1; }
	wait_for 10 mkad_secured vs1 && pings 1:192.0.2.2 || { DUMP_WPA=150 dump; return 1; }
}

# Test PEAP-MSCHAPv2 end to end.
test_peap()
{
	wpa_reset 2
	wpa_conf PEAP
	wpa_eap_start || return 1
	# the TLS session goes on until the new exchange replaces it
	mkad_wait 40 vs1 '.authenticator.identity == "bob" and .secured' || { dump; return 1; }
	expect_eq "EAP method" PEAP "$(mkad_status vs1 .authenticator.eap_method)" || return 1
	expect_eq "identity" bob "$(mkad_status vs1 .authenticator.identity)" || return 1
	expect_eq "CKN: vsecy-mkad vs wpa_supplicant's derived" "$(wpa_ckn)" "$(auth_ckn)" || return 1
	addr 2 macsec0 192.0.2.2 && pings 2:192.0.2.1 || { dump; return 1; }
}

fails_above() { [ "$(mkad_status vs1 .authenticator.counters.auth_fail)" -gt "$1" ]; }

# Test that a wrong password gives no MKA and delivers nothing.
test_wrong_password()
{
	local f0
	f0=$(mkad_status vs1 .authenticator.counters.auth_fail)
	wpa_reset 2
	wait_for 10 no_sas || { dump; fail "SAs left after wpa_supplicant stopped"; return 1; }
	wpa_conf PEAP wrong-password
	wpa_eap_start || return 1
	wait_for 30 fails_above "$f0" ||
		{ dump; fail "no failed authentication counted"; return 1; }
	sleep 2
	expect_eq "secured with a wrong password" false "$(mkad_status vs1 .secured)" || return 1
	expect_eq "participants with a wrong password" 0 "$(mkad_status vs1 '.participants | length')" ||
		return 1
	expect_eq "SAs with a wrong password" 0 "$(sas)" || return 1
	! ping_from_cli || fail "a ping answered without authentication"
}

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

ktap_print_header
ktap_set_plan 9
if ! setup; then
	for i in $(seq 9); do ktap_test_skip "mka_eap: no setup"; done
	ktap_finished
fi
run_case "radius: hostapd's RADIUS server passes eapol_test -e (EAP-TLS, PEAP)" test_radius_ref
run_case "eap: EAP-TLS via RADIUS: same CKN as wpa_supplicant, key server, secured, pings" test_eap_tls
CKN1=$(auth_ckn)
run_case "eap: wpa_cli logoff ends the session at once, nothing delivered after" test_logoff
run_case "eap: wpa_cli logon: a new CKN, secured again" test_logon "$CKN1"
run_case "eap: re-authentication under pings: the new CA takes over" test_reauth
run_case "eap: malformed EAPOL counted and dropped, session goes on" test_malformed
run_case "eap: PEAP-MSCHAPv2 via RADIUS: secured, pings" test_peap
run_case "eap: wrong password: no MKA, nothing delivered" test_wrong_password
run_case "eap: RADIUS server down: logged, no session, recovery" test_radius_down
ktap_finished
