#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Client-oriented mode with FreeRADIUS 3.2 (`freeradius -X`, a pruned
# configuration: mka_eap_lib.sh) as the RADIUS server: EAP-TLS and PEAP
# from wpa_supplicant through vsecy-mkad's access device (which must ask
# for EAP-Key-Name: FreeRADIUS returns it only then), then a server that
# does not know the access device's secret (FreeRADIUS drops what it
# cannot verify), a server answering with a wrong secret and with
# malformed packets (vsecy-radius-reply), and the recovery. mka_eap.sh
# runs the rest of the access device's cases against hostapd's server.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"
. "$(dirname "$0")/mka_eap_lib.sh"

require_iproute2
trap mka_cleanup EXIT
RADIUS_SERVER=freeradius

radius_cnt() { mkad_status vs1 ".authenticator.counters.radius_$1"; }

# Test that a rejected re-authentication (the server no longer knows the
# password) ends the session at once, as a Logoff does.
test_reauth_reject()
{
	local f0 t0 d
	mkad_secured vs1 || fail "not secured before the re-authentication" || return 1
	f0=$(mkad_status vs1 .authenticator.counters.auth_fail)
	radius_stop
	BOB_PASSWORD=changed radius_start || return 1
	: > "$MKA_DIR/vs1.log"
	t0=$(now)
	vsecy-mkad -n vs1 -C "$MKA_DIR/ctl" -q REAUTH > /dev/null || fail "REAUTH failed" || return 1
	wait_for 30 fails_above "$f0" || { dump; fail "no rejected re-authentication counted"; return 1; }
	wait_for 5 no_sas || { dump; fail "SAs left after the rejected re-authentication"; return 1; }
	echo "rejected re-authentication: SAs gone $(elapsed "$t0") s after REAUTH (polled)"
	d=$(awk '/Access-Reject|EAP-Failure/ && !s { split($1, a, ":"); s = a[1]*3600 + a[2]*60 + a[3] }
		 /CA of CKN .* ends: 802.1X session ended/ && s { split($1, a, ":");
		 printf "%.3f", a[1]*3600 + a[2]*60 + a[3] - s; exit }' "$MKA_DIR/vs1.log")
	grep -m2 -E "Access-Reject|EAP-Failure|session ended" "$MKA_DIR/vs1.log" | sed 's/^/log: /'
	echo "reject to session gone in vsecy-mkad: ${d:-?} s"
	[ -n "$d" ] && awk -v d="$d" 'BEGIN { exit !(d < 0.5) }' ||
		{ dump; fail "session not ended within 0.5 s of the reject ($d)"; return 1; }
	expect_eq "secured after the rejected re-authentication" false \
		"$(mkad_status vs1 .secured)" || return 1
	! ping_from_cli || fail "a ping from the client answered after the reject" || return 1
	radius_stop
	radius_start
}

# Test that a client certificate of another CA gives no MKA and delivers
# nothing.
test_wrong_cert()
{
	refused "with a rogue certificate" TLS rogue || return 1
	grep -m1 -i "verify failed\|unknown ca\|verify error" "$MKA_DIR/freeradius.log" |
		sed 's/^/freeradius: /'
}

# Test that a server that does not know our secret gives a clear log
# line on both sides and no session.
test_wrong_secret()
{
	radius_stop
	radius_start "not-$SECRET" || return 1
	wpa_reset 2
	wait_for 10 no_sas || { dump; fail "SAs left after wpa_supplicant stopped"; return 1; }
	wpa_conf TLS
	wpa_eap_start || return 1
	wait_for 40 mkad_log_has vs1 "does not answer" ||
		{ dump; fail "no log line for the server that drops our requests"; return 1; }
	grep -m1 "does not answer" "$MKA_DIR/vs1.log" | sed 's/^/vsecy-mkad: /'
	grep -m1 "Shared secret is incorrect" "$MKA_DIR/freeradius.log" | sed 's/^/freeradius: /'
	grep -q "Shared secret is incorrect" "$MKA_DIR/freeradius.log" ||
		fail "FreeRADIUS did not report the wrong secret" || return 1
	expect_eq "secured with a wrong RADIUS secret" false "$(mkad_status vs1 .secured)" ||
		return 1
	expect_eq "SAs with a wrong RADIUS secret" 0 "$(sas)"
}

bad_replies()
{
	[ $(($(radius_cnt bad_authenticator) + $(radius_cnt bad_msg_auth))) -gt "$1" ] &&
		[ "$(radius_cnt malformed)" -ge $(($2 + 2)) ]
}

# Test that replies signed with another secret, and malformed replies,
# are dropped and counted with a clear log line, and give no session.
test_bad_replies()
{
	local a0 m0
	a0=$(($(radius_cnt bad_authenticator) + $(radius_cnt bad_msg_auth)))
	m0=$(radius_cnt malformed)
	radius_stop
	ip netns exec "$(ns 1)" "$(dirname "$0")/vsecy-radius-reply" 127.0.0.1 1812 \
		"not-$SECRET" < /dev/null > "$MKA_DIR/radius-reply.log" 2>&1 &
	echo $! > "$MKA_DIR/radius-reply.pid"
	wait_for 60 bad_replies "$a0" "$m0" ||
		{ dump; cat "$MKA_DIR/radius-reply.log"; fail "bad replies not counted"; return 1; }
	echo "counted: bad authenticator $(radius_cnt bad_authenticator)," \
		"bad Message-Authenticator $(radius_cnt bad_msg_auth), malformed $(radius_cnt malformed)"
	grep -m3 "RADIUS reply from .* dropped" "$MKA_DIR/vs1.log" | sed 's/^/log: /'
	mkad_log_has vs1 "dropped: bad .*Authenticator" ||
		fail "no log line for the reply signed with another secret" || return 1
	expect_eq "secured with bad replies" false "$(mkad_status vs1 .secured)" || return 1
	expect_eq "SAs with bad replies" 0 "$(sas)"
}

# Test that the port recovers once the server knows the secret.
test_recovery()
{
	local t0
	pid_stop "$MKA_DIR/radius-reply.pid"
	t0=$(now)
	radius_start || return 1
	wait_for 60 mkad_secured vs1 || { dump; return 1; }
	echo "secured $(elapsed "$t0") s after the server came back with the right secret"
	addr 2 macsec0 192.0.2.2 && pings 2:192.0.2.1 || { dump; return 1; }
}

eap_begin 8 mka_eap_freeradius
run_case "radius: FreeRADIUS passes eapol_test -e (EAP-TLS, PEAP; EAP-Key-Name)" test_radius_ref
run_case "eap: EAP-TLS via FreeRADIUS: same CKN as wpa_supplicant, key server, secured, pings" \
	test_eap_tls
run_case "eap: PEAP-MSCHAPv2 via FreeRADIUS: secured, pings" test_peap
run_case "eap: a rejected re-authentication ends the session at once" test_reauth_reject
run_case "eap: a client certificate of another CA: no MKA, nothing delivered" test_wrong_cert
run_case "eap: FreeRADIUS without our secret: logged on both sides, no session" test_wrong_secret
run_case "eap: replies with a wrong secret or malformed: counted, logged, no session" \
	test_bad_replies
run_case "eap: the server back with the right secret: secured again" test_recovery
ktap_finished
