#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`, inside the VM: TCP throughput (iperf3) over vsecy and over
# the kernel's macsec, same VM, same cipher suite, same veth pair layout,
# alternating runs, and the ratio vsecy/macsec. A benchmark, not a test:
# it prints numbers and fails only when a run cannot be made.
#
#   ns a: vs0|ms0 -- veth0 <====> veth1 -- vs0|ms0 :ns b
#
# Environment: BENCH_SECONDS (per run, default 5), BENCH_ROUNDS (default 3),
# BENCH_CIPHERS (default "gcm-aes-128 gcm-aes-256").

. "$(dirname "$0")/lib.sh"

secs=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-3}
ciphers=${BENCH_CIPHERS:-gcm-aes-128 gcm-aes-256}
KEY128=00112233445566778899aabbccddeeff
KEY256=00112233445566778899aabbccddeeff0123456789abcdef0123456789abcdef

trap ns_cleanup EXIT

# setup KIND CIPHER: both ends of one kind, encryption on.
setup()
{
	local kind=$1 cs=$2 key i j mac dev cmd
	ns_cleanup
	ns_create a b || return 1
	ip link add veth0 netns "$(ns a)" type veth peer name veth1 netns "$(ns b)" || return 1
	case $cs in *256) key=$KEY256 ;; *) key=$KEY128 ;; esac
	for i in a b; do
		[ $i = a ] && j=b || j=a
		mac=$(n $j cat /sys/class/net/veth$([ $j = a ] && echo 0 || echo 1)/address)
		local lower=veth$([ $i = a ] && echo 0 || echo 1)
		n $i ip link set $lower up
		if [ "$kind" = vsecy ]; then
			dev=vs0 cmd=vsecy
			n $i vsecy link add link $lower vs0 port 1 cipher "$cs" encrypt on || return 1
		else
			dev=ms0 cmd="ip macsec"
			n $i ip link add link $lower ms0 type macsec port 1 cipher "$cs" encrypt on || return 1
		fi
		n $i $cmd add $dev tx sa 0 pn 1 on key 01 $key &&
		n $i $cmd add $dev rx port 1 address "$mac" &&
		n $i $cmd add $dev rx port 1 address "$mac" sa 0 pn 1 on key 01 $key || return 1
		n $i ip addr add 10.7.0.$([ $i = a ] && echo 1 || echo 2)/24 dev $dev
		n $i ip link set $dev up
	done
	n a ping -c 1 -W 3 10.7.0.2 >/dev/null
}

# One iperf3 run; prints the receiver's bits per second.
run_once()
{
	local pid bps
	n b iperf3 -s -1 -B 10.7.0.2 >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	bps=$(n a iperf3 -c 10.7.0.2 -t "$secs" -J 2>/dev/null | jq '.end.sum_received.bits_per_second')
	wait $pid 2>/dev/null
	echo "${bps:-0}"
}

# The gcm(aes) implementation the SAs use (both drivers ask the crypto
# API for "gcm(aes)"): the registered one with references taken.
gcm_driver()
{
	awk -v RS= '/name *: gcm\(aes\)/ && /refcnt *: ([2-9]|[1-9][0-9])/' /proc/crypto |
		awk '/^driver/ { print $3 }' | xargs
}

echo "=== vsecy benchmark: kernel $(uname -r), $(nproc) CPUs, ${secs}s x $rounds rounds, TCP over veth"
grep -q ' aes ' /proc/cpuinfo && echo "=== CPU has AES-NI (emulated under TCG)"
modprobe vsecy || exit 1
status=0
for cs in $ciphers; do
	declare -A sum=([vsecy]=0 [macsec]=0)
	for r in $(seq 1 "$rounds"); do
		for kind in macsec vsecy; do
			setup "$kind" "$cs" || { echo "setup $kind $cs failed"; status=1; continue; }
			bps=$(run_once)
			[ -n "${drv_shown:-}" ] || { drv_shown=1; echo "=== gcm(aes) in use: $(gcm_driver)"; }
			printf '%-8s %-16s round %d: %8.1f Mbit/s\n' "$kind" "$cs" "$r" \
				"$(echo "$bps" | awk '{print $1 / 1e6}')"
			sum[$kind]=$(awk -v a="${sum[$kind]}" -v b="$bps" 'BEGIN {print a + b}')
		done
	done
	awk -v v="${sum[vsecy]}" -v m="${sum[macsec]}" -v r="$rounds" -v cs="$cs" 'BEGIN {
		printf "RESULT %s: vsecy %.1f Mbit/s, macsec %.1f Mbit/s, ratio vsecy/macsec %.2f\n",
			cs, v / r / 1e6, m / r / 1e6, (m > 0 ? v / m : 0)
	}'
	unset sum
done
exit $status
