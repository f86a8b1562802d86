// Reporting input warnings on stderr in the one format every command uses.
#pragma once

#include "advisor/catalog.hpp"

#include <cstddef>

namespace advisor::cli {

// "file:line: warning: message" per warning, at most `limit` of them, then a count of the rest.
void print_warnings(const Catalog& catalog, std::size_t limit = 20);

} // namespace advisor::cli
