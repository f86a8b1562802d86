"""Live inputs from a throwaway PostgreSQL 15: --schema-from-dsn, --log-from-pgss,
--index-usage-from-dsn.

1. `schema --dsn URL` (the catalog from the server's catalogs) gives the same `schema --format
   json` and text as our DDL reader on `pg_dump -s` of the same database, for a schema with what
   a catalog holds: schemas, quoted names, json columns and a json domain, an enum, identity and
   serial columns, primary keys, unique and exclusion constraints, foreign keys (multi-column,
   NOT VALID, on a partitioned table), indexes with expressions, predicates, INCLUDE, DESC NULLS
   LAST, GIN operator classes, partitions with attached indexes, inheritance, views, a
   materialized view with an index, an unlogged table, a foreign table; extension objects and an
   invalid index are left out by both.
2. `workload --dsn URL --log-from-pgss` gives the shapes and calls of the server's
   pg_stat_statements (enabled with shared_preload_libraries), the same as the export of the same
   rows read with `--log`; a role without pg_read_all_stats is told how many rows it cannot see;
   `advise --schema-from-dsn --log-from-pgss --verify` verifies through generic plans.
3. `advise --index-usage-from-dsn`: the index the server never scanned is reported with the age
   of its statistics, the one queries used is not.

Usage (CTest): test_pg_live_inputs.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgcluster import PgCluster  # noqa: E402

advisor = sys.argv[1]
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(args, timeout=300):
    result = subprocess.run([advisor] + args, capture_output=True, text=True, timeout=timeout)
    return result.returncode, result.stdout, result.stderr


CATALOG_SCHEMA = r"""
CREATE EXTENSION hypopg;
CREATE EXTENSION pg_stat_statements;
CREATE SCHEMA billing;
CREATE SCHEMA "Sales Data";
CREATE DOMAIN public.payload AS jsonb;
CREATE DOMAIN public.strict_payload AS public.payload;
CREATE TYPE public.mood AS ENUM ('ok', 'bad');
CREATE TABLE public.tenants (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE, settings json, region text, code int, UNIQUE (region, code));
CREATE TABLE public.users (id bigserial PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES public.tenants(id),
    email varchar(255) NOT NULL, mood public.mood, extra public.strict_payload,
    created_at timestamptz NOT NULL DEFAULT now(), region text, code int,
    FOREIGN KEY (region, code) REFERENCES public.tenants (region, code));
CREATE UNIQUE INDEX users_lower_email ON public.users (lower(email::text)) WHERE tenant_id > 0;
CREATE INDEX users_created ON public.users (created_at DESC NULLS LAST) INCLUDE (email);
CREATE INDEX users_extra ON public.users USING gin ((extra::jsonb) jsonb_path_ops);
ALTER TABLE public.users ADD CONSTRAINT users_tenant_checked FOREIGN KEY (tenant_id)
    REFERENCES public.tenants(id) NOT VALID;
CREATE TABLE "Sales Data"."Orders" ("Id" bigint PRIMARY KEY, "Customer Email" text, total numeric(10,2));
CREATE INDEX "Orders by email" ON "Sales Data"."Orders" ("Customer Email");
CREATE TABLE billing.invoices (id bigint NOT NULL, user_id bigint NOT NULL, issued_on date NOT NULL,
    amount numeric(12,2), PRIMARY KEY (id, issued_on)) PARTITION BY RANGE (issued_on);
CREATE TABLE billing.invoices_2025 PARTITION OF billing.invoices FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE billing.invoices_2026 PARTITION OF billing.invoices FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
ALTER TABLE billing.invoices ADD CONSTRAINT invoices_user_fk FOREIGN KEY (user_id) REFERENCES public.users(id);
CREATE INDEX invoices_user ON billing.invoices (user_id);
CREATE TABLE public.events (id bigint, kind text, body jsonb);
CREATE TABLE public.click_events (url text) INHERITS (public.events);
CREATE INDEX events_body ON public.events USING gin (body jsonb_path_ops);
CREATE TABLE public.rooms (id int PRIMARY KEY, during tstzrange, EXCLUDE USING gist (during WITH &&));
CREATE UNLOGGED TABLE public.cache (k text PRIMARY KEY, v text);
CREATE VIEW public.active_users AS SELECT id, email FROM public.users WHERE tenant_id = 1;
CREATE MATERIALIZED VIEW public.user_counts AS SELECT tenant_id, count(*) AS n FROM public.users GROUP BY tenant_id;
CREATE INDEX user_counts_tenant ON public.user_counts (tenant_id);
CREATE FOREIGN DATA WRAPPER dummy_fdw;
CREATE SERVER dummy_server FOREIGN DATA WRAPPER dummy_fdw;
CREATE FOREIGN TABLE public.remote_rates (currency text NOT NULL, rate numeric) SERVER dummy_server;
CREATE TABLE public.dupes (v int);
INSERT INTO public.dupes VALUES (1), (1);
"""

APP_SCHEMA = """
CREATE EXTENSION hypopg;
CREATE EXTENSION pg_stat_statements;
CREATE TABLE items (id bigint PRIMARY KEY, sku text NOT NULL, owner_id int NOT NULL,
                    created_at timestamptz NOT NULL);
CREATE INDEX items_sku ON items (sku);
CREATE INDEX items_created ON items (created_at);
INSERT INTO items SELECT g, 'sku' || g, g % 2000, timestamptz '2026-01-01' - g * interval '1 minute'
  FROM generate_series(1, 40000) g;
SET default_statistics_target = 1000;
ANALYZE;
CREATE ROLE reader LOGIN;
GRANT SELECT ON items TO reader;
"""

# The application's statements, as literals: pg_stat_statements stores them normalized ($1).
APP_QUERIES = (
    [f"SELECT * FROM items WHERE sku = 'sku{i}'" for i in range(7)]
    + [f"SELECT id FROM items WHERE owner_id = {i}" for i in range(5)]
    + [f"UPDATE items SET created_at = created_at WHERE owner_id = -{i + 1}" for i in range(3)]
)


work = tempfile.mkdtemp(prefix="schema-advisor-live-")
os.chmod(work, 0o755)
try:
    with PgCluster(settings={"shared_preload_libraries": "pg_stat_statements",
                             "pg_stat_statements.track_utility": "off"}) as pg:
        def dump(db):
            return subprocess.run([os.path.join(pg.bindir, "pg_dump"), "-s", "-h", pg.socketdir,
                                   "-p", str(pg.port), "-U", pg.superuser, db],
                                  capture_output=True, text=True, env=pg.env, check=True).stdout

        # ------------------------------------------------------------------ 1. the catalog
        pg.create_database("catalog")
        schema_file = os.path.join(work, "catalog.sql")
        with open(schema_file, "w") as f:
            f.write(CATALOG_SCHEMA)
        check(pg.run_sql_file(schema_file, "catalog", on_error_stop=True).error_count == 0,
              "the catalog schema loads")
        # A CREATE INDEX CONCURRENTLY that fails leaves an invalid index behind.
        pg.psql(["-c", "CREATE UNIQUE INDEX CONCURRENTLY dupes_v ON public.dupes (v)"], "catalog", check=False)
        check(pg.scalar("SELECT count(*) FROM pg_index WHERE NOT indisvalid", "catalog") == "1",
              "precondition: an invalid index exists")
        dump_file = os.path.join(work, "catalog-dump.sql")
        with open(dump_file, "w") as f:
            f.write(dump("catalog"))
        url = pg.url("catalog")
        for fmt in ("json", "text"):
            code, from_dump, err_dump = run(["schema", "--format", fmt, dump_file])
            code_live, from_live, err_live = run(["schema", "--format", fmt, "--dsn", url])
            if fmt == "text":  # the counts of statements read differ: the dump has more kinds
                from_dump = "\n".join(l for l in from_dump.splitlines() if "statements read" not in l)
                from_live = "\n".join(l for l in from_live.splitlines() if "statements read" not in l)
            check(code == 0 and code_live == 0 and from_dump == from_live,
                  f"schema --dsn --format {fmt} is schema --format {fmt} of pg_dump -s "
                  f"({err_live.strip()[-300:]})")
            if fmt == "json" and code_live == 0:
                catalog = json.loads(from_live)
                tables = {t["name"]: t for t in catalog["tables"]}
                indexes = {i["name"]: i for i in catalog["indexes"]}
                check("public.hypopg_list_indexes" not in tables and
                      "public.pg_stat_statements" not in tables, "extension objects are left out")
                check("dupes_v" not in indexes, "the invalid index is left out")
                check(tables['Sales Data.Orders']["columns"][1]["name"] == "Customer Email" and
                      "Orders by email" in indexes, "quoted names come through")
                check(indexes["users_lower_email"]["columns"] == ["lower(email::text)"] and
                      indexes["users_lower_email"]["where"] == "tenant_id > 0",
                      f"expression and predicate: {indexes['users_lower_email']}")
                check([c["json"] for c in tables["public.users"]["columns"] if c["name"] == "extra"] == [True],
                      "a column of a domain over a json domain is json")
                check(sorted(fk["name"] for fk in tables["public.users"]["foreign_keys"]) ==
                      ["users_region_code_fkey", "users_tenant_checked", "users_tenant_id_fkey"],
                      "foreign keys, multi-column and NOT VALID")
                check(tables["billing.invoices_2025"]["kind"] == "table" and
                      "invoices_2025_user_id_idx" in indexes, "partitions and their attached indexes")
        code, ddl, err = run(["schema", "--format", "ddl", "--dsn", url])
        check(code == 0 and ddl.startswith("SELECT pg_catalog.set_config('search_path', '', false);") and
              "ALTER TABLE ONLY billing.invoices ATTACH PARTITION billing.invoices_2025 FOR VALUES" in ddl,
              "schema --dsn --format ddl shows the DDL the reader read")
        code, out, err = run(["schema", "--format", "ddl", dump_file])
        check(code == 2 and "--format ddl" in err, "--format ddl without --dsn is a usage error")

        # ------------------------------------------------------------------ 2. pg_stat_statements
        pg.create_database("app")
        pg.execute(APP_SCHEMA, "app")
        pg.execute("SELECT pg_stat_statements_reset(); SELECT pg_stat_reset();", "app")
        for sql in APP_QUERIES:
            pg.execute(sql, "app")
        app_url = pg.url("app")
        # The rows as an export writes them, read before the advisor's own statements add rows.
        export = os.path.join(work, "pgss.csv")
        pg.psql(["-c", f"\\copy (SELECT query, calls, total_exec_time, max_exec_time, rows FROM "
                       f"pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE "
                       f"datname = 'app') AND toplevel AND query LIKE '%items%' ORDER BY queryid) "
                       f"TO '{export}' CSV HEADER"], "app")
        with open(export) as f:
            rows = list(csv.DictReader(f))
        code, out, err = run(["workload", "--format", "json", "--dsn", app_url, "--log-from-pgss"])
        check(code == 0, f"workload --dsn --log-from-pgss exits 0 ({err.strip()[-300:]})")
        live = json.loads(out) if code == 0 else {"shapes": []}
        live_items = {s["fingerprint"]: s for s in live["shapes"] if "public.items" in s["tables"]}
        check(sorted((r["query"], int(r["calls"])) for r in rows) ==
              sorted((s["query"], s["calls"]) for s in live_items.values()) and len(rows) == 3,
              f"the same shapes and calls as pg_stat_statements: "
              f"{sorted((s['query'], s['calls']) for s in live_items.values())}")
        code, out, err = run(["workload", "--format", "json", export])
        exported = {s["fingerprint"]: s for s in json.loads(out)["shapes"]}
        check(code == 0 and {k: (v["calls"], v["query"]) for k, v in exported.items()} ==
              {k: (v["calls"], v["query"]) for k, v in live_items.items()},
              "and the same as the export of those rows read with --log")
        reader_url = app_url.replace(f"{pg.superuser}@", "reader@")
        code, out, err = run(["workload", "--format", "json", "--dsn", reader_url, "--log-from-pgss"])
        check(code == 0 and "pg_stat_statements rows of other roles are hidden from this one "
              "(grant it pg_read_all_stats" in err and
              not [s for s in json.loads(out)["shapes"] if "public.items" in s["tables"]],
              f"a role without pg_read_all_stats is told how many rows it cannot see ({err.strip()[-300:]})")
        code, out, err = run(["advise", "--dsn", app_url, "--schema-from-dsn", "--log-from-pgss",
                              "--verify", "--format", "json"])
        check(code == 0, f"advise --schema-from-dsn --log-from-pgss --verify exits 0 ({err.strip()[-400:]})")
        report = json.loads(out) if code == 0 else {"findings": []}
        owner = [f for f in report["findings"] if f["rule"] == "missing-index" and f["columns"] == ["owner_id"]]
        check(len(owner) == 1 and owner[0]["evidence"]["verification"]["verified"] and
              all(p["generic_plan"] and "$1" in p["query"] for p in owner[0]["evidence"]["verification"]["plans"]),
              "pg_stat_statements' $n texts are verified through generic plans")

        # ------------------------------------------------------------------ 3. index usage
        code, out, err = run(["advise", "--dsn", app_url, "--schema-from-dsn", "--index-usage-from-dsn",
                              "--format", "json"])
        check(code == 0, f"advise --index-usage-from-dsn exits 0 ({err.strip()[-300:]})")
        unused = [f for f in json.loads(out)["findings"] if f["rule"] == "unused-index"] if code == 0 else []
        check([f["index"] for f in unused] == ["items_created"],
              f"the index never scanned is reported, the one queries used is not: {[f['index'] for f in unused]}")
        if unused:
            check("counts no scan of index items_created" in unused[0]["message"] and
                  "days ago" in unused[0]["message"] and "under a week old" in unused[0]["message"],
                  f"with the age of the counts: {unused[0]['message']}")
        code, out, err = run(["advise", "--schema", dump_file, "--index-usage-from-dsn"])
        check(code == 2 and "--index-usage-from-dsn reads a live database: give it --dsn URL" in err,
              "--index-usage-from-dsn without --dsn is a usage error")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("the live catalog, pg_stat_statements and index usage read as their file counterparts")
