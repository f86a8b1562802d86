// Loads the catalog from the schema inputs the user names (PostgreSQL DDL files today; SQLite
// databases and DDL join through the same entry point).
#pragma once

#include "advisor/catalog.hpp"

#include <string>
#include <vector>

namespace advisor {

struct SchemaLoadOptions {
    std::size_t max_statement_bytes = 1 << 20;
};

// Reads every file, in order, into one catalog. Throws InputError for unreadable input.
Catalog load_catalog(const std::vector<std::string>& paths, const SchemaLoadOptions& options = {});

} // namespace advisor
