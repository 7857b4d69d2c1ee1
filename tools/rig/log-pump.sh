# shellcheck shell=bash
# The pump: one background process per scenario that is the one writer of its lines
# to the console, for tools/xen-rig. It copies what the script prints ($RIG_STATE/out)
# and the console log of each domain the script follows, each line as
#   @rig NAME TIME TEXT
# (tools/rig/init documents the format). The pump is a program,
# tools/rig/log-pump.c: it sleeps in inotify until a file changes, where a loop in
# bash that looked every 20 ms took a tenth of dom0's one vCPU under TCG. This file
# is its shell side; tools/rig/scenario-lib.sh sources it, and it needs
# tools/rig/clock.sh.
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
    log-pump "$RIG_NAME" "$RIG_STATE" "$RIG_CONSOLE_DIR" >&"$RIG__CONSOLE" 2>&1 &
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
