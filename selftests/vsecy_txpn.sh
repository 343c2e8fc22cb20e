#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A transmit PN is used once (802.1AE 10.5.2): a GCM nonce used twice under
# one key gives away the keystream and the authentication key. Management
# may set the PN of a transmit SA that is sending under load; whatever
# the timing, no PN may go out twice. The receiver is the kernel's macsec
# with replay protection and a window of 0, which counts every frame whose
# PN is not above the last one as late; a capture on the wire must show
# no PN twice.
#
#   ns 1                                ns 2
#   vs0 (vsecy) 10.9.0.1 ===========>   ms0 (macsec, replay on window 0)
#    |                                   |  10.9.0.2
#   veth1 <============================> veth2 (captured)

. "$(dirname "$0")/lib.sh"

require_iproute2
DIR=$(mktemp -d)
cleanup()
{
	cap_stop
	kill $FLOOD 2>/dev/null
	wait 2>/dev/null
	ns_cleanup
	rm -rf "$DIR"
}
trap cleanup EXIT

KEY=00112233445566778899aabbccddeeff
KEY2=0f0e0d0c0b0a09080706050403020100
UPDATES=${VSECY_TXPN_UPDATES:-100}
FLOOD=

# One sender only, ping on one CPU, so that the frames of vs0 reach the
# wire in PN order (a veth delivers on the sending CPU: frames sent from
# two CPUs may be received out of order, which the window of 0 would count
# as late): no IPv6 (DAD, MLD), a permanent neighbour (no ARP).
setup()
{
	ns_wire 02:00:00:00:01:01 02:00:00:00:02:02 &&
	n 1 vsecy link add link veth1 vs0 port 1 encrypt on &&
	n 1 vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY &&
	n 1 vsecy add vs0 rx port 1 address 02:00:00:00:02:02 &&
	n 1 vsecy add vs0 rx port 1 address 02:00:00:00:02:02 sa 0 pn 1 on key 02 $KEY2 &&
	n 2 ip link add link veth2 ms0 type macsec port 1 encrypt on replay on window 0 &&
	n 2 ip macsec add ms0 tx sa 0 pn 1 on key 02 $KEY2 &&
	n 2 ip macsec add ms0 rx port 1 address 02:00:00:00:01:01 &&
	n 2 ip macsec add ms0 rx port 1 address 02:00:00:00:01:01 sa 0 pn 1 on key 01 $KEY &&
	n 1 ip addr add 10.9.0.1/24 dev vs0 && n 2 ip addr add 10.9.0.2/24 dev ms0 &&
	n 1 ip link set vs0 up && n 2 ip link set ms0 up &&
	n 1 ip neigh add 10.9.0.2 lladdr 02:00:00:00:02:02 dev vs0 nud permanent &&
	n 2 ip neigh add 10.9.0.1 lladdr 02:00:00:00:01:01 dev ms0 nud permanent &&
	wait_for 10 n 1 ping -c 1 -W 1 10.9.0.2
}

tx_pn() { n 1 vsecy -j show vs0 | jq '.[0].sa_list[0].pn'; }

# The PN of every 0x88E5 frame from vs0 in a capture, one per line, as
# tcpdump decodes the SecTAG.
capture_pns()
{
	tcpdump -Z root -r "$1" -nn 'ether proto 0x88e5 and ether src 02:00:00:00:01:01' 2>/dev/null |
		sed -n 's/.* MACsec, an [0-3], pn \([0-9]*\),.*/\1/p'
}

# updates N: inside ns 1, N times: the TX SA's PN as `vsecy show` prints
# it, then `vsecy set ... pn` to that value. Prints how many were refused
# (the PN had moved on meanwhile, which is most of them under load).
updates()
{
	n 1 bash -c '
		refused=0
		for i in $(seq '"$1"'); do
			pn=$(vsecy show vs0 | awk "/TXSC/ { t = 1 } t && /^ +0: PN/ { sub(\",\", \"\", \$3); print \$3; exit }")
			vsecy set vs0 tx sa 0 pn "$pn" 2>/dev/null || refused=$((refused + 1))
		done
		echo $refused'
}

# ms0_stat NAME: a counter of ms0's RX SC (where iproute2 puts it).
ms0_stat() { n 2 ip -s -j macsec show ms0 | jq ".[0].rx_sc[0] | (.stats.$1 // .$1)"; }
ms0_late() { ms0_stat InPktsLate; }

# check_no_reuse CAPTURE FRAMES LATE0: no PN twice in CAPTURE (which
# holds at least FRAMES frames from vs0), ms0 counted no late frame since
# it counted LATE0.
check_no_reuse()
{
	local late ok total dups
	late=$(($(ms0_late) - $3))
	ok=$(ms0_stat InPktsOK)
	total=$(capture_pns "$1" | wc -l)
	dups=$(capture_pns "$1" | sort -n | uniq -d | wc -l)
	echo "ms0: InPktsOK $ok, InPktsLate $late; capture: $total frames from vs0, $dups PNs more than once"
	[ "$total" -ge "$2" ] || fail "frames from vs0 in the capture: expected >= $2, observed $total" || return 1
	expect_eq "PNs sent twice (capture of veth2)" 0 "$dups" &&
	expect_eq "ms0 InPktsLate (replay on, window 0) during the case" 0 "$late"
}

# Test that setting the PN of the sending SA to the value a dump just
# showed, again and again under a ping flood, never sends a PN twice.
test_set_pn_under_flood()
{
	local refused
	cap_start 2 veth2 "$DIR/flood.pcap" || return 1
	# Not through n(): $! must be ping's own PID (ip netns exec execs it).
	# /usr/bin/ping by its path: given a bare name, busybox's taskset
	# runs busybox's own ping, which has no -f.
	ip netns exec "$(ns 1)" taskset 1 /usr/bin/ping -f -q -s 64 10.9.0.2 >/dev/null 2>&1 &
	FLOOD=$!
	refused=$(updates "$UPDATES")
	kill $FLOOD; wait $FLOOD 2>/dev/null; FLOOD=
	sleep 0.5
	cap_stop
	echo "$UPDATES updates to the PN just shown, $refused refused (the PN had moved on)"
	check_no_reuse "$DIR/flood.pcap" 500 0
}

# Test the same when the update is slow between being accepted and being
# applied, as when its writer is preempted there (the module parameter
# pn_update_delay_ms, testing only): frames sent in the meantime take
# PNs, and the update must not hand them out again. For an update to see
# the PN it was given as the current one, the frames are sparse next to
# the time between `vsecy show` and `vsecy set` (a few hundred ms here),
# and dense next to the delay: a ping every 400 ms, a delay of 500 ms.
test_set_pn_delayed()
{
	local refused n=30 late0
	late0=$(ms0_late)
	echo 500 > /sys/module/vsecy/parameters/pn_update_delay_ms ||
		fail "no pn_update_delay_ms parameter" || return 1
	cap_start 2 veth2 "$DIR/delayed.pcap" || return 1
	# Not through n(): $! must be ping's own PID (ip netns exec execs it).
	ip netns exec "$(ns 1)" taskset 1 /usr/bin/ping -i 0.4 -q -s 64 10.9.0.2 >/dev/null 2>&1 &
	FLOOD=$!
	refused=$(updates "$n")
	kill $FLOOD; wait $FLOOD 2>/dev/null; FLOOD=
	echo 0 > /sys/module/vsecy/parameters/pn_update_delay_ms
	sleep 0.5
	cap_stop
	echo "$n delayed updates to the PN just shown, $refused refused"
	check_no_reuse "$DIR/delayed.pcap" 30 "$late0"
}

ktap_print_header
if ! command -v vsecy >/dev/null || ! command -v jq >/dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool or jq is not installed"
	ktap_finished
fi
ktap_set_plan 3
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "PN set to the value shown, under a flood: no PN twice" test_set_pn_under_flood
run_case "PN set to the value shown, update delayed: no PN twice" test_set_pn_delayed
cleanup
trap - EXIT
run_case "module unloads" vsecy_unload
ktap_finished
