# shellcheck shell=bash
# Disks for the full rig's domains, loaded by tools/rig/scenario-lib.sh. A disk is a
# sparse backing file on dom0's scratch filesystem, /disks (tools/xen-rig --scratch
# gives QEMU a disk image that tools/rig/init mounts when rig.conf sets RIG_DISK=1),
# behind a loop device that Linux's blkback serves to the domain:
#
#   rig_disk xvda 64M                 # a disk for the next rig_create
#   rig_disk xvdb 1G 4096 ro          # 4 KiB sectors, read-only
#   rig_create dom.cfg                # its config gets disk = [...] with both
#   rig_disk_sum xvda                 # sha256sum of the backing file (RIG_DISK_SUM)
#   rig_disk_usage xvda               # bytes the file occupies (RIG_DISK_BYTES)
#   rig_disk_attach xvdc 1M           # xl block-attach a new disk to the domain
#   rig_disk_detach xvdc              # xl block-detach it (-f: --force)
#
# VDEV is the name the domain's config gives the disk (xl's vdev: xvda, xvdb, hda,
# sda, ...). SIZE is in bytes, with an optional K, M or G (powers of 1024). After it,
# in any order: 512 or 4096, the sector size the loop device (and so blkback's
# sector-size) has, 512 by default; ro, read-only for the domain and for the loop
# device. The backing file is /disks/SCENARIO-VDEV.img, all holes at first (it reads
# as zeros). The loop device reads and writes it with direct I/O, so that writing a
# whole 1 GiB disk does not fill dom0's 192 MiB with cached pages, and turns a discard
# into a hole punched in the file, which rig_disk_usage then shows. libxl hands the
# loop device to blkback through the rig's hotplug script, tools/rig/disk-hotplug.
#
# The functions log what they do and return 1, with a line that says why, when it
# failed. They act on the last created domain, or on the one named as their last
# argument. Globals: RIG_DISK_FILE[VDEV] and RIG_DISK_LOOP[VDEV] (the backing file
# and the loop device of each disk of the scenario), RIG_DISK_SUM and RIG_DISK_BYTES.
# A scenario's disks are removed when it ends.

RIG_DISKS_DIR=/disks
# shellcheck disable=SC2034 # RIG_DISK_SUM, RIG_DISK_BYTES: for the scenario scripts
declare -A RIG_DISK_FILE=() RIG_DISK_LOOP=() RIG__DISK_SPEC=()
# The disks rig_disk made since the last rig_create: its disk = [...] line.
RIG__DISK_PENDING=()

# rig__disk_make VDEV SIZE [512|4096] [ro]: the backing file and its loop device, and
# the entry of a config's disk list for it in RIG__DISK_SPEC[VDEV].
rig__disk_make() {
    local vdev=$1 size=$2 sector=512 access=rw ro=() file loop opt bytes
    shift 2
    for opt; do
        case $opt in
        512 | 4096) sector=$opt ;;
        ro) access=ro ro=(--read-only) ;;
        *) rig_log "error: disk $vdev: unknown option '$opt' (512, 4096 or ro)"; return 1 ;;
        esac
    done
    if ! [[ $vdev =~ ^[a-z]+[0-9a-z]*$ ]]; then
        rig_log "error: disk '$vdev' is no vdev name (xvda, hdb, sdc...)"
        return 1
    fi
    if [ -n "${RIG_DISK_FILE[$vdev]:-}" ]; then
        rig_log "error: disk $vdev exists already in this scenario"
        return 1
    fi
    bytes=0
    if [[ $size =~ ^([0-9]+)([KMG]?)$ ]]; then
        case ${BASH_REMATCH[2]} in
        K) bytes=$((10#${BASH_REMATCH[1]} << 10)) ;;
        M) bytes=$((10#${BASH_REMATCH[1]} << 20)) ;;
        G) bytes=$((10#${BASH_REMATCH[1]} << 30)) ;;
        *) bytes=$((10#${BASH_REMATCH[1]})) ;;
        esac
    fi
    if [ "$bytes" -eq 0 ] || [ $((bytes % sector)) -ne 0 ]; then
        rig_log "error: disk $vdev: size '$size' is not a whole number of $sector-byte sectors"
        return 1
    fi
    if ! grep -q "^[^ ]* $RIG_DISKS_DIR " /proc/mounts; then
        rig_log "error: no scratch filesystem on $RIG_DISKS_DIR: RIG_DISK=1 in rig.conf and xen-rig --scratch"
        return 1
    fi
    file=$RIG_DISKS_DIR/$RIG_NAME-$vdev.img
    rm -f "$file"
    truncate -s "$bytes" "$file" || return 1
    loop=$(rig__exec losetup --find --show --direct-io=on --sector-size "$sector" "${ro[@]}" "$file") || {
        rig_log "error: disk $vdev: losetup failed"
        rm -f "$file"
        return 1
    }
    RIG_DISK_FILE[$vdev]=$file RIG_DISK_LOOP[$vdev]=$loop
    # The rig's own hotplug script (tools/rig/disk-hotplug says why not Debian's
    # block); target comes last, as xl wants it.
    RIG__DISK_SPEC[$vdev]="vdev=$vdev, access=$access, script=disk-hotplug, target=$loop"
    rig_log "disk $vdev: $bytes bytes, $sector-byte sectors, $access, $loop over $file"
}

# rig_disk VDEV SIZE [512|4096] [ro]
# Makes a disk that the next rig_create gives its domain.
rig_disk() {
    rig__disk_make "$@" || return 1
    RIG__DISK_PENDING+=("'${RIG__DISK_SPEC[$1]}'")
}

# The disk = [...] setting for rig_create, when rig_disk made disks since the last one.
rig__disk_setting() {
    local IFS=,
    [ ${#RIG__DISK_PENDING[@]} -gt 0 ] || return 1
    # shellcheck disable=SC2034 # for rig_create
    RIG__DISK_SETTING="disk=[${RIG__DISK_PENDING[*]}]"
    RIG__DISK_PENDING=()
}

# The disk named VDEV, or a line that says there is none.
rig__disk_known() {
    [ -n "${RIG_DISK_FILE[$1]:-}" ] && return 0
    rig_log "error: no disk $1 in this scenario"
    return 1
}

# rig_disk_sum VDEV [PROGRAM]
# Checksums the disk's backing file with PROGRAM (default sha256sum; dom0's busybox
# also has md5sum, sha1sum and sha512sum), logs "rig: disk VDEV PROGRAM SUM" and sets
# RIG_DISK_SUM to the sum. dom0 reads the file at some 10-20 MB/s under TCG: a whole
# 1 GiB disk takes a minute or more.
rig_disk_sum() {
    local vdev=$1 prog=${2:-sha256sum} out
    rig__disk_known "$vdev" || return 1
    out=$(rig__exec "$prog" "${RIG_DISK_FILE[$vdev]}") || {
        rig_log "error: $prog ${RIG_DISK_FILE[$vdev]} failed"
        return 1
    }
    RIG_DISK_SUM=${out%% *}
    rig_log "disk $vdev $prog $RIG_DISK_SUM"
}

# rig_disk_usage VDEV
# Logs "rig: disk VDEV: SIZE bytes, ALLOCATED allocated" (what the file's blocks take
# on the scratch filesystem: holes take nothing) and sets RIG_DISK_BYTES to ALLOCATED.
rig_disk_usage() {
    local vdev=$1 blocks unit size
    rig__disk_known "$vdev" || return 1
    read -r blocks unit size < <(stat -c '%b %B %s' "${RIG_DISK_FILE[$vdev]}") || return 1
    RIG_DISK_BYTES=$((blocks * unit))
    rig_log "disk $vdev: $size bytes, $RIG_DISK_BYTES allocated"
}

# rig_disk_attach VDEV SIZE [512|4096] [ro] [NAME]
# Makes a disk as rig_disk does and attaches it to the running domain (xl block-attach).
rig_disk_attach() {
    local last=${*: -1} dom=""
    [ $# -gt 2 ] && [[ ! $last =~ ^(512|4096|ro)$ ]] && dom=$last && set -- "${@:1:$#-1}"
    rig__dom "$dom" || return 1
    dom=$RIG__D
    rig__disk_make "$@" || return 1
    rig_run xl block-attach "$dom" "${RIG__DISK_SPEC[$1]}"
}

# rig_disk_detach [-f] VDEV [NAME]
# Takes the disk from the domain (xl block-detach), which waits for the domain's
# frontend to close the device and fails after 10 s when it does not (a domain
# without a frontend for it never does). -f: without waiting (xl block-detach
# --force). The disk stays in dom0, its file can still be checked, until the
# scenario ends.
rig_disk_detach() {
    local force=()
    [ "$1" != -f ] || { force=(--force); shift; }
    rig__disk_known "$1" && rig__dom "${2:-}" || return 1
    rig_run xl block-detach "${force[@]}" "$RIG__D" "$1"
}

# At the end of the scenario, after its domains are gone: each loop device is let go
# (the kernel frees a busy one when its last user closes it) and its file removed.
rig__disks_remove() {
    local vdev
    for vdev in "${!RIG_DISK_FILE[@]}"; do
        losetup -d "${RIG_DISK_LOOP[$vdev]}" 2>/dev/null
        rm -f "${RIG_DISK_FILE[$vdev]}"
    done
    RIG_DISK_FILE=() RIG_DISK_LOOP=() RIG__DISK_SPEC=() RIG__DISK_PENDING=()
}
