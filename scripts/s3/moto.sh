#!/usr/bin/env bash
# An S3-compatible server for tests: moto_server (Python moto) on 127.0.0.1
# only, with dummy credentials. Tests find it through
# RLVR_EVAL_TEST_S3_ENDPOINT (without it they start their own moto_server, or
# skip when there is none).
#
#   scripts/s3/moto.sh start   # prints `export RLVR_EVAL_TEST_S3_ENDPOINT=http://127.0.0.1:PORT` on its last line
#   scripts/s3/moto.sh stop
#
# Environment: RLVR_MOTO_PORT (default 5055), RLVR_MOTO_DIR (pid and log
# files, default /tmp/rlvr-moto).
set -euo pipefail
port=${RLVR_MOTO_PORT:-5055}
dir=${RLVR_MOTO_DIR:-/tmp/rlvr-moto}
pidf=$dir/moto.pid
die() { echo "moto.sh: $*" >&2; exit 1; }
alive() { [ -s "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null; }

case ${1:-} in
start)
  command -v moto_server >/dev/null || die "moto_server not found (Python package moto with its server extra)"
  mkdir -p "$dir"
  if ! alive; then
    # Dummy credentials, and no instance-metadata lookups: nothing leaves 127.0.0.1.
    env -u AWS_PROFILE AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_EC2_METADATA_DISABLED=true \
      nohup moto_server -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
    echo $! >"$pidf"
  fi
  for _ in $(seq 1 60); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
      echo "export RLVR_EVAL_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
      exit 0
    fi
    alive || { cat "$dir/moto.log" >&2; die "moto_server exited"; }
    sleep 0.5
  done
  cat "$dir/moto.log" >&2
  die "moto_server does not answer on 127.0.0.1:$port after 30 s"
  ;;
stop)
  if alive; then
    kill "$(cat "$pidf")"
    for _ in $(seq 1 20); do alive || break; sleep 0.25; done
    alive && kill -9 "$(cat "$pidf")" || true
  fi
  rm -f "$pidf"
  ;;
*) die "usage: $0 start|stop" ;;
esac
