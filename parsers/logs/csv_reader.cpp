#include "parsers/logs/csv_reader.hpp"

#include <cstring>

namespace parsers::logs {

CsvRecordReader::CsvRecordReader(LineReader& lines, std::size_t max_record_bytes)
    : lines_(lines), max_record_bytes_(max_record_bytes) {}

CsvRecordReader::Outcome CsvRecordReader::next(std::vector<std::string>& fields,
                                               std::size_t& field_count) {
    problem_.clear();
    field_count = 0;
    line_count_ = 0;
    bool in_quotes = false;
    bool dropping = false;
    std::size_t bytes = 0;
    auto start_field = [&] {
        if (fields.size() <= field_count) {
            fields.emplace_back();
        }
        fields[field_count++].clear();
    };
    std::string_view line;
    while (lines_.next(line)) {
        if (++line_count_ == 1) {
            first_line_ = lines_.line_number();
        }
        const bool unreadable =
            lines_.too_long() || std::memchr(line.data(), '\0', line.size()) != nullptr;
        if (unreadable) {
            if (!in_quotes) {
                problem_ = lines_.too_long() ? "line of " + std::to_string(lines_.skipped_bytes()) +
                                                   " bytes is longer than the limit: skipped"
                                             : "NUL byte in the line: skipped";
                return Outcome::unreadable_line;
            }
            dropping = true;
            continue;
        }
        if (line_count_ == 1) {
            if (line.empty()) {
                return Outcome::record; // a blank line: no fields
            }
            start_field();
        } else if (!dropping) {
            fields[field_count - 1].push_back('\n');
        }
        bytes += line.size();
        if (bytes > max_record_bytes_) {
            dropping = true;
        }
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if (in_quotes) {
                if (c == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        if (!dropping) {
                            fields[field_count - 1].push_back('"');
                        }
                        ++i;
                    } else {
                        in_quotes = false;
                    }
                } else if (!dropping) {
                    fields[field_count - 1].push_back(c);
                }
            } else if (c == ',') {
                if (!dropping) {
                    start_field();
                }
            } else if (c == '"') {
                in_quotes = true;
            } else if (!dropping) {
                fields[field_count - 1].push_back(c);
            }
        }
        if (!in_quotes) {
            return dropping ? Outcome::too_long : Outcome::record;
        }
    }
    return line_count_ == 0 ? Outcome::end : Outcome::unterminated;
}

std::optional<CsvColumns> csv_log_header_columns(const std::vector<std::string>& fields,
                                                 std::size_t count) {
    CsvColumns columns{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
    for (std::size_t i = 0; i < count; ++i) {
        const std::string& name = fields[i];
        const int at = static_cast<int>(i);
        if (name == "log_time" || name == "timestamp") {
            columns.timestamp = at;
        } else if (name == "user_name") {
            columns.user = at;
        } else if (name == "database_name") {
            columns.database = at;
        } else if (name == "process_id") {
            columns.pid = at;
        } else if (name == "session_id") {
            columns.session = at;
        } else if (name == "error_severity") {
            columns.severity = at;
        } else if (name == "message" || name == "event_message") {
            columns.message = at;
        } else if (name == "detail") {
            columns.detail = at;
        } else if (name == "query") {
            columns.statement = at;
        } else if (name == "application_name") {
            columns.application = at;
        }
    }
    if (columns.severity < 0 || columns.message < 0) {
        return std::nullopt;
    }
    return columns;
}

CsvLogReader::CsvLogReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options)
    : LogReader(std::move(source), options), lines_(*source_, options.max_line_bytes),
      records_(lines_, options.max_line_bytes),
      assembler_(source_->name(), counts_,
                 [this](int line, std::string message) { report(line, std::move(message)); }) {}

std::string_view CsvLogReader::field(int column) const {
    if (column < 0 || static_cast<std::size_t>(column) >= field_count_) {
        return std::string_view();
    }
    return fields_[static_cast<std::size_t>(column)];
}

void CsvLogReader::add_record() {
    const int line_count = records_.line_count();
    if (first_record_) {
        first_record_ = false;
        if (auto header = csv_log_header_columns(fields_, field_count_)) {
            columns_ = *header;
            counts_.count_entry(EntryKind::other, static_cast<std::uint64_t>(line_count));
            return;
        }
    }
    if (static_cast<int>(field_count_) <= columns_.message ||
        static_cast<int>(field_count_) <= columns_.severity) {
        skip_line(records_.first_line(), "CSV record of " + std::to_string(field_count_) +
                                             " fields, a csvlog line has " + "at least " +
                                             std::to_string(columns_.message + 1) + ": skipped");
        counts_.skipped_lines += static_cast<std::uint64_t>(line_count - 1);
        return;
    }
    LogEntry entry;
    entry.timestamp = field(columns_.timestamp);
    entry.session = field(columns_.session);
    if (entry.session.empty()) {
        entry.session = field(columns_.pid);
    }
    entry.user = field(columns_.user);
    entry.database = field(columns_.database);
    entry.application = field(columns_.application);
    entry.severity = field(columns_.severity);
    entry.message = field(columns_.message);
    entry.detail = field(columns_.detail);
    entry.statement = field(columns_.statement);
    entry.line = records_.first_line();
    entry.line_count = line_count;
    assembler_.add(entry);
}

bool CsvLogReader::next(Statement& statement) {
    for (;;) {
        if (assembler_.pop(statement)) {
            return true;
        }
        if (finished_) {
            return false;
        }
        const auto outcome = records_.next(fields_, field_count_);
        counts_.lines += static_cast<std::uint64_t>(records_.line_count());
        switch (outcome) {
        case CsvRecordReader::Outcome::end:
            assembler_.finish();
            finished_ = true;
            report_damage(lines_.line_number() + 1);
            break;
        case CsvRecordReader::Outcome::too_long:
            skip_line(records_.first_line(), "CSV record longer than " +
                                                 std::to_string(options_.max_line_bytes) +
                                                 " bytes: skipped");
            counts_.skipped_lines += static_cast<std::uint64_t>(records_.line_count() - 1);
            break;
        case CsvRecordReader::Outcome::unterminated:
            skip_line(records_.first_line(),
                      "quoted CSV field not closed before the end of the file: record skipped");
            counts_.skipped_lines += static_cast<std::uint64_t>(records_.line_count() - 1);
            break;
        case CsvRecordReader::Outcome::unreadable_line:
            skip_line(lines_.line_number(), records_.problem());
            break;
        case CsvRecordReader::Outcome::record:
            if (field_count_ == 0) {
                ++counts_.blank_lines;
            } else {
                add_record();
            }
            break;
        }
    }
}

} // namespace parsers::logs
