// Turning PostgreSQL log entries into statements, the same for stderr, csvlog and jsonlog (they
// differ only in how an entry is written down). The server's rules (src/backend/tcop/postgres.c):
// - log_min_duration_statement: `duration: 1.2 ms  statement: SELECT ...` (one entry);
// - log_statement = all: `statement: SELECT ...` and, with log_duration or when it ran long
//   enough, a later `duration: 1.2 ms` of the same session without the text;
// - extended protocol: `parse <name>: ...`, `bind <name>: ...` (with DETAIL parameters), then
//   `execute <name>: ...` (DETAIL `parameters: $1 = '...'`): the execute is the statement;
// - a failed statement: `ERROR: ...` with `STATEMENT: ...` (not counted again when
//   log_statement already logged it);
// - pgaudit: `AUDIT: SESSION,1,1,READ,SELECT,,,SELECT ...,<not logged>`.
#pragma once

#include "parsers/logs/statement.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace parsers::logs {

// One log entry, as any PostgreSQL log destination records it. Views stay valid during add().
struct LogEntry {
    std::string_view timestamp;
    std::string_view session; // session id, else pid
    std::string_view user;
    std::string_view database;
    std::string_view application;
    std::string_view severity; // LOG, ERROR, ...
    std::string_view message;
    std::string_view detail;
    std::string_view statement; // the STATEMENT: of an error (csvlog `query`)
    int line = 0;
    int line_count = 1; // physical lines the entry took
};

class PgStatementAssembler {
public:
    // `report` receives line problems (invalid UTF-8 repaired) as they are found.
    using ProblemReport = std::function<void(int line, std::string message)>;
    PgStatementAssembler(std::string_view file, ReadCounts& counts, ProblemReport report);

    void add(const LogEntry& entry);
    // End of input: statements still waiting for their duration are complete.
    void finish();
    // Moves the next complete statement into `out` (swapping buffers, so no allocation).
    bool pop(Statement& out);

private:
    Statement& push();
    void fill(Statement& statement, const LogEntry& entry, std::string_view text);
    void complete(Statement& statement);
    void flush_pending(std::string_view session);
    Statement* pending_for(std::string_view session);
    void count_other(const LogEntry& entry);
    bool add_duration_entry(const LogEntry& entry, std::string_view rest, double duration);

    std::string_view file_;
    ReadCounts& counts_;
    ProblemReport report_;
    StatementQueue ready_;
    // Statements logged without their duration, by session, until the session's next entry.
    std::unordered_map<std::string, Statement> pending_;
};

// The kind of a non-statement message, from its first words.
EntryKind classify_message(std::string_view severity, std::string_view message);

// Reads `duration: 12.5 ms` at the start of a message; returns the text after "ms" (maybe
// empty) and sets `duration`.
bool parse_duration(std::string_view message, double& duration, std::string_view& rest);

} // namespace parsers::logs
