#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The MACsec-offload NIC's control plane and life cycle, set up with
# stock iproute2 only: the kernel's rules for turning offload on and off
# (those of netdevsim/macsec-offload.sh that are not netdevsim's limits),
# several SecYs on one NIC and `vsecy show` of it, the PN written back
# into the core's SAs (`ip macsec show`), PN exhaustion through the core's
# macsec_pn_wrapped(), a SecY brought down under a flood (nothing in the
# clear on the wire), RX SCs and SAs added and deleted under a flood, and
# the macsec device, the NIC and the module going under a flood.
#
#   ns 1                                  ns 2
#   ms0 (macsec, offload mac) 10.9.1.1    ms0 (macsec, software) 10.9.1.2
#     |                                     |
#   nic0 (vsecy, mode offload)              |
#     |                                     |
#   veth1 <==============================> veth2 (tcpdump: the wire)

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vsecy_offload_lib.sh"

require_iproute2
TMP=$(mktemp -d)
CAP_PIDS=
FLOOD=
trap 'stop_flood; cap_stop; ns_cleanup; rm -rf "$TMP"' EXIT

K1=00112233445566778899aabbccddeeff
K2=0f0e0d0c0b0a09080706050403020100
NIC_MAC=02:00:00:00:01:01
PEER_MAC=02:00:00:00:02:02

stop_flood()
{
	[ -n "$FLOOD" ] || return 0
	kill "$FLOOD" 2>/dev/null
	wait "$FLOOD" 2>/dev/null
	FLOOD=
}

# The namespaces, the wire and the NIC; no IPv6, whose own frames the NIC
# (a plaintext device by design) would send in the clear.
setup_nic()
{
	ns_cleanup
	ns_wire $NIC_MAC $PEER_MAC &&
	n 1 vsecy link add link veth1 nic0 mode offload && n 1 ip link set nic0 up
}

# pair [TXPN]: ms0 offloaded on nic0 (TX SA 0 from TXPN, default 1)
# against a software macsec ms0 in ns 2, both up, pinging.
pair()
{
	n 1 ip -batch - <<-EOF || return 1
	link add link nic0 ms0 type macsec port 1 encrypt on offload mac
	macsec add ms0 tx sa 0 pn ${1:-1} on key 01 $K1
	macsec add ms0 rx port 1 address $PEER_MAC
	macsec add ms0 rx port 1 address $PEER_MAC sa 0 pn 1 on key 02 $K2
	addr add 10.9.1.1/24 dev ms0
	link set ms0 up
	EOF
	n 2 ip -batch - <<-EOF || return 1
	link add link veth2 ms0 type macsec port 1 encrypt on
	macsec add ms0 tx sa 0 pn 1 on key 02 $K2
	macsec add ms0 rx port 1 address $NIC_MAC
	macsec add ms0 rx port 1 address $NIC_MAC sa 0 pn 1 on key 01 $K1
	addr add 10.9.1.2/24 dev ms0
	link set ms0 up
	EOF
	n 1 ip neigh replace 10.9.1.2 lladdr $PEER_MAC dev ms0 nud permanent &&
	n 2 ip neigh replace 10.9.1.1 lladdr $NIC_MAC dev ms0 nud permanent &&
	wait_for 10 n 1 ping -c 1 -W 1 10.9.1.2
}

# tx_pn: the PN of ns 1's ms0 TX SA 0 as `ip macsec show` prints it.
tx_pn() { counter 1 ms0 txsa0.pn; }

# Test the kernel's rules for offload on a NIC: three offloaded SecYs
# (a port, a MAC of its own, an explicit SCI) and a fourth, since a vsecy
# NIC has no limit of its own; offload off and on again while a SecY is
# down and has no SA; refused (the core's -EBUSY) once it has a TX SA or
# an RX SC, or while it is up; `ip macsec show` says "offload: mac".
test_offload_rules()
{
	local out
	setup_nic || return 1
	n 1 ip link add link nic0 ms1 type macsec port 4 offload mac &&
	n 1 ip link add link nic0 ms2 address aa:bb:cc:dd:ee:ff type macsec port 5 offload mac &&
	n 1 ip link add link nic0 ms3 type macsec sci abbacdde01020304 offload mac &&
	n 1 ip link add link nic0 ms4 type macsec port 6 offload mac ||
		fail "four offloaded SecYs on one NIC" || return 1
	out=$(n 1 ip macsec show ms1)
	case "$out" in *"offload: mac"*) ;; *) fail "ip macsec show ms1: no 'offload: mac': $out"; return 1 ;; esac
	out=$(n 1 vsecy show nic0)
	expect_eq "SecYs listed by vsecy show nic0" 4 "$(printf '%s\n' "$out" | grep -c '^    SECY: ')" || return 1
	printf '%s\n' "$out" | grep -q "^    SECY: abbacdde01020304 on ms3 " ||
		fail "vsecy show nic0 has no SECY line for ms3's SCI: $out" || return 1
	n 1 ip macsec offload ms1 off || fail "offload off on an unconfigured, down SecY" || return 1
	n 1 ip macsec show ms1 | grep -q "offload: off" || fail "ms1 not shown offload: off" || return 1
	expect_eq "SecYs listed by vsecy show nic0 after offload off" 3 \
		"$(n 1 vsecy show nic0 | grep -c '^    SECY: ')" || return 1
	n 1 ip macsec offload ms1 mac || fail "offload mac again on an unconfigured, down SecY" || return 1
	n 1 ip macsec add ms1 tx sa 0 pn 1 on key 01 $K1 || return 1
	expect_fail_msg "" n 1 ip macsec offload ms1 off || return 1
	n 1 ip macsec add ms2 rx port 1 address $PEER_MAC || return 1
	expect_fail_msg "" n 1 ip macsec offload ms2 off || return 1
	n 1 ip link set ms4 up || return 1
	expect_fail_msg "" n 1 ip macsec offload ms4 off || return 1
	n 1 ip macsec show ms1 | grep -q "offload: mac" || fail "ms1 lost its offload" || return 1
	for out in ms1 ms2 ms3 ms4; do n 1 ip link del $out || return 1; done
	expect_eq "SecYs listed by vsecy show nic0 after deletion" 0 \
		"$(n 1 vsecy show nic0 | grep -c '^    SECY: ')"
}

# Test that `ip macsec show` of the offloaded device shows the TX PN
# advancing with traffic (the NIC writes its PNs back into the core's
# SAs, which wpa_supplicant reads), and the RX SA's too.
test_pn_writeback()
{
	local pn0 pn1 rx
	setup_nic && pair || return 1
	pn0=$(tx_pn)
	n 1 ping -c 10 -i 0.05 -W 1 10.9.1.2 >/dev/null || fail "pings over the offloaded ms0" || return 1
	pn1=$(tx_pn)
	echo "ms0 TX SA 0 PN: $pn0 before 10 pings, $pn1 after"
	[ "${pn1:-0}" -ge $((${pn0:-0} + 10)) ] 2>/dev/null ||
		fail "TX PN after 10 pings: expected >= $((pn0 + 10)), observed '$pn1'" || return 1
	rx=$(counter 1 ms0 sc.sa0.pn)
	[ "${rx:-0}" -ge 11 ] 2>/dev/null || fail "RX SA 0 PN after 10 echo replies: expected >= 11, observed '$rx'"
}

# Test PN exhaustion: a TX SA 5 PNs before the end of the 32-bit space
# sends until its last PN, then the core is told (macsec_pn_wrapped()):
# the SA is shown off and nothing more goes out.
test_pn_exhaustion()
{
	local st
	setup_nic && pair 4294967290 || return 1
	n 1 ping -c 10 -i 0.1 -W 1 10.9.1.2 >/dev/null 2>&1
	st=$(counter 1 ms0 txsa0.on)
	expect_eq "TX SA 0 state after its PNs ran out (1 = on)" 0 "$st" || return 1
	! n 1 ping -c 2 -W 1 10.9.1.2 >/dev/null 2>&1 ||
		fail "pings went through with the TX SA's PNs used up"
}

# Test that a SecY brought down under a flood leaves nothing in the clear
# on the wire: every frame from the NIC's address is a MACsec frame (the
# NIC's own traffic would be plaintext, but nothing else uses it here).
test_down_under_flood()
{
	local cap=$TMP/down.pcap clear
	setup_nic && pair || return 1
	cap128_start 2 veth2 "$cap" || { fail "tcpdump did not start"; return 1; }
	ip netns exec "$(ns 1)" /usr/bin/ping -f -q -s 200 10.9.1.2 >/dev/null 2>&1 &
	FLOOD=$!
	sleep 2
	n 1 ip link set ms0 down || fail "ms0 down under a flood" || return 1
	sleep 1
	stop_flood
	sleep 0.5
	cap_stop
	clear=$(pcap_frames "$cap" | awk -v s="${NIC_MAC//:/}" 'substr($4, 13, 12) == s && $1 != "88e5"' | wc -l)
	echo "$(pcap_count "$cap") frames on the wire during the flood and the SecY going down"
	expect_eq "frames from the NIC without a SecTAG" 0 "$clear" || return 1
	[ "$(pcap_frames "$cap" | awk '$1 == "88e5"' | wc -l)" -ge 50 ] ||
		fail "fewer than 50 MACsec frames captured during the flood"
}

# Test RX SC and SA changes under traffic: while the peer floods ms0, an
# RX SA of its SC and a second RX SC with an SA come and go 20 times; the
# peer's SA 0 never stops (pings still answered, no loss after the churn)
# and the kernel log stays clean (checked after the run).
test_rx_churn()
{
	local i ok0 ok1 out
	setup_nic && pair || return 1
	ip netns exec "$(ns 2)" /usr/bin/ping -f -q -s 200 10.9.1.1 >/dev/null 2>&1 &
	FLOOD=$!
	sleep 1
	ok0=$(counter 1 ms0 sc.InPktsOK)
	for i in $(seq 20); do
		echo "macsec add ms0 rx port 1 address $PEER_MAC sa 1 pn 1 on key 03 $K1"
		echo "macsec add ms0 rx port 1 address 02:00:00:00:03:03"
		echo "macsec add ms0 rx port 1 address 02:00:00:00:03:03 sa 0 pn 1 on key 04 $K1"
		# The kernel refuses to delete an active RX SA (EBUSY).
		echo "macsec set ms0 rx port 1 address $PEER_MAC sa 1 off"
		echo "macsec del ms0 rx port 1 address $PEER_MAC sa 1"
		echo "macsec set ms0 rx port 1 address 02:00:00:00:03:03 sa 0 off"
		echo "macsec del ms0 rx port 1 address 02:00:00:00:03:03 sa 0"
		echo "macsec del ms0 rx port 1 address 02:00:00:00:03:03"
	done > "$TMP/churn"
	out=$(n 1 ip -batch "$TMP/churn" 2>&1) || fail "RX SC/SA changes under a flood: $out" ||
		return 1
	ok1=$(counter 1 ms0 sc.InPktsOK)
	stop_flood
	echo "InPktsOK moved by $((ok1 - ok0)) during 160 RX SC/SA changes under a flood"
	[ "$ok1" -gt "$ok0" ] || fail "InPktsOK did not move during the changes" || return 1
	out=$(n 1 ping -c 10 -i 0.1 -W 1 10.9.1.2 | awk '/packets transmitted/ { print $4 }')
	expect_eq "pings answered after the changes" 10 "$out" || return 1
	expect_eq "RX SCs of ms0 after the changes" 1 "$(n 1 ip macsec show ms0 | grep -c 'RXSC:')"
}

# Test that the macsec device, then the NIC, then the module go while a
# flood is in flight (the kernel log check after the run sees any splat).
test_teardown_under_flood()
{
	setup_nic && pair || return 1
	ip netns exec "$(ns 1)" /usr/bin/ping -f -q -s 1200 10.9.1.2 >/dev/null 2>&1 &
	FLOOD=$!
	sleep 2
	n 1 ip link del ms0 || fail "ms0 not deleted under a flood" || return 1
	stop_flood
	setup_nic && pair || return 1
	ip netns exec "$(ns 1)" /usr/bin/ping -f -q -s 1200 10.9.1.2 >/dev/null 2>&1 &
	FLOOD=$!
	sleep 2
	n 1 ip link del nic0 || fail "nic0 not deleted under a flood" || return 1
	n 1 ip link show ms0 >/dev/null 2>&1 && fail "ms0 still there after its NIC went" && return 1
	stop_flood
	setup_nic && pair || return 1
	ip netns exec "$(ns 1)" /usr/bin/ping -f -q -s 1200 10.9.1.2 >/dev/null 2>&1 &
	FLOOD=$!
	sleep 2
	ns_cleanup
	stop_flood
	wait_for 20 vsecy_unload || fail "rmmod vsecy after the namespaces went under a flood"
}

ktap_print_header
if ! command -v vsecy >/dev/null || ! command -v tcpdump >/dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool or tcpdump is not installed"
	ktap_finished
fi
ktap_set_plan 6
vsecy_load && modprobe macsec
run_case "offload on and off as the kernel rules; four SecYs on one NIC" test_offload_rules
run_case "the PNs written back: ip macsec show follows traffic" test_pn_writeback
run_case "PN exhaustion: macsec_pn_wrapped(), the SA stops" test_pn_exhaustion
run_case "SecY down under a flood: nothing in the clear" test_down_under_flood
run_case "RX SC and SA added and deleted under a flood; SA 0 keeps working" test_rx_churn
run_case "macsec device, NIC, namespace and module go under a flood" test_teardown_under_flood
ktap_finished
