"""SQLite schemas: the corpus and the sqlite-notes sample load with what SQLite itself reports.

For every schema under SHARED_DIR/corpus/sqlite/ (SQLite DDL scripts, database files), SQLite is
asked independently (the sqlite3 CLI builds a database from each script; Python's sqlite3 module
counts) for the tables, views, virtual tables, indexes (every row of PRAGMA index_list, automatic
ones included), foreign keys and columns, and `schema --format json` must report the same. Then
the sqlite-notes sample: its .db is built from schema.sql at test time (never committed), both load
to the same catalog, `advise` reports the unindexed foreign keys its README expects, and the fix
SQL applies with the sqlite3 CLI and clears the findings.

Usage (CTest): test_sqlite_corpus.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
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
corpus = os.path.join(shared_dir, "corpus", "sqlite")
sample = os.path.join(source_dir, "samples", "sqlite-notes")
failures = []


def fail(message):
    print("FAIL " + message)
    failures.append(message)


def run(args):
    result = subprocess.run([advisor] + args, capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def build_db(script, target):
    """The sqlite3 CLI runs the script (going on after errors, as it does by default)."""
    with open(script, "rb") as f:
        subprocess.run(["sqlite3", target], stdin=f, capture_output=True, timeout=120)


def sqlite_counts(db_path):
    """What SQLite reports about a database, asked through Python's sqlite3 module."""
    uri = "file:" + db_path + "?immutable=1"
    con = sqlite3.connect(uri, uri=True)
    try:
        listed = con.execute("SELECT name, type FROM pragma_table_list WHERE schema = 'main' "
                             "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchall()
        kinds = {}
        for name, kind in listed:
            kinds[name] = {"table": "table", "shadow": "table", "view": "view",
                           "virtual": "foreign_table"}[kind]
        indexes, foreign_keys, columns = set(), 0, {}
        for name, kind in kinds.items():
            if kind == "table":
                for row in con.execute("SELECT name FROM pragma_index_list(?)", (name,)):
                    indexes.add(("main." + name, row[0]))
                foreign_keys += con.execute(
                    "SELECT count(DISTINCT id) FROM pragma_foreign_key_list(?)", (name,)).fetchone()[0]
            if kind != "view":  # views calling application functions cannot be described here
                columns["main." + name] = con.execute(
                    "SELECT count(*) FROM pragma_table_xinfo(?) WHERE hidden != 1", (name,)).fetchone()[0]
        return {"kinds": {"main." + n: k for n, k in kinds.items()}, "indexes": indexes,
                "foreign_keys": foreign_keys, "columns": columns}
    finally:
        con.close()


def tool_counts(report):
    return {"kinds": {t["name"]: t["kind"] for t in report["tables"]},
            "indexes": {(i["table"], i["name"]) for i in report["indexes"]},
            "foreign_keys": sum(len(t["foreign_keys"]) for t in report["tables"]),
            "columns": {t["name"]: len(t["columns"]) for t in report["tables"] if t["kind"] != "view"}}


def compare(label, expected, got):
    ok = True
    for key in ("kinds", "indexes", "foreign_keys", "columns"):
        if expected[key] != got[key]:
            ok = False
            if isinstance(expected[key], (set, dict)):
                e, g = set(expected[key].items() if isinstance(expected[key], dict) else expected[key]), \
                    set(got[key].items() if isinstance(got[key], dict) else got[key])
                fail(f"{label}: {key} differ: only SQLite {sorted(e - g)[:5]}, only the tool {sorted(g - e)[:5]}")
            else:
                fail(f"{label}: {key}: SQLite {expected[key]}, the tool {got[key]}")
    kinds = list(expected["kinds"].values())
    summary = (f"{kinds.count('table')} tables, {kinds.count('view')} views, "
               f"{kinds.count('foreign_table')} virtual, {len(expected['indexes'])} indexes, "
               f"{expected['foreign_keys']} foreign keys")
    print(("ok   " if ok else "FAIL ") + f"{label}: {summary}")
    return summary


def schema_json(path, extra=()):
    code, out, err = run(["schema", "--format", "json", *extra, path])
    if code != 0:
        fail(f"schema {path}: exit {code}: {err.strip()[:300]}")
        return None
    return json.loads(out)


work = tempfile.mkdtemp(prefix="schema-advisor-sqlite-")
try:
    # 1. The corpus.
    reports = {}
    for name in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, name)
        before = sha256(path)
        listing = sorted(os.listdir(corpus))
        report = schema_json(path)
        if sha256(path) != before or sorted(os.listdir(corpus)) != listing:
            fail(f"{name}: the input or its directory changed")
        if report is None:
            continue
        reports[name] = report
        if name.endswith(".sql"):
            reference = os.path.join(work, name + ".db")
            build_db(path, reference)
        else:
            reference = path
        compare(name, sqlite_counts(reference), tool_counts(report))

    # The derived .db was built from the Synapse script: both read to the same catalog.
    a, b = reports.get("synapse-main-72.full.sqlite.sql"), reports.get("synapse-main-72.schema-only.db")
    if a is not None and b is not None and a != b:
        fail("synapse: the .sql script and the .db built from it give different catalogs")
    elif a is not None:
        print("ok   synapse: the script and the database give the same catalog")

    # --dialect sqlite reads the same; --dialect postgresql hands the script to the PostgreSQL
    # reader (which the calibre script defeats: its hex literal).
    forced = schema_json(os.path.join(corpus, "synapse-main-72.full.sqlite.sql"), ["--dialect", "sqlite"])
    if forced is not None and forced != a:
        fail("synapse: --dialect sqlite differs from auto-detection")
    code, out, err = run(["schema", "--dialect", "postgresql", os.path.join(corpus, "Chinook_Sqlite.sqlite")])
    if code != 2 or "is a SQLite database file" not in err:
        fail(f"--dialect postgresql on a .sqlite file: expected exit 2 from the DDL reader, got {code}: {err!r}")

    # 2. The sqlite-notes sample: the .db is built from schema.sql now.
    script = os.path.join(sample, "schema.sql")
    db = os.path.join(work, "notes.db")
    # sqlite3 itself refuses the dump's `CREATE TABLE sqlite_sequence` line (SQLite creates that
    # table) and goes on, so its exit status is 1; the counts below check the result.
    build_db(script, db)
    from_script, from_db = schema_json(script), schema_json(db)
    if from_script is not None and from_db is not None:
        if from_script != from_db:
            fail("sqlite-notes: schema.sql and the .db built from it give different catalogs")
        compare("sqlite-notes", sqlite_counts(db), tool_counts(from_db))
        json_columns = sorted(f"{t['name']}.{c['name']}" for t in from_db["tables"]
                              for c in t["columns"] if c["json"])
        if json_columns != ["main.attachments.meta", "main.notes.metadata", "main.users.settings"]:
            fail(f"sqlite-notes: JSON columns {json_columns}")

    with open(os.path.join(sample, "README.md")) as f:
        readme = f.read()

    def block_after(heading):
        """The lines of the first code block after a README heading, notes (# ...) cut off."""
        block = re.search(re.escape(heading) + r"\n.*?```\n(.*?)```", readme, re.S).group(1)
        return {line.split("#")[0].strip() for line in block.splitlines() if line.strip()}

    expected, negatives = block_after("## Expected findings"), block_after("## Negatives")

    def findings_of(schema_path):
        code, out, err = run(["advise", "--schema", schema_path, "--format", "json"])
        if code != 0:
            fail(f"advise {schema_path}: exit {code}: {err.strip()[:300]}")
            return []
        return json.loads(out)["findings"]

    for schema_path in (script, db):
        findings = findings_of(schema_path)
        got = {f"{f['rule']} {f['table']} ({', '.join(f['columns'])})" for f in findings
               if f["rule"] == "unindexed-foreign-key"}
        label = os.path.basename(schema_path)
        if got != expected:
            fail(f"advise {label}: expected {sorted(expected)}, got {sorted(got)}")
        if got & negatives:
            fail(f"advise {label}: reported negatives {sorted(got & negatives)}")
        for finding in findings:
            up, down = finding["fix"]["sql"]["up"], finding["fix"]["sql"]["down"]
            if "CONCURRENTLY" in up or "CONCURRENTLY" in down or "main." in up:
                fail(f"advise {label}: PostgreSQL-only SQL in a SQLite fix: {up} / {down}")
        print(("ok   " if got == expected else "FAIL ") + f"advise {label}: {sorted(got)}")

    # The fix SQL applies with the sqlite3 CLI, after which nothing is left to report; the down
    # SQL applies too and brings the findings back.
    findings = findings_of(db)
    patched = os.path.join(work, "patched.db")
    shutil.copy(db, patched)
    up_sql = "\n".join(f["fix"]["sql"]["up"] for f in findings if f["rule"] == "unindexed-foreign-key")
    down_sql = "\n".join(f["fix"]["sql"]["down"] for f in findings if f["rule"] == "unindexed-foreign-key")
    applied = subprocess.run(["sqlite3", "-bail", patched, up_sql], capture_output=True, text=True, timeout=60)
    if applied.returncode != 0:
        fail(f"the fix SQL does not apply with sqlite3: {applied.stderr.strip()}")
    left = [f for f in findings_of(patched) if f["rule"] == "unindexed-foreign-key"]
    if left:
        fail(f"after the fix SQL, still reported: {[(f['table'], f['columns']) for f in left]}")
    reverted = subprocess.run(["sqlite3", "-bail", patched, down_sql], capture_output=True, text=True, timeout=60)
    back = [f for f in findings_of(patched) if f["rule"] == "unindexed-foreign-key"]
    if reverted.returncode != 0 or len(back) != len(findings):
        fail(f"the down SQL: exit {reverted.returncode} {reverted.stderr.strip()}, {len(back)} findings back")
    else:
        print(f"ok   fix SQL applies with sqlite3 and clears {len(findings)} findings; down SQL restores them")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"\n{len(failures)} failures:\n" + "\n".join(failures))
    sys.exit(1)
print("the SQLite corpus and sample load as SQLite reports them")
