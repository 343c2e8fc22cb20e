#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The SecY's control plane through the vsecy tool: requests the kernel must
# refuse, each with its extack message and without changing anything
# (`vsecy show` before and after), keys never in any output, the JSON
# dump, and the permission check. Needs the vsecy tool.
#
#   ns 1:  veth1 <====> veth2 (ns 2)
#            |
#           vs0 (vsecy, GCM-AES-128), vx0 (vsecy, GCM-AES-XPN-128, address 02:..:11)

. "$(dirname "$0")/lib.sh"

require_iproute2
trap ns_cleanup EXIT

KEY128=00112233445566778899aabbccddeeff
KEY256=00112233445566778899aabbccddeeff0123456789abcdef0123456789abcdef
SALT=101112131415161718191a1b
PEER="port 1 address 02:00:00:00:02:02"

setup()
{
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up &&
	n 1 vsecy link add link veth1 vs0 port 1 &&
	n 1 vsecy add vs0 tx sa 0 pn 100 on key 01 $KEY128 &&
	n 1 vsecy add vs0 rx $PEER &&
	n 1 vsecy add vs0 rx $PEER sa 0 pn 1 on key 01 $KEY128 &&
	n 1 vsecy link add link veth1 vx0 address 02:00:00:00:01:11 port 1 cipher gcm-aes-xpn-128
}

# The configuration (not the counters, which frames from veth2 move).
snapshot() { n 1 vsecy show; }

# refused MSG CMD...: CMD fails with the kernel's MSG and vsecy show -s
# is the same before and after.
refused()
{
	local msg=$1 before after
	shift
	before=$(snapshot)
	expect_fail_msg "$msg" "$@" || return 1
	after=$(snapshot)
	[ "$before" = "$after" ] || fail "state changed by refused '$*'" || return 1
}

# Test that each rule ip macsec users know is enforced by the kernel.
test_rules()
{
	refused "key length does not match" \
		n 1 vsecy add vs0 tx sa 1 pn 1 on key 02 $KEY256 &&
	refused "already exists" \
		n 1 vsecy add vs0 tx sa 0 pn 1 on key 02 $KEY128 &&
	refused "set it off before deleting" \
		n 1 vsecy del vs0 tx sa 0 &&
	refused "may only move forward" \
		n 1 vsecy set vs0 tx sa 0 pn 99 &&
	refused "already exists" \
		n 1 vsecy add vs0 rx $PEER &&
	refused "no RX SC with this SCI" \
		n 1 vsecy add vs0 rx port 1 address 02:00:00:00:02:03 sa 0 pn 1 on key 01 $KEY128 &&
	refused "set it off before deleting" \
		n 1 vsecy del vs0 rx $PEER sa 0 &&
	refused "cannot change the cipher suite while SAs exist" \
		n 1 vsecy link set vs0 cipher gcm-aes-256 &&
	refused "another SecY on this lower device already receives this SCI" \
		n 1 vsecy add vx0 rx $PEER &&
	refused "needs an SSCI and a salt" \
		n 1 vsecy add vx0 tx sa 0 xpn 1 on key 01 $KEY128
}

# Test that what was refused above works when asked properly: SAs off
# can be deleted, the PN moves forward.
test_allowed()
{
	n 1 vsecy set vs0 tx sa 0 pn 200 || return 1
	expect_eq "TX SA PN after set" 200 "$(n 1 vsecy -j show vs0 | jq '.[0].sa_list[0].pn')" || return 1
	n 1 vsecy set vs0 rx $PEER sa 0 off && n 1 vsecy del vs0 rx $PEER sa 0 || return 1
	n 1 vsecy add vx0 tx sa 0 xpn 4294967296 ssci 1 salt $SALT on key 01 $KEY128 || return 1
	expect_eq "XPN TX SA PN" 4294967296 "$(n 1 vsecy -j show vx0 | jq '.[0].sa_list[0].pn')"
}

# Test that no output contains key bytes, and that -j is JSON.
test_no_keys()
{
	local out
	out=$(n 1 vsecy -s show; n 1 vsecy -s -j show; n 1 ip -d link show)
	printf '%s' "$out" | grep -qi "$KEY128" && fail "key bytes in the output" && return 1
	printf '%s' "$out" | grep -qi "${KEY128:0:16}" && fail "key bytes in the output" && return 1
	n 1 vsecy -s -j show | jq -e 'length == 2' >/dev/null || fail "vsecy -s -j show is not a JSON list of 2"
}

# Test the permission rule (GENL_UNS_ADMIN_PERM): from a user namespace
# that does not own ns 1, root can read but not change; root of a user
# namespace that owns a network namespace configures vsecy devices there.
test_permissions()
{
	local out
	n 1 busybox unshare -r vsecy show vs0 >/dev/null ||
		fail "show from another user namespace failed" || return 1
	n 1 busybox unshare -r vsecy set vs0 tx sa 0 pn 300 2>/dev/null &&
		fail "set allowed from a user namespace that does not own ns 1" && return 1
	expect_eq "TX SA PN after the refused set" 200 \
		"$(n 1 vsecy -j show vs0 | jq '.[0].sa_list[0].pn')" || return 1
	out=$(busybox unshare -r -n sh -c "
		ip link add d0 type veth peer name d1 && ip link set d0 up &&
		vsecy link add link d0 vs9 port 1 &&
		vsecy add vs9 tx sa 0 pn 7 on key 01 $KEY128 &&
		vsecy -j show vs9" 2>&1)
	expect_eq "TX SA PN set by the owner of a user namespace" 7 \
		"$(printf '%s' "$out" | jq '.[0].sa_list[0].pn' 2>/dev/null)"
}

ktap_print_header
if ! command -v vsecy >/dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool is not installed"
	ktap_finished
fi
ktap_set_plan 5
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "refused requests change nothing" test_rules
run_case "the same requests made properly work" test_allowed
run_case "no key bytes in any output; JSON" test_no_keys
run_case "changes need CAP_NET_ADMIN" test_permissions
ns_cleanup
run_case "module unloads" vsecy_unload
ktap_finished
