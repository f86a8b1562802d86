// --stats files: row counts per table from CSV or JSON exports of pg_class.reltuples.
#include "advisor/errors.hpp"
#include "advisor/table_stats.hpp"

#include <cstdio>
#include <doctest/doctest.h>
#include <fstream>
#include <string>

namespace {
std::string write_temp(const std::string& name, const std::string& text) {
    const std::string path = "/tmp/schema-advisor-stats-test-" + name;
    std::ofstream(path) << text;
    return path;
}
} // namespace

TEST_CASE("a CSV export with schema, table and rows columns gives qualified row counts") {
    const auto path =
        write_temp("a.csv", "schema,table,rows\npublic,users,120\napp,\"Orders, old\",5.5e4\n");
    const auto rows = advisor::load_table_stats(path);
    CHECK(rows.at("public.users") == 120);
    CHECK(rows.at("app.Orders, old") == 55000);
    std::remove(path.c_str());
}

TEST_CASE("relname/reltuples headers and JSON arrays are read too; unqualified means public") {
    const auto csv = write_temp("b.csv", "relname,reltuples\nitems,42\n");
    CHECK(advisor::load_table_stats(csv).at("public.items") == 42);
    const auto json = write_temp("c.json", "[{\"schema\": \"s\", \"table\": \"t\", \"rows\": 7}]");
    CHECK(advisor::load_table_stats(json).at("s.t") == 7);
    std::remove(csv.c_str());
    std::remove(json.c_str());
}

TEST_CASE("a bad --stats file is an error naming the file and line") {
    const auto bad = write_temp("d.csv", "table,rows\nusers,many\n");
    CHECK_THROWS_WITH_AS(advisor::load_table_stats(bad), doctest::Contains("d.csv:2"),
                         advisor::InputError);
    const auto no_header = write_temp("e.csv", "users,12\n");
    CHECK_THROWS_AS(advisor::load_table_stats(no_header), advisor::InputError);
    std::remove(bad.c_str());
    std::remove(no_header.c_str());
}
