#!/usr/bin/env bash
# Measures `rlvr-eval grade` in stream mode: responses per second of process wall
# time (start-up included) on one core (taskset -c 0, --workers 1) and on two
# (taskset -c 0,1, --workers 2), each the median of RUNS runs (default 5), on N
# lines (default 80,000) of real Qwen2.5-Math responses built by scripts/gradelines.
# It also prints the median CPU seconds (user+system), which a loaded machine
# disturbs less than the wall time. Usage: scripts/bench-grade.sh [N]
# BIN=path measures another binary (e.g. an older build) on the same input. Needs
# ../shared/data, taskset and /usr/bin/time (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-80000}
runs=${RUNS:-5}
src=${RLVR_EVAL_SHARED:-../shared/data}/gens/qwen25-math-cot-8x50.jsonl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${BIN:-$work/rlvr-eval}
[ -n "${BIN:-}" ] || go build -o "$bin" ./cmd/rlvr-eval
go run ./scripts/gradelines -src "$src" -n "$n" >"$work/in.jsonl"
for cores in 0 0,1; do
  workers=$(echo "$cores" | awk -F, '{print NF}')
  for r in $(seq "$runs"); do
    /usr/bin/time -f '%e %U %S' -o "$work/time" taskset -c "$cores" "$bin" grade --workers "$workers" <"$work/in.jsonl" >"$work/out.jsonl"
    read -r wall user sys <"$work/time"
    echo "$wall $(echo "$user $sys" | awk '{print $1 + $2}')"
  done >"$work/runs"
  wall=$(sort -n "$work/runs" | awk -v m=$(((runs + 1) / 2)) 'NR == m {print $1}')
  cpu=$(awk '{print $2}' "$work/runs" | sort -n | awk -v m=$(((runs + 1) / 2)) 'NR == m {print $1}')
  all=$(awk '{printf "%s%.0f", (NR > 1 ? " " : ""), '"$n"' / ($1 > 0 ? $1 : 0.01)}' "$work/runs")
  awk -v n="$n" -v w="$wall" -v c="$cpu" -v k="$workers" -v all="$all" 'BEGIN {
    printf "grade stream, %d core(s): %.0f responses/s (median of wall times; runs: %s), %.2f s CPU median (%.0f responses per CPU-second), %d lines\n",
      k, n / (w > 0 ? w : 0.01), all, c, n / (c > 0 ? c : 0.01), n
  }'
done
