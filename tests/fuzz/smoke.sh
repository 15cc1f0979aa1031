#!/bin/sh
# smoke.sh - CTest fuzz.smoke: run each fuzz target for a few seconds.
#
# Usage: smoke.sh WORKDIR SECONDS FUZZER CORPUS [FUZZER CORPUS ...]
# New inputs go to WORKDIR/<fuzzer name>, never into the committed seed
# corpus (libFuzzer writes only into its first corpus directory).
set -eu
work=$1
seconds=$2
shift 2
while [ $# -ge 2 ]; do
    fuzzer=$1
    corpus=$2
    shift 2
    name=$(basename "$fuzzer")
    mkdir -p "$work/$name"
    echo "== $name: $seconds s on $corpus"
    "$fuzzer" -max_total_time="$seconds" -print_final_stats=1 "$work/$name" "$corpus"
done
