#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vsecy tool against the vsecy module, with the kernel's macsec driver
# on the other end configured by the same lines through ip macsec: the
# shape of show, the tool's error reports, dumps continued over several
# messages, link set and a key rollover. (Interop per cipher suite and the
# absence of key bytes are vsecy_secy_datapath.sh's and
# vsecy_secy_netlink.sh's.)
#
#   ns 1:  veth1 <===========> veth2  :ns 2
#            |                   |
#           vs0 (vsecy,         ms0 (macsec,
#                vsecy tool)         ip macsec)

. "$(dirname "$0")/lib.sh"

require_iproute2
trap ns_cleanup EXIT

K1=81818181818181818181818181818181
K2=82828282828282828282828282828282
K1_256=${K1}${K1}
K2_256=${K2}${K2}
SALT=838383838383838383838383

mac() { n "$1" ip -j link show dev "$2" | jq -r '.[0].address'; }
# sci MAC PORT: the 16 hex digits ip macsec and vsecy print.
sci() { printf '%s%04x' "${1//:/}" "$2"; }

setup()
{
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up &&
	M1=$(mac 1 veth1) && M2=$(mac 2 veth2)
}

# pair CIPHER ENCRYPT: vs0 in ns 1 (vsecy), ms0 in ns 2 (ip macsec),
# the same command lines on both sides but for keys and addresses.
pair()
{
	local cipher=$1 enc=$2 k1=$K1 k2=$K2 pn=pn xs=
	case $cipher in *256) k1=$K1_256 k2=$K2_256 ;; esac
	case $cipher in *xpn*) pn=xpn xs="salt $SALT ssci" ;; esac
	n 1 vsecy link del vs0 2>/dev/null
	n 2 ip link del ms0 2>/dev/null
	n 1 vsecy link add link veth1 vs0 port 1 cipher "$cipher" encrypt "$enc" || return 1
	n 2 ip link add link veth2 ms0 type macsec port 1 cipher "$cipher" encrypt "$enc" || return 1
	n 1 vsecy add vs0 tx sa 0 $pn 1 ${xs:+$xs 1} on key 01 "$k1" || return 1
	n 1 vsecy add vs0 rx port 1 address "$M2" || return 1
	n 1 vsecy add vs0 rx port 1 address "$M2" sa 0 $pn 1 ${xs:+$xs 2} on key 02 "$k2" || return 1
	n 2 ip macsec add ms0 tx sa 0 $pn 1 ${xs:+$xs 2} on key 02 "$k2" || return 1
	n 2 ip macsec add ms0 rx port 1 address "$M1" || return 1
	n 2 ip macsec add ms0 rx port 1 address "$M1" sa 0 $pn 1 ${xs:+$xs 1} on key 01 "$k1" || return 1
	n 1 ip addr add 192.0.2.1/24 dev vs0 && n 1 ip link set vs0 up &&
	n 2 ip addr add 192.0.2.2/24 dev ms0 && n 2 ip link set ms0 up
}

# Test that vsecy show has the shape of ip macsec show for the same setup.
test_show_shape()
{
	local out first
	pair gcm-aes-128 on || return 1
	n 1 ping -c 2 -i 0.2 -W 2 192.0.2.2 >/dev/null || fail "ping vs0 -> ms0" || return 1
	out=$(n 1 vsecy show vs0)
	echo "$out"
	first=$(echo "$out" | head -n 1)
	case "$first" in
	*": vs0: protect on validate strict sc off sa off encrypt on send_sci on end_station off scb off replay off ")
		;;
	*) fail "first line: observed '$first'"; return 1 ;;
	esac
	expect_eq "cipher line" "    cipher suite: GCM-AES-128, using ICV length 16" \
		"$(echo "$out" | sed -n 2p)" || return 1
	expect_eq "TXSC line" "    TXSC: $(sci "$M1" 1) on SA 0" "$(echo "$out" | sed -n 3p)" || return 1
	echo "$out" | grep -qx "        0: PN [0-9]*, state on, key 01000000000000000000000000000000" ||
		{ fail "no TX SA 0 line"; return 1; }
	expect_eq "RXSC line" "    RXSC: $(sci "$M2" 1), state on" "$(echo "$out" | sed -n 5p)"
}

# vsecy show without what traffic moves (PNs), for before/after compares.
show_static() { n 1 vsecy show vs0 | sed 's/PN [0-9]*/PN x/'; }

# expect_refused MSG CMD...: as expect_fail_msg, and shows the message.
expect_refused()
{
	local out
	out=$("${@:2}" 2>&1) && { fail "'${*:2}' succeeded"; return 1; }
	# The command without its key: the first words after "vsecy".
	echo "vsecy ${*:5:4} ...: $out"
	case "$out" in *"$1"*) return 0 ;; esac
	fail "'${*:2}' failed without '$1'"
}

# Test that refused requests say why (extack) and change nothing.
test_rejections()
{
	local before after
	before=$(show_static)
	expect_refused "Error:" n 1 vsecy add vs0 tx sa 0 pn 1 on key 01 "$K1" || return 1
	expect_refused "Error:" n 1 vsecy del vs0 tx sa 0 || return 1
	expect_refused "Error:" n 1 vsecy add vs0 tx sa 1 pn 1 on key 03 "${K1}00" || return 1
	expect_refused "pn != 0" n 1 vsecy add vs0 tx sa 1 pn 0 on key 03 "$K1" || return 1
	expect_refused "cannot change key" n 1 vsecy set vs0 tx sa 0 key 01 "$K1" || return 1
	expect_refused "Error:" n 1 vsecy set vs0 tx sa 0 xpn 4294967296 || return 1
	expect_refused "Error:" n 1 vsecy add vs0 rx port 1 address "$M2" || return 1
	expect_refused "not a vsecy device" n 1 vsecy link del veth1 || return 1
	after=$(show_static)
	expect_eq "vsecy show after refused requests" "$before" "$after"
}

# Test that a SecY with more RX SCs than one dump message holds shows them
# all, once each, in one JSON object and with one offload line.
test_many_rxsc()
{
	local i n count
	n=300
	# One vsecy -batch, not $n processes: each costs most of a second
	# in the VM.
	for i in $(seq 2 $((n + 1))); do
		printf 'add vs0 rx sci 02000000%04x0001 off\n' "$i"
	done | n 1 vsecy -batch - || return 1
	count=$(n 1 vsecy -j show vs0 | jq '.[0].rx_sc | length')
	expect_eq "RX SCs in vsecy -j show vs0" $((n + 1)) "$count" || return 1
	count=$(n 1 vsecy -j show vs0 | jq '[.[0].rx_sc[].sci] | unique | length')
	expect_eq "distinct RX SCs" $((n + 1)) "$count" || return 1
	count=$(n 1 vsecy show vs0 | grep -c "^    RXSC: ")
	expect_eq "RXSC lines in vsecy show vs0" $((n + 1)) "$count" || return 1
	count=$(n 1 vsecy show | grep -c "^    offload: off")
	expect_eq "offload lines in vsecy show (one SecY)" 1 "$count" || return 1
	for i in $(seq 2 $((n + 1))); do
		printf 'del vs0 rx sci 02000000%04x0001\n' "$i"
	done | n 1 vsecy -batch -
}

# Test link set (VSECY_CMD_SET_SECY) and the key rollover of the man page.
test_link_set_rollover()
{
	n 1 vsecy link set vs0 encrypt off replay on window 32 || return 1
	n 1 vsecy show vs0 | head -n 1 | grep -q "encrypt off .*replay on window 32 " ||
		{ fail "link set not shown: $(n 1 vsecy show vs0 | head -n 1)"; return 1; }
	n 1 vsecy add vs0 tx sa 1 pn 1 on key 11 "$K1" &&
	n 1 vsecy link set vs0 encodingsa 1 &&
	n 1 vsecy set vs0 tx sa 0 off &&
	n 1 vsecy del vs0 tx sa 0 || return 1
	n 1 vsecy show vs0 | grep -q "TXSC: .* on SA 1" || { fail "encoding SA not 1"; return 1; }
	n 1 vsecy link del vs0 && ! n 1 ip link show vs0 2>/dev/null
}

ktap_print_header
ktap_set_plan 4
if ! setup; then
	ktap_print_msg "setup failed"
	exit 1
fi
run_case "show has ip macsec show's shape" test_show_shape
run_case "refused requests: extack, nothing changed" test_rejections
run_case "many RX SCs: continued dump messages merged" test_many_rxsc
run_case "link set and key rollover" test_link_set_rollover
ktap_finished
