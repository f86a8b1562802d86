#include "parsers/logs/detect.hpp"

#include "parsers/input_error.hpp"
#include "parsers/logs/csv_reader.hpp"
#include "parsers/logs/json_reader.hpp"
#include "parsers/logs/pgss_reader.hpp"
#include "parsers/logs/sql_reader.hpp"
#include "parsers/logs/sqlalchemy_reader.hpp"
#include "parsers/pg_tree.hpp"
#include "parsers/sql_script.hpp"
#include "parsers/sqlite_query.hpp"

#include <nlohmann/json.hpp>
#include <pg_query.h>
#include <sstream>

namespace parsers::logs {

namespace {

constexpr std::size_t head_bytes = 256 * 1024;
constexpr std::size_t sample_lines = 1000;

std::vector<std::string_view> head_lines(std::string_view head, bool head_is_whole_file) {
    if (head.starts_with("\xEF\xBB\xBF")) {
        head.remove_prefix(3);
    }
    std::vector<std::string_view> lines;
    while (!head.empty() && lines.size() < sample_lines) {
        const std::size_t end = head.find('\n');
        if (end == std::string_view::npos) {
            if (head_is_whole_file) {
                lines.push_back(head);
            }
            break;
        }
        std::string_view line = head.substr(0, end);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        head.remove_prefix(end + 1);
    }
    return lines;
}

// Mostly control bytes: not a text log at all. (A few NUL bytes in a text log are reported
// per line instead.)
bool mostly_binary(std::string_view head) {
    std::size_t control = 0;
    for (const char ch : head) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
            ++control;
        }
    }
    return control * 10 > head.size();
}

bool starts_with_timestamp(std::string_view line) {
    if (!line.empty() && line.front() == '"') {
        line.remove_prefix(1);
    }
    return line.size() >= 19 && line[4] == '-' && line[7] == '-' && line[13] == ':' &&
           line[0] >= '0' && line[0] <= '9';
}

// csvlog lines: a timestamp, then comma-separated fields with a severity at position 11.
bool looks_like_csvlog(const std::vector<std::string_view>& lines) {
    std::size_t hits = 0;
    std::size_t tried = 0;
    for (const auto line : lines) {
        if (!starts_with_timestamp(line)) {
            continue;
        }
        ++tried;
        if (line.find(",LOG,") != std::string_view::npos ||
            line.find(",ERROR,") != std::string_view::npos ||
            line.find(",FATAL,") != std::string_view::npos ||
            line.find(",WARNING,") != std::string_view::npos ||
            line.find(",NOTICE,") != std::string_view::npos ||
            line.find(",PANIC,") != std::string_view::npos) {
            ++hits;
        }
    }
    return hits > 0 && hits * 2 >= tried;
}

std::optional<DetectedFormat> detect_json(const std::vector<std::string_view>& lines) {
    std::size_t jsonlog = 0;
    std::size_t cloud = 0;
    std::size_t pgss = 0;
    std::size_t objects = 0;
    for (const auto line : lines) {
        if (line.empty() || line.front() != '{') {
            continue;
        }
        const nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
        if (!object.is_object()) {
            continue;
        }
        ++objects;
        if (object.contains("textPayload")) {
            ++cloud;
        } else if (object.contains("query") && object.contains("calls")) {
            ++pgss;
        } else if (object.contains("error_severity") ||
                   (object.contains("record") && object["record"].is_object())) {
            ++jsonlog;
        }
    }
    if (objects == 0) {
        return std::nullopt;
    }
    DetectedFormat detected;
    if (pgss > 0 && pgss >= jsonlog && pgss >= cloud) {
        detected.format = LogFormat::pgss;
        detected.description = "pg_stat_statements export (JSON rows)";
    } else if (cloud > 0 && cloud >= jsonlog) {
        detected.format = LogFormat::stderr_log;
        detected.envelope = Envelope::cloud_logging;
    } else if (jsonlog > 0) {
        detected.format = LogFormat::jsonlog;
        detected.description = "PostgreSQL jsonlog";
    } else {
        return std::nullopt;
    }
    return detected;
}

// A stderr log: relayed or not, with a prefix given or inferred.
bool fill_stderr(DetectedFormat& detected, const std::vector<std::string_view>& lines,
                 const LogReadOptions& options, std::string& why) {
    if (detected.envelope == Envelope::none) {
        detected.envelope = detect_envelope(lines);
    }
    std::vector<std::string> payloads;
    for (const auto line : lines) {
        std::string scratch;
        EnvelopeFields fields;
        if (auto payload = envelope_payload(line, detected.envelope, fields, scratch);
            payload && fields.from_postgres && fields.chunk <= 1) {
            payloads.emplace_back(*payload);
        }
    }
    const std::vector<std::string_view> views(payloads.begin(), payloads.end());
    std::string how = "inferred";
    if (!options.log_line_prefix.empty()) {
        std::string error;
        detected.prefix = LogLinePrefix::compile(options.log_line_prefix, &error);
        if (!detected.prefix) {
            throw ReaderOptionError("--log-line-prefix: " + error);
        }
        how = "given";
    } else {
        detected.prefix = infer_log_line_prefix(views);
        if (!detected.prefix) {
            why = "no PostgreSQL log_line_prefix fits its lines (give it with --log-line-prefix)";
            return false;
        }
    }
    detected.format = LogFormat::stderr_log;
    detected.description = "PostgreSQL stderr log";
    if (detected.envelope != Envelope::none) {
        detected.description += std::string(" relayed by ") + to_string(detected.envelope);
    }
    detected.description += ", log_line_prefix '" + detected.prefix->setting() + "' (" + how + ")";
    return true;
}

// SQL when its first statement (as psql would run it: meta-commands skipped) parses, read in
// SQLite's syntax when the statements are SQLite's.
bool looks_like_sql(std::string_view head, const LogReadOptions& options) {
    std::istringstream input{std::string(head)};
    SqlScriptReader script(input, head.size() + 1);
    const auto first = script.next();
    if (!first || first->text.empty() || pg::nesting_problem(first->text)) {
        return false;
    }
    const std::string text =
        options.sql_dialect == "sqlite" ? sqlite_query_for_postgres(first->text).text : first->text;
    PgQueryParseResult parsed = pg_query_parse(text.c_str());
    const bool parses = parsed.error == nullptr;
    pg_query_free_parse_result(parsed);
    return parses;
}

} // namespace

std::optional<DetectedFormat> detect_log_format(std::string_view head, std::string_view file_name,
                                                const LogReadOptions& options, std::string& why) {
    const bool whole_file = head.size() < head_bytes;
    const std::vector<std::string_view> lines = head_lines(head, whole_file);
    DetectedFormat detected;
    detected.format = options.format;
    switch (options.format) {
    case LogFormat::stderr_log:
        if (!fill_stderr(detected, lines, options, why)) {
            return std::nullopt;
        }
        return detected;
    case LogFormat::csvlog:
        detected.description = "PostgreSQL csvlog";
        return detected;
    case LogFormat::jsonlog:
        detected.description = "PostgreSQL jsonlog";
        return detected;
    case LogFormat::pgss:
        detected.description = "pg_stat_statements export";
        return detected;
    case LogFormat::sqlalchemy:
        detected.description = "SQLAlchemy engine echo log";
        return detected;
    case LogFormat::sql:
        detected.description =
            options.sql_dialect == "sqlite" ? "SQL script (SQLite syntax)" : "SQL script";
        return detected;
    case LogFormat::auto_detect:
        break;
    }

    std::string_view first;
    for (const auto line : lines) {
        if (line.find_first_not_of(" \t") != std::string_view::npos) {
            first = line.substr(line.find_first_not_of(" \t"));
            break;
        }
    }
    if (first.starts_with("[")) {
        if (head.find("\"query\"") != std::string_view::npos &&
            head.find("\"calls\"") != std::string_view::npos) {
            detected.format = LogFormat::pgss;
            detected.description = "pg_stat_statements export (JSON array)";
            return detected;
        }
    }
    if (first.starts_with("{")) {
        if (auto json = detect_json(lines)) {
            if (json->format == LogFormat::stderr_log) {
                if (!fill_stderr(*json, lines, options, why)) {
                    return std::nullopt;
                }
            }
            return json;
        }
    }
    if (!first.empty() && looks_like_pgss_header(first)) {
        detected.format = LogFormat::pgss;
        detected.description = "pg_stat_statements export (CSV)";
        return detected;
    }
    if (!first.empty() && first.find("error_severity") != std::string_view::npos &&
        first.find(',') != std::string_view::npos) {
        detected.format = LogFormat::csvlog;
        detected.description = "PostgreSQL log export (CSV with a header)";
        return detected;
    }
    if (looks_like_csvlog(lines)) {
        detected.format = LogFormat::csvlog;
        detected.description = "PostgreSQL csvlog";
        return detected;
    }
    std::size_t engine_lines = 0;
    for (const auto line : lines) {
        engine_lines += is_sqlalchemy_engine_line(line) ? 1 : 0;
    }
    if (engine_lines > 0) {
        detected.format = LogFormat::sqlalchemy;
        detected.description = "SQLAlchemy engine echo log";
        return detected;
    }
    std::string stderr_why;
    if (fill_stderr(detected, lines, options, stderr_why)) {
        return detected;
    }
    if (looks_like_sql(head, options)) {
        detected.format = LogFormat::sql;
        detected.description =
            options.sql_dialect == "sqlite" ? "SQL script (SQLite syntax)" : "SQL script";
        return detected;
    }
    why = "cannot tell its format: not a PostgreSQL stderr, csvlog or jsonlog log, a "
          "pg_stat_statements export, a SQLAlchemy echo log or SQL (name it with --log-format)";
    (void)file_name;
    return std::nullopt;
}

std::unique_ptr<LogReader> open_log_reader(const std::string& path, const LogReadOptions& options) {
    // One open and one read of the head, which goes back in front of the source: a pipe can be
    // read once only.
    auto source = open_byte_source(path);
    std::string head = read_up_to(*source, head_bytes);
    if (head.empty()) {
        throw InputError(path, 0,
                         source->pipe() ? "is a pipe that gave no data (nothing writes "
                                          "to it)"
                                        : "is empty: no log to read");
    }
    if (mostly_binary(std::string_view(head).substr(0, 8192))) {
        throw InputError(path, 0, "holds binary data, not a text log");
    }
    const std::string detection_head = head;
    return open_log_reader(put_back(std::move(head), std::move(source)), detection_head, options);
}

std::unique_ptr<LogReader> open_log_reader(std::unique_ptr<ByteSource> source,
                                           std::string_view head, const LogReadOptions& options) {
    const std::string path = source->name();
    std::string why;
    const auto detected = detect_log_format(head, path, options, why);
    if (!detected) {
        throw InputError(path, 0, why);
    }
    std::unique_ptr<LogReader> reader;
    switch (detected->format) {
    case LogFormat::stderr_log:
        reader = std::make_unique<StderrLogReader>(std::move(source), options, *detected->prefix,
                                                   detected->envelope);
        break;
    case LogFormat::csvlog:
        reader = std::make_unique<CsvLogReader>(std::move(source), options);
        break;
    case LogFormat::jsonlog:
        reader = std::make_unique<JsonLogReader>(std::move(source), options);
        break;
    case LogFormat::pgss:
        reader = std::make_unique<PgStatStatementsReader>(std::move(source), options);
        break;
    case LogFormat::sqlalchemy:
        reader = std::make_unique<SqlAlchemyLogReader>(std::move(source), options);
        break;
    case LogFormat::sql:
    case LogFormat::auto_detect:
        reader = std::make_unique<SqlFileReader>(std::move(source), options);
        break;
    }
    const bool told = options.format != LogFormat::auto_detect;
    std::string description = detected->description + (told ? " (as --log-format says)" : "");
    if (reader->source().compressed()) {
        description += ", " + reader->source().compression() + "-compressed";
    }
    reader->set_description(std::move(description));
    reader->set_head(head);
    return reader;
}

} // namespace parsers::logs
