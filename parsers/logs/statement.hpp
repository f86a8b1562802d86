// The record every query-log reader yields (design.md, "Statement stream"), and the counts each
// reader keeps about the lines it read. Readers stream: they refill one Statement in place, so a
// long log costs no allocation per statement once the strings have grown to size.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parsers::logs {

// How a statement's bound parameters were written in the log.
enum class ParameterSyntax {
    none,
    // PostgreSQL's DETAIL line: `parameters: $1 = '42', $2 = NULL` (values quoted as literals).
    postgres,
    // SQLAlchemy's echo: a Python repr, `(42, 'a')` for positional or `{'id_1': 42}` for named
    // placeholders, in the order the statement's placeholders were numbered.
    python,
};

struct Statement {
    std::string text; // the SQL as executed; `$n` marks a bound parameter
    std::string parameters;
    ParameterSyntax parameter_syntax = ParameterSyntax::none;
    // Names of the placeholders in order ($1 is names[0]) when the log bound them by name
    // (SQLAlchemy's `%(name)s`); empty when parameters are positional.
    std::vector<std::string> parameter_names;
    std::optional<double> duration_ms; // total for all `calls` (pg_stat_statements)
    std::optional<double> max_ms;      // pg_stat_statements' max_exec_time when exported
    std::optional<std::uint64_t> rows; // rows returned or affected, where known
    std::uint64_t calls = 1;           // > 1 only for aggregated inputs (pg_stat_statements)
    std::string timestamp;             // as logged; empty when the log has none
    double timestamp_ms = NAN;         // milliseconds since 1970 (log's time zone), NaN if none
    std::string session; // session key: %c session id, else the pid; empty when unknown
    std::string user;
    std::string database;
    std::string application;
    std::string_view file; // the reader's file name; valid while the reader lives
    int line = 0;          // first line of the statement's log entry
    bool failed = false;   // logged by ERROR + STATEMENT: it ran and failed
    // The reader already reported why libpg_query cannot read it (SQLite-only syntax), so the
    // workload does not report it a second time.
    bool parse_problem_reported = false;
};

// Clears a statement for refilling, keeping its buffers.
void reset(Statement& statement);

// Complete statements waiting to be handed out, in order. Statements are swapped in and out, so
// their buffers are reused and a long log costs no allocation per statement.
class StatementQueue {
public:
    Statement& push(); // a cleared slot at the back
    bool pop(Statement& out);
    bool empty() const { return begin_ == end_; }

private:
    std::vector<Statement> slots_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

// One bound parameter value: nullopt for SQL NULL, else the value as SQL literal text
// (`'it''s'`, `42`). Indexed by number: values[0] is $1.
using BoundValues = std::vector<std::optional<std::string>>;

// Reads the statement's logged parameters into values by number. A value the log did not give
// stays nullopt; `$10` never lands in `$1`'s slot. Returns an empty vector when none were logged.
BoundValues bound_values(const Statement& statement);

// PostgreSQL's `$1 = '42', $2 = NULL` (the text after "parameters: "): values may hold quotes
// (doubled), commas and newlines.
BoundValues parse_postgres_parameters(std::string_view text);

// A line-level problem: the line is counted as skipped and reading goes on.
struct LogProblem {
    std::string file;
    int line = 0;
    std::string message;
};

// What a non-statement log entry was; counted so every line is accounted for.
enum class EntryKind : std::size_t {
    connection, // connection received/authorized/authenticated, disconnection
    checkpoint, // checkpoint/restartpoint starting/complete
    autovacuum, // automatic vacuum/analyze reports
    protocol,   // parse/bind steps of the extended protocol (the execute is the statement)
    lock_wait,  // "still waiting for", "acquired", deadlock reports
    temporary_file,
    server, // start-up, shut-down, listening, configuration reloads
    error,  // ERROR/FATAL/PANIC without a statement
    other,  // any other message (WARNING, NOTICE, application logging...)
    count_
};

const char* to_string(EntryKind kind);

struct ReadCounts {
    std::uint64_t lines = 0;           // physical lines read
    std::uint64_t statement_lines = 0; // lines that belong to entries that gave statements
    std::array<std::uint64_t, static_cast<std::size_t>(EntryKind::count_)> entry_lines{};
    std::array<std::uint64_t, static_cast<std::size_t>(EntryKind::count_)> entries{};
    std::uint64_t blank_lines = 0;
    std::uint64_t skipped_lines = 0; // lines not understood or not readable: each one reported
    std::uint64_t statements = 0;    // statements yielded (sum of calls for aggregated inputs)

    std::uint64_t entry_lines_total() const;
    void count_entry(EntryKind kind, std::uint64_t line_count);
};

} // namespace parsers::logs
