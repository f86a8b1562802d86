#include "advisor/cli/live_options.hpp"

#include "parsers/live/pg_stats_reader.hpp"

#include <iostream>

namespace advisor::cli {

void add_dsn_options(CLI::App& command, LiveOptions& options) {
    options.dsn_option = command.add_option(
        "--dsn", options.dsn,
        "A live PostgreSQL database (libpq connection string or URI; the password from it, "
        "PGPASSWORD or ~/.pgpass), read in a read-only session (docs/verify.md)");
    command
        .add_option("--verify-timeout", options.timeout_s,
                    "Seconds each statement on the --dsn database may take (statement_timeout)")
        ->check(CLI::Range(0.001, 3600.0))
        ->capture_default_str();
}

void add_live_input_options(CLI::App& command, LiveOptions& options) {
    command.add_flag("--schema-from-dsn", options.schema_from_dsn,
                     "Read the schema from the --dsn database's catalogs instead of --schema");
    command.add_flag("--log-from-pgss", options.log_from_pgss,
                     "Read the workload from the --dsn database's pg_stat_statements (with or "
                     "without --log files)");
    command.add_flag("--index-usage-from-dsn", options.index_usage_from_dsn,
                     "unused-index: judge by pg_stat_user_indexes.idx_scan of the --dsn database");
    command.add_flag("--stats-from-dsn", options.stats_from_dsn,
                     "Rows per table from the --dsn database's pg_class.reltuples, as --stats "
                     "gives them");
    command
        .add_option("--min-cost-saving", options.min_saving_percent,
                    "With --verify --dsn: keep a proposal only when it saves at least this "
                    "percentage of its queries' calls-weighted planner cost")
        ->check(CLI::Range(0.0, 100.0))
        ->capture_default_str();
    command.add_flag("--create-extension", options.create_extension,
                     "With --verify --dsn: CREATE EXTENSION hypopg when the database lacks it "
                     "(the one statement run outside the read-only session; docs/verify.md)");
}

std::unique_ptr<parsers::live::Connection> open_live_session(const LiveOptions& options) {
    parsers::live::SessionSettings settings;
    settings.statement_timeout_s = options.timeout_s;
    auto connection = std::make_unique<parsers::live::Connection>(options.dsn, settings);
    std::cerr << "schema-advisor: connected to " << connection->server_version_text() << " ("
              << connection->description() << "), read-only session\n";
    return connection;
}

} // namespace advisor::cli

namespace advisor::cli {

std::unique_ptr<parsers::logs::LogReader>
open_pgss_log(parsers::live::Connection& connection, const parsers::logs::LogReadOptions& options) {
    parsers::live::PgssExport rows;
    try {
        rows = parsers::live::read_pgss_export(connection,
                                               parsers::live::live_source_name(connection));
    } catch (const parsers::live::QueryError& e) {
        throw parsers::live::DatabaseError(std::string("--log-from-pgss: ") + e.what());
    }
    if (rows.hidden > 0) {
        std::cerr << "schema-advisor: note: --log-from-pgss: " << rows.hidden
                  << " pg_stat_statements rows of other roles are hidden from this one (grant it "
                     "pg_read_all_stats to read them)\n";
    }
    return parsers::live::open_pgss_export(rows, options);
}

} // namespace advisor::cli
