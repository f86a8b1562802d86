// `schema-advisor workload LOG... [--format text|json] [--log-format ...] [--top N]`: reads query
// logs into query shapes and prints them, busiest first. `workload --dsn URL --log-from-pgss`:
// the shapes of a live database's pg_stat_statements.
#include "advisor/cli/commands.hpp"
#include "advisor/cli/live_options.hpp"
#include "advisor/cli/log_options.hpp"
#include "advisor/errors.hpp"
#include "advisor/render/workload_render.hpp"
#include "advisor/workload.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace advisor::cli {

namespace {

struct WorkloadCommandOptions {
    std::vector<std::string> files;
    LiveOptions live; // --dsn --log-from-pgss
    std::string format = "text";
    std::string log_format = "auto";
    std::string log_line_prefix;
    std::size_t top = 20;
    bool top_given = false;
    std::size_t max_line_bytes = 1 << 20;
    WorkloadOptions workload;
};

// A progress line on stderr for big inputs, only when a person is watching.
class ProgressLine {
public:
    explicit ProgressLine(const std::vector<std::string>& files) {
        std::uint64_t total = 0;
        for (const auto& file : files) {
            std::error_code ec;
            const auto size = std::filesystem::file_size(file, ec);
            total += ec ? 0 : size;
        }
        enabled_ = total > (50ULL << 20) && ::isatty(STDERR_FILENO) == 1;
        start_ = std::chrono::steady_clock::now();
    }
    ~ProgressLine() {
        if (shown_) {
            std::fprintf(stderr, "\r\033[K");
        }
    }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    ReadProgress callback() {
        if (!enabled_) {
            return {};
        }
        return [this](const std::string& file, std::uint64_t consumed, std::uint64_t size) {
            const auto now = std::chrono::steady_clock::now();
            if (now - last_ < std::chrono::milliseconds(500)) {
                return;
            }
            last_ = now;
            shown_ = true;
            const double seconds = std::chrono::duration<double>(now - start_).count();
            std::fprintf(stderr, "\r\033[Kreading %s: %3.0f%% (%.0f of %.0f MB, %.0f MB/s)",
                         file.c_str(), size > 0 ? 100.0 * double(consumed) / double(size) : 0.0,
                         double(consumed) / 1e6, double(size) / 1e6,
                         seconds > 0 ? double(consumed) / 1e6 / seconds : 0.0);
        };
    }

private:
    bool enabled_ = false;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_;
};

int run_workload(const WorkloadCommandOptions& options) {
    WorkloadReadOptions read_options;
    read_options.log = log_read_options(options.log_format, options.log_line_prefix);
    read_options.log.max_line_bytes = options.max_line_bytes;
    read_options.workload = options.workload;
    Workload workload;
    if (options.live.log_from_pgss != options.live.dsn_given()) {
        throw UsageError("--log-from-pgss and --dsn URL go together");
    }
    if (options.files.empty() && !options.live.log_from_pgss) {
        throw UsageError("workload needs log files or --dsn URL --log-from-pgss");
    }
    std::vector<std::unique_ptr<parsers::logs::LogReader>> live_logs;
    if (options.live.log_from_pgss) {
        live_logs.push_back(open_pgss_log(*open_live_session(options.live), read_options.log));
    }
    {
        ProgressLine progress(options.files);
        workload =
            read_workload(options.files, std::move(live_logs), read_options, progress.callback());
    }
    const bool damaged = report_workload_sources(workload);
    if (options.format == "json") {
        const std::size_t top = options.top_given ? options.top : 0;
        std::cout << workload_to_json(workload, top)
                         .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
    } else {
        std::cout << workload_to_text(workload, options.top);
    }
    // Like grep: the output stands, but a file that could not be read to its end is an error.
    return damaged ? exit_usage : exit_ok;
}

} // namespace

parsers::logs::LogReadOptions log_read_options(const std::string& log_format,
                                               const std::string& log_line_prefix) {
    parsers::logs::LogReadOptions options;
    const auto format = parsers::logs::parse_log_format(log_format);
    if (!format) {
        throw UsageError("unknown --log-format '" + log_format + "'");
    }
    options.format = *format;
    options.log_line_prefix = log_line_prefix;
    return options;
}

void add_session_options(CLI::App& command, WorkloadOptions& options) {
    command
        .add_option("--burst-gap", options.burst_gap_ms,
                    "Milliseconds: outside BEGIN ... COMMIT, a longer pause between two statements "
                    "of a session ends the unit within which repeated queries (N+1) are counted")
        ->check(CLI::Range(0.0, 3600000.0))
        ->capture_default_str();
    command
        .add_option("--n-plus-one-min", options.repeat_threshold,
                    "Executions of one query shape with different parameters within one "
                    "transaction or burst that make an N+1 run")
        ->check(CLI::Range(2, 1000000))
        ->capture_default_str();
}

bool report_workload_sources(const Workload& workload, std::size_t limit) {
    bool damaged = false;
    for (const auto& source : workload.sources) {
        std::cerr << "schema-advisor: " << source.file << ": read as " << source.description
                  << "\n";
        if (source.damage) {
            damaged = true;
        }
    }
    std::size_t shown = 0;
    for (const auto& error : workload.errors) {
        if (shown++ == limit) {
            break;
        }
        std::cerr << error.file << ":" << error.line << ": warning: " << error.message << "\n";
    }
    if (workload.errors_total > limit) {
        std::cerr << "schema-advisor: " << workload.errors_total - limit
                  << " more warnings not shown (see --format json)\n";
    }
    return damaged;
}

void add_workload_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<WorkloadCommandOptions>();
    CLI::App* command = app.add_subcommand(
        "workload", "Read query logs into query shapes (calls, time, examples), busiest first");
    command->add_option("files", options->files, "Log files (.gz is read as it is)");
    command->add_option("--format", options->format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command
        ->add_option("--log-format", options->log_format,
                     "Log format; auto decides from the content and says what it chose")
        ->check(CLI::IsMember({"auto", "stderr", "csv", "json", "pgss", "sqlalchemy", "sql"}))
        ->capture_default_str();
    command->add_option("--log-line-prefix", options->log_line_prefix,
                        "The server's log_line_prefix, for stderr logs it cannot infer");
    command
        ->add_option("--top", options->top,
                     "Shapes to list, by total time (0 = all; json lists all unless given)")
        ->each([options](const std::string&) { options->top_given = true; })
        ->capture_default_str();
    // --max-line-bytes is the option's first name, kept for scripts that use it; advise and
    // schema call the same limit --max-statement-bytes.
    command
        ->add_option("--max-statement-bytes,--max-line-bytes", options->max_line_bytes,
                     "Skip (with a warning) any statement, log line or entry longer than this")
        ->capture_default_str();
    add_session_options(*command, options->workload);
    add_dsn_options(*command, options->live);
    command->add_flag("--log-from-pgss", options->live.log_from_pgss,
                      "Read the --dsn database's pg_stat_statements (with or without log files)");
    command->callback(
        [options, &action] { action = [options] { return run_workload(*options); }; });
}

} // namespace advisor::cli
