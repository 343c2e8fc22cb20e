#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The receive path against crafted frames (vsecy-inject from ns 2): each
# malformed SecTAG is counted InPktsBadTag, a flipped ICV InPktsNotValid,
# a replayed PN InPktsLate, an AN without SA InPktsNotUsingSA, an unknown
# SCI InPktsNoSCI; valid frames are
# InPktsOK, a frame without SCI goes to the implicit SC; a randomised run
# of 100,000 fuzzed frames is counted frame for frame and leaves the
# kernel log clean (the harness checks it; see test_fuzz for a longer
# run). Needs the vsecy tool.
#
#   ns 1:  vs0 (vsecy, RX SC 02:00:00:00:02:02 port 1, replay on, window 0)
#           |
#          veth1 <====> veth2 (ns 2): vsecy-inject -s 02:00:00:00:02:02

. "$(dirname "$0")/lib.sh"

require_iproute2
trap ns_cleanup EXIT

INJECT=$(dirname "$0")/vsecy-inject
KEY=00112233445566778899aabbccddeeff
SRC=02:00:00:00:02:02
DST=02:00:00:00:01:01

setup()
{
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 address $DST && n 2 ip link set veth2 address $SRC &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up &&
	n 1 vsecy link add link veth1 vs0 port 1 replay on window 0 &&
	n 1 vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY &&
	n 1 vsecy add vs0 rx port 1 address $SRC &&
	n 1 vsecy add vs0 rx port 1 address $SRC sa 0 pn 1 on key 01 $KEY &&
	n 1 ip link set vs0 up
}

sc_stat() { n 1 vsecy -s -j show vs0 | jq ".[0].rx_sc[0].$1"; }
secy_stat() { n 1 vsecy -s -j show vs0 | jq ".[0].$1"; }
inject() { n 2 "$INJECT" -i veth2 -s $SRC -d $DST "$@" >/dev/null; }

# moved WHAT GETTER BY CMD...: CMD moves counter WHAT (read by GETTER) by
# exactly BY.
moved()
{
	local what=$1 get=$2 by=$3 before after
	shift 3
	before=$($get "$what")
	"$@" || fail "command failed: $*" || return 1
	sleep 0.2
	after=$($get "$what")
	expect_eq "$what after '$*'" $((before + by)) "$after"
}

# Test that valid frames are accepted, and that a frame without SCI (SC=0,
# ES=0) is given to the one RX SC of the one SecY on veth1: vsecy-inject
# cuts the SCI out of a valid frame, so it reaches the SA and fails the
# ICV (InPktsNotValid) instead of being an unknown SCI (InPktsNoSCI).
test_valid()
{
	moved InPktsOK sc_stat 3 inject -k valid --key $KEY --pn 10 -n 3 &&
	moved InPktsNotValid sc_stat 1 inject -k no-sci --key $KEY --pn 20 &&
	expect_eq "InPktsNoSCI after a frame without SCI" 0 "$(secy_stat InPktsNoSCI)"
}

# Test that each malformed SecTAG is counted as InPktsBadTag.
test_bad_tags()
{
	local k
	for k in truncated bad-sl v1 es-sc pn0 short-icv; do
		moved InPktsBadTag secy_stat 1 inject -k $k --key $KEY --pn 30 || return 1
	done
}

# Test the checks after the SecTAG: ICV, replay, SA in use, SCI known.
test_checks()
{
	moved InPktsNotValid sc_stat 1 inject -k bad-icv --key $KEY --pn 40 &&
	moved InPktsLate sc_stat 1 inject -k valid --key $KEY --pn 11 &&
	moved InPktsNotUsingSA sc_stat 1 inject -k unknown-an --key $KEY --an 2 --pn 50 &&
	moved InPktsNoSCI secy_stat 1 inject -k valid --key $KEY --pn 60 --sci 0200000009090001
}

# Every RX packet counter of vs0 for tagged frames, SecY and RX SC,
# summed. (Fuzzing never touches the EtherType; InPktsNoTag is left out
# since veth2's own untagged frames, e.g. IPv6 neighbour discovery, move
# it.)
rx_total()
{
	n 1 vsecy -s -j show vs0 | jq '.[0] as $s | ([$s.InPktsBadTag, $s.InPktsUnknownSCI, $s.InPktsNoSCI, $s.InPktsOverrun] +
		[$s.rx_sc[0] | .InPktsOK, .InPktsUnchecked, .InPktsDelayed, .InPktsLate,
		 .InPktsInvalid, .InPktsNotValid, .InPktsNotUsingSA, .InPktsUnusedSA]) | add'
}

# Test that a randomised run of VSECY_FUZZ_COUNT (default 100000) fuzzed
# frames (valid frames with 1-4 random mutations of the TCI, SL, any
# octet or the length; the seed is printed, VSECY_FUZZ_SEED repeats a run)
# is dropped and counted frame for frame, none accepted, and that vs0
# still passes a valid frame afterwards. The harness checks the kernel
# log (no WARN, BUG or oops); `make check-debug` adds KASAN and kmemleak.
# A longer run, e.g. ten million frames (the kernel hands unknown
# name=value boot parameters to init as environment variables):
#   ./selftests/qemu/vm.sh test --initramfs build/X/initramfs.cpio.gz \
#       --out build/X/vm --tests vsecy_secy_hostile.sh \
#       --append VSECY_FUZZ_COUNT=10000000 --test-timeout 7200
test_fuzz()
{
	local count=${VSECY_FUZZ_COUNT:-100000} seed=${VSECY_FUZZ_SEED:-$RANDOM}
	local before after ok0 sent t0 t1
	echo "# fuzz: $count frames, seed $seed"
	before=$(rx_total) && ok0=$(sc_stat InPktsOK) || return 1
	t0=$(date +%s)
	sent=$(n 2 "$INJECT" -i veth2 -s $SRC -d $DST -k fuzz --key $KEY --pn 100 \
	       -n "$count" --seed "$seed") || fail "vsecy-inject fuzz failed" || return 1
	t1=$(date +%s)
	sleep 0.5
	after=$(rx_total)
	echo "# fuzz: $sent frames sent in $((t1 - t0)) s"
	expect_eq "frames sent" "$count" "$sent" &&
	expect_eq "RX counters moved by (every fuzzed frame counted once)" "$sent" \
		$((after - before)) &&
	expect_eq "InPktsOK after fuzzing (no fuzzed frame accepted)" "$ok0" "$(sc_stat InPktsOK)" || {
		echo "# softnet_stat: $(n 1 cat /proc/net/softnet_stat | tr '\n' ' ')"
		return 1
	}
	moved InPktsOK sc_stat 1 inject -k valid --key $KEY --pn $((count + 1000))
}

# Test that random octets after the MACsec EtherType (10000 frames) leave
# vs0 working.
test_random()
{
	inject -k random -n 10000 --seed "${VSECY_FUZZ_SEED:-$RANDOM}" || return 1
	moved InPktsOK sc_stat 1 inject -k valid --key $KEY --pn 50000000
}

ktap_print_header
if ! command -v vsecy >/dev/null || [ ! -x "$INJECT" ]; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool or vsecy-inject is not installed"
	ktap_finished
fi
ktap_set_plan 6
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "valid frames: InPktsOK; implicit SCI" test_valid
run_case "malformed SecTAGs: InPktsBadTag" test_bad_tags
run_case "bad ICV, replay, AN without SA, unknown SCI" test_checks
run_case "fuzzed frames: each dropped and counted" test_fuzz
run_case "random frames" test_random
ns_cleanup
run_case "module unloads" vsecy_unload
ktap_finished
