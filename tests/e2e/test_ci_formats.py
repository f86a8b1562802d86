"""CI report formats on the samples: GitLab Code Quality, GitHub workflow commands, SARIF.

1. `--format gitlab` validates against tests/e2e/gitlab-codequality.schema.json (written from
   GitLab's "Code Quality report format" docs); fingerprints are unique; every location.path is a
   relative path to a real file of the run and lines.begin is a line of it (the table's or
   index's declaration for schema issues).
2. With `--emit-sql` in the same run, each index finding gets a second issue at the line of the
   emitted .up.sql that creates or drops its index; SARIF gets the same line as a
   relatedLocation and still validates against the SARIF 2.1.0 schema.
3. Fingerprints stay the same when lines move (the schema with 7 comment lines in front): every
   line moves by 7, no fingerprint changes.
4. `--format github`: every line is exactly `::LEVEL file=F,line=N,title=T::MESSAGE` with LEVEL
   error/warning/notice, properties escaped as GitHub's toolkit does (no raw `,` or `:` in them,
   no raw newline or `%`), at most 10 commands per level, and a count of the rest.

Usage (CTest): test_ci_formats.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema

advisor, source_dir, shared_dir = sys.argv[1:4]
samples = ["workshops", "collaborative-buckets", "projects", "multitenant-users", "collections"]
with open(os.path.join(source_dir, "tests", "e2e", "gitlab-codequality.schema.json")) as f:
    gitlab_schema = json.load(f)
with open(os.path.join(shared_dir, "corpus", "formats", "sarif-schema-2.1.0.json")) as f:
    sarif_schema = json.load(f)
COMMAND = re.compile(r"^::(error|warning|notice) file=([^,:\n]+),line=([1-9][0-9]*),title=([^,:\n]+)::([^\n]*)$")
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def advise(cwd, schema, log, fmt, *extra):
    result = subprocess.run([advisor, "advise", "--schema", schema, "--log", log, "--format", fmt, *extra],
                            capture_output=True, text=True, cwd=cwd, timeout=120)
    return result.returncode, result.stdout


def lines_of(cwd, path):
    with open(os.path.join(cwd, path)) as f:
        return f.read().split("\n")


work = tempfile.mkdtemp(prefix="schema-advisor-ci-formats-")
try:
    for sample in samples:
        # A repository of its own: the sample's files under the working directory.
        repo = os.path.join(work, sample)
        os.makedirs(os.path.join(repo, "db"))
        shutil.copy(os.path.join(source_dir, "samples", sample, "schema.sql"), os.path.join(repo, "db", "schema.sql"))
        shutil.copy(os.path.join(source_dir, "samples", sample, "postgresql.log"), os.path.join(repo, "db", "postgresql.log"))
        code, text = advise(repo, "db/schema.sql", "db/postgresql.log", "gitlab")
        check(code == 0, f"{sample}: --format gitlab exits 0")
        issues = json.loads(text)
        try:
            jsonschema.validate(issues, gitlab_schema)
            check(True, f"{sample}: GitLab report validates against the Code Quality schema ({len(issues)} issues)")
        except jsonschema.ValidationError as e:
            check(False, f"{sample}: GitLab report invalid: {e.message} at {list(e.absolute_path)}")
        check(len({i["fingerprint"] for i in issues}) == len(issues), f"{sample}: fingerprints are unique")
        schema_lines = lines_of(repo, "db/schema.sql")
        check(all(i["location"]["path"] == "db/schema.sql" and i["location"]["lines"]["begin"] <= len(schema_lines)
                  for i in issues), f"{sample}: every issue points at a line of db/schema.sql")
        check(all(issue["check_name"] in ("n-plus-one", "eager-load", "unbounded-list", "json-overfetch") or
                  "CREATE" in schema_lines[issue["location"]["lines"]["begin"] - 1].upper()
                  for issue in issues), f"{sample}: schema issues sit on a CREATE TABLE/INDEX line")

        # 2. With migrations in the same run.
        code, text = advise(repo, "db/schema.sql", "db/postgresql.log", "gitlab", "--include-drops",
                            "--emit-sql", "migrations")
        with_fix = json.loads(text)
        migration_issues = [i for i in with_fix if i["location"]["path"].startswith("migrations/")]
        check(code == 0 and len(migration_issues) > 0, f"{sample}: {len(migration_issues)} issues point at the emitted migration")
        for issue in migration_issues:
            line = lines_of(repo, issue["location"]["path"])[issue["location"]["lines"]["begin"] - 1]
            ok = re.match(r"^(CREATE (UNIQUE )?INDEX CONCURRENTLY IF NOT EXISTS|DROP INDEX CONCURRENTLY IF EXISTS) ", line)
            check(bool(ok) and issue["fingerprint"].endswith("/migration"),
                  f"{sample}: {issue['check_name']} fix issue is on the migration's statement: {line[:90]}")
        shutil.rmtree(os.path.join(repo, "migrations"))
        code, text = advise(repo, "db/schema.sql", "db/postgresql.log", "sarif", "--include-drops",
                            "--emit-sql", "migrations")
        sarif = json.loads(text)
        try:
            jsonschema.validate(sarif, sarif_schema)
            check(True, f"{sample}: SARIF with relatedLocations validates against SARIF 2.1.0")
        except jsonschema.ValidationError as e:
            check(False, f"{sample}: SARIF invalid: {e.message} at {list(e.absolute_path)}")
        related = [r["relatedLocations"][0]["physicalLocation"] for r in sarif["runs"][0]["results"] if "relatedLocations" in r]
        check(len(related) == len(migration_issues) and all(
            "INDEX CONCURRENTLY" in lines_of(repo, p["artifactLocation"]["uri"])[p["region"]["startLine"] - 1] for p in related),
            f"{sample}: SARIF relatedLocations point at the same {len(related)} migration lines")

        # 3. Lines move, fingerprints stay.
        with open(os.path.join(repo, "db", "schema.sql")) as f:
            original = f.read()
        with open(os.path.join(repo, "db", "schema.sql"), "w") as f:
            f.write("-- moved\n" * 7 + original)
        _, text = advise(repo, "db/schema.sql", "db/postgresql.log", "gitlab")
        moved = json.loads(text)
        check([i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues] and
              all(m["location"]["lines"]["begin"] == i["location"]["lines"]["begin"] + 7 for m, i in zip(moved, issues)),
              f"{sample}: with every line moved by 7, no fingerprint changes")
        _, text = advise(repo, "db/schema.sql", "db/postgresql.log", "sarif")
        moved_sarif = json.loads(text)["runs"][0]["results"]
        check([r["partialFingerprints"] for r in moved_sarif] == [r["partialFingerprints"] for r in sarif["runs"][0]["results"]],
              f"{sample}: SARIF fingerprints do not move with the lines either")
        with open(os.path.join(repo, "db", "schema.sql"), "w") as f:
            f.write(original)

        # 4. GitHub workflow commands.
        code, text = advise(repo, "db/schema.sql", "db/postgresql.log", "github")
        lines = text.rstrip("\n").split("\n")
        commands = [COMMAND.match(line) for line in lines if line.startswith("::")]
        check(code == 0 and all(commands), f"{sample}: every annotation is ::LEVEL file=F,line=N,title=T::MESSAGE")
        check(all("%" not in re.sub(r"%(25|0A|0D|3A|2C)", "", m.group(5)) for m in commands if m),
              f"{sample}: messages carry % only as GitHub's escapes")
        per_level = {}
        for m in commands:
            if m:
                per_level[m.group(1)] = per_level.get(m.group(1), 0) + 1
        check(all(n <= 10 for n in per_level.values()), f"{sample}: at most 10 annotations per level {per_level}")
        total = len(json.loads(advise(repo, "db/schema.sql", "db/postgresql.log", "json")[1])["findings"])
        rest = [line for line in lines if not line.startswith("::")]
        if total > len(commands):
            check(rest == [f"schema-advisor: {total - len(commands)} more findings are not annotated (GitHub shows "
                           "10 per level); --format json lists them all"], f"{sample}: the rest are counted: {rest}")
        else:
            check(rest == [], f"{sample}: every finding is annotated")
        check(all(m.group(2) == "db/schema.sql" for m in commands if m), f"{sample}: annotations name db/schema.sql")
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("GitLab Code Quality, GitHub annotations and SARIF point at schema and migration lines, with stable fingerprints")
