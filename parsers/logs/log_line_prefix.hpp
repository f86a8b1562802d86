// PostgreSQL's log_line_prefix (postgresql.conf, "What to Log"): compiled from its % escapes into
// a matcher for the start of stderr log lines, or inferred from sample lines when the user does
// not say which prefix the server used.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parsers::logs {

// What a prefix told about a line. Views into the line.
struct PrefixFields {
    std::string_view timestamp; // %m, %t or %n
    std::string_view pid;       // %p
    std::string_view session;   // %c
    std::string_view user;      // %u
    std::string_view database;  // %d
    std::string_view application;
};

// Where a log line's message starts: after the prefix and the severity ("LOG:  ").
struct PrefixMatch {
    PrefixFields fields;
    std::string_view severity; // "LOG", "DETAIL", "STATEMENT", ...
    std::string_view message;  // the rest of the line
};

class LogLinePrefix {
public:
    // Compiles a log_line_prefix setting. Understands every escape PostgreSQL 15 documents, plus
    // `%*` (any text up to what follows; inference writes it for a field it cannot name).
    // Returns nullopt with `error` set for an unknown escape.
    static std::optional<LogLinePrefix> compile(std::string_view setting, std::string* error);

    // Matches the prefix at the start of `line`, then a severity and its colon. Lines from
    // processes without a session stop at %q (PostgreSQL prints nothing after it for them).
    bool match(std::string_view line, PrefixMatch& result) const;

    const std::string& setting() const { return setting_; }
    bool has_session_id() const { return has_session_id_; }
    bool has_pid() const { return has_pid_; }

    enum class ItemKind {
        literal,
        timestamp,     // %m, %t, %s: 2025-07-18 09:00:00[.123] [TZ]
        epoch,         // %n: 1752829200.123
        digits,        // %l, %x
        pid,           // %p
        signed_digits, // %Q
        vxid,          // %v: 3/1234
        session,       // %c: 5a3c732f.52f7
        user,          // %u
        database,      // %d
        application,   // %a
        text,          // %h %r %e %i %b %*: any text up to the next literal
        session_only,  // %q
    };
    struct Item {
        ItemKind kind;
        std::string literal;
    };

private:
    bool match_items(std::string_view line, std::size_t first, std::size_t last,
                     std::size_t& position, PrefixFields& fields) const;

    std::string setting_;
    std::vector<Item> items_;
    std::size_t session_only_at_ = 0; // index of %q in items_, or items_.size()
    bool has_session_id_ = false;
    bool has_pid_ = false;
};

// Reads the severity ("LOG:  ") at `position` of `line`; on success sets severity and message.
bool match_severity(std::string_view line, std::size_t position, PrefixMatch& result);

// Infers the log_line_prefix of a stderr log from sample lines (continuation lines are ignored).
// Returns nullopt when the lines do not look like PostgreSQL log lines.
std::optional<LogLinePrefix> infer_log_line_prefix(const std::vector<std::string_view>& lines);

// Milliseconds since 1970-01-01 of a logged timestamp: `2025-07-18 09:00:00.123 UTC`,
// `2019-03-14T00:22:56+00:00`, `1752829200.123` (%n), `Feb 11 13:15:39` (syslog, no year).
// A named zone other than UTC/GMT/Z is read as UTC: the numbers order events within one log.
// NaN when the text is not a timestamp.
double timestamp_to_ms(std::string_view text);

} // namespace parsers::logs
