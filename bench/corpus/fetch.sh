#!/usr/bin/env bash
# Fetches Debian source packages into bench/corpus/cache/ (cached; a package
# that fails to download is reported and skipped).
#   bench/corpus/fetch.sh curl i2pd ...
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${CORPUS_CACHE:-$HERE/cache}
mkdir -p "$CACHE"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

# apt-get source needs deb-src entries: mirror the configured deb ones once.
if ! grep -rqs '^\(Types:.*deb-src\|deb-src \)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  src=/etc/apt/sources.list.d/taskleak-deb-src.sources
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | "${sudo[@]}" tee "$src" >/dev/null
  else
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      | "${sudo[@]}" tee "$src" >/dev/null
  fi
  "${sudo[@]}" apt-get update -qq || echo "fetch.sh: apt-get update failed" >&2
fi
command -v dpkg-source >/dev/null || "${sudo[@]}" apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null

# Source packages whose archive this mirror does not serve (404) but whose
# sources a binary package built from them ships: "binary-package path".
# The tree lands in cache/PKG-VERSION-BINARY/.
declare -A FALLBACK=(
  [asio]="libasio-doc usr/share/doc/libasio-dev/examples"
)
fallback() {  # fallback PKG BINARY PATH
  local pkg=$1 bin=$2 path=$3 tmp ver
  tmp=$(mktemp -d) || return 1
  if ! (cd "$tmp" && apt-get download -qq "$bin" >>"$CACHE/$pkg.fetch.log" 2>&1); then
    rm -rf "$tmp"; return 1
  fi
  ver=$(dpkg-deb -f "$tmp"/*.deb Version | sed 's/^[0-9]*://; s/-[^-]*$//')
  dpkg-deb -x "$tmp"/*.deb "$tmp/x" && mkdir -p "$CACHE/$pkg-$ver-$bin" &&
    cp -a "$tmp/x/$path/." "$CACHE/$pkg-$ver-$bin/"
  local rc=$?
  rm -rf "$tmp"
  return $rc
}

status=0
for pkg in "$@"; do
  if ls -d "$CACHE/$pkg"-*/ >/dev/null 2>&1; then
    echo "fetch.sh: $pkg cached: $(ls -d "$CACHE/$pkg"-*/ | head -1)"
    continue
  fi
  if (cd "$CACHE" && apt-get source -qq "$pkg" >/dev/null 2>"$CACHE/$pkg.fetch.log"); then
    echo "fetch.sh: $pkg fetched: $(ls -d "$CACHE/$pkg"-*/ | head -1)"
  elif [ -n "${FALLBACK[$pkg]:-}" ] && fallback "$pkg" ${FALLBACK[$pkg]}; then
    echo "fetch.sh: $pkg: source package unavailable ($(grep -m1 '^E:' "$CACHE/$pkg.fetch.log")); took ${FALLBACK[$pkg]% *} instead: $(ls -d "$CACHE/$pkg"-*/ | head -1)"
  else
    echo "fetch.sh: $pkg FAILED to download (skipped): $(tail -1 "$CACHE/$pkg.fetch.log")" >&2
    status=1
  fi
done
exit $status
