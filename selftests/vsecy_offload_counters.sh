#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The 802.1AE counters of a macsec device offloaded to a vsecy NIC, as
# `ip -s macsec show` prints them (the kernel asks the NIC through the
# get_*_stats ops): each one moves for its reason, as vsecy_counters.sh
# checks for the software SecY, and every other counter stays. Receive
# cases inject crafted frames (vsecy-inject) from ns 2: a valid frame, a
# wrong key, a replayed PN and a late one, an AN without SA; transmit
# cases send pings to a static neighbour. Set up with stock iproute2.
#
#   ns 1: ms0 (macsec, offload mac, replay on, window 0) 10.9.1.1
#          |
#         nic0 (vsecy, mode offload)
#          |
#         veth1 <====> veth2 (ns 2): vsecy-inject -s 02:00:00:00:02:02

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/vsecy_offload_lib.sh"

require_iproute2
trap 'ns_cleanup' EXIT

INJECT=$(dirname "$0")/vsecy-inject
K1=00112233445566778899aabbccddeeff
K2=0f0e0d0c0b0a09080706050403020100
NIC_MAC=02:00:00:00:01:01
PEER_MAC=02:00:00:00:02:02

# setup VALIDATE: the NIC, ms0 offloaded on it with validateFrames
# VALIDATE, an RX SC for the peer with SA 0 (key K2, PN 1), TX SA 0.
setup()
{
	ns_cleanup
	ns_wire $NIC_MAC $PEER_MAC &&
	n 1 vsecy link add link veth1 nic0 mode offload && n 1 ip link set nic0 up &&
	n 1 ip -batch - <<-EOF
	link add link nic0 ms0 type macsec port 1 encrypt on replay on window 0 validate $1 offload mac
	macsec add ms0 tx sa 0 pn 1 on key 01 $K1
	macsec add ms0 rx port 1 address $PEER_MAC
	macsec add ms0 rx port 1 address $PEER_MAC sa 0 pn 1 on key 02 $K2
	addr add 10.9.1.1/24 dev ms0
	link set ms0 up
	neigh add 10.9.1.2 lladdr $PEER_MAC dev ms0
	EOF
}

# moved() reads these: every counter, PN and SA state of ms0.
snap() { counters 1 ms0; }

inject() { n 2 "$INJECT" -i veth2 -s $PEER_MAC -d $NIC_MAC "$@" >/dev/null; }

# pings N: N pings to the static neighbour, a frame out each, no answer
# (nobody there).
pings() { n 1 ping -c "$1" -i 0.2 -W 1 10.9.1.2 >/dev/null; [ $? -le 1 ]; }

# Test the receive counters with validateFrames strict and replay
# protection on (window 0): a valid encrypted frame is InPktsOK with its
# octets decrypted and the RX SA's PN moves; the same PN again, and an
# older one, InPktsLate; a wrong key InPktsNotValid; integrity only, a
# valid frame InOctetsValidated; an AN with no SA InPktsNotUsingSA.
test_rx_strict()
{
	setup strict || return 1
	moved "sc.InPktsOK=1 sc.InOctetsDecrypted=+ sc.sa0.InPktsOK=1 sc.sa0.pn=+" \
		inject -k valid -e --key $K2 --pn 5 &&
	moved "sc.InPktsLate=1" inject -k valid -e --key $K2 --pn 5 &&
	moved "sc.InPktsLate=1" inject -k valid -e --key $K2 --pn 3 &&
	moved "sc.InPktsNotValid=1 sc.InOctetsDecrypted=+ sc.sa0.InPktsNotValid=1" \
		inject -k valid -e --key $K1 --pn 6 &&
	moved "sc.InPktsOK=1 sc.InOctetsValidated=+ sc.sa0.InPktsOK=1 sc.sa0.pn=+" \
		inject -k valid --key $K2 --pn 7 &&
	moved "sc.InPktsNotUsingSA=1" inject -k unknown-an --key $K2 --an 1 --pn 8
}

# Test the same with validateFrames check: a wrong key on an
# integrity-only frame is InPktsInvalid (and delivered). An AN with no SA
# is InPktsNotUsingSA and dropped, where the software SecY counts
# InPktsUnusedSA and delivers the frame unchecked: the macsec core takes
# a frame from the NIC as validated, so an offloaded SecY never passes an
# unchecked one up (Documentation/design.md, "unchecked").
test_rx_check()
{
	setup check || return 1
	moved "sc.InPktsInvalid=1 sc.InOctetsValidated=+ sc.sa0.InPktsInvalid=1" \
		inject -k valid --key $K1 --pn 5 &&
	moved "sc.InPktsNotUsingSA=1" inject -k unknown-an --key $K2 --an 2 --pn 6
}

# Test the transmit counters: each ping is one frame protected and
# encrypted by the NIC, with its octets, and the TX SA's PN moves by one.
test_tx()
{
	setup strict || return 1
	moved "OutPktsEncrypted=1 OutOctetsEncrypted=+ txsa0.OutPktsEncrypted=1 txsa0.pn=1" \
		pings 1 &&
	moved "OutPktsEncrypted=3 OutOctetsEncrypted=+ txsa0.OutPktsEncrypted=3 txsa0.pn=3" \
		pings 3
}

ktap_print_header
ktap_set_plan 4
vsecy_load || { echo "# modprobe vsecy failed"; exit "$KSFT_FAIL"; }
modprobe macsec || { echo "# no macsec module"; exit "$KSFT_FAIL"; }
run_case "offloaded ms0, validate strict, replay on: each RX counter for its reason" test_rx_strict
run_case "offloaded ms0, validate check: InPktsInvalid; no SA: InPktsNotUsingSA" test_rx_check
run_case "offloaded ms0: OutPktsEncrypted and the TX PN move per frame" test_tx
ns_cleanup
run_case "module unloads" vsecy_unload
ktap_finished
