"""One Alembic revision, written for a PostgreSQL schema, runs on the application's SQLite backend.

An application that runs PostgreSQL in production and SQLite in its tests applies the same
revisions to both. The revision for a PostgreSQL schema (tables in the default schema, with
--include-drops) must not name `schema='public'` (SQLite would read `public` as an unknown
attached database) and must keep SET, CONCURRENTLY and the pg_index checks to PostgreSQL: on a
SQLite file with the same tables, `alembic upgrade head` (Debian's Alembic) creates exactly the
planned indexes and drops the redundant one, and `alembic downgrade -1` restores the original.

Usage (CTest): test_migrations_portable.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

advisor, source_dir, shared_dir = sys.argv[1:4]

TABLES = """
CREATE TABLE {s}users (id bigint PRIMARY KEY, email text);
CREATE TABLE {s}posts (id bigint PRIMARY KEY, title text);
CREATE TABLE {s}comments (id bigint PRIMARY KEY, post_id bigint NOT NULL REFERENCES {s}posts (id),
                          author_id bigint REFERENCES {s}users (id));
CREATE INDEX users_id_copy ON {s}users (id);
"""
ENV_PY = """from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.',
                            poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def indexes(db):
    con = sqlite3.connect(db)
    try:
        return sorted(r[0] for r in con.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL"))
    finally:
        con.close()


work = tempfile.mkdtemp(prefix="schema-advisor-portable-")
try:
    schema = os.path.join(work, "schema.sql")
    with open(schema, "w") as f:
        f.write(TABLES.format(s="public."))
    versions = os.path.join(work, "versions")
    result = run([advisor, "advise", "--schema", schema, "--include-drops", "--emit-alembic", versions,
                  "--date", "2026-11-02 09:15:01"])
    check(result.returncode == 0, f"advise --emit-alembic on the PostgreSQL schema ({result.stderr.strip()[-300:]})")
    revision = open(os.path.join(versions, os.listdir(versions)[0])).read()
    check("schema='public'" not in revision, "the revision does not name schema='public'")
    db = os.path.join(work, "app.db")
    con = sqlite3.connect(db)
    con.executescript(TABLES.format(s=""))
    con.close()
    original = indexes(db)
    alembic_dir = os.path.join(work, "alembic")
    os.makedirs(alembic_dir)
    with open(os.path.join(alembic_dir, "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(alembic_dir, "script.py.mako"), "w") as f:
        f.write("")
    ini = os.path.join(work, "alembic.ini")
    with open(ini, "w") as f:
        f.write(f"[alembic]\nscript_location = {alembic_dir}\nversion_locations = {versions}\nsqlalchemy.url = sqlite:///{db}\n")
    alembic = ["/usr/bin/python3", "-m", "alembic", "-c", ini]
    up = run(alembic + ["upgrade", "head"], cwd=work)
    check(up.returncode == 0, f"alembic upgrade head on SQLite ({up.stderr.strip()[-400:]})")
    after = indexes(db)
    check(sorted(set(after) - set(original)) == ["ix_comments_author_id", "ix_comments_post_id"] and
          set(original) - set(after) == {"users_id_copy"},
          f"it creates the planned indexes and drops the copy: {after}")
    down = run(alembic + ["downgrade", "-1"], cwd=work)
    check(down.returncode == 0 and indexes(db) == original,
          f"alembic downgrade -1 restores the original indexes ({down.stderr.strip()[-300:]}) {indexes(db)}")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("the PostgreSQL revision upgrades and downgrades a SQLite database too")
