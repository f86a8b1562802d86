// Statements: what FactsBuilder does with each top-level statement (SELECT, INSERT, UPDATE,
// DELETE, and the PREPARE, DECLARE CURSOR and COPY (query) that run a query), the WITH clause a
// statement opens (which CTEs PostgreSQL inlines where they are read and which it plans on their
// own), the target of a data-modifying statement, INSERT ... ON CONFLICT, RETURNING, and finish(),
// which sorts what the walk gathered into QueryFacts' lists.

#include "parsers/query_facts/facts_builder.hpp"

#include <set>
#include <string>
#include <vector>

namespace parsers::query_facts {

namespace {

// Counts references to a CTE name (unqualified relation names) below a message.
int count_relation_references(const ProtobufCMessage* message, const std::string& name) {
    int count = 0;
    pg::visit_nodes_below(message, [&](const Node* node) {
        if (node->node_case == PG_QUERY__NODE__NODE_RANGE_VAR) {
            const auto ref = pg::range_var_name(node->range_var);
            if (ref.schema.empty() && ref.relation == name) {
                ++count;
            }
        }
        return true;
    });
    return count;
}

} // namespace

void FactsBuilder::statement(const Node* node, bool first) {
    if (node == nullptr) {
        return;
    }
    const auto set_kind = [&](StatementKind kind) {
        if (first) {
            facts_.kind = kind;
        }
    };
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT: {
        set_kind(StatementKind::select);
        BlockOptions options;
        options.top_level = first;
        select_block(node->select_stmt, nullptr, options);
        return;
    }
    case PG_QUERY__NODE__NODE_INSERT_STMT:
        set_kind(StatementKind::insert);
        insert_statement(node->insert_stmt);
        return;
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        set_kind(StatementKind::update);
        update_statement(node->update_stmt);
        return;
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        set_kind(StatementKind::delete_);
        delete_statement(node->delete_stmt);
        return;
    // A prepared statement, a cursor (psycopg's named cursors) and COPY (query) TO run the query.
    case PG_QUERY__NODE__NODE_PREPARE_STMT:
        statement(node->prepare_stmt->query, first);
        return;
    case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT:
        statement(node->declare_cursor_stmt->query, first);
        return;
    case PG_QUERY__NODE__NODE_COPY_STMT:
        if (node->copy_stmt->query != nullptr) {
            statement(node->copy_stmt->query, first);
        } else {
            set_kind(StatementKind::other);
        }
        return;
    default:
        set_kind(StatementKind::other);
        return;
    }
}

void FactsBuilder::finish() {
    std::set<std::string> tables;
    for (const auto& scan : facts_.scans) {
        tables.insert(scan.table);
    }
    facts_.tables.assign(tables.begin(), tables.end());
    facts_.views.assign(views_.begin(), views_.end());
    facts_.unknown_tables.assign(unknown_tables_.begin(), unknown_tables_.end());
    facts_.system_tables.assign(system_tables_.begin(), system_tables_.end());
}

void FactsBuilder::add_ctes(const PgQuery__WithClause* with, const ProtobufCMessage* owner,
                            const Scope* outer, CteFrame& frame) {
    for (std::size_t i = 0; i < with->n_ctes; ++i) {
        if (with->ctes[i]->node_case != PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR) {
            continue;
        }
        const PgQuery__CommonTableExpr* cte = with->ctes[i]->common_table_expr;
        const std::string name = cte->ctename != nullptr ? cte->ctename : "";
        const Node* body = cte->ctequery;
        const int self_references =
            body == nullptr ? 0 : count_relation_references(&body->base, name);
        const int references = count_relation_references(owner, name) - self_references;
        const bool recursive = with->recursive && self_references > 0;
        const bool is_select = select_node(body) != nullptr;
        // PostgreSQL 12+ (subselect.c, SS_process_ctes) inlines a side-effect-free, non-recursive
        // CTE into the query that reads it when it is NOT MATERIALIZED or referenced only once.
        const bool inlined =
            is_select && !recursive &&
            (cte->ctematerialized == PG_QUERY__CTEMATERIALIZE__CTEMaterializeNever ||
             (cte->ctematerialized != PG_QUERY__CTEMATERIALIZE__CTEMaterializeAlways &&
              references == 1));
        CteEntry entry;
        entry.cte = cte;
        entry.inlined = inlined;
        entry.frame = &frame;
        entry.column_names = pg::string_list(cte->aliascolnames, cte->n_aliascolnames);
        frame.entries[name] = entry;
        if (inlined) {
            continue; // read where it is referenced
        }
        // A data-modifying CTE runs whether or not it is read; an unread SELECT does not run.
        if (!is_select && body != nullptr) {
            const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);
            if (body->node_case == PG_QUERY__NODE__NODE_INSERT_STMT) {
                insert_statement(body->insert_stmt);
            } else if (body->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT) {
                update_statement(body->update_stmt);
            } else if (body->node_case == PG_QUERY__NODE__NODE_DELETE_STMT) {
                delete_statement(body->delete_stmt);
            }
            continue;
        }
        if (references == 0 || !is_select) {
            continue;
        }
        // A materialized CTE is planned once on its own: the outer query's clauses stay outside.
        const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);
        if (recursive && entry.column_names.empty()) {
            // The recursive term reads the CTE's columns, named by the non-recursive term.
            const PgQuery__SelectStmt* seed = body->select_stmt;
            while (seed->larg != nullptr) {
                seed = seed->larg;
            }
            for (std::size_t t = 0; t < seed->n_target_list; ++t) {
                const auto* target = seed->target_list[t]->res_target;
                frame.entries[name].column_names.push_back(target->name != nullptr &&
                                                                   *target->name != '\0'
                                                               ? target->name
                                                               : figure_column_name(target->val));
            }
        }
        const BlockOutput output = select_block(body->select_stmt, outer, BlockOptions{});
        if (frame.entries[name].column_names.empty()) {
            for (const auto& column : output.columns) {
                frame.entries[name].column_names.push_back(column.name);
            }
        }
    }
}

// The target of an INSERT / UPDATE / DELETE: a scan, and the source its columns resolve in.
Source FactsBuilder::dml_target(const PgQuery__RangeVar* range_var, ScanMode mode) {
    const auto target = pg::range_var_name(range_var);
    const auto relation = extractor_.resolve_relation(target.schema, target.relation);
    const std::string visible = target.alias.empty() ? target.relation : target.alias;
    return scan_source(add_scan(relation, visible, mode), relation, visible, target.schema);
}

void FactsBuilder::insert_statement(const PgQuery__InsertStmt* stmt) {
    CteFrame frame;
    frame.outer = ctes_;
    if (stmt->with_clause != nullptr) {
        add_ctes(stmt->with_clause, &stmt->base, nullptr, frame);
    }
    const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);
    Scope scope;
    scope.sources.push_back(dml_target(stmt->relation, ScanMode::insert));
    const std::size_t scan = scope.sources.back().scan;
    if (const Node* source = select_node(stmt->select_stmt)) {
        select_block(source->select_stmt, nullptr, BlockOptions{});
    }
    if (const auto* conflict = stmt->on_conflict_clause) {
        if (conflict->infer != nullptr) {
            for (std::size_t i = 0; i < conflict->infer->n_index_elems; ++i) {
                const Node* element = conflict->infer->index_elems[i];
                if (element->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM) {
                    continue;
                }
                const auto* index_elem = element->index_elem;
                facts_.scans[scan].conflict_columns.push_back(
                    index_elem->name != nullptr && *index_elem->name != '\0'
                        ? std::string(index_elem->name)
                        : pg::canonical_expression(index_elem->expr));
            }
        }
        // DO UPDATE SET ... reads the proposed row as EXCLUDED.
        Source excluded;
        excluded.name = "excluded";
        scope.sources.push_back(excluded);
        for (std::size_t i = 0; i < conflict->n_target_list; ++i) {
            walk_expression(conflict->target_list[i], scope, Purpose::none);
        }
        walk_expression(conflict->where_clause, scope, Purpose::none);
    }
    returning(stmt->returning_list, stmt->n_returning_list, scope);
}

void FactsBuilder::update_statement(const PgQuery__UpdateStmt* stmt) {
    CteFrame frame;
    frame.outer = ctes_;
    if (stmt->with_clause != nullptr) {
        add_ctes(stmt->with_clause, &stmt->base, nullptr, frame);
    }
    const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);
    Scope scope;
    scope.sources.push_back(dml_target(stmt->relation, ScanMode::update));
    BlockOutput block;
    std::vector<std::size_t> added;
    for (std::size_t i = 0; i < stmt->n_from_clause; ++i) {
        from_item(stmt->from_clause[i], scope, added, block);
    }
    conditions(stmt->where_clause, scope, ConditionContext{});
    for (std::size_t i = 0; i < stmt->n_target_list; ++i) {
        walk_expression(stmt->target_list[i], scope, Purpose::none);
    }
    returning(stmt->returning_list, stmt->n_returning_list, scope);
}

void FactsBuilder::delete_statement(const PgQuery__DeleteStmt* stmt) {
    CteFrame frame;
    frame.outer = ctes_;
    if (stmt->with_clause != nullptr) {
        add_ctes(stmt->with_clause, &stmt->base, nullptr, frame);
    }
    const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);
    Scope scope;
    scope.sources.push_back(dml_target(stmt->relation, ScanMode::delete_));
    BlockOutput block;
    std::vector<std::size_t> added;
    for (std::size_t i = 0; i < stmt->n_using_clause; ++i) {
        from_item(stmt->using_clause[i], scope, added, block);
    }
    conditions(stmt->where_clause, scope, ConditionContext{});
    returning(stmt->returning_list, stmt->n_returning_list, scope);
}

void FactsBuilder::returning(Node* const* items, std::size_t count, const Scope& scope) {
    for (std::size_t i = 0; i < count; ++i) {
        const Node* item = items[i];
        if (item->node_case != PG_QUERY__NODE__NODE_RES_TARGET) {
            continue;
        }
        const Node* value = item->res_target->val;
        const auto name = pg::column_ref_name(value);
        if (name && name->star) {
            select_star(*name, scope, nullptr);
        } else {
            walk_expression(value, scope, Purpose::select);
        }
    }
}

} // namespace parsers::query_facts
