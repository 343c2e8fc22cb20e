#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`, inside the VM: two namespaces joined by a veth pair; alice
# runs vsecy, bob the kernel's own macsec driver; the link is keyed with
# static keys (vsecy takes ip macsec's command lines), then a ping, and
# both sides' views. Each command is echoed before it runs.
#
#   ns alice: vs0 (vsecy)  -- veth0 <====> veth1 -- ms0 (macsec) :ns bob
#             10.0.0.1/24                            10.0.0.2/24

. "$(dirname "$0")/lib.sh"

run() { echo "\$ $*"; "$@"; }
step() { echo; echo "=== $*"; }

KEY_A=a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1	# alice's TX key
KEY_B=b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2	# bob's TX key

step "vsecy demo on $(uname -r)"
run modprobe vsecy
run ip netns add alice
run ip netns add bob
run ip link add veth0 netns alice type veth peer name veth1 netns bob
run ip -n alice link set veth0 up
run ip -n bob link set veth1 up
mac_a=$(ip netns exec alice cat /sys/class/net/veth0/address)
mac_b=$(ip netns exec bob cat /sys/class/net/veth1/address)

step "alice: a vsecy SecY on veth0, configured with vsecy"
run ip netns exec alice vsecy link add link veth0 vs0 port 1 encrypt on
run ip netns exec alice vsecy add vs0 tx sa 0 pn 1 on key 01 $KEY_A
run ip netns exec alice vsecy add vs0 rx port 1 address "$mac_b"
run ip netns exec alice vsecy add vs0 rx port 1 address "$mac_b" sa 0 pn 1 on key 02 $KEY_B
run ip -n alice addr add 10.0.0.1/24 dev vs0
run ip -n alice link set vs0 up

step "bob: the kernel's macsec on veth1, the same lines with ip macsec"
run ip -n bob link add link veth1 ms0 type macsec port 1 encrypt on
run ip -n bob macsec add ms0 tx sa 0 pn 1 on key 02 $KEY_B
run ip -n bob macsec add ms0 rx port 1 address "$mac_a"
run ip -n bob macsec add ms0 rx port 1 address "$mac_a" sa 0 pn 1 on key 01 $KEY_A
run ip -n bob addr add 10.0.0.2/24 dev ms0
run ip -n bob link set ms0 up

step "traffic, protected on the wire"
run ip netns exec alice ping -c 3 -i 0.3 10.0.0.2
ok=$?

step "alice's SecY"
run ip netns exec alice vsecy -s show
step "bob's SecY"
run ip -n bob -s macsec show
echo
if [ $ok -eq 0 ]; then
	echo "=== demo done: vsecy and the kernel's macsec talk"
else
	echo "=== demo FAILED: no answer across the MACsec link"
fi
