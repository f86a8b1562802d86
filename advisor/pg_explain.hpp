// PostgreSQL's planner asked about one query, safely: what advise --verify --dsn sends to a live
// database for a logged text, and how it reads the answer.
//
// A logged text is only ever sent inside EXPLAIN without ANALYZE, so it is planned and never
// run, and only when libpg_query reads it as exactly one SELECT, INSERT, UPDATE, DELETE or MERGE
// (SELECT ... INTO, which creates a table, is refused too). The server is the second guard: the
// extended protocol takes one statement per message (parsers/live/pg_connection.hpp). Each
// EXPLAIN runs in its own BEGIN READ ONLY ... ROLLBACK, so even a function the planner evaluates
// while folding constants (an IMMUTABLE function called with constants) can neither write nor
// leave a setting changed behind it.
//
// A text with `$n` and no logged values is planned as a generic plan, the plan PostgreSQL caches
// for a prepared statement whatever its values: `EXPLAIN (GENERIC_PLAN)` on PostgreSQL 16 and
// later; before, the text is prepared (PQprepare: parsed, never executed), `plan_cache_mode =
// force_generic_plan` is set for the transaction, and `EXPLAIN EXECUTE` plans it with NULL for
// every parameter (a generic plan does not look at them; plancache.c, choose_custom_plan()).
#pragma once

#include "parsers/live/pg_connection.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace advisor {

// One plan, read from EXPLAIN (FORMAT JSON).
struct PgPlan {
    double total_cost = 0;            // the top node's Total Cost
    std::vector<std::string> lines;   // one per node, depth-first: "-> Index Scan using ix on t"
    std::vector<std::string> indexes; // every Index Name the plan reads, in plan order
};

// Why `text` is not sent to the server, or nullopt when it may be: not one statement (a second
// one, or none), not SQL libpg_query reads, or not a statement EXPLAIN plans without running
// (COPY, DDL, SET, ...).
std::optional<std::string> unexplainable_reason(const std::string& text);

// Whether the text holds parameter markers ($1): a generic plan is then needed.
bool has_parameters(const std::string& text);

// The nodes of an EXPLAIN (FORMAT JSON) document as lines; `renames` maps index names in the
// plan (a hypothetical index's "<13556>btree_t_a") to the names the report uses.
PgPlan read_explain_json(const std::string& json,
                         const std::map<std::string, std::string>& renames = {});

class PgPlanner {
public:
    // `hypopg_schema`: the schema HypoPG's functions live in (quoted as needed), "" without it.
    PgPlanner(parsers::live::Connection& connection, std::string hypopg_schema);

    // Plans one text (already checked by unexplainable_reason()); `generic` for `$n` without
    // values. Throws QueryError; the session is usable again afterwards.
    PgPlan explain(const std::string& text, bool generic,
                   const std::map<std::string, std::string>& renames = {});

    struct HypotheticalIndex {
        std::string oid;
        std::string name; // as HypoPG names it, "<13556>btree_t_a"
    };
    // hypopg_create_index(): exists for this session only, seen by its plans. Throws QueryError.
    HypotheticalIndex create_hypothetical_index(const std::string& create_index_sql);
    void drop_hypothetical_index(const HypotheticalIndex& index);
    // hypopg_reset(): every hypothetical index of the session gone.
    void reset_hypothetical_indexes();

    parsers::live::Connection& connection() { return connection_; }

private:
    void rollback();

    parsers::live::Connection& connection_;
    std::string hypopg_schema_;
};

} // namespace advisor
