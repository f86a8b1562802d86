// --schema-from-dsn: the catalog of a live database, read from its own system catalogs.
//
// The server writes the schema as the DDL pg_dump would write for it, with the same functions
// pg_dump calls (format_type, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef,
// pg_get_partkeydef, pg_get_expr of a partition bound) under an empty search_path, so every name
// comes schema-qualified; that text is then read by the DDL reader (parsers/pg_ddl.hpp), the one
// place that turns DDL into a Catalog. A live database and `pg_dump --schema-only` of it thus give
// the same Catalog, expressions and predicates deparsed the same way, by construction.
//
// What is read, in one REPEATABLE READ READ ONLY transaction (one snapshot, as pg_dump takes):
// schemas, domains (a json domain makes a json column), sequences, tables (with NOT NULL,
// UNLOGGED, INHERITS, PARTITION BY), partitions (ATTACH PARTITION with their bounds), views and
// materialized views, PRIMARY KEY / UNIQUE / EXCLUDE constraints, indexes (with expressions,
// predicates, INCLUDE, ON ONLY for partitioned parents and their ATTACH PARTITION), and foreign
// keys. Left out as pg_dump leaves them out: system schemas, objects that belong to an extension,
// invalid indexes on plain tables, foreign keys a partition inherits from its parent.
#pragma once

#include "parsers/catalog.hpp"
#include "parsers/live/pg_connection.hpp"

#include <string>

namespace parsers::live {

// The DDL the server writes for its schema (what the reader reads; `schema --dsn URL --format
// ddl` shows it). Throws QueryError.
std::string live_schema_ddl(Connection& connection);

// The catalog of the connected database. `source_name` names it in warnings and findings'
// locations (their line is the line of live_schema_ddl()'s text). Throws QueryError.
Catalog read_live_catalog(Connection& connection, const std::string& source_name);

} // namespace parsers::live
