#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MKA with a datapath: vsecy-mkad programs the kernel's macsec (backend
# "macsec", the reference next to the vsecy SecY that mka_vsecy.sh
# covers), against wpa_supplicant (which also drives the kernel's macsec)
# and against itself. Frames must flow once secured, and a rekey under
# traffic must lose none: this proves the order in which vsecy-mkad
# installs SAs (receive first, transmit once the peers can receive, old SA
# kept until the peers moved on).
#
#   ns 1: veth1 <======> veth2 :ns 2
#          |                |
#         vs1 (macsec,     macsec0 (wpa_supplicant) or vs2 (vsecy-mkad)
#         vsecy-mkad)
#   192.0.2.1/24          192.0.2.2/24

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
trap mka_cleanup EXIT
MKAD_BACKEND=macsec

C1=$MKA_DIR/n1.conf
C2=$MKA_DIR/n2.conf

setup()
{
	modprobe macsec || { echo "# no macsec module"; return 1; }
	mka_pair_setup
}

dump()
{
	local i
	for i in 1 2; do
		echo "ns $i: ip -s macsec show"
		n "$i" ip -s macsec show 2>&1 | sed 's/^/  /'
	done
	echo "vsecy-mkad log (tail):"
	tail -n 20 "$MKA_DIR/vs1.log" | sed 's/^/  /'
}

# Test that vsecy-mkad (key server, kernel macsec) and wpa_supplicant reach
# each other over MACsec.
test_wpa_ping()
{
	local t0
	mka_conf "$C1" 16
	mka_conf "$C2" 200
	t0=$(now)
	wpa_start 2 veth2 "$C2" || return 1
	mkad_start 1 veth1 vs1 "$C1" || return 1
	wait_for 30 wpa_secured 2 veth2 "$C2" && wait_for 10 mkad_secured vs1 || { dump; return 1; }
	addr 1 vs1 192.0.2.1 && addr 2 macsec0 192.0.2.2 || { dump; return 1; }
	wait_for 20 ping_ok || { dump; fail "no ping over MACsec"; return 1; }
	echo "ping over MACsec $(elapsed "$t0") s after start"
	n 2 ip -s macsec show | grep -q "InPktsOK" || true
	[ "$(n 1 ip -s -j link show dev vs1 | jq '.[0].stats64.rx.packets')" -gt 0 ] ||
		fail "vs1 received nothing"
}

# Test that a rekey by vsecy-mkad under continuous traffic loses no frame.
test_rekey_under_traffic()
{
	local out sent recv kn0
	kn0=$(mkad_status vs1 .latest_sak.kn)
	out=$(rekey_ping 10)
	read -r sent recv <<< "$out"
	echo "rekey during 10 s of pings every 2 ms: sent $sent, received $recv, lost $((sent - recv))"
	expect_eq "KN after the rekey" $((kn0 + 1)) "$(mkad_status vs1 .latest_sak.kn)" || return 1
	expect_eq "vsecy-mkad transmits with the new SAK" true "$(mkad_status vs1 .latest_sak.tx)" || return 1
	n 2 ip macsec show | grep -q "TXSC: .* on SA $(mkad_status vs1 .latest_sak.an)" ||
		{ dump; fail "wpa_supplicant does not transmit on the new AN"; return 1; }
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "ping did not run: '$out'" || return 1
	expect_eq "pings lost across the rekey" 0 $((sent - recv))
}

# Test that with wpa_supplicant as key server the datapath works too.
test_wpa_key_server()
{
	mkad_stop vs1
	wpa_reset 2
	mka_conf "$C1" 250
	mka_conf "$C2" 16
	wpa_start 2 veth2 "$C2" || return 1
	mkad_start 1 veth1 vs1 "$C1" || return 1
	wait_for 30 wpa_secured 2 veth2 "$C2" && wait_for 10 mkad_secured vs1 || { dump; return 1; }
	expect_eq "vsecy-mkad key_server.self" false "$(mkad_status vs1 .key_server.self)" || return 1
	addr 1 vs1 192.0.2.1 && addr 2 macsec0 192.0.2.2 || { dump; return 1; }
	wait_for 20 ping_ok || { dump; fail "no ping over MACsec"; return 1; }
}

# Test vsecy-mkad against itself with a cipher suite over the datapath.
test_mkad_pair()
{
	local cs=$1
	mkad_stop vs1
	wpa_reset 2
	mka_conf "$C1" 16 "macsec_ciphersuite=$cs"
	mka_conf "$C2" 100 "macsec_ciphersuite=$cs"
	mkad_start 1 veth1 vs1 "$C1" && mkad_start 2 veth2 vs2 "$C2" || return 1
	wait_for 15 mkad_secured vs1 && wait_for 10 mkad_secured vs2 || { dump; return 1; }
	addr 1 vs1 192.0.2.1 && addr 2 vs2 192.0.2.2 || { dump; return 1; }
	wait_for 20 ping_ok || { dump; fail "no ping over MACsec with $cs"; return 1; }
	n 1 ip macsec show vs1 | grep -qi "cipher suite: $cs" ||
		fail "vs1 cipher suite: $(n 1 ip macsec show vs1 | grep -i 'cipher')" || return 1
	mkad_stop vs2
}

ktap_print_header
ktap_set_plan 6
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "vsecy-mkad (kernel macsec) and wpa_supplicant: ping over MACsec" test_wpa_ping
run_case "rekey under traffic loses no frame" test_rekey_under_traffic
run_case "wpa_supplicant restarts: traffic resumes" test_wpa_restart
run_case "wpa_supplicant key server: ping over MACsec" test_wpa_key_server
run_case "vsecy-mkad pair, gcm-aes-256: ping" test_mkad_pair gcm-aes-256
run_case "vsecy-mkad pair, gcm-aes-xpn-128: ping" test_mkad_pair gcm-aes-xpn-128
ktap_finished
