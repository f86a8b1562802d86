// Errors that stop a read: input that cannot be read at all, or a reader option that makes no
// sense. Expected per-line problems are values (CatalogWarning, log reader errors), not
// exceptions. The CLI (advisor/main.cpp) turns both into exit status 2.
#pragma once

#include <stdexcept>
#include <string>

namespace parsers {

// Input that cannot be read at all (missing, a directory, binary, empty), named by file and line.
class InputError : public std::runtime_error {
public:
    InputError(const std::string& file, int line, const std::string& message)
        : std::runtime_error(format(file, line, message)), file_(file), line_(line) {}
    const std::string& file() const { return file_; }
    int line() const { return line_; }

private:
    static std::string format(const std::string& file, int line, const std::string& message) {
        return line > 0 ? file + ":" + std::to_string(line) + ": " + message
                        : file + ": " + message;
    }
    std::string file_;
    int line_;
};

// A reader option the user gave that cannot be used (a --log-line-prefix that does not compile).
class ReaderOptionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace parsers
