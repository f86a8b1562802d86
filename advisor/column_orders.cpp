#include "advisor/column_orders.hpp"

#include "advisor/index_fix.hpp"

#include <algorithm>
#include <set>

namespace advisor {

namespace {

constexpr std::size_t max_permuted_keys = 3; // 3! = 6 orders, each planned once per query

std::set<std::string> equality_columns(const std::string& table,
                                       const std::vector<const parsers::QueryFacts*>& facts) {
    std::set<std::string> columns;
    for (const parsers::QueryFacts* query : facts) {
        if (query == nullptr || query->error) {
            continue;
        }
        for (const auto& scan : query->scans) {
            if (scan.table != table) {
                continue;
            }
            for (const auto& use : scan.uses) {
                const bool equality = use.role == parsers::ColumnRole::eq ||
                                      use.role == parsers::ColumnRole::in ||
                                      use.role == parsers::ColumnRole::is_null ||
                                      use.role == parsers::ColumnRole::join;
                if (equality && use.expression.empty() && !use.under_or) {
                    columns.insert(use.column);
                }
            }
        }
    }
    return columns;
}

} // namespace

std::vector<IndexSpec>
column_order_candidates(const IndexSpec& spec,
                        const std::vector<const parsers::QueryFacts*>& facts) {
    if (spec.method != "btree") {
        return {};
    }
    const std::set<std::string> equality = equality_columns(spec.table, facts);
    std::size_t leading = 0;
    while (leading < spec.keys.size() && leading < max_permuted_keys) {
        const IndexKey& key = spec.keys[leading];
        if (key.is_expression() || key.descending || !key.opclass.empty() || !key.nulls.empty() ||
            equality.count(key.column) == 0) {
            break;
        }
        ++leading;
    }
    if (leading < 2) {
        return {};
    }
    std::vector<std::size_t> order(leading);
    for (std::size_t i = 0; i < leading; ++i) {
        order[i] = i;
    }
    std::vector<IndexSpec> candidates;
    while (std::next_permutation(order.begin(), order.end())) {
        std::vector<IndexKey> keys;
        for (const std::size_t i : order) {
            keys.push_back(spec.keys[i]);
        }
        keys.insert(keys.end(), spec.keys.begin() + static_cast<std::ptrdiff_t>(leading),
                    spec.keys.end());
        IndexSpec candidate = proposed_index(spec.table, keys, spec.method);
        candidate.unique = spec.unique;
        candidate.where = spec.where;
        candidate.include = spec.include;
        candidates.push_back(std::move(candidate));
    }
    return candidates;
}

} // namespace advisor
