// Loads the catalog from the schema inputs the user names: PostgreSQL DDL files, a SQLite
// database file, or SQLite DDL scripts; one dialect per run.
#pragma once

#include "advisor/catalog.hpp"

#include <string>
#include <vector>

namespace advisor {

struct SchemaLoadOptions {
    std::size_t max_statement_bytes = 1 << 20;
    // "auto": a file starting with SQLite's header is a SQLite database; a text file is SQLite
    // DDL when parsers::guess_ddl_dialect() finds SQLite-only syntax and no PostgreSQL-only
    // syntax, PostgreSQL DDL otherwise. "postgresql" or "sqlite" force the DDL dialect (a SQLite
    // database file is still read as one under "sqlite").
    std::string dialect = "auto";
};

// Reads every file, in order, into one catalog. Throws InputError for unreadable input.
Catalog load_catalog(const std::vector<std::string>& paths, const SchemaLoadOptions& options = {});

} // namespace advisor
