"""Emitted migrations when a concurrent build fails, on a throwaway PostgreSQL 15.

1. An INVALID index of a proposed name (a UNIQUE build that failed on duplicate keys): the up
   file (psql -v ON_ERROR_STOP=1) and `alembic upgrade head` both exit non-zero, name the index
   and the DROP INDEX CONCURRENTLY to run, and change nothing else (the INVALID index is the
   second of three in the file's order, so the check must come before any build). After running
   that DROP, the up file succeeds.
2. A build cancelled by lock_timeout (`--lock-timeout 1s`; another connection holds an
   uncommitted INSERT into the table, which CREATE INDEX CONCURRENTLY waits for): the file fails
   with the lock timeout error and leaves an INVALID index; the rerun fails naming that index
   instead of skipping it (IF NOT EXISTS), and succeeds once the DROP its HINT gives has run.
3. Alembic upgrade -> downgrade -> upgrade (with --include-drops, so both directions build and
   drop): the catalog after the second upgrade equals the first's, the downgrade restores the
   original, and the connection's lock_timeout/statement_timeout are back to the database's
   settings after each run (env.py reads them on Alembic's own connection).

Usage (CTest): test_migrations_failures.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgcluster import PgCluster  # noqa: E402

advisor, source_dir, shared_dir = sys.argv[1:4]

SCHEMA = """
CREATE TABLE public.users (id bigint PRIMARY KEY, email text);
CREATE TABLE public.posts (id bigint PRIMARY KEY, title text);
CREATE TABLE public.comments (
    id bigint PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES public.posts (id),
    author_id bigint REFERENCES public.users (id)
);
CREATE TABLE public.tags (id bigint PRIMARY KEY, post_id bigint REFERENCES public.posts (id));
CREATE INDEX users_id_copy ON public.users (id);
"""
DATA = """
INSERT INTO public.users SELECT g, 'u' || g FROM generate_series(1, 50) g;
INSERT INTO public.posts SELECT g, 'p' || g FROM generate_series(1, 50) g;
INSERT INTO public.comments SELECT g, 1 + g % 10, 1 + g % 50 FROM generate_series(1, 500) g;
INSERT INTO public.tags SELECT g, 1 + g % 50 FROM generate_series(1, 200) g;
"""
PLANNED = ["ix_comments_author_id", "ix_comments_post_id", "ix_tags_post_id"]

INDEX_QUERY = """
SELECT c.relname || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND t.relname <> 'alembic_version' ORDER BY 1
"""

ENV_PY = """import json, os
from alembic import context
from sqlalchemy import engine_from_config, pool, text
config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.',
                            poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
    settings = {name: connection.execute(text("SHOW " + name)).scalar()
                for name in ("lock_timeout", "statement_timeout")}
    with open(os.environ["SETTINGS_FILE"], "w") as f:
        json.dump(settings, f)
"""

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def indexes(pg, db):
    return [row[0] for row in pg.query(INDEX_QUERY, db)]


work = tempfile.mkdtemp(prefix="schema-advisor-migration-failures-")
try:
    os.chmod(work, 0o755)
    schema_file = os.path.join(work, "schema.sql")
    with open(schema_file, "w") as f:
        f.write(SCHEMA)
    data_file = os.path.join(work, "data.sql")
    with open(data_file, "w") as f:
        f.write(DATA)
    sql_dir, short_dir, versions = (os.path.join(work, d) for d in ("sql", "short", "versions"))
    common = [advisor, "advise", "--schema", schema_file, "--date", "2026-11-02 09:15:01"]
    result = run(common + ["--emit-sql", sql_dir, "--emit-alembic", versions])
    check(result.returncode == 0, f"advise --emit-sql --emit-alembic ({result.stderr.strip()[-300:]})")
    result = run(common + ["--emit-sql", short_dir, "--lock-timeout", "1s"])
    check(result.returncode == 0, "advise --lock-timeout 1s --emit-sql")
    bad = run(common + ["--emit-sql", short_dir, "--lock-timeout", "1 second"])
    check(bad.returncode == 2 and "--lock-timeout" in bad.stderr, f"a bad --lock-timeout is a usage error ({bad.stderr.strip()})")
    up = os.path.join(sql_dir, [n for n in os.listdir(sql_dir) if n.endswith(".up.sql")][0])
    short_up = os.path.join(short_dir, [n for n in os.listdir(short_dir) if n.endswith(".up.sql")][0])
    check("SET lock_timeout = '1s';" in open(short_up).read(), "--lock-timeout 1s sets lock_timeout = '1s'")

    alembic_dir = os.path.join(work, "alembic")
    os.makedirs(alembic_dir)
    with open(os.path.join(alembic_dir, "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(alembic_dir, "script.py.mako"), "w") as f:
        f.write("")

    with PgCluster() as pg:
        def alembic(db, *command, versions_dir=versions):
            ini = os.path.join(work, f"{db}.ini")
            with open(ini, "w") as f:
                f.write(f"[alembic]\nscript_location = {alembic_dir}\nversion_locations = {versions_dir}\n"
                        f"sqlalchemy.url = postgresql+psycopg2://postgres@127.0.0.1:{pg.port}/{db}\n")
            env = dict(os.environ, SETTINGS_FILE=os.path.join(work, f"{db}.settings.json"))
            return run(["/usr/bin/python3", "-m", "alembic", "-c", ini] + list(command), cwd=work, env=env)

        def settings(db):
            with open(os.path.join(work, f"{db}.settings.json")) as f:
                return json.load(f)

        for db in ("invalid", "locked", "roundtrip"):
            pg.create_database(db)
            for path in (schema_file, data_file):
                loaded = pg.run_sql_file(path, db, on_error_stop=True)
                check(loaded.error_count == 0, f"{os.path.basename(path)} loads into {db}")

        # 1. An INVALID index of a proposed name.
        failed = pg.psql(["-c", "CREATE UNIQUE INDEX CONCURRENTLY ix_comments_post_id ON public.comments (post_id)"],
                         "invalid", check=False)
        check(failed.returncode != 0 and "could not create unique index" in failed.stderr,
              "a UNIQUE build on duplicate keys fails")
        before = indexes(pg, "invalid")
        check("ix_comments_post_id INVALID" in before, f"it leaves ix_comments_post_id INVALID: {before}")
        applied = pg.run_sql_file(up, "invalid", on_error_stop=True)
        hint = "DROP INDEX CONCURRENTLY IF EXISTS public.ix_comments_post_id;"
        check(applied.returncode != 0, "the up file exits non-zero")
        check("index public.ix_comments_post_id exists but is INVALID" in applied.stderr and hint in applied.stderr,
              f"its error names the index and the DROP to run ({applied.stderr.strip()[:400]})")
        check(indexes(pg, "invalid") == before, f"nothing else changed: {indexes(pg, 'invalid')}")
        upgraded = alembic("invalid", "upgrade", "head")
        check(upgraded.returncode != 0, "alembic upgrade head exits non-zero")
        check("index public.ix_comments_post_id exists but is INVALID" in upgraded.stderr and hint in upgraded.stderr,
              f"Alembic's error names the index and the DROP to run ({upgraded.stderr.strip()[-400:]})")
        check(indexes(pg, "invalid") == before, "nothing else changed after the Alembic upgrade")
        version_rows = pg.query("SELECT count(*) FROM alembic_version", "invalid")
        check(version_rows == [("0",)], f"alembic_version records no revision ({version_rows})")
        pg.psql(["-c", hint], "invalid")
        applied = pg.run_sql_file(up, "invalid", on_error_stop=True)
        after = indexes(pg, "invalid")
        check(applied.returncode == 0 and all(name in after for name in PLANNED) and not any("INVALID" in i for i in after),
              f"after the DROP the up file builds every index, all valid: {after}")

        # 2. A build cancelled by lock_timeout.
        holder = psycopg2.connect(host="127.0.0.1", port=pg.port, user="postgres", dbname="locked")
        try:
            with holder.cursor() as cursor:
                cursor.execute("INSERT INTO public.tags VALUES (100000, 1)")  # open, uncommitted
            cancelled = pg.run_sql_file(short_up, "locked", on_error_stop=True, timeout=120)
            check(cancelled.returncode != 0 and "canceling statement due to lock timeout" in cancelled.stderr,
                  f"the build waiting for the open transaction is cancelled by lock_timeout ({cancelled.stderr.strip()[:300]})")
            state = indexes(pg, "locked")
            check("ix_tags_post_id INVALID" in state, f"the cancelled build left ix_tags_post_id INVALID: {state}")
        finally:
            holder.rollback()
            holder.close()
        rerun = pg.run_sql_file(short_up, "locked", on_error_stop=True, timeout=120)
        check(rerun.returncode != 0 and "index public.ix_tags_post_id exists but is INVALID" in rerun.stderr,
              f"the rerun stops naming the INVALID index instead of skipping it ({rerun.stderr.strip()[:300]})")
        check(indexes(pg, "locked") == state, "the rerun changed nothing")
        pg.psql(["-c", "DROP INDEX CONCURRENTLY IF EXISTS public.ix_tags_post_id;"], "locked")
        fixed = pg.run_sql_file(short_up, "locked", on_error_stop=True, timeout=120)
        state = indexes(pg, "locked")
        check(fixed.returncode == 0 and "ix_tags_post_id" in state and not any("INVALID" in i for i in state),
              f"after the DROP the rerun builds it, valid: {state}")

        # 3. upgrade -> downgrade -> upgrade, with drops, and the session settings reset.
        pg.execute("ALTER DATABASE roundtrip SET statement_timeout = '30s'", "postgres")
        database_settings = {"lock_timeout": "0", "statement_timeout": "30s"}
        rt_versions = os.path.join(work, "rt_versions")
        result = run(common + ["--include-drops", "--emit-alembic", rt_versions])
        check(result.returncode == 0, "advise --include-drops --emit-alembic")
        original = indexes(pg, "roundtrip")
        first = alembic("roundtrip", "upgrade", "head", versions_dir=rt_versions)
        check(first.returncode == 0, f"alembic upgrade head ({first.stderr.strip()[-300:]})")
        upgraded_state = indexes(pg, "roundtrip")
        check(set(upgraded_state) - set(original) == set(PLANNED) and set(original) - set(upgraded_state) == {"users_id_copy"},
              f"the upgrade builds the planned indexes and drops the copy: {upgraded_state}")
        check(settings("roundtrip") == database_settings, f"settings reset after the upgrade: {settings('roundtrip')}")
        down = alembic("roundtrip", "downgrade", "-1", versions_dir=rt_versions)
        check(down.returncode == 0, f"alembic downgrade -1 ({down.stderr.strip()[-300:]})")
        check(indexes(pg, "roundtrip") == original, f"the downgrade restores the original indexes: {indexes(pg, 'roundtrip')}")
        check(settings("roundtrip") == database_settings, f"settings reset after the downgrade: {settings('roundtrip')}")
        again = alembic("roundtrip", "upgrade", "head", versions_dir=rt_versions)
        check(again.returncode == 0 and indexes(pg, "roundtrip") == upgraded_state,
              "the second upgrade leaves the catalog as the first did")
        check(settings("roundtrip") == database_settings, "settings reset after the second upgrade")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("INVALID indexes stop both runners by name, a lock timeout cannot be skipped over, and "
      "upgrade/downgrade/upgrade round-trips with the session settings reset")
