// Reading a schema out of an open SQLite database into a Catalog: the rows of sqlite_schema, then
// PRAGMA table_list, table_xinfo, index_list, index_xinfo and foreign_key_list for each table,
// and for advise --verify the CREATE statements and sqlite_stat1. Used for a database file
// (database_file.cpp) and for the in-memory database a DDL script ran in (script_loader.cpp).
// Private to the SQLite reader; how SQLite's schema maps onto the catalog is in
// parsers/sqlite_schema.hpp.
#pragma once

#include "parsers/catalog.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace parsers::sqlite_schema {

// The primary result code of a failed SQLite call (the low byte of its extended code).
int primary_code(const SQLite::Exception& e);

struct SchemaObject {
    long long rowid = 0;
    std::string type; // table, index, view, trigger
    std::string name;
    std::string table;
    std::optional<std::string> sql;
};

class SchemaReader {
public:
    SchemaReader(SQLite::Database& db, std::string file,
                 const std::map<std::string, SourceLocation>& declared, Catalog& catalog)
        : db_(db), file_(std::move(file)), declared_(declared), catalog_(catalog) {}

    void read();

private:
    void read_schema_objects();
    void read_schema_sql();
    SourceLocation location_of(const std::string& name) const;
    void warn(const SourceLocation& where, const std::string& message);
    const SchemaObject* index_object(const std::string& name) const;
    std::vector<std::pair<Column, int>> read_columns(const std::string& table);
    void read_table(const SchemaObject& object);
    void read_indexes(const SchemaObject& object, Table& table);
    void read_index_keys(Index& index, const std::optional<std::string>& sql, bool partial);
    void read_view(const SchemaObject& object);
    Table* table_named(const std::string& name);
    void read_foreign_keys(const SchemaObject& object);

    SQLite::Database& db_;
    std::string file_;
    const std::map<std::string, SourceLocation>& declared_;
    Catalog& catalog_;
    std::vector<SchemaObject> objects_;
    std::map<std::string, const SchemaObject*> indexes_by_name_;
    std::map<std::string, std::string> tables_by_folded_name_; // upper-cased name -> qualified
    std::vector<std::pair<long long, Index>> indexes_;         // sqlite_schema position, index
};

} // namespace parsers::sqlite_schema
