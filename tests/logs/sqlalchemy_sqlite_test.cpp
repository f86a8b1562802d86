// SQLAlchemy echo logs of applications on SQLite (the pysqlite driver's qmark paramstyle), and
// plain .sql files of SQLite queries: read in SQLite's syntax, shaped like any other statement.
#include "tests/logs/test_support.hpp"

#include <doctest/doctest.h>

using logs_test::read_text;
using logs_test::workload_of;
using parsers::logs::bound_values;

namespace {

std::string echo(const std::string& time, const std::string& message) {
    return "2026-03-02 09:00:" + time + " INFO sqlalchemy.engine.Engine " + message + "\n";
}

} // namespace

TEST_CASE("a qmark statement with a tuple of values is read in SQLite's syntax") {
    const std::string log = echo("00,100", "BEGIN (implicit)") +
                            echo("00,101", "UPDATE notes SET title=? WHERE notes.id = ?") +
                            echo("00,101", "[generated in 0.00014s] ('y', 1)") +
                            echo("00,102", "SELECT [n].id FROM notes AS [n] WHERE n.owner == ?") +
                            echo("00,102", "[generated in 0.00010s] (5,)") +
                            echo("00,103", "COMMIT");
    const auto result = read_text("app.log", log);
    REQUIRE(result.statements.size() == 4);
    CHECK(result.statements[1].text == "UPDATE notes SET title=$1 WHERE notes.id = $2");
    const auto values = bound_values(result.statements[1]);
    REQUIRE(values.size() == 2);
    CHECK(values[0] == "'y'");
    CHECK(values[1] == "1");
    CHECK(result.statements[2].text == "SELECT \"n\".id FROM notes AS \"n\" WHERE n.owner = $1");
    CHECK(result.problems.empty());
}

TEST_CASE("named :name placeholders bind the dict of values by name") {
    const std::string log =
        echo("00,101",
             "SELECT notes.id FROM notes WHERE notes.user_id = :uid AND notes.id > :after") +
        echo("00,101", "[generated in 0.00014s] {'after': 40, 'uid': 7}");
    const auto result = read_text("app.log", log);
    REQUIRE(result.statements.size() == 1);
    CHECK(result.statements[0].text ==
          "SELECT notes.id FROM notes WHERE notes.user_id = $1 AND notes.id > $2");
    const auto values = bound_values(result.statements[0]);
    REQUIRE(values.size() == 2);
    CHECK(values[0] == "7");
    CHECK(values[1] == "40");
}

TEST_CASE("psycopg's ? (jsonb key exists) with a dict of values stays an operator") {
    const std::string log = echo("00,101", "SELECT id FROM docs WHERE data ? 'k'") +
                            echo("00,101", "[raw sql] {}") +
                            echo("00,102", "SELECT id FROM docs WHERE data ? %(key)s") +
                            echo("00,102", "[generated in 0.00010s] {'key': 'k'}");
    const auto result = read_text("app.log", log);
    REQUIRE(result.statements.size() == 2);
    CHECK(result.statements[0].text == "SELECT id FROM docs WHERE data ? 'k'");
    CHECK(result.statements[1].text == "SELECT id FROM docs WHERE data ? $1");
}

TEST_CASE("asyncpg's $1 with a tuple of values: PostgreSQL text, its ? left alone") {
    const std::string log = echo("00,101", "SELECT id FROM docs WHERE data ? $1::VARCHAR") +
                            echo("00,101", "[generated in 0.00010s] ('k',)");
    const auto result = read_text("app.log", log);
    REQUIRE(result.statements.size() == 1);
    CHECK(result.statements[0].text == "SELECT id FROM docs WHERE data ? $1::VARCHAR");
}

TEST_CASE("SQLite syntax libpg_query rejects is reported with file and line, once per statement") {
    const std::string log = echo("00,100", "PRAGMA main.table_info(\"notes\")") +
                            echo("00,100", "[raw sql] ()") +
                            echo("00,101", "INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)") +
                            echo("00,101", "[generated in 0.00014s] ('a', 1)") +
                            echo("00,102", "INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)") +
                            echo("00,102", "[cached since 0.001s ago] ('b', 2)");
    const auto result = read_text("app.log", log);
    REQUIRE(result.statements.size() == 3);
    REQUIRE(result.problems.size() == 2);
    CHECK(result.problems[0].file.ends_with("app.log"));
    CHECK(result.problems[0].line == 1);
    CHECK(result.problems[0].message.starts_with(
        "SQLite syntax the PostgreSQL parser does not accept: PRAGMA (libpg_query: "));
    CHECK(result.problems[1].line == 3);
    CHECK(result.problems[1].message.starts_with(
        "SQLite syntax the PostgreSQL parser does not accept: INSERT OR REPLACE"));

    // In the workload they are unparsed statements, next to the ones that did parse.
    const auto workload = workload_of("app.log", log);
    CHECK(workload.statements == 3);
    CHECK(workload.unparsed == 3);
    bool named = false;
    for (const auto& error : workload.errors) {
        named |= error.line == 3 && error.message.find("INSERT OR REPLACE") != std::string::npos;
    }
    CHECK(named);
}

TEST_CASE("one SQLite shape for every value, with the values in its example") {
    std::string log;
    for (int id = 1; id <= 5; ++id) {
        log += echo("0" + std::to_string(id) + ",000",
                    "SELECT tags.id, tags.name \nFROM tags \nWHERE tags.user_id = ?");
        log += echo("0" + std::to_string(id) + ",001",
                    "[cached since 1s ago] (" + std::to_string(id) + ",)");
    }
    const auto workload = workload_of("app.log", log);
    REQUIRE(workload.shapes.size() == 1);
    CHECK(workload.unparsed == 0);
    CHECK(workload.shapes[0].calls == 5);
    CHECK(workload.shapes[0].query ==
          "SELECT tags.id, tags.name \nFROM tags \nWHERE tags.user_id = $1");
    REQUIRE_FALSE(workload.shapes[0].examples.empty());
    CHECK(workload.shapes[0].examples[0].text ==
          "SELECT tags.id, tags.name \nFROM tags \nWHERE tags.user_id = 1");
}

TEST_CASE("a .sql file of SQLite queries is read in SQLite's syntax when the dialect says so") {
    const std::string sql = "SELECT * FROM [order] WHERE [order].id == 1;\n"
                            "REPLACE INTO kv VALUES ('a', 1);\n";
    parsers::logs::LogReadOptions options;
    options.sql_dialect = "sqlite";
    const auto result = read_text("queries.sql", sql, options);
    REQUIRE(result.statements.size() == 2);
    CHECK(result.statements[0].text == "SELECT * FROM \"order\" WHERE \"order\".id = 1");
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].line == 2);
    CHECK(result.problems[0].message.find("REPLACE INTO") != std::string::npos);

    CHECK(result.description == "SQL script (SQLite syntax)");

    // PostgreSQL (the default) cannot detect it as SQL; given as SQL, the text stays as written.
    CHECK_THROWS_WITH(read_text("queries.sql", sql), doctest::Contains("cannot tell its format"));
    parsers::logs::LogReadOptions postgres;
    postgres.format = parsers::logs::LogFormat::sql;
    const auto as_postgres = read_text("queries.sql", sql, postgres);
    REQUIRE(as_postgres.statements.size() == 2);
    CHECK(as_postgres.statements[0].text == "SELECT * FROM [order] WHERE [order].id == 1");
    CHECK(as_postgres.problems.empty());
}
