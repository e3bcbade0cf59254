#!/usr/bin/env bash
# Runs flood-latency.py against servers already listening, for 0, 64 and 256 hostile connections from one client
# address and from 64 networks (see README.md, "Floods"). Each target is LABEL:PORT:HOSTILE_DOMAIN:LEGIT_RCPT, e.g.
#   bench/flood-matrix.sh "rcptguard-list:2525:example.net:alice@example.com" "postfix:3625:example.net:alice@example.net"
# Without targets it starts the README's servers itself (FloodServers: RcptGuard on memory and on Cassandra, each
# with a hosted, a list and an SMTP-verified domain whose backend answers in 200 ms, and Postfix + postgrey; root
# for Postfix), runs the matrix against all seven targets and stops them. Targets alternate within each flood size,
# so that a machine's passing load weighs on all of them alike. FLOOD_DURATION: seconds per cell (15).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
duration=${FLOOD_DURATION:-15}
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    "$here/postfix/postfix-instance" install
    targets_file="$here/target/flood/targets"
    rm -f "$targets_file"
    mkdir -p "$here/target/flood"
    "$here/bench-java" org.rcptguard.bench.FloodServers --targets-file "$targets_file" >"$here/target/flood/servers.log" 2>&1 &
    servers=$!
    trap 'kill "$servers" 2>/dev/null; wait "$servers" 2>/dev/null || true' EXIT
    while [[ ! -s "$targets_file" ]]; do
        kill -0 "$servers" 2>/dev/null || { echo "flood servers failed: see $here/target/flood/servers.log" >&2; exit 1; }
        sleep 2
    done
    mapfile -t targets <"$targets_file"
fi
for size in 0 64 256; do
    for spread in one 64; do
        [[ $size == 0 && $spread == 64 ]] && continue
        for target in "${targets[@]}"; do
            IFS=: read -r label port domain rcpt <<<"$target"
            "$here/flood-latency.py" --port "$port" --hostile "$size" --spread "$spread" --hostile-domain "$domain" \
                --legit-rcpt "$rcpt" --duration "$duration" --label "$label $spread x$size"
        done
    done
done
