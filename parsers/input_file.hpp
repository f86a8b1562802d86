// Opening input files with the checks every reader needs: exists, is a regular file or a pipe
// (a FIFO, or `<(command)` process substitution), readable; and a sniff of the first bytes
// (binary data, gzip magic) for clear errors.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace parsers {

// An open input: a std::istream over a file descriptor. A FIFO is opened without blocking, so
// a FIFO that no process writes to reads as empty instead of hanging the run (fifo(7): opening a
// FIFO for reading blocks until a writer opens it; with O_NONBLOCK it does not).
class InputFile : public std::istream {
public:
    // Throws InputError naming the file and the reason.
    explicit InputFile(const std::string& path);
    ~InputFile() override;
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    bool is_pipe() const { return pipe_; }
    // Size in bytes of a regular file; 0 for a pipe.
    std::uint64_t size() const { return size_; }
    // The error of a failed read(2) (errno), 0 when none; the stream then ends early.
    int read_error() const { return buffer_.error(); }

private:
    class FdBuffer : public std::streambuf {
    public:
        FdBuffer() : data_(1 << 16) {}
        void attach(int fd) { fd_ = fd; }
        int error() const { return error_; }

    protected:
        int_type underflow() override;
        pos_type seekoff(off_type offset, std::ios_base::seekdir direction,
                         std::ios_base::openmode which) override;
        pos_type seekpos(pos_type position, std::ios_base::openmode which) override;

    private:
        int fd_ = -1;
        int error_ = 0;
        std::vector<char> data_;
    };

    int fd_ = -1;
    bool pipe_ = false;
    std::uint64_t size_ = 0;
    FdBuffer buffer_;
};

// Opens `path` for binary reading or throws InputError naming the file and the reason.
std::unique_ptr<InputFile> open_input(const std::string& path);

// The same checks as open_input() without reading anything, to stop a run before any work when
// one of its inputs cannot be read. A pipe is only looked at, not opened: opening and closing
// its reading end could make its writer fail (SIGPIPE).
void check_input(const std::string& path);

// True when `path` names a pipe (FIFO).
bool is_pipe(const std::string& path);

// The first up to `count` bytes of the file, without consuming a stream (for format detection).
std::string sniff(const std::string& path, std::size_t count);

// The fields of one CSV line (RFC 4180: comma-separated, double-quoted when a field holds a comma
// or a quote, "" for a quote inside quotes; a quote opens only at the start of a field).
std::vector<std::string> split_csv_line(std::string_view line);

// True when the bytes look like binary data rather than text (NUL bytes, or mostly control bytes).
bool looks_binary(const std::string& head);

// The 1-based line of the first NUL byte in `text`, 0 when it holds none.
int line_of_first_nul(std::string_view text);

} // namespace parsers
