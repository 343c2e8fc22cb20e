#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsecy-mkad at both ends, each programming a vsecy SecY: every cipher
# suite (XPN included), a rekey under traffic with the loss counted,
# confidentiality offset 0, integrity only, and offset 30, which the vsecy
# SecY either supports or refuses at start with a clear message.
# mka_vsecy.sh runs vsecy-mkad on vsecy against wpa_supplicant.
#
#   ns 1: veth1 <======> veth2 :ns 2
#          |                |
#         vs1 (vsecy,      vs2 (vsecy,
#         vsecy-mkad,      vsecy-mkad)
#         key server)
#   192.0.2.1/24          192.0.2.2/24
#
# Lines "# time to secured: X s" and "# ... lost N" are the measurements.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
trap mka_cleanup EXIT
MKAD_BACKEND=vsecy

C1=$MKA_DIR/n1.conf
C2=$MKA_DIR/n2.conf

setup()
{
	vsecy_load || { echo "# no vsecy module"; return 1; }
	mka_pair_setup
}

dump()
{
	local i
	for i in 1 2; do
		echo "ns $i: vsecy show -s"
		n "$i" vsecy show -s 2>&1 | sed 's/^/  /'
		echo "vsecy-mkad vs$i log (tail):"
		tail -n 15 "$MKA_DIR/vs$i.log" | sed 's/^/  /'
	done
}

# stop_both: ends both daemons (their links go with them).
stop_both()
{
	mkad_stop vs2
	mkad_stop vs1
}

# test_pair CS [EXTRA]: vsecy-mkad on vsecy at both ends with cipher suite
# CS; a ping; `vsecy show` names the suite.
test_pair()
{
	local cs=$1 t0
	shift
	stop_both
	mka_conf "$C1" 16 "macsec_ciphersuite=$cs" "$@"
	mka_conf "$C2" 100 "macsec_ciphersuite=$cs" "$@"
	t0=$(now)
	mkad_start 1 veth1 vs1 "$C1" && mkad_start 2 veth2 vs2 "$C2" || return 1
	wait_for 15 mkad_secured vs1 && wait_for 10 mkad_secured vs2 || { dump; return 1; }
	echo "time to secured: $(elapsed "$t0") s (vsecy-mkad <-> vsecy-mkad, $cs $*)"
	addr 1 vs1 192.0.2.1 && addr 2 vs2 192.0.2.2 || { dump; return 1; }
	wait_for 20 ping_ok || { dump; fail "no ping over vsecy with $cs"; return 1; }
	n 1 vsecy show vs1 | grep -qi "cipher suite: $cs" ||
		fail "vs1 cipher suite: $(n 1 vsecy show vs1 | grep -i 'cipher')"
}

# Test that with macsec_integ_only=1 both vsecy SecYs protect without
# encrypting, and frames flow.
test_integ_only()
{
	test_pair gcm-aes-128 macsec_integ_only=1 || return 1
	expect_eq "vs1 encrypt (vsecy show -j)" false \
		"$(n 1 vsecy -j show vs1 | jq -r '.[0].encrypt')"
}

# Test confidentiality offset 30 on the vsecy SecY: either the link works,
# or (a kernel without offsets 30/50) vsecy-mkad refuses to start with a
# message naming the offset and leaves no device behind.
test_offset30()
{
	stop_both
	mka_conf "$C1" 16 macsec_conf_offset=30
	if n 1 vsecy-mkad -i veth1 -c "$C1" -n vs1 -b vsecy -C "$MKA_DIR/ctl" \
		-f "$MKA_DIR/vs1.log" -P "$MKA_DIR/vs1.pid" -B 2>/dev/null; then
		echo "the vsecy SecY takes offset 30"
		test_pair gcm-aes-128 macsec_conf_offset=30
		return
	fi
	grep -q "does not support confidentiality offset 30" "$MKA_DIR/vs1.log" ||
		fail "no clear message: $(tail -n 3 "$MKA_DIR/vs1.log")" || return 1
	echo "the vsecy SecY refuses offset 30 (EOPNOTSUPP); vsecy-mkad says so and exits"
	expect_eq "vsecy devices left in ns 1" "" "$(vsecy_links 1 | xargs)"
}

# Test that a rekey under pings every 2 ms loses no frame with vsecy at
# both ends, and that both then transmit on the new AN.
test_rekey_ping()
{
	local out sent recv kn0 an
	kn0=$(mkad_status vs1 .latest_sak.kn)
	out=$(rekey_ping 8)
	read -r sent recv <<< "$out"
	echo "rekey during 8 s of pings every 2 ms ($(mkad_status vs1 .cipher_suite), vsecy at" \
		"both ends): sent $sent, received $recv, lost $((sent - recv))"
	expect_eq "KN after the rekey" $((kn0 + 1)) "$(mkad_status vs1 .latest_sak.kn)" || return 1
	an=$(mkad_status vs1 .latest_sak.an)
	n 1 vsecy show vs1 | grep -q "TXSC: .* on SA $an" || { dump; fail "vs1 does not transmit on AN $an"; return 1; }
	n 2 vsecy show vs2 | grep -q "TXSC: .* on SA $an" || { dump; fail "vs2 does not transmit on AN $an"; return 1; }
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "ping did not run: '$out'" || return 1
	expect_eq "pings lost across the rekey" 0 $((sent - recv))
}

ktap_print_header
if ! command -v vsecy > /dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool is not installed"
	ktap_finished
fi
ktap_set_plan 8
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "vsecy-mkad pair on vsecy, gcm-aes-128" test_pair gcm-aes-128
run_case "vsecy-mkad pair on vsecy, gcm-aes-256" test_pair gcm-aes-256
run_case "vsecy-mkad pair on vsecy, gcm-aes-xpn-128" test_pair gcm-aes-xpn-128
run_case "vsecy-mkad pair on vsecy, gcm-aes-xpn-256" test_pair gcm-aes-xpn-256
run_case "rekey under pings every 2 ms, vsecy at both ends (XPN-256)" test_rekey_ping
run_case "vsecy-mkad pair on vsecy, offset 0" test_pair gcm-aes-128 macsec_conf_offset=0
run_case "vsecy-mkad pair on vsecy, integrity only" test_integ_only
run_case "offset 30 on vsecy: works or refused clearly" test_offset30
ktap_finished
