#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-debug`: the whole VM suite on a debug kernel (KASAN, UBSAN,
# lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, kmemleak, DEBUG_LIST, SLUB debug)
# built from Debian's linux-source-6.1 and cached outside the checkout
# (selftests/qemu/debug-kernel.sh), with panic_on_warn and a kmemleak scan
# at the end, in shards side by side (selftests/qemu/suite.sh; VSECY_SHARDS,
# default 2). The module is built against that tree in build/debug, apart
# from the production build. Prints KTAP and "N passed, N failed, N skipped".
# The programs are the module's own (selftests/vsecy_*.sh): what the
# debug kernel checks is the kernel side, and they drive every path of
# the module (netlink, both front ends, the datapath, async crypto,
# teardown). The mka_*.sh programs test vsecy-mkad against its peers
# over the same module paths; they run on the production kernel in
# `make check`, since on the debug kernel they would add some 40 minutes
# of emulated CPU to CI for no kernel path the vsecy_*.sh programs leave
# out. TESTS=a.sh,b.sh runs those instead.

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
rm -rf "$src"
mkdir -p "$src"
cp -r "$top/Kbuild" "$top/drivers" "$top/include" "$src/"
find "$src" -name '*.o' -o -name '*.ko' -o -name '.*.cmd' | xargs rm -f
stage_start=$(date +%s)
make -C "$kdir/build" M="$src" W=1 VSECY_WERROR=1 modules > "$out/module.log" 2>&1 ||
	{ cat "$out/module.log"; fail_setup "module builds against the debug kernel"; }

VSECY_KO=$src/drivers/net/vsecy/vsecy.ko MODROOT=$kdir/modroot KVER=$release \
	"$top/selftests/qemu/build-initramfs.sh" "$out/initramfs.cpio.gz" \
	> "$out/initramfs.log" 2>&1 ||
	{ cat "$out/initramfs.log"; fail_setup "initramfs builds"; }
stage_times+=("module and initramfs $(($(date +%s) - stage_start))s")

# KASAN and kmemleak under software emulation are slow: generous timeouts.
# The suite runs in shards side by side, as in `make check`.
[ -n "${TESTS:-}" ] ||
	TESTS=$(make -s -C "$top/selftests" list | tr ' ' '\n' | grep '^vsecy_' | paste -sd, -)
stage_start=$(date +%s)
KERNEL=$kdir/build/arch/x86/boot/bzImage KVER=$release VM_MEM=2048 \
	"$top/selftests/qemu/suite.sh" --shards "${VSECY_SHARDS:-2}" --column debug \
	--initramfs "$out/initramfs.cpio.gz" \
	--out "$out/vm" --vm-timeout 3600 --test-timeout 900 --tests "$TESTS" \
	--append "panic_on_warn=1" | tee "$out/vm.ktap"
stage_times+=("vm suite $(($(date +%s) - stage_start))s")

read -r p f s < <(awk -f "$count" "$out/vm.ktap")
echo "# stage times: ${stage_times[*]}"
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
