// The DdlApplier: what applying PostgreSQL DDL to a catalog holds between statements (the
// search_path, the domains seen so far, CREATE SCHEMA's schema) and the catalog edits of each
// statement family, one file each under parsers/pg_ddl/. Private to the PostgreSQL DDL reader:
// callers use parsers/pg_ddl.hpp.
#pragma once

#include "parsers/catalog.hpp"
#include "parsers/pg_tree.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace parsers::pg_ddl {

using pg::Node;

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

// PostgreSQL's ChooseIndexNameAddition(): `names` joined by "_", cut to 63 bytes.
std::string join_names(const std::vector<std::string>& names);

} // namespace parsers::pg_ddl
