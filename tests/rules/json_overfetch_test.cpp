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
