#include "advisor/workload.hpp"
#include "tests/logs/test_support.hpp"

#include <doctest/doctest.h>

using advisor::median_executions;
using advisor::Workload;
using advisor::WorkloadBuilder;
using parsers::logs::Statement;

namespace {

Statement statement(const std::string& text, const std::string& session = "1", double at_ms = 0,
                    int line = 1) {
    Statement result;
    result.text = text;
    result.session = session;
    result.timestamp_ms = at_ms;
    result.timestamp = std::to_string(at_ms);
    result.duration_ms = 1.0;
    result.file = "test.log";
    result.line = line;
    return result;
}

const advisor::QueryShape& only_shape(const Workload& workload) {
    REQUIRE(workload.shapes.size() == 1);
    return workload.shapes[0];
}

} // namespace

TEST_CASE("statements that differ only in literals are one shape, keyed by fingerprint") {
    WorkloadBuilder builder;
    builder.add(statement("SELECT * FROM users WHERE id = 1"));
    builder.add(statement("select *  from users\n\twhere id = 42 -- a comment"));
    builder.add(statement("SELECT * FROM users WHERE id = $1"));
    const Workload workload = builder.finish();
    const auto& shape = only_shape(workload);
    CHECK(shape.calls == 3);
    CHECK(shape.total_ms == doctest::Approx(3.0));
    CHECK(shape.query == "SELECT * FROM users WHERE id = $1");
    CHECK(shape.tables == std::vector<std::string>{"public.users"});
    CHECK(shape.statement_kind == "SelectStmt");
}

TEST_CASE("a repeated statement costs no libpg_query call") {
    WorkloadBuilder builder;
    builder.add(statement("SELECT * FROM t WHERE a = 1 AND b = 'x'"));
    builder.add(statement("SELECT * FROM t WHERE a = 2 AND b = 'y'")); // verifies the key once
    const std::uint64_t calls = builder.pg_query_calls();
    for (int i = 3; i < 1000; ++i) {
        builder.add(statement("SELECT * FROM t WHERE a = " + std::to_string(i) + " AND b = 'z'"));
    }
    CHECK(builder.pg_query_calls() == calls);
    const Workload workload = builder.finish();
    CHECK(only_shape(workload).calls == 999);
}

TEST_CASE("utility statements whose numbers change the fingerprint are not masked") {
    // libpg_query keeps FETCH's count in the tree: FETCH 1 and FETCH 2 are different shapes.
    WorkloadBuilder builder;
    builder.add(statement("FETCH 1 FROM c"));
    builder.add(statement("FETCH 2 FROM c"));
    builder.add(statement("FETCH 2 FROM c"));
    const Workload workload = builder.finish();
    REQUIRE(workload.shapes.size() == 2);
    CHECK(workload.shapes[1].calls == 2);
}

TEST_CASE("a key whose literals change the fingerprint is found out and fingerprinted") {
    // Array bounds in a cast are plain integers in the tree, not constants.
    WorkloadBuilder builder;
    builder.add(statement("SELECT x::int[3] FROM t"));
    builder.add(statement("SELECT x::int[4] FROM t"));
    builder.add(statement("SELECT x::int[4] FROM t"));
    const Workload workload = builder.finish();
    REQUIRE(workload.shapes.size() == 2);
    CHECK(workload.shapes[0].calls == 1);
    CHECK(workload.shapes[1].calls == 2);
}

TEST_CASE("the statement key masks literals but keeps identifiers and operators") {
    advisor::StatementKey a;
    advisor::StatementKey b;
    advisor::statement_key("SELECT t1.a FROM \"T 2\" WHERE x = 'it''s' AND y = 1.5e3", a);
    advisor::statement_key("SELECT t1.a FROM \"T 2\" WHERE x = 'other' AND y = 7", b);
    CHECK(a.masked);
    CHECK(a.key == b.key);
    CHECK(a.literals_hash != b.literals_hash);
    CHECK(a.key.find("t1.a") != std::string::npos);
    CHECK(a.key.find("\"T 2\"") != std::string::npos);
    advisor::statement_key("SELECT a ? 'x' FROM t", a);
    advisor::statement_key("SELECT a 'x' ? FROM t", b);
    CHECK(a.key != b.key);
    advisor::statement_key("SELECT 'unterminated", a);
    advisor::statement_key("SELECT 'unterminated'", b);
    CHECK(a.key != b.key);
}

TEST_CASE("statements libpg_query cannot read are counted and reported with file and line") {
    WorkloadBuilder builder;
    builder.add(statement("SELEC 1", "1", 0, 7));
    builder.add(statement("SELEC 1", "1", 0, 8));
    builder.add(statement(";"));
    const Workload workload = builder.finish();
    CHECK(workload.statements == 3);
    CHECK(workload.unparsed == 2);
    CHECK(workload.empty == 1);
    REQUIRE(workload.errors.size() == 1);
    CHECK(workload.errors[0].line == 7);
    CHECK(workload.errors[0].message.find("syntax error") != std::string::npos);
}

TEST_CASE("examples substitute bound parameters by number and keep the slowest") {
    WorkloadBuilder builder;
    std::string sql = "SELECT * FROM t WHERE a = $1 AND b = $10 AND c = '$1'";
    for (int i = 0; i < 5; ++i) {
        Statement s = statement(sql);
        s.duration_ms = double(i);
        s.parameters = "$1 = '" + std::to_string(i) + "', $10 = 'ten', $2 = NULL";
        s.parameter_syntax = parsers::logs::ParameterSyntax::postgres;
        builder.add(s);
    }
    const Workload workload = builder.finish();
    const auto& shape = only_shape(workload);
    REQUIRE(shape.examples.size() == 3);
    std::vector<std::string> texts;
    for (const auto& example : shape.examples) {
        texts.push_back(example.text);
    }
    CHECK(std::find(texts.begin(), texts.end(),
                    "SELECT * FROM t WHERE a = '4' AND b = 'ten' AND c = '$1'") != texts.end());
    CHECK(std::find(texts.begin(), texts.end(),
                    "SELECT * FROM t WHERE a = '0' AND b = 'ten' AND c = '$1'") == texts.end());
    CHECK(shape.max_ms == doctest::Approx(4.0));
}

TEST_CASE("relations: CTE names are not tables, schemas are kept, writes count") {
    WorkloadBuilder builder;
    builder.add(statement("WITH recent AS (SELECT * FROM app.orders) "
                          "INSERT INTO audit SELECT * FROM recent JOIN users u ON u.id = 1"));
    const Workload workload = builder.finish();
    const auto& shape = only_shape(workload);
    CHECK(shape.tables == std::vector<std::string>{"app.orders", "public.audit", "public.users"});
}

TEST_CASE("a shape run 5+ times in one transaction with differing parameters is remembered") {
    WorkloadBuilder builder;
    double at = 1000;
    builder.add(statement("BEGIN", "s1", at));
    builder.add(statement("SELECT * FROM posts WHERE user_id = 1", "s1", at += 1));
    for (int i = 0; i < 6; ++i) {
        builder.add(statement("SELECT * FROM comments WHERE post_id = " + std::to_string(i), "s1",
                              at += 1, 10 + i));
    }
    builder.add(statement("COMMIT", "s1", at += 1));
    // Same shape 6 times, same parameters: not an N+1.
    builder.add(statement("BEGIN", "s2", at += 1));
    for (int i = 0; i < 6; ++i) {
        builder.add(statement("SELECT * FROM comments WHERE post_id = 9", "s2", at += 1));
    }
    builder.add(statement("COMMIT", "s2", at += 1));
    const Workload workload = builder.finish();
    const advisor::QueryShape* comments = nullptr;
    const advisor::QueryShape* posts = nullptr;
    for (const auto& shape : workload.shapes) {
        if (shape.query.find("comments") != std::string::npos) {
            comments = &shape;
        }
        if (shape.query.find("posts") != std::string::npos) {
            posts = &shape;
        }
    }
    REQUIRE(comments != nullptr);
    REQUIRE(posts != nullptr);
    CHECK(comments->repetition.units == 1);
    CHECK(comments->repetition.executions == 6);
    REQUIRE(comments->repetition.by_parent.size() == 1);
    const auto& pair = comments->repetition.by_parent[0];
    REQUIRE(pair.parent);
    CHECK(&workload.shapes[*pair.parent] == posts);
    CHECK(pair.units == 1);
    CHECK(pair.sessions == 1);
    CHECK(pair.total_ms == doctest::Approx(6.0));
    CHECK(median_executions(pair.histogram) == 6);
    const auto& run = pair.largest;
    CHECK(run.session == "s1");
    CHECK(run.in_transaction);
    CHECK(run.distinct_parameters == 6);
    CHECK(run.first_line == 10);
    CHECK(run.last_line == 15);
    CHECK(posts->repetition.units == 0);
}

TEST_CASE("outside transactions, a pause ends a burst") {
    advisor::WorkloadOptions options;
    options.burst_gap_ms = 100;
    WorkloadBuilder builder(options);
    double at = 0;
    // 3 executions, a pause, 3 more: no burst has 5.
    for (int i = 0; i < 6; ++i) {
        at += i == 3 ? 500 : 1;
        builder.add(statement("SELECT * FROM t WHERE id = " + std::to_string(i), "s", at));
    }
    // 5 in one burst.
    at += 1000;
    for (int i = 0; i < 5; ++i) {
        builder.add(statement("SELECT * FROM t WHERE id = " + std::to_string(i), "s", at += 2));
    }
    const Workload workload = builder.finish();
    const auto& shape = only_shape(workload);
    CHECK(shape.repetition.units == 1);
    REQUIRE(shape.repetition.by_parent.size() == 1);
    CHECK_FALSE(shape.repetition.by_parent[0].largest.in_transaction);
    CHECK(shape.repetition.by_parent[0].largest.executions == 5);
}

TEST_CASE("the default burst gap is one second") {
    WorkloadBuilder builder;
    double at = 0;
    // 5 executions 900 ms apart make one burst; after a 1.5 s pause, 4 more make another.
    for (int i = 0; i < 5; ++i) {
        builder.add(statement("SELECT * FROM t WHERE id = " + std::to_string(i), "s", at += 900));
    }
    at += 1500;
    for (int i = 0; i < 4; ++i) {
        builder.add(statement("SELECT * FROM t WHERE id = " + std::to_string(i), "s", at += 900));
    }
    const Workload workload = builder.finish();
    const auto& shape = only_shape(workload);
    CHECK(shape.repetition.units == 1);
    CHECK(shape.repetition.max_executions == 5);
}

namespace {

// One transaction of session `session`: BEGIN, `before`, then `count` look-ups, COMMIT.
void loop_transaction(WorkloadBuilder& builder, const std::string& session, double& at,
                      const std::vector<std::string>& before, int count) {
    builder.add(statement("BEGIN", session, at += 1));
    for (const auto& text : before) {
        builder.add(statement(text, session, at += 1));
    }
    for (int i = 0; i < count; ++i) {
        builder.add(
            statement("SELECT * FROM users WHERE id = " + std::to_string(i), session, at += 1));
    }
    builder.add(statement("COMMIT", session, at += 1));
}

const advisor::QueryShape& shape_with(const Workload& workload, const std::string& part) {
    for (const auto& shape : workload.shapes) {
        if (shape.query.find(part) != std::string::npos) {
            return shape;
        }
    }
    FAIL("no shape with " << part);
    return workload.shapes.front();
}

} // namespace

TEST_CASE("repeated runs are kept per parent shape, with the median per unit") {
    WorkloadBuilder builder;
    double at = 0;
    const std::string posts = "SELECT * FROM posts WHERE thread_id = 1";
    const std::string shares = "SELECT * FROM shares WHERE owner_id = 1";
    loop_transaction(builder, "a", at, {posts}, 5);
    loop_transaction(builder, "b", at, {posts}, 9);
    loop_transaction(builder, "a", at, {posts}, 6);
    loop_transaction(builder, "c", at, {shares}, 7);
    const Workload workload = builder.finish();
    const auto& users = shape_with(workload, "users");
    CHECK(users.repetition.units == 4);
    CHECK(users.repetition.max_executions == 9);
    REQUIRE(users.repetition.by_parent.size() == 2);
    // Most units first.
    const auto& after_posts = users.repetition.by_parent[0];
    REQUIRE(after_posts.parent);
    CHECK(workload.shapes[*after_posts.parent].query.find("posts") != std::string::npos);
    CHECK(after_posts.units == 3);
    CHECK(after_posts.executions == 20);
    CHECK(after_posts.sessions == 2);
    CHECK(median_executions(after_posts.histogram) == 6);
    CHECK(after_posts.max_executions == 9);
    CHECK(after_posts.largest.session == "b");
    const auto& after_shares = users.repetition.by_parent[1];
    REQUIRE(after_shares.parent);
    CHECK(workload.shapes[*after_shares.parent].query.find("shares") != std::string::npos);
    CHECK(after_shares.units == 1);
    CHECK(median_executions(after_shares.histogram) == 7);
}

TEST_CASE("median of an even number of runs is the mean of the middle two") {
    CHECK(median_executions({{5, 1}, {8, 1}}) == 6.5);
    CHECK(median_executions({{5, 2}, {8, 1}, {20, 1}}) == 6.5);
    CHECK(median_executions({}) == 0);
}

TEST_CASE("when the loop's shape opened the transaction, its parent precedes the second run") {
    WorkloadBuilder builder;
    double at = 0;
    builder.add(statement("BEGIN", "s", at += 1));
    builder.add(statement("SELECT * FROM users WHERE id = 100", "s", at += 1));
    builder.add(statement("SELECT * FROM members WHERE team_id = 3", "s", at += 1));
    for (int i = 0; i < 5; ++i) {
        builder.add(statement("SELECT * FROM users WHERE id = " + std::to_string(i), "s", at += 1));
    }
    builder.add(statement("COMMIT", "s", at += 1));
    const Workload workload = builder.finish();
    const auto& users = shape_with(workload, "users");
    REQUIRE(users.repetition.by_parent.size() == 1);
    const auto parent = users.repetition.by_parent[0].parent;
    REQUIRE(parent);
    CHECK(workload.shapes[*parent].query.find("members") != std::string::npos);
}

TEST_CASE("followers count the shapes among the next statements of the same unit") {
    WorkloadBuilder builder;
    double at = 0;
    for (int request = 0; request < 10; ++request) {
        const std::string id = std::to_string(request);
        builder.add(statement("BEGIN", "s", at += 1));
        builder.add(statement("SELECT * FROM users WHERE id = " + id, "s", at += 1));
        builder.add(
            statement("SELECT * FROM user_roles WHERE user_id IN (" + id + ")", "s", at += 1));
        builder.add(statement("SELECT * FROM roles WHERE id IN (" + id + ")", "s", at += 1));
        if (request < 3) {
            builder.add(statement("SELECT * FROM tenants WHERE id IN (" + id + ")", "s", at += 1));
        }
        builder.add(statement("COMMIT", "s", at += 1));
    }
    // Another unit: what runs after its COMMIT does not follow the look-up.
    const Workload workload = builder.finish();
    const auto& users = shape_with(workload, "FROM users");
    CHECK(users.session_executions == 10);
    const auto times_of = [&](const std::string& part) -> std::uint64_t {
        for (const auto& follower : users.followers) {
            if (workload.shapes[follower.shape].query.find(part) != std::string::npos) {
                return follower.times;
            }
        }
        return 0;
    };
    CHECK(times_of("user_roles") == 10);
    CHECK(times_of("FROM roles") == 10);
    CHECK(times_of("tenants") == 3);
    // The next request's look-up is in another transaction: it never follows.
    CHECK(times_of("FROM users") == 0);
}

TEST_CASE("statements from a log without sessions are counted but not tracked") {
    WorkloadBuilder builder;
    builder.set_shows_sessions(false);
    for (int i = 0; i < 6; ++i) {
        builder.add(statement("SELECT * FROM t WHERE id = " + std::to_string(i), "", 0));
    }
    const Workload workload = builder.finish();
    const auto& shape = only_shape(workload);
    CHECK(shape.calls == 6);
    CHECK(shape.repetition.units == 0);
    CHECK(shape.session_executions == 0);
}

TEST_CASE("first and last seen follow the log's timestamps") {
    WorkloadBuilder builder;
    builder.add(statement("SELECT 1", "a", 2000));
    builder.add(statement("SELECT 2", "b", 1000));
    builder.add(statement("SELECT 3", "a", 3000));
    const Workload workload = builder.finish();
    const auto& shape = only_shape(workload);
    CHECK(shape.first_seen_ms == 1000);
    CHECK(shape.last_seen_ms == 3000);
    CHECK(shape.first_seen == std::to_string(1000.0));
}

TEST_CASE("read_workload reads a log file into shapes and says how it read it") {
    const std::string log =
        "2025-07-18 09:00:00.100 UTC [1] a@b LOG:  duration: 1.5 ms  statement: SELECT * FROM t "
        "WHERE id = 1\n"
        "2025-07-18 09:00:00.200 UTC [1] a@b LOG:  duration: 0.5 ms  execute <unnamed>: SELECT * "
        "FROM t WHERE id = $1\n"
        "2025-07-18 09:00:00.200 UTC [1] a@b DETAIL:  parameters: $1 = '2'\n"
        "2025-07-18 09:00:00.300 UTC [1] a@b LOG:  duration: 9.0 ms  statement: SELEC 1\n";
    const Workload workload = logs_test::workload_of("postgresql.log", log);
    CHECK(workload.statements == 3);
    CHECK(workload.unparsed == 1);
    const auto& shape = only_shape(workload);
    CHECK(shape.calls == 2);
    CHECK(shape.total_ms == doctest::Approx(2.0));
    CHECK(shape.max_ms == doctest::Approx(1.5));
    REQUIRE(workload.sources.size() == 1);
    CHECK(workload.sources[0].description.starts_with("PostgreSQL stderr log"));
    REQUIRE(workload.errors.size() == 1);
    CHECK(workload.errors[0].line == 4);
}
