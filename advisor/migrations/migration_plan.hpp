// What a migration does, decided from the findings: the indexes to create (each once, however
// many findings ask for it) and, with --include-drops, the redundant indexes to drop after the
// creates that supersede them. The plan is plain data; the SQL and Alembic writers render it
// through templates, with the dialect as a template variable.
#pragma once

#include "advisor/finding.hpp"
#include "advisor/migrations/index_checks.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace advisor {

struct PlannedIndex {
    IndexSpec index;
    std::vector<std::string> findings; // "rule table (columns)" of each finding it answers
    std::string why;                   // the first finding's message
    std::string recipe_sql_up;         // partitioned tables: the per-partition recipe
    std::string recipe_sql_down;
    std::string recipe_note;
    std::string model_change; // the SQLAlchemy declaration to add or delete (fix.sqlalchemy)
};

struct MigrationPlan {
    std::string dialect = "postgresql"; // or "sqlite"
    std::vector<PlannedIndex> creates;
    std::vector<PlannedIndex> drops;
    std::vector<std::string> inputs;                 // schema and log files the findings came from
    std::string slug;                                // e.g. add_indexes_annotations_traces
    std::string title;                               // e.g. "add indexes on annotations, traces"
    std::string lock_timeout = default_lock_timeout; // SET lock_timeout (--lock-timeout)

    bool empty() const { return creates.empty() && drops.empty(); }
};

struct MigrationOptions {
    bool include_drops = false;
    std::string dialect = "postgresql";
    std::vector<std::string> inputs;
    std::string lock_timeout = default_lock_timeout;
};

MigrationPlan plan_migration(const std::vector<Finding>& findings, const MigrationOptions& options);

// The template data both writers share (documented in docs/templates.md).
nlohmann::json migration_template_data(const MigrationPlan& plan);

// Python string literal for a text (single quotes, backslash escapes), for Alembic files.
std::string python_string(const std::string& text);

} // namespace advisor
