// The catalog: what a schema declares (tables, columns, keys, indexes, views), as PostgreSQL
// would hold it after running the DDL. Built by the readers here (pg_ddl, sqlite_schema), read by
// advisor/ (rules, rendering) through advisor/catalog.hpp.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace parsers {

// Where a catalog object was declared, so findings can point at the line (SARIF, messages).
struct SourceLocation {
    std::string file;
    int line = 0;
};

struct Column {
    std::string name;
    std::string type; // as PostgreSQL's format_type() prints it, e.g. "character varying(255)"
    bool nullable = true;
    bool json = false; // json or jsonb, directly or through a domain
};

struct ForeignKey {
    std::string name;
    std::vector<std::string> columns;
    std::string referenced_table; // schema-qualified
    std::vector<std::string> referenced_columns;
    bool validated = true; // false for NOT VALID until VALIDATE CONSTRAINT
};

struct UniqueConstraint {
    std::string name;
    std::vector<std::string> columns;
};

// One key of an index: a plain column or an expression (deparsed by libpg_query).
struct IndexKey {
    std::string column;     // empty for an expression key
    std::string expression; // empty for a column key
    bool descending = false;
    std::string nulls; // "", "first" or "last" when written explicitly
    std::string opclass;
    std::string collation;

    bool is_expression() const { return column.empty(); }
    // The text the JSON contract shows: the column name, or the expression.
    const std::string& text() const { return column.empty() ? expression : column; }
};

enum class ConstraintKind { none, primary_key, unique, exclude };

const char* to_string(ConstraintKind kind);

struct Index {
    std::string name;   // unqualified; lives in the table's schema
    std::string schema; // schema of the index (= the table's)
    std::string table;  // schema-qualified table name
    std::vector<IndexKey> keys;
    std::string method = "btree";
    bool unique = false;
    std::optional<std::string> where; // partial-index predicate, deparsed
    std::vector<std::string> include;
    ConstraintKind constraint = ConstraintKind::none;
    // An index created ON ONLY a partitioned table stays invalid until every partition has an
    // index attached to it (PostgreSQL: "ALTER INDEX ... ATTACH PARTITION").
    bool valid = true;
    bool only_on_parent = false;
    std::vector<std::string> attached_partition_indexes; // schema-qualified names
    std::string parent_index;                            // schema-qualified, when attached
    SourceLocation declared_at;

    std::string qualified_name() const { return schema + "." + name; }
    std::vector<std::string> key_texts() const;
};

enum class TableKind { table, partitioned_table, view, materialized_view, foreign_table };

const char* to_string(TableKind kind);

struct Table {
    std::string schema;
    std::string name;
    TableKind kind = TableKind::table;
    std::vector<Column> columns;
    std::vector<std::string> primary_key;
    std::string primary_key_name;
    std::vector<UniqueConstraint> unique_constraints;
    std::vector<ForeignKey> foreign_keys;
    std::vector<std::string> inherits;   // schema-qualified parents (INHERITS)
    std::string partition_of;            // schema-qualified parent (PARTITION OF / ATTACH)
    std::vector<std::string> partitions; // schema-qualified children
    std::string partition_by;            // "range", "list" or "hash"
    bool unlogged = false;
    std::string view_definition; // SELECT text for views and materialized views
    SourceLocation declared_at;

    std::string qualified_name() const { return schema + "." + name; }
    const Column* find_column(const std::string& column_name) const;
    Column* find_column(const std::string& column_name);
    bool is_relation_with_storage() const {
        return kind == TableKind::table || kind == TableKind::materialized_view;
    }
};

// A SQLite schema as SQLite stored it, so that it can be rebuilt in another database for SQLite's
// planner to plan against (advise --verify, advisor/sqlite_verify.hpp).
struct SqliteObjectSql {
    std::string type; // "table", "index" or "view"
    std::string name;
    std::string sql; // sqlite_schema.sql: the CREATE statement as written
};
struct SqliteStat1Row {
    std::string table;
    std::optional<std::string> index; // null: the table's own row count
    std::string stat; // "rows rows-per-key..." (https://www.sqlite.org/fileformat2.html#stat1tab)
};
struct SqliteSchemaSql {
    // sqlite_schema's tables, indexes and views in its order; SQLite's own sqlite_* objects,
    // automatic indexes (no SQL) and triggers (the planner needs none) are left out.
    std::vector<SqliteObjectSql> objects;
    std::vector<SqliteStat1Row> stat1; // rows of an ANALYZEd database, by table and index
};

// A warning met while reading a schema: the input went on being read.
struct CatalogWarning {
    SourceLocation where;
    std::string message;
};

class Catalog {
public:
    // Tables and views, keyed by schema-qualified name; std::map keeps output deterministic.
    std::map<std::string, Table> tables;
    std::vector<Index> indexes; // in declaration order; add and remove through the methods below
    std::set<std::string> sequences; // schema-qualified; they share the relation namespace
    std::vector<std::string> schemas{"public"};
    std::vector<CatalogWarning> warnings;
    std::size_t statements_read = 0;
    std::map<std::string, std::size_t> ignored_statement_kinds; // kind -> count
    std::string dialect = "postgresql";
    SqliteSchemaSql sqlite_schema; // dialect "sqlite" only

    const Table* find_table(const std::string& qualified_name) const;
    Table* find_table(const std::string& qualified_name);
    // SQLite: the column a rowid table's INTEGER PRIMARY KEY makes an alias of the rowid, whose
    // b-tree is the table itself (https://www.sqlite.org/lang_createtable.html#rowid): look-ups
    // and ORDER BY on it need no index. "" for any other table (and for PostgreSQL).
    std::string sqlite_rowid_column(const Table& table) const;
    const Index* find_index(const std::string& qualified_name) const;
    Index* find_index(const std::string& qualified_name);
    std::vector<const Index*> indexes_on(const std::string& qualified_table) const;
    bool relation_name_taken(const std::string& schema, const std::string& name) const;
    Index& add_index(Index index);
    void rename_index(const std::string& qualified_name, const std::string& new_name);
    void remove_indexes_if(const std::function<bool(const Index&)>& predicate);
    void drop_index(const std::string& qualified_name);
    void drop_table(const std::string& qualified_name);

private:
    void rebuild_index_positions();
    std::unordered_map<std::string, std::size_t> index_positions_; // qualified name -> position
};

} // namespace parsers
