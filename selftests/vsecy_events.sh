#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The "events" multicast group of the vsecy family, through `vsecy monitor`:
# each event is seen when its cause happens and not otherwise, in the
# device's namespace only, and never with key bytes.
#
#   ns 1:  vs0 (vsecy) on veth1 <====> veth2 (ns 2)
#          10.0.0.1/24, 10.0.0.2 a static neighbour: each ping is one
#          protected frame, one PN (no ARP, no peer needed)
#   monitors: `vsecy -j monitor` and `vsecy monitor` in ns 1,
#             `vsecy -j monitor` in ns 2 (must see nothing)

. "$(dirname "$0")/lib.sh"

require_iproute2

KEY=00112233445566778899aabbccddeeff
KEY2=ffeeddccbbaa99887766554433221100
PEER="port 1 address 02:00:00:00:02:02"
THR=3221225472		# 0xC0000000, the default threshold without XPN
DIR=$(mktemp -d)
J=$DIR/events.json	# ns 1, JSON
T=$DIR/events.txt	# ns 1, text
O=$DIR/other.json	# ns 2

cleanup()
{
	local f
	for f in "$DIR"/*.pid; do
		[ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	wait 2>/dev/null
	ns_cleanup
	rm -rf "$DIR"
}
trap cleanup EXIT

# monitor N FILE [-j]: `vsecy monitor` in ns N, in the background, until
# it has joined the group (it says so on stderr). Its pid goes to
# FILE.pid (ip netns exec execs it), its exit status to FILE.rc.
monitor()
{
	local i=$1 f=$2
	shift 2
	(
		ip netns exec "$(ns "$i")" vsecy "$@" monitor >"$f" 2>"$f.err" &
		echo $! >"$f.pid"
		wait $!
		echo $? >"$f.rc"
	) &
	wait_for 10 grep -q "Listening" "$f.err"
}

setup()
{
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up &&
	n 1 vsecy link add link veth1 vs0 port 1 &&
	n 1 sh -c 'echo 1 >/proc/sys/net/ipv6/conf/vs0/disable_ipv6' 2>/dev/null
	n 1 ip addr add 10.0.0.1/24 dev vs0 &&
	n 1 ip link set vs0 up &&
	n 1 ip neigh add 10.0.0.2 lladdr 02:00:00:00:02:02 dev vs0 &&
	monitor 1 "$J" -j && monitor 1 "$T" && monitor 2 "$O" -j
}

# send N: N protected frames from vs0, one PN each (the pings get no
# answer; only their transmission counts).
send() { n 1 ping -q -c "$1" -i 0.05 -W 0.1 10.0.0.2 >/dev/null 2>&1; true; }

MARK=0
# sync: every event caused so far has reached the monitors. A config event
# (an RX SC added and deleted) goes through the same sockets after them.
sync_events()
{
	MARK=$((MARK + 1))
	local sci
	sci=$(printf '0200000009%02x0001' "$MARK")
	n 1 vsecy add vs0 rx port 1 address "02:00:00:00:09:$(printf %02x "$MARK")" &&
	n 1 vsecy del vs0 rx port 1 address "02:00:00:00:09:$(printf %02x "$MARK")" &&
	wait_for 10 grep -q "\"event\":\"del-rxsc\".*\"rxsci\":\"$sci\"" "$J" &&
	wait_for 10 grep -q "del-rxsc dev vs0 rxsci $sci" "$T"
}

# count EVENT [JQ-FILTER]: events of that name in the JSON monitor's file.
count()
{
	jq -c "select(.event == \"$1\")${2:+ | select($2)}" "$J" | wc -l
}

# Test that adding, changing and deleting RX SCs, RX SAs and TX SAs each
# announce the object as it is now, to both listeners alike.
test_config()
{
	n 1 vsecy add vs0 tx sa 0 pn 100 off key 01 $KEY &&
	n 1 vsecy set vs0 tx sa 0 pn 200 &&
	n 1 vsecy add vs0 rx $PEER &&
	n 1 vsecy add vs0 rx $PEER sa 2 pn 5 on key 02 $KEY2 &&
	n 1 vsecy set vs0 rx $PEER sa 2 off &&
	n 1 vsecy del vs0 rx $PEER sa 2 &&
	n 1 vsecy set vs0 rx $PEER off &&
	n 1 vsecy del vs0 rx $PEER &&
	sync_events || return 1
	expect_eq "add-txsa event" 1 "$(count add-txsa '.sa == 0 and .pn == 100 and .active == false and .keyid == "01000000000000000000000000000000"')" &&
	expect_eq "upd-txsa event" 1 "$(count upd-txsa '.sa == 0 and .pn == 200')" &&
	expect_eq "add-rxsc event" 1 "$(count add-rxsc '.rxsci == "0200000002020001" and ."rxsc-active" == true')" &&
	expect_eq "add-rxsa event" 1 "$(count add-rxsa '.rxsci == "0200000002020001" and .sa == 2 and .pn == 5 and .active == true')" &&
	expect_eq "upd-rxsa event" 1 "$(count upd-rxsa '.sa == 2 and .active == false')" &&
	expect_eq "del-rxsa event" 1 "$(count del-rxsa '.sa == 2 and .rxsci == "0200000002020001"')" &&
	expect_eq "upd-rxsc event" 1 "$(count upd-rxsc '."rxsc-active" == false')" &&
	expect_eq "del-rxsc event" 1 "$(count del-rxsc '.rxsci == "0200000002020001"')" || return 1
	# A refused request announces nothing.
	n 1 vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY 2>/dev/null &&
		fail "adding an existing SA succeeded" && return 1
	sync_events &&
	expect_eq "add-txsa events after a refused add" 1 "$(count add-txsa)" &&
	# Both listeners saw the same events, in the same order.
	expect_eq "events seen by the text monitor" \
		"$(jq -r '.event' "$J" | tr '\n' ' ')" \
		"$(cut -d' ' -f1 "$T" | tr '\n' ' ')"
}

# Test that the threshold event comes once, with the first frame whose PN
# reaches the default threshold (3/4 of 2^32), not before, not again.
test_threshold()
{
	n 1 vsecy set vs0 tx sa 0 pn $((THR - 10)) on &&
	send 9 && sync_events || return 1
	expect_eq "pn-threshold events up to PN threshold - 2" 0 "$(count pn-threshold)" || return 1
	send 5 && sync_events || return 1
	expect_eq "pn-threshold events once the threshold was sent" 1 \
		"$(count pn-threshold ".sa == 0 and .threshold == $THR and .pn > $THR and .pn <= $((THR + 4))")" || return 1
	send 20 && sync_events || return 1
	expect_eq "pn-threshold events after 20 frames more" 1 "$(count pn-threshold)" &&
	grep -Eq "^pn-threshold dev vs0 sci [0-9a-f]{16} threshold $THR tx sa 0 keyid 01(00){15} pn $((THR + 1))\$" "$T" ||
		fail "no readable pn-threshold line in: $(cat "$T")"
}

# Test that a threshold set with `vsecy link set ... pnthreshold` applies to
# a new SA, and that setting it is announced (set-secy).
test_threshold_configured()
{
	n 1 vsecy link set vs0 pnthreshold 1000 &&
	n 1 vsecy add vs0 tx sa 1 pn 990 on key 03 $KEY2 &&
	n 1 vsecy link set vs0 encodingsa 1 &&
	send 5 && sync_events || return 1
	expect_eq "set-secy events with threshold 1000" 2 "$(count set-secy '.threshold == 1000')" &&
	expect_eq "pn_threshold in vsecy -j show" 1000 "$(n 1 vsecy -j show vs0 | jq '.[0].pn_threshold')" &&
	expect_eq "pn-threshold events for SA 1 below 1000" 0 "$(count pn-threshold '.sa == 1')" || return 1
	send 10 && sync_events || return 1
	expect_eq "pn-threshold events for SA 1" 1 "$(count pn-threshold '.sa == 1 and .threshold == 1000')"
}

# Test that the operational state is announced when it changes: lower
# device down and up, the encoding SA turned off and on; and not when
# something else changes.
test_oper()
{
	local before
	sync_events || return 1
	before=$(count oper)
	n 1 vsecy add vs0 tx sa 3 pn 1 off key 04 $KEY &&
	n 1 vsecy set vs0 tx sa 3 pn 10 && sync_events || return 1
	expect_eq "oper events for a change of a TX SA not in use" "$before" "$(count oper)" || return 1
	n 1 ip link set veth1 down &&
	wait_for 10 sh -c "jq -c 'select(.event == \"oper\")' $J | tail -1 | grep -q '\"oper\":true,\"port\":false'" &&
	n 1 ip link set veth1 up &&
	wait_for 10 sh -c "jq -c 'select(.event == \"oper\")' $J | tail -1 | grep -q '\"oper\":true,\"port\":true'" &&
	n 1 vsecy set vs0 tx sa 1 off &&
	wait_for 10 sh -c "jq -c 'select(.event == \"oper\")' $J | tail -1 | grep -q '\"oper\":false,\"port\":false'" &&
	n 1 vsecy set vs0 tx sa 1 on &&
	wait_for 10 sh -c "jq -c 'select(.event == \"oper\")' $J | tail -1 | grep -q '\"oper\":true,\"port\":true'" &&
	sync_events || return 1
	expect_eq "oper events for down, up, SA off, SA on" $((before + 4)) "$(count oper)"
}

# Test that a TX SA that sends its last PN (2^32 - 1) announces it once and
# that the SecY then announces it is not operational.
test_exhausted()
{
	n 1 vsecy add vs0 tx sa 2 pn 4294967290 on key 05 $KEY2 &&
	n 1 vsecy link set vs0 encodingsa 2 &&
	sync_events || return 1
	expect_eq "pn-exhausted events before any frame" 0 "$(count pn-exhausted)" || return 1
	send 5 && sync_events || return 1
	expect_eq "pn-exhausted events after PN 2^32 - 2" 0 "$(count pn-exhausted)" || return 1
	send 10 && sync_events || return 1
	expect_eq "pn-exhausted events after the last PN" 1 "$(count pn-exhausted '.sa == 2 and .keyid == "05000000000000000000000000000000"')" &&
	wait_for 10 sh -c "jq -c 'select(.event == \"oper\")' $J | tail -1 | grep -q '\"oper\":false,\"port\":false'"
}

# Test that the events stay in their namespace, and that no key bytes
# are in any of them.
test_isolation_keys()
{
	[ -s "$J" ] || fail "the ns 1 monitor saw nothing" || return 1
	expect_eq "events seen in ns 2" 0 "$(wc -l <"$O")" || return 1
	local k
	for k in $KEY $KEY2 ${KEY:0:16} ${KEY2:0:16}; do
		grep -qi "$k" "$J" "$T" && fail "key bytes $k in the monitors' output" && return 1
	done
	return 0
}

# Test that SIGTERM (and SIGINT) end the monitors, with status 0.
test_signals()
{
	local f sig=TERM
	for f in "$J" "$T" "$O"; do
		kill -$sig "$(cat "$f.pid")" || return 1
		wait_for 10 test -s "$f.rc" || return 1
		expect_eq "exit status of monitor after SIG$sig" 0 "$(cat "$f.rc")" || return 1
		rm -f "$f.pid"
		sig=INT
	done
}

ktap_print_header
if ! command -v vsecy >/dev/null || ! command -v jq >/dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool or jq is not installed"
	ktap_finished
fi
ktap_set_plan 8
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "config changes are announced to every listener" test_config
run_case "pn-threshold once, at 3/4 of the PN space" test_threshold
run_case "pn-threshold at a configured threshold" test_threshold_configured
run_case "oper announced on changes only" test_oper
run_case "pn-exhausted once, at the last PN" test_exhausted
run_case "events stay in their namespace, no keys" test_isolation_keys
run_case "monitor ends on SIGTERM and SIGINT" test_signals
cleanup
trap - EXIT
run_case "module unloads" vsecy_unload
ktap_finished
