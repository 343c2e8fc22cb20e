#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MKA between vsecy-mkad instances (log backend: the protocol, not the
# datapath): every cipher suite, XPN's SSCIs, confidentiality offset 30,
# three participants on a bridge, a participant leaving, periodic rekey and
# SIGHUP.
#
#   ns 1: veth1 ---+                  +--- veth2 :ns 2
#   vsecy-mkad     |   ns sw: br0     |    vsecy-mkad
#                  +-- (group_fwd_    +--- veth3 :ns 3
#                       mask 8)            vsecy-mkad

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
trap mka_cleanup EXIT

setup()
{
	local i
	ns_create sw 1 2 3 || return 1
	n sw ip link add br0 type bridge || return 1
	# 802.1X frames (01:80:C2:00:00:03) are not forwarded by default
	n sw ip link set br0 type bridge group_fwd_mask 8 || return 1
	n sw ip link set br0 up
	for i in 1 2 3; do
		ip link add "veth$i" netns "$(ns "$i")" type veth peer name "p$i" netns "$(ns sw)" &&
		n sw ip link set "p$i" master br0 && n sw ip link set "p$i" up &&
		n "$i" ip link set "veth$i" up || return 1
	done
}

stop_all() { local i; for i in 1 2 3; do mkad_stop "vs$i"; done; }

# start_pair EXTRA...: node 1 (priority 16, key server) and node 2 (100),
# both with the extra configuration lines.
start_pair()
{
	local i
	stop_all
	for i in 1 2; do
		mka_conf "$MKA_DIR/n$i.conf" $((i == 1 ? 16 : 100)) "$@"
		: > "$MKA_DIR/vs$i.log"
		mkad_start "$i" "veth$i" "vs$i" "$MKA_DIR/n$i.conf" || return 1
	done
	wait_for 15 mkad_secured vs1 && wait_for 5 mkad_secured vs2 ||
		{ mkad_status vs1 -c; mkad_status vs2 -c; return 1; }
}

# Both ends agree on the SAK (KI), the key server, and programmed it.
check_pair()
{
	local ki cs=$1 keylen=$2
	ki=$(mkad_status vs1 .latest_sak.ki)
	expect_eq "KI on node 2" "$ki" "$(mkad_status vs2 .latest_sak.ki)" || return 1
	expect_eq "key server on node 2" "$(mkad_status vs1 .sci)" \
		"$(mkad_status vs2 .key_server.sci)" || return 1
	expect_eq "cipher suite on node 2" "$cs" "$(mkad_status vs2 .cipher_suite)" || return 1
	for i in 1 2; do
		grep -q "add tx sa an 0 pn 1 keyid $ki keylen $keylen" "$MKA_DIR/vs$i.log" ||
			fail "node $i: no TX SA with KI $ki and a $keylen-octet key" || return 1
		grep -q "encoding sa an 0" "$MKA_DIR/vs$i.log" ||
			fail "node $i does not transmit with the SAK" || return 1
	done
}

cs_id() {
	case $1 in
	gcm-aes-128) echo 0080c20001000001 ;; gcm-aes-256) echo 0080c20001000002 ;;
	gcm-aes-xpn-128) echo 0080c20001000003 ;; gcm-aes-xpn-256) echo 0080c20001000004 ;;
	esac
}

# Test that each cipher suite is distributed and installed with its key
# length; the key server's choice reaches the other participant.
test_cipher_suite()
{
	local cs=$1 keylen=$2
	start_pair "macsec_ciphersuite=$cs" || return 1
	echo "secured after $(mkad_status vs2 .secured_after) s"
	check_pair "$cs" "$keylen" || return 1
	grep -q "set cipher suite $(cs_id "$cs")" "$MKA_DIR/vs2.log" ||
		fail "node 2 did not program $cs"
}

# Test that with XPN the two participants get distinct SSCIs, each
# receiving with the SSCI the other transmits with.
test_xpn_ssci()
{
	local tx1 tx2 rx1 rx2
	tx1=$(sed -n 's/.*tx sa an 0 ssci \([0-9]*\).*/\1/p' "$MKA_DIR/vs1.log" | tail -n 1)
	tx2=$(sed -n 's/.*tx sa an 0 ssci \([0-9]*\).*/\1/p' "$MKA_DIR/vs2.log" | tail -n 1)
	rx1=$(sed -n 's/.*rx sa an 0 ssci \([0-9]*\).*/\1/p' "$MKA_DIR/vs1.log" | tail -n 1)
	rx2=$(sed -n 's/.*rx sa an 0 ssci \([0-9]*\).*/\1/p' "$MKA_DIR/vs2.log" | tail -n 1)
	[ -n "$tx1" ] && [ -n "$tx2" ] || fail "no SSCI logged" || return 1
	[ "$tx1" != "$tx2" ] || fail "both participants transmit with SSCI $tx1" || return 1
	expect_eq "node 2 receives node 1 with node 1's SSCI" "$tx1" "$rx2" || return 1
	expect_eq "node 1 receives node 2 with node 2's SSCI" "$tx2" "$rx1"
}

# Test that the confidentiality offset of the key server reaches the other.
test_offset30()
{
	start_pair macsec_conf_offset=30 || return 1
	grep -q "encrypt on offset 30" "$MKA_DIR/vs2.log" ||
		fail "node 2 not programmed with offset 30: $(grep 'set cipher' "$MKA_DIR/vs2.log")" || return 1
	expect_eq "offset reported by node 2" 30 "$(mkad_status vs2 .offset)"
}

# Test that three participants on a bridge agree: one key server (the
# best priority), one SAK, two live peers each.
test_three()
{
	local ki i
	start_pair || return 1
	mka_conf "$MKA_DIR/n3.conf" 200
	: > "$MKA_DIR/vs3.log"
	mkad_start 3 veth3 vs3 "$MKA_DIR/n3.conf" || return 1
	wait_for 20 bash -c "[ \"\$(vsecy-mkad -n vs3 -C $MKA_DIR/ctl -q STATUS | jq -r '.secured, (.live_peers|length)' | xargs)\" = 'true 2' ]" ||
		{ mkad_status vs3 -c; return 1; }
	wait_for 10 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq -r '.latest_sak.tx, .old_sak' | xargs)\" = 'true null' ]" ||
		{ mkad_status vs1 -c; return 1; }
	ki=$(mkad_status vs1 .latest_sak.ki)
	for i in 1 2 3; do
		expect_eq "live peers of node $i" 2 "$(mkad_status "vs$i" '.live_peers | length')" || return 1
		expect_eq "KI on node $i" "$ki" "$(mkad_status "vs$i" .latest_sak.ki)" || return 1
		expect_eq "key server seen by node $i" "$(mkad_status vs1 .sci)" \
			"$(mkad_status "vs$i" .key_server.sci)" || return 1
	done
	expect_eq "KN after the third joined (a new SAK for the new member)" 2 \
		"$(mkad_status vs1 .latest_sak.kn)"
}

# Test that when one of three leaves, the other two drop it and the key
# server distributes a new SAK that excludes it.
test_leave()
{
	local kn
	kn=$(mkad_status vs1 .latest_sak.kn)
	mkad_stop vs3
	wait_for 10 bash -c "[ \"\$(vsecy-mkad -n vs2 -C $MKA_DIR/ctl -q STATUS | jq -r '(.live_peers|length), .latest_sak.kn, .latest_sak.tx' | xargs)\" = '1 $((kn + 1)) true' ]" ||
		{ mkad_status vs2 -c; return 1; }
	expect_eq "KI agreed after the leave" "$(mkad_status vs1 .latest_sak.ki)" \
		"$(mkad_status vs2 .latest_sak.ki)"
}

# Test that mka_rekey_period makes the key server rekey on its own.
test_rekey_period()
{
	start_pair mka_rekey_period=8 || return 1
	wait_for 25 bash -c "[ \$(vsecy-mkad -n vs2 -C $MKA_DIR/ctl -q STATUS | jq .latest_sak.kn) -ge 3 ]" ||
		{ mkad_status vs2 -c; return 1; }
	grep -q "rekey: mka_rekey_period 8 s elapsed" "$MKA_DIR/vs1.log" ||
		fail "no periodic rekey logged"
}

# Test that SIGHUP rereads the file: node 2, given the better priority,
# takes over as key server and distributes its own SAK.
test_sighup()
{
	start_pair || return 1
	mka_conf "$MKA_DIR/n2.conf" 1
	kill -HUP "$(cat "$MKA_DIR/vs2.pid")"
	wait_for 15 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq -r '.key_server.self, .latest_sak.tx' | xargs)\" = 'false true' ]" ||
		{ mkad_status vs1 -c; mkad_status vs2 -c; return 1; }
	expect_eq "KI's MI is node 2's" "$(mkad_status vs2 .mi)" \
		"$(mkad_status vs1 .latest_sak.ki | cut -c1-24)"
}

ktap_print_header
ktap_set_plan 10
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "gcm-aes-128" test_cipher_suite gcm-aes-128 16
run_case "gcm-aes-256" test_cipher_suite gcm-aes-256 32
run_case "gcm-aes-xpn-128" test_cipher_suite gcm-aes-xpn-128 16
run_case "gcm-aes-xpn-256" test_cipher_suite gcm-aes-xpn-256 32
run_case "XPN: distinct SSCIs, receive with the sender's" test_xpn_ssci
run_case "confidentiality offset 30" test_offset30
run_case "three participants on a bridge" test_three
run_case "a participant leaves: dropped, new SAK" test_leave
run_case "mka_rekey_period" test_rekey_period
run_case "SIGHUP: new priority, new key server" test_sighup
ktap_finished
