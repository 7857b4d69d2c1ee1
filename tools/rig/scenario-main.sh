# shellcheck shell=bash
# How dom0 runs one scenario script: tools/rig/init starts
#   bash -c '. /rig/scenario-main.sh && rig_main NAME'
# in a session of its own for each /scenarios/NAME.sh. The steps a script has are in
# tools/rig/scenario-lib.sh.

# shellcheck source=tools/rig/scenario-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/scenario-lib.sh"

RIG_SCENARIOS=/scenarios

# rig_main NAME: runs /scenarios/NAME.sh in /scenarios, with the pump copying what it
# prints to the console.
rig_main() {
    RIG_NAME=$1
    rig__sleep_open /run/rig-sleep && rig__pump_start || return 1
    trap rig__finish EXIT
    cd "$RIG_SCENARIOS" || exit 1
    # shellcheck disable=SC1090
    . "./$RIG_NAME.sh"
}

# At the end of a scenario: domains it did not wait for are destroyed and reported,
# its disks removed, and the pump copies the rest.
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
    rig__disks_remove
    rig__pump_stop
}
