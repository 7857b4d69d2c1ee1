# shellcheck shell=bash
# Dom0-side helpers for the full rig's scenario scripts (bash). dom0's init
# (tools/rig/init) runs each /scenarios/NAME.sh through rig_main, in /scenarios, with
# this file loaded; everything a script prints lands in its log, NAME.log on the host.
# A scenario reads like:
#
#   rig_create hello.cfg                          # xl create; its console is followed
#   rig_wait_console '^Hello' 30                  # until a console line matches an ERE
#   rig_wait_console 'grant ref ([0-9]+)' && ref=${BASH_REMATCH[1]}
#   rig_run grant-read "$RIG_DOMID" "$ref"        # any dom0 command, output logged
#   rig_send 'a line of input'                    # to the domain's console
#   rig_wait_xenstore "$path" connected 30        # until a xenstore node holds a value
#   rig_xenconsoled stop                          # kill -STOP xenconsoled (cont: -CONT)
#   rig_wait_end 60                               # until it ends; says how
#
# The domU's console output is copied into the log line by line as it comes. The log
# also gets dom0's times (seconds of uptime, to the millisecond) as
#   rig: time create T          right before xl create
#   rig: time first-output T    when the first console bytes arrived
#   rig: time end T             when the domain was seen to end
# and how the domain ended, as Xen's toolstack saw it, as
#   rig: domain ended: HOW
# HOW is poweroff, reboot, suspend, crash, watchdog or soft_reset (the shutdown
# reason, which xl keeps readable because rig_create sets on_*="preserve"), destroyed
# (it vanished: xl destroy), or timeout (it did not end in time; the rig destroys it).
#
# The functions act on the last created domain, or on the one named as their last
# argument. Globals: RIG_NAME (the scenario), RIG_DOM and RIG_DOMID (the last created
# domain), RIG_MATCH (the console line rig_wait_console matched; BASH_REMATCH holds its
# groups), RIG_NOW (set by rig_now). Commands a script leaves running in the
# background are killed when it ends; domains it did not wait for are destroyed.
#
# The programs these functions start, and the ones a script runs with rig_run, run
# with no signals blocked (the sigmask helper). bash 5.2's `read -t`, when its time
# is up before it first reads (a loaded dom0 easily sleeps 20 ms), sets the shell's
# signal mask from an uninitialized variable (builtins/read.def, prevset), and a
# coprocess inherits that mask: the watch rig_wait_end starts then ignored the
# SIGTERM that ends it, and the scenario hung in wait. Other programs get the same
# treatment in case another path inherits it (libxl relies on SIGCHLD).

# shellcheck disable=SC2034 # RIG_DOMID, RIG_MATCH: for the scenario scripts
RIG_SCENARIOS=/scenarios
RIG_CONSOLE_DIR=/var/log/xen/console
RIG_STATE=/run/rig
# How often new output is looked for: finer than a domU's boot milestones.
RIG_POLL=0.02

# Per domain name: its id, the key of its console in the pump, the pid of its xl
# create, the fd and partial line rig_wait_console reads with, and how it ended.
declare -A RIG__DOMID=() RIG__KEY=() RIG__XL=() RIG__FD=() RIG__WPART=() RIG__ENDED=()
RIG__GEN=0

# Sets RIG_NOW to dom0's time, "seconds.milliseconds" (init gives the offset from
# bash's clock to dom0's uptime).
rig_now() {
    local us=$((${EPOCHREALTIME/./} + ${RIG_CLOCK_OFFSET_US:-0}))
    printf -v RIG_NOW '%d.%03d' $((us / 1000000)) $((us / 1000 % 1000))
}

rig_log() {
    printf 'rig: %s\n' "$*"
}

# Sleeps without starting a process: a read that times out on a FIFO nobody writes.
rig__sleep() {
    read -r -t "$1" -u "$RIG__SLEEP_FD" _
}

# Sets RIG__US to bash's clock in microseconds, plus $1 seconds if given.
rig__clock() {
    local s=${1:-0} frac
    frac=${s#*.}
    [ "$frac" = "$s" ] && frac=0
    frac=${frac}000000
    RIG__US=$((${EPOCHREALTIME/./} + ${s%%.*} * 1000000 + 10#${frac:0:6}))
}

# The domain a function acts on: its argument, or the last one created.
rig__dom() {
    RIG__D=${1:-${RIG_DOM:-}}
    [ -n "$RIG__D" ] && [ -n "${RIG__DOMID[$RIG__D]:-}" ] && return 0
    rig_log "error: no domain '${RIG__D}' was created in this scenario"
    return 1
}

# Runs a program, its signal mask cleared. Shell functions and builtins run as they
# are.
rig__exec() {
    if [ "$(type -t "$1")" = file ]; then
        sigmask "$@"
    else
        "$@"
    fi
}

# The toolstack, run as rig__exec runs programs.
rig__xl() {
    sigmask xl "$@"
}

# Runs a dom0 command, its output into the log. Returns its status.
rig_run() {
    local rc
    printf 'rig$ %s\n' "$*"
    rig__exec "$@" </dev/null
    rc=$?
    [ $rc -eq 0 ] || rig_log "exit status $rc from $1"
    return $rc
}

# rig_create CFG [KEY=VALUE...]
# Creates the domain CFG describes, with the config settings given after it (as xl
# create takes them, overriding CFG's) and on_poweroff, on_reboot and on_crash set to
# "preserve", so that rig_wait_end can read how it ended. Starts copying its console
# into the log, and
# returns as soon as the domain exists: xl create itself goes on for seconds after
# the domain runs (it waits for the console, then forks its watcher), and a short
# domain can be over by then. Its output and a failure still reach the log.
rig_create() {
    local cfg=$1 name id="" log
    shift
    name=$(sed -n "s/^[[:space:]]*name[[:space:]]*=[[:space:]]*[\"']\([^\"']*\)[\"'].*/\1/p" "$cfg" | head -1)
    if [ -z "$name" ]; then
        rig_log "error: no name in $cfg"
        return 1
    fi
    [ -z "${RIG__KEY[$name]:-}" ] || rig__unfollow "$name"
    # xenconsoled appends to a log that is there already: start from nothing.
    log=$RIG_CONSOLE_DIR/guest-$name.log
    rm -f "$log"
    RIG__GEN=$((RIG__GEN + 1))
    RIG__KEY[$name]=$RIG__GEN.$name
    : >"$RIG_STATE/follow/${RIG__KEY[$name]}"
    unset "RIG__FD[$name]" "RIG__ENDED[$name]" "RIG__DOMID[$name]"
    RIG__WPART[$name]=""
    rig_now
    rig_log "time create $RIG_NOW"
    set -- "$@" 'on_poweroff="preserve"' 'on_reboot="preserve"' 'on_crash="preserve"'
    printf 'rig$ xl create %s %s\n' "$cfg" "$*"
    sigmask xl create "$cfg" "$@" </dev/null &
    RIG__XL[$name]=$!
    # Niced, so that the steps that follow get dom0's vCPU when they need it.
    renice -n 5 -p "${RIG__XL[$name]}" >/dev/null
    # xenconsoled opens the console log once the domain is in xenstore: from then on
    # xenstore can tell its id.
    while [ -z "$id" ]; do
        if [ -e "$log" ]; then
            id=$(rig__domid "$name")
        elif ! kill -0 "${RIG__XL[$name]}" 2>/dev/null; then
            rig__xl_done "$name"
            id=$(rig__domid "$name")
            if [ -z "$id" ]; then
                rig__unfollow "$name"
                return 1
            fi
        fi
        [ -n "$id" ] || rig__sleep "$RIG_POLL"
    done
    RIG_DOM=$name RIG_DOMID=$id
    RIG__DOMID[$name]=$id
    rig_log "domain $name has id $id"
}

# The id of the domain called $1, from xenstore; nothing if there is none.
rig__domid() {
    local id
    for id in $(xenstore-list /local/domain 2>/dev/null); do
        [ "$(xenstore-read "/local/domain/$id/name" 2>/dev/null)" = "$1" ] && { echo "$id"; return; }
    done
}

# Collects the status of the domain's xl create once it has finished, and logs a
# failure. Returns 1 while it still runs.
rig__xl_done() {
    local pid=${RIG__XL[$1]:-} rc
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null && return 1
    wait "$pid"
    rc=$?
    unset "RIG__XL[$1]"
    [ $rc -eq 0 ] || rig_log "exit status $rc from xl create"
    return 0
}

# rig_wait_console ERE [TIMEOUT [NAME]]
# Waits (default 30 s) until a line of the domain's console matches the extended
# regular expression ERE. Each call goes on from the line after the previous match,
# so that successive calls follow the output in order. Sets RIG_MATCH and
# BASH_REMATCH; returns 1, and says so in the log, on a timeout.
rig_wait_console() {
    local ere=$1 timeout=${2:-30} name log line deadline fd
    rig__dom "${3:-}" || return 1
    name=$RIG__D
    log=$RIG_CONSOLE_DIR/guest-$name.log
    rig__clock "$timeout"
    deadline=$RIG__US
    while :; do
        if [ -z "${RIG__FD[$name]:-}" ] && [ -e "$log" ]; then
            exec {fd}<"$log"
            RIG__FD[$name]=$fd
        fi
        if [ -n "${RIG__FD[$name]:-}" ]; then
            while IFS= read -r -u "${RIG__FD[$name]}" line; do
                line=${RIG__WPART[$name]}$line
                RIG__WPART[$name]=""
                line=${line%$'\r'}
                if [[ $line =~ $ere ]]; then
                    RIG_MATCH=$line
                    return 0
                fi
            done
            RIG__WPART[$name]+=$line
        fi
        rig__clock
        if [ "$RIG__US" -ge "$deadline" ]; then
            rig_log "timeout: no console line of $name matched '$ere' within $timeout s"
            return 1
        fi
        rig__sleep "$RIG_POLL"
    done
}

# rig_wait_xenstore PATH VALUE [TIMEOUT]
# Waits (default 30 s) until the xenstore node PATH reads VALUE, polling; returns 1,
# and says so in the log, on a timeout.
rig_wait_xenstore() {
    local path=$1 want=$2 timeout=${3:-30} deadline
    rig__clock "$timeout"
    deadline=$RIG__US
    while [ "$(xenstore-read "$path" 2>/dev/null)" != "$want" ]; do
        rig__clock
        if [ "$RIG__US" -ge "$deadline" ]; then
            rig_log "timeout: $path did not read '$want' within $timeout s"
            return 1
        fi
        rig__sleep "$RIG_POLL"
    done
    rig_log "$path reads '$want'"
}

# rig_send TEXT [NAME]
# Sends TEXT and a newline to the domain's console input: xenconsoled passes what is
# written to the domain's pty (named in xenstore) into the console ring.
rig_send() {
    local text=$1 tty
    rig__dom "${2:-}" || return 1
    tty=$(xenstore-read "/local/domain/${RIG__DOMID[$RIG__D]}/console/tty" 2>/dev/null)
    if [ -z "$tty" ]; then
        rig_log "error: $RIG__D has no console tty in xenstore"
        return 1
    fi
    rig_log "send to $RIG__D: $text"
    # In a subshell: a session leader opening a tty would make it its controlling tty.
    (printf '%s\n' "$text" >"$tty") || {
        rig_log "error: cannot write to $tty"
        return 1
    }
}

# rig_xenconsoled stop|cont
# Stops xenconsoled (kill -STOP) or lets it go on (kill -CONT). While it is stopped no
# domain's console ring is drained and nothing reaches the console logs, so
# rig_wait_console sees nothing new; the end of the scenario lets it go on whatever
# happened.
rig_xenconsoled() {
    local pid
    pid=$(cat /run/xen/xenconsoled.pid 2>/dev/null)
    if [ -z "$pid" ]; then
        rig_log "error: xenconsoled's pid is not in /run/xen/xenconsoled.pid"
        return 1
    fi
    case $1 in
    stop) rig_run kill -STOP "$pid" ;;
    cont) rig_run kill -CONT "$pid" ;;
    *) rig_log "error: rig_xenconsoled stop|cont, not '$1'"; return 1 ;;
    esac
}

# How the domain stands in Xen's view: running, gone, or its shutdown reason. xl list
# -v shows the state flags ("---s--": shut down, "----c-": crashed) and, for a domain
# that shut down, the reason code (xen/sched.h SHUTDOWN_*) after the UUID.
rig__state() {
    local out state reason
    out=$(rig__xl list -v "$1" 2>/dev/null | awk 'NR == 2 { print $5, $8 }')
    if [ -z "$out" ]; then
        echo gone
        return
    fi
    read -r state reason <<<"$out"
    case $state in
    *s* | *c*) ;;
    *) echo running; return ;;
    esac
    case $reason in
    0) echo poweroff ;;
    1) echo reboot ;;
    2) echo suspend ;;
    3) echo crash ;;
    4) echo watchdog ;;
    5) echo soft_reset ;;
    *) [[ $state == *c* ]] && echo crash || echo "shutdown (reason $reason)" ;;
    esac
}

# rig_wait_end [TIMEOUT [NAME]]
# Waits (default 60 s) until the domain has ended, logs when and how (see the top of
# this file), and destroys it so that the next domain starts clean. Returns 0 when it
# ended by itself or was destroyed, 1 on a timeout.
rig_wait_end() {
    local timeout=${1:-60} name state deadline left end rc
    rig__dom "${2:-}" || return 1
    name=$RIG__D
    rig__clock "$timeout"
    deadline=$RIG__US
    rig__watch_start
    while :; do
        state=$(rig__state "$name")
        [ "$state" = running ] || break
        rig__clock
        left=$(((deadline - RIG__US) / 1000))
        if [ $left -le 0 ]; then
            state=timeout
            break
        fi
        # At most a few seconds between looks, should an event be missed.
        [ $left -le 3000 ] || left=3000
        read -r -t "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))" -u "${RIG__WATCH[0]:-}" _
        # A quick failure that is no timeout: the watch is gone, so poll instead.
        rc=$?
        [ $rc -eq 0 ] || [ $rc -gt 128 ] || rig__sleep 0.5
    done
    rig_now
    end=$RIG_NOW
    rig__watch_stop
    rig__unfollow "$name"
    [ "$state" = gone ] && state=destroyed
    [ "$state" = destroyed ] || rig__xl destroy "$name" 2>/dev/null
    rig__xl_done "$name"
    rig_log "time end $end"
    rig_log "domain ended: $state"
    RIG__ENDED[$name]=$state
    [ "$state" != timeout ]
}

# xenstored fires @releaseDomain when any domain shuts down or dies, and once when
# the watch is set: each event is a moment to ask xl. The watch is a coprocess; its
# output is read from ${RIG__WATCH[0]}.
rig__watch_start() {
    coproc RIG__WATCH { exec sigmask xenstore-watch @releaseDomain 2>/dev/null; }
}

# Ends the watch; its status (killed by SIGTERM) is no failure.
rig__watch_stop() {
    kill "$RIG__WATCH_PID" 2>/dev/null
    wait "$RIG__WATCH_PID" 2>/dev/null
    return 0
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

# The pump (a background process) is the one writer of the scenario's lines to the
# console, for tools/xen-rig: what the script prints ($RIG_STATE/out) and the console
# log of each followed domain ($RIG_STATE/follow/KEY, KEY = N.NAME, names one;
# KEY.done asks to copy the rest and let go). Each round takes the consoles first, so
# that a step's reaction to console output comes after that output.
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

# At the end of a scenario: domains it did not wait for are destroyed and reported,
# and the pump copies the rest.
rig__finish() {
    local name pid
    # A scenario that ended while xenconsoled was stopped must not leave it so.
    pid=$(cat /run/xen/xenconsoled.pid 2>/dev/null) && [ -n "$pid" ] && kill -CONT "$pid" 2>/dev/null
    for name in "${!RIG__DOMID[@]}"; do
        [ -n "${RIG__ENDED[$name]:-}" ] && continue
        if [ "$(rig__state "$name")" != gone ]; then
            rig_log "domain $name still there at the end of the scenario: destroying it"
            rig__xl destroy "$name" 2>/dev/null
        fi
        rig__unfollow "$name"
    done
    # An xl create still running gets a few seconds to finish and say how it went.
    for ((pid = 0; pid < 100 && ${#RIG__XL[@]} > 0; pid++)); do
        for name in "${!RIG__XL[@]}"; do rig__xl_done "$name"; done
        [ ${#RIG__XL[@]} -eq 0 ] || rig__sleep 0.03
    done
    for pid in $(jobs -p); do
        [ "$pid" = "$RIG__PUMP" ] || kill "$pid" 2>/dev/null
    done
    : >"$RIG_STATE/stop"
    wait "$RIG__PUMP"
}

# rig_main NAME: runs /scenarios/NAME.sh (called by init). What the script prints
# goes to a file for the pump: bash reads a pipe one byte per system call, which
# costs a PV dom0 under TCG too much.
rig_main() {
    RIG_NAME=$1
    rm -rf "$RIG_STATE" && mkdir -p "$RIG_STATE/follow" && mkfifo "$RIG_STATE/sleep" || return 1
    exec {RIG__SLEEP_FD}<>"$RIG_STATE/sleep"
    exec {RIG__CONSOLE}>&1 >"$RIG_STATE/out" 2>&1
    rig__pump &
    RIG__PUMP=$!
    # Its stamps are only as good as its share of dom0's one vCPU, which xl create
    # would otherwise take for seconds.
    renice -n -10 -p "$RIG__PUMP" >/dev/null
    trap rig__finish EXIT
    cd "$RIG_SCENARIOS" || exit 1
    # shellcheck disable=SC1090
    . "./$RIG_NAME.sh"
}
