// Session settings, validity checks, portable revisions and one-statement files of the emitted
// migrations (docs/templates.md, "Session settings and validity checks").
#include "advisor/errors.hpp"
#include "advisor/migrations/index_checks.hpp"
#include "advisor/migrations/migration_writer.hpp"
#include "advisor/rules/rule.hpp"
#include "parsers/pg_ddl.hpp"
#include "parsers/pg_tree.hpp"

#include <doctest/doctest.h>
#include <filesystem>

namespace fs = std::filesystem;

namespace {

std::vector<advisor::Finding> findings_for(const std::string& ddl) {
    advisor::Catalog catalog;
    parsers::apply_postgres_ddl(ddl, catalog);
    advisor::AnalysisContext context{catalog, nullptr, {}};
    return advisor::run_rules(context, {});
}

const char* schema =
    "CREATE TABLE posts (id bigint PRIMARY KEY);"
    "CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts);"
    "CREATE SCHEMA audit;"
    "CREATE TABLE audit.events (id bigint PRIMARY KEY, post_id bigint "
    "REFERENCES posts);"
    "CREATE INDEX comments_id_copy ON comments (id);";

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++n;
    }
    return n;
}

const std::string no_dir = "/nonexistent/advisor-test";

} // namespace

TEST_CASE("--lock-timeout takes PostgreSQL's time units and nothing else") {
    CHECK(advisor::checked_lock_timeout("5s") == "5s");
    CHECK(advisor::checked_lock_timeout("500ms") == "500ms");
    CHECK(advisor::checked_lock_timeout("2min") == "2min");
    CHECK(advisor::checked_lock_timeout("1000") == "1000");
    CHECK_THROWS_AS(advisor::checked_lock_timeout("5 s"), advisor::UsageError);
    CHECK_THROWS_AS(advisor::checked_lock_timeout("5sec"), advisor::UsageError);
    CHECK_THROWS_AS(advisor::checked_lock_timeout("'; DROP TABLE x; --"), advisor::UsageError);
    CHECK_THROWS_AS(advisor::checked_lock_timeout(""), advisor::UsageError);
}

TEST_CASE("sqlalchemy.text() escaping touches only what it would read as a bind parameter") {
    CHECK(advisor::text_clause_escaped("a::text = 'x'") == "a::text = 'x'");
    CHECK(advisor::text_clause_escaped("note = ':draft'") == "note = '\\:draft'");
    CHECK(advisor::text_clause_escaped("ts = '10:30'") == "ts = '10:30'");
    CHECK(advisor::text_clause_escaped("x = (:ab)") == "x = (\\:ab)");
}

TEST_CASE("one check before any change names every index the file builds; each build and drop "
          "is followed by a short check of its own, inside SET ... RESET") {
    advisor::MigrationOptions options;
    options.include_drops = true;
    options.lock_timeout = "750ms";
    const auto plan = advisor::plan_migration(findings_for(schema), options);
    REQUIRE(plan.creates.size() == 2);
    REQUIRE(plan.drops.size() == 1);
    const auto files = advisor::render_sql_migration(plan, no_dir, advisor::TemplateSet());
    const std::string& up = files[0].content;
    const auto set_at = up.find("\nSET lock_timeout = '750ms';\nSET statement_timeout = 0;\n");
    const auto before = up.find("JOIN pg_index i ON i.indexrelid = to_regclass(planned.name)");
    const auto first_change = up.find("\nCREATE INDEX CONCURRENTLY");
    const auto build = up.find("\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ix_comments_post_id ");
    const auto after = up.find("to_regclass('public.ix_comments_post_id') AND indisvalid) THEN\n");
    const auto drop = up.find("\nDROP INDEX CONCURRENTLY IF EXISTS public.comments_id_copy;\n");
    const auto dropped = up.find("to_regclass('public.comments_id_copy')) THEN\n");
    const auto reset = up.find("\nRESET statement_timeout;\nRESET lock_timeout;\n");
    REQUIRE(set_at != std::string::npos);
    REQUIRE(reset != std::string::npos);
    CHECK(set_at < before);
    CHECK(before < first_change);
    CHECK(first_change <= build);
    CHECK(build < after);
    CHECK(after < drop);
    CHECK(drop < dropped);
    CHECK(dropped < reset);
    // The check before any change is one DO block listing both builds, the one outside the
    // default schema in its own schema; the drop needs none (an INVALID index is dropped too).
    CHECK(count(up, "DO $check$") == 1 + 2 + 1);
    CHECK(count(up, "to_regclass(planned.name)") == 1);
    CHECK(up.find("      FROM (VALUES\n          ('audit.ix_events_post_id'),\n"
                  "          ('public.ix_comments_post_id')\n      ) AS planned (name)\n") !=
          std::string::npos);
    CHECK(up.find("'comments_id_copy'),") == std::string::npos);
    // Each check after a build or drop is four lines, its HINT the DROP to run.
    CHECK(
        up.find("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_comments_post_id ON public.comments "
                "(post_id);\n"
                "DO $check$ BEGIN IF NOT EXISTS (SELECT FROM pg_index WHERE indexrelid = "
                "to_regclass('public.ix_comments_post_id') AND indisvalid) THEN\n"
                "    RAISE EXCEPTION USING MESSAGE = 'index public.ix_comments_post_id is "
                "missing or INVALID after its build',\n"
                "        HINT = 'Run DROP INDEX CONCURRENTLY IF EXISTS public.ix_comments_post_id; "
                "then run this migration again.';\n"
                "END IF; END $check$;\n") != std::string::npos);
    // Every statement is plain SQL (libpg_query parses the whole file), no psql meta-command.
    CHECK(up.find("\\g") == std::string::npos);
    CHECK_FALSE(parsers::pg::parse(up).error);
    CHECK_FALSE(parsers::pg::parse(files[1].content).error);
    // The down file: one check before the rebuild of the dropped index, naming only it, and a
    // check after each of the 2 drops and after the rebuild.
    const std::string& down = files[1].content;
    CHECK(count(down, "DO $check$") == 1 + 2 + 1);
    CHECK(down.find("      FROM (VALUES\n          ('public.comments_id_copy')\n") !=
          std::string::npos);
    CHECK(down.find("to_regclass(planned.name)") <
          down.find("\nCREATE INDEX CONCURRENTLY IF NOT EXISTS comments_id_copy "));
}

TEST_CASE("the checks name indexes as to_regclass() reads them: quoted where needed, in their "
          "schema, with `'` doubled in the literal") {
    const char* quoted_schema =
        "CREATE TABLE posts (id bigint PRIMARY KEY);"
        "CREATE SCHEMA \"Audit Log\";"
        "CREATE TABLE \"Audit Log\".\"Order Items\" (id bigint PRIMARY KEY, post_id bigint "
        "REFERENCES posts);"
        "CREATE TABLE \"o'brien\" (id bigint PRIMARY KEY, post_id bigint REFERENCES posts);"
        "CREATE INDEX \"Posts_Id_Copy\" ON posts (id);";
    advisor::MigrationOptions options;
    options.include_drops = true;
    const auto plan = advisor::plan_migration(findings_for(quoted_schema), options);
    REQUIRE(plan.creates.size() == 2);
    REQUIRE(plan.drops.size() == 1);
    const auto files = advisor::render_sql_migration(plan, no_dir, advisor::TemplateSet());
    const std::string& up = files[0].content;
    CHECK(up.find("          ('\"Audit Log\".\"ix_order items_post_id\"'),\n"
                  "          ('public.\"ix_o''brien_post_id\"')\n") != std::string::npos);
    CHECK(up.find("to_regclass('\"Audit Log\".\"ix_order items_post_id\"') AND indisvalid) THEN\n"
                  "    RAISE EXCEPTION USING MESSAGE = 'index \"Audit Log\".\"ix_order "
                  "items_post_id\" is missing or INVALID after its build',\n"
                  "        HINT = 'Run DROP INDEX CONCURRENTLY IF EXISTS \"Audit Log\".\"ix_order "
                  "items_post_id\"; then run this migration again.';\n") != std::string::npos);
    CHECK(up.find("to_regclass('public.\"ix_o''brien_post_id\"') AND indisvalid)") !=
          std::string::npos);
    CHECK(up.find("to_regclass('public.\"Posts_Id_Copy\"')) THEN\n") != std::string::npos);
    CHECK_FALSE(parsers::pg::parse(up).error);
    // The revision carries the same check, one Python literal per SQL line (single quotes here,
    // since the statement holds `"`), run once before the builds and once before the rebuilds.
    const auto revision =
        advisor::render_alembic_revision(plan, no_dir, advisor::TemplateSet(), {}).content;
    CHECK(revision.find("\n                               '          (\\'public.\"ix_o\\'\\'"
                        "brien_post_id\"\\')\\n'\n") != std::string::npos);
    CHECK(count(revision, "to_regclass(planned.name)") == 2);
}

TEST_CASE("a revision leaves default-schema tables unqualified and guards PostgreSQL's "
          "statements by dialect") {
    advisor::MigrationOptions options;
    options.include_drops = true;
    const auto plan = advisor::plan_migration(findings_for(schema), options);
    const auto revision =
        advisor::render_alembic_revision(plan, no_dir, advisor::TemplateSet(), {}).content;
    CHECK(revision.find("schema='public'") == std::string::npos);
    CHECK(revision.find("schema='audit'") != std::string::npos);
    CHECK(revision.find("    if not _on_postgresql():\n") != std::string::npos);
    CHECK(revision.find("op.execute(LOCK_TIMEOUT)") != std::string::npos);
    CHECK(revision.find("LOCK_TIMEOUT = 'SET lock_timeout = \\'5s\\''") != std::string::npos);
    CHECK(count(revision, "        finally:\n            op.execute(\"RESET statement_timeout\")\n"
                          "            op.execute(\"RESET lock_timeout\")\n") == 2);
    // Alembic < 1.12: the exact SQL of the .sql files, IF NOT EXISTS included.
    CHECK(revision.find("op.execute(sa.text('CREATE INDEX CONCURRENTLY IF NOT EXISTS "
                        "ix_comments_post_id ON public.comments (post_id)'))") !=
          std::string::npos);
}

TEST_CASE("--emit-sql-per-index writes one statement per file: one check before any change, "
          "a check after each build") {
    advisor::MigrationOptions options;
    options.include_drops = true;
    const auto plan = advisor::plan_migration(findings_for(schema), options);
    const auto files =
        advisor::render_sql_migrations_per_index(plan, no_dir, advisor::TemplateSet());
    // The check of both builds, then 2 creates and 1 drop, each followed by its check: 7 pairs,
    // in table order.
    REQUIRE(files.size() == 14);
    CHECK(fs::path(files[0].path).filename() == "0001_check_no_invalid_indexes.up.sql");
    CHECK(fs::path(files[2].path).filename() == "0002_create_ix_events_post_id.up.sql");
    CHECK(fs::path(files[4].path).filename() == "0003_check_ix_events_post_id.up.sql");
    CHECK(fs::path(files[6].path).filename() == "0004_create_ix_comments_post_id.up.sql");
    CHECK(fs::path(files[12].path).filename() == "0007_check_dropped_comments_id_copy.up.sql");
    for (const auto& file : files) {
        const auto statements = parsers::pg::split_statements(file.content);
        std::size_t real = 0;
        for (const auto& statement : statements) {
            real += parsers::pg::parse(statement).tree.size();
        }
        CHECK_MESSAGE(real <= 1, file.path);
    }
    CHECK(files[0].content.find("          ('audit.ix_events_post_id'),\n"
                                "          ('public.ix_comments_post_id')\n") != std::string::npos);
    CHECK(files[1].content.find("-- Nothing to undo here.") != std::string::npos);
    CHECK(files[2].content.find("options='-c lock_timeout=5s -c statement_timeout=0'") !=
          std::string::npos);
    CHECK(files[7].content.find("DROP INDEX CONCURRENTLY IF EXISTS public.ix_comments_post_id;") !=
          std::string::npos);
    CHECK(files[8].content.find("to_regclass('public.ix_comments_post_id') AND indisvalid)") !=
          std::string::npos);
}
