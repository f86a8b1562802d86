// PostgreSQL's jsonlog (log_destination = 'jsonlog', PostgreSQL 15+): one JSON object per line
// with timestamp, user, dbname, pid, session_id, error_severity, message, detail, statement.
// Also CloudNativePG's log stream, where each PostgreSQL entry is a csvlog record under `record`
// (log_time, user_name, ..., message, query) between lines of the operator's own logging.
#pragma once

#include "parsers/logs/log_reader.hpp"
#include "parsers/logs/pg_messages.hpp"

#include <nlohmann/json.hpp>

namespace parsers::logs {

class JsonLogReader : public LogReader {
public:
    JsonLogReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options);

    bool next(Statement& statement) override;

private:
    void add_line(std::string_view line);

    LineReader lines_;
    PgStatementAssembler assembler_;
    bool finished_ = false;
};

} // namespace parsers::logs
