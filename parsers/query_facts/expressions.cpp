// Expressions outside conditions (select lists, ORDER BY and GROUP BY keys, HAVING, SET, VALUES,
// RETURNING, function arguments): the columns they read, the JSON paths into a column
// (data ->> 'k') and the sub-selects inside them. Also add_use and add_predicate, where every part
// of the walk records what it found on a scan.

#include "parsers/query_facts/facts_builder.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

namespace parsers::query_facts {

namespace {

bool is_json_path_operator(std::string_view op) {
    return op == "->" || op == "->>" || op == "#>" || op == "#>>";
}

} // namespace

bool FactsBuilder::json_path(const Node* node, const Scope& scope, Purpose purpose) {
    if (node->node_case != PG_QUERY__NODE__NODE_A_EXPR ||
        node->a_expr->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP) {
        return false;
    }
    const std::string op = pg::operator_name(node->a_expr);
    if (!is_json_path_operator(op)) {
        return false;
    }
    // data -> 'a' ->> 'b': follow the chain down to the column.
    const Node* base = pg::strip_casts(node->a_expr->lexpr);
    while (base != nullptr && base->node_case == PG_QUERY__NODE__NODE_A_EXPR &&
           is_json_path_operator(pg::operator_name(base->a_expr))) {
        base = pg::strip_casts(base->a_expr->lexpr);
    }
    if (!pg::is_column_ref(base)) {
        return false;
    }
    const Term term = origins_term(node, scope);
    if (term.kind == Term::Kind::columns && term.depth == 0) {
        const Reach needed = purpose == Purpose::select ? Reach::direct : Reach::filters;
        for (const auto& origin : term.origins) {
            if (origin.reach < needed) {
                continue;
            }
            ColumnUse use;
            use.column = origin.column;
            use.expression = term.expression;
            use.role = ColumnRole::json_path;
            use.operator_name = op;
            add_use(origin.scan, use);
        }
    }
    walk_expression(node->a_expr->rexpr, scope, Purpose::none);
    return true;
}

void FactsBuilder::walk_expression(const Node* node, const Scope& scope, Purpose purpose) {
    if (node == nullptr) {
        return;
    }
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
        if (purpose != Purpose::select) {
            return;
        }
        const auto name = pg::column_ref_name(node);
        if (!name || name->star) {
            return;
        }
        // Columns read through a sub-select are recorded by the sub-select's own select list.
        if (const auto resolved = resolve(*name, scope)) {
            for (const auto& origin : resolved->origins) {
                if (origin.reach == Reach::direct) {
                    ColumnUse use;
                    use.column = origin.column;
                    use.role = ColumnRole::select;
                    add_use(origin.scan, use);
                }
            }
        }
        return;
    }
    case PG_QUERY__NODE__NODE_SUB_LINK:
        sublink(node->sub_link, scope);
        return;
    case PG_QUERY__NODE__NODE_A_EXPR:
        if (json_path(node, scope, purpose)) {
            return;
        }
        break;
    default:
        break;
    }
    for (const Node* child : pg::child_nodes(node)) {
        walk_expression(child, scope, purpose);
    }
}

void FactsBuilder::add_use(std::size_t scan, ColumnUse use) {
    use.table = facts_.scans[scan].table;
    auto& uses = facts_.scans[scan].uses;
    if (std::find(uses.begin(), uses.end(), use) == uses.end()) {
        uses.push_back(std::move(use));
    }
}

void FactsBuilder::add_predicate(std::size_t scan, ScanPredicate predicate) {
    auto& predicates = facts_.scans[scan].predicates;
    if (std::find(predicates.begin(), predicates.end(), predicate) == predicates.end()) {
        predicates.push_back(std::move(predicate));
    }
}

bool FactsBuilder::is_boolean_column(std::size_t scan, const std::string& column) const {
    const Table* table = scan_tables_[scan];
    const Column* found = table != nullptr ? table->find_column(column) : nullptr;
    return found != nullptr && found->type == "boolean";
}

} // namespace parsers::query_facts
