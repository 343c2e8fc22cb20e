#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test VM. Reads its orders from the kernel command line:
#   vmtest.mode=test|demo|bench|shell   what to run (default: test)
#   vmtest.tests=a.sh,b.sh         which tests (default: selftests/default-tests)
#   vmtest.timeout=N               per-test timeout override, seconds
# In test mode the KTAP report goes to the second serial port (ttyS1) and
# ends with "# vsecy-vm: done"; the kernel log stays on the console (ttyS0)
# for the host to scan. Then the VM reboots, which QEMU (-no-reboot) turns
# into an exit.

export PATH=/usr/bin
export HOME=/root
umask 022

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p /run/netns
# The kernel booted on one CPU (maxcpus=1, see vm.sh); the others now.
for cpu in /sys/devices/system/cpu/cpu[0-9]*/online; do
	[ "$(cat "$cpu")" = 1 ] || echo 1 > "$cpu"
done
hostname vsecy-vm
ip link set lo up
# Receive timestamps stay on for the VM's life: a socket with SO_TIMESTAMP
# (iputils ping's) held from here. Without it every ping and tcpdump the
# tests start turns the kernel's netstamp_needed_key on and off again, and
# each turn patches kernel text (int3 first, then the jump). Under TCG a
# vCPU once executed the stale int3 at the start of
# __netif_receive_skb_core after the patch had finished ("Oops: int3",
# 6.12 in make check, 2026-12-02): an emulator fault, not the kernel's,
# and with the key held on, no test toggles it.
ping -q -i 3600 127.0.0.1 > /dev/null 2>&1 &
# What udev does on a real machine: the CPU's crypto drivers (AES-NI,
# PCLMULQDQ), which gcm(aes) then picks over the generic C code. Nothing
# else loads them: "gcm(aes)" names no module.
grep -qw aes /proc/cpuinfo && modprobe -q aesni-intel
grep -qw pclmulqdq /proc/cpuinfo && modprobe -q ghash-clmulni-intel

mode=test
tests=
timeout=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	vmtest.mode=*) mode=${arg#*=} ;;
	vmtest.tests=*) tests=${arg#*=} ;;
	vmtest.timeout=*) timeout=${arg#*=} ;;
	esac
done

cd /selftests || exit 1
case "$mode" in
test)
	# Every kernel message goes to the console, which the host scans.
	echo 8 > /proc/sys/kernel/printk
	[ -n "$tests" ] && list=${tests//,/ } || list=$(cat default-tests)
	kmemleak=/sys/kernel/debug/kmemleak
	# Only leaks made by the tests count, not the boot's.
	[ -w $kmemleak ] && echo clear > $kmemleak
	# shellcheck disable=SC2086
	KSFT_TIMEOUT=$timeout ./run_tests.sh $list > /dev/ttyS1 2>&1
	rc=$?
	if [ -w $kmemleak ]; then
		# An object must be unreferenced for 5 s before kmemleak
		# reports it; the report goes to the console for the host.
		sleep 6
		echo scan > $kmemleak
		cat $kmemleak > /dev/ttyS0
	fi
	echo "# vsecy-vm: done rc=$rc" > /dev/ttyS1
	;;
demo)
	echo 1 > /proc/sys/kernel/printk
	./demo.sh
	;;
bench)
	echo 1 > /proc/sys/kernel/printk
	./bench.sh
	;;
shell)
	echo "vsecy VM: tests are in /selftests; 'reboot -f' leaves."
	setsid bash -c 'exec bash -i </dev/ttyS0 >/dev/ttyS0 2>&1'
	;;
esac

sync
reboot -f
