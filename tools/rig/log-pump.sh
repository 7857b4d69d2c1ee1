# shellcheck shell=bash
# The pump: one background process per scenario that is the one writer of its lines
# to the console, for tools/xen-rig. It copies what the script prints ($RIG_STATE/out)
# and the console log of each domain the script follows, each line as
#   @rig NAME TIME TEXT
# (tools/rig/init documents the format). tools/rig/scenario-lib.sh sources this file;
# it needs tools/rig/clock.sh.
#
# The script talks to the pump through files in $RIG_STATE/follow: KEY (N.NAME, the
# Nth domain the scenario created, called NAME) asks to follow the console log of
# NAME; KEY.done asks to copy the rest and let go, and the pump removes it once done.
# $RIG_STATE/stop asks the pump to copy what is left and exit.

# xenconsoled's console logs (init starts it with --log=guest and this folder).
RIG_CONSOLE_DIR=/var/log/xen/console
RIG_STATE=/run/rig

# Per domain name: the key of its console in the pump.
declare -A RIG__KEY=()
RIG__GEN=0

# Sends everything the script prints to the pump, and starts it. What the script
# prints goes to a file: bash reads a pipe one byte per system call, which costs a PV
# dom0 under TCG too much.
rig__pump_start() {
    rm -rf "$RIG_STATE" && mkdir -p "$RIG_STATE/follow" || return 1
    exec {RIG__CONSOLE}>&1 >"$RIG_STATE/out" 2>&1
    rig__pump &
    RIG__PUMP=$!
    # Its stamps are only as good as its share of dom0's one vCPU, which xl create
    # would otherwise take for seconds.
    renice -n -10 -p "$RIG__PUMP" >/dev/null
}

# Lets the pump copy what is left, and waits for it to exit.
rig__pump_stop() {
    : >"$RIG_STATE/stop"
    wait "$RIG__PUMP"
}

# Starts copying the console of domain $1, created right after this call:
# xenconsoled appends to a log that is there already, so that one goes.
rig__follow() {
    local name=$1
    [ -z "${RIG__KEY[$name]:-}" ] || rig__unfollow "$name"
    rm -f "$RIG_CONSOLE_DIR/guest-$name.log"
    RIG__GEN=$((RIG__GEN + 1))
    RIG__KEY[$name]=$RIG__GEN.$name
    : >"$RIG_STATE/follow/${RIG__KEY[$name]}"
}

# Stops copying a domain's console, once the log has stopped growing (xenconsoled
# may still be copying the last output of a domain that is already down) and the
# pump has copied all of it.
rig__unfollow() {
    local name=$1 log=$RIG_CONSOLE_DIR/guest-$1.log f size last=-1 quiet=0 i
    f=$RIG_STATE/follow/${RIG__KEY[$name]}
    [ -e "$f" ] || return 0
    for ((i = 0; i < 40 && quiet < 3; i++)); do
        size=$(stat -c %s "$log" 2>/dev/null || echo 0)
        if [ "$size" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; fi
        last=$size
        rig__sleep 0.05
    done
    mv "$f" "$f.done"
    for ((i = 0; i < 200; i++)); do
        [ -e "$f.done" ] || break
        rig__sleep "$RIG_POLL"
    done
}

# The pump itself. Each round takes the consoles first, so that a step's reaction to
# console output comes after that output.
rig__pump() {
    local f key log n out_fd stopping=0
    local -A fd=()
    declare -A RIG__PART=() RIG__FIRST=()
    exec {out_fd}<"$RIG_STATE/out"
    while :; do
        [ -e "$RIG_STATE/stop" ] && stopping=1
        RIG__GOT=0
        for f in "$RIG_STATE"/follow/*; do
            [ -e "$f" ] || continue
            key=${f##*/}
            key=${key%.done}
            if [ -z "${fd[$key]:-}" ]; then
                # xenconsoled opens a domain's log when it notices the new domain.
                log=$RIG_CONSOLE_DIR/guest-${key#*.}.log
                if [ -e "$log" ]; then
                    exec {n}<"$log"
                    fd[$key]=$n RIG__PART[$key]="" RIG__FIRST[$key]=1
                fi
            fi
            [ -z "${fd[$key]:-}" ] || rig__drain "${fd[$key]}" "$key"
            if [ "$f" != "${f%.done}" ]; then
                [ -z "${RIG__PART[$key]:-}" ] || rig__emit "${RIG__PART[$key]}"
                n=${fd[$key]:-}
                [ -z "$n" ] || exec {n}<&-
                unset "fd[$key]" "RIG__PART[$key]"
                rm -f "$f"
            fi
        done
        rig__drain "$out_fd" out
        if [ $RIG__GOT = 0 ] && [ $stopping = 1 ]; then
            [ -z "${RIG__PART[out]:-}" ] || rig__emit "${RIG__PART[out]}"
            return 0
        fi
        [ $RIG__GOT = 1 ] || rig__sleep "$RIG_POLL"
    done
}

# Copies the complete lines waiting on fd $1 and keeps a partial one for later
# (read leaves it in $line at the end of the file). Sets RIG__GOT when it read any.
rig__drain() {
    local fd=$1 key=$2 line
    while IFS= read -r -u "$fd" line; do
        rig__got "$key"
        rig__emit "${RIG__PART[$key]:-}$line"
        RIG__PART[$key]=""
    done
    if [ -n "$line" ]; then
        rig__got "$key"
        RIG__PART[$key]+=$line
    fi
}

rig__got() {
    RIG__GOT=1
    [ -n "${RIG__FIRST[$1]:-}" ] || return 0
    unset "RIG__FIRST[$1]"
    rig_now
    rig__emit "rig: time first-output $RIG_NOW"
}

# One line for tools/xen-rig; a guest's "\r\n" loses its "\r".
rig__emit() {
    rig_now
    printf '@rig %s %s %s\n' "$RIG_NAME" "$RIG_NOW" "${1%$'\r'}" >&"$RIG__CONSOLE"
}
