// CREATE TABLE and CREATE FOREIGN TABLE: the table, its inherited and declared columns, and each
// column's type as PostgreSQL's format_type() prints it (json or jsonb, also through a domain,
// makes a JSON column). The constraints it declares are applied by constraints.cpp; a partition
// gets its parent's indexes from partitions.cpp.
#include "parsers/pg_ddl/ddl_applier.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parsers::pg_ddl {

namespace {

// The name PostgreSQL's format_type() prints for a built-in type's internal name.
std::string sql_type_name(const std::string& internal) {
    static const std::map<std::string, std::string> names = {
        {"int2", "smallint"},
        {"int4", "integer"},
        {"int8", "bigint"},
        {"float4", "real"},
        {"float8", "double precision"},
        {"bool", "boolean"},
        {"varchar", "character varying"},
        {"bpchar", "character"},
        {"timestamp", "timestamp without time zone"},
        {"timestamptz", "timestamp with time zone"},
        {"time", "time without time zone"},
        {"timetz", "time with time zone"},
        {"varbit", "bit varying"},
        {"serial", "integer"},
        {"serial4", "integer"},
        {"bigserial", "bigint"},
        {"serial8", "bigint"},
        {"smallserial", "smallint"},
        {"serial2", "smallint"},
    };
    const auto it = names.find(internal);
    return it == names.end() ? internal : it->second;
}

bool is_serial(const std::string& name) {
    return name == "serial" || name == "serial4" || name == "bigserial" || name == "serial8" ||
           name == "smallserial" || name == "serial2";
}

} // namespace

std::string DdlApplier::format_type(const PgQuery__TypeName* type, bool& json) const {
    json = false;
    if (type == nullptr) {
        return "";
    }
    std::vector<std::string> names = pg::string_list(type->names, type->n_names);
    const bool builtin = names.size() == 1 || (names.size() == 2 && names[0] == "pg_catalog");
    std::string text;
    if (builtin) {
        const std::string& base = names.back();
        json = base == "json" || base == "jsonb";
        text = sql_type_name(base);
    } else {
        std::string joined;
        for (const auto& part : names) {
            joined += (joined.empty() ? "" : ".") + part;
        }
        text = joined;
    }
    if (!json) {
        // A domain over json/jsonb holds JSON too.
        const std::string qualified = resolve_name(names);
        const auto domain = domain_is_json_.find(qualified);
        if (domain != domain_is_json_.end()) {
            json = domain->second;
        }
    }
    if (type->n_typmods > 0 && !(builtin && (names.back() == "interval"))) {
        std::string modifiers;
        for (std::size_t i = 0; i < type->n_typmods; ++i) {
            const auto value = pg::integer_value(type->typmods[i]);
            if (value) {
                modifiers += (modifiers.empty() ? "" : ",") + std::to_string(*value);
            }
        }
        if (!modifiers.empty()) {
            // format_type() puts the precision inside "timestamp(3) with time zone".
            const auto space = text.find(" with");
            if (builtin && space != std::string::npos && (names.back().starts_with("time"))) {
                text.insert(space, "(" + modifiers + ")");
            } else {
                text += "(" + modifiers + ")";
            }
        }
    }
    for (std::size_t i = 0; i < type->n_array_bounds; ++i) {
        text += "[]";
    }
    if (type->n_array_bounds > 0) {
        json = false; // an array of jsonb is an array, not a JSON column
    }
    return text;
}

void DdlApplier::create_table(const PgQuery__CreateStmt* stmt, TableKind kind) {
    const std::string name = qualify_for_creation(stmt->relation);
    if (catalog_.find_table(name) != nullptr) {
        if (!stmt->if_not_exists) {
            warn("relation \"" + name + "\" already exists; the later definition is ignored");
        }
        return;
    }
    Table table;
    table.schema = creation_schema(stmt->relation->schemaname);
    table.name = stmt->relation->relname;
    table.kind = kind;
    table.unlogged = std::string_view(stmt->relation->relpersistence) == "u";
    table.declared_at = {file_, line_};
    if (stmt->partspec != nullptr) {
        table.kind = TableKind::partitioned_table;
        table.partition_by = stmt->partspec->strategy;
        std::transform(table.partition_by.begin(), table.partition_by.end(),
                       table.partition_by.begin(), [](unsigned char c) { return std::tolower(c); });
    }
    // Inherited columns come first, as PostgreSQL lays them out (INHERITS and PARTITION OF).
    for (std::size_t i = 0; i < stmt->n_inh_relations; ++i) {
        if (stmt->inh_relations[i]->node_case != PG_QUERY__NODE__NODE_RANGE_VAR) {
            continue;
        }
        const std::string parent_name = resolve_relation(stmt->inh_relations[i]->range_var);
        const Table* parent = catalog_.find_table(parent_name);
        if (parent == nullptr) {
            warn("parent table \"" + parent_name + "\" of \"" + name + "\" is not defined");
            continue;
        }
        for (const auto& column : parent->columns) {
            if (table.find_column(column.name) == nullptr) {
                table.columns.push_back(column);
            }
        }
        if (stmt->partbound != nullptr) {
            table.partition_of = parent_name;
        } else {
            table.inherits.push_back(parent_name);
        }
    }
    Table& stored = catalog_.tables[name] = std::move(table);
    std::vector<PendingKeyConstraint> pending;
    pending_key_constraints_ = &pending;
    for (std::size_t i = 0; i < stmt->n_table_elts; ++i) {
        const Node* element = stmt->table_elts[i];
        if (element->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
            add_column(stored, element->column_def);
        }
    }
    for (std::size_t i = 0; i < stmt->n_table_elts; ++i) {
        const Node* element = stmt->table_elts[i];
        if (element->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
            add_constraint(stored, element->constraint, "");
        }
    }
    for (std::size_t i = 0; i < stmt->n_constraints; ++i) {
        if (stmt->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
            add_constraint(stored, stmt->constraints[i]->constraint, "");
        }
    }
    pending_key_constraints_ = nullptr;
    pending_for_flush_ = std::move(pending);
    flush_pending_key_constraints(stored);
    if (!stored.partition_of.empty()) {
        Table* parent = catalog_.find_table(stored.partition_of);
        parent->partitions.push_back(name);
        clone_indexes_to_partition(*parent, stored);
    }
}

void DdlApplier::add_column(Table& table, const PgQuery__ColumnDef* def) {
    Column* existing = table.find_column(def->colname);
    if (existing == nullptr) {
        Column column;
        column.name = def->colname;
        column.type = format_type(def->type_name, column.json);
        if (def->type_name != nullptr && def->type_name->n_names == 1 &&
            is_serial(std::string(pg::string_value(def->type_name->names[0])))) {
            column.nullable = false; // serial implies NOT NULL
        }
        table.columns.push_back(std::move(column));
        existing = &table.columns.back();
    }
    if (def->is_not_null) {
        existing->nullable = false;
    }
    const std::string column_name = def->colname;
    for (std::size_t i = 0; i < def->n_constraints; ++i) {
        if (def->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
            add_constraint(table, def->constraints[i]->constraint, column_name);
        }
    }
}

} // namespace parsers::pg_ddl
