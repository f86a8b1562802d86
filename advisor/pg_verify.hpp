// advise --verify --dsn: PostgreSQL's own planner, on the user's database (a staging copy with
// production-like statistics), asked whether it would use each proposed index.
//
// For each finding whose fix creates an index (missing-index, unindexed-foreign-key), each
// query it claims is planned with EXPLAIN (FORMAT JSON) (advisor/pg_explain.hpp: only EXPLAIN,
// never ANALYZE; one statement; read-only), then HypoPG's hypopg_create_index() makes the index
// exist for this session's planner only (no file, no lock, no write: https://hypopg.readthedocs.io)
// and the queries are planned again. Each plan records its Total Cost, its nodes and whether it
// reads the index. The queries are the finding's evidence: each shape's example (the logged text
// with its logged values), a generic plan for `$n` without values; an unindexed-foreign-key
// finding adds the look-up PostgreSQL's foreign key triggers run for each parent row deleted or
// key updated (ri_triggers.c, ri_restrict(): `SELECT 1 FROM ONLY child x WHERE $1 = col`, less
// its FOR KEY SHARE), weighted by the logged DELETEs of the parent table (at least one).
//
// A finding is verified when the planner uses the index for at least one of its queries and the
// calls-weighted cost of its queries, sum(calls * cost) over the queries planned both ways, drops
// by at least min_saving (10%: an index every write maintains should buy more than the noise of
// two estimates; Dexter asks 50% per query, its --min-cost-savings-pct). The others are dropped
// with a note, or kept with keep_unverified and marked. An index
// HypoPG cannot simulate (GIN, GiST, SP-GiST: trigram and JSON containment indexes) is kept and
// marked "not verifiable by HypoPG", never passed as verified.
//
// For a btree proposal whose leading keys are equality columns, the other orders of those keys
// (advisor/column_orders.hpp) are planned too; when one gives a calls-weighted cost at least 1%
// lower than the offline choice, the proposal takes the planner's order and says so.
//
// Errors on one query (EXPLAIN refused, a timeout, a lock not granted) are recorded on its plan
// and in a note naming its fingerprint; the run goes on. Every hypothetical index is gone when
// this returns (hypopg_reset()).
#pragma once

#include "advisor/catalog.hpp"
#include "advisor/finding.hpp"
#include "advisor/planner_verify.hpp"
#include "parsers/live/pg_connection.hpp"
#include "parsers/query_facts.hpp"

#include <string>
#include <vector>

namespace advisor {

struct Workload;

struct PgVerifyOptions {
    bool keep_unverified = false;
    bool create_extension = false; // CREATE EXTENSION hypopg when the database lacks it
    double timeout_s = 5;          // the session's statement_timeout, for messages
    double min_saving = 0.10;      // of the calls-weighted cost (--min-cost-saving, a fraction)
};

// What the server offers the verifier.
struct PgServer {
    std::string engine;        // "PostgreSQL 15.4"
    std::string hypopg_schema; // quoted as needed
    std::string hypopg_version;
};

// Checks the server: PostgreSQL 13 or later, HypoPG installed in the database (created first
// with options.create_extension, in a transaction of its own: the session is read-only). Throws
// parsers::live::DatabaseError saying what is missing and how to install it.
PgServer check_verify_server(parsers::live::Connection& connection, const PgVerifyOptions& options);

// `catalog.dialect` must be "postgresql". `workload` and `facts` (QueryFacts per ShapeId) may be
// null (no log: only foreign key checks are planned).
VerifyOutcome verify_with_postgres_planner(std::vector<Finding> findings, const Catalog& catalog,
                                           const Workload* workload,
                                           const std::vector<parsers::QueryFacts>* facts,
                                           parsers::live::Connection& connection,
                                           const PgServer& server, const PgVerifyOptions& options);

} // namespace advisor
