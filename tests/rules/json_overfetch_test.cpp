// json-overfetch: positive and negative cases.
#include "workload_rule_support.hpp"

using rule_test::catalog_from;
using rule_test::run_with_log;
using rule_test::workload_of;

namespace {

const char* schema = "CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE, login text,"
                     " name text, preferences jsonb, profile json);";

std::vector<advisor::Finding> overfetch(const std::vector<rule_test::LoggedQuery>& log) {
    return run_with_log("json-overfetch", catalog_from(schema), workload_of(log));
}

} // namespace

TEST_CASE("a list reading JSON columns through * is reported once per table, with load_only") {
    const auto found =
        overfetch({{"SELECT * FROM users ORDER BY id LIMIT 20", 100, 50},
                   {"SELECT id, name, preferences FROM users WHERE login = $1", 5, 1}});
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "public.users");
    CHECK(found[0].columns == std::vector<std::string>{"preferences", "profile"});
    CHECK(found[0].queries.size() == 2);
    CHECK(found[0].fix.sqlalchemy.find("load_only(User.id, User.email, User.login, User.name)") !=
          std::string::npos);
    CHECK(found[0].fix.sqlalchemy.find("defer(User.preferences)") != std::string::npos);
}

TEST_CASE("a JSON column used in WHERE or ORDER BY is not over-fetched") {
    CHECK(overfetch({{"SELECT id, preferences FROM users WHERE preferences @> $1 LIMIT 10", 10, 1}})
              .empty());
    CHECK(overfetch({{"SELECT id, profile FROM users ORDER BY profile ->> 'rank' LIMIT 10", 10, 1}})
              .empty());
}

TEST_CASE("not reported: single-row look-ups by primary or unique key, lists without JSON") {
    CHECK(overfetch({{"SELECT * FROM users WHERE id = $1", 10, 1}}).empty());
    CHECK(overfetch({{"SELECT * FROM users WHERE email = $1", 10, 1}}).empty());
    CHECK(overfetch({{"SELECT id, name FROM users LIMIT 10", 10, 1}}).empty());
    CHECK(overfetch({{"UPDATE users SET preferences = $1 WHERE login = $2", 10, 1}}).empty());
}

TEST_CASE("a look-up by a non-unique column is a list") {
    const auto found = overfetch({{"SELECT * FROM users WHERE login = $1", 10, 1}});
    REQUIRE(found.size() == 1);
}

TEST_CASE("wide columns (bytea, document-sized text) are reported apart, with low severity") {
    const char* wide_schema = "CREATE TABLE posts (id bigint PRIMARY KEY, title text, body text,"
                              " cover bytea, meta jsonb, summary varchar(200));";
    const auto found = run_with_log(
        "json-overfetch", catalog_from(wide_schema),
        workload_of({{"SELECT * FROM posts ORDER BY id DESC LIMIT 20", 50, 20},
                     {"SELECT id, title, body FROM posts WHERE body LIKE 'a%' LIMIT 5", 5, 1}}));
    REQUIRE(found.size() == 2);
    const auto& json = found[0].severity == advisor::Severity::medium ? found[0] : found[1];
    const auto& wide = &json == &found[0] ? found[1] : found[0];
    CHECK(json.columns == std::vector<std::string>{"meta"});
    CHECK(wide.severity == advisor::Severity::low);
    // title is not document-sized text; body is used in a WHERE by the second shape only, so the
    // first still fetches it needlessly.
    CHECK(wide.columns == std::vector<std::string>{"body", "cover"});
    CHECK(wide.message.find("wide columns") != std::string::npos);
    CHECK(wide.fix.sqlalchemy.find("leave the wide columns out") != std::string::npos);
}

TEST_CASE("deferred=True on the model only when most list queries avoid the column") {
    // One list of three reads the JSON column: defer it on the model.
    const auto mostly_avoided =
        overfetch({{"SELECT * FROM users ORDER BY id LIMIT 20", 10, 5},
                   {"SELECT id, name FROM users ORDER BY name LIMIT 20", 10, 1},
                   {"SELECT id, login FROM users WHERE name = $1", 10, 1}});
    REQUIRE(mostly_avoided.size() == 1);
    CHECK(mostly_avoided[0].fix.sqlalchemy.find(
              "preferences = mapped_column(..., deferred=True)") != std::string::npos);
    CHECK(mostly_avoided[0].details.size() == 1);
    // Every list reads it: no model-level deferral.
    const auto always_read = overfetch({{"SELECT * FROM users ORDER BY id LIMIT 20", 10, 5}});
    REQUIRE(always_read.size() == 1);
    CHECK(always_read[0].fix.sqlalchemy.find("deferred=True") == std::string::npos);
    CHECK(always_read[0].details.empty());
}
