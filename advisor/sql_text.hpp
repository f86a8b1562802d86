// Writing SQL text: identifiers quoted as PostgreSQL's quote_identifier() quotes them, index
// names as design.md names them, and the CREATE/DROP INDEX statements fixes carry.
#pragma once

#include "advisor/finding.hpp"

#include <string>
#include <vector>

namespace advisor {

// Quotes an identifier when PostgreSQL would: not all lower-case letters, digits and
// underscores, or a keyword that is not unreserved (asks libpg_query's scanner).
std::string quote_identifier(const std::string& name);
// "schema.table" with each part quoted as needed.
std::string quote_qualified(const std::string& qualified_name);
// An identifier always quoted: "name", with `"` doubled (SQLite and PostgreSQL alike).
std::string double_quoted(const std::string& name);
// "schema.table" -> "table"; a name without a schema stays as it is.
std::string unqualified_name(const std::string& qualified_name);

// ix_<table>_<col1>_<col2>, cut to 63 bytes with a short hash of the full name when longer.
std::string index_name_for(const std::string& qualified_table,
                           const std::vector<std::string>& columns);

// SQL text of one index key as CREATE INDEX writes it: name or (expression), then collation,
// opclass, DESC and NULLS.
std::string index_key_sql(const IndexKey& key);

// The key as `dialect` can write it: SQLite's indexed-column takes COLLATE and ASC/DESC only, so
// its operator class (text_pattern_ops) and NULLS FIRST/LAST are dropped
// (https://www.sqlite.org/syntax/indexed-column.html). PostgreSQL's is the key itself.
IndexKey key_for_dialect(const IndexKey& key, const std::string& dialect);

// CREATE INDEX CONCURRENTLY IF NOT EXISTS ... ; and its DROP. For `dialect` "sqlite" (a
// catalog's dialect): CREATE INDEX IF NOT EXISTS name ON table (...), DROP INDEX IF EXISTS name,
// since SQLite has no CONCURRENTLY, no USING (every index is a b-tree) and takes the table name
// unqualified in CREATE INDEX (https://www.sqlite.org/lang_createindex.html); keys as
// key_for_dialect() writes them.
std::string create_index_sql(const IndexSpec& index, const std::string& dialect = "postgresql");
std::string drop_index_sql(const std::string& schema, const std::string& index_name,
                           const std::string& dialect = "postgresql");

// Stable 64-bit FNV-1a hash of a text, as 16 hex digits (deterministic ids and names).
std::string stable_hash_hex(const std::string& text);

} // namespace advisor
