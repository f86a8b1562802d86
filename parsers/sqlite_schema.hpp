// SQLite -> Catalog. A database file is opened read-only and SQLite describes its own schema
// (sqlite_schema, PRAGMA table_list, table_xinfo, index_list, index_xinfo, foreign_key_list); a
// DDL script (a `sqlite3 .schema` or `.dump`) is executed by SQLite in an in-memory database, which
// is then read the same way. SQLite's parser does all the parsing: this reader only asks.
// The reader lives in parsers/sqlite_schema/: database_file, script_loader (with script_reader),
// schema_reader, dialect_guess and sql_text.
//
// How SQLite's schema maps onto the catalog (design.md's model is PostgreSQL's):
// - every table lives in schema "main" ("main.<table>"); catalog.dialect is "sqlite";
// - an INTEGER PRIMARY KEY is the rowid: primary_key names it, but no index backs it (SQLite
//   keeps the table itself in rowid order); any other PRIMARY KEY or UNIQUE constraint is backed
//   by the automatic index index_list reports (sqlite_autoindex_<table>_<n>, origin 'pk' or 'u'),
//   which is listed with constraint primary_key or unique; a WITHOUT ROWID table's primary key
//   is the table's own b-tree, listed the same way under the name index_list gives it;
// - virtual tables (fts4, fts5, rtree...) are foreign tables: a module stores them and they cannot
//   be indexed; their shadow tables are ordinary tables; views are views;
// - a column is JSON when its declared type is JSON or JSONB (any case), or when the table's SQL
//   has json_valid(<column>) (a CHECK constraint; SQLite does not expose parsed CHECKs, so this is
//   a scan of the CREATE TABLE text outside strings and comments);
// - an expression key and a partial index's WHERE are the text of the CREATE INDEX statement
//   stored in sqlite_schema: index_xinfo says which keys are expressions (cid -2) and
//   index_list which indexes are partial; the key list is the statement's first parenthesis;
// - SQLite keeps no foreign key names, so each is named as PostgreSQL would name it:
//   <table>_<col1>_<col2>_fkey, with 1, 2, ... appended to the label when a table has two alike;
//   `REFERENCES parent` without columns references the parent's primary key;
// - objects whose name starts with "sqlite_" (sqlite_sequence, sqlite_stat1) are SQLite's own and
//   are left out.
#pragma once

#include "parsers/catalog.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace parsers {

// True when `head` starts with the 16 bytes every SQLite 3 database file starts with,
// "SQLite format 3\0" (https://www.sqlite.org/fileformat.html, "The Database Header").
bool has_sqlite_header(std::string_view head);

// The dialect a DDL text is written in, guessed from statements one of the two dialects rejects.
struct DialectGuess {
    std::string dialect;  // "postgresql" or "sqlite"
    std::string evidence; // what decided it, e.g. "AUTOINCREMENT"; empty when nothing did
    int line = 0;         // line of the evidence
};

// PostgreSQL when the text has anything SQLite cannot run (SET, COPY, CREATE EXTENSION/SCHEMA/
// SEQUENCE/TYPE/DOMAIN/FUNCTION, ALTER ... OWNER TO, ADD CONSTRAINT, `::` casts, `$` quoting, psql
// backslash commands...); otherwise SQLite when it has something PostgreSQL cannot run
// (AUTOINCREMENT, WITHOUT ROWID, STRICT, CREATE VIRTUAL TABLE, PRAGMA, `backtick` or [bracket]
// quoted names, COLLATE NOCASE, json_valid(), a trigger body in BEGIN ... END, sqlite_* tables);
// otherwise PostgreSQL. Strings and comments are skipped. Plain CREATE TABLE text is valid in
// both, and then PostgreSQL is the default (--dialect sqlite forces SQLite).
DialectGuess guess_ddl_dialect(std::string_view sql);

struct SqliteReadOptions {
    // How long to wait for another process's write lock before failing (never hang).
    int busy_timeout_ms = 3000;
    // A DDL statement running longer than this is stopped (CREATE TABLE ... AS SELECT over a
    // recursive CTE could run forever) and reported as a warning.
    int statement_time_limit_ms = 10000;
    // A statement of a DDL script longer than this is skipped with a warning, not held.
    std::size_t max_statement_bytes = 1 << 20;
};

// Reads the schema of the SQLite database file at `path` into `catalog`, opening it read-only:
// the file is never written and no -journal, -wal or -shm file is created next to it (a WAL
// database without a -wal file is opened `immutable`, so SQLite does not create the log and its
// index). Unreadable, corrupt or locked files throw InputError naming the file.
void read_sqlite_database(const std::string& path, Catalog& catalog,
                          const SqliteReadOptions& options = {});

// SQLite DDL scripts applied, in order, to one in-memory database; finish() reads it into the
// catalog. Statements SQLite rejects become warnings with file and line (SQLite's own message);
// statements that carry data or touch files are not run (INSERT/UPDATE/DELETE/SELECT, BEGIN/
// COMMIT, ATTACH, VACUUM) and are counted in catalog.ignored_statement_kinds.
class SqliteDdlLoader {
public:
    explicit SqliteDdlLoader(Catalog& catalog, const SqliteReadOptions& options = {});
    ~SqliteDdlLoader();
    SqliteDdlLoader(const SqliteDdlLoader&) = delete;
    SqliteDdlLoader& operator=(const SqliteDdlLoader&) = delete;

    // Reads the script statement by statement (memory stays flat however long the file or a
    // statement is). Throws InputError for unreadable input.
    void apply_file(const std::string& path);
    void apply(std::string_view sql, const std::string& file);
    void finish();

private:
    struct State;
    struct FileTally;
    // Runs the statements of `sql`, whose first line is line `first_line` of `file`.
    void apply_text(std::string_view sql, const std::string& file, int first_line,
                    FileTally& tally);
    // Throws when a file held no statement, or none that SQLite could run.
    static void check_file(const std::string& file, const FileTally& tally);
    std::unique_ptr<State> state_;
};

// One SQLite DDL script into a fresh catalog (tests, tools).
Catalog read_sqlite_ddl(std::string_view sql, const std::string& file = "<sql>");

} // namespace parsers
