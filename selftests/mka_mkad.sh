#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MKA between vsecy-mkad instances (log backend: the protocol, not the
# datapath): every cipher suite, XPN's SSCIs, confidentiality offset 30,
# three participants on a bridge, a participant leaving, periodic rekey and
# SIGHUP; malformed MKPDUs sent from ns 3 (vsecy-inject). Then on the
# vsecy SecY (backend vsecy): the rekey at the TX PN threshold, driven by
# the module's pn-threshold event on the key server and on the other
# participant; and on the kernel's macsec (backend macsec, no events), the
# same rekey by reading the TX PN every hello time.
#
#   ns 1: veth1 ---+                  +--- veth2 :ns 2
#   vsecy-mkad     |   ns sw: br0     |    vsecy-mkad
#                  +-- (group_fwd_    +--- veth3 :ns 3
#                       mask 8)            vsecy-mkad

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
trap mka_cleanup EXIT

setup()
{
	local i
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

stop_all() { local i; for i in 1 2 3; do mkad_stop "vs$i"; done; }

# start_pair EXTRA...: node 1 (priority 16, key server) and node 2 (100),
# both with the extra configuration lines.
start_pair()
{
	local i
	stop_all
	for i in 1 2; do
		mka_conf "$MKA_DIR/n$i.conf" $((i == 1 ? 16 : 100)) "$@"
		: > "$MKA_DIR/vs$i.log"
		mkad_start "$i" "veth$i" "vs$i" "$MKA_DIR/n$i.conf" || return 1
	done
	wait_for 15 mkad_secured vs1 && wait_for 5 mkad_secured vs2 ||
		{ mkad_status vs1 -c; mkad_status vs2 -c; return 1; }
}

# Both ends agree on the SAK (KI), the key server, and programmed it.
check_pair()
{
	local ki cs=$1 keylen=$2
	ki=$(mkad_status vs1 .latest_sak.ki)
	expect_eq "KI on node 2" "$ki" "$(mkad_status vs2 .latest_sak.ki)" || return 1
	expect_eq "key server on node 2" "$(mkad_status vs1 .sci)" \
		"$(mkad_status vs2 .key_server.sci)" || return 1
	expect_eq "cipher suite on node 2" "$cs" "$(mkad_status vs2 .cipher_suite)" || return 1
	for i in 1 2; do
		grep -q "add tx sa an 0 pn 1 keyid $ki keylen $keylen" "$MKA_DIR/vs$i.log" ||
			fail "node $i: no TX SA with KI $ki and a $keylen-octet key" || return 1
		grep -q "encoding sa an 0" "$MKA_DIR/vs$i.log" ||
			fail "node $i does not transmit with the SAK" || return 1
	done
}

cs_id() {
	case $1 in
	gcm-aes-128) echo 0080c20001000001 ;; gcm-aes-256) echo 0080c20001000002 ;;
	gcm-aes-xpn-128) echo 0080c20001000003 ;; gcm-aes-xpn-256) echo 0080c20001000004 ;;
	esac
}

# Test that each cipher suite is distributed and installed with its key
# length; the key server's choice reaches the other participant.
test_cipher_suite()
{
	local cs=$1 keylen=$2
	start_pair "macsec_ciphersuite=$cs" || return 1
	echo "secured after $(mkad_status vs2 .secured_after) s"
	check_pair "$cs" "$keylen" || return 1
	grep -q "set cipher suite $(cs_id "$cs")" "$MKA_DIR/vs2.log" ||
		fail "node 2 did not program $cs"
}

# Test that with XPN the two participants get distinct SSCIs, each
# receiving with the SSCI the other transmits with.
test_xpn_ssci()
{
	local tx1 tx2 rx1 rx2
	tx1=$(sed -n 's/.*tx sa an 0 ssci \([0-9]*\).*/\1/p' "$MKA_DIR/vs1.log" | tail -n 1)
	tx2=$(sed -n 's/.*tx sa an 0 ssci \([0-9]*\).*/\1/p' "$MKA_DIR/vs2.log" | tail -n 1)
	rx1=$(sed -n 's/.*rx sa an 0 ssci \([0-9]*\).*/\1/p' "$MKA_DIR/vs1.log" | tail -n 1)
	rx2=$(sed -n 's/.*rx sa an 0 ssci \([0-9]*\).*/\1/p' "$MKA_DIR/vs2.log" | tail -n 1)
	[ -n "$tx1" ] && [ -n "$tx2" ] || fail "no SSCI logged" || return 1
	[ "$tx1" != "$tx2" ] || fail "both participants transmit with SSCI $tx1" || return 1
	expect_eq "node 2 receives node 1 with node 1's SSCI" "$tx1" "$rx2" || return 1
	expect_eq "node 1 receives node 2 with node 2's SSCI" "$tx2" "$rx1"
}

# Test that the confidentiality offset of the key server reaches the other.
test_offset30()
{
	start_pair macsec_conf_offset=30 || return 1
	grep -q "encrypt on offset 30" "$MKA_DIR/vs2.log" ||
		fail "node 2 not programmed with offset 30: $(grep 'set cipher' "$MKA_DIR/vs2.log")" || return 1
	expect_eq "offset reported by node 2" 30 "$(mkad_status vs2 .offset)"
}

# Test that three participants on a bridge agree: one key server (the
# best priority), one SAK, two live peers each.
test_three()
{
	local ki i
	start_pair || return 1
	mka_conf "$MKA_DIR/n3.conf" 200
	: > "$MKA_DIR/vs3.log"
	mkad_start 3 veth3 vs3 "$MKA_DIR/n3.conf" || return 1
	wait_for 20 bash -c "[ \"\$(vsecy-mkad -n vs3 -C $MKA_DIR/ctl -q STATUS | jq -r '.secured, (.live_peers|length)' | xargs)\" = 'true 2' ]" ||
		{ mkad_status vs3 -c; return 1; }
	wait_for 10 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq -r '.latest_sak.tx, .old_sak' | xargs)\" = 'true null' ]" ||
		{ mkad_status vs1 -c; return 1; }
	ki=$(mkad_status vs1 .latest_sak.ki)
	for i in 1 2 3; do
		expect_eq "live peers of node $i" 2 "$(mkad_status "vs$i" '.live_peers | length')" || return 1
		expect_eq "KI on node $i" "$ki" "$(mkad_status "vs$i" .latest_sak.ki)" || return 1
		expect_eq "key server seen by node $i" "$(mkad_status vs1 .sci)" \
			"$(mkad_status "vs$i" .key_server.sci)" || return 1
	done
	expect_eq "KN after the third joined (a new SAK for the new member)" 2 \
		"$(mkad_status vs1 .latest_sak.kn)"
}

# Test that when one of three leaves, the other two drop it and the key
# server distributes a new SAK that excludes it.
test_leave()
{
	local kn
	kn=$(mkad_status vs1 .latest_sak.kn)
	mkad_stop vs3
	wait_for 10 bash -c "[ \"\$(vsecy-mkad -n vs2 -C $MKA_DIR/ctl -q STATUS | jq -r '(.live_peers|length), .latest_sak.kn, .latest_sak.tx' | xargs)\" = '1 $((kn + 1)) true' ]" ||
		{ mkad_status vs2 -c; return 1; }
	expect_eq "KI agreed after the leave" "$(mkad_status vs1 .latest_sak.ki)" \
		"$(mkad_status vs2 .latest_sak.ki)"
}

# Test that mka_rekey_period makes the key server rekey on its own.
test_rekey_period()
{
	start_pair mka_rekey_period=8 || return 1
	wait_for 25 bash -c "[ \$(vsecy-mkad -n vs2 -C $MKA_DIR/ctl -q STATUS | jq .latest_sak.kn) -ge 3 ]" ||
		{ mkad_status vs2 -c; return 1; }
	grep -q "rekey: mka_rekey_period 8 s elapsed" "$MKA_DIR/vs1.log" ||
		fail "no periodic rekey logged"
}

# Test that SIGHUP rereads the file: node 2, given the better priority,
# takes over as key server and distributes its own SAK.
test_sighup()
{
	start_pair || return 1
	mka_conf "$MKA_DIR/n2.conf" 1
	kill -HUP "$(cat "$MKA_DIR/vs2.pid")"
	wait_for 15 bash -c "[ \"\$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq -r '.key_server.self, .latest_sak.tx' | xargs)\" = 'false true' ]" ||
		{ mkad_status vs1 -c; mkad_status vs2 -c; return 1; }
	expect_eq "KI's MI is node 2's" "$(mkad_status vs2 .mi)" \
		"$(mkad_status vs1 .latest_sak.ki | cut -c1-24)"
}

# mkpdu_hex EAPOL_BODY_LENGTH BODY_HEX: an MKPDU from 02:00:00:00:00:99 to
# 01:80:C2:00:00:03, its EAPOL header claiming EAPOL_BODY_LENGTH octets.
BAD_SRC=02:00:00:00:00:99
mkpdu_hex() { printf '0180c2000003%s888e0305%04x%s' "${BAD_SRC//:/}" "$1" "$2"; }

# The Basic Parameter Set (Figure 11-8) of a participant with our CKN:
# version 1, priority 255, key server and MACsec desired, capability 2,
# 28 + 16 octets; then an ICV (not checked: these never get that far).
BASIC=01ff602c0200000000990001a1a2a3a4a5a6a7a8a9aaabac000000010080c201$MKA_CKN
ICV=00000000000000000000000000000000

# bad_mkpdu COUNTER REASON EAPOL_LEN BODY_HEX: sends the MKPDU from ns 3 and
# checks that vs1 counts it in COUNTER and logs "dropped: REASON".
bad_mkpdu()
{
	local ctr=$1 reason=$2 before logged
	before=$(mkad_status vs1 ".counters.$ctr")
	logged=$(grep -c "MKPDU from $BAD_SRC dropped: $reason" "$MKA_DIR/vs1.log")
	# drops are logged at most once a second per reason: let one pass
	sleep 1.1
	n 3 "$(dirname "$0")/vsecy-inject" -i veth3 -k raw --hex "$(mkpdu_hex "$3" "$4")" > /dev/null ||
		fail "vsecy-inject -k raw failed" || return 1
	wait_for 5 bash -c "[ \$(vsecy-mkad -n vs1 -C $MKA_DIR/ctl -q STATUS | jq .counters.$ctr) -eq $((before + 1)) ]" ||
		fail "$ctr of vs1: expected $((before + 1)), observed $(mkad_status vs1 ".counters.$ctr")" ||
		return 1
	wait_for 5 bash -c "[ \$(grep -c 'MKPDU from $BAD_SRC dropped: $reason' $MKA_DIR/vs1.log) -gt $logged ]" ||
		fail "no log line 'MKPDU from $BAD_SRC dropped: $reason' in vs1's log" || return 1
	grep "MKPDU from $BAD_SRC dropped" "$MKA_DIR/vs1.log" | tail -n 1
}

# Test that malformed MKPDUs on the wire (an EAPOL length past the end of
# the frame, a parameter set running past the end of the MKPDU, a Basic
# Parameter Set cut short, a peer list of 20 octets) reach a secured
# vsecy-mkad, are dropped, counted and logged, and leave its session as it
# was: secured, with the same SAK and its one live peer.
test_bad_mkpdu()
{
	local ki kn live
	start_pair || return 1
	ki=$(mkad_status vs1 .latest_sak.ki)
	kn=$(mkad_status vs1 .latest_sak.kn)
	# EAPOL length: 64 octets of body sent, 104 claimed
	bad_mkpdu rx_bad_len "bad length" 104 "$BASIC$ICV" || return 1
	# a Live Peer List of 32 octets with 16 left before the ICV
	bad_mkpdu rx_bad_len "bad length" 84 "${BASIC}01000020a1a2a3a4a5a6a7a8a9aaabac00000001$ICV" || return 1
	# the Basic Parameter Set's first 16 octets, then the ICV
	bad_mkpdu rx_bad_len "bad length" 32 "${BASIC:0:32}$ICV" || return 1
	# a Live Peer List of 20 octets: not a multiple of 16 (11.11.3)
	bad_mkpdu rx_bad_format "bad parameter set" 88 \
		"${BASIC}01000014a1a2a3a4a5a6a7a8a9aaabac00000001eeeeeeee$ICV" || return 1
	# two hello times more: the peer is still live, nothing was rekeyed
	sleep 4.5
	live=$(mkad_status vs1 '[.live_peers[].sci] | join(" ")')
	expect_eq "vs1 secured" true "$(mkad_status vs1 .secured)" &&
	expect_eq "vs1 live peers" "$(mkad_status vs2 .sci)" "$live" &&
	expect_eq "vs1 potential peers" 0 "$(mkad_status vs1 '.potential_peers | length')" &&
	expect_eq "vs1 SAK (KI)" "$ki" "$(mkad_status vs1 .latest_sak.ki)" &&
	expect_eq "vs1 SAK (KN)" "$kn" "$(mkad_status vs1 .latest_sak.kn)" &&
	expect_eq "vs2 SAK (KI)" "$ki" "$(mkad_status vs2 .latest_sak.ki)" &&
	expect_eq "vs2 secured" true "$(mkad_status vs2 .secured)"
}

PN_THR=3221225472	# 0xC0000000: 3/4 of 2^32, MKA's threshold (gcm-aes-128)

dump_logs()
{
	local i
	for i in 1 2; do
		echo "vs$i log:"
		sed 's/^/  /' "$MKA_DIR/vs$i.log"
	done
}

# backend_pair BACKEND: the key server (vs1) and vs2 on SecYs of BACKEND
# (vsecy or macsec), pinging.
backend_pair()
{
	local i
	stop_all
	for i in 1 2; do
		mka_conf "$MKA_DIR/n$i.conf" $((i == 1 ? 16 : 100))
		: > "$MKA_DIR/vs$i.log"
		MKAD_BACKEND=$1 mkad_start "$i" "veth$i" "vs$i" "$MKA_DIR/n$i.conf" || return 1
	done
	wait_for 30 mkad_secured vs1 && wait_for 10 mkad_secured vs2 || { dump_logs; return 1; }
	echo "$1 pair secured after $(mkad_status vs1 .secured_after) s"
	addr 1 vs1 192.0.2.1 && addr 2 vs2 192.0.2.2 &&
	wait_for 20 ping_ok || { dump_logs; fail "no ping over the $1 pair"; }
}

vsecy_pair()
{
	vsecy_load || fail "no vsecy module" || return 1
	backend_pair vsecy || return 1
	grep -q "listening to the events group" "$MKA_DIR/vs1.log" ||
		fail "vs1 did not join the events group: $(grep 'secy\[vsecy\]' "$MKA_DIR/vs1.log")"
}

# pn_event_rekey NS DEV LOG_LINE [TOOL]: moves DEV's TX SA to 3 PNs below
# the threshold with TOOL (vsecy, or "ip macsec"), sends 5 pings, and
# waits for LOG_LINE in DEV's log and for the next SAK in use at both ends.
pn_event_rekey()
{
	local ns=$1 dev=$2 line=$3 tool=${4:-vsecy} an kn t0
	an=$(mkad_status "$dev" .latest_sak.an)
	kn=$(mkad_status vs1 .latest_sak.kn)
	n "$ns" $tool set "$dev" tx sa "$an" pn $((PN_THR - 3)) on ||
		fail "$tool set $dev tx sa $an pn $((PN_THR - 3))" || return 1
	t0=$(now)
	n 1 ping -q -c 5 -i 0.2 192.0.2.2 > /dev/null
	wait_for 5 grep -q "$line, TX SA AN $an next PN" "$MKA_DIR/$dev.log" ||
		fail "no '$line, TX SA AN $an' in $dev's log within 5 s: $(tail -n 5 "$MKA_DIR/$dev.log")" ||
		return 1
	echo "$dev: '$(grep "$line, TX SA AN $an" "$MKA_DIR/$dev.log" | tail -n 1 | cut -d' ' -f3-)'" \
		"$(elapsed "$t0") s after the first ping"
	wait_for 10 bash -c "[ \"\$(vsecy-mkad -n vs2 -C $MKA_DIR/ctl -q STATUS | jq -r '.latest_sak.kn, .latest_sak.tx, .old_sak' | xargs)\" = '$((kn + 1)) true null' ]" ||
		{ mkad_status vs2 -c; dump_logs; return 1; }
	echo "new SAK KN $((kn + 1)) in use at both ends $(elapsed "$t0") s after the first ping"
	wait_for 10 ping_ok || fail "no ping with the new SAK"
}

# Test that vsecy-mkad on the vsecy SecY programs MKA's PN threshold into
# it and rekeys when the module announces that the key server's TX SA
# reached it (a pn-threshold event), within seconds and without reading
# the PN: the log names the event, never the PN poll.
test_pn_event_ks()
{
	vsecy_pair || return 1
	expect_eq "pn_threshold of vs1 (vsecy -j show)" "$PN_THR" \
		"$(n 1 vsecy -j show vs1 | jq '.[0].pn_threshold')" || return 1
	expect_eq "pn_threshold of vs2 (vsecy -j show)" "$PN_THR" \
		"$(n 2 vsecy -j show vs2 | jq '.[0].pn_threshold')" || return 1
	pn_event_rekey 1 vs1 "rekey: PN threshold event from the SecY" || return 1
	expect_eq "PN poll rekeys in vs1's log" 0 "$(grep -c 'rekey: TX PN' "$MKA_DIR/vs1.log")"
}

# Test that the pn-threshold event of the participant that is not key
# server reaches the key server through the Lowest Acceptable PN of its SAK
# Use, and that the key server then rekeys.
test_pn_event_peer()
{
	pn_event_rekey 2 vs2 "PN threshold event from the SecY" || return 1
	grep -q "reports PN [0-9]* near exhaustion: rekey" "$MKA_DIR/vs1.log" ||
		fail "the key server did not rekey on vs2's report: $(tail -n 5 "$MKA_DIR/vs1.log")"
}

# Test that with the kernel's macsec (backend macsec, which has no events)
# vsecy-mkad reads the TX PN once per hello time instead, and the key
# server rekeys once it is past the threshold.
test_pn_poll_macsec()
{
	modprobe macsec || fail "no macsec module" || return 1
	backend_pair macsec || return 1
	grep -q "no PN events: reading the TX PN every hello time" "$MKA_DIR/vs1.log" ||
		fail "vs1 does not say it polls: $(head -n 5 "$MKA_DIR/vs1.log")" || return 1
	pn_event_rekey 1 vs1 "rekey: TX PN past the threshold (read every hello time)" "ip macsec"
}

ktap_print_header
ktap_set_plan 14
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "gcm-aes-128" test_cipher_suite gcm-aes-128 16
run_case "gcm-aes-256" test_cipher_suite gcm-aes-256 32
run_case "gcm-aes-xpn-128" test_cipher_suite gcm-aes-xpn-128 16
run_case "gcm-aes-xpn-256" test_cipher_suite gcm-aes-xpn-256 32
run_case "XPN: distinct SSCIs, receive with the sender's" test_xpn_ssci
run_case "confidentiality offset 30" test_offset30
run_case "three participants on a bridge" test_three
run_case "a participant leaves: dropped, new SAK" test_leave
run_case "mka_rekey_period" test_rekey_period
run_case "SIGHUP: new priority, new key server" test_sighup
run_case "malformed MKPDUs on the wire: counted, logged, session kept" test_bad_mkpdu
if command -v vsecy > /dev/null; then
	run_case "vsecy SecY: pn-threshold event on the key server: rekey" test_pn_event_ks
	run_case "vsecy SecY: pn-threshold event on the other: reported, rekey" test_pn_event_peer
else
	ktap_test_skip "vsecy SecY: pn-threshold event on the key server (no vsecy tool)"
	ktap_test_skip "vsecy SecY: pn-threshold event on the other (no vsecy tool)"
fi
run_case "kernel macsec (no events): TX PN read every hello time: rekey" test_pn_poll_macsec
ktap_finished
