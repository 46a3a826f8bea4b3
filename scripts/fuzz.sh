#!/usr/bin/env bash
# Runs every Go fuzz target of the module, one after another, within a total
# fuzzing budget: ./scripts/fuzz.sh 2m gives each of the N targets 2m/N of
# fuzzing (at least 1s); compiling comes on top and is reported per target
# (a package's second target reuses its first's build). Targets are found by
# name (func FuzzXxx), so a new one is picked up without editing this.
# The closing table gives per target: execs, new corpus entries, findings,
# fuzz and wall seconds. Exit status 1 when any target found a failure.
# FUZZ_FILTER (an extended regexp on "./pkg FuzzName") picks some targets.
# Build tag "fuzz" leaves out the tests that need DuckDB (cgo), so that a
# package's fuzz build compiles only what its targets need.
set -uo pipefail
total=${1:-10m}
cd "$(dirname "$0")/.."

secs() { # 90s, 2m, 1h30m -> seconds
  local s=$1 n=0
  while [[ $s =~ ^([0-9]+)([hms])(.*)$ ]]; do
    case ${BASH_REMATCH[2]} in h) n=$((n + BASH_REMATCH[1] * 3600)) ;; m) n=$((n + BASH_REMATCH[1] * 60)) ;; s) n=$((n + BASH_REMATCH[1])) ;; esac
    s=${BASH_REMATCH[3]}
  done
  [[ -z $s ]] || { echo "fuzz.sh: cannot read the duration $1 (e.g. 90s, 2m, 1h)" >&2; exit 2; }
  echo "$n"
}

mapfile -t targets < <(grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
  for fn in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
    echo "./$(dirname "${f#./}") $fn"
  done
done)
if [[ -n ${FUZZ_FILTER:-} ]]; then # e.g. FUZZ_FILTER=stages/ingest: only targets whose "pkg Fuzz" matches
  mapfile -t targets < <(printf '%s\n' "${targets[@]}" | grep -E -- "$FUZZ_FILTER")
fi
n=${#targets[@]}
((n > 0)) || { echo "fuzz: no target matches FUZZ_FILTER=$FUZZ_FILTER" >&2; exit 2; }
budget=$(secs "$total")
each=$((budget / n))
((each >= 1)) || each=1
echo "fuzz: $n targets, total fuzzing budget $total: ${each}s each ($((each * n))s of fuzzing, plus compile time)"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
report=()
found=0
for t in "${targets[@]}"; do
  pkg=${t% *} fn=${t#* }
  echo "== $pkg $fn (${each}s)"
  start=$(date +%s)
  go test -tags fuzz -run '^$' -fuzz "^${fn}\$" -fuzztime "${each}s" "$pkg" >"$log" 2>&1
  rc=$?
  wall=$(($(date +%s) - start))
  tail -n 3 "$log"
  execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  newc=$(grep -o 'new interesting: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  finding=0
  if ((rc != 0)); then
    finding=1
    found=$((found + 1))
    # The failure: the failing input's file, the message, or why the fuzzer stopped.
    grep -vE '^(fuzz: elapsed|PASS|FAIL|ok|exit status)' "$log" | head -12
  fi
  report+=("$(printf '%-28s %-26s %10s %6s %8s %6ss %6ss' "$pkg" "$fn" "${execs:-0}" "${newc:-0}" "$finding" "$each" "$wall")")
done
echo
printf '%-28s %-26s %10s %6s %8s %7s %7s\n' package target execs new findings fuzz wall
printf '%s\n' "${report[@]}"
echo "fuzz: $n targets, $found with findings (testdata/fuzz/<target>/ holds each failing input)"
((found == 0))
