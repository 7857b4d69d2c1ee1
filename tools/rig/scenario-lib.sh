# shellcheck shell=bash
# Dom0-side helpers for the full rig's scenario scripts (bash). dom0's init
# (tools/rig/init) runs each /scenarios/NAME.sh through rig_main
# (tools/rig/scenario-main.sh), in /scenarios, with this file loaded; everything a
# script prints lands in its log, NAME.log on the host.
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
# and, for domains with disks (tools/rig/disks.sh, which documents them):
#
#   rig_disk xvda 64M; rig_disk xvdb 1G 4096 ro   # before rig_create, which adds disk=[...]
#   rig_disk_sum xvda                             # sha256sum of its backing file
#   rig_disk_usage xvda                           # bytes it occupies (holes: discards)
#   rig_disk_attach xvdc 1M; rig_disk_detach xvdc # xl block-attach / block-detach
#
# and, for domains with a vif on the bridge (tools/rig/net.sh, which documents them):
#
#   rig_net_wait_ip; rig_ping "$RIG_NET_IP" 100   # its address (DHCP or static); pings
#   rig_http_get "http://$RIG_NET_IP/"            # size and sha256sum of a page
#   rig_net_vif; rig_net_attach; rig_net_detach 1 # vifD.N; xl network-attach / -detach
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
#
# This file holds the steps; tools/rig/clock.sh the time and sleeping,
# tools/rig/log-pump.sh the process that carries a script's output and its domains'
# consoles to the host, tools/rig/disks.sh the disks and tools/rig/net.sh the network.

# shellcheck disable=SC2034 # RIG_DOMID, RIG_MATCH: for the scenario scripts
# shellcheck source=tools/rig/clock.sh
. "$(dirname "${BASH_SOURCE[0]}")/clock.sh"
# shellcheck source=tools/rig/log-pump.sh
. "$(dirname "${BASH_SOURCE[0]}")/log-pump.sh"
# shellcheck source=tools/rig/disks.sh
. "$(dirname "${BASH_SOURCE[0]}")/disks.sh"
# shellcheck source=tools/rig/net.sh
. "$(dirname "${BASH_SOURCE[0]}")/net.sh"

# Per domain name: its id, the pid of its xl create, the fd and partial line
# rig_wait_console reads with, and how it ended.
declare -A RIG__DOMID=() RIG__XL=() RIG__FD=() RIG__WPART=() RIG__ENDED=()

rig_log() {
    printf 'rig: %s\n' "$*"
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
# create takes them, overriding CFG's), the disks rig_disk made since the last
# rig_create, and on_poweroff, on_reboot and on_crash set to
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
    rig__follow "$name"
    log=$RIG_CONSOLE_DIR/guest-$name.log
    unset "RIG__FD[$name]" "RIG__ENDED[$name]" "RIG__DOMID[$name]"
    RIG__WPART[$name]=""
    rig_now
    rig_log "time create $RIG_NOW"
    ! rig__disk_setting || set -- "$@" "$RIG__DISK_SETTING"
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
