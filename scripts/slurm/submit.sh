#!/usr/bin/env bash
# Submits a sharded rlvr-eval run to Slurm: an array of N shard tasks
# (shard.sbatch) and a merge (merge.sbatch) that runs only after every task
# succeeded (--dependency=afterok). Prints the two job ids.
#
#   scripts/slurm/submit.sh --config eval.yaml --out /shared/runs/2026-12-02 --shards 8 \
#       [--partition cpu] [--time 02:00:00] [--merge-time 00:30:00] [--cpus 4] [--mem 8G] \
#       [--bin /shared/bin/rlvr-eval] [--logs DIR] [--only 7[,3...]] [--no-merge] [-- more sbatch args]
#
# A failed task: its merge never starts (it is cancelled: --kill-on-invalid-dep).
# Re-run that task alone, with a new merge after it, with the same arguments
# and --only 7 (that is, sbatch --array=7); the shard replaces only its own files.
# RLVR_EVAL_RUN_ARGS / RLVR_EVAL_MERGE_ARGS in the environment pass more
# arguments to `rlvr-eval run` / `rlvr-eval merge` (e.g. --cache DIR).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

config="" out="" shards="" partition="" time="02:00:00" merge_time="00:30:00"
cpus=4 mem=8G bin=${RLVR_EVAL_BIN:-rlvr-eval} logs="" only="" merge=1
extra=()
die() { echo "submit.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --config) config=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --partition) partition=$2; shift 2 ;;
    --time) time=$2; shift 2 ;;
    --merge-time) merge_time=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --logs) logs=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-merge) merge=0; shift ;;
    --) shift; extra=("$@"); break ;;
    *) die "unknown argument $1 (see the header of $0)" ;;
  esac
done
[ -n "$config" ] || die "--config is required"
[ -n "$out" ] || die "--out is required"
[[ $shards =~ ^[1-9][0-9]*$ ]] || die "--shards: expected a positive number, found '${shards}'"
if [ -n "$only" ]; then
  [[ $only =~ ^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$ ]] || die "--only: expected task indexes like 7 or 3,7 or 0-3, found '$only'"
  for i in $(tr ',-' '  ' <<<"$only"); do [ "$i" -lt "$shards" ] || die "--only: task $i is beyond --shards $shards (tasks are 0..$((shards - 1)))"; done
  array=$only
else
  array=0-$((shards - 1))
fi

# Tasks may start in another folder: make local paths absolute.
abs() { case $1 in *://*|/*) echo "$1" ;; *) echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" ;; esac; }
config=$(abs "$config")
case $out in *://*|/*) ;; *) mkdir -p "$out"; out=$(cd "$out" && pwd) ;; esac
case $bin in */*) bin=$(abs "$bin") ;; esac
logs=${logs:-$( case $out in *://*) pwd ;; *) echo "$out/_slurm" ;; esac )}
mkdir -p "$logs"

common=(--parsable --export=ALL,RLVR_EVAL_CONFIG="$config",RLVR_EVAL_OUT="$out",RLVR_EVAL_SHARDS="$shards",RLVR_EVAL_BIN="$bin")
[ -n "$partition" ] && common+=(--partition="$partition")

array_id=$(sbatch "${common[@]}" --array="$array" --time="$time" --cpus-per-task="$cpus" --mem="$mem" \
  --output="$logs/shard-%A_%a.out" "${extra[@]}" "$here/shard.sbatch")
array_id=${array_id%%;*}
echo "shards: job $array_id (array $array of $shards)"
if [ "$merge" = 1 ]; then
  merge_id=$(sbatch "${common[@]}" --dependency=afterok:"$array_id" --kill-on-invalid-dep=yes \
    --time="$merge_time" --cpus-per-task=1 --mem="$mem" --output="$logs/merge-%j.out" "${extra[@]}" "$here/merge.sbatch")
  merge_id=${merge_id%%;*}
  echo "merge: job $merge_id (after every shard succeeded)"
fi
