# shellcheck shell=bash
# Debian's Xen hypervisor, fetched with apt-get download and unpacked into a cache
# folder outside the source tree ($XDG_CACHE_HOME/mini-os, or ~/.cache/mini-os): trying
# the project never installs Xen on the host. Sourced by the rig scripts.

XEN_PACKAGE=xen-hypervisor-4.17-amd64
XEN_CACHE=${XEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mini-os/xen}

# Prints the path of the uncompressed hypervisor ELF, fetching it on first use. Rigs
# may start at the same time: each works in a private folder and renames the result
# into place, which is atomic.
xen_cache_hypervisor() {
    local elf="$XEN_CACHE/xen-4.17.elf" work deb
    if [ ! -s "$elf" ]; then
        mkdir -p "$XEN_CACHE" && work=$(mktemp -d "$XEN_CACHE/fetch.XXXXXX") || return 1
        if (cd "$work" && apt-get download -q -o APT::Sandbox::User=root "$XEN_PACKAGE" >&2) &&
            deb=$(ls "$work"/${XEN_PACKAGE}_*.deb) &&
            dpkg-deb -x "$deb" "$work/unpacked" &&
            gunzip -c "$work"/unpacked/boot/xen-4.17-amd64.gz >"$work/xen.elf" &&
            mv -f "$work/xen.elf" "$elf"; then
            rm -rf "$work"
        else
            rm -rf "$work"
            echo "xen-cache: could not fetch and unpack $XEN_PACKAGE (apt-get download)" >&2
            return 1
        fi
    fi
    printf '%s\n' "$elf"
}
