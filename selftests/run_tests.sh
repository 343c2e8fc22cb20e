#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs test programs the way kselftest's runner does and prints KTAP: one
# top-level result per program, the program's own KTAP nested under it.
# A program passes on exit 0, is skipped on exit 4 (KSFT_SKIP), fails on
# anything else, including its timeout (from ./settings, or KSFT_TIMEOUT).
# After each result a diagnostic "# time: PROGRAM SECONDS BUSY%" gives its
# wall time (selftests/qemu/suite.sh splits the suite into shards by these)
# and how busy the CPUs were meanwhile (from /proc/stat).
# Exit status: 0 when nothing failed, 1 otherwise.
#
# Usage: run_tests.sh TEST...

cd "$(dirname "$0")" || exit 1

timeout=45
[ -r settings ] && timeout=$(sed -n 's/^timeout=//p' settings)
[ -n "${KSFT_TIMEOUT:-}" ] && timeout=$KSFT_TIMEOUT

pass=0 fail=0 skip=0 n=0
echo "KTAP version 1"
echo "1..$#"
for t in "$@"; do
	n=$((n + 1))
	echo "# selftests: vsecy: $t"
	if [ ! -x "$t" ]; then
		echo "not ok $n selftests: vsecy: $t # not found or not executable"
		fail=$((fail + 1))
		continue
	fi
	# Each program runs in a session of its own, so that on timeout
	# the whole group goes, children holding its output included. Its
	# output is nested under its result line.
	log=$(mktemp)
	t0=$(date +%s)
	read -r _ u0 n0 s0 i0 _ < /proc/stat
	setsid "./$t" > "$log" 2>&1 < /dev/null &
	pid=$!
	( sleep "$timeout" && touch "$log.timeout" && kill -KILL -- "-$pid" ) 2>/dev/null &
	watchdog=$!
	wait "$pid" 2>/dev/null
	rc=$?
	kill "$watchdog" 2>/dev/null
	kill -KILL -- "-$pid" 2>/dev/null
	secs=$(($(date +%s) - t0))
	read -r _ u1 n1 s1 i1 _ < /proc/stat
	busy=$(( (u1 + n1 + s1 - u0 - n0 - s0) * 100 /
		 (u1 + n1 + s1 + i1 - u0 - n0 - s0 - i0 + 1) ))
	sed 's/^/  /' "$log"
	[ -e "$log.timeout" ] && rc=timeout
	rm -f "$log" "$log.timeout"
	case $rc in
	0)
		echo "ok $n selftests: vsecy: $t"
		pass=$((pass + 1))
		;;
	4)
		echo "ok $n selftests: vsecy: $t # SKIP"
		skip=$((skip + 1))
		;;
	timeout)
		echo "not ok $n selftests: vsecy: $t # TIMEOUT ${timeout}s"
		fail=$((fail + 1))
		;;
	*)
		echo "not ok $n selftests: vsecy: $t # exit=$rc"
		fail=$((fail + 1))
		;;
	esac
	echo "# time: $t $secs $busy%"
done
echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
[ "$fail" -eq 0 ]
