#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifetime of vsecy devices: they go away with their lower device, with
# their namespace and with the module, and leave nothing behind. "Nothing
# behind" is checked by what is observable on a production kernel: no
# device is left, the lower device's receive handler is free again (a
# macvlan can take it), the module's refcount is zero so rmmod works, and
# the kernel never waits for a leaked device reference (the log scan of the
# harness catches "unregister_netdevice: waiting for"). The same with
# frames in flight in the crypto engine: the module is loaded with
# crypto_defer_ms, which completes every frame's crypto late from a
# workqueue, so that the lower device, the namespace or the module goes
# while completions are still to come (on the debug kernel KASAN sees
# any use after free). And creations that fail leave no memory behind.
#
#   ns 1:  veth1 <====> veth2 (ns 2)
#           |  |           |
#         vs0  vs1        ms0 (macsec) or vs0 (vsecy): the flood's peer

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

KEY=00112233445566778899aabbccddeeff
KEY2=0f0e0d0c0b0a09080706050403020100
# Long enough that a device's unregistration, a namespace's cleanup or
# rmmod is over before the frames in flight complete, on the debug kernel
# too (200 ms was not: its rcu_barrier() and grace periods took longer).
DEFER_MS=1000
ROUNDS=${VSECY_LIFETIME_ROUNDS:-2}

# vsecy_load_defer: the module reloaded with crypto_defer_ms=DEFER_MS.
vsecy_load_defer()
{
	vsecy_unload && modprobe vsecy crypto_defer_ms=$DEFER_MS ||
		fail "modprobe vsecy crypto_defer_ms=$DEFER_MS failed" || return 1
	expect_eq "crypto_defer_ms" $DEFER_MS "$(cat /sys/module/vsecy/parameters/crypto_defer_ms)"
}

# keyed_pair PEER [NRXSC]: vs0 in ns 1 and PEER (vsecy or macsec) in
# ns 2, keyed both ways, vs0 with NRXSC more RX SCs of two SAs each.
keyed_pair()
{
	local peer=$1 extra=${2:-0} i mac cmd=vsecy dev=vs0
	ns_cleanup
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 address 02:00:00:00:01:01 &&
	n 2 ip link set veth2 address 02:00:00:00:02:02 &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up &&
	n 1 vsecy link add link veth1 vs0 port 1 encrypt on &&
	n 1 vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY &&
	n 1 vsecy add vs0 rx port 1 address 02:00:00:00:02:02 &&
	n 1 vsecy add vs0 rx port 1 address 02:00:00:00:02:02 sa 0 pn 1 on key 02 $KEY2 || return 1
	n 1 bash -c "
		for i in \$(seq $extra); do
			mac=02:00:00:00:\$(printf '%02x:%02x' \$((i / 256)) \$((i % 256)))
			vsecy add vs0 rx port 1 address \$mac &&
			vsecy add vs0 rx port 1 address \$mac sa 0 pn 1 on key 03 $KEY &&
			vsecy add vs0 rx port 1 address \$mac sa 1 pn 1 on key 04 $KEY2 || exit 1
		done" || return 1
	if [ "$peer" = macsec ]; then
		cmd="ip macsec" dev=ms0
		n 2 ip link add link veth2 ms0 type macsec port 1 encrypt on || return 1
	else
		n 2 vsecy link add link veth2 vs0 port 1 encrypt on || return 1
	fi
	n 2 $cmd add $dev tx sa 0 pn 1 on key 02 $KEY2 &&
	n 2 $cmd add $dev rx port 1 address 02:00:00:00:01:01 &&
	n 2 $cmd add $dev rx port 1 address 02:00:00:00:01:01 sa 0 pn 1 on key 01 $KEY &&
	n 1 ip addr add 10.9.0.1/24 dev vs0 && n 2 ip addr add 10.9.0.2/24 dev $dev &&
	n 1 ip link set vs0 up && n 2 ip link set $dev up &&
	# An echo and its reply take four deferred crypto operations.
	wait_for 30 n 1 ping -c 1 -W $((DEFER_MS * 5 / 1000 + 1)) 10.9.0.2
}

# flood NS ADDR: a ping flood in the background, both ways through vs0
# (ns 2 pings vs0, which answers); its PID in FLOOD.
FLOOD=
flood()
{
	# Not through n(): $! must be ping's own PID (ip netns exec execs it).
	ip netns exec "$(ns "$1")" ping -i 0.01 -q -s 1000 -w 20 "$2" >/dev/null 2>&1 &
	FLOOD=$!
	sleep 1
}

flood_end()
{
	kill "$FLOOD" 2>/dev/null
	wait "$FLOOD" 2>/dev/null
	FLOOD=
}

# Test that deleting the lower device, or the namespace with it, while
# encryptions are in flight is safe: a completion still sends on the
# lower device, which must outlive them.
test_lower_gone_in_flight()
{
	local r
	vsecy_load_defer || return 1
	for r in $(seq "$ROUNDS"); do
		keyed_pair vsecy || return 1
		# From ns 2: vs0's replies are sent from completions, not by
		# a process of ns 1, whose sockets would hold ns 1 alive.
		flood 2 10.9.0.1
		if [ $((r % 2)) -eq 1 ]; then
			n 1 ip link del veth1 || fail "round $r: veth1 not deleted under traffic" || return 1
		else
			ip netns del "$(ns 1)" || return 1
			wait_for 20 bash -c "! ip netns exec $(ns 2) ip link show veth2" || return 1
		fi
		flood_end
	done
	ns_cleanup
	vsecy_unload
}

# Test that rmmod with RX SCs and SAs configured and decryptions in
# flight is safe: the last SA of an SC may go in a completion, after
# the device, and whatever frees the SC must have run before the
# module's code goes.
test_rmmod_in_flight()
{
	local r
	for r in $(seq "$ROUNDS"); do
		vsecy_load_defer && keyed_pair macsec 8 || return 1
		flood 2 10.9.0.1
		vsecy_unload || fail "round $r: rmmod under traffic failed" || return 1
		flood_end
	done
	ns_cleanup
}

# percpu_kb: the kernel's per-CPU memory in use, in kB.
percpu_kb() { awk '$1 == "Percpu:" { print $2 }' /proc/meminfo; }

# Test that link creations refused by register_netdevice() (a name that
# is not a valid template) free what they allocated: 1000 of them leave
# the per-CPU memory as it was (each would leak two sets of counters).
test_failed_creation_leaks_nothing()
{
	local before after i
	ns_cleanup
	ns_create 1 && n 1 ip link add veth1 type veth peer name veth2 || return 1
	vsecy_load || return 1
	expect_fail_msg "Invalid argument" n 1 ip link add link veth1 name 'x%d%d' type vsecy || return 1
	for i in $(seq 1000); do
		echo "link add link veth1 name x%d%d type vsecy"
	done > /tmp/vsecy-badname.batch
	before=$(percpu_kb)
	n 1 ip -force -batch /tmp/vsecy-badname.batch >/dev/null 2>&1
	after=$(percpu_kb)
	rm -f /tmp/vsecy-badname.batch
	echo "Percpu: $before kB before 1000 refused creations, $after kB after"
	expect_eq "vsecy devices after the refused creations" "" "$(vsecy_links 1 | xargs)" || return 1
	[ "$after" -le $((before + 64)) ] ||
		fail "Percpu grew by $((after - before)) kB over 1000 refused creations (expected < 64 kB)"
}

ktap_print_header
ktap_set_plan 8
run_case "lower device deletion deletes its vsecy devices" test_lower_deletion
run_case "lower device released when its vsecy devices go" test_lower_released
run_case "namespace deletion deletes its vsecy devices" test_netns_deletion
run_case "rmmod with live devices removes them" test_rmmod_live
run_case "module reloads and works after rmmod" test_reload
run_case "lower device or namespace deleted with encryptions in flight" test_lower_gone_in_flight
run_case "rmmod with RX SCs, SAs and decryptions in flight" test_rmmod_in_flight
run_case "1000 refused creations leave no per-CPU memory behind" test_failed_creation_leaks_nothing
ns_cleanup
vsecy_unload
ktap_finished
