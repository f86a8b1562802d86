// ALTER ... RENAME of tables, views, indexes, columns and constraints, carried into every place
// that names the old one (indexes, foreign keys, partitions, inheritance), and DROP TABLE, VIEW
// and INDEX.
#include "parsers/pg_ddl/ddl_applier.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace parsers::pg_ddl {

void DdlApplier::rename_table(const std::string& old_name, const std::string& new_name) {
    auto node = catalog_.tables.extract(old_name);
    const std::string schema = node.mapped().schema;
    node.mapped().name = new_name.substr(new_name.find('.') + 1);
    node.key() = new_name;
    catalog_.tables.insert(std::move(node));
    for (auto& index : catalog_.indexes) {
        if (index.table == old_name) {
            index.table = new_name;
        }
    }
    for (auto& [key, table] : catalog_.tables) {
        for (auto& fk : table.foreign_keys) {
            if (fk.referenced_table == old_name) {
                fk.referenced_table = new_name;
            }
        }
        std::replace(table.partitions.begin(), table.partitions.end(), old_name, new_name);
        std::replace(table.inherits.begin(), table.inherits.end(), old_name, new_name);
        if (table.partition_of == old_name) {
            table.partition_of = new_name;
        }
    }
}

void DdlApplier::rename_index(const std::string& old_name, const std::string& new_name) {
    catalog_.rename_index(old_name, new_name);
    const std::string new_qualified = old_name.substr(0, old_name.find('.')) + "." + new_name;
    for (auto& other : catalog_.indexes) {
        std::replace(other.attached_partition_indexes.begin(),
                     other.attached_partition_indexes.end(), old_name, new_qualified);
        if (other.parent_index == old_name) {
            other.parent_index = new_qualified;
        }
    }
}

void DdlApplier::rename_column(Table& table, const std::string& old_name,
                               const std::string& new_name) {
    Column* column = table.find_column(old_name);
    if (column == nullptr) {
        warn("column \"" + old_name + "\" of \"" + table.qualified_name() + "\" does not exist");
        return;
    }
    column->name = new_name;
    const auto rename_in = [&](std::vector<std::string>& names) {
        std::replace(names.begin(), names.end(), old_name, new_name);
    };
    rename_in(table.primary_key);
    for (auto& unique : table.unique_constraints) {
        rename_in(unique.columns);
    }
    for (auto& fk : table.foreign_keys) {
        rename_in(fk.columns);
    }
    const std::string table_name = table.qualified_name();
    for (auto& index : catalog_.indexes) {
        if (index.table == table_name) {
            for (auto& key : index.keys) {
                if (key.column == old_name) {
                    key.column = new_name;
                }
            }
            rename_in(index.include);
        }
    }
    for (auto& [key, other] : catalog_.tables) {
        for (auto& fk : other.foreign_keys) {
            if (fk.referenced_table == table_name) {
                rename_in(fk.referenced_columns);
            }
        }
    }
}

void DdlApplier::rename(const PgQuery__RenameStmt* stmt) {
    switch (stmt->rename_type) {
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
    case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
    case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
    case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE: {
        const std::string old_name = resolve_relation(stmt->relation);
        if (catalog_.find_table(old_name) == nullptr) {
            if (!stmt->missing_ok) {
                warn("RENAME of unknown table \"" + old_name + "\"");
            }
            return;
        }
        const std::string schema = old_name.substr(0, old_name.find('.'));
        rename_table(old_name, schema + "." + stmt->newname);
        return;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX: {
        const std::string old_name = resolve_relation(stmt->relation);
        Index* index = catalog_.find_index(old_name);
        if (index == nullptr) {
            if (!stmt->missing_ok) {
                warn("RENAME of unknown index \"" + old_name + "\"");
            }
            return;
        }
        rename_index(old_name, stmt->newname);
        return;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN: {
        Table* table = catalog_.find_table(resolve_relation(stmt->relation));
        if (table == nullptr) {
            if (!stmt->missing_ok) {
                warn("RENAME COLUMN on unknown table \"" + resolve_relation(stmt->relation) + "\"");
            }
            return;
        }
        rename_column(*table, stmt->subname, stmt->newname);
        return;
    }
    case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT: {
        Table* table = catalog_.find_table(resolve_relation(stmt->relation));
        if (table == nullptr) {
            return;
        }
        const std::string old_name = stmt->subname;
        const std::string new_name = stmt->newname;
        for (auto& fk : table->foreign_keys) {
            if (fk.name == old_name) {
                fk.name = new_name;
            }
        }
        for (auto& unique : table->unique_constraints) {
            if (unique.name == old_name) {
                unique.name = new_name;
            }
        }
        if (table->primary_key_name == old_name) {
            table->primary_key_name = new_name;
        }
        // Renaming an index-backed constraint renames its index too.
        if (Index* index = catalog_.find_index(table->schema + "." + old_name);
            index != nullptr && index->constraint != ConstraintKind::none) {
            rename_index(index->qualified_name(), new_name);
        }
        return;
    }
    default:
        ignore("RenameStmt");
        return;
    }
}

void DdlApplier::drop(const PgQuery__DropStmt* stmt) {
    const auto type = stmt->remove_type;
    const bool tables = type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
                        type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW ||
                        type == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW ||
                        type == PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE;
    if (!tables && type != PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
        ignore("DropStmt");
        return;
    }
    for (std::size_t i = 0; i < stmt->n_objects; ++i) {
        const Node* object = stmt->objects[i];
        if (object->node_case != PG_QUERY__NODE__NODE_LIST) {
            continue;
        }
        const std::string name =
            resolve_name(pg::string_list(object->list->items, object->list->n_items));
        if (tables) {
            if (catalog_.find_table(name) == nullptr) {
                if (!stmt->missing_ok) {
                    warn("DROP of unknown table \"" + name + "\"");
                }
                continue;
            }
            catalog_.drop_table(name);
        } else {
            if (catalog_.find_index(name) == nullptr) {
                if (!stmt->missing_ok) {
                    warn("DROP of unknown index \"" + name + "\"");
                }
                continue;
            }
            catalog_.drop_index(name);
        }
    }
}

} // namespace parsers::pg_ddl
