#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The MACsec-offload NIC's datapath: the kernel's macsec, offloaded to a
# vsecy NIC (offload mac), against the kernel's software macsec and
# against vsecy's own SecY, for each cipher suite with encryption on and
# off: pings both ways, 1400-byte pings, iperf3; the counters of every
# end moved; and a capture on the wire holds SecTAGs with this case's
# SCIs and nothing in the clear (encryption on: not the ping's payload
# pattern either; off: the pattern, inside SecTAG frames only). One
# setup; each case makes its four SecYs again with ip -batch and vsecy
# -batch. The XPN cases start 6 PNs below 2^32, so that both ends cross
# it.
#
#   ns 1                                   ns 2
#   ms0 (macsec, offload mac) 10.9.1.1     ms0 (macsec, software) on mp0 10.9.1.2
#   ms1 (macsec, offload mac) 10.9.2.1     vs0 (vsecy SecY)       on mp1 10.9.2.2
#     \      /                               mp0, mp1: macvlans on veth2
#     nic0 (vsecy, mode offload)              |
#       |                                     |
#     veth1 <===============================> veth2 (tcpdump: the wire)

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vsecy_offload_lib.sh"

require_iproute2
trap 'cap_stop; stop_iperf; ns_cleanup; rm -rf "$TMP"' EXIT

K1=00112233445566778899aabbccddeeff
K2=0f0e0d0c0b0a09080706050403020100
SALT=101112131415161718191a1b
NIC_MAC=02:00:00:00:01:01
MP0=02:00:00:00:02:01
MP1=02:00:00:00:02:02
TMP=$(mktemp -d)
CAP_PIDS=
IPERF_KB=512
IPERF_TIMEOUT=120

# The iperf3 servers, by their PIDs.
stop_iperf()
{
	local f
	for f in "$TMP"/iperf-s*.pid; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
		rm -f "$f"
	done
}

setup()
{
	# No IPv6: its own frames would be on the wire in the clear from the
	# NIC and the macvlans, which are plaintext devices by design.
	ns_wire $NIC_MAC &&
	n 2 ip link add link veth2 mp0 address $MP0 type macvlan mode bridge &&
	n 2 ip link add link veth2 mp1 address $MP1 type macvlan mode bridge &&
	n 2 ip link set mp0 up && n 2 ip link set mp1 up &&
	n 1 vsecy link add link veth1 nic0 mode offload &&
	n 1 ip link set nic0 up &&
	n 1 iperf3 -s -D -p 5201 -I "$TMP/iperf-s11.pid" &&
	n 1 iperf3 -s -D -p 5202 -I "$TMP/iperf-s12.pid" &&
	n 2 iperf3 -s -D -p 5201 -I "$TMP/iperf-s21.pid" &&
	n 2 iperf3 -s -D -p 5202 -I "$TMP/iperf-s22.pid"
}

# keys CIPHER: K (ns 1's TX key), L (ns 2's), TXPN1/TXPN2 (the SA words).
keys()
{
	K=$K1 L=$K2
	case $1 in *256) K=$K1$K1 L=$K2$K2 ;; esac
	case $1 in
	*xpn*) PN1="xpn 4294967290 ssci 1 salt $SALT"; PN2="xpn 4294967290 ssci 2 salt $SALT" ;;
	*) PN1="pn 1"; PN2="pn 1" ;;
	esac
}

# pair CIPHER ENCRYPT P0 P1 [del]: ms0 (port P0) and ms1 (port P1) on
# nic0, ms0 and vs0 in ns 2, made anew (with "del", the last case's go
# first; -force: whatever of them is there). Keys go through standard
# input only.
pair()
{
	local cs=$1 enc=$2 p0=$3 p1=$4 del=$5
	keys "$cs"
	n 1 ip -force -batch - <<-EOF || return 1
	${del:+link del ms0}
	${del:+link del ms1}
	link add link nic0 ms0 type macsec port $p0 cipher $cs encrypt $enc offload mac
	macsec add ms0 tx sa 0 $PN1 on key 01 $K
	macsec add ms0 rx port 1 address $MP0
	macsec add ms0 rx port 1 address $MP0 sa 0 $PN2 on key 02 $L
	addr add 10.9.1.1/24 dev ms0
	link add link nic0 ms1 type macsec port $p1 cipher $cs encrypt $enc offload mac
	macsec add ms1 tx sa 0 $PN1 on key 01 $K
	macsec add ms1 rx port 1 address $MP1
	macsec add ms1 rx port 1 address $MP1 sa 0 $PN2 on key 02 $L
	addr add 10.9.2.1/24 dev ms1
	link set ms0 up
	link set ms1 up
	EOF
	n 2 vsecy -force -batch - <<-EOF || return 1
	${del:+link del vs0}
	link add link mp1 vs0 port 1 cipher $cs encrypt $enc
	add vs0 tx sa 0 $PN2 on key 02 $L
	add vs0 rx port $p1 address $NIC_MAC
	add vs0 rx port $p1 address $NIC_MAC sa 0 $PN1 on key 01 $K
	EOF
	n 2 ip -force -batch - <<-EOF
	${del:+link del ms0}
	link add link mp0 ms0 type macsec port 1 cipher $cs encrypt $enc
	macsec add ms0 tx sa 0 $PN2 on key 02 $L
	macsec add ms0 rx port $p0 address $NIC_MAC
	macsec add ms0 rx port $p0 address $NIC_MAC sa 0 $PN1 on key 01 $K
	addr add 10.9.1.2/24 dev ms0
	link set ms0 up
	addr add 10.9.2.2/24 dev vs0
	link set vs0 up
	EOF
}

# Test one cipher suite, encrypt on or off, against both peers.
test_pair()
{
	local cs=$1 enc=$2 idx=$3 p0 p1 pat cap tci v x field frames rc=0 rx a1 a2 short
	# $4: the last case's SecYs are there
	p0=$((idx * 16 + 1)) p1=$((idx * 16 + 2))
	# The pings' payload: unique to this case, searched for on the wire.
	pat=$(printf '5ec0de%02x' "$idx")
	cap=$TMP/wire$idx.pcap
	pair "$cs" "$enc" "$p0" "$p1" ${4:+del} || { fail "setup of $cs encrypt $enc"; return 1; }

	cap128_start 2 veth2 "$cap" || { fail "tcpdump did not start"; return 1; }
	# Pings both ways; from ns 1 with 1400 bytes of data, which the
	# echo replies carry back.
	n 1 bash -c "ping -c 3 -i 0.1 -W 2 -s 1400 -p $pat 10.9.1.2 &&
		     ping -c 3 -i 0.1 -W 2 -s 1400 -p $pat 10.9.2.2" >/dev/null ||
		fail "1400-byte pings ns 1 -> ns 2 over nic0" || rc=1
	n 2 bash -c "ping -c 3 -i 0.1 -W 2 -p $pat 10.9.1.1 && ping -c 3 -i 0.1 -W 2 -p $pat 10.9.2.1" >/dev/null ||
		fail "pings ns 2 -> ns 1 over nic0" || rc=1
	# 12 echo requests and 12 replies: wait for tcpdump to have them.
	wait_for 10 pcap_has "$cap" 24 || echo "# fewer than 24 frames captured"
	cap_stop
	[ $rc -eq 0 ] || return 1

	# Every peer validated what the NIC sent, and the NIC what they sent.
	[ "$enc" = on ] && field=InOctetsDecrypted || field=InOctetsValidated
	v="$(counters 1 "" | sed 's/^/1:/')
$(n 2 sh -c 'ip -s macsec show ms0; vsecy -s show vs0' | parse_counters "" | sed 's/^/2:/')"
	for x in 1:ms0 1:ms1 2:ms0 2:vs0; do
		x=$(echo "$v" | value "$x/sc.InPktsOK")
		[ "${x:-0}" -ge 6 ] 2>/dev/null || { rc=1
			fail "sc.InPktsOK after the pings: expected >= 6, observed '$x' ($(echo "$v" | grep sc.InPktsOK | tr '\n' ' '))"; }
	done
	x=$(echo "$v" | grep -c "/sc.$field=[1-9]")
	expect_eq "RX SCs with $field > 0" 4 "$x" || rc=1

	# The wire: MACsec only, with both SecYs' SCIs, E and C as set.
	[ "$enc" = on ] && tci=2c || tci=20
	frames=$(pcap_frames "$cap")
	v=$(echo "$frames" | awk '$1 != "88e5"' | wc -l)
	expect_eq "frames on the wire without a SecTAG (of $(echo "$frames" | wc -l))" 0 "$v" || rc=1
	for x in $p0 $p1; do
		v=$(echo "$frames" | awk -v t=$tci -v s="$(sci_hex $NIC_MAC "$x")" '$2 == t && $3 == s' | wc -l)
		[ "$v" -ge 6 ] ||
			{ fail "frames with TCI $tci and SCI $(sci_hex $NIC_MAC "$x"): expected >= 6, observed $v"; rc=1; }
	done
	v=$(echo "$frames" | grep -c "$pat$pat$pat")
	if [ "$enc" = on ]; then
		expect_eq "frames with the pings' payload ($pat) in the clear, encrypt on" 0 "$v" || rc=1
	else
		# Integrity only: the payload is there, after the SecTAG.
		[ "$v" -ge 12 ] ||
			{ fail "frames with the pings' payload ($pat), encrypt off: expected >= 12, observed $v"; rc=1; }
	fi

	# iperf3 with both peers at once, ns 1 sending (receiving with
	# encrypt off): a fixed amount each, IPERF_KB, within IPERF_TIMEOUT
	# seconds. The client receives (-R): the test ends when it has
	# received the amount, so what it counts is what went through. A
	# volume, not a rate: on the debug kernel in a loaded TCG VM one of
	# the two flows was seen at 38 KB/s.
	if [ "$enc" = on ]; then rx=2 a1=10.9.1.1 a2=10.9.2.1; else rx=1 a1=10.9.1.2 a2=10.9.2.2; fi
	n $rx timeout $IPERF_TIMEOUT iperf3 -c $a1 -p 5201 -R -n ${IPERF_KB}K -f k > "$TMP/iperf1" 2>&1 &
	x=$!
	n $rx timeout $IPERF_TIMEOUT iperf3 -c $a2 -p 5202 -R -n ${IPERF_KB}K -f k > "$TMP/iperf2" 2>&1
	wait $x
	set -- "$(iperf_kbytes "$TMP/iperf1")" "$(iperf_kbytes "$TMP/iperf2")"
	echo "$cs encrypt $enc: iperf3 ns $((3 - rx)) -> ns $rx, ${IPERF_KB} KB each:" \
		"macsec peer ${1:-?} KBytes in $(iperf_secs "$TMP/iperf1") s, vsecy peer ${2:-?} KBytes in $(iperf_secs "$TMP/iperf2") s"
	short=0
	[ "${1:-0}" -ge "$IPERF_KB" ] 2>/dev/null || { fail "iperf3 with the macsec peer: $(tail -n 3 "$TMP/iperf1")"; short=1; }
	[ "${2:-0}" -ge "$IPERF_KB" ] 2>/dev/null || { fail "iperf3 with the vsecy peer: $(tail -n 3 "$TMP/iperf2")"; short=1; }
	if [ $short -ne 0 ]; then
		# Where the frames went: the NIC's and every SecY's counters.
		n 1 ip -s link show nic0; n 1 ip -s macsec show
		n 2 ip -s macsec show; n 2 vsecy -s show vs0
		rc=1
	fi
	return $rc
}

CASES="gcm-aes-128 gcm-aes-256 gcm-aes-xpn-128 gcm-aes-xpn-256"

ktap_print_header
if ! command -v vsecy >/dev/null || ! command -v tcpdump >/dev/null || ! command -v iperf3 >/dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool, tcpdump or iperf3 is not installed"
	ktap_finished
fi
ktap_set_plan 10
vsecy_load && modprobe macsec
run_case "setup: a NIC on veth1, macvlans on the other end" setup
i=0
prev=
for cs in $CASES; do
	for enc in on off; do
		run_case "$cs encrypt $enc: offloaded macsec <-> software macsec and <-> vsecy" \
			test_pair "$cs" "$enc" "$i" $prev
		i=$((i + 1))
		prev=1
	done
done
stop_iperf
ns_cleanup
run_case "module unloads" vsecy_unload
ktap_finished
