// Turns a migration plan into files: NNNN_<slug>.up.sql / .down.sql, or an Alembic revision
// chained after the head of an existing versions directory. Rendering is pure (content from
// plan + directory listing); writing is atomic and never overwrites without `force`.
#pragma once

#include "advisor/migrations/migration_plan.hpp"
#include "advisor/render/templates.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace advisor {

struct OutputFile {
    std::string path;
    std::string content;
};

// The next NNNN_ number in `dir`: one past the highest existing prefix, else 1.
int next_sql_migration_number(const std::string& dir);
std::vector<OutputFile> render_sql_migration(const MigrationPlan& plan, const std::string& dir,
                                             const TemplateSet& templates);

// --emit-sql-per-index: for runners that send a whole file as one query string (golang-migrate,
// dbmate, psql -c), where PostgreSQL runs several statements as one implicit transaction and
// refuses CREATE INDEX CONCURRENTLY: one statement per file. A first pair checks that no index
// the files build exists INVALID; then each index gets a pair that builds (or drops) it and a
// pair after it whose up file is its validity check (docs/templates.md).
std::vector<OutputFile> render_sql_migrations_per_index(const MigrationPlan& plan,
                                                        const std::string& dir,
                                                        const TemplateSet& templates);

struct AlembicRevisionInfo {
    std::string revision;
    std::vector<std::string> down_revisions; // empty for a base revision; several for a merge
    std::string file;
};

// Reads the revision files of an Alembic versions directory.
std::vector<AlembicRevisionInfo> read_alembic_revisions(const std::string& dir);
// The single head of those revisions (none for an empty directory). Several heads are an error
// unless `explicit_down_revision` names one.
std::optional<std::string> alembic_head(const std::string& dir,
                                        const std::optional<std::string>& explicit_down_revision);

struct AlembicOptions {
    std::optional<std::string> down_revision; // --down-revision
    std::string create_date;                  // --date, else the newest log timestamp
};

OutputFile render_alembic_revision(const MigrationPlan& plan, const std::string& dir,
                                   const TemplateSet& templates, const AlembicOptions& options);

// The line where `files` (rendered for `plan`) create or drop each planned index, by index
// name: the first .up.sql file holding its statement, else the Alembic revision's op.execute of
// it. Reports point there (SARIF relatedLocations, GitLab, GitHub).
std::map<std::string, SourceLocation> locate_fixes(const MigrationPlan& plan,
                                                   const std::vector<OutputFile>& files);

// Checks every path first, so that either all files are written or none is.
void write_output_files(const std::vector<OutputFile>& files, bool force);

} // namespace advisor
