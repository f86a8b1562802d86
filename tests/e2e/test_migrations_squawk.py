"""Every emitted migration passes Squawk (npm squawk-cli, its default rules, no exclusions).

For each PostgreSQL sample (and a schema with a partitioned table, whose recipe has the only
statements that cannot be concurrent), `advise --include-drops` writes:
1. the SQL pair (--emit-sql), 2. the one-statement-per-file pairs (--emit-sql-per-index), and
3. an Alembic revision (--emit-alembic), rendered offline by Debian's Alembic: `alembic upgrade
   head --sql` and `alembic downgrade REV:base --sql`, the SQL a DBA reviews.
Squawk runs on every file with its JSON reporter and must report nothing. The offline SQL also
holds each validity check (`DO $check$` block) of the SQL pair verbatim, in the same order: the
revision runs the same checks as the files. The one thing removed
before it reads the offline SQL is Alembic's own table DDL: `CREATE TABLE alembic_version` (its
VARCHAR(32) column is Squawk's prefer-text-field) and, downgrading to base, `DROP TABLE
alembic_version` (ban-drop-table), which no revision of ours emits.

Squawk is found as $SQUAWK or `squawk` on PATH (scripts/deps.sh installs the pinned squawk-cli).
Usage (CTest): test_migrations_squawk.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

advisor, source_dir, shared_dir = sys.argv[1:4]
samples = ["workshops", "collaborative-buckets", "projects", "multitenant-users", "collections"]
squawk = os.environ.get("SQUAWK") or shutil.which("squawk")
failures = []

PARTITIONED = """
CREATE TABLE public.posts (id bigint PRIMARY KEY, title text);
CREATE TABLE public.payments (id bigint, post_id bigint REFERENCES public.posts (id), paid_on date)
    PARTITION BY RANGE (paid_on);
CREATE TABLE public.payments_2025 PARTITION OF public.payments
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.payments_2026 PARTITION OF public.payments
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE public.events (id bigint, post_id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE public.events_2026 PARTITION OF public.events
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX events_post ON public.events (post_id);
CREATE INDEX events_post_copy ON public.events (post_id);
"""

ENV_PY = """from alembic import context
config = context.config
context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
with context.begin_transaction():
    context.run_migrations()
"""


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def lint(path, cwd):
    """Squawk's findings for one file (its JSON reporter), or a failure when it cannot run."""
    result = run([squawk, "--reporter", "json", path], cwd=cwd)
    try:
        findings = json.loads(result.stdout or "[]")
    except json.JSONDecodeError:
        return [{"rule_name": "squawk-output", "message": result.stdout[:300] + result.stderr[:300]}]
    if result.returncode not in (0, 1) or (result.returncode == 1 and not findings):
        return [{"rule_name": "squawk-exit", "message": f"exit {result.returncode}: {result.stderr[:300]}"}]
    return findings


def check_blocks(sql):
    """The validity-check DO blocks of an SQL text, in order."""
    blocks, at = [], sql.find("DO $check$")
    while at != -1:
        end = sql.index("$check$;", at + len("DO $check$")) + len("$check$;")
        blocks.append(sql[at:end])
        at = sql.find("DO $check$", end)
    return blocks


def without_alembic_version_ddl(sql, statement):
    """Alembic's offline SQL without its own CREATE/DROP TABLE alembic_version statement."""
    chunks = sql.split("\n\n")
    kept = [c for c in chunks if not c.lstrip().startswith(statement + " alembic_version")]
    check(len(kept) == len(chunks) - 1, f"the offline SQL holds one {statement} alembic_version")
    return "\n\n".join(kept)


check(squawk is not None, "squawk is installed (scripts/deps.sh)")
if squawk is None:
    sys.exit(1)
version = run([squawk, "--version"]).stdout.strip()
print(f"using {version}")

work = tempfile.mkdtemp(prefix="schema-advisor-squawk-")
try:
    with open(os.path.join(work, "partitioned.sql"), "w") as f:
        f.write(PARTITIONED)
    cases = [(s, os.path.join(source_dir, "samples", s, "schema.sql"),
              os.path.join(source_dir, "samples", s, "postgresql.log")) for s in samples]
    cases.append(("partitioned", os.path.join(work, "partitioned.sql"), None))
    alembic_dir = os.path.join(work, "alembic")
    os.makedirs(alembic_dir)
    with open(os.path.join(alembic_dir, "env.py"), "w") as f:
        f.write(ENV_PY)
    with open(os.path.join(alembic_dir, "script.py.mako"), "w") as f:
        f.write("")
    lint_dir = os.path.join(work, "lint")  # no .squawk.toml anywhere above it: default rules
    os.makedirs(lint_dir)
    for name, schema, log in cases:
        out = os.path.join(work, name)
        sql_dir, per_index_dir, versions = (os.path.join(out, d) for d in ("sql", "per_index", "versions"))
        args = [advisor, "advise", "--schema", schema, "--include-drops", "--date", "2026-11-23 10:00"]
        if log:
            args += ["--log", log]
        result = run(args + ["--emit-sql", sql_dir, "--emit-alembic", versions])
        check(result.returncode == 0, f"{name}: advise --emit-sql --emit-alembic exits 0 ({result.stderr.strip()[-300:]})")
        result = run(args + ["--emit-sql", per_index_dir, "--emit-sql-per-index"])
        check(result.returncode == 0, f"{name}: advise --emit-sql-per-index exits 0 ({result.stderr.strip()[-300:]})")
        files = sorted(os.path.join(d, n) for d in (sql_dir, per_index_dir) for n in os.listdir(d))
        check(len(files) >= 4, f"{name}: {len(files)} SQL files written")
        for path in files:
            findings = lint(path, lint_dir)
            check(not findings, f"{name}: Squawk finds nothing in {os.path.relpath(path, out)}"
                  + "".join(f"\n     {f.get('line')}: {f['rule_name']}: {f['message']}" for f in findings))

        ini = os.path.join(out, "alembic.ini")
        with open(ini, "w") as f:
            f.write(f"[alembic]\nscript_location = {alembic_dir}\nversion_locations = {versions}\n"
                    "sqlalchemy.url = postgresql+psycopg2://postgres@127.0.0.1/offline\n")
        revision = [n for n in os.listdir(versions) if n.endswith(".py")][0].split("_")[0]
        alembic = ["/usr/bin/python3", "-m", "alembic", "-c", ini]
        for direction, command in (("upgrade", ["upgrade", "head", "--sql"]),
                                   ("downgrade", ["downgrade", f"{revision}:base", "--sql"])):
            offline = run(alembic + command, cwd=out)
            check(offline.returncode == 0, f"{name}: alembic {' '.join(command)} ({offline.stderr.strip()[-300:]})")
            sql = without_alembic_version_ddl(
                offline.stdout, "DROP TABLE" if direction == "downgrade" else "CREATE TABLE")
            check("CONCURRENTLY" in sql and "RESET lock_timeout" in sql,
                  f"{name}: the offline {direction} builds concurrently and resets the settings")
            suffix = ".up.sql" if direction == "upgrade" else ".down.sql"
            sql_file = [n for n in os.listdir(sql_dir) if n.endswith(suffix)]
            expected = check_blocks(open(os.path.join(sql_dir, sql_file[0])).read())
            check(expected and check_blocks(sql) == expected,
                  f"{name}: the offline {direction} runs the {len(expected)} checks of {sql_file[0]}, verbatim")
            path = os.path.join(out, f"alembic_{direction}.sql")
            with open(path, "w") as f:
                f.write(sql)
            findings = lint(path, lint_dir)
            check(not findings, f"{name}: Squawk finds nothing in alembic {direction} --sql"
                  + "".join(f"\n     {f.get('line')}: {f['rule_name']}: {f['message']}" for f in findings))
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print(f"every emitted SQL file and offline Alembic revision passes {version} with no warning")
