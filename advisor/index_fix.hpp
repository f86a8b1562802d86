// Fixes that create an index, shared by the rules that propose one (unindexed-foreign-key,
// missing-index): the spec, its SQL, and the recipe for partitioned tables.
#pragma once

#include "advisor/catalog.hpp"
#include "advisor/finding.hpp"

#include <string>
#include <vector>

namespace advisor {

// An index named ix_<table>_<keys> on these keys.
IndexSpec proposed_index(const std::string& qualified_table, const std::vector<IndexKey>& keys,
                         const std::string& method = "btree");

// The fix that creates `spec`: CREATE INDEX CONCURRENTLY ... and its DROP; on a partitioned
// table (where CONCURRENTLY is refused) the ON ONLY / per partition / ATTACH recipe instead.
Fix create_index_fix(const Catalog& catalog, const IndexSpec& spec);

} // namespace advisor
