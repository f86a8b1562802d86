// --dsn and the flags that read a live PostgreSQL database (advise, schema), and the one
// read-only session a run opens for all of them (parsers/live/pg_connection.hpp).
#pragma once

#include "parsers/live/pg_connection.hpp"
#include "parsers/logs/log_reader.hpp"

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

namespace advisor::cli {

struct LiveOptions {
    std::string dsn;
    double timeout_s = 5;              // --verify-timeout: statement_timeout of the session
    bool schema_from_dsn = false;      // advise: the catalog from the server's catalogs
    bool log_from_pgss = false;        // advise: the workload from pg_stat_statements
    bool index_usage_from_dsn = false; // advise: unused-index from pg_stat_user_indexes
    bool stats_from_dsn = false;       // advise: rows per table from pg_class (as --stats)
    bool create_extension = false;     // advise --verify: CREATE EXTENSION hypopg if missing
    double min_saving_percent = 10;    // advise --verify: calls-weighted cost saved to keep one
    CLI::Option* dsn_option = nullptr;

    bool dsn_given() const { return dsn_option != nullptr && dsn_option->count() > 0; }
};

// --dsn and --verify-timeout (both commands).
void add_dsn_options(CLI::App& command, LiveOptions& options);
// The advise flags that read the --dsn database.
void add_live_input_options(CLI::App& command, LiveOptions& options);

// Connects to --dsn: read-only, application_name schema-advisor, --verify-timeout per
// statement. Throws parsers::live::DatabaseError.
std::unique_ptr<parsers::live::Connection> open_live_session(const LiveOptions& options);

// --log-from-pgss: the database's pg_stat_statements rows, as the export reader reads them; a
// note on stderr counts the rows the role may not see. Throws parsers::live::DatabaseError.
std::unique_ptr<parsers::logs::LogReader>
open_pgss_log(parsers::live::Connection& connection, const parsers::logs::LogReadOptions& options);

} // namespace advisor::cli
