#include "parsers/logs/stderr_reader.hpp"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

namespace parsers::logs {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// DETAIL, HINT, ... belong to the entry before them (one ereport() call writes them together).
bool is_sub_severity(std::string_view severity) {
    return severity == "DETAIL" || severity == "HINT" || severity == "CONTEXT" ||
           severity == "STATEMENT" || severity == "QUERY" || severity == "LOCATION";
}

std::string_view next_token(std::string_view line, std::size_t& at) {
    const std::size_t end = std::min(line.find(' ', at), line.size());
    const std::string_view token = line.substr(at, end - at);
    at = end < line.size() ? end + 1 : end;
    return token;
}

// `[7-2] ` or `[2] ` at `at`: the chunk number of a relayed message; moves `at` past it.
bool read_chunk_marker(std::string_view line, std::size_t& at, int& chunk) {
    if (at >= line.size() || line[at] != '[') {
        return false;
    }
    std::size_t i = at + 1;
    long first = 0;
    long second = -1;
    const std::size_t first_start = i;
    while (i < line.size() && is_digit(line[i])) {
        first = first * 10 + (line[i++] - '0');
    }
    if (i == first_start) {
        return false;
    }
    if (i < line.size() && line[i] == '-') {
        ++i;
        second = 0;
        const std::size_t second_start = i;
        while (i < line.size() && is_digit(line[i])) {
            second = second * 10 + (line[i++] - '0');
        }
        if (i == second_start) {
            return false;
        }
    }
    if (i >= line.size() || line[i] != ']') {
        return false;
    }
    ++i;
    if (i < line.size() && line[i] == ' ') {
        ++i;
    }
    chunk = static_cast<int>(second >= 0 ? second : first);
    at = i;
    return true;
}

// rsyslog writes control characters as `#` and three octal digits (`#011` for a tab).
std::string_view decode_syslog(std::string_view payload, std::string& scratch) {
    if (payload.find('#') == std::string_view::npos) {
        return payload;
    }
    scratch.clear();
    for (std::size_t i = 0; i < payload.size(); ++i) {
        if (payload[i] == '#' && i + 3 < payload.size() && payload[i + 1] >= '0' &&
            payload[i + 1] <= '3' && payload[i + 2] >= '0' && payload[i + 2] <= '7' &&
            payload[i + 3] >= '0' && payload[i + 3] <= '7') {
            scratch += static_cast<char>((payload[i + 1] - '0') * 64 + (payload[i + 2] - '0') * 8 +
                                         (payload[i + 3] - '0'));
            i += 3;
        } else {
            scratch += payload[i];
        }
    }
    return scratch;
}

std::optional<std::string_view> syslog_payload(std::string_view line, EnvelopeFields& fields,
                                               std::string& scratch) {
    std::size_t at = 0;
    if (line.size() > 16 && line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':' &&
        line[15] == ' ') {
        fields.timestamp = line.substr(0, 15); // Feb 11 13:15:39
        at = 16;
    } else {
        fields.timestamp = next_token(line, at); // RFC 3339 from rsyslog
        if (fields.timestamp.size() < 19 || fields.timestamp[4] != '-') {
            return std::nullopt;
        }
    }
    next_token(line, at); // host
    const std::string_view ident = next_token(line, at);
    const std::size_t open = ident.find('[');
    if (ident.size() < 4 || !ident.ends_with("]:") || open == std::string_view::npos) {
        return std::nullopt;
    }
    fields.pid = ident.substr(open + 1, ident.size() - open - 3);
    fields.from_postgres = read_chunk_marker(line, at, fields.chunk);
    return decode_syslog(line.substr(at), scratch);
}

std::optional<std::string_view> logplex_payload(std::string_view line, EnvelopeFields& fields) {
    std::size_t at = 0;
    fields.timestamp = next_token(line, at);
    if (fields.timestamp.size() < 19 || fields.timestamp[4] != '-') {
        return std::nullopt;
    }
    std::string_view ident = next_token(line, at);
    if (!ident.starts_with("app[")) {
        ident = next_token(line, at); // the drain's host
    }
    if (!ident.starts_with("app[")) {
        return std::nullopt;
    }
    const std::size_t close = ident.find(']');
    const std::size_t dot = ident.find('.');
    fields.pid = dot != std::string_view::npos && dot < close
                     ? ident.substr(dot + 1, close - dot - 1)
                     : std::string_view();
    fields.from_postgres = ident.starts_with("app[postgres");
    // Heroku's colour of the database: `[GREEN] `.
    if (at < line.size() && line[at] == '[' && at + 1 < line.size() && !is_digit(line[at + 1])) {
        const std::size_t end = line.find("] ", at);
        if (end != std::string_view::npos) {
            at = end + 2;
        }
    }
    if (!read_chunk_marker(line, at, fields.chunk)) {
        fields.from_postgres = false;
    }
    // Heroku's log_line_prefix starts with a space (' sql_error_code = %e '); continuation
    // chunks keep their indentation.
    while (fields.chunk <= 1 && at < line.size() && line[at] == ' ') {
        ++at;
    }
    return line.substr(at);
}

std::optional<std::string_view> cloud_payload(std::string_view line, EnvelopeFields& fields,
                                              std::string& scratch, std::string& timestamp) {
    if (line.empty() || line.front() != '{') {
        return std::nullopt;
    }
    const nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    if (!object.is_object()) {
        return std::nullopt;
    }
    const auto payload = object.find("textPayload");
    const auto time = object.find("timestamp");
    timestamp = time != object.end() && time->is_string() ? time->get<std::string>() : "";
    fields.timestamp = timestamp;
    if (payload == object.end() || !payload->is_string()) {
        fields.from_postgres = false;
        scratch.clear();
        return std::string_view(scratch);
    }
    scratch = payload->get<std::string>();
    return std::string_view(scratch);
}

} // namespace

const char* to_string(Envelope envelope) {
    switch (envelope) {
    case Envelope::syslog:
        return "syslog";
    case Envelope::logplex:
        return "Heroku logplex";
    case Envelope::cloud_logging:
        return "Google Cloud Logging JSON";
    case Envelope::none:
        break;
    }
    return "none";
}

std::optional<std::string_view> envelope_payload(std::string_view line, Envelope envelope,
                                                 EnvelopeFields& fields, std::string& scratch) {
    fields = EnvelopeFields{};
    switch (envelope) {
    case Envelope::none:
        return line;
    case Envelope::syslog:
        return syslog_payload(line, fields, scratch);
    case Envelope::logplex:
        return logplex_payload(line, fields);
    case Envelope::cloud_logging: {
        std::string timestamp; // not kept: callers of this function want the payload
        auto payload = cloud_payload(line, fields, scratch, timestamp);
        fields.timestamp = std::string_view();
        return payload;
    }
    }
    return std::nullopt;
}

Envelope detect_envelope(const std::vector<std::string_view>& lines) {
    std::size_t syslog = 0;
    std::size_t logplex = 0;
    std::size_t cloud = 0;
    std::string scratch;
    EnvelopeFields fields;
    for (const auto line : lines) {
        if (syslog_payload(line, fields, scratch) && fields.from_postgres) {
            ++syslog;
        }
        fields = EnvelopeFields{};
        if (logplex_payload(line, fields) && fields.from_postgres) {
            ++logplex;
        }
        if (line.starts_with("{") && line.find("\"textPayload\"") != std::string_view::npos) {
            ++cloud;
        }
    }
    const std::size_t best = std::max({syslog, logplex, cloud});
    if (best == 0 || best * 2 < lines.size()) {
        return Envelope::none;
    }
    return best == syslog ? Envelope::syslog
                          : (best == logplex ? Envelope::logplex : Envelope::cloud_logging);
}

StderrLogReader::StderrLogReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options,
                                 LogLinePrefix prefix, Envelope envelope)
    : LogReader(std::move(source), options), lines_(*source_, options.max_line_bytes),
      prefix_(std::move(prefix)), envelope_(envelope),
      assembler_(source_->name(), counts_,
                 [this](int line, std::string message) { report(line, std::move(message)); }) {}

StderrLogReader::OpenEntry& StderrLogReader::open_entry(std::string_view key) {
    if (envelope_ == Envelope::none || envelope_ == Envelope::cloud_logging) {
        return plain_entry_;
    }
    return by_pid_[std::string(key)];
}

void StderrLogReader::complete(OpenEntry& entry) {
    if (!entry.active) {
        return;
    }
    entry.active = false;
    LogEntry log_entry;
    log_entry.timestamp = entry.timestamp;
    log_entry.session = entry.session;
    log_entry.user = entry.user;
    log_entry.database = entry.database;
    log_entry.application = entry.application;
    log_entry.severity = entry.severity;
    log_entry.message = entry.message;
    log_entry.detail = entry.detail;
    log_entry.statement = entry.statement;
    log_entry.line = entry.line;
    log_entry.line_count = entry.line_count;
    assembler_.add(log_entry);
}

void StderrLogReader::complete_all() {
    complete(plain_entry_);
    std::vector<OpenEntry*> open;
    for (auto& [pid, entry] : by_pid_) {
        if (entry.active) {
            open.push_back(&entry);
        }
    }
    std::sort(open.begin(), open.end(),
              [](const OpenEntry* a, const OpenEntry* b) { return a->line < b->line; });
    for (OpenEntry* entry : open) {
        complete(*entry);
    }
    by_pid_.clear();
}

void StderrLogReader::add_payload(std::string_view payload, const EnvelopeFields& envelope) {
    const int line = lines_.line_number();
    if (!envelope.from_postgres) {
        // Another program's line in the same stream (syslog, logplex, Cloud Logging).
        counts_.count_entry(EntryKind::other, 1);
        return;
    }
    PrefixMatch match;
    std::string_view candidate = payload;
    if (envelope_ == Envelope::logplex) {
        // Heroku indents every chunk by the prefix's leading space.
        candidate.remove_prefix(std::min(candidate.find_first_not_of(' '), candidate.size()));
    }
    if (!candidate.empty() && candidate[0] != '\t' && candidate[0] != ' ' &&
        prefix_.match(candidate, match)) {
        std::string_view session = match.fields.session;
        if (session.empty()) {
            session = match.fields.pid.empty() ? envelope.pid : match.fields.pid;
        }
        OpenEntry& entry = open_entry(envelope.pid);
        if (entry.active && is_sub_severity(match.severity) && entry.session == session) {
            ++entry.line_count;
            if (match.severity == "DETAIL") {
                entry.detail.assign(match.message);
                entry.last_part = Part::detail;
            } else if (match.severity == "STATEMENT") {
                entry.statement.assign(match.message);
                entry.last_part = Part::statement;
            } else {
                entry.last_part = Part::ignored;
            }
            return;
        }
        complete(entry);
        entry.active = true;
        entry.timestamp.assign(match.fields.timestamp.empty() ? envelope.timestamp
                                                              : match.fields.timestamp);
        entry.session.assign(session);
        entry.user.assign(match.fields.user);
        entry.database.assign(match.fields.database);
        entry.application.assign(match.fields.application);
        entry.severity.assign(match.severity);
        entry.message.assign(match.message);
        entry.detail.clear();
        entry.statement.clear();
        entry.line = line;
        entry.line_count = 1;
        entry.last_part = Part::message;
        return;
    }
    OpenEntry* entry = nullptr;
    if (envelope_ == Envelope::none || envelope_ == Envelope::cloud_logging) {
        entry = &plain_entry_;
    } else if (const auto found = by_pid_.find(std::string(envelope.pid)); found != by_pid_.end()) {
        entry = &found->second;
    }
    const bool continues = !payload.empty() && (payload[0] == '\t' || payload[0] == ' ');
    if (entry != nullptr && entry->active && (continues || envelope.chunk > 1)) {
        ++entry->line_count;
        // PostgreSQL put a tab after each newline of the message: take it out again.
        const std::string_view text =
            !payload.empty() && payload[0] == '\t' ? payload.substr(1) : payload;
        std::string* part = entry->last_part == Part::message     ? &entry->message
                            : entry->last_part == Part::detail    ? &entry->detail
                            : entry->last_part == Part::statement ? &entry->statement
                                                                  : nullptr;
        if (part != nullptr) {
            if (part->size() + text.size() > options_.max_line_bytes) {
                report(line, "log entry longer than " + std::to_string(options_.max_line_bytes) +
                                 " bytes: the rest of it is dropped");
                entry->last_part = Part::ignored;
            } else {
                part->push_back('\n');
                part->append(text);
            }
        }
        return;
    }
    if (payload.empty() || payload.find_first_not_of(" \t") == std::string_view::npos) {
        ++counts_.blank_lines;
        return;
    }
    std::string shown(payload.substr(0, 60));
    skip_line(line, "not a PostgreSQL log line for log_line_prefix '" + prefix_.setting() +
                        "': " + shown);
}

void StderrLogReader::read_line(std::string_view line) {
    const int number = lines_.line_number();
    if (lines_.too_long()) {
        skip_line(number, "line of " + std::to_string(lines_.skipped_bytes()) +
                              " bytes is longer than the limit of " +
                              std::to_string(options_.max_line_bytes) + " bytes: skipped");
        return;
    }
    if (std::memchr(line.data(), '\0', line.size()) != nullptr) {
        skip_line(number, "NUL byte in the line: skipped");
        return;
    }
    if (envelope_ == Envelope::none) {
        add_payload(line, EnvelopeFields{});
        return;
    }
    EnvelopeFields fields;
    std::optional<std::string_view> payload;
    if (envelope_ == Envelope::cloud_logging) {
        payload = cloud_payload(line, fields, scratch_, json_timestamp_);
    } else {
        payload = envelope_payload(line, envelope_, fields, scratch_);
    }
    if (!payload) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            ++counts_.blank_lines;
            return;
        }
        skip_line(number, std::string("not a ") + to_string(envelope_) +
                              " line: " + std::string(line.substr(0, 60)));
        return;
    }
    add_payload(*payload, fields);
}

bool StderrLogReader::next(Statement& statement) {
    for (;;) {
        if (assembler_.pop(statement)) {
            return true;
        }
        if (finished_) {
            return false;
        }
        std::string_view line;
        if (!lines_.next(line)) {
            complete_all();
            assembler_.finish();
            finished_ = true;
            report_damage(lines_.line_number() + 1);
            continue;
        }
        ++counts_.lines;
        read_line(line);
        report_cut_last_line(lines_);
    }
}

} // namespace parsers::logs
