#include "parsers/logs/log_reader.hpp"

namespace parsers::logs {

const char* to_string(LogFormat format) {
    switch (format) {
    case LogFormat::auto_detect:
        return "auto";
    case LogFormat::stderr_log:
        return "stderr";
    case LogFormat::csvlog:
        return "csv";
    case LogFormat::jsonlog:
        return "json";
    case LogFormat::pgss:
        return "pgss";
    case LogFormat::sqlalchemy:
        return "sqlalchemy";
    case LogFormat::sql:
        return "sql";
    }
    return "auto";
}

std::optional<LogFormat> parse_log_format(std::string_view name) {
    for (const LogFormat format :
         {LogFormat::auto_detect, LogFormat::stderr_log, LogFormat::csvlog, LogFormat::jsonlog,
          LogFormat::pgss, LogFormat::sqlalchemy, LogFormat::sql}) {
        if (name == to_string(format)) {
            return format;
        }
    }
    return std::nullopt;
}

LogReader::LogReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options)
    : source_(std::move(source)), options_(options) {}

void LogReader::report(int line, std::string message) {
    ++problems_total_;
    if (problems_.size() < options_.max_problems) {
        problems_.push_back({source_->name(), line, std::move(message)});
    }
}

void LogReader::skip_line(int line, std::string message) {
    ++counts_.skipped_lines;
    report(line, std::move(message));
}

void LogReader::report_damage(int line) {
    if (source_->damage()) {
        report(line, *source_->damage());
    }
}

void LogReader::report_cut_last_line(const LineReader& lines) {
    if (lines.unterminated() && !lines.too_long()) {
        report(lines.line_number(), "the last line has no line end (file cut short?)");
    }
}

void LogReader::use_sqlite_reading(Statement& statement, SqliteQueryText sqlite) {
    statement.parse_problem_reported = false;
    if (const auto problem = sqlite_syntax_problem(sqlite)) {
        statement.parse_problem_reported = true;
        const std::size_t key = std::hash<std::string>{}(sqlite.text);
        if (reported_sqlite_syntax_.size() >= 4096) {
            reported_sqlite_syntax_.clear(); // bounded: a long log may repeat a report
        }
        if (reported_sqlite_syntax_.insert(key).second) {
            report(statement.line, *problem);
        }
    }
    statement.text = std::move(sqlite.text);
    statement.parameter_names = std::move(sqlite.parameter_names);
}

} // namespace parsers::logs
