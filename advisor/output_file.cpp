#include "advisor/output_file.hpp"

#include "advisor/errors.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace advisor {

void write_file_atomically(const std::string& path, const std::string& content, bool overwrite) {
    if (!overwrite && std::filesystem::exists(path)) {
        throw InputError(path, 0, "exists already; not overwritten (use --force to replace it)");
    }
    std::string temp = path + ".tmp-XXXXXX";
    const int fd = mkstemp(temp.data());
    if (fd < 0) {
        throw InputError(path, 0,
                         std::string("cannot create a file beside it: ") + std::strerror(errno));
    }
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            const std::string reason = std::strerror(errno);
            ::close(fd);
            std::remove(temp.c_str());
            throw InputError(path, 0, "cannot write: " + reason);
        }
        written += static_cast<std::size_t>(n);
    }
    fchmod(fd, 0644);
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        std::remove(temp.c_str());
        throw InputError(path, 0, std::string("cannot write: ") + std::strerror(errno));
    }
    if (overwrite) {
        if (std::rename(temp.c_str(), path.c_str()) != 0) {
            const std::string reason = std::strerror(errno);
            std::remove(temp.c_str());
            throw InputError(path, 0, "cannot write: " + reason);
        }
        return;
    }
    // link() fails if the name exists, so a file that appeared meanwhile is not clobbered.
    if (::link(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        std::remove(temp.c_str());
        throw InputError(path, 0,
                         error == EEXIST
                             ? "exists already; not overwritten (use --force to replace it)"
                             : std::string("cannot write: ") + std::strerror(error));
    }
    std::remove(temp.c_str());
}

} // namespace advisor
