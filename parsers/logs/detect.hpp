// Deciding a log's format from its content (the first 256 KiB), not its name: what the user
// gives with --log-format wins, and the choice is described so the CLI can say what it read.
#pragma once

#include "parsers/logs/log_line_prefix.hpp"
#include "parsers/logs/log_reader.hpp"
#include "parsers/logs/stderr_reader.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace parsers::logs {

struct DetectedFormat {
    LogFormat format = LogFormat::auto_detect;
    Envelope envelope = Envelope::none;  // stderr only
    std::optional<LogLinePrefix> prefix; // stderr only
    std::string description;             // e.g. "PostgreSQL stderr log, log_line_prefix ..."
};

// Detects the format of a file whose first bytes are `head`. `options.format` and
// `options.log_line_prefix` override detection. Returns nullopt with `why` set when no format
// fits.
std::optional<DetectedFormat> detect_log_format(std::string_view head, std::string_view file_name,
                                                const LogReadOptions& options, std::string& why);

} // namespace parsers::logs
