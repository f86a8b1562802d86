#include "parsers/catalog.hpp"
#include "parsers/pg_tree.hpp"
#include "parsers/query_facts.hpp"
#include "parsers/sqlite_query.hpp"
#include "parsers/sqlite_schema.hpp"

#include <doctest/doctest.h>

using parsers::sqlite_query_for_postgres;

namespace {

bool parses(const std::string& sql) {
    return !parsers::pg::parse(sql).error;
}

} // namespace

TEST_CASE("SQLite's ? placeholders become $1, $2 ... in the order SQLite numbers them") {
    const auto result = sqlite_query_for_postgres(
        "SELECT notes.id \nFROM notes \nWHERE notes.user_id = ? AND notes.title LIKE ? "
        "ORDER BY notes.updated_at DESC\n LIMIT ? OFFSET ?");
    CHECK(result.text == "SELECT notes.id \nFROM notes \nWHERE notes.user_id = $1 AND notes.title "
                         "LIKE $2 ORDER BY notes.updated_at DESC\n LIMIT $3 OFFSET $4");
    CHECK(result.parameter_names.empty());
    CHECK(result.unsupported.empty());
    CHECK(parses(result.text));
}

TEST_CASE("a ? run into an operator (SQLAlchemy's SET title=?) is still a placeholder") {
    // PostgreSQL's scanner would read `=?` as one operator: the SQLite tokenizer does not.
    const auto result = sqlite_query_for_postgres("UPDATE notes SET title=? WHERE notes.id = ?");
    CHECK(result.text == "UPDATE notes SET title=$1 WHERE notes.id = $2");
    CHECK(parses(result.text));
    CHECK(sqlite_query_for_postgres("SELECT a FROM t WHERE b>=?AND c<?").text ==
          "SELECT a FROM t WHERE b>=$1 AND c<$2");
}

TEST_CASE("?NNN keeps its number; a bare ? after it takes the next one") {
    CHECK(sqlite_query_for_postgres("SELECT ?2, ?1, ?").text == "SELECT $2, $1, $3");
    CHECK(sqlite_query_for_postgres("SELECT ?0, ?99999").text == "SELECT ?0, ?99999");
}

TEST_CASE(":name, @name and $name get one number per name, named as bound") {
    const auto result =
        sqlite_query_for_postgres("SELECT * FROM t WHERE a = :id OR b = @other OR c = :id "
                                  "OR d = $third");
    CHECK(result.text == "SELECT * FROM t WHERE a = $1 OR b = $2 OR c = $1 OR d = $3");
    CHECK(result.named_parameters);
    CHECK(result.parameter_names == std::vector<std::string>{"id", "other", "third"});
}

TEST_CASE("PostgreSQL's own $1 stays, and is flagged so a reader can tell") {
    const auto result = sqlite_query_for_postgres("SELECT * FROM t WHERE a = $1 AND data ? 'k'");
    CHECK(result.postgres_parameters);
    CHECK_FALSE(result.named_parameters);
}

TEST_CASE("placeholders inside strings, quoted names and comments are left alone") {
    const auto result = sqlite_query_for_postgres(
        "SELECT '?', \"a?\", [b?], `c?` -- why?\n/* :not_a_name */ FROM t WHERE x = ?");
    CHECK(result.text ==
          "SELECT '?', \"a?\", \"b?\", \"c?\" -- why?\n/* :not_a_name */ FROM t WHERE x = $1");
    CHECK_FALSE(result.named_parameters);
    CHECK(parses(result.text));
}

TEST_CASE("[bracket] and `backtick` names become double-quoted names") {
    const auto result =
        sqlite_query_for_postgres("SELECT [order].[group], `we\"ird``s` FROM [order] WHERE 1");
    CHECK(result.text == "SELECT \"order\".\"group\", \"we\"\"ird`s\" FROM \"order\" WHERE 1");
    CHECK(parses(result.text));
}

TEST_CASE("== is SQLite's other spelling of =") {
    const auto result = sqlite_query_for_postgres("SELECT * FROM t WHERE a == ? AND b != 'x==y'");
    CHECK(result.text == "SELECT * FROM t WHERE a = $1 AND b != 'x==y'");
}

TEST_CASE("X'..' blobs pass through: PostgreSQL reads them as bit strings") {
    const auto result = sqlite_query_for_postgres("SELECT * FROM files WHERE digest = X'0aF1'");
    CHECK(result.text == "SELECT * FROM files WHERE digest = X'0aF1'");
    CHECK(result.unsupported.empty());
    CHECK(parses(result.text));
}

TEST_CASE("SQLite-only syntax is named, each construct once") {
    const auto check_one = [](const std::string& sql, const std::string& what) {
        const auto result = sqlite_query_for_postgres(sql);
        INFO(sql);
        REQUIRE(result.unsupported.size() == 1);
        CHECK(result.unsupported[0] == what);
        CHECK_FALSE(parses(result.text)); // each is something libpg_query really rejects
    };
    check_one("SELECT * FROM t WHERE flags = 0x1F", "hex integer 0x1F");
    check_one("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)", "INSERT OR REPLACE");
    check_one("insert or ignore into kv (k) values (?)", "INSERT OR IGNORE");
    check_one("REPLACE INTO kv (k, v) VALUES (?, ?)", "REPLACE INTO");
    check_one("UPDATE OR ROLLBACK kv SET v = ?", "UPDATE OR ROLLBACK");
    check_one("SELECT * FROM files WHERE name GLOB ?", "the GLOB operator");
    check_one("SELECT * FROM t WHERE a IS ?", "IS between two values");
    check_one("SELECT * FROM t WHERE a IS NOT b", "IS NOT between two values");
    check_one("SELECT * FROM t LIMIT 10, 20", "LIMIT offset, count");
    check_one("SELECT * FROM t INDEXED BY ix_t_a WHERE a = 1", "INDEXED BY");
    check_one("SELECT * FROM t NOT INDEXED WHERE a = 1", "NOT INDEXED");
    check_one("PRAGMA main.table_info(\"notes\")", "PRAGMA");
    check_one("BEGIN IMMEDIATE", "BEGIN IMMEDIATE");
    check_one("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)", "AUTOINCREMENT");
}

TEST_CASE("PostgreSQL forms of the same words are not flagged") {
    for (const std::string sql :
         {"SELECT * FROM t WHERE a IS NULL AND b IS NOT TRUE AND c IS DISTINCT FROM ?",
          "SELECT * FROM t LIMIT ? OFFSET ?",
          "SELECT * FROM t WHERE x IN (SELECT y FROM u LIMIT 1)",
          "SELECT glob(?, name), replace(a, 'b', 'c') FROM files", "BEGIN", "COMMIT",
          "SELECT * FROM t WHERE a = ? LIMIT (SELECT 1), 2"}) {
        INFO(sql);
        const auto result = sqlite_query_for_postgres(sql);
        if (sql.find("(SELECT 1), 2") != std::string::npos) {
            CHECK(result.unsupported == std::vector<std::string>{"LIMIT offset, count"});
        } else {
            CHECK(result.unsupported.empty());
        }
    }
}

TEST_CASE("a SQLite-only statement libpg_query rejects gets a message naming the construct") {
    const auto problem =
        parsers::sqlite_syntax_problem(sqlite_query_for_postgres("INSERT OR REPLACE INTO kv "
                                                                 "(k, v) VALUES (?, ?)"));
    REQUIRE(problem);
    CHECK(problem->starts_with(
        "SQLite syntax the PostgreSQL parser does not accept: INSERT OR REPLACE (libpg_query: "));
    CHECK(problem->find("syntax error at or near") != std::string::npos);
    CHECK_FALSE(parsers::sqlite_syntax_problem(sqlite_query_for_postgres("SELECT 1 WHERE 1 = ?")));
}

TEST_CASE("QueryFacts read a SQLAlchemy SQLite statement once its placeholders are mapped") {
    const parsers::Catalog catalog = parsers::read_sqlite_ddl(
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, name TEXT);\n"
        "CREATE TABLE [note tags] (note_id INTEGER, tag_id INTEGER);\n");
    const auto text = sqlite_query_for_postgres(
                          "SELECT tags.id, tags.name \nFROM tags JOIN [note tags] AS nt ON "
                          "nt.tag_id = tags.id \nWHERE tags.user_id = ? AND nt.note_id IN (?, ?)")
                          .text;
    const parsers::QueryFacts facts = parsers::extract_query_facts(text, catalog);
    REQUIRE_FALSE(facts.error);
    CHECK(facts.tables == std::vector<std::string>{"main.note tags", "main.tags"});
    bool user_id_eq = false;
    bool note_id_in = false;
    for (const auto& use : facts.column_uses()) {
        user_id_eq |= use.table == "main.tags" && use.column == "user_id" &&
                      use.role == parsers::ColumnRole::eq &&
                      use.operand == parsers::Operand::parameter;
        note_id_in |= use.table == "main.note tags" && use.column == "note_id" &&
                      use.role == parsers::ColumnRole::in;
    }
    CHECK(user_id_eq);
    CHECK(note_id_in);
}
