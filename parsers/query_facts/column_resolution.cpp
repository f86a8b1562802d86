// Column resolution: which FROM item, at which query level (correlated sub-selects read outer
// levels), a column reference names; the table columns behind it through sub-selects, CTEs and
// views (ColumnOrigin); and the Term that describes one side of a comparison: columns of one
// table scan, a value (literal, parameter, expression) or neither.

#include "parsers/query_facts/facts_builder.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parsers::query_facts {

namespace {

// Column references of an expression outside sub-selects.
std::vector<const Node*> column_refs_outside_sublinks(const Node* node) {
    std::vector<const Node*> refs;
    pg::visit_nodes(node, [&](const Node* child) {
        if (child->node_case == PG_QUERY__NODE__NODE_SUB_LINK) {
            return false;
        }
        if (child->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
            refs.push_back(child);
        }
        return true;
    });
    return refs;
}

} // namespace

std::vector<std::string> FactsBuilder::column_names(const Source& source) const {
    std::vector<std::string> names;
    if (source.is_scan) {
        if (source.table != nullptr) {
            for (const auto& column : source.table->columns) {
                names.push_back(column.name);
            }
        }
        return names;
    }
    for (const auto& column : source.columns) {
        names.push_back(column.name);
    }
    return names;
}

std::optional<std::vector<ColumnOrigin>> FactsBuilder::origins_of(const Source& source,
                                                                  const std::string& column) const {
    if (source.is_scan) {
        ColumnOrigin origin;
        origin.scan = source.scan;
        origin.column = column;
        return std::vector<ColumnOrigin>{origin};
    }
    for (const auto& output : source.columns) {
        if (output.name == column) {
            return output.origins;
        }
    }
    return std::nullopt;
}

std::optional<std::vector<ColumnOrigin>>
FactsBuilder::resolve_in(const pg::ColumnRefName& name, const std::vector<Source>& sources,
                         const std::vector<std::size_t>* subset) const {
    std::vector<const Source*> candidates;
    if (subset != nullptr) {
        for (const std::size_t index : *subset) {
            candidates.push_back(&sources[index]);
        }
    } else {
        for (const auto& source : sources) {
            candidates.push_back(&source);
        }
    }
    if (!name.qualifier.empty()) {
        for (const Source* source : candidates) {
            if (source->name == name.qualifier &&
                (name.schema.empty() || source->schema == name.schema)) {
                // A qualified name the catalog does not know is still that table's column.
                return origins_of(*source, name.column);
            }
        }
        return std::nullopt;
    }
    const Source* match = nullptr;
    int matches = 0;
    const Source* columns_unknown = nullptr;
    int columns_unknown_count = 0;
    for (const Source* source : candidates) {
        if (source->is_scan) {
            // A materialized view is stored without its column list: as unknown as a table
            // missing from the catalog.
            if (source->table == nullptr || source->table->columns.empty()) {
                columns_unknown = source;
                ++columns_unknown_count;
            } else if (source->table->find_column(name.column) != nullptr) {
                match = source;
                ++matches;
            }
            continue;
        }
        for (const auto& output : source->columns) {
            if (output.name == name.column) {
                match = source;
                ++matches;
                break;
            }
        }
    }
    if (matches == 1) {
        return origins_of(*match, name.column);
    }
    if (matches > 1) {
        return std::vector<ColumnOrigin>{}; // ambiguous: PostgreSQL would reject the query
    }
    // A table of unknown columns may hold the column when it is the only candidate.
    if (columns_unknown_count == 1) {
        return origins_of(*columns_unknown, name.column);
    }
    return std::nullopt;
}

std::optional<Resolved> FactsBuilder::resolve(const pg::ColumnRefName& name,
                                              const Scope& scope) const {
    int depth = 0;
    for (const Scope* level = &scope; level != nullptr; level = level->outer, ++depth) {
        if (auto origins = resolve_in(name, level->sources, nullptr)) {
            return Resolved{std::move(*origins), depth};
        }
    }
    return std::nullopt;
}

// A column, or an expression whose columns all belong to one table scan.
Term FactsBuilder::origins_term(const Node* node, const Scope& scope) const {
    Term term;
    if (node == nullptr) {
        return term;
    }
    if (node->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
        const auto name = pg::column_ref_name(node);
        if (!name || name->star) {
            return term;
        }
        if (auto resolved = resolve(*name, scope)) {
            term.kind = Term::Kind::columns;
            term.origins = std::move(resolved->origins);
            term.depth = resolved->depth;
        }
        return term;
    }
    if (node->node_case == PG_QUERY__NODE__NODE_A_CONST ||
        node->node_case == PG_QUERY__NODE__NODE_PARAM_REF ||
        node->node_case == PG_QUERY__NODE__NODE_SUB_LINK || contains_aggregate_or_window(node)) {
        return term;
    }
    const auto refs = column_refs_outside_sublinks(node);
    if (refs.empty()) {
        return term;
    }
    std::optional<ColumnOrigin> first;
    Reach reach = Reach::direct;
    for (const Node* ref : refs) {
        const auto name = pg::column_ref_name(ref);
        if (!name || name->star) {
            return term;
        }
        const auto resolved = resolve(*name, scope);
        // The expression text names columns as the table does, so every column must come
        // straight from that one table (not renamed by a sub-select).
        if (!resolved || resolved->depth != 0 || resolved->origins.size() != 1 ||
            !resolved->origins[0].expression.empty() ||
            resolved->origins[0].column != name->column ||
            (first && first->scan != resolved->origins[0].scan)) {
            return term;
        }
        reach = std::min(reach, resolved->origins[0].reach);
        if (!first) {
            first = resolved->origins[0];
        }
    }
    term.kind = Term::Kind::columns;
    first->reach = reach;
    term.origins = {*first};
    term.expression = pg::canonical_expression(node);
    return term;
}

Term FactsBuilder::describe(const Node* node, const Scope& scope) const {
    Term term;
    const Node* inner = pg::strip_casts(node);
    if (inner == nullptr) {
        return term;
    }
    switch (inner->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
        term.kind = Term::Kind::value;
        term.value = Operand::constant;
        return term;
    case PG_QUERY__NODE__NODE_PARAM_REF:
        term.kind = Term::Kind::value;
        term.value = Operand::parameter;
        return term;
    case PG_QUERY__NODE__NODE_SUB_LINK:
        term.kind = Term::Kind::value;
        term.value = Operand::expression;
        return term;
    default:
        break;
    }
    const auto refs = column_refs_outside_sublinks(inner);
    if (refs.empty()) {
        if (!contains_aggregate_or_window(inner)) {
            term.kind = Term::Kind::value;
            term.value = Operand::expression; // now(), $1 + 1, ARRAY[1, 2]
        }
        return term;
    }
    term = origins_term(inner, scope);
    if (term.kind == Term::Kind::columns) {
        return term;
    }
    // Columns of outer query levels only: a value for each execution of this block.
    bool only_outer = true;
    for (const Node* ref : refs) {
        const auto name = pg::column_ref_name(ref);
        const auto resolved = name ? resolve(*name, scope) : std::nullopt;
        only_outer = only_outer && resolved && resolved->depth > 0;
    }
    if (only_outer && !contains_aggregate_or_window(inner)) {
        term.kind = Term::Kind::value;
        term.value = Operand::expression;
    }
    return term;
}

} // namespace parsers::query_facts
