// unindexed-foreign-key: positive and negative cases.
#include "rule_test_support.hpp"

using rule_test::catalog_from;
using rule_test::run_rule;

namespace {
const char* parent = "CREATE TABLE posts (id bigint PRIMARY KEY);";
}

TEST_CASE("a foreign key with no index on its column is reported with a CREATE INDEX fix") {
    const auto findings = run_rule(
        "unindexed-foreign-key",
        catalog_from(
            std::string(parent) +
            "CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts);"));
    REQUIRE(findings.size() == 1);
    const auto& finding = findings[0];
    CHECK(finding.rule == "unindexed-foreign-key");
    CHECK(finding.table == "public.comments");
    CHECK(finding.columns == std::vector<std::string>{"post_id"});
    CHECK(finding.severity == advisor::Severity::medium);
    REQUIRE(finding.fix.create_index.has_value());
    CHECK(finding.fix.create_index->name == "ix_comments_post_id");
    CHECK(finding.fix.sql_up == "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_comments_post_id ON "
                                "public.comments (post_id);");
    CHECK(finding.fix.sql_down == "DROP INDEX CONCURRENTLY IF EXISTS public.ix_comments_post_id;");
}

TEST_CASE("a foreign key leading an index is not reported, whatever the index's other columns") {
    const auto findings = run_rule(
        "unindexed-foreign-key",
        catalog_from(std::string(parent) +
                     "CREATE TABLE comments (id bigint, post_id bigint REFERENCES posts, at date);"
                     "CREATE INDEX ON comments (post_id, at);"));
    CHECK(findings.empty());
}

TEST_CASE("a multi-column foreign key is served by an index on its columns in any order") {
    const std::string ddl = "CREATE TABLE teams (org int, id int, PRIMARY KEY (org, id));"
                            "CREATE TABLE members (org int, team int, name text, "
                            "FOREIGN KEY (org, team) REFERENCES teams);";
    CHECK(run_rule("unindexed-foreign-key",
                   catalog_from(ddl + "CREATE INDEX ON members (team, org);"))
              .empty());
    const auto partial = run_rule("unindexed-foreign-key",
                                  catalog_from(ddl + "CREATE INDEX ON members (org, name, team);"));
    REQUIRE(partial.size() == 1);
    CHECK(partial[0].columns == std::vector<std::string>{"org", "team"});
}

TEST_CASE("an index whose second column is the foreign key does not serve it") {
    const auto findings =
        run_rule("unindexed-foreign-key",
                 catalog_from(std::string(parent) +
                              "CREATE TABLE comments (author int, post_id bigint REFERENCES posts);"
                              "CREATE INDEX ON comments (author, post_id);"));
    CHECK(findings.size() == 1);
}

TEST_CASE("partial and expression indexes do not serve a foreign key") {
    const auto findings = run_rule(
        "unindexed-foreign-key",
        catalog_from(std::string(parent) +
                     "CREATE TABLE comments (post_id bigint REFERENCES posts, deleted_at date);"
                     "CREATE INDEX ON comments (post_id) WHERE deleted_at IS NULL;"
                     "CREATE INDEX ON comments ((post_id + 0));"));
    CHECK(findings.size() == 1);
}

TEST_CASE("a primary key or unique constraint leading with the foreign key serves it") {
    const auto findings =
        run_rule("unindexed-foreign-key",
                 catalog_from(std::string(parent) +
                              "CREATE TABLE post_tags (post_id bigint REFERENCES posts, tag text, "
                              "PRIMARY KEY (post_id, tag));"
                              "CREATE TABLE post_stats (post_id bigint UNIQUE REFERENCES posts);"));
    CHECK(findings.empty());
}

TEST_CASE("quoted foreign key columns get a quoted index definition") {
    const auto findings =
        run_rule("unindexed-foreign-key",
                 catalog_from("CREATE TABLE \"Users\" (id int PRIMARY KEY);"
                              "CREATE TABLE orders (\"UserId\" int REFERENCES \"Users\");"));
    REQUIRE(findings.size() == 1);
    CHECK(
        findings[0].fix.sql_up ==
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_userid ON public.orders (\"UserId\");");
}

TEST_CASE(
    "on a partitioned table the fix is the per-partition recipe, not CONCURRENTLY on the parent") {
    const auto findings = run_rule(
        "unindexed-foreign-key",
        catalog_from(
            "CREATE TABLE customers (id int PRIMARY KEY);"
            "CREATE TABLE payments (id int, customer_id int REFERENCES customers, at date) "
            "PARTITION BY RANGE (at);"
            "CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES FROM "
            "('2025-01-01') TO ('2026-01-01');"));
    REQUIRE(findings.size() == 1);
    const auto& fix = findings[0].fix;
    CHECK(fix.note.find("partitioned") != std::string::npos);
    CHECK(fix.sql_up.find("ON ONLY public.payments (customer_id)") != std::string::npos);
    CHECK(fix.sql_up.find("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_payments_2025_customer_id ON "
                          "public.payments_2025 (customer_id);") != std::string::npos);
    CHECK(fix.sql_up.find("ALTER INDEX public.ix_payments_customer_id ATTACH PARTITION "
                          "public.ix_payments_2025_customer_id;") != std::string::npos);
    CHECK(fix.sql_up.find("CONCURRENTLY IF NOT EXISTS ix_payments_customer_id") ==
          std::string::npos);
}

TEST_CASE("a partitioned table's foreign key served by a valid partitioned index is not reported") {
    const auto findings = run_rule(
        "unindexed-foreign-key",
        catalog_from(
            "CREATE TABLE customers (id int PRIMARY KEY);"
            "CREATE TABLE payments (id int, customer_id int REFERENCES customers, at date) "
            "PARTITION BY RANGE (at);"
            "CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES FROM "
            "('2025-01-01') TO ('2026-01-01');"
            "CREATE INDEX ON payments (customer_id);"));
    CHECK(findings.empty());
}

TEST_CASE("an ON ONLY index not yet attached to every partition does not count") {
    const auto findings = run_rule(
        "unindexed-foreign-key",
        catalog_from(
            "CREATE TABLE customers (id int PRIMARY KEY);"
            "CREATE TABLE payments (id int, customer_id int REFERENCES customers, at date) "
            "PARTITION BY RANGE (at);"
            "CREATE TABLE payments_2025 PARTITION OF payments FOR VALUES FROM "
            "('2025-01-01') TO ('2026-01-01');"
            "CREATE INDEX payments_customer ON ONLY payments (customer_id);"));
    CHECK(findings.size() == 1);
}
