# shellcheck shell=bash
# dom0's side of the network benchmark (tools/bench-net copies this file into its
# scenario folder as net-bench.lib; its scenarios source it). dom0 runs the clients:
# busybox ping, iperf 2 and ApacheBench (ab), which the rig's dom0 has with
# DOM0_BENCH_TOOLS=1 (tools/rig/dom0-cache.sh). Each figure becomes one log line (one
# per round for the throughput figures)
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
# Around each iperf run, lines "rig: iperf cost of COLUMN, ...: ..." say what each side
# spent, one
# line per direction (netbench__watch_turn finds where the domain's half begins): the CPU
# seconds dom0's and the domain's vCPUs ran (xl vcpu-list; the rig has one physical
# CPU, so what is left of the wall time is idle) and how dom0's TCP counters moved
# (its retransmissions when it sends; out-of-order and duplicate segments when it
# receives, signs of a segment the domain lost and sent again), and how many frames
# crossed the domain's vif each way and their average size (dom0 pays per frame: a
# domain that sends or acknowledges in smaller frames costs it more), and how many
# interrupts the vif's event channels raised in dom0 (each notification from the
# domain is one). The figures stay the same; a slow run can be told apart from an
# unlucky one.
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

# netbench__state DOMAIN: one line of NAME=VALUE: dom0's uptime in seconds, the CPU
# seconds of dom0's and DOMAIN's vCPUs, some of dom0's TCP counters (tcp.NAME), and
# the frames and bytes of DOMAIN's first vif as dom0 counts them (vif.rx_*: from the
# domain; vif.tx_*: to it).
netbench__state() {
    local cpu tcp up vif="" vifname stats c v
    cpu=$(rig__xl vcpu-list 2>/dev/null |
        awk -v d="$1" '$1 == "Domain-0" { z += $6 } $1 == d { u += $6 } END { printf "dom0=%s domain=%s", z + 0, u + 0 }')
    tcp=$(rig_net_tcp_counters InSegs OutSegs RetransSegs TCPLostRetransmit TCPTimeouts \
        TCPDSACKOldSent TCPOFOQueue | awk '{ printf " tcp.%s=%s", $1, $2 }')
    vifname=vif$(rig__xl domid "$1" 2>/dev/null).0
    stats=/sys/class/net/$vifname/statistics
    for c in rx_packets rx_bytes tx_packets tx_bytes; do
        read -r v 2>/dev/null <"$stats/$c" && vif+=" vif.$c=$v"
    done
    # The vif's interrupts (netback names them vifD.0-q0-tx and -rx, or vifD.0-q0 for one
    # event channel): what the domain's notifications cost dom0.
    vif+=$(awk -v v="$vifname-" 'index($NF, v) == 1 { n = 0; for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) n += $i; else break
        tx += $NF ~ /-rx$/ ? 0 : n; rx += $NF ~ /-rx$/ ? n : 0 } END { printf " irq.tx=%d irq.rx=%d", tx, rx }' /proc/interrupts)
    read -r up _ </proc/uptime
    echo "wall=$up $cpu$tcp$vif"
}

# netbench__watch_turn DOMAIN FILE: while iperf -r runs, writes netbench__state to FILE
# once the domain's half has begun: when, the bytes to DOMAIN's vif having flowed (1 MB
# in a tenth of a second), 1 MB from it comes in a tenth of a second (during dom0's
# half, what the domain sends is ACKs, some KB a tenth). The state splits the two
# directions within about 0.1 s. Reads two counters a tenth of a second and forks
# nothing until then.
netbench__watch_turn() {
    local stats to from last_to="" last_from="" flowing=""
    stats=/sys/class/net/vif$(rig__xl domid "$1" 2>/dev/null).0/statistics
    while read -r to 2>/dev/null <"$stats/tx_bytes" && read -r from 2>/dev/null <"$stats/rx_bytes"; do
        if [ -n "$last_to" ]; then
            [ $((to - last_to)) -ge 1000000 ] && flowing=1
            if [ -n "$flowing" ] && [ $((from - last_from)) -ge 1000000 ]; then
                netbench__state "$1" >"$2"
                return 0
            fi
        fi
        last_to=$to last_from=$from
        rig__sleep 0.1
    done
    return 1
}

# netbench__cost BEFORE AFTER: the iperf cost line from two netbench__state lines.
netbench__cost() {
    awk -v before="$1" -v after="$2" 'BEGIN {
        n = split(before, b, " "); for (i = 1; i <= n; i++) { split(b[i], kv, "="); was[kv[1]] = kv[2] }
        n = split(after, a, " ")
        for (i = 1; i <= n; i++) { split(a[i], kv, "="); now[kv[1]] = kv[2]; order[i] = kv[1] }
        wall = now["wall"] - was["wall"]
        printf "%.1f s wall, dom0 ran %.1f s, the domain %.1f s; dom0 TCP:", wall,
            now["dom0"] - was["dom0"], now["domain"] - was["domain"]
        for (i = 1; i <= n; i++) {
            k = order[i]
            if (k ~ /^tcp\./) printf " %s +%d", substr(k, 5), now[k] - was[k]
        }
        if ("vif.rx_packets" in now) {
            rx = now["vif.rx_packets"] - was["vif.rx_packets"]
            tx = now["vif.tx_packets"] - was["vif.tx_packets"]
            printf "; the vif: %d frames from the domain (%d bytes on average), %d to it (%d)",
                rx, rx ? (now["vif.rx_bytes"] - was["vif.rx_bytes"]) / rx : 0,
                tx, tx ? (now["vif.tx_bytes"] - was["vif.tx_bytes"]) / tx : 0
            printf "; dom0 interrupts for it: %d tx, %d rx", now["irq.tx"] - was["irq.tx"],
                now["irq.rx"] - was["irq.rx"]
        }
        printf "\n"
    }'
}

# netbench_measure COLUMN ADDR PAGE: ping and the requests a second, from dom0 against
# the domain at ADDR; ab fetches PAGE (a path whose body is always the same length: ab
# counts a response of another length as failed).
netbench_measure() {
    local col=$1 addr=$2 page=$3
    if rig_ping "$addr" 100 0.1; then
        netbench__say "$col ping_min_ms $RIG_PING_MIN"
        netbench__say "$col ping_avg_ms $RIG_PING_AVG"
    else
        netbench__say "$col ping_min_ms failed: no answer"
    fi

    netbench__ab "$col" http_rps "http://$addr$page" -t "$NETBENCH_SECONDS" -c 10
    netbench__ab "$col" http_keepalive_rps "http://$addr$page" -k -t "$NETBENCH_SECONDS" -c 10

}

# netbench_round COLUMN ADDR LARGE: one round of the throughput figures against the
# domain at ADDR (tools/bench-net takes the median of the rounds): iperf -r, which says
# tcp_tx_mbps and tcp_rx_mbps and logs what each direction cost, then
# http_large_mbps, ab fetching LARGE (a few MiB) three times, one at a time, and what
# that cost.
netbench_round() {
    local col=$1 addr=$2 large=$3 out tx rx rate before after watcher turn=/run/netbench-turn
    # iperf's CSV lines: time,sender,port,receiver,port,id,interval,bytes,bits/s. dom0's
    # client sends to the domain; with -r the domain's then sends to dom0's listener.
    rm -f "$turn"
    before=$(netbench__state "$col")
    netbench__watch_turn "$col" "$turn" &
    watcher=$!
    out=$(rig__exec timeout $((3 * NETBENCH_SECONDS + 60)) iperf -c "$addr" -t "$NETBENCH_SECONDS" -r -y C 2>&1)
    after=$(netbench__state "$col")
    kill "$watcher" 2>/dev/null
    wait "$watcher"
    printf '%s\n' "$out"
    if [ -s "$turn" ]; then
        rig_log "iperf cost of $col, dom0 sending: $(netbench__cost "$before" "$(cat "$turn")")"
        rig_log "iperf cost of $col, the domain sending: $(netbench__cost "$(cat "$turn")" "$after")"
    else
        rig_log "iperf cost of $col, both ways: $(netbench__cost "$before" "$after")"
    fi
    tx=$(awk -F, -v a="$addr" 'NF >= 9 && $4 == a { printf "%.1f\n", $9 / 1e6 }' <<<"$out" | tail -n 1)
    rx=$(awk -F, -v a="$addr" 'NF >= 9 && $2 == a { printf "%.1f\n", $9 / 1e6 }' <<<"$out" | tail -n 1)
    netbench__say "$col tcp_tx_mbps ${tx:-failed: $(tail -n 1 <<<"$out")}"
    netbench__say "$col tcp_rx_mbps ${rx:-failed: $(tail -n 1 <<<"$out")}"

    before=$(netbench__state "$col")
    out=$(rig__exec timeout 300 ab -q -n 3 -c 1 "http://$addr$large" 2>&1)
    rig_log "large file cost of $col: $(netbench__cost "$before" "$(netbench__state "$col")")"
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
