#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsecy-mkad programming the vsecy module (backend "vsecy", the default),
# against vsecy-mkad driving the kernel's macsec on the other side. While
# the module has no generic-netlink family yet, the daemon must fail with a
# clear message and leave no device behind, and the datapath cases are
# skipped (reported as such).
#
#   ns 1: veth1 <======> veth2 :ns 2
#          |                |
#         vs1 (vsecy)      vs2 (macsec)
#   192.0.2.1/24          192.0.2.2/24

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
trap mka_cleanup EXIT

setup()
{
	modprobe macsec || { echo "# no macsec module"; return 1; }
	vsecy_load || { echo "# no vsecy module"; return 1; }
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up
}

HAVE_FAMILY=0

# Test that vsecy-mkad either sets up the vsecy device and runs, or, when
# the module lacks the "vsecy" generic-netlink family, exits with a message
# saying so and deletes the device it created.
test_start()
{
	mka_conf "$MKA_DIR/n1.conf" 16
	mka_conf "$MKA_DIR/n2.conf" 100
	: > "$MKA_DIR/vs1.log"
	if MKAD_BACKEND=vsecy mkad_start 1 veth1 vs1 "$MKA_DIR/n1.conf" 2>/dev/null &&
	   kill -0 "$(cat "$MKA_DIR/vs1.pid" 2>/dev/null)" 2>/dev/null; then
		HAVE_FAMILY=1
		expect_eq "kind of vs1" vsecy \
			"$(n 1 ip -d -j link show dev vs1 | jq -r '.[0].linkinfo.info_kind')"
		return
	fi
	grep -q "generic netlink family vsecy not found" "$MKA_DIR/vs1.log" ||
		fail "no clear message: $(tail -n 3 "$MKA_DIR/vs1.log")" || return 1
	expect_eq "vsecy devices left in ns 1" "" "$(vsecy_links 1 | xargs)"
}

need_family() { [ "$HAVE_FAMILY" = 1 ] || { echo "the vsecy module has no generic-netlink family yet"; return "$KSFT_SKIP"; }; }

# Test that MKA secures the link and frames flow between the vsecy SecY and
# the kernel's macsec.
test_datapath()
{
	need_family || return
	MKAD_BACKEND=macsec mkad_start 2 veth2 vs2 "$MKA_DIR/n2.conf" || return 1
	wait_for 15 mkad_secured vs1 && wait_for 10 mkad_secured vs2 || return 1
	n 1 ip link set vs1 up && n 1 ip addr add 192.0.2.1/24 dev vs1 &&
	n 2 ip link set vs2 up && n 2 ip addr add 192.0.2.2/24 dev vs2 || return 1
	wait_for 20 n 1 ping -c 1 -W 1 192.0.2.2
}

# Test that SIGTERM removes the vsecy device vsecy-mkad created.
test_sigterm()
{
	need_family || return
	mkad_stop vs1
	expect_eq "vsecy devices left in ns 1" "" "$(vsecy_links 1 | xargs)"
}

ktap_print_header
ktap_set_plan 3
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "vsecy backend starts, or fails cleanly without the family" test_start
run_case "vsecy SecY and kernel macsec: ping over MACsec" test_datapath
run_case "SIGTERM deletes the vsecy device" test_sigterm
ktap_finished
