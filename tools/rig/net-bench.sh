# shellcheck shell=bash
# dom0's side of the network benchmark (tools/bench-net copies this file into its
# scenario folder as net-bench.lib; its scenarios source it). dom0 runs the clients:
# busybox ping, iperf 2 and ApacheBench (ab), which the rig's dom0 has with
# DOM0_BENCH_TOOLS=1 (tools/rig/dom0-cache.sh). Each figure becomes one log line
#
#   netbench: COLUMN KEY VALUE
#   netbench: COLUMN KEY failed: WHY
#
# KEY: ping_min_ms ping_avg_ms (100 pings), tcp_tx_mbps (iperf from dom0 into the
# domain), tcp_rx_mbps (the domain's iperf into dom0: iperf's -r, the tradeoff test,
# which lwIP's lwiperf answers too), http_rps (ab, 10 concurrent connections, a new one
# per request), http_keepalive_rps (ab -k: the same, reusing connections when the server
# keeps them open), http_large_mbps (MB/s of the file /large, one request at a time),
# mem_100_conns_mib (netbench_memory).
#
# Settings (environment): NETBENCH_SECONDS (default 10), how long each iperf direction
# and each ab run measures.

NETBENCH_SECONDS=${NETBENCH_SECONDS:-10}

# netbench__say COLUMN KEY VALUE
netbench__say() {
    echo "netbench: $*"
}

# netbench__ab COLUMN KEY URL AB_ARGS...: runs ab and says its requests a second.
netbench__ab() {
    local col=$1 key=$2 url=$3 out rps failed
    shift 3
    out=$(rig__exec timeout $((NETBENCH_SECONDS + 60)) ab -q "$@" "$url" 2>&1)
    rps=$(sed -n 's/^Requests per second: *\([0-9.]*\) .*/\1/p' <<<"$out")
    failed=$(sed -n 's/^Failed requests: *\([0-9]*\).*/\1/p' <<<"$out")
    if [ -z "$rps" ]; then
        netbench__say "$col $key failed: $(tail -n 1 <<<"$out")"
        return 1
    fi
    [ "${failed:-0}" = 0 ] || rig_log "ab $*: $failed requests failed"
    grep -E '^(Complete|Failed|Keep-Alive) requests|^Transfer rate' <<<"$out"
    netbench__say "$col $key $rps"
}

# netbench_measure COLUMN ADDR PAGE LARGE: every figure but the memory one, from dom0
# against the domain at ADDR; ab fetches PAGE (a path whose body is always the same
# length: ab counts a response of another length as failed) and LARGE (a few MiB).
netbench_measure() {
    local col=$1 addr=$2 page=$3 large=$4 out tx rx rate
    if rig_ping "$addr" 100 0.1; then
        netbench__say "$col ping_min_ms $RIG_PING_MIN"
        netbench__say "$col ping_avg_ms $RIG_PING_AVG"
    else
        netbench__say "$col ping_min_ms failed: no answer"
    fi

    # iperf's CSV lines: time,sender,port,receiver,port,id,interval,bytes,bits/s. dom0's
    # client sends to the domain; with -r the domain's then sends to dom0's listener.
    out=$(rig__exec timeout $((3 * NETBENCH_SECONDS + 60)) iperf -c "$addr" -t "$NETBENCH_SECONDS" -r -y C 2>&1)
    printf '%s\n' "$out"
    tx=$(awk -F, -v a="$addr" 'NF >= 9 && $4 == a { printf "%.1f\n", $9 / 1e6 }' <<<"$out" | tail -n 1)
    rx=$(awk -F, -v a="$addr" 'NF >= 9 && $2 == a { printf "%.1f\n", $9 / 1e6 }' <<<"$out" | tail -n 1)
    netbench__say "$col tcp_tx_mbps ${tx:-failed: $(tail -n 1 <<<"$out")}"
    netbench__say "$col tcp_rx_mbps ${rx:-failed: $(tail -n 1 <<<"$out")}"

    netbench__ab "$col" http_rps "http://$addr$page" -t "$NETBENCH_SECONDS" -c 10
    netbench__ab "$col" http_keepalive_rps "http://$addr$page" -k -t "$NETBENCH_SECONDS" -c 10

    out=$(rig__exec timeout 300 ab -q -n 3 -c 1 "http://$addr$large" 2>&1)
    rate=$(sed -n 's/^Transfer rate: *\([0-9.]*\) .*/\1/p' <<<"$out")
    if [ -n "$rate" ]; then
        netbench__say "$col http_large_mbps $(awk -v k="$rate" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')"
    else
        netbench__say "$col http_large_mbps failed: $(tail -n 1 <<<"$out")"
    fi
}

# netbench_memory COLUMN CFG PAGE MIB...: creates the domain of CFG with each memory
# size in turn (largest first) until one fails to serve 100 concurrent HTTP connections
# (ab: 200 requests of PAGE, 100 at a time, none failed); says the smallest that did.
netbench_memory() {
    local col=$1 cfg=$2 page=$3 mib best="" out
    shift 3
    for mib; do
        rig_create "$cfg" "memory=$mib" || break
        if rig_net_wait_ip "" 60; then
            out=$(rig__exec timeout 120 ab -q -n 200 -c 100 "http://$RIG_NET_IP$page" 2>&1)
            grep -E '^(Complete|Failed) requests' <<<"$out"
        else
            out=""
        fi
        rig_run xl destroy "$RIG_DOM"
        rig_wait_end 30
        { grep -Eq "^Complete requests: +200$" <<<"$out" && grep -Eq "^Failed requests: +0$" <<<"$out"; } || break
        rig_log "$RIG_DOM served 100 concurrent connections with $mib MiB"
        best=$mib
    done
    netbench__say "$col mem_100_conns_mib ${best:-failed: not even at $1 MiB}"
}
