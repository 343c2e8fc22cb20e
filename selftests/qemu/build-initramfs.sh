#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the VM's initramfs: busybox for the small utilities, real iproute2,
# kmod, bash, wpa_supplicant, iperf3, tcpdump and jq from the host with
# their libraries, the Debian kernel modules the tests need (with depmod),
# the project's module and programs (through `make install`), and the
# selftests.
#
# Usage: build-initramfs.sh [OUT]    (default: build/vm/initramfs.cpio.gz)
# Environment: KVER (kernel release), KDIR; MODROOT (where lib/modules/KVER
# is, default /), VSECY_KO (a prebuilt vsecy.ko, .ko.xz or .ko.zst to use
# instead of building one with make; VSECY_KO_DIR: where in the module
# tree it goes, default extra).

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build/vm/initramfs.cpio.gz}
: "${KVER:?KVER is not set (run through make)}"
modroot=${MODROOT:-}
modsrc=$modroot/lib/modules/$KVER

[ -d "$modsrc/kernel" ] || { echo "no modules for $KVER in $modsrc" >&2; exit 1; }

root=$(mktemp -d "${TMPDIR:-/tmp}/vsecy-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

# usrmerged layout, as on the host.
mkdir -p "$root"/usr/{bin,lib/x86_64-linux-gnu,lib64} \
	"$root"/{dev,proc,sys,tmp,run,etc,root,var,mnt}
ln -s usr/bin "$root/bin"
ln -s usr/bin "$root/sbin"
ln -s bin "$root/usr/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
ln -s ../run "$root/var/run"

# Copies a host file (following symlinks) to the same path in the image.
copy_file() {
	local src=$1 dst=${2:-$1}
	dst=${dst#/usr}
	mkdir -p "$root/usr$(dirname "$dst")"
	cp -L "$src" "$root/usr$dst"
}

# Copies a program and the shared libraries it needs.
copy_prog() {
	local prog lib
	prog=$(command -v "$1") || { echo "missing program: $1" >&2; exit 1; }
	cp -L "$prog" "$root/usr/bin/$(basename "$1")"
	{ ldd "$prog" 2>/dev/null || true; } | awk '/=> \//{print $3} /^\s*\/[^ ]*ld-linux/{print $1}' |
	while read -r lib; do
		[ -e "$root/usr$lib" ] || [ -e "$root/usr${lib#/usr}" ] ||
			copy_file "$lib"
	done
}

# Copies a shared library and those it needs.
copy_lib() {
	local lib
	copy_file "$1"
	{ ldd "$1" 2>/dev/null || true; } | awk '/=> \//{print $3}' |
	while read -r lib; do
		[ -e "$root/usr$lib" ] || [ -e "$root/usr${lib#/usr}" ] ||
			copy_file "$lib"
	done
}

# busybox provides the small utilities only: never `ip`, `modprobe` and the
# like, which must be the real ones (busybox's ip knows no namespaces).
cp /bin/busybox "$root/usr/bin/busybox"
for applet in awk basename cat chmod cp cut date dd dirname dmesg du echo \
	env expr false find grep head hexdump hostname id kill ln ls mkdir \
	mknod mktemp mount mv nproc od pgrep pidof pkill printf ps readlink \
	reboot poweroff rm rmdir sed seq setsid sleep sort stat stty sync \
	tail tee test timeout touch tr true umount uname uniq usleep wc \
	xargs yes cmp diff md5sum sha256sum taskset; do
	ln -s busybox "$root/usr/bin/$applet"
done

for p in bash ip bridge kmod wpa_supplicant wpa_cli iperf3 tcpdump jq ping openssl \
	hostapd eapol_test; do
	copy_prog "$p"
done
# FreeRADIUS (mka_eap_freeradius.sh): the server, the modules that its
# pruned configuration (written by the test) loads, and the dictionaries
# that it includes: not the whole package (whose modules depend on perl,
# SQL clients and more).
if command -v freeradius >/dev/null; then
	copy_prog freeradius
	for m in rlm_eap rlm_eap_tls rlm_eap_peap rlm_eap_mschapv2 rlm_mschap rlm_files \
		libfreeradius-eap; do
		copy_lib "/usr/lib/freeradius/$m.so"
	done
	for d in rfc2865 rfc2866 rfc2868 rfc2869 rfc3580 rfc4072 freeradius \
		freeradius.internal microsoft; do
		copy_file "/usr/share/freeradius/dictionary.$d"
	done
fi
# PEAP's MSCHAPv2 needs MD4, which OpenSSL 3 has only in its legacy
# provider: wpa_supplicant and hostapd load it (mka_eap.sh).
for m in /usr/lib/x86_64-linux-gnu/ossl-modules/legacy.so; do
	[ -e "$m" ] && mkdir -p "$root$(dirname "$m")" && cp -L "$m" "$root$m"
done
# The VM's jq is gojq where the host has it (make deps installs it): jq 1.6
# compiles its builtins, written in jq, at every start, which takes about
# a second under QEMU's emulation; gojq (a static Go binary, same
# language, same options the tests use) starts in a fifth of that, and
# the tests call jq hundreds of times. The host's jq stays jq.
if command -v gojq >/dev/null; then
	cp -L "$(command -v gojq)" "$root/usr/bin/jq"
fi
# sh is bash too: busybox's sh would run its own `ip` applet before PATH.
ln -s bash "$root/usr/bin/sh"
for p in modprobe insmod rmmod lsmod depmod modinfo; do
	ln -s kmod "$root/usr/bin/$p"
done
# ld.so may be named through /lib64 in program headers.
[ -e "$root/usr/lib64/ld-linux-x86-64.so.2" ] ||
	cp -L /lib64/ld-linux-x86-64.so.2 "$root/usr/lib64/"

# Kernel modules, with whatever they depend on, then depmod.
kmods=(veth macsec macvlan bridge 8021q af_packet dummy vxlan
	gcm ghash-generic ghash-clmulni-intel aesni-intel aes-generic
	cmac ctr cryptd crypto_simd pcrypt)
for m in "${kmods[@]}"; do
	# A kernel may lack one (the debug kernel has no pcrypt): the tests
	# that need it say so.
	deps=$(modprobe ${modroot:+-d "$modroot"} -S "$KVER" --show-depends "$m" 2>/dev/null) ||
		{ echo "build-initramfs: no module $m in $KVER, left out" >&2; continue; }
	echo "$deps" | awk '$1 == "insmod" {print $2}' |
		while read -r ko; do
			rel=${ko#"$modroot"}
			mkdir -p "$root$(dirname "$rel")"
			cp "$ko" "$root$rel"
		done
done
# 6.12's modules are xz-compressed (.ko.xz; 6.1's are not). They go in as
# they are, and the VM's kmod, the host's (kmod 30 decompresses xz and
# zstd in userspace, with liblzma copied above), loads them, as on an
# installed system: the image holds exactly the files Debian and DKMS
# install, with no decompressed copies to diverge from them.
for z in xz zst; do
	[ -n "$(find "$root/lib/modules" -name "*.ko.$z" -print -quit)" ] || continue
	feature=XZ
	[ $z = zst ] && feature=ZSTD
	kmod --version | grep -qw "+$feature" ||
		{ echo "build-initramfs: $KVER has .ko.$z modules and this kmod has no $feature support" >&2; exit 1; }
done
mkdir -p "$root/lib/modules/$KVER"
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -e "$modsrc/$f" ] && cp "$modsrc/$f" "$root/lib/modules/$KVER/"
done

# The project: module and programs, as `make install` lays them out.
if [ -n "${VSECY_KO:-}" ]; then
	# One from the module tree (DKMS's updates/dkms/vsecy.ko.xz) keeps
	# its place and name there; any other goes to VSECY_KO_DIR (a
	# directory of the module tree, default extra/): a copy of DKMS's
	# file goes back to updates/dkms/.
	case "$VSECY_KO" in
	"$modsrc"/*) dst=${VSECY_KO#"$modsrc"/} ;;
	*) dst=${VSECY_KO_DIR:-extra}/$(basename "$VSECY_KO") ;;
	esac
	install -D -m 0644 "$VSECY_KO" "$root/lib/modules/$KVER/$dst"
	make -s -C "$top" install-tools DESTDIR="$root" >/dev/null
else
	make -s -C "$top" install DESTDIR="$root" KVER="$KVER" ${KDIR:+KDIR="$KDIR"} >/dev/null
fi
depmod -b "$root" "$KVER"

# The tests.
mkdir -p "$root/selftests"
cp -r "$top/selftests/." "$root/selftests/"
rm -rf "$root/selftests/qemu"
make -s -C "$top/selftests" list > "$root/selftests/default-tests"
install -m 0755 "$top/selftests/qemu/init.sh" "$root/init"
# the libraries of what make install and the selftests put there
# (vsecy-mkad's libjansson, vsecy-kp's libssl)
for f in "$root"/usr/bin/* "$root"/selftests/vsecy-*; do
	[ -f "$f" ] && [ ! -L "$f" ] || continue
	{ ldd "$f" 2>/dev/null || true; } | awk '/=> \//{print $3}' |
	while read -r lib; do
		[ -e "$root/usr$lib" ] || [ -e "$root/usr${lib#/usr}" ] || copy_file "$lib"
	done
done

echo "root:x:0:0:root:/root:/bin/bash" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"
echo "127.0.0.1 localhost" > "$root/etc/hosts"
echo "vsecy-vm" > "$root/etc/hostname"

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | sort -z | cpio --null -o -H newc --quiet) |
	gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
