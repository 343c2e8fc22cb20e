#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A smoke test of the module that DKMS built and installed from the
# vsecy-dkms package (selftests/dkms.sh --keep-ko), in a VM booted with
# exactly that file at DKMS's place (make check, after the host's DKMS
# cases): it is the module modprobe loads, it loads, a vsecy link comes
# up, and a ping crosses it to the kernel's macsec. Not in TEST_PROGS: in
# the main suite the module is make's build, not DKMS's.
#
#   ns 1: vs0 (vsecy) on veth1 <====> veth2 on ns 2: ms0 (macsec)

. "$(dirname "$0")/lib.sh"

require_iproute2
trap ns_cleanup EXIT

K1=00112233445566778899aabbccddeeff
K2=0f0e0d0c0b0a09080706050403020100
MAC1=02:00:00:00:01:01
MAC2=02:00:00:00:02:02

# Test that modprobe finds the module DKMS installed (updates/dkms).
test_is_dkms()
{
	local path
	path=$(modinfo -n vsecy) || fail "modinfo -n vsecy failed" || return 1
	echo "module: $path"
	case "$path" in
	*/updates/dkms/vsecy.ko*) return 0 ;;
	esac
	fail "vsecy resolves to $path, not DKMS's updates/dkms/"
}

# Test a vsecy link against the kernel's macsec: static keys, a ping.
test_ping()
{
	ns_wire $MAC1 $MAC2 &&
	n 1 vsecy link add link veth1 vs0 port 1 encrypt on &&
	n 1 vsecy add vs0 tx sa 0 pn 1 on key 01 $K1 &&
	n 1 vsecy add vs0 rx port 1 address $MAC2 &&
	n 1 vsecy add vs0 rx port 1 address $MAC2 sa 0 pn 1 on key 02 $K2 &&
	n 1 ip addr add 10.9.0.1/24 dev vs0 && n 1 ip link set vs0 up &&
	n 2 ip link add link veth2 ms0 type macsec port 1 encrypt on &&
	n 2 ip macsec add ms0 tx sa 0 pn 1 on key 02 $K2 &&
	n 2 ip macsec add ms0 rx port 1 address $MAC1 &&
	n 2 ip macsec add ms0 rx port 1 address $MAC1 sa 0 pn 1 on key 01 $K1 &&
	n 2 ip addr add 10.9.0.2/24 dev ms0 && n 2 ip link set ms0 up || return 1
	wait_for 10 n 1 ping -c 1 -W 1 10.9.0.2 || fail "no ping from vs0 to the kernel's macsec"
}

ktap_print_header
ktap_set_plan 4
run_case "modprobe resolves vsecy to DKMS's module" test_is_dkms
run_case "the DKMS-built module loads" vsecy_load
run_case "a vsecy link pings the kernel's macsec" test_ping
ns_cleanup
run_case "module unloads" vsecy_unload
ktap_finished
