#include "advisor/pg_verify.hpp"

#include "advisor/column_orders.hpp"
#include "advisor/index_fix.hpp"
#include "advisor/pg_explain.hpp"
#include "advisor/sql_text.hpp"
#include "advisor/workload.hpp"

#include <algorithm>
#include <cstdio>

namespace advisor {

using parsers::live::Connection;
using parsers::live::DatabaseError;
using parsers::live::QueryError;

namespace {

// HypoPG 1.3 simulates these access methods (and bloom, which no proposal uses); GIN, GiST and
// SP-GiST it refuses ("hypopg: access method "gin" is not supported").
bool hypopg_simulates(const IndexSpec& spec) {
    return spec.method == "btree" || spec.method == "hash" || spec.method == "brin";
}

// A different column order is taken when the planner finds it this much cheaper, so that
// rounding in two estimates of the same cost never flips a proposal.
constexpr double order_margin = 0.01;

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : separator) + item;
    }
    return text;
}

std::string format_cost(double cost) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.1f", cost);
    return buffer;
}

std::string format_seconds(double seconds) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%g s", seconds);
    return buffer;
}

std::string finding_label(const Finding& finding) {
    return finding.rule + " " + finding.table + " (" + join(finding.columns, ", ") + ")";
}

std::string query_label(const QueryPlanCheck& check) {
    return check.source == "log" ? "query " + check.fingerprint
                                 : std::string("the foreign key check");
}

std::string describe(const QueryError& error, const PgVerifyOptions& options) {
    if (error.canceled_by_timeout()) {
        return "EXPLAIN canceled by statement_timeout (" + format_seconds(options.timeout_s) +
               ", --verify-timeout)";
    }
    if (error.lock_not_available()) {
        return "EXPLAIN gave up waiting for a lock on its tables (lock_timeout 1 s): another "
               "session holds one";
    }
    return std::string("EXPLAIN failed: ") + error.what();
}

// One query a finding claims, as it will be planned.
struct QueryToPlan {
    QueryPlanCheck check;  // source, fingerprint, query, calls, generic_plan filled in
    std::string refused;   // why the text is not sent, "" when it is
    std::string statement; // "DELETE", "UPDATE", ... for a write: planned, never executed
};

const char* write_kind(const std::string& kind) {
    if (kind == "InsertStmt") {
        return "an INSERT";
    }
    if (kind == "UpdateStmt") {
        return "an UPDATE";
    }
    if (kind == "DeleteStmt") {
        return "a DELETE";
    }
    if (kind == "MergeStmt") {
        return "a MERGE";
    }
    return "";
}

// The calls that weigh the foreign key check: DELETEs of the referenced table in the log.
long long parent_deletes(const Workload* workload, const std::string& parent) {
    long long deletes = 0;
    for (std::size_t i = 0; workload != nullptr && i < workload->shapes.size(); ++i) {
        const QueryShape& shape = workload->shapes[i];
        if (shape.statement_kind == "DeleteStmt" &&
            std::find(shape.tables.begin(), shape.tables.end(), parent) != shape.tables.end()) {
            deletes += static_cast<long long>(shape.calls);
        }
    }
    return std::max(1LL, deletes);
}

// ri_triggers.c, ri_restrict(): the look-up each parent DELETE (or key UPDATE) makes in the
// referencing table; ONLY unless the table is partitioned. Without its FOR KEY SHARE OF x: the
// trigger runs as the table's owner, while EXPLAIN of a locking clause needs UPDATE privilege
// from a read-only role, and the lock (a LockRows node on top) does not change the scan.
std::string foreign_key_check_sql(const Catalog& catalog, const Finding& finding) {
    const Table* table = catalog.find_table(finding.table);
    const bool partitioned = table != nullptr && table->kind == TableKind::partitioned_table;
    std::string where;
    for (std::size_t i = 0; i < finding.columns.size(); ++i) {
        where += (i ? " AND $" : "$") + std::to_string(i + 1) + " = " +
                 quote_identifier(finding.columns[i]);
    }
    return "SELECT 1 FROM " + std::string(partitioned ? "" : "ONLY ") +
           quote_qualified(finding.table) + " x WHERE " + where;
}

std::string referenced_table(const Catalog& catalog, const Finding& finding) {
    if (const Table* table = catalog.find_table(finding.table)) {
        for (const auto& fk : table->foreign_keys) {
            if (fk.columns == finding.columns) {
                return fk.referenced_table;
            }
        }
    }
    return "";
}

std::vector<QueryToPlan> queries_of(const Finding& finding, const Catalog& catalog,
                                    const Workload* workload) {
    std::vector<QueryToPlan> queries;
    for (const auto& evidence : finding.queries) {
        const QueryShape* shape = workload ? workload->find(evidence.fingerprint) : nullptr;
        QueryToPlan query;
        query.check.source = "log";
        query.check.fingerprint = evidence.fingerprint;
        query.check.calls = std::max(1LL, evidence.calls);
        query.check.query = !evidence.example.empty() ? evidence.example
                            : shape != nullptr        ? shape->query
                                                      : "";
        if (query.check.query.empty()) {
            continue;
        }
        if (const auto reason = unexplainable_reason(query.check.query)) {
            query.refused = *reason;
        } else {
            query.check.generic_plan = has_parameters(query.check.query);
            query.statement = write_kind(shape != nullptr ? shape->statement_kind : "");
        }
        queries.push_back(std::move(query));
    }
    if (finding.rule == "unindexed-foreign-key" && !finding.columns.empty()) {
        QueryToPlan check;
        check.check.source = "foreign_key_check";
        check.check.query = foreign_key_check_sql(catalog, finding);
        check.check.generic_plan = true;
        check.check.calls = parent_deletes(workload, referenced_table(catalog, finding));
        queries.push_back(std::move(check));
    }
    return queries;
}

// The plans of one candidate index: the "before" plans given, the "after" ones made here.
struct Evaluation {
    IndexSpec spec;
    std::vector<QueryPlanCheck> plans;
    std::optional<double> cost_before;
    std::optional<double> cost_after;
    bool uses_index = false;
    std::string error;
    bool verifiable = true;

    // The planner uses the index and the calls-weighted cost drops by at least `min_saving`.
    bool improves(double min_saving) const {
        return uses_index && cost_before && cost_after && *cost_before > 0 &&
               *cost_after < *cost_before && 1 - *cost_after / *cost_before >= min_saving;
    }
};

Evaluation evaluate(PgPlanner& planner, const IndexSpec& spec,
                    const std::vector<QueryPlanCheck>& before, const PgVerifyOptions& options) {
    Evaluation evaluation;
    evaluation.spec = spec;
    evaluation.plans = before;
    PgPlanner::HypotheticalIndex index;
    try {
        index = planner.create_hypothetical_index(create_index_sql(spec, "postgresql"));
    } catch (const QueryError& e) {
        const std::string message = e.what();
        evaluation.verifiable = message.find("not supported") == std::string::npos;
        evaluation.error =
            (evaluation.verifiable ? "HypoPG rejects the index: " : "not verifiable by HypoPG: ") +
            message;
        return evaluation;
    }
    const std::map<std::string, std::string> renames = {{index.name, spec.name}};
    for (auto& check : evaluation.plans) {
        if (!check.error.empty()) {
            continue;
        }
        try {
            const PgPlan plan = planner.explain(check.query, check.generic_plan, renames);
            check.after = plan.lines;
            check.cost_after = plan.total_cost;
            check.uses_index = std::find(plan.indexes.begin(), plan.indexes.end(), index.name) !=
                               plan.indexes.end();
        } catch (const QueryError& e) {
            check.error = describe(e, options) + " (with the index)";
            continue;
        }
        evaluation.uses_index = evaluation.uses_index || check.uses_index;
        const double calls = static_cast<double>(check.calls);
        evaluation.cost_before = evaluation.cost_before.value_or(0) + calls * *check.cost_before;
        evaluation.cost_after = evaluation.cost_after.value_or(0) + calls * *check.cost_after;
    }
    try {
        planner.drop_hypothetical_index(index);
    } catch (const QueryError&) {
        // hypopg_reset() at the end removes it anyway.
    }
    return evaluation;
}

std::string percent(double fraction) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * fraction);
    return buffer;
}

std::string unverified_reason(const Evaluation& evaluation, const std::string& engine,
                              const PgVerifyOptions& options) {
    if (!evaluation.error.empty()) {
        return evaluation.error;
    }
    std::size_t planned = 0;
    for (const auto& check : evaluation.plans) {
        planned += check.error.empty() ? 1 : 0;
    }
    if (evaluation.plans.empty()) {
        return "no query of it to plan";
    }
    if (planned == 0) {
        return engine + " could not plan any of its queries (" + evaluation.plans.front().error +
               ")";
    }
    if (!evaluation.uses_index) {
        return engine + "'s planner does not use " + evaluation.spec.name + " for any of its " +
               std::to_string(planned) + (planned == 1 ? " query" : " queries");
    }
    const double before = evaluation.cost_before.value_or(0);
    const double after = evaluation.cost_after.value_or(0);
    if (after >= before) {
        return engine + "'s planner uses " + evaluation.spec.name +
               " but the calls-weighted cost does not drop (" + format_cost(before) + " -> " +
               format_cost(after) + ")";
    }
    return engine + "'s planner uses " + evaluation.spec.name + " but it saves only " +
           percent(1 - after / before) + " of the calls-weighted cost (" + format_cost(before) +
           " -> " + format_cost(after) + "), less than --min-cost-saving " +
           percent(options.min_saving);
}

PlannerVerification verification_of(const Evaluation& evaluation, const std::string& engine,
                                    const PgVerifyOptions& options) {
    PlannerVerification verification;
    verification.engine = engine;
    verification.index = evaluation.spec.name;
    verification.plans = evaluation.plans;
    verification.error = evaluation.error;
    verification.verifiable = evaluation.verifiable;
    verification.workload_cost_before = evaluation.cost_before;
    verification.workload_cost_after = evaluation.cost_after;
    verification.verified = evaluation.improves(options.min_saving);
    return verification;
}

std::string columns_text(const IndexSpec& spec) {
    return "(" + join(spec.columns(), ", ") + ")";
}

// The shapes' facts, for the column orders the planner is asked about.
std::vector<const parsers::QueryFacts*> facts_of(const Finding& finding, const Workload* workload,
                                                 const std::vector<parsers::QueryFacts>* facts) {
    std::vector<const parsers::QueryFacts*> found;
    if (workload == nullptr || facts == nullptr || workload->shapes.empty()) {
        return found;
    }
    for (const auto& evidence : finding.queries) {
        const QueryShape* shape = workload->find(evidence.fingerprint);
        if (shape == nullptr) {
            continue;
        }
        const auto id = static_cast<std::size_t>(shape - workload->shapes.data());
        if (id < facts->size()) {
            found.push_back(&(*facts)[id]);
        }
    }
    return found;
}

class Verifier {
public:
    Verifier(const Catalog& catalog, const Workload* workload,
             const std::vector<parsers::QueryFacts>* facts, Connection& connection,
             const PgServer& server, const PgVerifyOptions& options, VerifyOutcome& outcome)
        : catalog_(catalog), workload_(workload), facts_(facts),
          planner_(connection, server.hypopg_schema), server_(server), options_(options),
          outcome_(outcome) {}

    // Returns false when the finding is to be dropped.
    bool verify(Finding& finding) {
        const IndexSpec spec = *finding.fix.create_index;
        if (!hypopg_simulates(spec)) {
            mark_not_verifiable(finding, spec,
                                "not verifiable by HypoPG: it simulates btree, hash and BRIN "
                                "indexes, and this one is " +
                                    spec.method);
            return true;
        }
        ++outcome_.proposals;
        const std::vector<QueryToPlan> queries = queries_of(finding, catalog_, workload_);
        const std::vector<QueryPlanCheck> before = plan_before(finding, queries);
        const Evaluation offline = evaluate(planner_, spec, before, options_);
        if (!offline.verifiable) {
            --outcome_.proposals;
            mark_not_verifiable(finding, spec, offline.error);
            return true;
        }
        if (offline.cost_before) {
            ++outcome_.planned;
        }
        Evaluation chosen = offline;
        for (const auto& candidate :
             column_order_candidates(spec, facts_of(finding, workload_, facts_))) {
            Evaluation other = evaluate(planner_, candidate, before, options_);
            if (other.improves(options_.min_saving) && chosen.cost_after &&
                *other.cost_after < *chosen.cost_after * (1 - order_margin)) {
                chosen = std::move(other);
            }
        }
        if (chosen.spec.name != spec.name) {
            take_planner_order(finding, offline, chosen);
        }
        note_query_errors(finding, chosen.plans);
        finding.verification = verification_of(chosen, server_.engine, options_);
        if (finding.verification->verified) {
            return true;
        }
        const std::string reason = unverified_reason(chosen, server_.engine, options_);
        if (!options_.keep_unverified) {
            outcome_.notes.push_back("--verify: dropped " + finding_label(finding) + ": " + reason);
            return false;
        }
        outcome_.notes.push_back("--verify: kept unverified (--keep-unverified) " +
                                 finding_label(finding) + ": " + reason);
        finding.details.push_back("not verified: " + reason);
        return true;
    }

    void finish() {
        try {
            planner_.reset_hypothetical_indexes();
        } catch (const QueryError&) {
            // A lost session takes its hypothetical indexes with it.
        }
    }

private:
    std::vector<QueryPlanCheck> plan_before(const Finding& finding,
                                            const std::vector<QueryToPlan>& queries) {
        std::vector<QueryPlanCheck> checks;
        for (const auto& query : queries) {
            QueryPlanCheck check = query.check;
            if (!query.refused.empty()) {
                check.error = query.refused;
            } else {
                try {
                    const PgPlan plan = planner_.explain(check.query, check.generic_plan);
                    check.before = plan.lines;
                    check.cost_before = plan.total_cost;
                } catch (const QueryError& e) {
                    check.error = describe(e, options_);
                }
            }
            if (!query.statement.empty() && check.error.empty()) {
                outcome_.notes.push_back("--verify: " + finding_label(finding) + ": " +
                                         query_label(check) + " is " + query.statement +
                                         ": planned with EXPLAIN (no ANALYZE), never executed");
            }
            checks.push_back(std::move(check));
        }
        return checks;
    }

    void note_query_errors(const Finding& finding, const std::vector<QueryPlanCheck>& plans) {
        for (const auto& check : plans) {
            if (!check.error.empty()) {
                outcome_.notes.push_back("--verify: " + finding_label(finding) + ": " +
                                         query_label(check) + ": " + check.error);
            }
        }
    }

    void mark_not_verifiable(Finding& finding, const IndexSpec& spec, const std::string& reason) {
        PlannerVerification verification;
        verification.engine = server_.engine;
        verification.index = spec.name;
        verification.verifiable = false;
        verification.error = reason;
        finding.verification = verification;
        outcome_.notes.push_back("--verify: kept " + finding_label(finding) + ", " + reason);
    }

    // The planner's order replaces the offline one: the fix, the columns and the name follow.
    void take_planner_order(Finding& finding, const Evaluation& offline, const Evaluation& chosen) {
        const std::string before = columns_text(offline.spec);
        const std::string after = columns_text(chosen.spec);
        finding.fix = create_index_fix(catalog_, chosen.spec);
        finding.columns = chosen.spec.columns();
        // The rule's message names the columns as "(a, b)": the same columns, now in order.
        if (const auto at = finding.message.find(before); at != std::string::npos) {
            finding.message.replace(at, before.size(), after);
        }
        finding.details.push_back(server_.engine + "'s planner prefers " + after + " to " + before +
                                  ": calls-weighted cost " +
                                  format_cost(chosen.cost_after.value_or(0)) + " against " +
                                  format_cost(offline.cost_after.value_or(0)) +
                                  " with HypoPG, so the index is " + chosen.spec.name);
        outcome_.notes.push_back("--verify: " + finding.rule + " " + finding.table +
                                 ": the planner's column order " + after + " replaces " + before);
    }

    const Catalog& catalog_;
    const Workload* workload_;
    const std::vector<parsers::QueryFacts>* facts_;
    PgPlanner planner_;
    const PgServer& server_;
    const PgVerifyOptions& options_;
    VerifyOutcome& outcome_;
};

} // namespace

PgServer check_verify_server(Connection& connection, const PgVerifyOptions& options) {
    PgServer server;
    server.engine = connection.server_version_text();
    const int major = connection.server_version() / 10000;
    if (connection.server_version() < 130000) {
        throw DatabaseError("--verify --dsn needs PostgreSQL 13 or later; the server is " +
                            server.engine);
    }
    const std::string find_hypopg =
        "SELECT pg_catalog.quote_ident(n.nspname), e.extversion FROM pg_catalog.pg_extension e "
        "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hypopg'";
    auto installed = connection.execute(find_hypopg);
    if (installed.rows() == 0 && options.create_extension) {
        // The session is read-only by default; this one transaction says otherwise, and is the
        // only write the advisor ever makes (docs/verify.md).
        connection.execute("BEGIN TRANSACTION READ WRITE");
        try {
            connection.execute("CREATE EXTENSION IF NOT EXISTS hypopg");
            connection.execute("COMMIT");
        } catch (const QueryError& e) {
            if (connection.ok()) {
                connection.execute("ROLLBACK");
            }
            throw DatabaseError(
                "--create-extension: CREATE EXTENSION hypopg failed in database \"" +
                connection.database() + "\": " + e.what() + " (it needs the package postgresql-" +
                std::to_string(major) +
                "-hypopg on the server and a role allowed to create extensions)");
        }
        installed = connection.execute(find_hypopg);
    }
    if (installed.rows() == 0) {
        const bool available =
            connection
                .execute("SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'hypopg'")
                .rows() > 0;
        const std::string database = "\"" + connection.database() + "\"";
        throw DatabaseError(
            available
                ? "--verify --dsn needs HypoPG in database " + database +
                      ": the server has it; run CREATE EXTENSION hypopg there (a role allowed to "
                      "create extensions), or pass --create-extension"
                : "--verify --dsn needs the HypoPG extension, which the server (" + server.engine +
                      ") lacks: install the package postgresql-" + std::to_string(major) +
                      "-hypopg on the database server (apt-get install postgresql-" +
                      std::to_string(major) + "-hypopg; hypopg_" + std::to_string(major) +
                      " from the PGDG RPM repository), then CREATE EXTENSION hypopg in database " +
                      database + " or pass --create-extension");
    }
    server.hypopg_schema = installed.text(0, 0);
    server.hypopg_version = installed.text(0, 1);
    return server;
}

VerifyOutcome verify_with_postgres_planner(std::vector<Finding> findings, const Catalog& catalog,
                                           const Workload* workload,
                                           const std::vector<parsers::QueryFacts>* facts,
                                           Connection& connection, const PgServer& server,
                                           const PgVerifyOptions& options) {
    VerifyOutcome outcome;
    Verifier verifier(catalog, workload, facts, connection, server, options, outcome);
    verifier.finish(); // none left over from an earlier use of the session
    for (auto& finding : findings) {
        if (!finding.fix.create_index) {
            outcome.findings.push_back(std::move(finding));
            continue;
        }
        if (verifier.verify(finding)) {
            outcome.findings.push_back(std::move(finding));
        }
    }
    verifier.finish();
    return outcome;
}

} // namespace advisor
