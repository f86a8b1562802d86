// Questions about parse-tree nodes that several parts of the walk ask: whether an expression calls
// an aggregate or window function (outside sub-selects), the name PostgreSQL gives an output
// column written without an alias, and whether a node is a SELECT.

#include "parsers/query_facts/facts_builder.hpp"

#include <string>

namespace parsers::query_facts {

namespace {

// Whether an expression calls a function matching `wanted` outside sub-selects.
template <typename Wanted> bool contains_call(const Node* node, const Wanted& wanted) {
    bool found = false;
    pg::visit_nodes(node, [&](const Node* child) {
        if (child->node_case == PG_QUERY__NODE__NODE_SUB_LINK) {
            return false;
        }
        found = found ||
                (child->node_case == PG_QUERY__NODE__NODE_FUNC_CALL && wanted(child->func_call));
        return !found;
    });
    return found;
}

} // namespace

bool contains_window_function(const Node* node) {
    return contains_call(node, [](const PgQuery__FuncCall* call) { return call->over != nullptr; });
}

bool contains_aggregate_or_window(const Node* node) {
    return contains_call(node, [](const PgQuery__FuncCall* call) {
        return pg::is_aggregate_call(call) || call->over != nullptr;
    });
}

// The name PostgreSQL gives an output column without an alias (FigureColname, simplified).
std::string figure_column_name(const Node* node) {
    if (node == nullptr) {
        return "?column?";
    }
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
        const auto name = pg::column_ref_name(node);
        return name && !name->star ? name->column : "?column?";
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        return pg::function_name(node->func_call);
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        const std::string inner = figure_column_name(node->type_cast->arg);
        if (inner != "?column?") {
            return inner;
        }
        const auto* type = node->type_cast->type_name;
        if (type != nullptr && type->n_names > 0) {
            return std::string(pg::string_value(type->names[type->n_names - 1]));
        }
        return inner;
    }
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        return "coalesce";
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        return "case";
    case PG_QUERY__NODE__NODE_SUB_LINK:
        return node->sub_link->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK
                   ? "exists"
                   : "?column?";
    default:
        return "?column?";
    }
}

// The node when it is a SELECT (a sub-select's, CTE's or view's body), else null.
const Node* select_node(const Node* node) {
    return node != nullptr && node->node_case == PG_QUERY__NODE__NODE_SELECT_STMT ? node : nullptr;
}

} // namespace parsers::query_facts
