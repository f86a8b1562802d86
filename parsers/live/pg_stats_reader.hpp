// Live statistics of the connected database: --log-from-pgss (pg_stat_statements, the workload),
// --index-usage-from-dsn (pg_stat_user_indexes.idx_scan, for unused-index) and --stats-from-dsn
// (pg_class.reltuples, the rows per table --stats gives).
//
// pg_stat_statements rows are fetched as the CSV export docs/workload.md documents (`\copy
// (SELECT query, calls, total_exec_time, ...) TO ... CSV HEADER`) and handed to the export's
// reader (parsers/logs/pgss_reader.hpp), so a live read and an export of the same rows give the
// same workload. Only the connected database's rows are read, top-level statements only (PG 14+:
// `toplevel`; a function's inner statements are not the application's). Rows whose text the role
// may not see (`<insufficient privilege>`: another role's statements without pg_read_all_stats)
// are left out and counted.
#pragma once

#include "parsers/live/index_usage.hpp"
#include "parsers/live/pg_connection.hpp"
#include "parsers/logs/log_reader.hpp"

#include <map>
#include <memory>
#include <string>

namespace parsers::live {

struct PgssExport {
    std::string name;       // "pg_stat_statements of postgresql://host:port/db"
    std::string csv;        // header and rows, as an export writes them
    std::size_t rows = 0;   // rows in `csv`
    std::size_t hidden = 0; // rows left out: their text is not visible to this role
    std::string extension;  // "pg_stat_statements 1.10"
};

// Throws DatabaseError when pg_stat_statements is not installed in the database (or not loaded:
// shared_preload_libraries), QueryError for other failures.
PgssExport read_pgss_export(Connection& connection, const std::string& source_name);

// The export's reader, as `--log FILE --log-format pgss` would open it.
std::unique_ptr<logs::LogReader> open_pgss_export(const PgssExport& rows,
                                                  const logs::LogReadOptions& options);

// Rows per schema-qualified table, view-less (tables, partitioned tables, materialized views),
// from pg_class.reltuples as ANALYZE and VACUUM left it: the --stats model (advisor/
// table_stats.hpp) read live (--stats-from-dsn). A relation never analyzed (reltuples -1 since
// PostgreSQL 14; 0 pages and 0 tuples before) is left out rather than taken as empty. Throws
// QueryError.
std::map<std::string, double> read_table_rows(Connection& connection);

// Index scans counted since the database's statistics were reset. Throws QueryError.
IndexUsage read_index_usage(Connection& connection, const std::string& source_name);

} // namespace parsers::live
