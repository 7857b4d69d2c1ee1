# shellcheck shell=bash
# The network side of the full rig's scenarios, loaded by tools/rig/scenario-lib.sh.
# A domain whose config has a vif on the bridge xenbr0 (tests/stack/run asks dom0 for
# it, RIG_NET=1 in rig.conf) shares a segment with dom0, which is 10.0.0.1/24 there
# and runs busybox's DHCP server (10.0.0.100-199, tools/rig/init):
#
#   rig_net_wait_ip                   # the domain's address, once it answers a ping
#   rig_net_wait_ip 00:16:3e:00:00:01 # the same for whoever has that MAC
#   rig_ping "$RIG_NET_IP" 100        # 100 pings: answered, lost, round trips
#   rig_http_get "http://$RIG_NET_IP/" # fetch a page with curl: its size and sha256sum
#   rig_http_get_many URL 1000        # 1,000 requests, one after another, bodies summed
#   rig_http_concurrent URL 100       # 100 requests at once: how many came back whole
#   rig_http_send ADDR PORT < <(printf 'GET...') # raw bytes in, the response out
#   rig_http_put URL LENGTH < <(head -c LENGTH /dev/urandom) # an upload streamed
#   rig_net_tcp_counters InSegs OutRsts # dom0's TCP counters of those names
#   rig_net_syns_resent               # how many SYNs dom0 has sent again, so far
#   rig_net_tcp_report                # dom0's counters of resets, aborts and drops, logged
#   rig_net_vif                       # the domain's backend interfaces (vifD.N)
#   rig_net_attach 'mac=00:16:3e:00:00:02' # xl network-attach, on xenbr0 by default
#   rig_net_detach 1                  # xl network-detach by device id or MAC
#   rig_net_detach_during URL 1       # the same while URL is being fetched
#   rig_net_peer 00:16:3e:0a:00:02 /tmp/www # a stand-in host on the bridge (below)
#
# The functions log what they found and return 1, with a line that says why, when it
# failed. They act on the last created domain, or on the one named as their last
# argument. Globals they set: RIG_NET_IP, RIG_NET_MAC, RIG_NET_VIF, RIG_PING_SENT,
# RIG_PING_ANSWERED, RIG_PING_LOST, RIG_PING_MIN, RIG_PING_AVG, RIG_PING_MAX (ms),
# RIG_HTTP_BYTES, RIG_HTTP_SUM, RIG_HTTP_STATUS, RIG_HTTP_BODY, RIG_NET_SYNS_RESENT.
#
# HTTP goes through curl, but for the bytes rig_http_send sends as they are (busybox
# nc). A fetch fails on any status other than 2xx, saying which: a scenario that
# expects an error status (400 for a malformed request) sends the request with
# rig_http_send and checks the status line, which RIG_HTTP_STATUS then holds (after
# a fetch: the last status code).

# shellcheck disable=SC2034 # the RIG_NET_*, RIG_PING_*, RIG_HTTP_* globals: for the scenario scripts

RIG_NET_LEASES=/run/udhcpd.leases
RIG_NET_DHCPD_PID=/run/udhcpd.pid

# The xenstore folder of the domain's first vif on dom0's backend side.
rig__net_backend() {
    echo "/local/domain/0/backend/vif/${RIG__DOMID[$RIG__D]}/0"
}

# rig_net_mac [NAME]
# Sets RIG_NET_MAC to the MAC of the domain's first vif, as the toolstack gave it.
rig_net_mac() {
    rig__dom "${1:-}" || return 1
    RIG_NET_MAC=$(xenstore-read "$(rig__net_backend)/mac" 2>/dev/null)
    [ -n "$RIG_NET_MAC" ] && return 0
    rig_log "error: $RIG__D has no vif (no mac under $(rig__net_backend))"
    return 1
}

# rig_net_vif [NAME]
# Sets RIG_NET_VIF to the domain's backend network interfaces in dom0 (vifDOMID.DEVID,
# the ports of xenbr0 the vif hotplug script made), separated by spaces, and logs them.
rig_net_vif() {
    local dev names=()
    rig__dom "${1:-}" || return 1
    for dev in /sys/class/net/vif"${RIG__DOMID[$RIG__D]}".*; do
        [ -e "$dev" ] && names+=("${dev##*/}")
    done
    RIG_NET_VIF=${names[*]}
    if [ ${#names[@]} -eq 0 ]; then
        rig_log "error: $RIG__D (domain ${RIG__DOMID[$RIG__D]}) has no backend interface vif${RIG__DOMID[$RIG__D]}.N"
        return 1
    fi
    for dev in "${names[@]}"; do
        [ -e "/sys/class/net/xenbr0/brif/$dev" ] || rig_log "warning: $dev is not a port of xenbr0"
    done
    rig_log "$RIG__D's backend interfaces: $RIG_NET_VIF"
}

# The address the DHCP server leased to MAC $1, or nothing. udhcpd writes its leases
# file only when told (SIGUSR1), then dumpleases lists "MAC IP HOSTNAME EXPIRES".
rig__net_lease() {
    local pid
    pid=$(cat "$RIG_NET_DHCPD_PID" 2>/dev/null) && kill -USR1 "$pid" 2>/dev/null || return 0
    rig__sleep 0.2
    dumpleases -f "$RIG_NET_LEASES" 2>/dev/null |
        awk -v mac="${1,,}" 'tolower($1) == mac && $2 ~ /^[0-9.]+$/ { ip = $2 } END { if (ip) print ip }'
}

# rig_net_wait_ip [NAME|MAC [TIMEOUT]]
# Waits (default 60 s) until the domain (or whoever has MAC) has an address that
# answers a ping, and sets RIG_NET_IP to it: the static one its vif has (ip= in the
# vif setting), or else the one the DHCP server leased to its MAC. The ping keeps a
# lease that an earlier domain with the same MAC left from counting.
rig_net_wait_ip() {
    local who=${1:-} timeout=${2:-60} mac static="" ip="" deadline how
    if [[ ${who,,} =~ ^([0-9a-f]{2}:){5}[0-9a-f]{2}$ ]]; then
        mac=${who,,}
    else
        rig_net_mac "$who" || return 1
        mac=${RIG_NET_MAC,,} who="$RIG__D ($mac)"
        static=$(xenstore-read "$(rig__net_backend)/ip" 2>/dev/null)
    fi
    rig__clock "$timeout"
    deadline=$RIG__US
    while :; do
        ip=${static:-$(rig__net_lease "$mac")}
        if [ -n "$ip" ] && rig__exec ping -c 1 -W 1 "$ip" >/dev/null 2>&1; then
            RIG_NET_IP=$ip
            if [ -n "$static" ]; then how=static; else how=DHCP; fi
            rig_log "$who has address $ip ($how)"
            return 0
        fi
        rig__clock
        if [ "$RIG__US" -ge "$deadline" ]; then
            if [ -n "$ip" ]; then
                rig_log "timeout: $who has address $ip but does not answer a ping within $timeout s"
            else
                rig_log "timeout: $who got no address from the DHCP server within $timeout s"
            fi
            return 1
        fi
        rig__sleep 0.5
    done
}

# rig_ping ADDR [COUNT [INTERVAL]]
# Pings ADDR COUNT times (default 10), INTERVAL seconds apart (default 0.2), logs
# "rig: ping ADDR: N of M answered, L lost, round trip min/avg/max A/B/C ms" and sets
# the RIG_PING_* globals. Returns 1 when none was answered.
rig_ping() {
    local addr=$1 count=${2:-10} interval=${3:-0.2} out rtt
    out=$(rig__exec ping -q -c "$count" -i "$interval" -W 2 "$addr" 2>&1)
    RIG_PING_SENT=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$out")
    RIG_PING_ANSWERED=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' <<<"$out")
    rtt=$(sed -n 's|^round-trip min/avg/max = \([0-9.]*/[0-9.]*/[0-9.]*\) ms$|\1|p' <<<"$out")
    if [ -z "$RIG_PING_SENT" ] || [ -z "$RIG_PING_ANSWERED" ]; then
        rig_log "error: ping $addr: $(tail -n 1 <<<"$out")"
        return 1
    fi
    RIG_PING_LOST=$((RIG_PING_SENT - RIG_PING_ANSWERED))
    IFS=/ read -r RIG_PING_MIN RIG_PING_AVG RIG_PING_MAX <<<"${rtt:-//}"
    rig_log "ping $addr: $RIG_PING_ANSWERED of $RIG_PING_SENT answered, $RIG_PING_LOST lost${rtt:+, round trip min/avg/max $rtt ms}"
    [ "$RIG_PING_ANSWERED" -gt 0 ] || { rig_log "error: $addr answered no ping"; return 1; }
}

# rig_net_tcp_counters NAME...
# Prints "NAME VALUE", a line each, for those of dom0's TCP counters since it booted:
# Tcp's in /proc/net/snmp (InSegs, OutRsts...), TcpExt's in /proc/net/netstat
# (TCPSynRetrans...). Each file has a line of names, then one of values, per protocol.
rig_net_tcp_counters() {
    awk -v want=" $* " 'FNR % 2 == 1 { split($0, names); next }
        names[1] ~ /^Tcp/ { for (i = 2; i <= NF; i++)
            if (index(want, " " names[i] " ")) print names[i], $i }' \
        /proc/net/snmp /proc/net/netstat 2>/dev/null
}

# rig_net_syns_resent
# Sets RIG_NET_SYNS_RESENT to the number of SYNs dom0's TCP has sent again since it
# booted, each because the one before went unanswered for its timeout (a second at
# first): TcpExt's TCPSynRetrans. The difference over a few connections says whether
# any of them had to ask twice.
rig_net_syns_resent() {
    local name
    read -r name RIG_NET_SYNS_RESENT < <(rig_net_tcp_counters TCPSynRetrans)
    [ -n "$RIG_NET_SYNS_RESENT" ] && return 0
    rig_log "error: dom0's /proc/net/netstat has no TCPSynRetrans"
    return 1
}

# rig_net_tcp_report
# Logs dom0's TCP counters, since it booted, that say who cut connections short or
# held them up: resets sent and connections reset, connections dom0 aborted, listen
# queue overflows, and segments it dropped for want of memory. For a failure message:
# a transfer ended early was cut by one side, or stalled.
rig_net_tcp_report() {
    local counters
    counters=$(rig_net_tcp_counters OutRsts EstabResets AttemptFails ListenOverflows ListenDrops \
        TCPAbortOnData TCPAbortOnClose TCPAbortOnMemory TCPAbortOnTimeout TCPAbortOnLinger \
        TCPMemoryPressures PruneCalled TCPRcvQDrop TCPOFODrop)
    rig_log "dom0's TCP counters: ${counters//$'\n'/ }"
}

# The HTTP client: curl, without a config file (-q), quiet but for errors (in
# --parallel mode -s leaves the progress meter: --no-progress-meter), each
# request on a connection of its own (Connection: close, which the servers honour).
# After each transfer it writes "rig-http STATUS BYTES EXIT" to stderr (EXIT: 0 when
# the transfer went well, curl's error number else), so that every response is seen,
# and its messages ("curl: (N) ...") go there too.
RIG__CURL=(curl -q -sS --no-progress-meter -H 'Connection: close'
    -w '%{stderr}rig-http %{http_code} %{size_download} %{exitcode}\n')

# rig__http_checked WHAT COUNT RC ERRFILE: whether curl, which ended with status RC
# and wrote ERRFILE, got COUNT whole responses with a 2xx status; if not, logs "rig: error:
# WHAT failed: WHY". Sets RIG_HTTP_STATUS to the last response's status code and
# RIG_HTTP_BYTES to the sum of their lengths.
rig__http_checked() {
    local what=$1 count=$2 rc=$3 err=$4 good why
    RIG_HTTP_STATUS=$(sed -n 's/^rig-http \([0-9]*\) .*/\1/p' "$err" | tail -n 1)
    RIG_HTTP_BYTES=$(awk '$1 == "rig-http" { n += $3 } END { printf "%d", n }' "$err")
    good=$(grep -c '^rig-http 2[0-9][0-9] [0-9]* 0$' "$err")
    [ "$rc" -eq 0 ] && [ "$good" -eq "$count" ] && return 0
    why=$(grep -v '^rig-http ' "$err" | tail -n 1)
    # timeout kills curl without a word.
    [ -n "$why" ] || why="$good of $count responses whole with a 2xx status, the last ${RIG_HTTP_STATUS:-none} (curl ended with status $rc)"
    rig_log "error: $what failed: $why"
    return 1
}

# rig__http_fetch WHAT TIMEOUT URL...: fetches the URLs one after another (curl, a
# connection each, giving up on all after TIMEOUT seconds; it stops at the first
# failure), their bodies read as one stream without being kept, logs "rig: WHAT: N
# bytes, sha256 SUM" and sets RIG_HTTP_BYTES and RIG_HTTP_SUM. Returns 1 on an error
# or a status other than 2xx.
rig__http_fetch() {
    local what=$1 timeout=$2 err rc
    shift 2
    err=$(mktemp /tmp/rig-http.XXXXXX) || return 1
    RIG_HTTP_SUM=$(rig__exec timeout "$timeout" "${RIG__CURL[@]}" --fail --fail-early "$@" 2>"$err" |
        sha256sum; exit "${PIPESTATUS[0]}")
    rc=$?
    RIG_HTTP_SUM=${RIG_HTTP_SUM%% *}
    rig__http_checked "$what" $# $rc "$err"
    rc=$?
    rm -f "$err"
    [ $rc -eq 0 ] || return 1
    rig_log "$what: $RIG_HTTP_BYTES bytes, sha256 $RIG_HTTP_SUM"
}

# rig_http_get URL [TIMEOUT]
# Fetches URL (within TIMEOUT seconds, default 30), logs "rig: GET URL: N bytes,
# sha256 SUM" and sets RIG_HTTP_BYTES and RIG_HTTP_SUM. The body is not kept: a 100 MB
# one costs dom0 no memory.
rig_http_get() {
    rig__http_fetch "GET $1" "${2:-30}" "$1"
}

# rig_http_get_many URL COUNT [TIMEOUT]
# Fetches URL COUNT times in a row (one curl, a connection each), logs "rig: COUNT
# GETs of URL: N bytes, sha256 SUM" over the bodies one after another, and sets
# RIG_HTTP_BYTES and RIG_HTTP_SUM to that. TIMEOUT (default 300 s) is for all of them.
rig_http_get_many() {
    local urls=() i
    for ((i = 0; i < $2; i++)); do urls+=("$1"); done
    rig__http_fetch "$2 GETs of $1" "${3:-300}" "${urls[@]}"
}

# rig_http_concurrent URL COUNT [TIMEOUT]
# Fetches URL COUNT times at once (one curl that opens COUNT connections before any
# answer: --parallel-immediate; at most 300) within TIMEOUT (default 120 s); logs
# "rig: COUNT concurrent GETs of URL: N whole, sha256 SUM" when every body has the
# same sum (else "... N whole, M different bodies"), and sets RIG_HTTP_SUM to it.
# Whole: a 2xx status and the length the response announced. Returns 1 unless all
# COUNT came back whole and alike.
rig_http_concurrent() {
    local url=$1 count=$2 timeout=${3:-120} dir i whole sums args=()
    dir=$(mktemp -d /tmp/rig-http.XXXXXX) || return 1
    for ((i = 0; i < count; i++)); do args+=(-o "$dir/$i" "$url"); done
    rig__exec timeout "$timeout" "${RIG__CURL[@]}" --fail --parallel --parallel-immediate \
        --parallel-max "$count" "${args[@]}" 2>"$dir/err"
    whole=$(grep -c '^rig-http 2[0-9][0-9] [0-9]* 0$' "$dir/err")
    grep -v '^rig-http ' "$dir/err" | sort | uniq -c | while read -r n why; do
        rig_log "curl said $n times: $why"
    done
    sums=$(for ((i = 0; i < count; i++)); do [ -e "$dir/$i" ] && sha256sum <"$dir/$i"; done | sort -u)
    rm -rf "$dir"
    RIG_HTTP_SUM=${sums%% *}
    if [ -z "$sums" ]; then
        rig_log "$count concurrent GETs of $url: none whole"
        return 1
    elif [ "$(wc -l <<<"$sums")" -ne 1 ]; then
        rig_log "$count concurrent GETs of $url: $whole whole, $(wc -l <<<"$sums") different bodies"
        return 1
    fi
    rig_log "$count concurrent GETs of $url: $whole whole, sha256 $RIG_HTTP_SUM"
    [ "$whole" -eq "$count" ]
}

# rig__http_answer ADDR OUT: sets RIG_HTTP_STATUS to the status line of the response
# OUT (its CRs removed) and RIG_HTTP_BODY to the rest after its headers, and logs
# "rig: ADDR answered: STATUS LINE". Returns 1 when there was no answer.
rig__http_answer() {
    RIG_HTTP_STATUS=$(head -n 1 <<<"$2")
    RIG_HTTP_BODY=$(sed '1,/^$/d' <<<"$2")
    if [ -z "$RIG_HTTP_STATUS" ]; then
        rig_log "error: $1 sent no answer"
        return 1
    fi
    rig_log "$1 answered: $RIG_HTTP_STATUS"
}

# rig_http_send ADDR PORT [TIMEOUT] < <(COMMAND)
# Sends what stdin holds to ADDR:PORT as it is (busybox nc: raw bytes, such as a
# request the server should refuse, which an HTTP client would not send), logs "rig:
# ADDR:PORT answered: STATUS LINE" and sets RIG_HTTP_STATUS to the status line and
# RIG_HTTP_BODY to the rest of the response after its headers. TIMEOUT: 60 s. Feed
# it by redirection, not through a pipe, which would run it in a subshell whose
# globals are lost.
rig_http_send() {
    local addr=$1 port=$2 timeout=${3:-60} out
    out=$(timeout "$timeout" nc "$addr" "$port" | tr -d '\r') || true
    rig__http_answer "$addr:$port" "$out"
}

# rig_http_put URL LENGTH [TIMEOUT] < <(COMMAND)
# Sends what stdin holds, LENGTH bytes, as the body of a PUT to URL (curl, streamed as
# it comes, with a Content-Length: no chunked encoding, no Expect), within TIMEOUT
# (default 600 s); logs "rig: URL answered: STATUS LINE" and sets RIG_HTTP_STATUS and
# RIG_HTTP_BODY as rig_http_send does. Returns 1 unless the status is 2xx. Fed by
# redirection, as rig_http_send is.
rig_http_put() {
    local url=$1 length=$2 timeout=${3:-600} out err rc
    err=$(mktemp /tmp/rig-http.XXXXXX) || return 1
    out=$(rig__exec timeout "$timeout" "${RIG__CURL[@]}" -i -T - -H 'Transfer-Encoding:' -H 'Expect:' \
        -H "Content-Length: $length" "$url" 2>"$err" | tr -d '\r'; exit "${PIPESTATUS[0]}")
    rc=$?
    rig__http_checked "PUT $url" 1 $rc "$err"
    rc=$?
    rm -f "$err"
    rig__http_answer "$url" "$out" && [ $rc -eq 0 ]
}

# rig_net_attach [SETTINGS [NAME]]
# Gives the running domain one more vif (xl network-attach) with SETTINGS, xl's vif
# settings separated by commas ('mac=00:16:3e:00:00:02,ip=10.0.0.2'); bridge=xenbr0
# is added when SETTINGS names no bridge.
rig_net_attach() {
    local settings=${1:-} args
    rig__dom "${2:-}" || return 1
    [[ $settings == *bridge=* ]] || settings=${settings:+$settings,}bridge=xenbr0
    # One argument per setting, as xl takes them.
    IFS=, read -r -a args <<<"$settings"
    rig_run xl network-attach "$RIG__D" "${args[@]}" ||
        { rig_log "error: xl network-attach $RIG__D $settings failed"; return 1; }
}

# rig_net_detach DEVID|MAC [NAME]
# Takes a vif from the domain (xl network-detach), by its device id (0 for the first)
# or its MAC. xl waits for the domain's frontend to close it and gives up after 10 s
# when it does not.
rig_net_detach() {
    rig__dom "${2:-}" || return 1
    rig_run xl network-detach "$RIG__D" "${1:?rig_net_detach DEVID|MAC [NAME]}" ||
        { rig_log "error: xl network-detach $RIG__D $1 failed"; return 1; }
}

# rig_net_detach_during URL DEVID|MAC [NAME]
# Starts fetching URL (a long transfer), detaches the vif 3 s later, gives the fetch
# 10 s more to end (dom0's side of the connection only times out: nothing answers
# there any more), and logs "rig: the transfer of URL ended with status N once its
# vif was detached". Returns 1 when the detach failed or the transfer succeeded.
rig_net_detach_during() {
    local url=$1 who=$2 pid status
    timeout 300 curl -q -sS --fail -o /dev/null "$url" &
    pid=$!
    rig__sleep 3
    if ! rig_net_detach "$who" "${3:-}"; then
        kill "$pid" 2>/dev/null
        return 1
    fi
    rig__sleep 10
    kill "$pid" 2>/dev/null
    wait "$pid"
    status=$?
    rig_log "the transfer of $url ended with status $status once its vif was detached"
    [ "$status" -ne 0 ]
}

# rig_net_peer MAC [WWW_DIR]
# Puts a stand-in for another machine on the bridge: one end of a veth pair is a port
# of xenbr0, the other is eth0 (with MAC) in a network namespace of its own, held by a
# sleeping process. It takes its address from the DHCP server as a domain would, and
# with WWW_DIR serves that folder over HTTP on port 80 (busybox httpd). Sets
# RIG_NET_IP to its address and RIG_NET_PEER_PID to the namespace's process; the
# namespace and both ends of the pair go when the scenario ends (it kills what it
# left running). One peer per scenario.
rig_net_peer() {
    local mac=$1 www=${2:-} pid idx dev peer="" tries=0 script=/tmp/rig-net-peer-dhcp
    rig_run ip link add rigpeer0 type veth || return 1
    # busybox ip names the far end itself: it is the interface whose index the near
    # end's iflink holds.
    idx=$(cat /sys/class/net/rigpeer0/iflink)
    for dev in /sys/class/net/*; do
        [ "$(cat "$dev/ifindex")" = "$idx" ] && peer=${dev##*/}
    done
    [ -n "$peer" ] || { rig_log "error: no far end for the veth rigpeer0"; return 1; }
    rig_run brctl addif xenbr0 rigpeer0 && rig_run ip link set rigpeer0 up || return 1
    # sigmask and unshare exec the next program: $! is the sleep's pid.
    sigmask unshare -n sleep 100000 &
    pid=$!
    until [ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/self/ns/net)" ]; do
        tries=$((tries + 1))
        { [ $tries -lt 100 ] && kill -0 "$pid" 2>/dev/null; } ||
            { rig_log "error: unshare -n made no network namespace"; return 1; }
        rig__sleep 0.05
    done
    RIG_NET_PEER_PID=$pid
    # udhcpc's script: on a lease, give eth0 the address (busybox sets ip, mask, interface).
    # shellcheck disable=SC2016 # for the script
    printf '#!/bin/sh\n[ "$1" = bound ] && ip addr add "$ip/${mask:-24}" dev "$interface"\nexit 0\n' >"$script" &&
        chmod +x "$script" || return 1
    rig_run ip link set "$peer" netns "$pid" &&
        rig_run nsenter -t "$pid" -n ip link set "$peer" name eth0 &&
        rig_run nsenter -t "$pid" -n ip link set eth0 address "$mac" &&
        rig_run nsenter -t "$pid" -n ip link set eth0 up &&
        rig_run nsenter -t "$pid" -n ip link set lo up || return 1
    if ! rig_run nsenter -t "$pid" -n udhcpc -i eth0 -f -q -n -t 10 -s "$script"; then
        rig_log "error: the stand-in $mac got no address from the DHCP server"
        return 1
    fi
    if [ -n "$www" ]; then
        sigmask nsenter -t "$pid" -n httpd -f -p 80 -h "$www" &
    fi
    rig_net_wait_ip "$mac" 30
}
