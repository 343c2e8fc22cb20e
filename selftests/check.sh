#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every test of the project, in KTAP, and a last line
# "N passed, N failed, N skipped". Stages:
#   1. host: style, other kernels' builds, unit tests of the programs
#      (no kernel needed); beside 2., at a lower CPU priority;
#   2. vm: every selftest in selftests/Makefile, in QEMU VMs booting
#      Debian's kernel with the module built for it (VSECY_SHARDS of
#      them side by side, default 2), plus each VM's own checks (ran to
#      completion, kernel log clean);
#   3. runner: the harness tested on itself, in sub-runs of the same VM
#      with deliberately failing samples: it must be able to fail. They
#      run while 2. does.
#   4. dkms: make deb, the packages installed on this host, DKMS's
#      module for each kernel booted in a VM; while 2. does (VSECY_DKMS=0
#      leaves it out).
# The last lines give each stage's wall time and the totals.
# Exit status 0 only when nothing failed.
#
# Environment: KVER, KDIR (set by make); VSECY_SHARDS; VSECY_DKMS.

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${KVER:?KVER is not set (run through make)}"
out=$top/build/check
rm -rf "$out"
mkdir -p "$out"
count=$top/selftests/qemu/ktap-count.awk

total_pass=0 total_fail=0 total_skip=0
tally()
{
	local p f s
	read -r p f s < <(awk -f "$count" "$1")
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
}

echo "KTAP version 1"
echo "# vsecy make check: kernel $KVER, $(date -u +%Y-%m-%dT%H:%M:%SZ)"

stage_times=()

# 1. Host: style of the module, then each tool's `make check` (KTAP), into
# host.ktap. It runs beside the VM suite (below), after the initramfs is
# built (sparse rebuilds the module in the tree), at a lower CPU priority
# than the VMs, which leave CPU time over (they wait on timers more than
# they compute): printed once the suite is done.
hn=0
host_case()
{
	local name=$1 log
	shift
	hn=$((hn + 1))
	log=$("$@" 2>&1)
	if [ $? -eq 0 ]; then
		echo "ok $hn host: $name"
	else
		printf '%s\n' "$log" | tail -n 30 | sed 's/^/# /'
		echo "not ok $hn host: $name"
	fi >> "$out/host.ktap"
}
# ktap_all CMD...: CMD's KTAP passed, and nothing in it was skipped (deps.sh
# installs what those scripts skip without).
ktap_all()
{
	local log rc
	log=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$log"
	[ $rc -eq 0 ] && ! grep -qE '^ *(not ok|ok .*# SKIP)' <<<"$log"
}
host_stage()
{
	local k t
	host_case "checkpatch --strict clean (make checkpatch)" make -s -C "$top" checkpatch
	host_case "sparse clean (make sparse)" make -s -C "$top" sparse
	# The module also builds (W=1, -Werror) for every other supported kernel
	# whose headers are installed, from a copy of the sources: the VM suite
	# runs on $KVER alone.
	for k in $(make -s -C "$top" kvers); do
		[ "$k" = "$KVER" ] ||
			host_case "module builds for $k (W=1, -Werror)" \
				"$top/selftests/qemu/build-module.sh" "/usr/src/linux-headers-$k" "$out/build-$k"
	done
	for t in tools/vsecy tools/mkad; do
		if [ -f "$top/$t/Makefile" ] && grep -q '^check:' "$top/$t/Makefile"; then
			make -s -C "$top/$t" check >> "$out/host.ktap" 2>&1
		fi
	done
	make -s -C "$top/selftests" vsecy-kp > /dev/null
	host_case "key provider fixture vsecy-kp: SKIP and ETSI 014 routes, TLS, one-shot keys" \
		ktap_all "$top/selftests/kp_fixture_check.sh"
	host_case "vsecy-mkad's key provider client against two vsecy-kp (tools/mkad/tests/kp_live.sh)" \
		ktap_all "$top/tools/mkad/tests/kp_live.sh"
}

# 2. The selftests in the VM, in shards running side by side
# (selftests/qemu/suite.sh), while 3. below runs its own small VMs.
echo "# --- VM selftests"
stage_start=$(date +%s)
initramfs=$out/initramfs.cpio.gz
if ! "$top/selftests/qemu/build-initramfs.sh" "$initramfs" > "$out/initramfs.log" 2>&1; then
	cat "$out/initramfs.log"
	echo "not ok 1 vm: initramfs builds" > "$out/vm.ktap"
	rm -f "$initramfs"
else
	"$top/selftests/qemu/suite.sh" --shards "${VSECY_SHARDS:-2}" \
		--column production --initramfs "$initramfs" \
		--out "$out/vm" --vm-timeout 1800 > "$out/vm.ktap" &
	suite_pid=$!
fi

# 3. The runner's self-test. A sub-run with samples that pass, fail, hang
# past their timeout and put a WARNING in the kernel log must report each
# for what it is and exit non-zero; a VM that never finishes must be
# stopped by the VM timeout and reported. Both sub-runs wait more than
# they compute, so they go at the same time as the suite.
runner=$out/runner.ktap
: > "$runner"
if [ -r "$initramfs" ]; then
	sub=$out/runner-sub
	"$top/selftests/qemu/vm.sh" test --initramfs "$initramfs" --out "$sub" \
		--tests samples/pass.sh,samples/fail.sh,samples/hang.sh,samples/kmsg-warn.sh \
		--test-timeout 10 --vm-timeout 300 > "$sub.ktap" 2>&1 &
	sub_pid=$!
	hung=$out/runner-hung
	"$top/selftests/qemu/vm.sh" test --initramfs "$initramfs" --out "$hung" \
		--tests samples/hang.sh --test-timeout 100000 --vm-timeout 60 > "$hung.ktap" 2>&1 &
	hung_pid=$!
fi

# 4. The Debian packages (make deb, lintian) and DKMS on this host
# (selftests/dkms.sh: install, DKMS builds for each supported kernel,
# purge), then for each kernel a VM booted with exactly the module DKMS
# built, at its place (selftests/dkms_smoke.sh). Also while 2. runs. A
# host with vsecy's packages installed keeps them: the stage is skipped.
dkms=$out/dkms
dkms_stage()
{
	local k ko rc
	mkdir -p "$dkms"
	if dpkg-query -W -f='${Status}\n' vsecy-dkms vsecy-tools 2>/dev/null | grep -q 'ok installed'; then
		echo "ok 1 dkms: vsecy's packages are installed on this host, left alone # SKIP"
		return
	fi
	if make -s -C "$top" deb-run > "$dkms/deb.log" 2>&1; then
		echo "ok 1 deb: make deb builds the packages, lintian clean"
	else
		tail -n 30 "$dkms/deb.log" | sed 's/^/# /'
		echo "not ok 1 deb: make deb builds the packages, lintian clean"
		return
	fi
	"$top/selftests/dkms.sh" --keep-ko "$dkms/ko" > "$dkms/dkms.ktap" 2>&1
	rc=$?
	sed 's/^/  /' "$dkms/dkms.ktap"
	[ $rc -eq 0 ] && echo "ok 2 dkms: selftests/dkms.sh" || echo "not ok 2 dkms: selftests/dkms.sh"
	for k in $(make -s -C "$top" kvers); do
		ko=$(ls "$dkms/ko/$k"/vsecy.ko* 2>/dev/null | head -n 1)
		if [ -z "$ko" ]; then
			echo "not ok 3 dkms: no DKMS-built module kept for $k"
			continue
		fi
		if ! VSECY_KO=$ko VSECY_KO_DIR=updates/dkms KVER=$k KDIR=/usr/src/linux-headers-$k \
			"$top/selftests/qemu/build-initramfs.sh" "$dkms/initramfs-$k.cpio.gz" \
			> "$dkms/initramfs-$k.log" 2>&1; then
			tail -n 20 "$dkms/initramfs-$k.log" | sed 's/^/# /'
			echo "not ok 3 dkms: initramfs with the DKMS module for $k"
			continue
		fi
		KVER=$k "$top/selftests/qemu/vm.sh" test --initramfs "$dkms/initramfs-$k.cpio.gz" \
			--out "$dkms/vm-$k" --tests dkms_smoke.sh --vm-timeout 600 2>&1 |
			sed "s/^\(\(not \)\?ok [0-9]* \)/\1$k: /"
	done
}
if [ "${VSECY_DKMS:-1}" = 1 ]; then
	{ t0=$(date +%s); dkms_stage; echo $(($(date +%s) - t0)) > "$out/dkms.secs"; } \
		> "$out/dkms.ktap" 2>&1 &
	dkms_pid=$!
fi

: > "$out/host.ktap"
host_start=$(date +%s)
(renice -n 10 -p "$BASHPID" > /dev/null; host_stage)
host_secs=$(($(date +%s) - host_start))

if [ -n "${suite_pid:-}" ]; then
	wait "$suite_pid"
	cat "$out/vm.ktap"
else
	cat "$out/vm.ktap"
fi
tally "$out/vm.ktap"
stage_times+=("vm suite $(($(date +%s) - stage_start))s")

echo "# --- host unit tests"
cat "$out/host.ktap"
tally "$out/host.ktap"
stage_times+=("host (beside the vm suite) ${host_secs}s")

echo "# --- runner self-test"
rn=0
runner_case()
{
	local name=$1
	shift
	rn=$((rn + 1))
	if "$@"; then
		echo "ok $rn runner: $name"
	else
		echo "not ok $rn runner: $name"
	fi | tee -a "$runner"
}
has() { grep -qE "$1" "$2" || { echo "# expected a line matching '$1' in $2" | tee -a "$runner"; false; }; }

if [ -n "${sub_pid:-}" ]; then
	wait "$sub_pid"
	sub_rc=$?
	runner_case "sub-run with failing samples exits non-zero" test "$sub_rc" -ne 0
	runner_case "passing sample reported ok" \
		has '^ok [0-9]+ selftests: vsecy: samples/pass.sh$' "$sub.ktap"
	runner_case "failing case reported not ok, nested" \
		has '^  not ok 2 sample that fails on purpose' "$sub.ktap"
	runner_case "failing sample reported not ok" \
		has '^not ok [0-9]+ selftests: vsecy: samples/fail.sh # exit=1' "$sub.ktap"
	runner_case "hanging sample stopped by the per-test timeout" \
		has '^not ok [0-9]+ selftests: vsecy: samples/hang.sh # TIMEOUT' "$sub.ktap"
	runner_case "WARNING in the kernel log fails the run" \
		has '^not ok [0-9]+ vm: kernel log clean' "$sub.ktap"
	runner_case "failures are counted" \
		has '^[1-9][0-9]* [0-9]+ [0-9]+$' <(awk -f "$count" "$sub.ktap" | awk '{print $2, $1, $3}')
	runner_case "each program's wall time reported" \
		has '^# time: samples/pass.sh [0-9]+ [0-9]+%$' "$sub.ktap"

	wait "$hung_pid"
	hung_rc=$?
	runner_case "hung VM exits non-zero" test "$hung_rc" -ne 0
	runner_case "hung VM stopped by the VM timeout" \
		has '^not ok [0-9]+ vm: ran to completion # timed out' "$hung.ktap"
else
	runner_case "initramfs for the sub-runs" false
fi
tally "$runner"

if [ -n "${dkms_pid:-}" ]; then
	echo "# --- Debian packages and DKMS"
	wait "$dkms_pid"
	cat "$out/dkms.ktap"
	tally "$out/dkms.ktap"
	stage_times+=("dkms (beside the vm suite) $(cat "$out/dkms.secs" 2>/dev/null)s")
fi

echo "# results: host $out/host.ktap, vm $out/vm.ktap, runner $runner, dkms $out/dkms.ktap"
echo "# stage times: ${stage_times[*]}"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
