// PostgreSQL's stderr log (log_destination = 'stderr'), with any log_line_prefix, as written to
// a file or relayed: through syslog (`Feb 11 13:15:39 host postgres[42]: [7-1] ...`), Heroku
// logplex (`... app[postgres.42]: [GREEN] [7-1] ...`) or Google Cloud Logging (one JSON object
// per line, the line in `textPayload`).
//
// An entry is a line that starts with the prefix and a severity, plus the lines after it that
// begin with a tab (PostgreSQL puts one after each newline of a message), plus its DETAIL, HINT,
// CONTEXT and STATEMENT lines. Relays split a message into chunks `[N-1]`, `[N-2]`, ... that
// other processes' chunks may interleave: entries are then assembled per process.
#pragma once

#include "parsers/logs/log_line_prefix.hpp"
#include "parsers/logs/log_reader.hpp"
#include "parsers/logs/pg_messages.hpp"

#include <string>
#include <string_view>
#include <unordered_map>

namespace parsers::logs {

enum class Envelope { none, syslog, logplex, cloud_logging };

const char* to_string(Envelope envelope);

// What a relay wrapped around a PostgreSQL line.
struct EnvelopeFields {
    std::string_view timestamp;
    std::string_view pid;
    int chunk = 1; // N of `[M-N]`: 1 for the first chunk of a message
    bool from_postgres = true;
};

// The PostgreSQL line inside a relayed line; nullopt when the line is not such a relay line.
// `scratch` holds the payload when it had to be decoded (syslog's `#011` for a tab).
std::optional<std::string_view> envelope_payload(std::string_view line, Envelope envelope,
                                                 EnvelopeFields& fields, std::string& scratch);

// Which relay, if any, wrapped most of these lines.
Envelope detect_envelope(const std::vector<std::string_view>& lines);

class StderrLogReader : public LogReader {
public:
    StderrLogReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options,
                    LogLinePrefix prefix, Envelope envelope);

    bool next(Statement& statement) override;

private:
    enum class Part { message, detail, statement, ignored };
    struct OpenEntry {
        bool active = false;
        std::string timestamp, session, user, database, application, severity;
        std::string message, detail, statement;
        int line = 0;
        int line_count = 0;
        Part last_part = Part::message;
    };

    void read_line(std::string_view line);
    void add_payload(std::string_view payload, const EnvelopeFields& envelope);
    OpenEntry& open_entry(std::string_view key);
    void complete(OpenEntry& entry);
    void complete_all();

    LineReader lines_;
    LogLinePrefix prefix_;
    Envelope envelope_;
    PgStatementAssembler assembler_;
    OpenEntry plain_entry_;                             // no relay: entries are contiguous
    std::unordered_map<std::string, OpenEntry> by_pid_; // relays: one open entry per process
    std::string scratch_;
    std::string json_timestamp_;
    bool finished_ = false;
};

} // namespace parsers::logs
