#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boots Debian's kernel with the project's initramfs in QEMU (software
# emulation unless VSECY_ACCEL=kvm).
#
# Usage: vm.sh test  [--tests a.sh,b.sh] [--test-timeout S] [--vm-timeout S]
#                    [--out DIR] [--initramfs FILE]
#        vm.sh demo | bench | shell  [--initramfs FILE]
# Any mode also takes --append "ARGS" (more kernel command line).
#
# test: prints KTAP: the guest's results (one per test program, cases
# nested) and two of the host's own: that the VM ran to completion within
# --vm-timeout, and that the kernel log holds no oops, WARN, BUG, KASAN,
# lockdep, RCU, refcount, hung-task or leak report. Exit 0 only when all
# passed. The console log and the raw results stay in --out.
#
# Environment: KVER (kernel release; the module must be built for it),
# KERNEL (default /boot/vmlinuz-$KVER), VM_MEM (MiB, default 1024).

set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
: "${KVER:?KVER is not set (run through make)}"
mode=${1:?usage: vm.sh test|demo|shell [options]}
shift

tests=
test_timeout=
vm_timeout=900
out=$top/build/vm/$mode
initramfs=
extra=
while [ $# -gt 0 ]; do
	case "$1" in
	--tests) tests=$2; shift ;;
	--test-timeout) test_timeout=$2; shift ;;
	--vm-timeout) vm_timeout=$2; shift ;;
	--out) out=$2; shift ;;
	--initramfs) initramfs=$2; shift ;;
	--append) extra=$2; shift ;;
	*) echo "vm.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

kernel=${KERNEL:-/boot/vmlinuz-$KVER}
[ -r "$kernel" ] || { echo "vm.sh: no kernel $kernel (make deps)" >&2; exit 1; }
if [ -z "$initramfs" ]; then
	initramfs=$top/build/vm/initramfs.cpio.gz
	"$top/selftests/qemu/build-initramfs.sh" "$initramfs" || exit 1
fi
mkdir -p "$out"

# Software emulation by default: /dev/kvm can be present and still fail
# (seen here: nested KVM refusing MSR writes). VSECY_ACCEL=kvm opts in.
accel=${VSECY_ACCEL:-tcg}
cpu=max
qemu=(qemu-system-x86_64 -nodefaults -display none -no-reboot
	-machine pc,accel=$accel -cpu $cpu -smp 2 -m "${VM_MEM:-1024}"
	-kernel "$kernel" -initrd "$initramfs")
# maxcpus=1: the kernel boots on one vCPU and init.sh brings the second
# up. Multi-threaded TCG can run a stale translation of code another vCPU
# has just patched: text_poke_bp() leaves an int3 in place for a moment,
# and a vCPU executing it after the patch is done oopses ("Oops: int3" in
# sched_clock_idle_wakeup_event, from the boot's static_branch_enable of
# __sched_clock_stable; 6.12 in CI, 2026-12-03, and 1 boot in 80 here).
# With one CPU online the boot's patching has no other vCPU to race.
append="console=ttyS0 panic=-1 maxcpus=1 printk.devkmsg=on vmtest.mode=$mode"
[ -n "$tests" ] && append+=" vmtest.tests=$tests"
[ -n "$test_timeout" ] && append+=" vmtest.timeout=$test_timeout"
[ -n "$extra" ] && append+=" $extra"

case "$mode" in
shell)
	exec "${qemu[@]}" -append "$append" -serial mon:stdio -serial null
	;;
demo|bench)
	exec timeout -s KILL "$vm_timeout" "${qemu[@]}" \
		-append "$append quiet loglevel=3" -serial stdio -serial null
	;;
test) ;;
*) echo "vm.sh: unknown mode $mode" >&2; exit 2 ;;
esac

console=$out/console.log
results=$out/results.ktap
rm -f "$console" "$results"
start=$(date +%s)
timeout -s KILL "$vm_timeout" "${qemu[@]}" -append "$append" \
	-serial "file:$console" -serial "file:$results" </dev/null
qrc=$?
elapsed=$(($(date +%s) - start))
touch "$console" "$results"
tr -d '\r' < "$results" > "$results.clean"

# The guest's KTAP, renumbered under one plan with the host's two results.
body=$(grep -v -e '^KTAP version' -e '^1\.\.' -e '^# Totals' -e '^# vsecy-vm: done' "$results.clean")
nguest=$(printf '%s\n' "$body" | grep -cE '^(ok|not ok) ')
echo "KTAP version 1"
echo "1..$((nguest + 2))"
[ -n "$body" ] && printf '%s\n' "$body"

failed=0
n=$((nguest + 1))
if grep -q '^# vsecy-vm: done' "$results.clean"; then
	echo "ok $n vm: ran to completion (${elapsed}s)"
else
	failed=1
	if [ $qrc -eq 137 ]; then
		why="timed out after ${vm_timeout}s"
	else
		why="qemu exit $qrc before the tests finished"
	fi
	echo "not ok $n vm: ran to completion # $why"
	echo "# last console lines:"
	tail -n 40 "$console" | tr -d '\r' | sed 's/^/#   /'
fi

n=$((n + 1))
splat='(BUG:|WARNING:|Oops|KASAN|UBSAN|kernel BUG|general protection fault|Call Trace|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|refcount_t:|unreferenced object|suspected memory leaks|unregister_netdevice: waiting for|INFO: task .* blocked|soft lockup|hard LOCKUP|rcu.*detected stalls|Kernel panic|list_add corruption|list_del corruption|double free|use-after-free|slab.*corrupt)'
if hits=$(tr -d '\r' < "$console" | grep -nE "$splat"); then
	failed=1
	echo "not ok $n vm: kernel log clean"
	echo "# kernel log reports (console.log in $out):"
	first=$(printf '%s\n' "$hits" | head -n 1 | cut -d: -f1)
	tr -d '\r' < "$console" | sed -n "$((first > 5 ? first - 5 : 1)),$((first + 40))p" | sed 's/^/#   /'
else
	echo "ok $n vm: kernel log clean"
fi

grep -qE '^not ok ' <<<"$body" && failed=1
echo "# Totals: guest programs:$nguest vm-checks:2"
exit $failed
