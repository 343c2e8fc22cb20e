#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runner self-test sample: never ends; the runner's timeout must stop it.
echo "KTAP version 1"
echo "1..1"
sleep 100000
