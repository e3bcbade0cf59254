#!/usr/bin/env bash
# Runs stall-check.py against fresh Postfix instances that differ in one setting at a time
# (see README.md, "The one-second stalls"). Each run takes 1 to 15 seconds.
#   stall-matrix.sh [WORKDIR] [-- extra stall-check.py options]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-/tmp/postfix-stall-matrix}
shift || true
[[ ${1:-} == -- ]] && shift
port=${STALL_PORT:-2700}
domain=bench.test
mkdir -p "$work"
rcpts=$work/recipients.txt
for i in $(seq 1 100); do echo "user$i@$domain"; done >"$rcpts"

run() { # label, then postfix-instance start options
    local label=$1
    shift
    "$here/postfix-instance" stop "$work/pf" >/dev/null 2>&1 || true
    "$here/postfix-instance" start "$work/pf" --port "$port" --domain "$domain" --recipients "$rcpts" \
        --delay 300 "$@" >/dev/null 2>"$work/start.err" || { cat "$work/start.err" >&2; exit 1; }
    echo "=== $label   ($*)"
    "$here/stall-check.py" --port "$port" --domain "$domain" --recipients "$rcpts" "${extra[@]}"
    echo
}
extra=(--sessions 32 --transactions 10 --rcpts 5 --unknown-ratio 0.6 "$@")

run "Debian/Postfix defaults" --greylist none --tuning stock
run "defaults + in_flow_delay = 0" --greylist none --tuning stock --postconf "in_flow_delay = 0"
run "defaults + error throttle off" --greylist none --tuning stock --error-throttle off
run "benchmark tuning (both)" --greylist none --tuning benchmark
"$here/postfix-instance" stop "$work/pf" >/dev/null 2>&1 || true
