#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages of `make deb` on this host (root; not in the VM):
# install vsecy-dkms and vsecy-tools, check that DKMS built and installed
# vsecy.ko for every supported kernel whose headers are installed (`make
# kvers`), that each module is that kernel's (vermagic), that the tools
# run, then purge both and check that nothing of them is left. KTAP out;
# exit status 0 only when every case passed.
#
# The packages' postinst (DKMS's common.postinst) builds for the running
# kernel and the newest one; for every installed kernel only where the
# running kernel is not installed (a container, a chroot) or with
# autoinstall_all_kernels. A supported kernel it left out is installed
# here with `dkms install`, and the case says so: what is tested is that
# the package builds and installs for each kernel, not DKMS's choice of
# kernels at installation time (its kernel hooks build for a kernel
# installed later).
#
# Usage: dkms.sh [--debs DIR] [--keep-ko DIR]
#   --debs DIR     where the .debs are (default: build/deb)
#   --keep-ko DIR  copy each kernel's installed vsecy.ko(.xz) to DIR/KVER/
#                  before purging (VSECY_KO= for a VM run of exactly it)
# Each installed module is also printed, "# module KVER PATH".

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/selftests/lib.sh"

debs=$top/build/deb
keep=
while [ $# -gt 0 ]; do
	case $1 in
	--debs) debs=${2:?--debs needs a directory}; shift 2 ;;
	--keep-ko) keep=${2:?--keep-ko needs a directory}; shift 2 ;;
	*) echo "usage: $0 [--debs DIR] [--keep-ko DIR]" >&2; exit 2 ;;
	esac
done

PKGS="vsecy-dkms vsecy-tools"
log=$(mktemp "${TMPDIR:-/tmp}/vsecy-dkms.XXXXXX")
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
read -r -a kernels < <(make -s -C "$top" kvers | xargs)
ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
dkms_deb=$(ls "$debs"/vsecy-dkms_"$ver"_all.deb 2>/dev/null)
tools_deb=$(ls "$debs"/vsecy-tools_"$ver"_*.deb 2>/dev/null)

# case NAME CMD...: run_case's report, but CMD runs in this shell, so
# that what it learns (the module paths) outlives it.
case_run()
{
	local name=$1

	shift
	"$@" > "$log" 2>&1
	local rc=$?
	sed 's/^/# /' "$log"
	if [ $rc -eq 0 ]; then
		ktap_test_pass "$name"
	else
		ktap_test_fail "$name"
	fi
}

# What the packages leave on the host, one path a line; nothing when
# both are purged.
leftovers()
{
	local p

	for p in /usr/src/vsecy-* /var/lib/dkms/vsecy /usr/sbin/vsecy \
		/usr/sbin/vsecy-mkad /lib/systemd/system/vsecy-mkad@.service \
		/lib/modules/*/updates/dkms/vsecy.ko*; do
		[ -e "$p" ] && echo "$p"
	done
	for p in $PKGS; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null |
			grep -q '^.[^n]' && echo "package $p"
	done
	return 0
}

purge_packages()
{
	local p present=()

	for p in $PKGS; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null |
			grep -q '^.[^n]' && present+=("$p")
	done
	[ ${#present[@]} -eq 0 ] && return 0
	apt-get purge -y -q "${present[@]}"
}

# Nothing of a previous run or a hand installation, so that what is
# checked at the end is what the packages did.
host_clean()
{
	local left

	if [ "$(id -u)" != 0 ]; then
		fail "needs root (it installs and purges packages)"
		return 1
	fi
	purge_packages > /dev/null || return 1
	left=$(leftovers)
	[ -z "$left" ] && return 0
	fail "left from before (remove it first): ${left//$'\n'/ }"
}

debs_present()
{
	[ -n "$dkms_deb" ] && [ -n "$tools_deb" ] && return 0
	fail "no vsecy-dkms_${ver}_all.deb and vsecy-tools_${ver}_*.deb in $debs (make deb)"
}

installed=0
install_packages()
{
	[ -n "$dkms_deb" ] && [ -n "$tools_deb" ] || { fail "no packages"; return 1; }
	apt-get install -y -q "$dkms_deb" "$tools_deb" > "$log.apt" 2>&1
	local rc=$?
	grep -vE '^(Reading|Building|Selecting|Preparing|Unpacking|\(Reading)' "$log.apt" | tail -n 40
	rm -f "$log.apt"
	[ $rc -eq 0 ] || return 1
	installed=1
}

# dkms status of vsecy for kernel $1: "installed", "built", "added"
# (for another kernel, or none) or nothing.
dkms_state()
{
	dkms status -m vsecy -v "$ver" -k "$1" 2>/dev/null | sed -n 's/^vsecy\/.*: //p'
}

by_postinst=()
by_hand=()
dkms_installed()
{
	local k=$1 state

	state=$(dkms_state "$k")
	[ "$installed" = 1 ] ||
		{ fail "packages not installed (dkms status: ${state:-nothing})"; return 1; }
	case $state in
	installed*) by_postinst+=("$k"); return 0 ;;
	esac
	echo "the postinst left $k '${state:-nothing}': dkms install vsecy/$ver -k $k"
	dkms install "vsecy/$ver" -k "$k" > "$log.dkms" 2>&1
	local rc=$?
	tail -n 40 "$log.dkms"
	rm -f "$log.dkms"
	[ $rc -eq 0 ] || return 1
	state=$(dkms_state "$k")
	case $state in
	installed*) by_hand+=("$k"); return 0 ;;
	esac
	fail "dkms status vsecy/$ver for $k: '${state:-nothing}', expected installed"
}

declare -A ko
module_file()
{
	local k=$1 path

	path=$(modinfo -k "$k" -n vsecy 2>&1) || { fail "modinfo -k $k -n vsecy: $path"; return 1; }
	case $path in
	/lib/modules/"$k"/updates/dkms/vsecy.ko*) ;;
	*) fail "modinfo -k $k -n vsecy: $path, expected /lib/modules/$k/updates/dkms/vsecy.ko*"
	   return 1 ;;
	esac
	[ -f "$path" ] || { fail "$path: no such file"; return 1; }
	ko[$k]=$path
	if [ -n "$keep" ]; then
		mkdir -p "$keep/$k" && cp "$path" "$keep/$k/" || return 1
		echo "copied to $keep/$k/$(basename "$path")"
	fi
}

module_vermagic()
{
	local k=$1 magic

	[ -n "${ko[$k]}" ] || { fail "no module file for $k"; return 1; }
	magic=$(modinfo -F vermagic "${ko[$k]}") || return 1
	expect_eq "vermagic of ${ko[$k]}" "$k" "${magic%% *}"
}

# The DKMS build must never have -Werror: the installed dkms.conf's make
# command neither passes it nor sets VSECY_WERROR (Kbuild adds -Werror
# only for VSECY_WERROR=1).
no_werror()
{
	local conf=/usr/src/vsecy-$ver/dkms.conf line

	[ -r "$conf" ] || { fail "no $conf"; return 1; }
	line=$(grep -E '^(MAKE\[0\]|MAKE)=' "$conf") || { fail "no MAKE in $conf"; return 1; }
	echo "$line"
	case $line in
	*Werror* | *VSECY_WERROR=1* | *" W="[1-9]*) fail "-Werror in the DKMS build"; return 1 ;;
	esac
	grep -q 'ifeq ($(VSECY_WERROR),1)' "/usr/src/vsecy-$ver/drivers/net/vsecy/Kbuild" ||
		fail "the installed Kbuild adds -Werror unconditionally?"
}

mkad_help()
{
	local out

	out=$(/usr/sbin/vsecy-mkad -h) || { fail "/usr/sbin/vsecy-mkad -h failed"; return 1; }
	case $out in
	"usage: vsecy-mkad "*) ;;
	*) fail "/usr/sbin/vsecy-mkad -h: no usage line: $out"; return 1 ;;
	esac
}

vsecy_version()
{
	local out

	out=$(/usr/sbin/vsecy -V) || { fail "/usr/sbin/vsecy -V failed"; return 1; }
	expect_eq "/usr/sbin/vsecy -V" "vsecy $ver" "$out"
}

purged()
{
	local out

	out=$(purge_packages 2>&1) || { printf '%s\n' "$out" | tail -n 20; return 1; }
	printf '%s\n' "$out" | grep -iE 'dkms|remov|purg' | tail -n 10
}

nothing_left()
{
	local left

	left=$(leftovers)
	[ -z "$left" ] || { fail "left after purge: ${left//$'\n'/ }"; return 1; }
}

not_found_by_modinfo()
{
	local k

	for k in "${kernels[@]}"; do
		modinfo -k "$k" -n vsecy > /dev/null 2>&1 &&
			{ fail "modinfo -k $k still finds vsecy: $(modinfo -k "$k" -n vsecy)"; return 1; }
	done
	return 0
}

ktap_print_header
ktap_set_plan $((10 + 3 * ${#kernels[@]}))
ktap_print_msg "vsecy $ver, packages in $debs, kernels: ${kernels[*]}"

case_run "dkms: no vsecy package or file on the host before" host_clean
case_run "dkms: vsecy-dkms and vsecy-tools $ver built (make deb)" debs_present
case_run "dkms: apt-get install of both packages" install_packages
for k in "${kernels[@]}"; do
	case_run "dkms: vsecy/$ver installed for $k" dkms_installed "$k"
	case_run "dkms: module for $k in /lib/modules/$k/updates/dkms" module_file "$k"
	case_run "dkms: module for $k has vermagic $k" module_vermagic "$k"
done
[ ${#by_postinst[@]} -gt 0 ] && ktap_print_msg "built by the postinst: ${by_postinst[*]}"
[ ${#by_hand[@]} -gt 0 ] && ktap_print_msg "built by dkms install here: ${by_hand[*]}"
for k in "${kernels[@]}"; do
	[ -n "${ko[$k]}" ] && ktap_print_msg "module $k ${ko[$k]}"
done
case_run "dkms: the DKMS build has no -Werror" no_werror
case_run "dkms: /usr/sbin/vsecy -V is vsecy $ver" vsecy_version
case_run "dkms: /usr/sbin/vsecy-mkad -h runs" mkad_help
case_run "dkms: vsecy-mkad@.service in /lib/systemd/system" \
	test -f /lib/systemd/system/vsecy-mkad@.service
case_run "dkms: apt-get purge of both packages" purged
case_run "dkms: nothing left after purge" nothing_left
case_run "dkms: modinfo finds no vsecy for any kernel after purge" not_found_by_modinfo
ktap_finished
