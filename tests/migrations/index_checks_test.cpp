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

TEST_CASE("each build is preceded and followed by a validity check, inside SET ... RESET") {
    advisor::MigrationOptions options;
    options.include_drops = true;
    options.lock_timeout = "750ms";
    const auto plan = advisor::plan_migration(findings_for(schema), options);
    REQUIRE(plan.creates.size() == 2);
    REQUIRE(plan.drops.size() == 1);
    const auto files = advisor::render_sql_migration(plan, no_dir, advisor::TemplateSet());
    const std::string& up = files[0].content;
    const auto set_at = up.find("\nSET lock_timeout = '750ms';\nSET statement_timeout = 0;\n");
    const auto before = up.find("AND c.relname = 'ix_comments_post_id' AND NOT i.indisvalid");
    const auto build = up.find("\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ix_comments_post_id ");
    const auto after = up.find("AND c.relname = 'ix_comments_post_id' AND i.indisvalid");
    const auto reset = up.find("\nRESET statement_timeout;\nRESET lock_timeout;\n");
    REQUIRE(set_at != std::string::npos);
    CHECK(set_at < before);
    CHECK(before < build);
    CHECK(build < after);
    CHECK(after < reset);
    CHECK(reset != std::string::npos);
    CHECK(up.find("HINT = 'Run DROP INDEX CONCURRENTLY IF EXISTS public.ix_comments_post_id; then "
                  "run this migration again.'") != std::string::npos);
    // The index outside the default schema is checked in its own schema.
    CHECK(up.find("WHERE n.nspname = 'audit' AND c.relname = 'ix_events_post_id'") !=
          std::string::npos);
    // The drop is followed by a check that the index is gone.
    CHECK(up.find("c.relname = 'comments_id_copy'\n") >
          up.find("\nDROP INDEX CONCURRENTLY IF EXISTS public.comments_id_copy;"));
    // Every statement is plain SQL (libpg_query parses the whole file), no psql meta-command.
    CHECK(up.find("\\g") == std::string::npos);
    CHECK_FALSE(parsers::pg::parse(up).error);
    CHECK_FALSE(parsers::pg::parse(files[1].content).error);
    // The down file: a check after each of the 2 drops, before and after the 1 rebuild.
    CHECK(count(files[1].content, "RAISE EXCEPTION") == 4);
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

TEST_CASE("--emit-sql-per-index writes one statement per file, a check after each build") {
    advisor::MigrationOptions options;
    options.include_drops = true;
    const auto plan = advisor::plan_migration(findings_for(schema), options);
    const auto files =
        advisor::render_sql_migrations_per_index(plan, no_dir, advisor::TemplateSet());
    // 2 creates and 1 drop, each followed by its check: 6 pairs, in table order.
    REQUIRE(files.size() == 12);
    CHECK(fs::path(files[0].path).filename() == "0001_create_ix_events_post_id.up.sql");
    CHECK(fs::path(files[2].path).filename() == "0002_check_ix_events_post_id.up.sql");
    CHECK(fs::path(files[4].path).filename() == "0003_create_ix_comments_post_id.up.sql");
    CHECK(fs::path(files[10].path).filename() == "0006_check_dropped_comments_id_copy.up.sql");
    for (const auto& file : files) {
        const auto statements = parsers::pg::split_statements(file.content);
        std::size_t real = 0;
        for (const auto& statement : statements) {
            real += parsers::pg::parse(statement).tree.size();
        }
        CHECK_MESSAGE(real <= 1, file.path);
    }
    CHECK(files[0].content.find("options='-c lock_timeout=5s -c statement_timeout=0'") !=
          std::string::npos);
    CHECK(files[5].content.find("DROP INDEX CONCURRENTLY IF EXISTS public.ix_comments_post_id;") !=
          std::string::npos);
}
