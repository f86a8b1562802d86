// CREATE INDEX: the keys (column or expression, order, NULLS, operator class, collation), INCLUDE
// and WHERE, the name PostgreSQL generates for an unnamed index (ChooseIndexColumnNames() and
// FigureColnameInternal()), and on a partitioned table the copies made on its partitions.
#include "parsers/pg_ddl/ddl_applier.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace parsers::pg_ddl {

namespace {

// The column name PostgreSQL derives for an index expression (FigureColnameInternal), used in
// generated index names such as users_lower_idx for (lower(email)).
std::string figure_column_name(const Node* node) {
    if (node == nullptr) {
        return "expr";
    }
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
        const auto* ref = node->column_ref;
        if (ref->n_fields > 0) {
            const auto name = pg::string_value(ref->fields[ref->n_fields - 1]);
            if (!name.empty()) {
                return std::string(name);
            }
        }
        return "expr";
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        return pg::function_name(node->func_call);
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        const std::string inner = figure_column_name(node->type_cast->arg);
        if (inner != "expr") {
            return inner;
        }
        const auto* type = node->type_cast->type_name;
        if (type != nullptr && type->n_names > 0) {
            return std::string(pg::string_value(type->names[type->n_names - 1]));
        }
        return "expr";
    }
    case PG_QUERY__NODE__NODE_COLLATE_CLAUSE:
        return figure_column_name(node->collate_clause->arg);
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        return "coalesce";
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        return "case";
    case PG_QUERY__NODE__NODE_MIN_MAX_EXPR:
        return node->min_max_expr->op == PG_QUERY__MIN_MAX_OP__IS_GREATEST ? "greatest" : "least";
    default:
        return "expr";
    }
}

} // namespace

std::vector<IndexKey> DdlApplier::index_keys(Node* const* params, std::size_t count) const {
    std::vector<IndexKey> keys;
    for (std::size_t i = 0; i < count; ++i) {
        if (params[i]->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM) {
            continue;
        }
        const auto* elem = params[i]->index_elem;
        IndexKey key;
        if (elem->name != nullptr && *elem->name != '\0') {
            key.column = elem->name;
        } else {
            key.expression = pg::deparse_expression(elem->expr);
        }
        key.descending = elem->ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC;
        if (elem->nulls_ordering == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST) {
            key.nulls = "first";
        } else if (elem->nulls_ordering == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST) {
            key.nulls = "last";
        }
        if (elem->n_opclass > 0) {
            key.opclass = pg::string_value(elem->opclass[elem->n_opclass - 1]);
        }
        if (elem->n_collation > 0) {
            key.collation = pg::string_value(elem->collation[elem->n_collation - 1]);
        }
        keys.push_back(std::move(key));
    }
    return keys;
}

std::vector<std::string> DdlApplier::index_column_names(Node* const* params,
                                                        std::size_t count) const {
    // PostgreSQL's ChooseIndexColumnNames(): the column name, or a name derived from the
    // expression; duplicates get a number so that each index column name is unique.
    std::vector<std::string> names;
    for (std::size_t i = 0; i < count; ++i) {
        std::string name;
        if (params[i]->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM) {
            const auto* elem = params[i]->index_elem;
            if (elem->indexcolname != nullptr && *elem->indexcolname != '\0') {
                name = elem->indexcolname;
            } else if (elem->name != nullptr && *elem->name != '\0') {
                name = elem->name;
            } else {
                name = figure_column_name(elem->expr);
            }
        } else {
            name = pg::string_value(params[i]);
        }
        std::string unique_name = name;
        for (int suffix = 1; std::find(names.begin(), names.end(), unique_name) != names.end();
             ++suffix) {
            unique_name = name + std::to_string(suffix);
        }
        names.push_back(unique_name);
    }
    return names;
}

void DdlApplier::create_index(const PgQuery__IndexStmt* stmt) {
    const std::string table_name = resolve_relation(stmt->relation);
    Table* table = catalog_.find_table(table_name);
    if (table == nullptr) {
        warn("CREATE INDEX on unknown table \"" + table_name + "\"");
        return;
    }
    Index index;
    index.schema = table->schema;
    index.table = table_name;
    index.keys = index_keys(stmt->index_params, stmt->n_index_params);
    index.method = stmt->access_method != nullptr && *stmt->access_method != '\0'
                       ? stmt->access_method
                       : "btree";
    index.unique = stmt->unique;
    for (std::size_t i = 0; i < stmt->n_index_including_params; ++i) {
        const Node* param = stmt->index_including_params[i];
        if (param->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM && param->index_elem->name) {
            index.include.emplace_back(param->index_elem->name);
        }
    }
    if (stmt->where_clause != nullptr) {
        index.where = pg::deparse_expression(stmt->where_clause);
    }
    index.declared_at = {file_, line_};
    if (stmt->idxname != nullptr && *stmt->idxname != '\0') {
        index.name = stmt->idxname;
        if (catalog_.relation_name_taken(index.schema, index.name)) {
            if (!stmt->if_not_exists) {
                warn("relation \"" + index.qualified_name() + "\" already exists");
            }
            return;
        }
    } else {
        index.name = choose_relation_name(
            table->schema, table->name,
            join_names(index_column_names(stmt->index_params, stmt->n_index_params)), "idx");
    }
    if (table->kind == TableKind::partitioned_table) {
        if (!stmt->relation->inh) {
            // CREATE INDEX ... ON ONLY: invalid until each partition's index is attached.
            index.only_on_parent = true;
            index.valid = table->partitions.empty();
            catalog_.add_index(std::move(index));
            return;
        }
        catalog_.add_index(std::move(index));
        // Without ONLY, PostgreSQL creates the index on every partition too.
        for (const auto& partition_name : std::vector<std::string>(table->partitions)) {
            if (Table* partition = catalog_.find_table(partition_name)) {
                clone_indexes_to_partition(*table, *partition);
            }
        }
        return;
    }
    catalog_.add_index(std::move(index));
}

} // namespace parsers::pg_ddl
