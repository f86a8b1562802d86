// advise --verify: SQLite's own planner asked whether it would use each proposed index.
//
// The schema (catalog.sqlite_schema: its CREATE statements as SQLite stored them, and the
// sqlite_stat1 rows of an ANALYZEd .db) is rebuilt in an in-memory SQLite database: no data, no
// file. For each finding whose fix creates an index (missing-index, unindexed-foreign-key), each
// of its queries is planned with EXPLAIN QUERY PLAN, then the index is created (inside a savepoint,
// rolled back after, so findings never see each other's indexes) and the query planned again. A
// query's plan uses the index when SQLite searches it (SEARCH t USING [COVERING] INDEX ix
// (col=?)), or scans it in order in place of a sort (SCAN t USING INDEX ix, one USE TEMP B-TREE
// FOR ORDER BY fewer than before); a scan of the whole index for nothing else (SCAN t USING
// COVERING INDEX ix: the table's rows read end to end from a narrower copy) is not a use.
//
// The queries planned are the finding's evidence: each shape's first example (the logged
// statement with its logged values in place, as the report shows it), else the shape's
// normalized text with its `$n` left unbound (SQLite plans an unbound parameter as an unknown
// value). An unindexed-foreign-key finding adds the look-up SQLite's foreign key enforcement makes
// for every parent row deleted or key updated (https://www.sqlite.org/foreignkeys.html#fk_indexes:
// "SELECT rowid FROM child WHERE childkey = ?"), written `SELECT 1 FROM child WHERE ... = ?`.
//
// A finding is verified when the planner uses the index for at least one of its queries. The
// others (the planner ignores the index, SQLite cannot plan any query or rejects the index) are
// dropped with a note, or kept with keep_unverified; every checked finding carries its plans.
// Findings without an index to create are passed through untouched.
#pragma once

#include "advisor/catalog.hpp"
#include "advisor/finding.hpp"
#include "advisor/planner_verify.hpp"

#include <string>
#include <vector>

namespace advisor {

struct Workload;

// `catalog.dialect` must be "sqlite" (the CLI refuses --verify otherwise). `workload` may be
// null (no log: only the foreign key checks are planned).
VerifyOutcome verify_with_sqlite_planner(std::vector<Finding> findings, const Catalog& catalog,
                                         const Workload* workload,
                                         const VerifyOptions& options = {});

} // namespace advisor
