#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Replay protection with the RX SA's bitmap of accepted PNs: frames within
# the replay window are accepted once, in any order; a copy of one is
# dropped and counted InPktsLate (replay on), or accepted again as 802.1AE
# says (replay off: InPktsOK within the window, InPktsDelayed below it).
#
# The frames are real ones: the peer pings vs0 while vs0 has no RX SA, so
# vs0 takes none of them (InPktsNotUsingSA) and they are captured on its
# lower device; then the RX SA is installed (a fresh replay state) and the
# captured frames are sent again, one by one, in an order of our choosing
# (vsecy-inject). Delivery is seen in vs0's Icmp InEchos and in the echo
# replies it sends. Each case checks every counter of the SecY and the RX
# SC: the expected ones by exact amounts, all others unchanged.
#
#   ns 1:  vs0 (vsecy, replay on/off, RX SC 02:00:00:00:02:02) 10.9.0.1
#           |
#          veth1 (tcpdump) <====> veth2 (ns 2): vsecy-inject
#                                   |
#                                  vs0 (vsecy, the peer) 10.9.0.2

. "$(dirname "$0")/lib.sh"

require_iproute2
trap 'cap_stop; ns_cleanup; rm -rf "$TMP"' EXIT

INJECT=$(dirname "$0")/vsecy-inject
KEY=00112233445566778899aabbccddeeff
SALT=101112131415161718191a1b
SRC=02:00:00:00:02:02
DST=02:00:00:00:01:01
N=8
# A default ping: 84 octets of IPv4 plus the EtherType, per frame.
OCTETS=86
TMP=$(mktemp -d)

# setup_ns: the namespaces and the veth pair, no IPv6 (its own frames
# would take PNs and move counters). setup LINK OPTIONS...: then vs0 in
# ns 1 with TX SA 0 and an RX SC for the peer but no RX SA yet, the
# peer's vs0 in ns 2, static neighbours (no ARP).
setup_ns()
{
	ns_cleanup
	ns_wire $DST $SRC
}

setup()
{
	setup_ns &&
	n 1 vsecy link add link veth1 vs0 port 1 "$@" &&
	n 1 vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY &&
	n 1 vsecy add vs0 rx port 1 address $SRC &&
	n 1 ip addr add 10.9.0.1/24 dev vs0 && n 1 ip link set vs0 up &&
	n 1 ip neigh add 10.9.0.2 lladdr $SRC dev vs0 &&
	n 2 vsecy link add link veth2 vs0 port 1 &&
	n 2 vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY &&
	n 2 ip addr add 10.9.0.2/24 dev vs0 && n 2 ip link set vs0 up &&
	n 2 ip neigh add 10.9.0.1 lladdr $DST dev vs0
}

# Counters of vs0 in ns 1 as NAME=VALUE lines: the SecY's and TX SC's, the
# first RX SC's ("sc." prefix), and the ICMP echo requests its IP stack
# took ("InEchos": what was delivered).
snap()
{
	n 1 vsecy -s -j show vs0 | jq -r '.[0] |
		(to_entries[] | select(.key | test("^(In|Out)")) | "\(.key)=\(.value)"),
		(.rx_sc[0] | to_entries[] | select(.key | test("^(In|Out)")) | "sc.\(.key)=\(.value)")' &&
	n 1 awk '/^Icmp:/ { if (!h) { split($0, k); h = 1 } else
		for (i = 2; i <= NF; i++) if (k[i] == "InEchos") print "InEchos=" $i }' /proc/net/snmp
}


# pcap_count FILE: how many MACsec frames from $SRC FILE holds.
pcap_count()
{
	od -An -v -tx1 "$1" | tr -d ' \n' | grep -o '020000000202''88e5' | wc -l
}

pcap_has() { [ "$(pcap_count "$1")" -ge "$2" ]; }

# The peer pings $N times (nobody answers: vs0 has no RX SA) while veth1 is
# captured; then the capture is cut into one file per PN, $TMP/pn$K.pcap,
# each checked to hold exactly the one frame with that PN (the peer's
# only frames are these echo requests, PNs 1..$N).
capture()
{
	local k c
	cap_start 1 veth1 "$TMP/all.pcap" || { fail "tcpdump did not start"; return 1; }
	moved "sc.InPktsNotUsingSA=$N" ping_noreply -c $N -i 0.2 -W 1 10.9.0.1 || return 1
	# tcpdump may lag on a loaded machine.
	wait_for 20 pcap_has "$TMP/all.pcap" $N
	cap_stop
	c=$(pcap_count "$TMP/all.pcap")
	[ "$c" -eq $N ] || fail "frames from $SRC captured: expected $N, observed $c" || return 1
	for k in $(seq $N); do
		# The SecTAG's PN is octets 16..19 of the frame.
		tcpdump -Z root -r "$TMP/all.pcap" -w "$TMP/pn$k.pcap" \
			"ether src $SRC and ether proto 0x88e5 and ether[16:4] = $k" \
			2>"$TMP/err" ||
			fail "tcpdump -r: cannot extract PN $k: $(cat "$TMP/err")" || return 1
		c=$(pcap_count "$TMP/pn$k.pcap")
		[ "$c" -eq 1 ] || fail "frames with PN $k: expected 1, observed $c" || return 1
	done
}

ping_noreply() { n 2 ping "$@" >/dev/null 2>&1; [ $? -le 1 ]; }

# resend K...: sends the captured frames with these PNs, in this order,
# from ns 2; each must have been sent.
resend()
{
	local k c
	for k in "$@"; do
		c=$(n 2 "$INJECT" -i veth2 -k pcap --pcap "$TMP/pn$k.pcap" -s $SRC) || return 1
		[ "$c" = 1 ] || fail "vsecy-inject sent $c frames of pn$k.pcap, expected 1" || return 1
	done
}

rx_sa_add() { n 1 vsecy add vs0 rx port 1 address $SRC sa 0 pn 1 on key 01 $KEY; }

# Reversed pairs: 2 1 4 3 ... (every frame but the first of a pair
# arrives after a higher PN).
REORDERED=$(seq $N | awk 'NR % 2 { p = $1; next } { printf "%s %s ", $1, p }')

# Test that the built-in replay self-tests pass: the table-driven cases of
# selftest/replay.c (bitmap, window, XPN recovery) run at module load.
test_selftests()
{
	vsecy_unload || return 1
	modprobe vsecy selftest=1 || fail "modprobe vsecy selftest=1 failed" || return 1
	dmesg | grep -q "replay window (11 cases) and PN recovery self-tests: pass" ||
		fail "no replay self-test pass in dmesg: $(dmesg | grep -i 'replay' | tail -5)"
}

# Test that with replay on (window 64) captured frames sent again out of
# order are each accepted once (InPktsOK, delivered: InEchos, and vs0
# answers each), and that all of them sent again are refused: InPktsLate,
# nothing delivered. 802.1AE's lowest-PN rule alone would accept the
# second round (all within the window). Then setting the RX SA's next PN
# forward by netlink does not make them acceptable again.
test_replay_on()
{
	setup replay on window 64 && capture && rx_sa_add || return 1
	moved "sc.InPktsOK=$N sc.InOctetsValidated=$((N * OCTETS)) InEchos=$N
	       OutPktsProtected=$N OutOctetsProtected=$((N * OCTETS))" \
		resend $REORDERED || return 1
	moved "sc.InPktsLate=$N" resend $(seq $N) || return 1
	moved "sc.InPktsLate=$N" resend $REORDERED || return 1
	n 1 vsecy set vs0 rx port 1 address $SRC sa 0 pn 20 || return 1
	moved "sc.InPktsLate=$N" resend $(seq $N)
}

# Test that with replay on and a window of 2, a frame below the lowest
# acceptable PN is InPktsLate, one within the window but out of order is
# accepted once, and copies of accepted frames are InPktsLate.
test_replay_window_2()
{
	setup replay on window 2 && capture && rx_sa_add || return 1
	# 3: nextPN 4, lowest 2. 1: late. 2: taken. 2, 3: copies.
	# 6: nextPN 7, lowest 5. 4: late. 5: taken. 5: copy.
	moved "sc.InPktsOK=4 sc.InOctetsValidated=$((4 * OCTETS)) InEchos=4
	       OutPktsProtected=4 OutOctetsProtected=$((4 * OCTETS))
	       sc.InPktsLate=5" resend 3 1 2 2 3 6 4 5 5
}

# Test that with replay off nothing is refused: with window 0 the frames
# that come after a higher PN are InPktsDelayed and still delivered, and
# all of them sent again are InPktsDelayed and delivered again.
test_replay_off()
{
	setup replay off && capture && rx_sa_add || return 1
	moved "sc.InPktsOK=$((N / 2)) sc.InPktsDelayed=$((N / 2))
	       sc.InOctetsValidated=$((N * OCTETS)) InEchos=$N
	       OutPktsProtected=$N OutOctetsProtected=$((N * OCTETS))" \
		resend $REORDERED || return 1
	moved "sc.InPktsDelayed=$N sc.InOctetsValidated=$((N * OCTETS)) InEchos=$N
	       OutPktsProtected=$N OutOctetsProtected=$((N * OCTETS))" \
		resend $(seq $N)
}

# Test that with replay off and a window of 64, copies within the window
# are accepted again (InPktsOK), as 802.1AE says: the bitmap only refuses
# with replay protection on.
test_replay_off_window()
{
	# `replay off window 64` sends no window (as with ip): set it first.
	setup replay on window 64 && n 1 vsecy link set vs0 replay off &&
	capture && rx_sa_add || return 1
	moved "sc.InPktsOK=$((2 * N)) sc.InOctetsValidated=$((2 * N * OCTETS))
	       InEchos=$((2 * N)) OutPktsProtected=$((2 * N))
	       OutOctetsProtected=$((2 * N * OCTETS))" \
		resend $REORDERED $(seq $N)
}

# Test that an XPN RX SA (window 64) accepts PNs across 2^32 out of order,
# each once: the copies are InPktsLate (their PN is recovered within the
# window), not InPktsNotValid. Crafted frames (vsecy-inject), 64 octets.
test_xpn()
{
	local pns="4294967297 4294967295 4294967296 4294967294 4294967298"
	setup_ns &&
	n 1 vsecy link add link veth1 vs0 port 1 cipher gcm-aes-xpn-128 replay on window 64 &&
	n 1 vsecy add vs0 tx sa 0 xpn 1 ssci 1 salt $SALT on key 01 $KEY &&
	n 1 vsecy add vs0 rx port 1 address $SRC &&
	n 1 vsecy add vs0 rx port 1 address $SRC sa 0 xpn 4294967290 ssci 2 salt $SALT on key 01 $KEY &&
	n 1 ip link set vs0 up || return 1
	moved "sc.InPktsOK=5 sc.InOctetsValidated=320" xinject $pns &&
	moved "sc.InPktsLate=5" xinject $pns
}

# xinject PN...: one crafted XPN frame for each PN, in this order.
xinject()
{
	local p
	for p in "$@"; do
		n 2 "$INJECT" -i veth2 -s $SRC -d $DST -k valid --key $KEY \
			--ssci 2 --salt $SALT --pn "$p" >/dev/null || return 1
	done
}

ktap_print_header
if ! command -v vsecy >/dev/null || ! command -v tcpdump >/dev/null || [ ! -x "$INJECT" ]; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool, tcpdump or vsecy-inject is not installed"
	ktap_finished
fi
ktap_set_plan 7
run_case "built-in replay self-tests" test_selftests
run_case "replay on, window 64: out of order accepted once, copies Late" test_replay_on
run_case "replay on, window 2: Late below the window, copies Late" test_replay_window_2
run_case "replay off, window 0: Delayed and delivered, copies too" test_replay_off
run_case "replay off, window 64: copies accepted again" test_replay_off_window
run_case "XPN across 2^32, window 64: out of order once, copies Late" test_xpn
ns_cleanup
run_case "module unloads" vsecy_unload
ktap_finished
