// PostgreSQL DDL -> Catalog. Reads pg_dump output, Rails/Ecto structure.sql, full dumps with data
// and migration files applied in order; every statement is parsed by libpg_query and applied to
// the catalog as PostgreSQL would apply it (search_path, implicit names of constraint indexes,
// partition index attachment, renames and drops).
// The reader lives in parsers/pg_ddl/: read_script (the read functions), statements (the
// dispatcher), names (with make_object_name), tables, constraints, indexes, partitions,
// alter_table and renames_drops.
#pragma once

#include "parsers/catalog.hpp"

#include <cstddef>
#include <istream>
#include <string>

namespace parsers {

struct DdlReadOptions {
    std::size_t max_statement_bytes = 1 << 20;
};

// Reads one DDL script into `catalog` (which may already hold earlier files' objects).
// Unparsable statements become catalog warnings; unreadable input throws InputError.
void read_postgres_ddl(std::istream& input, const std::string& file, Catalog& catalog,
                       const DdlReadOptions& options = {});
void read_postgres_ddl_file(const std::string& path, Catalog& catalog,
                            const DdlReadOptions& options = {});

// Applies SQL text (one or more statements, no psql meta-commands) to the catalog; for tests.
void apply_postgres_ddl(const std::string& sql, Catalog& catalog);

// PostgreSQL's makeObjectName(): name1_name2_label cut to 63 bytes, trimming the longer part first.
std::string make_object_name(const std::string& name1, const std::string& name2,
                             const std::string& label);

} // namespace parsers
