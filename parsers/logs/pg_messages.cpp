#include "parsers/logs/pg_messages.hpp"

#include "parsers/input_file.hpp"
#include "parsers/logs/log_input.hpp"
#include "parsers/logs/log_line_prefix.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace parsers::logs {

namespace {

bool starts_with(std::string_view text, std::string_view start) {
    return text.starts_with(start);
}

bool is_error_severity(std::string_view severity) {
    return severity == "ERROR" || severity == "FATAL" || severity == "PANIC";
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\t' ||
                             text.front() == '\r')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' ||
                             text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

// `<name>: text` after "execute ", "parse " or "bind ": the name may be `<unnamed>`, `S_1`,
// or `stmt/portal`.
bool split_named(std::string_view rest, std::string_view& name, std::string_view& text) {
    const std::size_t colon = rest.find(": ");
    if (colon == std::string_view::npos) {
        // `execute <unnamed>:` with an empty statement.
        if (!rest.empty() && rest.back() == ':') {
            name = rest.substr(0, rest.size() - 1);
            text = std::string_view();
            return true;
        }
        return false;
    }
    name = rest.substr(0, colon);
    text = rest.substr(colon + 2);
    return true;
}

} // namespace

bool parse_duration(std::string_view message, double& duration, std::string_view& rest) {
    constexpr std::string_view marker = "duration: ";
    if (!message.starts_with(marker)) {
        return false;
    }
    const char* begin = message.data() + marker.size();
    const char* end = message.data() + message.size();
    const auto [next, error] = std::from_chars(begin, end, duration);
    if (error != std::errc() || end - next < 3 || next[0] != ' ' || next[1] != 'm' ||
        next[2] != 's') {
        return false;
    }
    rest = message.substr(static_cast<std::size_t>(next + 3 - message.data()));
    while (!rest.empty() && rest.front() == ' ') {
        rest.remove_prefix(1);
    }
    return true;
}

EntryKind classify_message(std::string_view severity, std::string_view message) {
    if (is_error_severity(severity)) {
        return EntryKind::error;
    }
    static constexpr std::array<std::string_view, 9> connection = {
        "connection received",
        "connection authorized",
        "connection authenticated",
        "disconnection",
        "replication connection authorized",
        "incomplete startup packet",
        "could not receive data from client",
        "unexpected EOF on client",
        "could not send data to client"};
    for (const auto start : connection) {
        if (starts_with(message, start)) {
            return EntryKind::connection;
        }
    }
    if (starts_with(message, "checkpoint") || starts_with(message, "restartpoint")) {
        return EntryKind::checkpoint;
    }
    if (starts_with(message, "automatic vacuum") || starts_with(message, "automatic aggressive") ||
        starts_with(message, "automatic analyze") || starts_with(message, "skipping vacuum") ||
        starts_with(message, "skipping analyze")) {
        return EntryKind::autovacuum;
    }
    if ((starts_with(message, "process ") &&
         (message.find("waiting for") != std::string_view::npos ||
          message.find("acquired") != std::string_view::npos ||
          message.find("deadlock") != std::string_view::npos)) ||
        starts_with(message, "deadlock")) {
        return EntryKind::lock_wait;
    }
    if (starts_with(message, "temporary file")) {
        return EntryKind::temporary_file;
    }
    static constexpr std::array<std::string_view, 24> server = {"database system",
                                                                "starting PostgreSQL",
                                                                "listening on",
                                                                "received SIGHUP",
                                                                "parameter \"",
                                                                "redirecting log output",
                                                                "ending log output",
                                                                "received fast shutdown",
                                                                "received smart shutdown",
                                                                "received immediate shutdown",
                                                                "shutting down",
                                                                "aborting any active",
                                                                "background worker",
                                                                "logical replication",
                                                                "autovacuum launcher",
                                                                "archive",
                                                                "redo ",
                                                                "consistent recovery",
                                                                "entering standby",
                                                                "started streaming",
                                                                "server process",
                                                                "terminating",
                                                                "all server processes",
                                                                "invalid value for parameter"};
    for (const auto start : server) {
        if (starts_with(message, start)) {
            return EntryKind::server;
        }
    }
    return EntryKind::other;
}

PgStatementAssembler::PgStatementAssembler(std::string_view file, ReadCounts& counts,
                                           ProblemReport report)
    : file_(file), counts_(counts), report_(std::move(report)) {}

Statement& PgStatementAssembler::push() {
    return ready_.push();
}

bool PgStatementAssembler::pop(Statement& out) {
    return ready_.pop(out);
}

void PgStatementAssembler::fill(Statement& statement, const LogEntry& entry,
                                std::string_view text) {
    statement.text.assign(text);
    statement.timestamp.assign(entry.timestamp);
    statement.timestamp_ms = timestamp_to_ms(entry.timestamp);
    statement.session.assign(entry.session);
    statement.user.assign(entry.user);
    statement.database.assign(entry.database);
    statement.application.assign(entry.application);
    statement.file = file_;
    statement.line = entry.line;
    constexpr std::string_view parameters = "parameters: ";
    if (entry.detail.starts_with(parameters)) {
        statement.parameters.assign(entry.detail.substr(parameters.size()));
        statement.parameter_syntax = ParameterSyntax::postgres;
    }
}

void PgStatementAssembler::complete(Statement& statement) {
    // Logs are written in the server's encoding; what we report must be UTF-8.
    if (!valid_utf8(statement.text) || !valid_utf8(statement.parameters)) {
        report_(statement.line, "invalid UTF-8 in the statement: replaced with U+FFFD");
        statement.text = repair_utf8(statement.text);
        statement.parameters = repair_utf8(statement.parameters);
    }
    counts_.statements += statement.calls;
}

Statement* PgStatementAssembler::pending_for(std::string_view session) {
    if (pending_.empty()) {
        return nullptr;
    }
    const auto found = pending_.find(std::string(session));
    return found == pending_.end() ? nullptr : &found->second;
}

void PgStatementAssembler::flush_pending(std::string_view session) {
    if (pending_.empty()) {
        return;
    }
    const auto found = pending_.find(std::string(session));
    if (found == pending_.end()) {
        return;
    }
    Statement& statement = push();
    std::swap(statement, found->second);
    pending_.erase(found);
    complete(statement);
}

void PgStatementAssembler::count_other(const LogEntry& entry) {
    counts_.count_entry(classify_message(entry.severity, entry.message),
                        static_cast<std::uint64_t>(entry.line_count));
}

bool PgStatementAssembler::add_duration_entry(const LogEntry& entry, std::string_view rest,
                                              double duration) {
    std::string_view name;
    std::string_view text;
    if (rest.starts_with("statement: ") || rest == "statement:") {
        text = rest.size() > 11 ? rest.substr(11) : std::string_view();
    } else if (rest.starts_with("execute ") && !rest.starts_with("execute fetch from ") &&
               split_named(rest.substr(8), name, text)) {
    } else if (rest.starts_with("parse ") || rest.starts_with("bind ") ||
               rest.starts_with("execute fetch from ")) {
        // Steps of the extended protocol; the execute that follows is the statement.
        counts_.count_entry(EntryKind::protocol, static_cast<std::uint64_t>(entry.line_count));
        return true;
    } else {
        return false;
    }
    flush_pending(entry.session);
    Statement& statement = push();
    fill(statement, entry, text);
    statement.duration_ms = duration;
    complete(statement);
    counts_.statement_lines += static_cast<std::uint64_t>(entry.line_count);
    return true;
}

void PgStatementAssembler::add(const LogEntry& entry) {
    const std::string_view message = entry.message;
    if (entry.severity == "LOG") {
        double duration = 0;
        std::string_view rest;
        if (parse_duration(message, duration, rest)) {
            if (rest.empty()) {
                // The duration of a statement log_statement already logged.
                if (Statement* pending = pending_for(entry.session);
                    pending != nullptr && !pending->duration_ms) {
                    pending->duration_ms = duration;
                    counts_.statement_lines += static_cast<std::uint64_t>(entry.line_count);
                    flush_pending(entry.session);
                    return;
                }
                count_other(entry);
                return;
            }
            if (add_duration_entry(entry, rest, duration)) {
                return;
            }
            count_other(entry);
            return;
        }
        std::string_view name;
        std::string_view text;
        const bool is_statement = message.starts_with("statement: ") || message == "statement:";
        if (is_statement ||
            (message.starts_with("execute ") && !message.starts_with("execute fetch from ") &&
             split_named(message.substr(8), name, text))) {
            if (is_statement) {
                text = message.size() > 11 ? message.substr(11) : std::string_view();
            }
            flush_pending(entry.session);
            Statement& statement = pending_[std::string(entry.session)];
            reset(statement);
            fill(statement, entry, text);
            counts_.statement_lines += static_cast<std::uint64_t>(entry.line_count);
            return;
        }
        if (message.starts_with("AUDIT: ")) {
            // pgaudit lines are CSV: comma-separated, double-quoted when a field holds a comma.
            const std::vector<std::string> fields = split_csv_line(message.substr(7));
            // One line per statement and per substatement; the statement itself is
            // substatement 1 of a SESSION audit line.
            if (fields.size() >= 8 && fields[0] == "SESSION" && fields[2] == "1") {
                flush_pending(entry.session);
                Statement& statement = push();
                fill(statement, entry, fields[7]);
                complete(statement);
                counts_.statement_lines += static_cast<std::uint64_t>(entry.line_count);
                return;
            }
        }
        if (message.starts_with("disconnection")) {
            flush_pending(entry.session);
        }
        count_other(entry);
        return;
    }
    if (is_error_severity(entry.severity) && !trim(entry.statement).empty()) {
        Statement* pending = pending_for(entry.session);
        if (pending != nullptr && trim(pending->text) == trim(entry.statement)) {
            // log_statement logged it already: the same execution, now known to have failed.
            pending->failed = true;
            counts_.statement_lines += static_cast<std::uint64_t>(entry.line_count);
            flush_pending(entry.session);
            return;
        }
        flush_pending(entry.session);
        Statement& statement = push();
        fill(statement, entry, entry.statement);
        statement.failed = true;
        complete(statement);
        counts_.statement_lines += static_cast<std::uint64_t>(entry.line_count);
        return;
    }
    count_other(entry);
}

void PgStatementAssembler::finish() {
    // In line order, so output does not depend on hash order.
    std::vector<std::pair<int, std::string>> sessions;
    for (const auto& [session, statement] : pending_) {
        sessions.emplace_back(statement.line, session);
    }
    std::sort(sessions.begin(), sessions.end());
    for (const auto& [line, session] : sessions) {
        flush_pending(session);
    }
}

} // namespace parsers::logs
