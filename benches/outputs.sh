#!/usr/bin/env bash
# Writes every bundled preset's `run` output (traces and spikes CSV) into a
# directory, network presets on both spike timings, so that two builds can
# be compared byte for byte:
#
#   benches/outputs.sh BINARY DIR
#   benches/outputs.sh target/release/spikescope /tmp/after
#   diff -r /tmp/before /tmp/after && echo identical
set -euo pipefail
bin=$1
dir=$2
mkdir -p "$dir"
"$bin" presets | cut -f1 | while read -r name; do
    "$bin" run "$name" --out "$dir/$name.csv" --spikes "$dir/$name-spikes.csv" 2>/dev/null
    if "$bin" check "$name" | grep -q "(network,"; then
        "$bin" run "$name" --set network.spike_timing=grid \
            --out "$dir/$name-grid.csv" --spikes "$dir/$name-grid-spikes.csv" 2>/dev/null
    fi
done
ls "$dir" | wc -l
