#!/usr/bin/env bash
# Static checks of `make lint`: gofmt, go vet, staticcheck and deadcode.
# BIN is the folder holding staticcheck and deadcode (the Makefile installs them).
#
# A finding listed in scripts/lint-known.txt (as "path: message", without the
# line and column, so an unrelated edit does not unlist it) is printed as known
# and does not fail the run; any other finding does. The list holds findings in
# packages whose owners fix them; it should only shrink.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin}
GO=${GO:-go}
known=scripts/lint-known.txt
status=0

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt: these files need gofmt -w:"; echo "$unformatted"; status=1
fi
"$GO" vet ./... || status=1

# check NAME CMD...: runs a finding-per-line tool and sorts its findings.
check() {
  local name=$1; shift
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  local new=0
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    key=$(printf '%s\n' "$line" | sed -E 's/^([^:]+):[0-9]+:[0-9]+: /\1: /')
    if grep -qxF -- "$key" "$known" 2>/dev/null; then
      echo "$name (known): $line"
    else
      echo "$name: $line"; new=1
    fi
  done <<< "$out"
  # A tool that fails without printing a finding (it could not load the code) fails the run.
  if [ "$new" = 1 ] || { [ "$rc" != 0 ] && [ -z "$out" ]; }; then status=1; fi
}
check staticcheck "$BIN/staticcheck" ./...
# -test: a function no main and no test reaches is dead.
check deadcode "$BIN/deadcode" -test ./...
exit $status
