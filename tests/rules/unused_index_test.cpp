// unused-index: positive and negative cases.
#include "workload_rule_support.hpp"

using rule_test::catalog_from;
using rule_test::run_with_log;
using rule_test::workload_of;

namespace {

const char* schema =
    "CREATE TABLE parents (id bigint PRIMARY KEY);"
    "CREATE TABLE items (id bigint PRIMARY KEY, parent_id bigint REFERENCES parents,"
    " sku text, created_at timestamptz);"
    "CREATE INDEX items_parent ON items (parent_id);"
    "CREATE INDEX items_sku ON items (sku);"
    "CREATE INDEX items_created ON items (created_at);"
    "CREATE TABLE other (id bigint PRIMARY KEY, code text);"
    "CREATE INDEX other_code ON other (code);";

std::vector<advisor::Finding> unused(std::vector<std::string>* notes = nullptr, int calls = 1000) {
    return run_with_log("unused-index", catalog_from(schema),
                        workload_of({{"SELECT * FROM items WHERE sku = $1", calls, 10}}), notes);
}

} // namespace

TEST_CASE("an index no logged query could use is reported, with the caveat and a DROP fix") {
    const auto found = unused();
    REQUIRE(found.size() == 1);
    CHECK(found[0].index == "items_created");
    CHECK(found[0].severity == advisor::Severity::low);
    CHECK(found[0].message.find("pg_stat_user_indexes") != std::string::npos);
    CHECK(found[0].fix.sql_up == "DROP INDEX CONCURRENTLY IF EXISTS public.items_created;");
    CHECK(found[0].fix.sql_down ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_created ON public.items (created_at);");
}

TEST_CASE("not reported: used indexes, constraint indexes, the only index of a foreign key, "
          "indexes on tables the log never reads") {
    for (const auto& finding : unused()) {
        CHECK(finding.index != "items_sku");    // used by the query
        CHECK(finding.index != "items_pkey");   // backs the primary key
        CHECK(finding.index != "items_parent"); // the foreign key's only index
        CHECK(finding.index != "other_code");   // the log never touches public.other
    }
}

TEST_CASE("with fewer than 1000 logged statements the rule says so and reports nothing") {
    std::vector<std::string> notes;
    CHECK(unused(&notes, 999).empty());
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].find("999 statements") != std::string::npos);
}

namespace {

advisor::RuleOptions with_counts(std::map<std::string, std::uint64_t> scans, double age_days) {
    advisor::RuleOptions options;
    parsers::live::IndexUsage usage;
    usage.scans = std::move(scans);
    usage.stats_reset = "2026-01-01 00:00:00+00";
    usage.stats_age_days = age_days;
    usage.source = "pg_stat_user_indexes of postgresql://db:5432/shop";
    options.index_usage = usage;
    return options;
}

} // namespace

TEST_CASE("with the server's counts, an index never scanned is reported with the counts' age, "
          "one scanned is not, whatever the log says") {
    const auto found =
        run_with_log("unused-index", catalog_from(schema),
                     workload_of({{"SELECT * FROM items WHERE sku = $1", 10, 10}}), nullptr,
                     with_counts({{"public.items_sku", 0},
                                  {"public.items_created", 42},
                                  {"public.other_code", 0},
                                  {"public.items_parent", 0},
                                  {"public.items_pkey", 0}},
                                 30));
    std::vector<std::string> reported;
    for (const auto& finding : found) {
        reported.push_back(finding.index);
    }
    // items_sku: the log uses it, the server never did; items_created: scanned 42 times;
    // other_code: a table the log never reads, never scanned; the foreign key's only index and
    // the primary key's are never reported.
    CHECK(reported == std::vector<std::string>{"items_sku", "other_code"});
    REQUIRE_FALSE(found.empty());
    CHECK(found[0].message.find("counts no scan of index items_sku") != std::string::npos);
    CHECK(found[0].message.find("2026-01-01 00:00:00+00 (30.0 days ago)") != std::string::npos);
    CHECK(found[0].message.find("under a week") == std::string::npos);
    CHECK(found[0].fix.sql_up == "DROP INDEX CONCURRENTLY IF EXISTS public.items_sku;");
}

TEST_CASE("with counts under a week old the finding says to wait; an index without counts is "
          "not judged") {
    const auto found = run_with_log("unused-index", catalog_from(schema),
                                    workload_of({{"SELECT * FROM items WHERE sku = $1", 1, 1}}),
                                    nullptr, with_counts({{"public.items_created", 0}}, 2.5));
    REQUIRE(found.size() == 1);
    CHECK(found[0].index == "items_created");
    CHECK(found[0].message.find("under a week old") != std::string::npos);
}
