#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Groups of three (802.1X-2020 9.8) with a datapath: a pair secured, a
# third member joining late, every pair of members pinging; a member
# leaving and coming back. Against wpa_supplicant (GCM-AES-128: Debian
# 12's 2.10 is built without macsec_csindex, so it has no other suite)
# and among vsecy-mkad alone (GCM-AES-256, -XPN-128 and -XPN-256, with the
# SSCIs of three members for XPN). vsecy-mkad programs the vsecy SecY,
# wpa_supplicant the kernel's macsec.
#
#   ns 1: veth1 ---+                      +--- veth2 :ns 2
#   vs1 (vsecy-mkad,   ns sw: br0         |    macsec0 (wpa_supplicant)
#   key server)    +-- (group_fwd_mask 8) |    or vs2 (vsecy-mkad)
#                                         +--- veth3 :ns 3
#                                              vs3 (vsecy-mkad), late
#   192.0.2.1/24       192.0.2.2/24            192.0.2.3/24

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
trap mka_cleanup EXIT

dump()
{
	mkad_dump 1 2 3
	if [ -e "$MKA_DIR/wpa-2.pid" ]; then
		echo "ns 2 (wpa_supplicant): ip macsec show"
		macsec_show 2 | sed 's/^/  /'
	fi
}

stop_all()
{
	local i
	for i in 1 2 3; do mkad_stop "vs$i"; done
	wpa_reset 2
}

# member N PRIORITY CS: vsecy-mkad vsN in ns N on the vsecy SecY.
member() { mkad_member "$1" "$2" vsecy "macsec_ciphersuite=$3"; }

# The SSCIs of an XPN group: the numerically highest SCI has SSCI 1
# (keyserver.c), and each SecY transmits with its own.
check_ssci()
{
	local i rank sci ssci tx
	for i in 1 2 3; do
		sci=$(mkad_status "vs$i" .sci)
		rank=$(for j in 1 2 3; do mkad_status "vs$j" .sci; done | sort -r | grep -n "$sci" | cut -d: -f1)
		ssci=$(mkad_status "vs$i" .latest_sak.ssci)
		expect_eq "SSCI of vs$i (SCI $sci)" "$rank" "$ssci" || return 1
		# The encoding SA's: the previous SAK's TX SA stays active
		# until it is retired, 3 s after the switch.
		tx=$(n "$i" vsecy -j show "vs$i" |
			jq -r '.[0] as $s | $s.sa_list[] | select(.an == $s.encoding_sa) | .ssci')
		expect_eq "SSCI of vs$i's TX SA (vsecy show)" "$(printf '%#x' "$rank")" "$tx" || return 1
	done
	echo "SSCIs: $(for i in 1 2 3; do printf 'vs%s %s=%s ' "$i" "$(mkad_status "vs$i" .sci)" "$(mkad_status "vs$i" .latest_sak.ssci)"; done)"
}

# Test that a third member joining a secured pair late gets the key
# server's new SAK and that every pair of the three then pings: vs1 (key
# server) with wpa_supplicant (PEER=wpa) or vs2, vs3 last. With XPN, the
# SSCIs follow the SCIs.
test_group()
{
	local cs=$1 peer=$2 dev2=vs2 t0 ki
	stop_all
	member 1 16 "$cs" || return 1
	if [ "$peer" = wpa ]; then
		mka_conf "$MKA_DIR/wpa2.conf" 200
		wpa_start 2 veth2 "$MKA_DIR/wpa2.conf" || return 1
		wait_for 30 wpa_secured 2 veth2 "$MKA_DIR/wpa2.conf" || { dump; return 1; }
		dev2=macsec0
	else
		member 2 100 "$cs" || return 1
		mkad_wait 30 vs2 .secured || { dump; return 1; }
	fi
	mkad_wait 10 vs1 .secured || { dump; return 1; }
	addr 1 vs1 192.0.2.1 && addr 2 "$dev2" 192.0.2.2 || { dump; return 1; }
	pings 1:192.0.2.2 || { dump; return 1; }
	t0=$(now)
	member 3 150 "$cs" || return 1
	mkad_wait 30 vs3 .secured || { dump; return 1; }
	mkad_wait 15 vs1 "(.live_peers | length) == 2 and .latest_sak.tx" || { dump; return 1; }
	ki=$(mkad_status vs1 .latest_sak.ki)
	mkad_wait 10 vs3 ".latest_sak.ki == \"$ki\" and .latest_sak.tx" || { dump; return 1; }
	echo "vs3 secured $(elapsed "$t0") s after it started ($cs, with ${peer:-vs2})"
	addr 3 vs3 192.0.2.3 || { dump; return 1; }
	pings 1:192.0.2.2 1:192.0.2.3 2:192.0.2.3 3:192.0.2.1 || { dump; return 1; }
	if [ "$peer" = wpa ]; then
		[ "$(macsec_show 2 | grep -c RXSC)" = 2 ] ||
			{ dump; fail "wpa_supplicant does not receive from two SCs"; return 1; }
	else
		expect_eq "KI of vs2" "$ki" "$(mkad_status vs2 .latest_sak.ki)" || return 1
	fi
	if [ "${cs#gcm-aes-xpn}" != "$cs" ]; then
		check_ssci || { dump; return 1; }
	fi
	return 0
}

# Test that when the late member leaves the other two rekey without it and
# keep pinging, and that when it comes back all three ping again.
test_leave_rejoin()
{
	local kn t0
	kn=$(mkad_status vs1 .latest_sak.kn)
	mkad_stop vs3
	mkad_wait 12 vs1 "(.live_peers | length) == 1 and .latest_sak.kn > $kn and .latest_sak.tx" ||
		{ dump; return 1; }
	pings 1:192.0.2.2 || { dump; return 1; }
	t0=$(now)
	member 3 150 gcm-aes-128 || return 1
	mkad_wait 30 vs3 .secured || { dump; return 1; }
	echo "vs3 secured again $(elapsed "$t0") s after it came back"
	addr 3 vs3 192.0.2.3 || { dump; return 1; }
	pings 1:192.0.2.3 2:192.0.2.3 || { dump; return 1; }
}

ktap_print_header
if ! command -v vsecy > /dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool is not installed"
	ktap_finished
fi
ktap_set_plan 5
mka_modules_bridge 1 2 3 || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "gcm-aes-128: vs1, wpa_supplicant, vs3 joining late: every pair pings" \
	test_group gcm-aes-128 wpa
run_case "gcm-aes-128: the late member leaves and comes back" test_leave_rejoin
run_case "gcm-aes-256: three vsecy-mkad, one late: every pair pings" test_group gcm-aes-256
run_case "gcm-aes-xpn-128: three vsecy-mkad, one late: every pair pings, SSCIs" \
	test_group gcm-aes-xpn-128
run_case "gcm-aes-xpn-256: three vsecy-mkad, one late: every pair pings, SSCIs" \
	test_group gcm-aes-xpn-256
ktap_print_msg "$(basename "$0"): $SECONDS s"
ktap_finished
