// A finding: what a rule reports. Plain data that renderers (text, json, markdown, sarif) and
// migration writers read; rules build them and never print.
#pragma once

#include "advisor/catalog.hpp"

#include <optional>
#include <string>
#include <vector>

namespace advisor {

enum class Severity { low = 0, medium = 1, high = 2 };

const char* to_string(Severity severity);
std::optional<Severity> parse_severity(const std::string& text);

// An index to create (or, for redundant/unused findings, the one to drop).
struct IndexSpec {
    std::string name;
    std::string table; // schema-qualified
    std::vector<IndexKey> keys;
    std::string method = "btree";
    bool unique = false;
    std::optional<std::string> where;
    std::vector<std::string> include;

    std::vector<std::string> columns() const; // key texts: column names or expressions
};

// The spec that recreates an existing index.
IndexSpec spec_of(const Index& index);

// One query shape a finding is about.
struct QueryEvidence {
    std::string fingerprint;
    long long calls = 0;
    double total_ms = 0;
    std::string example;
};

struct Fix {
    std::optional<IndexSpec> create_index; // index to create (missing-index, unindexed-fk)
    std::optional<IndexSpec> drop_index;   // index to drop (redundant-index, unused-index)
    std::string sql_up;
    std::string sql_down;
    std::string sqlalchemy;
    std::string note; // a fix that is a recipe rather than SQL (partitioned tables)
};

// A planner asked about one query before and after the fix's index exists (advise --verify):
// SQLite's EXPLAIN QUERY PLAN on a SQLite schema (advisor/sqlite_verify.hpp), PostgreSQL's
// EXPLAIN with a HypoPG hypothetical index on a live database (advisor/pg_verify.hpp).
struct QueryPlanCheck {
    std::string source;              // "log" (a logged query shape) or "foreign_key_check"
    std::string fingerprint;         // the shape's; "" for the foreign key check
    std::string query;               // the SQL the planner planned
    std::vector<std::string> before; // SQLite: EXPLAIN QUERY PLAN detail lines, in its order;
    std::vector<std::string> after;  // PostgreSQL: plan nodes, one line each, depth-first
    bool uses_index = false;         // the planner reads the index (see each verifier)
    std::string error; // the planner could not plan the query (before/after are then empty)
    // PostgreSQL only: the plans' Total Cost (the planner's units: costsize.c), how many calls
    // weigh it in the workload cost, and whether `$n` without logged values was planned as a
    // generic plan.
    std::optional<double> cost_before;
    std::optional<double> cost_after;
    long long calls = 0;
    bool generic_plan = false;
};

struct PlannerVerification {
    std::string engine;    // "SQLite 3.40.1", "PostgreSQL 15.4"
    std::string index;     // the index created for the "after" plans
    bool verified = false; // the planner uses the index (and, on PostgreSQL, the cost drops)
    std::vector<QueryPlanCheck> plans;
    std::string error; // the planner rejected the index itself, or cannot simulate it
    // PostgreSQL only: calls-weighted sums of the plans' costs over the queries planned both
    // ways; and false when HypoPG cannot simulate the index at all (GIN, GiST: kept, marked).
    std::optional<double> workload_cost_before;
    std::optional<double> workload_cost_after;
    bool verifiable = true;
};

struct Finding {
    std::string rule;
    Severity severity = Severity::low;
    std::string table; // schema-qualified
    std::vector<std::string> columns;
    std::string index; // the index a finding is about (redundant-index, unused-index)
    std::string message;
    std::vector<std::string> details; // further evidence, one line each
    std::vector<QueryEvidence> queries;
    Fix fix;
    double time_saved_ms = 0;                        // estimate, for ordering
    SourceLocation location;                         // where the table or index is declared
    std::optional<PlannerVerification> verification; // advise --verify only
};

// A stable identity for a finding across runs (SARIF partialFingerprints, --baseline): a hash of
// rule, table, columns and index, never of messages or timings.
std::string finding_key(const Finding& finding);

// A duration as findings' messages give it: "1234.5 ms".
std::string format_ms(double ms);

// Orders findings as design.md says: severity, then estimated time saved, then table, columns.
void sort_findings(std::vector<Finding>& findings);

} // namespace advisor
