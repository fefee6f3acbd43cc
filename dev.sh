#!/usr/bin/env bash
# taskleak's front door on a fresh Debian 12 machine.
#
#   ./dev.sh example   install what is missing, build, analyse examples/
#   ./dev.sh test      install what is missing, build, run every test
#   ./dev.sh build     install what is missing and build
#   ./dev.sh deps      only install what is missing
#
# BUILD_DIR (default: build) and JOBS (default: all cores) can be set.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
JOBS=${JOBS:-$(nproc)}

# Everything the build, the checks' models and the integration tests need.
PACKAGES=(
  clang-19 clang-tidy-19 libclang-19-dev llvm-19-dev llvm-19-tools
  cmake ninja-build python3 libgtest-dev
  libboost-dev libboost-fiber-dev libboost-thread-dev libtbb-dev
  libcurl4-openssl-dev libgrpc++-dev libcpp-httplib-dev
)

say() { printf 'dev.sh: %s\n' "$*" >&2; }

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "need root (or sudo) to install: ${missing[*]}"; exit 2; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  install_missing
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

case "${1:-}" in
  deps) install_missing ;;
  build) build ;;
  example|examples)
    build
    # Exit 1 means "found leaks", which is what the example is for.
    set +e
    TASKLEAK_PLUGIN="$BUILD_DIR/checks/libTaskLeak.so" python3 "$ROOT/tools/taskleak" -j "$JOBS"
    rc=$?
    set -e
    [ $rc -le 1 ] || exit $rc
    ;;
  test|tests)
    build
    cd "$BUILD_DIR"
    ctest -j "$JOBS" --output-on-failure
    ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
