// A plain .sql file (a script of queries, one call each): split the way psql runs it
// (parsers/sql_script.hpp finds the statements, skipping meta-commands and COPY data) and then by
// libpg_query's splitter (pg_query_split_with_scanner), so each statement counts once.
#pragma once

#include "parsers/logs/log_reader.hpp"

#include <istream>
#include <memory>
#include <streambuf>

namespace parsers {
class SqlScriptReader;
}

namespace parsers::logs {

class SqlFileReader : public LogReader {
public:
    SqlFileReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options);
    ~SqlFileReader() override;

    bool next(Statement& statement) override;
    bool shows_sessions() const override { return false; }

private:
    class SourceBuffer;
    std::unique_ptr<SourceBuffer> buffer_;
    std::unique_ptr<std::istream> stream_;
    std::unique_ptr<SqlScriptReader> script_;
    StatementQueue ready_;
    bool finished_ = false;
    std::uint64_t copy_lines_ = 0;
};

} // namespace parsers::logs
