#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Confidentiality offset (802.1AE confidentialityOffset, clause 14): with confoffset N and
# encryption on, the first N octets of the user data after the SecTAG go
# out in the clear (integrity-protected), the rest is encrypted. vsecy
# against vsecy (the kernel's macsec has no such option). The frames are
# captured twice in ns 2: on the lower device veth2 (as on the wire) and on
# vs0 (the same frames after validation, in the clear); the test compares
# them octet by octet. Needs the vsecy tool and tcpdump.
#
#   ns 1                               ns 2
#   vs0 (vsecy) 10.9.0.1               vs0 (vsecy) 10.9.0.2  <- tcpdump
#    |                                  |
#   veth1 <===========================> veth2                 <- tcpdump

. "$(dirname "$0")/lib.sh"

require_iproute2
trap 'cap_stop; ns_cleanup; rm -rf "$TMP"' EXIT

KEY=00112233445566778899aabbccddeeff
TMP=$(mktemp -d)
CAP_PIDS=

setup()
{
	local off=$1 off2=${2:-$1} i j
	ns_cleanup
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 address 02:00:00:00:01:01 &&
	n 2 ip link set veth2 address 02:00:00:00:02:02 || return 1
	for i in 1 2; do
		j=$((3 - i))
		[ "$i" = 1 ] && o=$off || o=$off2
		n $i ip link set veth$i up &&
		n $i vsecy link add link veth$i vs0 port 1 encrypt on confoffset "$o" &&
		n $i vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY &&
		n $i vsecy add vs0 rx port 1 address 02:00:00:00:0$j:0$j &&
		n $i vsecy add vs0 rx port 1 address 02:00:00:00:0$j:0$j sa 0 pn 1 on key 01 $KEY &&
		n $i ip addr add 10.9.0.$i/24 dev vs0 &&
		n $i ip link set vs0 up || return 1
	done
}

# pcap_frames FILE: one line per frame, its octets in hex (classic pcap,
# written in the host's byte order, i.e. little-endian here).
pcap_frames()
{
	od -An -v -tx1 "$1" | tr -s ' \n' '\n\n' | grep . | awk '
		function hex(s,   i, v) {
			v = 0
			for (i = 1; i <= length(s); i++)
				v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return v
		}
		{ b[NR - 1] = $1 }
		END {
			p = 24
			while (p + 16 <= NR) {
				len = hex(b[p + 11] b[p + 10] b[p + 9] b[p + 8])
				p += 16
				line = ""
				for (i = 0; i < len && p + i < NR; i++)
					line = line b[p + i]
				print line
				p += len
			}
		}'
}

# An ICMP echo request from ns 1 (source MAC 02:00:00:00:01:01, IPv4,
# protocol 1, type 8), as a line of pcap_frames.
ECHO_RE='^.\{12\}020000000101080045.\{16\}01.\{20\}08'

# A MACsec frame from ns 1.
WIRE_RE='^.\{12\}02000000010188e5'

# has_frames FILE REGEX N: FILE holds at least N frames matching REGEX.
has_frames() { [ "$(pcap_frames "$1" | grep -c "$2")" -ge "$3" ]; }

warm_up()
{
	n 1 ping -c 1 -W 1 -s 100 10.9.0.2 >/dev/null &&
	has_frames "$TMP/clear.pcap" "$ECHO_RE" 1 &&
	has_frames "$TMP/wire.pcap" "$WIRE_RE" 1
}

# has_len FILE REGEX LEN [LEN2]: FILE holds a frame matching REGEX of
# LEN (or LEN2) octets.
has_len()
{
	pcap_frames "$1" | grep "$2" |
		awk -v a=$(($3 * 2)) -v b=$((${4:-$3} * 2)) 'length($0) == a || length($0) == b { f = 1 } END { exit !f }'
}

# Test that vsecy <-> vsecy pings with confoffset OFF, and that on the wire
# exactly OFF octets after the SecTAG equal the clear frame's user data,
# the rest (up to the ICV) does not.
test_offset()
{
	local off=$1 wire clear tci taglen secure plain dlen i same=0 prefix
	setup "$off" || return 1
	expect_eq "vsecy show conf_offset" "$off" \
		"$(n 2 vsecy -j show vs0 | jq -r '.[0].conf_offset // 0')" || return 1
	cap_start 2 veth2 "$TMP/wire.pcap" && cap_start 2 vs0 "$TMP/clear.pcap" ||
		{ fail "tcpdump did not start"; return 1; }
	# tcpdump writes its file header before it captures reliably: small
	# pings until one shows up in both files, then the one compared.
	wait_for 30 warm_up || return 1
	# A 200-octet echo request whose payload is the pattern 0xa5: 242
	# octets from the MAC addresses on, 266 or 274 with SecTAG and ICV.
	n 1 ping -c 1 -W 2 -s 200 -p a5 10.9.0.2 >/dev/null ||
		fail "ping ns1 -> ns2 with confoffset $off" || return 1
	wait_for 20 has_len "$TMP/clear.pcap" "$ECHO_RE" 242 &&
	wait_for 20 has_len "$TMP/wire.pcap" "$WIRE_RE" 266 274 || return 1
	cap_stop
	clear=$(pcap_frames "$TMP/clear.pcap" | grep "$ECHO_RE" | awk 'length($0) == 484' | head -1)
	wire=$(pcap_frames "$TMP/wire.pcap" | grep "$WIRE_RE" |
	       awk 'length($0) == 532 || length($0) == 548' | head -1)
	[ -n "$clear" ] || fail "no echo request captured on vs0" || return 1
	[ -n "$wire" ] || fail "no MACsec frame of the echo request's size on veth2" || return 1
	tci=$((0x${wire:28:2}))
	expect_eq "TCI E and C bits (0x0c)" 12 $((tci & 12)) || return 1
	[ $((tci & 0x20)) -ne 0 ] && taglen=16 || taglen=8
	# User data: from the EtherType on (clear frame), after the SecTAG
	# up to the ICV (wire frame).
	plain=${clear:24}
	secure=${wire:$(( (12 + taglen) * 2 ))}
	secure=${secure:0:$(( ${#secure} - 32 ))}
	dlen=$(( ${#plain} / 2 ))
	expect_eq "secure data length" "$dlen" $(( ${#secure} / 2 )) || return 1
	prefix=0
	while [ $prefix -lt "$dlen" ] && [ "${plain:$((prefix * 2)):2}" = "${secure:$((prefix * 2)):2}" ]; do
		prefix=$((prefix + 1))
	done
	# The first OFF octets equal; octet OFF onwards is ciphertext, which
	# matches the plaintext at a position with probability 1/256: allow
	# a few coincidences, not a clear tail.
	[ "$prefix" -ge "$off" ] || fail "octets in the clear after the SecTAG: expected $off, observed $prefix" || return 1
	for ((i = off; i < dlen; i++)); do
		[ "${plain:$((i * 2)):2}" = "${secure:$((i * 2)):2}" ] && same=$((same + 1))
	done
	[ "$same" -le $(( (dlen - off) / 16 + 2 )) ] ||
		fail "octets $off..$((dlen - 1)) after the SecTAG: expected ciphertext, observed $same of $((dlen - off)) in the clear" || return 1
	echo "# confoffset $off: $prefix octets in the clear, $same coincidences in $((dlen - off)) encrypted"
	# Both ends counted the frames as decrypted and valid.
	[ "$(n 2 vsecy -s -j show vs0 | jq -r '.[0].rx_sc[0].InPktsOK')" -ge 2 ] ||
		fail "ns 2 InPktsOK: expected >= 2"
}

# Test that the two ends must agree: 30 against 50 fails the ICV
# (InPktsNotValid), and `vsecy link set` changes the offset so that they
# agree again.
test_mismatch()
{
	local nv
	setup 30 50 || return 1
	n 1 ping -c 2 -i 0.3 -W 1 10.9.0.2 >/dev/null 2>&1 &&
		fail "ping passed with confoffset 30 against 50" && return 1
	nv=$(n 2 vsecy -s -j show vs0 | jq -r '.[0].rx_sc[0].InPktsNotValid')
	[ "$nv" -ge 1 ] 2>/dev/null || fail "ns 2 InPktsNotValid: expected >= 1, observed '$nv'" || return 1
	n 2 vsecy link set vs0 confoffset 30 || fail "vsecy link set vs0 confoffset 30" || return 1
	n 1 ping -c 2 -i 0.3 -W 2 10.9.0.2 >/dev/null ||
		fail "ping after vsecy link set vs0 confoffset 30"
}

# Test that offsets other than 0, 30 and 50 are refused by tool and kernel.
test_refused()
{
	setup 0 || return 1
	n 1 vsecy link set vs0 confoffset 20 2>/dev/null &&
		fail "vsecy link set vs0 confoffset 20 succeeded" && return 1
	expect_eq "conf_offset after a refused set" 0 \
		"$(n 1 vsecy -j show vs0 | jq -r '.[0].conf_offset // 0')"
}

ktap_print_header
if ! command -v vsecy >/dev/null || ! command -v tcpdump >/dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool or tcpdump is not installed"
	ktap_finished
fi
ktap_set_plan 6
vsecy_load
run_case "confoffset 0: all user data encrypted" test_offset 0
run_case "confoffset 30: 30 octets in the clear" test_offset 30
run_case "confoffset 50: 50 octets in the clear" test_offset 50
run_case "confoffset 30 against 50: NotValid; link set" test_mismatch
run_case "confoffset 20 refused" test_refused
ns_cleanup
run_case "module unloads" vsecy_unload
ktap_finished
