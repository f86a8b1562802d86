"""Round trip through a real PostgreSQL 15: run a known script through psql (simple protocol)
and pgbench (extended protocol: parse/bind/execute), then read the server's own stderr, csvlog
and jsonlog files with `schema-advisor workload`: the statement count and the calls per shape
equal what was run. Twice: with log_min_duration_statement = 0 (one entry per statement), and
with log_statement = all + log_duration (a statement entry, then its duration).

Arguments: <schema-advisor binary> <source dir> <shared dir>.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pg_logcluster import LogCluster  # noqa: E402

ADVISOR = sys.argv[1]

# What the script runs, statement by statement (psql sends each one on its own).
SCRIPT = """
CREATE TABLE items (id int PRIMARY KEY, name text);
INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g;
SELECT * FROM items WHERE id = 1;
SELECT * FROM items WHERE id = 2;
SELECT * FROM items WHERE id = 3;
SELECT * FROM items
  WHERE id = 4;
SELECT * FROM items WHERE id = 5;
SELECT * FROM items WHERE id = 6;
SELECT * FROM items WHERE id = 7;
SELECT name FROM items WHERE name = 'it''s, a
multi-line value';
SELECT name FROM items WHERE name = 'item 5';
SELECT name FROM items WHERE name = 'item 6';
BEGIN;
UPDATE items SET name = 'x' WHERE id = 1;
COMMIT;
SELECT * FROM missing_table;
"""
PSQL_STATEMENTS = 16  # the statements above, the failing one included
POINT_LOOKUPS_PSQL = 7
NAME_LOOKUPS = 3

# pgbench -M extended: each transaction is parse, bind and execute of one statement.
PGBENCH_SCRIPT = """\\set id random(1, 100)
SELECT * FROM items WHERE id = :id;
"""
PGBENCH_TRANSACTIONS = 20


def workload(path, *extra):
    result = subprocess.run([ADVISOR, "workload", "--format", "json", *extra, path],
                            capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout), result.stderr.decode()


def calls_of(report, query):
    return sum(shape["calls"] for shape in report["shapes"] if shape["query"] == query)


def check_report(report, stderr, expected_format, label):
    print(f"{label}: {stderr.strip()}")
    expected_statements = PSQL_STATEMENTS + PGBENCH_TRANSACTIONS
    assert report["statements"] == expected_statements, (label, report["statements"])
    assert report["unparsed"] == 0, (label, report["errors"])
    assert report["failed"] == 1, (label, report["failed"])
    point = calls_of(report, "SELECT * FROM items WHERE id = $1")
    assert point == POINT_LOOKUPS_PSQL + PGBENCH_TRANSACTIONS, (label, point)
    names = calls_of(report, "SELECT name FROM items WHERE name = $1")
    assert names == NAME_LOOKUPS, (label, names)
    assert calls_of(report, "SELECT * FROM missing_table") == 1, label
    assert calls_of(report, "BEGIN") == 1 and calls_of(report, "COMMIT") == 1, label
    source = report["sources"][0]
    assert source["format"].startswith(expected_format), (label, source["format"])
    accounted = (source["statement_lines"] + sum(source["other_lines"].values()) +
                 source["blank_lines"] + source["skipped_lines"])
    assert accounted == source["lines"], (label, source)
    assert source["skipped_lines"] == 0, (label, report["errors"])
    # The pgbench executes logged their parameters: examples carry values, not $1.
    point_shape = next(s for s in report["shapes"]
                       if s["query"] == "SELECT * FROM items WHERE id = $1")
    assert all("$1" not in example["text"] for example in point_shape["examples"]), point_shape


def run_round_trip(settings, prefix, label):
    with tempfile.TemporaryDirectory() as scratch, LogCluster(settings) as cluster:
        script = os.path.join(scratch, "script.sql")
        with open(script, "w") as out:
            out.write(SCRIPT)
        bench = os.path.join(scratch, "bench.sql")
        with open(bench, "w") as out:
            out.write(PGBENCH_SCRIPT)
        psql = cluster.psql_file(script)
        assert b"missing_table" in psql.stderr, psql.stderr
        cluster.pgbench("-n", "-M", "extended", "-c", "1", "-t", str(PGBENCH_TRANSACTIONS),
                        "-f", bench)
        cluster.stop()
        for suffix, expected_format in (("log", "PostgreSQL stderr log"),
                                        ("csv", "PostgreSQL csvlog"),
                                        ("json", "PostgreSQL jsonlog")):
            report, stderr = workload(cluster.log_path(suffix))
            check_report(report, stderr, expected_format, f"{label} {suffix}")
        # The stderr log again, with the prefix given rather than inferred.
        report, stderr = workload(cluster.log_path("log"), "--log-format", "stderr",
                                  "--log-line-prefix", prefix)
        check_report(report, stderr, "PostgreSQL stderr log", f"{label} log, prefix given")
        assert f"'{prefix}' (given)" in stderr, stderr


def main():
    prefix = "%m [%p] %q%u@%d "
    run_round_trip({"log_min_duration_statement": "0", "log_line_prefix": prefix}, prefix,
                   "log_min_duration_statement=0")
    prefix = "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h "
    run_round_trip({"log_statement": "all", "log_duration": "on",
                    "log_line_prefix": prefix}, prefix, "log_statement=all")
    print("ok")


if __name__ == "__main__":
    main()
