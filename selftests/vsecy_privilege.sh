#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Privilege and secrets: a process without CAP_NET_ADMIN in the device's
# namespace can dump and listen to events but change nothing; root of a
# user namespace that owns a network namespace configures vsecy devices
# there and only there; key bytes appear in no output, event or log line.
#
#   ns 1 (owned by the initial user namespace):
#     vs0 (vsecy) on veth1 <====> veth2 (ns 2)
#   "outsider": `busybox unshare -r` run in ns 1: root of a new user
#     namespace, so without CAP_NET_ADMIN over ns 1
#   "owner": `busybox unshare -r -n`: root of a new user namespace and of
#     a new network namespace that it owns

. "$(dirname "$0")/lib.sh"

require_iproute2

KEY=00112233445566778899aabbccddeeff
KEY2=ffeeddccbbaa99887766554433221100
PEER="port 1 address 02:00:00:00:02:02"
DIR=$(mktemp -d)

cleanup()
{
	[ -e "$DIR/mon.pid" ] && kill "$(cat "$DIR/mon.pid")" 2>/dev/null
	wait 2>/dev/null
	ns_cleanup
	rm -rf "$DIR"
}
trap cleanup EXIT

setup()
{
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up &&
	n 1 vsecy link add link veth1 vs0 port 1 &&
	n 1 vsecy add vs0 tx sa 0 pn 100 on key 01 $KEY &&
	n 1 vsecy add vs0 rx $PEER &&
	n 1 vsecy add vs0 rx $PEER sa 0 pn 1 on key 02 $KEY2
}

outsider() { n 1 busybox unshare -r "$@"; }

# Test that the outsider dumps exactly what root dumps.
test_outsider_reads()
{
	expect_eq "vsecy -j show by the outsider" "$(n 1 vsecy -j show)" \
		"$(outsider vsecy -j show 2>&1)"
}

# Test that every request that changes something is refused to the
# outsider, generic netlink and rtnetlink alike, and changes nothing.
test_outsider_changes_nothing()
{
	local before after
	before=$(n 1 vsecy show; n 1 ip -d link show)
	while read -r cmd; do
		# shellcheck disable=SC2086
		expect_fail_msg "Operation not permitted" outsider vsecy $cmd || return 1
	done <<-EOF2
		link set vs0 encrypt on
		link add link veth1 vs1 port 2
		link del vs0
		add vs0 tx sa 1 pn 1 on key 03 $KEY
		set vs0 tx sa 0 pn 1000
		set vs0 tx sa 0 off
		del vs0 tx sa 0
		add vs0 rx port 1 address 02:00:00:00:02:03
		set vs0 rx $PEER off
		del vs0 rx $PEER
		add vs0 rx $PEER sa 1 pn 1 on key 04 $KEY2
		set vs0 rx $PEER sa 0 pn 50
		del vs0 rx $PEER sa 0
	EOF2
	after=$(n 1 vsecy show; n 1 ip -d link show)
	expect_eq "configuration after the outsider's requests" "$before" "$after"
}

# Test that the outsider can listen to the events of ns 1 (they carry
# nothing a dump does not show), and sees root's changes.
test_outsider_listens()
{
	(
		outsider vsecy -j monitor >"$DIR/mon" 2>"$DIR/mon.err" &
		echo $! >"$DIR/mon.pid"
		wait
	) >/dev/null 2>&1 &	# not run_case's pipe: it would wait for it
	wait_for 10 grep -q Listening "$DIR/mon.err" || return 1
	n 1 vsecy set vs0 tx sa 0 pn 200 &&
	wait_for 10 grep -q '"event":"upd-txsa".*"pn":200' "$DIR/mon"
}

# Test that root of a user namespace that owns a network namespace
# configures a vsecy device there (rtnetlink and generic netlink), and
# cannot reach ns 1 from there.
test_owner()
{
	local out
	out=$(busybox unshare -r -n sh -c "
		ip link add d0 type veth peer name d1 && ip link set d0 up &&
		vsecy link add link d0 vs9 port 1 &&
		vsecy link set vs9 encrypt on &&
		vsecy add vs9 tx sa 0 pn 7 on key 01 $KEY &&
		vsecy add vs9 rx $PEER &&
		vsecy add vs9 rx $PEER sa 0 pn 3 on key 02 $KEY2 &&
		vsecy -j show vs9" 2>&1)
	expect_eq "TX SA PN set by the owner" 7 \
		"$(printf '%s' "$out" | jq '.[0].sa_list[0].pn' 2>/dev/null)" &&
	expect_eq "encrypt set by the owner" true \
		"$(printf '%s' "$out" | jq '.[0].encrypt' 2>/dev/null)" || return 1
	# From there, ns 1 is out of reach: it is not this user namespace's.
	ip netns exec "$(ns 1)" true || return 1
	busybox unshare -r -n vsecy -n "$(ns 1)" set vs0 tx sa 0 pn 9999 2>/dev/null &&
		fail "the owner of another namespace changed vs0 in ns 1" && return 1
	expect_eq "vs0's TX SA PN" 200 "$(n 1 vsecy -j show vs0 | jq '.[0].sa_list[0].pn')"
}

# Test that no key byte is in any output: dumps, link info, the
# outsider's monitor, the kernel log; and that no event carried a key
# attribute (vsecy monitor warns about one).
test_no_keys()
{
	local out k
	out=$(n 1 vsecy -s show; n 1 vsecy -s -j show; n 1 ip -d link show;
	      cat "$DIR/mon" "$DIR/mon.err"; dmesg)
	for k in $KEY $KEY2 ${KEY:0:16} ${KEY2:0:16} ${KEY:16} ${KEY2:16}; do
		printf '%s' "$out" | grep -qi "$k" && fail "key bytes $k in the output" && return 1
	done
	grep -q "key material" "$DIR/mon.err" && fail "an event carried a key attribute" && return 1
	return 0
}

ktap_print_header
if ! command -v vsecy >/dev/null || ! command -v jq >/dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool or jq is not installed"
	ktap_finished
fi
ktap_set_plan 6
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "without CAP_NET_ADMIN: dump" test_outsider_reads
run_case "without CAP_NET_ADMIN: every change refused" test_outsider_changes_nothing
run_case "without CAP_NET_ADMIN: events" test_outsider_listens
run_case "user namespace owner configures its own namespace only" test_owner
run_case "no key bytes in outputs, events, kernel log" test_no_keys
cleanup
trap - EXIT
run_case "module unloads" vsecy_unload
ktap_finished
