#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`, inside the VM: vsecy against the kernel's macsec, same VM,
# same cipher suite, same veth pair layout, runs alternating between the
# drivers, several rounds; for every target the median of each and the
# ratio vsecy/macsec, with the spread, and the plain veth figure so that
# the cost of MACsec itself shows. A benchmark, not a test: it prints
# numbers and fails only when a run cannot be made.
#
#   ns a: dev -- veth0 <====> veth1 -- dev :ns b
#   dev: vs0 (vsecy), ms0 (macsec), ms0 on nic0 (macsec offloaded to a
#        vsecy NIC), or veth itself (plain)
#
# Targets (BENCH_TARGETS, default all of them):
#   tcp      iperf3 TCP, receiver's bit rate, each of BENCH_CIPHERS
#   udp64    iperf3 UDP, 64-octet datagrams as fast as they go (-b 0),
#            datagrams received per second, GCM-AES-128
#   rxsc     TCP with 4096 RX SCs on the receiver (the peer's added first),
#            against the same with 1; the kernel's macsec beside it
#   offload  TCP over the kernel's macsec offloaded to a vsecy NIC, against
#            vsecy's own SecY and software macsec
# Environment: BENCH_SECONDS (per run, default 5), BENCH_ROUNDS (default 3),
# BENCH_CIPHERS (default "gcm-aes-128 gcm-aes-256"), BENCH_RXSCS (4096),
# BENCH_RPS=1 (also a round with rps_cpus on the other CPU).

. "$(dirname "$0")/lib.sh"

secs=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-3}
ciphers=${BENCH_CIPHERS:-gcm-aes-128 gcm-aes-256}
targets=${BENCH_TARGETS:-tcp udp64 rxsc offload}
nscs=${BENCH_RXSCS:-4096}
KEY128=00112233445566778899aabbccddeeff
KEY256=00112233445566778899aabbccddeeff0123456789abcdef0123456789abcdef
OUT=$(mktemp -d)

trap 'ns_cleanup; rm -rf "$OUT"' EXIT

lower_of() { [ "$1" = a ] && echo veth0 || echo veth1; }
addr_of() { [ "$1" = a ] && echo 10.7.0.1 || echo 10.7.0.2; }

# setup KIND CIPHER [EXTRA_RXSCS]: both ends of one kind (vsecy, macsec,
# offload, plain), encryption on; ns b's SecY has EXTRA_RXSCS more RX SCs
# after the peer's.
setup()
{
	local kind=$1 cs=$2 extra=${3:-0} key i j mac lower dev cmd link
	ns_cleanup
	ns_create a b || return 1
	ip link add veth0 netns "$(ns a)" type veth peer name veth1 netns "$(ns b)" || return 1
	case $cs in *256) key=$KEY256 ;; *) key=$KEY128 ;; esac
	for i in a b; do
		[ $i = a ] && j=b || j=a
		lower=$(lower_of $i)
		mac=$(n $j cat /sys/class/net/"$(lower_of $j)"/address)
		n $i ip link set "$lower" up
		case $kind in
		plain)
			n $i ip addr add "$(addr_of $i)"/24 dev "$lower"
			continue
			;;
		vsecy)
			dev=vs0 cmd=vsecy
			n $i vsecy link add link "$lower" vs0 port 1 cipher "$cs" encrypt on || return 1
			;;
		macsec|offload)
			dev=ms0 cmd="ip macsec" link=$lower
			if [ "$kind" = offload ]; then
				n $i vsecy link add link "$lower" nic0 mode offload || return 1
				n $i ip link set nic0 up
				link=nic0
			fi
			n $i ip link add link "$link" ms0 type macsec port 1 cipher "$cs" encrypt on \
				$([ "$kind" = offload ] && echo offload mac) || return 1
			;;
		esac
		n $i $cmd add $dev tx sa 0 pn 1 on key 01 $key &&
		n $i $cmd add $dev rx port 1 address "$mac" &&
		n $i $cmd add $dev rx port 1 address "$mac" sa 0 pn 1 on key 01 $key || return 1
		if [ $i = b ] && [ "$extra" -gt 0 ]; then
			# One process for all of them: ip -batch and vsecy -batch.
			awk -v n="$extra" -v dev=$dev 'BEGIN {
				for (s = 1; s <= n; s++)
					printf "add %s rx sci 0200%08x0001\n", dev, s
			}' > "$OUT/rxsc.batch"
			if [ "$kind" = vsecy ]; then
				n $i vsecy -batch "$OUT/rxsc.batch" || return 1
			else
				sed 's/^/macsec /' "$OUT/rxsc.batch" > "$OUT/rxsc.ip"
				n $i ip -batch "$OUT/rxsc.ip" || return 1
			fi
		fi
		n $i ip addr add "$(addr_of $i)"/24 dev $dev
		n $i ip link set $dev up
	done
	wait_for 10 n a ping -c 1 -W 2 10.7.0.2
}

# tcp_once: one iperf3 TCP run; the receiver's bits per second.
tcp_once()
{
	local pid bps
	n b iperf3 -s -1 -B 10.7.0.2 >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	bps=$(n a iperf3 -c 10.7.0.2 -t "$secs" -J 2>/dev/null | jq '.end.sum_received.bits_per_second')
	wait $pid 2>/dev/null
	echo "${bps:-0}"
}

# udp64_once: 64-octet UDP datagrams, unlimited rate; datagrams the
# receiver got per second.
udp64_once()
{
	local pid out
	n b iperf3 -s -1 -B 10.7.0.2 >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	out=$(n a iperf3 -c 10.7.0.2 -u -l 64 -b 0 -t "$secs" -J 2>/dev/null)
	wait $pid 2>/dev/null
	echo "$out" | jq '(.end.sum.packets - .end.sum.lost_packets) / .end.sum.seconds' 2>/dev/null ||
		echo 0
}

# rps_on: received frames on each lower device are processed on the
# CPU other than the one they arrive on (the ceiling of a parallel design).
rps_on()
{
	local i
	for i in a b; do
		n $i sh -c "echo 2 > /sys/class/net/$(lower_of $i)/queues/rx-0/rps_cpus"
	done
}

# The gcm(aes) implementation the SAs use (both drivers ask the crypto
# API for "gcm(aes)"): the registered one with references taken.
gcm_driver()
{
	awk -v RS= '/name *: gcm\(aes\)/ && /refcnt *: ([2-9]|[1-9][0-9])/' /proc/crypto |
		awk '/^driver/ { print $3 }' | xargs
}

# measure LABEL KIND CIPHER RUN [EXTRA_RXSCS]: one figure, appended to
# $OUT/LABEL; prints it.
status=0
measure()
{
	local label=$1 kind=$2 cs=$3 run=$4 extra=${5:-0} v
	if ! setup "$kind" "$cs" "$extra"; then
		echo "setup $kind $cs failed"
		status=1
		return 1
	fi
	[ -n "${RPS:-}" ] && rps_on
	[ -n "${drv_shown:-}" ] || [ "$kind" = plain ] ||
		{ drv_shown=1; echo "=== gcm(aes) in use: $(gcm_driver)"; }
	v=$($run)
	echo "$v" >> "$OUT/$label"
	printf '  %-28s %12.1f\n' "$label" "$v"
}

# median LABEL: the median of the figures of LABEL.
median() { sort -g "$OUT/$1" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# spread LABEL SCALE: lowest-highest of LABEL, divided by SCALE.
spread() { sort -g "$OUT/$1" | awk -v s="$2" 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f-%.1f", lo / s, hi / s }'; }

# result NAME UNIT SCALE A B: the summary line of target NAME, medians of
# labels A (vsecy) and B (the reference), their ratio.
result()
{
	local name=$1 unit=$2 scale=$3 a=$4 b=$5 ma mb
	ma=$(median "$a") mb=$(median "$b")
	awk -v n="$name" -v u="$unit" -v s="$scale" -v a="$ma" -v b="$mb" \
	    -v sa="$(spread "$a" "$scale")" -v sb="$(spread "$b" "$scale")" -v la="$a" -v lb="$b" 'BEGIN {
		printf "RESULT %-24s %s %.1f %s (%s), %s %.1f %s (%s), ratio %.2f\n",
			n, la, a / s, u, sa, lb, b / s, u, sb, (b > 0 ? a / b : 0)
	}'
}

echo "=== vsecy benchmark: kernel $(uname -r), $(nproc) CPUs, ${secs}s x $rounds rounds, over veth"
grep -q ' aes ' /proc/cpuinfo && echo "=== CPU has AES-NI (emulated under TCG)"
modprobe vsecy || exit 1
modprobe macsec || exit 1

for r in $(seq 1 "$rounds"); do
	echo "--- round $r"
	for t in $targets; do
		case $t in
		tcp)
			measure tcp-plain plain gcm-aes-128 tcp_once
			for cs in $ciphers; do
				measure "tcp-macsec-$cs" macsec "$cs" tcp_once
				measure "tcp-vsecy-$cs" vsecy "$cs" tcp_once
			done
			;;
		udp64)
			measure udp64-plain plain gcm-aes-128 udp64_once
			measure udp64-macsec macsec gcm-aes-128 udp64_once
			measure udp64-vsecy vsecy gcm-aes-128 udp64_once
			;;
		rxsc)
			measure rxsc1-vsecy vsecy gcm-aes-128 tcp_once
			measure "rxsc$nscs-vsecy" vsecy gcm-aes-128 tcp_once "$((nscs - 1))"
			measure rxsc1-macsec macsec gcm-aes-128 tcp_once
			measure "rxsc$nscs-macsec" macsec gcm-aes-128 tcp_once "$((nscs - 1))"
			;;
		offload)
			measure offload-macsec macsec gcm-aes-128 tcp_once
			measure offload-vsecy vsecy gcm-aes-128 tcp_once
			measure offload-nic offload gcm-aes-128 tcp_once
			;;
		esac
	done
done
if [ -n "${BENCH_RPS:-}" ]; then
	echo "--- with rps_cpus on the other CPU"
	RPS=1 measure tcp-rps-macsec macsec gcm-aes-128 tcp_once
	RPS=1 measure tcp-rps-vsecy vsecy gcm-aes-128 tcp_once
fi

echo "=== summary (medians of $rounds rounds; spread in parentheses)"
for t in $targets; do
	case $t in
	tcp)
		awk -v v="$(median tcp-plain)" 'BEGIN { printf "RESULT %-24s plain veth %.1f Mbit/s\n", "tcp", v / 1e6 }'
		for cs in $ciphers; do
			result "tcp $cs" Mbit/s 1e6 "tcp-vsecy-$cs" "tcp-macsec-$cs"
		done
		;;
	udp64)
		awk -v v="$(median udp64-plain)" 'BEGIN { printf "RESULT %-24s plain veth %.0f pkt/s\n", "udp64", v }'
		result "udp64 gcm-aes-128" pkt/s 1 udp64-vsecy udp64-macsec
		;;
	rxsc)
		result "rxsc vsecy $nscs vs 1" Mbit/s 1e6 "rxsc$nscs-vsecy" rxsc1-vsecy
		result "rxsc macsec $nscs vs 1" Mbit/s 1e6 "rxsc$nscs-macsec" rxsc1-macsec
		result "rxsc $nscs vsecy/macsec" Mbit/s 1e6 "rxsc$nscs-vsecy" "rxsc$nscs-macsec"
		;;
	offload)
		result "offload nic/vsecy" Mbit/s 1e6 offload-nic offload-vsecy
		result "offload nic/macsec" Mbit/s 1e6 offload-nic offload-macsec
		;;
	esac
done
if [ -n "${BENCH_RPS:-}" ]; then
	result "tcp rps vsecy/macsec" Mbit/s 1e6 tcp-rps-vsecy tcp-rps-macsec
fi
exit $status
