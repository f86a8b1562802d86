// Repetition: the N+1 rule's evidence. When a unit closes, every shape that ran at least
// repeat_threshold times in it with differing parameters is folded into the RepetitionPair of
// (its parent, the shape): units, executions, a histogram of executions per unit, sessions,
// time, and the largest run as an example. At the end of the input the pairs, and the follower
// counts (sessions.cpp), move into the shapes, ordered.
#include "advisor/workload/builder_state.hpp"

#include <algorithm>

namespace advisor {

// The run's parent: the shape just before its first execution, unless that started the
// transaction (or nothing ran before): then the shape just before its second execution.
inline std::optional<ShapeId> WorkloadBuilder::State::parent_of(const RunInUnit& run) const {
    const auto usable = [&](std::optional<ShapeId> shape) {
        return shape && *shape != run.shape &&
               workload.shapes[*shape].transaction_control == TransactionControl::none;
    };
    if (usable(run.before_first)) {
        return run.before_first;
    }
    if (usable(run.before_second)) {
        return run.before_second;
    }
    return std::nullopt;
}

void WorkloadBuilder::State::close_unit(SessionState& session, const std::string& session_key) {
    if (!session.open) {
        return;
    }
    session.open = false;
    for (const RunInUnit& run : session.runs) {
        if (run.executions < options.repeat_threshold || run.distinct < 2) {
            continue;
        }
        const std::optional<ShapeId> parent = parent_of(run);
        const std::uint64_t pair_key =
            (std::uint64_t(run.shape) << 32) | (parent ? *parent : unparsed_shape);
        PairState& state = pairs[pair_key];
        RepetitionPair& pair = state.pair;
        pair.parent = parent;
        ++pair.units;
        pair.executions += run.executions;
        pair.total_ms += run.total_ms;
        ++state.histogram[run.executions];
        const std::uint64_t session_hash = fnv_add(fnv_offset, session_key);
        auto& hashes = state.session_hashes;
        const auto position = std::lower_bound(hashes.begin(), hashes.end(), session_hash);
        if ((position == hashes.end() || *position != session_hash) &&
            hashes.size() < max_pair_sessions) {
            hashes.insert(position, session_hash);
        }
        if (run.executions > pair.max_executions) {
            pair.max_executions = run.executions;
            RepeatedRun& largest = pair.largest;
            largest.session = session_key;
            largest.file = current_file;
            largest.first_line = run.first_line;
            largest.last_line = run.last_line;
            largest.first_ms = run.first_ms;
            largest.last_ms = run.last_ms;
            largest.executions = run.executions;
            largest.distinct_parameters = run.distinct;
            largest.unit_statements = session.unit_statements;
            largest.in_transaction = session.in_transaction;
        }
    }
    session.runs.clear();
    session.recent.clear();
    session.recent_next = 0;
}

// Moves the per-pair and follower counts into the shapes (at the end of the whole input).
void WorkloadBuilder::State::fold_pairs_and_followers() {
    for (auto& [pair_key, state] : pairs) {
        RepetitionPair& pair = state.pair;
        pair.histogram.assign(state.histogram.begin(), state.histogram.end());
        pair.sessions = state.session_hashes.size();
        RepetitionStats& stats = workload.shapes[pair_key >> 32].repetition;
        stats.units += pair.units;
        stats.executions += pair.executions;
        stats.max_executions = std::max(stats.max_executions, pair.max_executions);
        stats.by_parent.push_back(std::move(pair));
    }
    pairs.clear();
    for (auto& shape : workload.shapes) {
        std::stable_sort(shape.repetition.by_parent.begin(), shape.repetition.by_parent.end(),
                         [](const RepetitionPair& a, const RepetitionPair& b) {
                             if (a.units != b.units) {
                                 return a.units > b.units;
                             }
                             return a.executions > b.executions;
                         });
    }
    for (const auto& [follow_key, times] : follow_counts) {
        if (times >= 2) {
            workload.shapes[follow_key >> 32].followers.push_back(
                {static_cast<ShapeId>(follow_key & 0xFFFFFFFFULL), times});
        }
    }
    follow_counts.clear();
    for (auto& shape : workload.shapes) {
        auto& followers = shape.followers;
        std::sort(followers.begin(), followers.end(),
                  [](const FollowerCount& a, const FollowerCount& b) {
                      return a.times != b.times ? a.times > b.times : a.shape < b.shape;
                  });
        if (followers.size() > max_followers) {
            followers.resize(max_followers);
        }
    }
}

} // namespace advisor
