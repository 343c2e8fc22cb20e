#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-kernel KVER=...`: the VM suite on another installed kernel,
# with the module built for it from a copy of the sources (build-module.sh,
# W=1 -Werror) in build/kernel-KVER: CI runs it for 6.12 after `make
# check` has run everything on 6.1 (whose host stage already builds the
# module for 6.12). Prints KTAP and "N passed, N failed, N skipped".
#
# The programs: those that exercise what differs between the kernels
# (Documentation/design.md, "Kernels"): the link and its lifetime (lltx),
# the datapath with asynchronous crypto in flight (the crypto completion
# callback), netlink, malformed frames, the events, PN updates under a
# flood, the offload NIC's datapath, control plane and counters (the
# macsec core's offload API), and vsecy-mkad programming the kernel's
# macsec, offloaded too. The rest (the cipher-suite matrix of
# vsecy_secy_datapath, the tool, counters, replay, confidentiality
# offset, and the MKA protocol programs, which are userspace) runs on
# 6.1 in `make check`, to keep CI within its time budget. TESTS=a.sh,b.sh
# runs other programs (TESTS=all: every one); `make check KVER=...` runs
# the whole of `make check` on a kernel.
KERNEL_PROGRAMS="vsecy_link.sh vsecy_lifetime.sh vsecy_secy_datapath2.sh
	vsecy_secy_netlink.sh vsecy_secy_hostile.sh vsecy_events.sh vsecy_txpn.sh
	vsecy_offload.sh vsecy_offload_ctl.sh vsecy_offload_counters.sh mka_macsec.sh"

set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
: "${KVER:?KVER is not set (run through make)}"
: "${KDIR:=/usr/src/linux-headers-$KVER}"
out=$top/build/kernel-$KVER
count=$top/selftests/qemu/ktap-count.awk
rm -rf "$out"
mkdir -p "$out"

echo "KTAP version 1"
echo "# vsecy make check-kernel: kernel $KVER, $(date -u +%Y-%m-%dT%H:%M:%SZ)"

fail_setup()
{
	echo "not ok 1 kernel $KVER: $1"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

stage_times=()
stage_start=$(date +%s)
KVER=$KVER "$top/selftests/qemu/build-module.sh" "$KDIR" "$out/src" "$out/initramfs.cpio.gz" \
	> "$out/build.log" 2>&1 ||
	{ cat "$out/build.log"; fail_setup "module (W=1, -Werror) and initramfs build"; }
stage_times+=("module and initramfs $(($(date +%s) - stage_start))s")

TESTS=${TESTS:-$(echo $KERNEL_PROGRAMS | tr ' ' ',')}
stage_start=$(date +%s)
KVER=$KVER "$top/selftests/qemu/suite.sh" --shards "${VSECY_SHARDS:-2}" --column production \
	--initramfs "$out/initramfs.cpio.gz" --out "$out/vm" --vm-timeout 1800 \
	--tests "$TESTS" | tee "$out/vm.ktap"
stage_times+=("vm suite $(($(date +%s) - stage_start))s")

read -r p f s < <(awk -f "$count" "$out/vm.ktap")
echo "# stage times: ${stage_times[*]}"
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
