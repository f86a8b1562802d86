// Table constraints, in CREATE TABLE or ALTER TABLE ... ADD CONSTRAINT: NOT NULL, FOREIGN KEY,
// and PRIMARY KEY, UNIQUE and EXCLUDE with the index each creates (named as PostgreSQL names it;
// key specifications alike within one CREATE TABLE make one index, as transformIndexConstraints()
// makes them), or ADD CONSTRAINT ... USING INDEX, which takes over an existing index.
#include "parsers/pg_ddl/ddl_applier.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace parsers::pg_ddl {

Index& DdlApplier::add_constraint_index(Table& table, const PgQuery__Constraint* constraint,
                                        ConstraintKind kind,
                                        const std::vector<std::string>& columns,
                                        const std::string& name_override) {
    Index index;
    index.schema = table.schema;
    index.table = table.qualified_name();
    index.constraint = kind;
    index.unique = kind != ConstraintKind::exclude;
    index.declared_at = {file_, line_};
    for (const auto& column : columns) {
        IndexKey key;
        key.column = column;
        index.keys.push_back(key);
    }
    for (std::size_t i = 0; i < constraint->n_including; ++i) {
        index.include.emplace_back(pg::string_value(constraint->including[i]));
    }
    if (constraint->access_method != nullptr && *constraint->access_method != '\0') {
        index.method = constraint->access_method;
    }
    if (constraint->where_clause != nullptr) {
        index.where = pg::deparse_expression(constraint->where_clause);
    }
    if (!name_override.empty()) {
        index.name = name_override;
    } else if (constraint->conname != nullptr && *constraint->conname != '\0') {
        index.name = constraint->conname;
    } else if (kind == ConstraintKind::primary_key) {
        index.name = choose_relation_name(table.schema, table.name, "", "pkey");
    } else {
        index.name = choose_relation_name(table.schema, table.name, join_names(columns),
                                          kind == ConstraintKind::exclude ? "excl" : "key");
    }
    // A constraint added to a partitioned table with ALTER TABLE ONLY (pg_dump's way) waits for
    // its partitions' indexes to be attached, like CREATE INDEX ... ON ONLY.
    if (table.kind == TableKind::partitioned_table && !table.partitions.empty()) {
        index.only_on_parent = true;
        index.valid = false;
    }
    return catalog_.add_index(std::move(index));
}

void DdlApplier::add_constraint(Table& table, const PgQuery__Constraint* constraint,
                                const std::string& column_name) {
    const auto key_names = [&](Node* const* keys, std::size_t count) {
        std::vector<std::string> names = pg::string_list(keys, count);
        if (names.empty() && !column_name.empty()) {
            names.push_back(column_name);
        }
        return names;
    };
    switch (constraint->contype) {
    case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
        if (auto* column = table.find_column(column_name)) {
            column->nullable = false;
        }
        return;
    case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
    case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
        if (pending_key_constraints_ != nullptr &&
            (constraint->indexname == nullptr || *constraint->indexname == '\0')) {
            pending_key_constraints_->push_back({constraint, column_name, ""});
        } else {
            add_key_constraint(table, constraint, column_name, "");
        }
        return;
    case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION: {
        std::vector<std::string> column_names;
        std::vector<IndexKey> keys;
        for (std::size_t i = 0; i < constraint->n_exclusions; ++i) {
            const Node* pair = constraint->exclusions[i];
            if (pair->node_case != PG_QUERY__NODE__NODE_LIST || pair->list->n_items == 0) {
                continue;
            }
            Node* elem = pair->list->items[0];
            const auto elem_keys = index_keys(&elem, 1);
            keys.insert(keys.end(), elem_keys.begin(), elem_keys.end());
            const auto names = index_column_names(&elem, 1);
            column_names.insert(column_names.end(), names.begin(), names.end());
        }
        Index& index =
            add_constraint_index(table, constraint, ConstraintKind::exclude, column_names);
        index.keys = keys;
        if (constraint->access_method == nullptr || *constraint->access_method == '\0') {
            index.method = "btree";
        }
        return;
    }
    case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN: {
        ForeignKey fk;
        fk.columns = key_names(constraint->fk_attrs, constraint->n_fk_attrs);
        fk.referenced_table = resolve_relation(constraint->pktable);
        fk.referenced_columns = pg::string_list(constraint->pk_attrs, constraint->n_pk_attrs);
        if (fk.referenced_columns.empty()) {
            if (const Table* referenced = catalog_.find_table(fk.referenced_table)) {
                fk.referenced_columns = referenced->primary_key;
            }
        }
        fk.validated = !constraint->skip_validation;
        fk.name = constraint->conname != nullptr && *constraint->conname != '\0'
                      ? constraint->conname
                      : choose_constraint_name(table, join_names(fk.columns), "fkey");
        table.foreign_keys.push_back(std::move(fk));
        return;
    }
    default:
        return; // CHECK, DEFAULT, GENERATED, IDENTITY, NULL: nothing the catalog needs
    }
}

void DdlApplier::add_key_constraint(Table& table, const PgQuery__Constraint* constraint,
                                    const std::string& column_name,
                                    const std::string& name_override) {
    const auto key_names = [&](Node* const* keys, std::size_t count) {
        std::vector<std::string> names = pg::string_list(keys, count);
        if (names.empty() && !column_name.empty()) {
            names.push_back(column_name);
        }
        return names;
    };
    const bool primary = constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
    const ConstraintKind kind = primary ? ConstraintKind::primary_key : ConstraintKind::unique;
    std::string name;
    std::vector<std::string> columns;
    if (constraint->indexname != nullptr && *constraint->indexname != '\0') {
        // ADD CONSTRAINT ... USING INDEX: the index becomes the constraint's, renamed to it.
        Index* index = catalog_.find_index(table.schema + "." + constraint->indexname);
        if (index == nullptr) {
            warn("index \"" + std::string(constraint->indexname) + "\" does not exist");
            return;
        }
        if (constraint->conname != nullptr && *constraint->conname != '\0') {
            rename_index(index->qualified_name(), constraint->conname);
        }
        index->constraint = kind;
        index->unique = true;
        name = index->name;
        columns = index->key_texts();
    } else {
        columns = key_names(constraint->keys, constraint->n_keys);
        name = add_constraint_index(table, constraint, kind, columns, name_override).name;
    }
    if (primary) {
        table.primary_key = columns;
        table.primary_key_name = name;
        for (const auto& column : columns) {
            if (auto* found = table.find_column(column)) {
                found->nullable = false;
            }
        }
    } else {
        table.unique_constraints.push_back({name, columns});
    }
}

void DdlApplier::flush_pending_key_constraints(Table& table) {
    // PostgreSQL's transformIndexConstraints(): within one CREATE TABLE, key specifications
    // with identical columns, INCLUDE, predicate, method and deferrability make one index. The
    // primary key is kept first; an unnamed survivor takes the name of a named duplicate.
    std::vector<PendingKeyConstraint> pending = std::move(pending_for_flush_);
    pending_for_flush_.clear();
    const auto signature = [](const PendingKeyConstraint& spec) {
        const auto* c = spec.constraint;
        std::vector<std::string> keys = pg::string_list(c->keys, c->n_keys);
        if (keys.empty()) {
            keys.push_back(spec.column_name);
        }
        std::string text;
        for (const auto& key : keys) {
            text += key + ",";
        }
        text += "|";
        for (const auto& include : pg::string_list(c->including, c->n_including)) {
            text += include + ",";
        }
        text += "|" + (c->where_clause ? pg::deparse_expression(c->where_clause) : std::string()) +
                "|" + (c->access_method ? c->access_method : "") + "|" +
                std::to_string(c->deferrable) + std::to_string(c->initdeferred) +
                std::to_string(c->nulls_not_distinct);
        return text;
    };
    const auto named = [](const PendingKeyConstraint& spec) {
        return !spec.name_override.empty() ||
               (spec.constraint->conname != nullptr && *spec.constraint->conname != '\0');
    };
    std::vector<PendingKeyConstraint> kept;
    for (const auto& spec : pending) {
        if (spec.constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
            kept.push_back(spec);
            break;
        }
    }
    for (const auto& spec : pending) {
        if (!kept.empty() && spec.constraint == kept.front().constraint) {
            continue;
        }
        bool keep = true;
        for (auto& prior : kept) {
            if (signature(prior) == signature(spec)) {
                if (!named(prior) && named(spec)) {
                    prior.name_override = spec.constraint->conname;
                }
                keep = false;
                break;
            }
        }
        if (keep) {
            kept.push_back(spec);
        }
    }
    for (const auto& spec : kept) {
        add_key_constraint(table, spec.constraint, spec.column_name, spec.name_override);
    }
}

} // namespace parsers::pg_ddl
