#!/usr/bin/env python3
"""Writes schema-advisor's --models file from an application's SQLAlchemy models.

    python3 scripts/export_models.py MODULE[:BASE] [-o models.json]

MODULE is imported as the application imports it (the current directory is on sys.path); BASE
names its declarative base (anything with a `registry`, e.g. `Base` or `db.Model`). Without BASE,
every mapper SQLAlchemy has configured after the import is taken. The mappers come from
SQLAlchemy's own registry (`registry.mappers`, after `configure_mappers()`), so the file holds
the application's real names, never guesses from table names:

    {"public.users": {"class": "Account",
                      "attributes": {"email": "email_address", ...},      # column -> attribute
                      "relationships": {
                          "tenant_id": {"attribute": "organisation",    # many-to-one: by FK column
                                        "lazy": "select", "direction": "MANYTOONE"},
                          "public.user_roles": {"attribute": "memberships",  # one-to-many and
                                        "lazy": "selectin", "direction": "ONETOMANY"}}}}  # many-to-many: by table

Tables are keyed "schema.table" when the model gives a schema, else by their bare name (which
`advise` resolves in the default schema). The output is sorted, so the same models give the same
file. Format: docs/rules.md, "SQLAlchemy names".
"""
import argparse
import importlib
import json
import os
import sys

import sqlalchemy
from sqlalchemy import orm


def table_key(table):
    return f"{table.schema}.{table.name}" if table.schema else table.name


def registries(module, base_name):
    if base_name:
        base = module
        for part in base_name.split("."):
            base = getattr(base, part)
        registry = getattr(base, "registry", None)
        if registry is None:
            raise SystemExit(f"export_models: {base_name} has no SQLAlchemy registry (is it a declarative base?)")
        return [registry]
    # Every registry SQLAlchemy knows of (sqlalchemy.orm.mapperlib keeps them, weakly).
    from sqlalchemy.orm import mapperlib
    return list(mapperlib._mapper_registries)


def relationship_entry(relationship):
    lazy = relationship.lazy
    return {"attribute": relationship.key,
            "lazy": lazy if isinstance(lazy, str) else json.dumps(lazy),
            "direction": relationship.direction.name}


def model_of(mapper):
    table = mapper.local_table
    attributes = {}
    for prop in mapper.column_attrs:
        for column in prop.columns:
            if isinstance(column, sqlalchemy.Column) and column.table is table:
                attributes.setdefault(column.name, prop.key)
    relationships = {}
    for relationship in sorted(mapper.relationships, key=lambda r: r.key):
        if relationship.direction.name == "MANYTOONE":
            local = sorted({local.name for local, _ in relationship.local_remote_pairs
                            if getattr(local, "table", None) is table})
            if len(local) != 1:
                continue  # a composite key: the --models format names single columns only
            key = local[0]
        else:
            key = table_key(relationship.target)  # the child (one-to-many) or related table
        relationships.setdefault(key, relationship_entry(relationship))
    return {"class": mapper.class_.__name__, "attributes": dict(sorted(attributes.items())),
            "relationships": dict(sorted(relationships.items()))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", metavar="MODULE[:BASE]")
    parser.add_argument("-o", "--output", help="write here (default: standard output)")
    args = parser.parse_args()
    module_name, _, base_name = args.target.partition(":")
    sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise SystemExit(f"export_models: cannot import {module_name}: {e}")
    orm.configure_mappers()
    models = {}
    for registry in registries(module, base_name):
        for mapper in registry.mappers:
            table = mapper.local_table
            if not isinstance(table, sqlalchemy.Table):
                continue  # mapped to a select or a join: no table of its own
            if mapper.inherits is not None and mapper.inherits.local_table is table:
                continue  # single-table inheritance: the base class names the table
            models.setdefault(table_key(table), model_of(mapper))
    if not models:
        raise SystemExit(f"export_models: no mapped tables found in {args.target}")
    text = json.dumps(dict(sorted(models.items())), indent=2) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
