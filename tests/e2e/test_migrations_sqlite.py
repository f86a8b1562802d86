"""Emitted migrations for a SQLite schema, run by the sqlite3 CLI and by Alembic on a SQLite file.

1. `advise --emit-sql --emit-alembic` on the sqlite-notes sample (app.db built from schema.sql at
   test time, with the sample's SQLAlchemy log) plus a duplicate partial index, with
   --include-drops: the SQL has no CONCURRENTLY and no schema prefix; the Alembic revision has no
   autocommit block, no postgresql_* arguments, and recreates the dropped partial index with
   sqlite_where.
2. The up SQL applies with `sqlite3 -bail`, twice; the down SQL restores the original indexes.
3. Alembic (Debian's python3-alembic, /usr/bin/python3), with a minimal alembic.ini + env.py and
   `sqlalchemy.url = sqlite:///app.db`: `upgrade head` creates exactly the new indexes and drops the
   duplicate; `downgrade -1` restores the original index list, the partial index with its WHERE
   (PRAGMA index_list's `partial` column), and alembic_version goes back to the base revision.

Usage (CTest): test_migrations_sqlite.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

advisor, source_dir, shared_dir = sys.argv[1:4]
sample = os.path.join(source_dir, "samples", "sqlite-notes")
failures = []

# A copy of an existing partial index: redundant-index proposes dropping it (--include-drops),
# and the downgrade must recreate it with its WHERE.
DUPLICATE = ("CREATE INDEX ix_notes_pinned_copy ON notes (user_id) "
             "WHERE is_pinned = 1 AND is_archived = 0;\n")


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def indexes(db):
    """name -> (table, partial) for every index SQLite lists, automatic ones included."""
    con = sqlite3.connect("file:" + db + "?mode=ro", uri=True)
    try:
        found = {}
        tables = [row[0] for row in con.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name <> 'alembic_version'")]
        for table in tables:
            for row in con.execute(f"PRAGMA index_list(\"{table}\")"):
                found[row[1]] = (table, row[4])
        return found
    finally:
        con.close()


work = tempfile.mkdtemp(prefix="schema-advisor-sqlite-migrations-")
try:
    db = os.path.join(work, "app.db")
    with open(os.path.join(sample, "schema.sql")) as f:
        script = f.read() + DUPLICATE
    # sqlite3 refuses the dump's `CREATE TABLE sqlite_sequence` (SQLite's own table) and goes on.
    run(["sqlite3", db], input=script)
    original = indexes(db)
    check("ix_notes_pinned_copy" in original and original["ix_notes_pinned_copy"][1] == 1,
          "app.db has the duplicate partial index")

    sql_dir = os.path.join(work, "sql")
    versions = os.path.join(work, "versions")
    os.makedirs(sql_dir)
    os.makedirs(versions)
    with open(os.path.join(versions, "aaaa00000001_base.py"), "w") as f:
        f.write('"""base\n\nRevision ID: aaaa00000001\nRevises:\n"""\n'
                "revision = 'aaaa00000001'\ndown_revision = None\nbranch_labels = None\n"
                "depends_on = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")
    result = run([advisor, "advise", "--schema", db, "--log", os.path.join(sample, "sqlalchemy.log"),
                  "--include-drops", "--date", "2026-03-02 10:00:00",
                  "--emit-sql", sql_dir, "--emit-alembic", versions])
    check(result.returncode == 0, f"advise --emit-sql --emit-alembic exits 0 ({result.stderr.strip()[-300:]})")
    ups = sorted(n for n in os.listdir(sql_dir) if n.endswith(".up.sql"))
    downs = sorted(n for n in os.listdir(sql_dir) if n.endswith(".down.sql"))
    revisions = [n for n in os.listdir(versions) if n.endswith(".py") and n != "aaaa00000001_base.py"]
    check(len(ups) == 1 and len(downs) == 1 and len(revisions) == 1,
          f"one SQL migration pair and one revision written ({ups}, {downs}, {revisions})")
    if failures:
        raise SystemExit(1)
    up, down = (open(os.path.join(sql_dir, n)).read() for n in (ups[0], downs[0]))
    with open(os.path.join(versions, revisions[0])) as f:
        revision = f.read()

    expected_new = {"ix_tags_user_id", "ix_note_tags_tag_id", "ix_notes_updated_at",
                    "ix_users_display_name"}
    check(all(f"CREATE INDEX IF NOT EXISTS {name} ON " in up for name in expected_new),
          f"the up SQL creates {sorted(expected_new)}")
    statements = [line for line in (up + down).splitlines() if line.startswith(("CREATE", "DROP"))]
    check(statements and not any("CONCURRENTLY" in s or "main." in s or "text_pattern_ops" in s
                                 for s in statements),
          f"no CONCURRENTLY, schema prefix or operator class in the SQLite SQL ({statements})")
    check("DROP INDEX IF EXISTS ix_notes_pinned_copy;" in up, "the up SQL drops the duplicate")
    check("autocommit_block" not in revision and "postgresql_" not in revision and "schema=" not in revision,
          "the Alembic revision has no autocommit block and no PostgreSQL arguments")
    check("sqlite_where=sa.text('is_pinned = 1 AND is_archived = 0')" in revision,
          "the downgrade recreates the partial index with sqlite_where")
    check("down_revision: Union[str, None] = 'aaaa00000001'" in revision, "chained after the base revision")

    # 2. The SQL, with the sqlite3 CLI.
    sql_db = os.path.join(work, "sql.db")
    shutil.copy(db, sql_db)
    applied = run(["sqlite3", "-bail", sql_db], input=up)
    after = indexes(sql_db)
    check(applied.returncode == 0, f"the up SQL applies with sqlite3 -bail ({applied.stderr.strip()})")
    check(set(after) - set(original) == expected_new, f"it creates exactly {sorted(set(after) - set(original))}")
    check(set(original) - set(after) == {"ix_notes_pinned_copy"}, "it drops only the duplicate")
    again = run(["sqlite3", "-bail", sql_db], input=up)
    check(again.returncode == 0 and indexes(sql_db) == after, "applying it twice is harmless")
    reverted = run(["sqlite3", "-bail", sql_db], input=down)
    check(reverted.returncode == 0 and indexes(sql_db) == original,
          f"the down SQL restores the original indexes ({reverted.stderr.strip()})")

    # 3. Alembic against a SQLite file.
    alembic_db = os.path.join(work, "alembic.db")
    shutil.copy(db, alembic_db)
    script_dir = os.path.join(work, "alembic")
    os.makedirs(script_dir)
    ini = os.path.join(work, "alembic.ini")
    with open(ini, "w") as f:
        f.write(f"[alembic]\nscript_location = {script_dir}\nsqlalchemy.url = sqlite:///{alembic_db}\n"
                f"version_locations = {versions}\n")
    with open(os.path.join(script_dir, "env.py"), "w") as f:
        f.write("from alembic import context\nfrom sqlalchemy import engine_from_config, pool\n"
                "config = context.config\n"
                "engine = engine_from_config(config.get_section(config.config_ini_section), "
                "prefix='sqlalchemy.', poolclass=pool.NullPool)\n"
                "with engine.connect() as connection:\n"
                "    context.configure(connection=connection, target_metadata=None)\n"
                "    with context.begin_transaction():\n"
                "        context.run_migrations()\n")
    with open(os.path.join(script_dir, "script.py.mako"), "w") as f:
        f.write("")
    alembic = ["/usr/bin/python3", "-m", "alembic", "-c", ini]
    upgraded = run(alembic + ["upgrade", "head"], cwd=work)
    check(upgraded.returncode == 0, f"alembic upgrade head ({upgraded.stderr.strip()[-500:]})")
    after_alembic = indexes(alembic_db)
    check(set(after_alembic) - set(original) == expected_new,
          f"alembic created exactly the new indexes ({sorted(set(after_alembic) - set(original))})")
    check(set(original) - set(after_alembic) == {"ix_notes_pinned_copy"}, "alembic dropped only the duplicate")
    check(after_alembic["ix_tags_user_id"][0] == "tags", "ix_tags_user_id is on tags")
    downgraded = run(alembic + ["downgrade", "-1"], cwd=work)
    check(downgraded.returncode == 0, f"alembic downgrade -1 ({downgraded.stderr.strip()[-500:]})")
    check(indexes(alembic_db) == original,
          f"after the downgrade the original indexes are back, the partial one partial "
          f"({sorted(set(indexes(alembic_db)) ^ set(original))})")
    con = sqlite3.connect(alembic_db)
    head = con.execute("SELECT version_num FROM alembic_version").fetchall()
    where = con.execute("SELECT sql FROM sqlite_schema WHERE name = 'ix_notes_pinned_copy'").fetchone()
    con.close()
    check(head == [("aaaa00000001",)], f"alembic_version is back at the base revision ({head})")
    check(where is not None and "WHERE is_pinned = 1 AND is_archived = 0" in where[0],
          f"the recreated index keeps its WHERE ({where})")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("SQLite migrations apply and revert with the sqlite3 CLI and with Alembic on a SQLite file")
