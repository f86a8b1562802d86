// advise --verify --dsn: what may be sent to a live server, and how its plans are read. The
// server-side behaviour (read-only sessions, HypoPG, timeouts) is tested against a real
// PostgreSQL 15 in tests/e2e/test_pg_verify.py.
#include "advisor/column_orders.hpp"
#include "advisor/index_fix.hpp"
#include "advisor/pg_explain.hpp"
#include "parsers/pg_ddl.hpp"
#include "parsers/query_facts.hpp"

#include <doctest/doctest.h>

using advisor::has_parameters;
using advisor::read_explain_json;
using advisor::unexplainable_reason;

TEST_CASE("only one SELECT, INSERT, UPDATE, DELETE or MERGE is ever sent to EXPLAIN") {
    CHECK_FALSE(unexplainable_reason("SELECT * FROM t WHERE a = 1"));
    CHECK_FALSE(unexplainable_reason("SELECT * FROM t WHERE a = 1;"));
    CHECK_FALSE(unexplainable_reason("DELETE FROM t WHERE a = 1"));
    CHECK_FALSE(unexplainable_reason("UPDATE t SET b = 2 WHERE a = 1 RETURNING *"));
    CHECK_FALSE(unexplainable_reason("INSERT INTO t (a) VALUES (1)"));
    CHECK_FALSE(unexplainable_reason("WITH x AS (SELECT 1) SELECT * FROM x"));
    CHECK_FALSE(unexplainable_reason(
        "MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN UPDATE SET b = s.b"));

    const auto two = unexplainable_reason("SELECT 1; DROP TABLE t");
    REQUIRE(two);
    CHECK(two->find("2 statements (SelectStmt, DropStmt)") != std::string::npos);
    CHECK(unexplainable_reason("COPY (SELECT * FROM t) TO PROGRAM 'rm -rf /'")->find("CopyStmt") !=
          std::string::npos);
    CHECK(unexplainable_reason("DROP TABLE t")->find("DropStmt") != std::string::npos);
    CHECK(
        unexplainable_reason("SET default_transaction_read_only = off")->find("VariableSetStmt") !=
        std::string::npos);
    CHECK(unexplainable_reason("SELECT * INTO new_t FROM t")->find("creates a table") !=
          std::string::npos);
    CHECK(unexplainable_reason("EXPLAIN ANALYZE DELETE FROM t")->find("ExplainStmt") !=
          std::string::npos);
    CHECK(unexplainable_reason("SELECT FROM WHERE")->find("cannot read") != std::string::npos);
    CHECK(unexplainable_reason(";")->find("no statement") != std::string::npos);
}

TEST_CASE("a text with $n needs a generic plan; a $ inside a string or a comment does not count") {
    CHECK(has_parameters("SELECT * FROM t WHERE a = $1"));
    CHECK(has_parameters("SELECT * FROM t WHERE a = $12 LIMIT $13"));
    CHECK_FALSE(has_parameters("SELECT * FROM t WHERE a = 5"));
    CHECK_FALSE(has_parameters("SELECT '$1' FROM t -- $2"));
    CHECK_FALSE(has_parameters("SELECT $$ $1 $$"));
}

TEST_CASE("EXPLAIN (FORMAT JSON): the top node's total cost, one line per node, the indexes read") {
    const std::string json = R"([{"Plan": {"Node Type": "Limit", "Total Cost": 12.5,
        "Plans": [{"Node Type": "Sort", "Sort Key": ["published_at DESC"], "Total Cost": 12.4,
          "Plans": [{"Node Type": "Bitmap Heap Scan", "Relation Name": "posts", "Alias": "p",
            "Total Cost": 10.0,
            "Plans": [{"Node Type": "Bitmap Index Scan", "Index Name": "<13556>btree_posts_blog_id",
                       "Total Cost": 4.4}]}]}]}}])";
    const auto plan = read_explain_json(json, {{"<13556>btree_posts_blog_id", "ix_posts_blog_id"}});
    CHECK(plan.total_cost == doctest::Approx(12.5));
    REQUIRE(plan.lines.size() == 4);
    CHECK(plan.lines[0] == "Limit");
    CHECK(plan.lines[1] == "-> Sort (published_at DESC)");
    CHECK(plan.lines[2] == "  -> Bitmap Heap Scan on posts p");
    CHECK(plan.lines[3] == "    -> Bitmap Index Scan using ix_posts_blog_id");
    CHECK(plan.indexes == std::vector<std::string>{"<13556>btree_posts_blog_id"});

    const auto modify = read_explain_json(
        R"([{"Plan": {"Node Type": "ModifyTable", "Operation": "Delete", "Relation Name": "t",
            "Total Cost": 3, "Plans": [{"Node Type": "Seq Scan", "Relation Name": "t",
            "Total Cost": 3}]}}])");
    CHECK(modify.lines[0] == "Delete on t");
    CHECK_THROWS_AS(read_explain_json("not json"), parsers::live::QueryError);
}

TEST_CASE("the planner chooses among the orders of the leading equality keys, nothing else") {
    parsers::Catalog catalog;
    parsers::apply_postgres_ddl(
        "CREATE TABLE t (id bigint PRIMARY KEY, a int, b int, c int, d timestamptz);", catalog);
    const parsers::QueryFactsExtractor extractor(catalog);
    const auto ab = extractor.extract("SELECT * FROM t WHERE a = 1 AND b = 2 ORDER BY d LIMIT 5");
    const auto b = extractor.extract("SELECT * FROM t WHERE b = 2");
    auto key = [](const char* column) {
        advisor::IndexKey k;
        k.column = column;
        return k;
    };
    const auto spec = advisor::proposed_index("public.t", {key("a"), key("b"), key("d")});
    const auto orders = advisor::column_order_candidates(spec, {&ab, &b});
    REQUIRE(orders.size() == 1);
    CHECK(orders[0].columns() == std::vector<std::string>{"b", "a", "d"});
    CHECK(orders[0].name == "ix_t_b_a_d");

    // A range or sort key never moves, an index of one equality key has no other order, a GIN
    // index has no order at all.
    CHECK(advisor::column_order_candidates(
              advisor::proposed_index("public.t", {key("a"), key("d")}), {&ab})
              .empty());
    CHECK(advisor::column_order_candidates(advisor::proposed_index("public.t", {key("a")}, "gin"),
                                           {&ab})
              .empty());
    const auto abc = extractor.extract("SELECT * FROM t WHERE a = 1 AND b = 2 AND c IN (3, 4)");
    CHECK(advisor::column_order_candidates(
              advisor::proposed_index("public.t", {key("a"), key("b"), key("c")}), {&abc})
              .size() == 5);
}
