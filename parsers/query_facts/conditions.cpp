// Conditions: WHERE and JOIN ON clauses as the planner reads restriction clauses. AND / OR / NOT,
// comparisons (=, ranges, IN and = ANY, LIKE, BETWEEN, containment), IS NULL, boolean columns and
// sub-selects (x IN (SELECT y ...) is a semi-join) become column uses with their role and
// operand, join pairs between scans, and the scan predicates partial-index checks use.

#include "parsers/query_facts/facts_builder.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace parsers::query_facts {

namespace {

// Operators a GIN index (jsonb_ops, jsonb_path_ops, array_ops) or a GiST index can serve.
bool is_containment_operator(std::string_view op) {
    constexpr std::array<std::string_view, 8> operators{"@>", "<@", "?",  "?|",
                                                        "?&", "&&", "@?", "@@"};
    return std::find(operators.begin(), operators.end(), op) != operators.end();
}

// The operator with its operands swapped (PostgreSQL's commutator), "" when there is none.
std::string commutator(std::string_view op) {
    if (op == "=" || op == "&&" || op == "@@" || op == "<>" || op == "!=") {
        return std::string(op);
    }
    if (op == "<") {
        return ">";
    }
    if (op == ">") {
        return "<";
    }
    if (op == "<=") {
        return ">=";
    }
    if (op == ">=") {
        return "<=";
    }
    if (op == "@>") {
        return "<@";
    }
    if (op == "<@") {
        return "@>";
    }
    return "";
}

bool is_range_operator(std::string_view op) {
    return op == "<" || op == "<=" || op == ">" || op == ">=";
}

} // namespace

void FactsBuilder::conditions(const Node* node, const Scope& scope,
                              const ConditionContext& context) {
    if (node == nullptr) {
        return;
    }
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_BOOL_EXPR: {
        const PgQuery__BoolExpr* expression = node->bool_expr;
        if (expression->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
            for (std::size_t i = 0; i < expression->n_args; ++i) {
                conditions(expression->args[i], scope, context);
            }
        } else if (expression->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR) {
            ConditionContext disjunct = context;
            disjunct.under_or = true;
            for (std::size_t i = 0; i < expression->n_args; ++i) {
                conditions(expression->args[i], scope, disjunct);
            }
        } else if (expression->n_args == 1) {
            const Node* argument = expression->args[0];
            if (pg::is_column_ref(pg::strip_casts(argument))) {
                boolean_test(argument, false, scope, context);
            } else {
                // NOT EXISTS / NOT IN: the sub-select still reads its tables.
                walk_expression(argument, scope, Purpose::none);
            }
        }
        return;
    }
    case PG_QUERY__NODE__NODE_A_EXPR:
        comparison(node->a_expr, scope, context);
        return;
    case PG_QUERY__NODE__NODE_NULL_TEST:
        null_test(node->null_test, scope, context);
        return;
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST: {
        const PgQuery__BooleanTest* test = node->boolean_test;
        if (test->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_TRUE) {
            boolean_test(test->arg, true, scope, context);
        } else if (test->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_FALSE) {
            boolean_test(test->arg, false, scope, context);
        } else {
            walk_expression(test->arg, scope, Purpose::none);
        }
        return;
    }
    case PG_QUERY__NODE__NODE_COLUMN_REF:
    case PG_QUERY__NODE__NODE_TYPE_CAST:
        if (pg::is_column_ref(pg::strip_casts(node))) {
            boolean_test(node, true, scope, context);
        } else {
            walk_expression(node, scope, Purpose::none);
        }
        return;
    case PG_QUERY__NODE__NODE_SUB_LINK:
        sublink(node->sub_link, scope, context);
        return;
    default:
        walk_expression(node, scope, Purpose::none);
        return;
    }
}

void FactsBuilder::comparison(const PgQuery__AExpr* expression, const Scope& scope,
                              const ConditionContext& context) {
    const std::string op = pg::operator_name(expression);
    switch (expression->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
        if (op == "=") {
            compare(expression->lexpr, expression->rexpr, ColumnRole::eq, op, scope, context);
        } else if (is_range_operator(op)) {
            compare(expression->lexpr, expression->rexpr, ColumnRole::range, op, scope, context);
        } else if (is_containment_operator(op)) {
            compare(expression->lexpr, expression->rexpr, ColumnRole::json_contains, op, scope,
                    context);
        } else if (op == "~~") {
            like(expression->lexpr, expression->rexpr, scope, context);
        } else if (op == "<>" || op == "!=" || op == "~~*" || op == "~" || op == "~*") {
            // Not indexable by btree, but strict: the column is not null where the clause holds.
            Restriction restriction;
            restriction.predicate = PredicateKind::strict_comparison;
            const Term left = describe(expression->lexpr, scope);
            if (left.kind == Term::Kind::columns &&
                describe(expression->rexpr, scope).kind == Term::Kind::value) {
                restrict_term(left, restriction, context);
            }
        }
        break;
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
        if (op == "=") {
            in_list(expression->lexpr, expression->rexpr, true, scope, context);
        }
        break;
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
        if (op == "=") {
            in_list(expression->lexpr, expression->rexpr, false, scope, context);
        }
        break;
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
        if (op == "~~") {
            like(expression->lexpr, expression->rexpr, scope, context);
        }
        break;
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
        between(expression->lexpr, expression->rexpr, scope, context);
        break;
    default:
        break;
    }
    // Sub-selects and JSON paths inside the operands.
    walk_expression(expression->lexpr, scope, Purpose::none);
    walk_expression(expression->rexpr, scope, Purpose::none);
}

void FactsBuilder::compare(const Node* left, const Node* right, ColumnRole role,
                           const std::string& op, const Scope& scope,
                           const ConditionContext& context) {
    const Term left_term = describe(left, scope);
    const Term right_term = describe(right, scope);
    const bool left_column = left_term.kind == Term::Kind::columns;
    const bool right_column = right_term.kind == Term::Kind::columns;
    if (left_column && right_column) {
        if (role == ColumnRole::eq) {
            join_terms(left_term, right_term, context);
        } else if (role == ColumnRole::range) {
            // t.a < u.b: each side is a range bound of the other's (a parameterized scan).
            Restriction restriction;
            restriction.role = ColumnRole::range;
            restriction.operand = Operand::column;
            restriction.op = op;
            restrict_term(left_term, restriction, context);
            restriction.op = commutator(op);
            restrict_term(right_term, restriction, context);
        }
        return;
    }
    const Term* column = nullptr;
    const Term* value = nullptr;
    const Node* value_node = nullptr;
    std::string column_op = op;
    if (left_column && right_term.kind == Term::Kind::value) {
        column = &left_term;
        value = &right_term;
        value_node = right;
    } else if (right_column && left_term.kind == Term::Kind::value) {
        // 6412 = t.parent_id (SQLAlchemy's lazy loads) is t.parent_id = 6412.
        column = &right_term;
        value = &left_term;
        value_node = left;
        column_op = commutator(op);
        if (column_op.empty()) {
            return; // 'key' ? col has no commutator
        }
    } else {
        return;
    }
    Restriction restriction;
    restriction.role = role;
    restriction.operand = value->value;
    restriction.op = role == ColumnRole::eq ? "" : column_op;
    restriction.value_node = value_node;
    restriction.predicate = PredicateKind::strict_comparison;
    if (role == ColumnRole::eq && value->value == Operand::constant) {
        if (const auto literal = pg::literal_text(value_node)) {
            restriction.predicate = PredicateKind::equals;
            restriction.predicate_value = *literal;
        }
    }
    restrict_term(*column, restriction, context);
}

Operand FactsBuilder::operand_of_list(const std::vector<const Node*>& items,
                                      const Scope& scope) const {
    Operand operand = Operand::constant;
    for (const Node* item : items) {
        const Term term = describe(item, scope);
        if (term.kind != Term::Kind::value) {
            return Operand::none;
        }
        if (term.value == Operand::expression) {
            operand = Operand::expression;
        } else if (term.value == Operand::parameter && operand == Operand::constant) {
            operand = Operand::parameter;
        }
    }
    return operand;
}

void FactsBuilder::in_list(const Node* left, const Node* right, bool any_array, const Scope& scope,
                           const ConditionContext& context) {
    const Term column = describe(left, scope);
    if (column.kind != Term::Kind::columns) {
        return;
    }
    Restriction restriction;
    restriction.role = ColumnRole::in;
    restriction.predicate = PredicateKind::strict_comparison;
    if (any_array) {
        // col = ANY($1), col = ANY('{1,2}'), col = ANY(ARRAY[1, 2])
        const Node* array = pg::strip_casts(right);
        std::vector<const Node*> items;
        if (array != nullptr && array->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR) {
            items.assign(array->a_array_expr->elements,
                         array->a_array_expr->elements + array->a_array_expr->n_elements);
        } else {
            items.push_back(right);
        }
        restriction.operand = operand_of_list(items, scope);
    } else {
        if (right == nullptr || right->node_case != PG_QUERY__NODE__NODE_LIST) {
            return;
        }
        const std::vector<const Node*> items(right->list->items,
                                             right->list->items + right->list->n_items);
        restriction.operand = operand_of_list(items, scope);
        // The parser turns a one-element IN list into = (parse_expr.c, transformAExprIn).
        if (items.size() == 1 && restriction.operand != Operand::none) {
            ConditionContext listed = context;
            listed.in_list = true;
            compare(left, items[0], ColumnRole::eq, "=", scope, listed);
            return;
        }
    }
    if (restriction.operand == Operand::none) {
        return;
    }
    restrict_term(column, restriction, context);
}

void FactsBuilder::like(const Node* left, const Node* pattern, const Scope& scope,
                        const ConditionContext& context) {
    const Term column = describe(left, scope);
    const Term value = describe(pattern, scope);
    if (column.kind != Term::Kind::columns || value.kind != Term::Kind::value) {
        return;
    }
    Restriction restriction;
    restriction.predicate = PredicateKind::strict_comparison;
    // A btree can serve LIKE only for a constant pattern with a fixed prefix (indxpath.c,
    // match_pattern_prefix): 'abc%' yes, '%abc' or $1 no.
    const auto text = pg::literal_text(pattern);
    if (value.value == Operand::constant && text && !text->empty() && text->front() != '%' &&
        text->front() != '_') {
        restriction.role = ColumnRole::like_prefix;
        restriction.operand = Operand::constant;
        restriction.op = "~~";
    }
    restrict_term(column, restriction, context);
}

void FactsBuilder::between(const Node* left, const Node* bounds, const Scope& scope,
                           const ConditionContext& context) {
    const Term column = describe(left, scope);
    if (column.kind != Term::Kind::columns || bounds == nullptr ||
        bounds->node_case != PG_QUERY__NODE__NODE_LIST) {
        return;
    }
    const std::vector<const Node*> items(bounds->list->items,
                                         bounds->list->items + bounds->list->n_items);
    Restriction restriction;
    restriction.role = ColumnRole::range;
    restriction.operand = operand_of_list(items, scope);
    restriction.op = "between";
    restriction.predicate = PredicateKind::strict_comparison;
    if (restriction.operand != Operand::none) {
        restrict_term(column, restriction, context);
    }
}

void FactsBuilder::null_test(const PgQuery__NullTest* test, const Scope& scope,
                             const ConditionContext& context) {
    const Term column = describe(test->arg, scope);
    if (column.kind != Term::Kind::columns) {
        walk_expression(test->arg, scope, Purpose::none);
        return;
    }
    Restriction restriction;
    if (test->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL) {
        restriction.role = ColumnRole::is_null;
        restriction.predicate = PredicateKind::is_null;
    } else {
        restriction.predicate = PredicateKind::is_not_null;
    }
    restrict_term(column, restriction, context);
    walk_expression(test->arg, scope, Purpose::none);
}

// `WHERE active`, `NOT active`, `active IS TRUE`: the planner matches these to an index on the
// boolean column as active = true / false (indxpath.c, match_boolean_index_clause).
void FactsBuilder::boolean_test(const Node* column_node, bool value, const Scope& scope,
                                const ConditionContext& context) {
    const Term column = describe(column_node, scope);
    if (column.kind != Term::Kind::columns) {
        return;
    }
    Restriction restriction;
    restriction.role = ColumnRole::eq;
    restriction.operand = Operand::constant;
    restriction.predicate = value ? PredicateKind::is_true : PredicateKind::is_false;
    restrict_term(column, restriction, context);
}

void FactsBuilder::restrict_term(const Term& term, const Restriction& restriction,
                                 const ConditionContext& context) {
    if (term.depth != 0) {
        return; // a clause on an outer query's column restricts nothing here
    }
    for (const auto& origin : term.origins) {
        if (origin.reach < Reach::filters ||
            (context.restricted != nullptr && context.restricted->count(origin.scan) == 0)) {
            continue;
        }
        const std::string expression =
            term.expression.empty() ? origin.expression : term.expression;
        if (restriction.role) {
            ColumnUse use;
            use.column = origin.column;
            use.expression = expression;
            use.role = *restriction.role;
            use.operand = restriction.operand;
            use.operator_name = restriction.op;
            use.under_or = context.under_or;
            use.written_as_list = context.in_list || use.role == ColumnRole::in;
            add_use(origin.scan, use);
        }
        if (!restriction.predicate || context.under_or || !expression.empty()) {
            continue;
        }
        ScanPredicate predicate;
        predicate.column = origin.column;
        predicate.kind = *restriction.predicate;
        predicate.value = restriction.predicate_value;
        if (predicate.kind == PredicateKind::equals) {
            // col = true on a boolean column is the boolean test itself.
            const auto boolean = pg::literal_bool(restriction.value_node);
            const Node* literal = pg::strip_casts(restriction.value_node);
            const bool boolean_literal =
                literal != nullptr && literal->node_case == PG_QUERY__NODE__NODE_A_CONST &&
                literal->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL;
            if (boolean && (boolean_literal || is_boolean_column(origin.scan, origin.column))) {
                predicate.kind = *boolean ? PredicateKind::is_true : PredicateKind::is_false;
                predicate.value.clear();
            }
        }
        add_predicate(origin.scan, predicate);
    }
}

void FactsBuilder::join_terms(const Term& left, const Term& right,
                              const ConditionContext& context) {
    // Join columns reach a table through pulled-up sub-selects only: a sub-select planned on its
    // own cannot take the other side's value as an index key.
    const auto joinable = [](const ColumnOrigin& origin) {
        return origin.reach >= Reach::pulled_up;
    };
    // The other side is a column of a CTE scan, a grouped sub-select or a function: still a
    // join column of this side, with no table to name as its partner.
    if (left.origins.empty() != right.origins.empty()) {
        const Term& known = left.origins.empty() ? right : left;
        for (const auto& origin : known.origins) {
            if (!joinable(origin)) {
                continue;
            }
            ColumnUse use;
            use.column = origin.column;
            use.expression = known.expression.empty() ? origin.expression : known.expression;
            use.role = ColumnRole::join;
            use.operand = Operand::column;
            use.under_or = context.under_or;
            add_use(origin.scan, use);
        }
        return;
    }
    for (const auto& a : left.origins) {
        for (const auto& b : right.origins) {
            if (!joinable(a) || !joinable(b) || a.scan == b.scan) {
                continue;
            }
            const auto add = [&](const ColumnOrigin& self, const Term& self_term,
                                 const ColumnOrigin& other) {
                ColumnUse use;
                use.column = self.column;
                use.expression =
                    self_term.expression.empty() ? self.expression : self_term.expression;
                use.role = ColumnRole::join;
                use.operand = Operand::column;
                use.joined_table = facts_.scans[other.scan].table;
                use.joined_column = other.column;
                use.under_or = context.under_or;
                add_use(self.scan, use);
            };
            add(a, left, b);
            add(b, right, a);
        }
    }
}

void FactsBuilder::sublink(const PgQuery__SubLink* link, const Scope& scope,
                           const ConditionContext& context) {
    const Node* body = select_node(link->subselect);
    if (body == nullptr) {
        walk_expression(link->testexpr, scope, Purpose::none);
        return;
    }
    BlockOptions options;
    // EXISTS (SELECT * ...) does not evaluate its select list.
    options.outputs_read = link->sub_link_type != PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK;
    const BlockOutput output = select_block(body->select_stmt, &scope, options);
    walk_expression(link->testexpr, scope, Purpose::none);
    // x IN (SELECT y ...) is a semi-join on x = y (subselect.c, convert_ANY_sublink_to_join).
    if (link->sub_link_type != PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK || output.columns.empty() ||
        link->testexpr == nullptr) {
        return;
    }
    const Term outer = describe(link->testexpr, scope);
    if (outer.kind != Term::Kind::columns) {
        return;
    }
    Term inner;
    inner.kind = Term::Kind::columns;
    inner.origins = output.columns[0].origins;
    for (auto& origin : inner.origins) {
        origin.reach = std::min(origin.reach, output.reach);
    }
    join_terms(outer, inner, context);
}

} // namespace parsers::query_facts
