#!/usr/bin/env bash
# Measures the peak memory (max RSS) and speed of `rlvr-eval run` end to end
# (response text kept, every table written) on corpora from scripts/bigcorpus.
# Each corpus runs RUNS times (default 3; peak RSS varies by a few percent with
# GC timing, wall time much more on a shared machine) and every figure is the
# median of its runs: peak RSS, wall-clock rate and CPU rate (responses per
# CPU-second, user + system, the steadiest of the three on a loaded machine).
#
#   scripts/rss.sh [big] [checkpoints-at-1x] [copies-per-checkpoint] [scales]
#     the big canonical corpus at each scale (defaults 10, 10 and "1 2 4":
#     40,000, 80,000 and 160,000 responses in 10, 20, 40 files): memory must
#     stay flat in input size, so each line after the first shows the growth
#     of peak RSS over the previous scale.
#   scripts/rss.sh small [checkpoint-counts]
#     the nightly shape: one 400-response file per checkpoint, for each count
#     (default "300 1200": 120,000 and 480,000 responses); what a finished
#     checkpoint keeps must be small, so peak RSS barely grows with the count.
#
# CORES (default 0,1) pins the runs to those CPUs with taskset when it is
# installed; BIN measures that rlvr-eval binary instead of building this
# tree (to compare with an older build). Needs ../shared/data (or
# RLVR_EVAL_SHARED) and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=big
if [[ ${1:-} == big || ${1:-} == small ]]; then
  mode=$1
  shift
fi
runs=${RUNS:-3}
cores=${CORES:-0,1}
src=${RLVR_EVAL_SHARED:-../shared/data}/gens/qwen25-math-cot-8x50.jsonl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ -n ${BIN:-} ]]; then
  cp "$BIN" "$work/rlvr-eval"
else
  go build -o "$work/rlvr-eval" ./cmd/rlvr-eval
fi
pin=()
if command -v taskset >/dev/null; then
  pin=(taskset -c "$cores")
fi

# measure LABEL DIR RESPONSES PREV-RSS-KB: runs the corpus in DIR $runs times,
# prints one line of medians and leaves the median peak RSS (kB) in $rss.
measure() {
  local label=$1 dir=$2 n=$3 prev=$4 r
  : >"$work/runs"
  for r in $(seq "$runs"); do
    rm -rf "$dir/out"
    "${pin[@]}" /usr/bin/time -v "$work/rlvr-eval" run --config "$dir/eval.yaml" --out "$dir/out" >/dev/null 2>"$work/time.$r"
    awk -F': ' '
      /Maximum resident set size/ {rss = $2}
      /Elapsed \(wall clock\)/ {k = split($2, t, ":"); wall = (k == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2]}
      /User time/ {u = $2} /System time/ {s = $2}
      END {print rss, wall, u + s}' "$work/time.$r" >>"$work/runs"
  done
  rss=$(awk '{print $1}' "$work/runs" | sort -n | awk -v m=$(((runs + 1) / 2)) 'NR == m')
  local wall cpu all
  wall=$(awk '{print $2}' "$work/runs" | sort -g | awk -v m=$(((runs + 1) / 2)) 'NR == m')
  cpu=$(awk '{print $3}' "$work/runs" | sort -g | awk -v m=$(((runs + 1) / 2)) 'NR == m')
  all=$(awk '{printf "%s%.0f", (NR > 1 ? " " : ""), $1/1024}' "$work/runs")
  awk -v l="$label" -v n="$n" -v r="$rss" -v p="$prev" -v w="$wall" -v c="$cpu" -v all="$all" -v runs="$runs" 'BEGIN {
    g = ""
    if (p > 0) g = sprintf(" (%+.1f%%)", 100 * (r - p) / p)
    printf "%s: %d responses, median of %d runs: peak RSS %.1f MiB%s [%s MiB], wall %.2fs (%.0f responses/s), CPU %.2fs (%.0f responses/cpu-s)\n", l, n, runs, r/1024, g, all, w, n/w, c, n/c }'
}

prev=0
if [[ $mode == big ]]; then
  ckpts=${1:-10}
  mult=${2:-10}
  scales=${3:-1 2 4}
  for scale in $scales; do
    dir="$work/corpus$scale"
    go run ./scripts/bigcorpus -src "$src" -out "$dir" -checkpoints $((ckpts * scale)) -mult "$mult" >/dev/null
    measure "${scale}x" "$dir" $((ckpts * scale * mult * 400)) "$prev"
    prev=$rss
    rm -rf "$dir"
  done
else
  for c in ${1:-300 1200}; do
    dir="$work/small$c"
    go run ./scripts/bigcorpus -src "$src" -out "$dir" -checkpoints "$c" -mult 1 >/dev/null
    measure "$c small checkpoints" "$dir" $((c * 400)) "$prev"
    prev=$rss
    rm -rf "$dir"
  done
fi
