// What the commands that read query logs (workload, advise --log) share: the reader options
// from the command line, and saying on stderr how each log was read.
#pragma once

#include "advisor/workload.hpp"

#include <CLI/CLI.hpp>
#include <cstddef>
#include <string>

namespace advisor::cli {

// --log-format and --log-line-prefix as reader options. Throws UsageError for an unknown format.
parsers::logs::LogReadOptions log_read_options(const std::string& log_format,
                                               const std::string& log_line_prefix);

// --burst-gap and --n-plus-one-min: how sessions are cut into units and how many executions of
// one shape in a unit are a repeated run (the N+1 rule reads the same threshold).
void add_session_options(CLI::App& command, WorkloadOptions& options);

// Says on stderr how each log was read and its first `limit` problems; true when a file could
// not be read to its end (the run then exits with status 2 after its output).
bool report_workload_sources(const Workload& workload, std::size_t limit = 20);

} // namespace advisor::cli
