"""advise on the five seed samples (samples/*/README.md): every expected finding of n-plus-one, eager-load,
json-overfetch and unbounded-list is reported, and none of the "must not be reported" ones.

Expected lines are counted: a README line listed twice (one repeated shape after two parent
shapes, samples/collections) must be reported twice.

Arguments: <schema-advisor binary> <source dir> <shared dir>.
"""
import collections
import json
import os
import subprocess
import sys

ADVISOR, SOURCE = sys.argv[1], sys.argv[2]
RULES = ("n-plus-one", "eager-load", "json-overfetch", "unbounded-list")
SAMPLES = ("collaborative-buckets", "collections", "multitenant-users", "projects", "workshops")


def readme_lines(text, section):
    body = text.split(section, 1)[1].split("\n## ", 1)[0]
    lines = collections.Counter()
    for line in body.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.split(" ", 1)[0] in RULES:
            lines[line] += 1
    return lines


def reported(sample):
    directory = os.path.join(SOURCE, "samples", sample)
    result = subprocess.run(
        [ADVISOR, "advise", "--schema", os.path.join(directory, "schema.sql"), "--log",
         os.path.join(directory, "postgresql.log"), "--format", "json"],
        capture_output=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr.decode()
    findings = json.loads(result.stdout)["findings"]
    return collections.Counter(f"{f['rule']} {f['table']} ({', '.join(f['columns'])})"
                               for f in findings if f["rule"] in RULES)


failures = []
for sample in SAMPLES:
    with open(os.path.join(SOURCE, "samples", sample, "README.md"), encoding="utf-8") as readme:
        text = readme.read()
    got = reported(sample)
    for line, count in sorted((readme_lines(text, "## Expected findings") - got).items()):
        failures.append(f"{sample}: missing {line}" + (f" ({count} more)" if count > 1 else ""))
    for line in sorted(readme_lines(text, "## Must not be reported") & got):
        failures.append(f"{sample}: must not report {line}")

# --models renames what the fixes print; a bad --models file stops the run with status 2.
import tempfile  # noqa: E402
directory = os.path.join(SOURCE, "samples", "multitenant-users")
base = [ADVISOR, "advise", "--schema", os.path.join(directory, "schema.sql"), "--log",
        os.path.join(directory, "postgresql.log"), "--format", "json"]
with tempfile.TemporaryDirectory() as temp:
    models = os.path.join(temp, "models.json")
    with open(models, "w", encoding="utf-8") as out:
        json.dump({"users": {"class": "Account", "relationships": {"tenant_id": "org"}}}, out)
    result = subprocess.run(base + ["--models", models], capture_output=True, timeout=120)
    fixes = [f["fix"].get("sqlalchemy", "") for f in json.loads(result.stdout)["findings"]
             if f["rule"] == "eager-load" and f["table"] == "public.tenants"]
    if not fixes or "selectinload(Account.org)" not in fixes[0]:
        failures.append(f"--models not applied: {fixes}")
    with open(models, "w", encoding="utf-8") as out:
        out.write('{"users": 3}')
    result = subprocess.run(base + ["--models", models], capture_output=True, timeout=120)
    if result.returncode != 2 or models.encode() not in result.stderr or result.stdout:
        failures.append(f"bad --models: status {result.returncode}, {result.stderr!r}")

# Without --date, an Alembic revision's Create Date is the newest timestamp of the log.
import re  # noqa: E402
with tempfile.TemporaryDirectory() as temp:
    workshops = os.path.join(SOURCE, "samples", "workshops")
    subprocess.run([ADVISOR, "advise", "--schema", os.path.join(workshops, "schema.sql"), "--log",
                    os.path.join(workshops, "postgresql.log"), "--emit-alembic", temp],
                   capture_output=True, timeout=120)
    with open(os.path.join(workshops, "postgresql.log"), encoding="utf-8") as log:
        stamps = re.findall(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC)", log.read(), re.M)
    revisions = [name for name in os.listdir(temp) if name.endswith(".py")]
    with open(os.path.join(temp, revisions[0]), encoding="utf-8") as revision:
        text = revision.read()
    if f"Create Date: {max(stamps)}" not in text:
        failures.append(f"Create Date is not the newest log timestamp {max(stamps)}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
