"""workload on bad input: a clear message naming file and line, skipped lines counted, the
right exit status, and never a crash or a hang (each run has a time limit).

Arguments: <schema-advisor binary> <source dir> <shared dir>.
"""
import gzip
import json
import os
import subprocess
import sys
import tempfile

ADVISOR = sys.argv[1]
PREFIX = "2025-07-18 09:00:00.123 UTC [42] app@db "


def line(rest):
    return (PREFIX + rest + "\n").encode()


GOOD = line("LOG:  duration: 1.0 ms  statement: SELECT * FROM t WHERE a = 1") + line(
    "LOG:  duration: 2.0 ms  statement: SELECT * FROM t WHERE a = 2")


def run(path, *extra):
    result = subprocess.run([ADVISOR, "workload", "--format", "json", *extra, path],
                            capture_output=True, timeout=120)
    assert result.returncode in (0, 2), f"{path}: exit {result.returncode}: {result.stderr!r}"
    report = json.loads(result.stdout) if result.returncode == 0 or result.stdout else None
    return result.returncode, report, result.stderr.decode("utf-8", "replace")


def write(directory, name, data):
    path = os.path.join(directory, name)
    with open(path, "wb") as out:
        out.write(data)
    return path


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main():
    failures = []
    with tempfile.TemporaryDirectory() as directory:
        def case(name, test):
            try:
                test()
                print(f"ok   {name}")
            except Exception as error:  # report every case, then fail
                failures.append(name)
                print(f"FAIL {name}: {error}")

        def truncated_last_line():
            path = write(directory, "truncated.log",
                         GOOD + (PREFIX + "LOG:  duration: 3.0 ms  statement: SELECT * FRO").encode())
            code, report, stderr = run(path)
            check(code == 0, f"exit {code}")
            check(report["statements"] == 3, report["statements"])
            check(report["unparsed"] == 1, report["unparsed"])
            check(f"{path}:3:" in stderr, stderr)
            check(any(e["line"] == 3 and "line end" in e["message"] for e in report["errors"]),
                  report["errors"])

        def invalid_utf8():
            # "café" as a LATIN1 server writes it: \xe9 alone is not UTF-8.
            path = write(directory, "latin1.log",
                         line("LOG:  duration: 1.0 ms  statement: SELECT 'caf").rstrip(b"\n") +
                         b"\xe9'\n")
            code, report, stderr = run(path)
            check(code == 0, f"exit {code}")
            check(report["statements"] == 1, report)
            check(f"{path}:1:" in stderr and "UTF-8" in stderr, stderr)
            check("\ufffd" in report["shapes"][0]["examples"][0]["text"], report["shapes"])

        def ten_megabyte_line():
            path = write(directory, "huge.log", GOOD + line("LOG:  duration: 1.0 ms  statement: SELECT '" +
                                                             "x" * (10 << 20) + "'") + GOOD)
            code, report, stderr = run(path)
            check(code == 0, f"exit {code}")
            check(report["statements"] == 4, report["statements"])
            check(report["sources"][0]["skipped_lines"] == 1, report["sources"])
            check(f"{path}:3:" in stderr and "longer than" in stderr, stderr)

        def nul_bytes():
            path = write(directory, "nul.log", GOOD + line("LOG:  duration: 1.0 ms  statement: SELECT \0 1") + GOOD)
            code, report, stderr = run(path)
            check(code == 0, f"exit {code}")
            check(report["statements"] == 4, report["statements"])
            check(report["sources"][0]["skipped_lines"] == 1, report["sources"])
            check(f"{path}:3:" in stderr and "NUL" in stderr, stderr)

        def unknown_format():
            path = write(directory, "notes.txt", b"just some notes\nnothing like a log here\n")
            code, report, stderr = run(path)
            check(code == 2, f"exit {code}")
            check(path in stderr and "--log-format" in stderr, stderr)

        def empty_file():
            path = write(directory, "empty.log", b"")
            code, report, stderr = run(path)
            check(code == 2, f"exit {code}")
            check(path in stderr and "empty" in stderr, stderr)

        def gzip_cut_short():
            data = gzip.compress(GOOD * 20000)
            path = write(directory, "cut.log.gz", data[: len(data) // 2])
            code, report, stderr = run(path)
            check(code == 2, f"exit {code}")
            check(report is not None and 0 < report["statements"] < 40000, report and report["statements"])
            check(path in stderr and "cut short" in stderr, stderr)
            check(report["sources"][0]["damage"], report["sources"])

        def missing_file():
            code, report, stderr = run(os.path.join(directory, "missing.log"))
            check(code == 2, f"exit {code}")
            check("no such file" in stderr, stderr)

        def binary_file():
            path = write(directory, "binary.log", bytes(range(256)) * 64)
            code, report, stderr = run(path)
            check(code == 2, f"exit {code}")
            check("binary" in stderr, stderr)

        def bad_prefix():
            path = write(directory, "good.log", GOOD)
            code, report, stderr = run(path, "--log-format", "stderr", "--log-line-prefix", "%y")
            check(code == 2, f"exit {code}")
            check("%y" in stderr, stderr)

        for name, test in [("truncated last line", truncated_last_line),
                           ("invalid UTF-8", invalid_utf8),
                           ("a 10 MB single line", ten_megabyte_line),
                           ("NUL bytes", nul_bytes),
                           ("a format we do not know", unknown_format),
                           ("an empty file", empty_file),
                           ("a gzip file cut short", gzip_cut_short),
                           ("a missing file", missing_file),
                           ("a binary file", binary_file),
                           ("a bad --log-line-prefix", bad_prefix)]:
            case(name, test)
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
