// How often each index was scanned on a live server (pg_stat_user_indexes.idx_scan), and since
// when (pg_stat_database.stats_reset): what unused-index reads with --index-usage-from-dsn
// instead of judging from the log alone. Read by parsers/live/pg_stats_reader.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace parsers::live {

struct IndexUsage {
    std::map<std::string, std::uint64_t> scans; // schema-qualified index name -> idx_scan
    // pg_stat_database.stats_reset as the server prints it; empty when never reset (the
    // counters then run since the cluster was created, or since statistics were last lost).
    std::string stats_reset;
    std::optional<double> stats_age_days; // now() - stats_reset, in days
    std::string source;                   // "pg_stat_user_indexes of postgresql://..."
};

} // namespace parsers::live
