// Errors that stop a run: unreadable input, bad usage. Expected per-line problems are values
// (CatalogWarning, workload errors), not exceptions.
#pragma once

#include <stdexcept>
#include <string>

namespace advisor {

// Input that cannot be read at all (missing, a directory, binary, empty). Exit status 2.
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

// Bad command-line usage. Exit status 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace advisor
