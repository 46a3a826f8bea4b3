#!/usr/bin/env bash
# Runs every Go fuzz target in the module for the given time each (default 10m).
# Targets are found by name (func FuzzXxx) so a new one is picked up without editing this.
set -euo pipefail
t=${1:-10m}
cd "$(dirname "$0")/.."
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
  pkg=./$(dirname "${f#./}")
  for fn in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed 's/^func //'); do
    echo "== $pkg $fn ($t)"
    go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$t" "$pkg"
  done
done
