#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset `fuzz`, clang-14) and runs each for a bounded time on a
# temporary copy of its checked-in seed corpus. Exits non-zero if any target crashes, leaks, hangs or
# fails a check; then the log shows the reproducer's path, hexdump and base64 (CI keeps only the log).
#
#   native/fuzz/run.sh [seconds per target, default 60] [target ...]   (default: every target)
#
# Targets run side by side, OTC_FUZZ_JOBS at a time (default: the number of CPUs).
set -euo pipefail

seconds="${1:-60}"
[ $# -gt 0 ] && shift
here="$(cd "$(dirname "$0")" && pwd)"
native="$(dirname "$here")"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(sframe_replay protocol frame_cryptor)
jobs="${OTC_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"

cd "$native"
echo "fuzz: building (preset fuzz)"
start=$(date +%s)
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null
echo "fuzz: built in $(( $(date +%s) - start )) s; ${seconds} s per target, ${jobs} at a time: ${targets[*]}"

bin="$native/target/cmake-fuzz/fuzz"
artifacts="$native/target/fuzz-artifacts"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

run_one() {
  local t="$1"
  rm -rf "${artifacts:?}/$t"
  mkdir -p "$artifacts/$t" "$work/$t-corpus"
  cp -R "$here/corpus/$t/." "$work/$t-corpus/"
  # -timeout: one input taking longer is a hang; -rss_limit_mb also caps any single allocation.
  local rc=0
  "$bin/fuzz_$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$t/" "$work/$t-corpus" >"$work/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$t.rc"
}

for t in "${targets[@]}"; do
  [ -x "$bin/fuzz_$t" ] || { echo "fuzz: no target $t" >&2; exit 2; }
done
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
wait

failed=0
for t in "${targets[@]}"; do
  rc="$(cat "$work/$t.rc" 2>/dev/null || echo 99)"
  done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$t.log" | tail -1 || true)"
  execs="$(grep -E '^stat::number_of_executed_units' "$work/$t.log" | awk '{print $2}' || true)"
  speed="$(grep -E '^stat::average_exec_per_sec' "$work/$t.log" | awk '{print $2}' || true)"
  if [ "$rc" -eq 0 ]; then
    echo "fuzz: $t OK: ${execs:-?} inputs, ${speed:-?} exec/s; ${done_line#*DONE }"
    continue
  fi
  failed=1
  echo "fuzz: $t FAILED (exit $rc). Log tail:"
  tail -n 80 "$work/$t.log" | sed "s/^/  [$t] /"
  for f in "$artifacts/$t"/*; do
    [ -f "$f" ] || continue
    echo "fuzz: $t reproducer: $f ($(wc -c <"$f") bytes); reproduce with: $bin/fuzz_$t $f"
    echo "fuzz: hexdump (first 4096 bytes):"
    head -c 4096 "$f" | od -A x -t x1z -v | sed 's/^/  /'
    echo "fuzz: base64 (decode with: base64 -d > crash.bin):"
    base64 -w 76 "$f" | sed 's/^/  /'
  done
done

if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAILED"
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets passed"
