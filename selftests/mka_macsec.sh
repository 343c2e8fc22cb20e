#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MKA with a datapath: vsecy-mkad programs the kernel's macsec (backend
# "macsec", the reference next to the vsecy SecY that mka_vsecy.sh
# covers), against wpa_supplicant (which also drives the kernel's macsec)
# and against itself, and offloaded to a vsecy NIC (macsec_offload=2).
# Frames must flow once secured, and a rekey under traffic must lose none:
# this proves the order in which vsecy-mkad installs SAs (receive first,
# transmit once the peers can receive, old SA kept until the peers moved
# on).
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

# tx_pn NS DEV: the next PN of DEV's TX SA in use, from `ip macsec show`
# (for an offloaded device the kernel reads it from the NIC).
tx_pn()
{
	n "$1" ip macsec show "$2" | awk '
		/TXSC:/ { for (i = 1; i <= NF; i++) if ($i == "SA") an = $(i + 1); tx = 1; next }
		/RXSC:/ { tx = 0 }
		tx && $1 == an ":" { sub(",", "", $3); print $3 }'
}

# nic0_up: the vsecy NIC on veth1 in ns 1 (made once, kept).
nic0_up()
{
	n 1 ip link show nic0 >/dev/null 2>&1 && return 0
	vsecy_load && n 1 vsecy link add link veth1 nic0 mode offload && n 1 ip link set nic0 up
}

# offloaded DEV: ns 1's macsec device DEV says "offload: mac".
offloaded()
{
	n 1 ip macsec show "$1" | grep -q "offload: mac" ||
		fail "$1 is not offloaded: $(n 1 ip macsec show "$1")"
}

# Test MKA over offload: vsecy-mkad with macsec_offload=2, wpa_supplicant's
# key for MAC offload, makes the kernel's macsec link on a vsecy NIC with
# offload mac and keys it against wpa_supplicant on a software macsec:
# ping over MACsec, `ip macsec show` says "offload: mac" and the TX PN that
# the NIC writes back advances with the traffic.
test_offload()
{
	local pn0 pn1
	mkad_stop vs1
	wpa_reset 2
	nic0_up || return 1
	mka_conf "$C1" 16 "macsec_offload=2"
	mka_conf "$C2" 200
	wpa_start 2 veth2 "$C2" || return 1
	mkad_start 1 nic0 vs1 "$C1" || return 1
	wait_for 30 wpa_secured 2 veth2 "$C2" && wait_for 10 mkad_secured vs1 || { dump; return 1; }
	offloaded vs1 || return 1
	addr 1 vs1 192.0.2.1 && addr 2 macsec0 192.0.2.2 || { dump; return 1; }
	wait_for 20 ping_ok || { dump; fail "no ping over the offloaded MACsec"; return 1; }
	pn0=$(tx_pn 1 vs1)
	n 1 ping -c 5 -i 0.2 -W 1 192.0.2.2 > /dev/null || fail "pings over the offloaded MACsec lost" ||
		return 1
	pn1=$(tx_pn 1 vs1)
	[ -n "$pn0" ] && [ -n "$pn1" ] && [ "$pn1" -ge $((pn0 + 5)) ] ||
		fail "TX PN of vs1 after 5 pings: expected >= $pn0 + 5, observed '$pn1'"
}

# Test Debian's wpa_supplicant 2.10, which has no macsec_offload, on a
# macsec link offloaded to a vsecy NIC that was made beforehand with the
# SCI it will use (the NIC's address, port 1): its macsec_linux driver
# finds the link busy and takes it over, so it keys the offloaded link
# (against vsecy-mkad on a software macsec in ns 2).
test_wpa_preoffloaded()
{
	mkad_stop vs1
	wpa_reset 2
	n 1 ip link del vs1 2>/dev/null
	nic0_up || return 1
	n 1 ip link add link nic0 macsec0 type macsec port 1 cipher gcm-aes-128 offload mac ||
		return 1
	mka_conf "$C1" 200
	mka_conf "$C2" 16
	wpa_start 1 nic0 "$C1" || return 1
	mkad_start 2 veth2 vs2 "$C2" || return 1
	wait_for 30 wpa_secured 1 nic0 "$C1" && wait_for 10 mkad_secured vs2 || { dump; return 1; }
	offloaded macsec0 || return 1
	addr 1 macsec0 192.0.2.1 && addr 2 vs2 192.0.2.2 || { dump; return 1; }
	wait_for 20 ping_ok || { dump; fail "no ping over the offloaded macsec0"; return 1; }
	expect_eq "macsec devices on nic0 (wpa_supplicant made none of its own)" 1 \
		"$(n 1 ip -o link show type macsec | grep -c '@nic0')"
}

ktap_print_header
ktap_set_plan 8
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "vsecy-mkad (kernel macsec) and wpa_supplicant: ping over MACsec" test_wpa_ping
run_case "rekey under traffic loses no frame" test_rekey_under_traffic
run_case "wpa_supplicant restarts: traffic resumes" test_wpa_restart
run_case "wpa_supplicant key server: ping over MACsec" test_wpa_key_server
run_case "vsecy-mkad pair, gcm-aes-256: ping" test_mkad_pair gcm-aes-256
run_case "vsecy-mkad pair, gcm-aes-xpn-128: ping" test_mkad_pair gcm-aes-xpn-128
run_case "vsecy-mkad offloaded (macsec_offload=2) to a vsecy NIC, wpa_supplicant: ping, PN advancing" test_offload
run_case "wpa_supplicant 2.10 keys a macsec link offloaded to a vsecy NIC beforehand" test_wpa_preoffloaded
ktap_finished
