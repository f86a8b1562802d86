// The workload: what query logs say the application runs (design.md, "Workload"). Statements
// from the log readers are grouped into query shapes by libpg_query's fingerprint, with calls,
// time, examples, and the per-session repetition the N+1 rule reads.
//
// Cost per statement: each distinct shape is fingerprinted, normalized and parsed once. A
// repeated statement costs a hash look-up: the cache key is the statement text with its
// literals, bound-parameter markers, comments and runs of whitespace masked out (a cheap scan,
// not a parse). Masking is only trusted where libpg_query's fingerprint ignores constants
// (SELECT, INSERT, UPDATE, DELETE, WITH, VALUES, MERGE, TABLE); other statements (FETCH 10,
// CREATE SEQUENCE ... START 5, ...) are keyed by their whole text. When two texts of one key
// first differ in their literals, the second is fingerprinted too; if the fingerprints differ
// the key is marked ambiguous and every statement with it is fingerprinted from then on.
//
// Memory model (flat however long the log is):
// - shapes: one per fingerprint, with at most 3 examples each;
// - the key cache: bounded (cleared when it passes max_cached_keys keys or max_cache_bytes);
// - sessions: only the open unit of each session is held: its transaction (BEGIN ... COMMIT/
//   ROLLBACK) or, outside transactions, its burst (statements at most burst_gap_ms apart, at
//   most max_burst_ms long). The unit keeps, per shape, the ordered facts the N+1 rule needs:
//   how many times the shape ran, whether its parameters differed, the first and last
//   timestamp and line, and the shapes that ran just before its first and second executions.
//   When the unit closes, every shape that ran at least repeat_threshold times with differing
//   parameters is folded into the RepetitionPair of (its parent, the shape): counts, a histogram
//   of executions per unit, time, and the largest run as an example; the rest is dropped.
//   Sessions idle for longer than the burst gap are closed as the log goes. So the ordered
//   per-session sequence is kept while it is open, and a compact summary after.
// - followers: for each execution, the distinct shapes among the next follow_window statements
//   of its unit are counted per (shape, follower) pair (at most max_follow_pairs pairs), for the
//   eager-load rule's "follows in 90% of executions".
#pragma once

#include "parsers/logs/log_reader.hpp"
#include "parsers/logs/statement.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace advisor {

using ShapeId = std::uint32_t;

// How a shape bounds transactions (its parse tree's TransactionStmt kind).
enum class TransactionControl { none, begin, end };

struct QueryExample {
    std::string text; // with the logged parameters substituted for $n
    std::string file;
    int line = 0;
    std::optional<double> duration_ms;
};

// A shape executed repeatedly within one unit of one session: the N+1 pattern's evidence.
struct RepeatedRun {
    std::string session;
    std::string file;
    int first_line = 0;
    int last_line = 0;
    double first_ms = NAN; // timestamps, NaN when the log has none
    double last_ms = NAN;
    std::uint32_t executions = 0;          // times the shape ran in the unit
    std::uint32_t distinct_parameters = 0; // distinct parameter sets seen (counted up to 16)
    std::uint32_t unit_statements = 0;     // statements in the whole unit
    bool in_transaction = false;           // BEGIN ... COMMIT, else a burst of autocommits
};

// Executions per unit -> number of units, ascending: the distribution of one pair's runs.
using RunHistogram = std::vector<std::pair<std::uint32_t, std::uint64_t>>;
// The median of the executions per unit (the mean of the two middle ones for an even count).
double median_executions(const RunHistogram& histogram);

// The repeated runs of one shape after one parent shape, over the whole log.
struct RepetitionPair {
    // The shape run just before the run's first execution: the query that produced the keys.
    // When that is BEGIN (or nothing), the shape also ran once before its loop (a request's own
    // look-up, then the loop), so the shape just before its second execution is taken instead.
    std::optional<ShapeId> parent;
    std::uint64_t units = 0;      // transactions or bursts with such a run
    std::uint64_t executions = 0; // executions within those runs
    std::uint32_t max_executions = 0;
    RunHistogram histogram;
    std::uint64_t sessions = 0; // distinct sessions with such a run (counted up to 1024)
    double total_ms = 0;        // logged duration of the executions within those runs
    RepeatedRun largest;        // the run with the most executions (the first one on a tie)
};

struct RepetitionStats {
    std::uint64_t units = 0;      // units where the shape repeated (>= repeat_threshold)
    std::uint64_t executions = 0; // executions within those units
    std::uint32_t max_executions = 0;
    std::vector<RepetitionPair> by_parent; // most units first, then most executions
};

// A shape that ran soon after another in the same unit of the same session.
struct FollowerCount {
    ShapeId shape = 0;
    std::uint64_t times = 0; // executions of the leading shape it followed (once per execution)
};

struct QueryShape {
    std::string fingerprint;         // libpg_query's, 16 hex digits
    std::string query;               // normalized text (pg_query_normalize): constants become $n
    std::string statement_kind;      // parse tree node, e.g. "SelectStmt"; "" when unknown
    std::vector<std::string> tables; // relations it reads or writes, schema-qualified
    TransactionControl transaction_control = TransactionControl::none;
    std::uint64_t calls = 0;
    std::uint64_t failed = 0;
    std::uint64_t timed_calls = 0; // calls whose duration the log gave
    double total_ms = 0;
    double max_ms = 0;
    std::optional<std::uint64_t> rows;
    std::vector<QueryExample> examples; // up to 3: the slowest, else the first seen
    std::string first_seen;             // timestamps as logged
    std::string last_seen;
    double first_seen_ms = NAN;
    double last_seen_ms = NAN;
    RepetitionStats repetition;
    // Executions seen in a log that shows sessions, and the shapes that ran among the next
    // `follow_window` statements of the same unit after them (most often first; those that
    // followed at least twice, at most 8): what eager loading adds to every execution.
    std::uint64_t session_executions = 0;
    std::vector<FollowerCount> followers;

    double mean_ms() const { return timed_calls == 0 ? 0.0 : total_ms / double(timed_calls); }
};

struct WorkloadError {
    std::string file;
    int line = 0;
    std::string message;
};

// What one input file gave.
struct WorkloadSource {
    std::string file;
    std::string description; // format as detected or given
    parsers::logs::ReadCounts counts;
    std::uint64_t problems = 0;        // line problems reported (skips, repairs)
    std::optional<std::string> damage; // the file ended in a way it must not (gzip cut short)
    // Whether the log shows what each session ran, in order (not pg_stat_statements totals or a
    // SQL script): only then can repeated queries per transaction be seen.
    bool shows_sessions = true;
};

struct Workload {
    std::uint64_t statements = 0;      // every statement read (sum of calls)
    std::uint64_t unparsed = 0;        // statements libpg_query could not read
    std::uint64_t empty = 0;           // statements with no SQL in them (`;`, "")
    std::uint64_t failed = 0;          // statements the log shows as failed
    std::vector<QueryShape> shapes;    // indexed by ShapeId, in order of first appearance
    std::vector<WorkloadError> errors; // at most WorkloadOptions::max_errors
    std::uint64_t errors_total = 0;
    std::vector<WorkloadSource> sources;

    const QueryShape* find(std::string_view fingerprint) const;
    // Shape ids by total time, then calls, then fingerprint: the report's order.
    std::vector<ShapeId> ranked() const;
    double total_ms() const;
    // True when some input shows sessions (WorkloadSource::shows_sessions), or there is none.
    bool shows_sessions() const;
};

struct WorkloadOptions {
    double burst_gap_ms = 1000;             // a longer pause ends a burst of autocommit statements
    double max_burst_ms = 10000;            // and a burst lasts at most this long
    std::uint32_t repeat_threshold = 5;     // executions of one shape in one unit to remember
    std::size_t follow_window = 4;          // statements after an execution counted as following it
    std::size_t max_follow_pairs = 1 << 20; // (shape, follower) pairs counted, for flat memory
    std::size_t max_examples = 3;
    std::size_t max_errors = 1000;
    std::size_t max_cached_keys = 200000;
    std::size_t max_cache_bytes = 64 << 20;
    std::size_t max_unit_shapes = 256; // distinct shapes tracked within one unit
};

// Builds a Workload from a statement stream; statements must come file by file.
class WorkloadBuilder {
public:
    explicit WorkloadBuilder(WorkloadOptions options = {});
    ~WorkloadBuilder();
    WorkloadBuilder(const WorkloadBuilder&) = delete;
    WorkloadBuilder& operator=(const WorkloadBuilder&) = delete;

    // Whether the statements from now on come from a log that shows sessions in order; when not
    // (pg_stat_statements, a SQL script), they are counted but not tracked per session.
    void set_shows_sessions(bool shows);
    void add(const parsers::logs::Statement& statement);
    // End of one input file: its sessions' open units close.
    void end_file();
    void add_source(WorkloadSource source);
    void add_error(WorkloadError error);
    Workload finish();

    // libpg_query calls made so far (fingerprint + normalize + parse), for tests of the cache.
    std::uint64_t pg_query_calls() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

// The key under which a statement text is cached: literals, `$n`, comments and whitespace runs
// masked when `masked` is returned true. Exposed for tests.
struct StatementKey {
    std::string key;
    std::uint64_t literals_hash = 0; // hash of the masked-out literal values
    bool masked = false;
};
void statement_key(std::string_view text, StatementKey& out);

// The statement text with $n replaced by the bound values (found with libpg_query's scanner, so
// $1 never matches inside $10, a string or a comment).
std::string substitute_parameters(std::string_view text, const parsers::logs::BoundValues& values);

struct WorkloadReadOptions {
    parsers::logs::LogReadOptions log;
    WorkloadOptions workload;
};

// Called while reading: the file, bytes of it consumed and its size on disk.
using ReadProgress =
    std::function<void(const std::string& file, std::uint64_t consumed, std::uint64_t size)>;

// Reads every log file into one workload. Throws InputError when a file cannot be read at all.
Workload read_workload(const std::vector<std::string>& paths, const WorkloadReadOptions& options,
                       const ReadProgress& progress = {});
// The same, then `readers` already open (pg_stat_statements rows read live: advise
// --log-from-pgss), each as one more input.
Workload read_workload(const std::vector<std::string>& paths,
                       std::vector<std::unique_ptr<parsers::logs::LogReader>> readers,
                       const WorkloadReadOptions& options, const ReadProgress& progress = {});

} // namespace advisor
