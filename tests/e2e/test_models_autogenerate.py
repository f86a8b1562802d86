"""Model snippets keep Alembic autogenerate in step, with names from scripts/export_models.py.

On the multitenant-users sample, loaded into a throwaway PostgreSQL 15:
1. The application: declarative SQLAlchemy models (Debian's python3-sqlalchemy 1.4) written from
   the loaded schema by reflection, with every column, key, unique constraint and index it has,
   and with names that differ from the conventions advise would guess: class `<Table>Row`,
   attributes `f_<column>`, many-to-one relationships `rel_<column>` (lazy="joined") and
   one-to-many `children_<table>` (lazy="selectin").
2. `scripts/export_models.py app_models:Base` writes the --models file; it must hold those names,
   with each relationship's lazy setting and direction.
3. `advise --models ... --include-drops --emit-alembic` proposes indexes; each index finding's
   fix.sqlalchemy names the real class and attribute, and the revision's docstring lists each
   model change once.
4. The snippets are applied to the models as a developer would: `index=True` added to the named
   attribute's Column, `Index(...)` lines added to (or, for drops, deleted from) the class's
   `__table_args__`.
5. After `alembic upgrade head`, `alembic revision --autogenerate` (compare_type off: the
   generated models type every column as Text) proposes no index operation. The control: the
   models without the snippets make autogenerate propose index operations.

Usage (CTest): test_models_autogenerate.py SCHEMA_ADVISOR SOURCE_DIR SHARED_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pgcluster import PgCluster  # noqa: E402

advisor, source_dir, shared_dir = sys.argv[1:4]
sample = os.path.join(source_dir, "samples", "multitenant-users")
export_models = os.path.join(source_dir, "scripts", "export_models.py")
failures = []

ENV_PY = """import importlib, os, sys
from alembic import context
from sqlalchemy import engine_from_config, pool
sys.path.insert(0, os.environ["MODELS_DIR"])
models = importlib.import_module(os.environ["MODELS_MODULE"])
config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix='sqlalchemy.',
                            poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=models.Base.metadata,
                      compare_type=False)
    with context.begin_transaction():
        context.run_migrations()
"""


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def camel(name):
    return "".join(part.capitalize() for part in name.split("_"))


def models_source(engine):
    """Declarative models for every table of the public schema, from reflection."""
    inspector = sa.inspect(engine)
    tables = sorted(inspector.get_table_names(schema="public"))
    lines = ["import sqlalchemy as sa", "from sqlalchemy import Column, ForeignKeyConstraint, Index, "
             "Text, UniqueConstraint, text", "from sqlalchemy.orm import declarative_base, relationship",
             "", "Base = declarative_base()", ""]
    children = {}
    for table in tables:
        for fk in inspector.get_foreign_keys(table, schema="public"):
            children.setdefault(fk["referred_table"], []).append((table, fk))
    for table in tables:
        pk = inspector.get_pk_constraint(table, schema="public")["constrained_columns"]
        columns = inspector.get_columns(table, schema="public")
        lines += ["", f"class {camel(table)}Row(Base):", f"    __tablename__ = {table!r}",
                  "    __table_args__ = ("]
        uniques = inspector.get_unique_constraints(table, schema="public")
        for unique in uniques:
            lines.append(f"        UniqueConstraint({', '.join(map(repr, unique['column_names']))}, name={unique['name']!r}),")
        for fk in inspector.get_foreign_keys(table, schema="public"):
            referred = [f"{fk['referred_table']}.{c}" for c in fk["referred_columns"]]
            options = "".join(f", {k}={v!r}" for k, v in sorted(fk.get("options", {}).items())
                              if k in ("ondelete", "onupdate", "deferrable", "initially"))
            lines.append(f"        ForeignKeyConstraint({fk['constrained_columns']!r}, {referred!r}, "
                         f"name={fk['name']!r}{options}),")
        for index in inspector.get_indexes(table, schema="public"):
            if index.get("duplicates_constraint") or any(c is None for c in index["column_names"]):
                continue
            unique = ", unique=True" if index["unique"] else ""
            lines.append(f"        Index({index['name']!r}, {', '.join(map(repr, index['column_names']))}{unique}),")
        lines += [f"        # INDEXES {camel(table)}Row", "    )"]
        if not pk:
            pk = [c["name"] for c in columns]  # SQLAlchemy's ORM needs a key to map a table
        for column in columns:
            key = ", primary_key=True" if column["name"] in pk else ""
            nullable = "" if key else f", nullable={column['nullable']}"
            lines.append(f"    f_{column['name']} = Column({column['name']!r}, Text{key}{nullable})")
        for fk in inspector.get_foreign_keys(table, schema="public"):
            if len(fk["constrained_columns"]) == 1:
                column = fk["constrained_columns"][0]
                lines.append(f"    rel_{column} = relationship({camel(fk['referred_table'])+'Row'!r}, "
                             f"foreign_keys=[f_{column}], lazy='joined', viewonly=True)")
        for child, fk in children.get(table, []):
            if len(fk["constrained_columns"]) == 1:
                lines.append(f"    children_{child}_{fk['constrained_columns'][0]} = relationship("
                             f"{camel(child)+'Row'!r}, foreign_keys='{camel(child)}Row.f_{fk['constrained_columns'][0]}', "
                             f"lazy='selectin', viewonly=True)")
    return "\n".join(lines) + "\n"


def apply_snippet(source, snippet):
    """Edits the models as the snippet says; returns the new source, or None if it cannot."""
    head, _, body = snippet.partition("\n")
    match = re.match(r"# (\w+)\.(\w+): SQLAlchemy's default naming convention names this index", head)
    if match:
        cls, attribute = match.groups()
        pattern = re.compile(rf"^(    {attribute} = Column\(.*?)\)$", re.M)
        section = source[source.index(f"class {cls}(Base):"):]
        found = pattern.search(section)
        if not found or "index=True" not in body:
            return None
        extra = ", unique=True" if "unique=True" in body else ""
        start = source.index(f"class {cls}(Base):") + found.start()
        return source[:start] + found.group(1) + f"{extra}, index=True)" + source[start + len(found.group(0)):]
    match = re.match(r"# (\w+) \(table [\w.]+\): (add to|delete from) __table_args__", head)
    if not match:
        return None
    cls, action = match.groups()
    index_line = body.split("\n")[0]
    if action == "add to":
        marker = f"        # INDEXES {cls}"
        return source.replace(marker, f"        {index_line}\n{marker}") if marker in source else None
    name = re.match(r'Index\("([^"]+)"', index_line).group(1)
    kept = [line for line in source.split("\n") if not line.strip().startswith(f"Index({name!r}")]
    return "\n".join(kept) if len(kept) < source.count("\n") + 1 else None


work = tempfile.mkdtemp(prefix="schema-advisor-autogenerate-")
try:
    os.chmod(work, 0o755)
    with PgCluster() as pg:
        pg.create_database("app")
        loaded = pg.run_sql_file(os.path.join(sample, "schema.sql"), "app", on_error_stop=True)
        check(loaded.error_count == 0, f"the sample schema loads ({loaded.errors[:1]})")
        url = f"postgresql+psycopg2://postgres@127.0.0.1:{pg.port}/app"
        engine = sa.create_engine(url)
        source = models_source(engine)
        engine.dispose()
        with open(os.path.join(work, "app_models.py"), "w") as f:
            f.write(source)

        # 2. export_models.py
        exported = run(["/usr/bin/python3", export_models, "app_models:Base", "-o", "models.json"], cwd=work)
        check(exported.returncode == 0, f"export_models.py app_models:Base ({exported.stderr.strip()[-300:]})")
        with open(os.path.join(work, "models.json")) as f:
            models = json.load(f)
        check(models["users"]["class"] == "UsersRow" and models["users"]["attributes"]["email"] == "f_email",
              f"classes and attributes are the application's ({models['users']['class']}, {models['users']['attributes'].get('email')})")
        check(models["users"]["relationships"].get("tenant_id") ==
              {"attribute": "rel_tenant_id", "lazy": "joined", "direction": "MANYTOONE"},
              f"a many-to-one relationship is keyed by its column, with lazy and direction ({models['users']['relationships'].get('tenant_id')})")
        check(models["tenants"]["relationships"].get("users") ==
              {"attribute": "children_users_tenant_id", "lazy": "selectin", "direction": "ONETOMANY"},
              f"a one-to-many relationship is keyed by the child table ({models['tenants']['relationships'].get('users')})")
        rerun = run(["/usr/bin/python3", export_models, "app_models:Base"], cwd=work)
        check(rerun.stdout == open(os.path.join(work, "models.json")).read(), "export_models.py output is deterministic")
        missing = run(["/usr/bin/python3", export_models, "no_such_module"], cwd=work)
        check(missing.returncode != 0 and "cannot import no_such_module" in missing.stderr, "a missing module is a clear error")

        # 3. advise with the exported names.
        versions = os.path.join(work, "versions")
        advised = run([advisor, "advise", "--schema", os.path.join(sample, "schema.sql"), "--log",
                       os.path.join(sample, "postgresql.log"), "--models", os.path.join(work, "models.json"),
                       "--include-drops", "--emit-alembic", versions, "--format", "json",
                       "--date", "2026-11-23 10:00"])
        check(advised.returncode == 0, f"advise --models --emit-alembic ({advised.stderr.strip()[-300:]})")
        report = json.loads(advised.stdout)
        snippets = [f["fix"]["sqlalchemy"] for f in report["findings"] if "index" in f["fix"] or "drop_index" in f["fix"]]
        check(len(snippets) >= 3, f"{len(snippets)} index findings carry a model snippet")
        check(all(re.search(r"\b\w+Row\b", s) for s in snippets), "every snippet names the application's class")
        check(any("f_" in s and "index=True" in s for s in snippets) or all("Index(" in s for s in snippets),
              "index=True snippets name the application's attribute")
        revision = open(os.path.join(versions, os.listdir(versions)[0])).read()
        docstring = revision.split('"""')[1]
        for snippet in set(snippets):
            first_line = snippet.split("\n")[1]
            check(docstring.count(first_line) == 1, f"the revision docstring lists once: {first_line}")

        # 4. apply the snippets.
        edited = source
        for snippet in dict.fromkeys(snippets):
            applied = apply_snippet(edited, snippet)
            check(applied is not None, f"the snippet applies to the models: {snippet.splitlines()[0]}")
            edited = applied or edited
        os.makedirs(os.path.join(work, "with_snippets"))
        with open(os.path.join(work, "with_snippets", "app_models.py"), "w") as f:
            f.write(edited)

        # 5. upgrade, then autogenerate against the models with and without the snippets.
        alembic_dir = os.path.join(work, "alembic")
        os.makedirs(alembic_dir)
        with open(os.path.join(alembic_dir, "env.py"), "w") as f:
            f.write(ENV_PY)
        shutil.copy("/usr/lib/python3/dist-packages/alembic/templates/generic/script.py.mako", alembic_dir)
        ini = os.path.join(work, "alembic.ini")
        with open(ini, "w") as f:
            f.write(f"[alembic]\nscript_location = {alembic_dir}\nversion_locations = {versions}\nsqlalchemy.url = {url}\n")
        alembic = ["/usr/bin/python3", "-m", "alembic", "-c", ini]
        upgraded = run(alembic + ["upgrade", "head"], cwd=work,
                       env=dict(os.environ, MODELS_DIR=work, MODELS_MODULE="app_models"))
        check(upgraded.returncode == 0, f"alembic upgrade head ({upgraded.stderr.strip()[-300:]})")
        for label, models_dir, expect_index_ops in (("without the snippets", work, True),
                                                   ("with the snippets", os.path.join(work, "with_snippets"), False)):
            before = set(os.listdir(versions))
            generated = run(alembic + ["revision", "--autogenerate", "-m", "check"], cwd=work,
                            env=dict(os.environ, MODELS_DIR=models_dir, MODELS_MODULE="app_models"))
            check(generated.returncode == 0, f"alembic revision --autogenerate {label} ({generated.stderr.strip()[-300:]})")
            new = sorted(set(os.listdir(versions)) - before - {"__pycache__"})
            text = open(os.path.join(versions, new[0])).read() if new else ""
            ops = re.findall(r"op\.(create_index|drop_index|create_table|drop_table|add_column|drop_column|create_foreign_key|drop_constraint|create_unique_constraint)\(.*", text)
            index_ops = [o for o in re.findall(r"op\.(?:create|drop)_index\([^\n]*", text)]
            if expect_index_ops:
                check(len(index_ops) > 0, f"the control: {label}, autogenerate proposes {len(index_ops)} index operations")
            else:
                check(not index_ops and not ops, f"{label}, autogenerate proposes nothing: {index_ops or ops}")
            for name in new:
                os.remove(os.path.join(versions, name))
finally:
    shutil.rmtree(work, ignore_errors=True)

if failures:
    print(f"{len(failures)} checks failed")
    sys.exit(1)
print("with the model snippets (named from export_models.py), autogenerate proposes no index operation")
