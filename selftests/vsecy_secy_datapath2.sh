#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The second half of vsecy_secy_datapath.sh (see there): a wrong key,
# carrier, PN exhaustion, two SecYs, send_sci off with end_station,
# untagged frames, iperf3, and the asynchronous crypto cases. A program
# of its own so that the suite's shards balance.

DATAPATH_PART=2 exec "$(dirname "$0")/vsecy_secy_datapath.sh"
