"""The catalog `schema --format json` builds matches what PostgreSQL 15 itself builds.

For every corpus dump PostgreSQL 15 can restore, a throwaway PostgreSQL 15 (pgcluster.py) restores it
with `psql -f` (no ON_ERROR_STOP) into a database of its own; the test then reads pg_class, pg_index,
pg_constraint, pg_attribute, pg_namespace and pg_am and compares them with the tool's JSON:

- tables: user schemas only, relkind r (`table`) and p (`partitioned_table`), plus views v (`view`)
  and m (`materialized_view`) by name and kind; objects owned by an extension are left out (the dump
  does not create them, CREATE EXTENSION does);
- indexes on those relations: name, table, key columns, method, unique, partial or not; also which
  constraint backs it and the INCLUDE columns, both part of the design.md contract;
- foreign keys: name, table, columns, referenced table and columns;
- and `schema --dsn` of the restored database (the catalog read from the server, issue 14) gives
  byte for byte the JSON `schema` gives on `pg_dump -s` of it;
- json/jsonb columns of tables (r and p), a domain counting as its base type (domains over domains
  followed to the end); an array of jsonb is not a json column, in PostgreSQL's type system or ours.

Index key columns: a plain column is compared by name, exactly. An expression key (indkey = 0) is
compared with PostgreSQL's `pg_get_indexdef(indexrelid, k, true)` after normalizing both texts the
same way (`normalize_expression`): lower case; `::type` casts removed (PostgreSQL adds implicit
ones, e.g. `lower(name::text)` for a varchar column, that the DDL may not spell); `public.` and
`pg_catalog.` qualifiers removed; E'...' string constants rewritten as the equivalent standard
'...' constant (libpg_query writes E'\\\\1' where pg_get_indexdef writes '\\1'); whitespace,
parentheses and double quotes removed. What is left
(function names, operators, literals, columns in order) must be equal. A real difference in the
expression still shows; a difference only in casts, qualification or redundant parentheses does not.
A predicate is compared as partial or not and, when both are partial, as text normalized the same
way (`pg_get_expr(indpred, indrelid, true)` against our `where`).

Restore errors. A dump documented as restoring with 0 errors must restore with 0 errors, and then
every difference is a failure. On a dump with restore errors (missing extensions such as PostGIS,
rdkit, vector, Supabase's; PG17+ settings; removed operators), psql runs with --echo-errors so each
error comes with its failing statement, and an object we have but PostgreSQL lacks is reported as
SKIPPED, not as a failure, when a failing statement explains it: its CREATE statement (or the ALTER
that adds the constraint/column) failed, or the table it belongs to / references is missing for that
reason. Anything else, and every object PostgreSQL has that we lack, is a failure.

Foreign keys are compared only where pg_constraint.conparentid = 0: PostgreSQL clones a
partitioned table's foreign keys onto each partition (and, for a key referencing a partitioned
table, adds one internal constraint per referenced partition); the catalog keeps the key once, on
the table the DDL declares it on.

psql meta-commands: `\\c` / `\\connect` lines are blanked (same line numbers) so that a script that
creates and connects to its own database (Chinook) stays in the database the test made for it; its
`DROP DATABASE IF EXISTS chinook; CREATE DATABASE chinook;` still run and are harmless.
`\\restrict` / `\\unrestrict` (pg_dump 17.6+/16.10+/15.14+) are kept when this psql knows them
(probed at start) and blanked otherwise; they only guard against meta-commands in restored data.
COPY data blocks are never touched.

Not restored (said in the output): pagila-sql-pgq-setup.sql and pagila-temporal-setup.sql
(future-syntax negatives: SQL/PGQ, PG18 temporal keys) and pagila-schema.v4.1.0.sql (PG18 uuidv7()
defaults and a VIRTUAL generated column: 263 restore errors, most tables missing; its catalog is
checked by the unit and corpus tests instead). pagila-data.v3.1.0.sql is data only: it is restored
after pagila-schema.v3.1.0.sql into the same database, and the tool reads both files.

Usage (CTest): test_catalog_vs_postgres.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
  env CATALOG_TEST_ONLY=substring  restrict to dumps whose name contains it (debugging)
  env CATALOG_TEST_JOBS=N          parallel restores (default 2)
"""
from __future__ import annotations

import concurrent.futures
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgcluster import PgCluster, SqlError  # noqa: E402


@dataclass
class Dump:
    name: str
    files: list[str]  # relative to corpus/pg_schema, restored in order into one database
    expected_errors: int | None  # restore ERROR count the corpus README documents (PG 15)
    why_errors: str = ""


# The corpus README's table ("load into PG 15.20 with psql").
DUMPS = [
    Dump("pagila-v3.1.0+data", ["pagila/pagila-schema.v3.1.0.sql", "pagila/pagila-data.v3.1.0.sql"], 0),
    Dump("pagila-schema-jsonb", ["pagila/pagila-schema-jsonb.sql"], 0),
    Dump("philomena", ["ecto/philomena.structure.sql"], 1, "SET transaction_timeout (PG17+ setting)"),
    Dump("sanbase2", ["ecto/sanbase2.structure.sql"], 25,
         "transaction_timeout (PG17+ setting), extension vector missing"),
    Dump("chinook", ["other/Chinook_PostgreSql.sql"], 0),
    Dump("chado-1.4", ["other/chado-1.4-default_schema.sql"], 9, "box @ box operator (removed in PG14)"),
    Dump("gitlab-container-registry", ["other/gitlab-container-registry.structure.sql"], 1,
         "CREATE SCHEMA public (already exists)"),
    Dump("supabase-15", ["other/supabase-postgres.schema-15.sql"], 9,
         "Supabase-only extensions (pgsodium, pg_graphql, ...)"),
    Dump("synapse-72", ["other/synapse-main-72.full.postgres.sql"], 0),
    Dump("danbooru", ["rails/danbooru.structure.sql"], 0),
    Dump("gisia", ["rails/gisia.structure.sql"], 0),
    Dump("grit", ["rails/grit.structure.restrict.sql"], 8, "extension rdkit missing (cascade)"),
    Dump("inaturalist", ["rails/inaturalist.structure.sql"], 106, "PostGIS missing (geometry cascade)"),
    Dump("lago-api", ["rails/lago-api.structure.sql"], 1, "extension pg_partman missing"),
    Dump("openstreetmap", ["rails/openstreetmap-website.structure.sql"], 10, "PostGIS missing"),
]

NOT_RESTORED = {
    "pagila/pagila-sql-pgq-setup.sql":
        "future-syntax negative: SQL/PGQ CREATE PROPERTY GRAPH, in no released PostgreSQL",
    "pagila/pagila-temporal-setup.sql":
        "future-syntax negative: PG18 WITHOUT OVERLAPS / PERIOD keys, FOR PORTION OF",
    "pagila/pagila-schema.v4.1.0.sql":
        "needs PostgreSQL 18 (uuidv7() defaults, a VIRTUAL generated column): 263 restore errors "
        "on PG 15 leave most tables missing, nothing meaningful to compare",
}

KIND_OF_RELKIND = {"r": "table", "p": "partitioned_table", "v": "view", "m": "materialized_view"}
CONSTRAINT_OF_CONTYPE = {"p": "primary_key", "u": "unique", "x": "exclude"}


# ---------------------------------------------------------------------------------- PostgreSQL side

USER_RELATIONS_SQL = r"""
SELECT c.oid::bigint AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d
                  WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
"""

INDEXES_SQL = f"""
WITH rel AS ({USER_RELATIONS_SQL})
SELECT ic.relname AS name, rel.schema || '.' || rel.name AS "table", am.amname AS method,
       x.indisunique AS "unique", x.indpred IS NOT NULL AS partial,
       pg_get_expr(x.indpred, x.indrelid, true) AS predicate, x.indnkeyatts AS nkeys,
       (SELECT json_agg(json_build_object('attnum', x.indkey[k - 1], 'attname', a.attname,
                                          'def', pg_get_indexdef(x.indexrelid, k, true)) ORDER BY k)
        FROM generate_series(1, x.indnatts) AS k
        LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[k - 1]
       ) AS keys,
       (SELECT con.contype::text FROM pg_constraint con
        WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid
          AND con.contype IN ('p', 'u', 'x') LIMIT 1) AS contype
FROM pg_index x
JOIN rel ON rel.oid = x.indrelid
JOIN pg_class ic ON ic.oid = x.indexrelid
JOIN pg_am am ON am.oid = ic.relam
"""

# conparentid = 0: see the module docstring (clones on partitions are not separate keys for us).
FOREIGN_KEYS_SQL = f"""
WITH rel AS ({USER_RELATIONS_SQL})
SELECT con.conname AS name, rel.schema || '.' || rel.name AS "table",
       (SELECT json_agg(a.attname ORDER BY k.ord)
        FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
       fn.nspname || '.' || fc.relname AS ref_table,
       (SELECT json_agg(a.attname ORDER BY k.ord)
        FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
FROM pg_constraint con
JOIN rel ON rel.oid = con.conrelid
JOIN pg_class fc ON fc.oid = con.confrelid
JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype = 'f' AND con.conparentid = 0
"""

COLUMNS_SQL = f"""
WITH rel AS ({USER_RELATIONS_SQL})
SELECT rel.schema || '.' || rel.name AS "table", a.attname AS name, a.atttypid::bigint AS typid,
       format_type(a.atttypid, a.atttypmod) AS type
FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid
WHERE rel.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
"""

DOMAINS_SQL = """
SELECT oid::bigint AS oid, typbasetype::bigint AS base FROM pg_type WHERE typtype = 'd'
"""

JSON_TYPE_OIDS = {114, 3802}  # json, jsonb (fixed OIDs, pg_type.dat)


def read_postgres_catalog(pg: PgCluster, db: str) -> dict:
    rels = pg.query_json(USER_RELATIONS_SQL, db)
    domains = {d["oid"]: d["base"] for d in pg.query_json(DOMAINS_SQL, db)}

    def base_type(oid: int) -> int:
        seen = set()
        while oid in domains and oid not in seen:
            seen.add(oid)
            oid = domains[oid]
        return oid

    json_columns = {(c["table"], c["name"]): c["type"] for c in pg.query_json(COLUMNS_SQL, db)
                    if base_type(c["typid"]) in JSON_TYPE_OIDS}
    indexes = {}
    for ix in pg.query_json(INDEXES_SQL, db):
        keys = ix["keys"] or []
        ix["key_columns"] = [k["attname"] if k["attnum"] != 0 else {"expr": k["def"]}
                             for k in keys[:ix["nkeys"]]]
        ix["include"] = [k["attname"] for k in keys[ix["nkeys"]:]]
        ix["constraint"] = CONSTRAINT_OF_CONTYPE.get(ix["contype"])
        indexes[(ix["table"], ix["name"])] = ix
    fks = {(fk["table"], fk["name"]): fk for fk in pg.query_json(FOREIGN_KEYS_SQL, db)}
    return {
        "relations": {f"{r['schema']}.{r['name']}": KIND_OF_RELKIND[r["relkind"]] for r in rels},
        "indexes": indexes,
        "fks": fks,
        "json_columns": json_columns,
    }


# ---------------------------------------------------------------------------------- our side

def read_our_catalog(advisor: str, paths: list[str]) -> tuple[dict | None, str]:
    r = subprocess.run([advisor, "schema", "--format", "json", *paths], capture_output=True,
                       text=True, timeout=120)
    if r.returncode != 0:
        return None, f"exit {r.returncode}: {r.stderr.strip()[:1000]}"
    doc = json.loads(r.stdout)
    relations, fks, json_columns = {}, {}, {}
    for t in doc["tables"]:
        relations[t["name"]] = t["kind"]
        for fk in t.get("foreign_keys", []):
            fks[(t["name"], fk["name"])] = {"name": fk["name"], "table": t["name"],
                                            "columns": fk["columns"],
                                            "ref_table": fk["references"]["table"],
                                            "ref_columns": fk["references"]["columns"]}
        if t["kind"] in ("table", "partitioned_table"):
            for c in t["columns"]:
                if c["json"]:
                    json_columns[(t["name"], c["name"])] = c["type"]
    indexes = {}
    for ix in doc["indexes"]:
        key = (ix["table"], ix["name"])
        if key in indexes:
            ix = dict(ix, _duplicate=True)
        indexes[key] = ix
    return {"relations": relations, "indexes": indexes, "fks": fks,
            "json_columns": json_columns}, r.stderr.strip()


# ---------------------------------------------------------------------------------- comparison

_MULTIWORD_TYPES = (r"timestamp(?:\(\d+\))? with(?:out)? time zone|time(?:\(\d+\))? with(?:out)? time zone"
                    r"|character varying|double precision|bit varying")
_CAST = re.compile(r'::\s*(?:' + _MULTIWORD_TYPES + r'|"?[a-z_][a-z0-9_$]*"?(?:\."?[a-z_][a-z0-9_$]*"?)?)'
                   r'(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\[\])*')


_E_STRING = re.compile(r"(?<![\w$])[eE]'((?:[^'\\]|\\.|'')*)'", re.S)
_E_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))",
                       re.S)
_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def standard_string_literals(text: str) -> str:
    """E'...' literals rewritten as standard-conforming '...' literals with the same value.

    libpg_query's deparser writes a string holding a backslash as E'\\\\1', pg_get_indexdef as
    '\\1' (standard_conforming_strings is on): the same constant, spelled two ways.
    """
    def decode(m: re.Match) -> str:
        def one(e: re.Match) -> str:
            octal, hex2, u4, u8, other = e.groups()
            if octal:
                return chr(int(octal, 8))
            if hex2 or u4 or u8:
                return chr(int(hex2 or u4 or u8, 16))
            return _SIMPLE_ESCAPES.get(other, other)
        value = _E_ESCAPE.sub(one, m.group(1).replace("''", "'"))
        return "'" + value.replace("'", "''") + "'"
    return _E_STRING.sub(decode, text)


def normalize_expression(text: str) -> str:
    """See the module docstring: casts, qualifiers, whitespace, parentheses, quotes removed."""
    s = standard_string_literals(text).lower()
    s = _CAST.sub("", s)
    s = re.sub(r'\b(?:pg_catalog|public)\.', "", s)
    s = re.sub(r'[\s()"]', "", s)
    return s


def key_matches(pg_key, our_key: str) -> bool:
    if isinstance(pg_key, dict):
        return normalize_expression(pg_key["expr"]) == normalize_expression(our_key)
    return pg_key == our_key


def show_keys(keys) -> str:
    return "(" + ", ".join(k["expr"] if isinstance(k, dict) else k for k in keys) + ")"


@dataclass
class Explainer:
    """Decides whether restore errors explain an object PostgreSQL does not have."""

    errors: list[SqlError]
    pg_relations: dict
    failed_creates: dict = field(default_factory=dict)  # relation name (lower) -> error

    def __post_init__(self):
        create = re.compile(r'^\s*create\s+(?:or\s+replace\s+)?(?:(?:global|local)\s+)?'
                            r'(?:temp(?:orary)?\s+|unlogged\s+)?'
                            r'(?:table|view|materialized\s+view|recursive\s+view)\s+'
                            r'(?:if\s+not\s+exists\s+)?((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)',
                            re.I)
        for e in self.errors:
            m = create.match(strip_comments(e.statement))
            if m:
                self.failed_creates[unquote_name(m.group(1)).split(".")[-1]] = e

    def for_relation(self, qualified: str) -> SqlError | None:
        return self.failed_creates.get(qualified.split(".")[-1].lower())

    def mentioning(self, *names: str) -> SqlError | None:
        """A failing statement that names every one of `names` as an identifier."""
        for e in self.errors:
            text = e.statement.lower()
            if all(re.search(r'(?<![\w$])"?' + re.escape(n.lower()) + r'"?(?![\w$])', text)
                   for n in names):
                return e
        return None

    def missing_relation(self, qualified: str) -> str | None:
        """Why `qualified` is missing from PostgreSQL, if the restore errors say so."""
        if qualified in self.pg_relations:
            return None
        e = self.for_relation(qualified)
        return describe(e) if e else None


def strip_comments(sql: str) -> str:
    sql = re.sub(r'/\*.*?\*/', ' ', sql, flags=re.S)
    return re.sub(r'--[^\n]*', ' ', sql)


def unquote_name(name: str) -> str:
    return ".".join(p[1:-1] if p.startswith('"') else p.lower() for p in name.split("."))


def describe(e: SqlError) -> str:
    return f"restore error at line {e.line}: {e.message}"


@dataclass
class DumpResult:
    dump: Dump
    seconds: float = 0.0
    restore_errors: list[SqlError] = field(default_factory=list)
    preprocessing: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def compare(ours: dict, pg: dict, explain: Explainer, result: DumpResult) -> None:
    mism, skip = result.mismatches, result.skipped

    def missing_in_pg(what: str, reason: str | None) -> None:
        if reason:
            skip.append(f"{what}: not in PostgreSQL ({reason})")
        else:
            mism.append(f"{what}: we have it, PostgreSQL does not")

    # Relations.
    for name, kind in sorted(pg["relations"].items()):
        if name not in ours["relations"]:
            mism.append(f"{kind} {name}: in PostgreSQL, missing from our catalog")
        elif ours["relations"][name] != kind:
            mism.append(f"{kind} {name}: PostgreSQL kind {kind}, ours {ours['relations'][name]}")
    for name, kind in sorted(ours["relations"].items()):
        if name not in pg["relations"]:
            if kind not in KIND_OF_RELKIND.values():
                result.notes.append(f"{kind} {name}: kind not compared")
                continue
            missing_in_pg(f"{kind} {name}", explain.missing_relation(name))
    both_relations = [n for n in pg["relations"] if n in ours["relations"]]
    result.counts["tables"] = sum(1 for n in both_relations if pg["relations"][n] in ("table", "partitioned_table"))
    result.counts["views"] = sum(1 for n in both_relations if pg["relations"][n] in ("view", "materialized_view"))

    # Indexes.
    compared = 0
    for key, p in sorted(pg["indexes"].items()):
        table, name = key
        o = ours["indexes"].get(key)
        if o is None:
            others = [n for (t, n), ix in ours["indexes"].items() if t == table and
                      len(ix["columns"]) == len(p["key_columns"]) and
                      all(key_matches(pk, ok) for pk, ok in zip(p["key_columns"], ix["columns"]))]
            hint = f" (we have the same key columns as {', '.join(sorted(others))})" if others else ""
            mism.append(f"index {name} on {table} {show_keys(p['key_columns'])} "
                        f"[{p['method']}{', unique' if p['unique'] else ''}]: in PostgreSQL, missing "
                        f"from our catalog{hint}")
            continue
        compared += 1
        diffs = []
        if o.get("_duplicate"):
            diffs.append("listed more than once in our catalog")
        if len(o["columns"]) != len(p["key_columns"]) or not all(
                key_matches(pk, ok) for pk, ok in zip(p["key_columns"], o["columns"])):
            diffs.append(f"key columns: PostgreSQL {show_keys(p['key_columns'])}, "
                         f"ours ({', '.join(o['columns'])})")
        if o["method"] != p["method"]:
            diffs.append(f"method: PostgreSQL {p['method']}, ours {o['method']}")
        if bool(o["unique"]) != p["unique"]:
            diffs.append(f"unique: PostgreSQL {p['unique']}, ours {o['unique']}")
        if (o["where"] is not None) != p["partial"]:
            diffs.append(f"partial: PostgreSQL {p['predicate']!r}, ours {o['where']!r}")
        elif p["partial"] and normalize_expression(o["where"]) != normalize_expression(p["predicate"]):
            diffs.append(f"predicate: PostgreSQL {p['predicate']!r}, ours {o['where']!r}")
        if o.get("constraint") != p["constraint"]:
            diffs.append(f"constraint: PostgreSQL {p['constraint']}, ours {o.get('constraint')}")
        if list(o.get("include") or []) != p["include"]:
            diffs.append(f"include: PostgreSQL {p['include']}, ours {o.get('include')}")
        if diffs:
            mism.append(f"index {name} on {table}: " + "; ".join(diffs))
    for key, o in sorted(ours["indexes"].items()):
        if key in pg["indexes"]:
            continue
        table, name = key
        reason = explain.missing_relation(table)
        if reason is None:
            e = explain.mentioning(name)
            reason = describe(e) if e else None
        others = [n for (t, n), p in pg["indexes"].items() if t == table and
                  len(o["columns"]) == len(p["key_columns"]) and
                  all(key_matches(pk, ok) for pk, ok in zip(p["key_columns"], o["columns"]))]
        hint = f" (PostgreSQL has the same key columns as {', '.join(sorted(others))})" if others else ""
        what = f"index {name} on {table} ({', '.join(o['columns'])}) [{o['method']}" \
               f"{', unique' if o['unique'] else ''}]"
        if reason:
            skip.append(f"{what}: not in PostgreSQL ({reason})")
        else:
            mism.append(f"{what}: we have it, PostgreSQL does not{hint}")
    result.counts["indexes"] = compared

    # Foreign keys.
    compared = 0
    for key, p in sorted(pg["fks"].items()):
        o = ours["fks"].get(key)
        desc = f"foreign key {p['name']} on {p['table']}"
        if o is None:
            mism.append(f"{desc} ({', '.join(p['columns'])}) -> {p['ref_table']}"
                        f"({', '.join(p['ref_columns'])}): in PostgreSQL, missing from our catalog")
            continue
        compared += 1
        mine = (o["columns"], o["ref_table"], o["ref_columns"])
        theirs = (p["columns"], p["ref_table"], p["ref_columns"])
        if mine != theirs:
            mism.append(f"{desc}: PostgreSQL ({', '.join(p['columns'])}) -> {p['ref_table']}"
                        f"({', '.join(p['ref_columns'])}), ours ({', '.join(o['columns'])}) -> "
                        f"{o['ref_table']}({', '.join(o['ref_columns'])})")
    for key, o in sorted(ours["fks"].items()):
        if key in pg["fks"]:
            continue
        reason = explain.missing_relation(o["table"]) or explain.missing_relation(o["ref_table"])
        if reason is None:
            e = explain.mentioning(o["name"])
            reason = describe(e) if e else None
        missing_in_pg(f"foreign key {o['name']} on {o['table']} ({', '.join(o['columns'])}) -> "
                      f"{o['ref_table']}({', '.join(o['ref_columns'])})", reason)
    result.counts["fks"] = compared

    # json/jsonb columns, on tables both sides have.
    tables = {n for n in both_relations if pg["relations"][n] in ("table", "partitioned_table")}
    compared = 0
    for (table, col), typ in sorted(pg["json_columns"].items()):
        if table not in tables:
            continue
        if (table, col) in ours["json_columns"]:
            compared += 1
        else:
            mism.append(f"column {table}.{col} ({typ}): json in PostgreSQL, not json in our catalog")
    for (table, col), typ in sorted(ours["json_columns"].items()):
        if table not in tables or (table, col) in pg["json_columns"]:
            continue
        e = explain.mentioning(table.split(".")[-1], col)
        missing_in_pg(f"json column {table}.{col} ({typ})", describe(e) if e else None)
    result.counts["json_columns"] = compared


# ---------------------------------------------------------------------------------- restore

META_LINE = re.compile(r'^\s*\\(\w+)')
COPY_FROM_STDIN = re.compile(r'^\s*COPY\s.*\bFROM\s+stdin\b.*;\s*$', re.I)


def psql_knows_restrict(pg: PgCluster, workdir: str) -> bool:
    probe = os.path.join(workdir, "probe-restrict.sql")
    with open(probe, "w") as f:
        f.write("\\restrict probekey\n\\unrestrict probekey\n")
    r = pg.run_sql_file(probe, "postgres")
    return "invalid command" not in r.stderr and r.returncode == 0


def prepare_file(path: str, workdir: str, blank: set[str]) -> tuple[str, list[str]]:
    """Blank the psql meta-command lines named in `blank`, outside COPY data; keep line numbers."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().split("\n")
    changed, in_copy = [], False
    for i, line in enumerate(lines):
        if in_copy:
            in_copy = line.rstrip("\r") != "\\."
            continue
        if COPY_FROM_STDIN.match(line):
            in_copy = True
            continue
        m = META_LINE.match(line)
        if m and m.group(1) in blank:
            changed.append(f"line {i + 1}: {line.strip()[:40]}")
            lines[i] = ""
    if not changed:
        return path, []
    out = os.path.join(workdir, os.path.basename(path))
    with open(out, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("\n".join(lines))
    return out, changed


def live_catalog_mismatch(pg: PgCluster, db: str, advisor: str, workdir: str) -> str | None:
    """`schema --dsn` of the restored database against `schema` of its `pg_dump -s` (issue 14:
    the live catalog reader writes the DDL pg_dump writes): the JSON must be byte-identical."""
    dumped = os.path.join(workdir, db + ".pg_dump.sql")
    with open(dumped, "w") as out:
        subprocess.run([os.path.join(pg.bindir, "pg_dump"), "-s", "-h", pg.socketdir, "-p",
                        str(pg.port), "-U", pg.superuser, db], stdout=out, env=pg.env, check=True,
                       timeout=300)
    from_dump = subprocess.run([advisor, "schema", "--format", "json", dumped],
                               capture_output=True, text=True, timeout=120)
    live = subprocess.run([advisor, "schema", "--format", "json", "--dsn", pg.url(db)],
                          capture_output=True, text=True, timeout=120)
    os.remove(dumped)
    if live.returncode != 0:
        return f"schema --dsn failed ({live.returncode}): {live.stderr.strip()[-300:]}"
    if live.stdout != from_dump.stdout:
        return "schema --dsn differs from schema of pg_dump -s of the same database"
    return None


def run_dump(dump: Dump, pg: PgCluster, pg_schema: str, advisor: str, workdir: str,
             blank: set[str]) -> DumpResult:
    result = DumpResult(dump)
    start = time.monotonic()
    db = "d_" + re.sub(r"\W", "_", dump.name.lower())
    pg.create_database(db)
    sources = [os.path.join(pg_schema, f) for f in dump.files]
    for src in sources:
        path, changed = prepare_file(src, workdir, blank)
        if changed:
            result.preprocessing.append(f"{os.path.basename(src)}: blanked {', '.join(changed)}")
        restored = pg.run_sql_file(path, db, timeout=600)
        if restored.returncode != 0:
            result.mismatches.append(f"psql -f {os.path.basename(src)} exited {restored.returncode}: "
                                     f"{restored.stderr[-500:]}")
        result.restore_errors += restored.errors
    theirs = read_postgres_catalog(pg, db)
    ours, stderr = read_our_catalog(advisor, sources)
    if stderr:
        result.notes.append("schema-advisor stderr: " + stderr[:300].replace("\n", " | "))
    if ours is None:
        result.mismatches.append(f"schema-advisor failed: {stderr}")
    else:
        n_errors = len(result.restore_errors)
        if dump.expected_errors == 0 and n_errors:
            result.mismatches.append(
                f"documented to restore with 0 errors, got {n_errors}: "
                + "; ".join(f"line {e.line}: {e.message}" for e in result.restore_errors[:5]))
        elif dump.expected_errors is not None and n_errors != dump.expected_errors:
            result.notes.append(f"restore errors: {n_errors}, the corpus README says "
                                f"{dump.expected_errors} (PostgreSQL 15.20)")
        compare(ours, theirs, Explainer(result.restore_errors, theirs["relations"]), result)
    live = live_catalog_mismatch(pg, db, advisor, workdir)
    if live:
        result.mismatches.append(live)
    pg.execute(f'DROP DATABASE "{db}"')  # keep the cluster's disk use flat
    result.seconds = time.monotonic() - start
    return result


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    advisor, _source_dir, shared_dir = (os.path.abspath(a) for a in sys.argv[1:4])
    pg_schema = os.path.join(shared_dir, "corpus", "pg_schema")
    only = os.environ.get("CATALOG_TEST_ONLY", "")
    jobs = int(os.environ.get("CATALOG_TEST_JOBS", "2"))

    # Any dump added to the corpus later is restored and compared too (errors not documented).
    planned = {f for d in DUMPS for f in d.files} | set(NOT_RESTORED)
    dumps = list(DUMPS)
    for root, _dirs, files in os.walk(pg_schema):
        for f in sorted(files):
            rel = os.path.relpath(os.path.join(root, f), pg_schema)
            if f.endswith(".sql") and rel not in planned:
                dumps.append(Dump(os.path.splitext(f)[0], [rel], None))
    missing = [f for d in dumps for f in d.files if not os.path.isfile(os.path.join(pg_schema, f))]
    if missing:
        print(f"FAIL: corpus files missing: {missing}")
        return 1
    dumps = [d for d in dumps if only in d.name]

    # A SIGTERM (CTest timeout, CI cancel) unwinds through the `with` block: the cluster stops.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    results: list[DumpResult] = []
    with PgCluster() as pg, tempfile.TemporaryDirectory(prefix="catalog-vs-pg-") as workdir:
        blank = {"c", "connect"}
        restrict_ok = psql_knows_restrict(pg, workdir)
        if not restrict_ok:
            blank |= {"restrict", "unrestrict"}
        print(f"PostgreSQL {pg.scalar('SHOW server_version')} on 127.0.0.1:{pg.port} "
              f"(data in {pg.datadir}); psql {'knows' if restrict_ok else 'does not know'} "
              f"\\restrict, blanking {' '.join(sorted(blank))} meta-command lines")
        for rel, why in NOT_RESTORED.items():
            print(f"NOT RESTORED {rel}: {why}")
        # Largest first, so that two workers finish together.
        order = sorted(dumps, key=lambda d: -sum(os.path.getsize(os.path.join(pg_schema, f))
                                                 for f in d.files))
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
        try:
            futures = {pool.submit(run_dump, d, pg, pg_schema, advisor, workdir, blank): d
                       for d in order}
            for fut in concurrent.futures.as_completed(futures):
                try:
                    results.append(fut.result())
                except Exception as exc:  # a broken dump must not hide the others' results
                    r = DumpResult(futures[fut])
                    r.mismatches.append(f"test error: {type(exc).__name__}: {exc}")
                    results.append(r)
        finally:
            # On an interruption, queued dumps are dropped; running psql calls fail once the
            # cluster stops.
            pool.shutdown(wait=False, cancel_futures=True)

    results.sort(key=lambda r: DUMPS.index(r.dump) if r.dump in DUMPS else len(DUMPS))
    total_mismatches = 0
    print()
    for r in results:
        c = r.counts
        status = "FAIL" if r.mismatches else "ok  "
        print(f"{status} {r.dump.name}: {c.get('tables', 0)} tables, {c.get('views', 0)} views, "
              f"{c.get('indexes', 0)} indexes, {c.get('fks', 0)} fks, "
              f"{c.get('json_columns', 0)} json columns compared; {len(r.restore_errors)} restore "
              f"errors; {len(r.skipped)} skipped; {len(r.mismatches)} mismatches ({r.seconds:.1f}s)")
        for line in r.preprocessing:
            print(f"     preprocess: {line}")
        for line in r.notes:
            print(f"     note: {line}")
        if r.restore_errors:
            why = f" ({r.dump.why_errors})" if r.dump.why_errors else ""
            print(f"     restore errors{why}:")
            for e in r.restore_errors:
                print(f"       line {e.line}: {e.message}")
        for line in r.skipped:
            print(f"     SKIPPED {line}")
        for line in r.mismatches:
            print(f"     MISMATCH {line}")
        total_mismatches += len(r.mismatches)
    print(f"\n{len(results)} dumps compared, {len(NOT_RESTORED)} not restored, "
          f"{total_mismatches} mismatches, {time.monotonic() - started:.0f}s")
    return 1 if total_mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
