#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifetime of vsecy devices: they go away with their lower device, with
# their namespace and with the module, and leave nothing behind. "Nothing
# behind" is checked by what is observable on a production kernel: no
# device is left, the lower device's receive handler is free again (a
# macvlan can take it), the module's refcount is zero so rmmod works, and
# the kernel never waits for a leaked device reference (the log scan of the
# harness catches "unregister_netdevice: waiting for").
#
#   ns 1:  veth1 <====> veth2 (ns 2)
#           |  |
#         vs0  vs1 (type vsecy)

. "$(dirname "$0")/lib.sh"

require_iproute2
trap ns_cleanup EXIT

setup_pair()
{
	ns_cleanup
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up &&
	n 1 ip link add link veth1 vs0 type vsecy &&
	n 1 ip link add link veth1 vs1 address 02:00:00:00:00:11 type vsecy &&
	n 1 ip link set vs0 up && n 1 ip link set vs1 up
}

# The receive handler of DEV in ns N is free: a macvlan can be stacked.
rx_handler_free()
{
	n "$1" ip link add link "$2" mvtest type macvlan ||
		fail "receive handler of $2 still taken" || return 1
	n "$1" ip link del mvtest
}

# Test that deleting the lower device deletes its vsecy devices.
test_lower_deletion()
{
	setup_pair || return 1
	n 1 ip link del veth1 || return 1
	expect_eq "vsecy links after lower deletion" "" "$(vsecy_links 1 | xargs)"
}

# Test that a lower device outlives its vsecy devices with its handler free.
test_lower_released()
{
	setup_pair || return 1
	n 1 ip link del vs0 && n 1 ip link del vs1 || return 1
	rx_handler_free 1 veth1
}

# Test that deleting the namespace deletes its vsecy devices: they are
# neither left alive nor moved to the initial namespace (where devices
# without link ops end up).
test_netns_deletion()
{
	setup_pair || return 1
	ip netns del "$(ns 1)" || return 1
	# The namespace dies asynchronously (cleanup_net); its veth1 takes
	# veth2 in ns 2 with it, which tells when that has happened.
	wait_for 20 bash -c "! ip netns exec $(ns 2) ip link show veth2" || return 1
	expect_eq "vsecy links in the initial namespace" "" "$(vsecy_links | xargs)"
}

# Test that rmmod with live devices removes them and the module.
test_rmmod_live()
{
	setup_pair || return 1
	vsecy_unload || return 1
	expect_eq "vsecy links after rmmod" "" "$(vsecy_links 1 | xargs)" || return 1
	rx_handler_free 1 veth1
}

# Test that the module can be loaded again and used after all of that.
test_reload()
{
	setup_pair || return 1
	expect_eq "vsecy links after reload" "vs0 vs1" "$(vsecy_links 1 | sort | xargs)" || return 1
	ns_cleanup
	vsecy_unload
}

ktap_print_header
ktap_set_plan 5
run_case "lower device deletion deletes its vsecy devices" test_lower_deletion
run_case "lower device released when its vsecy devices go" test_lower_released
run_case "namespace deletion deletes its vsecy devices" test_netns_deletion
run_case "rmmod with live devices removes them" test_rmmod_live
run_case "module reloads and works after rmmod" test_reload
ktap_finished
