#!/usr/bin/env bash
# Measures the peak memory (max RSS) and speed of `rlvr-eval run` on the big
# canonical corpus at 1× and 2× its size, to check that memory stays flat in
# input size. Usage: scripts/rss.sh [checkpoints-at-1x] [copies-per-checkpoint]
# (defaults 10 and 10: 40,000 responses at 1×, 80,000 at 2×). Needs ../shared/data
# and /usr/bin/time (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
ckpts=${1:-10}
mult=${2:-10}
src=${RLVR_EVAL_SHARED:-../shared/data}/gens/qwen25-math-cot-8x50.jsonl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/rlvr-eval" ./cmd/rlvr-eval
for scale in 1 2; do
  dir="$work/corpus$scale"
  go run ./scripts/bigcorpus -src "$src" -out "$dir" -checkpoints $((ckpts * scale)) -mult "$mult" >/dev/null
  n=$((ckpts * scale * mult * 400))
  /usr/bin/time -v "$work/rlvr-eval" run --config "$dir/eval.yaml" --out "$dir/out" >/dev/null 2>"$work/time$scale"
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time$scale")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time$scale")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$work/time$scale")
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  awk -v s="$scale" -v n="$n" -v r="$rss" -v w="$secs" -v c="$cpu" 'BEGIN {
    printf "%dx: %d responses, peak RSS %.1f MiB, wall %.2fs (%.0f responses/s), CPU %.2fs (%.0f responses/cpu-s)\n", s, n, r/1024, w, n/w, c, n/c }'
  rm -rf "$dir"
done
