#include "parsers/live/pg_stats_reader.hpp"

#include <cstdlib>

namespace parsers::live {

namespace {

// A CSV field as PostgreSQL's COPY ... CSV writes one (RFC 4180): quoted when it holds a comma,
// a quote or a line break, quotes doubled.
std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) {
        return text;
    }
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

std::string quoted_identifier(Connection& connection, const std::string& name) {
    return connection.execute("SELECT pg_catalog.quote_ident($1)", {name}).text(0, 0);
}

} // namespace

PgssExport read_pgss_export(Connection& connection, const std::string& source_name) {
    PgssExport rows;
    rows.name = "pg_stat_statements of " + source_name;
    if (connection.server_version() < 130000) {
        throw DatabaseError("--log-from-pgss reads pg_stat_statements' total_exec_time, which "
                            "PostgreSQL 13 introduced; the server is " +
                            connection.server_version_text() +
                            " (export the view to CSV and give it to --log instead)");
    }
    const Result extension =
        connection.execute("SELECT n.nspname, e.extversion FROM pg_catalog.pg_extension e "
                           "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
                           "WHERE e.extname = 'pg_stat_statements'");
    if (extension.rows() == 0) {
        throw DatabaseError(
            "--log-from-pgss: pg_stat_statements is not installed in database \"" +
            connection.database() +
            "\": it needs shared_preload_libraries = 'pg_stat_statements' in the server's "
            "configuration (and a restart), then CREATE EXTENSION pg_stat_statements");
    }
    rows.extension = "pg_stat_statements " + extension.text(0, 1);
    const std::string view =
        quoted_identifier(connection, extension.text(0, 0)) + ".pg_stat_statements";
    const bool has_toplevel = connection
                                  .execute("SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = "
                                           "pg_catalog.to_regclass($1) AND attname = 'toplevel'",
                                           {view})
                                  .rows() > 0;
    const std::string sql =
        "SELECT s.query, s.calls, s.total_exec_time, s.max_exec_time, s.rows, s.queryid, "
        "r.rolname AS usename, d.datname FROM " +
        view +
        " s JOIN pg_catalog.pg_database d ON d.oid = s.dbid "
        "LEFT JOIN pg_catalog.pg_roles r ON r.oid = s.userid "
        "WHERE d.datname = pg_catalog.current_database()" +
        (has_toplevel ? " AND s.toplevel" : "") +
        " ORDER BY s.queryid, s.userid, s.total_exec_time DESC";
    Result result = [&] {
        try {
            return connection.execute(sql);
        } catch (const QueryError& e) {
            // 55000: "pg_stat_statements must be loaded via shared_preload_libraries".
            if (e.sqlstate() == "55000") {
                throw DatabaseError("--log-from-pgss: " + std::string(e.what()));
            }
            throw;
        }
    }();
    rows.csv = "query,calls,total_exec_time,max_exec_time,rows,queryid,usename,datname\n";
    for (int row = 0; row < result.rows(); ++row) {
        const auto query = result.value(row, 0);
        if (!query || *query == "<insufficient privilege>") {
            ++rows.hidden;
            continue;
        }
        std::string line;
        for (int column = 0; column < result.columns(); ++column) {
            line += (column ? "," : "") + csv_field(result.text(row, column));
        }
        rows.csv += line + "\n";
        ++rows.rows;
    }
    return rows;
}

std::unique_ptr<logs::LogReader> open_pgss_export(const PgssExport& rows,
                                                  const logs::LogReadOptions& options) {
    logs::LogReadOptions pgss = options;
    pgss.format = logs::LogFormat::pgss;
    auto reader = logs::open_log_reader(logs::memory_byte_source(rows.name, rows.csv),
                                        std::string_view(rows.csv).substr(0, 4096), pgss);
    reader->set_description("pg_stat_statements rows read live (" + rows.extension + ", " +
                            std::to_string(rows.rows) + " rows)");
    return reader;
}

std::map<std::string, double> read_table_rows(Connection& connection) {
    // PostgreSQL 14 marks a relation never analyzed with reltuples = -1; before, 0 stood for
    // both "unknown" and "empty", told apart only by relpages.
    const std::string known = connection.server_version() >= 140000
                                  ? "c.reltuples >= 0"
                                  : "(c.reltuples > 0 OR c.relpages > 0)";
    const Result result = connection.execute(
        "SELECT n.nspname || '.' || c.relname, c.reltuples FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname <> 'information_schema' "
        "AND n.nspname !~ '^pg_' AND " +
        known + " ORDER BY 1");
    std::map<std::string, double> rows;
    for (int row = 0; row < result.rows(); ++row) {
        rows[result.text(row, 0)] = std::strtod(result.text(row, 1).c_str(), nullptr);
    }
    return rows;
}

IndexUsage read_index_usage(Connection& connection, const std::string& source_name) {
    IndexUsage usage;
    usage.source = "pg_stat_user_indexes of " + source_name;
    const Result scans = connection.execute(
        "SELECT schemaname || '.' || indexrelname, idx_scan FROM pg_catalog.pg_stat_user_indexes "
        "ORDER BY 1");
    for (int row = 0; row < scans.rows(); ++row) {
        usage.scans[scans.text(row, 0)] = std::strtoull(scans.text(row, 1).c_str(), nullptr, 10);
    }
    const Result reset = connection.execute(
        "SELECT stats_reset, EXTRACT(EPOCH FROM pg_catalog.now() - stats_reset) / 86400 "
        "FROM pg_catalog.pg_stat_database WHERE datname = pg_catalog.current_database()");
    if (reset.rows() > 0 && !reset.is_null(0, 0)) {
        usage.stats_reset = reset.text(0, 0);
        usage.stats_age_days = std::strtod(reset.text(0, 1).c_str(), nullptr);
    }
    return usage;
}

} // namespace parsers::live
