// Limits that keep pathological input from exhausting the stack or reading a whole file: deep
// parse trees, deep template data and sections, NUL runs in SQL scripts and logs, FIFOs.
#include "advisor/catalog.hpp"
#include "advisor/errors.hpp"
#include "advisor/render/templates.hpp"
#include "advisor/workload.hpp"
#include "parsers/input_file.hpp"
#include "parsers/logs/log_input.hpp"
#include "parsers/pg_ddl.hpp"
#include "parsers/pg_tree.hpp"
#include "parsers/query_facts.hpp"
#include "parsers/sql_script.hpp"
#include "parsers/sqlite_schema.hpp"
#include "tests/logs/test_support.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace {

std::string repeat(const std::string& text, std::size_t count) {
    std::string out;
    out.reserve(text.size() * count);
    for (std::size_t i = 0; i < count; ++i) {
        out += text;
    }
    return out;
}

std::string parse_error(const std::string& sql) {
    const auto outcome = parsers::pg::parse(sql);
    return outcome.error ? outcome.error->message : "";
}

bool parses(const std::string& sql) {
    return !parsers::pg::parse(sql).error;
}

// A directory under the temp directory, removed when the test ends.
class TempDir {
public:
    TempDir() {
        static int counter = 0;
        path_ = std::filesystem::temp_directory_path() /
                ("schema-advisor-limits-" + std::to_string(::getpid()) + "-" +
                 std::to_string(++counter));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

} // namespace

TEST_CASE("a 1 + 1 + ... chain of 100,000 terms is refused before libpg_query builds its tree") {
    // The parser keeps no stack for a left-nested chain; the tree it builds is 100,000 deep.
    CHECK(parse_error("SELECT 1" + repeat(" + 1", 100000)).find("levels deep") !=
          std::string::npos);
}

TEST_CASE("chains within the scanner's bound are refused after parsing, before unpacking") {
    // 6 KB is parsed without a scan; 3,000 NOTs (12 KB) are within the bound of 5,000. Both
    // trees are 3,000 deep.
    CHECK(parse_error("SELECT " + repeat("NOT ", 3000) + "true").find("1000 levels deep") !=
          std::string::npos);
    CHECK(parse_error("SELECT " + repeat("1+", 3000) + "1").find("1000 levels deep") !=
          std::string::npos);
}

TEST_CASE("10,000 and 100,000 nested parentheses, sub-selects and AND groups are refused") {
    for (const std::size_t depth : {10000, 100000}) {
        CAPTURE(depth);
        CHECK_FALSE(parse_error("SELECT " + repeat("(", depth) + "1" + repeat(")", depth)).empty());
        CHECK_FALSE(parse_error("SELECT * FROM t WHERE id IN " +
                                repeat("(SELECT id FROM t WHERE id IN ", depth) + "(1)" +
                                repeat(")", depth))
                        .empty());
        CHECK_FALSE(parse_error("SELECT * FROM t WHERE " + repeat("a = 1 AND (", depth) + "a = 1" +
                                repeat(")", depth))
                        .empty());
    }
}

TEST_CASE("PostgreSQL's own 'memory exhausted' for deep nesting is explained") {
    // Bison's stack limit (YYMAXDEPTH, 10,000): nesting the parser must remember, such as
    // CASE in CASE, fails so in PostgreSQL too.
    CHECK(parsers::pg::explain_parse_error("memory exhausted at or near \"(\"") ==
          "memory exhausted at or near \"(\" (the statement nests too deeply for PostgreSQL's "
          "parser)");
    CHECK(parsers::pg::explain_parse_error("syntax error at end of input") ==
          "syntax error at end of input");
}

TEST_CASE("big but shallow statements are not mistaken for deep ones") {
    std::string in_list = "SELECT * FROM t WHERE id IN (1";
    for (int i = 2; i <= 150000; ++i) {
        in_list += "," + std::to_string(i);
    }
    CHECK(parses(in_list + ")"));
    // Django's bulk_update: one CASE with an arm per row.
    std::string bulk_update = "UPDATE t SET a = CASE";
    for (int i = 0; i < 10000; ++i) {
        bulk_update += " WHEN id = " + std::to_string(i) + " THEN 'x" + std::to_string(i) + "'";
    }
    CHECK(parses(bulk_update + " ELSE a END WHERE id < 10000"));
    CHECK(parses("SELECT * FROM t WHERE " + repeat("a = 1 AND ", 20000) + "b = 2"));
    CHECK(parses("SELECT * FROM t WHERE " + repeat("(a = 1 AND b = 2) OR ", 5000) + "c = 3"));
    std::string values = "INSERT INTO t (a, b) VALUES ";
    for (int i = 0; i < 20000; ++i) {
        values += std::string(i ? ", " : "") + "(" + std::to_string(i) + ", '{}'::jsonb)";
    }
    CHECK(parses(values));
    CHECK(parses(repeat("SELECT id FROM t WHERE a = 1 UNION ALL ", 1500) + "SELECT 1"));
    CHECK(parses("SELECT * FROM t" + repeat(" JOIN t USING (id)", 300)));
}

TEST_CASE("a tree just under the depth limit is read and walked by QueryFacts") {
    advisor::Catalog catalog;
    parsers::apply_postgres_ddl("CREATE TABLE t (id int, a int);", catalog);
    const parsers::QueryFactsExtractor extractor(catalog);
    const auto facts =
        extractor.extract("SELECT * FROM t WHERE a = " + repeat("1 + ", 400) + "1 AND id = 2");
    CHECK_FALSE(facts.error);
    const auto deep = extractor.extract("SELECT * FROM t WHERE a = " + repeat("1 + ", 5000) + "1");
    CHECK(deep.error);
}

TEST_CASE("the DDL reader skips a too-deep statement with its line and reads on") {
    advisor::Catalog catalog;
    std::istringstream input("CREATE TABLE a (id int);\nCREATE VIEW v AS SELECT " +
                             repeat("1 + ", 5000) + "1;\nCREATE TABLE b (id int);\n");
    parsers::read_postgres_ddl(input, "deep.sql", catalog);
    CHECK(catalog.find_table("public.a") != nullptr);
    CHECK(catalog.find_table("public.b") != nullptr);
    REQUIRE(catalog.warnings.size() == 1);
    CHECK(catalog.warnings[0].where.line == 2);
    CHECK(catalog.warnings[0].message.find("levels deep") != std::string::npos);
}

TEST_CASE("the workload reports a too-deep statement with its file and line") {
    advisor::WorkloadBuilder builder;
    parsers::logs::Statement statement;
    statement.file = "deep.log";
    statement.line = 7;
    statement.text = "SELECT " + repeat("NOT ", 1500) + "true";
    builder.add(statement);
    statement.line = 8;
    statement.text = "SELECT 1" + repeat(" + 1", 100000);
    builder.add(statement);
    builder.end_file();
    const advisor::Workload workload = builder.finish();
    REQUIRE(workload.errors.size() == 2);
    CHECK(workload.errors[0].line == 7);
    CHECK(workload.errors[0].message.find("levels deep") != std::string::npos);
    CHECK(workload.errors[1].line == 8);
    CHECK(workload.errors[1].message.find("levels deep") != std::string::npos);
}

TEST_CASE("template data and sections nested deeper than 100 levels are errors") {
    nlohmann::json deep = 1;
    for (int i = 0; i < 100000; ++i) {
        deep = nlohmann::json::array({std::move(deep)});
    }
    CHECK_THROWS_AS(advisor::to_mustache(deep), std::length_error);
    nlohmann::json shallow = nlohmann::json::parse(R"({"a": [{"b": {"c": [1, 2]}}]})");
    CHECK_NOTHROW(advisor::to_mustache(shallow));

    CHECK_NOTHROW(advisor::check_template_nesting(repeat("{{#a}}", 100) + repeat("{{/a}}", 100),
                                                  "ok.mustache"));
    const std::string too_deep = "line 1\n" + repeat("{{#a}}\n", 101) + repeat("{{/a}}", 101);
    try {
        advisor::check_template_nesting(too_deep, "deep.mustache");
        FAIL("no error");
    } catch (const advisor::InputError& e) {
        CHECK(std::string(e.what()) ==
              "deep.mustache:102: template sections nest deeper than 100 levels");
    }
    // Changed delimiters are followed.
    CHECK_THROWS_AS(advisor::check_template_nesting(
                        "{{=<% %>=}}" + repeat("<%#a%>", 101) + repeat("<%/a%>", 101), "x"),
                    advisor::InputError);
}

TEST_CASE("a SQL script stops at a run of NUL bytes longer than the statement limit") {
    const std::string text = "CREATE TABLE a (id int);\n" + std::string(5000, '\0') + "\nSELECT 1;";
    std::istringstream input(text);
    parsers::SqlScriptReader reader(input, 1000);
    REQUIRE(reader.next());
    CHECK_FALSE(reader.next());
    CHECK(reader.binary_stop_line() == 2);
    CHECK(reader.first_nul_line() == 2);

    std::istringstream short_run("SELECT 1;\n" + std::string(10, '\0') + "\nSELECT 2;");
    parsers::SqlScriptReader tolerant(short_run, 1000);
    REQUIRE(tolerant.next());
    REQUIRE(tolerant.next());
    CHECK(tolerant.binary_stop_line() == 0);
}

TEST_CASE("the DDL reader stops at a NUL byte and names its line") {
    advisor::Catalog catalog;
    std::istringstream input(
        std::string("CREATE TABLE a (id int);\nCREATE TABLE b (id\0 int);\n", 50));
    try {
        parsers::read_postgres_ddl(input, "nul.sql", catalog);
        FAIL("no error");
    } catch (const advisor::InputError& e) {
        CHECK(std::string(e.what()) ==
              "nul.sql:2: holds binary data (a NUL byte), expected SQL text");
    }
}

TEST_CASE("a log line over the limit that holds NUL bytes ends the read") {
    const std::string text = "first\n" + std::string(300000, '\0') + "\nlast\n";
    auto source = parsers::logs::memory_byte_source("sparse.log", text);
    parsers::logs::LineReader lines(*source, 100000);
    std::string_view line;
    REQUIRE(lines.next(line));
    CHECK(line == "first");
    CHECK_FALSE(lines.next(line));
    CHECK(lines.binary_stop_line() == 2);
    REQUIRE(source->damage());
    CHECK(source->damage()->find("not read") != std::string::npos);

    // Text over the limit is skipped and reading goes on.
    auto text_source =
        parsers::logs::memory_byte_source("long.log", std::string(300000, 'x') + "\nlast\n");
    parsers::logs::LineReader text_lines(*text_source, 100000);
    REQUIRE(text_lines.next(line));
    CHECK(text_lines.too_long());
    REQUIRE(text_lines.next(line));
    CHECK(line == "last");
    CHECK_FALSE(text_source->damage());
}

TEST_CASE("a FIFO that nothing writes to reads as empty at once; devices are refused") {
    const TempDir dir;
    const std::string fifo = dir.file("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto input = parsers::open_input(fifo);
    CHECK(input->is_pipe());
    CHECK(input->peek() == std::char_traits<char>::eof());
    CHECK_THROWS_WITH_AS(parsers::open_input("/dev/null"),
                         "/dev/null: is a character device, expected a regular file or a pipe",
                         advisor::InputError);
    CHECK_THROWS_WITH_AS(parsers::open_input(dir.file("")),
                         doctest::Contains("is a directory, expected a file"), advisor::InputError);
}

TEST_CASE("a pg_stat_statements JSON array over 64 times the statement limit is not held") {
    std::string rows = "[\n";
    for (int i = 0; i < 200; ++i) {
        rows += R"({"query": "SELECT )" + std::to_string(i) + R"(", "calls": 1},)" + "\n";
    }
    rows += R"({"query": "SELECT 1", "calls": 1}])" + std::string("\n");
    const logs_test::TempLog log("pgss.json", rows);
    parsers::logs::LogReadOptions options;
    options.max_line_bytes = 64; // the array may hold 4 KB; it holds 8 KB
    auto reader = parsers::logs::open_log_reader(log.path(), options);
    parsers::logs::Statement statement;
    CHECK_FALSE(reader->next(statement));
    REQUIRE(reader->source().damage());
    REQUIRE(reader->problems().size() == 1);
    CHECK(reader->problems()[0].message.find("export pg_stat_statements as CSV") !=
          std::string::npos);

    options.max_line_bytes = 1 << 20; // the same file under the default limit is read
    auto whole = parsers::logs::open_log_reader(log.path(), options);
    int statements = 0;
    while (whole->next(statement)) {
        ++statements;
    }
    CHECK(statements == 201);
    CHECK_FALSE(whole->source().damage());
}

TEST_CASE("a SQLite script is read statement by statement; an over-long one is skipped") {
    const std::string script =
        "-- a comment; with a semicolon\n"
        "CREATE TABLE \"a;b\" (id INTEGER PRIMARY KEY, `x;y` TEXT DEFAULT 'it''s; fine');\n"
        "CREATE TABLE [c;d] (id INTEGER PRIMARY KEY, note TEXT /* ; */);\n"
        "CREATE TRIGGER t AFTER INSERT ON \"a;b\" BEGIN\n"
        "  UPDATE \"a;b\" SET `x;y` = 'z' WHERE id = new.id;\n"
        "  DELETE FROM [c;d];\n"
        "END;\n"
        "INSERT INTO [c;d] (note) VALUES ('" +
        std::string(5000, 'x') +
        "');\n"
        "CREATE TABLE after_big (id INTEGER PRIMARY KEY);\n";
    const logs_test::TempLog file("script.sql", script);
    advisor::Catalog catalog;
    parsers::SqliteReadOptions options;
    options.max_statement_bytes = 1000;
    parsers::SqliteDdlLoader loader(catalog, options);
    loader.apply_file(file.path());
    loader.finish();
    CHECK(catalog.find_table("main.a;b") != nullptr);
    CHECK(catalog.find_table("main.c;d") != nullptr);
    CHECK(catalog.find_table("main.after_big") != nullptr);
    REQUIRE(catalog.warnings.size() == 1);
    CHECK(catalog.warnings[0].where.line == 8);
    CHECK(catalog.warnings[0].message ==
          "statement of 5037 bytes skipped: longer than --max-statement-bytes (1000)");
}
