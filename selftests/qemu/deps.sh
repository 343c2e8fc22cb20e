#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs, with apt-get, the Debian packages that building vsecy and
# running its VM tests need, when any is missing. Idempotent and quiet
# when everything is there.

set -e

pkgs=(
	build-essential		# gcc, make for the module and tools
	linux-image-amd64	# the kernels the VM boots: Debian 12's 6.1,
	linux-headers-amd64	# and the trees the module builds against;
	linux-image-6.12-amd64	# 6.12 from bookworm-security (its kbuild
	linux-headers-6.12-amd64	# brings pahole, for the modules' BTF)
	qemu-system-x86		# the VM
	busybox-static		# the VM's userland
	bash
	iproute2		# ip, bridge (namespaces, veth, macsec)
	iputils-ping
	wpasupplicant		# MKA peer (-Dmacsec_linux)
	hostapd			# RADIUS/EAP server for the 802.1X tests (driver=none)
	eapoltest		# eapol_test: checks each RADIUS setup first
	freeradius		# the second RADIUS server of the 802.1X tests
	iperf3
	tcpdump			# captures on the lower device
	kmod			# modprobe/depmod in the VM, depmod here
	cpio
	libmnl-dev		# netlink for the tools
	libssl-dev		# MKA crypto; TLS to key providers
	libjansson-dev		# key providers' JSON (vsecy-mkad)
	openssl			# test certificates (mka_qkd.sh, kp_*.sh)
	curl			# selftests/kp_fixture_check.sh
	pkg-config
	sparse			# make style
	linux-source-6.1	# checkpatch.pl; the debug kernel's source
	flex bison bc libelf-dev	# building the debug kernel
	jq			# JSON checks in the tests
	gojq			# ... in the VM, as its jq (build-initramfs.sh)
	python3 python3-yaml	# the netlink spec check (tools/vsecy)
	clang-14 libclang-rt-14-dev	# libFuzzer for the MKPDU parser
	debhelper dh-dkms lintian	# make deb
	dkms			# the DKMS test (selftests/dkms.sh)
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages: ${missing[*]} (run as root, or install them)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
