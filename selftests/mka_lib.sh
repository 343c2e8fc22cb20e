# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the MKA selftests (mka_*.sh): vsecy-mkad and wpa_supplicant
# in namespaces, their status, and waits on it. Sourced after lib.sh.

MKA_DIR=$(mktemp -d /tmp/mka.XXXXXX)
MKA_CAK=0123456789abcdef0123456789abcdef
MKA_CKN=6162636465666768696a6b6c6d6e6f70

# mka_conf FILE PRIORITY [EXTRA LINES...]: a wpa_supplicant.conf, as a
# user of wpa_supplicant or NetworkManager would have it.
mka_conf()
{
	local file=$1 prio=$2 line
	shift 2
	{
		echo "ctrl_interface=$MKA_DIR/wpa-ctrl-${file##*/}"
		echo "eapol_version=3"
		echo "ap_scan=0"
		echo "network={"
		echo "	key_mgmt=NONE"
		echo "	eapol_flags=0"
		echo "	macsec_policy=1"
		echo "	mka_cak=${MKA_CAK_OVERRIDE:-$MKA_CAK}"
		echo "	mka_ckn=${MKA_CKN_OVERRIDE:-$MKA_CKN}"
		echo "	mka_priority=$prio"
		for line in "$@"; do echo "	$line"; done
		echo "}"
	} > "$file"
}

# mkad_start NS LOWER NAME CONF: vsecy-mkad with the log backend (the
# module's SecY is not needed to prove the protocol), in the background.
mkad_start()
{
	local ns=$1 lower=$2 name=$3 conf=$4
	n "$ns" vsecy-mkad -i "$lower" -c "$conf" -n "$name" -b "${MKAD_BACKEND:-log}" \
		-C "$MKA_DIR/ctl" -f "$MKA_DIR/$name.log" -P "$MKA_DIR/$name.pid" -B ||
		fail "vsecy-mkad -i $lower -c $conf failed to start"
	wait_for 5 test -S "$MKA_DIR/ctl/$name.sock"
}

mkad_stop()
{
	local name=$1 pid
	pid=$(cat "$MKA_DIR/$name.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"
}

# mkad_status NAME [JQ]: the daemon's STATUS answer, through jq.
mkad_status()
{
	vsecy-mkad -n "$1" -C "$MKA_DIR/ctl" -q STATUS | jq -r "${2:-.}"
}

mkad_secured() { [ "$(mkad_status "$1" .secured)" = true ]; }

# wpa_start NS IF CONF: Debian's wpa_supplicant with the kernel's macsec.
wpa_start()
{
	local ns=$1 ifc=$2 conf=$3
	n "$ns" wpa_supplicant -B -i "$ifc" -Dmacsec_linux -c "$conf" \
		-P "$MKA_DIR/wpa-$ns.pid" -f "$MKA_DIR/wpa-$ns.log" -dd ||
		fail "wpa_supplicant -i $ifc -Dmacsec_linux failed to start"
}

wpa_stop()
{
	local ns=$1 sig=${2:-TERM} pid
	pid=$(cat "$MKA_DIR/wpa-$ns.pid" 2>/dev/null) || return 0
	kill -"$sig" "$pid" 2>/dev/null
	wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"
	rm -f "$MKA_DIR/wpa-$ns.pid"
}

# wpa_reset NS: stops wpa_supplicant in NS and deletes the macsec0 it
# leaves behind, so that the next one there starts from nothing.
wpa_reset()
{
	wpa_stop "$1"
	n "$1" ip link del macsec0 2>/dev/null
}

# wpa_get NS IF CONF KEY: a field of `wpa_cli status` (KaY status lines).
wpa_get()
{
	n "$1" wpa_cli -p "$MKA_DIR/wpa-ctrl-${3##*/}" -i "$2" status 2>/dev/null |
		sed -n "s/^$4=//p"
}

wpa_secured() { [ "$(wpa_get "$1" "$2" "$3" Secured)" = Yes ]; }

# macsec_show NS: `ip macsec show` of the macsec device wpa_supplicant made.
macsec_show() { n "$1" ip macsec show 2>/dev/null; }

# The key identifier of the TX SA in use on wpa_supplicant's macsec device.
macsec_tx_ki()
{
	macsec_show "$1" | awk '
		/TXSC:/ { for (i = 1; i <= NF; i++) if ($i == "SA") an = $(i + 1); tx = 1; next }
		/RXSC:/ { tx = 0 }
		tx && $1 == an ":" { for (i = 1; i <= NF; i++) if ($i == "key") print $(i + 1) }'
}

macsec_tx_sci() { macsec_show "$1" | awk '/TXSC:/ { print $2 }'; }

# The datapath tests (mka_macsec.sh, mka_vsecy*.sh): ns 1 is 192.0.2.1,
# ns 2 is 192.0.2.2.

# mka_pair_setup: namespaces 1 and 2 joined by a veth pair, veth1 <-> veth2,
# both up.
mka_pair_setup()
{
	ns_create 1 2 &&
	ip link add veth1 netns "$(ns 1)" type veth peer name veth2 netns "$(ns 2)" &&
	n 1 ip link set veth1 up && n 2 ip link set veth2 up
}

# addr NS DEV ADDR: brings DEV up with ADDR once it exists.
addr()
{
	wait_for 10 n "$1" ip link show "$2" || return 1
	n "$1" ip link set "$2" up &&
	n "$1" ip addr replace "$3/24" dev "$2"
}

ping_ok() { n 1 ping -c 1 -W 1 192.0.2.2 > /dev/null 2>&1; }

# lossy_ping SECONDS: pings 192.0.2.2 every 2 ms and prints "sent received".
lossy_ping()
{
	local cnt=$(($1 * 500))
	n 1 ping -q -i 0.002 -W 1 -c "$cnt" 192.0.2.2 2>/dev/null |
		awk '/packets transmitted/ { print $1, $4 }'
}

# rekey_ping SECONDS: pings as lossy_ping does while vsecy-mkad vs1 (key
# server) is told to rekey 2 s in; prints "sent received".
rekey_ping()
{
	local out
	( sleep 2; vsecy-mkad -n vs1 -C "$MKA_DIR/ctl" -q REKEY > /dev/null ) &
	out=$(lossy_ping "$1")
	wait
	echo "$out"
}

# SCIs as 16 hex digits, as STATUS and `ip macsec show` print them: the
# JSON of vsecy (and of ip macsec) drops leading zeros ("0x2d19..." for
# 02d19...). sci16: each SCI on standard input; secy_sci NS DEV: DEV's;
# rx_scs NS DEV: those of DEV's RX SCs, on one line.
sci16() { while read -r s; do printf '%16s\n' "${s#0x}" | tr ' ' 0; done; }
secy_sci() { n "$1" vsecy -j show "$2" | jq -r '.[0].sci' | sci16; }
rx_scs()
{
	n "$1" vsecy -j show "$2" | jq -r '.[0].rx_sc[]?.sci' | sci16 | xargs
}

# Test that traffic resumes after wpa_supplicant (ns 2, config $C2, on
# macsec0) restarts. Uses the calling test's dump().
test_wpa_restart()
{
	local t0
	wpa_reset 2
	t0=$(now)
	wpa_start 2 veth2 "$C2" || return 1
	wait_for 30 wpa_secured 2 veth2 "$C2" || { dump; return 1; }
	addr 2 macsec0 192.0.2.2 || { dump; return 1; }
	wait_for 30 ping_ok || { dump; fail "no ping after the restart"; return 1; }
	echo "traffic resumed $(elapsed "$t0") s after wpa_supplicant restarted"
}

now() { echo "${EPOCHREALTIME/./}"; }		# microseconds
elapsed() { local us=$(($(now) - $1)); printf '%d.%01d' $((us / 1000000)) $((us / 100000 % 10)); }

mka_cleanup()
{
	local f
	for f in "$MKA_DIR"/*.pid; do
		[ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	sleep 0.5
	ns_cleanup
	rm -rf "$MKA_DIR"
}

# mka_bridge_setup N...: a bridge br0 in ns sw that forwards 802.1X frames
# (01:80:C2:00:00:03, group_fwd_mask 8) and, for each N, ns N joined to it
# by vethN <-> pN, all up.
mka_bridge_setup()
{
	local i
	ns_create sw "$@" || return 1
	n sw ip link add br0 type bridge || return 1
	n sw ip link set br0 type bridge group_fwd_mask 8 || return 1
	n sw ip link set br0 up
	for i in "$@"; do
		ip link add "veth$i" netns "$(ns "$i")" type veth peer name "p$i" netns "$(ns sw)" &&
		n sw ip link set "p$i" master br0 && n sw ip link set "p$i" up &&
		n "$i" ip link set "veth$i" up || return 1
	done
}

# mkad_is NAME JQ: the daemon's STATUS makes the jq expression true.
mkad_is() { [ "$(mkad_status "$1" "$2" 2>/dev/null)" = true ]; }

# mkad_wait SECONDS NAME JQ: waits for mkad_is NAME JQ; on a timeout says
# what STATUS held.
mkad_wait()
{
	wait_for "$1" mkad_is "$2" "$3" && return 0
	fail "$2: '$3' not true within $1 s; STATUS: $(mkad_status "$2" -c 2>&1 | cut -c1-1500)"
}

# ping_ok_to NS ADDR: one ping from ns NS to ADDR gets an answer.
ping_ok_to() { n "$1" ping -c 1 -W 1 "$2" > /dev/null 2>&1; }

# pings NS:ADDR...: each pings within 15 s, or says which does not.
pings()
{
	local pair
	for pair in "$@"; do
		wait_for 15 ping_ok_to "${pair%%:*}" "${pair#*:}" ||
			{ fail "no ping from ns ${pair%%:*} to ${pair#*:}"; return 1; }
	done
}

# mkad_log_has NAME TEXT: vsecy-mkad NAME logged a line with TEXT.
mkad_log_has() { grep -q -- "$2" "$MKA_DIR/$1.log"; }

# mka_modules_bridge N...: the macsec and vsecy modules, then
# mka_bridge_setup N...
mka_modules_bridge()
{
	modprobe macsec || { echo "# no macsec module"; return 1; }
	vsecy_load || { echo "# no vsecy module"; return 1; }
	mka_bridge_setup "$@"
}

# mkad_member N PRIORITY BACKEND [LINES...]: vsecy-mkad vsN in ns N on
# vethN, with a fresh configuration and log.
mkad_member()
{
	local i=$1 prio=$2 backend=$3
	shift 3
	mka_conf "$MKA_DIR/n$i.conf" "$prio" "$@"
	: > "$MKA_DIR/vs$i.log"
	MKAD_BACKEND=$backend mkad_start "$i" "veth$i" "vs$i" "$MKA_DIR/n$i.conf"
}

# mkad_dump N...: STATUS, `vsecy show` and the log's tail of each vsN
# running.
mkad_dump()
{
	local i
	for i in "$@"; do
		[ -S "$MKA_DIR/ctl/vs$i.sock" ] || continue
		echo "vs$i: $(mkad_status "vs$i" -c 2>&1 | cut -c1-1200)"
		n "$i" vsecy show "vs$i" 2>/dev/null | sed 's/^/  /'
		tail -n 15 "$MKA_DIR/vs$i.log" | sed 's/^/  /'
	done
}
