#!/usr/bin/env bash
# Benchmark of `workload` (figures, not a pass/fail test): a 2,000,000-statement stderr log from
# ../shared/tools/gen_pglog.py (about 850 MB), read once; prints MB/s, peak RSS, the ratio to
# `wc -l` on the same file, and the counts next to the generator's (2,000,000 statements,
# 57 distinct fingerprints). Then `advise` on the same log with the generator's schema: every
# rule, N+1 and eager-load included, should cost at most 1.3x `workload` alone, in flat memory.
#
# Usage: bench/workload.sh [SCHEMA_ADVISOR]   (default: a Release build in build-bench/)
# MB/s is given on CPU time (user + system: one core's work, whatever else the machine runs) and
# on wall time. Set BENCH_LOG to reuse a generated log.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared}
statements=${STATEMENTS:-2000000}

advisor=${1:-}
if [ -z "$advisor" ]; then
  cmake -S "$here" -B "$here/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$here/build-bench" --target schema-advisor -j2 >/dev/null
  advisor=$here/build-bench/schema-advisor
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=${BENCH_LOG:-$work/big.log}
if [ ! -s "$log" ]; then
  echo "generating $statements statements into $log ..." >&2
  python3 "$shared/tools/gen_pglog.py" --statements "$statements" > "$log"
fi
python3 "$shared/tools/gen_pglog.py" --schema > "$work/schema.sql"
bytes=$(stat -c %s "$log")
cat "$log" > /dev/null # warm the page cache for both runs

/usr/bin/time -f '%e %U %S %M' -o "$work/wc.time" wc -l "$log" > "$work/wc.out"
/usr/bin/time -v -o "$work/advisor.time" "$advisor" workload --format json --top 0 "$log" \
  > "$work/workload.json" 2> "$work/workload.err"

/usr/bin/time -f '%e %U %S %M' -o "$work/advise.time" "$advisor" advise --schema "$work/schema.sql" \
  --log "$log" --format json > "$work/advise.json" 2> "$work/advise.err" || true

read -r wc_wall wc_user wc_sys _ < "$work/wc.time"
read -r advise_wall advise_user advise_sys advise_rss < "$work/advise.time"
field() { grep -F "$1" "$work/advisor.time" | sed 's/.*: //'; }
wall=$(field "Elapsed (wall clock)" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
user=$(field "User time (seconds)")
sys=$(field "System time (seconds)")
rss_kb=$(field "Maximum resident set size (kbytes)")
read -r got_statements got_shapes < <(python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
print(report["statements"], report["distinct_shapes"])' "$work/workload.json")

awk -v bytes="$bytes" -v wall="$wall" -v user="$user" -v sys="$sys" -v rss="$rss_kb" \
    -v wcw="$wc_wall" -v wcu="$wc_user" -v wcs="$wc_sys" -v lines="$(cut -d' ' -f1 "$work/wc.out")" \
    -v st="$got_statements" -v sh="$got_shapes" -v want="$statements" \
    -v aw="$advise_wall" -v au="$advise_user" -v as="$advise_sys" -v arss="$advise_rss" 'BEGIN {
  mb = bytes / 1e6; cpu = user + sys; wccpu = wcu + wcs
  printf "== workload: %s statements, %.0f MB, %d lines ==\n", want, mb, lines
  printf "CPU time   %.2f s (user %.2f + sys %.2f)  ->  %.0f MB/s on one core\n", cpu, user, sys, mb / cpu
  printf "wall time  %.2f s  ->  %.0f MB/s\n", wall, mb / wall
  printf "peak RSS   %.1f MB\n", rss / 1024
  printf "wc -l      %.2f s CPU, %.2f s wall; workload / wc -l: %.1fx CPU, %.1fx wall\n", wccpu, wcw, (wccpu > 0 ? cpu / wccpu : 0), (wcw > 0 ? wall / wcw : 0)
  printf "counts     %d statements (generator: %d), %d distinct fingerprints (generator: 57)\n", st, want, sh
  ok = (mb / cpu >= 250 && rss / 1024 < 300 && st == want && (want != 2000000 || sh == 57))
  printf "target     >= 250 MB/s, < 300 MB RSS, counts equal: %s\n", ok ? "met" : "NOT met"
  acpu = au + as
  printf "== advise on the same log (all rules) ==\n"
  printf "CPU time   %.2f s, wall %.2f s, peak RSS %.1f MB; advise / workload: %.2fx CPU\n", acpu, aw, arss / 1024, acpu / cpu
  printf "target     <= 1.3x workload, flat memory: %s\n", (acpu / cpu <= 1.3 && arss / 1024 < 300) ? "met" : "NOT met"
}'
