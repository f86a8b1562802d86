// The analysis pipeline's facts stage: each workload shape's QueryFacts, extracted once against
// the catalog (design.md: "each shape -> parsers/ query facts"), for every rule to read.
#pragma once

#include "advisor/catalog.hpp"
#include "advisor/workload.hpp"
#include "parsers/query_facts.hpp"

#include <vector>

namespace advisor {

// Facts per shape, indexed by ShapeId. A shape's first example (its logged text with the
// parameters in place) is preferred to its normalized text: literal constants are what prove a
// partial index's predicate (`WHERE status = 'active'`), and normalization replaced them by $n.
std::vector<parsers::QueryFacts> extract_shape_facts(const Workload& workload,
                                                     const Catalog& catalog);

} // namespace advisor
