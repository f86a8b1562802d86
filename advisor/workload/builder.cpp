// WorkloadBuilder's public members, which hand each call to its State (the other files of
// advisor/workload/), and read_workload, which reads every log file through its reader into one
// builder.
#include "advisor/workload.hpp"
#include "advisor/workload/builder_state.hpp"
#include "parsers/input_file.hpp"
#include "parsers/logs/log_reader.hpp"

#include <memory>

namespace advisor {

WorkloadBuilder::WorkloadBuilder(WorkloadOptions options) : state_(std::make_unique<State>()) {
    state_->options = options;
}

WorkloadBuilder::~WorkloadBuilder() = default;

void WorkloadBuilder::add(const Statement& statement) {
    if (state_->current_file != statement.file) {
        state_->current_file = std::string(statement.file);
    }
    state_->add(statement);
}

void WorkloadBuilder::end_file() {
    state_->end_file();
}

void WorkloadBuilder::add_source(WorkloadSource source) {
    state_->workload.sources.push_back(std::move(source));
}

void WorkloadBuilder::add_error(WorkloadError error) {
    ++state_->workload.errors_total;
    if (state_->workload.errors.size() < state_->options.max_errors) {
        state_->workload.errors.push_back(std::move(error));
    }
}

void WorkloadBuilder::set_shows_sessions(bool shows) {
    state_->shows_sessions = shows;
}

Workload WorkloadBuilder::finish() {
    state_->end_file();
    state_->fold_pairs_and_followers();
    return std::move(state_->workload);
}

std::uint64_t WorkloadBuilder::pg_query_calls() const {
    return state_->pg_query_calls;
}

namespace {

// One input into the builder, as one file: its statements, its problems, what it was.
void read_into(WorkloadBuilder& builder, parsers::logs::LogReader& reader,
               const ReadProgress& progress) {
    Statement statement;
    builder.set_shows_sessions(reader.shows_sessions());
    std::uint64_t count = 0;
    while (reader.next(statement)) {
        builder.add(statement);
        if (progress && (++count & 0xFFFF) == 0) {
            progress(reader.file(), reader.source().consumed(), reader.source().size_on_disk());
        }
    }
    for (const auto& problem : reader.problems()) {
        builder.add_error({problem.file, problem.line, problem.message});
    }
    builder.end_file();
    WorkloadSource source;
    source.file = reader.file();
    source.description = reader.description();
    source.counts = reader.counts();
    source.problems = reader.problems_total();
    source.damage = reader.source().damage();
    source.shows_sessions = reader.shows_sessions();
    builder.add_source(std::move(source));
}

} // namespace

Workload read_workload(const std::vector<std::string>& paths, const WorkloadReadOptions& options,
                       const ReadProgress& progress) {
    return read_workload(paths, {}, options, progress);
}

Workload read_workload(const std::vector<std::string>& paths,
                       std::vector<std::unique_ptr<parsers::logs::LogReader>> readers,
                       const WorkloadReadOptions& options, const ReadProgress& progress) {
    WorkloadBuilder builder(options.workload);
    // A missing or unreadable file stops the run before any work (readers open one at a time,
    // so many inputs do not hold many buffers).
    for (const auto& path : paths) {
        parsers::check_input(path);
    }
    for (const auto& path : paths) {
        read_into(builder, *parsers::logs::open_log_reader(path, options.log), progress);
    }
    for (auto& reader : readers) {
        read_into(builder, *reader, progress);
    }
    return builder.finish();
}

} // namespace advisor
