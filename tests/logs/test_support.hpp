// Helpers for the log reader tests: write a log to a temporary file and read it back.
#pragma once

#include "advisor/workload.hpp"
#include "parsers/logs/log_reader.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace logs_test {

// A file under the temp directory that is removed when the test ends.
class TempLog {
public:
    TempLog(const std::string& name, const std::string& content) {
        static int counter = 0;
        path_ = (std::filesystem::temp_directory_path() /
                 ("schema-advisor-logs-" + std::to_string(::getpid()) + "-" +
                  std::to_string(++counter) + "-" + name))
                    .string();
        std::ofstream out(path_, std::ios::binary);
        out << content;
    }
    ~TempLog() { std::filesystem::remove(path_); }
    TempLog(const TempLog&) = delete;
    TempLog& operator=(const TempLog&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

struct ReadResult {
    std::vector<parsers::logs::Statement> statements;
    parsers::logs::ReadCounts counts;
    std::vector<parsers::logs::LogProblem> problems;
    std::string description;
};

inline ReadResult read_all(const std::string& path, parsers::logs::LogReadOptions options = {}) {
    ReadResult result;
    auto reader = parsers::logs::open_log_reader(path, options);
    parsers::logs::Statement statement;
    while (reader->next(statement)) {
        parsers::logs::Statement copy = statement;
        result.statements.push_back(std::move(copy));
    }
    result.counts = reader->counts();
    result.problems = reader->problems();
    result.description = reader->description();
    return result;
}

inline ReadResult read_text(const std::string& name, const std::string& content,
                            parsers::logs::LogReadOptions options = {}) {
    TempLog log(name, content);
    return read_all(log.path(), options);
}

inline advisor::Workload workload_of(const std::string& name, const std::string& content,
                                     advisor::WorkloadReadOptions options = {}) {
    TempLog log(name, content);
    return advisor::read_workload({log.path()}, options);
}

// Every physical line is a statement line, a known non-statement line, blank or skipped.
inline std::uint64_t accounted_lines(const parsers::logs::ReadCounts& counts) {
    return counts.statement_lines + counts.entry_lines_total() + counts.blank_lines +
           counts.skipped_lines;
}

} // namespace logs_test
