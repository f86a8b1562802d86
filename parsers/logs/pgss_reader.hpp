// pg_stat_statements exports: CSV with a header (`\copy (select ...) to 'f' csv header`) or JSON
// (a `json_agg` array of rows, or one row object per line). Each row is one query with its
// aggregate figures: query, calls, total_exec_time (total_time before PostgreSQL 13),
// max_exec_time (max_time), rows. A row becomes one Statement whose `calls` is the row's calls.
#pragma once

#include "parsers/logs/csv_reader.hpp"
#include "parsers/logs/log_reader.hpp"

#include <nlohmann/json.hpp>

namespace parsers::logs {

class PgStatStatementsReader : public LogReader {
public:
    PgStatStatementsReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options);

    bool next(Statement& statement) override;
    bool shows_sessions() const override { return false; }

private:
    bool next_csv(Statement& statement);
    bool next_json(Statement& statement);
    bool fill_from_json(const nlohmann::json& row, int line, Statement& statement);

    LineReader lines_;
    CsvRecordReader records_;
    std::vector<std::string> fields_;
    std::size_t field_count_ = 0;
    bool csv_ = true;
    bool started_ = false;
    int query_ = -1, calls_ = -1, total_ = -1, max_ = -1, rows_ = -1, user_ = -1, database_ = -1;
    nlohmann::json array_;
    std::size_t array_index_ = 0;
};

// True when a CSV header row (or a JSON row's keys) looks like pg_stat_statements: it has query
// and calls.
bool looks_like_pgss_header(std::string_view first_line);

} // namespace parsers::logs
