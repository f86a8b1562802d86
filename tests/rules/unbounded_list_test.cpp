// unbounded-list: positive and negative cases.
#include "advisor/rules/app_patterns.hpp"
#include "workload_rule_support.hpp"

using rule_test::catalog_from;
using rule_test::run_with_log;
using rule_test::workload_of;

namespace {

const char* schema = "CREATE TABLE projects (id bigint PRIMARY KEY, name text, due_date date,"
                     " status text);"
                     "CREATE TABLE features (id bigint PRIMARY KEY,"
                     " project_id bigint REFERENCES projects, name text);";

std::vector<advisor::Finding> unbounded(const std::string& sql, int calls = 10) {
    return run_with_log("unbounded-list", catalog_from(schema), workload_of({{sql, calls, 5}}));
}

} // namespace

TEST_CASE("a SELECT with no WHERE and no LIMIT is an unbounded list, with a paging fix") {
    const auto found = unbounded("SELECT id, name FROM projects ORDER BY name");
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "public.projects");
    CHECK(found[0].columns.empty());
    CHECK(found[0].severity == advisor::Severity::medium);
    CHECK(found[0].queries.size() == 1);
    CHECK(found[0].fix.sqlalchemy.find("select(Project)") != std::string::npos);
    CHECK(found[0].fix.sqlalchemy.find(".limit(") != std::string::npos);
    // Keyset pagination on name needs an index there.
    REQUIRE(found[0].details.size() == 1);
    CHECK(found[0].details[0].find("(name, id)") != std::string::npos);
}

TEST_CASE("a SELECT filtered only by a range is an unbounded list") {
    CHECK(unbounded("SELECT * FROM projects WHERE due_date < $1").size() == 1);
}

TEST_CASE("shapes listing one table make one finding") {
    const auto found =
        run_with_log("unbounded-list", catalog_from(schema),
                     workload_of({{"SELECT * FROM projects", 3, 1},
                                  {"SELECT * FROM projects WHERE due_date > $1", 2, 1}}));
    REQUIRE(found.size() == 1);
    CHECK(found[0].queries.size() == 2);
}

TEST_CASE("not reported: a primary-key look-up, a foreign-key filter, an equality filter, a LIMIT, "
          "an aggregate, a table-less SELECT") {
    CHECK(unbounded("SELECT * FROM projects WHERE id = $1").empty());
    CHECK(unbounded("SELECT * FROM features WHERE project_id = $1").empty());
    CHECK(unbounded("SELECT * FROM projects WHERE status = 'open'").empty());
    CHECK(unbounded("SELECT * FROM projects ORDER BY id LIMIT 50").empty());
    CHECK(unbounded("SELECT count(*) FROM projects").empty());
    CHECK(unbounded("SELECT 1").empty());
    CHECK(unbounded("SELECT f.name FROM features f JOIN projects p ON p.id = f.project_id"
                    " WHERE p.id = $1")
              .empty());
}
