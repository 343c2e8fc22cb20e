#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a request may make the kernel allocate is bounded and charged: root
# of a user namespace (any user, where unprivileged user namespaces are
# allowed) configures vsecy in a network namespace it owns, but cannot add
# more RX SCs to a SecY than the module parameter max_rx_scs, nor more
# SecYs on one lower device than max_secys; a refused request says why
# and changes nothing; and what it allocates is charged to its memory
# cgroup.
#
#   "owner": `busybox unshare -r -n`, root of a new user namespace and of
#   a new network namespace it owns: d0 <==> d1 (veth), vs0 on d0

. "$(dirname "$0")/lib.sh"

require_iproute2

KEY=00112233445566778899aabbccddeeff
PARAMS=/sys/module/vsecy/parameters
CG=/sys/fs/cgroup
CGT=$CG/vsecy-limits
saved_scs= saved_secys=

cleanup()
{
	[ -n "$saved_scs" ] && echo "$saved_scs" > $PARAMS/max_rx_scs
	[ -n "$saved_secys" ] && echo "$saved_secys" > $PARAMS/max_secys
	[ -d "$CGT" ] && rmdir "$CGT" 2>/dev/null
	ns_cleanup
}
trap cleanup EXIT

# owner SCRIPT: runs SCRIPT as the owner, with veth d0 <==> d1 up.
owner()
{
	busybox unshare -r -n bash -c "
		ip link add d0 type veth peer name d1 && ip link set d0 up && ip link set d1 up &&
		$1" 2>&1
}

# rxsc_batch FIRST LAST: the vsecy -batch lines that add RX SCs
# FIRST..LAST to vs0, one per line.
rxsc_batch()
{
	local i
	for i in $(seq "$1" "$2"); do
		printf 'add vs0 rx port 1 address 02:00:00:00:%02x:%02x\n' \
			$((i / 256)) $((i % 256))
	done
}

# rxsc_adds FIRST LAST: the same as vsecy commands, joined by &&.
rxsc_adds()
{
	rxsc_batch "$1" "$2" | sed 's/^/vsecy /; s/$/ \&\&/' | tr '\n' ' '
	echo true
}

# Test that the defaults are there and documented values: 4096 RX SCs
# per SecY, 64 SecYs per lower device.
test_defaults()
{
	expect_eq "default max_rx_scs" 4096 "$saved_scs" &&
	expect_eq "default max_secys" 64 "$saved_secys"
}

# Test that the owner's RX SC past the cap is refused with a message that
# names the limit, and that the SecY is left exactly as it was.
test_rxsc_cap()
{
	local out before after
	echo 8 > $PARAMS/max_rx_scs 2>/dev/null || echo "no max_rx_scs parameter to set"
	out=$(owner "
		vsecy link add link d0 vs0 port 1 &&
		vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY &&
		$(rxsc_adds 1 8) &&
		vsecy -j show vs0 > /tmp/vsecy-limits.before &&
		vsecy add vs0 rx port 1 address 02:00:00:00:09:09;
		echo rc=\$?;
		vsecy -j show vs0 > /tmp/vsecy-limits.after")
	before=$(cat /tmp/vsecy-limits.before 2>/dev/null)
	after=$(cat /tmp/vsecy-limits.after 2>/dev/null)
	rm -f /tmp/vsecy-limits.before /tmp/vsecy-limits.after
	case "$out" in
	*"too many RX SCs on this SecY (module parameter max_rx_scs)"*rc=[1-9]*) ;;
	*) fail "the 9th RX SC with max_rx_scs=8: expected a refusal naming max_rx_scs, got: $out"; return 1 ;;
	esac
	expect_eq "RX SCs on vs0 after the refusal" 8 "$(printf '%s' "$after" | jq '.[0].rx_sc | length')" &&
	expect_eq "vs0 after the refused request" "$before" "$after"
}

# Test that the owner's SecY past max_secys on one lower device is
# refused with a message naming the limit, and no device is made.
test_secy_cap()
{
	local out
	echo 3 > $PARAMS/max_secys 2>/dev/null || echo "no max_secys parameter to set"
	out=$(owner "
		vsecy link add link d0 vs0 port 1 &&
		vsecy link add link d0 vs1 address 02:00:00:00:00:11 port 1 &&
		vsecy link add link d0 vs2 address 02:00:00:00:00:12 port 1 &&
		vsecy link add link d0 vs3 address 02:00:00:00:00:13 port 1;
		echo rc=\$?;
		ip -d -o link show type vsecy | wc -l")
	case "$out" in
	*"too many vsecy devices on this lower device (module parameter max_secys)"*rc=[1-9]*) ;;
	*) fail "the 4th SecY on d0 with max_secys=3: expected a refusal naming max_secys, got: $out"; return 1 ;;
	esac
	expect_eq "vsecy devices on d0 after the refusal" 3 "$(printf '%s\n' "$out" | tail -n 1)"
}

# memstat FILE KEY: one value of a memory.stat.
memstat() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# Test that 1000 RX SCs made by the owner are charged to its memory
# cgroup: its percpu and slab figures grow by at least what the SCs
# need (per-CPU counters; the SC objects themselves). memory.stat lags
# the charges (the kernel flushes its per-CPU statistics every 2 s, or
# when enough have gathered): each reading waits for a flush. Each CPU
# also holds back up to a page of slab statistics of the cgroup, so a
# reading can be several KB off: the SCs are added by one `vsecy
# -batch` (no processes coming and going in the cgroup between the
# readings) and are many enough (1000 objects of at least 64 octets)
# for that error to be small beside what is measured.
test_charged()
{
	local out pb pa sb sa scs=1000 need rc
	if ! grep -qw memory /proc/cgroups 2>/dev/null ||
	   ! awk '$1 == "memory" && $4 == 1 { f = 1 } END { exit !f }' /proc/cgroups; then
		echo "SKIP: this kernel has no memory cgroup controller"
		return "$KSFT_SKIP"
	fi
	grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none $CG || return 1
	echo +memory > $CG/cgroup.subtree_control 2>/dev/null
	mkdir -p "$CGT" && [ -e "$CGT/memory.stat" ] ||
		fail "no memory.stat in $CGT" || return 1
	echo 4096 > $PARAMS/max_rx_scs 2>/dev/null
	rxsc_batch 1 $scs > /tmp/vsecy-limits.batch
	out=$(sh -c "echo \$\$ > $CGT/cgroup.procs && exec busybox unshare -r -n bash -c '
		ip link add d0 type veth peer name d1 && ip link set d0 up &&
		vsecy link add link d0 vs0 port 1 && sleep 2.5 &&
		cat $CGT/memory.stat > /tmp/vsecy-limits.before &&
		vsecy -batch /tmp/vsecy-limits.batch && sleep 2.5 &&
		cat $CGT/memory.stat > /tmp/vsecy-limits.after'" 2>&1)
	rc=$?
	rm -f /tmp/vsecy-limits.batch
	[ "$rc" -eq 0 ] || fail "adding $scs RX SCs in the cgroup failed: $out" || return 1
	pb=$(memstat /tmp/vsecy-limits.before percpu) pa=$(memstat /tmp/vsecy-limits.after percpu)
	sb=$(memstat /tmp/vsecy-limits.before slab) sa=$(memstat /tmp/vsecy-limits.after slab)
	rm -f /tmp/vsecy-limits.before /tmp/vsecy-limits.after
	echo "memory.stat of the owner's cgroup across $scs RX SCs: percpu $pb -> $pa, slab $sb -> $sa"
	# Each SC: its counters on every possible CPU, and its object.
	need=$((scs * 100 * $(nproc)))
	[ "$((pa - pb))" -ge "$need" ] ||
		fail "percpu charged for $scs RX SCs: expected >= $need octets, observed $((pa - pb))" || return 1
	[ "$((sa - sb))" -ge $((scs * 64)) ] ||
		fail "slab charged for $scs RX SCs: expected >= $((scs * 64)) octets, observed $((sa - sb))"
}

ktap_print_header
if ! command -v vsecy >/dev/null || ! command -v jq >/dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool or jq is not installed"
	ktap_finished
fi
ktap_set_plan 5
vsecy_load || exit "$KSFT_FAIL"
saved_scs=$(cat $PARAMS/max_rx_scs 2>/dev/null)
saved_secys=$(cat $PARAMS/max_secys 2>/dev/null)
run_case "limits: documented defaults" test_defaults
run_case "user namespace: RX SC past max_rx_scs refused, nothing changes" test_rxsc_cap
run_case "user namespace: SecY past max_secys refused, nothing made" test_secy_cap
run_case "user namespace: RX SCs charged to the memory cgroup" test_charged
cleanup
trap - EXIT
run_case "module unloads" vsecy_unload
ktap_finished
