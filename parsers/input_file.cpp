#include "parsers/input_file.hpp"

#include "advisor/errors.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace parsers {

std::ifstream open_input(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) {
        throw advisor::InputError(path, 0, "no such file");
    }
    if (std::filesystem::is_directory(status)) {
        throw advisor::InputError(path, 0, "is a directory, expected a file");
    }
    std::ifstream stream(path, std::ios::binary);
    if (!stream) {
        throw advisor::InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
    }
    return stream;
}

std::string sniff(const std::string& path, std::size_t count) {
    std::ifstream stream = open_input(path);
    std::string head(count, '\0');
    stream.read(head.data(), static_cast<std::streamsize>(count));
    head.resize(static_cast<std::size_t>(stream.gcount()));
    return head;
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

} // namespace parsers
