#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every SecY counter of 802.1AE 10.6 (figure 10-5) and 10.5, one case
# each: the case sends frames that must move that counter, and only it
# (with the octet counters that go with it); every other counter of the
# SecY and of the RX SC must stay where it was. Receive cases inject
# crafted frames (vsecy-inject) from ns 2 with validateFrames strict,
# check or disabled, replay protection on or off; transmit cases send one
# ping from vs0 to a static neighbour. Also replay of captured frames:
# frames captured on the lower device with tcpdump and sent again are
# InPktsLate with replay protection on, InPktsDelayed (and delivered) with
# it off; and the XPN PN crossing 2^32. Documentation/counters.md maps
# each counter to its case here. Needs the vsecy tool and tcpdump.
#
#   ns 1:  vs0 (vsecy, RX SC 02:00:00:00:02:02 port 1) 10.9.0.1
#           |
#          veth1 <====> veth2 (ns 2): vsecy-inject -s 02:00:00:00:02:02
#                                     vs0 (vsecy, replay cases) 10.9.0.2

. "$(dirname "$0")/lib.sh"

require_iproute2
trap 'cap_stop; ns_cleanup; rm -rf "$TMP"' EXIT

INJECT=$(dirname "$0")/vsecy-inject
KEY=00112233445566778899aabbccddeeff
SALT=101112131415161718191a1b
SRC=02:00:00:00:02:02
DST=02:00:00:00:01:01
TMP=$(mktemp -d)
CAP_PIDS=

# setup [LINK OPTIONS...]: vs0 in ns 1 with one RX SC and SA 0 (PN 1),
# TX SA 0; extra `vsecy link add` options from the arguments. XPN setups
# pass "cipher gcm-aes-xpn-128" and set XPN=1.
setup()
{
	local pn="pn 1" rxpn="pn 1"
	[ -n "$XPN" ] && pn="xpn 1 ssci 1 salt $SALT" && rxpn="xpn ${RXPN:-1} ssci 2 salt $SALT"
	ns_cleanup
	# No IPv6: its own frames (DAD, MLD) would move the TX counters.
	ns_wire $DST $SRC &&
	n 1 vsecy link add link veth1 vs0 port 1 "$@" &&
	n 1 vsecy add vs0 tx sa 0 $pn on key 01 $KEY &&
	n 1 vsecy add vs0 rx port 1 address $SRC &&
	n 1 vsecy add vs0 rx port 1 address $SRC sa 0 $rxpn on key 01 $KEY &&
	n 1 ip addr add 10.9.0.1/24 dev vs0 &&
	n 1 ip link set vs0 up &&
	n 1 ip neigh add 10.9.0.2 lladdr $SRC dev vs0
}

inject() { n 2 "$INJECT" -i veth2 -s $SRC -d $DST "$@" >/dev/null; }
injx() { inject --ssci 2 --salt $SALT "$@"; }

# All counters of vs0 as NAME=VALUE lines: the SecY's and the TX SC's
# (top level) and the first RX SC's ("sc." prefix).
snap()
{
	n 1 vsecy -s -j show vs0 | jq -r '.[0] |
		(to_entries[] | select(.key | test("^(In|Out)")) | "\(.key)=\(.value)"),
		(.rx_sc[0] | to_entries[] | select(.key | test("^(In|Out)")) | "sc.\(.key)=\(.value)")'
}


# --- receive, validateFrames strict (the default), replay off ---

# Test that a frame without SecTAG is InPktsNoTag (strict drops it from
# the controlled port), a malformed SecTAG InPktsBadTag, an unknown SCI
# InPktsNoSCI, an AN without SA InPktsNotUsingSA, a bad ICV
# InPktsNotValid, a valid frame InPktsOK (+ InOctetsValidated, or
# InOctetsDecrypted when encrypted), a frame for a deleted SA
# InPktsNotUsingSA.
test_rx_strict()
{
	setup || return 1
	moved "InPktsNoTag=1" inject -k untagged &&
	moved "InPktsBadTag=1" inject -k v1 --key $KEY --pn 5 &&
	moved "InPktsNoSCI=1" inject -k valid --key $KEY --pn 5 --sci 0200000009090001 &&
	moved "sc.InPktsNotUsingSA=1" inject -k unknown-an --key $KEY --an 1 --pn 5 &&
	moved "sc.InPktsNotValid=1 sc.InOctetsValidated=64" inject -k bad-icv --key $KEY --pn 5 &&
	moved "sc.InPktsOK=2 sc.InOctetsValidated=128" inject -k valid --key $KEY --pn 10 -n 2 &&
	moved "sc.InPktsOK=1 sc.InOctetsDecrypted=64" inject -k valid -e --key $KEY --pn 20 &&
	# Replay off, window 0: an older PN is valid but Delayed.
	moved "sc.InPktsDelayed=1 sc.InOctetsValidated=64" inject -k valid --key $KEY --pn 15 &&
	# A frame for an SA that was deleted: no SA in use for its AN.
	n 1 vsecy set vs0 rx port 1 address $SRC sa 0 off &&
	n 1 vsecy del vs0 rx port 1 address $SRC sa 0 &&
	moved "sc.InPktsNotUsingSA=1" inject -k valid --key $KEY --pn 30
}

# --- receive, validateFrames check ---

# Test that with check, a frame without SecTAG is InPktsUntagged, an
# unknown SCI (integrity only) InPktsUnknownSCI, an AN without SA
# InPktsUnusedSA, a bad ICV InPktsInvalid (all delivered); an encrypted
# frame with a bad ICV is still InPktsNotValid.
test_rx_check()
{
	setup validate check || return 1
	moved "InPktsUntagged=1" inject -k untagged &&
	moved "InPktsUnknownSCI=1" inject -k valid --key $KEY --pn 5 --sci 0200000009090001 &&
	moved "InPktsNoSCI=1" inject -k valid -e --key $KEY --pn 5 --sci 0200000009090001 &&
	moved "sc.InPktsUnusedSA=1" inject -k unknown-an --key $KEY --an 1 --pn 5 &&
	moved "sc.InPktsInvalid=1 sc.InOctetsValidated=64" inject -k bad-icv --key $KEY --pn 6 &&
	moved "sc.InPktsNotValid=1 sc.InOctetsDecrypted=64" inject -k bad-icv -e --key $KEY --pn 7 &&
	moved "sc.InPktsOK=1 sc.InOctetsValidated=64" inject -k valid --key $KEY --pn 8
}

# --- receive, validateFrames disabled ---

# Test that with disabled, an integrity-only frame is not checked:
# InPktsUnchecked even with a bad ICV, InPktsDelayed below the lowest PN;
# no octet counter moves (nothing was validated).
test_rx_disabled()
{
	setup validate disabled || return 1
	moved "sc.InPktsUnchecked=1" inject -k bad-icv --key $KEY --pn 10 &&
	moved "sc.InPktsUnchecked=1" inject -k valid --key $KEY --pn 11 &&
	moved "InPktsUntagged=1" inject -k untagged
}

# Test that with disabled and replay off, a frame whose PN is below the
# lowest acceptable one is InPktsDelayed (it is not validated, so nextPN
# does not move: a valid frame moves it first, checked).
test_rx_disabled_delayed()
{
	setup validate disabled || return 1
	# Validated frames move nextPN; with disabled none is validated, so
	# switch to check for one frame, then back.
	n 1 vsecy link set vs0 validate check &&
	moved "sc.InPktsOK=1 sc.InOctetsValidated=64" inject -k valid --key $KEY --pn 100 &&
	n 1 vsecy link set vs0 validate disabled &&
	moved "sc.InPktsDelayed=1" inject -k valid --key $KEY --pn 50
}

# --- receive, replay protection on ---

# Test that with replay on (window 0) a PN below nextPN is InPktsLate in
# strict and check, and nothing else moves; within a window of 4, an
# out-of-order PN is accepted.
test_rx_replay()
{
	setup replay on window 0 || return 1
	moved "sc.InPktsOK=1 sc.InOctetsValidated=64" inject -k valid --key $KEY --pn 100 &&
	moved "sc.InPktsLate=1" inject -k valid --key $KEY --pn 99 &&
	n 1 vsecy link set vs0 validate check &&
	moved "sc.InPktsLate=1" inject -k bad-icv --key $KEY --pn 50 &&
	n 1 vsecy link set vs0 replay on window 4 &&
	moved "sc.InPktsOK=1 sc.InOctetsValidated=64" inject -k valid --key $KEY --pn 97 &&
	moved "sc.InPktsLate=1" inject -k valid --key $KEY --pn 96
}

# --- receive on a controlled port that is down ---

# Test that frames for a controlled port that is administratively down
# are dropped before validation and counted (vs0's rx_dropped): no SC
# counter moves, the replay state does not advance (the same PN is taken
# once vs0 is up again), and nothing is delivered.
vs0_rx_dropped() { n 1 ip -s -j link show dev vs0 | jq '.[0].stats64.rx.dropped'; }
test_rx_port_down()
{
	local d0 d1
	setup replay on window 0 || return 1
	moved "sc.InPktsOK=1 sc.InOctetsValidated=64" inject -k valid --key $KEY --pn 5 &&
	n 1 ip link set vs0 down || return 1
	d0=$(vs0_rx_dropped)
	moved "" inject -k valid --key $KEY --pn 10 -n 3 || return 1
	d1=$(vs0_rx_dropped)
	expect_eq "vs0 rx_dropped after 3 frames while down" $((d0 + 3)) "$d1" || return 1
	n 1 ip link set vs0 up &&
	moved "sc.InPktsOK=1 sc.InOctetsValidated=64" inject -k valid --key $KEY --pn 10
}

# --- transmit ---

# Test OutPktsUntagged (protect off), OutPktsProtected and
# OutOctetsProtected (integrity only), OutPktsEncrypted and
# OutOctetsEncrypted, and OutPktsTooLong (a frame that with SecTAG and ICV
# exceeds the lower device's MTU): one ping each to a static neighbour
# (nobody answers, so nothing is received).
test_tx()
{
	setup || return 1
	n 1 vsecy link set vs0 protect off &&
	moved "OutPktsUntagged=1" ping_noreply -c 1 -W 1 10.9.0.2 &&
	n 1 vsecy link set vs0 protect on encrypt off &&
	# 100-octet ping: IP 128 + EtherType 2 = 130 octets of user data.
	moved "OutPktsProtected=1 OutOctetsProtected=130" ping_noreply -c 1 -s 100 -W 1 10.9.0.2 &&
	n 1 vsecy link set vs0 encrypt on &&
	moved "OutPktsEncrypted=1 OutOctetsEncrypted=130" ping_noreply -c 1 -s 100 -W 1 10.9.0.2 || return 1
	# 10.5: a frame that with SecTAG and ICV would exceed the lower
	# device's MTU. vs0's MTU leaves room for both, so an 802.1Q device
	# on vs0 (its tag is in the frame, 4 octets past vs0's MTU) makes
	# one: a full-size ping over vs0.5 is OutPktsTooLong, and dropped.
	n 1 vsecy link set vs0 send_sci on &&
	n 1 ip link add link vs0 name vs0.5 type vlan id 5 &&
	n 1 ip addr add 10.9.5.1/24 dev vs0.5 && n 1 ip link set vs0.5 up &&
	n 1 ip neigh add 10.9.5.2 lladdr $SRC dev vs0.5 || return 1
	moved "OutPktsTooLong=1" ping_noreply -c 1 -M do \
		-s $(( $(n 1 cat /sys/class/net/vs0.5/mtu) - 28 )) -W 1 10.9.5.2 &&
	# 4 octets less (the VLAN tag's size) fits exactly: sent.
	moved "OutPktsEncrypted=1 OutOctetsEncrypted=+" ping_noreply -c 1 -M do \
		-s $(( $(n 1 cat /sys/class/net/vs0.5/mtu) - 32 )) -W 1 10.9.5.2
}

# ping that is expected to get no answer: succeeds when ping ran.
ping_noreply() { n 1 ping "$@" >/dev/null 2>&1; [ $? -le 1 ]; }

# peer: a vsecy SecY in ns 2 that talks to vs0.
peer()
{
	n 2 vsecy link add link veth2 vs0 port 1 &&
	n 2 vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY &&
	n 2 vsecy add vs0 rx port 1 address $DST &&
	n 2 vsecy add vs0 rx port 1 address $DST sa 0 pn 1 on key 01 $KEY &&
	n 2 ip addr add 10.9.0.2/24 dev vs0 && n 2 ip link set vs0 up &&
	n 1 ip neigh del 10.9.0.2 dev vs0
}

# quiet_neigh: ns 1's neighbour entry for ns 2 made permanent. Learnt by
# the ping, it would go stale and ns 1 would probe it (3 unicast ARP
# requests, a second apart, each an OutPktsProtected) while a case counts
# what it sends; a slow (debug) kernel hit that window.
quiet_neigh() { n 1 ip neigh replace 10.9.0.2 lladdr $SRC dev vs0 nud permanent; }

# pcap_has_from FILE N: FILE (classic pcap, one frame per record) holds at
# least N MACsec frames from $SRC.
pcap_has_from()
{
	[ "$(od -An -v -tx1 "$1" | tr -d ' \n' | grep -o '020000000202''88e5' | wc -l)" -ge "$2" ]
}

# resend PCAP: the frames of ns 2 in PCAP, sent again from ns 2; how many
# in $TMP/sent.
resend() { n 2 "$INJECT" -i veth2 -k pcap --pcap "$1" -s $SRC > "$TMP/sent"; }

# Test that MACsec frames captured on veth1 and sent again from ns 2 are
# dropped as InPktsLate with replay on (window 0), and nothing else moves.
test_replay_pcap()
{
	local sent
	setup replay on window 0 && peer || return 1
	cap_start 1 veth1 "$TMP/r.pcap" || { fail "tcpdump did not start"; return 1; }
	n 2 ping -c 3 -i 0.2 -W 2 10.9.0.1 >/dev/null || fail "ping ns2 -> ns1" || return 1
	# tcpdump may lag on a loaded machine: wait for the 3 requests.
	wait_for 20 pcap_has_from "$TMP/r.pcap" 3 || echo "# fewer than 3 frames captured"
	cap_stop
	# Only the frames from ns 2 (those vs0 in ns 1 received).
	n 2 ip link set vs0 down
	quiet_neigh || return 1
	moved "sc.InPktsLate=+" resend "$TMP/r.pcap" || return 1
	expect_eq "InPktsLate = frames resent" "$(cat "$TMP/sent")" \
		"$(n 1 vsecy -s -j show vs0 | jq '.[0].rx_sc[0].InPktsLate')"
}

# Test that with replay off the same captured frames are accepted again:
# valid, below nextPN, so InPktsDelayed, and delivered.
test_replay_pcap_off()
{
	setup && peer || return 1
	cap_start 1 veth1 "$TMP/o.pcap" || { fail "tcpdump did not start"; return 1; }
	n 2 ping -c 3 -i 0.2 -W 2 10.9.0.1 >/dev/null || fail "ping ns2 -> ns1" || return 1
	# tcpdump may lag on a loaded machine: wait for the 3 requests.
	wait_for 20 pcap_has_from "$TMP/o.pcap" 3 || echo "# fewer than 3 frames captured"
	cap_stop
	n 2 ip link set vs0 down
	quiet_neigh || return 1
	# Delivered: vs0 answers the replayed echo requests (OutPkts*).
	moved "sc.InPktsDelayed=+ sc.InOctetsValidated=+ OutPktsProtected=+ OutOctetsProtected=+" \
		resend "$TMP/o.pcap" || return 1
	expect_eq "InPktsDelayed = frames resent" "$(cat "$TMP/sent")" \
		"$(n 1 vsecy -s -j show vs0 | jq '.[0].rx_sc[0].InPktsDelayed')"
}

# Test that an XPN RX SA accepts PNs across 2^32 in order (the SecTAG
# carries the low half: 0xffffffff, then 0 and 1 of the next half), that
# the same frame sent again is refused, and that later PNs still pass.
# (vsecy_secy_datapath.sh runs XPN traffic across 2^32 both ways between
# two SecYs, and against the kernel's macsec.)
test_xpn_boundary()
{
	XPN=1 RXPN=4294967294 setup cipher gcm-aes-xpn-128 replay on window 0 || return 1
	moved "sc.InPktsOK=3 sc.InOctetsValidated=192" injx -k valid --key $KEY --pn 4294967295 -n 3 &&
	# 10.6.2: the recovered PN is never below the lowest acceptable
	# one, so an old XPN frame is read as 2^32 later and fails its ICV:
	# InPktsNotValid, not InPktsLate (the replay is still refused).
	moved "sc.InPktsNotValid=1 sc.InOctetsValidated=64" injx -k valid --key $KEY --pn 4294967295 &&
	moved "sc.InPktsOK=1 sc.InOctetsValidated=64" injx -k valid --key $KEY --pn 4294967300
}

ktap_print_header
if ! command -v vsecy >/dev/null || ! command -v tcpdump >/dev/null || [ ! -x "$INJECT" ]; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool, tcpdump or vsecy-inject is not installed"
	ktap_finished
fi
ktap_set_plan 11
vsecy_load
run_case "RX strict: NoTag BadTag NoSCI NotUsingSA NotValid OK Delayed, octets" test_rx_strict
run_case "RX check: Untagged UnknownSCI NoSCI UnusedSA Invalid NotValid OK" test_rx_check
run_case "RX disabled: Unchecked, Untagged" test_rx_disabled
run_case "RX disabled, replay off: Delayed" test_rx_disabled_delayed
run_case "RX replay on: Late; window 4" test_rx_replay
run_case "RX on a controlled port that is down: dropped, counted, no replay state" test_rx_port_down
run_case "TX: Untagged Protected Encrypted octets TooLong" test_tx
run_case "replayed capture, replay on: Late" test_replay_pcap
run_case "replayed capture, replay off: Delayed" test_replay_pcap_off
run_case "XPN PN across 2^32" test_xpn_boundary
ns_cleanup
run_case "module unloads" vsecy_unload
ktap_finished
