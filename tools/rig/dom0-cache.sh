# shellcheck shell=bash
# The full rig's dom0: Debian's Linux kernel and an initramfs with busybox, curl, the Xen
# toolstack (xl, xenstored, xenconsoled) and this folder's init and helpers, all made
# from Debian packages fetched with `apt-get download` and unpacked with `dpkg-deb -x`
# into a cache folder ($XDG_CACHE_HOME/mini-os/dom0, or ~/.cache/mini-os/dom0). Nothing
# is installed on the host. Sourced by tools/xen-rig:
#
#   . tools/rig/dom0-cache.sh
#   dom0_cache_prepare || exit 1
#   # $DOM0_KERNEL: the dom0 kernel as a plain ELF; $DOM0_INITRD: the base initramfs
#
# and by tools/setup, which calls dom0_cache_fetch to fetch the packages beforehand.
#
# The initramfs is kept under a key made of everything that goes into it: the exact
# package versions, the rig files below, and the compiled helpers. It is rebuilt when
# any of them changes, or when a file taken from the host (bash, flock, the C library)
# changed since. Builders that run at the same time each work in a private folder and
# rename the result into place.

DOM0_CACHE=${DOM0_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mini-os/dom0}
DOM0_RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# What dom0 runs, from Debian; the Linux image is whatever linux-image-amd64 picks.
DOM0_PACKAGES=(
    xen-utils-4.17 xen-utils-common xenstore-utils busybox-static libyajl2
    libxenmisc4.17 libxenstore4 libxencall1 libxendevicemodel1 libxenevtchn1
    libxenforeignmemory1 libxengnttab1 libxenhypfs1 libxentoolcore1 libxentoollog1
)
DOM0_LINUX_META=linux-image-amd64
DOM0_XEN_BIN=usr/lib/xen-4.17/bin
DOM0_XEN_TOOLS=(xl xenstored xenconsoled xenconsole xen-init-dom0 xenstore-control
    libxl-save-helper)
DOM0_XENSTORE_CMDS=(read write ls list exists rm chmod watch)
# The HTTP client of the network scenarios (tools/rig/net.sh): curl, and the packages
# of every library it loads (what `ldd curl` lists, the C library aside). libcurl4 is
# linked with LDAP, Kerberos, RTMP, SSH, GnuTLS and OpenSSL, so all of them load,
# although the rig speaks only plain HTTP. These packages are unpacked apart, and only
# curl and the libraries it loads go into the image: 15 MiB, 6.8 MB compressed, which
# make dom0 ready a second or two later under TCG and need dom0's 192 MiB
# (tools/xen-rig). They are in every image rather than in an archive of their own for
# scenarios with vifs: the full rig boots once for all its scenarios, and those with
# vifs are among them.
DOM0_CURL_PACKAGES=(curl libcurl4 zlib1g libnghttp2-14 libidn2-0 libunistring2 librtmp1
    libgnutls30 libhogweed6 libnettle8 libgmp10 libp11-kit0 libffi8 libtasn1-6 libssh2-1
    libpsl5 libssl3 libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libcom-err2
    libkeyutils1 libldap-2.5-0 libsasl2-2 libzstd1 libbrotli1)
DOM0_CURL_PROGRAMS=(usr/bin/curl)
DOM0_PACKAGES+=("${DOM0_CURL_PACKAGES[@]}")
# What the network benchmark measures with, beside busybox's ping and udhcpd and curl:
# iperf 2 and ApacheBench (ab). They and the libraries they load (OpenSSL's, C++'s)
# add 3.9 MB to the compressed image, which every boot of the rig would unpack: they
# are in it only with DOM0_BENCH_TOOLS=1 in the environment (tools/bench-net), a
# cache entry of its own.
DOM0_BENCH_PACKAGES=(iperf apache2-utils libapr1 libaprutil1)
DOM0_BENCH_PROGRAMS=(usr/bin/iperf usr/bin/ab)
if [ "${DOM0_BENCH_TOOLS:-0}" = 1 ]; then
    DOM0_PACKAGES+=("${DOM0_BENCH_PACKAGES[@]}")
else
    DOM0_BENCH_PROGRAMS=()
fi
# The toolstack's device modules, then what a bridge (vif) and a disk need (veth: a
# stand-in for a domain on the bridge; the domains' loop devices and their backend,
# the scratch disk and its filesystem); the
# init loads the first five at boot and the rest when a scenario folder asks for them.
DOM0_MODULES=(xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs
    llc stp bridge xen-netback veth loop xen-blkback virtio_pci virtio_blk crc32c_generic ext4)
# The scenario scripts' libraries, which go into the image's /rig, and every rig file
# whose change makes a new image.
DOM0_RIG_LIBS=(scenario-main.sh scenario-lib.sh clock.sh log-pump.sh disks.sh net.sh)
# The hotplug scripts of the rig's own, which go into /etc/xen/scripts beside Debian's.
DOM0_RIG_HOTPLUG=(disk-hotplug)
DOM0_RIG_FILES=(init dom0-cache.sh "${DOM0_RIG_LIBS[@]}" "${DOM0_RIG_HOTPLUG[@]}")
DOM0_HELPERS=(grant-read sigmask log-pump)
DOM0_LIBDIR=usr/lib/x86_64-linux-gnu

dom0_cache__say() {
    echo "dom0-cache: $*" >&2
}

# Sets DOM0_LINUX_PKG and DOM0_WANTED ("package=version" for every package, the Linux
# image included) from apt's candidate versions. apt-cache can take a second (more
# where its binary cache is disabled), so the answer is kept until the package lists
# change.
dom0_cache__resolve() {
    local memo=$DOM0_CACHE/resolved stamp line pkg="" ver
    stamp="$(stat -c %Y /var/lib/apt/lists 2>/dev/null) $DOM0_LINUX_META ${DOM0_PACKAGES[*]}"
    if [ -f "$memo" ] && [ "$(head -1 "$memo")" = "$stamp" ]; then
        DOM0_LINUX_PKG=$(sed -n 2p "$memo")
        mapfile -t DOM0_WANTED < <(tail -n +3 "$memo")
        return 0
    fi
    DOM0_LINUX_PKG="" DOM0_WANTED=()
    while IFS= read -r line; do
        case $line in
        "Package: "*) pkg=${line#Package: } ;;
        "Version: "*) [ "$pkg" = "$DOM0_LINUX_META" ] || DOM0_WANTED+=("$pkg=${line#Version: }") ;;
        # The metapackage names the image and its exact version.
        "Depends: "*) if [ "$pkg" = "$DOM0_LINUX_META" ]; then
                line=${line#Depends: }
                DOM0_LINUX_PKG=${line%% *} ver=${line#*(= } ver=${ver%%)*}
                DOM0_WANTED+=("$DOM0_LINUX_PKG=$ver")
            fi ;;
        esac
    done < <(apt-cache show --no-all-versions "$DOM0_LINUX_META" "${DOM0_PACKAGES[@]}" 2>/dev/null)
    if [[ $DOM0_LINUX_PKG != linux-image-* ]] || [ ${#DOM0_WANTED[@]} -ne $((${#DOM0_PACKAGES[@]} + 1)) ]; then
        dom0_cache__say "apt does not know all of $DOM0_LINUX_META ${DOM0_PACKAGES[*]}: run apt-get update (tools/setup does)"
        return 1
    fi
    { echo "$stamp"; echo "$DOM0_LINUX_PKG"; printf '%s\n' "${DOM0_WANTED[@]}"; } >"$memo.$$" &&
        mv -f "$memo.$$" "$memo"
}

# The cached .deb of "package=version" (apt-get download writes an epoch's colon as %3a).
dom0_cache__deb() {
    local pkg=${1%%=*} ver=${1#*=} f
    for f in "$DOM0_CACHE/debs/${pkg}_${ver//:/%3a}_"*.deb; do
        [ -f "$f" ] && { printf '%s\n' "$f"; return 0; }
    done
    return 1
}

# Downloads the wanted packages that are not cached yet. The cached ones are touched:
# packages nobody used for a day are dropped.
dom0_cache__fetch() {
    local want missing=() tmp deb
    for want in "${DOM0_WANTED[@]}"; do
        if deb=$(dom0_cache__deb "$want"); then
            touch "$deb"
        else
            missing+=("$want")
        fi
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    dom0_cache__say "fetching ${missing[*]%%=*}"
    mkdir -p "$DOM0_CACHE/debs" && tmp=$(mktemp -d "$DOM0_CACHE/fetch.XXXXXX") || return 1
    if (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "${missing[@]}" >&2) &&
        touch "$tmp"/*.deb && mv -f "$tmp"/*.deb "$DOM0_CACHE/debs/"; then
        rm -rf "$tmp"
    else
        rm -rf "$tmp"
        dom0_cache__say "could not fetch ${missing[*]} (apt-get download)"
        return 1
    fi
}

# The dependencies of a kernel module, from its .modinfo section ("depends=a,b").
dom0_cache__module_deps() {
    objcopy -O binary --only-section=.modinfo "$1" /dev/stdout 2>/dev/null | tr '\0' '\n' |
        sed -n 's/^depends=//p' | tr ',' ' '
}

# Unpacks from the Linux package the kernel, as a plain ELF (Xen under TCG spends
# seconds decompressing a bzImage), and the modules the rig needs with everything they
# depend on. Sets DOM0_LINUX_DIR: vmlinux, modules/NAME.ko and NAME.deps.
dom0_cache__linux() {
    local deb="" tag dir tmp want=("${DOM0_MODULES[@]}") m dep pats offset ko
    for m in "${DOM0_WANTED[@]}"; do
        [ "${m%%=*}" = "$DOM0_LINUX_PKG" ] && deb=$(dom0_cache__deb "$m")
    done
    [ -n "${deb:-}" ] || return 1
    tag=$(basename "$deb" .deb)-$(printf '%s\n' "${DOM0_MODULES[@]}" | sha256sum | cut -c1-8)
    DOM0_LINUX_DIR=$DOM0_CACHE/$tag
    [ -s "$DOM0_LINUX_DIR/vmlinux" ] && return 0

    dom0_cache__say "unpacking $(basename "$deb")"
    tmp=$(mktemp -d "$DOM0_CACHE/linux.XXXXXX") || return 1
    dir=$tmp/out
    mkdir -p "$dir/modules" "$tmp/x"
    pats=('./boot/vmlinuz-*' './lib/modules/*/modules.builtin')
    # Each round unpacks the modules still missing, then looks at what they need.
    for _ in 1 2 3 4; do
        for m in "${want[@]}"; do pats+=("*/$m.ko"); done
        dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" --wildcards "${pats[@]}" 2>/dev/null
        pats=()
        local next=()
        for m in "${want[@]}"; do
            ko=$(find "$tmp/x/lib/modules" -name "$m.ko" | head -1)
            if [ -n "$ko" ]; then
                cp "$ko" "$dir/modules/$m.ko"
                dom0_cache__module_deps "$ko" >"$dir/modules/$m.deps"
                # shellcheck disable=SC2013 # one line of names
                for dep in $(cat "$dir/modules/$m.deps"); do
                    [ -e "$dir/modules/$dep.ko" ] || [ -e "$dir/modules/$dep.builtin" ] ||
                        [[ " ${want[*]} ${next[*]} " == *" $dep "* ]] || next+=("$dep")
                done
            elif grep -qs "/$m\.ko$" "$tmp"/x/lib/modules/*/modules.builtin; then
                : >"$dir/modules/$m.builtin"
            else
                dom0_cache__say "module $m is not in $(basename "$deb")"
                rm -rf "$tmp"
                return 1
            fi
        done
        want=("${next[@]}")
        [ ${#want[@]} -gt 0 ] || break
    done
    if [ ${#want[@]} -gt 0 ]; then
        dom0_cache__say "module dependencies do not settle: ${want[*]}"
        rm -rf "$tmp"
        return 1
    fi
    basename "$tmp"/x/lib/modules/* >"$dir/version"

    # The bzImage carries the kernel as an xz stream: unpack the first one after its magic.
    offset=$(LC_ALL=C grep -obUaF $'\xfd7zXZ' "$tmp"/x/boot/vmlinuz-* | head -1 | cut -d: -f1)
    if [ -z "$offset" ] ||
        ! tail -c +$((offset + 1)) "$tmp"/x/boot/vmlinuz-* | xz -dc --single-stream >"$dir/vmlinux" 2>/dev/null ||
        [ "$(head -c 4 "$dir/vmlinux" | od -An -c | tr -d ' ')" != '177ELF' ]; then
        dom0_cache__say "no xz-compressed ELF kernel found in $(basename "$deb")"
        rm -rf "$tmp"
        return 1
    fi
    mv -T "$dir" "$DOM0_LINUX_DIR" 2>/dev/null || [ -s "$DOM0_LINUX_DIR/vmlinux" ]
    local rc=$?
    rm -rf "$tmp"
    return $rc
}

# Compiles the dom0 helpers into $1, stripped so that the binary depends only on the code.
dom0_cache__helpers() {
    local h
    mkdir -p "$1" || return 1
    for h in "${DOM0_HELPERS[@]}"; do
        gcc -O2 -s -Wall -Wextra -Werror -o "$1/$h" "$DOM0_RIG_DIR/$h.c" -lxengnttab || {
            dom0_cache__say "could not build $h (is libxen-dev installed? tools/setup)"
            return 1
        }
    done
}

# The cache key: the packages, the rig files and the helpers' binaries.
dom0_cache__key() {
    local f
    {
        echo "dom0 image 1"
        printf '%s\n' "${DOM0_WANTED[@]}"
        for f in "${DOM0_RIG_FILES[@]}"; do sha256sum <"$DOM0_RIG_DIR/$f"; done
        for f in "${DOM0_HELPERS[@]}"; do sha256sum <"$1/$f"; done
    } | sha256sum | cut -c1-16
}

# Copies a file from the host into the image and notes it, so that a later run sees
# when the host's copy changed.
dom0_cache__host_file() {
    local src=$1 dst=$2 root=$3
    mkdir -p "$root/$(dirname "$dst")" && cp -L "$src" "$root/$dst" || return 1
    sha256sum "$(readlink -f "$src")" >>"$DOM0__HOST_FILES"
}

# Builds the image in $1/root and writes $1/out/initrd.cpio.gz and $1/out/host-files.
dom0_cache__assemble() {
    local work=$1 helpers=$2 x=$1/x xc=$1/xc root=$1/root want deb t n p f lib path kver
    mkdir -p "$x" "$xc" "$root" "$work/out" || return 1
    for want in "${DOM0_WANTED[@]}"; do
        [ "${want%%=*}" = "$DOM0_LINUX_PKG" ] && continue
        deb=$(dom0_cache__deb "$want") || return 1
        if [[ " ${DOM0_CURL_PACKAGES[*]} " == *" ${want%%=*} "* ]]; then
            dpkg-deb -x "$deb" "$xc" || return 1
        else
            dpkg-deb -x "$deb" "$x" || return 1
        fi
    done
    DOM0__HOST_FILES=$work/host-files
    : >"$DOM0__HOST_FILES"

    # Plain folders rather than Debian's merged /usr: programs find each other where
    # their packages put them. All libraries live in one folder; /var/run is /run.
    (cd "$root" && mkdir -p bin sbin lib lib64 usr/bin usr/sbin "$DOM0_LIBDIR" "$DOM0_XEN_BIN" \
        etc proc sys dev run tmp root rig scenarios var/lib/xen var/lib/xenstored \
        var/log/xen/console var/lock && ln -s ../run var/run &&
        ln -s "../$DOM0_LIBDIR" lib/x86_64-linux-gnu) || return 1

    # The toolstack: the binaries from their versioned folder, xenstore's client (one
    # program that looks at its name), the hotplug scripts and xl.conf, the libraries.
    for t in "${DOM0_XEN_TOOLS[@]}"; do cp "$x/$DOM0_XEN_BIN/$t" "$root/$DOM0_XEN_BIN/" || return 1; done
    cp "$x/usr/bin/xenstore" "$root/usr/bin/" || return 1
    for n in "${DOM0_XENSTORE_CMDS[@]}"; do ln -s xenstore "$root/usr/bin/xenstore-$n"; done
    cp -a "$x/etc/xen" "$root/etc/" && cp -a "$x/$DOM0_LIBDIR"/lib*.so* "$root/$DOM0_LIBDIR/" || return 1
    for t in "${DOM0_HELPERS[@]}"; do cp "$helpers/$t" "$root/usr/bin/" || return 1; done
    for t in "${DOM0_BENCH_PROGRAMS[@]}"; do cp "$x/$t" "$root/usr/bin/" || return 1; done
    for t in "${DOM0_CURL_PROGRAMS[@]}"; do cp "$xc/$t" "$root/usr/bin/" || return 1; done

    # The hotplug scripts run under bash and lock with flock: both from the host, and
    # util-linux's losetup, which unlike busybox's sets a sector size and direct I/O.
    dom0_cache__host_file "$(command -v bash)" bin/bash "$root" &&
        dom0_cache__host_file "$(command -v flock)" usr/bin/flock "$root" &&
        dom0_cache__host_file "$(PATH=$PATH:/usr/sbin:/sbin command -v losetup)" sbin/losetup "$root" ||
        return 1

    # busybox for everything else, without shadowing the real programs above.
    cp "$x/bin/busybox" "$root/bin/busybox" || return 1
    for p in $("$root/bin/busybox" --list-full); do
        [ -e "$root/$p" ] || [ -L "$root/$p" ] || ln -s /bin/busybox "$root/$p"
    done

    # Every library the programs need that the packages did not bring comes from
    # curl's packages when it is one of theirs, else from the host (a Debian 12 like
    # the packages), with the loader and libgcc_s, which pthread_cancel loads at run
    # time (xl create aborts without it).
    dom0_cache__host_file /lib/x86_64-linux-gnu/libgcc_s.so.1 "$DOM0_LIBDIR/libgcc_s.so.1" "$root" ||
        return 1
    while IFS= read -r f; do
        [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
        LD_LIBRARY_PATH=$root/$DOM0_LIBDIR:$xc/$DOM0_LIBDIR:$xc/lib/x86_64-linux-gnu ldd "$f" 2>/dev/null
    done < <(find "$root" -type f) | sort -u >"$work/ldd"
    if grep -q 'not found' "$work/ldd"; then
        dom0_cache__say "libraries not found: $(grep 'not found' "$work/ldd" | awk '{print $1}' | sort -u | paste -sd' ')"
        return 1
    fi
    while read -r lib _ path _; do
        case $lib in
        /*) # the loader, at the path the programs name
            [ -e "$root$lib" ] || dom0_cache__host_file "$lib" "${lib#/}" "$root" || return 1 ;;
        *) # already there: the packages' libraries
            { [ -n "$path" ] && [ "${path#"$root"}" = "$path" ]; } || continue
            if [ "${path#"$xc"/}" != "$path" ]; then
                [ -e "$root/$DOM0_LIBDIR/$lib" ] || cp -L "$path" "$root/$DOM0_LIBDIR/$lib" || return 1
            else
                [ -e "$root/$DOM0_LIBDIR/$lib" ] ||
                    dom0_cache__host_file "$path" "$DOM0_LIBDIR/$lib" "$root" || return 1
            fi ;;
        esac
    done < <(grep -v 'linux-vdso' "$work/ldd")

    # Kernel modules, under the kernel's version so that a mismatch shows at boot.
    kver=$(cat "$DOM0_LINUX_DIR/version")
    mkdir -p "$root/lib/modules/$kver" && cp "$DOM0_LINUX_DIR"/modules/* "$root/lib/modules/$kver/" || return 1

    install -m 755 "$DOM0_RIG_DIR/init" "$root/init" || return 1
    for f in "${DOM0_RIG_LIBS[@]}"; do install -m 644 "$DOM0_RIG_DIR/$f" "$root/rig/$f" || return 1; done
    for f in "${DOM0_RIG_HOTPLUG[@]}"; do
        install -m 755 "$DOM0_RIG_DIR/$f" "$root/etc/xen/scripts/$f" || return 1
    done
    dom0_cache__pack "$root" tools/rig/init "$work/out/initrd.cpio.gz" || return 1
    sort -u -k2 "$work/host-files" >"$work/out/host-files"
}

# dom0_cache__pack ROOT INIT_SOURCE ARCHIVE: packs the image ROOT into the
# gzip-compressed cpio ARCHIVE, once its /init (from INIT_SOURCE) parses. The init
# runs under busybox sh, which lacks some of bash's syntax: a line it cannot parse
# would kill the init, and with it Linux.
dom0_cache__pack() {
    local root=$1 err
    if ! err=$("$root/bin/busybox" sh -n "$root/init" 2>&1); then
        dom0_cache__say "$2 does not parse in busybox sh: ${err#"$root/init: "}"
        return 1
    fi
    (cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$3"
    [ "${PIPESTATUS[*]}" = "0 0" ] || { dom0_cache__say "cpio or gzip failed"; return 1; }
}

# Fetches the packages the image is made of that are not cached yet (tools/setup
# does, so that a machine set up has what the rig needs, and a new package in the
# lists above is fetched there too).
dom0_cache_fetch() {
    mkdir -p "$DOM0_CACHE" && dom0_cache__resolve && dom0_cache__fetch
}

# Sets DOM0_KERNEL and DOM0_INITRD, fetching and building what is missing.
dom0_cache_prepare() {
    local work key base rc=0 old
    mkdir -p "$DOM0_CACHE" || return 1
    dom0_cache__resolve && dom0_cache__fetch && dom0_cache__linux || return 1
    work=$(mktemp -d "$DOM0_CACHE/work.XXXXXX") || return 1
    dom0_cache__helpers "$work/helpers" || { rm -rf "$work"; return 1; }
    key=$(dom0_cache__key "$work/helpers")
    base=$DOM0_CACHE/base-$key
    if [ -s "$base/initrd.cpio.gz" ] && (cd / && sha256sum --quiet --status -c "$base/host-files"); then
        touch "$base"
    else
        dom0_cache__say "building the dom0 initramfs ($key)"
        if dom0_cache__assemble "$work" "$work/helpers"; then
            # A stale entry (its host files changed) is moved aside first; when another
            # builder got there in between, its result is as good as ours.
            if [ -e "$base" ]; then
                old=$(mktemp -d "$DOM0_CACHE/old.XXXXXX") && mv "$base" "$old/" 2>/dev/null
            fi
            mv -T "$work/out" "$base" 2>/dev/null || [ -s "$base/initrd.cpio.gz" ] || rc=1
            # Entries nobody used for a day are dropped, and what killed builders left.
            find "$DOM0_CACHE" -mindepth 1 -maxdepth 1 -mtime +0 \
                \( -name 'base-*' -o -name 'linux-image-*' \
                -o -name 'old.*' -o -name 'work.*' -o -name 'fetch.*' -o -name 'linux.*' \) \
                ! -name "base-$key" ! -name "$(basename "$DOM0_LINUX_DIR")" -exec rm -rf {} +
            find "$DOM0_CACHE/debs" -name '*.deb' -mtime +0 -delete
            [ -n "${old:-}" ] && rm -rf "$old"
        else
            dom0_cache__say "could not build the dom0 initramfs"
            rc=1
        fi
    fi
    rm -rf "$work"
    [ $rc -eq 0 ] || return 1
    touch "$DOM0_LINUX_DIR"
    # shellcheck disable=SC2034 # for the caller
    DOM0_KERNEL=$DOM0_LINUX_DIR/vmlinux
    # shellcheck disable=SC2034
    DOM0_INITRD=$base/initrd.cpio.gz
}
