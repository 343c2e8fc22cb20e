#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsecy-mkad programming the vsecy SecY (backend "vsecy", the default)
# end to end: against Debian's wpa_supplicant (-Dmacsec_linux, the kernel's
# macsec on its side) and against itself, with frames flowing, a rekey
# under traffic with the loss measured, the peer restarting or going
# silent, and `vsecy mka status` read against a running session.
#
#   ns 1: veth1 <======> veth2 :ns 2
#          |                |
#         vs1 (vsecy,      macsec0 (wpa_supplicant) or vs2 (vsecy-mkad,
#         vsecy-mkad)      vsecy)
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
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up
}

dump()
{
	echo "ns 1: vsecy show -s"
	n 1 vsecy show -s 2>&1 | sed 's/^/  /'
	echo "ns 2: ip macsec show / vsecy show"
	n 2 ip macsec show 2>&1 | sed 's/^/  /'
	n 2 vsecy show 2>&1 | sed 's/^/  /'
	echo "vsecy-mkad vs1 log (tail):"
	tail -n 25 "$MKA_DIR/vs1.log" | sed 's/^/  /'
}

# addr NS DEV ADDR: brings DEV up with ADDR once it exists.
addr()
{
	wait_for 10 n "$1" ip link show "$2" || return 1
	n "$1" ip link set "$2" up &&
	n "$1" ip addr replace "$3/24" dev "$2"
}

ping_ok() { n 1 ping -c 1 -W 1 192.0.2.2 > /dev/null 2>&1; }

# lossy_ping SECONDS: pings 192.0.2.2 every 2 ms and prints "sent received".
lossy_ping()
{
	local cnt=$(($1 * 500))
	n 1 ping -q -i 0.002 -W 1 -c "$cnt" 192.0.2.2 2>/dev/null |
		awk '/packets transmitted/ { print $1, $4 }'
}

# rx_scs NS DEV: the SCIs of DEV's RX SCs, as `vsecy show -j` lists them.
rx_scs() { n "$1" vsecy -j show "$2" | jq -r '.[0].rx_sc[]?.sci | ltrimstr("0x")' | xargs; }

stop_peer()
{
	mkad_stop vs2
	wpa_stop 2
	n 2 ip link del macsec0 2>/dev/null
	return 0
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
	( sleep 2; vsecy-mkad -n vs1 -C "$MKA_DIR/ctl" -q REKEY > /dev/null ) &
	out=$(lossy_ping 8)
	wait
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

# rx_drops NS DEV: frames DEV's RX SCs refused (late, invalid, not valid,
# no SA in use, SA not in use), from `vsecy -s -j show`.
rx_drops()
{
	n "$1" vsecy -s -j show "$2" | jq '[.[0].rx_sc[]? | .InPktsLate + .InPktsInvalid +
		.InPktsNotValid + .InPktsNotUsingSA + .InPktsUnusedSA] | add // 0'
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
# (iperf3 -R) survives a rekey with no frame refused by vs1's RX SCs;
# reports the TCP retransmits, next to a run without a rekey (the VM's own
# baseline: TCG drops under load without any rekey).
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
		"frames refused by vs1 across the rekey: $((d1 - d0))"
	expect_eq "KN after the rekey" $((kn0 + 1)) "$(mkad_status vs1 .latest_sak.kn)" || return 1
	[ "${bytes:-0}" -gt 100000 ] 2>/dev/null || fail "iperf3 received '$bytes' bytes" || return 1
	expect_eq "frames refused by vs1's RX SCs across the rekey" 0 $((d1 - d0))
}

# Test that traffic resumes after wpa_supplicant restarts.
test_wpa_restart()
{
	local t0
	wpa_stop 2
	n 2 ip link del macsec0 2>/dev/null
	t0=$(now)
	wpa_start 2 veth2 "$C2" || return 1
	wait_for 30 wpa_secured 2 veth2 "$C2" || { dump; return 1; }
	addr 2 macsec0 192.0.2.2 || { dump; return 1; }
	wait_for 30 ping_ok || { dump; fail "no ping after the restart"; return 1; }
	echo "traffic resumed $(elapsed "$t0") s after wpa_supplicant restarted"
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

# test_pair CS [EXTRA]: vsecy-mkad on vsecy at both ends with cipher suite
# CS; a ping; `vsecy show` names the suite.
test_pair()
{
	local cs=$1 t0
	shift
	stop_peer
	mkad_stop vs1
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
	stop_peer
	mkad_stop vs1
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

ktap_print_header
if ! command -v vsecy > /dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool is not installed"
	ktap_finished
fi
ktap_set_plan 15
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "vsecy-mkad (vsecy) and wpa_supplicant: ping and iperf3" test_wpa
run_case "vsecy mka status against the running session" test_mka_status
run_case "rekey under pings every 2 ms loses no frame" test_rekey_ping
run_case "iperf3 across a rekey" test_rekey_iperf
run_case "wpa_supplicant restarts: traffic resumes" test_wpa_restart
run_case "silent peer: its RX SC gone within the life time" test_peer_silent
run_case "SIGTERM deletes the vsecy device" test_sigterm
run_case "vsecy-mkad pair on vsecy, gcm-aes-128" test_pair gcm-aes-128
run_case "vsecy-mkad pair on vsecy, gcm-aes-256" test_pair gcm-aes-256
run_case "vsecy-mkad pair on vsecy, gcm-aes-xpn-128" test_pair gcm-aes-xpn-128
run_case "vsecy-mkad pair on vsecy, gcm-aes-xpn-256" test_pair gcm-aes-xpn-256
run_case "rekey under pings every 2 ms, vsecy at both ends (XPN)" test_rekey_ping \
	"vsecy-mkad pair on vsecy, gcm-aes-xpn-256"
run_case "vsecy-mkad pair on vsecy, offset 0" test_pair gcm-aes-128 macsec_conf_offset=0
run_case "vsecy-mkad pair on vsecy, integrity only" test_integ_only
run_case "offset 30 on vsecy: works or refused clearly" test_offset30
ktap_finished
