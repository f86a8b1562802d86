// advise --verify: SQLite's planner asked about each proposed index, before and after it exists.
#include "advisor/render/findings_render.hpp"
#include "advisor/render/report_render.hpp"
#include "advisor/render/templates.hpp"
#include "advisor/sql_text.hpp"
#include "advisor/sqlite_verify.hpp"
#include "parsers/sqlite_query.hpp"
#include "parsers/sqlite_schema.hpp"
#include "rules/workload_rule_support.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <filesystem>
#include <unistd.h>

using advisor::Catalog;
using advisor::Finding;
using advisor::verify_with_sqlite_planner;

namespace {

const std::string notes_schema = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
                                 "CREATE TABLE notes (\n"
                                 "  id INTEGER PRIMARY KEY,\n"
                                 "  user_id INTEGER NOT NULL REFERENCES users (id),\n"
                                 "  title TEXT NOT NULL,\n"
                                 "  updated_at DATETIME\n"
                                 ");\n"
                                 "CREATE TABLE tags (\n"
                                 "  id INTEGER PRIMARY KEY,\n"
                                 "  user_id INTEGER NOT NULL REFERENCES users (id),\n"
                                 "  name TEXT NOT NULL\n"
                                 ");\n"
                                 "CREATE INDEX ix_tags_name ON tags (name);\n"
                                 "CREATE INDEX ix_notes_user_id ON notes (user_id);\n";

// Statements as the SQLAlchemy reader hands them over: SQLite text read for libpg_query.
std::string from_sqlite(const std::string& sql) {
    return parsers::sqlite_query_for_postgres(sql).text;
}

std::vector<Finding> findings_of(const Catalog& catalog, const advisor::Workload* workload) {
    std::vector<Finding> findings;
    if (workload == nullptr) {
        advisor::AnalysisContext context{catalog, nullptr, {}};
        return advisor::run_rules(context, {});
    }
    const auto facts = advisor::extract_shape_facts(*workload, catalog);
    advisor::AnalysisContext context{catalog, workload, {}};
    context.facts = &facts;
    return advisor::run_rules(context, {});
}

const Finding* find(const std::vector<Finding>& findings, const std::string& rule,
                    const std::string& table) {
    for (const auto& finding : findings) {
        if (finding.rule == rule && finding.table == table) {
            return &finding;
        }
    }
    return nullptr;
}

// A temporary SQLite database file, removed when the test ends.
class TempDatabase {
public:
    explicit TempDatabase(const std::string& sql) {
        static int counter = 0;
        path_ = (std::filesystem::temp_directory_path() /
                 ("schema-advisor-verify-" + std::to_string(::getpid()) + "-" +
                  std::to_string(++counter) + ".db"))
                    .string();
        SQLite::Database db(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec(sql);
    }
    ~TempDatabase() { std::filesystem::remove(path_); }
    TempDatabase(const TempDatabase&) = delete;
    TempDatabase& operator=(const TempDatabase&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// A missing-index finding made by hand: `columns` of `table`, with one logged query.
Finding proposal(const std::string& table, const std::vector<std::string>& columns,
                 const std::string& query) {
    Finding finding;
    finding.rule = "missing-index";
    finding.table = table;
    finding.columns = columns;
    advisor::IndexSpec spec;
    spec.name = advisor::index_name_for(table, columns);
    spec.table = table;
    for (const auto& column : columns) {
        advisor::IndexKey key;
        key.column = column;
        spec.keys.push_back(key);
    }
    finding.fix.create_index = spec;
    finding.queries.push_back({"0123456789abcdef", 10, 5.0, query});
    return finding;
}

} // namespace

TEST_CASE("a proposal SQLite's planner uses is verified: SCAN before, SEARCH USING INDEX after") {
    const Catalog catalog = parsers::read_sqlite_ddl(notes_schema);
    const auto workload = rule_test::workload_of(
        {{from_sqlite("SELECT tags.id, tags.name FROM tags WHERE tags.user_id = 7"), 20, 40.0}});
    auto findings = findings_of(catalog, &workload);
    REQUIRE(find(findings, "missing-index", "main.tags") != nullptr);

    const auto outcome = verify_with_sqlite_planner(findings, catalog, &workload);
    const Finding* finding = find(outcome.findings, "missing-index", "main.tags");
    REQUIRE(finding != nullptr);
    REQUIRE(finding->verification);
    const auto& verification = *finding->verification;
    CHECK(verification.verified);
    CHECK(verification.engine.starts_with("SQLite 3."));
    CHECK(verification.index == "ix_tags_user_id");
    REQUIRE(verification.plans.size() == 1);
    const auto& plan = verification.plans[0];
    CHECK(plan.source == "log");
    CHECK(plan.fingerprint == workload.shapes[0].fingerprint);
    CHECK(plan.query == "SELECT tags.id, tags.name FROM tags WHERE tags.user_id = 7");
    CHECK(plan.before == std::vector<std::string>{"SCAN tags"});
    CHECK(plan.after ==
          std::vector<std::string>{"SEARCH tags USING INDEX ix_tags_user_id (user_id=?)"});
    CHECK(plan.uses_index);
    CHECK(outcome.notes.empty());
}

TEST_CASE("a proposal the planner ignores is dropped with a note, or kept with keep_unverified") {
    // LIKE is case-insensitive in SQLite, so a b-tree in the BINARY collation cannot serve
    // `title LIKE 'ab%'` (https://www.sqlite.org/optoverview.html#the_like_optimization).
    const Catalog catalog = parsers::read_sqlite_ddl(notes_schema);
    const auto workload = rule_test::workload_of(
        {{from_sqlite("SELECT notes.id FROM notes WHERE notes.title LIKE 'ab%'"), 20, 40.0}});
    const auto findings = findings_of(catalog, &workload);
    const Finding* like = find(findings, "missing-index", "main.notes");
    REQUIRE(like != nullptr);
    CHECK(like->columns == std::vector<std::string>{"title"});

    const auto dropped = verify_with_sqlite_planner(findings, catalog, &workload);
    CHECK(find(dropped.findings, "missing-index", "main.notes") == nullptr);
    REQUIRE(dropped.notes.size() == 1);
    // With the index, SQLite reads the whole of it instead of the table (it holds every column
    // the query needs): still a full scan, not a use of the index.
    CHECK(dropped.notes[0] == "--verify: dropped missing-index main.notes (title): SQLite's "
                              "planner does not use ix_notes_title for any of its 1 query (with "
                              "the index: SCAN notes USING COVERING INDEX ix_notes_title)");

    const auto kept = verify_with_sqlite_planner(findings, catalog, &workload, {true});
    const Finding* finding = find(kept.findings, "missing-index", "main.notes");
    REQUIRE(finding != nullptr);
    REQUIRE(finding->verification);
    CHECK_FALSE(finding->verification->verified);
    CHECK(finding->verification->plans.at(0).before == std::vector<std::string>{"SCAN notes"});
    CHECK_FALSE(finding->verification->plans.at(0).uses_index);
    REQUIRE_FALSE(finding->details.empty());
    CHECK(finding->details.back().starts_with("not verified: SQLite's planner does not use"));
    CHECK(kept.notes.at(0).starts_with("--verify: kept unverified (--keep-unverified)"));
}

TEST_CASE("an unindexed foreign key is checked with the look-up SQLite's enforcement makes") {
    const Catalog catalog = parsers::read_sqlite_ddl(notes_schema);
    const auto outcome =
        verify_with_sqlite_planner(findings_of(catalog, nullptr), catalog, nullptr);
    const Finding* finding = find(outcome.findings, "unindexed-foreign-key", "main.tags");
    REQUIRE(finding != nullptr);
    REQUIRE(finding->verification);
    CHECK(finding->verification->verified);
    REQUIRE(finding->verification->plans.size() == 1);
    const auto& plan = finding->verification->plans[0];
    CHECK(plan.source == "foreign_key_check");
    CHECK(plan.fingerprint.empty());
    CHECK(plan.query == "SELECT 1 FROM \"tags\" WHERE \"user_id\" = ?");
    CHECK(plan.before == std::vector<std::string>{"SCAN tags"});
    CHECK(plan.after ==
          std::vector<std::string>{"SEARCH tags USING COVERING INDEX ix_tags_user_id (user_id=?)"});
    // notes.user_id is indexed: no finding, nothing planned.
    CHECK(find(outcome.findings, "unindexed-foreign-key", "main.notes") == nullptr);
}

TEST_CASE("an index scanned in order in place of a sort is a use; a whole-index scan is not") {
    const Catalog catalog = parsers::read_sqlite_ddl(notes_schema);
    const auto sorted = verify_with_sqlite_planner(
        {proposal("main.notes", {"updated_at"},
                  "SELECT * FROM notes ORDER BY updated_at DESC LIMIT 10")},
        catalog, nullptr);
    REQUIRE(sorted.findings.size() == 1);
    const auto& plan = sorted.findings[0].verification->plans.at(0);
    CHECK(plan.before == std::vector<std::string>{"SCAN notes", "USE TEMP B-TREE FOR ORDER BY"});
    CHECK(plan.after == std::vector<std::string>{"SCAN notes USING INDEX ix_notes_updated_at"});
    CHECK(plan.uses_index);

    const auto covering = verify_with_sqlite_planner(
        {proposal("main.notes", {"title"}, "SELECT id FROM notes WHERE title LIKE 'ab%'")}, catalog,
        nullptr, {true});
    CHECK(covering.findings.at(0).verification->plans.at(0).after ==
          std::vector<std::string>{"SCAN notes USING COVERING INDEX ix_notes_title"});
    CHECK_FALSE(covering.findings.at(0).verification->verified);
}

TEST_CASE("sqlite_stat1 rows of an ANALYZEd .db steer the planner's choice") {
    // With no statistics SQLite prefers the newer index; sqlite_stat1 saying `a` is nearly
    // unique (1 row per value) makes it keep ix_t_a, so an index on b would never be used.
    const std::string schema = "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER);\n"
                               "CREATE INDEX ix_t_a ON t (a);\n";
    const TempDatabase analyzed(schema + "ANALYZE;\n"
                                         "INSERT INTO sqlite_stat1 VALUES ('t', 'ix_t_a', "
                                         "'1000000 1'), ('t', NULL, '1000000');\n");
    const TempDatabase plain(schema);
    Catalog with_stats;
    parsers::read_sqlite_database(analyzed.path(), with_stats);
    Catalog without_stats;
    parsers::read_sqlite_database(plain.path(), without_stats);
    REQUIRE(with_stats.sqlite_schema.stat1.size() == 2);
    CHECK(with_stats.sqlite_schema.stat1[0].table == "t");
    CHECK_FALSE(with_stats.sqlite_schema.stat1[0].index);
    CHECK(with_stats.sqlite_schema.stat1[0].stat == "1000000");
    CHECK(*with_stats.sqlite_schema.stat1[1].index == "ix_t_a");
    CHECK(without_stats.sqlite_schema.stat1.empty());

    const Finding on_b = proposal("main.t", {"b"}, "SELECT * FROM t WHERE a = 1 AND b = 2");
    const auto unverified = verify_with_sqlite_planner({on_b}, with_stats, nullptr);
    CHECK(unverified.findings.empty());
    REQUIRE(unverified.notes.size() == 1);
    CHECK(unverified.notes[0].find("SEARCH t USING INDEX ix_t_a (a=?)") != std::string::npos);

    const auto verified = verify_with_sqlite_planner({on_b}, without_stats, nullptr);
    REQUIRE(verified.findings.size() == 1);
    CHECK(verified.findings[0].verification->plans.at(0).after ==
          std::vector<std::string>{"SEARCH t USING INDEX ix_t_b (b=?)"});
}

TEST_CASE("each finding is planned against the schema alone, never with another's index") {
    const Catalog catalog = parsers::read_sqlite_ddl(notes_schema);
    const std::string query = "SELECT * FROM notes WHERE updated_at > '2026-01-01'";
    const auto outcome =
        verify_with_sqlite_planner({proposal("main.notes", {"updated_at"}, query),
                                    proposal("main.notes", {"updated_at", "id"}, query)},
                                   catalog, nullptr);
    REQUIRE(outcome.findings.size() == 2);
    for (const auto& finding : outcome.findings) {
        CHECK(finding.verification->plans.at(0).before == std::vector<std::string>{"SCAN notes"});
        CHECK(finding.verification->verified);
    }
}

TEST_CASE("the planner's copy holds views and virtual tables, and stays in memory") {
    const Catalog catalog = parsers::read_sqlite_ddl(
        notes_schema + "CREATE VIEW recent AS SELECT * FROM notes WHERE updated_at > '2026';\n"
                       "CREATE VIRTUAL TABLE notes_fts USING fts5(title);\n");
    CHECK(catalog.sqlite_schema.objects.size() >= 7); // shadow tables of fts5 included
    const auto outcome = verify_with_sqlite_planner(
        {proposal("main.notes", {"updated_at"}, "SELECT * FROM recent")}, catalog, nullptr);
    CHECK(outcome.notes.empty()); // every object rebuilt
    REQUIRE(outcome.findings.size() == 1);
    CHECK(outcome.findings[0].verification->plans.at(0).after.at(0) ==
          "SEARCH notes USING INDEX ix_notes_updated_at (updated_at>?)");

    // A logged ATTACH is planned, never run: the planner's database opens no file.
    const auto attach = verify_with_sqlite_planner(
        {proposal("main.notes", {"title"}, "ATTACH 'x.db' AS x")}, catalog, nullptr);
    CHECK(attach.findings.empty());
    CHECK_FALSE(std::filesystem::exists("x.db"));
}

TEST_CASE("a query SQLite cannot plan, or an index it rejects, leaves the finding unverified") {
    const Catalog catalog = parsers::read_sqlite_ddl(notes_schema);
    const auto unplannable = verify_with_sqlite_planner(
        {proposal("main.notes", {"title"}, "SELECT * FROM missing_table WHERE a = 1")}, catalog,
        nullptr, {true});
    REQUIRE(unplannable.findings.size() == 1);
    const auto& plan = unplannable.findings[0].verification->plans.at(0);
    CHECK(plan.error == "SQLite cannot plan it: no such table: missing_table");
    CHECK(unplannable.notes.at(0).find("SQLite cannot plan any of its queries") !=
          std::string::npos);

    Finding expression = proposal("main.notes", {"title"}, "SELECT * FROM notes WHERE title = 'x'");
    expression.fix.create_index->keys[0].column.clear();
    expression.fix.create_index->keys[0].expression = "no_such_function(title)";
    const auto rejected = verify_with_sqlite_planner({expression}, catalog, nullptr, {true});
    REQUIRE(rejected.findings.size() == 1);
    CHECK(rejected.findings[0].verification->error.starts_with("SQLite rejects the index: "));
}

TEST_CASE("findings that create no index pass through untouched") {
    Finding redundant;
    redundant.rule = "redundant-index";
    redundant.table = "main.notes";
    redundant.index = "ix_notes_user_id";
    const auto outcome =
        verify_with_sqlite_planner({redundant}, parsers::read_sqlite_ddl(notes_schema), nullptr);
    REQUIRE(outcome.findings.size() == 1);
    CHECK_FALSE(outcome.findings[0].verification);
}

TEST_CASE("reports show the plans: JSON evidence.verification, text and Markdown") {
    const Catalog catalog = parsers::read_sqlite_ddl(notes_schema);
    const auto outcome = verify_with_sqlite_planner(
        {proposal("main.tags", {"user_id"}, "SELECT * FROM tags WHERE user_id = 3")}, catalog,
        nullptr);
    REQUIRE(outcome.findings.size() == 1);
    const auto json = advisor::finding_to_json(outcome.findings[0]);
    const auto& verification = json["evidence"]["verification"];
    CHECK(verification["verified"] == true);
    CHECK(verification["index"] == "ix_tags_user_id");
    CHECK(verification["plans"][0]["source"] == "log");
    CHECK(verification["plans"][0]["before"][0] == "SCAN tags");
    CHECK(verification["plans"][0]["after"][0] ==
          "SEARCH tags USING INDEX ix_tags_user_id (user_id=?)");
    CHECK_FALSE(verification["plans"][0].contains("error"));

    const advisor::ReportSummary summary = advisor::summarize(catalog);
    const std::string text = advisor::findings_to_text(outcome.findings, summary);
    CHECK(text.find("verified: SQLite 3.") != std::string::npos);
    CHECK(text.find("before: SCAN tags\n") != std::string::npos);
    CHECK(text.find("after:  SEARCH tags USING INDEX ix_tags_user_id (user_id=?)\n") !=
          std::string::npos);

    const advisor::TemplateSet templates("");
    const std::string markdown = advisor::render_markdown(outcome.findings, summary, templates);
    CHECK(markdown.find("**Verified** by SQLite 3.") != std::string::npos);
    CHECK(markdown.find("| query `0123456789abcdef` | `SCAN tags` | `SEARCH tags USING INDEX "
                        "ix_tags_user_id (user_id=?)` | yes |") != std::string::npos);

    // Without --verify nothing of this appears (the JSON contract is unchanged).
    Finding plain = outcome.findings[0];
    plain.verification.reset();
    CHECK_FALSE(advisor::finding_to_json(plain)["evidence"].contains("verification"));
}
