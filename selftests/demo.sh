#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`, inside the VM: two namespaces joined by a veth pair, a vsecy
# device on each end, shown with ip. Each command is echoed before it runs.
#
#   ns alice:  vs0 -- veth0 <====> veth1 -- vs0  :ns bob

. "$(dirname "$0")/lib.sh"

run() { echo "\$ $*"; "$@"; }

echo "=== vsecy demo: kernel $(uname -r)"
run modprobe vsecy
run ip netns add alice
run ip netns add bob
run ip link add veth0 netns alice type veth peer name veth1 netns bob
run ip -n alice link set veth0 up
run ip -n bob link set veth1 up
run ip -n alice link add link veth0 vs0 type vsecy
run ip -n bob link add link veth1 vs0 type vsecy
run ip -n alice link set vs0 up
run ip -n bob link set vs0 up
run ip -n alice -d link show vs0
run ip -n bob -d link show vs0
echo "=== demo done"
