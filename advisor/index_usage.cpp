#include "advisor/index_usage.hpp"

#include <algorithm>
#include <set>

namespace advisor {

bool serves_equality_lookup(const Index& index, const std::vector<std::string>& columns) {
    if (!index.valid || index.where || columns.empty() || index.keys.size() < columns.size()) {
        return false;
    }
    if (index.method == "hash") {
        return columns.size() == 1 && index.keys.size() == 1 && index.keys[0].column == columns[0];
    }
    if (index.method != "btree") {
        return false;
    }
    const std::set<std::string> wanted(columns.begin(), columns.end());
    std::set<std::string> leading;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (index.keys[i].is_expression()) {
            return false;
        }
        leading.insert(index.keys[i].column);
    }
    return leading == wanted;
}

} // namespace advisor
