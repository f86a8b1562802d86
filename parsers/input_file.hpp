// Opening input files with the checks every reader needs: exists, is a regular file (or FIFO),
// readable; and a sniff of the first bytes (binary data, gzip magic) for clear errors.
#pragma once

#include <fstream>
#include <string>

namespace parsers {

// Opens `path` for binary reading or throws advisor::InputError naming the file and the reason.
std::ifstream open_input(const std::string& path);

// The first up to `count` bytes of the file, without consuming a stream (for format detection).
std::string sniff(const std::string& path, std::size_t count);

// True when the bytes look like binary data rather than text (NUL bytes, or mostly control bytes).
bool looks_binary(const std::string& head);

} // namespace parsers
