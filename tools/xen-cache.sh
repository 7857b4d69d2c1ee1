# Debian's Xen hypervisor, fetched with apt-get download and unpacked into a cache
# folder outside the source tree ($XDG_CACHE_HOME/mini-os, or ~/.cache/mini-os): trying
# the project never installs Xen on the host. Sourced by the rig scripts.

XEN_PACKAGE=xen-hypervisor-4.17-amd64
XEN_CACHE=${XEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mini-os/xen}

# Prints the path of the uncompressed hypervisor ELF, fetching it on first use.
xen_cache_hypervisor() {
    local elf="$XEN_CACHE/xen-4.17.elf" deb
    if [ ! -s "$elf" ]; then
        mkdir -p "$XEN_CACHE/download" || return 1
        deb=$(ls "$XEN_CACHE"/download/${XEN_PACKAGE}_*.deb 2>/dev/null | head -n 1)
        if [ -z "$deb" ]; then
            (cd "$XEN_CACHE/download" && apt-get download -q -o APT::Sandbox::User=root "$XEN_PACKAGE" >&2) ||
                { echo "xen-cache: apt-get download $XEN_PACKAGE failed" >&2; return 1; }
            deb=$(ls "$XEN_CACHE"/download/${XEN_PACKAGE}_*.deb | head -n 1)
        fi
        rm -rf "$XEN_CACHE/unpacked"
        dpkg-deb -x "$deb" "$XEN_CACHE/unpacked" || return 1
        gunzip -c "$XEN_CACHE"/unpacked/boot/xen-4.17-amd64.gz >"$elf.tmp" && mv "$elf.tmp" "$elf" ||
            { echo "xen-cache: cannot unpack the hypervisor from $deb" >&2; return 1; }
    fi
    printf '%s\n' "$elf"
}
