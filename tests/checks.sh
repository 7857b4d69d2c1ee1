# shellcheck shell=bash
# What the dom0 tier (tests/dom0/run) and the full-rig tier (tests/stack/run) both do
# with a finished console log: run a scenario's checks on it, and, when it fails, show
# the lines that say why, so that one CI log is enough to diagnose a failure.

# check_log LOG CHECK...: each CHECK is an extended regular expression LOG must
# match, !REGEX that it must not match, or @FUNCTION [ARGS] to run FUNCTION ARGS LOG
# (which prints why it failed). Prints why the first failing check failed, and
# returns 1 then.
check_log() {
    local log=$1 check why
    shift
    for check in "$@"; do
        if [ "${check#@}" != "$check" ]; then
            # Word splitting is wanted here: "@fn arg" runs fn with arg.
            # shellcheck disable=SC2086
            why=$(${check#@} "$log") || { echo "${why:-${check#@} failed}"; return 1; }
        elif [ "${check#!}" != "$check" ]; then
            ! grep -Eq -- "${check#!}" "$log" || { echo "printed '${check#!}'"; return 1; }
        else
            grep -Eq -- "$check" "$log" || { echo "did not print '$check'"; return 1; }
        fi
    done
}

# failure_excerpt LOG: the lines of LOG that explain a failure (failed tests and
# their assertions, panics, fault reports, Xen's and the rig's complaints), or its
# last lines when there are none, indented under the FAIL line.
failure_excerpt() {
    local log=$1 lines line
    [ -s "$log" ] || { echo "    | (the log is empty)"; return; }
    lines=$(grep -E -A1 '^(FAIL |\*\*\* |    [^ ].*: assertion failed|rig: (error|timeout|scenario timed out|process [0-9]|exit status|domain .* still there)|\(XEN\) (.* crashed|Pagetable walk|RIP:))' "$log" |
        grep -v '^--$' | head -n 40)
    [ -n "$lines" ] || lines=$(tail -n 12 "$log")
    while IFS= read -r line; do
        printf '    | %s\n' "$line"
    done <<<"$lines"
}

# hello's two threads alternate: ping 1, pong 1, ping 2, ...
hello_takes_turns() {
    local got
    got=$(sed -n 's/^  \(ping\|pong\) \([0-9]\) .*/\1\2/p' "$1" | paste -sd' ')
    [ "$got" = "ping1 pong1 ping2 pong2 ping3 pong3" ] || { echo "turns were: $got"; return 1; }
}
