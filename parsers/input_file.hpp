// Opening input files with the checks every reader needs: exists, is a regular file (or FIFO),
// readable; and a sniff of the first bytes (binary data, gzip magic) for clear errors.
#pragma once

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace parsers {

// Opens `path` for binary reading or throws advisor::InputError naming the file and the reason.
std::ifstream open_input(const std::string& path);

// The first up to `count` bytes of the file, without consuming a stream (for format detection).
std::string sniff(const std::string& path, std::size_t count);

// The fields of one CSV line (RFC 4180: comma-separated, double-quoted when a field holds a comma
// or a quote, "" for a quote inside quotes; a quote opens only at the start of a field).
std::vector<std::string> split_csv_line(std::string_view line);

// True when the bytes look like binary data rather than text (NUL bytes, or mostly control bytes).
bool looks_binary(const std::string& head);

} // namespace parsers
