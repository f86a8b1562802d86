#include "advisor/rules/app_patterns.hpp"

#include "advisor/render/templates.hpp"

#include <algorithm>
#include <set>

namespace advisor {

std::vector<std::string> equality_columns(const parsers::TableScan& scan, bool single_values) {
    std::set<std::string> columns;
    for (const auto& use : scan.uses) {
        const bool equality = use.role == parsers::ColumnRole::eq ||
                              (!single_values && use.role == parsers::ColumnRole::in);
        const bool value =
            use.operand == parsers::Operand::parameter || use.operand == parsers::Operand::constant;
        if (equality && value && !use.under_or && use.expression.empty()) {
            columns.insert(use.column);
        }
    }
    return {columns.begin(), columns.end()};
}

bool is_unique_key_lookup(const Catalog& catalog, const Table& table,
                          const parsers::TableScan& scan) {
    // IN (...) / = ANY($1) returns one row per value: a list, as SQLAlchemy's selectin loads are.
    const auto equal = equality_columns(scan, true);
    const std::set<std::string> pinned(equal.begin(), equal.end());
    const auto covered = [&](const std::vector<std::string>& key) {
        return !key.empty() && std::all_of(key.begin(), key.end(), [&](const std::string& column) {
            return pinned.count(column) > 0;
        });
    };
    if (covered(table.primary_key)) {
        return true;
    }
    for (const auto& unique : table.unique_constraints) {
        if (covered(unique.columns)) {
            return true;
        }
    }
    // A unique index without a constraint (CREATE UNIQUE INDEX) bounds the look-up the same way;
    // a partial one only where its predicate holds, so it does not count.
    for (const Index* index : catalog.indexes_on(table.qualified_name())) {
        if (!index->unique || index->where || !index->valid) {
            continue;
        }
        std::vector<std::string> key;
        bool plain = true;
        for (const auto& part : index->keys) {
            plain = plain && !part.is_expression();
            key.push_back(part.column);
        }
        if (plain && covered(key)) {
            return true;
        }
    }
    return false;
}

QueryEvidence evidence_of(const QueryShape& shape) {
    return {shape.fingerprint, static_cast<long long>(shape.calls), shape.total_ms,
            shape.examples.empty() ? shape.query : shape.examples.front().text};
}

std::string render_sqlalchemy_fix(const nlohmann::json& data) {
    // Built-in templates only: rules get no --templates directory, and a fix snippet is part of
    // the finding, computed once.
    static const TemplateSet templates;
    std::string text = templates.render("sqlalchemy_fix.mustache", data);
    while (!text.empty() && text.back() == '\n') {
        text.pop_back();
    }
    return text;
}

} // namespace advisor
