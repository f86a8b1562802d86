#include "parsers/logs/sqlalchemy_reader.hpp"
#include "tests/logs/test_support.hpp"

#include <doctest/doctest.h>
#include <zlib.h>

using logs_test::accounted_lines;
using logs_test::read_text;
using parsers::logs::bound_values;
using parsers::logs::LogFormat;

TEST_CASE("csvlog: quoted fields hold newlines and doubled quotes; 23 and 26 columns") {
    const std::string pg12 =
        "2021-01-22 10:03:22.785 CET,\"u\",\"d\",1486,\"127.0.0.1:52306\",6009c305.5ce,1,"
        "\"SELECT\",2021-01-21 19:08:05 CET,14/10903,0,LOG,00000,\"duration: 26.120 ms  execute "
        "S_65: select * from \"\"users\"\"\nwhere id = $1\",\"parameters: $1 = "
        "'7'\",,,,,,,,\"app\"\n";
    const std::string pg14 =
        "2021-01-22 10:03:23.000 CET,\"u\",\"d\",1486,\"127.0.0.1:52306\",6009c305.5ce,2,"
        "\"SELECT\",2021-01-21 19:08:05 CET,14/10904,0,LOG,00000,\"duration: 1.0 ms  statement: "
        "SELECT 1\",,,,,,,,,\"app\",\"client backend\",,0\n";
    const auto result = read_text("postgresql.csv", pg12 + pg14);
    CHECK(result.description == "PostgreSQL csvlog");
    REQUIRE(result.statements.size() == 2);
    CHECK(result.statements[0].text == "select * from \"users\"\nwhere id = $1");
    CHECK(result.statements[0].session == "6009c305.5ce");
    CHECK(bound_values(result.statements[0]).at(0) == "'7'");
    CHECK(result.statements[1].text == "SELECT 1");
    CHECK(result.counts.lines == 3);
    CHECK(accounted_lines(result.counts) == 3);
}

TEST_CASE("jsonlog: one object per line, statements and errors") {
    const std::string log =
        R"({"timestamp":"2022-10-14 23:20:37.479 UTC","user":"u","dbname":"d","pid":66145,)"
        R"("session_id":"634a5135.10261","error_severity":"LOG","message":"duration: 12.197 ms  )"
        R"(execute <unnamed>: SELECT * FROM posts WHERE id = $1","detail":"parameters: $1 = '1'"})"
        "\n"
        R"({"timestamp":"2022-10-14 23:20:38.000 UTC","pid":66145,"session_id":"634a5135.10261",)"
        R"("error_severity":"ERROR","message":"boom","statement":"SELECT 1/0"})"
        "\n";
    const auto result = read_text("postgresql.json", log);
    CHECK(result.description == "PostgreSQL jsonlog");
    REQUIRE(result.statements.size() == 2);
    CHECK(result.statements[0].session == "634a5135.10261");
    CHECK(bound_values(result.statements[0]).at(0) == "'1'");
    CHECK(result.statements[1].failed);
}

TEST_CASE("pg_stat_statements CSV export: each row is a query with its calls and time") {
    const std::string csv = "userid,dbid,queryid,query,calls,total_exec_time,mean_exec_time,rows\n"
                            "10,5,123,\"SELECT * FROM t WHERE a = $1\",120,60.5,0.5,120\n"
                            "10,5,124,\"UPDATE t\nSET b = $1\",3,3.0,1.0,3\n";
    const auto result = read_text("pgss.csv", csv);
    CHECK(result.description == "pg_stat_statements export (CSV)");
    REQUIRE(result.statements.size() == 2);
    CHECK(result.statements[0].calls == 120);
    CHECK(*result.statements[0].duration_ms == doctest::Approx(60.5));
    CHECK(*result.statements[0].rows == 120);
    CHECK(result.statements[1].text == "UPDATE t\nSET b = $1");
    CHECK(result.counts.statements == 123);
}

TEST_CASE("pg_stat_statements JSON export (json_agg) with PostgreSQL 12's total_time") {
    const std::string json = R"([{"query":"SELECT 1","calls":4,"total_time":2.5,"rows":4},)"
                             R"({"query":"SELECT * FROM t WHERE a = $1","calls":2,"total_time":1})"
                             "]\n";
    const auto result = read_text("pgss.json", json);
    REQUIRE(result.statements.size() == 2);
    CHECK(result.statements[0].calls == 4);
    CHECK(*result.statements[0].duration_ms == doctest::Approx(2.5));
    CHECK(result.counts.statements == 6);
}

TEST_CASE("SQLAlchemy echo: continuation lines, parameter lines, placeholders") {
    const std::string log =
        "2024-05-01 10:00:00,100 INFO sqlalchemy.engine.Engine BEGIN (implicit)\n"
        "2024-05-01 10:00:00,101 INFO sqlalchemy.engine.Engine SELECT users.id, users.name \n"
        "FROM users \n"
        "WHERE users.id = %(pk_1)s AND users.name LIKE '%%x%%'\n"
        "2024-05-01 10:00:00,102 INFO sqlalchemy.engine.Engine [generated in 0.00015s] "
        "{'pk_1': 5}\n"
        "2024-05-01 10:00:00,103 INFO sqlalchemy.engine.Engine SELECT a FROM t WHERE b = ? AND "
        "c = ?\n"
        "2024-05-01 10:00:00,104 INFO sqlalchemy.engine.Engine [cached since 12.3s ago] "
        "(7, \"it's\")\n"
        "2024-05-01 10:00:00,105 INFO sqlalchemy.engine.Engine COMMIT\n"
        "2024-05-01 10:00:00,106 INFO myapp.views request done\n";
    const auto result = read_text("app.log", log);
    CHECK(result.description == "SQLAlchemy engine echo log");
    REQUIRE(result.statements.size() == 4);
    CHECK(result.statements[0].text == "BEGIN");
    CHECK(result.statements[1].text ==
          "SELECT users.id, users.name \nFROM users \nWHERE users.id = $1 AND users.name LIKE "
          "'%x%'");
    CHECK(result.statements[1].parameter_names == std::vector<std::string>{"pk_1"});
    CHECK(bound_values(result.statements[1]).at(0) == "5");
    CHECK(result.statements[2].text == "SELECT a FROM t WHERE b = $1 AND c = $2");
    const auto values = bound_values(result.statements[2]);
    REQUIRE(values.size() == 2);
    CHECK(values[1] == "'it''s'");
    CHECK(result.statements[3].text == "COMMIT");
    CHECK(accounted_lines(result.counts) == result.counts.lines);
}

TEST_CASE("placeholders inside strings stay as they are") {
    std::vector<std::string> names;
    CHECK(parsers::logs::number_placeholders("SELECT '?' , x ? 'a' FROM t WHERE a = %(a)s",
                                             names) == "SELECT '?' , x ? 'a' FROM t WHERE a = $1");
    names.clear();
    // A `?` is SQLite's placeholder or PostgreSQL's jsonb operator: the reader decides, by the
    // paramstyle (tests/logs/sqlalchemy_sqlite_test.cpp); number_placeholders leaves it.
    CHECK(parsers::logs::number_placeholders("SELECT '?' FROM t WHERE a = ?", names) ==
          "SELECT '?' FROM t WHERE a = ?");
}

TEST_CASE("a .sql file: one call per statement, COPY data and meta-commands skipped") {
    const std::string sql = "\\set ON_ERROR_STOP on\n"
                            "SELECT 1; SELECT 2;\n"
                            "COPY t (a) FROM stdin;\n1\n2\n\\.\n"
                            "-- a comment\n"
                            "SELECT *\n  FROM t\n  WHERE a = 'x;y';\n";
    const auto result = read_text("queries.sql", sql);
    CHECK(result.description == "SQL script");
    REQUIRE(result.statements.size() == 4);
    CHECK(result.statements[1].text == "SELECT 2");
    CHECK(result.statements[2].text.starts_with("COPY t (a) FROM stdin"));
    CHECK(result.statements[3].line == 8);
}

TEST_CASE("--log-format overrides detection") {
    parsers::logs::LogReadOptions options;
    options.format = LogFormat::sql;
    const auto result = read_text("x.log", "SELECT 1;\n", options);
    CHECK(result.description == "SQL script (as --log-format says)");
    CHECK(result.statements.size() == 1);
}

TEST_CASE("gzip input is read transparently") {
    // "2025-07-18 09:00:00.123 UTC [1] LOG:  duration: 1.0 ms  statement: SELECT 1\n", gzipped
    // by the test with zlib itself.
    const std::string text =
        "2025-07-18 09:00:00.123 UTC [1] LOG:  duration: 1.0 ms  statement: SELECT 1\n";
    logs_test::TempLog log("postgresql.log.gz", "");
    gzFile out = gzopen(log.path().c_str(), "wb");
    gzwrite(out, text.data(), static_cast<unsigned>(text.size()));
    gzclose(out);
    const auto result = logs_test::read_all(log.path());
    REQUIRE(result.statements.size() == 1);
    CHECK(result.description.find("gzip") != std::string::npos);
}
