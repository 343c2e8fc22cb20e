#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The key-provider client of vsecy-mkad (kp.h, through build/kp_get)
# against live test providers (selftests/vsecy-kp), on the host's
# loopback, in KTAP. Two providers A ("alice") and B ("bob") share a seed,
# so a key ID got new from A gives the same key from B:
#  - SKIP over TLS 1.3 with an external PSK: new key on A, the same
#    fingerprint from B by ID, a second fetch refused (-ENOENT), a wrong
#    PSK refused (-EACCES), the capabilities;
#  - ETSI GS QKD 014 with mutual certificates: the same, a wrong CA file
#    and a missing client certificate refused (-EACCES), the status;
#  - a provider down (503: -EAGAIN), one slower than the timeout
#    (-ETIMEDOUT within timeout + 1 s), and nothing listening
#    (-ECONNREFUSED).
# Throwaway certificates are made with the openssl CLI in a temp dir.
#
# Usage: tests/kp_live.sh (from tools/mkad; builds build/kp_get and
# ../../selftests/vsecy-kp if missing). VSECY_KP=path overrides the
# provider.

cd "$(dirname "$0")/.." || exit 1
KP_GET=${KP_GET:-build/kp_get}
VSECY_KP=${VSECY_KP:-../../selftests/vsecy-kp}
N=0
FAILED=0
PIDS=()

ok() {		# ok COND-STATUS NAME [DIAG]
	N=$((N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $N mkad: kp live: $2"
	else
		[ -n "$3" ] && echo "# $3"
		echo "not ok $N mkad: kp live: $2"
		FAILED=$((FAILED + 1))
	fi
}

cleanup() {
	local p

	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	[ -n "$T" ] && rm -rf "$T"
}
trap cleanup EXIT

echo "KTAP version 1"
echo "1..16"

skip_all() {
	local i

	for i in $(seq 1 16); do
		echo "ok $i mkad: kp live # SKIP $1"
	done
	exit 0
}

command -v openssl >/dev/null || skip_all "no openssl CLI"
[ -x "$KP_GET" ] || make -s "$KP_GET" >/dev/null 2>&1 || skip_all "cannot build $KP_GET"
if [ ! -x "$VSECY_KP" ]; then
	make -s -C "$(dirname "$VSECY_KP")" vsecy-kp >/dev/null 2>&1 ||
		skip_all "cannot build $VSECY_KP"
fi

T=$(mktemp -d /tmp/kp_live.XXXXXX) || exit 1

# certificates: a CA, a server certificate for 127.0.0.1 and localhost,
# a client certificate, and an unrelated CA
gen() {
	set -e
	cd "$T"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-keyout ca.key -out ca.pem -subj /CN=kp-live-ca
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-keyout other-ca.key -out other-ca.pem -subj /CN=kp-live-other-ca
	for n in server client; do
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout $n.key -out $n.csr -subj /CN=kp-live-$n
	done
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > server.ext
	printf 'extendedKeyUsage=clientAuth\n' > client.ext
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-extfile server.ext -out server.pem
	openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
		-extfile client.ext -out client.pem
	openssl rand -hex 32 > seed
	openssl rand -hex 32 > psk
	openssl rand -hex 32 > bad.psk
	chmod 600 ./*.key seed psk bad.psk
}
(gen) > "$T/gen.log" 2>&1 || skip_all "cannot make certificates: $(tail -n 1 "$T/gen.log")"

# a port nothing listens on now
free_port() {
	local p

	while :; do
		p=$((20000 + RANDOM % 40000))
		ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo $p; return; }
	done
}

# start NAME LOCAL-ID ARGS...: a provider; its port in $PORT
start() {
	local name=$1 id=$2 i

	shift 2
	PORT=$(free_port)
	"$VSECY_KP" --listen 127.0.0.1:$PORT --seed-file "$T/seed" --local-id "$id" \
		--log "$T/$name.log" "$@" 2>"$T/$name.err" &
	PIDS+=($!)
	eval "PID_$name=$!"
	for i in $(seq 50); do
		ss -Hltn "sport = :$PORT" 2>/dev/null | grep -q . && return 0
		sleep 0.1
	done
	echo "# $name did not start: $(cat "$T/$name.err")"
	return 1
}

PSK=(--psk-identity mkad --psk-file "$T/psk")
CERT=(--cert "$T/server.pem" --key "$T/server.key" --client-ca "$T/ca.pem")
start skip_a alice "${PSK[@]}" && PA=$PORT || skip_all "provider A does not start"
start skip_b bob "${PSK[@]}" && PB=$PORT || skip_all "provider B does not start"
start etsi_a alice "${CERT[@]}" && EA=$PORT || skip_all "provider A (ETSI) does not start"
start etsi_b bob "${CERT[@]}" && EB=$PORT || skip_all "provider B (ETSI) does not start"
start slow alice "${PSK[@]}" --delay 3 && SLOW=$PORT || skip_all "slow provider does not start"

# kp (the rest of kp_get's arguments): its output line in $OUT
kp() {
	OUT=$("$KP_GET" --timeout 2 "$@" 2>&1)
}
field() {	# field NAME: a name=value of $OUT
	sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$OUT"
}

# SKIP with a PSK
kp --api skip --url https://127.0.0.1:$PA --remote-id bob "${PSK[@]}" new
ID=$(field id)
FP=$(field fp)
ok $([ -n "$ID" ] && [ -n "$FP" ]; echo $?) "SKIP/PSK: new key from A" "$OUT"
echo "# SKIP key $ID fp=$FP"
kp --api skip --url https://127.0.0.1:$PB --remote-id alice "${PSK[@]}" get "$ID"
ok $([ "$(field id)" = "$ID" ] && [ "$(field fp)" = "$FP" ]; echo $?) \
	"SKIP/PSK: the same key from B by its ID" "$OUT (want id=$ID fp=$FP)"
kp --api skip --url https://127.0.0.1:$PB --remote-id alice "${PSK[@]}" get "$ID"
ok $([ "$(field err)" = ENOENT ]; echo $?) "SKIP/PSK: a second fetch is refused (ENOENT)" "$OUT"
kp --api skip --url https://127.0.0.1:$PA --remote-id bob --psk-identity mkad \
	--psk-file "$T/bad.psk" new
ok $([ "$(field err)" = EACCES ]; echo $?) "SKIP/PSK: a wrong PSK gives EACCES" "$OUT"
kp --api skip --url https://127.0.0.1:$PA --remote-id bob "${PSK[@]}" check
ok $([ "$OUT" = ok ]; echo $?) "SKIP/PSK: capabilities" "$OUT"

# the asynchronous source (keysrc_qkd): a new key, then its ID, on A;
# a key ID from A twice on B: each time once from the provider, then from
# the source's cache, with the same fingerprint
OUT=$("$KP_GET" --timeout 2 --api skip --url https://127.0.0.1:$PA --remote-id bob \
	"${PSK[@]}" new 2>&1)
ID=$(field id)
FP=$(field fp)
OUT=$("$KP_GET" --timeout 2 --api skip --url https://127.0.0.1:$PB --remote-id alice \
	"${PSK[@]}" source "$ID" "$ID" 2>"$T/src_b.err")
ok $([ "$(grep -c "^ok id=$ID fp=$FP\$" <<<"$OUT")" = 2 ] &&
     grep -q "key $ID fp=$FP from provider (by ID)" "$T/src_b.err" &&
     grep -q "key $ID fp=$FP from the cache" "$T/src_b.err"; echo $?) \
	"source: a key ID twice on B, the second from the cache" \
	"$(echo $OUT; tail -n 3 "$T/src_b.err")"
OUT=$("$KP_GET" --timeout 2 --api skip --url https://127.0.0.1:$PA --remote-id bob \
	"${PSK[@]}" source new last 2>"$T/src_a.err")
ID=$(field id | head -n 1)
FP=$(field fp | head -n 1)
ok $([ -n "$ID" ] && [ "$(grep -c "^ok id=$ID fp=$FP\$" <<<"$OUT")" = 2 ] &&
     grep -q "key $ID fp=$FP from the cache" "$T/src_a.err"; echo $?) \
	"source: a new key, then its ID from the cache" "$(echo $OUT; tail -n 3 "$T/src_a.err")"

# ETSI 014 with mutual certificates
MTLS=(--ca "$T/ca.pem" --cert "$T/client.pem" --key "$T/client.key")
kp --api etsi014 --url https://localhost:$EA --remote-id bob "${MTLS[@]}" new
ID=$(field id)
FP=$(field fp)
kp --api etsi014 --url https://127.0.0.1:$EB --remote-id alice "${MTLS[@]}" get "$ID"
ok $([ -n "$ID" ] && [ "$(field id)" = "$ID" ] && [ "$(field fp)" = "$FP" ]; echo $?) \
	"ETSI 014/mTLS: new key on A, the same from B by its ID" "$OUT (want id=$ID fp=$FP)"
echo "# ETSI 014 key $ID fp=$FP"
kp --api etsi014 --url https://127.0.0.1:$EB --remote-id alice "${MTLS[@]}" get "$ID"
ok $([ "$(field err)" = ENOENT ]; echo $?) "ETSI 014/mTLS: a second fetch is refused (ENOENT)" "$OUT"
kp --api etsi014 --url https://127.0.0.1:$EA --remote-id bob --ca "$T/other-ca.pem" \
	--cert "$T/client.pem" --key "$T/client.key" new
ok $([ "$(field err)" = EACCES ]; echo $?) "ETSI 014/mTLS: a wrong CA file gives EACCES" "$OUT"
kp --api etsi014 --url https://127.0.0.1:$EA --remote-id bob --ca "$T/ca.pem" new
ok $([ "$(field err)" = EACCES ]; echo $?) "ETSI 014/mTLS: no client certificate gives EACCES" "$OUT"
kp --api etsi014 --url https://127.0.0.1:$EA --remote-id bob "${MTLS[@]}" check
ok $([ "$OUT" = ok ]; echo $?) "ETSI 014/mTLS: status" "$OUT"

# a provider down: 503
kill -USR1 "$PID_etsi_a"
sleep 0.2
kp --api etsi014 --url https://127.0.0.1:$EA --remote-id bob "${MTLS[@]}" new
ok $([ "$(field err)" = EAGAIN ]; echo $?) "a provider down (503) gives EAGAIN" "$OUT"
kill -USR1 "$PID_etsi_a"

# slower than the timeout
t0=$(date +%s%N)
kp --api skip --url https://127.0.0.1:$SLOW --remote-id bob "${PSK[@]}" --timeout 1 new
ms=$((($(date +%s%N) - t0) / 1000000))
ok $([ "$(field err)" = ETIMEDOUT ] && [ $ms -le 2000 ]; echo $?) \
	"a provider slower than the timeout (1 s): ETIMEDOUT in $ms ms" "$OUT"

# nothing listening
P=$(free_port)
t0=$(date +%s%N)
kp --api skip --url https://127.0.0.1:$P --remote-id bob "${PSK[@]}" new
ms=$((($(date +%s%N) - t0) / 1000000))
ok $([ "$(field err)" = ECONNREFUSED ]; echo $?) "nothing listening: ECONNREFUSED ($ms ms)" "$OUT"

# the providers' logs show fingerprints, and kp_get printed no key
ok $(! grep -qi "key\"" <<<"$OUT" && grep -q "$FP" "$T/etsi_b.log"; echo $?) \
	"the provider logged the fingerprint kp_get printed" "$(tail -n 3 "$T/etsi_b.log")"

echo "# mkad kp live: $N tests, $FAILED failed"
[ $FAILED = 0 ]
