// The other column orders of a proposed btree index that PostgreSQL's planner is asked to choose
// among (advise --verify --dsn): the offline choice ranks equality columns by how much of the
// table's workload filters on each, a heuristic that cannot see selectivity; the planner,
// with the database's statistics, can. A minimal stand-in for the cost model's ranked close
// candidates: only orders of the leading equality keys are candidates, so every candidate
// serves the same conditions of every query the proposal claims, and none widens the index.
#pragma once

#include "advisor/finding.hpp"
#include "parsers/query_facts.hpp"

#include <vector>

namespace advisor {

// The orders of `spec`'s leading run of plain, ascending key columns that some query in `facts`
// compares by equality (=, IN, IS NULL, a join column), at most the first 3 of them, each with
// the rest of the keys after; `spec` itself is not among them. Empty for a non-btree index or
// fewer than two such columns.
std::vector<IndexSpec>
column_order_candidates(const IndexSpec& spec,
                        const std::vector<const parsers::QueryFacts*>& facts);

} // namespace advisor
