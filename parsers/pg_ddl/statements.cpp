// The statement dispatcher: DdlApplier::apply() hands each parsed statement to the file of its
// family, and itself applies those that only change the session or take a few lines: SET
// search_path (and pg_dump's set_config()), CREATE SCHEMA, DOMAIN and SEQUENCE, COPY ... FROM
// stdin, and views (CREATE VIEW, CREATE TABLE AS, CREATE MATERIALIZED VIEW).
#include "parsers/pg_ddl/ddl_applier.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parsers::pg_ddl {

namespace {

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

} // namespace

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

} // namespace parsers::pg_ddl
