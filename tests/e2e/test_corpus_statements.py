"""Every corpus dump is read with zero statements lost.

The independent count is the corpus README's: its checker split each file with libpg_query's
scanner (after blanking psql meta-commands and COPY data) and parsed every statement; its table
says "N/M stmts parse". `schema` must read exactly N statements (its summary line says
"N statements read"), and only the documented future-syntax negatives may produce parse warnings.

Usage (CTest): test_corpus_statements.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import os
import re
import subprocess
import sys

advisor, source_dir, shared_dir = sys.argv[1:4]
corpus = os.path.join(shared_dir, "corpus")
readme = open(os.path.join(corpus, "README.md"), encoding="utf-8").read()
counts = re.findall(r"^\| `(pg_schema/[^`]+)` .*?\| (\d+)/(\d+) stmts parse", readme, re.M)
assert len(counts) >= 15, f"expected the corpus README's statement table, found {len(counts)} rows"

# Files the README documents as holding syntax PostgreSQL 15 does not know: parse warnings
# expected there, and only there (pagila v4.1.0: one PG18 VIRTUAL column, whose table is then
# missing for later statements; pgq: SQL/PGQ; temporal: PG18 WITHOUT OVERLAPS / FOR PORTION OF).
future_syntax = {"pg_schema/pagila/pagila-schema.v4.1.0.sql", "pg_schema/pagila/pagila-sql-pgq-setup.sql",
                 "pg_schema/pagila/pagila-temporal-setup.sql"}
failures = []
for path, parsed, total in counts:
    parsed, total = int(parsed), int(total)
    result = subprocess.run([advisor, "schema", os.path.join(corpus, path)], capture_output=True,
                            text=True, timeout=120)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    match = re.search(r"(\d+) statements read, (\d+) warnings", summary)
    parse_warnings = result.stderr.count("warning: statement skipped")
    if parsed == 0:
        # Nothing in the file parses: the tool must say so and exit 2.
        ok = result.returncode == 2 and "no statement could be parsed" in result.stderr
        print(("ok   " if ok else "FAIL ") + f"{path}: nothing parses; exit {result.returncode}")
        if not ok:
            failures.append(f"{path}: expected exit 2 with 'no statement could be parsed': {result.stderr!r}")
        continue
    read = int(match.group(1)) if match else -1
    ok = result.returncode == 0 and read == parsed and parse_warnings == total - parsed
    if path not in future_syntax and result.stderr.strip():
        ok = False
    print(("ok   " if ok else "FAIL ") +
          f"{path}: {read} read (README {parsed}/{total}), {parse_warnings} parse warnings")
    if not ok:
        failures.append(f"{path}: exit {result.returncode}, read {read}, expected {parsed}; "
                        f"parse warnings {parse_warnings}, expected {total - parsed}; "
                        f"stderr: {result.stderr[:500]!r}")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"{len(counts)} corpus dumps read with no statement lost")
