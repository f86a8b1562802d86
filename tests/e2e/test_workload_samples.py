"""workload on the sample logs of the formats the corpus lacks (samples/logs/): pg_stat_statements
CSV and JSON, SQLAlchemy echo. Checks design.md's workload JSON contract and the counts, and that
the text report lists the busiest shape first.

Arguments: <schema-advisor binary> <source dir> <shared dir>.
"""
import json
import os
import subprocess
import sys

ADVISOR, SOURCE = sys.argv[1], sys.argv[2]
SAMPLES = os.path.join(SOURCE, "samples", "logs")


def run(*args):
    result = subprocess.run([ADVISOR, "workload", *args], capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode(), result.stderr.decode()


def check_contract(report):
    for key in ("statements", "unparsed", "shapes", "errors"):
        assert key in report, key
    for shape in report["shapes"]:
        for key in ("fingerprint", "query", "calls", "total_ms", "mean_ms", "max_ms", "tables"):
            assert key in shape, (key, shape)
        assert len(shape["fingerprint"]) == 16


def main():
    for name in ("pg_stat_statements.csv", "pg_stat_statements.json"):
        out, err = run("--format", "json", os.path.join(SAMPLES, name))
        report = json.loads(out)
        check_contract(report)
        assert "pg_stat_statements export" in err, err
        # The rows' calls: 1200 + 310 + 55.
        assert report["statements"] == 1565, report["statements"]
        top = report["shapes"][0]
        assert top["calls"] == 1200 and abs(top["total_ms"] - 5321.2) < 1e-6, top
        assert abs(top["max_ms"] - 91.5) < 1e-6 and top["rows"] == 1200, top
        assert top["tables"] == ["public.annotations"], top

    out, err = run("--format", "json", os.path.join(SAMPLES, "sqlalchemy-echo.log"))
    report = json.loads(out)
    check_contract(report)
    assert "SQLAlchemy engine echo log" in err, err
    # grep -c 'sqlalchemy.engine.Engine \(BEGIN\|SELECT\|UPDATE\|COMMIT\)' gives 9.
    assert report["statements"] == 9, report["statements"]
    assert report["unparsed"] == 0, report["errors"]
    buckets = next(s for s in report["shapes"] if s["tables"] == ["public.buckets"])
    assert buckets["calls"] == 5, buckets
    assert buckets["query"].endswith("WHERE buckets.id = $1"), buckets["query"]
    assert any(e["text"].endswith("WHERE buckets.id = 3") for e in buckets["examples"]), buckets
    # The five look-ups with different ids inside one transaction: the N+1 evidence.
    repetition = buckets["repetition"]
    assert repetition["units"] == 1 and repetition["executions"] == 5, repetition
    pair = repetition["by_parent"][0]
    assert pair["units"] == 1 and pair["median_executions"] == 5 and pair["sessions"] == 1, pair
    run_ = pair["largest"]
    assert run_["in_transaction"] and run_["distinct_parameters"] == 5, run_
    notifications = next(s for s in report["shapes"] if s["query"].startswith("SELECT bucket_"))
    assert pair["parent"] == notifications["fingerprint"], pair
    # every line accounted for
    source = report["sources"][0]
    assert source["skipped_lines"] == 0 and source["lines"] == (
        source["statement_lines"] + sum(source["other_lines"].values()) + source["blank_lines"])

    text, _ = run(os.path.join(SAMPLES, "pg_stat_statements.csv"))
    rows = [line for line in text.splitlines() if not line.startswith("#")]
    assert rows[0].split()[0] == "1" and "annotations" in rows[0], text
    assert "1,565 statements" in text, text
    print("ok")


if __name__ == "__main__":
    main()
