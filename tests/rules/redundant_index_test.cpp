// redundant-index: positive and negative cases.
#include "rule_test_support.hpp"

using rule_test::catalog_from;
using rule_test::run_rule;

namespace {
const char* table = "CREATE TABLE t (id int PRIMARY KEY, a int, b int, c text, deleted_at date);";

std::vector<advisor::Finding> redundant(const std::string& indexes) {
    return run_rule("redundant-index", catalog_from(std::string(table) + indexes));
}
} // namespace

TEST_CASE("an index on (a) is redundant to an index on (a, b)") {
    const auto findings = redundant("CREATE INDEX t_a ON t (a); CREATE INDEX t_a_b ON t (a, b);");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].index == "t_a");
    CHECK(findings[0].table == "public.t");
    CHECK(findings[0].columns == std::vector<std::string>{"a"});
    CHECK(findings[0].severity == advisor::Severity::low);
    CHECK(findings[0].fix.sql_up == "DROP INDEX CONCURRENTLY IF EXISTS public.t_a;");
    CHECK(findings[0].fix.sql_down ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON public.t (a);");
}

TEST_CASE("an index on (b) is not redundant to (a, b): only a leading prefix is") {
    CHECK(redundant("CREATE INDEX t_b ON t (b); CREATE INDEX t_a_b ON t (a, b);").empty());
}

TEST_CASE("exact duplicates: the later by name is reported, the first is kept") {
    const auto findings = redundant("CREATE INDEX t_z ON t (a); CREATE INDEX t_y ON t (a);");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].index == "t_z");
    CHECK(findings[0].severity == advisor::Severity::medium);
}

TEST_CASE("a duplicate of a constraint's index is reported; the constraint's index never is") {
    const auto findings = redundant("CREATE INDEX a_copy_of_pkey ON t (id);");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].index == "a_copy_of_pkey");
    CHECK(findings[0].details[0].find("t_pkey") != std::string::npos);
}

TEST_CASE("a unique index is redundant only to an exact unique duplicate") {
    CHECK(redundant("CREATE UNIQUE INDEX t_u ON t (a); CREATE INDEX t_a_b ON t (a, b);").empty());
    CHECK(redundant("CREATE UNIQUE INDEX t_u ON t (a); CREATE UNIQUE INDEX t_u_ab ON t (a, b);")
              .empty());
    CHECK(redundant("CREATE UNIQUE INDEX t_u ON t (a); CREATE INDEX t_a ON t (a);").size() == 1);
    CHECK(
        redundant("CREATE UNIQUE INDEX t_u1 ON t (a); CREATE UNIQUE INDEX t_u2 ON t (a);").size() ==
        1);
}

TEST_CASE("different predicates, methods, expressions or sort orders are not redundant") {
    CHECK(redundant("CREATE INDEX p ON t (a) WHERE deleted_at IS NULL; CREATE INDEX f ON t (a, b);")
              .empty());
    CHECK(redundant("CREATE INDEX h ON t USING hash (a); CREATE INDEX f ON t (a, b);").empty());
    CHECK(redundant("CREATE INDEX l ON t (lower(c)); CREATE INDEX f ON t (c, b);").empty());
    CHECK(redundant("CREATE INDEX d ON t (a DESC); CREATE INDEX f ON t (a, b);").empty());
    CHECK(
        redundant("CREATE INDEX o ON t (c text_pattern_ops); CREATE INDEX f ON t (c, b);").empty());
}

TEST_CASE("equal partial predicates and equal expressions are compared as written") {
    CHECK(redundant("CREATE INDEX p1 ON t (a) WHERE deleted_at IS NULL;"
                    "CREATE INDEX p2 ON t (a, b) WHERE deleted_at IS NULL;")
              .size() == 1);
    CHECK(
        redundant("CREATE INDEX l1 ON t (lower(c)); CREATE INDEX l2 ON t (lower(c), a);").size() ==
        1);
}

TEST_CASE("an index whose INCLUDE columns the longer index lacks is kept for index-only scans") {
    CHECK(redundant("CREATE INDEX i ON t (a) INCLUDE (c); CREATE INDEX f ON t (a, b);").empty());
    CHECK(redundant("CREATE INDEX i ON t (a) INCLUDE (b); CREATE INDEX f ON t (a, b);").size() ==
          1);
}

TEST_CASE("a GIN index is redundant only to an exact duplicate") {
    const std::string ddl = "CREATE TABLE j (a jsonb, b jsonb);";
    CHECK(run_rule("redundant-index",
                   catalog_from(ddl + "CREATE INDEX g1 ON j USING gin (a); CREATE INDEX g2 ON j "
                                      "USING gin (a, b);"))
              .empty());
    CHECK(run_rule("redundant-index",
                   catalog_from(ddl + "CREATE INDEX g1 ON j USING gin (a); CREATE INDEX g2 ON j "
                                      "USING gin (a);"))
              .size() == 1);
}

TEST_CASE("an index attached to a partitioned parent index is never proposed for dropping") {
    const auto findings = run_rule(
        "redundant-index",
        catalog_from("CREATE TABLE m (a int, b int) PARTITION BY HASH (a);"
                     "CREATE TABLE m_0 PARTITION OF m FOR VALUES WITH (MODULUS 1, REMAINDER 0);"
                     "CREATE INDEX m_a ON m (a); CREATE INDEX m_0_ab ON m_0 (a, b);"));
    for (const auto& finding : findings) {
        CHECK(finding.index != "m_0_a_idx");
    }
}
