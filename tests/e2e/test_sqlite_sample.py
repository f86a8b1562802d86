"""The sqlite-notes sample end to end: schema + SQLAlchemy echo log, `advise --verify`.

1. The committed log is what samples/tools/make_sqlite_notes_log.py writes.
2. app.db is built from schema.sql with the sqlite3 CLI (never committed). `advise --log` finds
   what the README's "Expected findings (with the log)" block lists and none of its negatives.
3. `advise --verify`: every index proposal kept is verified, and its plans say so as SQLite itself
   does: a plan before the index with `SCAN <table>`, and with it `SEARCH <table> USING [COVERING]
   INDEX <index> (...)`. The plans are checked again, independently, with Python's sqlite3 module
   running EXPLAIN QUERY PLAN on a copy of app.db. The proposal the planner ignores (LIKE on
   users.display_name) is dropped with a note on stderr, and kept, marked unverified, with
   --keep-unverified.
4. The SQLite syntax libpg_query rejects (INSERT OR REPLACE) is reported with file and line.
5. --verify on a PostgreSQL schema without --dsn is a usage error (exit 2) that says why; --dsn
   on a SQLite schema too.

Usage (CTest): test_sqlite_sample.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

advisor, source_dir, shared_dir = sys.argv[1:4]
sample = os.path.join(source_dir, "samples", "sqlite-notes")
log = os.path.join(sample, "sqlalchemy.log")
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(args):
    result = subprocess.run([advisor] + args, capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout, result.stderr


def readme_block(heading):
    """The lines of the first code block after a README heading, notes (# ...) cut off."""
    with open(os.path.join(sample, "README.md")) as f:
        readme = f.read()
    block = re.search(re.escape(heading) + r"\n.*?```\n(.*?)```", readme, re.S).group(1)
    return {line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()}


def label(finding):
    return f"{finding['rule']} {finding['table']} ({', '.join(finding['columns'])})"


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


SEARCH = re.compile(r"^SEARCH (\S+) USING (?:COVERING )?INDEX (\S+) \(")

work = tempfile.mkdtemp(prefix="schema-advisor-sqlite-sample-")
try:
    # 1. The log is the generator's output.
    generated = subprocess.run([sys.executable, os.path.join(source_dir, "samples", "tools",
                                                             "make_sqlite_notes_log.py"), "--check"],
                               capture_output=True, text=True, timeout=120)
    check(generated.returncode == 0, f"sqlalchemy.log is up to date ({generated.stderr.strip()})")

    # 2. Findings with the log.
    db = os.path.join(work, "app.db")
    with open(os.path.join(sample, "schema.sql"), "rb") as f:
        # sqlite3 refuses the dump's `CREATE TABLE sqlite_sequence` (SQLite's own table) and goes on.
        subprocess.run(["sqlite3", db], stdin=f, capture_output=True, timeout=60)
    db_hash = sha256(db)
    expected = readme_block("## Expected findings (with the log)")
    negatives = readme_block("## Negatives (with the log)")
    code, out, err = run(["advise", "--schema", db, "--log", log, "--format", "json"])
    check(code == 0, f"advise --log exits 0 ({err.strip()[-300:]})")
    found = {label(f) for f in json.loads(out)["findings"]} if code == 0 else set()
    check(found == expected, f"findings with the log: missing {sorted(expected - found)}, "
                             f"unexpected {sorted(found - expected)}")
    check(not (found & negatives), f"no negative is reported ({sorted(found & negatives)})")
    check(not any("verification" in f["evidence"] for f in json.loads(out)["findings"]) if code == 0 else False,
          "without --verify no finding carries a verification")

    # 3. --verify.
    code, out, err = run(["advise", "--schema", db, "--log", log, "--format", "json", "--verify"])
    check(code == 0, f"advise --verify exits 0 ({err.strip()[-300:]})")
    verified_findings = json.loads(out)["findings"] if code == 0 else []
    ignored = "missing-index main.users (display_name)"
    check(ignored in expected, f"the README expects the proposal the planner ignores: {ignored}")
    kept = {label(f) for f in verified_findings}
    check(kept == expected - {ignored},
          f"--verify keeps every expected finding but {ignored}: {sorted(kept ^ (expected - {ignored}))}")
    dropped_note = [line for line in err.splitlines()
                    if f"--verify: dropped {ignored}: SQLite's planner does not use ix_users_display_name" in line]
    check(len(dropped_note) == 1, f"stderr says why {ignored} is dropped ({dropped_note or err.strip()[-400:]})")

    reference = os.path.join(work, "reference.db")
    shutil.copy(db, reference)
    con = sqlite3.connect(reference, isolation_level=None)

    def eqp(sql):
        placeholders = sql.count("?")  # only the foreign key check has them; values are literal
        return [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql, (None,) * placeholders)]

    checked = 0
    for finding in verified_findings:
        if not finding["fix"].get("index"):
            check("verification" not in finding["evidence"], f"{label(finding)}: no index, no verification")
            continue
        verification = finding["evidence"].get("verification")
        name = finding["fix"]["index"]["name"]
        table = finding["table"].split(".", 1)[1]
        check(verification is not None and verification["verified"] and verification["index"] == name
              and verification["engine"].startswith("SQLite 3."),
              f"{label(finding)}: verified with {name}")
        if not verification:
            continue
        used = [p for p in verification["plans"] if p["uses_index"]]
        check(len(used) >= 1, f"{label(finding)}: the planner uses {name} for {len(used)} queries")
        for plan in used:
            checked += 1
            # SQLite names a table by its alias when the query gives one (note_tags AS note_tags_1).
            names = (table,) + tuple(re.findall(r"\b" + table + r" AS (\w+)", plan["query"]))
            check(any(line.split(" ")[:2] in (["SCAN", n] for n in names) for line in plan["before"]),
                  f"{label(finding)} [{plan['source']}]: before, {plan['before']}")
            searches = [SEARCH.match(line) for line in plan["after"]]
            check(any(m and m.group(1) in names and m.group(2) == name for m in searches),
                  f"{label(finding)} [{plan['source']}]: after, {plan['after']}")
            # SQLite itself, asked without the tool: the same plans before and with the index.
            check(eqp(plan["query"]) == plan["before"], f"{label(finding)}: sqlite3 agrees on the plan before")
            con.execute("BEGIN")
            con.execute(finding["fix"]["sql"]["up"])
            check(eqp(plan["query"]) == plan["after"], f"{label(finding)}: sqlite3 agrees on the plan after")
            con.execute("ROLLBACK")
        fk = [p for p in verification["plans"] if p["source"] == "foreign_key_check"]
        if finding["rule"] == "unindexed-foreign-key":
            check(len(fk) == 1 and fk[0]["uses_index"], f"{label(finding)}: the foreign key check uses {name}")
    con.close()
    check(checked >= 4, f"{checked} plans checked against sqlite3")

    code, out, err = run(["advise", "--schema", db, "--log", log, "--format", "json", "--verify",
                          "--keep-unverified"])
    check(code == 0, "advise --verify --keep-unverified exits 0")
    everything = json.loads(out)["findings"] if code == 0 else []
    check({label(f) for f in everything} == expected, "--keep-unverified keeps every expected finding")
    unverified = [f for f in everything if label(f) == ignored]
    if unverified:
        verification = unverified[0]["evidence"]["verification"]
        check(not verification["verified"] and all(not p["uses_index"] for p in verification["plans"]),
              f"{ignored} is marked unverified")
        # With the index SQLite would read all of it instead of the table: no SEARCH.
        check(all(p["before"] == ["SCAN users"] and
                  p["after"] == ["SCAN users USING COVERING INDEX ix_users_display_name"]
                  for p in verification["plans"]),
              f"{ignored}: a full scan before and after ({verification['plans']})")
        check(any(d.startswith("not verified: ") for d in unverified[0]["evidence"].get("details", [])),
              f"{ignored} says it is not verified")
    check("--verify: kept unverified (--keep-unverified) " + ignored in err, "stderr notes the kept proposal")

    # Text and Markdown show the plans too.
    code, out, err = run(["advise", "--schema", db, "--log", log, "--verify"])
    check(code == 0 and "verified: SQLite 3." in out and "before: SCAN tags" in out,
          "the text report shows the plans")
    code, out, err = run(["advise", "--schema", db, "--log", log, "--verify", "--format", "markdown"])
    check(code == 0 and "**Verified** by SQLite 3." in out and "| plan before |" in out,
          "the Markdown report shows the plans")
    check(sha256(db) == db_hash, "app.db is unchanged by every run")

    # --exclude with a bare table name means main.<table> on SQLite (public.<table> on PostgreSQL).
    code, out, err = run(["advise", "--schema", db, "--log", log, "--format", "json", "--exclude", "tags"])
    left = {label(f) for f in json.loads(out)["findings"]} if code == 0 else set()
    check(code == 0 and left == {e for e in expected if " main.tags " not in e},
          f"--exclude tags leaves out exactly the main.tags findings ({sorted(expected - left)})")

    # 4. INSERT OR REPLACE: reported with file and line.
    with open(log) as f:
        upsert_lines = [n for n, line in enumerate(f, 1) if "INSERT OR REPLACE INTO note_stats" in line]
    code, out, err = run(["workload", log, "--format", "json"])
    errors = json.loads(out)["errors"] if code == 0 else []
    named = [e for e in errors if e["message"].startswith(
        "SQLite syntax the PostgreSQL parser does not accept: INSERT OR REPLACE (libpg_query: ")]
    check(len(named) == 1 and named[0]["line"] == upsert_lines[0] and named[0]["file"] == log,
          f"INSERT OR REPLACE reported once at {log}:{upsert_lines[0]} ({named})")
    check(json.loads(out)["unparsed"] == len(upsert_lines) if code == 0 else False,
          f"the {len(upsert_lines)} upserts are counted as unparsed")
    check(f"{log}:{upsert_lines[0]}: warning: SQLite syntax the PostgreSQL parser does not accept: "
          "INSERT OR REPLACE" in err, "the warning is on stderr with file and line")

    # 5. --verify on PostgreSQL needs a live database (docs/verify.md); --dsn is PostgreSQL's.
    pg_schema = os.path.join(work, "pg.sql")
    with open(pg_schema, "w") as f:
        f.write("CREATE TABLE public.t (id bigint PRIMARY KEY, a int);\n")
    code, out, err = run(["advise", "--schema", pg_schema, "--verify"])
    check(code == 2 and "--verify on a PostgreSQL schema asks PostgreSQL's planner" in err
          and "--dsn URL" in err,
          f"--verify on PostgreSQL without --dsn: exit 2 with a reason ({code}: {err.strip()})")
    code, out, err = run(["advise", "--schema", db, "--verify", "--dsn", "postgresql://127.0.0.1:1/x",
                          "--verify-timeout", "1"])
    check(code == 2 and "--dsn" in err and "SQLite" in err,
          f"--dsn on a SQLite schema: exit 2 with a reason ({code}: {err.strip()})")
    code, out, err = run(["advise", "--schema", db, "--keep-unverified"])
    check(code == 2 and "--verify" in err, f"--keep-unverified without --verify is a usage error ({code})")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"\n{len(failures)} failures:\n" + "\n".join(failures))
    sys.exit(1)
print("the sqlite-notes sample: expected findings, each verified by SQLite's planner")
