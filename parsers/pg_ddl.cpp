#include "parsers/pg_ddl.hpp"

#include "parsers/input_error.hpp"
#include "parsers/input_file.hpp"
#include "parsers/logs/log_input.hpp"
#include "parsers/pg_tree.hpp"
#include "parsers/sql_script.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace parsers {

using pg::Node;

// PostgreSQL's NAMEDATALEN - 1: identifiers longer than this are truncated.
constexpr std::size_t max_identifier_bytes = 63;

namespace {

// Length of the longest prefix of `text` not longer than `bytes` that does not cut a UTF-8
// character (PostgreSQL's pg_mbcliplen for UTF-8 databases).
std::size_t utf8_clip(const std::string& text, std::size_t bytes) {
    if (bytes >= text.size()) {
        return text.size();
    }
    while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) {
        --bytes;
    }
    return bytes;
}

} // namespace

std::string make_object_name(const std::string& name1, const std::string& name2,
                             const std::string& label) {
    // Follows makeObjectName() in PostgreSQL's src/backend/commands/indexcmds.c.
    std::size_t overhead = 0;
    if (!name2.empty()) {
        overhead += 1; // the separating underscore
    }
    if (!label.empty()) {
        overhead += label.size() + 1;
    }
    const std::size_t available =
        max_identifier_bytes > overhead ? max_identifier_bytes - overhead : 0;
    std::size_t name1_chars = name1.size();
    std::size_t name2_chars = name2.size();
    while (name1_chars + name2_chars > available) {
        if (name1_chars > name2_chars) {
            --name1_chars;
        } else {
            --name2_chars;
        }
    }
    name1_chars = utf8_clip(name1, name1_chars);
    std::string result = name1.substr(0, name1_chars);
    if (!name2.empty()) {
        result += "_" + name2.substr(0, utf8_clip(name2, name2_chars));
    }
    if (!label.empty()) {
        result += "_" + label;
    }
    return result;
}

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

// Splits a GUC list value such as `"$user", public` (PostgreSQL's SplitIdentifierString).
std::vector<std::string> split_identifier_list(const std::string& value) {
    std::vector<std::string> items;
    std::size_t i = 0;
    while (i < value.size()) {
        while (i < value.size() && (value[i] == ' ' || value[i] == ',' || value[i] == '\t')) {
            ++i;
        }
        if (i >= value.size()) {
            break;
        }
        std::string item;
        if (value[i] == '"') {
            ++i;
            while (i < value.size()) {
                if (value[i] == '"') {
                    if (i + 1 < value.size() && value[i + 1] == '"') {
                        item.push_back('"');
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                item.push_back(value[i++]);
            }
        } else {
            while (i < value.size() && value[i] != ',' && value[i] != ' ') {
                item.push_back(
                    static_cast<char>(std::tolower(static_cast<unsigned char>(value[i]))));
                ++i;
            }
        }
        items.push_back(item);
    }
    return items;
}

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

// Applies parsed statements to a catalog, holding what PostgreSQL's session would hold:
// the search_path and the domains seen so far.
class DdlApplier {
public:
    DdlApplier(Catalog& catalog, std::string file) : catalog_(catalog), file_(std::move(file)) {}

    // Returns true when the statement was a COPY ... FROM stdin whose data follows in the script.
    bool apply(const Node* statement, int line);

private:
    void warn(const std::string& message) {
        catalog_.warnings.push_back({{file_, line_}, message});
    }
    void ignore(std::string_view kind) { ++catalog_.ignored_statement_kinds[std::string(kind)]; }

    std::string creation_schema(const char* schema_name) const;
    std::string resolve_relation(const PgQuery__RangeVar* range_var) const;
    std::string resolve_name(const std::vector<std::string>& names) const;
    std::string qualify_for_creation(const PgQuery__RangeVar* range_var) const {
        return creation_schema(range_var->schemaname) + "." + range_var->relname;
    }

    std::string choose_relation_name(const std::string& schema, const std::string& name1,
                                     const std::string& name2, const std::string& label) const;
    std::string choose_constraint_name(const Table& table, const std::string& name2,
                                       const std::string& label) const;
    std::string format_type(const PgQuery__TypeName* type, bool& json) const;

    void create_table(const PgQuery__CreateStmt* stmt, TableKind kind);
    void add_column(Table& table, const PgQuery__ColumnDef* def);
    void add_constraint(Table& table, const PgQuery__Constraint* constraint,
                        const std::string& column_name);
    void add_key_constraint(Table& table, const PgQuery__Constraint* constraint,
                            const std::string& column_name, const std::string& name_override);
    void flush_pending_key_constraints(Table& table);
    Index& add_constraint_index(Table& table, const PgQuery__Constraint* constraint,
                                ConstraintKind kind, const std::vector<std::string>& columns,
                                const std::string& name_override = "");
    void create_index(const PgQuery__IndexStmt* stmt);
    void alter_table(const PgQuery__AlterTableStmt* stmt);
    void alter_index(const PgQuery__AlterTableStmt* stmt);
    void attach_partition(Table& parent, const std::string& child_name);
    void attach_index(Index& parent, const std::string& child_name);
    void clone_indexes_to_partition(const Table& parent, Table& child);
    void drop_constraint(Table& table, const std::string& name, bool missing_ok);
    void drop_column(Table& table, const std::string& column);
    void rename(const PgQuery__RenameStmt* stmt);
    void rename_table(const std::string& old_name, const std::string& new_name);
    void rename_index(const std::string& old_name, const std::string& new_name);
    void rename_column(Table& table, const std::string& old_name, const std::string& new_name);
    void drop(const PgQuery__DropStmt* stmt);
    void set_search_path(const std::vector<std::string>& schemas);
    void create_view(const PgQuery__RangeVar* view, const Node* query, TableKind kind,
                     bool replace);
    std::vector<IndexKey> index_keys(Node* const* params, std::size_t count) const;
    std::vector<std::string> index_column_names(Node* const* params, std::size_t count) const;
    void update_partitioned_index_validity(Index& index);

    Catalog& catalog_;
    std::string file_;
    int line_ = 0;
    std::vector<std::string> search_path_{"public"};
    std::map<std::string, bool> domain_is_json_; // qualified domain name -> base type is json
    std::string schema_override_;                // CREATE SCHEMA ... CREATE TABLE ...

    // PRIMARY KEY / UNIQUE specs of the CREATE TABLE being read, merged before their indexes
    // are created (see flush_pending_key_constraints).
    struct PendingKeyConstraint {
        const PgQuery__Constraint* constraint;
        std::string column_name; // for a column constraint
        std::string name_override;
    };
    std::vector<PendingKeyConstraint>* pending_key_constraints_ = nullptr;
    std::vector<PendingKeyConstraint> pending_for_flush_;
};

std::string DdlApplier::creation_schema(const char* schema_name) const {
    if (schema_name != nullptr && *schema_name != '\0') {
        return schema_name;
    }
    if (!schema_override_.empty()) {
        return schema_override_;
    }
    for (const auto& schema : search_path_) {
        if (schema != "$user" && schema != "pg_catalog" && schema != "pg_temp") {
            return schema;
        }
    }
    // pg_dump empties search_path and qualifies every name; an unqualified name then would be an
    // error in PostgreSQL. Falling back to public keeps hand-written scripts readable.
    return "public";
}

std::string DdlApplier::resolve_name(const std::vector<std::string>& names) const {
    if (names.size() >= 2) {
        return names[names.size() - 2] + "." + names.back();
    }
    const std::string& name = names.empty() ? std::string() : names.back();
    if (!schema_override_.empty() &&
        (catalog_.find_table(schema_override_ + "." + name) != nullptr ||
         catalog_.find_index(schema_override_ + "." + name) != nullptr)) {
        return schema_override_ + "." + name;
    }
    for (const auto& schema : search_path_) {
        const std::string qualified = schema + "." + name;
        if (catalog_.find_table(qualified) != nullptr ||
            catalog_.find_index(qualified) != nullptr) {
            return qualified;
        }
    }
    return creation_schema(nullptr) + "." + name;
}

std::string DdlApplier::resolve_relation(const PgQuery__RangeVar* range_var) const {
    if (range_var->schemaname != nullptr && *range_var->schemaname != '\0') {
        return std::string(range_var->schemaname) + "." + range_var->relname;
    }
    return resolve_name({range_var->relname});
}

std::string DdlApplier::choose_relation_name(const std::string& schema, const std::string& name1,
                                             const std::string& name2,
                                             const std::string& label) const {
    // PostgreSQL's ChooseRelationName(): append 1, 2, ... to the label until the name is free.
    std::string candidate = make_object_name(name1, name2, label);
    for (int pass = 1; catalog_.relation_name_taken(schema, candidate); ++pass) {
        candidate = make_object_name(name1, name2, label + std::to_string(pass));
    }
    return candidate;
}

std::string DdlApplier::choose_constraint_name(const Table& table, const std::string& name2,
                                               const std::string& label) const {
    const auto taken = [&](const std::string& name) {
        if (name == table.primary_key_name) {
            return true;
        }
        for (const auto& fk : table.foreign_keys) {
            if (fk.name == name) {
                return true;
            }
        }
        for (const auto& unique : table.unique_constraints) {
            if (unique.name == name) {
                return true;
            }
        }
        return false;
    };
    std::string candidate = make_object_name(table.name, name2, label);
    for (int pass = 1; taken(candidate); ++pass) {
        candidate = make_object_name(table.name, name2, label + std::to_string(pass));
    }
    return candidate;
}

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

std::string join_names(const std::vector<std::string>& names) {
    // ChooseIndexNameAddition(): names joined by "_", stopping once the result is long enough.
    std::string joined;
    for (const auto& name : names) {
        if (!joined.empty()) {
            joined += "_";
        }
        joined += name;
        if (joined.size() >= max_identifier_bytes) {
            break;
        }
    }
    return joined.substr(0, std::min(joined.size(), max_identifier_bytes));
}

void DdlApplier::set_search_path(const std::vector<std::string>& schemas) {
    search_path_.clear();
    for (const auto& schema : schemas) {
        if (!schema.empty()) {
            search_path_.push_back(schema);
        }
    }
}

bool DdlApplier::apply(const Node* statement, int line) {
    line_ = line;
    ++catalog_.statements_read;
    switch (statement->node_case) {
    case PG_QUERY__NODE__NODE_CREATE_STMT:
        create_table(statement->create_stmt, TableKind::table);
        return false;
    case PG_QUERY__NODE__NODE_CREATE_FOREIGN_TABLE_STMT:
        create_table(statement->create_foreign_table_stmt->base_stmt, TableKind::foreign_table);
        return false;
    case PG_QUERY__NODE__NODE_INDEX_STMT:
        create_index(statement->index_stmt);
        return false;
    case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
        if (statement->alter_table_stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
            alter_index(statement->alter_table_stmt);
        } else {
            alter_table(statement->alter_table_stmt);
        }
        return false;
    case PG_QUERY__NODE__NODE_RENAME_STMT:
        rename(statement->rename_stmt);
        return false;
    case PG_QUERY__NODE__NODE_DROP_STMT:
        drop(statement->drop_stmt);
        return false;
    case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT: {
        const auto* stmt = statement->create_schema_stmt;
        const std::string name = stmt->schemaname ? stmt->schemaname : "";
        if (!name.empty() && std::find(catalog_.schemas.begin(), catalog_.schemas.end(), name) ==
                                 catalog_.schemas.end()) {
            catalog_.schemas.push_back(name);
        }
        schema_override_ = name;
        for (std::size_t i = 0; i < stmt->n_schema_elts; ++i) {
            apply(stmt->schema_elts[i], line);
            --catalog_.statements_read;
        }
        schema_override_.clear();
        return false;
    }
    case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: {
        const auto* stmt = statement->variable_set_stmt;
        if (std::string_view(stmt->name) == "search_path") {
            if (stmt->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE) {
                std::vector<std::string> schemas;
                for (std::size_t i = 0; i < stmt->n_args; ++i) {
                    if (auto value = pg::const_string(stmt->args[i])) {
                        schemas.push_back(*value);
                    }
                }
                set_search_path(schemas);
            } else {
                set_search_path({"$user", "public"});
            }
        } else {
            ignore("VariableSetStmt");
        }
        return false;
    }
    case PG_QUERY__NODE__NODE_SELECT_STMT: {
        // pg_dump: SELECT pg_catalog.set_config('search_path', '', false);
        const auto* select = statement->select_stmt;
        if (select->n_target_list == 1 && select->n_from_clause == 0) {
            const auto* target = select->target_list[0]->res_target;
            if (target->val != nullptr &&
                target->val->node_case == PG_QUERY__NODE__NODE_FUNC_CALL &&
                pg::function_name(target->val->func_call) == "set_config") {
                const auto* call = target->val->func_call;
                if (call->n_args >= 2) {
                    const auto name = pg::const_string(call->args[0]);
                    const auto value = pg::const_string(call->args[1]);
                    if (name && value && *name == "search_path") {
                        set_search_path(split_identifier_list(*value));
                        return false;
                    }
                }
            }
        }
        ignore("SelectStmt");
        return false;
    }
    case PG_QUERY__NODE__NODE_VIEW_STMT: {
        const auto* stmt = statement->view_stmt;
        create_view(stmt->view, stmt->query, TableKind::view, stmt->replace);
        return false;
    }
    case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
        const auto* stmt = statement->create_table_as_stmt;
        const bool matview = stmt->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW;
        if (stmt->into != nullptr && stmt->into->rel != nullptr) {
            const std::string name = qualify_for_creation(stmt->into->rel);
            if (stmt->if_not_exists && catalog_.find_table(name) != nullptr) {
                return false;
            }
            create_view(stmt->into->rel, stmt->query,
                        matview ? TableKind::materialized_view : TableKind::table, false);
            Table* table = catalog_.find_table(name);
            for (std::size_t i = 0; table && i < stmt->into->n_col_names; ++i) {
                table->columns.push_back(
                    {std::string(pg::string_value(stmt->into->col_names[i])), "", true, false});
            }
        }
        return false;
    }
    case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT: {
        const auto* stmt = statement->create_domain_stmt;
        bool json = false;
        format_type(stmt->type_name, json);
        std::vector<std::string> names = pg::string_list(stmt->domainname, stmt->n_domainname);
        if (names.size() == 1) {
            names.insert(names.begin(), creation_schema(nullptr));
        }
        domain_is_json_[names[names.size() - 2] + "." + names.back()] = json;
        ignore("CreateDomainStmt");
        return false;
    }
    case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT: {
        const auto* stmt = statement->create_seq_stmt;
        if (stmt->sequence != nullptr) {
            catalog_.sequences.insert(qualify_for_creation(stmt->sequence));
        }
        ignore("CreateSeqStmt");
        return false;
    }
    case PG_QUERY__NODE__NODE_COPY_STMT: {
        const auto* stmt = statement->copy_stmt;
        ignore("CopyStmt");
        return stmt->is_from && !stmt->is_program &&
               (stmt->filename == nullptr || *stmt->filename == '\0');
    }
    default:
        ignore(pg::node_kind(statement));
        return false;
    }
}

void DdlApplier::create_view(const PgQuery__RangeVar* view, const Node* query, TableKind kind,
                             bool replace) {
    const std::string name = qualify_for_creation(view);
    if (catalog_.find_table(name) != nullptr && !replace) {
        warn("relation \"" + name + "\" already exists");
        return;
    }
    Table table;
    table.schema = creation_schema(view->schemaname);
    table.name = view->relname;
    table.kind = kind;
    table.view_definition = pg::deparse_statement(query);
    table.declared_at = {file_, line_};
    catalog_.tables[name] = std::move(table);
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

void check_readable_head(const std::string& head, const std::string& file) {
    if (head.starts_with("SQLite format 3")) {
        throw InputError(file, 0, "is a SQLite database file, expected PostgreSQL DDL text");
    }
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
        static_cast<unsigned char>(head[1]) == 0x8b) {
        throw InputError(file, 0, "is gzip-compressed; decompress it first (gunzip)");
    }
    if (looks_binary(head)) {
        const int nul_line = line_of_first_nul(head);
        throw InputError(file, nul_line,
                         nul_line > 0
                             ? "holds binary data (a NUL byte), expected SQL text"
                             : "holds binary data (mostly control bytes), expected SQL text");
    }
}

} // namespace

void read_postgres_ddl(std::istream& input, const std::string& file, Catalog& catalog,
                       const DdlReadOptions& options) {
    SqlScriptReader reader(input, options.max_statement_bytes);
    DdlApplier applier(catalog, file);
    std::size_t parsed = 0;
    std::size_t failed = 0;
    std::optional<CatalogWarning> first_failure;
    bool warned_encoding = false;
    while (auto statement = reader.next()) {
        if (reader.saw_nul_byte()) {
            // SQL text never holds a NUL byte (PostgreSQL rejects one in a query string): what
            // follows is binary data, or a hole in a sparse file, so reading stops here.
            throw InputError(file, reader.first_nul_line(),
                             "holds binary data (a NUL byte), expected SQL text");
        }
        if (statement->too_long) {
            catalog.warnings.push_back({{file, statement->line},
                                        "statement of " + std::to_string(statement->bytes) +
                                            " bytes skipped: longer than --max-statement-bytes (" +
                                            std::to_string(options.max_statement_bytes) + ")"});
            ++failed;
            continue;
        }
        if (!warned_encoding && !logs::valid_utf8(statement->text)) {
            // Read as is (PostgreSQL compares names byte by byte); output shows U+FFFD.
            warned_encoding = true;
            catalog.warnings.push_back(
                {{file, statement->line},
                 "invalid UTF-8 (text in another encoding?): names are shown with U+FFFD; this "
                 "warning is given once per file"});
        }
        pg::ParseOutcome outcome = pg::parse(statement->text);
        if (outcome.error) {
            const int line =
                statement->line - 1 +
                pg::line_of_offset(statement->text, static_cast<std::size_t>(std::max(
                                                        0, outcome.error->cursor_position - 1)));
            const std::string start =
                line == statement->line
                    ? ""
                    : " (it starts at line " + std::to_string(statement->line) + ")";
            CatalogWarning warning{{file, line},
                                   "statement skipped: " + outcome.error->message + start};
            if (!first_failure) {
                first_failure = warning;
            }
            catalog.warnings.push_back(std::move(warning));
            ++failed;
            continue;
        }
        ++parsed;
        for (std::size_t i = 0; i < outcome.tree.size(); ++i) {
            const pg::Node* node = outcome.tree.statement_node(i);
            if (node != nullptr && applier.apply(node, statement->line)) {
                reader.skip_copy_data();
            }
        }
    }
    if (reader.saw_nul_byte()) {
        throw InputError(file, reader.first_nul_line(),
                         "holds binary data (a NUL byte), expected SQL text");
    }
    if (parsed == 0 && failed == 0 && reader.meta_commands() == 0) {
        throw InputError(file, 0, "holds no SQL statements");
    }
    if (parsed == 0 && failed > 0) {
        throw InputError(
            file, first_failure ? first_failure->where.line : 0,
            "no statement could be parsed as PostgreSQL DDL" +
                (first_failure ? " (first: " + first_failure->message + ")" : std::string()));
    }
}

void read_postgres_ddl_file(const std::string& path, Catalog& catalog,
                            const DdlReadOptions& options) {
    const auto input = open_input(path);
    if (!input->is_pipe()) {
        check_readable_head(sniff(path, 4096), path);
    } else if (input->peek() == std::char_traits<char>::eof()) {
        throw InputError(path, 0, "is a pipe that gave no data (nothing writes to it)");
    }
    read_postgres_ddl(*input, path, catalog, options);
    if (input->read_error() != 0) {
        throw InputError(path, 0, std::string("read error: ") + std::strerror(input->read_error()));
    }
}

void apply_postgres_ddl(const std::string& sql, Catalog& catalog) {
    std::istringstream input(sql);
    read_postgres_ddl(input, "<sql>", catalog);
}

} // namespace parsers
