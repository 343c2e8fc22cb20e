# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the vsecy selftests: KTAP output in kselftest's
# conventions (ktap_helpers.sh), namespaces, polling waits and checks that
# name the command, the expected and the observed value.
#
# A test script sources this file, calls ktap_print_header and
# ktap_set_plan, reports each case with ktap_test_result (or the
# pass/fail/skip helpers), and ends with ktap_finished, which exits 0 when
# every case passed, 1 otherwise.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

KTAP_TESTNO=1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_SKIP=0

ktap_print_header()
{
	echo "KTAP version 1"
}

ktap_set_plan()
{
	echo "1..$1"
}

ktap_print_msg()
{
	echo "# $*"
}

ktap_test_pass()
{
	echo "ok $KTAP_TESTNO $*"
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
}

ktap_test_fail()
{
	echo "not ok $KTAP_TESTNO $*"
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
}

ktap_test_skip()
{
	echo "ok $KTAP_TESTNO $* # SKIP"
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

ktap_finished()
{
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:0 xpass:0 skip:$KTAP_CNT_SKIP error:0"
	[ "$KTAP_CNT_FAIL" -eq 0 ] && exit "$KSFT_PASS"
	exit "$KSFT_FAIL"
}

# Runs a test case: the function (or command) and its arguments; the case
# passes when it returns 0. Its own output is shown as KTAP diagnostics,
# then its wall time ("# case time: N s").
CASE_FAILED_WHY=
run_case()
{
	local name=$1 out rc t0=$SECONDS
	shift
	CASE_FAILED_WHY=
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
	echo "# case time: $((SECONDS - t0)) s"
	if [ $rc -eq 0 ]; then
		ktap_test_pass "$name"
	elif [ $rc -eq "$KSFT_SKIP" ]; then
		ktap_test_skip "$name"
	else
		ktap_test_fail "$name"
	fi
}

# Prints why a check failed and returns 1: what was run, expected, observed.
fail()
{
	echo "FAIL: $*" >&2
	return 1
}

# expect_eq DESCRIPTION EXPECTED OBSERVED
expect_eq()
{
	[ "$2" = "$3" ] && return 0
	fail "$1: expected '$2', observed '$3'"
}

# expect_fail_msg MSG CMD...: CMD must fail and print MSG (the kernel's
# extack message, as iproute2 or vsecy shows it).
expect_fail_msg()
{
	local msg=$1 out
	shift
	if out=$("$@" 2>&1); then
		fail "'$*' succeeded, expected failure with '$msg'; output: $out"
		return 1
	fi
	case "$out" in
	*"$msg"*) return 0 ;;
	esac
	fail "'$*' failed without '$msg'; output: $out"
}

# wait_for TIMEOUT_SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
wait_for()
{
	local deadline=$((SECONDS + $1)) t=$1
	shift
	while ! "$@" >/dev/null 2>&1; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			fail "timed out after ${t}s waiting for: $*"
			return 1
		fi
		sleep 0.1
	done
}

# Namespaces. Each test gets its own, removed on exit.
NS_PREFIX="vst$$"
ns() { echo "$NS_PREFIX-$1"; }
# n N CMD...: run CMD in namespace N.
n() { local i=$1; shift; ip netns exec "$(ns "$i")" "$@"; }

ns_create()
{
	local i
	for i in "$@"; do
		ip netns add "$(ns "$i")" || return 1
		n "$i" ip link set lo up
	done
}

ns_cleanup()
{
	local i
	for i in $(ip netns list | awk -v p="$NS_PREFIX-" 'index($1, p) == 1 {print $1}'); do
		ip netns del "$i"
	done
}

# ns_wire MAC1 [MAC2]: namespaces 1 and 2 without IPv6 (its own frames,
# DAD and MLD, would move counters and reach the wire), joined by veth1
# in ns 1 (address MAC1) and veth2 in ns 2 (address MAC2 if given), both
# up.
ns_wire()
{
	local i
	ns_create 1 2 || return 1
	for i in 1 2; do
		n $i sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6 &&
			    echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6' || return 1
	done
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 address "$1" &&
	{ [ -z "${2:-}" ] || n 2 ip link set veth2 address "$2"; } &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up
}

# The tests need iproute2's ip: busybox's has no namespaces or macsec.
require_iproute2()
{
	ip -V 2>&1 | grep -q iproute2 ||
		{ echo "# ip is not iproute2: $(ip -V 2>&1)"; exit "$KSFT_FAIL"; }
}

# vsecy_links [NS]: names of the vsecy devices (in namespace NS).
vsecy_links()
{
	if [ -n "${1:-}" ]; then
		n "$1" ip -d -o link show type vsecy
	else
		ip -d -o link show type vsecy
	fi | awk -F': ' '{sub(/@.*/, "", $2); print $2}'
}

# cap_start NS DEV FILE: tcpdump -w in the background, until cap_stop.
CAP_PIDS=
cap_start()
{
	# Not through n(): $! must be tcpdump's own PID (ip netns exec
	# execs it), or cap_stop would stop a subshell and leave tcpdump.
	ip netns exec "$(ns "$1")" tcpdump -i "$2" -w "$3" -U -n --immediate-mode -Z root \
		>/dev/null 2>"$3.err" &
	CAP_PIDS="$CAP_PIDS $!"
	# tcpdump writes the file header once it has opened the device.
	wait_for 10 test -s "$3"
}

cap_stop()
{
	local p
	for p in $CAP_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	CAP_PIDS=
}

module_loaded() { [ -d /sys/module/vsecy ]; }

# Loads vsecy (idempotent).
vsecy_load() { module_loaded || modprobe vsecy; }

# Unloads vsecy, if loaded, and checks it went.
vsecy_unload()
{
	module_loaded || return 0
	rmmod vsecy || return 1
	! module_loaded || fail "vsecy still loaded after rmmod"
}

# moved "NAME=DELTA ..." CMD...: runs CMD, then checks that each counter
# NAME moved by DELTA ("+" for "by more than 0") and that every other one
# stayed. The counters are what the calling test's snap() prints, as
# NAME=VALUE lines.
moved()
{
	local spec=$1 before after line name b a want s ok=0
	local -A old wanted
	shift
	before=$(snap) || { fail "vsecy show failed"; return 1; }
	"$@" || { fail "command failed: $*"; return 1; }
	sleep 0.3
	after=$(snap)
	# Compared in the shell itself, not with a process per counter:
	# under the VM's emulation each one costs tens of milliseconds.
	for line in $before; do
		old[${line%%=*}]=${line#*=}
	done
	for s in $spec; do
		wanted[${s%%=*}]=${s#*=}
	done
	for line in $after; do
		name=${line%%=*}
		a=${line#*=}
		b=${old[$name]:-}
		want=${wanted[$name]:-0}
		unset "wanted[$name]"
		if [ -z "$b" ]; then
			fail "$name after '$*': not there before"
			ok=1
		elif [ "$want" = + ]; then
			[ "$a" -gt "$b" ] || { fail "$name after '$*': expected > $b, observed $a"; ok=1; }
		elif [ $((a - b)) -ne "$want" ]; then
			fail "$name after '$*': expected $((b + want)) ($b + $want), observed $a"
			ok=1
		fi
	done
	for name in "${!wanted[@]}"; do
		fail "no counter $name"
		ok=1
	done
	return $ok
}
