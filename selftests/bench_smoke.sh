#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench` in miniature, so that it cannot rot: one round of a second
# of every target, 64 RX SCs instead of 4096, and a check that each target
# printed its RESULT line with figures above zero. The numbers themselves
# mean nothing here (the benchmark is `make bench`).

. "$(dirname "$0")/lib.sh"

require_iproute2
ktap_print_header
ktap_set_plan 2

# BENCH_OUT, not out: run_case has a local "out", which a case sees.
BENCH_OUT=$(BENCH_SECONDS=1 BENCH_ROUNDS=1 BENCH_CIPHERS=gcm-aes-128 BENCH_RXSCS=64 \
	"$(dirname "$0")/bench.sh" 2>&1)
rc=$?
printf '%s\n' "$BENCH_OUT" | grep -E '^(RESULT|===|setup)' | sed 's/^/# /'

# Test that the benchmark ran every run it tried.
run_case "bench.sh ran (exit 0)" expect_eq "bench.sh exit status" 0 "$rc"

# Test that every target has its result, with non-zero figures.
results_ok()
{
	local want name line
	for want in "tcp gcm-aes-128" "udp64 gcm-aes-128" "rxsc vsecy 64 vs 1" \
		    "rxsc macsec 64 vs 1" "offload nic/vsecy" "offload nic/macsec"; do
		line=$(printf '%s\n' "$BENCH_OUT" | grep "^RESULT $want ")
		[ -n "$line" ] || { fail "no RESULT line for '$want'"; return 1; }
		case "$line" in
		*"ratio 0.00"*) fail "zero figures for '$want': $line"; return 1 ;;
		esac
	done
}
run_case "every target has a result, figures above zero" results_ok
ktap_finished
