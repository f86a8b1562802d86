"""Emitted migrations when a concurrent build fails, on a throwaway PostgreSQL 15.

1. Two INVALID indexes of proposed names (UNIQUE builds that failed on duplicate keys), one of
   them in a schema and with a name that need double quotes: the up file (psql -v
   ON_ERROR_STOP=1) and `alembic upgrade head` both exit non-zero with one error naming both and
   a HINT with the DROP INDEX CONCURRENTLY of each, and change nothing else (the INVALID indexes
   are the first and third of four in the file's order, so the check must come before any
   build). The HINT's statements, run as they are with psql, drop both; then the up file
   succeeds.
2. A build cancelled by lock_timeout (`--lock-timeout 1s`; another connection holds an
   uncommitted INSERT into the table, which CREATE INDEX CONCURRENTLY waits for): the file fails
   with the lock timeout error and leaves an INVALID index; the rerun fails naming that index
   instead of skipping it (IF NOT EXISTS), and succeeds once the DROP its HINT gives has run.
3. Alembic upgrade -> downgrade -> upgrade (with --include-drops, so both directions build and
   drop): the catalog after the second upgrade equals the first's, the downgrade restores the
   original, and the connection's lock_timeout/statement_timeout are back to the database's
   settings after each run (env.py reads them on Alembic's own connection).
4. The --emit-sql-per-index files as golang-migrate runs them: each file sent as one query string
   (psycopg2, autocommit) on a connection with the timeouts in libpq's `options`. With an INVALID
   index of a proposed name, the first file (the check before any change) fails naming it and
   nothing is built; after its DROP, the files build every index. A build cancelled by the lock
   timeout leaves an INVALID index that a rerun of its file skips (IF NOT EXISTS): the check file
   after it fails naming the index. The down files, in reverse order, restore the original indexes.
5. A partitioned table's recipe that failed half-way (the ON ONLY parent index, INVALID until every
   partition's is attached, and a partition's build that failed): the rerun stops naming both,
   and its HINT drops the parent without CONCURRENTLY (PostgreSQL refuses it for a partitioned
   index) and the partition's with it; run as they are, they let the rerun build everything.

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
CREATE SCHEMA "Audit Log";
CREATE TABLE "Audit Log"."Order Items" (id bigint PRIMARY KEY, post_id bigint REFERENCES public.posts (id));
"""
DATA = """
INSERT INTO public.users SELECT g, 'u' || g FROM generate_series(1, 50) g;
INSERT INTO public.posts SELECT g, 'p' || g FROM generate_series(1, 50) g;
INSERT INTO public.comments SELECT g, 1 + g % 10, 1 + g % 50 FROM generate_series(1, 500) g;
INSERT INTO public.tags SELECT g, 1 + g % 50 FROM generate_series(1, 200) g;
INSERT INTO "Audit Log"."Order Items" SELECT g, 1 + g % 10 FROM generate_series(1, 100) g;
"""
ORDER_ITEMS = '"Audit Log"."ix_order items_post_id"'
PLANNED = [ORDER_ITEMS, "public.ix_comments_author_id", "public.ix_comments_post_id", "public.ix_tags_post_id"]

INDEX_QUERY = """
SELECT format('%I.%I', n.nspname, c.relname) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'pg_toast', 'information_schema') AND t.relname <> 'alembic_version'
ORDER BY 1
"""

PARTITIONED = """
CREATE TABLE public.posts (id bigint PRIMARY KEY);
CREATE TABLE public.payments (id bigint, post_id bigint REFERENCES public.posts (id), paid_on date)
    PARTITION BY RANGE (paid_on);
CREATE TABLE public.payments_2025 PARTITION OF public.payments
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.payments_2026 PARTITION OF public.payments
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO public.posts SELECT g FROM generate_series(1, 10) g;
INSERT INTO public.payments SELECT g, 1 + g % 10, date '2025-01-01' + g FROM generate_series(1, 600) g;
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

        # 1. Two INVALID indexes of proposed names, one needing double quotes in another schema.
        for target in ("ix_comments_post_id ON public.comments", f'{ORDER_ITEMS.split(".")[1]} ON "Audit Log"."Order Items"'):
            failed = pg.psql(["-c", f"CREATE UNIQUE INDEX CONCURRENTLY {target} (post_id)"], "invalid", check=False)
            check(failed.returncode != 0 and "could not create unique index" in failed.stderr,
                  f"a UNIQUE build of {target} on duplicate keys fails")
        before = indexes(pg, "invalid")
        check(f"{ORDER_ITEMS} INVALID" in before and "public.ix_comments_post_id INVALID" in before,
              f"they leave both indexes INVALID: {before}")
        drops = [f"DROP INDEX CONCURRENTLY IF EXISTS {name};" for name in (ORDER_ITEMS, "public.ix_comments_post_id")]
        named = f"INVALID indexes (a failed or cancelled CREATE INDEX CONCURRENTLY left them, and IF NOT EXISTS would skip them): {ORDER_ITEMS}, public.ix_comments_post_id"
        hint = f"HINT:  Run {' '.join(drops)} then run this migration again."
        applied = pg.run_sql_file(up, "invalid", on_error_stop=True)
        check(applied.returncode != 0 and applied.stderr.count("ERROR:") == 1, "the up file exits non-zero at its first error")
        check(named in applied.stderr and hint in applied.stderr,
              f"its one error names both indexes, its HINT the DROP of each ({applied.stderr.strip()[:600]})")
        check(indexes(pg, "invalid") == before, f"nothing else changed: {indexes(pg, 'invalid')}")
        upgraded = alembic("invalid", "upgrade", "head")
        check(upgraded.returncode != 0, "alembic upgrade head exits non-zero")
        check(named in upgraded.stderr and hint in upgraded.stderr,
              f"Alembic's error names both indexes, its HINT the DROP of each ({upgraded.stderr.strip()[-600:]})")
        check(indexes(pg, "invalid") == before, "nothing else changed after the Alembic upgrade")
        version_rows = pg.query("SELECT count(*) FROM alembic_version", "invalid")
        check(version_rows == [("0",)], f"alembic_version records no revision ({version_rows})")
        # The HINT's statements as they are, through psql (which sends them one at a time).
        hint_file = os.path.join(work, "hint.sql")
        with open(hint_file, "w") as f:
            f.write(applied.stderr.split("HINT:  Run ", 1)[1].split(" then run this migration again.", 1)[0] + "\n")
        dropped = pg.run_sql_file(hint_file, "invalid", on_error_stop=True)
        check(dropped.returncode == 0 and not any("INVALID" in i for i in indexes(pg, "invalid")),
              f"the HINT's DROPs, run as they are, remove both ({dropped.stderr.strip()[:300]})")
        applied = pg.run_sql_file(up, "invalid", on_error_stop=True)
        after = indexes(pg, "invalid")
        check(applied.returncode == 0 and all(name in after for name in PLANNED) and not any("INVALID" in i for i in after),
              f"then the up file builds every index, all valid: {after}")

        # 2. A build cancelled by lock_timeout.
        holder = psycopg2.connect(host="127.0.0.1", port=pg.port, user="postgres", dbname="locked")
        try:
            with holder.cursor() as cursor:
                cursor.execute("INSERT INTO public.tags VALUES (100000, 1)")  # open, uncommitted
            cancelled = pg.run_sql_file(short_up, "locked", on_error_stop=True, timeout=120)
            check(cancelled.returncode != 0 and "canceling statement due to lock timeout" in cancelled.stderr,
                  f"the build waiting for the open transaction is cancelled by lock_timeout ({cancelled.stderr.strip()[:300]})")
            state = indexes(pg, "locked")
            check("public.ix_tags_post_id INVALID" in state, f"the cancelled build left ix_tags_post_id INVALID: {state}")
        finally:
            holder.rollback()
            holder.close()
        rerun = pg.run_sql_file(short_up, "locked", on_error_stop=True, timeout=120)
        check(rerun.returncode != 0 and "would skip them): public.ix_tags_post_id\n" in rerun.stderr
              and "HINT:  Run DROP INDEX CONCURRENTLY IF EXISTS public.ix_tags_post_id; then" in rerun.stderr,
              f"the rerun stops naming the INVALID index instead of skipping it ({rerun.stderr.strip()[:300]})")
        check(indexes(pg, "locked") == state, "the rerun changed nothing")
        pg.psql(["-c", "DROP INDEX CONCURRENTLY IF EXISTS public.ix_tags_post_id;"], "locked")
        fixed = pg.run_sql_file(short_up, "locked", on_error_stop=True, timeout=120)
        state = indexes(pg, "locked")
        check(fixed.returncode == 0 and "public.ix_tags_post_id" in state and not any("INVALID" in i for i in state),
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
        check(set(upgraded_state) - set(original) == set(PLANNED) and set(original) - set(upgraded_state) == {"public.users_id_copy"},
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

        # 4. The one-statement files, each sent as one query string as golang-migrate sends it.
        per_index_dir = os.path.join(work, "per_index")
        result = run(common + ["--include-drops", "--emit-sql", per_index_dir, "--emit-sql-per-index"])
        check(result.returncode == 0, f"advise --emit-sql-per-index ({result.stderr.strip()[-300:]})")
        up_files = sorted(n for n in os.listdir(per_index_dir) if n.endswith(".up.sql"))
        down_files = sorted((n for n in os.listdir(per_index_dir) if n.endswith(".down.sql")), reverse=True)
        check(up_files[0] == "0001_check_no_invalid_indexes.up.sql", f"the first file is the check before any change: {up_files[:2]}")

        def send(db, name):
            """The file as one query string on an autocommit connection with the timeouts in libpq's
            options, as the header says; the error, or None."""
            connection = psycopg2.connect(host="127.0.0.1", port=pg.port, user="postgres", dbname=db,
                                          options="-c lock_timeout=1s -c statement_timeout=0")
            connection.autocommit = True
            try:
                with connection.cursor() as cursor, open(os.path.join(per_index_dir, name)) as f:
                    cursor.execute(f.read())
                return None
            except psycopg2.ProgrammingError as error:
                # A file with nothing to undo holds only comments: an empty query, which lib/pq
                # (golang-migrate) and psql run without complaint and psycopg2 refuses.
                return None if "empty query" in str(error) else error
            except psycopg2.Error as error:
                return error
            finally:
                connection.close()

        def send_all(db, names):
            """Sends the files in order up to the first error: (file, error) or (None, None)."""
            for name in names:
                error = send(db, name)
                if error is not None:
                    return name, error
            return None, None

        pg.create_database("perindex")
        for path in (schema_file, data_file):
            check(pg.run_sql_file(path, "perindex", on_error_stop=True).error_count == 0, f"{os.path.basename(path)} loads into perindex")
        original = indexes(pg, "perindex")
        pg.psql(["-c", "CREATE UNIQUE INDEX CONCURRENTLY ix_comments_post_id ON public.comments (post_id)"], "perindex", check=False)
        before = indexes(pg, "perindex")
        failed_file, error = send_all("perindex", up_files)
        check(failed_file == up_files[0] and error.diag.message_primary.endswith("would skip them): public.ix_comments_post_id")
              and error.diag.message_hint == "Run DROP INDEX CONCURRENTLY IF EXISTS public.ix_comments_post_id; then run this migration again.",
              f"with an INVALID index the first file fails naming it and the DROP to run ({failed_file}: {error})")
        check(indexes(pg, "perindex") == before, "nothing was built")
        pg.psql(["-c", "DROP INDEX CONCURRENTLY IF EXISTS public.ix_comments_post_id"], "perindex")
        failed_file, error = send_all("perindex", up_files)
        after = indexes(pg, "perindex")
        check(failed_file is None and set(after) - set(original) == set(PLANNED)
              and set(original) - set(after) == {"public.users_id_copy"} and not any("INVALID" in i for i in after),
              f"after the DROP the files build every index, valid, and drop the copy ({failed_file}: {error}): {after}")
        failed_file, error = send_all("perindex", down_files)
        check(failed_file is None and indexes(pg, "perindex") == original,
              f"the down files in reverse order restore the original indexes ({failed_file}: {error}): {indexes(pg, 'perindex')}")
        holder = psycopg2.connect(host="127.0.0.1", port=pg.port, user="postgres", dbname="perindex")
        try:
            with holder.cursor() as cursor:
                cursor.execute("INSERT INTO public.tags VALUES (100000, 1)")  # open, uncommitted
            failed_file, error = send_all("perindex", up_files)
            check(failed_file is not None and failed_file.endswith("_create_ix_tags_post_id.up.sql")
                  and "lock timeout" in str(error), f"the tags build is cancelled by the lock timeout ({failed_file}: {error})")
        finally:
            holder.rollback()
            holder.close()
        check("public.ix_tags_post_id INVALID" in indexes(pg, "perindex"), "it leaves ix_tags_post_id INVALID")
        rest = up_files[up_files.index(failed_file):]
        check(send("perindex", rest[0]) is None, "rerunning the create file succeeds: IF NOT EXISTS skips the INVALID index")
        error = send("perindex", rest[1])
        check(rest[1].endswith("_check_ix_tags_post_id.up.sql") and error is not None
              and error.diag.message_primary == "index public.ix_tags_post_id is missing or INVALID after its build",
              f"the check file after it fails naming the index ({rest[1]}: {error})")
        pg.psql(["-c", "DROP INDEX CONCURRENTLY IF EXISTS public.ix_tags_post_id"], "perindex")
        failed_file, error = send_all("perindex", rest)
        state = indexes(pg, "perindex")
        check(failed_file is None and "public.ix_tags_post_id" in state and not any("INVALID" in i for i in state),
              f"after the DROP the rest of the files run, every index valid ({failed_file}: {error}): {state}")

        # 5. A partitioned table's recipe that failed half-way.
        partitioned_file = os.path.join(work, "partitioned.sql")
        with open(partitioned_file, "w") as f:
            f.write(PARTITIONED)
        partitioned_dir = os.path.join(work, "partitioned")
        result = run([advisor, "advise", "--schema", partitioned_file, "--emit-sql", partitioned_dir])
        check(result.returncode == 0, f"advise --emit-sql on the partitioned schema ({result.stderr.strip()[-300:]})")
        partitioned_up = os.path.join(partitioned_dir, [n for n in os.listdir(partitioned_dir) if n.endswith(".up.sql")][0])
        pg.create_database("partitioned")
        check(pg.run_sql_file(partitioned_file, "partitioned", on_error_stop=True).error_count == 0, "the partitioned schema loads")
        pg.execute("CREATE INDEX ix_payments_post_id ON ONLY public.payments (post_id)", "partitioned")
        pg.psql(["-c", "CREATE UNIQUE INDEX CONCURRENTLY ix_payments_2025_post_id ON public.payments_2025 (post_id)"],
                "partitioned", check=False)
        state = indexes(pg, "partitioned")
        check("public.ix_payments_post_id INVALID" in state and "public.ix_payments_2025_post_id INVALID" in state,
              f"the parent and a partition's index are INVALID: {state}")
        rerun = pg.run_sql_file(partitioned_up, "partitioned", on_error_stop=True)
        check(rerun.returncode != 0 and "would skip them): public.ix_payments_2025_post_id, public.ix_payments_post_id\n" in rerun.stderr
              and "HINT:  Run DROP INDEX CONCURRENTLY IF EXISTS public.ix_payments_2025_post_id; "
                  "DROP INDEX IF EXISTS public.ix_payments_post_id; then run this migration again." in rerun.stderr,
              f"the rerun names both, the parent's DROP without CONCURRENTLY ({rerun.stderr.strip()[:500]})")
        check(indexes(pg, "partitioned") == state, "the rerun changed nothing")
        with open(hint_file, "w") as f:
            f.write(rerun.stderr.split("HINT:  Run ", 1)[1].split(" then run this migration again.", 1)[0] + "\n")
        dropped = pg.run_sql_file(hint_file, "partitioned", on_error_stop=True)
        check(dropped.returncode == 0, f"the HINT's DROPs run as they are ({dropped.stderr.strip()[:300]})")
        applied = pg.run_sql_file(partitioned_up, "partitioned", on_error_stop=True)
        state = indexes(pg, "partitioned")
        check(applied.returncode == 0 and "public.ix_payments_post_id" in state and not any("INVALID" in i for i in state),
              f"then the rerun builds the recipe, every index valid ({applied.stderr.strip()[:300]}): {state}")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("INVALID indexes stop every runner by name, a lock timeout cannot be skipped over, and "
      "upgrade/downgrade/upgrade round-trips with the session settings reset")
