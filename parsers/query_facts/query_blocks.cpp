// Query blocks: one SELECT's clauses (FROM, WHERE, select list, GROUP BY, HAVING, ORDER BY,
// LIMIT), set operations (UNION / INTERSECT / EXCEPT), VALUES lists, and how far (Reach) what the
// block reading this one says passes into it: GROUP BY, DISTINCT, window functions and LIMIT each
// stop some of it. Also the block's output columns (select list, SELECT *) and the ORDER BY /
// GROUP BY keys it asks of its tables.

#include "parsers/query_facts/facts_builder.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parsers::query_facts {

namespace {

// LIMIT / OFFSET as written. LIMIT ALL and LIMIT NULL mean no limit (the grammar gives a NULL).
struct LimitClause {
    bool present = false;
    std::optional<long> value;
};

LimitClause limit_clause(const Node* node) {
    LimitClause clause;
    const Node* inner = pg::strip_casts(node);
    if (inner == nullptr ||
        (inner->node_case == PG_QUERY__NODE__NODE_A_CONST && inner->a_const->isnull)) {
        return clause;
    }
    clause.present = true;
    clause.value = pg::integer_value(inner);
    return clause;
}

// The name of a sort or group key that may be a select-list alias (a single unqualified name).
std::optional<std::string> bare_name(const Node* node) {
    const auto name = pg::column_ref_name(node);
    if (!name || name->star || !name->qualifier.empty()) {
        return std::nullopt;
    }
    return name->column;
}

// SELECT count(*) FROM t: aggregates over the whole input (no GROUP BY) return one row, whatever
// the table holds. A column outside every aggregate would need a GROUP BY.
bool is_aggregate_only(const PgQuery__SelectStmt* stmt) {
    if (stmt->n_group_clause > 0 || stmt->n_target_list == 0) {
        return false;
    }
    bool any_aggregate = false;
    for (std::size_t i = 0; i < stmt->n_target_list; ++i) {
        const Node* target = stmt->target_list[i];
        const Node* value = target->node_case == PG_QUERY__NODE__NODE_RES_TARGET
                                ? target->res_target->val
                                : nullptr;
        if (contains_window_function(value)) {
            return false;
        }
        if (!contains_aggregate_or_window(value)) {
            if (!pg::is_constant(value)) {
                return false;
            }
            continue;
        }
        any_aggregate = true;
        bool bare_column = false;
        pg::visit_nodes(value, [&](const Node* child) {
            if (child->node_case == PG_QUERY__NODE__NODE_SUB_LINK ||
                (child->node_case == PG_QUERY__NODE__NODE_FUNC_CALL &&
                 pg::is_aggregate_call(child->func_call))) {
                return false;
            }
            bare_column = bare_column || child->node_case == PG_QUERY__NODE__NODE_COLUMN_REF;
            return true;
        });
        if (bare_column) {
            return false;
        }
    }
    return any_aggregate;
}

} // namespace

BlockOutput FactsBuilder::select_block(const PgQuery__SelectStmt* stmt, const Scope* outer,
                                       const BlockOptions& options) {
    BlockOutput block;
    if (stmt == nullptr || nesting_ >= max_nesting) {
        block.reach = Reach::opaque;
        return block;
    }
    const ScopedValue<int> nesting(nesting_, nesting_ + 1);
    CteFrame frame;
    frame.outer = ctes_;
    if (stmt->with_clause != nullptr) {
        add_ctes(stmt->with_clause, &stmt->base, outer, frame);
    }
    const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);

    if (stmt->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
        stmt->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED) {
        block = set_operation(stmt, outer, options);
    } else if (stmt->n_values_lists > 0) {
        block = values_block(stmt, outer);
    } else {
        Scope scope;
        scope.outer = outer;
        std::vector<std::size_t> added;
        for (std::size_t i = 0; i < stmt->n_from_clause; ++i) {
            from_item(stmt->from_clause[i], scope, added, block);
        }
        conditions(stmt->where_clause, scope, ConditionContext{});
        block.columns =
            targets(stmt->target_list, stmt->n_target_list, scope, options.outputs_read);
        group_by(stmt, scope);
        walk_expression(stmt->having_clause, scope, Purpose::none);

        bool aggregates = stmt->having_clause != nullptr;
        bool window = false;
        for (std::size_t i = 0; i < stmt->n_target_list; ++i) {
            const Node* target = stmt->target_list[i];
            aggregates = aggregates || contains_aggregate_or_window(target);
            window = window || contains_window_function(target);
        }
        bool distinct_on = false;
        for (std::size_t i = 0; i < stmt->n_distinct_clause; ++i) {
            const Node* item = stmt->distinct_clause[i];
            distinct_on = distinct_on ||
                          (item != nullptr && item->node_case != PG_QUERY__NODE__NODE__NOT_SET);
        }
        const bool grouped = stmt->n_group_clause > 0 || aggregates;
        order_by(stmt, scope, !grouped && stmt->n_distinct_clause == 0);

        if (grouped || stmt->n_distinct_clause > 0 || stmt->n_sort_clause > 0) {
            block.reach = Reach::filters;
        }
        if (window || distinct_on || stmt->n_locking_clause > 0) {
            block.reach = Reach::opaque;
        }
        apply_limit(stmt, options.top_level, block);
        if (options.top_level) {
            facts_.aggregate_only = is_aggregate_only(stmt);
        }
    }
    return block;
}

BlockOutput FactsBuilder::set_operation(const PgQuery__SelectStmt* stmt, const Scope* outer,
                                        const BlockOptions& options) {
    BlockOptions branch_options;
    branch_options.outputs_read = options.outputs_read;
    const BlockOutput left = select_block(stmt->larg, outer, branch_options);
    const BlockOutput right = select_block(stmt->rarg, outer, branch_options);
    BlockOutput block;
    block.reach = Reach::filters;
    block.columns = left.columns;
    const auto weaken = [](std::vector<ColumnOrigin> origins, Reach reach) {
        for (auto& origin : origins) {
            origin.reach = std::min(origin.reach, reach);
        }
        return origins;
    };
    // A nested set operation is one of the branches of this one (the planner flattens them), so
    // its own reach, meant for a query reading it, does not apply between the two.
    const auto branch_reach = [](const PgQuery__SelectStmt* branch, const BlockOutput& output) {
        const bool nested = branch != nullptr &&
                            branch->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
                            branch->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED;
        return nested ? std::max(output.reach, Reach::pulled_up) : output.reach;
    };
    for (std::size_t i = 0; i < block.columns.size(); ++i) {
        block.columns[i].origins = weaken(block.columns[i].origins, branch_reach(stmt->larg, left));
        if (i < right.columns.size()) {
            const auto more = weaken(right.columns[i].origins, branch_reach(stmt->rarg, right));
            block.columns[i].origins.insert(block.columns[i].origins.end(), more.begin(),
                                            more.end());
        }
    }
    for (const auto* branch : {&left, &right}) {
        if (branch->reach >= Reach::pulled_up) {
            block.flat_scans.insert(block.flat_scans.end(), branch->flat_scans.begin(),
                                    branch->flat_scans.end());
        }
    }
    // ORDER BY of a set operation names output columns, by position or by name.
    for (std::size_t i = 0; i < stmt->n_sort_clause; ++i) {
        const Node* item = stmt->sort_clause[i];
        if (item->node_case != PG_QUERY__NODE__NODE_SORT_BY) {
            continue;
        }
        const PgQuery__SortBy* sort = item->sort_by;
        const OutputColumn* column = nullptr;
        if (const auto position = pg::integer_value(pg::strip_casts(sort->node))) {
            if (*position >= 1 && static_cast<std::size_t>(*position) <= block.columns.size()) {
                column = &block.columns[*position - 1];
            }
        } else if (const auto name = bare_name(sort->node)) {
            for (const auto& candidate : block.columns) {
                if (candidate.name == *name) {
                    column = &candidate;
                    break;
                }
            }
        }
        if (column == nullptr) {
            continue;
        }
        for (const auto& origin : column->origins) {
            if (origin.reach < Reach::pulled_up) {
                continue;
            }
            ColumnUse use;
            use.column = origin.column;
            use.expression = origin.expression;
            use.role = ColumnRole::order;
            use.direction = sort->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC
                                ? SortDirection::descending
                                : SortDirection::ascending;
            add_use(origin.scan, use);
        }
    }
    apply_limit(stmt, options.top_level, block);
    return block;
}

void FactsBuilder::apply_limit(const PgQuery__SelectStmt* stmt, bool top_level,
                               BlockOutput& block) {
    const LimitClause limit = limit_clause(stmt->limit_count);
    const LimitClause offset = limit_clause(stmt->limit_offset);
    // The outer query's clauses cannot pass a LIMIT / OFFSET (allpaths.c,
    // subquery_is_pushdown_safe): they would change which rows it keeps.
    if (limit.present || offset.present) {
        block.reach = Reach::opaque;
    }
    if (limit.present) {
        for (const std::size_t scan : block.flat_scans) {
            facts_.scans[scan].limited = true;
        }
    }
    if (top_level) {
        facts_.has_limit = limit.present;
        facts_.limit = limit.value;
        facts_.has_offset = offset.present;
        facts_.offset = offset.value;
    }
}

BlockOutput FactsBuilder::values_block(const PgQuery__SelectStmt* stmt, const Scope* outer) {
    BlockOutput block;
    block.reach = Reach::opaque;
    Scope scope;
    scope.outer = outer;
    std::size_t width = 0;
    for (std::size_t i = 0; i < stmt->n_values_lists; ++i) {
        const Node* row = stmt->values_lists[i];
        walk_expression(row, scope, Purpose::none);
        if (row->node_case == PG_QUERY__NODE__NODE_LIST) {
            width = std::max(width, row->list->n_items);
        }
    }
    for (std::size_t i = 0; i < width; ++i) {
        block.columns.push_back(OutputColumn{"column" + std::to_string(i + 1), {}});
    }
    return block;
}

std::vector<OutputColumn> FactsBuilder::targets(Node* const* items, std::size_t count,
                                                const Scope& scope, bool outputs_read) {
    std::vector<OutputColumn> outputs;
    for (std::size_t i = 0; i < count; ++i) {
        if (items[i]->node_case != PG_QUERY__NODE__NODE_RES_TARGET) {
            continue;
        }
        const PgQuery__ResTarget* target = items[i]->res_target;
        const Node* value = target->val;
        const auto name = pg::column_ref_name(value);
        if (name && name->star) {
            if (outputs_read) {
                select_star(*name, scope, &outputs);
            }
            continue;
        }
        walk_expression(value, scope, outputs_read ? Purpose::select : Purpose::none);
        OutputColumn output;
        output.name = target->name != nullptr && *target->name != '\0' ? std::string(target->name)
                                                                       : figure_column_name(value);
        // Only a bare column (or an expression over one table's columns) carries facts about
        // the outer query's use of this output back to the table: a cast changes the ordering
        // and equality an index could offer.
        const Term term = origins_term(value, scope);
        if (term.kind == Term::Kind::columns && term.depth == 0) {
            output.origins = term.origins;
            for (auto& origin : output.origins) {
                if (!term.expression.empty()) {
                    origin.expression = term.expression;
                }
            }
        }
        outputs.push_back(std::move(output));
    }
    return outputs;
}

void FactsBuilder::select_star(const pg::ColumnRefName& name, const Scope& scope,
                               std::vector<OutputColumn>* outputs) {
    for (const auto& source : scope.sources) {
        if (!name.qualifier.empty() && source.name != name.qualifier) {
            continue;
        }
        if (source.is_scan) {
            facts_.scans[source.scan].select_star = true;
        }
        if (outputs != nullptr) {
            for (const auto& column : column_names(source)) {
                OutputColumn output;
                output.name = column;
                if (auto origins = origins_of(source, column)) {
                    output.origins = std::move(*origins);
                }
                outputs->push_back(std::move(output));
            }
        }
    }
}

// PostgreSQL resolves a bare ORDER BY name to an output column first (SQL-92), a GROUP BY name to
// an input column first (parse_clause.c, findTargetlistEntrySQL92); a number is a position.
const Node* FactsBuilder::sort_expression(const Node* node, const PgQuery__SelectStmt* stmt,
                                          const Scope& scope, bool output_names_first) const {
    const auto target_value = [&](std::size_t index) -> const Node* {
        const Node* target = stmt->target_list[index];
        return target->node_case == PG_QUERY__NODE__NODE_RES_TARGET ? target->res_target->val
                                                                    : nullptr;
    };
    const Node* inner = pg::strip_casts(node);
    if (inner != nullptr && inner->node_case == PG_QUERY__NODE__NODE_A_CONST) {
        const auto position = pg::integer_value(inner);
        if (position && *position >= 1 &&
            static_cast<std::size_t>(*position) <= stmt->n_target_list) {
            return target_value(*position - 1);
        }
        return nullptr;
    }
    const auto name = bare_name(node);
    if (!name) {
        return node;
    }
    if (!output_names_first && resolve(*pg::column_ref_name(node), scope)) {
        return node;
    }
    for (std::size_t i = 0; i < stmt->n_target_list; ++i) {
        const Node* target = stmt->target_list[i];
        if (target->node_case == PG_QUERY__NODE__NODE_RES_TARGET &&
            target->res_target->name != nullptr && *name == target->res_target->name) {
            return target_value(i);
        }
    }
    return node;
}

void FactsBuilder::order_by(const PgQuery__SelectStmt* stmt, const Scope& scope,
                            bool delivers_order) {
    std::vector<OrderKey> keys;
    std::optional<std::size_t> single_scan;
    bool one_scan = stmt->n_sort_clause > 0;
    for (std::size_t i = 0; i < stmt->n_sort_clause; ++i) {
        const Node* item = stmt->sort_clause[i];
        if (item->node_case != PG_QUERY__NODE__NODE_SORT_BY) {
            one_scan = false;
            continue;
        }
        const PgQuery__SortBy* sort = item->sort_by;
        walk_expression(sort->node, scope, Purpose::none);
        const Node* expression = sort_expression(sort->node, stmt, scope, true);
        const Term term = origins_term(expression, scope);
        const SortDirection direction = sort->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC
                                            ? SortDirection::descending
                                            : SortDirection::ascending;
        const NullsOrder nulls = sort->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST
                                     ? NullsOrder::first
                                 : sort->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST
                                     ? NullsOrder::last
                                     : NullsOrder::unspecified;
        if (term.kind != Term::Kind::columns || term.depth != 0 || term.origins.size() != 1 ||
            term.origins[0].reach < Reach::pulled_up ||
            sort->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING) {
            one_scan = false;
            continue;
        }
        const ColumnOrigin& origin = term.origins[0];
        ColumnUse use;
        use.column = origin.column;
        use.expression = term.expression.empty() ? origin.expression : term.expression;
        use.role = ColumnRole::order;
        use.direction = direction;
        use.nulls = nulls;
        keys.push_back(OrderKey{use.key(), direction, nulls});
        add_use(origin.scan, use);
        if (single_scan && *single_scan != origin.scan) {
            one_scan = false;
        }
        single_scan = origin.scan;
    }
    if (delivers_order && one_scan && single_scan) {
        facts_.scans[*single_scan].order_by = keys;
    }
}

void FactsBuilder::group_by(const PgQuery__SelectStmt* stmt, const Scope& scope) {
    for (std::size_t i = 0; i < stmt->n_group_clause; ++i) {
        const Node* item = stmt->group_clause[i];
        walk_expression(item, scope, Purpose::none);
        const Node* expression = sort_expression(item, stmt, scope, false);
        const Term term = origins_term(expression, scope);
        if (term.kind != Term::Kind::columns || term.depth != 0) {
            continue;
        }
        for (const auto& origin : term.origins) {
            if (origin.reach < Reach::pulled_up) {
                continue;
            }
            ColumnUse use;
            use.column = origin.column;
            use.expression = term.expression.empty() ? origin.expression : term.expression;
            use.role = ColumnRole::group;
            add_use(origin.scan, use);
        }
    }
}

} // namespace parsers::query_facts
