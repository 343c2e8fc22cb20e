#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsecy-mkad's protocol beyond the SAKs: macsec_policy when the key
# server advises no MACsec (its own decision, and wpa_supplicant's);
# SONiC's numeric configuration forms; a captured MKPDU of a live peer's
# earlier MI resent with vsecy-inject changes nothing; the CAK's text is
# not in the daemon's memory and core dumps are off; priority 255 never
# key server, a key server dropping its claim replaced; MKA version 3 on
# the wire (mka_version=1 sends 1), with wpa_supplicant (version 1); one
# daemon serving two ports.
#
#   ns 1: veth1 ---+   ns sw: br0       +--- veth2 :ns 2
#   vs1            +-- (group_fwd_ -----+    vs2 or wpa_supplicant
#   192.0.2.1           mask 8)         +--- veth3 :ns 3
#         veth4 <=============================> veth5  captures,
#         vs4 (same daemon as vs1)              vs3    vsecy-inject

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
trap 'cap_stop; mka_cleanup' EXIT
INJECT="$(dirname "$0")/vsecy-inject"

dump() { mkad_dump 1 2 3; }

stop_all() { mkad_stop vs1; mkad_stop vs2; wpa_reset 2; }

start() { mkad_member "$@"; }

hup() { kill -HUP "$(cat "$MKA_DIR/$1.pid")"; }

# mkpdus NS DEV SRC COUNT FILE: the hex of COUNT MKPDUs from SRC seen on
# DEV, one per line.
mkpdus()
{
	n "$1" timeout 20 tcpdump -i "$2" -c "$4" -xx -n -l -Z root "ether proto 0x888e and ether src $3" \
		2>/dev/null | awk '
		/^[0-9]/ { if (f != "") print f; f = ""; next }
		/0x[0-9a-f]+:/ { for (i = 2; i <= NF; i++) f = f $i }
		END { if (f != "") print f }' > "$5"
	[ "$(wc -l < "$5")" -ge "$4" ]
}

mac_of() { n "$1" ip -j link show "$2" | jq -r ".[0].address"; }

# Test that with macsec_policy=0 (should secure) a key server whose only
# peer has no MACsec (log backend, cap=0) opens its port unprotected and
# traffic flows in the clear; with macsec_policy=1 (must secure) the port
# stays closed and nothing flows. STATUS says why.
test_should_secure()
{
	stop_all
	start 1 16 vsecy macsec_policy=0 && start 2 100 "log:cap=0" macsec_policy=0 || return 1
	mkad_wait 15 vs1 '.controlled_port.connect == "unsecured"' || { dump; return 1; }
	echo "vs1: $(mkad_status vs1 ".controlled_port | tojson")"
	mkad_status vs1 .controlled_port.why | grep -q "should secure" ||
		fail "why: $(mkad_status vs1 .controlled_port.why)" || return 1
	expect_eq "vs1 protect, validate (vsecy show)" "false disabled" \
		"$(n 1 vsecy -j show vs1 | jq -r '.[0] | "\(.protect) \(.validate)"')" || return 1
	addr 1 vs1 192.0.2.1 && n 2 ip addr replace 192.0.2.2/24 dev veth2 || return 1
	pings 1:192.0.2.2 || { dump; return 1; }
	mka_conf "$MKA_DIR/n1.conf" 16 macsec_policy=1
	hup vs1
	mkad_wait 10 vs1 '.controlled_port.connect == "pending"' || { dump; return 1; }
	mkad_status vs1 .controlled_port.why | grep -q "must secure" ||
		fail "why: $(mkad_status vs1 .controlled_port.why)" || return 1
	! ping_ok_to 1 192.0.2.2 && ! ping_ok_to 1 192.0.2.2 ||
		fail "must secure: unprotected traffic still flows" || return 1
	n 2 ip addr flush dev veth2
}

# Test that the advice of wpa_supplicant as key server (an empty
# Distributed SAK: no live peer desires MACsec) is followed: vs1 (log,
# cap=0) opens unprotected with macsec_policy=0, stays closed with 1.
test_wpa_advises_no()
{
	stop_all
	mka_conf "$MKA_DIR/wpa2.conf" 16
	wpa_start 2 veth2 "$MKA_DIR/wpa2.conf" || return 1
	start 1 200 "log:cap=0" macsec_policy=0 || return 1
	mkad_wait 20 vs1 '.controlled_port.connect == "unsecured" and (.key_server.self == false)' ||
		{ dump; return 1; }
	wait_for 10 mkad_log_has vs1 "key server advises no MACsec" ||
		{ dump; fail "no 'key server advises no MACsec' in vs1's log"; return 1; }
	mka_conf "$MKA_DIR/n1.conf" 200 macsec_policy=1
	hup vs1
	mkad_wait 10 vs1 '.controlled_port.connect == "pending"' || { dump; return 1; }
	wpa_reset 2
	return 0
}

# Test SONiC's numeric forms: macsec_ciphersuite=3 (GCM-AES-XPN-256),
# macsec_conf_offset=2 (offset 30), macsec_include_sci=0.
test_numeric_forms()
{
	stop_all
	start 1 16 log macsec_ciphersuite=3 macsec_conf_offset=2 macsec_include_sci=0 &&
	start 2 100 log macsec_ciphersuite=3 || return 1
	mkad_wait 15 vs2 .secured || { dump; return 1; }
	expect_eq "vs2 cipher suite, offset" "gcm-aes-xpn-256 30" \
		"$(mkad_status vs2 '"\(.cipher_suite) \(.offset)"')" || return 1
	mkad_log_has vs1 "set cipher suite 0080c20001000004 encrypt on offset 30 .* include sci off" ||
		fail "vs1: $(grep 'set cipher' "$MKA_DIR/vs1.log")"
}

# Test that an MKPDU of vs2's earlier MI, captured before vs2 restarted
# and resent (vsecy-inject, from ns 3) while vs2 is live with its new MI,
# changes nothing at vs1: vs2's life is not shortened, the SAK stays.
test_replay()
{
	local mac2 frame kn i left
	stop_all
	start 1 16 log && start 2 100 log || return 1
	mkad_wait 15 vs1 .secured || { dump; return 1; }
	mac2=$(mac_of 2 veth2)
	mkpdus 3 veth3 "$mac2" 1 "$MKA_DIR/old.hex" || fail "no MKPDU of vs2 captured" || return 1
	frame=$(head -n 1 "$MKA_DIR/old.hex")
	mkad_stop vs2
	start 2 100 log || return 1
	mkad_wait 20 vs1 ".secured and (.live_peers | length) == 1 and .live_peers[0].mi == \"$(mkad_status vs2 .mi)\"" ||
		{ dump; return 1; }
	mkad_wait 10 vs2 .secured || { dump; return 1; }
	kn=$(mkad_status vs1 .latest_sak.kn)
	for i in 1 2 3 4; do
		n 3 "$INJECT" -i veth3 -k raw --hex "$frame" > /dev/null ||
			fail "vsecy-inject -k raw failed" || return 1
		sleep 0.1
		left=$(mkad_status vs1 '.live_peers[0].expires_in')
		echo "replay $i: vs2's life at vs1 $left s"
		# hellos every 2 s keep it above 4 s, less the time to ask;
		# the replay used to set it to 3 s
		[ "$(awk "BEGIN { print ($left > 3.1) }")" = 1 ] ||
			fail "vs2's life at vs1 is $left s after a replay of its earlier MI" || return 1
		sleep 0.3
	done
	expect_eq "vs1 live peers, KN, secured" "1 $kn true" \
		"$(mkad_status vs1 '(.live_peers | length), .latest_sak.kn, .secured' | xargs)" || return 1
	[ "$(mkad_status vs1 .counters.rx_replay)" -ge 4 ] ||
		fail "replays counted: $(mkad_status vs1 .counters.rx_replay)"
}

# Test that the CAK's hex text (read from the file at start and again on
# SIGHUP) is nowhere in the daemon's memory, and that it dumps no core
# (RLIMIT_CORE 0, hard too).
test_key_memory()
{
	local pid found=0 start end perm rest range
	pid=$(cat "$MKA_DIR/vs1.pid")
	hup vs1
	wait_for 5 mkad_log_has vs1 "configuration reloaded" || return 1
	while read -r range perm rest; do
		case "$perm" in r*) ;; *) continue ;; esac
		case "$rest" in *vvar*|*vsyscall*|*vdso*) continue ;; esac
		start=$((16#${range%-*}))
		end=$((16#${range#*-}))
		if dd if="/proc/$pid/mem" bs=4096 skip=$((start / 4096)) \
			count=$(((end - start) / 4096)) 2>/dev/null | tr -c 0-9a-f '\n' |
			grep -q "$MKA_CAK"; then
			found=$((found + 1))
			echo "the CAK's text in $range $perm $rest"
		fi
	done < "/proc/$pid/maps"
	expect_eq "mappings of vs1 holding the CAK's text" 0 "$found" || return 1
	expect_eq "vs1's core file size limit (soft, hard)" "0 0" \
		"$(awk '/Max core file size/ { print $5, $6 }' "/proc/$pid/limits")"
}

# Test that with mka_priority_255=never two participants of priority 255
# elect no key server (and secure nothing), until one takes 254.
test_priority_255()
{
	stop_all
	start 1 255 log mka_priority_255=never && start 2 255 log mka_priority_255=never || return 1
	mkad_wait 10 vs1 '(.live_peers | length) == 1' || { dump; return 1; }
	sleep 2
	expect_eq "key server of vs1, vs2; vs1 connect" "null null pending" \
		"$(mkad_status vs1 .key_server) $(mkad_status vs2 .key_server) $(mkad_status vs1 .controlled_port.connect)" ||
		return 1
	mka_conf "$MKA_DIR/n2.conf" 254 mka_priority_255=never
	hup vs2
	mkad_wait 10 vs2 '.key_server.self and .secured' || { dump; return 1; }
}

# Test that a key server that drops its claim (SIGHUP: priority 10 to
# 200) is replaced at once by the other (100), which distributes its SAK.
test_ks_drops_claim()
{
	local t0
	stop_all
	start 1 100 log && start 2 10 log || return 1
	mkad_wait 15 vs1 '.secured and .key_server.self == false' || { dump; return 1; }
	mka_conf "$MKA_DIR/n2.conf" 200
	t0=$(now)
	hup vs2
	mkad_wait 8 vs1 ".key_server.self and .secured and (.latest_sak.ki | startswith(\"$(mkad_status vs1 .mi)\"))" ||
		{ dump; return 1; }
	echo "vs1 key server and secured with its SAK $(elapsed "$t0") s after vs2's SIGHUP"
	mkad_wait 5 vs2 '.secured and .key_server.self == false' || { dump; return 1; }
	expect_eq "rejoins of vs1, vs2" "0 0" \
		"$(mkad_status vs1 .counters.rejoins) $(mkad_status vs2 .counters.rejoins)"
}

# Test that MKPDUs carry MKA version 3 (802.1X-2020), 1 with mka_version=1,
# and that vsecy-mkad (version 3) secures with wpa_supplicant 2.10, which
# sends version 1.
test_version()
{
	local mac1
	mac1=$(mac_of 1 veth1)
	mkpdus 3 veth3 "$mac1" 1 "$MKA_DIR/v.hex" || fail "no MKPDU of vs1 captured" || return 1
	expect_eq "MKA version of vs1's MKPDU (octet 18)" 03 "$(head -n 1 "$MKA_DIR/v.hex" | cut -c37-38)" ||
		return 1
	mka_conf "$MKA_DIR/n1.conf" 100 mka_version=1
	hup vs1
	sleep 0.5
	mkpdus 3 veth3 "$mac1" 2 "$MKA_DIR/v.hex" || fail "no MKPDU of vs1 captured" || return 1
	expect_eq "MKA version with mka_version=1" 01 "$(tail -n 1 "$MKA_DIR/v.hex" | cut -c37-38)" ||
		return 1
	stop_all
	mka_conf "$MKA_DIR/wpa2.conf" 200
	wpa_start 2 veth2 "$MKA_DIR/wpa2.conf" && start 1 16 log || return 1
	wait_for 30 wpa_secured 2 veth2 "$MKA_DIR/wpa2.conf" && mkad_wait 10 vs1 .secured ||
		{ dump; return 1; }
	expect_eq "MKA version of wpa_supplicant's MKPDUs (as vs1 sees it)" 1 \
		"$(mkad_status vs1 '.live_peers[0].version')"
}

# Test that one daemon serves two ports: vs1 on veth1 (peer vs2 over the
# bridge) and vs4 on veth4 (a veth pair to ns 3, peer vs3 there), each
# with its own SecY, control socket and log prefix; SIGTERM ends both.
test_two_ports()
{
	local pid
	stop_all
	n 1 ip link add veth4 type veth peer name veth5 netns "$(ns 3)" &&
	n 1 ip link set veth4 up && n 3 ip link set veth5 up || return 1
	mka_conf "$MKA_DIR/n1.conf" 16
	mka_conf "$MKA_DIR/n4.conf" 16
	: > "$MKA_DIR/vs1.log"
	n 1 vsecy-mkad -i veth1 -c "$MKA_DIR/n1.conf" -n vs1 -b log \
		-i veth4 -c "$MKA_DIR/n4.conf" -n vs4 -b log \
		-C "$MKA_DIR/ctl" -f "$MKA_DIR/vs1.log" -P "$MKA_DIR/vs1.pid" -B ||
		fail "vsecy-mkad with two -i failed to start" || return 1
	pid=$(cat "$MKA_DIR/vs1.pid")
	start 2 100 log || return 1
	mka_conf "$MKA_DIR/n3.conf" 100
	: > "$MKA_DIR/vs3.log"
	MKAD_BACKEND=log mkad_start 3 veth5 vs3 "$MKA_DIR/n3.conf" || return 1
	mkad_wait 15 vs1 '.secured and .live_peers[0].sci == "'"$(mkad_status vs2 .sci)"'"' &&
	mkad_wait 15 vs4 '.secured and .live_peers[0].sci == "'"$(mkad_status vs3 .sci)"'"' ||
		{ dump; return 1; }
	expect_eq "lower devices of vs1, vs4" "veth1 veth4" \
		"$(mkad_status vs1 .lower) $(mkad_status vs4 .lower)" || return 1
	grep -q "^[0-9:.]* info: \[vs4\] " "$MKA_DIR/vs1.log" ||
		fail "no [vs4] lines in the daemon's log" || return 1
	kill "$pid"
	wait_for 5 bash -c "! kill -0 $pid 2>/dev/null" || return 1
	[ ! -e "$MKA_DIR/ctl/vs1.sock" ] && [ ! -e "$MKA_DIR/ctl/vs4.sock" ] ||
		fail "control sockets left behind"
	mkad_stop vs3
	n 1 ip link del veth4
}

ktap_print_header
if ! command -v vsecy > /dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool is not installed"
	ktap_finished
fi
ktap_set_plan 9
mka_modules_bridge 1 2 3 || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "key server advises no MACsec: should secure opens unprotected, must secure stays closed" \
	test_should_secure
run_case "wpa_supplicant key server advises no MACsec: followed per macsec_policy" test_wpa_advises_no
run_case "SONiC's numeric forms (macsec_ciphersuite=3, macsec_conf_offset=2, macsec_include_sci=0)" \
	test_numeric_forms
run_case "a replayed MKPDU of a live peer's earlier MI changes nothing" test_replay
run_case "no CAK text in the daemon's memory; no core dumps" test_key_memory
run_case "priority 255 never key server (mka_priority_255=never)" test_priority_255
run_case "a key server dropping its claim is replaced at once" test_ks_drops_claim
run_case "MKA version 3 on the wire, mka_version=1, with wpa_supplicant" test_version
run_case "one daemon, two ports" test_two_ports
ktap_print_msg "$(basename "$0"): $SECONDS s"
ktap_finished
