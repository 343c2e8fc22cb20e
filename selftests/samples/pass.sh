#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runner self-test sample: passes.
. "$(dirname "$0")/../lib.sh"
ktap_print_header
ktap_set_plan 1
run_case "sample that passes" true
ktap_finished
