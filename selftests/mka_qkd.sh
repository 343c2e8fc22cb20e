#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vsecy-mkad with its CAK from a key provider (SKIP draft-cisco-skip-02 or
# ETSI GS QKD 014), as a QKD network would deliver it: each end asks its
# own provider, only the key ID (the CKN) crosses the link. The providers
# are the test fixture vsecy-kp, one per namespace on its own loopback,
# sharing a seed: key = PRF(seed, key ID), each refusing an ID it has
# already delivered.
#
#   ns 1: vsecy-kp 127.0.0.1:8443     ns 2: vsecy-kp 127.0.0.1:8443
#         vsecy-mkad -i veth1 <======> veth2 -i vsecy-mkad
#         vs1 192.0.2.1/24              vs2 192.0.2.2/24
#
# Lines "# time to secured: X s" are the measurements.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/mka_lib.sh"

require_iproute2
MKA_DIR=$(mktemp -d /tmp/mka-qkd.XXXXXX)
KP=$(cd "$(dirname "$0")" && pwd)/vsecy-kp
trap 'kp_stop 1; kp_stop 2; mka_cleanup' EXIT
MKAD_BACKEND=vsecy
D=$MKA_DIR

# ossl ARGS...: openssl, quiet unless it fails.
ossl()
{
	local out
	out=$(openssl "$@" 2>&1) && return 0
	echo "openssl $1 failed: $out" | head -n 5
	return 1
}

# Throwaway PKI (EC P-256): a CA, the providers' certificate (127.0.0.1),
# one client certificate per end; another CA for the wrong-CA case.
make_pki()
{
	# the VM has openssl without its configuration file
	printf '[req]\ndistinguished_name = dn\n[dn]\n' > "$D/openssl.cnf"
	export OPENSSL_CONF=$D/openssl.cnf
	local cn
	ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=kp-ca -keyout "$D/ca.key" -out "$D/ca.pem" || return 1
	ossl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj /CN=other-ca -keyout "$D/other.key" -out "$D/other.pem" || return 1
	for cn in kp sae1 sae2; do
		ossl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$cn" \
			-keyout "$D/$cn.key" -out "$D/$cn.csr" || return 1
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$D/$cn.ext"
		ossl x509 -req -in "$D/$cn.csr" -CA "$D/ca.pem" -CAkey "$D/ca.key" \
			-CAcreateserial -days 2 -extfile "$D/$cn.ext" -out "$D/$cn.pem" || return 1
	done
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$D/seed"
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$D/psk"
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$D/wrong.psk"
	chmod 600 "$D/psk" "$D/wrong.psk"
}

setup()
{
	vsecy_load || { echo "# no vsecy module"; return 1; }
	command -v openssl > /dev/null || { echo "# no openssl"; return 1; }
	[ -x "$KP" ] || { echo "# no $KP"; return 1; }
	make_pki && mka_pair_setup
}

# kp_start NS [ARGS...]: the provider of ns NS (log kpNS.log), both
# authentications offered (PSK, and certificates with client certificates
# required).
kp_start()
{
	local i=$1
	shift
	ip netns exec "$(ns "$i")" "$KP" --listen 127.0.0.1:8443 --seed-file "$D/seed" \
		--local-id "kp$i" --cert "$D/kp.pem" --key "$D/kp.key" --client-ca "$D/ca.pem" \
		--psk-identity mkad --psk-file "$D/psk" --log "$D/kp$i.log" \
		--state "$D/kp$i.state" "$@" > /dev/null 2> "$D/kp$i.err" < /dev/null &
	echo $! > "$D/kp$i.pid"
	wait_for 5 grep -q listening "$D/kp$i.err"
}

# gone PID: exited (a zombie counts: init, its parent now, reaps late).
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^[0-9]* (.*) Z' "/proc/$1/stat"; }

kp_stop()
{
	local pid
	pid=$(cat "$D/kp$1.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait_for 5 gone "$pid"
	rm -f "$D/kp$1.pid"
}

# qkd_conf N PRIO API MODE ROLE [LINES...]: nN.conf, a network block with
# a key provider: SKIP authenticates by PSK, ETSI 014 by certificates.
qkd_conf()
{
	local i=$1 prio=$2 api=$3 mode=$4 role=$5 file=$D/n$1.conf
	shift 5
	{
		echo "network={"
		echo "	key_mgmt=NONE"
		echo "	macsec_policy=1"
		echo "	mka_priority=$prio"
		if [ "$mode" = hybrid ]; then
			echo "	mka_cak=$MKA_CAK"
			echo "	mka_ckn=$MKA_CKN"
		fi
		echo "	qkd_mode=$mode"
		echo "	qkd_api=$api"
		echo "	qkd_role=$role"
		echo "	qkd_url=https://127.0.0.1:8443"
		echo "	qkd_remote_id=sae$((3 - i))"
		if [ "$api" = skip ]; then
			echo "	qkd_psk_identity=mkad"
			echo "	qkd_psk_file=$D/psk"
		else
			echo "	qkd_ca_cert=$D/ca.pem"
			echo "	qkd_client_cert=$D/sae$i.pem"
			echo "	qkd_private_key=$D/sae$i.key"
		fi
		for line in "$@"; do echo "	$line"; done
		echo "}"
	} > "$file"
}

dump()
{
	mkad_dump 1 2
	local i
	for i in 1 2; do
		echo "kp$i log (tail):"
		tail -n 8 "$D/kp$i.log" 2>/dev/null | sed 's/^/  /'
	done
}

stop_all()
{
	mkad_stop vs2
	mkad_stop vs1
	kp_stop 1
	kp_stop 2
	rm -f "$D"/kp*.state
}

# pair API MODE ROLE1 ROLE2: providers, then both daemons; secured, ping.
pair()
{
	local api=$1 mode=$2 t0
	stop_all
	# shellcheck disable=SC2086
	qkd_conf 1 16 "$api" "$mode" "$3" ${QKD_EXTRA:-}
	# shellcheck disable=SC2086
	qkd_conf 2 100 "$api" "$mode" "$4" ${QKD_EXTRA:-}
	kp_start 1 && kp_start 2 || return 1
	: > "$D/vs1.log"
	: > "$D/vs2.log"
	t0=$(now)
	mkad_start 1 veth1 vs1 "$D/n1.conf" && mkad_start 2 veth2 vs2 "$D/n2.conf" || return 1
	wait_for 30 mkad_secured vs1 && wait_for 15 mkad_secured vs2 || { dump; return 1; }
	echo "time to secured: $(elapsed "$t0") s ($api, $mode, $3/$4)"
	addr 1 vs1 192.0.2.1 && addr 2 vs2 192.0.2.2 || { dump; return 1; }
	wait_for 20 ping_ok || { dump; fail "no ping with a key from $api"; return 1; }
}

# The CKN both ends run: the key ID their providers delivered.
principal_ckn() { mkad_status "vs$1" .ckn; }

# kp_key ID: the key the fixture derives for the key ID (hex): the test
# knows the seed, so it can look for the key where it must not be.
kp_key()
{
	local msg
	msg=$(printf 'vsecy-kp key' | od -An -tx1 | tr -d ' \n')00$100000001
	# shellcheck disable=SC2059
	printf "$(printf '%s' "$msg" | sed 's/../\\x&/g')" |
		openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(cat "$D/seed")" |
		awk '{ print $NF }'
}

# Test that SKIP (TLS 1.3 PSK), qkd-only, initiator/responder secures the
# link and that both ends run the CA of the key ID the initiator got.
test_skip_only()
{
	pair skip qkd-only initiator responder || return 1
	local ckn
	ckn=$(principal_ckn 1)
	[ ${#ckn} -eq 32 ] || fail "vs1's CKN '$ckn' is no key ID" || return 1
	expect_eq "vs2's CKN (the key ID)" "$ckn" "$(principal_ckn 2)" || return 1
	grep -q "$ckn" "$D/kp1.log" && grep -q "$ckn" "$D/kp2.log" ||
		fail "key ID $ckn not in both providers' logs"
}

# Test that a capture of the link shows the key ID in the MKPDUs and never
# the key, and that no log (daemons', providers') holds the key's hex.
test_key_secret()
{
	local ckn key f
	ckn=$(principal_ckn 1)
	[ ${#ckn} -eq 32 ] || fail "vs1 runs no QKD CA: CKN '$ckn'" || return 1
	key=$(kp_key "$ckn")
	[ ${#key} -eq 64 ] || fail "cannot compute the key: '$key'" || return 1
	cap_start 1 veth1 "$D/cap.pcap" || return 1
	sleep 5
	cap_stop
	f=$(od -An -tx1 "$D/cap.pcap" | tr -d ' \n')
	case "$f" in *"$ckn"*) ;; *) fail "no MKPDU with CKN $ckn in the capture"; return 1 ;; esac
	case "$f" in *"$key"*) fail "the key is in the capture"; return 1 ;; esac
	for f in "$D"/vs1.log "$D"/vs2.log "$D"/kp1.log "$D"/kp2.log "$D"/kp1.err "$D"/kp2.err; do
		grep -qi "$key" "$f" && { fail "the key is in $f"; return 1; }
	done
	echo "capture: CKN = key ID $ckn; the key is in no capture and no log"
}

# Test that ETSI GS QKD 014 with mutual certificates, hybrid, both ends
# auto, secures the link on a QKD CA (a UUID's 16 octets as CKN), with the
# pre-shared CA beside it.
test_etsi_hybrid()
{
	pair etsi014 hybrid auto auto || return 1
	local ckn
	ckn=$(principal_ckn 1)
	[ ${#ckn} -eq 32 ] && [ "$ckn" != "$MKA_CKN" ] ||
		fail "vs1's principal CKN '$ckn' is not a key ID" || return 1
	expect_eq "vs2's CKN" "$ckn" "$(principal_ckn 2)" || return 1
	expect_eq "vs1's participants" 2 "$(mkad_status vs1 '.participants | length')"
}

# Test that a provider unreachable at start keeps a must-secure port
# closed, that the initiator retries, and that the link comes up once the
# provider does.
test_provider_late()
{
	local t0
	stop_all
	qkd_conf 1 16 skip qkd-only initiator
	qkd_conf 2 100 skip qkd-only responder
	kp_start 2 || return 1
	: > "$D/vs1.log"
	mkad_start 1 veth1 vs1 "$D/n1.conf" && mkad_start 2 veth2 vs2 "$D/n2.conf" || return 1
	addr 1 vs1 192.0.2.1 && addr 2 vs2 192.0.2.2 || return 1
	sleep 3
	mkad_secured vs1 && { fail "secured without a provider"; return 1; }
	ping_ok && { fail "a ping passed the closed port"; return 1; }
	mkad_log_has vs1 "trying again in" || { dump; fail "no retry logged"; return 1; }
	t0=$(now)
	kp_start 1 || return 1
	wait_for 30 mkad_secured vs1 || { dump; return 1; }
	echo "secured $(elapsed "$t0") s after the provider came up"
	wait_for 20 ping_ok || { dump; fail "no ping"; return 1; }
}

# Test that a responder restarting (its provider will not deliver the key
# it fetched again) gets the link back: the initiator, its peer gone, asks
# for a new key. Runs on test_provider_late's pair.
test_responder_restart()
{
	local old t0
	mkad_secured vs1 || { fail "the pair is not secured"; return 1; }
	old=$(principal_ckn 1)
	mkad_stop vs2
	t0=$(now)
	mkad_start 2 veth2 vs2 "$D/n2.conf" || return 1
	addr 2 vs2 192.0.2.2 || return 1
	wait_for 60 mkad_secured vs2 || { dump; return 1; }
	echo "secured again $(elapsed "$t0") s after the responder restarted"
	[ "$(principal_ckn 1)" != "$old" ] || fail "still on key ID $old" || return 1
	grep -q "already delivered" "$D/kp2.log" || fail "kp2 was not asked for $old again" ||
		return 1
	wait_for 20 ping_ok || { dump; fail "no ping"; return 1; }
}

# Test a CAK rollover under pings every 2 ms: qkd_cak_lifetime=10, so the
# initiator gets a new key 10 s after the first; the new CA runs beside
# the old, takes over, and the old one goes. The loss is the measurement,
# and must be 0 (as across a rekey).
test_rollover()
{
	local first out sent recv
	QKD_EXTRA=qkd_cak_lifetime=10 pair skip qkd-only initiator responder || return 1
	first=$(principal_ckn 1)
	out=$(lossy_ping 14)
	read -r sent recv <<< "$out"
	echo "rollover during 14 s of pings every 2 ms: sent $sent, received $recv," \
		"lost $((sent - recv)); key ID $first -> $(principal_ckn 1)"
	[ "$(principal_ckn 1)" != "$first" ] || { dump; fail "no rollover in 14 s"; return 1; }
	expect_eq "vs2's CKN" "$(principal_ckn 1)" "$(principal_ckn 2)" || return 1
	wait_for 30 mkad_log_has vs1 "rolled over to a newer key" || { dump; fail "the old CA stayed"; return 1; }
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "ping did not run: '$out'" || return 1
	expect_eq "pings lost across the rollover" 0 $((sent - recv))
}

# Test a provider down (503) at the rollover: the current CA carries the
# pings without loss while the initiator retries; a new key once the
# provider is back.
test_down_at_rollover()
{
	local first out sent recv
	QKD_EXTRA="qkd_cak_lifetime=10 qkd_retry_max=4" pair skip qkd-only initiator responder ||
		return 1
	first=$(principal_ckn 1)
	kill -USR1 "$(cat "$D/kp1.pid")"
	out=$(lossy_ping 12)
	read -r sent recv <<< "$out"
	echo "provider down at the rollover, 12 s of pings every 2 ms: sent $sent," \
		"received $recv, lost $((sent - recv))"
	mkad_log_has vs1 "no new key" || { dump; fail "no failed rollover logged"; return 1; }
	expect_eq "vs1's CKN while the provider is down" "$first" "$(principal_ckn 1)" || return 1
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "ping did not run: '$out'" || return 1
	expect_eq "pings lost" 0 $((sent - recv)) || return 1
	kill -USR1 "$(cat "$D/kp1.pid")"
	wait_for 30 bash -c "[ \"\$(vsecy-mkad -n vs2 -C $MKA_DIR/ctl -q STATUS | jq -r .ckn)\" != $first ]" ||
		{ dump; fail "no new key after the provider came back"; return 1; }
	wait_for 20 ping_ok || { dump; fail "no ping"; return 1; }
}

# bad_auth API LINE...: vs1 with a wrong credential: a configuration error
# in its log, no link.
bad_auth()
{
	local api=$1
	shift
	stop_all
	qkd_conf 1 16 "$api" qkd-only initiator "$@"
	kp_start 1 || return 1
	: > "$D/vs1.log"
	mkad_start 1 veth1 vs1 "$D/n1.conf" || return 1
	wait_for 20 mkad_log_has vs1 "configuration error" || { dump; return 1; }
	mkad_secured vs1 && { fail "secured"; return 1; }
	grep "configuration error" "$D/vs1.log" | head -n 1
}

ktap_print_header
if ! command -v vsecy > /dev/null; then
	ktap_set_plan 1
	ktap_test_skip "the vsecy tool is not installed"
	ktap_finished
fi
ktap_set_plan 9
setup || { echo "# setup failed"; exit "$KSFT_FAIL"; }
run_case "SKIP, TLS PSK, qkd-only, initiator/responder: secured, ping" test_skip_only
run_case "the key ID crosses the link, the key never; no log holds it" test_key_secret
run_case "ETSI 014, mutual certificates, hybrid, auto/auto: secured, ping" test_etsi_hybrid
run_case "provider down at start: port closed, retries, secured when it comes" test_provider_late
run_case "the responder restarts: a new key, the link back" test_responder_restart
run_case "CAK rollover (qkd_cak_lifetime) under pings every 2 ms loses no frame" test_rollover
run_case "provider down at the rollover: the current CA carries on, a new key after" \
	test_down_at_rollover
run_case "a wrong TLS PSK is a configuration error, no link" \
	bad_auth skip "qkd_psk_file=$D/wrong.psk"
run_case "a provider certificate from another CA is refused, no link" \
	bad_auth etsi014 "qkd_ca_cert=$D/other.pem"
ktap_finished
