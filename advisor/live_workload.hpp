// The workload of --log files and of --log-from-pgss rows together: each input is read by its
// reader into the one builder, file by file, as read_workload() reads files
// (advisor/workload.hpp).
#pragma once

#include "advisor/workload.hpp"
#include "parsers/logs/log_reader.hpp"

#include <memory>
#include <string>
#include <vector>

namespace advisor {

// `paths` are opened as read_workload() opens them (and checked before any is read); `readers`
// (already open, e.g. pg_stat_statements rows read live) are read after them.
Workload read_workload_from(const std::vector<std::string>& paths,
                            std::vector<std::unique_ptr<parsers::logs::LogReader>> readers,
                            const WorkloadReadOptions& options);

} // namespace advisor
