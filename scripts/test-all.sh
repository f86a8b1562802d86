#!/usr/bin/env bash
# The whole test suite, as the README's second command and .ci/run run it:
#  1. a normal build and every CTest test (unit, end-to-end against PostgreSQL 15, fuzz regressions);
#  2. the same tests on a build with AddressSanitizer + UndefinedBehaviorSanitizer;
#  3. each libFuzzer target for a bounded time (FUZZ_SECONDS, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}

echo "== 1/3 build and test =="
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== 2/3 sanitizers (ASan + UBSan) =="
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSCHEMA_ADVISOR_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== 3/3 fuzzing =="
tests/fuzz/run_fuzzers.sh "${FUZZ_SECONDS:-30}"
