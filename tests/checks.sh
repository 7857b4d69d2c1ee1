# shellcheck shell=bash
# What the dom0 tier (tests/dom0/run) and the full-rig tier (tests/stack/run) both do:
# pick the scenarios named on the command line, run a scenario's checks on its
# finished console log, and report it, with the lines that say why when it failed, so
# that one CI log is enough to diagnose a failure.

# scenario_wanted NAME [SELECTED...]: is NAME among the scenarios the command line
# named (all are, when it named none)?
scenario_wanted() {
    local name=$1 selected
    shift
    [ $# -gt 0 ] || return 0
    for selected; do
        [ "$selected" != "$name" ] || return 0
    done
    return 1
}

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

# report_scenario ID WHY LOG KIND: "ok   ID" when WHY is empty, else "FAIL ID: WHY
# (KIND: LOG)" and the lines of LOG that explain it. Counts the scenario in the
# caller's passed or failed.
report_scenario() {
    local id=$1 why=$2 log=$3 kind=$4
    if [ -z "$why" ]; then
        echo "ok   $id"
        passed=$((passed + 1))
    else
        echo "FAIL $id: $why ($kind: $log)"
        failure_excerpt "$log"
        failed=$((failed + 1))
    fi
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

# blktest_discard_left_a_hole VDEV LOG: blktest's discard on VDEV (what it says it
# discarded) reached the backing file in dom0 as a hole: the file's allocation,
# rig_disk_usage's line after the test, is at least that much below its size (ext4 may
# keep one block more, hence 4 KiB of slack).
blktest_discard_left_a_hole() {
    local vdev=$1 log=$2 discarded size allocated
    discarded=$(sed -n "s/^blktest: $vdev: discard of \([0-9]*\) bytes at [0-9]*: ok.*/\1/p" "$log" | tail -n 1)
    read -r size allocated < <(sed -n "s/^rig: disk $vdev: \([0-9]*\) bytes, \([0-9]*\) allocated$/\1 \2/p" "$log" | tail -n 1)
    [ -n "$discarded" ] || { echo "blktest discarded nothing on $vdev"; return 1; }
    [ -n "$allocated" ] || { echo "dom0 did not report $vdev's allocation"; return 1; }
    [ "$allocated" -le $((size - discarded + 4096)) ] ||
        { echo "$vdev: $discarded bytes discarded, but $allocated of $size bytes still allocated in dom0"; return 1; }
}

# blktest printed a disk's checksum ("blktest: VDEV: sha256 SUM over N bytes") for each
# disk named, and dom0's sha256sum of that disk's backing file (tools/rig/disks.sh:
# rig_disk_sum, "rig: disk VDEV sha256sum SUM") agrees.
blktest_sums_match() {
    local log=${*: -1} vdev guest host
    for vdev in "${@:1:$#-1}"; do
        guest=$(sed -n "s/^blktest: $vdev: sha256 \([0-9a-f]\{64\}\) over .*/\1/p" "$log" | tail -n 1)
        host=$(sed -n "s/^rig: disk $vdev sha256sum \([0-9a-f]\{64\}\)$/\1/p" "$log" | tail -n 1)
        [ -n "$guest" ] || { echo "blktest printed no checksum for $vdev"; return 1; }
        [ "$guest" = "$host" ] || { echo "$vdev: blktest read $guest, dom0 sums ${host:-nothing}"; return 1; }
    done
}

# The page dom0 fetched over HTTP (tools/rig/net.sh: rig_http_get, "rig: GET URL: N
# bytes, sha256 SUM") has the sha256 the page was logged with ("rig: page sha256 SUM").
http_got_the_page() {
    local page got
    page=$(sed -n 's/^rig: page sha256 \([0-9a-f]\{64\}\)$/\1/p' "$1" | tail -n 1)
    got=$(sed -n 's/^rig: GET .*: [0-9]* bytes, sha256 \([0-9a-f]\{64\}\)$/\1/p' "$1" | tail -n 1)
    [ -n "$page" ] || { echo "no page sha256 logged"; return 1; }
    [ "$got" = "$page" ] || { echo "the page has sha256 $page, dom0 got ${got:-nothing}"; return 1; }
}
