// The SQLite reader: what the catalog holds for each construct, as SQLite itself describes it.
#include "advisor/catalog.hpp"
#include "advisor/errors.hpp"
#include "advisor/finding.hpp"
#include "advisor/index_matching.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/sql_text.hpp"
#include "parsers/sqlite_schema.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>

using parsers::Catalog;
using parsers::ConstraintKind;
using parsers::TableKind;

namespace {

Catalog read(const std::string& sql) {
    return parsers::read_sqlite_ddl(sql, "schema.sql");
}

const parsers::Table& table_named(const Catalog& catalog, const std::string& qualified) {
    const parsers::Table* table = catalog.find_table(qualified);
    REQUIRE_MESSAGE(table != nullptr, "no table " << qualified);
    return *table;
}

const parsers::Index& index_named(const Catalog& catalog, const std::string& qualified) {
    const parsers::Index* index = catalog.find_index(qualified);
    REQUIRE_MESSAGE(index != nullptr, "no index " << qualified);
    return *index;
}

std::string read_text(const std::string& path) {
    std::ifstream input(path, std::ios::binary);
    std::ostringstream text;
    text << input.rdbuf();
    return text.str();
}

// A scratch directory removed at the end of the test.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("sqlite-schema-test-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter()++));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    static int& counter() {
        static int value = 0;
        return value;
    }
    std::set<std::string> listing() const {
        std::set<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(path)) {
            names.insert(entry.path().filename().string());
        }
        return names;
    }
};

} // namespace

TEST_CASE("an INTEGER PRIMARY KEY is the rowid: the primary key, never NULL, with no index") {
    const Catalog catalog = read("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);");
    CHECK(catalog.dialect == "sqlite");
    const parsers::Table& users = table_named(catalog, "main.users");
    CHECK(users.schema == "main");
    CHECK(users.kind == TableKind::table);
    CHECK(users.primary_key == std::vector<std::string>{"id"});
    CHECK_FALSE(users.columns[0].nullable);
    CHECK(users.columns[0].type == "INTEGER");
    CHECK(users.columns[1].nullable);
    CHECK(catalog.indexes_on("main.users").empty());
}

TEST_CASE("a table-level PRIMARY KEY (id) on an INTEGER column is the rowid too") {
    const Catalog catalog = read("CREATE TABLE t (id INTEGER NOT NULL, PRIMARY KEY (id));");
    CHECK(table_named(catalog, "main.t").primary_key == std::vector<std::string>{"id"});
    CHECK(catalog.indexes.empty());
}

TEST_CASE("INTEGER PRIMARY KEY DESC is not a rowid alias (SQLite's documented quirk): it gets an "
          "automatic index") {
    const Catalog catalog = read("CREATE TABLE t (id INTEGER PRIMARY KEY DESC, v TEXT);");
    const parsers::Index& pk = index_named(catalog, "main.sqlite_autoindex_t_1");
    CHECK(pk.constraint == ConstraintKind::primary_key);
    CHECK(pk.unique);
    CHECK(table_named(catalog, "main.t").primary_key_name == "sqlite_autoindex_t_1");
}

TEST_CASE("other primary keys and UNIQUE constraints are backed by sqlite_autoindex_<table>_N") {
    const Catalog catalog = read("CREATE TABLE memberships (user_id INT, group_id INT, "
                                 "email TEXT UNIQUE, code TEXT, PRIMARY KEY (user_id, group_id), "
                                 "UNIQUE (code, email));");
    const parsers::Table& table = table_named(catalog, "main.memberships");
    CHECK(table.primary_key == std::vector<std::string>{"user_id", "group_id"});
    REQUIRE(catalog.indexes.size() == 3);
    const parsers::Index& pk = index_named(catalog, "main." + table.primary_key_name);
    CHECK(pk.constraint == ConstraintKind::primary_key);
    CHECK(pk.key_texts() == std::vector<std::string>{"user_id", "group_id"});
    REQUIRE(table.unique_constraints.size() == 2);
    std::set<std::vector<std::string>> unique_keys;
    for (const auto& constraint : table.unique_constraints) {
        CHECK(constraint.name.starts_with("sqlite_autoindex_memberships_"));
        CHECK(index_named(catalog, "main." + constraint.name).constraint == ConstraintKind::unique);
        unique_keys.insert(constraint.columns);
    }
    CHECK(unique_keys == std::set<std::vector<std::string>>{{"email"}, {"code", "email"}});
}

TEST_CASE("a WITHOUT ROWID table's primary key is its own b-tree, listed as the primary-key "
          "index; its key columns are NOT NULL") {
    const Catalog catalog =
        read("CREATE TABLE kv (bucket TEXT, key TEXT, value BLOB, PRIMARY KEY (bucket, key)) "
             "WITHOUT ROWID;");
    const parsers::Table& kv = table_named(catalog, "main.kv");
    CHECK(kv.primary_key == std::vector<std::string>{"bucket", "key"});
    CHECK_FALSE(kv.columns[0].nullable);
    CHECK_FALSE(kv.columns[1].nullable);
    CHECK(kv.columns[2].nullable);
    const auto indexes = catalog.indexes_on("main.kv");
    REQUIRE(indexes.size() == 1);
    CHECK(indexes[0]->constraint == ConstraintKind::primary_key);
    CHECK(indexes[0]->key_texts() == std::vector<std::string>{"bucket", "key"});
}

TEST_CASE("a partial index keeps its WHERE text, expression keys their text, and DESC and "
          "COLLATE come from index_xinfo") {
    const Catalog catalog =
        read("CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INT, title TEXT, "
             "data TEXT, archived INT);\n"
             "CREATE INDEX ix_open ON notes (user_id, id DESC) WHERE archived = 0 AND "
             "title <> 'a, (b)';\n"
             "CREATE UNIQUE INDEX \"ix (expr)\" ON \"notes\" (lower(title) COLLATE NOCASE, "
             "json_extract(data, '$.kind') DESC, user_id);\n");
    const parsers::Index& open = index_named(catalog, "main.ix_open");
    CHECK(open.key_texts() == std::vector<std::string>{"user_id", "id"});
    CHECK_FALSE(open.keys[0].descending);
    CHECK(open.keys[1].descending);
    REQUIRE(open.where.has_value());
    CHECK(*open.where == "archived = 0 AND title <> 'a, (b)'");
    CHECK(open.constraint == ConstraintKind::none);

    const parsers::Index& expr = index_named(catalog, "main.ix (expr)");
    CHECK(expr.unique);
    REQUIRE(expr.keys.size() == 3);
    CHECK(expr.keys[0].expression == "lower(title)");
    CHECK(expr.keys[0].collation == "NOCASE");
    CHECK(expr.keys[1].expression == "json_extract(data, '$.kind')");
    CHECK(expr.keys[1].descending);
    CHECK(expr.keys[2].column == "user_id");
    CHECK_FALSE(expr.where.has_value());
    CHECK(catalog.warnings.empty());
}

TEST_CASE("foreign keys are named <table>_<columns>_fkey, in declaration order, multi-column, "
          "with the parent's primary key when no columns are given") {
    const Catalog catalog =
        read("CREATE TABLE Users (ID INTEGER PRIMARY KEY, tenant INT, code TEXT, "
             "UNIQUE (tenant, code));\n"
             "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INT REFERENCES users, "
             "tenant INT, code TEXT, buyer INT, "
             "FOREIGN KEY (tenant, code) REFERENCES USERS (Tenant, CODE), "
             "CONSTRAINT buyer_fk FOREIGN KEY (buyer) REFERENCES users (id), "
             "FOREIGN KEY (buyer) REFERENCES users (id));\n");
    const parsers::Table& orders = table_named(catalog, "main.orders");
    REQUIRE(orders.foreign_keys.size() == 4);
    const auto& by_user = orders.foreign_keys[0];
    CHECK(by_user.name == "orders_user_id_fkey");
    CHECK(by_user.columns == std::vector<std::string>{"user_id"});
    CHECK(by_user.referenced_table == "main.Users");
    CHECK(by_user.referenced_columns == std::vector<std::string>{"ID"});
    const auto& composite = orders.foreign_keys[1];
    CHECK(composite.name == "orders_tenant_code_fkey");
    CHECK(composite.columns == std::vector<std::string>{"tenant", "code"});
    CHECK(composite.referenced_table == "main.Users");
    CHECK(composite.referenced_columns == std::vector<std::string>{"tenant", "code"});
    // SQLite keeps no constraint names; two alike get numbered labels, as PostgreSQL would.
    CHECK(orders.foreign_keys[2].name == "orders_buyer_fkey");
    CHECK(orders.foreign_keys[3].name == "orders_buyer_fkey1");
}

TEST_CASE("a foreign key to a table that does not exist keeps the name as written") {
    const Catalog catalog = read("CREATE TABLE c (id INTEGER PRIMARY KEY, p INT REFERENCES "
                                 "missing (id));");
    const auto& fks = table_named(catalog, "main.c").foreign_keys;
    REQUIRE(fks.size() == 1);
    CHECK(fks[0].referenced_table == "main.missing");
    CHECK(fks[0].referenced_columns == std::vector<std::string>{"id"});
}

TEST_CASE("JSON columns: a declared type JSON in any case, or json_valid(column) in the table") {
    const Catalog catalog =
        read("CREATE TABLE docs (id INTEGER PRIMARY KEY, a JSON, b json, c jsonb, d TEXT "
             "CHECK (json_valid(d)), \"E\" TEXT, f TEXT DEFAULT 'json_valid(f)', g TEXT, "
             "h JSON_TEXT, -- json_valid(g) in a comment\n"
             "CONSTRAINT e_json CHECK (json_valid(\"e\") OR e IS NULL));");
    const parsers::Table& docs = table_named(catalog, "main.docs");
    std::set<std::string> json;
    for (const auto& column : docs.columns) {
        if (column.json) {
            json.insert(column.name);
        }
    }
    CHECK(json == std::set<std::string>{"a", "b", "c", "d", "E"});
}

TEST_CASE("virtual tables are foreign tables without their hidden columns; shadow tables are "
          "tables; views have their columns even when they call application functions") {
    const Catalog catalog =
        read("CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT);\n"
             "CREATE VIRTUAL TABLE books_fts USING fts5(title, content='books');\n"
             "CREATE VIEW sorted (id, sort) AS SELECT id, title_sort(title) FROM books;\n");
    const parsers::Table& fts = table_named(catalog, "main.books_fts");
    CHECK(fts.kind == TableKind::foreign_table);
    REQUIRE(fts.columns.size() == 1);
    CHECK(fts.columns[0].name == "title");
    CHECK(table_named(catalog, "main.books_fts_data").kind == TableKind::table);
    const parsers::Table& view = table_named(catalog, "main.sorted");
    CHECK(view.kind == TableKind::view);
    REQUIRE(view.columns.size() == 2);
    CHECK(view.columns[1].name == "sort");
    CHECK(view.view_definition == "SELECT id, title_sort(title) FROM books");
    CHECK(catalog.warnings.empty());
}

TEST_CASE("a sqlite3 .schema dump reads whole: sqlite_sequence is SQLite's, data and "
          "transactions are counted but not run") {
    const Catalog catalog = read("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n"
                                 "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);\n"
                                 "CREATE TABLE sqlite_sequence(name,seq);\n"
                                 "INSERT INTO t VALUES(1, 'a;b');\nINSERT INTO t VALUES(2, 'c');\n"
                                 "DELETE FROM sqlite_sequence;\nCOMMIT;\n");
    CHECK(catalog.find_table("main.t") != nullptr);
    CHECK(catalog.find_table("main.sqlite_sequence") == nullptr);
    CHECK(catalog.ignored_statement_kinds.at("INSERT") == 2);
    CHECK(catalog.ignored_statement_kinds.at("BEGIN") == 1);
    CHECK(catalog.ignored_statement_kinds.at("COMMIT") == 1);
    CHECK(catalog.ignored_statement_kinds.at("DELETE") == 1);
    CHECK(catalog.ignored_statement_kinds.at("CREATE TABLE sqlite_*") == 1);
    CHECK(catalog.warnings.empty());
}

TEST_CASE("a statement SQLite rejects is a warning at its file and line, in SQLite's words; the "
          "rest is read") {
    const Catalog catalog = read("CREATE TABLE a (id INTEGER PRIMARY KEY);\n"
                                 "\n"
                                 "CREATE TABLE b (\n"
                                 "  id INTEGER PRIMARY KEY,\n"
                                 "  x INT DEFALT 3\n"
                                 ");\n"
                                 "CREATE INDEX ix_missing ON nowhere (id);\n"
                                 "CREATE TABLE c (id INTEGER PRIMARY KEY);\n");
    CHECK(catalog.find_table("main.a") != nullptr);
    CHECK(catalog.find_table("main.b") == nullptr);
    CHECK(catalog.find_table("main.c") != nullptr);
    REQUIRE(catalog.warnings.size() == 2);
    CHECK(catalog.warnings[0].where.file == "schema.sql");
    CHECK(catalog.warnings[0].where.line == 5);
    CHECK(catalog.warnings[0].message.find("near \"3\": syntax error") != std::string::npos);
    CHECK(catalog.warnings[1].where.line == 7);
    CHECK(catalog.warnings[1].message.find("no such table: main.nowhere") != std::string::npos);
}

TEST_CASE("a NUL byte in a script ends nothing but the statement it is in: the reader goes on") {
    const Catalog catalog = read(std::string("CREATE TABLE a (id INTEGER PRIMARY KEY);\0\n"
                                             "CREATE TABLE b (id INTEGER PRIMARY KEY);\n",
                                             83));
    CHECK(catalog.find_table("main.a") != nullptr);
    CHECK(catalog.find_table("main.b") != nullptr);
}

TEST_CASE("a script SQLite runs none of is an input error naming the first failure") {
    CHECK_THROWS_WITH_AS(read("\n\nLorem ipsum dolor sit amet;\n"),
                         doctest::Contains("schema.sql:3: no statement could be run by SQLite"),
                         parsers::InputError);
    CHECK_THROWS_WITH_AS(read("-- nothing\n"), doctest::Contains("holds no SQL statements"),
                         parsers::InputError);
}

TEST_CASE("objects know the file and line of the statement that created them") {
    const Catalog catalog = read("-- header\n"
                                 "CREATE TABLE a (id INTEGER PRIMARY KEY, b INT UNIQUE);\n"
                                 "\n"
                                 "/* comment */ CREATE INDEX ix_a ON a (id, b);\n");
    CHECK(table_named(catalog, "main.a").declared_at.line == 2);
    CHECK(index_named(catalog, "main.ix_a").declared_at.line == 4);
    CHECK(index_named(catalog, "main.sqlite_autoindex_a_1").declared_at.line == 2);
}

TEST_CASE("ATTACH and VACUUM INTO are never run: the in-memory database creates no file") {
    TempDir dir;
    const std::string target = (dir.path / "attached.db").string();
    const Catalog catalog = read("CREATE TABLE a (id INTEGER PRIMARY KEY);\n"
                                 "ATTACH DATABASE '" +
                                 target + "' AS other;\nVACUUM INTO '" + target + "';\n");
    CHECK(catalog.find_table("main.a") != nullptr);
    CHECK(dir.listing().empty());
    CHECK(catalog.ignored_statement_kinds.at("ATTACH") == 1);
}

TEST_CASE("a statement that runs too long is stopped and reported, not waited for") {
    Catalog catalog;
    parsers::SqliteReadOptions options;
    options.statement_time_limit_ms = 200;
    parsers::SqliteDdlLoader loader(catalog, options);
    loader.apply("CREATE TABLE a (id INTEGER PRIMARY KEY);\n"
                 "CREATE TABLE forever AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL "
                 "SELECT x + 1 FROM n) SELECT x FROM n;\n",
                 "slow.sql");
    loader.finish();
    REQUIRE(catalog.warnings.size() == 1);
    CHECK(catalog.warnings[0].where.line == 2);
    CHECK(catalog.warnings[0].message.find("stopped after 200 ms") != std::string::npos);
}

TEST_CASE("scripts applied in order build one schema") {
    Catalog catalog;
    parsers::SqliteDdlLoader loader(catalog);
    loader.apply("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);", "001.sql");
    loader.apply("ALTER TABLE a ADD COLUMN w JSON;\nCREATE INDEX ix_a_v ON a (v);", "002.sql");
    loader.finish();
    CHECK(table_named(catalog, "main.a").columns.size() == 3);
    CHECK(table_named(catalog, "main.a").columns[2].json);
    CHECK(index_named(catalog, "main.ix_a_v").declared_at.file == "002.sql");
    CHECK(index_named(catalog, "main.ix_a_v").declared_at.line == 2);
}

TEST_CASE("a database file is read read-only: same catalog as its DDL, bytes unchanged, no "
          "side files, in rollback and in WAL mode") {
    const std::string ddl =
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, prefs JSON);\n"
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INT REFERENCES users (id), "
        "body TEXT CHECK (json_valid(body)));\n"
        "CREATE INDEX ix_notes_body ON notes (json_extract(body, '$.t')) WHERE user_id > 0;\n";
    for (const bool wal : {false, true}) {
        CAPTURE(wal);
        TempDir dir;
        const std::string path = (dir.path / "app.db").string();
        {
            SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            if (wal) {
                db.exec("PRAGMA journal_mode=WAL");
            }
            db.exec(ddl);
        } // the last connection to close removes the -wal and -shm files
        const std::set<std::string> before = dir.listing();
        const std::string bytes = read_text(path);
        Catalog from_file;
        parsers::read_sqlite_database(path, from_file);
        CHECK(read_text(path) == bytes);
        CHECK(dir.listing() == before);

        const Catalog from_ddl = read(ddl);
        CHECK(from_file.tables.size() == from_ddl.tables.size());
        CHECK(from_file.indexes.size() == from_ddl.indexes.size());
        const parsers::Table& notes = table_named(from_file, "main.notes");
        CHECK(notes.columns[2].json);
        REQUIRE(notes.foreign_keys.size() == 1);
        CHECK(notes.foreign_keys[0].name == "notes_user_id_fkey");
        const parsers::Index& body = index_named(from_file, "main.ix_notes_body");
        CHECK(body.keys[0].expression == "json_extract(body, '$.t')");
        CHECK(body.where == std::optional<std::string>("user_id > 0"));
        CHECK(body.declared_at.file == path);
    }
}

TEST_CASE("a corrupt or non-SQLite file is an input error naming the file") {
    TempDir dir;
    const std::string corrupt = (dir.path / "corrupt.db").string();
    {
        std::ofstream out(corrupt, std::ios::binary);
        out << std::string("SQLite format 3\0", 16) << std::string(4080, '\x5a');
    }
    Catalog catalog;
    const std::string expected = corrupt + ": is a SQLite database file but SQLite cannot read it";
    CHECK_THROWS_WITH_AS(parsers::read_sqlite_database(corrupt, catalog),
                         doctest::Contains(expected.c_str()), parsers::InputError);
    const std::string text = (dir.path / "notes.db").string();
    {
        std::ofstream out(text, std::ios::binary);
        out << "just text\n";
    }
    CHECK_THROWS_WITH_AS(parsers::read_sqlite_database(text, catalog),
                         doctest::Contains("is not a SQLite database"), parsers::InputError);
}

TEST_CASE("the SQLite header is the 16 bytes \"SQLite format 3\\0\"") {
    CHECK(parsers::has_sqlite_header(std::string("SQLite format 3\0\x10\x00", 18)));
    CHECK_FALSE(parsers::has_sqlite_header("SQLite format 3"));
    CHECK_FALSE(parsers::has_sqlite_header("CREATE TABLE t (a int);"));
}

TEST_CASE("DDL text is SQLite when only SQLite accepts it, PostgreSQL otherwise") {
    const auto dialect = [](const std::string& sql) {
        return parsers::guess_ddl_dialect(sql).dialect;
    };
    CHECK(dialect("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);") == "sqlite");
    CHECK(dialect("CREATE TABLE t (k TEXT PRIMARY KEY) WITHOUT ROWID;") == "sqlite");
    CHECK(dialect("CREATE TABLE t (k TEXT PRIMARY KEY) STRICT;") == "sqlite");
    CHECK(dialect("CREATE TABLE `t` (`id` INTEGER);") == "sqlite");
    CHECK(dialect("CREATE TABLE [Album] ([AlbumId] INTEGER NOT NULL);") == "sqlite");
    CHECK(dialect("CREATE VIRTUAL TABLE s USING fts5(body);") == "sqlite");
    CHECK(dialect("PRAGMA foreign_keys=OFF;\nCREATE TABLE t (a);") == "sqlite");
    CHECK(dialect("CREATE TABLE t (name TEXT COLLATE NOCASE);") == "sqlite");
    CHECK(dialect("CREATE TABLE t (d TEXT CHECK (json_valid(d)));") == "sqlite");
    CHECK(dialect("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;") == "sqlite");
    // Plain CREATE TABLE is both: PostgreSQL by default.
    CHECK(dialect("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);") == "postgresql");
    CHECK(dialect("") == "postgresql");
    // Anything SQLite cannot run makes it PostgreSQL, whatever else it has.
    CHECK(dialect("SET search_path = public;\nCREATE TABLE `t` (id int);") == "postgresql");
    CHECK(dialect("CREATE TABLE t (id serial, tags text[], x int DEFAULT 0::int);") ==
          "postgresql");
    CHECK(dialect("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;") ==
          "postgresql");
    CHECK(dialect("CREATE INDEX i ON t USING gin (data);") == "postgresql");
    CHECK(dialect("ALTER TABLE ONLY t ADD CONSTRAINT t_pkey PRIMARY KEY (id);") == "postgresql");
    CHECK(dialect("\\restrict abc\nCREATE TABLE t (a int);") == "postgresql");
    // Strings and comments are not evidence; PostgreSQL array subscripts are not brackets.
    CHECK(dialect("-- AUTOINCREMENT\nCREATE TABLE t (a text DEFAULT 'WITHOUT ROWID');") ==
          "postgresql");
    CHECK(dialect("CREATE VIEW v AS SELECT a[1], ARRAY[b] FROM t;") == "postgresql");

    const parsers::DialectGuess guess =
        parsers::guess_ddl_dialect("CREATE TABLE a (id int);\n\nCREATE TABLE b (id INTEGER "
                                   "PRIMARY KEY AUTOINCREMENT);");
    CHECK(guess.evidence == "AUTOINCREMENT");
    CHECK(guess.line == 3);
}

TEST_CASE("every corpus and sample schema is read in its own dialect") {
    const std::string shared = SHARED_DIR;
    const std::string source = SOURCE_DIR;
    const auto guess = [](const std::filesystem::path& path) {
        return parsers::guess_ddl_dialect(read_text(path.string())).dialect;
    };
    std::size_t checked = 0;
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(shared + "/corpus/pg_schema")) {
        if (entry.path().extension() == ".sql") {
            CHECK_MESSAGE(guess(entry.path()) == "postgresql", entry.path());
            ++checked;
        }
    }
    for (const auto& entry : std::filesystem::directory_iterator(source + "/samples")) {
        const auto schema = entry.path() / "schema.sql";
        if (std::filesystem::exists(schema)) {
            const bool sqlite = entry.path().filename().string().starts_with("sqlite");
            CHECK_MESSAGE(guess(schema) == (sqlite ? "sqlite" : "postgresql"), schema);
            ++checked;
        }
    }
    for (const auto& name : {"synapse-main-72.full.sqlite.sql", "calibre-metadata_sqlite.sql"}) {
        CHECK_MESSAGE(guess(shared + "/corpus/sqlite/" + name) == "sqlite", name);
        ++checked;
    }
    CHECK(checked > 20);
}

TEST_CASE("index SQL for a SQLite catalog has no CONCURRENTLY and an unqualified table") {
    advisor::IndexSpec spec;
    spec.name = "ix_tags_user_id";
    spec.table = "main.tags";
    parsers::IndexKey key;
    key.column = "user_id";
    spec.keys.push_back(key);
    CHECK(advisor::create_index_sql(spec, "sqlite") ==
          "CREATE INDEX IF NOT EXISTS ix_tags_user_id ON tags (user_id);");
    CHECK(advisor::drop_index_sql("main", spec.name, "sqlite") ==
          "DROP INDEX IF EXISTS ix_tags_user_id;");
    CHECK(advisor::create_index_sql(spec) ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_tags_user_id ON main.tags (user_id);");
}

TEST_CASE("SQLite index SQL has no operator class and no NULLS order, which SQLite rejects") {
    advisor::IndexSpec spec;
    spec.name = "ix_users_display_name_seen_at";
    spec.table = "main.users";
    parsers::IndexKey name;
    name.column = "display_name";
    name.opclass = "text_pattern_ops"; // what missing-index asks for a LIKE 'abc%' prefix
    parsers::IndexKey seen;
    seen.column = "seen_at";
    seen.descending = true;
    seen.nulls = "last";
    spec.keys = {name, seen};
    const std::string sql = advisor::create_index_sql(spec, "sqlite");
    CHECK(sql == "CREATE INDEX IF NOT EXISTS ix_users_display_name_seen_at ON users "
                 "(display_name, seen_at DESC);");
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, display_name TEXT, seen_at TEXT)");
    CHECK_NOTHROW(db.exec(sql));
    CHECK(advisor::create_index_sql(spec).find("display_name text_pattern_ops, seen_at DESC "
                                               "NULLS LAST") != std::string::npos);
}

TEST_CASE("on SQLite a look-up by the INTEGER PRIMARY KEY is served by the table, the rowid") {
    const Catalog catalog =
        read("CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT);\n"
             "CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;\n"
             "CREATE TABLE pairs (a INTEGER, b INTEGER, PRIMARY KEY (a, b));\n");
    CHECK(catalog.sqlite_rowid_column(table_named(catalog, "main.notes")) == "id");
    CHECK(catalog.sqlite_rowid_column(table_named(catalog, "main.kv")).empty());
    CHECK(catalog.sqlite_rowid_column(table_named(catalog, "main.pairs")).empty());

    const advisor::IndexMatcher matcher(catalog);
    advisor::ScanAccess by_id;
    by_id.table = "main.notes";
    by_id.equality = {"id"};
    const auto best = matcher.best(by_id);
    REQUIRE(best);
    CHECK(best->index == "main.notes (rowid)");
    CHECK(best->unique_lookup);
    advisor::ScanAccess by_title = by_id;
    by_title.equality = {"title"};
    CHECK_FALSE(matcher.best(by_title));

    // PostgreSQL has no rowid: the same table from PostgreSQL DDL has its primary key index.
    parsers::Catalog postgres = catalog;
    postgres.dialect = "postgresql";
    CHECK(postgres.sqlite_rowid_column(table_named(postgres, "main.notes")).empty());
}

TEST_CASE("unindexed-foreign-key on SQLite: SQLite SQL in the fix, and a foreign key that is the "
          "INTEGER PRIMARY KEY (the rowid) is served") {
    const Catalog catalog =
        read("CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
             "CREATE TABLE tags (id INTEGER PRIMARY KEY, user_id INT REFERENCES users (id));\n"
             "CREATE TABLE profiles (user_id INTEGER NOT NULL, PRIMARY KEY (user_id), "
             "FOREIGN KEY (user_id) REFERENCES users (id));\n");
    const advisor::Rule* rule = advisor::find_rule("unindexed-foreign-key");
    REQUIRE(rule != nullptr);
    const advisor::AnalysisContext context{catalog, nullptr, {}};
    const auto findings = rule->run(context);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].table == "main.tags");
    CHECK(findings[0].fix.sql_up ==
          "CREATE INDEX IF NOT EXISTS ix_tags_user_id ON tags (user_id);");
    CHECK(findings[0].fix.sql_down == "DROP INDEX IF EXISTS ix_tags_user_id;");
}
