#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind), which unlike times repeat
# exactly on a shared machine: the bare parse (clang++-19 -fsyntax-only),
# clang-tidy-19 with one trivial built-in check (its own matching overhead),
# and clang-tidy-19 with each taskleak check and all of them, on one TU.
#   bench/callgrind.sh FILE [FLAGS...]      (default flags: -std=c++20)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLUGIN=${TASKLEAK_PLUGIN:-$HERE/../build/checks/libTaskLeak.so}
FILE=$1; shift
FLAGS=("$@"); [ ${#FLAGS[@]} -gt 0 ] || FLAGS=(-std=c++20)
OUT=$(mktemp -d)
count() { # name, command...
  local name=$1; shift
  valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$OUT/$name.%p" "$@" >/dev/null 2>&1 || true
  local total=0
  for f in "$OUT/$name".*; do
    n=$(grep -m1 '^summary:' "$f" | awk '{print $2}'); total=$((total + ${n:-0}))
  done
  echo "$name $total"
}
count parse clang++-19 -fsyntax-only "${FLAGS[@]}" "$FILE" > "$OUT/r"
base=$(awk '{print $2}' "$OUT/r")
printf '%-32s %15s %8s\n' run instructions ratio
printf '%-32s %15d %8.3f\n' "clang++-19 -fsyntax-only" "$base" 1
for checks in readability-else-after-return taskleak-endless-task taskleak-unstopped-ticker \
              taskleak-ignored-stop-token taskleak-client-without-timeout 'taskleak-*'; do
  args=(clang-tidy-19 --checks="-*,$checks" --quiet)
  [[ $checks == taskleak* ]] && args+=(--load="$PLUGIN")
  n=$(count "run" "${args[@]}" "$FILE" -- "${FLAGS[@]}" | awk '{print $2}')
  rm -f "$OUT"/run.*
  printf '%-32s %15d %8.3f\n' "tidy $checks" "$n" "$(echo "$n / $base" | bc -l)"
done
rm -rf "$OUT"
