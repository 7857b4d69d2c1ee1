# shellcheck shell=bash
# lwIP, the TCP/IP stack under net/, as Debian ships it: its source package, fetched
# with apt-get source into a cache folder outside the source tree ($XDG_CACHE_HOME/
# mini-os/lwip, or ~/.cache/mini-os/lwip) and used from there unmodified. Sourced by
# tools/setup; the Makefile finds it at the same path (LWIP_DIR).

LWIP_PACKAGE=lwip
LWIP_VERSION=2.1.3
LWIP_CACHE=${LWIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mini-os/lwip}
LWIP_DEB_SRC_NAME=mini-os-deb-src

# A deb-src twin of every deb entry of the mirrors already configured, one-line
# (/etc/apt/sources.list, *.list) and deb822 (*.sources) alike, so that apt-get source
# reaches the same mirror as apt-get install. $1: apt's configuration folder; the
# twins are written into its sources.list.d/ (which is not read for entries).
lwip_cache_write_deb_src() {
    local etc=$1 list=() sources=() f
    [ -f "$etc/sources.list" ] && list+=("$etc/sources.list")
    for f in "$etc"/sources.list.d/*.list; do
        [ -f "$f" ] && [ "${f##*/}" != "$LWIP_DEB_SRC_NAME.list" ] && list+=("$f")
    done
    for f in "$etc"/sources.list.d/*.sources; do
        [ -f "$f" ] && [ "${f##*/}" != "$LWIP_DEB_SRC_NAME.sources" ] && sources+=("$f")
    done
    if [ ${#list[@]} -gt 0 ]; then
        sed -n 's/^[[:space:]]*deb\([[:space:]]\)/deb-src\1/p' "${list[@]}" \
            >"$etc/sources.list.d/$LWIP_DEB_SRC_NAME.list"
    fi
    if [ ${#sources[@]} -gt 0 ]; then
        # Each stanza (blank-line separated) whose Types has deb, with Types: deb-src;
        # disabled stanzas (Enabled: no) and comments are left out.
        awk '
            function flush() {
                if (is_deb && !disabled) printf "%s%s\n", (printed++ ? "\n" : ""), stanza
                stanza = ""; is_deb = 0; disabled = 0
            }
            /^[[:space:]]*#/ { next }
            /^[[:space:]]*$/ { flush(); next }
            tolower($1) == "types:" {
                for (i = 2; i <= NF; i++) if ($i == "deb") is_deb = 1
                $0 = "Types: deb-src"
            }
            tolower($1) == "enabled:" && tolower($2) == "no" { disabled = 1 }
            { stanza = stanza (stanza == "" ? "" : "\n") $0 }
            END { flush() }
        ' "${sources[@]}" >"$etc/sources.list.d/$LWIP_DEB_SRC_NAME.sources"
    fi
}

# Prints the folder of lwIP's unpacked source, fetching it on first use (as root, or
# through sudo, when deb-src entries must be added first). Works in a private folder
# and renames the result into place, which is atomic.
lwip_cache_source() {
    local src="$LWIP_CACHE/lwip-$LWIP_VERSION" work dir version as_root=()
    [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    if [ ! -f "$src/src/include/lwip/init.h" ]; then
        if ! apt-cache showsrc "$LWIP_PACKAGE" 2>/dev/null | grep -q "^Version: $LWIP_VERSION"; then
            echo "lwip-cache: adding deb-src entries for the configured mirrors" >&2
            "${as_root[@]}" bash -c "$(declare -f lwip_cache_write_deb_src); \
                LWIP_DEB_SRC_NAME=$LWIP_DEB_SRC_NAME lwip_cache_write_deb_src /etc/apt" &&
                "${as_root[@]}" apt-get update -q >&2 || return 1
        fi
        # Debian's revision of that upstream version (2.1.3+dfsg1-2 in bookworm).
        version=$(apt-cache showsrc "$LWIP_PACKAGE" |
            sed -n "s/^Version: \(${LWIP_VERSION}[^ ]*\)/\1/p" | head -n 1)
        mkdir -p "$LWIP_CACHE" && work=$(mktemp -d "$LWIP_CACHE/fetch.XXXXXX") || return 1
        if [ -n "$version" ] && (cd "$work" && apt-get source -q -o APT::Sandbox::User=root \
            "$LWIP_PACKAGE=$version" >&2) &&
            dir=$(ls -d "$work/$LWIP_PACKAGE-$LWIP_VERSION"*/) &&
            [ -f "$dir/src/include/lwip/init.h" ] &&
            rm -rf "$src" && mv "$dir" "$src"; then
            rm -rf "$work"
        else
            rm -rf "$work"
            echo "lwip-cache: could not fetch and unpack $LWIP_PACKAGE $LWIP_VERSION (apt-get source)" >&2
            return 1
        fi
    fi
    printf '%s\n' "$src"
}
