#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks the test key provider vsecy-kp on the host: no root, no module,
# loopback only. Two providers share a seed; a key fetched by ID from one
# must equal the key the other generated, and each must refuse an ID it has
# delivered. SKIP runs over TLS 1.3 external PSK (openssl s_client), ETSI
# GS QKD 014 over mutual TLS (curl).
#
# openssl s_client -psk takes SHA-256 as the PSK's hash, which cannot go
# with TLS_AES_256_GCM_SHA384; the PSK is handed to it as a session file
# (-psk_session) whose cipher is TLS_AES_256_GCM_SHA384, as a SKIP client
# must do.

. "$(dirname "$0")/lib.sh"

KP=$(cd "$(dirname "$0")" && pwd)/vsecy-kp
D=$(mktemp -d /tmp/kp-check.XXXXXX)
P1=$((20000 + $$ % 20000))
P2=$((P1 + 1))
P3=$((P1 + 2))
trap 'kp_stop 1; kp_stop 2; kp_stop 3; [ -n "$KEEP" ] || rm -rf "$D"' EXIT

make_pki()
{
	local cn
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
		-subj /CN=kp-ca -keyout "$D/ca.key" -out "$D/ca.pem" 2>/dev/null || return 1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
		-subj /CN=other-ca -keyout "$D/other.key" -out "$D/other.pem" 2>/dev/null ||
		return 1
	for cn in kp sae1 rogue; do
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$cn" \
			-keyout "$D/$cn.key" -out "$D/$cn.csr" 2>/dev/null || return 1
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$D/$cn.ext"
		local ca=ca
		[ "$cn" = rogue ] && ca=other
		openssl x509 -req -in "$D/$cn.csr" -CA "$D/$ca.pem" -CAkey "$D/$ca.key" \
			-CAcreateserial -days 1 -extfile "$D/$cn.ext" -out "$D/$cn.pem" \
			2>/dev/null || return 1
	done
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$D/seed"
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$D/psk"
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$D/wrong.psk"
	psk_session "$D/psk" > "$D/psk.sess" && psk_session "$D/wrong.psk" > "$D/wrong.sess"
}

# psk_session FILE: an SSL session (PEM) holding the PSK of FILE for
# TLS_AES_256_GCM_SHA384, for s_client -psk_session.
psk_session()
{
	printf '%s\n' "asn1=SEQUENCE:s" "[s]" "v=INTEGER:1" "tls=INTEGER:0x0304" \
		"suite=FORMAT:HEX,OCTETSTRING:1302" "sid=OCTETSTRING:" \
		"psk=FORMAT:HEX,OCTETSTRING:$(cat "$1")" > "$D/sess.cnf"
	openssl asn1parse -genconf "$D/sess.cnf" -out "$D/sess.der" -noout || return 1
	echo "-----BEGIN SSL SESSION PARAMETERS-----"
	base64 -w 64 "$D/sess.der"
	echo "-----END SSL SESSION PARAMETERS-----"
}

# kp_start N PORT [ARGS...]: provider N (logs kpN.log, kpN.err).
kp_start()
{
	local i=$1 port=$2
	shift 2
	"$KP" --listen "127.0.0.1:$port" --seed-file "$D/seed" --local-id "kp$i" \
		--log "$D/kp$i.log" "$@" > /dev/null 2> "$D/kp$i.err" &
	echo $! > "$D/kp$i.pid"
	wait_for 5 grep -q "listening on 127.0.0.1:$port" "$D/kp$i.err"
}

kp_start_both()
{
	kp_start "$@" --cert "$D/kp.pem" --key "$D/kp.key" --client-ca "$D/ca.pem" \
		--psk-identity mkad --psk-file "$D/psk"
}

kp_stop()
{
	local pid
	pid=$(cat "$D/kp$1.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	# run_case runs in a subshell: the provider may not be our child.
	while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
	rm -f "$D/kp$1.pid"
}

# psk_get PORT PATH [SESSION [IDENTITY]]: "STATUS BODY" over TLS-PSK.
psk_get()
{
	local out
	out=$(printf 'GET %s HTTP/1.1\r\nHost: kp\r\n\r\n' "$2" |
		timeout 10 openssl s_client -quiet -connect "127.0.0.1:$1" -tls1_3 \
		-ciphersuites TLS_AES_256_GCM_SHA384 -psk_identity "${4:-mkad}" \
		-psk_session "${3:-$D/psk.sess}" 2>/dev/null | tr -d '\r')
	[ -n "$out" ] || return 1
	echo "$(echo "$out" | awk 'NR == 1 { print $2 }') $(echo "$out" | tail -n 1)"
}

# tls_get PORT PATH [CURL ARGS...]: "STATUS BODY" over mutual TLS as sae1.
tls_get()
{
	local port=$1 path=$2 out
	shift 2
	out=$(curl -sS --max-time 10 --cacert "$D/ca.pem" --cert "$D/sae1.pem" \
		--key "$D/sae1.key" --tlsv1.3 --tls13-ciphers TLS_AES_256_GCM_SHA384 \
		-w ' %{http_code}' "$@" "https://127.0.0.1:$port$path" 2>&1) || return 1
	echo "${out##* } ${out% *}"
}

# json BODY FIELD: a string field of a flat JSON object.
json() { printf '%s' "$1" | sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p"; }

# b64hex B64: the Base64 as lowercase hex.
b64hex() { printf '%s' "$1" | base64 -d | od -An -tx1 | tr -d ' \n'; }

# derive ID: the key of the ID (hex) by the fixture's PRF, from the seed.
derive()
{
	local msg
	msg=$(printf 'vsecy-kp key' | od -An -tx1 | tr -d ' \n')00${1}00000001
	# shellcheck disable=SC2059
	printf "$(printf '%s' "$msg" | sed 's/../\\x&/g')" |
		openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(cat "$D/seed")" |
		awk '{ print $NF }'
}

remember() { echo "$1" >> "$D/keys"; }

expect_status()
{
	expect_eq "$1" "$2" "${3%% *}" || { echo "body: ${3#* }"; return 1; }
}

test_start()
{
	make_pki || { fail "no PKI"; return 1; }
	kp_start_both 1 "$P1" && kp_start_both 2 "$P2"
}

# Test SKIP over PSK: a new key from kp1 is the key kp2 gives for its ID.
test_skip_pair()
{
	local r1 r2 id
	r1=$(psk_get "$P1" "/key?remoteSystemID=kp2") || { fail "no answer from kp1"; return 1; }
	expect_status "GET /key" 200 "$r1" || return 1
	id=$(json "${r1#* }" keyId)
	remember "$(json "${r1#* }" key)"
	expect_eq "keyId length" 32 "${#id}" || return 1
	r2=$(psk_get "$P2" "/key/$id?remoteSystemID=kp1")
	expect_status "GET /key/$id from kp2" 200 "$r2" || return 1
	expect_eq "key from kp2" "$(json "${r1#* }" key)" "$(json "${r2#* }" key)" || return 1
	expect_eq "key by the PRF" "$(derive "$id")" "$(json "${r2#* }" key)" || return 1
	echo "$id" > "$D/skip.id"
}

# Test that an ID delivered is refused: by kp2 again, by kp1 that made it.
test_skip_once()
{
	local id r
	id=$(cat "$D/skip.id")
	r=$(psk_get "$P2" "/key/$id?remoteSystemID=kp1")
	expect_status "second GET /key/$id from kp2" 400 "$r" || return 1
	r=$(psk_get "$P1" "/key/${id^^}?remoteSystemID=kp2")
	expect_status "GET /key/ID (upper case) from kp1" 400 "$r" || return 1
	grep -q "already delivered" "$D/kp2.log" || fail "no 'already delivered' in kp2.log"
}

# Test SKIP capabilities (over certificates), sizes and the error codes.
test_skip_misc()
{
	local r
	r=$(tls_get "$P1" /capabilities)
	expect_status capabilities 200 "$r" || return 1
	expect_eq localSystemID kp1 "$(json "${r#* }" localSystemID)" || return 1
	r=$(tls_get "$P1" "/key?remoteSystemID=kp2&size=512")
	expect_status "size=512" 200 "$r" || return 1
	remember "$(json "${r#* }" key)"
	expect_eq "512-bit key" 128 "$(json "${r#* }" key | tr -d '\n' | wc -c)" || return 1
	expect_status "size=100" 400 "$(tls_get "$P1" "/key?remoteSystemID=kp2&size=100")" ||
		return 1
	expect_status "no remoteSystemID" 400 "$(tls_get "$P1" /key)" || return 1
	expect_status "odd keyId" 400 "$(tls_get "$P1" "/key/abc?remoteSystemID=kp2")" || return 1
	expect_status "keyId too long" 400 \
		"$(tls_get "$P1" "/key/$(printf '%066d' 0)?remoteSystemID=kp2")" || return 1
	expect_status "unknown path" 404 "$(tls_get "$P1" /entropy)" || return 1
	expect_status "POST /key" 405 "$(tls_get "$P1" "/key?remoteSystemID=kp2" -d x)"
}

# Test ETSI 014 over mutual TLS: enc_keys (POST) from kp1, dec_keys from
# kp2 equal, the second dec_keys refused.
test_etsi_pair()
{
	local r1 r2 uuid body
	r1=$(tls_get "$P1" /api/v1/keys/sae2/enc_keys -H 'Content-Type: application/json' \
		-d '{ "number": 1, "size": 256 }')
	expect_status enc_keys 200 "$r1" || return 1
	uuid=$(json "${r1#* }" key_ID)
	case "$uuid" in
	????????-????-4???-[89ab]???-????????????) ;;
	*) fail "key_ID $uuid is not a version-4 UUID"; return 1 ;;
	esac
	remember "$(b64hex "$(json "${r1#* }" key)")"
	body="{\"key_IDs\": [ {\"key_ID\": \"$uuid\"} ]}"
	r2=$(tls_get "$P2" /api/v1/keys/sae1/dec_keys -H 'Content-Type: application/json' \
		-d "$body")
	expect_status dec_keys 200 "$r2" || return 1
	expect_eq "dec_keys key" "$(json "${r1#* }" key)" "$(json "${r2#* }" key)" || return 1
	r2=$(tls_get "$P2" "/api/v1/keys/sae1/dec_keys?key_ID=$uuid")
	expect_status "second dec_keys" 400 "$r2" || return 1
	expect_eq message "key not found" "$(json "${r2#* }" message)"
}

# Test ETSI 014 status, GET enc_keys, limits; a UUID's key is the SKIP key
# of its 16 octets.
test_etsi_misc()
{
	local r r2 uuid
	r=$(tls_get "$P1" /api/v1/keys/sae2/status)
	expect_status status 200 "$r" || return 1
	expect_eq slave_SAE_ID sae2 "$(json "${r#* }" slave_SAE_ID)" || return 1
	case "$r" in *'"max_key_per_request":1,'*) ;; *) fail "status: $r"; return 1 ;; esac
	expect_status "number=2" 400 \
		"$(tls_get "$P1" "/api/v1/keys/sae2/enc_keys?number=2")" || return 1
	expect_status "bad key_ID" 400 \
		"$(tls_get "$P1" "/api/v1/keys/sae2/dec_keys?key_ID=nope")" || return 1
	r=$(tls_get "$P1" "/api/v1/keys/sae2/enc_keys?number=1&size=128")
	expect_status "GET enc_keys" 200 "$r" || return 1
	uuid=$(json "${r#* }" key_ID)
	remember "$(b64hex "$(json "${r#* }" key)")"
	r2=$(psk_get "$P2" "/key/${uuid//-/}?remoteSystemID=kp1&size=128")
	expect_status "SKIP GET /key/UUID" 200 "$r2" || return 1
	expect_eq "SKIP key of the UUID" "$(b64hex "$(json "${r#* }" key)")" \
		"$(json "${r2#* }" key)" || return 1
	# dec_keys by GET, with the non-standard size, on the other provider
	r=$(tls_get "$P1" "/api/v1/keys/sae2/enc_keys?size=128")
	uuid=$(json "${r#* }" key_ID)
	remember "$(b64hex "$(json "${r#* }" key)")"
	r2=$(tls_get "$P2" "/api/v1/keys/sae1/dec_keys?key_ID=${uuid^^}&size=128")
	expect_status "GET dec_keys&size=128" 200 "$r2" || return 1
	expect_eq "128-bit dec_keys key" "$(json "${r#* }" key)" "$(json "${r2#* }" key)"
}

# Test that a wrong PSK or identity fails the TLS handshake.
test_wrong_psk()
{
	local r
	r=$(psk_get "$P1" /capabilities "$D/wrong.sess") &&
		{ fail "wrong PSK answered: $r"; return 1; }
	r=$(psk_get "$P1" /capabilities "$D/psk.sess" intruder) &&
		{ fail "wrong identity answered: $r"; return 1; }
	grep -q "TLS handshake failed" "$D/kp1.log" || fail "no handshake failure logged"
}

# Test that a client without a certificate, or with one of another CA, fails.
test_client_cert()
{
	local r
	r=$(curl -sS --max-time 10 --cacert "$D/ca.pem" --tlsv1.3 \
		"https://127.0.0.1:$P1/capabilities" 2>&1) &&
		{ fail "no client certificate answered: $r"; return 1; }
	r=$(curl -sS --max-time 10 --cacert "$D/ca.pem" --cert "$D/rogue.pem" \
		--key "$D/rogue.key" --tlsv1.3 "https://127.0.0.1:$P1/capabilities" 2>&1) &&
		{ fail "rogue client certificate answered: $r"; return 1; }
	return 0
}

# Test that SIGUSR1 makes every request 503, and a second one undoes it.
test_down()
{
	local pid
	pid=$(cat "$D/kp1.pid")
	kill -USR1 "$pid"
	wait_for 5 grep -q "provider down" "$D/kp1.log" || return 1
	expect_status "down: SKIP" 503 "$(psk_get "$P1" "/key?remoteSystemID=kp2")" || return 1
	expect_status "down: ETSI" 503 "$(tls_get "$P1" /api/v1/keys/sae2/status)" || return 1
	kill -USR1 "$pid"
	wait_for 5 grep -q "provider up" "$D/kp1.log" || return 1
	expect_status "up again" 200 "$(psk_get "$P1" /capabilities)"
}

# Test --state: a restarted provider still refuses the IDs it delivered.
test_state()
{
	local r id
	kp_stop 2
	kp_start_both 2 "$P2" --state "$D/kp2.state" || return 1
	r=$(psk_get "$P1" "/key?remoteSystemID=kp2")
	id=$(json "${r#* }" keyId)
	remember "$(json "${r#* }" key)"
	r=$(psk_get "$P2" "/key/$id?remoteSystemID=kp1")
	expect_status "first GET /key/ID" 200 "$r" || return 1
	kp_stop 2
	kp_start_both 2 "$P2" --state "$D/kp2.state" || return 1
	r=$(psk_get "$P2" "/key/$id?remoteSystemID=kp1")
	expect_status "GET /key/ID after restart" 400 "$r"
}

# Test a PSK-only provider, --delay, and the usage error without any
# authentication.
test_psk_only()
{
	local t0 r rc
	kp_start 3 "$P3" --psk-identity mkad --psk-file "$D/psk" --delay 1.5 || return 1
	t0=$(date +%s%N)
	r=$(psk_get "$P3" "/key?remoteSystemID=kp2")
	expect_status "PSK-only provider" 200 "$r" || return 1
	remember "$(json "${r#* }" key)"
	[ $(( ($(date +%s%N) - t0) / 1000000 )) -ge 1500 ] || fail "--delay 1.5 not applied" ||
		return 1
	"$KP" --listen 127.0.0.1:1 --seed-file "$D/seed" --local-id x 2> /dev/null
	rc=$?
	expect_eq "exit code without authentication" 2 "$rc"
}

# Test that an idle client does not block the provider beyond 5 s.
test_idle_client()
{
	local pid t0 r
	sleep 8 | openssl s_client -quiet -connect "127.0.0.1:$P3" -psk_identity mkad \
		-psk_session "$D/psk.sess" -tls1_3 > /dev/null 2>&1 &
	pid=$!
	sleep 0.5
	t0=$SECONDS
	r=$(psk_get "$P3" /capabilities)
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	expect_status "request behind an idle client" 200 "$r" || return 1
	[ $((SECONDS - t0)) -le 8 ] || fail "took $((SECONDS - t0)) s"
	grep -q "no complete request" "$D/kp3.log" || fail "idle client not logged"
}

# Test that no log holds a delivered key's hex, and that the log names fp=.
test_no_key_in_log()
{
	local n
	n=$(grep -c . "$D/keys")
	[ "$n" -ge 6 ] || { fail "only $n keys collected"; return 1; }
	cat "$D"/kp*.log "$D"/kp*.err > "$D/all.log"
	if grep -qiF -f "$D/keys" "$D/all.log"; then
		fail "a key is in a log"
		return 1
	fi
	grep -qF "$(cat "$D/seed")" "$D/all.log" && { fail "the seed is in a log"; return 1; }
	grep -qE ' 200 id=[0-9a-f]{32} fp=[0-9a-f]{8}' "$D/kp2.log" ||
		fail "no 'id=... fp=...' in kp2.log"
}

ktap_print_header
for tool in openssl curl; do
	command -v $tool > /dev/null && continue
	ktap_set_plan 1
	ktap_test_skip "kp fixture: no $tool"
	ktap_finished
done
if [ ! -x "$KP" ]; then
	ktap_set_plan 1
	ktap_test_skip "kp fixture: no $KP (make -C selftests vsecy-kp)"
	ktap_finished
fi
ktap_set_plan 13
run_case "kp: PKI, two providers with one seed" test_start
run_case "kp: SKIP key by ID from the other provider (PSK)" test_skip_pair
run_case "kp: SKIP key ID delivered once" test_skip_once
run_case "kp: SKIP capabilities, sizes, errors (certificates)" test_skip_misc
run_case "kp: ETSI 014 enc_keys/dec_keys (mutual TLS), once" test_etsi_pair
run_case "kp: ETSI 014 status, limits, UUID = SKIP ID" test_etsi_misc
run_case "kp: wrong PSK or identity fails the handshake" test_wrong_psk
run_case "kp: missing or foreign client certificate fails" test_client_cert
run_case "kp: SIGUSR1 toggles 503" test_down
run_case "kp: --state survives a restart" test_state
run_case "kp: PSK-only provider, --delay, usage" test_psk_only
run_case "kp: an idle client times out after 5 s" test_idle_client
run_case "kp: no key or seed in the logs" test_no_key_in_log
ktap_finished
