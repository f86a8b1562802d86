#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded time,
# seeded from samples/ and ../shared/corpus/. A crash, leak, timeout or OOM fails the run and
# leaves the input in build-fuzz/artifacts/<target>/: copy it to tests/fuzz/regressions/<target>/
# (the normal build replays those as CTest tests) and fix the bug.
# Usage: tests/fuzz/run_fuzzers.sh [SECONDS_PER_TARGET]   (default: $FUZZ_SECONDS or 45)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-${FUZZ_SECONDS:-45}}
build=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCHEMA_ADVISOR_FUZZ=ON >/dev/null
mapfile -t targets < <(cd tests/fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')
cmake --build "$build" -j2 --target "${targets[@]}"

seeds_for() {
  case "$1" in
    fuzz_ddl) find samples ../shared/corpus/pg_schema -name '*.sql' -size -64k 2>/dev/null ;;
    fuzz_templates) find templates -name '*.mustache' ;;
    fuzz_logs) find samples ../shared/corpus/logs -type f -size -200k \( -name '*.log' -o -name '*.csv' -o -name '*.json' -o -name '*.sql' \) 2>/dev/null ;;
    fuzz_query_facts) find ../shared/corpus/workloads -name '*.sql' 2>/dev/null ;;
    fuzz_sqlite_query) find ../shared/corpus/workloads -name '*.sql' -size -4k 2>/dev/null ;;
    *) true ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"; artifacts="$build/artifacts/$target/"
  mkdir -p "$corpus" "$artifacts"
  seeds_for "$target" | while read -r f; do cp -f "$f" "$corpus/$(basename "$f")" 2>/dev/null || true; done
  [ -d "tests/fuzz/regressions/$target" ] && cp -f tests/fuzz/regressions/"$target"/* "$corpus/" 2>/dev/null || true
  log="$build/$target.log"
  if ASAN_OPTIONS=detect_leaks=1 "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" \
       "$corpus" >"$log" 2>&1; then
    execs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
    echo "fuzz: $target: ${execs:-?} executions in ${seconds}s, no crash"
  else
    echo "fuzz: $target FAILED; input saved under $artifacts"; tail -40 "$log"; status=1
  fi
done
exit $status
