"""missing-index proven by PostgreSQL's planner.

A schema is loaded into a throwaway PostgreSQL 15 and filled with generated rows (tens of
thousands per table, generate_series), then ANALYZEd. `advise` reads the schema and a log of the
workload; for every proposed index, EXPLAIN of each shape the finding names must use that index
once it exists, at an estimated cost at least 2x lower. Shapes an existing index already serves
(a range on an indexed column, a primary-key look-up) must get no proposal.

Usage (CTest): test_missing_index_planner.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgcluster import PgCluster  # noqa: E402

advisor = sys.argv[1]

SCHEMA = """
CREATE TABLE public.blogs (id bigint PRIMARY KEY, name text NOT NULL, owner_id bigint);
CREATE TABLE public.posts (
    id bigint PRIMARY KEY,
    blog_id bigint NOT NULL REFERENCES public.blogs (id),
    author_id bigint,
    status text NOT NULL,
    published_at timestamptz,
    body text,
    data jsonb
);
CREATE TABLE public.comments (
    id bigint PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES public.posts (id),
    author_email text,
    created_at timestamptz NOT NULL
);
CREATE INDEX comments_created_at ON public.comments (created_at);
"""

DATA = """
INSERT INTO blogs SELECT g, 'blog ' || g, g % 100 FROM generate_series(1, 2000) g;
INSERT INTO posts SELECT g, 1 + g % 2000, g % 5000, (ARRAY['draft', 'published', 'archived'])[1 + g % 3],
       timestamptz '2026-01-01' - g * interval '1 minute', repeat('x', 40),
       jsonb_build_object('tag', 't' || (g % 500), 'n', g)
  FROM generate_series(1, 60000) g;
INSERT INTO comments SELECT g, 1 + g % 60000, 'user' || (g % 7000) || '@example.org',
       timestamptz '2026-01-01' - g * interval '1 second'
  FROM generate_series(1, 80000) g;
-- A statistics target of 1000 samples 300,000 rows: more than any table holds, so ANALYZE reads
-- every row and the estimates (hence this test) do not depend on a random sample.
SET default_statistics_target = 1000;
ANALYZE;
"""

# The workload, as a plain .sql log (one call per statement); heavier shapes repeat.
NEEDS_INDEX = [
    "SELECT * FROM posts WHERE blog_id = 17 AND status = 'published' ORDER BY published_at DESC LIMIT 20;",
    "SELECT * FROM comments WHERE post_id = 4242;",
    "SELECT id FROM posts WHERE data @> '{\"tag\": \"t42\"}';",
    "SELECT * FROM comments WHERE lower(author_email) = 'user42@example.org';",
    "SELECT * FROM posts WHERE author_id = 77;",
]
ALREADY_SERVED = [
    "SELECT * FROM comments WHERE created_at > '2025-12-31 23:00' ORDER BY created_at LIMIT 10;",
    "SELECT * FROM blogs WHERE id = 5;",
]

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def plan(pg, sql):
    rows = pg.query("EXPLAIN (FORMAT JSON) " + sql.rstrip(";"), "blog")
    document = json.loads("".join(r[0] for r in rows))
    top = document[0]["Plan"]
    return top["Total Cost"], json.dumps(document)


work = tempfile.mkdtemp(prefix="schema-advisor-planner-")
try:
    os.chmod(work, 0o755)
    schema_file = os.path.join(work, "schema.sql")
    log_file = os.path.join(work, "workload.sql")
    with open(schema_file, "w") as f:
        f.write(SCHEMA)
    with open(log_file, "w") as f:
        for i, sql in enumerate(NEEDS_INDEX):
            f.write((sql + "\n") * (10 - i))
        for sql in ALREADY_SERVED:
            f.write((sql + "\n") * 5)
    result = subprocess.run([advisor, "advise", "--schema", schema_file, "--log", log_file,
                             "--log-format", "sql", "--format", "json"],
                            capture_output=True, text=True, timeout=120)
    check(result.returncode == 0, f"advise exits 0 ({result.stderr.strip()[:300]})")
    report = json.loads(result.stdout)
    proposals = [f for f in report["findings"] if f["rule"] == "missing-index"]
    check(len(proposals) >= 4, f"missing-index proposes indexes for the unserved shapes: "
                               f"{[(p['table'], p['columns']) for p in proposals]}")
    proposed_examples = {q["example"].strip().rstrip(";") for p in proposals for q in p["evidence"]["queries"]}
    for sql in ALREADY_SERVED:
        check(sql.rstrip(";") not in proposed_examples, f"no proposal for an already served shape: {sql}")
    for sql in NEEDS_INDEX:
        check(sql.rstrip(";") in proposed_examples, f"a proposal serves: {sql}")

    with PgCluster() as pg:
        pg.create_database("blog")
        check(pg.run_sql_file(schema_file, "blog", on_error_stop=True).error_count == 0, "schema loads")
        pg.psql(["-v", "ON_ERROR_STOP=1", "-c", DATA], "blog")
        before = {}
        for proposal in proposals:
            for query in proposal["evidence"]["queries"]:
                before[query["example"]] = plan(pg, query["example"])[0]
        for proposal in proposals:
            for statement in proposal["fix"]["sql"]["up"].split(";\n"):
                if statement.strip():
                    pg.psql(["-v", "ON_ERROR_STOP=1", "-c", statement.strip().rstrip(";")], "blog")
        pg.psql(["-c", "SET default_statistics_target = 1000; ANALYZE"], "blog")
        for proposal in proposals:
            name = proposal["fix"]["index"]["name"]
            for query in proposal["evidence"]["queries"]:
                cost, text = plan(pg, query["example"])
                check(name in text, f"{name}: EXPLAIN uses it for {query['example'][:70]}")
                check(cost * 2 <= before[query["example"]],
                      f"{name}: estimated cost {before[query['example']]:.0f} -> {cost:.0f} (at least 2x lower)")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("every proposed index is used by PostgreSQL's planner and at least halves the estimated cost")
