# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the vsecy_offload*.sh tests, after lib.sh: counters from
# `ip -s macsec show` (and `vsecy -s show`, which prints the same text)
# and frames from a capture, both read with awk: jq and tcpdump -r each
# take most of a second to start in the VM, and these run many times.

# counters NS DEV [TOOL]: every counter, PN and SA state of DEV as
# NAME=VALUE lines, from `ip -s macsec show DEV` (TOOL "vsecy": `vsecy -s
# show DEV`). The SecY's and the TX SC's counters keep their names; a TX
# SA's are "txsaN.NAME"; the first RX SC's "sc.NAME", the next ones'
# "sc2.NAME"...; an RX SA's "sc.saN.NAME". An SA also has "...pn" and
# "...on" (1 or 0). DEV "": every device the command shows, each line
# prefixed with "DEV/".
counters()
{
	local ns=$1 dev=$2 out
	if [ "${3:-ip}" = vsecy ]; then
		out=$(n "$ns" vsecy -s show $dev)
	else
		out=$(n "$ns" ip -s macsec show $dev)
	fi || return 1
	printf '%s\n' "$out" | parse_counters "${dev:+x}"
}

# parse_counters [ONE]: counters() from ip -s macsec show's text on
# standard input; with ONE empty, every device's, prefixed.
parse_counters()
{
	awk -v one="$1" '
	/^[0-9]+: / {
		d = $2; sub(":$", "", d); sub("@.*", "", d)
		dp = one != "" ? "" : d "/"
		p = ""; rx = 0; cur = ""; sp = ""
		next
	}
	/^    RXSC: / { rx++; p = rx == 1 ? "sc." : "sc" rx "."; sp = p; cur = ""; next }
	/^    TXSC: / { p = ""; sp = "txsa"; cur = ""; next }
	/^        [0-3]: PN / {
		an = $1; sub(":", "", an)
		q = (sp == "txsa") ? "txsa" an "." : sp "sa" an "."
		pn = $3; sub(",.*", "", pn)
		print dp q "pn=" pn
		print dp q "on=" ($0 ~ /state on/ ? 1 : 0)
		cur = q
		next
	}
	/^    stats: / {
		n = split($0, names, " ")
		getline
		split($0, vals, " ")
		# Before any SA line, a stats block is the SecY'\''s, the TX
		# SC'\''s or the RX SC'\''s; after one, the SA'\''s.
		pre = (cur != "") ? cur : p
		for (i = 2; i <= n; i++)
			print dp pre names[i] "=" vals[i - 1]
		next
	}
	{ cur = "" }
	'
}

# counter NS DEV NAME [TOOL]: one value of counters().
counter()
{
	counters "$1" "$2" "${4:-ip}" | awk -F= -v k="$3" '$1 == k { print $2; f = 1 } END { exit !f }'
}

# value NAME: NAME's value in the NAME=VALUE lines on standard input.
value() { awk -F= -v k="$1" '$1 == k { print $2 }'; }

# pcap_frames FILE: one line per frame of the classic pcap FILE:
# "ETHERTYPE TCI SCI HEX" (TCI and SCI "-" without a SecTAG or SCI; HEX:
# the frame's octets as far as captured; capture with a small snapshot
# length, -s 128, as cap128_start does: this is awk).
pcap_frames()
{
	od -An -v -tx1 "$1" | awk '
	function h(s, i, v) {
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	{ for (i = 1; i <= NF; i++) b[nb++] = $i }
	END {
		# Classic pcap: 24 octets of file header, then per frame 16
		# octets (incl_len little-endian at 8) and the frame.
		o = 24
		while (o + 16 <= nb) {
			len = h(b[o + 11] b[o + 10] b[o + 9] b[o + 8])
			o += 16
			if (o + len > nb)
				break
			hex = ""
			for (i = 0; i < len; i++)
				hex = hex b[o + i]
			et = b[o + 12] b[o + 13]
			tci = "-"; sci = "-"
			if (et == "88e5" && len > 14) {
				tci = b[o + 14]
				if (len >= 28 && int(h(tci) / 32) % 2)
					for (i = 20; i < 28; i++)
						sci = (sci == "-" ? "" : sci) b[o + i]
			}
			print et, tci, sci, hex
			o += len
		}
	}'
}

# pcap_count FILE: how many frames FILE holds, complete ones.
pcap_count() { pcap_frames "$1" 2>/dev/null | wc -l; }
pcap_has() { [ "$(pcap_count "$1")" -ge "$2" ]; }

# cap128_start NS DEV FILE: cap_start with 128 octets of each frame (the
# Ethernet header, SecTAG and the first user data), until cap_stop.
cap128_start()
{
	ip netns exec "$(ns "$1")" tcpdump -i "$2" -s 128 -w "$3" -U -n --immediate-mode -Z root \
		>/dev/null 2>"$3.err" &
	CAP_PIDS="$CAP_PIDS $!"
	wait_for 10 test -s "$3"
}

# iperf_kbytes FILE: the KBytes the receiver got, from iperf3's summary
# line (-f sets the rate's unit only; the transfer's has its own).
iperf_kbytes()
{
	awk '/receiver/ {
		m = 1 / 1024
		if ($6 == "KBytes") m = 1
		if ($6 == "MBytes") m = 1024
		if ($6 == "GBytes") m = 1024 * 1024
		print int($5 * m)
	}' "$1"
}

# iperf_secs FILE: the receiver's interval end, in seconds, from iperf3's
# text output.
iperf_secs()
{
	awk '/receiver/ { split($3, t, "-"); print t[2] }' "$1"
}

# sci_hex MAC PORT: an SCI as pcap_frames() prints it.
sci_hex() { printf '%s%04x' "${1//:/}" "$2"; }
