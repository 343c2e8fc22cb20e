#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The SecY datapath with static keys: vsecy against vsecy and against the
# kernel's macsec, each cipher suite, encryption on and off; the counters
# of both ends; carrier and PN exhaustion; a wrong key; several SecYs on
# one lower device; send_sci off with end_station; frames without SecTAG
# with each validateFrames; replay protection. Needs the vsecy tool.
#
#   ns 1                               ns 2
#   vs0 (vsecy) 10.9.0.1               vs0 (vsecy) or ms0 (macsec) 10.9.0.2
#    |                                  |
#   veth1 <===========================> veth2
#    |                                  |
#   vs1 (second SecY on veth1) 10.9.1.1 vs1 (second SecY on veth2) 10.9.1.2

. "$(dirname "$0")/lib.sh"

require_iproute2
trap ns_cleanup EXIT

KEY128=00112233445566778899aabbccddeeff
KEY256=00112233445566778899aabbccddeeff0123456789abcdef0123456789abcdef
BADKEY=ffeeddccbbaa99887766554433221100
KEY2=0f0e0d0c0b0a09080706050403020100
SALT=101112131415161718191a1b
KEYID=01

setup_ns()
{
	ns_cleanup
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 address 02:00:00:00:01:01 &&
	n 2 ip link set veth2 address 02:00:00:00:02:02 &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up
}

dev_of() { [ "$1" = vsecy ] && echo vs0 || echo ms0; }
cmd_of() { [ "$1" = vsecy ] && echo vsecy || echo "ip macsec"; }

# side NS KIND CIPHER ENCRYPT [RXKEY]: one end of the link; its TX key is
# always the right one, its RX key RXKEY (default the right one).
side()
{
	local i=$1 kind=$2 cs=$3 enc=$4 rxkey=$5 j dev cmd key pn rxpn peer
	j=$((3 - i))
	dev=$(dev_of "$kind")
	cmd=$(cmd_of "$kind")
	peer=02:00:00:00:0$j:0$j
	case $cs in *256) key=$KEY256 ;; *) key=$KEY128 ;; esac
	[ -n "$rxkey" ] || rxkey=$key
	# XPN: the TX SA starts 6 PNs before 2^32, so the upper-half
	# recovery (802.1AE 10.6.2) is exercised within the first frames;
	# the RX SA starts where the peer's TX does, as MKA would set it (a
	# receiver told "xpn 1" that comes up after its peer crossed 2^32
	# cannot know the upper half, and rightly refuses every frame).
	case $cs in
	*xpn*) pn="xpn 4294967290 ssci $i salt $SALT"; rxpn="xpn 4294967290 ssci $j salt $SALT" ;;
	*) pn="pn 1"; rxpn="pn 1" ;;
	esac
	if [ "$kind" = vsecy ]; then
		n "$i" vsecy link add link veth$i $dev port 1 cipher "$cs" encrypt "$enc" || return 1
	else
		n "$i" ip link add link veth$i $dev type macsec port 1 cipher "$cs" encrypt "$enc" || return 1
	fi
	# shellcheck disable=SC2086
	n "$i" $cmd add $dev tx sa 0 $pn on key $KEYID $key &&
	n "$i" $cmd add $dev rx port 1 address $peer &&
	n "$i" $cmd add $dev rx port 1 address $peer sa 0 $rxpn on key $KEYID $rxkey &&
	n "$i" ip addr add 10.9.0.$i/24 dev $dev &&
	n "$i" ip link set $dev up
}

# stat NS DEV PATH: one counter of `vsecy show -s -j` (vsecy devices).
vstat() { n "$1" vsecy -s -j show "$2" | jq -r "$3"; }

# The peer's InPktsOK, whichever driver it runs.
peer_in_ok()
{
	if [ "$1" = vsecy ]; then
		vstat 2 vs0 '[.[0].rx_sc[0].InPktsOK] | add'
	else
		n 2 ip -s -j macsec show ms0 | jq -r '.[0].rx_sc[0] | (.stats.InPktsOK // .InPktsOK // ([.sa_list[]?.stats.InPktsOK // 0] | add))'
	fi
}

ping_ok() { n "$1" ping -c "${3:-3}" -i 0.2 -W 2 ${4:+-s $4} "$2" >/dev/null; }

# Test that vsecy talks to KIND with cipher CS, encrypt ENC: pings both
# ways, a 1400-byte ping, and both ends' counters moved.
pair()
{
	local kind=$1 cs=$2 enc=$3 ok0 ok1 field dec
	setup_ns && side 1 vsecy "$cs" "$enc" && side 2 "$kind" "$cs" "$enc" || return 1
	ping_ok 1 10.9.0.2 || fail "ping ns1 -> ns2 ($kind, $cs, encrypt $enc)" || return 1
	ping_ok 2 10.9.0.1 || fail "ping ns2 -> ns1 ($kind, $cs, encrypt $enc)" || return 1
	ping_ok 1 10.9.0.2 3 1400 || fail "1400-byte ping ns1 -> ns2" || return 1
	ok1=$(vstat 1 vs0 '.[0].rx_sc[0].InPktsOK')
	[ "$ok1" -ge 6 ] 2>/dev/null || fail "vs0 (ns 1) InPktsOK: expected >= 6, observed '$ok1'" || return 1
	ok0=$(peer_in_ok "$kind")
	[ "$ok0" -ge 6 ] 2>/dev/null || fail "$kind (ns 2) InPktsOK: expected >= 6, observed '$ok0'" || return 1
	[ "$enc" = on ] && field=InOctetsDecrypted || field=InOctetsValidated
	dec=$(vstat 1 vs0 ".[0].rx_sc[0].$field")
	[ "$dec" -gt 0 ] 2>/dev/null || fail "vs0 (ns 1) $field: expected > 0, observed '$dec'"
}

# Test that with the wrong RX key nothing passes and InPktsNotValid moves.
test_wrong_key()
{
	local nv
	setup_ns && side 1 vsecy gcm-aes-128 on $BADKEY && side 2 macsec gcm-aes-128 on || return 1
	ping_ok 2 10.9.0.1 3 && fail "ping passed with a wrong key on ns 1" && return 1
	nv=$(vstat 1 vs0 '.[0].rx_sc[0].InPktsNotValid')
	[ "$nv" -ge 1 ] 2>/dev/null || fail "vs0 InPktsNotValid: expected >= 1, observed '$nv'" || return 1
	expect_eq "vs0 InPktsOK with a wrong key" 0 "$(vstat 1 vs0 '.[0].rx_sc[0].InPktsOK')"
}

has_carrier() { n "$1" ip -j link show dev "$2" | jq -r '.[0].flags | any(.[]; . == "NO-CARRIER") | not'; }

# Test that the carrier follows the lower device once a TX SA is on, and
# drops when the encoding SA goes off.
test_carrier()
{
	setup_ns && side 1 vsecy gcm-aes-128 off || return 1
	wait_for 5 bash -c "[ \"\$(ip netns exec $(ns 1) ip -j link show dev vs0 | jq -r '.[0].operstate')\" = UP ]" ||
		fail "vs0 not UP with an active TX SA" || return 1
	n 2 ip link set veth2 down
	wait_for 5 bash -c "[ \"\$(ip netns exec $(ns 1) ip -j link show dev vs0 | jq -r '.[0].operstate')\" = LOWERLAYERDOWN ]" ||
		fail "vs0 not LOWERLAYERDOWN with veth2 down" || return 1
	n 2 ip link set veth2 up
	wait_for 5 bash -c "[ \"\$(ip netns exec $(ns 1) ip -j link show dev vs0 | jq -r '.[0].operstate')\" = UP ]" ||
		fail "vs0 not UP again" || return 1
	n 1 vsecy set vs0 tx sa 0 off || return 1
	sleep 0.3
	expect_eq "vs0 carrier with the encoding SA off" false "$(has_carrier 1 vs0)" || return 1
	n 1 vsecy set vs0 tx sa 0 on || return 1
	sleep 0.3
	expect_eq "vs0 carrier with the encoding SA on again" true "$(has_carrier 1 vs0)"
}

# Test that the TX SA stops at the end of the PN space: with PN 2^32 - 2,
# two frames go out, the SA goes off and the carrier with it, and later
# frames are dropped.
test_pn_exhaustion()
{
	local pn active
	setup_ns && side 1 vsecy gcm-aes-128 off && side 2 vsecy gcm-aes-128 off || return 1
	ping_ok 1 10.9.0.2 1 || return 1
	n 1 vsecy set vs0 tx sa 0 pn 4294967294 || return 1
	n 1 ping -c 4 -i 0.2 -W 1 10.9.0.2 >/dev/null
	active=$(vstat 1 vs0 '.[0].sa_list[0].active')
	expect_eq "TX SA active after the last PN" false "$active" || return 1
	expect_eq "vs0 carrier after the last PN" false "$(has_carrier 1 vs0)" || return 1
	expect_fail_msg "used all its PNs" n 1 vsecy set vs0 tx sa 0 pn 4294967295
}

# Test that two SecYs on one lower device are told apart by SCI: vs1 on
# veth1 with its own address talks to a macsec device on veth2 while vs0
# talks to vs0 in ns 2.
test_two_secys()
{
	setup_ns && side 1 vsecy gcm-aes-128 on && side 2 vsecy gcm-aes-128 on || return 1
	n 1 vsecy link add link veth1 vs1 address 02:00:00:00:01:11 port 1 encrypt on &&
	n 2 vsecy link add link veth2 vs1 address 02:00:00:00:02:22 port 1 encrypt on || return 1
	expect_fail_msg "key length does not match" \
		n 1 vsecy add vs1 tx sa 0 pn 1 on key 02 $KEY256 || return 1
	n 1 vsecy add vs1 tx sa 0 pn 1 on key 02 $KEY2 &&
	n 1 vsecy add vs1 rx port 1 address 02:00:00:00:02:22 &&
	n 1 vsecy add vs1 rx port 1 address 02:00:00:00:02:22 sa 0 pn 1 on key 02 $KEY2 &&
	n 2 vsecy add vs1 tx sa 0 pn 1 on key 02 $KEY2 &&
	n 2 vsecy add vs1 rx port 1 address 02:00:00:00:01:11 &&
	n 2 vsecy add vs1 rx port 1 address 02:00:00:00:01:11 sa 0 pn 1 on key 02 $KEY2 &&
	n 1 ip addr add 10.9.1.1/24 dev vs1 && n 1 ip link set vs1 up &&
	n 2 ip addr add 10.9.1.2/24 dev vs1 && n 2 ip link set vs1 up || return 1
	ping_ok 1 10.9.0.2 || fail "ping over vs0 with vs1 present" || return 1
	ping_ok 1 10.9.1.2 || fail "ping over vs1" || return 1
	expect_eq "vs1 InPktsOK >= 3" true "$([ "$(vstat 1 vs1 '.[0].rx_sc[0].InPktsOK')" -ge 3 ] && echo true)"
}

# Test send_sci off with end_station on (ES = 1, SCI from the source
# address) against the kernel's macsec, and three RX SCs on one SecY.
test_es_and_three_rxsc()
{
	setup_ns || return 1
	n 1 vsecy link add link veth1 vs0 port 1 send_sci off end_station on encrypt on &&
	n 2 ip link add link veth2 ms0 type macsec port 1 send_sci off end_station on encrypt on &&
	n 1 vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY128 &&
	n 1 vsecy add vs0 rx port 1 address 02:00:00:00:09:01 &&
	n 1 vsecy add vs0 rx port 1 address 02:00:00:00:02:02 &&
	n 1 vsecy add vs0 rx port 1 address 02:00:00:00:09:02 &&
	n 1 vsecy add vs0 rx port 1 address 02:00:00:00:02:02 sa 0 pn 1 on key 01 $KEY128 &&
	n 2 ip macsec add ms0 tx sa 0 pn 1 on key 01 $KEY128 &&
	n 2 ip macsec add ms0 rx port 1 address 02:00:00:00:01:01 &&
	n 2 ip macsec add ms0 rx port 1 address 02:00:00:00:01:01 sa 0 pn 1 on key 01 $KEY128 &&
	n 1 ip addr add 10.9.0.1/24 dev vs0 && n 1 ip link set vs0 up &&
	n 2 ip addr add 10.9.0.2/24 dev ms0 && n 2 ip link set ms0 up || return 1
	ping_ok 1 10.9.0.2 || fail "ping with ES=1 and three RX SCs" || return 1
	expect_eq "RX SCs on vs0" 3 "$(vstat 1 vs0 '.[0].rx_sc | length')"
}

# Test frames without a SecTAG (the peer sends with protect off):
# validate strict keeps them from vs0 (InPktsNoTag, vs0 receives nothing
# untagged), validate check delivers them on vs0 (InPktsUntagged). The
# pings only make traffic: their outcome depends on the lower device's
# own stack, which sees the untagged frames too (uncontrolled port).
rx_vs0() { n 1 ip -s -j link show dev vs0 | jq '.[0].stats64.rx.packets'; }
test_untagged()
{
	local notag untagged rx0 rx1
	setup_ns && side 1 vsecy gcm-aes-128 off && side 2 vsecy gcm-aes-128 off || return 1
	ping_ok 2 10.9.0.1 1 || fail "protected ping before protect off" || return 1
	n 2 vsecy link set vs0 protect off || return 1
	rx0=$(rx_vs0)
	ping_ok 2 10.9.0.1 3
	notag=$(vstat 1 vs0 '.[0].InPktsNoTag')
	[ "$notag" -ge 3 ] 2>/dev/null || fail "InPktsNoTag: expected >= 3, observed '$notag'" || return 1
	expect_eq "InPktsUntagged with validate strict" 0 "$(vstat 1 vs0 '.[0].InPktsUntagged')" || return 1
	expect_eq "vs0 rx packets with validate strict" "$rx0" "$(rx_vs0)" || return 1
	[ "$(vstat 2 vs0 '.[0].OutPktsUntagged')" -ge 3 ] ||
		fail "ns 2 OutPktsUntagged: expected >= 3" || return 1
	n 1 vsecy link set vs0 validate check || return 1
	ping_ok 2 10.9.0.1 3
	untagged=$(vstat 1 vs0 '.[0].InPktsUntagged')
	[ "$untagged" -ge 3 ] 2>/dev/null || fail "InPktsUntagged: expected >= 3, observed '$untagged'" || return 1
	rx1=$(rx_vs0)
	[ "$rx1" -ge $((rx0 + untagged)) ] ||
		fail "vs0 rx packets: expected >= $((rx0 + untagged)), observed $rx1"
}

# Test that a TCP stream goes through (iperf3, 2 s), that the peer macsec
# validated what vsecy sent, and that vsecy dropped none of it: one TCP
# stream stays far below the transmit queue's limit, so every tx_dropped
# is a frame lost for nothing (a retransmission for TCP).
test_iperf()
{
	local ok drops
	setup_ns && side 1 vsecy gcm-aes-128 on && side 2 macsec gcm-aes-128 on || return 1
	n 2 iperf3 -s -1 -D >/dev/null 2>&1 || return 1
	sleep 0.5
	n 1 iperf3 -c 10.9.0.2 -t 2 >/dev/null 2>&1 || fail "iperf3 over vs0 -> ms0 failed" || return 1
	ok=$(peer_in_ok macsec)
	[ "$ok" -ge 100 ] 2>/dev/null || fail "ms0 InPktsOK after iperf3: expected >= 100, observed '$ok'" ||
		return 1
	drops=$(n 1 cat /sys/class/net/vs0/statistics/tx_dropped)
	[ "$drops" = 0 ] || fail "vs0 tx_dropped after iperf3: expected 0, observed '$drops'"
}

# Test that the built-in self-tests pass (module parameter selftest=1):
# SecTAG, replay window, PN recovery and the Annex C known answers.
test_builtin_selftests()
{
	vsecy_unload || return 1
	modprobe vsecy selftest=1 || fail "modprobe vsecy selftest=1 failed" || return 1
	dmesg | grep -q "sectag self-tests: pass" || fail "no sectag self-test pass in dmesg" || return 1
	dmesg | grep -q "PN recovery self-tests: pass" || fail "no replay self-test pass in dmesg" || return 1
	# The 16 IEEE 802.1AE Annex C frames, through the TX and RX code.
	dmesg | grep -q "Annex C self-tests: 16 vectors pass" ||
		fail "no 'Annex C self-tests: 16 vectors pass' in dmesg: $(dmesg | grep 'Annex C' | tail -3)"
}

# The asynchronous crypto paths (-EINPROGRESS, completion from another
# context): the module reloaded with crypto_wrap=pcrypt wraps every SA's
# gcm(aes) in pcrypt, whose requests always complete later, on a padata
# worker. Without it the completion paths run only on machines whose
# gcm(aes) happens to be asynchronous. (cryptd, the other such template,
# fails the crypto self-test with AEADs in 6.1.)

# async_case FN ARGS...: FN ARGS, skipped on a kernel with lockdep: 6.1's
# padata (pcrypt) nests two of its padata_list locks, one lockdep class,
# in padata_reorder(), which lockdep reports as recursive locking whatever
# the user of pcrypt does.
async_case()
{
	if [ -e /proc/lockdep ]; then
		echo "SKIP: lockdep kernel: 6.1's padata (pcrypt) trips lockdep by itself"
		return "$KSFT_SKIP"
	fi
	"$@"
}

# count_dmesg PATTERN: how many kernel log lines match.
count_dmesg() { dmesg | grep -c "$1"; }

# Test that the module loads with crypto_wrap=pcrypt and its Annex C
# self-test passes through the asynchronous transforms.
test_async_load()
{
	local kat0
	vsecy_unload || return 1
	modprobe pcrypt || fail "modprobe pcrypt failed" || return 1
	kat0=$(count_dmesg "Annex C self-tests: 16 vectors pass")
	modprobe vsecy crypto_wrap=pcrypt selftest=1 ||
		fail "modprobe vsecy crypto_wrap=pcrypt selftest=1 failed" || return 1
	expect_eq "crypto_wrap parameter" pcrypt "$(cat /sys/module/vsecy/parameters/crypto_wrap)" || return 1
	expect_eq "Annex C passes through pcrypt(gcm(aes))" $((kat0 + 1)) \
		"$(count_dmesg "Annex C self-tests: 16 vectors pass")"
}

# Test that with crypto_wrap=pcrypt the SAs' transforms really are
# asynchronous pcrypt instances (each SA holds a reference on one), and
# that frames pass both ways.
test_async_pair()
{
	local block refs
	pair "$@" || return 1
	block=$(awk -v RS= '/driver *: pcrypt\(/ && /refcnt *: ([3-9]|[1-9][0-9])/' /proc/crypto)
	[ -n "$block" ] ||
		fail "no pcrypt instance in use by vs0's SAs in /proc/crypto:" \
			"$(awk -v RS= '/pcrypt/' /proc/crypto | grep -E 'driver|refcnt' | tr '\n' ' ')" ||
		return 1
	refs=$(echo "$block" | awk '/^refcnt/ { print $3; exit }')
	echo "$(echo "$block" | awk '/^driver/ { print $3; exit }'), refcnt $refs"
	echo "$block" | grep -q "^async *: yes" ||
		fail "the pcrypt instance is not asynchronous: $(echo "$block" | tr '\n' ' ')"
}

# Test that deleting the device while frames are in flight in the
# asynchronous engine leaks and warns nothing (the kernel log is checked
# after the run), that every transform is freed (pcrypt, which each
# transform holds, unloads), and that the module goes.
test_async_teardown()
{
	local pid
	setup_ns && side 1 vsecy gcm-aes-128 on && side 2 vsecy gcm-aes-128 on || return 1
	n 1 ping -f -s 1200 -w 5 10.9.0.2 >/dev/null 2>&1 &
	pid=$!
	sleep 2
	n 1 ip link del vs0 || fail "vs0 not deleted under traffic" || return 1
	n 2 ip link del vs0 || fail "ns 2 vs0 not deleted" || return 1
	wait "$pid"
	ns_cleanup
	vsecy_unload || return 1
	wait_for 10 rmmod pcrypt || fail "pcrypt still in use: a transform was not freed"
}

ktap_print_header
if ! command -v vsecy >/dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool is not installed"
	ktap_finished
fi
# Two programs, so that the suite's shards balance: this one (the
# cipher-suite matrix) and vsecy_secy_datapath2.sh, which runs this file
# with DATAPATH_PART=2 (the other cases, the asynchronous crypto ones).
if [ "${DATAPATH_PART:-1}" = 1 ]; then
	ktap_set_plan 18
	run_case "built-in self-tests" test_builtin_selftests
	for kind in vsecy macsec; do
		for cs in gcm-aes-128 gcm-aes-256 gcm-aes-xpn-128 gcm-aes-xpn-256; do
			for enc in on off; do
				run_case "vsecy <-> $kind, $cs, encrypt $enc" pair $kind $cs $enc
			done
		done
	done
	ns_cleanup
	run_case "module unloads" vsecy_unload
	ktap_finished
fi
ktap_set_plan 14
vsecy_load
run_case "wrong key: nothing passes, InPktsNotValid" test_wrong_key
run_case "carrier follows lower device and encoding SA" test_carrier
run_case "TX SA stops at the end of the PN space" test_pn_exhaustion
run_case "two SecYs on one lower device" test_two_secys
run_case "send_sci off, end_station on, three RX SCs" test_es_and_three_rxsc
run_case "untagged frames: strict drops, check delivers" test_untagged
run_case "iperf3 vsecy -> macsec" test_iperf
ns_cleanup
run_case "module unloads" vsecy_unload
run_case "async crypto: loads with crypto_wrap=pcrypt, Annex C passes" async_case test_async_load
run_case "async crypto: vsecy <-> macsec, gcm-aes-128" async_case test_async_pair macsec gcm-aes-128 on
run_case "async crypto: vsecy <-> vsecy, gcm-aes-xpn-256" async_case test_async_pair vsecy gcm-aes-xpn-256 on
run_case "async crypto: vsecy <-> vsecy, integrity only" async_case test_async_pair vsecy gcm-aes-256 off
run_case "async crypto: iperf3 vsecy -> macsec" async_case test_iperf
run_case "async crypto: device and module go with frames in flight" async_case test_async_teardown
ktap_finished
