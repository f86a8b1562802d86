// Sessions and their units. Only the open unit of each session is held: its transaction
// (BEGIN ... COMMIT/ROLLBACK) or, outside transactions, its burst of statements (burst_gap_ms,
// max_burst_ms). Within the unit, each shape's run (executions, distinct parameters, first and
// last line, the shapes just before it) and the ring of recent executions for the followers
// are kept; a unit that closes goes to close_unit (repetition.cpp). Idle sessions are closed as
// the log goes, and every open one at the end of each file.
#include "advisor/workload/builder_state.hpp"

#include <algorithm>
#include <cmath>

namespace advisor {

// Counts `id` as a follower of each recent execution in the unit (once per execution).
inline void WorkloadBuilder::State::count_follower(SessionState& session, ShapeId id) {
    for (RecentExecution& recent : session.recent) {
        if (recent.shape == id) {
            continue;
        }
        const auto end = recent.seen.begin() + recent.seen_count;
        if (std::find(recent.seen.begin(), end, id) != end ||
            recent.seen_count == recent.seen.size()) {
            continue;
        }
        recent.seen[recent.seen_count++] = id;
        const std::uint64_t follow_key = (std::uint64_t(recent.shape) << 32) | id;
        const auto found = follow_counts.find(follow_key);
        if (found != follow_counts.end()) {
            ++found->second;
        } else if (follow_counts.size() < options.max_follow_pairs) {
            follow_counts.emplace(follow_key, 1);
        }
    }
    RecentExecution fresh;
    fresh.shape = id;
    if (session.recent.size() < std::min<std::size_t>(options.follow_window, 8)) {
        session.recent.push_back(fresh);
    } else if (!session.recent.empty()) {
        session.recent[session.recent_next] = fresh;
        session.recent_next = (session.recent_next + 1) % session.recent.size();
    }
}

void WorkloadBuilder::State::track(ShapeId id, const Statement& statement,
                                   std::uint64_t parameters_hash) {
    QueryShape& shape_of_statement = workload.shapes[id];
    const TransactionControl control = shape_of_statement.transaction_control;
    const double at = statement.timestamp_ms;
    auto found = sessions.find(statement.session);
    if (found == sessions.end()) {
        found = sessions.emplace(statement.session, SessionState{}).first;
    }
    SessionState& session = found->second;
    if (session.open && !session.in_transaction) {
        const bool gap = !std::isnan(at) && !std::isnan(session.last_ms) &&
                         (at - session.last_ms > options.burst_gap_ms ||
                          at - session.unit_start_ms > options.max_burst_ms);
        if (control == TransactionControl::begin || gap) {
            close_unit(session, found->first);
        }
    }
    if (!session.open) {
        session.open = true;
        session.in_transaction = control == TransactionControl::begin;
        session.unit_start_ms = at;
        session.unit_statements = 0;
        session.last_shape.reset();
        session.runs.clear();
    }
    ++session.unit_statements;
    if (control == TransactionControl::none) {
        auto run = std::find_if(session.runs.begin(), session.runs.end(),
                                [&](const RunInUnit& r) { return r.shape == id; });
        if (run == session.runs.end() && session.runs.size() < options.max_unit_shapes) {
            RunInUnit fresh;
            fresh.shape = id;
            fresh.first_line = statement.line;
            fresh.first_ms = at;
            fresh.before_first = session.last_shape;
            session.runs.push_back(fresh);
            run = session.runs.end() - 1;
        } else if (run != session.runs.end() && run->executions == 1) {
            run->before_second = session.last_shape;
        }
        if (run != session.runs.end()) {
            run->executions += static_cast<std::uint32_t>(statement.calls);
            run->total_ms += statement.duration_ms.value_or(0);
            run->last_line = statement.line;
            run->last_ms = at;
            const std::size_t known = std::min<std::size_t>(run->distinct, 16);
            if (std::find(run->parameter_hashes.begin(), run->parameter_hashes.begin() + known,
                          parameters_hash) == run->parameter_hashes.begin() + known &&
                run->distinct < 16) {
                run->parameter_hashes[run->distinct++] = parameters_hash;
            }
        }
        shape_of_statement.session_executions += statement.calls;
        count_follower(session, id);
    }
    session.last_shape = id;
    session.last_ms = at;
    if (control == TransactionControl::end) {
        close_unit(session, found->first);
    }
    if (!std::isnan(at) && (std::isnan(latest_ms) || at > latest_ms)) {
        latest_ms = at;
    }
    if (++since_sweep >= 65536) {
        since_sweep = 0;
        sweep_idle_sessions();
    }
}

// Closes units whose session has been quiet for long, and forgets closed sessions, so the
// session table holds only what is open.
void WorkloadBuilder::State::sweep_idle_sessions() {
    std::vector<std::string> keys;
    for (auto& [key, session] : sessions) {
        const double idle =
            std::isnan(latest_ms) || std::isnan(session.last_ms) ? 0 : latest_ms - session.last_ms;
        const double limit =
            session.in_transaction ? std::max(60000.0, options.max_burst_ms) : options.burst_gap_ms;
        if (session.open && idle > limit) {
            close_unit(session, key);
        }
        if (!session.open) {
            keys.push_back(key);
        }
    }
    for (const auto& key : keys) {
        sessions.erase(key);
    }
}

void WorkloadBuilder::State::end_file() {
    std::vector<std::string> keys;
    for (const auto& [key, session] : sessions) {
        keys.push_back(key);
    }
    std::sort(keys.begin(), keys.end());
    for (const auto& key : keys) {
        close_unit(sessions[key], key);
    }
    sessions.clear();
    latest_ms = NAN;
    // This file's errors in line order (statement errors came as read, line problems after).
    std::stable_sort(workload.errors.begin() + static_cast<std::ptrdiff_t>(file_errors_begin),
                     workload.errors.end(), [](const WorkloadError& a, const WorkloadError& b) {
                         return a.line < b.line;
                     });
    file_errors_begin = workload.errors.size();
}

} // namespace advisor
