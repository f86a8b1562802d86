// eager-load: positive and negative cases. Each request is one transaction (workload_of() puts
// statements 2 s apart, so only BEGIN ... COMMIT groups them).
#include "workload_rule_support.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

using rule_test::catalog_from;
using rule_test::LoggedQuery;
using rule_test::run_with_log;
using rule_test::workload_of;

namespace {

const char* schema =
    "CREATE TABLE tenants (id bigint PRIMARY KEY, name text);"
    "CREATE TABLE users (id bigint PRIMARY KEY, tenant_id bigint REFERENCES tenants, email text);"
    "CREATE TABLE roles (id bigint PRIMARY KEY, name text);"
    "CREATE TABLE user_roles (user_id bigint REFERENCES users, role_id bigint REFERENCES roles,"
    " PRIMARY KEY (user_id, role_id));"
    "CREATE TABLE news (id bigint PRIMARY KEY, title text);";

const std::string user_lookup = "SELECT id, tenant_id, email FROM users WHERE id = ";

// `requests` transactions: the user look-up, then each of `loads` (with `{}` for the key) in
// the first `followed` of them.
std::vector<LoggedQuery> requests(int count, const std::vector<std::string>& loads,
                                  int followed = -1) {
    std::vector<LoggedQuery> log;
    for (int i = 0; i < count; ++i) {
        log.push_back({"BEGIN", 1, 0});
        log.push_back({user_lookup + std::to_string(i), 1, 1});
        for (const auto& load : loads) {
            if (followed < 0 || i < followed) {
                std::string text = load;
                text.replace(text.find("{}"), 2, std::to_string(100 + i));
                log.push_back({text, 1, 2});
            }
        }
        log.push_back({"COMMIT", 1, 0});
    }
    return log;
}

std::vector<advisor::Finding> eager(const std::vector<LoggedQuery>& log,
                                    std::vector<std::string>* notes = nullptr,
                                    advisor::RuleOptions options = {}) {
    return run_with_log("eager-load", catalog_from(schema), workload_of(log), notes, options);
}

const std::string tenant_load = "SELECT id, name FROM tenants WHERE id IN ({})";
const std::string user_roles_load =
    "SELECT user_id, role_id FROM user_roles WHERE user_id IN ({}, 1)";

} // namespace

TEST_CASE("a many-to-one selectin load after every parent execution is reported") {
    const auto found = eager(requests(6, {tenant_load}));
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "public.tenants");
    CHECK(found[0].columns == std::vector<std::string>{"id"});
    CHECK(found[0].message.find("in 6 of its 6 executions (100%)") != std::string::npos);
    CHECK(found[0].message.find("on public.users") != std::string::npos);
    CHECK(found[0].queries.size() == 2);
    CHECK(found[0].time_saved_ms == doctest::Approx(12.0));
    CHECK(found[0].fix.sqlalchemy.find("tenant = relationship(..., lazy=\"raise\")") !=
          std::string::npos);
    CHECK(found[0].fix.sqlalchemy.find("selectinload(User.tenant)") != std::string::npos);
}

TEST_CASE("a one-to-many load by a foreign key IN (...) is reported as the parent's collection") {
    const auto found = eager(requests(5, {user_roles_load}));
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "public.user_roles");
    CHECK(found[0].columns == std::vector<std::string>{"user_id"});
    CHECK(found[0].details.front().find("User.roles (one-to-many") != std::string::npos);
}

TEST_CASE("= ANY($1) counts as a list load") {
    const auto found = eager(requests(5, {"SELECT id, name FROM tenants WHERE id = ANY('{{}}')"}));
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "public.tenants");
}

TEST_CASE("a chained load names its own parent, and the first parent counts every query") {
    const auto found = eager(requests(
        5, {user_roles_load, "SELECT id, name FROM roles WHERE id IN ({}, 2)", tenant_load}));
    REQUIRE(found.size() == 3);
    const auto roles = std::find_if(found.begin(), found.end(),
                                    [](const auto& f) { return f.table == "public.roles"; });
    REQUIRE(roles != found.end());
    CHECK(roles->message.find("on public.user_roles") != std::string::npos);
    CHECK(roles->details.front().find("UserRole.role (many-to-one") != std::string::npos);
    const auto tenants = std::find_if(found.begin(), found.end(),
                                      [](const auto& f) { return f.table == "public.tenants"; });
    REQUIRE(tenants != found.end());
    CHECK(tenants->message.find("runs 4 queries") != std::string::npos);
}

TEST_CASE("negatives: under 90%, too few parent executions, not a list, not related") {
    // 8 of 10 executions: 80%.
    CHECK(eager(requests(10, {tenant_load}, 8)).empty());
    // 9 of 10: reported.
    CHECK(eager(requests(10, {tenant_load}, 9)).size() == 1);
    // The parent ran 4 times.
    CHECK(eager(requests(4, {tenant_load})).empty());
    // A plain `= $1` look-up is a lazy load of one row, not a selectin load.
    CHECK(eager(requests(6, {"SELECT id, name FROM tenants WHERE id = {}"})).empty());
    // No foreign key ties news to users.
    CHECK(eager(requests(6, {"SELECT id, title FROM news WHERE id IN ({})"})).empty());
}

TEST_CASE("a load in the next transaction does not follow the parent") {
    std::vector<LoggedQuery> log;
    for (int i = 0; i < 6; ++i) {
        log.push_back({"BEGIN", 1, 0});
        log.push_back({user_lookup + std::to_string(i), 1, 1});
        log.push_back({"COMMIT", 1, 0});
        log.push_back({"BEGIN", 1, 0});
        log.push_back(
            {"SELECT id, name FROM tenants WHERE id IN (" + std::to_string(i) + ")", 1, 1});
        log.push_back({"COMMIT", 1, 0});
    }
    CHECK(eager(log).empty());
}

TEST_CASE("loads in other sessions do not follow the parent") {
    std::vector<LoggedQuery> log;
    for (int i = 0; i < 6; ++i) {
        log.push_back({"BEGIN", 1, 0, "a"});
        log.push_back({user_lookup + std::to_string(i), 1, 1, "a"});
        log.push_back(
            {"SELECT id, name FROM tenants WHERE id IN (" + std::to_string(i) + ")", 1, 1, "b"});
        log.push_back({"COMMIT", 1, 0, "a"});
    }
    CHECK(eager(log).empty());
}

TEST_CASE("without sessions the rule says so once") {
    auto workload = workload_of(requests(6, {tenant_load}));
    workload.sources.push_back({});
    workload.sources.back().shows_sessions = false;
    std::vector<std::string> notes;
    CHECK(run_with_log("eager-load", catalog_from(schema), workload, &notes).empty());
    CHECK(std::count_if(notes.begin(), notes.end(), [](const std::string& note) {
              return note.rfind("eager-load:", 0) == 0;
          }) == 1);
}

TEST_CASE("--models names reach the fix") {
    const auto path = std::filesystem::temp_directory_path() / "eager_load_models_test.json";
    std::ofstream(path)
        << R"({"users": {"class": "Account", "relationships": {"tenant_id": "org"}}})";
    advisor::RuleOptions options;
    options.models = advisor::ModelNames::from_file(path.string());
    std::filesystem::remove(path);
    const auto found = eager(requests(6, {tenant_load}), nullptr, options);
    REQUIRE(found.size() == 1);
    CHECK(found[0].fix.sqlalchemy.find("selectinload(Account.org)") != std::string::npos);
}
