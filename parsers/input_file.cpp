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

} // namespace parsers
