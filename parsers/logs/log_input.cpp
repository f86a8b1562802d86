#include "parsers/logs/log_input.hpp"

#include "parsers/input_error.hpp"
#include "parsers/input_file.hpp"

#include <algorithm>
#include <bzlib.h>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <zlib.h>

namespace parsers::logs {

namespace {

constexpr std::size_t block_size = 1 << 20;

class StreamByteSource : public ByteSource {
public:
    StreamByteSource(std::string name, std::unique_ptr<InputFile> input, std::string first_bytes)
        : input_(std::move(input)), pending_(std::move(first_bytes)) {
        name_ = std::move(name);
        pipe_ = input_->is_pipe();
    }
    std::size_t read(char* buffer, std::size_t size) override {
        std::size_t got = std::min(size, pending_.size() - pending_used_);
        std::memcpy(buffer, pending_.data() + pending_used_, got);
        pending_used_ += got;
        if (got < size) {
            input_->read(buffer + got, static_cast<std::streamsize>(size - got));
            got += static_cast<std::size_t>(input_->gcount());
        }
        if (got == 0 && input_->read_error() != 0) {
            damage_ = std::string("read error: ") + std::strerror(input_->read_error());
        }
        consumed_ += got;
        return got;
    }
    std::uint64_t consumed() const override { return consumed_; }
    std::uint64_t size_on_disk() const override { return input_->size(); }

private:
    std::unique_ptr<InputFile> input_;
    std::string pending_; // a pipe's first bytes, read to look for compression magic
    std::size_t pending_used_ = 0;
    std::uint64_t consumed_ = 0;
};

class GzipByteSource : public ByteSource {
public:
    GzipByteSource(std::string name, gzFile file, std::uint64_t size) : file_(file), size_(size) {
        name_ = std::move(name);
        compressed_ = true;
        compression_ = "gzip";
        gzbuffer(file_, 1 << 18);
    }
    ~GzipByteSource() override { gzclose(file_); }
    GzipByteSource(const GzipByteSource&) = delete;
    GzipByteSource& operator=(const GzipByteSource&) = delete;

    std::size_t read(char* buffer, std::size_t size) override {
        if (done_) {
            return 0;
        }
        const int got = gzread(file_, buffer, static_cast<unsigned>(size));
        int code = Z_OK;
        const char* message = got <= 0 ? gzerror(file_, &code) : "";
        // A stream cut short reads to its end, then gzerror says Z_BUF_ERROR (zlib.h, gzread).
        if (got < 0 || (got == 0 && code == Z_BUF_ERROR)) {
            // zlib reports a stream cut short as Z_BUF_ERROR "unexpected end of file".
            damage_ = code == Z_BUF_ERROR ? "gzip data ends early (file cut short?)"
                                          : std::string("gzip data is damaged: ") + message;
            done_ = true;
            return 0;
        }
        if (got == 0) {
            done_ = true;
        }
        return static_cast<std::size_t>(got);
    }
    std::uint64_t consumed() const override {
        const z_off_t offset = gzoffset(file_);
        return offset < 0 ? 0 : static_cast<std::uint64_t>(offset);
    }
    std::uint64_t size_on_disk() const override { return size_; }

private:
    gzFile file_;
    std::uint64_t size_;
    bool done_ = false;
};

// bzip2 input (pgbadger's fixtures, logrotate's bzip2 option). A file may hold several streams
// one after another (pbzip2, `cat a.bz2 b.bz2`): each is read in turn (bzlib.h,
// BZ2_bzReadGetUnused).
class Bzip2ByteSource : public ByteSource {
public:
    Bzip2ByteSource(std::string name, FILE* file, std::uint64_t size) : file_(file), size_(size) {
        name_ = std::move(name);
        compressed_ = true;
        compression_ = "bzip2";
        open_stream(nullptr, 0);
    }
    ~Bzip2ByteSource() override {
        close_stream();
        std::fclose(file_);
    }
    Bzip2ByteSource(const Bzip2ByteSource&) = delete;
    Bzip2ByteSource& operator=(const Bzip2ByteSource&) = delete;

    std::size_t read(char* buffer, std::size_t size) override {
        while (!done_) {
            int error = BZ_OK;
            const int got = BZ2_bzRead(&error, stream_, buffer,
                                       static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
            if (error == BZ_OK) {
                return static_cast<std::size_t>(got);
            }
            if (error == BZ_STREAM_END) {
                next_stream();
                if (got > 0) {
                    return static_cast<std::size_t>(got);
                }
                continue;
            }
            damage_ = error == BZ_UNEXPECTED_EOF
                          ? "bzip2 data ends early (file cut short?)"
                          : "bzip2 data is damaged (bzlib error " + std::to_string(error) + ")";
            done_ = true;
            return got > 0 ? static_cast<std::size_t>(got) : 0;
        }
        return 0;
    }
    std::uint64_t consumed() const override {
        const long offset = std::ftell(file_);
        return offset < 0 ? 0 : static_cast<std::uint64_t>(offset);
    }
    std::uint64_t size_on_disk() const override { return size_; }

private:
    void open_stream(void* unused, int unused_size) {
        int error = BZ_OK;
        stream_ = BZ2_bzReadOpen(&error, file_, 0, 0, unused, unused_size);
        if (error != BZ_OK) {
            close_stream();
            damage_ = "bzip2 data is damaged (cannot open a stream)";
            done_ = true;
        }
    }
    void next_stream() {
        void* unused = nullptr;
        int unused_size = 0;
        int error = BZ_OK;
        BZ2_bzReadGetUnused(&error, stream_, &unused, &unused_size);
        const std::string rest(static_cast<const char*>(unused),
                               static_cast<std::size_t>(unused_size));
        close_stream();
        if (rest.empty() && std::feof(file_)) {
            done_ = true;
            return;
        }
        if (rest.empty()) {
            const int c = std::fgetc(file_);
            if (c == EOF) {
                done_ = true;
                return;
            }
            std::ungetc(c, file_);
        }
        pending_ = rest;
        open_stream(pending_.empty() ? nullptr : pending_.data(),
                    static_cast<int>(pending_.size()));
    }
    void close_stream() {
        if (stream_ != nullptr) {
            int error = BZ_OK;
            BZ2_bzReadClose(&error, stream_);
            stream_ = nullptr;
        }
    }
    FILE* file_;
    BZFILE* stream_ = nullptr;
    std::uint64_t size_;
    std::string pending_; // the next stream's first bytes, read past the previous stream's end
    bool done_ = false;
};

class MemoryByteSource : public ByteSource {
public:
    MemoryByteSource(std::string name, std::string content) : content_(std::move(content)) {
        name_ = std::move(name);
    }
    std::size_t read(char* buffer, std::size_t size) override {
        const std::size_t got = std::min(size, content_.size() - position_);
        std::memcpy(buffer, content_.data() + position_, got);
        position_ += got;
        return got;
    }
    std::uint64_t consumed() const override { return position_; }
    std::uint64_t size_on_disk() const override { return content_.size(); }

private:
    std::string content_;
    std::size_t position_ = 0;
};

// A source with bytes already read from it put back in front.
class PutBackByteSource : public ByteSource {
public:
    PutBackByteSource(std::string head, std::unique_ptr<ByteSource> source)
        : head_(std::move(head)), source_(std::move(source)) {
        name_ = source_->name();
        compressed_ = source_->compressed();
        compression_ = source_->compression();
        pipe_ = source_->pipe();
        damage_ = source_->damage();
    }
    std::size_t read(char* buffer, std::size_t size) override {
        if (used_ < head_.size()) {
            const std::size_t got = std::min(size, head_.size() - used_);
            std::memcpy(buffer, head_.data() + used_, got);
            used_ += got;
            return got;
        }
        const std::size_t got = source_->read(buffer, size);
        damage_ = source_->damage();
        return got;
    }
    std::uint64_t consumed() const override { return source_->consumed(); }
    std::uint64_t size_on_disk() const override { return source_->size_on_disk(); }

private:
    std::string head_;
    std::size_t used_ = 0;
    std::unique_ptr<ByteSource> source_;
};

} // namespace

std::unique_ptr<ByteSource> open_byte_source(const std::string& path) {
    auto input = open_input(path);
    // The magic bytes that tell gzip and bzip2 apart (a .gz name is not needed).
    std::string magic(6, '\0');
    input->read(magic.data(), static_cast<std::streamsize>(magic.size()));
    magic.resize(static_cast<std::size_t>(input->gcount()));
    const bool gzip = magic.starts_with("\x1f\x8b");
    const bool bzip2 = magic.starts_with("BZh");
    if ((gzip || bzip2) && input->is_pipe()) {
        throw InputError(path, 0,
                         std::string("is a pipe carrying ") + (gzip ? "gzip" : "bzip2") +
                             "-compressed data; give the file itself, or decompress "
                             "into the pipe (zcat, bzcat)");
    }
    if (gzip) {
        const std::uint64_t size = input->size();
        input.reset();
        gzFile file = gzopen(path.c_str(), "rb");
        if (file == nullptr) {
            throw InputError(path, 0, "cannot open gzip file");
        }
        return std::make_unique<GzipByteSource>(path, file, size);
    }
    if (bzip2) {
        const std::uint64_t size = input->size();
        input.reset();
        FILE* file = std::fopen(path.c_str(), "rb");
        if (file == nullptr) {
            throw InputError(path, 0, "cannot open bzip2 file");
        }
        return std::make_unique<Bzip2ByteSource>(path, file, size);
    }
    if (magic.starts_with("\xfd"
                          "7zXZ") ||
        magic.starts_with("\x28\xb5\x2f\xfd")) {
        throw InputError(path, 0,
                         "xz/zstd-compressed input is not supported; decompress it first "
                         "or recompress it with gzip");
    }
    // A regular file goes back to its start; a pipe cannot, so its first bytes are kept.
    if (!input->is_pipe()) {
        input->clear();
        input->seekg(0);
        magic.clear();
    }
    return std::make_unique<StreamByteSource>(path, std::move(input), std::move(magic));
}

std::unique_ptr<ByteSource> memory_byte_source(std::string name, std::string content) {
    return std::make_unique<MemoryByteSource>(std::move(name), std::move(content));
}

std::unique_ptr<ByteSource> put_back(std::string head, std::unique_ptr<ByteSource> source) {
    if (head.empty()) {
        return source;
    }
    return std::make_unique<PutBackByteSource>(std::move(head), std::move(source));
}

std::string read_up_to(ByteSource& source, std::size_t count) {
    std::string head(count, '\0');
    std::size_t filled = 0;
    while (filled < count) {
        const std::size_t got = source.read(head.data() + filled, count - filled);
        if (got == 0) {
            break;
        }
        filled += got;
    }
    head.resize(filled);
    return head;
}

LineReader::LineReader(ByteSource& source, std::size_t max_line_bytes)
    : source_(source), max_line_bytes_(std::max<std::size_t>(max_line_bytes, 64)),
      buffer_(std::max(block_size, max_line_bytes_ + block_size / 4)) {}

bool LineReader::fill() {
    if (eof_) {
        return false;
    }
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (end_ == buffer_.size()) {
        return false; // the caller drops the content (a line over the limit)
    }
    const std::size_t got = source_.read(buffer_.data() + end_, buffer_.size() - end_);
    if (got == 0) {
        eof_ = true;
        return false;
    }
    end_ += got;
    return true;
}

bool LineReader::stop_at_binary_data() {
    binary_stop_line_ = line_number_ + 1;
    source_.set_damage("binary data (NUL bytes) in a line longer than the limit: the rest of the "
                       "file was not read");
    eof_ = true;
    begin_ = end_ = 0;
    too_long_ = false;
    return false;
}

bool LineReader::next(std::string_view& line) {
    too_long_ = false;
    unterminated_ = false;
    skipped_bytes_ = 0;
    std::size_t scanned = begin_;
    for (;;) {
        const char* newline =
            static_cast<const char*>(std::memchr(buffer_.data() + scanned, '\n', end_ - scanned));
        if (newline != nullptr) {
            const std::size_t length = static_cast<std::size_t>(newline - buffer_.data()) - begin_;
            if ((too_long_ || length > max_line_bytes_) &&
                std::memchr(buffer_.data() + begin_, '\0', length) != nullptr) {
                return stop_at_binary_data();
            }
            ++line_number_;
            if (too_long_) {
                skipped_bytes_ += length + 1;
                line = std::string_view();
            } else if (length > max_line_bytes_) {
                too_long_ = true;
                skipped_bytes_ = length + 1;
                line = std::string_view();
            } else {
                line = std::string_view(buffer_.data() + begin_, length);
                if (!line.empty() && line.back() == '\r') {
                    line.remove_suffix(1);
                }
                if (line_number_ == 1 && line.starts_with("\xEF\xBB\xBF")) {
                    line.remove_prefix(3); // a UTF-8 byte order mark
                }
            }
            begin_ += length + 1;
            return true;
        }
        if (end_ - begin_ > max_line_bytes_) {
            if (std::memchr(buffer_.data() + begin_, '\0', end_ - begin_) != nullptr) {
                return stop_at_binary_data();
            }
            // Over the limit and still no line end: drop what we hold and keep scanning.
            too_long_ = true;
            skipped_bytes_ += end_ - begin_;
            begin_ = end_ = 0;
        }
        const std::size_t kept = end_ - begin_;
        if (!fill()) {
            if (end_ == begin_ && !too_long_) {
                return false;
            }
            // The last line has no line end.
            ++line_number_;
            unterminated_ = true;
            if (too_long_) {
                skipped_bytes_ += end_ - begin_;
                line = std::string_view();
            } else {
                line = std::string_view(buffer_.data() + begin_, end_ - begin_);
                if (!line.empty() && line.back() == '\r') {
                    line.remove_suffix(1);
                }
            }
            begin_ = end_;
            return true;
        }
        scanned = begin_ + kept;
    }
}

bool valid_utf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    std::size_t i = 0;
    while (i < size) {
        // Fast path: eight ASCII bytes at a time.
        if (i + 8 <= size) {
            std::uint64_t chunk;
            std::memcpy(&chunk, bytes + i, 8);
            if ((chunk & 0x8080808080808080ULL) == 0) {
                i += 8;
                continue;
            }
        }
        const unsigned char c = bytes[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t min_value = 0;
        std::uint32_t value = 0;
        if ((c & 0xE0) == 0xC0) {
            length = 2;
            min_value = 0x80;
            value = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            min_value = 0x800;
            value = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4;
            min_value = 0x10000;
            value = c & 0x07;
        } else {
            return false;
        }
        if (i + length > size) {
            return false;
        }
        for (std::size_t k = 1; k < length; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80) {
                return false;
            }
            value = (value << 6) | (bytes[i + k] & 0x3F);
        }
        if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
            return false;
        }
        i += length;
    }
    return true;
}

std::string repair_utf8(std::string_view text) {
    std::string repaired;
    repaired.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        // Find the longest valid prefix of one code point.
        std::size_t length = 1;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0xF0) {
            length = 4;
        } else if (c >= 0xE0) {
            length = 3;
        } else if (c >= 0xC0) {
            length = 2;
        }
        if (i + length <= text.size() && valid_utf8(text.substr(i, length))) {
            repaired.append(text.substr(i, length));
            i += length;
        } else {
            repaired.append("\xEF\xBF\xBD");
            ++i;
        }
    }
    return repaired;
}

} // namespace parsers::logs
