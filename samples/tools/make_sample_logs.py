#!/usr/bin/env python3
"""Write the PostgreSQL 15 query logs of the five bundled samples, deterministically.

    python3 samples/tools/make_sample_logs.py            # rewrites samples/*/postgresql.log
    python3 samples/tools/make_sample_logs.py --check    # exit 1 if a committed log differs

Each log is what a PostgreSQL 15 server writes to stderr with

    log_line_prefix = '%m [%p] %q%u@%d '
    log_min_duration_statement = 0
    log_connections = on, log_disconnections = on, log_checkpoints = on,
    log_autovacuum_min_duration = 0

while a SQLAlchemy application (one per seed report in ../shared/seeds) serves requests through a
small connection pool: several backends (pids) interleave, every request runs in its own transaction
(BEGIN ... COMMIT, or ROLLBACK when the session is closed after reading), and the SQL is written the
way SQLAlchemy 2.0 renders it ("SELECT t.c AS t_c ... \\nFROM t \\nWHERE ..."; multi-line statements
show up with tab-indented continuation lines, as PostgreSQL writes them).

Three client drivers appear, as PostgreSQL logs them:
  psycopg2  simple protocol: "statement: ..." with the literals inlined;
  psycopg   extended protocol, unnamed statements: parse / bind / execute <unnamed>, each with its
            duration, bind and execute followed by "DETAIL:  parameters: $1 = '...'";
  asyncpg   extended protocol, named prepared statements (__asyncpg_stmt_N__) parsed once per
            connection, then bind / execute; SQLAlchemy adds casts such as $1::UUID.

The output depends only on this file: a fixed random seed per sample, no clock, no environment.
What each sample shows (and the findings it must produce) is in samples/<name>/README.md.
"""
import argparse
import json
import os
import random
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

SAMPLES_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# --------------------------------------------------------------------------------------------
# Bound parameters
# --------------------------------------------------------------------------------------------

class Json:
    """A JSON value bound as a parameter (SQLAlchemy serialises it to text)."""

    def __init__(self, obj, jsonb=True):
        self.obj, self.jsonb = obj, jsonb

    def text(self):
        return json.dumps(self.obj)


class T:
    """A parameter with an explicit SQL type (needed for NULLs and for SQLAlchemy's casts)."""

    def __init__(self, value, sqltype):
        self.value, self.sqltype = value, sqltype


def _unwrap(p):
    return p.value if isinstance(p, T) else p


def sa_cast(p):
    """The cast SQLAlchemy's asyncpg dialect renders after $n."""
    if isinstance(p, T):
        return p.sqltype
    if isinstance(p, bool):
        return "BOOLEAN"
    if isinstance(p, int):
        return "INTEGER"
    if isinstance(p, str):
        return "VARCHAR"
    if isinstance(p, uuid.UUID):
        return "UUID"
    if isinstance(p, datetime):
        return "TIMESTAMP WITH TIME ZONE" if p.tzinfo else "TIMESTAMP WITHOUT TIME ZONE"
    if isinstance(p, date):
        return "DATE"
    if isinstance(p, Json):
        return "JSONB" if p.jsonb else "JSON"
    if isinstance(p, float):
        return "FLOAT"
    if isinstance(p, Decimal):
        return "NUMERIC"
    raise TypeError(p)


def _quote(s):
    return "'" + s.replace("'", "''") + "'"


def psycopg2_literal(p):
    """How psycopg2 inlines a Python value into the statement text."""
    v = _unwrap(p)
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, Decimal)):
        return str(v)
    if isinstance(v, str):
        return _quote(v)
    if isinstance(v, uuid.UUID):
        return _quote(str(v)) + "::uuid"
    if isinstance(v, datetime):
        return _quote(v.isoformat()) + ("::timestamptz" if v.tzinfo else "::timestamp")
    if isinstance(v, date):
        return _quote(v.isoformat()) + "::date"
    if isinstance(v, Json):
        return _quote(v.text())
    raise TypeError(v)


def detail_value(p, driver):
    """The value as PostgreSQL prints it in 'DETAIL:  parameters: $1 = ...'."""
    v = _unwrap(p)
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        s = "t" if v else "f"
    elif isinstance(v, datetime):
        if v.tzinfo is None:
            s = v.strftime("%Y-%m-%d %H:%M:%S.%f")
        elif driver == "asyncpg":            # binary parameter: printed by timestamptz_out
            s = v.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00"
        else:                                # text parameter: printed as the client sent it
            s = v.isoformat(sep=" ")
    elif isinstance(v, Json):
        s = v.text()
    else:
        s = str(v)
    return _quote(s)


# --------------------------------------------------------------------------------------------
# SQL in SQLAlchemy's style
# --------------------------------------------------------------------------------------------

def cols(table, names, alias=None, first=None):
    """'t.a AS t_a, t.b AS t_b' (a selectin load puts the foreign key column first)."""
    a = alias or table
    order = ([first] if first else []) + [c for c in names if c != first]
    return ", ".join(f"{a}.{c} AS {a}_{c}" for c in order)


def select(columns, frm, where=None, order=None, limit=None):
    sql = f"SELECT {columns} \nFROM {frm}"
    if where:
        sql += f" \nWHERE {where}"
    if order:
        sql += f" ORDER BY {order}"
    if limit:
        sql += f" \n LIMIT {limit}"
    return sql


def in_list(n):
    return "(" + ", ".join(["%s"] * n) + ")"


def insert(table, columns, returning=None, rows=1):
    values = ", ".join("(" + ", ".join(["%s"] * len(columns)) + ")" for _ in range(rows))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}"
    if returning:
        sql += f" RETURNING {table}.{returning}"
    return sql


def update(table, set_columns, where):
    sets = ", ".join(f"{c}=%s" for c in set_columns)
    return f"UPDATE {table} SET {sets} WHERE {where}"


def render(sql, params, style):
    """Replace each %s with a literal (psycopg2), $n (psycopg) or $n::TYPE (asyncpg)."""
    parts = sql.split("%s")
    if len(parts) - 1 != len(params):
        raise ValueError(f"{len(parts) - 1} placeholders, {len(params)} parameters: {sql}")
    out = [parts[0]]
    for i, (p, rest) in enumerate(zip(params, parts[1:]), start=1):
        if style == "literal":
            out.append(psycopg2_literal(p))
        elif style == "dollar":
            out.append(f"${i}")
        else:
            out.append(f"${i}::{sa_cast(p)}")
        out.append(rest)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# The log: sessions (backends) writing timestamped records, merged at the end
# --------------------------------------------------------------------------------------------

def fmt_ts(us):
    t = datetime(1970, 1, 1) + timedelta(microseconds=us)
    return t.strftime("%Y-%m-%d %H:%M:%S.") + f"{t.microsecond // 1000:03d} UTC"


def us_of(dt):
    return int((dt - datetime(1970, 1, 1)).total_seconds() * 1_000_000)


class Log:
    def __init__(self):
        self.records = []          # (time_us, stream, seq, text)
        self.seq = 0

    def add(self, t_us, stream, text):
        self.seq += 1
        self.records.append((t_us, stream, self.seq, text))

    def server(self, t_us, pid, msg):
        """A line from a process without a session (checkpointer, autovacuum worker)."""
        self.add(t_us, -pid, f"{fmt_ts(t_us)} [{pid}] {msg}")

    def write(self, path):
        self.records.sort(key=lambda r: (r[0], r[1], r[2]))
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for _, _, _, text in self.records:
                f.write(text.replace("\n", "\n\t") + "\n")
        return sum(1 + r[3].count("\n") for r in self.records)


def dur(rng, median_ms):
    return max(0.004, rng.lognormvariate(0.0, 0.45) * median_ms)


class Session:
    """One pooled connection: a backend pid that runs one statement at a time."""

    def __init__(self, log, pid, t_us, user, db, driver, host, port, ssl=False):
        self.log, self.pid, self.t = log, pid, t_us
        self.user, self.db, self.driver = user, db, driver
        self.host, self.port, self.ssl = host, port, ssl
        self.rng = random.Random(pid)
        self.prepared = {}
        self.started = t_us
        self.statements = 0

    # -- low level -------------------------------------------------------------------------
    def prefix(self):
        return f"{fmt_ts(self.t)} [{self.pid}] {self.user}@{self.db} "

    def line(self, text):
        self.log.add(self.t, self.pid, self.prefix() + text)

    def wait(self, ms):
        self.t += int(ms * 1000)

    # -- connection lifecycle --------------------------------------------------------------
    def connect(self):
        self.log.add(self.t, self.pid,
                     f"{fmt_ts(self.t)} [{self.pid}] [unknown]@[unknown] LOG:  connection received: "
                     f"host={self.host} port={self.port}")
        self.wait(self.rng.uniform(2.0, 6.0))
        ssl = (" SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)"
               if self.ssl else "")
        self.line(f"LOG:  connection authorized: user={self.user} database={self.db}{ssl}")

    def disconnect(self):
        self.wait(self.rng.uniform(0.1, 1.0))
        span = (self.t - self.started) / 1e6
        h, rem = divmod(span, 3600)
        m, s = divmod(rem, 60)
        self.line(f"LOG:  disconnection: session time: {int(h)}:{int(m):02d}:{s:06.3f} "
                  f"user={self.user} database={self.db} host={self.host} port={self.port}")

    # -- statements ------------------------------------------------------------------------
    def simple(self, sql, ms=0.05):
        """A statement sent with the simple query protocol."""
        self.wait(self.rng.uniform(0.03, 0.25))
        d = dur(self.rng, ms)
        self.wait(d)
        self.line(f"LOG:  duration: {d:.3f} ms  statement: {sql}")
        self.statements += 1

    def run(self, sql, params=(), ms=0.1):
        """One statement the ORM executes, logged the way this session's driver makes it."""
        params = list(params)
        if self.driver == "psycopg2":
            self.simple(render(sql, params, "literal"), ms)
            return
        style = "dollar" if self.driver == "psycopg" else "cast"
        text = render(sql, params, style)
        detail = ", ".join(f"${i} = {detail_value(p, self.driver)}"
                           for i, p in enumerate(params, start=1))
        if self.driver == "psycopg":
            name = "<unnamed>"
            parse = True
        else:
            name = self.prepared.get(text)
            parse = name is None
            if parse:
                name = f"__asyncpg_stmt_{len(self.prepared) + 1:x}__"
                self.prepared[text] = name
        self.wait(self.rng.uniform(0.03, 0.2))
        if parse:
            d = dur(self.rng, 0.02 + ms * 0.15)
            self.wait(d)
            self.line(f"LOG:  duration: {d:.3f} ms  parse {name}: {text}")
            self.wait(self.rng.uniform(0.01, 0.05))
        d = dur(self.rng, 0.015 + ms * 0.1)
        self.wait(d)
        self.line(f"LOG:  duration: {d:.3f} ms  bind {name}: {text}")
        if params:
            self.line(f"DETAIL:  parameters: {detail}")
        self.wait(self.rng.uniform(0.005, 0.03))
        d = dur(self.rng, ms)
        self.wait(d)
        self.line(f"LOG:  duration: {d:.3f} ms  execute {name}: {text}")
        if params:
            self.line(f"DETAIL:  parameters: {detail}")
        self.statements += 1

    def fail(self, sql, params, error, detail):
        """A statement that fails: ERROR, DETAIL and STATEMENT lines, no duration line."""
        style = {"psycopg2": "literal", "psycopg": "dollar", "asyncpg": "cast"}[self.driver]
        text = render(sql, list(params), style)
        self.wait(self.rng.uniform(0.2, 0.6))
        self.line(f"ERROR:  {error}")
        self.line(f"DETAIL:  {detail}")
        self.line(f"STATEMENT:  {text}")

    def begin(self):
        self.simple("BEGIN;" if self.driver == "asyncpg" else "BEGIN", 0.01)

    def commit(self):
        self.simple("COMMIT;" if self.driver == "asyncpg" else "COMMIT", 0.6)

    def rollback(self):
        self.simple("ROLLBACK;" if self.driver == "asyncpg" else "ROLLBACK", 0.01)

    # -- what SQLAlchemy runs on a fresh connection ----------------------------------------
    def dialect_startup(self, first_connection):
        if self.driver == "asyncpg":
            # asyncpg introspects the json and jsonb types when SQLAlchemy sets their codecs.
            q = ("SELECT\n    t.oid,\n    t.typelem     AS elemtype,\n    t.typtype     AS kind\n"
                 "FROM\n    pg_catalog.pg_type AS t\n"
                 "    INNER JOIN pg_catalog.pg_namespace ns ON (ns.oid = t.typnamespace)\n"
                 "WHERE\n    t.typname = %s AND ns.nspname = %s\n")
            self._introspect(q, "json")
            self._introspect(q, "jsonb")
        if self.driver == "psycopg2":
            # psycopg2's hstore adapter looks for the hstore type on every new connection.
            self.begin()
            self.simple("SELECT t.oid, typarray\nFROM pg_type t JOIN pg_namespace ns\n"
                        "    ON typnamespace = ns.oid\nWHERE typname = 'hstore';\n", 0.3)
            self.rollback()
        if first_connection:
            self.begin()
            for q, ms in (("select pg_catalog.version()", 0.05), ("select current_schema()", 0.03),
                          ("show transaction isolation level", 0.02),
                          ("show standard_conforming_strings", 0.02)):
                self.run(q, (), ms)
            self.rollback()

    def _introspect(self, q, typname):
        text = q.replace("%s", "$1", 1).replace("%s", "$2", 1)
        name = self.prepared.get(text)
        parse = name is None
        if parse:
            name = f"__asyncpg_stmt_{len(self.prepared) + 1:x}__"
            self.prepared[text] = name
        detail = f"$1 = '{typname}', $2 = 'pg_catalog'"
        self.wait(0.1)
        if parse:
            self.wait(0.3)
            self.line(f"LOG:  duration: {dur(self.rng, 0.25):.3f} ms  parse {name}: {text}")
        self.wait(0.05)
        self.line(f"LOG:  duration: {dur(self.rng, 0.04):.3f} ms  bind {name}: {text}")
        self.line(f"DETAIL:  parameters: {detail}")
        self.wait(0.1)
        self.line(f"LOG:  duration: {dur(self.rng, 0.08):.3f} ms  execute {name}: {text}")
        self.line(f"DETAIL:  parameters: {detail}")
        self.statements += 1


# --------------------------------------------------------------------------------------------
# Background noise: checkpoints and autovacuum
# --------------------------------------------------------------------------------------------

def add_checkpoints(log, rng, start_us, end_us, pid=61, every_s=300):
    t = start_us + int(rng.uniform(20, 200) * 1e6)
    while t < end_us:
        log.server(t, pid, "LOG:  checkpoint starting: time")
        write_s = rng.uniform(20.0, 60.0)
        buffers = rng.randint(200, 3000)
        done = t + int((write_s + rng.uniform(0.01, 0.2)) * 1e6)
        log.server(done, pid,
                   f"LOG:  checkpoint complete: wrote {buffers} buffers ({buffers / 163.84:.1f}%); "
                   f"0 WAL file(s) added, 0 removed, {rng.randint(0, 2)} recycled; "
                   f"write={write_s:.3f} s, sync={rng.uniform(0.001, 0.05):.3f} s, "
                   f"total={write_s + 0.06:.3f} s; sync files={rng.randint(10, 80)}, "
                   f"longest={rng.uniform(0.001, 0.01):.3f} s, average={rng.uniform(0.0, 0.002):.3f} s; "
                   f"distance={buffers * 9} kB, estimate={buffers * 10} kB")
        t += every_s * 1_000_000


def add_autovacuum(log, rng, t_us, pid, db, table, indexes, analyze=True):
    pages = rng.randint(40, 900)
    scanned = rng.randint(5, pages)
    removed = rng.randint(50, 2000)
    remain = rng.randint(2000, 60000)
    xid = rng.randint(700000, 900000)
    lines = [f"LOG:  automatic vacuum of table \"{db}.public.{table}\": index scans: 1",
             f"pages: 0 removed, {pages} remain, {scanned} scanned ({100.0 * scanned / pages:.2f}% of total)",
             f"tuples: {removed} removed, {remain} remain, 0 are dead but not yet removable",
             f"removable cutoff: {xid}, which was {rng.randint(0, 40)} XIDs old when operation ended",
             f"index scan needed: {scanned // 2} pages from table ({50.0 * scanned / pages:.2f}% of total) "
             f"had {removed} dead item identifiers removed"]
    for ix in indexes:
        lines.append(f"index \"{ix}\": pages: {rng.randint(10, 400)} in total, 0 newly deleted, "
                     f"0 currently deleted, 0 reusable")
    lines += [f"avg read rate: {rng.uniform(0, 3):.3f} MB/s, avg write rate: {rng.uniform(0, 9):.3f} MB/s",
              f"buffer usage: {rng.randint(300, 5000)} hits, {rng.randint(0, 40)} misses, "
              f"{rng.randint(1, 90)} dirtied",
              f"WAL usage: {rng.randint(50, 900)} records, {rng.randint(0, 40)} full page images, "
              f"{rng.randint(10000, 900000)} bytes",
              f"system usage: CPU: user: 0.0{rng.randint(0, 9)} s, system: 0.00 s, "
              f"elapsed: 0.{rng.randint(10, 99)} s"]
    log.server(t_us, pid, "\n".join(lines))
    if analyze:
        t2 = t_us + int(rng.uniform(5, 60) * 1000)
        log.server(t2, pid, "\n".join([
            f"LOG:  automatic analyze of table \"{db}.public.{table}\"",
            f"avg read rate: {rng.uniform(0, 5):.3f} MB/s, avg write rate: {rng.uniform(0, 5):.3f} MB/s",
            f"buffer usage: {rng.randint(100, 3000)} hits, {rng.randint(0, 20)} misses, "
            f"{rng.randint(0, 20)} dirtied",
            f"system usage: CPU: user: 0.0{rng.randint(0, 9)} s, system: 0.00 s, "
            f"elapsed: 0.0{rng.randint(1, 9)} s"]))


# --------------------------------------------------------------------------------------------
# The traffic loop shared by all samples
# --------------------------------------------------------------------------------------------

def simulate(app, log, rng, start, pids, user, db, driver, hosts, ssl=False,
             late_pids=(), disconnect=(), minutes=12):
    """Serve app.endpoints (count, handler) in a shuffled order; each request runs on the backend
    that became free first, so sessions interleave in the log."""
    start_us = us_of(start)
    sessions = []
    for i, pid in enumerate(list(pids) + list(late_pids)):
        late = i >= len(pids)
        t0 = start_us + 150_000 + i * int(rng.uniform(30, 400) * 1000)   # the first pid connects first
        if late:                    # the pool grows under load a few minutes in
            t0 += int(rng.uniform(150, 300) * 1e6)
        s = Session(log, pid, t0, user, db, driver, hosts[i % len(hosts)], rng.randint(40000, 60999), ssl)
        s.connect()
        s.dialect_startup(first_connection=(i == 0))
        sessions.append(s)
    plan = [f for count, f in app.endpoints for _ in range(count)]
    rng.shuffle(plan)
    mean_gap_ms = minutes * 60_000 * len(pids) / len(plan)     # idle time between two requests
    for f in plan:
        s = min(sessions, key=lambda x: (x.t, x.pid))
        s.wait(rng.uniform(0.02, 1.98) * mean_gap_ms)
        f(s)
    for s in sessions:
        if s.pid in disconnect:
            s.disconnect()
    return max(s.t for s in sessions)


# ============================================================================================
# Sample 1: workshops (seed 004) - psycopg2, naive timestamps, integer keys
# ============================================================================================

class Workshops:
    name, user, db = "workshops", "workshop_app", "workshops"
    start = datetime(2026, 11, 2, 9, 0, 0)

    USERS = ["id", "email", "name", "role", "password_hash", "status", "created_at", "last_active"]
    WORKSHOPS = ["id", "name", "description", "facilitator_id", "status", "current_phase",
                 "discovery_started", "annotation_started", "active_discovery_trace_ids",
                 "active_annotation_trace_ids", "judge_name", "created_at", "updated_at"]
    PARTICIPANTS = ["id", "user_id", "workshop_id", "role", "assigned_traces", "annotation_quota",
                    "joined_at"]
    TRACES = ["id", "workshop_id", "input", "output", "context", "trace_metadata", "mlflow_trace_id",
              "mlflow_url", "mlflow_experiment_id", "include_in_alignment", "sme_feedback", "created_at"]
    ANNOTATIONS = ["id", "workshop_id", "trace_id", "user_id", "rating", "comment", "created_at",
                   "updated_at"]
    FINDINGS = ["id", "workshop_id", "trace_id", "user_id", "insight", "created_at"]
    PROMPTS = ["id", "workshop_id", "prompt_text", "version", "model_name", "created_at"]
    EVALS = ["id", "workshop_id", "prompt_id", "trace_id", "predicted_rating", "human_rating",
             "confidence", "reasoning", "created_at"]
    NOTES = ["id", "workshop_id", "user_id", "trace_id", "content", "phase", "created_at", "updated_at"]

    def __init__(self, rng):
        self.rng = rng
        self.n_workshops = 14
        self.facilitator = {w: (w - 1) % 5 + 1 for w in range(1, 15)}
        # traces: each workshop owns a contiguous block of trace ids
        self.traces = {}
        tid = 6401
        for w in range(1, 15):
            n = rng.randint(6, 22)
            self.traces[w] = list(range(tid, tid + n))
            tid += n
        # membership: users 6..20 are SMEs in many workshops, 21..60 in a few
        self.members = {w: set() for w in range(1, 15)}
        self.workshops_of = {}
        for u in range(6, 61):
            k = rng.randint(5, 11) if u <= 20 else rng.randint(1, 3)
            ws = sorted(rng.sample(range(1, 15), k))
            self.workshops_of[u] = ws
            for w in ws:
                self.members[w].add(u)
        self.prompts = {w: 40 + w for w in range(1, 15)}
        self.endpoints = [      # (requests, handler)
            (28, self.list_my_workshops), (5, self.list_all_workshops), (30, self.workshop_traces),
            (14, self.results_page), (12, self.all_annotations), (22, self.my_annotations),
            (32, self.submit_annotation), (9, self.findings_with_users), (9, self.my_findings),
            (13, self.submit_finding), (9, self.notes), (6, self.my_notes), (6, self.add_note),
            (9, self.participants), (6, self.judge_prompts), (9, self.evaluations), (3, self.run_judge),
            (4, self.ingest_traces), (3, self.advance_phase), (4, self.login),
        ]

    # -- helpers ---------------------------------------------------------------------------
    def now(self, s):
        return datetime(1970, 1, 1) + timedelta(microseconds=s.t)

    def pick_member(self, w):
        return self.rng.choice(sorted(self.members[w]))

    def auth(self, s, uid):
        s.run(select(cols("users", self.USERS), "users", "users.id = %s"), [uid], 0.06)

    def workshop_by_id(self, s, w):
        s.run(select(cols("workshops", self.WORKSHOPS), "workshops", "workshops.id = %s"), [w], 0.06)

    def traces_of(self, s, w):
        s.run(select(cols("traces", self.TRACES), "traces", "traces.workshop_id = %s"), [w],
              2.4 + 0.2 * len(self.traces[w]))

    # -- endpoints -------------------------------------------------------------------------
    def list_my_workshops(self, s):
        """GET /workshops/ : ids first, then the workshops, then a trace count per workshop."""
        uid = self.rng.choice(list(range(6, 21)) * 3 + list(range(21, 61)))
        ws = self.workshops_of[uid]
        s.begin()
        self.auth(s, uid)
        s.run(select("workshop_participants.workshop_id AS workshop_participants_workshop_id",
                     "workshop_participants", "workshop_participants.user_id = %s"), [uid], 0.08)
        s.run(select(cols("workshops", self.WORKSHOPS), "workshops", "workshops.id IN " + in_list(len(ws))),
              ws, 0.12 + 0.03 * len(ws))
        for w in ws:
            s.run(select("count(traces.id) AS count_1", "traces", "traces.workshop_id = %s"), [w], 1.9)
        s.rollback()

    def list_all_workshops(self, s):
        """GET /workshops/all : every workshop with its JSON trace-id lists, no LIMIT."""
        s.begin()
        self.auth(s, self.rng.randint(1, 5))
        s.run(select(cols("workshops", self.WORKSHOPS), "workshops"), [], 1.4)
        s.rollback()

    def workshop_traces(self, s):
        """GET /workshops/{id}/traces : the annotation UI loads every trace of the workshop."""
        w = self.rng.randint(1, self.n_workshops)
        s.begin()
        self.auth(s, self.pick_member(w))
        self.workshop_by_id(s, w)
        self.traces_of(s, w)
        s.rollback()

    def results_page(self, s):
        """GET /workshops/{id}/results : traces, then trace.annotations lazy-loaded per trace."""
        w = self.rng.randint(1, self.n_workshops)
        s.begin()
        self.auth(s, self.facilitator[w])
        self.workshop_by_id(s, w)
        self.traces_of(s, w)
        for t in self.traces[w]:
            s.run(select(cols("annotations", self.ANNOTATIONS), "annotations", "%s = annotations.trace_id"),
                  [t], 3.1)
        s.rollback()

    def all_annotations(self, s):
        """GET /workshops/{id}/annotations : then annotation.user lazy-loaded per distinct user."""
        w = self.rng.randint(1, self.n_workshops)
        me = self.facilitator[w]
        s.begin()
        self.auth(s, me)
        s.run(select(cols("annotations", self.ANNOTATIONS), "annotations", "annotations.workshop_id = %s"),
              [w], 4.2)
        for u in sorted(self.members[w], key=lambda x: (x * 7919) % 61):
            if u != me:
                self.auth(s, u)
        s.rollback()

    def my_annotations(self, s):
        w = self.rng.randint(1, self.n_workshops)
        u = self.pick_member(w)
        s.begin()
        self.auth(s, u)
        s.run(select(cols("annotations", self.ANNOTATIONS), "annotations",
                     "annotations.workshop_id = %s AND annotations.user_id = %s"), [w, u], 3.6)
        s.rollback()

    def submit_annotation(self, s):
        w = self.rng.randint(1, self.n_workshops)
        u = self.pick_member(w)
        t = self.rng.choice(self.traces[w])
        comment = self.rng.choice([None, "Clear and grounded answer.", "Misses the user's actual question.",
                                   "Cites the wrong policy, but tone is fine.", "Good, concise."])
        s.begin()
        self.auth(s, u)
        s.run(select(cols("traces", self.TRACES), "traces", "traces.id = %s"), [t], 0.07)
        s.run(insert("annotations", ["workshop_id", "trace_id", "user_id", "rating", "comment",
                                     "created_at", "updated_at"], returning="id"),
              [w, t, u, self.rng.randint(1, 5), T(comment, "VARCHAR"), self.now(s),
               T(None, "TIMESTAMP WITHOUT TIME ZONE")], 0.3)
        s.commit()

    def findings_with_users(self, s):
        """get_findings_with_user_details(): a JOIN that still loads every column of both tables."""
        w = self.rng.randint(1, self.n_workshops)
        s.begin()
        self.auth(s, self.facilitator[w])
        s.run(select(cols("discovery_findings", self.FINDINGS) + ", " + cols("users", self.USERS),
                     "discovery_findings JOIN users ON discovery_findings.user_id = users.id",
                     "discovery_findings.workshop_id = %s"), [w], 2.8)
        s.rollback()

    def my_findings(self, s):
        w = self.rng.randint(1, self.n_workshops)
        u = self.pick_member(w)
        s.begin()
        self.auth(s, u)
        s.run(select(cols("discovery_findings", self.FINDINGS), "discovery_findings",
                     "discovery_findings.workshop_id = %s AND discovery_findings.user_id = %s"), [w, u], 2.2)
        s.rollback()

    def submit_finding(self, s):
        w = self.rng.randint(1, self.n_workshops)
        u = self.pick_member(w)
        t = self.rng.choice(self.traces[w])
        insight = self.rng.choice(["The model refuses valid refund requests.",
                                   "Answers \"it depends\" without asking a follow-up.",
                                   "Hallucinates order numbers, e.g. #A-1042.",
                                   "Tone is fine; facts are stale (2024 pricing)."])
        s.begin()
        self.auth(s, u)
        s.run(insert("discovery_findings", ["workshop_id", "trace_id", "user_id", "insight", "created_at"],
                     returning="id"), [w, t, u, insight, self.now(s)], 0.3)
        s.commit()

    def notes(self, s):
        w = self.rng.randint(1, self.n_workshops)
        s.begin()
        self.auth(s, self.facilitator[w])
        s.run(select(cols("participant_notes", self.NOTES), "participant_notes",
                     "participant_notes.workshop_id = %s"), [w], 0.25)
        s.rollback()

    def my_notes(self, s):
        w = self.rng.randint(1, self.n_workshops)
        u = self.pick_member(w)
        s.begin()
        self.auth(s, u)
        s.run(select(cols("participant_notes", self.NOTES), "participant_notes",
                     "participant_notes.workshop_id = %s AND participant_notes.user_id = %s"), [w, u], 0.12)
        s.rollback()

    def add_note(self, s):
        w = self.rng.randint(1, self.n_workshops)
        u = self.pick_member(w)
        s.begin()
        self.auth(s, u)
        s.run(insert("participant_notes", ["workshop_id", "user_id", "trace_id", "content", "phase",
                                           "created_at", "updated_at"], returning="id"),
              [w, u, self.rng.choice(self.traces[w]), "Check whether the retrieval step ran.", "discovery",
               self.now(s), T(None, "TIMESTAMP WITHOUT TIME ZONE")], 0.25)
        s.commit()

    def participants(self, s):
        w = self.rng.randint(1, self.n_workshops)
        s.begin()
        self.auth(s, self.facilitator[w])
        s.run(select(cols("workshop_participants", self.PARTICIPANTS), "workshop_participants",
                     "workshop_participants.workshop_id = %s"), [w], 0.3)
        s.rollback()

    def judge_prompts(self, s):
        w = self.rng.randint(1, self.n_workshops)
        s.begin()
        self.auth(s, self.facilitator[w])
        s.run(select(cols("judge_prompts", self.PROMPTS), "judge_prompts", "judge_prompts.workshop_id = %s",
                     order="judge_prompts.version DESC"), [w], 0.09)
        s.rollback()

    def evaluations(self, s):
        w = self.rng.randint(1, self.n_workshops)
        s.begin()
        self.auth(s, self.facilitator[w])
        s.run(select(cols("judge_evaluations", self.EVALS), "judge_evaluations",
                     "judge_evaluations.workshop_id = %s AND judge_evaluations.prompt_id = %s"),
              [w, self.prompts[w]], 5.5)
        s.rollback()

    def run_judge(self, s):
        """POST /workshops/{id}/judge/run : one multi-row INSERT (not a loop)."""
        w = self.rng.randint(1, self.n_workshops)
        ts = self.traces[w]
        s.begin()
        self.auth(s, self.facilitator[w])
        s.run(select(cols("judge_prompts", self.PROMPTS), "judge_prompts", "judge_prompts.id = %s"),
              [self.prompts[w]], 0.05)
        self.traces_of(s, w)
        params = []
        for t in ts:
            params += [w, self.prompts[w], t, self.rng.randint(1, 5), T(None, "INTEGER"),
                       round(self.rng.uniform(0.5, 0.99), 2), "Response follows the rubric.", self.now(s)]
        s.run(insert("judge_evaluations", ["workshop_id", "prompt_id", "trace_id", "predicted_rating",
                                           "human_rating", "confidence", "reasoning", "created_at"],
                     rows=len(ts)), params, 0.9 + 0.05 * len(ts))
        s.run(update("workshops", ["current_phase", "updated_at"], "workshops.id = %s"),
              ["judge_tuning", self.now(s), w], 0.2)
        s.commit()

    def ingest_traces(self, s):
        """POST /workshops/{id}/traces : dedupe by MLflow id, then insert; 2 to 4 traces per call."""
        w = self.rng.randint(1, self.n_workshops)
        s.begin()
        self.auth(s, self.facilitator[w])
        for _ in range(self.rng.randint(2, 4)):
            mlflow_id = f"tr-{self.rng.getrandbits(64):016x}"
            s.run(select("traces.id AS traces_id", "traces", "traces.mlflow_trace_id = %s"), [mlflow_id], 0.06)
            s.run(insert("traces", ["workshop_id", "input", "output", "context", "trace_metadata",
                                    "mlflow_trace_id", "mlflow_url", "mlflow_experiment_id",
                                    "include_in_alignment", "sme_feedback", "created_at"], returning="id"),
                  [w, "How do I reset my password?", "Go to Settings > Security and choose 'Reset'.",
                   Json({"retrieved_docs": ["kb/112", "kb/87"], "turns": 3}),
                   Json({"source": "mlflow", "model": "agent-v7", "latency_ms": self.rng.randint(300, 4000)}),
                   mlflow_id, f"https://mlflow.example.com/#/experiments/311/traces/{mlflow_id}", "311", True,
                   T(None, "VARCHAR"), self.now(s)], 0.4)
        s.commit()

    def advance_phase(self, s):
        w = self.rng.randint(1, self.n_workshops)
        s.begin()
        self.auth(s, self.facilitator[w])
        self.workshop_by_id(s, w)
        s.run(update("workshops", ["current_phase", "annotation_started", "active_annotation_trace_ids",
                                   "updated_at"], "workshops.id = %s"),
              ["annotation", True, Json(self.traces[w], jsonb=False), self.now(s), w], 0.25)
        s.commit()

    def login(self, s):
        u = self.rng.randint(1, 60)
        s.begin()
        s.run(select(cols("users", self.USERS), "users", "users.email = %s"),
              [f"user{u}@example.com"], 0.06)
        s.run(update("users", ["last_active"], "users.id = %s"), [self.now(s), u], 0.15)
        s.commit()

    def generate(self):
        log = Log()
        end = simulate(self, log, self.rng, self.start, pids=[4242, 4243, 4251, 4260],
                       user=self.user, db=self.db, driver="psycopg2",
                       hosts=["10.0.3.17", "10.0.3.18"], late_pids=[4398], disconnect=[4398])
        start_us = us_of(self.start)
        add_checkpoints(log, self.rng, start_us, end)
        add_autovacuum(log, self.rng, start_us + 250_000_000, 5120, self.db, "annotations",
                       ["annotations_pkey"])
        add_autovacuum(log, self.rng, start_us + 610_000_000, 5377, self.db, "users",
                       ["users_pkey", "users_email_key", "ix_users_email"])
        return log


# ============================================================================================
# Sample 2: collaborative-buckets (seed 000) - psycopg 3, extended protocol, unnamed statements
# ============================================================================================

class Buckets:
    name, user, db = "collaborative-buckets", "leadfactory", "leadfactory"
    start = datetime(2026, 11, 2, 14, 0, 0)

    USERS = ["id", "email", "full_name", "is_active", "created_at"]
    BUCKETS = ["id", "name", "description", "bucket_type", "bucket_key", "owner_id", "is_public",
               "is_archived", "lead_count", "created_at", "updated_at"]
    BUSINESSES = ["id", "bucket_id", "name", "address", "city", "state", "zip_code", "phone", "website",
                  "vertical", "status", "assigned_to", "score", "enrichment_data", "created_at", "updated_at"]
    PERMS = ["id", "bucket_id", "user_id", "permission", "granted_by", "granted_at"]
    TAGS = ["id", "bucket_id", "tag_name", "color", "created_at"]
    NOTIFS = ["id", "user_id", "bucket_id", "activity_id", "notification_type", "title", "message",
              "is_read", "created_at"]
    ACTIVITY_LIST = ["id", "bucket_id", "user_id", "activity_type", "entity_type", "entity_id", "created_at"]

    def __init__(self, rng):
        self.rng = rng
        self.owner = {b: (b - 1) % 8 + 1 for b in range(1, 31)}
        self.collaborators = {b: sorted({self.owner[b]} | set(rng.sample(range(1, 41), rng.randint(1, 4))))
                              for b in range(1, 31)}
        self.leads = {}
        lid = 1001
        for b in range(1, 31):
            n = rng.randint(20, 90)
            self.leads[b] = list(range(lid, lid + n))
            lid += n
        self.notifications = {u: rng.randint(2, 26) for u in range(1, 41)}
        self.next_activity = 90001
        self.endpoints = [      # (requests, handler)
            (5, self.list_buckets), (4, self.get_bucket), (5, self.notifications_page), (3, self.mark_read),
            (2, self.bulk_update), (1, self.create_bucket), (4, self.bucket_leads), (2, self.activity_feed),
            (1, self.add_tag),
        ]

    def now(self, s):
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=s.t)

    def auth(self, s, uid):
        s.run(select(cols("users", self.USERS), "users", "users.id = %s"), [uid], 0.05)

    def bucket_by_id(self, s, b):
        s.run(select(cols("collaborative_buckets", self.BUCKETS), "collaborative_buckets",
                     "collaborative_buckets.id = %s", limit="%s"), [b, 1], 0.05)

    def permission(self, s, b, uid):
        s.run(select(cols("bucket_permissions", self.PERMS), "bucket_permissions",
                     "bucket_permissions.bucket_id = %s AND bucket_permissions.user_id = %s", limit="%s"),
              [b, uid, 1], 0.05)

    def list_buckets(self, s):
        u = self.rng.randint(1, 8)
        page = self.rng.choice([0, 0, 0, 20])
        s.begin()
        self.auth(s, u)
        s.run(select(cols("collaborative_buckets", self.BUCKETS), "collaborative_buckets",
                     "collaborative_buckets.owner_id = %s", order="collaborative_buckets.updated_at DESC",
                     limit="%s OFFSET %s"), [u, 20, page], 0.15)
        s.rollback()

    def get_bucket(self, s):
        b = self.rng.randint(1, 30)
        u = self.rng.choice(self.collaborators[b])
        s.begin()
        self.auth(s, u)
        self.permission(s, b, u)
        self.bucket_by_id(s, b)
        s.run(select(cols("bucket_tags", self.TAGS, first="bucket_id"), "bucket_tags",
                     "bucket_tags.bucket_id IN (%s)"), [b], 0.06)
        s.rollback()

    def notifications_page(self, s):
        """GET /notifications : one query per notification for its bucket (the seed's N+1)."""
        u = self.rng.randint(1, 40)
        s.begin()
        self.auth(s, u)
        s.run(select(cols("bucket_notifications", self.NOTIFS), "bucket_notifications",
                     "bucket_notifications.user_id = %s", order="bucket_notifications.created_at DESC"),
              [u], 0.2)
        for _ in range(self.notifications[u]):
            self.bucket_by_id(s, self.rng.randint(1, 30))
        s.run(select("count(bucket_notifications.id) AS count_1", "bucket_notifications",
                     "bucket_notifications.user_id = %s AND bucket_notifications.is_read = false"), [u], 0.06)
        s.rollback()

    def mark_read(self, s):
        u = self.rng.randint(1, 40)
        n = self.rng.randint(40000, 48000)
        s.begin()
        self.auth(s, u)
        s.run(select(cols("bucket_notifications", self.NOTIFS), "bucket_notifications",
                     "bucket_notifications.id = %s", limit="%s"), [n, 1], 0.05)
        s.run(update("bucket_notifications", ["is_read"], "bucket_notifications.id = %s"), [True, n], 0.12)
        s.commit()

    def bulk_update(self, s):
        """POST /buckets/{id}/leads/bulk : per lead a SELECT, an UPDATE and an activity-log INSERT."""
        b = self.rng.randint(1, 30)
        u = self.owner[b]
        leads = sorted(self.rng.sample(self.leads[b], self.rng.randint(6, min(22, len(self.leads[b])))))
        status = self.rng.choice(["contacted", "qualified", "disqualified", "assigned"])
        assignee = self.rng.choice(self.collaborators[b])
        s.begin()
        self.auth(s, u)
        self.permission(s, b, u)
        self.bucket_by_id(s, b)
        for lead in leads:
            s.run(select(cols("businesses", self.BUSINESSES), "businesses", "businesses.id = %s", limit="%s"),
                  [lead, 1], 0.06)
            s.run(update("businesses", ["status", "assigned_to", "updated_at"], "businesses.id = %s"),
                  [status, assignee, self.now(s), lead], 0.14)
            s.run(insert("bucket_activities", ["bucket_id", "user_id", "activity_type", "entity_type",
                                               "entity_id", "old_values", "new_values", "created_at"],
                         returning="id"),
                  [b, u, "lead_updated", "business", str(lead), Json({"status": "new", "assigned_to": None}),
                   Json({"status": status, "assigned_to": assignee}), self.now(s)], 0.18)
            self.next_activity += 1
        s.run(update("collaborative_buckets", ["updated_at"], "collaborative_buckets.id = %s"),
              [self.now(s), b], 0.1)
        s.run(select("bucket_permissions.user_id AS bucket_permissions_user_id", "bucket_permissions",
                     "bucket_permissions.bucket_id = %s"), [b], 0.05)
        others = [c for c in self.collaborators[b] if c != u] or [u]
        params = []
        for c in others:
            params += [c, b, self.next_activity - 1, "bulk_update", f"{len(leads)} leads updated",
                       T(None, "VARCHAR"), False, self.now(s)]
        s.run(insert("bucket_notifications", ["user_id", "bucket_id", "activity_id", "notification_type",
                                              "title", "message", "is_read", "created_at"], rows=len(others)),
              params, 0.2)
        s.commit()

    def create_bucket(self, s):
        u = self.rng.randint(1, 8)
        key = f"geo:{self.rng.choice(['tx-austin', 'ca-fresno', 'or-bend', 'ny-albany'])}:{self.rng.randint(100, 999)}"
        s.begin()
        self.auth(s, u)
        s.run(insert("collaborative_buckets", ["name", "description", "bucket_type", "bucket_key", "owner_id",
                                               "is_public", "is_archived", "lead_count", "created_at",
                                               "updated_at"], returning="id"),
              ["O'Brien's HVAC leads", T(None, "VARCHAR"), "geo", key, u, False, False, 0, self.now(s),
               self.now(s)], 0.2)
        s.run(insert("bucket_permissions", ["bucket_id", "user_id", "permission", "granted_by", "granted_at"],
                     returning="id"), [31, u, "owner", u, self.now(s)], 0.15)
        s.run(insert("bucket_activities", ["bucket_id", "user_id", "activity_type", "entity_type", "entity_id",
                                           "old_values", "new_values", "created_at"], returning="id"),
              [31, u, "bucket_created", "bucket", "31", T(None, "JSONB"), Json({"bucket_key": key}),
               self.now(s)], 0.15)
        s.commit()

    def bucket_leads(self, s):
        """GET /buckets/{id}/leads : paginated, and load_only() keeps enrichment_data out."""
        b = self.rng.randint(1, 30)
        u = self.rng.choice(self.collaborators[b])
        s.begin()
        self.auth(s, u)
        self.permission(s, b, u)
        s.run(select(cols("businesses", ["id", "name", "city", "state", "vertical", "status", "assigned_to",
                                         "score"]), "businesses", "businesses.bucket_id = %s",
                     limit="%s OFFSET %s"), [b, 50, self.rng.choice([0, 0, 50])], 0.4)
        s.rollback()

    def activity_feed(self, s):
        b = self.rng.randint(1, 30)
        u = self.rng.choice(self.collaborators[b])
        s.begin()
        self.auth(s, u)
        self.permission(s, b, u)
        s.run(select(cols("bucket_activities", self.ACTIVITY_LIST), "bucket_activities",
                     "bucket_activities.bucket_id = %s", order="bucket_activities.created_at DESC",
                     limit="%s"), [b, 50], 0.3)
        s.rollback()

    def add_tag(self, s):
        b = self.rng.randint(1, 30)
        u = self.owner[b]
        s.begin()
        self.auth(s, u)
        self.permission(s, b, u)
        s.run(insert("bucket_tags", ["bucket_id", "tag_name", "color", "created_at"], returning="id"),
              [b, self.rng.choice(["hot", "follow-up", "q4"]), "#e4572e", self.now(s)], 0.12)
        s.commit()

    def generate(self):
        log = Log()
        end = simulate(self, log, self.rng, self.start, pids=[30117, 30118, 30125],
                       user=self.user, db=self.db, driver="psycopg", hosts=["172.18.0.5"],
                       late_pids=[30411], disconnect=[30411])
        start_us = us_of(self.start)
        add_checkpoints(log, self.rng, start_us, end, pid=58)
        add_autovacuum(log, self.rng, start_us + 340_000_000, 31002, self.db, "bucket_activities",
                       ["bucket_activities_pkey", "ix_bucket_activities_bucket_created"])
        return log


# ============================================================================================
# Sample 3: projects (seed 001) - psycopg2 with pool_pre_ping, nested N+1
# ============================================================================================

class Projects:
    name, user, db = "projects", "pm_api", "projects"
    start = datetime(2026, 11, 3, 8, 30, 0)

    PROJECTS = ["id", "name", "description", "status_id", "priority_id", "owner_id", "start_date", "due_date",
                "budget", "progress", "is_active", "created_at", "updated_at"]
    FEATURES = ["id", "project_id", "status_id", "name", "description", "story_points", "created_at",
                "updated_at"]
    BACKLOGS = ["id", "project_id", "feature_id", "title", "description", "story_points", "is_done",
                "created_at", "updated_at"]
    RESOURCES = ["id", "name", "email", "role", "skills", "availability", "hourly_rate", "created_at"]

    def __init__(self, rng):
        self.rng = rng
        self.projects = list(range(1, 15))
        self.features = {}
        self.backlogs = {}
        fid, bid = 101, 1001
        for p in self.projects:
            n = rng.randint(2, 6)
            self.features[p] = list(range(fid, fid + n))
            fid += n
            for f in self.features[p]:
                m = rng.randint(1, 5)
                self.backlogs[f] = list(range(bid, bid + m))
                bid += m
        self.all_backlogs = [b for f in sorted(self.backlogs) for b in self.backlogs[f]]
        self.endpoints = [      # (requests, handler)
            (10, self.dashboard), (18, self.by_status_priority), (10, self.by_status), (10, self.due_soon),
            (8, self.recent), (8, self.mine), (18, self.project_detail), (8, self.skill_search),
            (6, self.available), (6, self.resource_projects), (12, self.update_backlog),
            (3, self.add_feature), (6, self.update_progress),
        ]

    def now(self, s):
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=s.t)

    def start_request(self, s):
        s.begin()
        s.simple("SELECT 1", 0.01)        # pool_pre_ping

    def projects_select(self, where=None, order=None, limit=None):
        return select(cols("projects", self.PROJECTS), "projects", where, order, limit)

    def dashboard(self, s):
        """GET /dashboard : all projects, then features per project, then backlogs per feature."""
        self.start_request(s)
        s.run(self.projects_select(), [], 0.9)
        for p in self.projects:
            s.run(select(cols("features", self.FEATURES), "features", "features.project_id = %s"), [p], 1.6)
            for f in self.features[p]:
                s.run(select(cols("backlogs", self.BACKLOGS), "backlogs", "backlogs.feature_id = %s"), [f], 2.1)
        s.rollback()

    def by_status_priority(self, s):
        self.start_request(s)
        s.run(self.projects_select("projects.status_id = %s AND projects.priority_id = %s",
                                   limit="%s OFFSET %s"),
              [self.rng.randint(1, 6), self.rng.randint(1, 4), 20, self.rng.choice([0, 0, 20])], 1.1)
        s.rollback()

    def by_status(self, s):
        self.start_request(s)
        s.run(self.projects_select("projects.status_id = %s", limit="%s OFFSET %s"),
              [self.rng.randint(1, 6), 20, 0], 1.0)
        s.rollback()

    def due_soon(self, s):
        """GET /projects/due-soon : a date range and no LIMIT."""
        d0 = date(2026, 11, 3) + timedelta(days=self.rng.randint(0, 3))
        self.start_request(s)
        s.run(self.projects_select("projects.due_date >= %s AND projects.due_date <= %s",
                                   order="projects.due_date"), [d0, d0 + timedelta(days=14)], 1.3)
        s.rollback()

    def recent(self, s):
        self.start_request(s)
        since = datetime(2026, 10, 27, 8, 30, tzinfo=timezone.utc) + timedelta(hours=self.rng.randint(0, 48))
        s.run(self.projects_select("projects.created_at >= %s", order="projects.created_at DESC", limit="%s"),
              [since, 10], 1.2)
        s.rollback()

    def mine(self, s):
        self.start_request(s)
        s.run(self.projects_select("projects.owner_id = %s", limit="%s OFFSET %s"),
              [self.rng.randint(1, 25), 20, 0], 0.12)
        s.rollback()

    def project_detail(self, s):
        p = self.rng.choice(self.projects)
        self.start_request(s)
        s.run(self.projects_select("projects.id = %s"), [p], 0.05)
        s.run(select(cols("features", self.FEATURES), "features",
                     "features.project_id = %s AND features.status_id = %s"), [p, self.rng.randint(1, 6)], 1.5)
        s.run(select(cols("backlogs", self.BACKLOGS), "backlogs", "backlogs.project_id = %s"), [p], 2.3)
        s.rollback()

    def skill_search(self, s):
        skill = self.rng.choice(["python", "react", "postgresql", "kubernetes", "figma"])
        self.start_request(s)
        s.run(select(cols("resources", self.RESOURCES), "resources", "resources.skills @> %s", limit="%s"),
              [Json([skill]), 50], 1.4)
        s.rollback()

    def available(self, s):
        """load_only(): the availability widget does not fetch skills."""
        self.start_request(s)
        s.run(select(cols("resources", ["id", "name", "role", "availability"]), "resources",
                     "resources.availability >= %s", order="resources.availability DESC", limit="%s"),
              [Decimal(self.rng.choice(["0.25", "0.50", "0.75"])), 20], 0.9)
        s.rollback()

    def resource_projects(self, s):
        self.start_request(s)
        s.run(select(cols("project_resources", ["project_id", "resource_id", "allocation"]), "project_resources",
                     "project_resources.resource_id = %s"), [self.rng.randint(1, 30)], 0.07)
        s.rollback()

    def update_backlog(self, s):
        b = self.rng.choice(self.all_backlogs)
        self.start_request(s)
        s.run(select(cols("backlogs", self.BACKLOGS), "backlogs", "backlogs.id = %s"), [b], 0.05)
        s.run(update("backlogs", ["story_points", "is_done", "updated_at"], "backlogs.id = %s"),
              [self.rng.choice([1, 2, 3, 5, 8]), self.rng.random() < 0.3, self.now(s), b], 0.15)
        s.commit()

    def add_feature(self, s):
        p = self.rng.choice(self.projects)
        self.start_request(s)
        s.run(insert("features", ["project_id", "status_id", "name", "description", "story_points",
                                  "created_at", "updated_at"], returning="id"),
              [p, 1, "Export to CSV", T(None, "VARCHAR"), 3, self.now(s), self.now(s)], 0.25)
        s.commit()

    def update_progress(self, s):
        p = self.rng.choice(self.projects)
        self.start_request(s)
        s.run(update("projects", ["progress", "updated_at"], "projects.id = %s"),
              [self.rng.randint(0, 100), self.now(s), p], 0.15)
        s.commit()

    def generate(self):
        log = Log()
        end = simulate(self, log, self.rng, self.start, pids=[2811, 2812, 2815],
                       user=self.user, db=self.db, driver="psycopg2", hosts=["10.20.0.7"],
                       late_pids=[2990], disconnect=[2990])
        start_us = us_of(self.start)
        add_checkpoints(log, self.rng, start_us, end, pid=70)
        add_autovacuum(log, self.rng, start_us + 400_000_000, 3377, self.db, "backlogs",
                       ["backlogs_pkey", "ix_backlogs_id"])
        return log


# ============================================================================================
# Sample 4: multitenant-users (seed 002) - asyncpg, UUID keys, selectin loads on every look-up
# ============================================================================================

class MultiTenant:
    name, user, db = "multitenant-users", "agency", "agency_core"
    start = datetime(2026, 11, 4, 10, 0, 0)

    TENANTS = ["id", "name", "slug", "plan", "settings", "is_active", "created_at", "updated_at"]
    USERS = ["id", "tenant_id", "email", "hashed_password", "full_name", "is_active", "is_superuser",
             "preferences", "last_login_at", "created_at", "updated_at"]
    ROLES = ["id", "tenant_id", "name", "description", "permissions", "is_system", "created_at"]
    USER_ROLES = ["user_id", "role_id", "assigned_by", "assigned_at"]
    TOKENS = ["id", "user_id", "token_hash", "user_agent", "expires_at", "revoked_at", "created_at"]

    def __init__(self, rng):
        self.rng = rng

        def uid():
            return uuid.UUID(int=rng.getrandbits(128), version=4)

        self.tenants = [uid() for _ in range(6)]
        self.slugs = dict(zip(self.tenants, ["acme", "globex", "initech", "umbrella", "hooli", "stark"]))
        self.roles = {t: {n: uid() for n in ("admin", "member", "viewer", "billing")} for t in self.tenants}
        self.users = {t: [uid() for _ in range(rng.randint(12, 30))] for t in self.tenants}
        self.tenant_of = {u: t for t in self.tenants for u in self.users[t]}
        self.user_roles = {}
        for t in self.tenants:
            for i, u in enumerate(self.users[t]):
                names = ["admin"] if i == 0 else ["member"] + (["billing"] if i % 5 == 1 else []) \
                    + (["viewer"] if i % 7 == 3 else [])
                self.user_roles[u] = [self.roles[t][n] for n in names]
        self.all_users = [u for t in self.tenants for u in self.users[t]]
        self.superuser = self.users[self.tenants[0]][0]
        self.endpoints = [      # (requests, handler)
            (14, self.me), (5, self.list_users), (3, self.update_me), (5, self.login), (5, self.refresh),
            (1, self.logout_all), (3, self.tenant_roles), (2, self.admin_tenants), (2, self.audit_log),
        ]

    def now(self, s):
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=s.t)

    def eager(self, s, users, tenant_loaded=False, roles_loaded=()):
        """lazy="selectin" on User.user_roles (then UserRole.role) and on User.tenant."""
        s.run(select(cols("user_roles", self.USER_ROLES, first="user_id"), "user_roles",
                     "user_roles.user_id IN " + in_list(len(users))), users, 0.08 + 0.01 * len(users))
        roles = []
        for u in users:
            for r in self.user_roles[u]:
                if r not in roles and r not in roles_loaded:
                    roles.append(r)
        if roles:
            s.run(select(cols("roles", self.ROLES), "roles", "roles.id IN " + in_list(len(roles))), roles, 0.07)
        if not tenant_loaded:
            s.run(select(cols("tenants", self.TENANTS), "tenants", "tenants.id IN (%s)"),
                  [self.tenant_of[users[0]]], 0.05)
        return roles

    def auth(self, s, u):
        """get_current_user(): the full User with roles and tenant, on every request."""
        s.run(select(cols("users", self.USERS), "users", "users.id = %s"), [u], 0.06)
        return self.eager(s, [u])

    def pick_user(self):
        return self.rng.choice(self.all_users)

    def me(self, s):
        s.begin()
        self.auth(s, self.pick_user())
        s.rollback()

    def list_users(self, s):
        """GET /users : a page of users, their roles in one IN query, and a count."""
        t = self.rng.choice(self.tenants)
        me = self.users[t][0]
        page = [u for u in self.users[t] if u != me][:20]
        s.begin()
        loaded = self.auth(s, me)
        s.run(select(cols("users", self.USERS), "users", "users.tenant_id = %s",
                     order="users.created_at DESC", limit="%s OFFSET %s"), [t, 20, 0], 0.3)
        self.eager(s, page, tenant_loaded=True, roles_loaded=loaded)
        s.run(select("count(*) AS count_1", "users", "users.tenant_id = %s"), [t], 0.12)
        s.rollback()

    def update_me(self, s):
        u = self.pick_user()
        s.begin()
        self.auth(s, u)
        s.run(update("users", ["full_name", "updated_at"], "users.id = %s"),
              [self.rng.choice(["Dana Scully", "Fox Mulder", "Walter O'Neil"]), self.now(s), u], 0.15)
        s.run(insert("audit_events", ["tenant_id", "actor_id", "action", "target_type", "target_id", "payload",
                                      "created_at"], returning="id"),
              [self.tenant_of[u], u, "user.updated", "user", u, Json({"fields": ["full_name"]}), self.now(s)],
              0.15)
        s.commit()

    def login(self, s):
        """POST /auth/login : tenant by slug, then the user by (email, tenant_id): no index has email."""
        t = self.rng.choice(self.tenants)
        i = self.rng.randrange(len(self.users[t]))
        u = self.users[t][i]
        s.begin()
        s.run(select(cols("tenants", self.TENANTS), "tenants", "tenants.slug = %s"), [self.slugs[t]], 0.05)
        s.run(select(cols("users", self.USERS), "users", "users.email = %s AND users.tenant_id = %s"),
              [f"user{i}@{self.slugs[t]}.example", t], 2.6)
        self.eager(s, [u], tenant_loaded=True)
        s.run(update("users", ["last_login_at"], "users.id = %s"), [self.now(s), u], 0.12)
        s.run(insert("refresh_tokens", self.TOKENS),
              [uuid.UUID(int=self.rng.getrandbits(128), version=4), u, f"{self.rng.getrandbits(256):064x}",
               "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)", self.now(s) + timedelta(days=14),
               T(None, "TIMESTAMP WITH TIME ZONE"), self.now(s)], 0.15)
        s.run(insert("audit_events", ["tenant_id", "actor_id", "action", "target_type", "target_id", "payload",
                                      "created_at"], returning="id"),
              [t, u, "auth.login", "user", u, Json({"ip": "203.0.113.7"}), self.now(s)], 0.12)
        s.commit()

    def refresh(self, s):
        u = self.pick_user()
        token = f"{self.rng.getrandbits(256):064x}"
        s.begin()
        s.run(select(cols("refresh_tokens", self.TOKENS), "refresh_tokens", "refresh_tokens.token_hash = %s"),
              [token], 0.05)
        self.auth(s, u)
        s.run(update("refresh_tokens", ["revoked_at"], "refresh_tokens.id = %s"),
              [self.now(s), uuid.UUID(int=self.rng.getrandbits(128), version=4)], 0.1)
        s.run(insert("refresh_tokens", self.TOKENS),
              [uuid.UUID(int=self.rng.getrandbits(128), version=4), u, f"{self.rng.getrandbits(256):064x}",
               "okhttp/4.12.0", self.now(s) + timedelta(days=14), T(None, "TIMESTAMP WITH TIME ZONE"),
               self.now(s)], 0.14)
        s.commit()

    def logout_all(self, s):
        u = self.pick_user()
        s.begin()
        self.auth(s, u)
        s.run(update("refresh_tokens", ["revoked_at"], "refresh_tokens.user_id = %s"), [self.now(s), u], 0.12)
        s.commit()

    def tenant_roles(self, s):
        t = self.rng.choice(self.tenants)
        s.begin()
        self.auth(s, self.users[t][0])
        s.run(select(cols("roles", self.ROLES), "roles", "roles.tenant_id = %s", order="roles.name"), [t], 0.08)
        s.rollback()

    def admin_tenants(self, s):
        s.begin()
        self.auth(s, self.superuser)
        s.run(select(cols("tenants", self.TENANTS), "tenants"), [], 0.2)
        s.rollback()

    def audit_log(self, s):
        t = self.rng.choice(self.tenants)
        s.begin()
        self.auth(s, self.users[t][0])
        s.run(select(cols("audit_events", ["id", "actor_id", "action", "target_type", "target_id",
                                           "created_at"]), "audit_events", "audit_events.tenant_id = %s",
                     order="audit_events.created_at DESC", limit="%s"), [t, 50], 0.25)
        s.rollback()

    def generate(self):
        log = Log()
        end = simulate(self, log, self.rng, self.start, pids=[611, 612, 613, 617, 620],
                       user=self.user, db=self.db, driver="asyncpg", hosts=["10.1.4.21", "10.1.4.22"],
                       ssl=True, late_pids=[744], disconnect=[744, 620])
        start_us = us_of(self.start)
        add_checkpoints(log, self.rng, start_us, end, pid=64)
        add_autovacuum(log, self.rng, start_us + 290_000_000, 1402, self.db, "refresh_tokens",
                       ["refresh_tokens_pkey", "refresh_tokens_token_hash_key", "ix_refresh_tokens_user_id"])
        return log


# ============================================================================================
# Sample 5: collections (seed 003) - asyncpg, lazy loads per collection item (MN+1)
# ============================================================================================

class Collections:
    name, user, db = "collections", "dealbrain", "dealbrain"
    start = datetime(2026, 11, 5, 19, 0, 0)

    USERS = ["id", "email", "display_name", "created_at"]
    CPUS = ["id", "name", "manufacturer", "cores", "threads", "cpu_mark_multi", "cpu_mark_single", "tdp_w",
            "release_year"]
    GPUS = ["id", "name", "manufacturer", "gpu_mark", "metal_score"]
    PORTS = ["id", "name", "description", "usb_a_count", "usb_c_count", "hdmi_count", "displayport_count",
             "ethernet_gbps"]
    LISTINGS = ["id", "title", "listing_url", "seller", "price_usd", "adjusted_price_usd", "condition", "status",
                "cpu_id", "gpu_id", "ports_profile_id", "ram_gb", "primary_storage_gb", "attributes_json",
                "valuation_breakdown", "other_components", "created_at", "updated_at"]
    COLLECTIONS = ["id", "user_id", "name", "description", "visibility", "created_at", "updated_at"]
    ITEMS = ["id", "collection_id", "listing_id", "status", "notes", "position", "added_at", "updated_at"]
    LSHARES = ["id", "listing_id", "created_by", "share_token", "view_count", "expires_at", "created_at"]
    USHARES = ["id", "sender_id", "recipient_id", "listing_id", "share_token", "message", "shared_at",
               "expires_at", "viewed_at"]

    def __init__(self, rng):
        self.rng = rng
        self.listing = {}
        for lid in range(1, 401):
            self.listing[lid] = (rng.randint(1, 45), rng.randint(1, 20) if rng.random() < 0.55 else None,
                                 rng.randint(1, 12))
        self.collections = {}
        for c in range(1, 61):
            n = rng.randint(4, 40)
            self.collections[c] = (rng.randint(1, 50), rng.sample(range(1, 401), n))
        self.tokens = [f"{rng.getrandbits(96):024x}" for _ in range(80)]
        self.token_listing = {t: rng.randint(1, 400) for t in self.tokens}
        self.received = {u: [rng.randint(1, 400) for _ in range(rng.randint(2, 14))] for u in range(1, 51)}
        self.add_item_calls = 0
        self.endpoints = [      # (requests, handler)
            (5, self.collection_detail), (3, self.my_collections), (4, self.add_item),
            (12, self.public_share), (4, self.received_shares), (2, self.sent_shares),
            (2, self.share_listing), (2, self.catalog), (2, self.open_user_share), (2, self.listing_shares),
        ]

    def now(self, s):
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=s.t)

    def auth(self, s, u):
        s.run(select(cols("users", self.USERS), "users", "users.id = %s"), [u], 0.05)

    def listing_by_id(self, s, lid):
        s.run(select(cols("listings", self.LISTINGS), "listings", "listings.id = %s"), [lid], 0.06)

    def collection_detail(self, s):
        """GET /collections/{id} : items, then listing, cpu, gpu, ports profile per item (lazy)."""
        c = self.rng.choice([c for c in self.collections if len(self.collections[c][1]) >= 12] * 3
                            + list(self.collections))
        owner, items = self.collections[c]
        s.begin()
        self.auth(s, owner)
        s.run(select(cols("collections", self.COLLECTIONS), "collections", "collections.id = %s"), [c], 0.05)
        s.run(select(cols("collection_items", self.ITEMS), "collection_items",
                     "%s = collection_items.collection_id"), [c], 0.15)
        seen = {"cpu": set(), "gpu": set(), "ports": set()}
        for lid in items:
            cpu, gpu, ports = self.listing[lid]
            self.listing_by_id(s, lid)
            if cpu not in seen["cpu"]:
                seen["cpu"].add(cpu)
                s.run(select(cols("cpus", self.CPUS), "cpus", "cpus.id = %s"), [cpu], 0.04)
            if gpu is not None and gpu not in seen["gpu"]:
                seen["gpu"].add(gpu)
                s.run(select(cols("gpus", self.GPUS), "gpus", "gpus.id = %s"), [gpu], 0.04)
            if ports not in seen["ports"]:
                seen["ports"].add(ports)
                s.run(select(cols("ports_profiles", self.PORTS), "ports_profiles", "ports_profiles.id = %s"),
                      [ports], 0.04)
        s.rollback()

    def my_collections(self, s):
        u = self.rng.randint(1, 50)
        s.begin()
        self.auth(s, u)
        s.run(select(cols("collections", self.COLLECTIONS), "collections", "collections.user_id = %s"), [u], 0.07)
        s.rollback()

    def add_item(self, s):
        c = self.rng.randint(1, 60)
        owner, items = self.collections[c]
        lid = self.rng.randint(1, 400)
        s.begin()
        self.auth(s, owner)
        s.run(select(cols("collections", self.COLLECTIONS), "collections", "collections.id = %s"), [c], 0.05)
        s.run(select(cols("collection_items", self.ITEMS), "collection_items",
                     "collection_items.collection_id = %s AND collection_items.listing_id = %s"), [c, lid], 0.05)
        ins = insert("collection_items", ["collection_id", "listing_id", "status", "notes", "position",
                                          "added_at", "updated_at"], returning="id")
        params = [c, lid, "undecided", T(None, "VARCHAR"), len(items) + 1, self.now(s), self.now(s)]
        self.add_item_calls += 1
        if self.add_item_calls == 3:
            # a double click: the first request inserted the row meanwhile
            s.fail(ins, params, 'duplicate key value violates unique constraint "uq_collection_item"',
                   f"Key (collection_id, listing_id)=({c}, {lid}) already exists.")
            s.rollback()
            return
        s.run(ins, params, 0.2)
        s.run(update("collections", ["updated_at"], "collections.id = %s"), [self.now(s), c], 0.1)
        s.commit()

    def public_share(self, s):
        """GET /deals/{listing_id}/{token} : the hot path; every look-up is served by an index."""
        tok = self.rng.choice(self.tokens)
        s.begin()
        s.run(select(cols("listing_shares", self.LSHARES), "listing_shares", "listing_shares.share_token = %s"),
              [tok], 0.05)
        s.run(update("listing_shares", ["view_count"], "listing_shares.id = %s"),
              [self.rng.randint(1, 900), self.tokens.index(tok) + 1], 0.1)
        s.run(select(cols("listings", self.LISTINGS) + ", " + cols("cpus", self.CPUS, alias="cpus_1") + ", "
                     + cols("gpus", self.GPUS, alias="gpus_1") + ", "
                     + cols("ports_profiles", self.PORTS, alias="ports_profiles_1"),
                     "listings LEFT OUTER JOIN cpus AS cpus_1 ON cpus_1.id = listings.cpu_id "
                     "LEFT OUTER JOIN gpus AS gpus_1 ON gpus_1.id = listings.gpu_id "
                     "LEFT OUTER JOIN ports_profiles AS ports_profiles_1 "
                     "ON ports_profiles_1.id = listings.ports_profile_id", "listings.id = %s"),
              [self.token_listing[tok]], 0.12)
        s.commit()

    def received_shares(self, s):
        """GET /shares/received : recipient_id has no index; then share.listing lazy-loaded per share."""
        u = self.rng.choice([u for u in self.received if len(self.received[u]) >= 6] * 2 + list(self.received))
        s.begin()
        self.auth(s, u)
        s.run(select(cols("user_shares", self.USHARES), "user_shares", "user_shares.recipient_id = %s"), [u], 1.8)
        for lid in dict.fromkeys(self.received[u]):
            self.listing_by_id(s, lid)
        s.rollback()

    def sent_shares(self, s):
        u = self.rng.randint(1, 50)
        s.begin()
        self.auth(s, u)
        s.run(select(cols("user_shares", self.USHARES), "user_shares", "user_shares.sender_id = %s"), [u], 0.08)
        s.rollback()

    def share_listing(self, s):
        u = self.rng.randint(1, 50)
        lid = self.rng.randint(1, 400)
        s.begin()
        self.auth(s, u)
        self.listing_by_id(s, lid)
        s.run(insert("user_shares", ["sender_id", "recipient_id", "listing_id", "share_token", "message",
                                     "shared_at", "expires_at", "viewed_at"], returning="id"),
              [u, self.rng.randint(1, 50), lid, f"{self.rng.getrandbits(96):024x}",
               "Look at this one - 64GB for $420!", self.now(s), self.now(s) + timedelta(days=30),
               T(None, "TIMESTAMP WITH TIME ZONE")], 0.15)
        s.commit()

    def catalog(self, s):
        """GET /listings : every listing with cpu and gpu joined, all JSON columns, no LIMIT."""
        s.begin()
        self.auth(s, self.rng.randint(1, 50))
        s.run(select(cols("listings", self.LISTINGS) + ", " + cols("cpus", self.CPUS, alias="cpus_1") + ", "
                     + cols("gpus", self.GPUS, alias="gpus_1"),
                     "listings LEFT OUTER JOIN cpus AS cpus_1 ON cpus_1.id = listings.cpu_id "
                     "LEFT OUTER JOIN gpus AS gpus_1 ON gpus_1.id = listings.gpu_id"), [], 9.5)
        s.rollback()

    def open_user_share(self, s):
        u = self.rng.randint(1, 50)
        s.begin()
        self.auth(s, u)
        s.run(select(cols("user_shares", self.USHARES), "user_shares", "user_shares.share_token = %s"),
              [f"{self.rng.getrandbits(96):024x}"], 0.05)
        s.run(update("user_shares", ["viewed_at"], "user_shares.id = %s"), [self.now(s), self.rng.randint(1, 300)],
              0.1)
        s.commit()

    def listing_shares(self, s):
        u = self.rng.randint(1, 50)
        s.begin()
        self.auth(s, u)
        s.run(select(cols("listing_shares", self.LSHARES), "listing_shares", "listing_shares.listing_id = %s"),
              [self.rng.randint(1, 400)], 0.06)
        s.rollback()

    def generate(self):
        log = Log()
        end = simulate(self, log, self.rng, self.start, pids=[18022, 18023, 18030, 18031],
                       user=self.user, db=self.db, driver="asyncpg", hosts=["192.168.64.4"],
                       late_pids=[18255], disconnect=[18255])
        start_us = us_of(self.start)
        add_checkpoints(log, self.rng, start_us, end, pid=52)
        add_autovacuum(log, self.rng, start_us + 200_000_000, 19004, self.db, "listing_shares",
                       ["listing_shares_pkey", "listing_shares_share_token_key", "ix_listing_shares_listing_id",
                        "ix_listing_shares_share_token"])
        return log


SAMPLES = [Workshops, Buckets, Projects, MultiTenant, Collections]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed logs, write nothing")
    ap.add_argument("--out", default=SAMPLES_DIR, help="directory holding the sample folders")
    a = ap.parse_args()
    status = 0
    for i, cls in enumerate(SAMPLES):
        app = cls(random.Random(20261102 + i))
        log = app.generate()
        path = os.path.join(a.out, cls.name, "postgresql.log")
        if a.check:
            tmp = path + ".check"
            log.write(tmp)
            same = open(tmp, "rb").read() == open(path, "rb").read()
            os.remove(tmp)
            print(f"{cls.name}: {'up to date' if same else 'DIFFERS'}")
            status |= 0 if same else 1
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            lines = log.write(path)
            print(f"{cls.name}: {lines} lines, "
                  f"{sum(1 for r in log.records if ' statement: ' in r[3] or ' execute ' in r[3])} statements")
    return status


if __name__ == "__main__":
    sys.exit(main())
