# shellcheck shell=bash
# The Linux PV domU that the block and network benchmarks measure against: Debian's
# kernel (the one the rig's dom0 runs, which boots as a PV domU too) and a small
# initramfs with busybox (its httpd serves the network benchmark's pages), fio, iperf 2
# and every library they load, the xen-blkfront and xen-netfront modules (modules in
# Debian's kernel) and tools/rig/linux-domu-init as its /init. Made from Debian
# packages fetched into the dom0 cache folder by tools/rig/dom0-cache.sh's functions;
# nothing is installed on the host. Sourced by tools/bench-block and tools/bench-net:
#
#   . tools/rig/linux-domu.sh
#   linux_domu_prepare || exit 1
#   # $LINUX_DOMU_KERNEL: dom0's kernel ($DOM0_KERNEL), its ELF gzip-compressed
#   # $LINUX_DOMU_INITRD: the initramfs
#
# The kernel takes 66 MiB as a plain ELF, which dom0 would hold in memory, and 11 MiB
# compressed; under TCG, xl create takes about 30 s with it, and over a minute with
# Debian's bzImage (xz). Both files are kept in $DOM0_CACHE/linux-domu-KEY, KEY made of
# the exact package versions and the two files above; entries unused for a day are
# dropped when a new one is built.

# shellcheck source=tools/rig/dom0-cache.sh
. "$(dirname "${BASH_SOURCE[0]}")/dom0-cache.sh"

LINUX_DOMU_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Loaded by /init in this order (none of them needs another module).
LINUX_DOMU_MODULES=(xen-blkfront xen-netfront)
# The programs the image has beside busybox; their libraries come with fio's.
LINUX_DOMU_PROGRAMS=(usr/bin/fio usr/bin/iperf)
LINUX_DOMU_FILES=(linux-domu.sh linux-domu-init)

linux_domu__say() {
    echo "linux-domu: $*" >&2
}

# Sets LINUX_DOMU_WANTED ("package=version") to fio, iperf, busybox and the library
# packages fio depends on (iperf's, the C++ library, are among them), directly or not: Debian's fio links the engines for Ceph, Gluster,
# RDMA, NBD and persistent memory, so that is a few dozen packages, of which the image
# keeps only the files the loader needs. Kept until the package lists change.
linux_domu__resolve() {
    local memo=$DOM0_CACHE/linux-domu-resolved stamp line pkg="" pkgs
    stamp="$(stat -c %Y /var/lib/apt/lists 2>/dev/null) fio iperf busybox-static"
    if [ -f "$memo" ] && [ "$(head -1 "$memo")" = "$stamp" ]; then
        mapfile -t LINUX_DOMU_WANTED < <(tail -n +2 "$memo")
        return 0
    fi
    mapfile -t pkgs < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
        --no-breaks --no-replaces --no-enhances fio 2>/dev/null | grep -E '^(fio|lib.*|zlib1g)$' | sort -u)
    LINUX_DOMU_WANTED=()
    while IFS= read -r line; do
        case $line in
        "Package: "*) pkg=${line#Package: } ;;
        "Version: "*) LINUX_DOMU_WANTED+=("$pkg=${line#Version: }") ;;
        esac
    done < <(apt-cache show --no-all-versions busybox-static iperf "${pkgs[@]}" 2>/dev/null)
    if [[ " ${LINUX_DOMU_WANTED[*]%%=*} " != *" fio "* ]] || [[ " ${LINUX_DOMU_WANTED[*]%%=*} " != *" iperf "* ]]; then
        linux_domu__say "apt does not know fio or iperf: run apt-get update (tools/setup does)"
        return 1
    fi
    { echo "$stamp"; printf '%s\n' "${LINUX_DOMU_WANTED[@]}"; } >"$memo.$$" && mv -f "$memo.$$" "$memo"
}

# Copies the libraries that $2 (a program in the unpacked packages $1) loads, with the
# loader, into the image $3, each at its path in the packages. Fails when one is missing
# there: its package belongs in linux_domu__resolve's list.
linux_domu__libraries() {
    local x=$1 program=$2 root=$3 lib path real ldd
    ldd=$(LD_LIBRARY_PATH=$x/usr/lib/x86_64-linux-gnu:$x/lib/x86_64-linux-gnu:$x/usr/lib/x86_64-linux-gnu/ceph \
        ldd "$program") || { linux_domu__say "ldd cannot read $program"; return 1; }
    while read -r lib _ path _; do
        case $lib in
        linux-vdso.so.*) continue ;;
        /*) path=$lib real=$(readlink -f "$x/lib/x86_64-linux-gnu/$(basename "$lib")") ;; # the loader
        *) real=$(readlink -f "$path") ;;
        esac
        if [ "${real#"$x"/}" = "$real" ] || [ ! -f "$real" ]; then
            linux_domu__say "$(basename "$program") needs $lib, which no package in the list has"
            return 1
        fi
        mkdir -p "$root/$(dirname "${path#"$x"/}")" && cp "$real" "$root/${path#"$x"/}" || return 1
    done <<<"$ldd"
}

# Builds the kernel and the image from the packages into $1/out: vmlinux.gz and
# initrd.cpio.gz.
linux_domu__assemble() {
    local work=$1 x=$1/x root=$1/root want deb linux_deb="" m ko p
    mkdir -p "$x" "$root" "$work/out" || return 1
    for want in "${LINUX_DOMU_WANTED[@]}"; do
        deb=$(dom0_cache__deb "$want") && dpkg-deb -x "$deb" "$x" || return 1
    done
    for want in "${DOM0_WANTED[@]}"; do
        [ "${want%%=*}" = "$DOM0_LINUX_PKG" ] && linux_deb=$(dom0_cache__deb "$want")
    done
    [ -n "$linux_deb" ] || return 1

    (cd "$root" && mkdir -p bin sbin usr/bin usr/sbin proc sys dev tmp lib/modules) || return 1
    for p in "${LINUX_DOMU_PROGRAMS[@]}"; do
        cp "$x/$p" "$root/usr/bin/" && linux_domu__libraries "$x" "$x/$p" "$root" || return 1
    done
    cp "$x/bin/busybox" "$root/bin/busybox" || return 1
    for p in $("$root/bin/busybox" --list-full); do
        [ -e "$root/$p" ] || ln -s /bin/busybox "$root/$p"
    done

    gzip -6 <"$DOM0_LINUX_DIR/vmlinux" >"$work/out/vmlinux.gz" || return 1
    # The modules, from the kernel's package.
    local pats=()
    for m in "${LINUX_DOMU_MODULES[@]}"; do pats+=("*/$m.ko"); done
    dpkg-deb --fsys-tarfile "$linux_deb" | tar -x -C "$x" --wildcards "${pats[@]}" || return 1
    for m in "${LINUX_DOMU_MODULES[@]}"; do
        ko=$(find "$x/lib/modules" -name "$m.ko" | head -1)
        [ -n "$ko" ] || { linux_domu__say "module $m is not in $(basename "$linux_deb")"; return 1; }
        if [ -n "$(dom0_cache__module_deps "$ko" | tr -d ' \n')" ]; then
            linux_domu__say "module $m needs others ($(dom0_cache__module_deps "$ko")): list them before it"
            return 1
        fi
        cp "$ko" "$root/lib/modules/" && echo "$m" >>"$root/lib/modules/order" || return 1
    done

    install -m 755 "$LINUX_DOMU_DIR/linux-domu-init" "$root/init" &&
        dom0_cache__pack "$root" tools/rig/linux-domu-init "$work/out/initrd.cpio.gz"
}

# Fetches the domU's packages: dom0_cache__fetch fetches what DOM0_WANTED lists.
linux_domu__fetch() {
    local DOM0_WANTED=("${LINUX_DOMU_WANTED[@]}")
    dom0_cache__fetch
}

# Sets LINUX_DOMU_KERNEL and LINUX_DOMU_INITRD, fetching and building what is missing.
linux_domu_prepare() {
    local key dir work rc=0 f
    mkdir -p "$DOM0_CACHE" || return 1
    dom0_cache__resolve && linux_domu__resolve || return 1
    key=$({
        echo "linux domU image 4"
        printf '%s\n' "${DOM0_WANTED[@]}" | grep "^$DOM0_LINUX_PKG="
        printf '%s\n' "${LINUX_DOMU_WANTED[@]}" "${LINUX_DOMU_MODULES[@]}"
        for f in "${LINUX_DOMU_FILES[@]}"; do sha256sum <"$LINUX_DOMU_DIR/$f"; done
    } | sha256sum | cut -c1-16)
    dir=$DOM0_CACHE/linux-domu-$key
    if [ -s "$dir/initrd.cpio.gz" ]; then
        touch "$dir"
    else
        # The Linux package and kernel are dom0's.
        dom0_cache__fetch && dom0_cache__linux && linux_domu__fetch || return 1
        linux_domu__say "building the Linux domU's kernel and initramfs ($key)"
        work=$(mktemp -d "$DOM0_CACHE/linux-domu-work.XXXXXX") || return 1
        if linux_domu__assemble "$work"; then
            # When another builder got there in between, its result is as good as ours.
            mv -T "$work/out" "$dir" 2>/dev/null || [ -s "$dir/initrd.cpio.gz" ] || rc=1
        else
            linux_domu__say "could not build the Linux domU's initramfs"
            rc=1
        fi
        rm -rf "$work"
        find "$DOM0_CACHE" -mindepth 1 -maxdepth 1 -mtime +0 -name 'linux-domu-*' \
            ! -name "linux-domu-$key" ! -name linux-domu-resolved -exec rm -rf {} +
        [ $rc -eq 0 ] || return 1
    fi
    # shellcheck disable=SC2034 # for the caller
    LINUX_DOMU_KERNEL=$dir/vmlinux.gz
    # shellcheck disable=SC2034
    LINUX_DOMU_INITRD=$dir/initrd.cpio.gz
}
