#include "advisor/cli/warnings.hpp"

#include <iostream>

namespace advisor::cli {

void print_warnings(const Catalog& catalog, std::size_t limit) {
    std::size_t shown = 0;
    for (const auto& warning : catalog.warnings) {
        if (shown++ == limit) {
            std::cerr << "schema-advisor: " << catalog.warnings.size() - limit
                      << " more warnings not shown\n";
            break;
        }
        std::cerr << warning.where.file << ":" << warning.where.line
                  << ": warning: " << warning.message << "\n";
    }
}

} // namespace advisor::cli
