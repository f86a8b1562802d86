#include "parsers/logs/json_reader.hpp"

#include <cstring>

namespace parsers::logs {

namespace {

// A field as text: strings as they are, numbers (jsonlog's pid) printed.
std::string text_of(const nlohmann::json& object, const char* key) {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) {
        return std::string();
    }
    if (found->is_string()) {
        return found->get<std::string>();
    }
    if (found->is_structured()) {
        // PostgreSQL writes no field as an object or array; dump() would recurse as deep as
        // the value nests (100,000 nested arrays overflowed the stack).
        return std::string();
    }
    return found->dump();
}

} // namespace

JsonLogReader::JsonLogReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options)
    : LogReader(std::move(source), options), lines_(*source_, options.max_line_bytes),
      assembler_(source_->name(), counts_,
                 [this](int line, std::string message) { report(line, std::move(message)); }) {}

void JsonLogReader::add_line(std::string_view line) {
    const int number = lines_.line_number();
    if (lines_.too_long()) {
        skip_line(number, "line of " + std::to_string(lines_.skipped_bytes()) +
                              " bytes is longer than the limit of " +
                              std::to_string(options_.max_line_bytes) + " bytes: skipped");
        return;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
        ++counts_.blank_lines;
        return;
    }
    if (std::memchr(line.data(), '\0', line.size()) != nullptr) {
        skip_line(number, "NUL byte in the line: skipped");
        return;
    }
    const nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    if (!object.is_object()) {
        skip_line(number, "not a JSON object: " + std::string(line.substr(0, 60)));
        return;
    }
    // CloudNativePG wraps the PostgreSQL entry; its own log lines have no `record`.
    const auto record_field = object.find("record");
    const bool wrapped = record_field != object.end() && record_field->is_object();
    const nlohmann::json& record = wrapped ? *record_field : object;
    const char* severity_key = "error_severity";
    if (!record.contains(severity_key) || !record.contains("message")) {
        counts_.count_entry(EntryKind::other, 1);
        return;
    }
    const std::string timestamp = text_of(record, wrapped ? "log_time" : "timestamp");
    std::string session = text_of(record, "session_id");
    if (session.empty()) {
        session = text_of(record, wrapped ? "process_id" : "pid");
    }
    const std::string user = text_of(record, wrapped ? "user_name" : "user");
    const std::string database = text_of(record, wrapped ? "database_name" : "dbname");
    const std::string application = text_of(record, "application_name");
    const std::string severity = text_of(record, severity_key);
    const std::string message = text_of(record, "message");
    const std::string detail = text_of(record, "detail");
    const std::string statement = text_of(record, wrapped ? "query" : "statement");
    LogEntry entry;
    entry.timestamp = timestamp;
    entry.session = session;
    entry.user = user;
    entry.database = database;
    entry.application = application;
    entry.severity = severity;
    entry.message = message;
    entry.detail = detail;
    entry.statement = statement;
    entry.line = number;
    entry.line_count = 1;
    assembler_.add(entry);
}

bool JsonLogReader::next(Statement& statement) {
    for (;;) {
        if (assembler_.pop(statement)) {
            return true;
        }
        if (finished_) {
            return false;
        }
        std::string_view line;
        if (!lines_.next(line)) {
            assembler_.finish();
            finished_ = true;
            report_damage(lines_.line_number() + 1);
            continue;
        }
        ++counts_.lines;
        add_line(line);
        report_cut_last_line(lines_);
    }
}

} // namespace parsers::logs
