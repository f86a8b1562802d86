"""A throwaway PostgreSQL cluster for end-to-end tests (Python 3 standard library only).

    from pgcluster import PgCluster

    with PgCluster(settings={"log_min_duration_statement": "0"}) as pg:
        pg.create_database("shop")
        result = pg.run_sql_file("schema.sql", "shop")      # result.error_count, result.errors
        rows = pg.query("SELECT relname, relkind FROM pg_class", "shop")
        objs = pg.query_json("SELECT relname FROM pg_class", "shop")   # list of dicts

What it does:
- initdb (PostgreSQL 15 from /usr/lib/postgresql/15/bin unless `bindir`/$PG_BINDIR says otherwise)
  into a fresh temporary directory, superuser `postgres`, trust authentication;
- the server listens on 127.0.0.1 only, on a free TCP port (found by binding port 0), with its
  unix socket in the temporary directory; extra server settings are passed as `-c name=value`;
- initdb refuses to run as root, so when os.getuid() == 0 the temporary directory is chowned to the
  `postgres` user and initdb / postgres run through `runuser -u postgres --`;
- `stop()` (also run on leaving the `with` block, whatever the outcome) sends SIGINT (fast
  shutdown) to the postmaster pid read from postmaster.pid, waits, escalates to SIGQUIT and
  SIGKILL if needed, then removes the temporary directory.

Clients (psql, pg_isready) run as the calling user and connect over the unix socket in the
temporary directory as the `postgres` role; `host`/`port` give the TCP address for other clients.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

DEFAULT_BINDIR = "/usr/lib/postgresql/15/bin"

# Settings that make a disposable cluster fast; callers can override any of them.
FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "20",
    "shared_buffers": "64MB",
    "max_wal_size": "1GB",
    "checkpoint_timeout": "30min",
    "autovacuum": "off",
    "logging_collector": "off",
}

_ERROR_LINE = re.compile(r"^psql:(?P<file>.*?):(?P<line>\d+): ERROR:\s+(?P<message>.*)$")
_STATEMENT_LINE = re.compile(r"^psql:(?P<file>.*?):(?P<line>\d+): STATEMENT:\s+(?P<text>.*)$")
_PSQL_LINE = re.compile(r"^psql:.*?:\d+: ")


class PgClusterError(RuntimeError):
    pass


@dataclass
class SqlError:
    """One ERROR reported by psql while running a file."""

    line: int  # line of the file psql was reading when the statement failed (its last line)
    message: str  # first line of the error message
    detail: list[str] = field(default_factory=list)  # LINE/DETAIL/HINT/CONTEXT lines
    statement: str = ""  # the failing statement's text (psql --echo-errors)


@dataclass
class SqlFileResult:
    path: str
    returncode: int
    stdout: str
    stderr: str
    errors: list[SqlError]

    @property
    def error_count(self) -> int:
        return len(self.errors)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it back)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse_psql_errors(stderr: str) -> list[SqlError]:
    """ERROR entries from psql's stderr; with --echo-errors each carries its statement text."""
    errors: list[SqlError] = []
    current: SqlError | None = None
    in_statement = False
    for raw in stderr.splitlines():
        m = _ERROR_LINE.match(raw)
        if m:
            current = SqlError(line=int(m.group("line")), message=m.group("message"))
            errors.append(current)
            in_statement = False
            continue
        m = _STATEMENT_LINE.match(raw)
        if m and current is not None:
            current.statement = m.group("text")
            in_statement = True
            continue
        if _PSQL_LINE.match(raw):  # NOTICE, WARNING, other errors: ends the current entry
            current, in_statement = None, False
            continue
        if current is None:
            continue
        if in_statement:
            current.statement += "\n" + raw
        else:
            current.detail.append(raw)
    return errors


class PgCluster:
    """A disposable PostgreSQL cluster; use as a context manager or call start()/stop()."""

    def __init__(
        self,
        bindir: str | None = None,
        settings: dict[str, str] | None = None,
        fast: bool = True,
        startup_timeout: float = 60.0,
        shutdown_timeout: float = 30.0,
        keep: bool = False,
        tmp_parent: str | None = None,
    ):
        self.bindir = bindir or os.environ.get("PG_BINDIR") or DEFAULT_BINDIR
        self.settings = dict(FAST_SETTINGS) if fast else {}
        self.settings.update(settings or {})
        self.startup_timeout = startup_timeout
        self.shutdown_timeout = shutdown_timeout
        self.keep = keep  # keep the temporary directory after stop() (for debugging)
        self.tmp_parent = tmp_parent
        self.superuser = "postgres"
        self.host = "127.0.0.1"
        self.port: int | None = None
        self.tmpdir: str | None = None
        self.datadir: str | None = None
        self.socketdir: str | None = None
        self.logfile: str | None = None
        self.proc: subprocess.Popen | None = None
        self.postmaster_pid: int | None = None
        self._as_root = os.getuid() == 0

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> "PgCluster":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _bin(self, name: str) -> str:
        path = os.path.join(self.bindir, name)
        if not os.access(path, os.X_OK):
            raise PgClusterError(f"{path} not found (install postgresql-15 or set PG_BINDIR)")
        return path

    def _server_cmd(self, argv: list[str]) -> list[str]:
        """initdb/postgres refuse to run as root: run them as the postgres user then."""
        if self._as_root:
            return ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def start(self) -> None:
        if self.proc is not None:
            return
        self.tmpdir = tempfile.mkdtemp(prefix="pgcluster-", dir=self.tmp_parent)
        self.datadir = os.path.join(self.tmpdir, "data")
        self.socketdir = self.tmpdir
        self.logfile = os.path.join(self.tmpdir, "server.log")
        if len(os.path.join(self.socketdir, ".s.PGSQL.65535")) > 100:
            raise PgClusterError(f"socket directory path too long: {self.socketdir}")
        if self._as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.tmpdir, pw.pw_uid, pw.pw_gid)
        initdb = self._server_cmd([
            self._bin("initdb"), "-D", self.datadir, "-U", self.superuser, "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions",
        ])
        r = subprocess.run(initdb, capture_output=True, text=True)
        if r.returncode != 0:
            raise PgClusterError(f"initdb failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")

        last_error = ""
        for _attempt in range(3):  # the free port can be taken between probing and binding
            self.port = free_port()
            if self._launch():
                return
            last_error = self.server_log()
        raise PgClusterError(f"postgres did not start:\n{last_error[-4000:]}")

    def _launch(self) -> bool:
        argv = [self._bin("postgres"), "-D", self.datadir,
                "-c", f"listen_addresses={self.host}",
                "-c", f"port={self.port}",
                "-c", f"unix_socket_directories={self.socketdir}"]
        for name, value in self.settings.items():
            argv += ["-c", f"{name}={value}"]
        with open(self.logfile, "ab") as log:
            self.proc = subprocess.Popen(self._server_cmd(argv), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.proc = None
                return False
            r = subprocess.run([self._bin("pg_isready"), "-q", "-h", self.socketdir,
                                "-p", str(self.port), "-U", self.superuser, "-d", "postgres"],
                               capture_output=True)
            if r.returncode == 0:
                self.postmaster_pid = self._read_postmaster_pid()
                return True
            time.sleep(0.1)
        self.stop(remove=False)
        raise PgClusterError(f"postgres not ready after {self.startup_timeout}s:\n"
                             f"{self.server_log()[-4000:]}")

    def _read_postmaster_pid(self) -> int | None:
        try:
            with open(os.path.join(self.datadir, "postmaster.pid")) as f:
                return int(f.readline().strip())
        except (OSError, ValueError):
            return None

    @staticmethod
    def _alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def _wait_gone(self, pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None:
                self.proc.poll()  # reap the direct child (postgres or runuser)
            if not self._alive(pid):
                return True
            time.sleep(0.05)
        return not self._alive(pid)

    def stop(self, remove: bool = True) -> None:
        """Stop the postmaster by pid (SIGINT, then SIGQUIT, then SIGKILL), remove the temp dir."""
        pid = self.postmaster_pid or (self._read_postmaster_pid() if self.datadir else None)
        if pid is None and self.proc is not None:
            pid = self.proc.pid
        if pid is not None and self._alive(pid):
            for sig, wait in ((signal.SIGINT, self.shutdown_timeout), (signal.SIGQUIT, 10.0),
                              (signal.SIGKILL, 10.0)):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    break
                if self._wait_gone(pid, wait):
                    break
        if self.proc is not None:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        self.postmaster_pid = None
        if remove and not self.keep and self.tmpdir and os.path.isdir(self.tmpdir):
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def server_log(self) -> str:
        try:
            with open(self.logfile, errors="replace") as f:
                return f.read()
        except (OSError, TypeError):
            return ""

    # ------------------------------------------------------------------ clients

    @property
    def env(self) -> dict[str, str]:
        """Environment for libpq clients (psql, pg_dump, alembic via libpq...)."""
        env = dict(os.environ)
        env.update(PGHOST=self.socketdir or "", PGPORT=str(self.port), PGUSER=self.superuser,
                   PGDATABASE="postgres")
        for var in ("PGPASSWORD", "PGSERVICE", "PGSSLMODE", "PGOPTIONS"):
            env.pop(var, None)
        return env

    def url(self, dbname: str = "postgres") -> str:
        """A TCP connection URL (127.0.0.1, trust authentication)."""
        return f"postgresql://{self.superuser}@{self.host}:{self.port}/{dbname}"

    def psql(self, args: list[str], dbname: str = "postgres", input: str | None = None,
             check: bool = True, timeout: float | None = None) -> subprocess.CompletedProcess:
        cmd = [self._bin("psql"), "-X", "-q", "-h", self.socketdir, "-p", str(self.port),
               "-U", self.superuser, "-d", dbname] + list(args)
        r = subprocess.run(cmd, input=input, capture_output=True, text=True, env=self.env,
                           errors="replace", timeout=timeout)
        if check and r.returncode != 0:
            raise PgClusterError(f"psql {' '.join(args)[:200]} failed ({r.returncode}):\n{r.stderr}")
        return r

    def execute(self, sql: str, dbname: str = "postgres") -> None:
        """Run SQL, stopping at the first error (raises PgClusterError)."""
        self.psql(["-v", "ON_ERROR_STOP=1", "-c", sql], dbname)

    def create_database(self, name: str, template: str = "template0") -> str:
        quoted = '"' + name.replace('"', '""') + '"'
        self.execute(f"CREATE DATABASE {quoted} TEMPLATE {template}")
        return name

    def run_sql_file(self, path: str, dbname: str, on_error_stop: bool = False,
                     echo_errors: bool = True, extra_args: list[str] | None = None,
                     timeout: float | None = None) -> SqlFileResult:
        """psql -f FILE; errors are counted, not raised (unless on_error_stop)."""
        args = ["-v", f"ON_ERROR_STOP={1 if on_error_stop else 0}"]
        if echo_errors:
            args.append("--echo-errors")
        args += list(extra_args or []) + ["-f", path]
        r = self.psql(args, dbname, check=False, timeout=timeout)
        return SqlFileResult(path=path, returncode=r.returncode, stdout=r.stdout, stderr=r.stderr,
                             errors=parse_psql_errors(r.stderr))

    def query(self, sql: str, dbname: str = "postgres") -> list[tuple[str | None, ...]]:
        """Rows as tuples of strings (None for NULL); psql -At with control-character separators."""
        fs, rs, null = "\x1f", "\x1e", "\x1d<NULL>\x1d"
        r = self.psql(["-v", "ON_ERROR_STOP=1", "-A", "-t", "-F", fs, "-R", rs,
                       "-P", f"null={null}", "-c", sql], dbname)
        out = r.stdout
        if out.endswith("\n"):
            out = out[:-1]
        rows = []
        for rec in out.split(rs) if out else []:
            rows.append(tuple(None if v == null else v for v in rec.split(fs)))
        return rows

    def query_json(self, sql: str, dbname: str = "postgres") -> list[dict]:
        """Rows as a list of dicts, via json_agg (column types survive: arrays, booleans...)."""
        wrapped = f"SELECT coalesce(json_agg(q), '[]'::json) FROM ({sql}) AS q"
        r = self.psql(["-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", wrapped], dbname)
        return json.loads(r.stdout)

    def scalar(self, sql: str, dbname: str = "postgres") -> str | None:
        rows = self.query(sql, dbname)
        return rows[0][0] if rows else None
