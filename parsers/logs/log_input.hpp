// Reading a log file as bytes (plain or gzip, told apart by the magic bytes, not the name) and
// as physical lines. Lines are views into one reused buffer, so a long log costs no allocation
// per line; a line longer than the limit is skipped without being held in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parsers::logs {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to `size` bytes; 0 at the end (or when the data is damaged: see damage()).
    virtual std::size_t read(char* buffer, std::size_t size) = 0;
    // Bytes of the file consumed so far and its size on disk (compressed sizes for gzip), for
    // progress reports.
    virtual std::uint64_t consumed() const = 0;
    virtual std::uint64_t size_on_disk() const = 0;
    // Set when the data ended in a way it must not (a gzip stream cut short, an I/O error).
    const std::optional<std::string>& damage() const { return damage_; }
    const std::string& name() const { return name_; }
    bool compressed() const { return compressed_; }
    // "gzip" or "bzip2" for compressed input, else "".
    const std::string& compression() const { return compression_; }

protected:
    std::string name_;
    std::optional<std::string> damage_;
    bool compressed_ = false;
    std::string compression_;
};

// Opens a file for reading; gzip and bzip2 are decompressed transparently. Throws
// advisor::InputError for a missing file, a directory, an unreadable file, or a compression we
// cannot read (bzip2, xz, zstd: the message says how to decompress it).
std::unique_ptr<ByteSource> open_byte_source(const std::string& path);
// In-memory input (tests, and the text payloads of JSON log envelopes).
std::unique_ptr<ByteSource> memory_byte_source(std::string name, std::string content);

// The first `count` bytes of the (decompressed) content, for format detection.
std::string read_head(const std::string& path, std::size_t count);

class LineReader {
public:
    LineReader(ByteSource& source, std::size_t max_line_bytes);

    // The next physical line without its `\n` or `\r\n`; false at the end of input. A line over
    // the limit comes back empty with too_long() set; its bytes are skipped, not stored.
    bool next(std::string_view& line);

    int line_number() const { return line_number_; } // of the line last returned, 1-based
    bool too_long() const { return too_long_; }
    std::size_t skipped_bytes() const { return skipped_bytes_; }
    // The last line returned had no line end: the file ends mid-line (often a log cut short).
    bool unterminated() const { return unterminated_; }
    ByteSource& source() { return source_; }

private:
    bool fill();

    ByteSource& source_;
    std::size_t max_line_bytes_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0; // first unread byte
    std::size_t end_ = 0;   // one past the last byte in the buffer
    bool eof_ = false;
    int line_number_ = 0;
    bool too_long_ = false;
    bool unterminated_ = false;
    std::size_t skipped_bytes_ = 0;
};

// True when `text` is valid UTF-8.
bool valid_utf8(std::string_view text);
// Copies `text` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

} // namespace parsers::logs
