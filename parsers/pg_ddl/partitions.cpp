// Partitions and their indexes: a new or attached partition gets a copy of each of its parent's
// indexes (or has an equivalent index of its own attached), ALTER INDEX ... ATTACH PARTITION, and
// the validity of a partitioned index (valid once every partition has a valid index attached).
#include "parsers/pg_ddl/ddl_applier.hpp"

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace parsers::pg_ddl {

void DdlApplier::clone_indexes_to_partition(const Table& parent, Table& child) {
    // PostgreSQL gives a new partition a copy of each of its parent's indexes (and attaches an
    // existing equivalent index instead when there is one).
    const std::string parent_name = parent.qualified_name();
    const std::string child_name = child.qualified_name();
    std::vector<std::size_t> parent_indexes;
    for (std::size_t i = 0; i < catalog_.indexes.size(); ++i) {
        if (catalog_.indexes[i].table == parent_name) {
            parent_indexes.push_back(i);
        }
    }
    for (const std::size_t i : parent_indexes) {
        const Index parent_index = catalog_.indexes[i];
        const std::string parent_qualified = parent_index.qualified_name();
        bool already_attached = false;
        for (const auto& attached : parent_index.attached_partition_indexes) {
            const Index* existing = catalog_.find_index(attached);
            already_attached = already_attached || (existing && existing->table == child_name);
        }
        if (already_attached) {
            continue;
        }
        Index* equivalent = nullptr;
        for (auto& candidate : catalog_.indexes) {
            if (candidate.table == child_name && candidate.parent_index.empty() &&
                candidate.key_texts() == parent_index.key_texts() &&
                candidate.method == parent_index.method &&
                candidate.unique == parent_index.unique && candidate.where == parent_index.where) {
                equivalent = &candidate;
                break;
            }
        }
        std::string child_index_name;
        if (equivalent != nullptr) {
            child_index_name = equivalent->qualified_name();
        } else {
            Index copy = parent_index;
            copy.schema = child.schema;
            copy.table = child_name;
            copy.attached_partition_indexes.clear();
            copy.only_on_parent = false;
            copy.valid = true;
            std::vector<std::string> names;
            for (const auto& key : parent_index.keys) {
                names.push_back(key.is_expression() ? "expr" : key.column);
            }
            const char* label = parent_index.constraint == ConstraintKind::primary_key ? "pkey"
                                : parent_index.constraint == ConstraintKind::unique    ? "key"
                                : parent_index.constraint == ConstraintKind::exclude   ? "excl"
                                                                                       : "idx";
            copy.name = choose_relation_name(
                child.schema, child.name,
                parent_index.constraint == ConstraintKind::primary_key ? "" : join_names(names),
                label);
            if (parent_index.constraint == ConstraintKind::primary_key) {
                child.primary_key = parent.primary_key;
                child.primary_key_name = copy.name;
            }
            child_index_name = copy.qualified_name();
            catalog_.add_index(std::move(copy));
        }
        Index* parent_again = catalog_.find_index(parent_qualified);
        attach_index(*parent_again, child_index_name);
    }
}

void DdlApplier::update_partitioned_index_validity(Index& index) {
    const Table* table = catalog_.find_table(index.table);
    if (table == nullptr) {
        return;
    }
    std::set<std::string> covered;
    for (const auto& attached : index.attached_partition_indexes) {
        if (const Index* child = catalog_.find_index(attached)) {
            if (child->valid) {
                covered.insert(child->table);
            }
        }
    }
    bool all = true;
    for (const auto& partition : table->partitions) {
        all = all && covered.count(partition) > 0;
    }
    const bool was_valid = index.valid;
    index.valid = all;
    // An index becoming valid may complete its own parent (multi-level partitioning).
    if (!was_valid && index.valid && !index.parent_index.empty()) {
        if (Index* parent = catalog_.find_index(index.parent_index)) {
            update_partitioned_index_validity(*parent);
        }
    }
}

void DdlApplier::attach_index(Index& parent, const std::string& child_name) {
    Index* child = catalog_.find_index(child_name);
    if (child == nullptr) {
        warn("index \"" + child_name + "\" does not exist");
        return;
    }
    child->parent_index = parent.qualified_name();
    if (std::find(parent.attached_partition_indexes.begin(),
                  parent.attached_partition_indexes.end(),
                  child_name) == parent.attached_partition_indexes.end()) {
        parent.attached_partition_indexes.push_back(child_name);
    }
    update_partitioned_index_validity(parent);
}

void DdlApplier::attach_partition(Table& parent, const std::string& child_name) {
    Table* child = catalog_.find_table(child_name);
    if (child == nullptr) {
        warn("ATTACH PARTITION of unknown table \"" + child_name + "\"");
        return;
    }
    child->partition_of = parent.qualified_name();
    if (std::find(parent.partitions.begin(), parent.partitions.end(), child_name) ==
        parent.partitions.end()) {
        parent.partitions.push_back(child_name);
    }
    clone_indexes_to_partition(parent, *child);
}

void DdlApplier::alter_index(const PgQuery__AlterTableStmt* stmt) {
    const std::string name = resolve_relation(stmt->relation);
    for (std::size_t i = 0; i < stmt->n_cmds; ++i) {
        if (stmt->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) {
            continue;
        }
        const auto* cmd = stmt->cmds[i]->alter_table_cmd;
        if (cmd->subtype != PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition || cmd->def == nullptr ||
            cmd->def->node_case != PG_QUERY__NODE__NODE_PARTITION_CMD) {
            continue;
        }
        Index* parent = catalog_.find_index(name);
        if (parent == nullptr) {
            warn("ALTER INDEX on unknown index \"" + name + "\"");
            return;
        }
        attach_index(*parent, resolve_relation(cmd->def->partition_cmd->name));
    }
}

} // namespace parsers::pg_ddl
