// The WorkloadBuilder's private state, shared by the files of advisor/workload/ and included by
// nothing else: the key cache's entries, each session's open unit (its runs and recent
// executions), the per-pair counts that finish() folds into the shapes, and the small helpers
// the per-statement path calls (inline here, so that they stay inlined now that the builder is
// several files). Which file holds what:
// - statement_key.cpp: the literal-masked key a statement is cached under;
// - shapes.cpp: a statement through the key cache to its shape (fingerprint, normalize, parse);
// - examples.cpp: each shape's examples, with the bound parameters substituted;
// - sessions.cpp: each session's open unit (transaction or burst) and the followers within it;
// - repetition.cpp: a closing unit's repeated runs folded into N+1 pairs, then into the shapes;
// - builder.cpp: WorkloadBuilder's members and read_workload (log files into the builder);
// - summary.cpp: look-ups over a finished Workload.
#pragma once

#include "advisor/workload.hpp"
#include "parsers/logs/statement.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace advisor {

// Private to advisor/workload/. A named namespace, not an anonymous one: WorkloadBuilder::State
// holds these types and is defined once for several translation units.
namespace workload_detail {

using parsers::logs::Statement;

constexpr ShapeId unparsed_shape = UINT32_MAX;

inline std::uint64_t fnv_add(std::uint64_t hash, std::string_view bytes) {
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}
constexpr std::uint64_t fnv_offset = 0xcbf29ce484222325ULL;

inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

struct CacheEntry {
    ShapeId shape = unparsed_shape;
    std::uint64_t first_literals = 0;
    bool verified = false;
    bool ambiguous = false;
};

struct RunInUnit {
    ShapeId shape = 0;
    std::uint32_t executions = 0;
    std::uint32_t distinct = 0;
    std::array<std::uint64_t, 16> parameter_hashes{};
    int first_line = 0;
    int last_line = 0;
    double first_ms = NAN;
    double last_ms = NAN;
    double total_ms = 0;
    std::optional<ShapeId> before_first;  // shape run just before the first execution
    std::optional<ShapeId> before_second; // and just before the second
};

// One recent execution and the distinct shapes seen after it so far (for followers).
struct RecentExecution {
    ShapeId shape = 0;
    std::uint8_t seen_count = 0;
    std::array<ShapeId, 8> seen{};
};

struct SessionState {
    bool open = false;
    bool in_transaction = false;
    double unit_start_ms = NAN;
    double last_ms = NAN;
    std::uint32_t unit_statements = 0;
    std::optional<ShapeId> last_shape;
    std::vector<RunInUnit> runs;
    std::vector<RecentExecution> recent; // ring of the unit's last follow_window executions
    std::size_t recent_next = 0;
};

// What is gathered per (parent, repeated shape) pair before finish() folds it into the shape.
struct PairState {
    RepetitionPair pair;
    std::map<std::uint32_t, std::uint64_t> histogram;
    std::vector<std::uint64_t> session_hashes; // sorted, at most max_pair_sessions
};

// Distinct sessions are counted exactly up to this many per pair (8 KB), so memory stays flat
// on logs with many sessions; RepetitionPair::sessions says "at least" past it.
constexpr std::size_t max_pair_sessions = 1024;
constexpr std::size_t max_followers = 8;

struct Fingerprinted {
    bool ok = false;
    std::uint64_t value = 0;
    std::string text;
    std::string error;
};

} // namespace workload_detail

// The files of advisor/workload/ read as one: its private names are used unqualified.
using namespace workload_detail;

struct WorkloadBuilder::State {
    WorkloadOptions options;
    Workload workload;
    std::unordered_map<std::string, CacheEntry> cache;
    std::size_t cache_bytes = 0;
    std::unordered_map<std::uint64_t, ShapeId> by_fingerprint;
    std::vector<std::array<std::uint64_t, 3>> example_hashes; // per shape
    std::unordered_map<std::string, SessionState> sessions;
    // Keyed by repeated shape << 32 | parent (unparsed_shape for none): ordered, so finish()
    // is deterministic.
    std::map<std::uint64_t, PairState> pairs;
    std::unordered_map<std::uint64_t, std::uint64_t> follow_counts; // shape << 32 | follower
    bool shows_sessions = true;
    StatementKey key;
    std::string current_file;
    std::size_t file_errors_begin = 0;
    std::uint64_t pg_query_calls = 0;
    std::uint64_t since_sweep = 0;
    double latest_ms = NAN;
    std::optional<std::string> shape_parse_error; // of the last new shape

    // record(), count_follower() and parent_of() are defined and called in one file each, and
    // are inline so that they stay folded into their callers, as when the builder was one file.
    // record() and count_follower() run for every statement; count_follower() is forced, as
    // GCC inlined it then only as a function with internal linkage called once.

    // A statement through the key cache to its shape (shapes.cpp).
    void add(const Statement& statement);
    Fingerprinted fingerprint(const std::string& text);
    void error(const Statement& statement, std::string message);
    ShapeId shape_for(const Fingerprinted& fingerprinted, const std::string& text);
    inline void record(ShapeId id, const Statement& statement, std::uint64_t parameters_hash);
    // The shape's examples (examples.cpp).
    void add_example(ShapeId id, const Statement& statement, std::uint64_t parameters_hash);
    // Each session's open unit and the followers within it (sessions.cpp).
    void track(ShapeId id, const Statement& statement, std::uint64_t parameters_hash);
    [[gnu::always_inline]] inline void count_follower(SessionState& session, ShapeId id);
    void sweep_idle_sessions();
    void end_file();
    // Repeated runs into N+1 pairs, and pairs and followers into the shapes (repetition.cpp).
    inline std::optional<ShapeId> parent_of(const RunInUnit& run) const;
    void close_unit(SessionState& session, const std::string& session_key);
    void fold_pairs_and_followers();
};

} // namespace advisor
