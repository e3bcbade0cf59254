#!/usr/bin/env bash
# Runs flood-latency.py against servers already listening, for 0, 64 and 256 hostile connections from one client
# address and from 64 networks (see README.md, "Floods"). Each target is LABEL:PORT:HOSTILE_DOMAIN:LEGIT_RCPT, e.g.
#   bench/flood-matrix.sh "rcptguard-list:2525:example.net:alice@example.com" "postfix:3625:example.net:alice@example.net"
# Targets alternate within each flood size, so that a machine's passing load weighs on all of them alike.
# The README's figures came from servers started so:
#   JAVA_TOOL_OPTIONS=-Djdk.net.hosts.file=HOSTS bin/rcptguard run --conf DIR
#     HOSTS: "127.0.0.1 localhost" and the machine's name, so that James looks no client name up in DNS at connect,
#     as the Postfix instance (smtpd_peername_lookup = no); DIR: conf/ with conf/gateway's files over it and
#     directory.example.net.sources=list
#   bench/postfix/postfix-instance start PFDIR --port 3625 --policy-port 10625 --domain example.net \
#     --recipients FILE --delay 300
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
