#!/usr/bin/env python3
"""Benchmark (figures, not a test): what `advise --verify --dsn` costs per proposal and per query.

A throwaway PostgreSQL 15 (tests/e2e/pgcluster.py) with HypoPG and pg_stat_statements gets
TABLES tables of ROWS rows each (selective, low-cardinality and correlated columns), ANALYZEd, and
a log of query shapes on them: selective look-ups (kept), low-selectivity ones (dropped), two
equality columns with a sort (whose other column order is planned too) and `$n` texts (generic
plans). `advise` runs offline, then with --verify --dsn (best of 3 each); the difference is the
verification's time. pg_stat_statements (track_utility) counts the EXPLAINs the run sent and
their server time.

Usage: bench/pg_verify.py SCHEMA_ADVISOR [TABLES [ROWS]]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "e2e"))
from pgcluster import PgCluster  # noqa: E402

advisor = sys.argv[1]
tables = int(sys.argv[2]) if len(sys.argv) > 2 else 8
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 50000


def best_of(args, runs=3):
    best = None
    for _ in range(runs):
        started = time.monotonic()
        result = subprocess.run([advisor] + args, capture_output=True, text=True)
        elapsed = time.monotonic() - started
        if result.returncode != 0:
            sys.exit(f"advise failed ({result.returncode}): {result.stderr[-2000:]}")
        best = elapsed if best is None or elapsed < best else best
    return best, result.stdout


with tempfile.TemporaryDirectory(prefix="schema-advisor-bench-") as work, \
        PgCluster(settings={"shared_preload_libraries": "pg_stat_statements",
                            "pg_stat_statements.track_utility": "on"}) as pg:
    os.chmod(work, 0o755)
    pg.create_database("bench")
    ddl = ["CREATE EXTENSION hypopg;", "CREATE EXTENSION pg_stat_statements;"]
    log = []
    for t in range(tables):
        ddl.append(f"CREATE TABLE t{t} (id bigint PRIMARY KEY, a int NOT NULL, b int NOT NULL, "
                   f"c int NOT NULL, shard int NOT NULL, created_at timestamptz NOT NULL, payload text);")
        ddl.append(f"INSERT INTO t{t} SELECT g, (g::bigint * 7919) % {rows // 10}, (g::bigint * 104729) % 100, g % 3, "
                   f"g / 2000, timestamptz '2026-01-01' - g * interval '1 minute', repeat('x', 40) "
                   f"FROM generate_series(1, {rows}) g;")
        log += [f"SELECT * FROM t{t} WHERE a = {t + 11};"] * 5
        log += [f"SELECT count(*) FROM t{t} WHERE a = {t + 12};"] * 2
        log += [f"SELECT * FROM t{t} WHERE c = 1;"] * 3
        log += [f"SELECT id FROM t{t} WHERE b = {t} AND shard = 3 ORDER BY created_at LIMIT 10;"] * 4
        log += [f"SELECT id, payload FROM t{t} WHERE created_at > $1 ORDER BY created_at LIMIT 20;"] * 2
    ddl.append("SET default_statistics_target = 1000; ANALYZE;")
    schema_file = os.path.join(work, "bench.sql")
    with open(schema_file, "w") as f:
        f.write("\n".join(ddl))
    loaded = pg.run_sql_file(schema_file, "bench", on_error_stop=True)
    if loaded.error_count or loaded.returncode:
        sys.exit(f"the bench schema does not load: {loaded.stderr[-1000:]}")
    log_file = os.path.join(work, "bench.log.sql")
    with open(log_file, "w") as f:
        f.write("\n".join(log) + "\n")
    base = ["advise", "--schema-from-dsn", "--dsn", pg.url("bench"), "--log", log_file,
            "--log-format", "sql", "--format", "json", "--index-usage-from-dsn"]
    offline_s, _ = best_of(base)
    pg.execute("SELECT pg_stat_statements_reset()", "bench")
    verify_s, out = best_of(base + ["--verify", "--keep-unverified"])
    explains = pg.query("SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time), 0) "
                        "FROM pg_stat_statements WHERE query LIKE 'EXPLAIN%'", "bench")[0]
    report = json.loads(out)
    verified = [f["evidence"]["verification"] for f in report["findings"]
                if f["evidence"].get("verification", {}).get("verifiable", True)
                and "verification" in f["evidence"]]
    proposals = len(verified)
    planned = sum(1 for v in verified for p in v["plans"] if p.get("cost_after") is not None)
    kept = sum(1 for v in verified if v["verified"])
    explain_calls = int(explains[0]) // 3  # best_of ran the verification 3 times
    explain_ms = float(explains[1]) / 3
    spent = verify_s - offline_s
    print("== advise --verify --dsn: PostgreSQL 15 + HypoPG, "
          f"{tables} tables x {rows} rows, {len(log)} logged statements ==")
    print(f"{'offline advise':<34} {offline_s * 1000:9.1f} ms")
    print(f"{'advise --verify':<34} {verify_s * 1000:9.1f} ms")
    print(f"{'proposals checked (kept)':<34} {proposals:9d} ({kept})")
    print(f"{'queries planned before and after':<34} {planned:9d}")
    print(f"{'EXPLAINs sent (server time)':<34} {explain_calls:9d} ({explain_ms:.1f} ms)")
    if proposals:
        print(f"{'verification per proposal':<34} {spent * 1000 / proposals:9.2f} ms")
    if planned:
        print(f"{'verification per query':<34} {spent * 1000 / planned:9.2f} ms")
    if explain_calls:
        print(f"{'per EXPLAIN, end to end':<34} {spent * 1000 / explain_calls:9.3f} ms")
