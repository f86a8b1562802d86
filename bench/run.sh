#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail tests). Usage: bench/run.sh SCHEMA_ADVISOR BENCH_BARE_PARSE
# `cmake --build build --target bench` runs it with a Release-or-RelWithDebInfo build.
#
# schema: wall time and peak RSS of `schema --format json` on the five largest corpus dumps,
# and the ratio to libpg_query's bare parse of the same statements (bench_bare_parse).
set -euo pipefail
advisor=${1:?schema-advisor binary}
bare=${2:?bench_bare_parse binary}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$here/../shared/corpus/pg_schema}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
echo "== schema: five largest corpus dumps =="
printf '%-45s %9s %9s %10s %9s %7s\n' file MB wall_s peak_MB bare_s ratio
mapfile -t files < <(find "$corpus" -name '*.sql' -printf '%s %p\n' | sort -rn | head -5 | cut -d' ' -f2)
for f in "${files[@]}"; do
  size=$(stat -c %s "$f")
  best_wall=999; best_rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$tmp" "$advisor" schema --format json "$f" >/dev/null 2>&1
    out=$(tail -1 "$tmp")
    wall=${out% *}; rss=${out#* }
    if awk -v a="$wall" -v b="$best_wall" 'BEGIN{exit !(a<b)}'; then best_wall=$wall; best_rss=$rss; fi
  done
  bare_s=$("$bare" "$f" | sed -E 's/.*libpg_query parse ([0-9.]+) s.*/\1/')
  printf '%-45s %9.2f %9.3f %10.1f %9.3f %7.2f\n' "$(basename "$f")" \
    "$(awk -v s="$size" 'BEGIN{print s/1048576}')" "$best_wall" \
    "$(awk -v k="$best_rss" 'BEGIN{print k/1024}')" "$bare_s" \
    "$(awk -v w="$best_wall" -v b="$bare_s" 'BEGIN{ if (b > 0) print w/b; else print 0 }')"
done

if [ -x "$here/bench/workload.sh" ]; then
  "$here/bench/workload.sh" "$advisor"
fi

# advise --verify --dsn on a throwaway PostgreSQL 15 with HypoPG: time per proposal and per query.
if [ -x /usr/lib/postgresql/15/bin/postgres ]; then
  python3 "$here/bench/pg_verify.py" "$advisor"
fi
