// missing-index: reference cases (after dexter's test suite, in our own words) and negatives.
#include "advisor/migrations/migration_plan.hpp"
#include "parsers/sqlite_schema.hpp"
#include "workload_rule_support.hpp"

#include <set>

using rule_test::catalog_from;
using rule_test::run_with_log;
using rule_test::workload_of;

namespace {

const char* blog_schema =
    "CREATE TABLE blogs (id bigint PRIMARY KEY, name text, owner text);"
    "CREATE TABLE posts (id bigint PRIMARY KEY, blog_id bigint, user_id bigint, title text, "
    " status text, published_at timestamptz, created_at timestamptz, deleted_at timestamptz, "
    " email text, data jsonb);";

std::vector<advisor::Finding> proposals(const std::vector<rule_test::LoggedQuery>& queries,
                                        const std::string& schema = blog_schema,
                                        std::vector<std::string>* notes = nullptr,
                                        advisor::RuleOptions options = {}) {
    const auto catalog = catalog_from(schema);
    return run_with_log("missing-index", catalog, workload_of(queries), notes, options);
}

std::vector<std::string> columns(const advisor::Finding& finding) {
    return finding.columns;
}

} // namespace

TEST_CASE("a single-column equality filter gets a one-column index") {
    const auto found = proposals({{"SELECT * FROM posts WHERE user_id = 5", 100, 50}});
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "public.posts");
    CHECK(columns(found[0]) == std::vector<std::string>{"user_id"});
    CHECK(found[0].severity == advisor::Severity::high);
    CHECK(found[0].fix.sql_up ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_posts_user_id ON public.posts (user_id);");
    REQUIRE(found[0].queries.size() == 1);
    CHECK(found[0].queries[0].calls == 100);
}

TEST_CASE("two equality columns make one two-column index") {
    const auto found =
        proposals({{"SELECT * FROM posts WHERE user_id = $1 AND status = $2", 10, 5}});
    REQUIRE(found.size() == 1);
    CHECK(found[0].columns.size() == 2);
    CHECK(std::set<std::string>(found[0].columns.begin(), found[0].columns.end()) ==
          std::set<std::string>{"user_id", "status"});
}

TEST_CASE("equality and range: the equality column first, the range column last") {
    const auto found =
        proposals({{"SELECT * FROM posts WHERE user_id = 3 AND created_at > '2024-01-01'", 10, 5}});
    REQUIRE(found.size() == 1);
    CHECK(columns(found[0]) == std::vector<std::string>{"user_id", "created_at"});
}

TEST_CASE("equality then ORDER BY ... LIMIT: the sort column follows, in its direction") {
    const auto found = proposals(
        {{"SELECT * FROM posts WHERE blog_id = $1 ORDER BY published_at DESC LIMIT 20", 10, 5}});
    REQUIRE(found.size() == 1);
    CHECK(columns(found[0]) == std::vector<std::string>{"blog_id", "published_at"});
    CHECK(found[0].fix.sql_up.find("(blog_id, published_at DESC)") != std::string::npos);
}

TEST_CASE("a join from a filtered table gives the joined table's join column (posts.blog_id)") {
    const auto found = proposals(
        {{"SELECT posts.* FROM posts JOIN blogs ON blogs.id = posts.blog_id WHERE blogs.name = 'x'",
          10, 5}});
    bool on_posts = false;
    for (const auto& finding : found) {
        on_posts = on_posts || (finding.table == "public.posts" &&
                                columns(finding) == std::vector<std::string>{"blog_id"});
    }
    CHECK(on_posts);
}

TEST_CASE("UPDATE and DELETE with WHERE need an index like SELECT does") {
    const auto updates = proposals({{"UPDATE posts SET title = 'x' WHERE user_id = 4", 10, 5}});
    REQUIRE(updates.size() == 1);
    CHECK(columns(updates[0]) == std::vector<std::string>{"user_id"});
    const auto deletes = proposals({{"DELETE FROM posts WHERE status = 'spam'", 10, 5}});
    REQUIRE(deletes.size() == 1);
    CHECK(columns(deletes[0]) == std::vector<std::string>{"status"});
}

TEST_CASE("a filter inside a CTE, materialized or not, reaches the table") {
    for (const char* cte :
         {"WITH p AS (SELECT * FROM posts WHERE user_id = 1) SELECT * FROM p",
          "WITH p AS MATERIALIZED (SELECT * FROM posts WHERE user_id = 1) SELECT * FROM p"}) {
        CAPTURE(cte);
        const auto found = proposals({{cte, 10, 5}});
        REQUIRE(found.size() == 1);
        CHECK(columns(found[0]) == std::vector<std::string>{"user_id"});
    }
}

TEST_CASE("a query through a view proposes the index on the base table") {
    const auto found = proposals({{"SELECT * FROM recent_posts WHERE user_id = 9", 10, 5}},
                                 std::string(blog_schema) +
                                     "CREATE VIEW recent_posts AS SELECT * FROM posts WHERE "
                                     "created_at > '2024-01-01';");
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "public.posts");
    CHECK(found[0].columns.front() == "user_id");
}

TEST_CASE("on a partitioned table the index comes with the per-partition recipe") {
    const auto found = proposals(
        {{"SELECT * FROM events WHERE account_id = 7", 10, 5}},
        "CREATE TABLE events (id bigint, account_id bigint, at date) PARTITION BY RANGE (at);"
        "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO "
        "('2026-01-01');");
    REQUIRE(found.size() == 1);
    CHECK(found[0].fix.sql_up.find("ON ONLY public.events (account_id)") != std::string::npos);
    CHECK(found[0].fix.sql_up.find("ATTACH PARTITION") != std::string::npos);
}

TEST_CASE("quoted schema and table names, \"Bar\".\"Foo\"") {
    const auto found =
        proposals({{"SELECT * FROM \"Bar\".\"Foo\" WHERE \"Baz\" = $1", 10, 5}},
                  "CREATE SCHEMA \"Bar\"; CREATE TABLE \"Bar\".\"Foo\" (id int, \"Baz\" int);");
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "Bar.Foo");
    CHECK(found[0].fix.sql_up ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_foo_baz ON \"Bar\".\"Foo\" (\"Baz\");");
}

TEST_CASE("ORDER BY 1 and ORDER BY alias resolve to the column") {
    for (const char* sql :
         {"SELECT published_at FROM posts WHERE blog_id = $1 ORDER BY 1 LIMIT 5",
          "SELECT published_at AS p FROM posts WHERE blog_id = $1 ORDER BY p LIMIT 5"}) {
        CAPTURE(sql);
        const auto found = proposals({{sql, 10, 5}});
        REQUIRE(found.size() == 1);
        CHECK(columns(found[0]) == std::vector<std::string>{"blog_id", "published_at"});
    }
}

TEST_CASE("jsonb containment gets a GIN index; ->> and lower() get expression indexes") {
    const auto gin = proposals({{"SELECT id FROM posts WHERE data @> '{\"a\": 1}'", 10, 5}});
    REQUIRE(gin.size() == 1);
    CHECK(gin[0].fix.create_index->method == "gin");
    CHECK(gin[0].fix.sql_up.find("USING gin (data jsonb_path_ops)") != std::string::npos);
    const auto lower = proposals({{"SELECT id FROM posts WHERE lower(email) = $1", 10, 5}});
    REQUIRE(lower.size() == 1);
    CHECK(lower[0].fix.create_index->keys[0].expression == "lower(email)");
    CHECK(lower[0].fix.sql_up.find("ON public.posts ((lower(email)));") != std::string::npos);
}

TEST_CASE("one index serves several shapes: the more common equality column leads") {
    const auto found =
        proposals({{"SELECT * FROM posts WHERE blog_id = $1 AND status = $2", 50, 40},
                   {"SELECT * FROM posts WHERE blog_id = $1", 30, 20}});
    REQUIRE(found.size() == 1);
    CHECK(columns(found[0]) == std::vector<std::string>{"blog_id", "status"});
    CHECK(found[0].queries.size() == 2);
}

TEST_CASE("no proposal: no WHERE, SELECT 1, system catalogs, unparsable, unknown table, indexed") {
    std::vector<std::string> notes;
    const auto found =
        proposals({{"SELECT * FROM posts", 10, 5},
                   {"SELECT 1", 10, 5},
                   {"SELECT * FROM pg_catalog.pg_class WHERE relname = 'x'", 10, 5},
                   {"SELEKT * FROM posts WHERE user_id = 1", 10, 5},
                   {"SELECT * FROM ghosts WHERE id = 1", 10, 5},
                   {"SELECT * FROM posts WHERE id = 1", 10, 5},
                   {"SELECT * FROM posts WHERE blog_id = 1", 10, 5}},
                  std::string(blog_schema) + "CREATE INDEX ON posts (blog_id);", &notes);
    CHECK(found.empty());
    bool ghost_noted = false;
    for (const auto& note : notes) {
        ghost_noted = ghost_noted || note.find("public.ghosts") != std::string::npos;
    }
    CHECK(ghost_noted);
}

TEST_CASE("a partial index serves only queries whose predicate implies it") {
    const std::string schema =
        std::string(blog_schema) +
        "CREATE INDEX posts_live ON posts (user_id) WHERE deleted_at IS NULL;";
    CHECK(
        proposals({{"SELECT * FROM posts WHERE user_id = 1 AND deleted_at IS NULL", 10, 5}}, schema)
            .empty());
    CHECK(proposals({{"SELECT * FROM posts WHERE user_id = 1", 10, 5}}, schema).size() == 1);
}

TEST_CASE("--exclude and small tables from --stats get no proposal, and the skip is said") {
    advisor::RuleOptions options;
    options.table_rows["public.posts"] = 500;
    std::vector<std::string> notes;
    CHECK(proposals({{"SELECT * FROM posts WHERE user_id = 5", 100, 50}}, blog_schema, &notes,
                    options)
              .empty());
    std::erase_if(notes,
                  [](const std::string& note) { return note.rfind("missing-index", 0) != 0; });
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].find("fewer than 10000 rows") != std::string::npos);
    advisor::RuleOptions excluded;
    excluded.excluded_tables.insert("public.posts");
    CHECK(proposals({{"SELECT * FROM posts WHERE user_id = 5", 100, 50}}, blog_schema, nullptr,
                    excluded)
              .empty());
}

TEST_CASE("severity is the proposal's share of logged time") {
    const auto found = proposals({{"SELECT * FROM posts WHERE user_id = 5", 10, 5},
                                  {"SELECT * FROM blogs WHERE id = 1", 1000, 995}});
    REQUIRE(found.size() == 1);
    CHECK(found[0].severity == advisor::Severity::low); // 0.5% of the time
}

TEST_CASE("an unindexed foreign key the workload needs is proposed once, by missing-index") {
    const auto catalog = catalog_from("CREATE TABLE blogs (id bigint PRIMARY KEY);"
                                      "CREATE TABLE posts (id bigint PRIMARY KEY, blog_id bigint "
                                      "REFERENCES blogs, status text);");
    const auto workload =
        workload_of({{"SELECT * FROM posts WHERE blog_id = $1 AND status = $2", 10, 5}});
    const auto facts = advisor::extract_shape_facts(workload, catalog);
    advisor::AnalysisContext context{catalog, &workload, {}};
    context.facts = &facts;
    const auto findings = advisor::run_rules(context, {});
    const advisor::Finding* fk = nullptr;
    const advisor::Finding* missing = nullptr;
    for (const auto& finding : findings) {
        if (finding.rule == "unindexed-foreign-key") {
            fk = &finding;
        } else if (finding.rule == "missing-index") {
            missing = &finding;
        }
    }
    REQUIRE(fk != nullptr);
    REQUIRE(missing != nullptr);
    CHECK(fk->fix.create_index->name == missing->fix.create_index->name);
    CHECK(fk->details.back().find("missing-index") != std::string::npos);
    const auto plan = advisor::plan_migration(findings, {});
    CHECK(plan.creates.size() == 1);
}

TEST_CASE("on SQLite, look-ups by the INTEGER PRIMARY KEY need no index: the table is the rowid "
          "b-tree") {
    const advisor::Catalog catalog =
        parsers::read_sqlite_ddl("CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, "
                                 "user_id INTEGER);\n");
    const auto found =
        run_with_log("missing-index", catalog,
                     workload_of({{"SELECT * FROM notes WHERE notes.id = 5", 100, 50},
                                  {"DELETE FROM notes WHERE id = 7", 10, 5},
                                  {"SELECT * FROM notes WHERE user_id = 3", 10, 5}}));
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "main.notes");
    CHECK(columns(found[0]) == std::vector<std::string>{"user_id"});
}
