#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`, inside the VM: the project's showcase, as a transcript.
#
# Part 1, MKA: two namespaces joined by a veth pair. alice runs vsecy-mkad,
# which creates a vsecy SecY and keys it with MKA (IEEE 802.1X-2020) from
# a pre-shared CAK/CKN; bob runs Debian's wpa_supplicant with the same
# PSK, keying the kernel's own macsec. The link is secured, a ping goes
# across, then both sides' views.
#
# Part 2, static keys: vsecy takes ip macsec's command lines.
#
# Part 3, the offload NIC: a vsecy device in mode offload, the kernel's
# macsec on it with offload mac, set up with stock iproute2, against the
# kernel's software macsec; `ip -s macsec show` of the offloaded device
# shows the NIC's counters and PNs.
#
#   ns alice: vs0 (vsecy, vsecy-mkad) -- veth0 <===> veth1 -- macsec0 :ns bob
#             10.0.0.1/24                    (wpa_supplicant)  10.0.0.2/24
#
# Each command is echoed before it runs.

. "$(dirname "$0")/lib.sh"

run() { echo "\$ $*"; "$@"; }
step() { echo; echo "=== $*"; }
now() { echo "${EPOCHREALTIME/./}"; }
elapsed() { local us=$(($(now) - $1)); printf '%d.%02d' $((us / 1000000)) $((us / 10000 % 100)); }

# wait_until SECONDS CMD...: polls CMD every 50 ms.
wait_until()
{
	local deadline=$(($(date +%s) + $1))
	shift
	until "$@" > /dev/null 2>&1; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

D=/tmp/demo
mkdir -p "$D" /run
status=0

step "vsecy demo on $(uname -r), part 1: MKA keys a vsecy link against wpa_supplicant"
run modprobe vsecy
run modprobe macsec
run ip netns add alice
run ip netns add bob
run ip link add veth0 netns alice type veth peer name veth1 netns bob
run ip -n alice link set veth0 up
run ip -n bob link set veth1 up

# The same MACsec network block serves both: vsecy-mkad reads a
# wpa_supplicant.conf as it is. The CAK below is a demo key.
cat > "$D/alice.conf" << 'EOF'
# vsecy-mkad reads wpa_supplicant's MACsec PSK network block unchanged.
network={
	key_mgmt=NONE
	eapol_flags=0
	macsec_policy=1
	mka_cak=0123456789abcdef0123456789abcdef
	mka_ckn=6162636465666768696a6b6c6d6e6f70
	mka_priority=16
}
EOF
cat > "$D/bob.conf" << 'EOF'
ctrl_interface=/run/wpa_supplicant
eapol_version=3
ap_scan=0
network={
	key_mgmt=NONE
	eapol_flags=0
	macsec_policy=1
	mka_cak=0123456789abcdef0123456789abcdef
	mka_ckn=6162636465666768696a6b6c6d6e6f70
	mka_priority=255
}
EOF
step "alice's configuration (priority 16: alice is the key server)"
run cat "$D/alice.conf"
step "bob's configuration: an ordinary wpa_supplicant.conf"
run cat "$D/bob.conf"

step "start both ends"
t0=$(now)
run ip netns exec bob wpa_supplicant -B -i veth1 -Dmacsec_linux -c "$D/bob.conf" -f "$D/wpa.log"
run ip netns exec alice vsecy-mkad -i veth0 -c "$D/alice.conf" -n vs0 -B -f "$D/mkad.log" -P "$D/mkad.pid"

secured()
{
	vsecy-mkad -n vs0 -q STATUS | grep -q '"secured":true' &&
		ip netns exec bob wpa_cli -p /run/wpa_supplicant -i veth1 status | grep -q '^Secured=Yes'
}
if wait_until 30 secured; then
	echo "# secured at both ends $(elapsed "$t0") s after start"
else
	echo "# NOT secured after 30 s"
	status=1
	tail -n 20 "$D/mkad.log"
fi

step "addresses on the secured devices, and a ping"
run ip -n alice addr add 10.0.0.1/24 dev vs0
run ip -n alice link set vs0 up
wait_until 5 ip -n bob link show macsec0
run ip -n bob addr add 10.0.0.2/24 dev macsec0
run ip -n bob link set macsec0 up
wait_until 10 ip netns exec alice ping -c 1 -W 1 10.0.0.2
run ip netns exec alice ping -c 3 -i 0.3 10.0.0.2 || status=1

step "alice: the MKA state (vsecy-mkad's control socket) - no key is ever shown"
run vsecy mka status vs0
step "alice: the vsecy SecY, with counters"
run ip netns exec alice vsecy -s show
step "bob: wpa_supplicant's view"
run ip netns exec bob wpa_cli -p /run/wpa_supplicant -i veth1 status
step "bob: the kernel's macsec, keyed by wpa_supplicant"
run ip -n bob macsec show

step "stop: vsecy-mkad removes vs0 and wipes its keys"
run kill "$(cat "$D/mkad.pid")"
if wait_until 5 bash -c "! ip -n alice link show vs0"; then
	echo "# vs0 is gone"
else
	echo "# vs0 is still there"
	status=1
fi
ip netns exec bob wpa_cli -p /run/wpa_supplicant -i veth1 terminate > /dev/null
ip netns del alice
ip netns del bob

step "part 2: static keys, vsecy with ip macsec's command lines"
KEY_A=a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1
KEY_B=b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2
ip netns add alice
ip netns add bob
ip link add veth0 netns alice type veth peer name veth1 netns bob
ip -n alice link set veth0 up
ip -n bob link set veth1 up
mac_a=$(ip netns exec alice cat /sys/class/net/veth0/address)
mac_b=$(ip netns exec bob cat /sys/class/net/veth1/address)
run ip netns exec alice vsecy link add link veth0 vs0 port 1 encrypt on
run ip netns exec alice vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY_A
run ip netns exec alice vsecy add vs0 rx port 1 address "$mac_b"
run ip netns exec alice vsecy add vs0 rx port 1 address "$mac_b" sa 0 pn 1 on key 02 $KEY_B
run ip -n bob link add link veth1 ms0 type macsec port 1 encrypt on
run ip -n bob macsec add ms0 tx sa 0 pn 1 on key 02 $KEY_B
run ip -n bob macsec add ms0 rx port 1 address "$mac_a"
run ip -n bob macsec add ms0 rx port 1 address "$mac_a" sa 0 pn 1 on key 01 $KEY_A
ip -n alice addr add 10.0.0.1/24 dev vs0
ip -n alice link set vs0 up
ip -n bob addr add 10.0.0.2/24 dev ms0
ip -n bob link set ms0 up
run ip netns exec alice ping -c 2 -i 0.3 10.0.0.2 || status=1

ip netns del alice
ip netns del bob

step "part 3: the offload NIC - the kernel's macsec, offload mac, on a vsecy NIC; stock iproute2"
ip netns add alice
ip netns add bob
ip link add veth0 netns alice type veth peer name veth1 netns bob
ip -n bob link set veth1 up
mac_b=$(ip netns exec bob cat /sys/class/net/veth1/address)
run ip netns exec alice vsecy link add link veth0 nic0 mode offload
run ip -n alice link set veth0 up
run ip -n alice link set nic0 up
mac_a=$(ip netns exec alice cat /sys/class/net/nic0/address)
run ip -n alice link add link nic0 macsec0 type macsec port 1 cipher gcm-aes-128 encrypt on offload mac
run ip -n alice macsec add macsec0 tx sa 0 pn 1 on key 01 $KEY_A
run ip -n alice macsec add macsec0 rx port 1 address "$mac_b"
run ip -n alice macsec add macsec0 rx port 1 address "$mac_b" sa 0 pn 1 on key 02 $KEY_B
ip -n bob link add link veth1 ms0 type macsec port 1 encrypt on
ip -n bob macsec add ms0 tx sa 0 pn 1 on key 02 $KEY_B
ip -n bob macsec add ms0 rx port 1 address "$mac_a"
ip -n bob macsec add ms0 rx port 1 address "$mac_a" sa 0 pn 1 on key 01 $KEY_A
ip -n alice addr add 10.0.0.1/24 dev macsec0
ip -n alice link set macsec0 up
ip -n bob addr add 10.0.0.2/24 dev ms0
ip -n bob link set ms0 up
echo "# bob runs the kernel's software macsec with the same keys"
run ip netns exec alice ping -c 3 -i 0.3 10.0.0.2 || status=1
step "alice: ip macsec show of the offloaded device; the counters and PNs come from the vsecy NIC"
run ip -n alice -s macsec show macsec0
step "alice: the NIC, and the SecY offloaded to it"
run ip netns exec alice vsecy show nic0
step "bob: the software macsec validated what the NIC encrypted"
run ip -n bob -s macsec show ms0
ip netns del alice
ip netns del bob

echo
if [ $status -eq 0 ]; then
	echo "=== demo done: vsecy-mkad and wpa_supplicant keyed the link; static keys and the offload NIC work too"
else
	echo "=== demo FAILED (see above)"
fi
exit $status
