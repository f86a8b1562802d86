"""Emitted migrations applied to a real PostgreSQL 15, with psql and with Alembic.

1. `advise --emit-sql`: the up file applies with psql -v ON_ERROR_STOP=1 (outside a transaction),
   the catalog then holds exactly the new indexes (and not the dropped one), a second run is
   harmless, and the down file restores the original indexes.
2. `advise --emit-alembic`: the revision, chained after an existing revision in a test versions
   directory, runs `alembic upgrade head` and `alembic downgrade -1` against the same server,
   with the same catalog checks (Debian's python3-alembic and python3-psycopg2).
3. Reruns give byte-identical files; an existing file is not overwritten without --force.

Usage (CTest): test_migrations_postgres.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgcluster import PgCluster  # noqa: E402

advisor, source_dir, shared_dir = sys.argv[1:4]

SCHEMA = """
CREATE TABLE public.posts (id bigint PRIMARY KEY, title text);
CREATE TABLE public.comments (
    id bigint PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES public.posts (id),
    "AuthorId" bigint,
    body text
);
CREATE INDEX comments_id_dup ON public.comments (id);
CREATE TABLE public.payments (id bigint, post_id bigint REFERENCES public.posts (id), paid_on date)
    PARTITION BY RANGE (paid_on);
CREATE TABLE public.payments_2025 PARTITION OF public.payments
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.payments_2026 PARTITION OF public.payments
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE public.tags (id bigint PRIMARY KEY, post_id bigint REFERENCES public.posts (id));
CREATE INDEX tags_post ON public.tags (post_id);
"""

INDEX_QUERY = """
SELECT c.relname || ' ON ' || t.relname || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND t.relname <> 'alembic_version' ORDER BY 1
"""

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def indexes(pg, db):
    return {row[0] for row in pg.query(INDEX_QUERY, db)}


work = tempfile.mkdtemp(prefix="schema-advisor-migrations-")
try:
    os.chmod(work, 0o755)
    schema_file = os.path.join(work, "schema.sql")
    with open(schema_file, "w") as f:
        f.write(SCHEMA)
    sql_dir = os.path.join(work, "sql")
    versions = os.path.join(work, "versions")
    os.makedirs(sql_dir)
    os.makedirs(versions)
    # An earlier migration already in the directory: the new one must be numbered after it.
    with open(os.path.join(sql_dir, "0007_earlier.up.sql"), "w") as f:
        f.write("SELECT 1;\n")
    # An existing Alembic history whose head the new revision must chain after.
    with open(os.path.join(versions, "aaaa00000001_base.py"), "w") as f:
        f.write('"""base\n\nRevision ID: aaaa00000001\nRevises:\n"""\n'
                "revision = 'aaaa00000001'\ndown_revision = None\nbranch_labels = None\n"
                "depends_on = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")

    common = ["advise", "--schema", schema_file, "--include-drops", "--date", "2026-11-02 09:15:01"]
    result = run([advisor] + common + ["--emit-sql", sql_dir, "--emit-alembic", versions])
    check(result.returncode == 0, f"advise --emit-sql/--emit-alembic exits 0 ({result.stderr.strip()[:300]})")
    up = [n for n in os.listdir(sql_dir) if n.endswith(".up.sql") and n.startswith("0008_")]
    down = [n for n in os.listdir(sql_dir) if n.endswith(".down.sql") and n.startswith("0008_")]
    check(len(up) == 1 and len(down) == 1, f"0008_*.up.sql and .down.sql written: {sorted(os.listdir(sql_dir))}")
    revisions = [n for n in os.listdir(versions) if n != "aaaa00000001_base.py" and n.endswith(".py")]
    check(len(revisions) == 1, f"one Alembic revision written: {revisions}")
    if failures:
        raise SystemExit(1)
    up_path, down_path = os.path.join(sql_dir, up[0]), os.path.join(sql_dir, down[0])
    revision_path = os.path.join(versions, revisions[0])
    with open(revision_path) as f:
        revision_text = f.read()
    check("down_revision: Union[str, None] = 'aaaa00000001'" in revision_text,
          "the revision chains after the existing head aaaa00000001")

    # Determinism and no-overwrite.
    snapshot = {p: open(p, "rb").read() for p in (up_path, down_path, revision_path)}
    rerun = run([advisor] + common + ["--emit-sql", sql_dir])
    check(rerun.returncode == 0 and len([n for n in os.listdir(sql_dir) if n.startswith("0009_")]) == 2,
          "a rerun writes the next number (0009) and leaves 0008 alone")
    check(open(os.path.join(sql_dir, up[0].replace("0008_", "0009_")), "rb").read() == snapshot[up_path],
          "the rerun's SQL is byte-identical to the first run's")
    shutil.copytree(versions, versions + "_check")
    os.remove(os.path.join(versions + "_check", revisions[0]))
    again = run([advisor] + common + ["--emit-alembic", versions + "_check"])
    check(open(os.path.join(versions + "_check", revisions[0]), "rb").read() == snapshot[revision_path],
          "the Alembic revision is byte-identical on a rerun against the same history")
    blocked = run([advisor] + common + ["--output", up_path])
    check(blocked.returncode == 2 and "exists already" in blocked.stderr and
          open(up_path, "rb").read() == snapshot[up_path],
          "an existing file is left untouched without --force")

    with PgCluster() as pg:
        for db in ("psql_db", "alembic_db"):
            pg.create_database(db)
            loaded = pg.run_sql_file(schema_file, db, on_error_stop=True)
            check(loaded.error_count == 0, f"schema loads into {db}")
        before = indexes(pg, "psql_db")
        expected_new = {"ix_comments_post_id ON comments", "ix_payments_post_id ON payments",
                        "ix_payments_2025_post_id ON payments_2025",
                        "ix_payments_2026_post_id ON payments_2026"}

        # 1. psql
        applied = pg.run_sql_file(up_path, "psql_db", on_error_stop=True)
        check(applied.error_count == 0, f"the up file applies with ON_ERROR_STOP ({applied.errors[:1]})")
        after = indexes(pg, "psql_db")
        check(after - before == expected_new, f"exactly the new indexes exist, all valid: {sorted(after - before)}")
        check(before - after == {"comments_id_dup ON comments"}, f"only the redundant index is dropped: {sorted(before - after)}")
        again = pg.run_sql_file(up_path, "psql_db", on_error_stop=True)
        check(again.error_count == 0 and indexes(pg, "psql_db") == after, "applying the up file twice is harmless")
        reverted = pg.run_sql_file(down_path, "psql_db", on_error_stop=True)
        check(reverted.error_count == 0 and indexes(pg, "psql_db") == before,
              f"the down file restores the original indexes ({sorted(indexes(pg, 'psql_db') ^ before)})")

        # 2. Alembic, with its own alembic.ini and env.py.
        alembic_dir = os.path.join(work, "alembic")
        os.makedirs(alembic_dir)
        with open(os.path.join(work, "alembic.ini"), "w") as f:
            f.write("[alembic]\nscript_location = %s\nsqlalchemy.url = postgresql+psycopg2://postgres@127.0.0.1:%d/alembic_db\n"
                    "version_locations = %s\n" % (alembic_dir, pg.port, versions))
        with open(os.path.join(alembic_dir, "env.py"), "w") as f:
            f.write("from alembic import context\nfrom sqlalchemy import engine_from_config, pool\n"
                    "config = context.config\n"
                    "engine = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.', poolclass=pool.NullPool)\n"
                    "with engine.connect() as connection:\n"
                    "    context.configure(connection=connection, target_metadata=None)\n"
                    "    with context.begin_transaction():\n"
                    "        context.run_migrations()\n")
        with open(os.path.join(alembic_dir, "script.py.mako"), "w") as f:
            f.write("")
        alembic = ["/usr/bin/python3", "-m", "alembic", "-c", os.path.join(work, "alembic.ini")]
        upgraded = run(alembic + ["upgrade", "head"], cwd=work)
        check(upgraded.returncode == 0, f"alembic upgrade head ({upgraded.stderr.strip()[-500:]})")
        after_alembic = indexes(pg, "alembic_db")
        check(after_alembic - before == expected_new, f"alembic created exactly the new indexes: {sorted(after_alembic - before)}")
        check(before - after_alembic == {"comments_id_dup ON comments"}, "alembic dropped only the redundant index")
        downgraded = run(alembic + ["downgrade", "-1"], cwd=work)
        check(downgraded.returncode == 0, f"alembic downgrade -1 ({downgraded.stderr.strip()[-500:]})")
        check(indexes(pg, "alembic_db") == before, "after the downgrade the original indexes are back")
        head = pg.scalar("SELECT version_num FROM alembic_version", "alembic_db")
        check(head == "aaaa00000001", f"alembic_version is back at the base revision ({head})")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("migrations apply, reapply and revert on PostgreSQL 15, with psql and with Alembic")
