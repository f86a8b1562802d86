#!/usr/bin/env python3
"""Check the bundled samples against a real PostgreSQL 15.

    python3 samples/tools/check_samples.py                  # starts a throwaway cluster itself
    python3 samples/tools/check_samples.py --port 5433      # uses a running server (superuser)

For each samples/<name>/:
  1. schema.sql restores into a fresh database with `psql -v ON_ERROR_STOP=1` and no ERROR;
  2. every statement in postgresql.log, with its logged parameters substituted, is valid against
     that schema: SELECT / SHOW run for real inside a transaction that is rolled back, INSERT /
     UPDATE / DELETE go through EXPLAIN (parse analysis and planning, no constraint checks), and
     transaction control (BEGIN, COMMIT, ROLLBACK) is only counted; a statement that failed in
     the log (ERROR + STATEMENT, logged without its parameters) is checked with PREPARE.

The log reader here is deliberately small and independent of schema-advisor's: it knows the
'%m [%p] %q%u@%d ' prefix, tab continuation lines, "statement:", parse/bind/execute and
"DETAIL:  parameters:" lines, and ERROR / STATEMENT pairs.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

SAMPLES_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_BIN = "/usr/lib/postgresql/15/bin"
LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} UTC \[(\d+)\] (?:\S+@\S+ )?([A-Z]+):  (.*)$", re.S)
DURATION = re.compile(r"^duration: [0-9.]+ ms  (statement|parse|bind|execute) ?([^:]*): (.*)$", re.S)


def records(path):
    """Yield (pid, level, message) with continuation lines joined."""
    cur = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            raw = raw.rstrip("\n")
            if raw.startswith("\t"):
                if cur is None:
                    raise ValueError(f"{path}: continuation line before any record")
                cur[2] += "\n" + raw[1:]
                continue
            if cur:
                yield tuple(cur)
            m = LINE.match(raw)
            if not m:
                raise ValueError(f"{path}: unrecognised line: {raw[:120]}")
            cur = [m.group(1), m.group(2), m.group(3)]
    if cur:
        yield tuple(cur)


def parse_params(text):
    """'$1 = '17', $2 = NULL' -> {1: "'17'", 2: 'NULL'} (values keep their SQL quoting)."""
    out, i = {}, 0
    while i < len(text):
        m = re.compile(r"\$(\d+) = ").match(text, i)
        if not m:
            raise ValueError(f"bad parameters: {text[:80]}")
        n, i = int(m.group(1)), m.end()
        if text.startswith("NULL", i):
            out[n], i = "NULL", i + 4
        else:
            j = i + 1
            while True:
                j = text.index("'", j)
                if text.startswith("''", j):
                    j += 2
                    continue
                break
            out[n], i = text[i:j + 1], j + 1
        if text.startswith(", ", i):
            i += 2
    return out


def statements(path):
    """Yield (kind, sql) for each executed statement; kind is 'ok' or 'error'."""
    pending = None          # (sql) of an execute waiting for its DETAIL line
    last_error = False
    for pid, level, msg in records(path):
        if level == "LOG":
            if pending is not None:
                yield "ok", pending
                pending = None
            m = DURATION.match(msg)
            if not m:
                continue                      # connection, checkpoint, autovacuum lines
            kind, sql = m.group(1), m.group(3)
            if kind == "statement":
                yield "ok", sql
            elif kind == "execute":
                pending = sql                  # parameters may follow
        elif level == "DETAIL" and msg.startswith("parameters: "):
            if pending is not None:
                params = parse_params(msg[len("parameters: "):])
                yield "ok", re.sub(r"\$(\d+)", lambda m: params[int(m.group(1))], pending)
                pending = None
        elif level == "ERROR":
            last_error = True
        elif level == "STATEMENT" and last_error:
            last_error = False
            yield "error", msg                 # parameters are not logged for failed statements
    if pending is not None:
        yield "ok", pending


def how_to_run(body, kind):
    """SELECT / SHOW run; DML is EXPLAINed; a failed statement (no parameters logged) is PREPAREd."""
    if kind == "error":
        return f"PREPARE chk AS {body};\nDEALLOCATE chk;"
    verb = body.split(None, 1)[0].upper()
    return f"EXPLAIN {body};" if verb in ("INSERT", "UPDATE", "DELETE") else body + ";"


def psql(args, port, host, user, db, stdin=None):
    return subprocess.run(["psql", "-X", "-q", "-h", host, "-p", str(port), "-U", user, "-d", db] + args,
                          input=stdin, capture_output=True, text=True)


def check_sample(name, host, port, user):
    d = os.path.join(SAMPLES_DIR, name)
    db = "check_" + name.replace("-", "_")
    psql(["-c", f"DROP DATABASE IF EXISTS {db}"], port, host, user, "postgres")
    psql(["-c", f"CREATE DATABASE {db}"], port, host, user, "postgres")
    r = psql(["-v", "ON_ERROR_STOP=1", "-f", os.path.join(d, "schema.sql")], port, host, user, db)
    schema_errors = [l for l in r.stderr.splitlines() if "ERROR" in l]
    if r.returncode != 0 and not schema_errors:
        schema_errors = [r.stderr.strip() or f"psql exit status {r.returncode}"]

    seen, total, tx = {}, 0, 0
    for kind, sql in statements(os.path.join(d, "postgresql.log")):
        total += 1
        body = sql.strip().rstrip(";").strip()
        if re.match(r"(?i)^(BEGIN|COMMIT|ROLLBACK|END)\b", body):
            tx += 1
            continue
        seen.setdefault(body, kind)
    script = ["\\set VERBOSITY terse", "BEGIN;"]
    order = list(seen)
    for i, body in enumerate(order):
        script += [f"\\echo @@{i}", "SAVEPOINT s;", how_to_run(body, seen[body]), "ROLLBACK TO SAVEPOINT s;"]
    script.append("ROLLBACK;")
    r = psql(["-v", "ON_ERROR_STOP=0", "-o", "/dev/null"], port, host, user, db, "\n".join(script) + "\n")
    errors = []
    current = None
    for line in (r.stdout + "\n" + r.stderr).splitlines():
        if line.startswith("@@"):
            current = int(line[2:])
        elif "ERROR" in line:
            errors.append((line, order[current][:160] if current is not None else "?"))
    # psql prints \echo to stdout and errors to stderr: interleave by re-running failing ones alone
    if errors:
        errors = []
        for body in order:
            rr = psql(["-v", "ON_ERROR_STOP=1", "-o", "/dev/null"], port, host, user, db,
                      f"BEGIN;\n{how_to_run(body, seen[body])}\nROLLBACK;\n")
            if rr.returncode != 0:
                errors.append((rr.stderr.strip(), body[:160]))
    psql(["-c", f"DROP DATABASE IF EXISTS {db}"], port, host, user, "postgres")
    return schema_errors, total, tx, len(order), errors


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_cluster():
    tmp = tempfile.mkdtemp(prefix="sa-samples-")
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_pg:
        shutil.chown(tmp, "postgres", "postgres")
    port = free_port()
    subprocess.run(as_pg + [f"{PG_BIN}/initdb", "-D", f"{tmp}/data", "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)
    subprocess.run(as_pg + [f"{PG_BIN}/pg_ctl", "-D", f"{tmp}/data", "-l", f"{tmp}/server.log", "-w",
                            "-o", f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={tmp}",
                            "start"], check=True, capture_output=True)
    with open(f"{tmp}/data/postmaster.pid") as f:
        pid = int(f.readline())
    return tmp, port, pid


def stop_cluster(tmp, pid):
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run(as_pg + [f"{PG_BIN}/pg_ctl", "-D", f"{tmp}/data", "-m", "fast", "-w", "stop"],
                   capture_output=True)
    shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description="check samples/*/schema.sql and postgresql.log against PostgreSQL")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, help="use this running server instead of starting one")
    ap.add_argument("--user", default="postgres")
    ap.add_argument("samples", nargs="*")
    a = ap.parse_args()
    # The PostgreSQL samples: those with a postgresql.log (sqlite-notes is SQLite's).
    names = a.samples or sorted(n for n in os.listdir(SAMPLES_DIR)
                                if os.path.isfile(os.path.join(SAMPLES_DIR, n, "schema.sql"))
                                and os.path.isfile(os.path.join(SAMPLES_DIR, n, "postgresql.log")))
    cluster = None
    port = a.port
    if port is None:
        cluster = start_cluster()
        port = cluster[1]
    failed = False
    try:
        for name in names:
            schema_errors, total, tx, distinct, errors = check_sample(name, a.host, port, a.user)
            print(f"{name}: schema {'OK' if not schema_errors else 'FAILED'}; "
                  f"{total} statements in the log ({tx} transaction control), "
                  f"{distinct} distinct texts checked, {len(errors)} failed")
            for e in schema_errors:
                print(f"  schema: {e}")
            for msg, body in errors:
                print(f"  {msg}\n    in: {body}")
            failed |= bool(schema_errors or errors)
    finally:
        if cluster:
            stop_cluster(cluster[0], cluster[2])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
