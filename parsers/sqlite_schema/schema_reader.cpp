// The SchemaReader (schema_reader.hpp): tables and their columns, indexes and their keys, views
// and foreign keys as SQLite's PRAGMAs report them, and the CREATE statements and sqlite_stat1
// rows that advise --verify needs to rebuild the schema elsewhere.
#include "parsers/sqlite_schema/schema_reader.hpp"

#include "parsers/sqlite_schema/sql_text.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sqlite3.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parsers::sqlite_schema {

int primary_code(const SQLite::Exception& e) {
    return e.getErrorCode() & 0xff;
}

namespace {

// Errors that concern the whole file rather than one object: they stop the read.
bool is_fatal(const SQLite::Exception& e) {
    switch (primary_code(e)) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_FULL:
        return true;
    default:
        return false;
    }
}

void null_function(sqlite3_context* context, int, sqlite3_value**) {
    sqlite3_result_null(context);
}

// Runs `read`, and when SQLite cannot compile a view because it calls a function the application
// registers at run time (calibre's title_sort(), for one), registers a function of that name that
// returns NULL and runs it again: describing a view only compiles it, nothing is evaluated.
template <class Read> void with_application_functions(SQLite::Database& db, Read&& read) {
    static constexpr std::string_view prefix = "no such function: ";
    for (int attempt = 0;; ++attempt) {
        try {
            read();
            return;
        } catch (const SQLite::Exception& e) {
            const std::string message = e.what();
            if (attempt == 32 || !message.starts_with(prefix)) {
                throw;
            }
            const std::string name = message.substr(prefix.size());
            sqlite3_create_function_v2(db.getHandle(), name.c_str(), -1, SQLITE_UTF8, nullptr,
                                       null_function, nullptr, nullptr, nullptr);
        }
    }
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : separator) + item;
    }
    return text;
}

} // namespace

void SchemaReader::read() {
    catalog_.dialect = "sqlite";
    catalog_.schemas = {"main"};
    read_schema_objects();
    for (const auto& object : objects_) {
        if (object.type == "table" && !is_internal_name(object.name)) {
            read_table(object);
        } else if (object.type == "view") {
            read_view(object);
        }
    }
    std::stable_sort(indexes_.begin(), indexes_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [position, index] : indexes_) {
        catalog_.add_index(std::move(index));
    }
    for (const auto& [qualified, table] : catalog_.tables) {
        if (table.schema == "main") {
            tables_by_folded_name_[upper(table.name)] = qualified;
        }
    }
    for (const auto& object : objects_) {
        if (object.type == "table" && !is_internal_name(object.name)) {
            read_foreign_keys(object);
        }
    }
    read_schema_sql();
}

void SchemaReader::read_schema_objects() {
    SQLite::Statement query(
        db_, "SELECT rowid, type, name, tbl_name, sql FROM main.sqlite_schema ORDER BY rowid");
    while (query.executeStep()) {
        SchemaObject object;
        object.rowid = query.getColumn(0).getInt64();
        object.type = query.getColumn(1).getString();
        object.name = query.getColumn(2).getString();
        object.table = query.getColumn(3).getString();
        if (!query.getColumn(4).isNull()) {
            object.sql = query.getColumn(4).getString();
        }
        objects_.push_back(std::move(object));
    }
    for (const auto& object : objects_) {
        if (object.type == "index") {
            indexes_by_name_[object.name] = &object;
        }
    }
}

// What rebuilding the schema elsewhere takes (advise --verify): the CREATE statements, and
// the statistics ANALYZE left, which steer SQLite's planner.
void SchemaReader::read_schema_sql() {
    SqliteSchemaSql& copy = catalog_.sqlite_schema;
    bool has_stat1 = false;
    for (const auto& object : objects_) {
        has_stat1 |= object.type == "table" && iequals(object.name, "sqlite_stat1");
        if (object.sql && !is_internal_name(object.name) &&
            (object.type == "table" || object.type == "index" || object.type == "view")) {
            copy.objects.push_back({object.type, object.name, *object.sql});
        }
    }
    if (!has_stat1) {
        return;
    }
    SQLite::Statement query(db_, "SELECT tbl, idx, stat FROM main.sqlite_stat1 "
                                 "WHERE tbl IS NOT NULL AND stat IS NOT NULL "
                                 "ORDER BY tbl, idx IS NOT NULL, idx");
    while (query.executeStep()) {
        SqliteStat1Row row;
        row.table = query.getColumn(0).getString();
        if (!query.getColumn(1).isNull()) {
            row.index = query.getColumn(1).getString();
        }
        row.stat = query.getColumn(2).getString();
        copy.stat1.push_back(std::move(row));
    }
}

SourceLocation SchemaReader::location_of(const std::string& name) const {
    const auto found = declared_.find(name);
    return found != declared_.end() ? found->second : SourceLocation{file_, 0};
}

void SchemaReader::warn(const SourceLocation& where, const std::string& message) {
    catalog_.warnings.push_back({where, message});
}

const SchemaObject* SchemaReader::index_object(const std::string& name) const {
    const auto found = indexes_by_name_.find(name);
    return found != indexes_by_name_.end() ? found->second : nullptr;
}

// PRAGMA table_xinfo, with hidden columns of virtual tables left out (fts5's rank and the
// table-named column are the module's, not the user's); generated columns are kept.
std::vector<std::pair<Column, int>> SchemaReader::read_columns(const std::string& table) {
    std::vector<std::pair<Column, int>> columns; // column, position in primary key
    with_application_functions(db_, [&] {
        columns.clear();
        SQLite::Statement query(db_, "SELECT name, type, \"notnull\", pk, hidden "
                                     "FROM pragma_table_xinfo(?1, 'main') ORDER BY cid");
        query.bind(1, table);
        while (query.executeStep()) {
            if (query.getColumn(4).getInt() == 1) {
                continue;
            }
            Column column;
            column.name = query.getColumn(0).getString();
            column.type = query.getColumn(1).getString();
            column.nullable = query.getColumn(2).getInt() == 0;
            columns.emplace_back(column, query.getColumn(3).getInt());
        }
    });
    return columns;
}

void SchemaReader::read_table(const SchemaObject& object) {
    Table table;
    table.schema = "main";
    table.name = object.name;
    table.declared_at = location_of(object.name);
    // PRAGMA table_list says virtual, shadow or table, and WITHOUT ROWID (wr); should it fail,
    // the stored SQL still tells a virtual table.
    std::string type =
        object.sql && object.sql->starts_with("CREATE VIRTUAL") ? "virtual" : "table";
    bool without_rowid = false;
    try {
        SQLite::Statement query(db_,
                                "SELECT type, wr FROM pragma_table_list(?1) WHERE schema = 'main'");
        query.bind(1, object.name);
        if (query.executeStep()) {
            type = query.getColumn(0).getString();
            without_rowid = query.getColumn(1).getInt() != 0;
        }
    } catch (const SQLite::Exception& e) {
        if (is_fatal(e)) {
            throw;
        }
        warn(table.declared_at, "table " + object.name + ": " + e.what());
    }
    if (type == "virtual") {
        table.kind = TableKind::foreign_table;
    }
    std::vector<std::pair<Column, int>> columns;
    try {
        columns = read_columns(object.name);
    } catch (const SQLite::Exception& e) {
        if (is_fatal(e)) {
            throw;
        }
        warn(table.declared_at,
             "table " + object.name + ": SQLite cannot list its columns: " + e.what());
    }
    std::vector<std::pair<int, std::string>> key;
    for (auto& [column, pk_position] : columns) {
        if (pk_position > 0) {
            key.emplace_back(pk_position, column.name);
        }
        const std::string declared = upper(column.type);
        column.json = declared == "JSON" || declared == "JSONB";
        table.columns.push_back(column);
    }
    std::sort(key.begin(), key.end());
    for (const auto& [position, name] : key) {
        table.primary_key.push_back(name);
    }
    if (object.sql) {
        for (const auto& name : json_valid_columns(*object.sql)) {
            for (auto& column : table.columns) {
                if (iequals(column.name, name)) {
                    column.json = true;
                }
            }
        }
    }
    if (table.kind == TableKind::table) {
        read_indexes(object, table);
        // A rowid table whose primary key has no index of its own: the key is an alias of the
        // rowid (an INTEGER PRIMARY KEY), which can never be NULL.
        const bool rowid_alias =
            !without_rowid && table.primary_key.size() == 1 && table.primary_key_name.empty();
        Column* alias = rowid_alias ? table.find_column(table.primary_key[0]) : nullptr;
        if (alias != nullptr) {
            alias->nullable = false;
        }
    }
    catalog_.tables[table.qualified_name()] = std::move(table);
}

void SchemaReader::read_indexes(const SchemaObject& object, Table& table) {
    struct Listed {
        std::string name;
        bool unique;
        std::string origin;
        bool partial;
    };
    std::vector<Listed> listed;
    SQLite::Statement list(db_, "SELECT name, \"unique\", origin, partial "
                                "FROM pragma_index_list(?1, 'main') ORDER BY seq DESC");
    list.bind(1, object.name);
    while (list.executeStep()) {
        listed.push_back({list.getColumn(0).getString(), list.getColumn(1).getInt() != 0,
                          list.getColumn(2).getString(), list.getColumn(3).getInt() != 0});
    }
    for (const auto& entry : listed) {
        Index index;
        index.name = entry.name;
        index.schema = "main";
        index.table = table.qualified_name();
        index.unique = entry.unique;
        index.constraint = entry.origin == "pk"  ? ConstraintKind::primary_key
                           : entry.origin == "u" ? ConstraintKind::unique
                                                 : ConstraintKind::none;
        const SchemaObject* stored = index_object(entry.name);
        // Automatic indexes are declared by their table; a WITHOUT ROWID table's primary key
        // has no sqlite_schema row at all (the table is that b-tree).
        index.declared_at =
            stored != nullptr && stored->sql ? location_of(entry.name) : table.declared_at;
        read_index_keys(index, stored != nullptr ? stored->sql : std::nullopt, entry.partial);
        if (index.constraint == ConstraintKind::primary_key) {
            table.primary_key_name = index.name;
        } else if (index.constraint == ConstraintKind::unique) {
            table.unique_constraints.push_back({index.name, index.key_texts()});
        }
        indexes_.emplace_back(stored != nullptr ? stored->rowid : object.rowid, std::move(index));
    }
}

void SchemaReader::read_index_keys(Index& index, const std::optional<std::string>& sql,
                                   bool partial) {
    SQLite::Statement query(db_, "SELECT cid, name, \"desc\", coll FROM "
                                 "pragma_index_xinfo(?1, 'main') WHERE key = 1 ORDER BY seqno");
    query.bind(1, index.name);
    std::optional<IndexSqlParts> parts;
    if (sql) {
        parts = split_create_index(*sql);
    }
    std::size_t position = 0;
    while (query.executeStep()) {
        IndexKey key;
        const int cid = query.getColumn(0).getInt();
        if (cid == -2) {
            if (parts && position < parts->keys.size() && !parts->keys[position].empty()) {
                key.expression = parts->keys[position];
            } else {
                key.expression = "<expression>";
                warn(index.declared_at, "index " + index.name + ": cannot find the text of key " +
                                            std::to_string(position + 1) + " in its SQL");
            }
        } else if (cid == -1) {
            key.column = "rowid";
        } else {
            key.column = query.getColumn(1).getString();
        }
        key.descending = query.getColumn(2).getInt() != 0;
        const std::string collation = query.getColumn(3).getString();
        if (!iequals(collation, "BINARY")) {
            key.collation = collation;
        }
        index.keys.push_back(key);
        ++position;
    }
    if (parts && parts->keys.size() != index.keys.size()) {
        warn(index.declared_at,
             "index " + index.name + ": its SQL lists " + std::to_string(parts->keys.size()) +
                 " keys but SQLite reports " + std::to_string(index.keys.size()));
    }
    if (partial) {
        if (parts && parts->where) {
            index.where = parts->where;
        } else {
            index.where = "<predicate>";
            warn(index.declared_at,
                 "index " + index.name + ": partial, but its WHERE clause was not found");
        }
    }
}

void SchemaReader::read_view(const SchemaObject& object) {
    Table view;
    view.schema = "main";
    view.name = object.name;
    view.kind = TableKind::view;
    view.declared_at = location_of(object.name);
    if (object.sql) {
        view.view_definition = view_select_text(*object.sql);
    }
    try {
        for (auto& [column, pk_position] : read_columns(object.name)) {
            view.columns.push_back(column);
        }
    } catch (const SQLite::Exception& e) {
        if (is_fatal(e)) {
            throw;
        }
        warn(view.declared_at,
             "view " + object.name + ": SQLite cannot list its columns: " + e.what());
    }
    catalog_.tables[view.qualified_name()] = std::move(view);
}

// SQLite matches table names case-insensitively (ASCII): REFERENCES USERS finds users.
Table* SchemaReader::table_named(const std::string& name) {
    const auto found = tables_by_folded_name_.find(upper(name));
    return found != tables_by_folded_name_.end() ? catalog_.find_table(found->second) : nullptr;
}

void SchemaReader::read_foreign_keys(const SchemaObject& object) {
    Table* table = table_named(object.name);
    if (table == nullptr || table->kind != TableKind::table) {
        return;
    }
    struct Reference {
        std::string parent;
        std::vector<std::string> columns;
        std::vector<std::optional<std::string>> parent_columns;
    };
    std::map<int, Reference, std::greater<>> references; // SQLite numbers the last one 0
    try {
        SQLite::Statement query(db_, "SELECT id, \"table\", \"from\", \"to\" FROM "
                                     "pragma_foreign_key_list(?1, 'main') ORDER BY id, seq");
        query.bind(1, object.name);
        while (query.executeStep()) {
            Reference& reference = references[query.getColumn(0).getInt()];
            reference.parent = query.getColumn(1).getString();
            reference.columns.push_back(query.getColumn(2).getString());
            reference.parent_columns.push_back(
                query.getColumn(3).isNull()
                    ? std::nullopt
                    : std::optional<std::string>(query.getColumn(3).getString()));
        }
    } catch (const SQLite::Exception& e) {
        if (is_fatal(e)) {
            throw;
        }
        warn(table->declared_at,
             "table " + object.name + ": SQLite cannot list its foreign keys: " + e.what());
        return;
    }
    std::set<std::string> names;
    for (const auto& [id, reference] : references) {
        ForeignKey fk;
        fk.columns = reference.columns;
        const Table* parent = table_named(reference.parent);
        fk.referenced_table =
            parent != nullptr ? parent->qualified_name() : "main." + reference.parent;
        const bool implicit =
            std::all_of(reference.parent_columns.begin(), reference.parent_columns.end(),
                        [](const auto& column) { return !column; });
        if (implicit) {
            // `REFERENCES parent` names the parent's primary key (SQLite's foreign key doc,
            // section 3).
            if (parent != nullptr) {
                fk.referenced_columns = parent->primary_key;
            }
        } else {
            for (const auto& column : reference.parent_columns) {
                const std::string name = column.value_or("");
                const Column* found = nullptr;
                if (parent != nullptr) {
                    for (const auto& candidate : parent->columns) {
                        if (iequals(candidate.name, name)) {
                            found = &candidate;
                        }
                    }
                }
                fk.referenced_columns.push_back(found != nullptr ? found->name : name);
            }
        }
        const std::string base = table->name + "_" + join(fk.columns, "_") + "_fkey";
        fk.name = base;
        for (int suffix = 1; names.count(fk.name) > 0; ++suffix) {
            fk.name = base + std::to_string(suffix);
        }
        names.insert(fk.name);
        table->foreign_keys.push_back(std::move(fk));
    }
}

} // namespace parsers::sqlite_schema
