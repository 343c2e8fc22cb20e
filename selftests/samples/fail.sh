#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runner self-test sample: one case fails, so the program fails.
. "$(dirname "$0")/../lib.sh"
ktap_print_header
ktap_set_plan 2
run_case "sample that passes" true
run_case "sample that fails on purpose" fail "expected 1, observed 2"
ktap_finished
