// Migration planning and writing, templates and their overrides, Markdown and SARIF reports.
#include "advisor/errors.hpp"
#include "advisor/migrations/migration_writer.hpp"
#include "advisor/output_file.hpp"
#include "advisor/render/report_render.hpp"
#include "advisor/render/templates.hpp"
#include "advisor/rules/rule.hpp"
#include "parsers/pg_ddl.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "advisor-test-XXXXXX").string();
        path = mkdtemp(pattern.data());
    }
    ~TempDir() { fs::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

void write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

std::string read(const std::string& path) {
    std::ifstream input(path);
    std::ostringstream text;
    text << input.rdbuf();
    return text.str();
}

std::vector<advisor::Finding> findings_for(const std::string& ddl) {
    advisor::Catalog catalog;
    parsers::apply_postgres_ddl(ddl, catalog);
    advisor::AnalysisContext context{catalog, nullptr, {}};
    return advisor::run_rules(context, {});
}

const char* schema =
    "CREATE TABLE posts (id bigint PRIMARY KEY);"
    "CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts,"
    " parent_id bigint REFERENCES posts, note text);"
    "CREATE INDEX comments_id_copy ON comments (id);"
    "CREATE INDEX comments_note ON comments (note) WHERE note IS NOT NULL;";

} // namespace

TEST_CASE("Mustache section tags alone on a line leave no blank line, rendered or skipped") {
    TempDir dir;
    write(dir.file("t.mustache"),
          "a\n{{#yes}}\nX\n{{/yes}}\n{{#no}}\nY\n{{/no}}\n\n{{#list}}\n- {{.}}\n{{/list}}\nb\n");
    const advisor::TemplateSet templates(dir.path.string());
    const std::string out =
        templates.render("t.mustache", {{"yes", true}, {"no", false}, {"list", {"1", "2"}}});
    CHECK(out == "a\nX\n\n- 1\n- 2\nb\n");
}

TEST_CASE("--templates overrides one template by file name; the others stay built in") {
    TempDir dir;
    write(dir.file("migration.up.sql.mustache"), "-- custom {{slug}}\n");
    const advisor::TemplateSet templates(dir.path.string());
    const auto plan = advisor::plan_migration(findings_for(schema), {});
    const auto files = advisor::render_sql_migration(plan, dir.path.string(), templates);
    REQUIRE(files.size() == 2);
    CHECK(files[0].content == "-- custom add_indexes_comments\n");
    CHECK(files[1].content.find("DROP INDEX CONCURRENTLY IF EXISTS public.ix_comments_post_id;") !=
          std::string::npos);
    CHECK_THROWS_AS(advisor::TemplateSet(dir.file("nope")), advisor::InputError);
}

TEST_CASE("a template that does not parse is an error naming the file") {
    TempDir dir;
    write(dir.file("report.md.mustache"), "{{#open}} never closed\n");
    const advisor::TemplateSet templates(dir.path.string());
    CHECK_THROWS_WITH_AS(templates.render("report.md.mustache", nlohmann::json::object()),
                         doctest::Contains("report.md.mustache"), advisor::InputError);
}

TEST_CASE("the SQL migration creates each index once, concurrently, and drops only with "
          "--include-drops") {
    const auto findings = findings_for(schema);
    const auto plan = advisor::plan_migration(findings, {});
    REQUIRE(plan.creates.size() == 2);
    CHECK(plan.drops.empty());
    CHECK(plan.slug == "add_indexes_comments");
    TempDir dir;
    const auto files =
        advisor::render_sql_migration(plan, dir.path.string(), advisor::TemplateSet());
    CHECK(fs::path(files[0].path).filename() == "0001_add_indexes_comments.up.sql");
    const std::string& up = files[0].content;
    CHECK(up.find("SET lock_timeout = '5s';") != std::string::npos);
    CHECK(up.find("outside a transaction block") != std::string::npos);
    CHECK(up.find("-- answers unindexed-foreign-key public.comments (parent_id)\n") !=
          std::string::npos);
    CHECK(
        up.find("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_comments_parent_id ON public.comments "
                "(parent_id);\n") != std::string::npos);
    CHECK(up.find("\nDROP INDEX") == std::string::npos);

    advisor::MigrationOptions with_drops;
    with_drops.include_drops = true;
    const auto drop_plan = advisor::plan_migration(findings, with_drops);
    REQUIRE(drop_plan.drops.size() == 1);
    const auto drop_files =
        advisor::render_sql_migration(drop_plan, dir.path.string(), advisor::TemplateSet());
    const std::string& up_with_drops = drop_files[0].content;
    const auto create_at = up_with_drops.find("\nCREATE INDEX CONCURRENTLY");
    const auto drop_at =
        up_with_drops.find("\nDROP INDEX CONCURRENTLY IF EXISTS public.comments_id_copy;");
    REQUIRE(drop_at != std::string::npos);
    CHECK(create_at < drop_at); // drops come after the creates that supersede them
    CHECK(drop_files[1].content.find("CREATE INDEX CONCURRENTLY IF NOT EXISTS comments_id_copy ON "
                                     "public.comments (id);") != std::string::npos);
}

TEST_CASE("the same index asked for by two findings appears once in the migration") {
    auto findings = findings_for(schema);
    const auto first_create = std::find_if(findings.begin(), findings.end(), [](const auto& f) {
        return f.fix.create_index.has_value();
    });
    REQUIRE(first_create != findings.end());
    advisor::Finding twin = *first_create;
    twin.rule = "missing-index";
    findings.push_back(twin);
    const auto plan = advisor::plan_migration(findings, {});
    CHECK(plan.creates.size() == 2);
    bool merged = false;
    for (const auto& planned : plan.creates) {
        merged = merged || planned.findings.size() == 2;
    }
    CHECK(merged);
}

TEST_CASE("SQL migrations are numbered one past the highest NNNN_ prefix in the directory") {
    TempDir dir;
    CHECK(advisor::next_sql_migration_number(dir.path.string()) == 1);
    write(dir.file("0003_a.up.sql"), "");
    write(dir.file("0012_b.down.sql"), "");
    write(dir.file("notes.txt"), "");
    write(dir.file("20240101_c.sql"), "");
    CHECK(advisor::next_sql_migration_number(dir.path.string()) == 20240102);
    fs::remove(dir.file("20240101_c.sql"));
    CHECK(advisor::next_sql_migration_number(dir.path.string()) == 13);
}

TEST_CASE("the Alembic head is the revision no other revision revises") {
    TempDir dir;
    write(dir.file("a_base.py"),
          "\"\"\"base\n\nRevision ID: aaa\n\"\"\"\nrevision = 'aaa'\ndown_revision = None\n");
    write(dir.file("b_next.py"),
          "revision: str = \"bbb\"\ndown_revision: Union[str, None] = 'aaa'\n");
    CHECK(advisor::alembic_head(dir.path.string(), std::nullopt) ==
          std::optional<std::string>("bbb"));
    write(dir.file("c_branch.py"), "revision = 'ccc'\ndown_revision = 'aaa'\n");
    CHECK_THROWS_WITH_AS(advisor::alembic_head(dir.path.string(), std::nullopt),
                         doctest::Contains("several Alembic heads (bbb, ccc)"),
                         advisor::UsageError);
    CHECK(advisor::alembic_head(dir.path.string(), std::string("ccc")) ==
          std::optional<std::string>("ccc"));
    CHECK_THROWS_AS(advisor::alembic_head(dir.path.string(), std::string("zzz")),
                    advisor::UsageError);
    write(dir.file("d_merge.py"), "revision = 'ddd'\ndown_revision = ('bbb', 'ccc')\n");
    CHECK(advisor::alembic_head(dir.path.string(), std::nullopt) ==
          std::optional<std::string>("ddd"));
}

TEST_CASE("the Alembic revision id comes from the content: same inputs, same file") {
    TempDir dir;
    const auto plan = advisor::plan_migration(findings_for(schema), {});
    advisor::AlembicOptions options;
    options.create_date = "2026-11-02 09:15:01";
    const auto first =
        advisor::render_alembic_revision(plan, dir.path.string(), advisor::TemplateSet(), options);
    const auto second =
        advisor::render_alembic_revision(plan, dir.path.string(), advisor::TemplateSet(), options);
    CHECK(first.path == second.path);
    CHECK(first.content == second.content);
    CHECK(first.content.find("Create Date: 2026-11-02 09:15:01") != std::string::npos);
    CHECK(first.content.find("with op.get_context().autocommit_block():") != std::string::npos);
    CHECK(first.content.find("postgresql_concurrently=True") != std::string::npos);
    options.create_date = "2026-11-03 00:00:00";
    const auto other =
        advisor::render_alembic_revision(plan, dir.path.string(), advisor::TemplateSet(), options);
    CHECK(other.path != first.path);
}

TEST_CASE("for a SQLite target the same templates emit no CONCURRENTLY, sqlite_where, no "
          "autocommit block") {
    advisor::MigrationOptions options;
    options.dialect = "sqlite";
    const auto plan = advisor::plan_migration(
        findings_for(
            "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p_id int REFERENCES p);"),
        options);
    TempDir dir;
    const auto files =
        advisor::render_sql_migration(plan, dir.path.string(), advisor::TemplateSet());
    CHECK(files[0].content.find("CREATE INDEX IF NOT EXISTS ix_c_p_id ON c (p_id);") !=
          std::string::npos);
    CHECK(files[0].content.find("CONCURRENTLY") == std::string::npos);
    CHECK(files[0].content.find("lock_timeout") == std::string::npos);
    CHECK(files[1].content.find("DROP INDEX IF EXISTS ix_c_p_id;") != std::string::npos);
    advisor::MigrationPlan partial = plan;
    partial.creates[0].index.where = "p_id IS NOT NULL";
    const auto revision =
        advisor::render_alembic_revision(partial, dir.path.string(), advisor::TemplateSet(), {});
    CHECK(revision.content.find("autocommit_block") == std::string::npos);
    CHECK(revision.content.find("sqlite_where=sa.text('p_id IS NOT NULL')") != std::string::npos);
    CHECK(revision.content.find("postgresql_") == std::string::npos);
}

TEST_CASE("outputs are written whole, and an existing file is kept without force") {
    TempDir dir;
    const std::string path = dir.file("report.md");
    advisor::write_file_atomically(path, "first", false);
    CHECK_THROWS_WITH_AS(advisor::write_file_atomically(path, "second", false),
                         doctest::Contains("exists already"), advisor::InputError);
    CHECK(read(path) == "first");
    advisor::write_file_atomically(path, "second", true);
    CHECK(read(path) == "second");
    for (const auto& entry : fs::directory_iterator(dir.path)) {
        CHECK(entry.path().filename() == "report.md"); // no temp file left behind
    }
}

TEST_CASE("the Markdown report stays under the limit by cutting the lowest findings, with a note") {
    std::string ddl = "CREATE TABLE p (id int PRIMARY KEY);";
    for (int i = 0; i < 60; ++i) {
        ddl += "CREATE TABLE c" + std::to_string(i) + " (p_id int REFERENCES p);";
    }
    const auto findings = findings_for(ddl);
    REQUIRE(findings.size() == 60);
    const advisor::ReportSummary summary{61, 1, 0, 0, 0};
    const std::string full = advisor::render_markdown(findings, summary, advisor::TemplateSet());
    CHECK(full.find("lower-ranked findings are left out") == std::string::npos);
    const std::string cut =
        advisor::render_markdown(findings, summary, advisor::TemplateSet(), full.size() / 2);
    CHECK(cut.size() <= full.size() / 2);
    CHECK(cut.find("lower-ranked findings are left out") != std::string::npos);
    CHECK(cut.find("| 1 | `unindexed-foreign-key`") != std::string::npos);
}

TEST_CASE("the SARIF report is JSON with one rule per rule id and stable fingerprints") {
    auto findings = findings_for(schema);
    for (auto& finding : findings) {
        finding.location = {"db/structure.sql", 12};
        finding.message += " \"quoted\"\tand\\escaped";
    }
    const std::string sarif = advisor::render_sarif(findings, advisor::TemplateSet());
    const auto json = nlohmann::json::parse(sarif);
    CHECK(json["version"] == "2.1.0");
    const auto& run = json["runs"][0];
    CHECK(run["tool"]["driver"]["rules"].size() == advisor::all_rules().size());
    REQUIRE(run["results"].size() == findings.size());
    CHECK(run["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 12);
    CHECK(run["results"][0]["message"]["text"].get<std::string>() == findings[0].message);
    CHECK(run["results"][0]["partialFingerprints"]["schemaAdvisorFinding/v1"] ==
          advisor::finding_key(findings[0]));
}
