"""Bad input to `schema` and `advise`: each case has its expected exit status and message.

Usage (CTest): test_schema_bad_inputs.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile

advisor, source_dir, shared_dir = sys.argv[1:4]
corpus = os.path.join(shared_dir, "corpus", "pg_schema")
failures = []


def run(args, user=None):
    command = [advisor] + args
    if user is not None:
        command = ["runuser", "-u", user, "--"] + command
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout, result.stderr


def expect(name, args, status, message, user=None):
    code, out, err = run(args, user)
    ok = code == status and message in err
    print(("ok   " if ok else "FAIL ") + f"{name}: exit {code}, stderr: {err.strip()[:200]!r}")
    if not ok:
        failures.append(f"{name}: expected exit {status} and {message!r} in stderr, got {code}: {err!r}")
    return code, out, err


work = tempfile.mkdtemp(prefix="schema-advisor-bad-")
try:
    def write(name, data):
        path = os.path.join(work, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    empty = write("empty.sql", b"")
    expect("empty file", ["schema", empty], 2, f"{empty}: holds no SQL statements")

    comments_only = write("comments.sql", b"-- only a comment\n\n/* and another */\n")
    expect("comments only", ["schema", comments_only], 2, "holds no SQL statements")

    binary = write("binary.sql", bytes(range(256)) * 64)
    expect("binary file", ["schema", binary], 2, f"{binary}:1: holds binary data")

    sqlite = write("app.db", b"SQLite format 3\x00" + b"\x00" * 4080)
    expect("SQLite file given as DDL", ["schema", sqlite], 2, "is a SQLite database file")

    garbage = write("garbage.sql", b"Lorem ipsum dolor sit amet;\nconsectetur adipiscing elit;\n")
    expect("garbage text", ["schema", garbage], 2, f"{garbage}:1: no statement could be parsed")

    nul_in_text = write("nul.sql", b"CREATE TABLE a (id int);\n\x00\x00\x00garbage\n")
    expect("NUL bytes in text", ["schema", nul_in_text], 2, "holds binary data")

    # Identifiers in another encoding (Latin-1 bytes): read, and the JSON stays valid UTF-8.
    latin1 = write("latin1.sql", b'CREATE TABLE "caf\xe9" (id int PRIMARY KEY, "n\xffm" jsonb);\n')
    code, out, err = expect("invalid UTF-8 identifiers", ["schema", "--format", "json", latin1], 0, "")
    try:
        import json
        names = [t["name"] for t in json.loads(out)["tables"]]
        if names != ["public.caf\ufffd"]:
            failures.append(f"invalid UTF-8: expected the table name with U+FFFD, got {names}")
    except ValueError as e:
        failures.append(f"invalid UTF-8: output is not JSON: {e}")

    # A dump cut in the middle of a statement: the complete statements are read, the cut one is
    # a warning with its line, and the exit status is 0.
    with open(os.path.join(corpus, "pagila", "pagila-schema.v3.1.0.sql"), "rb") as f:
        whole = f.read()
    cut_at = whole.index(b"CREATE TABLE public.film (") + 60
    truncated = write("truncated.sql", whole[:cut_at])
    cut_line = whole[:cut_at].count(b"\n") + 1
    code, out, err = expect("truncated dump", ["schema", truncated], 0, f"{truncated}:")
    if "warning: statement" not in err or "public.actor" not in out:
        failures.append(f"truncated dump: expected a statement warning and the tables before the cut, got {err!r}")
    if f":{cut_line}: warning" not in err and f":{cut_line - 1}: warning" not in err:
        failures.append(f"truncated dump: expected the warning near line {cut_line}, got {err!r}")

    partly = os.path.join(corpus, "pagila", "pagila-temporal-setup.sql")
    code, out, err = expect("partly unparsable file", ["schema", partly], 0,
                            "pagila-temporal-setup.sql:25: warning: statement")

    expect("a directory", ["schema", work], 2, f"{work}: is a directory")
    missing = os.path.join(work, "missing.sql")
    expect("a missing file", ["schema", missing], 2, f"{missing}: no such file")
    expect("advise without --schema", ["advise"], 2, "advise needs --schema")
    expect("unknown format", ["schema", "--format", "yaml", empty], 2, "yaml")
    expect("unknown rule", ["advise", "--schema", truncated, "--disable", "nope"], 2, "unknown rule 'nope'")

    # Unreadable: root reads anything, so the unreadable case runs the tool as `nobody`.
    unreadable = write("unreadable.sql", b"CREATE TABLE a (id int);\n")
    os.chmod(unreadable, 0)
    if os.getuid() == 0:
        os.chmod(work, 0o755)
        expect("an unreadable file", ["schema", unreadable], 2, f"{unreadable}: cannot open", user="nobody")
    else:
        expect("an unreadable file", ["schema", unreadable], 2, f"{unreadable}: cannot open")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("all bad-input cases behave as expected")
