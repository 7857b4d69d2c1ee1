# shellcheck shell=bash
# Booting Debian's Xen in QEMU (TCG, no KVM needed) and reading its serial console,
# for tools/xen-qemu (one kernel as Xen's only domain) and tools/xen-rig (a Linux
# dom0 that runs scenarios). Sourced by both:
#
#   qemu_check xen-qemu || exit 1
#   xen_args="$(qemu_xen_args 32) more options"
#   qemu_start "$fifo" MEM_MIB "$xen" "$xen_args" "$(qemu_module kernel.elf "$cmdline")"
#   deadline=$((SECONDS + timeout))
#   while qemu_read_line "$deadline"; do ... "$QEMU_LINE" ...; done
#   qemu_stop
#
# The caller removes the FIFO and calls qemu_stop from its EXIT trap as well.

# Fails, with a message that starts with the caller's name $1, when QEMU is missing.
qemu_check() {
    command -v qemu-system-x86_64 >/dev/null ||
        { echo "$1: qemu-system-x86_64 is missing: run tools/setup" >&2; return 1; }
}

# Xen's command line with a dom0 of $1 MiB, on which the callers add their own
# options. noreboot keeps Xen from restarting the machine after dom0 crashes, and
# QEMU's -no-reboot (qemu_start) makes QEMU exit instead of restarting when dom0 asks
# for a reboot: either way the log ends with Xen's verdict.
qemu_xen_args() {
    printf 'console=com1 com1=115200 dom0_mem=%sM,max:%sM dom0_max_vcpus=1 noreboot' "$1" "$1"
}

# qemu_module FILE [ARGS]: one module of QEMU's -initrd, which takes "file args,file
# args": a comma in the name or the arguments is doubled. Join modules with ",".
qemu_module() {
    if [ $# -gt 1 ]; then
        printf '%s %s' "${1//,/,,}" "${2//,/,,}"
    else
        printf '%s' "${1//,/,,}"
    fi
}

# qemu_start FIFO MEM_MIB XEN XEN_ARGS MODULES [QEMU_ARG...]
# Starts QEMU with XEN as its -kernel, MODULES as its -initrd and the QEMU_ARGs (more
# devices, for example), its serial line
# going into the new FIFO, and opens the FIFO as fd $QEMU_FD. Sets QEMU_PID, and
# QEMU_START to the time it started (for qemu_elapsed).
#
# The CPU is TCG's "max" without ERMS and FSRM. QEMU 7.2 runs a rep-prefixed string
# instruction one iteration per pass through its translated block; Linux, told that
# rep movsb and rep stosb are fast, copies and clears with them a byte per
# iteration, and without the two flags uses 8-byte moves instead. In the full rig
# that made dom0 spend 33 s of softirq, 21 s at a stretch (a soft lockup), copying
# frames of 100 concurrent transfers out of netback's granted pages
# (skb_copy_ubufs) into freshly zeroed ones: 6.5 s without them.
qemu_start() {
    local fifo=$1 mem=$2 xen=$3 xen_args=$4 modules=$5
    shift 5
    mkfifo "$fifo" || return 1
    QEMU_START=$EPOCHREALTIME
    qemu-system-x86_64 -accel tcg -cpu max,-erms,-fsrm -m "$mem" -smp 1 \
        -display none -monitor none -serial stdio -no-reboot -nodefaults \
        -kernel "$xen" -append "$xen_args" -initrd "$modules" "$@" \
        </dev/null >"$fifo" 2>&1 &
    QEMU_PID=$!
    exec {QEMU_FD}<"$fifo"
}

# qemu_read_line DEADLINE: the next console line into QEMU_LINE, without its "\r"s
# (Xen's serial driver, and a Linux dom0's tty before it, each turn "\n" into
# "\r\n"). Returns 0; 1 once $SECONDS reaches DEADLINE; 2 when the output ended
# (QEMU exited).
qemu_read_line() {
    local left rc
    while :; do
        left=$(($1 - SECONDS))
        [ "$left" -gt 0 ] || return 1
        IFS= read -r -t "$left" -u "$QEMU_FD" QEMU_LINE
        rc=$?
        [ $rc -gt 128 ] && continue # the timeout: the top of the loop says so
        [ $rc -eq 0 ] || return 2
        QEMU_LINE=${QEMU_LINE//$'\r'/}
        return 0
    done
}

# Seconds since QEMU started, with $1 decimals (3: milliseconds, 6: microseconds),
# from bash's clock.
qemu_elapsed() {
    local us=$((${EPOCHREALTIME/./} - ${QEMU_START/./})) frac
    printf -v frac '%06d' $((us % 1000000))
    printf '%d.%s' $((us / 1000000)) "${frac:0:$1}"
}

# Stops QEMU and closes its console; does nothing the second time.
qemu_stop() {
    [ -n "${QEMU_PID:-}" ] || return 0
    kill "$QEMU_PID" 2>/dev/null
    wait "$QEMU_PID" 2>/dev/null
    QEMU_PID=
    [ -z "${QEMU_FD:-}" ] || exec {QEMU_FD}<&-
    QEMU_FD=
}
