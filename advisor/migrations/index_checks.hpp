// The SQL that makes a concurrent index build safe to rerun: PL/pgSQL `DO` blocks that stop a
// migration when an index it builds exists INVALID (one check before any change), when a build
// did not leave a valid index (after it), or when a drop left the index behind; and the
// lock_timeout value the session settings use. Plain SQL, no psql meta-commands, so that Squawk and
// every runner read the same statements (docs/templates.md, "Session settings and validity
// checks").
#pragma once

#include <string>
#include <vector>

namespace advisor {

// lock_timeout when --lock-timeout is not given.
inline constexpr const char* default_lock_timeout = "5s";

// Checks a --lock-timeout value as PostgreSQL reads a time setting: an integer, optionally
// followed by one of its units (us, ms, s, min, h, d; runtime-config's "Parameter Names and
// Values"). Throws UsageError otherwise.
std::string checked_lock_timeout(const std::string& value);

// An SQL string literal: single quotes, each `'` doubled (standard_conforming_strings is on).
std::string sql_literal(const std::string& text);

// An index that a migration builds, as the check before any change names it.
struct CheckedIndex {
    std::string schema;
    std::string name;
};

// The one DO block run before any change: finds every index of `indexes` that exists INVALID
// (a failed or cancelled CREATE INDEX CONCURRENTLY left it, and IF NOT EXISTS would skip it) and
// raises one error naming them all, with the DROP INDEX to run for each in its HINT. Empty for
// no indexes.
std::string invalid_indexes_check_sql(const std::vector<CheckedIndex>& indexes);
// The DO block run after a build: raises unless a valid index of that name exists.
std::string valid_index_check_sql(const std::string& schema, const std::string& name,
                                  bool concurrently = true);
// The DO block run after DROP INDEX: raises when an index of that name still exists (a cancelled
// DROP INDEX CONCURRENTLY leaves it INVALID).
std::string dropped_index_check_sql(const std::string& schema, const std::string& name,
                                    bool concurrently = true);

// Text for sqlalchemy.text(), which reads `:name` as a bind parameter: every colon its
// parameter pattern would take (not after a word character, `:` or `\`, followed by a word
// character, not part of `::`) is escaped as `\:` (SQLAlchemy's TextClause documentation).
std::string text_clause_escaped(const std::string& sql);

} // namespace advisor
