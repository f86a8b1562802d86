#include "advisor/schema_loader.hpp"

#include "parsers/pg_ddl.hpp"

namespace advisor {

Catalog load_catalog(const std::vector<std::string>& paths, const SchemaLoadOptions& options) {
    Catalog catalog;
    parsers::DdlReadOptions ddl_options;
    ddl_options.max_statement_bytes = options.max_statement_bytes;
    for (const auto& path : paths) {
        parsers::read_postgres_ddl_file(path, catalog, ddl_options);
    }
    return catalog;
}

} // namespace advisor
