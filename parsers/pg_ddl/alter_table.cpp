// ALTER TABLE: the subcommands the catalog follows (ADD and DROP COLUMN, ADD, DROP and VALIDATE
// CONSTRAINT, ALTER COLUMN TYPE, SET and DROP NOT NULL, ATTACH and DETACH PARTITION), and what
// dropping a column or a constraint takes with it.
#include "parsers/pg_ddl/ddl_applier.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace parsers::pg_ddl {

void DdlApplier::drop_column(Table& table, const std::string& column) {
    // PostgreSQL drops the indexes and constraints that use a dropped column.
    std::erase_if(table.columns, [&](const auto& c) { return c.name == column; });
    const std::string table_name = table.qualified_name();
    catalog_.remove_indexes_if([&](const Index& index) {
        if (index.table != table_name) {
            return false;
        }
        for (const auto& key : index.keys) {
            if (key.column == column ||
                (key.is_expression() && key.expression.find(column) != std::string::npos)) {
                return true;
            }
        }
        return std::find(index.include.begin(), index.include.end(), column) != index.include.end();
    });
    std::erase_if(table.foreign_keys, [&](const auto& fk) {
        return std::find(fk.columns.begin(), fk.columns.end(), column) != fk.columns.end();
    });
    std::erase_if(table.unique_constraints, [&](const auto& unique) {
        return std::find(unique.columns.begin(), unique.columns.end(), column) !=
               unique.columns.end();
    });
    if (std::find(table.primary_key.begin(), table.primary_key.end(), column) !=
        table.primary_key.end()) {
        table.primary_key.clear();
        table.primary_key_name.clear();
    }
}

void DdlApplier::drop_constraint(Table& table, const std::string& name, bool missing_ok) {
    bool found = false;
    const std::size_t fks = table.foreign_keys.size();
    std::erase_if(table.foreign_keys, [&](const auto& fk) { return fk.name == name; });
    found = found || fks != table.foreign_keys.size();
    const std::size_t uniques = table.unique_constraints.size();
    std::erase_if(table.unique_constraints, [&](const auto& u) { return u.name == name; });
    found = found || uniques != table.unique_constraints.size();
    if (table.primary_key_name == name) {
        table.primary_key.clear();
        table.primary_key_name.clear();
        found = true;
    }
    const std::string index_name = table.schema + "." + name;
    if (const Index* index = catalog_.find_index(index_name);
        index != nullptr && index->constraint != ConstraintKind::none) {
        catalog_.drop_index(index_name);
        found = true;
    }
    if (!found && !missing_ok) {
        // CHECK constraints are not tracked, so an unknown name is not necessarily an error.
        ignore("AlterTableStmt:DropConstraint(untracked)");
    }
}

void DdlApplier::alter_table(const PgQuery__AlterTableStmt* stmt) {
    const std::string name = resolve_relation(stmt->relation);
    Table* table = catalog_.find_table(name);
    if (table == nullptr && catalog_.sequences.count(name) > 0) {
        ignore("AlterTableStmt(sequence)"); // pg_dump: ALTER TABLE seq OWNER TO ...
        return;
    }
    if (table == nullptr) {
        if (!stmt->missing_ok) {
            warn("ALTER TABLE on unknown table \"" + name + "\"");
        }
        return;
    }
    for (std::size_t i = 0; i < stmt->n_cmds; ++i) {
        if (stmt->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD) {
            continue;
        }
        const auto* cmd = stmt->cmds[i]->alter_table_cmd;
        // Each command may reallocate catalog storage; look the table up again.
        table = catalog_.find_table(name);
        switch (cmd->subtype) {
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
            if (cmd->def != nullptr && cmd->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
                add_constraint(*table, cmd->def->constraint, "");
            }
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
            if (cmd->def != nullptr && cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
                if (table->find_column(cmd->def->column_def->colname) != nullptr) {
                    if (!cmd->missing_ok) {
                        warn("column \"" + std::string(cmd->def->column_def->colname) +
                             "\" of relation \"" + name + "\" already exists");
                    }
                    break;
                }
                add_column(*table, cmd->def->column_def);
            }
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
            drop_column(*table, cmd->name);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
            drop_constraint(*table, cmd->name, cmd->missing_ok);
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
            for (auto& fk : table->foreign_keys) {
                if (fk.name == cmd->name) {
                    fk.validated = true;
                }
            }
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
            if (auto* column = table->find_column(cmd->name);
                column != nullptr && cmd->def != nullptr &&
                cmd->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
                column->type = format_type(cmd->def->column_def->type_name, column->json);
            }
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
            if (auto* column = table->find_column(cmd->name)) {
                column->nullable = cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull;
            }
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
            if (cmd->def != nullptr && cmd->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD) {
                attach_partition(*table, resolve_relation(cmd->def->partition_cmd->name));
            }
            break;
        case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
            if (cmd->def != nullptr && cmd->def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD) {
                const std::string child = resolve_relation(cmd->def->partition_cmd->name);
                std::erase(table->partitions, child);
                if (Table* detached = catalog_.find_table(child)) {
                    detached->partition_of.clear();
                }
            }
            break;
        default:
            break; // OWNER, SET DEFAULT, storage options...: not what the advisor reads
        }
    }
}

} // namespace parsers::pg_ddl
