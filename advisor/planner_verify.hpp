// What both planners' verifiers (advise --verify) take and give: SQLite's EXPLAIN QUERY PLAN
// (advisor/sqlite_verify.hpp) and PostgreSQL's EXPLAIN with HypoPG (advisor/pg_verify.hpp).
#pragma once

#include "advisor/finding.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace advisor {

struct VerifyOptions {
    bool keep_unverified = false;
};

struct VerifyOutcome {
    std::vector<Finding> findings;  // in the order given
    std::vector<std::string> notes; // one per finding dropped or kept unverified, and what the
                                    // planner could not do (objects, queries)
    std::size_t proposals = 0;      // findings whose index the planner could be asked about
    std::size_t planned = 0;        // of those, findings with at least one query planned both ways
};

} // namespace advisor
