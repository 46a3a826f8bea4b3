#!/usr/bin/env bash
# Measures the peak memory (max RSS) and speed of `rlvr-eval run` on the big
# canonical corpus at 1×, 2× and 4× its size (more checkpoints of the same
# shape), to check that memory stays flat in input size: each line after the
# first shows the growth over the previous scale. Each scale runs RUNS times
# (default 3; peak RSS varies by a few percent with GC timing) and the run
# with the median peak RSS is reported. Usage:
# scripts/rss.sh [checkpoints-at-1x] [copies-per-checkpoint] [scales]
# (defaults 10, 10 and "1 2 4": 40,000, 80,000 and 160,000 responses). Needs
# ../shared/data and /usr/bin/time (GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
ckpts=${1:-10}
mult=${2:-10}
scales=${3:-1 2 4}
runs=${RUNS:-3}
src=${RLVR_EVAL_SHARED:-../shared/data}/gens/qwen25-math-cot-8x50.jsonl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/rlvr-eval" ./cmd/rlvr-eval
prev=0
for scale in $scales; do
  dir="$work/corpus$scale"
  go run ./scripts/bigcorpus -src "$src" -out "$dir" -checkpoints $((ckpts * scale)) -mult "$mult" >/dev/null
  n=$((ckpts * scale * mult * 400))
  for r in $(seq "$runs"); do
    rm -rf "$dir/out"
    /usr/bin/time -v "$work/rlvr-eval" run --config "$dir/eval.yaml" --out "$dir/out" >/dev/null 2>"$work/time$scale.$r"
    echo "$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time$scale.$r") $r"
  done | sort -n >"$work/rss$scale"
  med=$(awk -v m=$(((runs + 1) / 2)) 'NR == m {print $2}' "$work/rss$scale")
  t="$work/time$scale.$med"
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$t")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$t")
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  all=$(awk '{printf "%s%.0f", (NR > 1 ? " " : ""), $1/1024}' "$work/rss$scale")
  awk -v s="$scale" -v n="$n" -v r="$rss" -v p="$prev" -v w="$secs" -v c="$cpu" -v all="$all" 'BEGIN {
    g = ""
    if (p > 0) g = sprintf(" (%+.1f%%)", 100 * (r - p) / p)
    printf "%dx: %d responses, median peak RSS %.1f MiB%s [runs: %s MiB], wall %.2fs (%.0f responses/s), CPU %.2fs (%.0f responses/cpu-s)\n", s, n, r/1024, g, all, w, n/w, c, n/c }'
  prev=$rss
  rm -rf "$dir"
done
