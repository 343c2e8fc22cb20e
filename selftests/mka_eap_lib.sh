# SPDX-License-Identifier: GPL-2.0
#
# Client-oriented mode, shared by mka_eap.sh (hostapd as RADIUS server)
# and mka_eap_freeradius.sh (FreeRADIUS): the access device (vsecy-mkad
# with a hostapd.conf on vs1, ns 1), the client (wpa_supplicant,
# key_mgmt=IEEE8021X, -Dmacsec_linux, ns 2), test certificates, the
# RADIUS server in ns 1 ($RADIUS_SERVER: hostapd or freeradius, on
# 127.0.0.1:1812), and the cases that both programs run.
#
#   ns 1: RADIUS server (127.0.0.1:1812)       ns 2: wpa_supplicant
#         vsecy-mkad -c hostapd-style.conf           macsec0 192.0.2.2/24
#         vs1 (vsecy) 192.0.2.1/24
#         veth1 <=================================> veth2
MKAD_BACKEND=vsecy
RADIUS_SERVER=${RADIUS_SERVER:-hostapd}
export OPENSSL_CONF=$MKA_DIR/openssl.cnf

ACC=$MKA_DIR/acc.conf
WPA=$MKA_DIR/wpa.conf
SECRET=vsecy-radius-secret
# the password the RADIUS server (re)started now knows for PEAP's "bob"
BOB_PASSWORD=hello

setup()
{
	modprobe macsec || { echo "# no macsec module"; return 1; }
	vsecy_load || { echo "# no vsecy module"; return 1; }
	mka_pair_setup && n 1 ip link set lo up || return 1
	# the OpenSSL 3 legacy provider, for MSCHAPv2's MD4 (wpa_supplicant
	# and hostapd load it themselves); an empty configuration otherwise
	printf 'openssl_conf = oc\n[oc]\n' > "$OPENSSL_CONF"
	certs
}

# P-256 test CAs: ca (the RADIUS server's certificate and the client's)
# and rogue (a client certificate that the server must refuse).
certs()
{
	local d=$MKA_DIR n ca
	for ca in ca rogue-ca; do
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
			-keyout "$d/$ca.key" -out "$d/$ca.pem" -subj "/CN=vsecy-test-$ca" \
			2>/dev/null || return 1
	done
	for n in server:ca client:ca rogue:rogue-ca; do
		ca=${n#*:} n=${n%:*}
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout "$d/$n.key" -out "$d/$n.csr" -subj "/CN=$n.test" 2>/dev/null &&
		openssl x509 -req -in "$d/$n.csr" -CA "$d/$ca.pem" -CAkey "$d/$ca.key" \
			-CAcreateserial -days 2 -out "$d/$n.pem" 2>/dev/null || return 1
	done
}

# radius_start [SECRET]: the RADIUS server in ns 1, knowing the access
# device by SECRET (default: the one acc.conf has); radius_stop.
radius_start() { "${RADIUS_SERVER}_start" "${1:-$SECRET}"; }
radius_stop() { "${RADIUS_SERVER}_stop"; }

# hostapd as RADIUS/EAP server (driver=none, eap_server=1).
hostapd_start()
{
	local d=$MKA_DIR
	cat > "$d/as.conf" <<-EOF
	driver=none
	interface=as0
	eap_server=1
	eap_user_file=$d/eap_user
	radius_server_clients=$d/radius_clients
	radius_server_auth_port=1812
	ca_cert=$d/ca.pem
	server_cert=$d/server.pem
	private_key=$d/server.key
	EOF
	printf '* TLS,PEAP\n"bob" MSCHAPV2 "%s" [2]\n' "$BOB_PASSWORD" > "$d/eap_user"
	printf '127.0.0.1/32 %s\n' "$1" > "$d/radius_clients"
	n 1 hostapd -B -P "$d/hostapd.pid" -f "$d/hostapd.log" "$d/as.conf" ||
		fail "hostapd (RADIUS server) did not start" || return 1
	wait_for 5 test -s "$d/hostapd.pid"
}

hostapd_stop() { pid_stop "$MKA_DIR/hostapd.pid"; }

# FreeRADIUS 3.2 (freeradius -X: foreground, one thread, debug log) with
# a configuration of its own: one client, the eap module (EAP-TLS, PEAP
# with MSCHAPv2 inside), a users file, and the dictionaries that these
# need (-D; all 150 of Debian's take long to read under emulation).
# The post-auth rule is Debian's: EAP-Key-Name only when asked for.
freeradius_start()
{
	local d=$MKA_DIR/raddb f
	mkdir -p "$d/run" "$d/log" "$d/dict"
	for f in rfc2865 rfc2866 rfc2868 rfc2869 rfc3580 rfc4072 freeradius \
		freeradius.internal microsoft; do
		echo "\$INCLUDE /usr/share/freeradius/dictionary.$f"
	done > "$d/dict/dictionary"
	printf 'bob\tCleartext-Password := "%s"\n' "$BOB_PASSWORD" > "$d/users"
	cat > "$d/radiusd.conf" <<-EOF
	prefix = /usr
	confdir = $d
	run_dir = $d/run
	logdir = $d/log
	libdir = /usr/lib/freeradius
	pidfile = $d/run/radiusd.pid
	max_request_time = 30
	hostname_lookups = no
	log {
		destination = stdout
		auth = yes
	}
	security {
		allow_core_dumps = no
		reject_delay = 0
		status_server = no
	}
	client localhost {
		ipaddr = 127.0.0.1
		secret = $1
		require_message_authenticator = yes
	}
	modules {
		eap {
			default_eap_type = tls
			tls-config tls-common {
				private_key_file = $MKA_DIR/server.key
				certificate_file = $MKA_DIR/server.pem
				ca_file = $MKA_DIR/ca.pem
				tls_min_version = "1.2"
				tls_max_version = "1.3"
			}
			tls {
				tls = tls-common
			}
			peap {
				tls = tls-common
				default_eap_type = mschapv2
				virtual_server = inner-tunnel
			}
			mschapv2 {
			}
		}
		mschap {
		}
		files {
			filename = $d/users
		}
	}
	server default {
		listen {
			type = auth
			ipaddr = 127.0.0.1
			port = 1812
		}
		authorize {
			eap {
				ok = return
			}
		}
		authenticate {
			eap
		}
		post-auth {
			if (EAP-Key-Name && &reply:EAP-Session-Id) {
				update reply {
					&EAP-Key-Name := &reply:EAP-Session-Id
				}
			}
		}
	}
	server inner-tunnel {
		authorize {
			files
			mschap
			eap {
				ok = return
			}
		}
		authenticate {
			Auth-Type MS-CHAP {
				mschap
			}
			eap
		}
	}
	EOF
	: > "$MKA_DIR/freeradius.log"
	ip netns exec "$(ns 1)" freeradius -X -d "$d" -D "$d/dict" -n radiusd \
		< /dev/null >> "$MKA_DIR/freeradius.log" 2>&1 &
	echo $! > "$MKA_DIR/freeradius.pid"
	wait_for 30 grep -q "Ready to process requests" "$MKA_DIR/freeradius.log" ||
		{ tail -n 20 "$MKA_DIR/freeradius.log"; fail "freeradius -X did not start"; return 1; }
}

freeradius_stop() { pid_stop "$MKA_DIR/freeradius.pid"; }

# pid_stop FILE: ends the process whose pid FILE holds, and waits.
pid_stop()
{
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"
	rm -f "$1"
}

# wpa_conf METHOD [PASSWORD|CERT]: the client's wpa_supplicant.conf
# (METHOD TLS or PEAP; CERT: client or rogue).
wpa_conf()
{
	{
		echo "ctrl_interface=$MKA_DIR/wpa-ctrl-wpa.conf"
		echo "eapol_version=3"
		echo "ap_scan=0"
		echo "network={"
		echo "	key_mgmt=IEEE8021X"
		echo "	eapol_flags=0"
		echo "	macsec_policy=1"
		echo "	ca_cert=\"$MKA_DIR/ca.pem\""
		if [ "$1" = TLS ]; then
			echo "	eap=TLS"
			echo "	identity=\"client\""
			echo "	client_cert=\"$MKA_DIR/${2:-client}.pem\""
			echo "	private_key=\"$MKA_DIR/${2:-client}.key\""
		else
			echo "	eap=PEAP"
			echo "	identity=\"bob\""
			echo "	password=\"${2:-hello}\""
			echo "	phase2=\"auth=MSCHAPV2\""
		fi
		echo "}"
	} > "$WPA"
}

# The access device's hostapd.conf, as hostapd's wired MACsec
# authenticator reads it (interface and driver are hostapd's: ignored).
acc_conf()
{
	cat > "$ACC" <<-EOF
	interface=veth1
	driver=macsec_linux
	eapol_version=3
	ieee8021x=1
	use_pae_group_addr=1
	macsec_policy=1
	mka_priority=16
	auth_server_addr=127.0.0.1
	auth_server_port=1812
	auth_server_shared_secret=$SECRET
	eap_reauth_period=0
	vsecy_tx_period=2
	vsecy_quiet_period=3
	EOF
}

# wpa_supplicant in ns 2, logging with keys (-K: its derived CAK and CKN).
wpa_eap_start()
{
	n 2 wpa_supplicant -B -i veth2 -Dmacsec_linux -c "$WPA" -P "$MKA_DIR/wpa-2.pid" \
		-f "$MKA_DIR/wpa-2.log" -dd -K ||
		fail "wpa_supplicant -Dmacsec_linux (EAP) failed to start"
}

wcli() { n 2 wpa_cli -p "$MKA_DIR/wpa-ctrl-wpa.conf" -i veth2 "$@"; }

# SAs on vs1 (RX and TX).
sas() { n 1 vsecy -j show vs1 | jq '[.. | .sa_list? // empty | .[]] | length'; }
no_sas() { [ "$(sas)" = 0 ]; }
ping_from_cli() { n 2 ping -c 1 -W 1 192.0.2.1 > /dev/null 2>&1; }
auth_ckn() { mkad_status vs1 .authenticator.ckn; }
# more authentications failed than $1
fails_above() { [ "$(mkad_status vs1 .authenticator.counters.auth_fail)" -gt "$1" ]; }
# the CKN wpa_supplicant derived last (its -dd log)
wpa_ckn()
{
	grep 'Derived CKN' "$MKA_DIR/wpa-2.log" | tail -n 1 | sed 's/.*): //' | tr -d ' '
}

dump()
{
	echo "vs1: $(mkad_status vs1 -c 2>&1 | cut -c1-1600)"
	n 1 vsecy show vs1 2>&1 | sed 's/^/  /'
	echo "ns 2: wpa_cli status"
	wcli status 2>&1 | sed 's/^/  /'
	echo "vsecy-mkad vs1 log (tail):"
	tail -n 30 "$MKA_DIR/vs1.log" | sed 's/^/  /'
	echo "wpa_supplicant log (EAP/KaY lines):"
	grep -E 'CTRL-EVENT|KaY|CP:|Derived CKN|participant|Participant|live|peer' "$MKA_DIR/wpa-2.log" |
		grep -v 'hexdump\|MKPDU' | tail -n "${DUMP_WPA:-25}" | sed 's/^/  /'
}

# Test that the RADIUS server answers a reference NAS (eapol_test -e:
# EAP-Key-Name asked for and checked, MPPE keys checked) for both methods.
test_radius_ref()
{
	local m
	radius_start || return 1
	for m in TLS PEAP; do
		wpa_conf "$m"
		n 1 eapol_test -e -c "$WPA" -a 127.0.0.1 -s "$SECRET" > "$MKA_DIR/eapol_test-$m.log" 2>&1 ||
			{ tail -n 15 "$MKA_DIR/eapol_test-$m.log"; fail "eapol_test $m failed"; return 1; }
		grep -q "MPPE keys OK: 1" "$MKA_DIR/eapol_test-$m.log" ||
			fail "eapol_test $m: MPPE keys not OK" || return 1
		grep -q "Session-Id matches EAP-Key-Name" "$MKA_DIR/eapol_test-$m.log" ||
			fail "eapol_test $m: no EAP-Key-Name matching the Session-Id" || return 1
	done
}

# Test EAP-TLS end to end: authenticated, the same CKN at both ends,
# vsecy-mkad key server, secured, pings both ways, status.
test_eap_tls()
{
	local t0 st
	wpa_conf TLS
	acc_conf
	: > "$MKA_DIR/vs1.log"
	t0=$(now)
	mkad_start 1 veth1 vs1 "$ACC" && wpa_eap_start || return 1
	wait_for 30 mkad_secured vs1 && wait_for 20 wpa_secured 2 veth2 "$WPA" || { dump; return 1; }
	echo "time to secured: $(elapsed "$t0") s (EAP-TLS, RADIUS, MKA)"
	grep -q "EAPOL authentication completed - result=SUCCESS" "$MKA_DIR/wpa-2.log" ||
		fail "wpa_supplicant did not complete EAP" || return 1
	expect_eq "CKN: vsecy-mkad vs wpa_supplicant's derived" "$(wpa_ckn)" "$(auth_ckn)" || return 1
	expect_eq "principal CKN is the EAP one" "$(auth_ckn)" "$(mkad_status vs1 .ckn)" || return 1
	expect_eq "vsecy-mkad is key server" true "$(mkad_status vs1 .key_server.self)" || return 1
	addr 1 vs1 192.0.2.1 && addr 2 macsec0 192.0.2.2 || { dump; return 1; }
	pings 1:192.0.2.2 2:192.0.2.1 || { dump; return 1; }
	st=$(n 1 vsecy mka status vs1 dir "$MKA_DIR/ctl")
	grep -q 'authenticator: AUTHENTICATED, supplicant .* identity "client" EAP EAP-TLS' <<< "$st" ||
		{ echo "$st"; fail "vsecy mka status does not show the authenticated supplicant"; return 1; }
	grep -q "RADIUS server 127.0.0.1:1812" <<< "$st" || fail "no RADIUS server in status"
}

# Test PEAP-MSCHAPv2 end to end.
test_peap()
{
	wpa_reset 2
	wpa_conf PEAP
	wpa_eap_start || return 1
	# the TLS session goes on until the new exchange replaces it
	mkad_wait 40 vs1 '.authenticator.identity == "bob" and .secured' || { dump; return 1; }
	expect_eq "EAP method" PEAP "$(mkad_status vs1 .authenticator.eap_method)" || return 1
	expect_eq "identity" bob "$(mkad_status vs1 .authenticator.identity)" || return 1
	expect_eq "CKN: vsecy-mkad vs wpa_supplicant's derived" "$(wpa_ckn)" "$(auth_ckn)" || return 1
	addr 2 macsec0 192.0.2.2 && pings 2:192.0.2.1 || { dump; return 1; }
}


# eap_begin N NAME: the KTAP header and a plan of N cases, then setup; if
# that fails, N skipped cases and the end.
eap_begin()
{
	local i
	ktap_print_header
	ktap_set_plan "$1"
	setup && return 0
	for i in $(seq "$1"); do ktap_test_skip "$2: no setup"; done
	ktap_finished
}

# refused WHAT METHOD [ARG]: wpa_supplicant anew with wpa_conf METHOD ARG,
# which the server must refuse: a failed authentication counted, then no
# session, no participant, no SA, no ping (WHAT: "with ...", for the
# messages).
refused()
{
	local what=$1 f0
	shift
	f0=$(mkad_status vs1 .authenticator.counters.auth_fail)
	wpa_reset 2
	wait_for 10 no_sas || { dump; fail "SAs left after wpa_supplicant stopped"; return 1; }
	wpa_conf "$@"
	wpa_eap_start || return 1
	wait_for 30 fails_above "$f0" ||
		{ dump; fail "no failed authentication counted"; return 1; }
	sleep 2
	expect_eq "secured $what" false "$(mkad_status vs1 .secured)" || return 1
	expect_eq "participants $what" 0 "$(mkad_status vs1 '.participants | length')" ||
		return 1
	expect_eq "SAs $what" 0 "$(sas)" || return 1
	! ping_from_cli || fail "a ping answered without authentication"
}

# gap_ping COUNT: COUNT pings from ns 1 to 192.0.2.2 every 2 ms, each
# reply's time noted (-D); prints "sent received gap span": the longest
# gap between two replies (the outage: ping's sends block while the
# SecY's port is closed, so the lost count alone understates it) and the
# time from the first reply to the last, in seconds.
gap_ping()
{
	n 1 ping -D -i 0.002 -W 1 -c "$1" 192.0.2.2 2>/dev/null |
		awk '/bytes from/ { t = substr($1, 2, length($1) - 2); if (!f) f = t
			if (p && t - p > g) g = t - p; p = t; r++ }
		     /packets transmitted/ { s = $1 }
		     END { printf "%d %d %.2f %.1f\n", s, r, g, p - f }'
}
