"""A throwaway PostgreSQL 15 cluster that logs statements, for tests that read its logs.

initdb in a temporary directory, listening on 127.0.0.1 only on a free port, its unix socket in
that directory. initdb refuses to run as root, so as root the server runs as the `postgres` user.
The server is stopped by its postmaster's pid, and the directory removed, whatever happens.

    with LogCluster({"log_min_duration_statement": "0"}) as cluster:
        cluster.psql_file("script.sql")
        text = cluster.log_path("log")  # or "csv", "json"
"""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

BINDIR = "/usr/lib/postgresql/15/bin"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LogCluster:
    def __init__(self, settings):
        self.settings = dict(settings)
        self.directory = None
        self.server = None
        self.port = None
        self.run_as = "postgres" if os.getuid() == 0 else None

    def _as_server_user(self):
        return {"user": self.run_as, "group": self.run_as} if self.run_as else {}

    def __enter__(self):
        self.directory = tempfile.mkdtemp(prefix="schema-advisor-logcluster-")
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self):
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
        os.chmod(self.directory, 0o700)
        data = os.path.join(self.directory, "data")
        subprocess.run([f"{BINDIR}/initdb", "-D", data, "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--locale=C"], check=True, capture_output=True,
                       **self._as_server_user())
        self.port = free_port()
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": self.directory,
            "logging_collector": "on",
            "log_directory": os.path.join(self.directory, "log"),
            "log_filename": "postgresql.log",
            "log_destination": "stderr,csvlog,jsonlog",
            "lc_messages": "C",
            "log_connections": "on",
            "log_disconnections": "on",
        }
        settings.update(self.settings)
        command = [f"{BINDIR}/postgres", "-D", data]
        for name, value in settings.items():
            command += ["-c", f"{name}={value}"]
        self.server = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                       stderr=open(os.path.join(self.directory, "server.err"), "wb"),
                                       **self._as_server_user())
        deadline = time.time() + 60
        while time.time() < deadline:
            ready = subprocess.run([f"{BINDIR}/pg_isready", "-h", self.directory, "-p",
                                    str(self.port), "-U", "postgres"], capture_output=True)
            if ready.returncode == 0:
                return
            if self.server.poll() is not None:
                break
            time.sleep(0.2)
        with open(os.path.join(self.directory, "server.err"), "rb") as err:
            raise RuntimeError("PostgreSQL did not start: " + err.read().decode(errors="replace"))

    def connection_args(self):
        return ["-h", self.directory, "-p", str(self.port), "-U", "postgres"]

    def psql_file(self, path, database="postgres"):
        return subprocess.run([f"{BINDIR}/psql", "-X", "-q", *self.connection_args(), "-d",
                               database, "-f", path], capture_output=True, timeout=120)

    def pgbench(self, *args, database="postgres"):
        return subprocess.run([f"{BINDIR}/pgbench", *self.connection_args(), *args, database],
                              capture_output=True, timeout=300, check=True)

    def log_path(self, suffix):
        return os.path.join(self.directory, "log", "postgresql." + suffix)

    def stop(self):
        """Fast shutdown by the postmaster's pid; waits so the logs are complete."""
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGINT)
            try:
                self.server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self.server = None

    def __exit__(self, *exc):
        try:
            self.stop()
        finally:
            if self.directory:
                shutil.rmtree(self.directory, ignore_errors=True)
        return False
