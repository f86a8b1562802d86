// FROM and scopes: the items of a FROM list (tables, views replaced by their definition, CTE
// references, sub-selects, set-returning functions, joins), the table scans they add and the
// Sources that the block's column references then resolve in; for a join, which side an outer
// join's ON restricts, and the columns USING / NATURAL join on.

#include "parsers/query_facts/facts_builder.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace parsers::query_facts {

namespace {

std::vector<std::string> alias_column_names(const PgQuery__Alias* alias) {
    if (alias == nullptr) {
        return {};
    }
    return pg::string_list(alias->colnames, alias->n_colnames);
}

} // namespace

std::size_t FactsBuilder::add_scan(const QueryFactsExtractor::Relation& relation,
                                   const std::string& alias, ScanMode mode) {
    TableScan scan;
    scan.table = relation.qualified_name;
    scan.alias = alias;
    scan.mode = mode;
    scan.in_catalog = relation.table != nullptr;
    scan.system_catalog = relation.system_catalog;
    scan.via_view = current_view_;
    if (relation.system_catalog) {
        system_tables_.insert(relation.qualified_name);
    } else if (relation.table == nullptr) {
        unknown_tables_.insert(relation.qualified_name);
    }
    facts_.scans.push_back(std::move(scan));
    scan_tables_.push_back(relation.table);
    return facts_.scans.size() - 1;
}

Source FactsBuilder::scan_source(std::size_t scan, const QueryFactsExtractor::Relation& relation,
                                 const std::string& visible_name, const std::string& schema) const {
    Source source;
    source.name = visible_name;
    source.schema = relation.table != nullptr ? relation.table->schema : schema;
    source.is_scan = true;
    source.scan = scan;
    source.table = relation.table;
    return source;
}

void FactsBuilder::from_item(const Node* item, Scope& scope, std::vector<std::size_t>& added,
                             BlockOutput& block) {
    if (item == nullptr) {
        return;
    }
    switch (item->node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR:
        relation(item->range_var, scope, added, block);
        return;
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT: {
        const PgQuery__RangeSubselect* subselect = item->range_subselect;
        const Node* body = select_node(subselect->subquery);
        if (body == nullptr) {
            return;
        }
        // A LATERAL sub-select sees the FROM items before it; any other only outer levels.
        const BlockOutput output =
            select_block(body->select_stmt, subselect->lateral ? &scope : scope.outer, {});
        Source source;
        source.name = subselect->alias != nullptr && subselect->alias->aliasname != nullptr
                          ? subselect->alias->aliasname
                          : "";
        add_derived(std::move(source), output, subselect->alias, scope, added, block);
        return;
    }
    case PG_QUERY__NODE__NODE_JOIN_EXPR:
        join(item->join_expr, scope, added, block);
        return;
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION: {
        const PgQuery__RangeFunction* function = item->range_function;
        for (std::size_t i = 0; i < function->n_functions; ++i) {
            walk_expression(function->functions[i], scope, Purpose::none);
        }
        Source source;
        source.name = function->alias != nullptr && function->alias->aliasname != nullptr
                          ? function->alias->aliasname
                          : "";
        for (const auto& column : alias_column_names(function->alias)) {
            source.columns.push_back(OutputColumn{column, {}});
        }
        added.push_back(scope.sources.size());
        scope.sources.push_back(std::move(source));
        return;
    }
    default:
        return;
    }
}

void FactsBuilder::add_derived(Source source, const BlockOutput& output,
                               const PgQuery__Alias* alias, Scope& scope,
                               std::vector<std::size_t>& added, BlockOutput& block) {
    source.columns = output.columns;
    for (auto& column : source.columns) {
        for (auto& origin : column.origins) {
            origin.reach = std::min(origin.reach, output.reach);
        }
    }
    const auto renamed = alias_column_names(alias);
    for (std::size_t i = 0; i < renamed.size() && i < source.columns.size(); ++i) {
        source.columns[i].name = renamed[i];
    }
    if (output.reach >= Reach::pulled_up) {
        block.flat_scans.insert(block.flat_scans.end(), output.flat_scans.begin(),
                                output.flat_scans.end());
    }
    added.push_back(scope.sources.size());
    scope.sources.push_back(std::move(source));
}

void FactsBuilder::relation(const PgQuery__RangeVar* range_var, Scope& scope,
                            std::vector<std::size_t>& added, BlockOutput& block) {
    const auto name = pg::range_var_name(range_var);
    const std::string visible = name.alias.empty() ? name.relation : name.alias;
    if (name.schema.empty() && ctes_ != nullptr) {
        if (const CteEntry* cte = ctes_->find(name.relation)) {
            Source source;
            source.name = visible;
            BlockOutput output;
            output.reach = Reach::opaque;
            if (cte->inlined && nesting_ < max_nesting) {
                const ScopedValue<const CteFrame*> defining_ctes(ctes_, cte->frame);
                output = select_block(cte->cte->ctequery->select_stmt, nullptr, {});
                const auto renamed =
                    pg::string_list(cte->cte->aliascolnames, cte->cte->n_aliascolnames);
                for (std::size_t i = 0; i < renamed.size() && i < output.columns.size(); ++i) {
                    output.columns[i].name = renamed[i];
                }
            } else {
                for (const auto& column : cte->column_names) {
                    output.columns.push_back(OutputColumn{column, {}});
                }
            }
            add_derived(std::move(source), output, range_var->alias, scope, added, block);
            return;
        }
    }
    const auto resolved = extractor_.resolve_relation(name.schema, name.relation);
    if (resolved.table != nullptr && resolved.table->kind == TableKind::view &&
        view_depth_ < max_view_depth) {
        // The rewriter replaces a view by its definition: a sub-select the planner pulls up.
        const pg::ParseOutcome parsed = pg::parse(resolved.table->view_definition);
        if (!parsed.error && parsed.tree.size() == 1 &&
            select_node(parsed.tree.statement_node(0)) != nullptr) {
            views_.insert(resolved.qualified_name);
            // A view's definition sees none of the query's CTEs.
            const ScopedValue<const CteFrame*> no_ctes(ctes_, nullptr);
            const ScopedValue<std::string> outermost_view(
                current_view_, current_view_.empty() ? resolved.qualified_name : current_view_);
            const ScopedValue<int> depth(view_depth_, view_depth_ + 1);
            const BlockOutput output =
                select_block(parsed.tree.statement_node(0)->select_stmt, nullptr, {});
            Source source;
            source.name = visible;
            source.schema = resolved.table->schema;
            add_derived(std::move(source), output, range_var->alias, scope, added, block);
            return;
        }
    }
    const std::size_t scan = add_scan(resolved, visible, ScanMode::read);
    added.push_back(scope.sources.size());
    scope.sources.push_back(scan_source(scan, resolved, visible, name.schema));
    block.flat_scans.push_back(scan);
}

void FactsBuilder::join(const PgQuery__JoinExpr* join, Scope& scope,
                        std::vector<std::size_t>& added, BlockOutput& block) {
    std::vector<std::size_t> left;
    std::vector<std::size_t> right;
    from_item(join->larg, scope, left, block);
    from_item(join->rarg, scope, right, block);
    added.insert(added.end(), left.begin(), left.end());
    added.insert(added.end(), right.begin(), right.end());

    const auto scans_of = [&](const std::vector<std::size_t>& sources) {
        std::set<std::size_t> scans;
        for (const std::size_t index : sources) {
            const Source& source = scope.sources[index];
            if (source.is_scan) {
                scans.insert(source.scan);
            }
            for (const auto& column : source.columns) {
                for (const auto& origin : column.origins) {
                    scans.insert(origin.scan);
                }
            }
        }
        return scans;
    };
    // An outer join's ON restricts only the nullable side's rows.
    std::set<std::size_t> restricted;
    ConditionContext context;
    switch (join->jointype) {
    case PG_QUERY__JOIN_TYPE__JOIN_LEFT:
        restricted = scans_of(right);
        context.restricted = &restricted;
        break;
    case PG_QUERY__JOIN_TYPE__JOIN_RIGHT:
        restricted = scans_of(left);
        context.restricted = &restricted;
        break;
    case PG_QUERY__JOIN_TYPE__JOIN_FULL:
        context.restricted = &restricted;
        break;
    default:
        break;
    }

    std::vector<std::string> using_columns =
        pg::string_list(join->using_clause, join->n_using_clause);
    if (join->is_natural) {
        std::set<std::string> left_names;
        for (const std::size_t index : left) {
            for (const auto& column : column_names(scope.sources[index])) {
                left_names.insert(column);
            }
        }
        for (const std::size_t index : right) {
            for (const auto& column : column_names(scope.sources[index])) {
                if (left_names.count(column) > 0 &&
                    std::find(using_columns.begin(), using_columns.end(), column) ==
                        using_columns.end()) {
                    using_columns.push_back(column);
                }
            }
        }
    }
    for (const auto& column : using_columns) {
        pg::ColumnRefName name;
        name.column = column;
        const auto left_origins = resolve_in(name, scope.sources, &left);
        const auto right_origins = resolve_in(name, scope.sources, &right);
        if (!left_origins || !right_origins) {
            continue;
        }
        Term left_term;
        left_term.kind = Term::Kind::columns;
        left_term.origins = *left_origins;
        Term right_term;
        right_term.kind = Term::Kind::columns;
        right_term.origins = *right_origins;
        join_terms(left_term, right_term, context);
    }
    conditions(join->quals, scope, context);
}

} // namespace parsers::query_facts
