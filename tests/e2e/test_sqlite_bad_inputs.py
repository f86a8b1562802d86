"""Bad SQLite input: a clear error (exit 2, file named) or a correct read, never a hang, and the
input's bytes never change: each case checks the file's sha256 and that no -journal, -wal or -shm
file appears next to it.

Usage (CTest): test_sqlite_bad_inputs.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

advisor, source_dir, shared_dir = sys.argv[1:4]
failures = []
SCHEMA = ("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE);\n"
          "CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INT REFERENCES users (id), body JSON);\n")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def listing(directory):
    return sorted(os.listdir(directory))


def run(args, user=None):
    command = [advisor] + args
    if user is not None:
        command = ["runuser", "-u", user, "--"] + command
    started = time.monotonic()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "", "TIMED OUT after 60 s", 60.0
    return result.returncode, result.stdout, result.stderr, time.monotonic() - started


def expect(name, args, status, message, user=None, untouched=None):
    """Runs the tool; checks exit status, a stderr (or stdout, for status 0) substring, and that
    the files in `untouched` keep their bytes and no file appears or vanishes beside them."""
    before = {path: (sha256(path), listing(os.path.dirname(path))) for path in untouched or []}
    code, out, err, seconds = run(args, user)
    problems = []
    if code != status:
        problems.append(f"exit {code}, expected {status}")
    if message not in (err if status != 0 else out + err):
        problems.append(f"{message!r} not in the output")
    for path, (digest, files) in before.items():
        if sha256(path) != digest:
            problems.append(f"{path} changed")
        if listing(os.path.dirname(path)) != files:
            problems.append(f"files beside {path}: {files} -> {listing(os.path.dirname(path))}")
    print(("ok   " if not problems else "FAIL ") + f"{name}: exit {code} in {seconds:.1f} s, "
          f"stderr: {err.strip()[:160]!r}")
    if problems:
        failures.append(f"{name}: {'; '.join(problems)}; stderr: {err!r}")
    return code, out, err, seconds


def make_db(path, wal=False):
    con = sqlite3.connect(path)
    if wal:
        con.execute("PRAGMA journal_mode=WAL")
    con.executescript(SCHEMA)
    con.commit()
    con.close()  # the last connection removes -wal and -shm


# Holds a database in an exclusive transaction from another process until told to stop. (Not from
# this process: POSIX drops every lock a process holds on a file when it closes any descriptor of
# that file, which hashing the file here would do.)
HOLDER = r"""
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
for statement in sys.argv[2:]:
    con.execute(statement)
print("locked", flush=True)
sys.stdin.readline()
con.execute("ROLLBACK")
con.close()
"""


class LockHolder:
    def __init__(self, path, *statements):
        self.process = subprocess.Popen([sys.executable, "-c", HOLDER, path, *statements],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "locked":
            raise RuntimeError(f"could not lock {path}")

    def release(self):
        self.process.communicate("\n", timeout=30)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


work = tempfile.mkdtemp(prefix="schema-advisor-sqlite-bad-")
try:
    os.chmod(work, 0o755)

    # A corrupt database: a valid header, then garbage.
    corrupt = write(os.path.join(work, "corrupt.db"), b"SQLite format 3\x00" + os.urandom(8192))
    expect("corrupt .db", ["schema", corrupt], 2,
           f"{corrupt}: is a SQLite database file but SQLite cannot read it", untouched=[corrupt])

    # A real database cut short: the first page promises pages that are not there.
    full = os.path.join(work, "full.db")
    make_db(full)
    with open(full, "rb") as f:
        data = f.read()
    truncated = write(os.path.join(work, "truncated.db"), data[:1024])
    expect("truncated .db", ["schema", truncated], 2, f"{truncated}: is a SQLite database file",
           untouched=[truncated])

    # Not SQLite at all, though named .db.
    random_bytes = write(os.path.join(work, "random.db"), bytes(range(256)) * 32)
    expect("binary non-SQLite .db", ["schema", random_bytes], 2,
           f"{random_bytes}: is not a SQLite database", untouched=[random_bytes])
    expect("binary non-SQLite .db, --dialect sqlite", ["schema", "--dialect", "sqlite", random_bytes], 2,
           f"{random_bytes}:1: is neither a SQLite database", untouched=[random_bytes])
    empty = write(os.path.join(work, "empty.db"), b"")
    expect("empty .db", ["schema", empty], 2, f"{empty}: is empty", untouched=[empty])
    text = write(os.path.join(work, "notes.db"), b"hello, this is not a database\n")
    expect("text named .db", ["schema", text], 2, f"{text}:", untouched=[text])
    directory = os.path.join(work, "dir.db")
    os.mkdir(directory)
    expect("a directory named .db", ["schema", directory], 2, f"{directory}: is a directory")

    # A SQLite database is a whole schema, and one run reads one dialect.
    pg = write(os.path.join(work, "pg.sql"), b"SET search_path = public;\nCREATE TABLE a (id int);\n")
    lite = write(os.path.join(work, "lite.sql"), b"CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);\n")
    expect("a .db with another file", ["schema", full, lite], 2, f"{full}: is a SQLite database file; give it on its own")
    expect("PostgreSQL then SQLite DDL", ["schema", pg, lite], 2, f"{lite}: is SQLite but {pg} is PostgreSQL")
    expect("advise --dialect postgresql on SQLite DDL", ["advise", "--dialect", "postgresql", "--schema", lite],
           2, f"{lite}:1: no statement could be parsed as PostgreSQL DDL")
    expect("advise --dialect sqlite", ["advise", "--dialect", "sqlite", "--schema", lite], 0, "")
    expect("unknown --dialect", ["schema", "--dialect", "mysql", lite], 2, "mysql")

    # A SQLite script with one bad statement: read, with SQLite's message at the line.
    partly = write(os.path.join(work, "partly.sql"),
                   b"CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);\n\nCREATE TABEL b (id);\n"
                   b"CREATE TABLE c (id INTEGER PRIMARY KEY);\n")
    code, out, err, _ = expect("SQLite script with an error", ["schema", partly], 0, "main.c")
    if f"{partly}:3: warning: SQLite rejected the statement: near \"TABEL\": syntax error" not in err:
        failures.append(f"SQLite script with an error: expected the warning at line 3, got {err!r}")
    nothing = write(os.path.join(work, "nothing.sql"), b"\nCREATE TABEL x (id);\nCREATE TABLE `y` (\n")
    expect("SQLite script SQLite cannot run", ["schema", "--dialect", "sqlite", nothing], 2,
           f"{nothing}:2: no statement could be run by SQLite")

    # Locked by another process (rollback journal): BEGIN EXCLUSIVE holds an exclusive lock, so a
    # reader gets SQLITE_BUSY; the tool waits its busy timeout, then says so.
    locked = os.path.join(work, "locked.db")
    make_db(locked)
    holder = LockHolder(locked)
    try:
        code, out, err, seconds = expect("locked .db (rollback journal)", ["schema", locked], 2,
                                         f"{locked}: is a SQLite database file locked by another process",
                                         untouched=[locked])
        if seconds > 30:
            failures.append(f"locked .db: took {seconds:.1f} s")
    finally:
        holder.release()

    # WAL mode: a writer inside an exclusive transaction does not stop readers; the tool reads
    # the committed schema through the writer's -wal and -shm, creating nothing.
    wal_locked = os.path.join(work, "wal-locked.db")
    make_db(wal_locked, wal=True)
    holder = LockHolder(wal_locked, "CREATE TABLE uncommitted (id INTEGER PRIMARY KEY)")
    try:
        code, out, err, _ = expect("locked .db (WAL, writer busy)", ["schema", wal_locked], 0,
                                   "main.notes", untouched=[wal_locked])
        if "uncommitted" in out:
            failures.append("locked .db (WAL): read an uncommitted table")
    finally:
        holder.release()

    # A hot journal: a writer died mid-transaction (its changes spilled into the file, the
    # originals are in -journal). Only a writer can roll it back, so the tool says so.
    hot = os.path.join(work, "hot.db")
    make_db(hot)
    subprocess.run([sys.executable, "-c",
                    "import os, sqlite3, sys\n"
                    "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                    "con.execute('PRAGMA cache_size=1'); con.execute('BEGIN')\n"
                    "con.execute('CREATE TABLE filler (b)')\n"
                    "con.executemany('INSERT INTO filler VALUES (randomblob(8000))', [()] * 500)\n"
                    "os._exit(0)\n", hot], check=True, timeout=60)
    if os.path.exists(hot + "-journal"):
        expect("hot journal", ["schema", hot], 2, f"{hot}: is a SQLite database file with a hot journal",
               untouched=[hot])
    else:
        failures.append("hot journal: could not make one")

    # WAL mode with a -wal file but no -shm: reading would create the -shm, so the tool refuses.
    wal_no_shm = os.path.join(work, "wal-no-shm.db")
    make_db(wal_no_shm, wal=True)
    writer = sqlite3.connect(wal_no_shm)
    writer.execute("INSERT INTO users (email) VALUES ('a@example.com')")
    writer.commit()
    shutil.copy(wal_no_shm, wal_no_shm + ".copy")
    shutil.copy(wal_no_shm + "-wal", wal_no_shm + ".copy-wal")
    writer.close()
    copied = wal_no_shm + ".copy"
    expect("WAL with -wal and no -shm", ["schema", copied], 2, f"{copied}: is a WAL-mode SQLite database",
           untouched=[copied])

    # A read-only directory: root ignores permissions, so as root the tool runs as `nobody`.
    readonly = os.path.join(work, "readonly")
    os.mkdir(readonly)
    rollback_db = os.path.join(readonly, "rollback.db")
    wal_db = os.path.join(readonly, "wal.db")
    make_db(rollback_db)
    make_db(wal_db, wal=True)
    for path in (rollback_db, wal_db):
        os.chmod(path, 0o444)
    os.chmod(readonly, 0o555)
    user = "nobody" if os.getuid() == 0 else None
    for path in (rollback_db, wal_db):
        expect(f"read-only directory, {os.path.basename(path)}", ["schema", path], 0, "main.notes",
               user=user, untouched=[path])
    unreadable = os.path.join(work, "unreadable.db")
    make_db(unreadable)
    os.chmod(unreadable, 0)
    if user is not None:
        expect("unreadable .db", ["schema", unreadable], 2, f"{unreadable}: cannot open", user=user)

    # The sample's .db, read as the user would, stays byte-identical, WAL or not; and so does a
    # corpus database (read-only files owned by root).
    for wal in (False, True):
        app = os.path.join(work, f"app-{'wal' if wal else 'rollback'}.db")
        make_db(app, wal=wal)
        expect(f"advise on a {'WAL' if wal else 'rollback'} .db", ["advise", "--schema", app], 0,
               "unindexed-foreign-key", untouched=[app])
    chinook = os.path.join(shared_dir, "corpus", "sqlite", "Chinook_Sqlite.sqlite")
    expect("corpus .sqlite", ["schema", chinook], 0, "main.Track", untouched=[chinook])
finally:
    for root, dirs, files in os.walk(work):
        os.chmod(root, 0o755)
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"\n{len(failures)} failures:\n" + "\n".join(failures))
    sys.exit(1)
print("all SQLite bad-input cases behave as expected")
