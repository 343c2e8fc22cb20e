#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the VM suite as shards, each in a VM of its own, all at once, and
# prints one KTAP report. Most of the suite waits on protocol timers (MKA
# hello and life times, rekeys, timeouts) with the host's CPUs idle, so
# two VMs side by side take little more than the longer of the two.
#
# The tests are dealt out by their measured wall time (selftests/qemu/
# durations, one line "PROGRAM PRODUCTION-SECONDS DEBUG-SECONDS"): longest
# first, each to the shard with the least time so far; a program with no
# figure counts as DEFAULT_SECONDS. Within a shard the programs keep the
# order of selftests/Makefile. Every shard adds the two host results of
# vm.sh (ran to completion, kernel log clean), named after the shard.
#
# Usage: suite.sh [--shards N] [--column production|debug] [--tests a,b|all]
#                 [--out DIR] [vm.sh test options...]
# Environment: as vm.sh (KVER, KERNEL, VM_MEM). Exit 0 when nothing
# failed. OUT/durations.measured holds this run's figures (program,
# seconds, how busy the VM's CPUs were), and each shard's vm.sh output is
# in OUT/shardI.

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
shards=2
column=production
tests=
out=$top/build/vm/suite
vmargs=()
while [ $# -gt 0 ]; do
	case "$1" in
	--shards) shards=$2; shift ;;
	--column) column=$2; shift ;;
	--tests) tests=$2; shift ;;
	--out) out=$2; shift ;;
	*) vmargs+=("$1") ;;
	esac
	shift
done
case "$column" in
production) col=2 ;;
debug) col=3 ;;
*) echo "suite.sh: --column production|debug" >&2; exit 2 ;;
esac
# No list, or "all": every program of selftests/Makefile.
[ -n "$tests" ] && [ "$tests" != all ] || tests=$(make -s -C "$top/selftests" list | tr ' ' ',')
DEFAULT_SECONDS=60

rm -rf "$out"
mkdir -p "$out"

# The deal: "SHARD PROGRAM" lines, in the programs' own order.
echo "$tests" | tr ',' '\n' | grep -v '^$' |
	awk -v n="$shards" -v col="$col" -v def="$DEFAULT_SECONDS" '
	FNR == NR { if ($1 !~ /^#/ && NF >= col) secs[$1] = $col; next }
	{ prog[++np] = $1; s[np] = ($1 in secs) ? secs[$1] : def }
	END {
		for (i = 1; i <= np; i++) idx[i] = i
		# Longest first (a stable insertion sort: few programs).
		for (i = 2; i <= np; i++)
			for (j = i; j > 1 && s[idx[j]] > s[idx[j - 1]]; j--) {
				t = idx[j]; idx[j] = idx[j - 1]; idx[j - 1] = t
			}
		for (k = 1; k <= n; k++) load[k] = 0
		for (i = 1; i <= np; i++) {
			best = 1
			for (k = 2; k <= n; k++)
				if (load[k] < load[best]) best = k
			shard[idx[i]] = best
			load[best] += s[idx[i]]
		}
		for (i = 1; i <= np; i++) print shard[i], prog[i]
		for (k = 1; k <= n; k++)
			printf "# shard %d: about %d s\n", k, load[k] > "/dev/stderr"
	}' "$top/selftests/qemu/durations" - > "$out/deal" 2> "$out/deal.estimate"

pids=()
for k in $(seq 1 "$shards"); do
	list=$(awk -v k="$k" '$1 == k { print $2 }' "$out/deal" | paste -sd, -)
	[ -n "$list" ] || continue
	"$top/selftests/qemu/vm.sh" test --tests "$list" --out "$out/shard$k" \
		"${vmargs[@]}" > "$out/shard$k.ktap" 2>&1 &
	pids+=("$k:$!")
done

failed=0
for kp in "${pids[@]}"; do
	wait "${kp#*:}" || failed=1
done

# One report: the shards' results renumbered under one plan, the host's
# results named after their shard.
echo "KTAP version 1"
total=0
for kp in "${pids[@]}"; do
	k=${kp%%:*}
	n=$(grep -cE '^(ok|not ok) ' "$out/shard$k.ktap")
	total=$((total + n))
done
echo "1..$total"
cat "$out/deal.estimate"
num=0
for kp in "${pids[@]}"; do
	k=${kp%%:*}
	awk -v k="$k" -v n="$shards" -v num="$num" '
		/^KTAP version/ || /^1\.\./ || /^# Totals/ { next }
		/^(ok|not ok) / {
			num++
			line = $0
			sub(/^(ok|not ok) [0-9]+ /, "", line)
			res = ($0 ~ /^not ok /) ? "not ok" : "ok"
			sub(/^vm: /, "vm shard " k "/" n ": ", line)
			print res, num, line
			next
		}
		{ print }
		END { print num > "/dev/stderr" }' "$out/shard$k.ktap" 2> "$out/num"
	num=$(cat "$out/num")
done
grep -h '^# time: ' "$out"/shard*.ktap | sort -k3 |
	awk '{ print $3, $4, $5 }' > "$out/durations.measured"
echo "# Totals: shards:$shards programs:$(wc -l < "$out/deal")"
exit $failed
