#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds (once per machine) a debug kernel from Debian's linux-source-6.1:
# allnoconfig plus selftests/qemu/debug.config (KASAN, UBSAN, lockdep,
# kmemleak, ...), with macsec as a module. The result is cached outside the
# checkout, keyed by the source package version and the configuration:
#   $VSECY_CACHE/debug-kernel/<version>-<config hash>/
#       build/                    the build tree (KDIR for the module)
#       build/arch/x86/boot/bzImage
#       modroot/lib/modules/<release>/   its modules (macsec)
#       release                   the kernel release string
# Prints that directory on stdout; the build log goes to build.log there.
# Environment: VSECY_CACHE (default /var/cache/vsecy), JOBS (default nproc).
# Concurrent calls wait for each other (a lock in the cache).

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${VSECY_CACHE:-/var/cache/vsecy}
tarball=$(ls -1 /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
[ -n "$tarball" ] || { echo "debug-kernel: no /usr/src/linux-source-6.1.tar.xz (make deps)" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
hash=$( (cat "$top/selftests/qemu/debug.config"; gcc --version | head -n 1) | sha256sum | cut -c1-12)
dir=$cache/debug-kernel/$version-$hash

# One build at a time: .ci/run starts one early, in the background, and
# `make check-debug` then waits here for it rather than building again.
mkdir -p "$cache/debug-kernel"
exec 9> "$cache/debug-kernel/lock"
flock 9

if [ -e "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

rm -rf "$dir"
mkdir -p "$dir"
log=$dir/build.log
echo "debug-kernel: building $version ($hash) in $dir, log in $log; this takes a while" >&2
build()
{
	tar -xJf "$tarball" -C "$dir" || return 1
	mv "$dir/linux-source-6.1" "$dir/build" || return 1
	cd "$dir/build" || return 1
	make -s ARCH=x86_64 allnoconfig || return 1
	scripts/kconfig/merge_config.sh -m .config "$top/selftests/qemu/debug.config" || return 1
	make -s ARCH=x86_64 olddefconfig || return 1
	# Every line of the fragment must have survived olddefconfig.
	local line missing=0
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		grep -qx "$line" .config || { echo "debug-kernel: not in .config: $line"; missing=1; }
	done < "$top/selftests/qemu/debug.config"
	[ $missing -eq 0 ] || return 1
	make -j"${JOBS:-$(nproc)}" ARCH=x86_64 bzImage modules || return 1
	make -s ARCH=x86_64 INSTALL_MOD_PATH="$dir/modroot" modules_install || return 1
	make -s kernelrelease > "$dir/release"
}
if ! build > "$log" 2>&1; then
	echo "debug-kernel: build failed; tail of $log:" >&2
	tail -n 30 "$log" >&2
	exit 1
fi
touch "$dir/done"
echo "$dir"
