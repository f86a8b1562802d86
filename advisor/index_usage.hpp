// Questions about existing indexes that several rules ask (shared here, never copied).
#pragma once

#include "advisor/catalog.hpp"

#include <string>
#include <vector>

namespace advisor {

// True when `index` can serve equality look-ups on all of `columns` (any order): a valid,
// non-partial btree whose leading keys are exactly those columns, or a one-column hash index.
bool serves_equality_lookup(const Index& index, const std::vector<std::string>& columns);

} // namespace advisor
