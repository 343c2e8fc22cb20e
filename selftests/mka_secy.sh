#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsecy-mkad and the SecY it programs (the CP, cp.c): a SecY that refuses
# an SA (injected in the log backend) is never reported as receiving and
# is retried, STATUS saying why; a vsecy device left with stale SAs and
# another SCI is taken over; a new macsec_port by SIGHUP moves the SecY's
# SCI too; SecY parameters changed by SIGHUP reach the SecY with the next
# SAK; a cipher suite change in a session (by SIGHUP, and by a member
# announcing only GCM-AES-128) keeps the session and the pings; the
# kernel's macsec announces its capability (no offset 30) and gets
# offset 0 from a key server configured for 30.
#
#   ns 1: veth1 ---+   ns sw: br0       +--- veth2 :ns 2
#   vs1            +-- (group_fwd_ -----+    vs2
#   192.0.2.1           mask 8)         +--- veth3 :ns 3   vs3
#                                            192.0.2.2

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
trap mka_cleanup EXIT

dump() { mkad_dump 1 2 3; }

stop_all() { local i; for i in 1 2 3; do mkad_stop "vs$i"; done; }

start() { mkad_member "$@"; }

# vsecy_pair [LINES...]: vs1 (key server) and vs2 on vsecy SecYs, pinging.
vsecy_pair()
{
	stop_all
	# a device a previous case left (vsecy-mkad leaves one it did not make)
	n 1 ip link del vs1 2>/dev/null
	start 1 16 vsecy "$@" && start 2 100 vsecy "$@" || return 1
	mkad_wait 30 vs1 .secured && mkad_wait 10 vs2 .secured || { dump; return 1; }
	addr 1 vs1 192.0.2.1 && addr 2 vs2 192.0.2.2 && pings 1:192.0.2.2 || { dump; return 1; }
}

# Both statuses at once: "vs1 transmits", "vs2 receives", "vs2 error".
both() { echo "$(mkad_status vs1 .latest_sak.tx) $(mkad_status vs2 '.latest_sak.rx, .secured, (.secy.error != null)' | xargs)"; }

# Test that an RX SA the SecY refuses (the first 4 add_rxsa calls fail,
# injected) is not reported in SAK Use: the key server never transmits
# with that SAK while it fails, STATUS names the failure, and the
# retries (0.5, 1, 2, 4 s) secure the pair.
test_refused()
{
	local seen=0 s i
	stop_all
	start 1 16 log && start 2 100 "log:fail=add_rxsa/4" || return 1
	mkad_wait 10 vs2 '.secy.error != null' || { dump; return 1; }
	echo "vs2 STATUS secy: $(mkad_status vs2 ".secy | tojson")"
	for i in 1 2 3 4 5 6; do
		s=$(both)
		# only while vs2 still fails (its error is read last)
		[ "${s##* }" = true ] || break
		seen=$((seen + 1))
		expect_eq "vs1 transmits, vs2 receives, vs2 secured, vs2 failing" \
			"false false false true" "$s" || { dump; return 1; }
		sleep 0.5
	done
	[ "$seen" -ge 2 ] || fail "the failure lasted only $seen reads" || return 1
	mkad_wait 15 vs2 '.secured and .secy.error == null' && mkad_wait 5 vs1 .secured ||
		{ dump; return 1; }
	expect_eq "vs2 last SecY error" "add RX SA" \
		"$(mkad_status vs2 .secy.last_error.what | cut -c1-9)" || return 1
	expect_eq "vs2 secy_errors" 4 "$(mkad_status vs2 .counters.secy_errors)" || return 1
	mkad_log_has vs2 "SecY add RX SA .* failed: Input/output error; retrying" ||
		fail "no failure line in vs2's log"
}

# Test that a vsecy device left by an earlier run, with a stale TX SA on
# AN 0, 301 stale RX SCs and the SCI of port 7, is taken over: flushed,
# our SCI set, secured and pinging. 301 RX SCs do not fit in the reply
# to a GET (the module caps it at 32 KiB), only in a dump.
test_stale_device()
{
	local sci
	stop_all
	awk 'BEGIN { for (s = 1; s <= 300; s++) printf "add vs1 rx sci 0300%08x0001\n", s }' \
		> "$MKA_DIR/stale.batch"
	n 1 vsecy link add link veth1 vs1 port 7 cipher gcm-aes-128 encrypt on &&
	n 1 vsecy add vs1 tx sa 0 pn 1 on key 01 a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1 &&
	n 1 vsecy add vs1 rx port 1 address 02:00:00:00:00:99 &&
	n 1 vsecy -batch "$MKA_DIR/stale.batch" ||
		fail "cannot make the stale device" || return 1
	start 1 16 vsecy && start 2 100 vsecy || return 1
	mkad_wait 30 vs1 .secured && mkad_wait 10 vs2 .secured || { dump; return 1; }
	addr 1 vs1 192.0.2.1 && addr 2 vs2 192.0.2.2 && pings 1:192.0.2.2 || { dump; return 1; }
	sci=$(mkad_status vs1 .sci)
	expect_eq "vs1's SecY SCI (vsecy show) vs the SCI of its MKPDUs" "$sci" "$(secy_sci 1 vs1)" || return 1
	expect_eq "RX SCs of vs1" "$(mkad_status vs2 .sci)" "$(rx_scs 1 vs1)" || return 1
	expect_eq "key identifier of vs1's TX SA in use" "$(mkad_status vs1 .latest_sak.ki)" \
		"$(n 1 vsecy -j show vs1 | jq -r '.[0] as $s | $s.sa_list[] | select(.an == $s.encoding_sa) | .key')" ||
		return 1
	mkad_log_has vs1 "removed 1 stale TX SA(s) and 301 RX SC(s)" ||
		fail "no 'removed 1 stale TX SA(s) and 301 RX SC(s)' in vs1's log"
}

# Test that SIGHUP with another macsec_port gives vs1's SecY the SCI its
# MKPDUs carry, and that the pair secures and pings again.
test_new_port()
{
	local kn
	kn=$(mkad_status vs2 .latest_sak.kn)
	mka_conf "$MKA_DIR/n1.conf" 16 macsec_port=2
	kill -HUP "$(cat "$MKA_DIR/vs1.pid")"
	mkad_wait 10 vs1 '.sci | endswith("0002")' || { dump; return 1; }
	mkad_wait 20 vs2 ".secured and .latest_sak.kn > $kn and (.live_peers[0].sci | endswith(\"0002\"))" ||
		{ dump; return 1; }
	mkad_wait 10 vs1 .secured || { dump; return 1; }
	expect_eq "vs1's SecY SCI (vsecy show)" "$(mkad_status vs1 .sci)" "$(secy_sci 1 vs1)" || return 1
	expect_eq "RX SCs of vs2" "$(mkad_status vs1 .sci)" "$(rx_scs 2 vs2)" || return 1
	pings 1:192.0.2.2 || { dump; return 1; }
}

# Test that replay protection set on vs2 by SIGHUP reaches its SecY with
# the next SAK, and integrity only set on the key server by SIGHUP
# (which then rekeys) stops both SecYs encrypting.
test_params()
{
	local kn
	vsecy_pair || return 1
	mka_conf "$MKA_DIR/n2.conf" 100 macsec_replay_protect=1 macsec_replay_window=64
	kill -HUP "$(cat "$MKA_DIR/vs2.pid")"
	sleep 0.5
	kn=$(mkad_status vs2 .latest_sak.kn)
	expect_eq "REKEY" OK "$(vsecy-mkad -n vs1 -C "$MKA_DIR/ctl" -q REKEY)" || return 1
	mkad_wait 15 vs2 ".latest_sak.kn > $kn and .latest_sak.tx" || { dump; return 1; }
	expect_eq "vs2 replay, window (vsecy show)" "true 64" \
		"$(n 2 vsecy -j show vs2 | jq -r '.[0] | "\(.replay) \(.window)"')" || return 1
	mka_conf "$MKA_DIR/n1.conf" 16 macsec_integ_only=1
	kill -HUP "$(cat "$MKA_DIR/vs1.pid")"
	mkad_wait 20 vs2 '.secured and .confidentiality == false' || { dump; return 1; }
	mkad_wait 10 vs1 '.secured and .confidentiality == false' || { dump; return 1; }
	expect_eq "encrypt of vs1, vs2 (vsecy show)" "false false" \
		"$(n 1 vsecy -j show vs1 | jq -r '.[0].encrypt') $(n 2 vsecy -j show vs2 | jq -r '.[0].encrypt')" ||
		return 1
	pings 1:192.0.2.2 || { dump; return 1; }
}

# suite_is CS: vs1 and vs2 (STATUS and vsecy show) use CS, secured.
suite_is()
{
	local i up
	up=$(echo "$1" | tr a-z A-Z)
	for i in 1 2; do
		mkad_wait 20 "vs$i" ".secured and .cipher_suite == \"$1\" and .latest_sak.tx" ||
			{ dump; return 1; }
		expect_eq "cipher suite of vs$i (vsecy show)" "$up" \
			"$(n "$i" vsecy -j show "vs$i" | jq -r '.[0].cipher_suite')" || return 1
	done
}

# Test a cipher suite change in a session, GCM-AES-256 to 128 and back by
# SIGHUP on the key server, then by a member that announces only
# GCM-AES-128 (log backend, suites=gcm-aes-128) joining: the SAs go, the
# SecYs change suites, the MKA session stays (same MIs, no rejoin) and
# the pair pings again.
test_cs_change()
{
	local mi1 mi2 kn
	vsecy_pair macsec_ciphersuite=gcm-aes-256 || return 1
	mi1=$(mkad_status vs1 .mi)
	mi2=$(mkad_status vs2 .mi)
	mka_conf "$MKA_DIR/n1.conf" 16 macsec_ciphersuite=gcm-aes-128
	kill -HUP "$(cat "$MKA_DIR/vs1.pid")"
	sleep 0.5
	kn=$(mkad_status vs1 .latest_sak.kn)
	vsecy-mkad -n vs1 -C "$MKA_DIR/ctl" -q REKEY > /dev/null
	mkad_wait 15 vs1 ".latest_sak.kn > $kn" || { dump; return 1; }
	suite_is gcm-aes-128 && pings 1:192.0.2.2 || { dump; return 1; }
	mka_conf "$MKA_DIR/n1.conf" 16 macsec_ciphersuite=gcm-aes-256
	kill -HUP "$(cat "$MKA_DIR/vs1.pid")"
	suite_is gcm-aes-256 && pings 1:192.0.2.2 || { dump; return 1; }
	start 3 200 "log:suites=gcm-aes-128" || return 1
	mkad_wait 20 vs3 '.secured and .cipher_suite == "gcm-aes-128"' || { dump; return 1; }
	suite_is gcm-aes-128 && pings 1:192.0.2.2 || { dump; return 1; }
	expect_eq "MIs of vs1, vs2 (session kept)" "$mi1 $mi2" \
		"$(mkad_status vs1 .mi) $(mkad_status vs2 .mi)" || return 1
	expect_eq "rejoins, SecY errors of vs1, vs2" "0 0 0 0" \
		"$(for i in 1 2; do mkad_status "vs$i" '.counters.rejoins, .counters.secy_errors'; done | xargs)"
}

# Test that the kernel's macsec (no confidentiality offset) announces
# capability 2 and that a key server configured for offset 30 then
# distributes offset 0, which both install.
test_caps()
{
	stop_all
	start 1 16 log macsec_conf_offset=30 && start 2 100 macsec || return 1
	mkad_wait 30 vs2 .secured && mkad_wait 10 vs1 .secured || { dump; return 1; }
	expect_eq "capability of the macsec backend (its STATUS, and as vs1 sees it)" "2 2" \
		"$(mkad_status vs2 .secy.capability) $(mkad_status vs1 '.live_peers[0].capability')" ||
		return 1
	expect_eq "offset of vs1, vs2" "0 0" \
		"$(mkad_status vs1 .offset) $(mkad_status vs2 .offset)" || return 1
	mkad_log_has vs1 "encrypt on offset 0" ||
		fail "vs1 not programmed with offset 0: $(grep 'set cipher' "$MKA_DIR/vs1.log")" || return 1
	n 2 ip macsec show vs2 | grep -q "encrypt on" ||
		fail "vs2 (macsec) does not encrypt: $(n 2 ip macsec show vs2 | head -n 1)"
}

ktap_print_header
if ! command -v vsecy > /dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool is not installed"
	ktap_finished
fi
ktap_set_plan 6
mka_modules_bridge 1 2 3 || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "a SecY refusing an RX SA: never reported, retried, in STATUS" test_refused
run_case "a stale vsecy device (SAs, 301 RX SCs, another SCI) is taken over" test_stale_device
run_case "SIGHUP with a new macsec_port: the SecY's SCI follows" test_new_port
run_case "SIGHUP: replay protection, integrity only reach the SecY with the next SAK" test_params
run_case "cipher suite change in a session (SIGHUP; a GCM-AES-128-only member)" test_cs_change
run_case "macsec backend: capability 2 announced, offset 0 distributed" test_caps
n 1 ip link del vs1 2>/dev/null
ktap_print_msg "$(basename "$0"): $SECONDS s"
ktap_finished
