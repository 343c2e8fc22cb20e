#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds vsecy.ko (W=1, -Werror) against the kernel tree KDIR from a copy
# of the module's sources in DIR, so that the checkout's own build is left
# alone: make check builds it so for each other supported kernel, make
# check-debug for the debug kernel. The module is DIR/drivers/net/vsecy/
# vsecy.ko. With INITRAMFS, the VM's initramfs is packed with that module
# too (build-initramfs.sh; KVER and MODROOT from the environment).
#
# Usage: build-module.sh KDIR DIR [INITRAMFS]

set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=${1:?usage: build-module.sh KDIR DIR}
dir=${2:?usage: build-module.sh KDIR DIR}
rm -rf "$dir"
mkdir -p "$dir"
cp -r "$top/Kbuild" "$top/drivers" "$top/include" "$dir/"
find "$dir" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \) -delete
make -C "$kdir" M="$dir" W=1 VSECY_WERROR=1 modules
[ -z "${3:-}" ] ||
	VSECY_KO=$dir/drivers/net/vsecy/vsecy.ko "$top/selftests/qemu/build-initramfs.sh" "$3"
