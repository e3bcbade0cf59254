#!/usr/bin/env bash
# Runs flood-latency.py against servers already listening, for 0, 64 and 256 hostile connections from one client
# address and from 64 networks (see README.md, "Floods"). Each target is LABEL:PORT:HOSTILE_DOMAIN:LEGIT_RCPT, e.g.
#   bench/flood-matrix.sh "rcptguard-list:2525:example.net:alice@example.com" "postfix:3625:example.net:alice@example.net"
# Targets alternate within each flood size, so that a machine's passing load weighs on all of them alike.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
duration=${FLOOD_DURATION:-15}
for size in 0 64 256; do
    for spread in one 64; do
        [[ $size == 0 && $spread == 64 ]] && continue
        for target in "$@"; do
            IFS=: read -r label port domain rcpt <<<"$target"
            "$here/flood-latency.py" --port "$port" --hostile "$size" --spread "$spread" --hostile-domain "$domain" \
                --legit-rcpt "$rcpt" --duration "$duration" --label "$label $spread x$size"
        done
    done
done
