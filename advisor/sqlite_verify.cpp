#include "advisor/sqlite_verify.hpp"

#include "advisor/sql_text.hpp"
#include "advisor/workload.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <optional>
#include <sqlite3.h>

namespace advisor {

namespace {

constexpr const char* savepoint = "schema_advisor_proposed_index";

// The planner's database never opens a file, whatever a logged statement says.
int deny_files(void*, int action, const char*, const char*, const char*, const char*) {
    return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : separator) + item;
    }
    return text;
}

// Whether an EXPLAIN QUERY PLAN line names the index: "... USING INDEX ix (a=?)", "... USING
// COVERING INDEX ix", "SCAN t USING INDEX ix".
bool names_index(const std::string& detail, const std::string& index) {
    const std::string needle = "INDEX " + index;
    for (std::size_t at = detail.find(needle); at != std::string::npos;
         at = detail.find(needle, at + 1)) {
        const std::size_t end = at + needle.size();
        if (end == detail.size() || detail[end] == ' ' || detail[end] == '(') {
            return true;
        }
    }
    return false;
}

std::size_t count_sorts(const std::vector<std::string>& lines) {
    std::size_t sorts = 0;
    for (const auto& line : lines) {
        sorts += line.starts_with("USE TEMP B-TREE FOR") ? 1 : 0;
    }
    return sorts;
}

// The planner uses the index for what it was proposed for when it searches it (SEARCH t USING
// [COVERING] INDEX ix (col=?): only the matching rows are read), or scans it in order in place of
// a sort the plan without it needed (SCAN t USING INDEX ix with one USE TEMP B-TREE FOR ORDER BY
// fewer). A scan of the whole index for nothing else (SCAN t USING COVERING INDEX ix: a narrower
// copy of the table, still read end to end) is not such a use.
bool uses_index(const std::vector<std::string>& before, const std::vector<std::string>& after,
                const std::string& index) {
    const bool fewer_sorts = count_sorts(after) < count_sorts(before);
    for (const auto& line : after) {
        if (!names_index(line, index)) {
            continue;
        }
        if (line.starts_with("SEARCH ") || (line.starts_with("SCAN ") && fewer_sorts)) {
            return true;
        }
    }
    return false;
}

// The schema rebuilt in memory, empty, with the source's statistics.
class PlannerDatabase {
public:
    PlannerDatabase(const SqliteSchemaSql& schema, std::vector<std::string>& notes) {
        sqlite3* handle = db_.getHandle();
        sqlite3_limit(handle, SQLITE_LIMIT_ATTACHED, 0);
        sqlite3_set_authorizer(handle, deny_files, nullptr);
        for (const auto& object : schema.objects) {
            // A virtual table creates its shadow tables itself; sqlite_schema lists them after it.
            if (exists(object.name)) {
                continue;
            }
            try {
                db_.exec(object.sql);
            } catch (const SQLite::Exception& e) {
                notes.push_back("--verify: SQLite could not rebuild " + object.type + " " +
                                object.name + " in the planner's copy of the schema: " + e.what());
            }
        }
        if (!schema.stat1.empty()) {
            load_stat1(schema.stat1, notes);
        }
    }

    // EXPLAIN QUERY PLAN's detail lines. Throws SQLite::Exception when SQLite cannot plan it.
    std::vector<std::string> plan(const std::string& sql) {
        SQLite::Statement statement(db_, "EXPLAIN QUERY PLAN " + sql);
        std::vector<std::string> lines;
        while (statement.executeStep()) {
            lines.push_back(statement.getColumn(3).getString());
        }
        return lines;
    }

    void exec(const std::string& sql) { db_.exec(sql); }

private:
    bool exists(const std::string& name) {
        SQLite::Statement query(db_, "SELECT 1 FROM main.sqlite_schema WHERE name = ?1 "
                                     "COLLATE NOCASE");
        query.bind(1, name);
        return query.executeStep();
    }

    // The planner reads sqlite_stat1 when it loads the schema: ANALYZE creates the table (no
    // rows, the tables being empty), the rows go in, and `ANALYZE sqlite_schema` makes SQLite
    // load them (https://www.sqlite.org/lang_analyze.html).
    void load_stat1(const std::vector<SqliteStat1Row>& rows, std::vector<std::string>& notes) {
        try {
            db_.exec("ANALYZE");
            db_.exec("DELETE FROM main.sqlite_stat1");
            SQLite::Statement insert(db_, "INSERT INTO main.sqlite_stat1 (tbl, idx, stat) "
                                          "VALUES (?1, ?2, ?3)");
            for (const auto& row : rows) {
                insert.bind(1, row.table);
                if (row.index) {
                    insert.bind(2, *row.index);
                } else {
                    insert.bind(2);
                }
                insert.bind(3, row.stat);
                insert.exec();
                insert.reset();
            }
            db_.exec("ANALYZE sqlite_schema");
        } catch (const SQLite::Exception& e) {
            notes.push_back(std::string("--verify: the schema's sqlite_stat1 statistics could not "
                                        "be loaded; the planner runs without them: ") +
                            e.what());
        }
    }

    SQLite::Database db_{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
};

// One query to plan, with the texts to try in order (the first SQLite can plan is used).
struct QueryToPlan {
    std::string source;
    std::string fingerprint;
    std::vector<std::string> texts;
};

std::vector<QueryToPlan> queries_of(const Finding& finding, const Workload* workload) {
    std::vector<QueryToPlan> queries;
    for (const auto& evidence : finding.queries) {
        QueryToPlan query{"log", evidence.fingerprint, {}};
        if (!evidence.example.empty()) {
            query.texts.push_back(evidence.example);
        }
        const QueryShape* shape = workload ? workload->find(evidence.fingerprint) : nullptr;
        if (shape != nullptr && shape->query != evidence.example) {
            query.texts.push_back(shape->query);
        }
        if (!query.texts.empty()) {
            queries.push_back(std::move(query));
        }
    }
    if (finding.rule == "unindexed-foreign-key" && !finding.columns.empty()) {
        std::string where;
        for (const auto& column : finding.columns) {
            where += (where.empty() ? "" : " AND ") + double_quoted(column) + " = ?";
        }
        queries.push_back({"foreign_key_check",
                           "",
                           {"SELECT 1 FROM " + double_quoted(unqualified_name(finding.table)) +
                            " WHERE " + where}});
    }
    return queries;
}

struct Planned {
    std::string text;
    std::vector<std::string> lines;
    std::string error;
};

Planned plan_first(PlannerDatabase& db, const std::vector<std::string>& texts) {
    Planned planned;
    for (const auto& text : texts) {
        try {
            planned.lines = db.plan(text);
            planned.text = text;
            planned.error.clear();
            return planned;
        } catch (const SQLite::Exception& e) {
            if (planned.error.empty()) {
                planned.text = text;
                planned.error = e.what();
            }
        }
    }
    return planned;
}

PlannerVerification verify(PlannerDatabase& db, const Finding& finding, const IndexSpec& index,
                           const Workload* workload) {
    PlannerVerification verification;
    verification.engine = std::string("SQLite ") + sqlite3_libversion();
    verification.index = index.name;
    const std::vector<QueryToPlan> queries = queries_of(finding, workload);
    for (const auto& query : queries) {
        const Planned before = plan_first(db, query.texts);
        QueryPlanCheck check;
        check.source = query.source;
        check.fingerprint = query.fingerprint;
        check.query = before.text;
        check.before = before.lines;
        check.error = before.error.empty() ? "" : "SQLite cannot plan it: " + before.error;
        verification.plans.push_back(std::move(check));
    }
    db.exec(std::string("SAVEPOINT ") + savepoint);
    try {
        db.exec(create_index_sql(index, "sqlite"));
        for (auto& check : verification.plans) {
            if (!check.error.empty()) {
                continue;
            }
            try {
                check.after = db.plan(check.query);
            } catch (const SQLite::Exception& e) {
                check.error = std::string("SQLite cannot plan it with the index: ") + e.what();
                continue;
            }
            check.uses_index = uses_index(check.before, check.after, index.name);
            verification.verified = verification.verified || check.uses_index;
        }
    } catch (const SQLite::Exception& e) {
        verification.error = std::string("SQLite rejects the index: ") + e.what();
    }
    db.exec(std::string("ROLLBACK TO ") + savepoint);
    db.exec(std::string("RELEASE ") + savepoint);
    return verification;
}

// Why a finding is not verified, for the note and the finding's details.
std::string unverified_reason(const PlannerVerification& verification) {
    if (!verification.error.empty()) {
        return verification.error;
    }
    if (verification.plans.empty()) {
        return "no logged query of it to plan";
    }
    std::vector<std::string> after;
    std::size_t planned = 0;
    for (const auto& check : verification.plans) {
        if (check.error.empty()) {
            ++planned;
            after.push_back(join(check.after, ", "));
        }
    }
    if (planned == 0) {
        return "SQLite cannot plan any of its queries (" + verification.plans.front().error + ")";
    }
    return "SQLite's planner does not use " + verification.index + " for any of its " +
           std::to_string(planned) + (planned == 1 ? " query" : " queries") +
           " (with the index: " + join(after, " | ") + ")";
}

std::string finding_label(const Finding& finding) {
    return finding.rule + " " + finding.table + " (" + join(finding.columns, ", ") + ")";
}

} // namespace

VerifyOutcome verify_with_sqlite_planner(std::vector<Finding> findings, const Catalog& catalog,
                                         const Workload* workload, const VerifyOptions& options) {
    VerifyOutcome outcome;
    PlannerDatabase db(catalog.sqlite_schema, outcome.notes);
    for (auto& finding : findings) {
        if (!finding.fix.create_index) {
            outcome.findings.push_back(std::move(finding));
            continue;
        }
        finding.verification = verify(db, finding, *finding.fix.create_index, workload);
        ++outcome.proposals;
        const auto& plans = finding.verification->plans;
        if (std::any_of(plans.begin(), plans.end(),
                        [](const QueryPlanCheck& check) { return check.error.empty(); })) {
            ++outcome.planned;
        }
        if (!finding.verification->verified) {
            const std::string reason = unverified_reason(*finding.verification);
            if (!options.keep_unverified) {
                outcome.notes.push_back("--verify: dropped " + finding_label(finding) + ": " +
                                        reason);
                continue;
            }
            outcome.notes.push_back("--verify: kept unverified (--keep-unverified) " +
                                    finding_label(finding) + ": " + reason);
            finding.details.push_back("not verified: " + reason);
        }
        outcome.findings.push_back(std::move(finding));
    }
    return outcome;
}

} // namespace advisor
