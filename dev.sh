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

# What `./dev.sh example` needs: the toolchain, LLVM 19's development
# packages, and the headers the bundled examples include (Boost.Asio and
# Boost.Fiber, libcurl).
EXAMPLE_PACKAGES=(
  clang-19 clang-tidy-19 libclang-19-dev llvm-19-dev llvm-19-tools
  cmake ninja-build python3 python3-yaml
  libboost-dev libboost-fiber-dev libcurl4-openssl-dev
)
# Everything the full build and the tests need besides: gtest; the libraries
# the checks model (integration tests); gRPC and protobuf for taskleak-clangd
# (clangd's remote-index archives link against them); pre-commit for the
# hook's test; dpkg-dev for cpack's dpkg-shlibdeps.
PACKAGES=(
  "${EXAMPLE_PACKAGES[@]}" libgtest-dev
  libboost-thread-dev libasio-dev libtbb-dev
  libgrpc++-dev libprotobuf-dev libcpp-httplib-dev
  pre-commit git dpkg-dev
)
# npm fetches Microsoft's SARIF validator for the SARIF test; a machine whose
# nodejs already ships npm (NodeSource's) must not get Debian's on top.
command -v npm >/dev/null || PACKAGES+=(npm)

say() { printf 'dev.sh: %s\n' "$*" >&2; }

install_missing() {
  local missing=()
  for p in "$@"; do
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
  install_missing "${PACKAGES[@]}"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=ON -DTASKLEAK_BUILD_TIDY=ON -DTASKLEAK_BUILD_CLANGD=ON >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

# Only the plugin: no tests, no taskleak-tidy/taskleak-clangd (so no gtest,
# gRPC or protobuf to install).
build_plugin() {
  install_missing "${EXAMPLE_PACKAGES[@]}"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF -DTASKLEAK_BUILD_TIDY=OFF -DTASKLEAK_BUILD_CLANGD=OFF >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS" --target TaskLeak
}

case "${1:-}" in
  deps) install_missing "${PACKAGES[@]}" ;;
  build) build ;;
  example|examples)
    build_plugin
    # Exit 1 means "found leaks", which is what the example is for.
    set +e
    TASKLEAK_PLUGIN="$BUILD_DIR/checks/libTaskLeak.so" python3 "$ROOT/tools/taskleak" -j "$JOBS"
    rc=$?
    set -e
    [ $rc -le 1 ] || exit $rc
    ;;
  test|tests)
    build
    # Microsoft's SARIF validator (npm) for test/tools/sarif-validator.test
    # and ci-recipes.test; once per build directory. Without network the
    # validator is skipped, and said so.
    if [ ! -x "$BUILD_DIR/sarif-multitool/node_modules/.bin/sarif-multitool" ]; then
      sh "$ROOT/test/tools/Inputs/install-sarif-multitool.sh" "$BUILD_DIR" >/dev/null ||
        say "could not install the SARIF validator from npm: its checks are skipped"
    fi
    cd "$BUILD_DIR"
    ctest -j "$JOBS" --output-on-failure
    ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
