#include "parsers/input_file.hpp"

#include "parsers/input_error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace parsers {

namespace {

const char* file_kind(mode_t mode) {
    if (S_ISCHR(mode)) {
        return "a character device";
    }
    if (S_ISBLK(mode)) {
        return "a block device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a regular file";
}

// stat(2) with the checks every input gets; throws InputError with the reason.
struct stat checked_status(const std::string& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            throw InputError(path, 0, "no such file");
        }
        throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
    }
    if (S_ISDIR(status.st_mode)) {
        throw InputError(path, 0, "is a directory, expected a file");
    }
    if (!S_ISREG(status.st_mode) && !S_ISFIFO(status.st_mode)) {
        // A terminal or /dev/zero would block or never end; a socket cannot be opened.
        throw InputError(path, 0,
                         std::string("is ") + file_kind(status.st_mode) +
                             ", expected a regular file or a pipe");
    }
    return status;
}

} // namespace

InputFile::InputFile(const std::string& path) : std::istream(nullptr) {
    checked_status(path);
    // O_NONBLOCK only matters for a FIFO: the open returns at once even with no writer, and the
    // flag is cleared right after so that reads wait for a writer that is there (process
    // substitution) and see the end of input when there is none.
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd_ < 0) {
        throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
    }
    struct stat status {};
    const int flags = ::fcntl(fd_, F_GETFL);
    if (::fstat(fd_, &status) != 0 || flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        const int error = errno;
        ::close(fd_);
        throw InputError(path, 0, std::string("cannot open: ") + std::strerror(error));
    }
    if (!S_ISREG(status.st_mode) && !S_ISFIFO(status.st_mode)) {
        ::close(fd_); // replaced between the stat and the open
        throw InputError(path, 0, "is not a regular file or a pipe");
    }
    pipe_ = S_ISFIFO(status.st_mode);
    size_ = pipe_ ? 0 : static_cast<std::uint64_t>(status.st_size);
    buffer_.attach(fd_);
    rdbuf(&buffer_);
}

InputFile::~InputFile() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

InputFile::FdBuffer::int_type InputFile::FdBuffer::underflow() {
    if (gptr() < egptr()) {
        return traits_type::to_int_type(*gptr());
    }
    ssize_t got = 0;
    do {
        got = ::read(fd_, data_.data(), data_.size());
    } while (got < 0 && errno == EINTR);
    if (got <= 0) {
        if (got < 0) {
            error_ = errno;
        }
        setg(data_.data(), data_.data(), data_.data());
        return traits_type::eof();
    }
    setg(data_.data(), data_.data(), data_.data() + got);
    return traits_type::to_int_type(data_[0]);
}

InputFile::FdBuffer::pos_type InputFile::FdBuffer::seekoff(off_type offset,
                                                           std::ios_base::seekdir direction,
                                                           std::ios_base::openmode) {
    int whence = SEEK_SET;
    if (direction == std::ios_base::cur) {
        whence = SEEK_CUR;
        offset -= egptr() - gptr(); // the kernel's offset is past what the buffer still holds
    } else if (direction == std::ios_base::end) {
        whence = SEEK_END;
    }
    const off_t position = ::lseek(fd_, static_cast<off_t>(offset), whence);
    if (position < 0) {
        return pos_type(off_type(-1)); // a pipe cannot seek
    }
    setg(data_.data(), data_.data(), data_.data());
    return pos_type(off_type(position));
}

InputFile::FdBuffer::pos_type InputFile::FdBuffer::seekpos(pos_type position,
                                                           std::ios_base::openmode which) {
    return seekoff(off_type(position), std::ios_base::beg, which);
}

std::unique_ptr<InputFile> open_input(const std::string& path) {
    return std::make_unique<InputFile>(path);
}

void check_input(const std::string& path) {
    const struct stat status = checked_status(path);
    if (S_ISREG(status.st_mode)) {
        InputFile file(path); // permissions: only an open tells
    }
}

bool is_pipe(const std::string& path) {
    struct stat status {};
    return ::stat(path.c_str(), &status) == 0 && S_ISFIFO(status.st_mode);
}

std::string sniff(const std::string& path, std::size_t count) {
    InputFile stream(path);
    std::string head(count, '\0');
    stream.read(head.data(), static_cast<std::streamsize>(count));
    head.resize(static_cast<std::size_t>(stream.gcount()));
    return head;
}

std::vector<std::string> split_csv_line(std::string_view line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"' && fields.back().empty()) {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    return fields;
}

bool looks_binary(const std::string& head) {
    std::size_t control = 0;
    for (const char ch : head) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == 0) {
            return true;
        }
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v') {
            ++control;
        }
    }
    return !head.empty() && control * 10 > head.size();
}

int line_of_first_nul(std::string_view text) {
    const auto nul = text.find('\0');
    if (nul == std::string_view::npos) {
        return 0;
    }
    return 1 +
           static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(nul), '\n'));
}

} // namespace parsers
