# shellcheck shell=bash
# Time for the full rig's scenario scripts in dom0 (tools/rig/scenario-lib.sh sources
# this file): dom0's time for the logs, deadlines, and sleeping, all from bash's own
# clock so that no process is started (a PV dom0 under TCG pays dearly for each).

# shellcheck disable=SC2034 # RIG_POLL, RIG_NOW, RIG__US: for the files that source this one

# How often new output is looked for: finer than a domU's boot milestones.
RIG_POLL=0.02

# Sets RIG_NOW to dom0's time, "seconds.milliseconds" (init gives the offset from
# bash's clock to dom0's uptime).
rig_now() {
    local us=$((${EPOCHREALTIME/./} + ${RIG_CLOCK_OFFSET_US:-0}))
    printf -v RIG_NOW '%d.%03d' $((us / 1000000)) $((us / 1000 % 1000))
}

# Sets RIG__US to bash's clock in microseconds, plus $1 seconds if given.
rig__clock() {
    local s=${1:-0} frac
    frac=${s#*.}
    [ "$frac" = "$s" ] && frac=0
    frac=${frac}000000
    RIG__US=$((${EPOCHREALTIME/./} + ${s%%.*} * 1000000 + 10#${frac:0:6}))
}

# Opens the FIFO $1 (made if missing) that rig__sleep reads; nobody ever writes it.
rig__sleep_open() {
    [ -p "$1" ] || mkfifo "$1" || return 1
    exec {RIG__SLEEP_FD}<>"$1"
}

# Sleeps without starting a process: a read that times out on a FIFO nobody writes.
rig__sleep() {
    read -r -t "$1" -u "$RIG__SLEEP_FD" _
}
