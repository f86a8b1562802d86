"""Reports on the samples: golden files for JSON, Markdown and SARIF, SARIF validated against the
OASIS SARIF 2.1.0 schema (python3-jsonschema), Markdown under GitHub's comment limit, and two runs
byte-identical.

Set UPDATE_GOLDEN=1 to rewrite tests/golden/ after an intended change (then review the diff).
Usage (CTest): test_report_goldens.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import difflib
import json
import os
import subprocess
import sys

import jsonschema

advisor, source_dir, shared_dir = sys.argv[1:4]
samples = ["workshops", "collaborative-buckets", "projects", "multitenant-users", "collections"]
formats = {"json": "json", "markdown": "md", "sarif": "sarif"}
golden_dir = os.path.join(source_dir, "tests", "golden")
update = os.environ.get("UPDATE_GOLDEN") == "1"
with open(os.path.join(shared_dir, "corpus", "formats", "sarif-schema-2.1.0.json")) as f:
    sarif_schema = json.load(f)
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def advise(sample, fmt):
    # Relative paths, run from the source tree: reports name files as a repository would.
    args = [advisor, "advise", "--schema", f"samples/{sample}/schema.sql",
            "--log", f"samples/{sample}/postgresql.log", "--format", fmt]
    result = subprocess.run(args, capture_output=True, text=True, cwd=source_dir, timeout=120)
    return result.returncode, result.stdout


for sample in samples:
    for fmt, extension in formats.items():
        code, first = advise(sample, fmt)
        _, second = advise(sample, fmt)
        check(code == 0, f"{sample} --format {fmt} exits 0")
        check(first == second, f"{sample} --format {fmt}: two runs are byte-identical")
        golden = os.path.join(golden_dir, f"{sample}.{extension}")
        if update:
            with open(golden, "w") as f:
                f.write(first)
        with open(golden) as f:
            expected = f.read()
        same = expected == first
        if not same:
            diff = "".join(list(difflib.unified_diff(expected.splitlines(True), first.splitlines(True),
                                                     golden, "output"))[:40])
            print(diff)
        check(same, f"{sample} --format {fmt} matches {os.path.relpath(golden, source_dir)}")
        if fmt == "sarif":
            try:
                jsonschema.validate(json.loads(first), sarif_schema)
                check(True, f"{sample}: SARIF validates against the SARIF 2.1.0 schema")
            except jsonschema.ValidationError as e:
                check(False, f"{sample}: SARIF invalid: {e.message} at {list(e.absolute_path)}")
        if fmt == "markdown":
            check(len(first) < 60000, f"{sample}: Markdown is {len(first)} characters (< 60,000)")
        if fmt == "json":
            report = json.loads(first)
            check(set(report) == {"tool", "summary", "findings"}, f"{sample}: JSON has the contract's keys")
            check(all(f["table"].count(".") >= 1 for f in report["findings"]),
                  f"{sample}: every finding's table is schema-qualified")

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("reports match their golden files; SARIF is valid; outputs are deterministic")
