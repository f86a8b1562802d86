// The interface every query-log reader implements, and the factory that picks one for a file
// (detect.cpp decides the format from the content when the user does not say).
#pragma once

#include "parsers/logs/log_input.hpp"
#include "parsers/logs/statement.hpp"
#include "parsers/sqlite_query.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace parsers::logs {

enum class LogFormat { auto_detect, stderr_log, csvlog, jsonlog, pgss, sqlalchemy, sql };

const char* to_string(LogFormat format);
// "auto", "stderr", "csv", "json", "pgss", "sqlalchemy", "sql".
std::optional<LogFormat> parse_log_format(std::string_view name);

struct LogReadOptions {
    LogFormat format = LogFormat::auto_detect;
    std::string log_line_prefix;          // stderr: the server's log_line_prefix; empty = infer it
    std::size_t max_line_bytes = 1 << 20; // longer lines (and entries) are skipped and reported
    std::size_t max_problems = 100;       // problems kept per file; all are counted
    // The dialect of the statements in a plain .sql file: "sqlite" reads them in SQLite's syntax
    // (parsers/sqlite_query.hpp: `?` and `:name` placeholders, [name] quoting). advise sets it
    // from the schema's dialect. The other formats say what they hold: PostgreSQL's logs are
    // PostgreSQL's, and a SQLAlchemy echo's placeholders and parameter line tell its paramstyle.
    std::string sql_dialect = "postgresql";
};

class LogReader {
public:
    explicit LogReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options);
    virtual ~LogReader() = default;
    LogReader(const LogReader&) = delete;
    LogReader& operator=(const LogReader&) = delete;

    // Refills `statement` with the next statement; false at the end of the file.
    virtual bool next(Statement& statement) = 0;
    // Whether the log shows each session's statements in the order they ran (false for
    // pg_stat_statements totals and SQL scripts): what per-transaction patterns need.
    virtual bool shows_sessions() const { return true; }

    const ReadCounts& counts() const { return counts_; }
    const std::vector<LogProblem>& problems() const { return problems_; }
    std::uint64_t problems_total() const { return problems_total_; }
    // What was read and how, e.g. "PostgreSQL stderr log, log_line_prefix '%m [%p] ' (inferred)".
    const std::string& description() const { return description_; }
    void set_description(std::string description) { description_ = std::move(description); }
    // The first bytes of the input, as format detection saw them (the input itself is read
    // once: it may be a pipe).
    void set_head(std::string_view head) { head_ = std::string(head.substr(0, 4096)); }
    const std::string& file() const { return source_->name(); }
    const ByteSource& source() const { return *source_; }

protected:
    void report(int line, std::string message);
    // Counts a line over the length limit (or otherwise unreadable) as skipped, and reports it.
    void skip_line(int line, std::string message);
    // At the end of the input: reports, at `line`, why the source ended where it must not (a
    // gzip stream cut short, binary data), if it did.
    void report_damage(int line);
    // After a line-based reader handled `lines`' latest line: a last line without a line end
    // means the file was cut off.
    void report_cut_last_line(const LineReader& lines);
    // Takes the statement as read in SQLite's syntax (its text and placeholder names), and
    // reports SQLite syntax libpg_query rejects, once per distinct statement (as the workload
    // reports a statement it cannot parse once).
    void use_sqlite_reading(Statement& statement, SqliteQueryText sqlite);

    std::unique_ptr<ByteSource> source_;
    LogReadOptions options_;
    std::string head_;
    ReadCounts counts_;

private:
    std::vector<LogProblem> problems_;
    std::uint64_t problems_total_ = 0;
    std::string description_;
    std::unordered_set<std::size_t> reported_sqlite_syntax_; // hashes of statements reported
};

// Opens `path` with the reader for its format (options.format, or detected from the content).
// Throws InputError when the file cannot be read, is empty, or its format is unknown.
std::unique_ptr<LogReader> open_log_reader(const std::string& path, const LogReadOptions& options);
// The same for bytes already opened (tests, fuzzing): `head` is their first bytes, for detection.
std::unique_ptr<LogReader> open_log_reader(std::unique_ptr<ByteSource> source,
                                           std::string_view head, const LogReadOptions& options);

} // namespace parsers::logs
