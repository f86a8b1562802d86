"""The bad-input matrix: every command that reads files, on every kind of bad file.

For each case in expectations.json and each command it lists (`schema FILE`, `workload LOG`,
`advise --schema FILE`, `advise --schema ok.sql --log LOG`; also `schema --dialect sqlite FILE`,
SQLite's own DDL reader, and for templates `advise --templates DIR`), the run must end with the expected exit status and a stderr line holding the
expected text ({input} is the input's path), within its time limit, and:
- never crash: exit status 0..127, no sanitizer report;
- never leave a half-written report: `advise -o` writes its report whole or not at all, and no
  temporary file stays next to it;
- for the cases that say so, finish within `max_seconds` and a peak RSS under `max_rss_mb`
  (a 1 GB sparse file is not read whole; a 100 MB statement is not held).

Small inputs are files in this directory; big ones, FIFOs, pipes, directories and unreadable
files are made in a temporary directory by the generators below.

Usage (CTest): test_bad_inputs.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR [--sanitized]
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

advisor, source_dir = sys.argv[1], sys.argv[2]
sanitized = "--sanitized" in sys.argv[3:]
here = os.path.join(source_dir, "tests", "bad_inputs")
with open(os.path.join(here, "expectations.json")) as f:
    table = json.load(f)

# Sanitizer builds run several times slower and keep freed memory in quarantine: the same limits
# would measure the sanitizer, not the advisor. The 100 MB statement is 16 MB there (still 16
# times the statement limit), and time limits are wider.
if sanitized:
    os.environ["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=16"
TIME_SCALE = 4 if sanitized else 1
HUGE_STRING_MB = 16 if sanitized else 100
RUN_TIMEOUT = 60 * TIME_SCALE

ok_log_lines = open(os.path.join(here, "ok.log"), "rb").read()
ok_sql_text = open(os.path.join(here, "ok.sql"), "rb").read()
LOG_PREFIX = b"2025-07-18 09:00:00.123 UTC [42] app@db LOG:  duration: 1.0 ms  statement: "


def log_line(sql):
    return LOG_PREFIX + sql + b"\n"


class Work:
    """The temporary directory: inputs made for a case, and one output directory per run."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="schema-advisor-bad-inputs-")
        os.chmod(self.root, 0o755)  # the unreadable case runs as `nobody`
        self.runs = 0
        self.cleanups = []

    def path(self, name):
        return os.path.join(self.root, name)

    def write(self, name, data):
        with open(self.path(name), "wb") as f:
            f.write(data)
        return self.path(name)

    def out_dir(self):
        self.runs += 1
        path = self.path(f"out-{self.runs}")
        os.mkdir(path)
        os.chmod(path, 0o777)
        return path


# Generators: (work, kind) -> path, where kind is "schema" or "log".

def ten_mb_line(work, kind):
    blob = b"x" * (10 << 20)
    if kind == "schema":
        return work.write("ten_mb_line.sql", ok_sql_text + b"CREATE TABLE big (note text DEFAULT '" +
                          blob + b"');\nCREATE TABLE after_big (id int);\n")
    return work.write("ten_mb_line.log", ok_log_lines + log_line(b"SELECT '" + blob + b"'") + ok_log_lines)


def huge_string(work, kind):
    """A statement holding one HUGE_STRING_MB string literal, written without holding it."""
    name = "huge_string.sql" if kind == "schema" else "huge_string.log"
    chunk = b"x" * (1 << 20)
    with open(work.path(name), "wb") as f:
        if kind == "schema":
            f.write(ok_sql_text + b"INSERT INTO posts (id, title) VALUES (1, '")
        else:
            f.write(ok_log_lines + LOG_PREFIX + b"INSERT INTO posts (id, title) VALUES (1, '")
        for _ in range(HUGE_STRING_MB):
            f.write(chunk)
        f.write(b"');\n" if kind == "schema" else b"')\n")
        f.write(b"CREATE TABLE after_huge (id int);\n" if kind == "schema" else ok_log_lines)
    return work.path(name)


def sparse_1gb(work, kind):
    """16 KB of good text, then a 1 GB hole (zeros that take no disk space)."""
    name = "sparse.sql" if kind == "schema" else "sparse.log"
    text = ok_sql_text if kind == "schema" else ok_log_lines
    with open(work.path(name), "wb") as f:
        f.write(text * (16384 // len(text) + 1))
        f.truncate(1 << 30)
    return work.path(name)


def sparse_1gb_hole(work, kind):
    """`truncate -s 1G`: a hole and nothing else."""
    name = "hole.sql" if kind == "schema" else "hole.log"
    with open(work.path(name), "wb") as f:
        f.truncate(1 << 30)
    return work.path(name)


def directory(work, kind):
    path = work.path(f"a-directory.{'sql' if kind == 'schema' else 'log'}")
    os.makedirs(path, exist_ok=True)
    return path


def fifo_without_writer(work, kind):
    path = work.path(f"fifo.{'sql' if kind == 'schema' else 'log'}")
    if not os.path.exists(path):
        os.mkfifo(path)
    return path


def pipe_with_writer(work, kind):
    """`<(cat ok.sql)`: a pipe whose writer is there; returns /dev/fd/N, passed to the child."""
    read_end, write_end = os.pipe()
    data = ok_sql_text if kind == "schema" else ok_log_lines

    def feed():
        with os.fdopen(write_end, "wb") as out:
            try:
                out.write(data)
            except BrokenPipeError:
                pass
    threading.Thread(target=feed, daemon=True).start()
    work.cleanups.append(lambda: os.close(read_end))
    return (f"/dev/fd/{read_end}", read_end)


def gzip_pipe(work, kind):
    import gzip
    read_end, write_end = os.pipe()

    def feed():
        with os.fdopen(write_end, "wb") as out:
            try:
                out.write(gzip.compress(ok_log_lines))
            except BrokenPipeError:
                pass
    threading.Thread(target=feed, daemon=True).start()
    work.cleanups.append(lambda: os.close(read_end))
    return (f"/dev/fd/{read_end}", read_end)


def unreadable(work, kind):
    name = "unreadable.sql" if kind == "schema" else "unreadable.log"
    path = work.write(name, ok_sql_text if kind == "schema" else ok_log_lines)
    os.chmod(path, 0)
    return path


def deep_chain(work, kind):
    """`1 + 1 + ... + 1`, 100,000 terms: libpg_query's parser needs no stack for it, but the tree
    it builds is 100,000 levels deep."""
    sql = b"SELECT * FROM posts WHERE id = 1" + b" + 1" * 100000
    if kind == "schema":
        return work.write("chain.sql", ok_sql_text + b"CREATE VIEW chain AS " + sql + b";\n")
    return work.write("chain.log", ok_log_lines + log_line(sql) + ok_log_lines)


def deep_parens(work, kind):
    n = 100000
    sql = b"SELECT * FROM posts WHERE id = " + b"(" * n + b"1" + b")" * n
    if kind == "schema":
        return work.write("parens_100000.sql", ok_sql_text + b"CREATE VIEW deep AS " + sql + b";\n")
    return work.write("parens_100000.log", ok_log_lines + log_line(sql) + ok_log_lines)


def deep_jsonlog(work, kind):
    def record(message, extra=""):
        return ('{"timestamp":"2025-07-18 09:00:00.123 UTC","pid":42,"error_severity":"LOG",'
                '"message":' + json.dumps(message) + extra + "}\n")
    n = 100000
    deep = ',"detail":' + "[" * n + "]" * n
    text = (record("duration: 1.0 ms  statement: SELECT * FROM users WHERE id = 1") +
            record("duration: 1.0 ms  statement: SELECT 1", deep) +
            record("duration: 1.0 ms  statement: SELECT * FROM users WHERE id = 2"))
    return work.write("deep.json", text.encode())


def deep_pgss_json(work, kind):
    n = 100000
    text = ('[{"query": "SELECT * FROM users WHERE id = $1", "calls": 3, "total_exec_time": 1.5},\n'
            ' {"query": "SELECT 1", "calls": 1, "total_exec_time": 0.1, "plan": ' + "[" * n + "]" * n + "}]\n")
    return work.write("pgss.json", text.encode())


def deep_template(work, kind):
    directory_path = work.path("templates")
    os.makedirs(directory_path, exist_ok=True)
    with open(os.path.join(directory_path, "report.md.mustache"), "w") as f:
        f.write("# Report\n" + "{{#findings}}" * 100000 + "x" + "{{/findings}}" * 100000 + "\n")
    return directory_path


GENERATORS = {generator.__name__: generator for generator in (
    ten_mb_line, huge_string, sparse_1gb, sparse_1gb_hole, directory, fifo_without_writer,
    pipe_with_writer, gzip_pipe, unreadable, deep_chain, deep_parens, deep_jsonlog,
    deep_pgss_json, deep_template)}

PIPE_GENERATORS = {"pipe_with_writer", "gzip_pipe"}
SCHEMA_COMMANDS = {"schema", "schema-sqlite", "advise-schema"}


def command_line(command, input_path, ok_schema, out):
    if command == "schema":
        return ["schema", input_path], None
    if command == "schema-sqlite":
        return ["schema", "--dialect", "sqlite", input_path], None
    if command == "workload":
        return ["workload", input_path], None
    report = os.path.join(out, "report.json")
    if command == "advise-schema":
        return ["advise", "--schema", input_path, "--format", "json", "-o", report], report
    if command == "advise-log":
        return ["advise", "--schema", ok_schema, "--log", input_path, "--format", "json", "-o",
                report], report
    if command == "advise-templates":
        report = os.path.join(out, "report.md")
        return ["advise", "--schema", ok_schema, "--format", "markdown", "--templates",
                input_path, "-o", report], report
    raise ValueError(command)


# Runs the command in a child and writes that child's peak RSS (KB) to a file. The advisor's
# own peak is measured this way because the peak RSS of a process forked from this script would
# start at this script's size (Linux carries it across exec).
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
"""


def run(args, user=None, pass_fds=(), measure_rss=False):
    """Runs the advisor; returns (status, stdout, stderr, seconds, peak RSS in MB or None). A run
    past its time limit is killed and reported as status None; killed by a signal, a negative
    status (or 128 + signal through the launcher)."""
    command = [advisor] + args
    if user is not None:
        command = [shutil.which("runuser"), "-u", user, "--"] + command
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as rss:
        if measure_rss:  # a Python start more per run: only where a limit is checked
            command = [sys.executable, "-c", LAUNCHER, rss.name] + command
        started = time.monotonic()
        process = subprocess.Popen(command, stdout=out, stderr=err, pass_fds=pass_fds,
                                   start_new_session=True)
        try:
            status = process.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            status = None
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        peak_kb = rss.read().strip()
        return (status, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                seconds, int(peak_kb) / 1024 if peak_kb else None)


def main():
    failures = []
    skipped = []
    results = []
    work = Work()
    made_files = {}
    ok_schema = work.write("ok.sql", ok_sql_text)  # readable by `nobody` too
    try:
        for case_name, case in table["cases"].items():
            for command, expected in case["expect"].items():
                kind = "schema" if command in SCHEMA_COMMANDS else "log"
                source = case.get("schema_input" if kind == "schema" else "log_input",
                                  case.get("input"))
                user = None
                if source == "unreadable" and os.getuid() == 0:
                    # root reads anything: drop to `nobody` as the test of the permission.
                    if shutil.which("runuser") is None:
                        skipped.append(f"{case_name} / {command}: running as root without runuser")
                        continue
                    user = "nobody"
                pass_fds = ()
                if source in GENERATORS:
                    # A file is made once per kind and reused; a pipe is read once, so is new.
                    key = (source, kind)
                    if key not in made_files or source in PIPE_GENERATORS:
                        made_files[key] = GENERATORS[source](work, kind)
                    made = made_files[key]
                    input_path, pass_fds = (made[0], (made[1],)) if isinstance(made, tuple) else (made, ())
                else:
                    input_path = os.path.join(here, source)
                out = work.out_dir()
                args, report = command_line(command, input_path, ok_schema, out)
                rss_limit = None if sanitized else expected.get("max_rss_mb")
                status, stdout, stderr, seconds, rss_mb = run(args, user, pass_fds,
                                                              rss_limit is not None)
                for cleanup in work.cleanups:
                    cleanup()
                work.cleanups.clear()

                problems = []
                if status is None:
                    problems.append(f"still running after {RUN_TIMEOUT} s (hang?)")
                elif status < 0 or status >= 128:
                    problems.append(f"crashed: exit status {status}")
                elif status != expected["status"]:
                    problems.append(f"exit {status}, expected {expected['status']}")
                messages = expected["stderr"]
                for message in [messages] if isinstance(messages, str) else messages:
                    message = message.replace("{input}", input_path)
                    if message not in stderr:
                        problems.append(f"{message!r} not in stderr")
                for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:",
                               "internal error"):
                    if marker in stderr:
                        problems.append(f"{marker!r} in stderr")
                if report is not None:
                    leftovers = sorted(set(os.listdir(out)) - {os.path.basename(report)})
                    if leftovers:
                        problems.append(f"files left beside the report: {leftovers}")
                    written = os.path.exists(report)
                    if written != expected.get("report", status == 0):
                        problems.append(f"report {'written' if written else 'not written'}, "
                                        f"expected {'one' if not written else 'none'}")
                    if written and report.endswith(".json"):
                        try:
                            with open(report) as f:
                                json.load(f)
                        except ValueError as e:
                            problems.append(f"report is not whole JSON: {e}")
                limit = expected.get("max_seconds")
                if limit is not None and seconds > limit * TIME_SCALE:
                    problems.append(f"took {seconds:.1f} s, limit {limit * TIME_SCALE} s")
                if rss_limit is not None and (rss_mb is None or rss_mb > rss_limit):
                    problems.append(f"peak RSS {rss_mb} MB, limit {rss_limit} MB")
                wanted = expected["stderr"] if isinstance(expected["stderr"], str) else expected["stderr"][0]
                wanted = wanted.replace("{input}", input_path)
                first_line = next((line for line in stderr.splitlines() if wanted and wanted in line),
                                  stderr.strip().split("\n")[0])
                results.append((case_name, command, status, seconds, rss_mb, first_line, problems))
                if problems:
                    failures.append(f"{case_name} / {command}: " + "; ".join(problems) +
                                    f"\n    stderr: {stderr.strip()[:400]!r}")
    finally:
        shutil.rmtree(work.root, ignore_errors=True)

    for case_name, command, status, seconds, rss_mb, line, problems in results:
        rss = f"{rss_mb:6.1f} MB" if rss_mb is not None else " " * 9
        print(f"{'FAIL' if problems else 'ok  '} {case_name:<16} {command:<16} exit {status} "
              f"{seconds:5.2f} s {rss}  {line[:140]}")
    for reason in skipped:
        print(f"skip {reason}")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"{len(results)} runs behave as expectations.json says")


if __name__ == "__main__":
    main()
