#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-debug`: VM programs on a debug kernel (KASAN, UBSAN,
# lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, kmemleak, DEBUG_LIST, SLUB debug)
# built from Debian's linux-source-6.1 and cached outside the checkout
# (selftests/qemu/debug-kernel.sh), with panic_on_warn and a kmemleak scan
# at the end, in shards side by side (selftests/qemu/suite.sh; VSECY_SHARDS,
# default 2). The module is built against that tree in build/debug, apart
# from the production build. Prints KTAP and "N passed, N failed, N skipped".
# The programs: those where the debug kernel's checks find what the
# production kernel cannot see, object lifetimes and concurrency: links
# and namespaces coming and going (vsecy_link, vsecy_lifetime), the
# datapath's teardown with asynchronous crypto in flight, XPN and
# integrity only (vsecy_secy_datapath2), netlink, privilege and limits,
# the events, malformed and fuzzed frames (vsecy_secy_hostile), PN
# updates under a flood (vsecy_txpn), and the offload NIC: its datapath
# for each cipher suite (vsecy_offload), its life cycle under a flood
# (vsecy_offload_ctl), its statistics ops (vsecy_offload_counters) and
# MKA through it (mka_macsec). The rest (the cipher-suite matrix of
# vsecy_secy_datapath, the tool, the counters, replay and
# confidentiality-offset semantics, and the other mka_*.sh programs of
# vsecy-mkad) runs on the production kernel only, in `make check`: under
# emulation the debug kernel is four to six times slower, and the whole
# suite there ran into its VMs' 3600 s limit. TESTS=a.sh,b.sh runs any
# programs instead (TESTS=all: every one).
DEBUG_PROGRAMS="vsecy_link.sh vsecy_lifetime.sh vsecy_secy_datapath2.sh
	vsecy_secy_netlink.sh vsecy_secy_hostile.sh vsecy_events.sh
	vsecy_privilege.sh vsecy_txpn.sh vsecy_limits.sh vsecy_offload.sh
	vsecy_offload_ctl.sh vsecy_offload_counters.sh mka_macsec.sh"

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/debug
count=$top/selftests/qemu/ktap-count.awk
mkdir -p "$out"

echo "KTAP version 1"
echo "# vsecy make check-debug: $(date -u +%Y-%m-%dT%H:%M:%SZ)"

fail_setup()
{
	echo "not ok 1 debug: $1"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

stage_times=()
stage_start=$(date +%s)
kdir=$("$top/selftests/qemu/debug-kernel.sh") || fail_setup "debug kernel builds"
stage_times+=("debug kernel $(($(date +%s) - stage_start))s")
release=$(cat "$kdir/release")
echo "# debug kernel $release in $kdir"

# The module, built against the debug tree from a copy of the sources, so
# that the production build in the checkout is left alone.
src=$out/src
stage_start=$(date +%s)
MODROOT=$kdir/modroot KVER=$release \
	"$top/selftests/qemu/build-module.sh" "$kdir/build" "$src" "$out/initramfs.cpio.gz" \
	> "$out/build.log" 2>&1 ||
	{ cat "$out/build.log"; fail_setup "module and initramfs build against the debug kernel"; }
stage_times+=("module and initramfs $(($(date +%s) - stage_start))s")

# KASAN and kmemleak under software emulation are slow: generous timeouts
# (vsecy_txpn.sh, its 100 updates under a flood, took 808 s in one
# clean-clone .ci/run and 226 s in another, on a faster machine; a
# program gets 1500 s).
# The suite runs in shards side by side, as in `make check`.
TESTS=${TESTS:-$(echo $DEBUG_PROGRAMS | tr ' ' ',')}
stage_start=$(date +%s)
KERNEL=$kdir/build/arch/x86/boot/bzImage KVER=$release VM_MEM=2048 \
	"$top/selftests/qemu/suite.sh" --shards "${VSECY_SHARDS:-2}" --column debug \
	--initramfs "$out/initramfs.cpio.gz" \
	--out "$out/vm" --vm-timeout 3600 --test-timeout 1500 --tests "$TESTS" \
	--append "panic_on_warn=1" | tee "$out/vm.ktap"
stage_times+=("vm suite $(($(date +%s) - stage_start))s")

read -r p f s < <(awk -f "$count" "$out/vm.ktap")
echo "# stage times: ${stage_times[*]}"
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
