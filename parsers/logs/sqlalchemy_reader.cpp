#include "parsers/logs/sqlalchemy_reader.hpp"

#include "parsers/logs/log_line_prefix.hpp"
#include "parsers/sqlite_query.hpp"

#include <array>
#include <cstring>

namespace parsers::logs {

namespace {

constexpr std::string_view engine_logger = "sqlalchemy.engine";

// Python logging's usual record starts: `2024-05-01 10:00:00,123 ...` or `INFO:name:...`.
bool starts_log_record(std::string_view line) {
    if (line.size() >= 10 && line[4] == '-' && line[7] == '-' && line[0] >= '0' && line[0] <= '9') {
        return true;
    }
    static constexpr std::array<std::string_view, 6> levels = {"DEBUG", "INFO",     "WARNING",
                                                               "ERROR", "CRITICAL", "WARN"};
    for (const auto level : levels) {
        if (line.starts_with(level) && line.size() > level.size() &&
            (line[level.size()] == ':' || line[level.size()] == ' ')) {
            return true;
        }
    }
    return false;
}

// The parameter line of SQLAlchemy 1.4+: `[generated in 0.00015s] {...}`; returns the repr.
std::optional<std::string_view> bracketed_parameters(std::string_view message) {
    static constexpr std::array<std::string_view, 7> starts = {
        "[generated in",     "[cached since",          "[no key", "[raw sql]", "[dialect ",
        "[insertmanyvalues", "[SQL parameters hidden]"};
    for (const auto start : starts) {
        if (message.starts_with(start)) {
            const std::size_t close = message.find("] ");
            if (close == std::string_view::npos) {
                return std::string_view();
            }
            return message.substr(close + 2);
        }
    }
    return std::nullopt;
}

} // namespace

bool is_sqlalchemy_engine_line(std::string_view line) {
    const std::size_t at = line.find(engine_logger);
    return at != std::string_view::npos && at < 80;
}

std::string number_placeholders(std::string_view text, std::vector<std::string>& names) {
    // Which paramstyle: pyformat/format if `%(`/`%s` appears outside quotes.
    bool pyformat = false;
    for (int pass = 0; pass < 2; ++pass) {
        std::string out;
        int number = 0;
        char quote = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (quote != 0) {
                // psycopg doubles every `%` of a pyformat statement, in strings too.
                if (c == '%' && pyformat && i + 1 < text.size() && text[i + 1] == '%') {
                    out += '%';
                    ++i;
                    continue;
                }
                out += c;
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                out += c;
                continue;
            }
            if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
                const std::size_t end = std::min(text.find('\n', i), text.size());
                out.append(text.substr(i, end - i));
                i = end - 1;
                continue;
            }
            if (c == '%' && i + 1 < text.size()) {
                if (text[i + 1] == '(') {
                    const std::size_t close = text.find(")s", i + 2);
                    if (close != std::string_view::npos) {
                        pyformat = true;
                        if (pass == 1) {
                            names.emplace_back(text.substr(i + 2, close - i - 2));
                        }
                        out += '$' + std::to_string(++number);
                        i = close + 1;
                        continue;
                    }
                } else if (text[i + 1] == 's') {
                    pyformat = true;
                    out += '$' + std::to_string(++number);
                    ++i;
                    continue;
                } else if (text[i + 1] == '%' && pyformat) {
                    out += '%';
                    ++i;
                    continue;
                }
            }
            out += c;
        }
        if (pass == 1 || !pyformat) {
            return out;
        }
        // Second pass with the paramstyle known from the start (a `?` before the first `%s`).
        names.clear();
    }
    return std::string(text);
}

SqlAlchemyLogReader::SqlAlchemyLogReader(std::unique_ptr<ByteSource> source,
                                         const LogReadOptions& options)
    : LogReader(std::move(source), options), lines_(*source_, options.max_line_bytes) {}

void SqlAlchemyLogReader::complete_pending() {
    if (!has_pending_) {
        return;
    }
    has_pending_ = false;
    Statement& statement = ready_.push();
    std::swap(statement, pending_);
    while (!statement.text.empty() &&
           (statement.text.back() == ' ' || statement.text.back() == '\n')) {
        statement.text.pop_back();
    }
    std::vector<std::string> names;
    std::string numbered = number_placeholders(statement.text, names);
    if (numbered != statement.text || !names.empty()) {
        statement.text = std::move(numbered); // pyformat / format: psycopg, pg8000
        statement.parameter_names = std::move(names);
    } else {
        read_sqlite_syntax(statement);
    }
    if (!valid_utf8(statement.text) || !valid_utf8(statement.parameters)) {
        report(statement.line, "invalid UTF-8 in the statement: replaced with U+FFFD");
        statement.text = repair_utf8(statement.text);
        statement.parameters = repair_utf8(statement.parameters);
    }
    counts_.statement_lines += static_cast<std::uint64_t>(pending_lines_);
    counts_.statements += statement.calls;
}

void SqlAlchemyLogReader::read_sqlite_syntax(Statement& statement) {
    SqliteQueryText sqlite = sqlite_query_for_postgres(statement.text);
    // PostgreSQL's `$1` (asyncpg), or named parameters without a `:name` in the text (psycopg's
    // pyformat statement that has no placeholder): PostgreSQL text, where `?` is an operator.
    const bool named_values = !statement.parameters.empty() && statement.parameters.front() == '{';
    if (sqlite.postgres_parameters || (named_values && !sqlite.named_parameters)) {
        return;
    }
    use_sqlite_reading(statement, std::move(sqlite));
}

void SqlAlchemyLogReader::handle_message(std::string_view message, std::string_view timestamp,
                                         int line) {
    auto parameters = bracketed_parameters(message);
    if (!parameters && has_pending_ && pending_.parameter_syntax == ParameterSyntax::none &&
        !message.empty() && (message[0] == '(' || message[0] == '{' || message[0] == '[')) {
        parameters = message; // before SQLAlchemy 1.4: the bare repr
    }
    if (parameters) {
        if (!has_pending_) {
            counts_.count_entry(EntryKind::other, 1);
            return;
        }
        pending_.parameters.assign(*parameters);
        pending_.parameter_syntax = ParameterSyntax::python;
        ++pending_lines_;
        complete_pending();
        return;
    }
    complete_pending();
    reset(pending_);
    has_pending_ = true;
    pending_lines_ = 1;
    pending_.text.assign(message == "BEGIN (implicit)" ? std::string_view("BEGIN") : message);
    pending_.timestamp.assign(timestamp);
    pending_.timestamp_ms = timestamp_to_ms(timestamp);
    pending_.file = source_->name();
    pending_.line = line;
    // No parameter line follows these.
    if (message == "BEGIN (implicit)" || message == "COMMIT" || message == "ROLLBACK") {
        complete_pending();
    }
}

void SqlAlchemyLogReader::add_line(std::string_view line) {
    const int number = lines_.line_number();
    if (lines_.too_long()) {
        skip_line(number, "line of " + std::to_string(lines_.skipped_bytes()) +
                              " bytes is longer than the limit: skipped");
        return;
    }
    if (std::memchr(line.data(), '\0', line.size()) != nullptr) {
        skip_line(number, "NUL byte in the line: skipped");
        return;
    }
    if (is_sqlalchemy_engine_line(line)) {
        const std::size_t logger = line.find(engine_logger);
        std::size_t at = line.find_first_of(" :", logger);
        at = at == std::string_view::npos ? line.size() : at + 1;
        // SQLAlchemy before 0.7 printed the engine's id: `... INFO 0x869c0cc INSERT ...`.
        if (line.compare(at, 2, "0x") == 0) {
            const std::size_t space = line.find(' ', at);
            at = space == std::string_view::npos ? line.size() : space + 1;
        }
        const std::string_view header = line.substr(0, logger);
        if (header.find("DEBUG") != std::string_view::npos) {
            // echo="debug" prints result rows: not statements.
            complete_pending();
            counts_.count_entry(EntryKind::other, 1);
            return;
        }
        std::string_view timestamp;
        if (line.size() >= 19 && line[4] == '-') {
            const std::size_t end = line.find(' ', 11);
            timestamp = line.substr(0, end == std::string_view::npos ? 19 : end);
        }
        handle_message(line.substr(at), timestamp, number);
        return;
    }
    if (starts_log_record(line)) {
        complete_pending();
        counts_.count_entry(EntryKind::other, 1);
        return;
    }
    if (has_pending_ && pending_.parameter_syntax == ParameterSyntax::none) {
        if (pending_.text.size() + line.size() > options_.max_line_bytes) {
            report(number, "statement longer than the limit: skipped");
            has_pending_ = false;
            counts_.skipped_lines += static_cast<std::uint64_t>(pending_lines_ + 1);
            return;
        }
        pending_.text.push_back('\n');
        pending_.text.append(line);
        ++pending_lines_;
        return;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
        ++counts_.blank_lines;
        return;
    }
    skip_line(number, "not a SQLAlchemy engine log line: " + std::string(line.substr(0, 60)));
}

bool SqlAlchemyLogReader::next(Statement& statement) {
    for (;;) {
        if (ready_.pop(statement)) {
            return true;
        }
        if (finished_) {
            return false;
        }
        std::string_view line;
        if (!lines_.next(line)) {
            complete_pending();
            finished_ = true;
            report_damage(lines_.line_number() + 1);
            continue;
        }
        ++counts_.lines;
        add_line(line);
    }
}

} // namespace parsers::logs
