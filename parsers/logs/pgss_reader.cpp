#include "parsers/logs/pgss_reader.hpp"

#include <charconv>
#include <cmath>

namespace parsers::logs {

namespace {

std::optional<double> number_of(std::string_view text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<double> json_number(const nlohmann::json& row,
                                  std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        const auto found = row.find(key);
        if (found == row.end() || found->is_null()) {
            continue;
        }
        if (found->is_number()) {
            return found->get<double>();
        }
        if (found->is_string()) {
            return number_of(found->get<std::string>());
        }
    }
    return std::nullopt;
}

void reset_for_row(Statement& statement, std::string_view file, int line) {
    reset(statement);
    statement.file = file;
    statement.line = line;
}

} // namespace

bool looks_like_pgss_header(std::string_view first_line) {
    auto has = [&](std::string_view name) {
        std::size_t at = first_line.find(name);
        while (at != std::string_view::npos) {
            const bool starts = at == 0 || first_line[at - 1] == ',' || first_line[at - 1] == '"';
            const std::size_t end = at + name.size();
            const bool ends = end == first_line.size() || first_line[end] == ',' ||
                              first_line[end] == '"' || first_line[end] == '\r';
            if (starts && ends) {
                return true;
            }
            at = first_line.find(name, at + 1);
        }
        return false;
    };
    return has("query") && has("calls");
}

PgStatStatementsReader::PgStatStatementsReader(std::unique_ptr<ByteSource> source,
                                               const LogReadOptions& options)
    : LogReader(std::move(source), options), lines_(*source_, options.max_line_bytes),
      records_(lines_, options.max_line_bytes) {}

bool PgStatStatementsReader::next(Statement& statement) {
    if (!started_) {
        started_ = true;
        // JSON starts with `[` or `{`; CSV with its header.
        char first = 0;
        for (const char c : head_) {
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\xEF' && c != '\xBB' &&
                c != '\xBF') {
                first = c;
                break;
            }
        }
        csv_ = first != '[' && first != '{';
        if (csv_) {
            const auto outcome = records_.next(fields_, field_count_);
            counts_.lines += static_cast<std::uint64_t>(records_.line_count());
            if (outcome != CsvRecordReader::Outcome::record) {
                return false;
            }
            for (std::size_t i = 0; i < field_count_; ++i) {
                const std::string& name = fields_[i];
                const int at = static_cast<int>(i);
                if (name == "query") {
                    query_ = at;
                } else if (name == "calls") {
                    calls_ = at;
                } else if (name == "total_exec_time" || name == "total_time") {
                    total_ = at;
                } else if (name == "max_exec_time" || name == "max_time") {
                    max_ = at;
                } else if (name == "rows") {
                    rows_ = at;
                } else if (name == "userid" || name == "user" || name == "usename") {
                    user_ = at;
                } else if (name == "dbid" || name == "datname" || name == "database") {
                    database_ = at;
                }
            }
            counts_.count_entry(EntryKind::other,
                                static_cast<std::uint64_t>(records_.line_count()));
            if (query_ < 0 || calls_ < 0) {
                skip_line(records_.first_line(),
                          "pg_stat_statements CSV header lacks the query or calls column");
                return false;
            }
        } else if (first == '[') {
            // A json_agg export is one value: read it whole (pg_stat_statements keeps at most
            // pg_stat_statements.max rows, 5000 by default).
            // The whole value is held (and parsed into a DOM several times its size): bounded, so
            // that a huge file is an error, not an exhausted memory.
            const std::size_t max_content = 64 * options_.max_line_bytes;
            std::string content;
            std::string_view line;
            bool too_big = false;
            while (!too_big && lines_.next(line)) {
                ++counts_.lines;
                if (lines_.too_long()) {
                    skip_line(lines_.line_number(), "line longer than the limit: skipped");
                    continue;
                }
                content.append(line);
                content.push_back('\n');
                too_big = content.size() > max_content;
            }
            if (too_big) {
                source_->set_damage("a JSON array export over " + std::to_string(max_content) +
                                    " bytes (64 times --max-statement-bytes) is not read: "
                                    "export pg_stat_statements as CSV, which is read as a stream");
                report(lines_.line_number(), *source_->damage());
                array_ = nlohmann::json::array();
            } else {
                report_damage(lines_.line_number() + 1);
                array_ = nlohmann::json::parse(content, nullptr, false);
                if (!array_.is_array()) {
                    skip_line(1, "not a JSON array of pg_stat_statements rows");
                    counts_.skipped_lines += counts_.lines - 1;
                    array_ = nlohmann::json::array();
                } else {
                    counts_.statement_lines += counts_.lines;
                }
            }
        }
    }
    return csv_ ? next_csv(statement) : next_json(statement);
}

bool PgStatStatementsReader::next_csv(Statement& statement) {
    for (;;) {
        const auto outcome = records_.next(fields_, field_count_);
        counts_.lines += static_cast<std::uint64_t>(records_.line_count());
        switch (outcome) {
        case CsvRecordReader::Outcome::end:
            report_damage(lines_.line_number() + 1);
            return false;
        case CsvRecordReader::Outcome::record:
            break;
        case CsvRecordReader::Outcome::unreadable_line:
            skip_line(lines_.line_number(), records_.problem());
            continue;
        case CsvRecordReader::Outcome::too_long:
        case CsvRecordReader::Outcome::unterminated:
            skip_line(records_.first_line(), "unreadable CSV record: skipped");
            counts_.skipped_lines += static_cast<std::uint64_t>(records_.line_count() - 1);
            continue;
        }
        if (field_count_ == 0) {
            ++counts_.blank_lines;
            continue;
        }
        const int needed = std::max(query_, calls_);
        if (static_cast<int>(field_count_) <= needed) {
            skip_line(records_.first_line(), "row has " + std::to_string(field_count_) +
                                                 " fields, fewer than the header: skipped");
            continue;
        }
        auto column = [&](int at) -> std::string_view {
            return at >= 0 && at < static_cast<int>(field_count_)
                       ? std::string_view(fields_[static_cast<std::size_t>(at)])
                       : std::string_view();
        };
        const auto calls = number_of(column(calls_));
        if (!calls || *calls < 0) {
            skip_line(records_.first_line(), "calls is not a number: row skipped");
            continue;
        }
        reset_for_row(statement, source_->name(), records_.first_line());
        statement.text.assign(column(query_));
        statement.calls = static_cast<std::uint64_t>(std::llround(*calls));
        statement.duration_ms = number_of(column(total_));
        statement.max_ms = number_of(column(max_));
        if (const auto rows = number_of(column(rows_))) {
            statement.rows = static_cast<std::uint64_t>(std::llround(*rows));
        }
        statement.user.assign(column(user_));
        statement.database.assign(column(database_));
        counts_.statement_lines += static_cast<std::uint64_t>(records_.line_count());
        counts_.statements += statement.calls;
        return true;
    }
}

bool PgStatStatementsReader::fill_from_json(const nlohmann::json& row, int line,
                                            Statement& statement) {
    if (!row.is_object()) {
        return false;
    }
    const auto query = row.find("query");
    const auto calls = json_number(row, {"calls"});
    if (query == row.end() || !query->is_string() || !calls || *calls < 0) {
        return false;
    }
    reset_for_row(statement, source_->name(), line);
    statement.text = query->get<std::string>();
    statement.calls = static_cast<std::uint64_t>(std::llround(*calls));
    statement.duration_ms = json_number(row, {"total_exec_time", "total_time"});
    statement.max_ms = json_number(row, {"max_exec_time", "max_time"});
    if (const auto rows = json_number(row, {"rows"})) {
        statement.rows = static_cast<std::uint64_t>(std::llround(*rows));
    }
    counts_.statements += statement.calls;
    return true;
}

bool PgStatStatementsReader::next_json(Statement& statement) {
    if (array_.is_array()) {
        // Rows of an array have no line of their own: `line` is the row's number.
        while (array_index_ < array_.size()) {
            const std::size_t index = array_index_++;
            if (fill_from_json(array_[index], static_cast<int>(index + 1), statement)) {
                return true;
            }
            report(static_cast<int>(index + 1),
                   "row " + std::to_string(index + 1) + " has no query and calls: skipped");
        }
        return false;
    }
    std::string_view line;
    while (lines_.next(line)) {
        ++counts_.lines;
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            ++counts_.blank_lines;
            continue;
        }
        const nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
        if (fill_from_json(row, lines_.line_number(), statement)) {
            ++counts_.statement_lines;
            return true;
        }
        skip_line(lines_.line_number(), "not a pg_stat_statements row (query and calls)");
    }
    return false;
}

} // namespace parsers::logs
