#include "advisor/live_workload.hpp"

#include "parsers/input_file.hpp"

namespace advisor {

namespace {

void read_into(WorkloadBuilder& builder, parsers::logs::LogReader& reader) {
    builder.set_shows_sessions(reader.shows_sessions());
    parsers::logs::Statement statement;
    while (reader.next(statement)) {
        builder.add(statement);
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

Workload read_workload_from(const std::vector<std::string>& paths,
                            std::vector<std::unique_ptr<parsers::logs::LogReader>> readers,
                            const WorkloadReadOptions& options) {
    WorkloadBuilder builder(options.workload);
    for (const auto& path : paths) {
        parsers::check_input(path);
    }
    for (const auto& path : paths) {
        read_into(builder, *parsers::logs::open_log_reader(path, options.log));
    }
    for (auto& reader : readers) {
        read_into(builder, *reader);
    }
    return builder.finish();
}

} // namespace advisor
