#!/usr/bin/env bash
# nightly.sh: the nightly leaderboard build. It grades every generation file the
# config lists into a dated run folder, taking the verdicts of files already
# graded on earlier nights from the grading cache (only new or changed files are
# graded), then publishes the static leaderboard site from the whole history.
#
# Usage: scripts/nightly.sh CONFIG [STATE_DIR]
#
#   CONFIG     the run's eval.yaml (see `rlvr-eval run --help`)
#   STATE_DIR  kept from night to night (default /var/lib/rlvr-eval):
#                history/YYYY-MM-DD/   one run folder per night (tables + run.json)
#                cache/                the grading cache (safe to delete: the next
#                                      night then grades everything once)
#                site/                 index.html, leaderboard.parquet, leaderboard.json
#
# Environment:
#   RLVR_EVAL_BIN     the rlvr-eval binary (default: rlvr-eval on PATH)
#   NIGHTLY_SITE      where to publish the site (default STATE_DIR/site)
#   NIGHTLY_DATE      the run folder name (default: today's UTC date, YYYY-MM-DD)
#   NIGHTLY_KEEP_RUNS keep only the newest N run folders (default 0: keep all)
#   RLVR_EVAL_*       override config settings, e.g. RLVR_EVAL_WORKERS=8
#
# Cron (every night at 02:30 UTC, one job at a time):
#   30 2 * * * /opt/rlvr-eval/scripts/nightly.sh /etc/rlvr-eval/eval.yaml /var/lib/rlvr-eval >>/var/log/rlvr-eval-nightly.log 2>&1
# Kubernetes: scripts/k8s/nightly-cronjob.yaml runs this script as a CronJob.
#
# A night's run folder appears only once its run finished (it is written under a
# hidden name and renamed), so a failed or killed night never shows up half
# written; re-running the same day replaces that day's folder. Exit status: 0 on
# success; 2 when the run rejected more records than max_reject_share allows (the
# run is still published, its outcome shown on the page); 1 on any other error.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 || "$1" == -h || "$1" == --help ]]; then
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 1
fi
config=$1
state=${2:-/var/lib/rlvr-eval}
bin=${RLVR_EVAL_BIN:-rlvr-eval}
site=${NIGHTLY_SITE:-$state/site}
date=${NIGHTLY_DATE:-$(date -u +%Y-%m-%d)}
keep=${NIGHTLY_KEEP_RUNS:-0}

if [[ ! -r "$config" ]]; then
  echo "nightly: config $config: not readable" >&2
  exit 1
fi
if ! [[ "$date" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{4})?$ ]]; then
  echo "nightly: NIGHTLY_DATE: expected YYYY-MM-DD or YYYY-MM-DDTHHMM, found $date" >&2
  exit 1
fi
history=$state/history
mkdir -p "$history" "$state/cache"

# One night at a time on one state folder (cron may overlap a slow night).
if command -v flock >/dev/null; then
  exec 9>"$state/.nightly.lock"
  if ! flock -n 9; then
    echo "nightly: another nightly job holds $state/.nightly.lock" >&2
    exit 1
  fi
fi

partial=$history/.$date.partial-$$
trap 'rm -rf "$partial"' EXIT
echo "nightly: run $date: $config -> $history/$date (cache $state/cache)" >&2
status=0
"$bin" run --config "$config" --out "$partial" --cache "$state/cache" || status=$?
if [[ $status -ne 0 && $status -ne 2 ]]; then
  echo "nightly: run $date failed (exit $status); nothing published" >&2
  exit "$status"
fi

# Move the finished run into place (replacing an earlier run of the same day).
if [[ -e "$history/$date" ]]; then
  mv "$history/$date" "$history/.$date.replaced-$$"
  mv "$partial" "$history/$date"
  rm -rf "$history/.$date.replaced-$$"
else
  mv "$partial" "$history/$date"
fi

if [[ "$keep" -gt 0 ]]; then
  # Run folder names sort by date; drop all but the newest $keep.
  find "$history" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended \
      -regex '.*/[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{4})?' -printf '%f\n' |
    sort | head -n "-$keep" | while read -r old; do rm -rf "${history:?}/$old"; done
fi

"$bin" leaderboard --history "$history" --out "$site"
echo "nightly: site $site/index.html" >&2
exit "$status"
