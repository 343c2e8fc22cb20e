#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MKA interoperability: vsecy-mkad against Debian's wpa_supplicant 2.10
# (-Dmacsec_linux, the kernel's macsec on its side). vsecy-mkad runs with
# its log backend, so this proves the protocol whether or not the vsecy
# SecY is there: both ends must agree on the key server and the SAK's key
# identifier, and wpa_supplicant must install and use the SAK.
#
#   ns 1: veth1 ---+                 +--- veth2 :ns 2
#   vsecy-mkad     |   ns sw: br0    |    wpa_supplicant, macsec0
#                  +-- (group_fwd_   +--- veth3 :ns 3
#                       mask 8)           wpa_supplicant with another CAK

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
trap mka_cleanup EXIT

setup()
{
	local i
	modprobe macsec || { echo "# no macsec module"; return 1; }
	ns_create sw 1 2 3 || return 1
	n sw ip link add br0 type bridge || return 1
	# 802.1X frames (01:80:C2:00:00:03) are not forwarded by default
	n sw ip link set br0 type bridge group_fwd_mask 8 || return 1
	n sw ip link set br0 up
	for i in 1 2 3; do
		ip link add "veth$i" netns "$(ns "$i")" type veth peer name "p$i" netns "$(ns sw)" &&
		n sw ip link set "p$i" master br0 && n sw ip link set "p$i" up &&
		n "$i" ip link set "veth$i" up || return 1
	done
}

C1=$MKA_DIR/mkad.conf
C2=$MKA_DIR/wpa2.conf
C3=$MKA_DIR/wpa3.conf

# Shows both ends' view when a check fails.
dump()
{
	echo "vsecy-mkad status: $(mkad_status vs1 -c 2>&1)"
	echo "wpa_supplicant (ns 2) status:"
	n 2 wpa_cli -p "$MKA_DIR/wpa-ctrl-wpa2.conf" -i veth2 status 2>&1 | sed 's/^/  /'
	echo "ip macsec show (ns 2):"
	macsec_show 2 | sed 's/^/  /'
	echo "vsecy-mkad log (tail):"
	tail -n 40 "$MKA_DIR/vs1.log" | sed 's/^/  /'
}

# wpa_supplicant 2.10 gives the kernel the KI as the MI followed by the KN
# in host byte order (little-endian here); vsecy-mkad reports the KI as it
# travels in MKPDUs (KN big-endian). Converts the former to the latter.
wpa_ki()
{
	local k=$1
	[ ${#k} -eq 32 ] || { echo "$k"; return; }
	echo "${k:0:24}${k:30:2}${k:28:2}${k:26:2}${k:24:2}"
}

# Checks that both ends are secured with the same SAK: wpa_supplicant's TX
# SA carries the key identifier vsecy-mkad reports and logged installing.
check_same_sak()
{
	local ki wki
	ki=$(mkad_status vs1 .latest_sak.ki)
	wki=$(wpa_ki "$(macsec_tx_ki 2)")
	expect_eq "KI of wpa_supplicant's TX SA (ip macsec show) vs vsecy-mkad latest_sak.ki" \
		"$ki" "$wki" || return 1
	grep -q "add rx sa sci $(macsec_tx_sci 2) an [0-3] pn 1 keyid $ki" "$MKA_DIR/vs1.log" ||
		fail "vsecy-mkad log has no RX SA for $(macsec_tx_sci 2) with KI $ki"
}

# Test that with the better priority vsecy-mkad is key server and
# wpa_supplicant installs and transmits with the SAK it distributes.
test_mkad_key_server()
{
	local t0 t
	mka_conf "$C1" 16
	mka_conf "$C2" 200
	t0=$(now)
	wpa_start 2 veth2 "$C2" || return 1
	mkad_start 1 veth1 vs1 "$C1" || return 1
	wait_for 30 wpa_secured 2 veth2 "$C2" || { dump; return 1; }
	t=$(elapsed "$t0")
	wait_for 10 mkad_secured vs1 || { dump; return 1; }
	echo "wpa_supplicant Secured=Yes ${t} s after both started;" \
		"vsecy-mkad secured_after $(mkad_status vs1 .secured_after) s"
	expect_eq "vsecy-mkad key_server.self" true "$(mkad_status vs1 .key_server.self)" || return 1
	# (wpa_supplicant 2.10 never sets its "Is Key Server" status line)
	expect_eq "wpa_cli status: Key Server Priority (vsecy-mkad's)" 16 \
		"$(wpa_get 2 veth2 "$C2" 'Key Server Priority')" || return 1
	[ "$(wpa_get 2 veth2 "$C2" 'Number of Keys Received')" -ge 1 ] ||
		fail "wpa_supplicant received no key" || return 1
	expect_eq "wpa_supplicant's key server SCI as vsecy-mkad sees it" \
		"$(mkad_status vs1 .sci)" "$(mkad_status vs1 .key_server.sci)" || return 1
	wait_for 10 bash -c "[ -n \"\$(ip netns exec $(ns 2) ip macsec show | grep -A1 TXSC | grep 'state on')\" ]" ||
		{ dump; fail "wpa_supplicant's TX SA is not in use"; return 1; }
	check_same_sak || { dump; return 1; }
	expect_eq "vsecy-mkad live peers" "$(macsec_tx_sci 2)" \
		"$(mkad_status vs1 '[.live_peers[].sci] | join(" ")')"
}

# Test that a rekey by vsecy-mkad (key server) moves wpa_supplicant to the
# new SAK on the next AN, and that the old SA is retired on both sides.
test_rekey()
{
	local ki0 kn0
	ki0=$(mkad_status vs1 .latest_sak.ki)
	kn0=$(mkad_status vs1 .latest_sak.kn)
	expect_eq "vsecy-mkad -q REKEY" OK "$(vsecy-mkad -n vs1 -C "$MKA_DIR/ctl" -q REKEY)" || return 1
	wait_for 15 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq -r '.latest_sak.kn, .latest_sak.tx' | xargs)\" = '$((kn0 + 1)) true' ]" ||
		{ dump; return 1; }
	expect_eq "AN of the new SAK" 1 "$(mkad_status vs1 .latest_sak.an)" || return 1
	wait_for 10 bash -c "ip netns exec $(ns 2) ip macsec show | grep -q 'TXSC: .* on SA 1'" ||
		{ dump; fail "wpa_supplicant does not transmit on AN 1"; return 1; }
	check_same_sak || { dump; return 1; }
	[ "$(mkad_status vs1 .latest_sak.ki)" != "$ki0" ] || fail "KI unchanged" || return 1
	wait_for 12 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq -r .old_sak)\" = null ]" ||
		{ dump; fail "old SAK not retired by vsecy-mkad"; return 1; }
	grep -q "del rx sa sci $(macsec_tx_sci 2) an 0" "$MKA_DIR/vs1.log" ||
		fail "old RX SA (AN 0) not deleted"
}

# Test that a peer with another CAK (same CKN) is never trusted, is counted
# as bad ICV, and does not disturb the secured session.
test_other_cak()
{
	local ki0 bad0
	ki0=$(mkad_status vs1 .latest_sak.ki)
	bad0=$(mkad_status vs1 .counters.rx_bad_icv)
	MKA_CAK_OVERRIDE=ffeeddccbbaa99887766554433221100 mka_conf "$C3" 1
	wpa_start 3 veth3 "$C3" || return 1
	wait_for 20 bash -c "[ \$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq .counters.rx_bad_icv) -ge $((bad0 + 3)) ]" ||
		{ dump; return 1; }
	expect_eq "live peers of vsecy-mkad" 1 "$(mkad_status vs1 '.live_peers | length')" || return 1
	expect_eq "potential peers of vsecy-mkad" 0 "$(mkad_status vs1 '.potential_peers | length')" || return 1
	expect_eq "SAK still in use" "$ki0" "$(mkad_status vs1 .latest_sak.ki)" || return 1
	mkad_secured vs1 || fail "vsecy-mkad no longer secured" || return 1
	wpa_secured 2 veth2 "$C2" || fail "wpa_supplicant (ns 2) no longer secured" || return 1
	[ "$(wpa_get 3 veth3 "$C3" Secured)" != Yes ] ||
		fail "wpa_supplicant with another CAK is secured" || return 1
	grep -q "dropped: bad ICV" "$MKA_DIR/vs1.log" || fail "no log line for the bad ICV" || return 1
	! grep -qi "$MKA_CAK" "$MKA_DIR/vs1.log" || fail "the CAK appears in the log"
}

# Test that an MKPDU with an unknown CKN is dropped and counted.
test_unknown_ckn()
{
	local u0
	wpa_stop 3
	u0=$(mkad_status vs1 .counters.rx_unknown_ckn)
	MKA_CKN_OVERRIDE=0badc0de mka_conf "$C3" 1
	wpa_start 3 veth3 "$C3" || return 1
	wait_for 20 bash -c "[ \$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq .counters.rx_unknown_ckn) -ge $((u0 + 2)) ]" ||
		{ dump; return 1; }
	grep -q "dropped: unknown CKN" "$MKA_DIR/vs1.log" || fail "no log line for the unknown CKN" || return 1
	mkad_secured vs1 || fail "vsecy-mkad no longer secured"
	wpa_stop 3
}

# with_vs3 FN: runs FN, then stops the second vsecy-mkad (vs3) whether FN
# passed or not, so that a failure does not disturb the cases after it.
with_vs3()
{
	local rc
	"$@"
	rc=$?
	mkad_stop vs3
	return $rc
}

# Test three participants on the bridge: a second vsecy-mkad joins
# wpa_supplicant and vsecy-mkad; the key server distributes a new SAK to
# both and wpa_supplicant receives from two SCs. When it leaves again, it
# is dropped and the remaining two rekey.
three()
{
	local kn ki
	kn=$(mkad_status vs1 .latest_sak.kn)
	MKA_CKN_OVERRIDE= MKA_CAK_OVERRIDE= mka_conf "$MKA_DIR/n3.conf" 200
	mkad_start 3 veth3 vs3 "$MKA_DIR/n3.conf" || return 1
	wait_for 20 mkad_secured vs3 || { dump; mkad_status vs3 -c; return 1; }
	wait_for 15 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq -r '(.live_peers | length), .latest_sak.tx' | xargs)\" = '2 true' ]" ||
		{ dump; return 1; }
	ki=$(mkad_status vs1 .latest_sak.ki)
	expect_eq "KN after the third joined" $((kn + 1)) "$(mkad_status vs1 .latest_sak.kn)" ||
		{ dump; echo "second vsecy-mkad log:"; sed 's/^/  /' "$MKA_DIR/vs3.log"; return 1; }
	expect_eq "KI on the second vsecy-mkad" "$ki" "$(mkad_status vs3 .latest_sak.ki)" || return 1
	wait_for 10 bash -c "[ \$(ip netns exec $(ns 2) ip macsec show | grep -c RXSC) = 2 ]" ||
		{ dump; fail "wpa_supplicant does not receive from two SCs"; return 1; }
	check_same_sak || { dump; return 1; }
	mkad_stop vs3
	wait_for 12 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq -r '(.live_peers | length), .latest_sak.kn, .latest_sak.tx' | xargs)\" = '1 $((kn + 2)) true' ]" ||
		{ dump; return 1; }
	wait_for 10 bash -c "ip netns exec $(ns 2) ip macsec show | grep -q 'TXSC: .* on SA $(mkad_status vs1 .latest_sak.an)'" ||
		{ dump; fail "wpa_supplicant did not follow the rekey after the leave"; return 1; }
	check_same_sak || { dump; return 1; }
}

# Test that a peer that goes silent is dropped within the MKA life time
# (6 s after its last MKPDU, which is at most one hello time before it
# stops), with its RX SC, and that the secure session then ends.
test_peer_silent()
{
	local t0 t sci
	sci=$(macsec_tx_sci 2)
	t0=$(now)
	wpa_stop 2 KILL
	wait_for 12 bash -c "[ \$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq '.live_peers | length') = 0 ]" ||
		{ dump; return 1; }
	t=$(elapsed "$t0")
	echo "peer dropped ${t} s after wpa_supplicant was killed"
	# 6 s after its last MKPDU, sent before the kill; the slack is for the
	# polling and a slow VM (the unit tests check the timing exactly)
	[ "${t%.*}" -lt 8 ] || fail "peer dropped after ${t} s, expected within the 6 s life time" || return 1
	grep -q "del rx sc sci $sci" "$MKA_DIR/vs1.log" || fail "RX SC of $sci not deleted" || return 1
	expect_eq "secured after the last peer left" false "$(mkad_status vs1 .secured)" || return 1
	n 2 ip link del macsec0 2>/dev/null
	return 0
}

# Test that when the peer comes back (new MI, same SCI) MKA secures again
# with a new SAK.
test_peer_restart()
{
	local t0 ki0
	ki0=$(grep -o 'keyid [0-9a-f]*' "$MKA_DIR/vs1.log" | tail -n 1)
	t0=$(now)
	wpa_start 2 veth2 "$C2" || return 1
	wait_for 30 wpa_secured 2 veth2 "$C2" || { dump; return 1; }
	wait_for 10 mkad_secured vs1 || { dump; return 1; }
	echo "secured again $(elapsed "$t0") s after wpa_supplicant restarted"
	[ "keyid $(mkad_status vs1 .latest_sak.ki)" != "$ki0" ] ||
		fail "the SAK was not renewed" || return 1
	check_same_sak || { dump; return 1; }
}

# Test that with the better priority wpa_supplicant is key server and
# vsecy-mkad installs its SAK (receive, then transmit on its ltx).
test_mkad_not_key_server()
{
	local ki
	mkad_stop vs1
	wpa_reset 2
	: > "$MKA_DIR/vs1.log"
	mka_conf "$C1" 250
	mka_conf "$C2" 16
	wpa_start 2 veth2 "$C2" || return 1
	mkad_start 1 veth1 vs1 "$C1" || return 1
	wait_for 30 wpa_secured 2 veth2 "$C2" || { dump; return 1; }
	wait_for 10 mkad_secured vs1 || { dump; return 1; }
	expect_eq "vsecy-mkad key_server.self" false "$(mkad_status vs1 .key_server.self)" || return 1
	expect_eq "wpa_cli status: Key Server Priority (its own)" 16 \
		"$(wpa_get 2 veth2 "$C2" 'Key Server Priority')" || return 1
	[ "$(wpa_get 2 veth2 "$C2" 'Number of Keys Distributed')" -ge 1 ] ||
		fail "wpa_supplicant distributed no key" || return 1
	expect_eq "key server SCI (vsecy-mkad) vs wpa_supplicant's TX SCI" \
		"$(macsec_tx_sci 2)" "$(mkad_status vs1 .key_server.sci)" || return 1
	[ "$(mkad_status vs1 .counters.saks_received)" -ge 1 ] ||
		fail "vsecy-mkad received no SAK" || return 1
	ki=$(mkad_status vs1 .latest_sak.ki)
	expect_eq "KI's MI is the key server's, not vsecy-mkad's" false \
		"$([ "${ki:0:24}" = "$(mkad_status vs1 .mi)" ] && echo true || echo false)" || return 1
	expect_eq "vsecy-mkad transmits with the latest SAK" true "$(mkad_status vs1 .latest_sak.tx)" || return 1
	check_same_sak || { dump; return 1; }
}

# Test that a second vsecy-mkad joining wpa_supplicant's CA (key server)
# gets wpa_supplicant's new SAK, as the first one does.
#
# wpa_supplicant 2.10 generates no SAK within the MKA life time (6 s) of
# its previous one, and a new live peer's request for one made in that
# time is dropped, not deferred (ieee802_1x_kay_generate_new_sak() fails
# and the participant timer clears new_sak): a peer joining less than
# 6 s after the last distribution then never gets a SAK. The standard
# (802.1X-2020 9.8.1) defers the new SAK instead. So the second daemon is
# started once that time has passed since the previous test's SAK.
three_wpa_ks()
{
	local ki
	sleep 6
	mka_conf "$MKA_DIR/n3.conf" 250
	: > "$MKA_DIR/vs3.log"
	mkad_start 3 veth3 vs3 "$MKA_DIR/n3.conf" || return 1
	wait_for 25 bash -c "[ \"\$(vsecy-mkad -n vs3 -C $MKA_DIR/ctl -q STATUS | jq -r '.secured, (.live_peers | length), .latest_sak.tx' | xargs)\" = 'true 2 true' ]" ||
		{ dump; mkad_status vs3 -c; return 1; }
	wait_for 15 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq -r .latest_sak.ki)\" = \"\$(vsecy-mkad -n vs3 -C $MKA_DIR/ctl -q STATUS | jq -r .latest_sak.ki)\" ]" ||
		{ dump; mkad_status vs3 -c; return 1; }
	ki=$(mkad_status vs3 .latest_sak.ki)
	expect_eq "key server as both vsecy-mkad see it" "$(mkad_status vs1 .key_server.sci)" \
		"$(mkad_status vs3 .key_server.sci)" || return 1
	wait_for 10 bash -c "[ \$(ip netns exec $(ns 2) ip macsec show | grep -c RXSC) = 2 ]" ||
		{ dump; fail "wpa_supplicant does not receive from two SCs"; return 1; }
	check_same_sak || { dump; return 1; }
}

# wpa_keys_distributed N: wpa_supplicant in ns 2 distributed N SAKs or more.
wpa_keys_distributed()
{
	[ "$(wpa_get 2 veth2 "$C2" 'Number of Keys Distributed')" -ge "$1" ]
}

# Test that a second vsecy-mkad joining just after wpa_supplicant (key
# server) distributed a SAK still gets one: wpa_supplicant drops its
# request (see three_wpa_ks), so vsecy-mkad, without a SAK from the key
# server MKA_REJOIN_TIME (12 s) after electing it, rejoins with a new MI,
# which wpa_supplicant takes as a new live peer once the old MI expired.
#
# wpa_supplicant and the first vsecy-mkad start afresh, so that the SAK
# they agree on is the only one wpa_supplicant has distributed and its
# time is known: when the previous case's vs3 left, wpa_supplicant
# rekeyed at a time this script does not see, and a vs1 restarted in
# the 6 s after that would itself be refused a SAK.
three_wpa_ks_holdoff()
{
	local t0
	mkad_stop vs1
	wpa_reset 2
	: > "$MKA_DIR/vs1.log"
	wpa_start 2 veth2 "$C2" || return 1
	mkad_start 1 veth1 vs1 "$C1" || return 1
	# vs3 starts as soon as wpa_supplicant has distributed its first SAK,
	# so that it becomes live within the 6 s after it.
	wait_for 30 wpa_keys_distributed 1 || { dump; return 1; }
	t0=$(now)
	: > "$MKA_DIR/vs3.log"
	mkad_start 3 veth3 vs3 "$MKA_DIR/n3.conf" || return 1
	wait_for 10 mkad_secured vs1 || { dump; return 1; }
	wait_for 60 bash -c "[ \"\$(vsecy-mkad -n vs3 -C $MKA_DIR/ctl -q STATUS | jq -r '.secured, .latest_sak.tx' | xargs)\" = 'true true' ]" ||
		{ dump; mkad_status vs3 -c; sed 's/^/  /' "$MKA_DIR/vs3.log"; return 1; }
	echo "second vsecy-mkad secured $(elapsed "$t0") s after it started," \
		"rejoins: $(mkad_status vs3 .counters.rejoins)"
	wait_for 15 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq -r .latest_sak.ki)\" = \"\$(vsecy-mkad -n vs3 -C $MKA_DIR/ctl -q STATUS | jq -r .latest_sak.ki)\" ]" ||
		{ dump; fail "the two vsecy-mkad hold different SAKs"; return 1; }
	check_same_sak || { dump; return 1; }
}

# Test integrity-only protection: both ends with macsec_integ_only=1,
# vsecy-mkad key server: the SAK is distributed without confidentiality.
test_integrity_only()
{
	mkad_stop vs1
	wpa_reset 2
	: > "$MKA_DIR/vs1.log"
	mka_conf "$C1" 16 macsec_integ_only=1
	mka_conf "$C2" 200 macsec_integ_only=1
	wpa_start 2 veth2 "$C2" || return 1
	mkad_start 1 veth1 vs1 "$C1" || return 1
	wait_for 30 wpa_secured 2 veth2 "$C2" || { dump; return 1; }
	wait_for 10 mkad_secured vs1 || { dump; return 1; }
	expect_eq "vsecy-mkad confidentiality" false "$(mkad_status vs1 .confidentiality)" || return 1
	grep -q "set cipher suite 0080c20001000001 encrypt off" "$MKA_DIR/vs1.log" ||
		fail "vsecy-mkad did not program integrity only" || return 1
	macsec_show 2 | grep -q "encrypt off" ||
		fail "wpa_supplicant's macsec0 encrypts: $(macsec_show 2 | head -n 1)" || return 1
	check_same_sak || { dump; return 1; }
}

# Test that SIGTERM makes vsecy-mkad remove what it installed and exit.
test_sigterm()
{
	local pid
	pid=$(cat "$MKA_DIR/vs1.pid")
	kill -TERM "$pid"
	wait_for 5 bash -c "! kill -0 $pid 2>/dev/null" || return 1
	grep -q "del tx sa an" "$MKA_DIR/vs1.log" || fail "TX SA not deleted on SIGTERM" || return 1
	grep -q "would delete vs1" "$MKA_DIR/vs1.log" || fail "device not deleted on SIGTERM" || return 1
	[ ! -e "$MKA_DIR/ctl/vs1.sock" ] || fail "control socket left behind"
}

ktap_print_header
ktap_set_plan 13
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "vsecy-mkad key server, wpa_supplicant uses its SAK" test_mkad_key_server
run_case "rekey by vsecy-mkad: wpa_supplicant moves to AN 1, old SA retired" test_rekey
run_case "peer with another CAK never trusted, session undisturbed" test_other_cak
run_case "MKPDU with an unknown CKN dropped and counted" test_unknown_ckn
run_case "three participants (wpa_supplicant, two vsecy-mkad): join and leave" with_vs3 three
run_case "silent peer dropped within the life time with its RX SC" test_peer_silent
run_case "peer restarts: secured again with a new SAK" test_peer_restart
run_case "wpa_supplicant key server, vsecy-mkad uses its SAK" test_mkad_not_key_server
run_case "second vsecy-mkad joins wpa_supplicant's CA" with_vs3 three_wpa_ks
run_case "second vsecy-mkad joining within wpa_supplicant's 6 s hold-off: secured (rejoining if refused)" \
	with_vs3 three_wpa_ks_holdoff
run_case "integrity only (macsec_integ_only=1)" test_integrity_only
run_case "SIGTERM removes SAs, device and control socket" test_sigterm
run_case "no macsec device or daemon left in ns 1" bash -c "! ip netns exec $(ns 1) ip -o link show type macsec | grep -q ."
ktap_finished
