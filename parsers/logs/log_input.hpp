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
    // The input is a pipe (FIFO or process substitution): it can be read once only.
    bool pipe() const { return pipe_; }
    // For readers that stop early on data that is not a log (see LineReader).
    void set_damage(std::string message) { damage_ = std::move(message); }

protected:
    std::string name_;
    std::optional<std::string> damage_;
    bool compressed_ = false;
    std::string compression_;
    bool pipe_ = false;
};

// Opens a file for reading; gzip and bzip2 are decompressed transparently. Throws
// InputError for a missing file, a directory, an unreadable file, or a compression we
// cannot read (xz, zstd: the message says how to decompress it). A pipe is read as it comes,
// once; compressed data from a pipe is refused (the decompressors reopen the file by name).
std::unique_ptr<ByteSource> open_byte_source(const std::string& path);
// `source` with `head`, bytes already read from it, put back in front: format detection reads
// the head once, so a pipe needs no second pass.
std::unique_ptr<ByteSource> put_back(std::string head, std::unique_ptr<ByteSource> source);
// Reads up to `count` bytes from `source` (fewer only at its end).
std::string read_up_to(ByteSource& source, std::size_t count);
// In-memory input (tests, and the text payloads of JSON log envelopes).
std::unique_ptr<ByteSource> memory_byte_source(std::string name, std::string content);

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
    // A line over the limit that holds NUL bytes is binary data (or a sparse file's hole), not
    // a log line: next() then stops as if the input ended and marks the source damaged, so
    // such a file is not read to its end. The line where that data starts, 0 when none.
    int binary_stop_line() const { return binary_stop_line_; }
    ByteSource& source() { return source_; }

private:
    bool fill();
    bool stop_at_binary_data();

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
    int binary_stop_line_ = 0;
};

// True when `text` is valid UTF-8.
bool valid_utf8(std::string_view text);
// Copies `text` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

} // namespace parsers::logs
