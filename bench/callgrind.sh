#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind), which unlike times repeat
# exactly on a shared machine: the bare parse (clang++-19 -fsyntax-only),
# clang-tidy-19 with one trivial built-in check (its own matching overhead),
# and clang-tidy-19 with each taskleak check and all of them, on one TU.
#   bench/callgrind.sh FILE [FLAGS...]      (default flags: -std=c++20)
# Environment:
#   TASKLEAK_PLUGIN           the plugin (default: build/checks/libTaskLeak.so)
#   TASKLEAK_CALLGRIND_CHECKS the clang-tidy runs, space-separated check globs
#                             (default: the trivial built-in check, each
#                             check the plugin has alone, then 'taskleak-*');
#                             the bare parse always runs first
# A run that does not exit normally (crash, signal) is reported as FAILED,
# not counted: its partial count would look like a cheap check.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLUGIN=${TASKLEAK_PLUGIN:-$HERE/../build/checks/libTaskLeak.so}
[ -f "$PLUGIN" ] || { echo "callgrind.sh: no plugin at $PLUGIN" >&2; exit 2; }
FILE=$1; shift
FLAGS=("$@"); [ ${#FLAGS[@]} -gt 0 ] || FLAGS=(-std=c++20)
DEFAULT_CHECKS="readability-else-after-return $(clang-tidy-19 --load="$PLUGIN" --checks='-*,taskleak-*' \
  --list-checks | grep -o 'taskleak-[a-z-]*' | tr '\n' ' ') taskleak-*"
set -f; CHECKS=(${TASKLEAK_CALLGRIND_CHECKS:-$DEFAULT_CHECKS}); set +f  # no globbing of taskleak-*
OUT=$(mktemp -d)
count() { # name, command...
  local name=$1; shift
  local rc=0
  valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$OUT/$name.%p" "$@" >/dev/null 2>&1 || rc=$?
  local total=0
  for f in "$OUT/$name".*; do
    n=$(grep -m1 '^summary:' "$f" | awk '{print $2}'); total=$((total + ${n:-0}))
  done
  # clang-tidy exits 1 on compiler errors in the TU; 128+ is a signal.
  if [ $rc -ge 126 ] || [ "$total" -eq 0 ]; then echo "$name FAILED($rc)"; else echo "$name $total"; fi
}
echo "plugin $(realpath "$PLUGIN")"
count parse clang++-19 -fsyntax-only "${FLAGS[@]}" "$FILE" > "$OUT/r"
base=$(awk '{print $2}' "$OUT/r")
[[ $base =~ ^[0-9]+$ ]] || { echo "callgrind.sh: the bare parse $base" >&2; exit 1; }
printf '%-32s %15s %8s\n' run instructions ratio
printf '%-32s %15d %8.3f\n' "clang++-19 -fsyntax-only" "$base" 1
for checks in "${CHECKS[@]}"; do
  args=(clang-tidy-19 --checks="-*,$checks" --quiet)
  [[ $checks == taskleak* ]] && args+=(--load="$PLUGIN")
  n=$(count "run" "${args[@]}" "$FILE" -- "${FLAGS[@]}" | awk '{print $2}')
  rm -f "$OUT"/run.*
  if [[ $n =~ ^[0-9]+$ ]]; then
    printf '%-32s %15d %8.3f\n' "tidy $checks" "$n" "$(echo "$n / $base" | bc -l)"
  else
    printf '%-32s %15s %8s\n' "tidy $checks" "$n" -
  fi
done
rm -rf "$OUT"
