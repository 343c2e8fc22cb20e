#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runner self-test sample: passes, but puts a WARNING line in the kernel
# log, which the harness must count as a failure of the whole run.
. "$(dirname "$0")/../lib.sh"
ktap_print_header
ktap_set_plan 1
echo "<4>WARNING: CPU: 0 PID: $$ at selftests/samples/kmsg-warn.sh (deliberate)" > /dev/kmsg
run_case "sample that writes a WARNING to the kernel log" true
ktap_finished
