#include "advisor/render/findings_render.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace advisor {

namespace {

nlohmann::ordered_json index_spec_json(const IndexSpec& spec) {
    return {{"name", spec.name},
            {"table", spec.table},
            {"columns", spec.columns()},
            {"method", spec.method},
            {"unique", spec.unique},
            {"where",
             spec.where ? nlohmann::ordered_json(*spec.where) : nlohmann::ordered_json(nullptr)},
            {"include", spec.include}};
}

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : ", ") + item;
    }
    return text;
}

std::string upper(std::string text) {
    for (auto& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

// Planner costs to the cent: sums of many products stay byte-identical from run to run.
nlohmann::ordered_json cost_json(const std::optional<double>& cost) {
    if (!cost) {
        return nullptr;
    }
    return std::round(*cost * 100.0) / 100.0;
}

std::string cost_text(double cost) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.1f", cost);
    return buffer;
}

std::string plan_text(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) {
        text += (text.empty() ? "" : "; ") + line;
    }
    return text.empty() ? "(no plan)" : text;
}

// A planner's verdict under a finding (advise --verify).
void verification_text(std::ostringstream& out, const PlannerVerification& verification) {
    std::size_t using_index = 0;
    for (const auto& check : verification.plans) {
        using_index += check.uses_index ? 1 : 0;
    }
    if (!verification.verifiable) {
        out << "  not verifiable with " << verification.engine << ": " << verification.error
            << "\n";
        return;
    }
    out << "  " << (verification.verified ? "verified" : "not verified") << ": "
        << verification.engine << "'s planner uses " << verification.index << " for " << using_index
        << " of " << verification.plans.size() << " queries";
    if (verification.workload_cost_before && verification.workload_cost_after) {
        out << "; calls-weighted cost " << cost_text(*verification.workload_cost_before) << " -> "
            << cost_text(*verification.workload_cost_after);
    }
    out << "\n";
    if (!verification.error.empty()) {
        out << "    " << verification.error << "\n";
    }
    for (const auto& check : verification.plans) {
        out << "    "
            << (check.source == "log" ? "query " + check.fingerprint
                                      : std::string("foreign key check"));
        if (check.calls > 0) {
            out << " (" << check.calls << (check.calls == 1 ? " call" : " calls")
                << (check.generic_plan ? ", generic plan" : "") << ")";
        }
        out << ":";
        if (!check.error.empty() && (check.calls == 0 || check.before.empty())) {
            out << " " << check.error << "\n";
            continue;
        }
        if (check.calls == 0) { // SQLite: its detail lines on one line
            out << "\n      before: " << plan_text(check.before)
                << "\n      after:  " << plan_text(check.after) << "\n";
            continue;
        }
        // PostgreSQL: a plan node per line, as EXPLAIN prints them.
        for (const auto* side : {&check.before, &check.after}) {
            const bool before = side == &check.before;
            const auto& cost = before ? check.cost_before : check.cost_after;
            out << "\n      " << (before ? "before" : "after");
            if (cost) {
                out << " (cost " << cost_text(*cost) << ")";
            }
            out << ":";
            for (const auto& line : *side) {
                out << "\n        " << line;
            }
        }
        out << "\n";
        if (!check.error.empty()) {
            out << "      " << check.error << "\n";
        }
    }
}

} // namespace

nlohmann::ordered_json verification_to_json(const PlannerVerification& verification) {
    nlohmann::ordered_json plans = nlohmann::ordered_json::array();
    for (const auto& check : verification.plans) {
        nlohmann::ordered_json plan = {
            {"source", check.source},
            {"fingerprint", check.fingerprint.empty() ? nlohmann::ordered_json(nullptr)
                                                      : nlohmann::ordered_json(check.fingerprint)},
            {"query", check.query},
            {"before", check.before},
            {"after", check.after},
            {"uses_index", check.uses_index}};
        if (check.calls > 0) { // PostgreSQL's plans (advisor/pg_verify.hpp)
            plan["cost_before"] = cost_json(check.cost_before);
            plan["cost_after"] = cost_json(check.cost_after);
            plan["calls"] = check.calls;
            plan["generic_plan"] = check.generic_plan;
        }
        if (!check.error.empty()) {
            plan["error"] = check.error;
        }
        plans.push_back(std::move(plan));
    }
    nlohmann::ordered_json json = {{"engine", verification.engine},
                                   {"index", verification.index},
                                   {"verified", verification.verified}};
    if (!verification.verifiable) {
        json["verifiable"] = false;
    }
    json["plans"] = plans;
    if (verification.workload_cost_before || verification.workload_cost_after) {
        json["workload_cost_before"] = cost_json(verification.workload_cost_before);
        json["workload_cost_after"] = cost_json(verification.workload_cost_after);
    }
    if (!verification.error.empty()) {
        json["error"] = verification.error;
    }
    return json;
}

ReportSummary summarize(const Catalog& catalog) {
    ReportSummary summary;
    summary.tables = catalog.tables.size();
    summary.indexes = catalog.indexes.size();
    return summary;
}

ReportSummary summarize(const Catalog& catalog, const Workload& workload) {
    ReportSummary summary = summarize(catalog);
    summary.statements = workload.statements;
    summary.shapes = workload.shapes.size();
    summary.total_ms = workload.total_ms();
    return summary;
}

nlohmann::ordered_json finding_to_json(const Finding& finding) {
    nlohmann::ordered_json queries = nlohmann::ordered_json::array();
    for (const auto& query : finding.queries) {
        queries.push_back({{"fingerprint", query.fingerprint},
                           {"calls", query.calls},
                           {"total_ms", query.total_ms},
                           {"example", query.example}});
    }
    nlohmann::ordered_json evidence = {{"queries", queries}};
    if (!finding.details.empty()) {
        evidence["details"] = finding.details;
    }
    if (finding.verification) {
        evidence["verification"] = verification_to_json(*finding.verification);
    }
    nlohmann::ordered_json fix = nlohmann::ordered_json::object();
    if (finding.fix.create_index) {
        fix["index"] = index_spec_json(*finding.fix.create_index);
    } else if (finding.fix.drop_index) {
        fix["drop_index"] = index_spec_json(*finding.fix.drop_index);
    }
    if (!finding.fix.sql_up.empty() || !finding.fix.sql_down.empty()) {
        fix["sql"] = {{"up", finding.fix.sql_up}, {"down", finding.fix.sql_down}};
    }
    if (!finding.fix.sqlalchemy.empty()) {
        fix["sqlalchemy"] = finding.fix.sqlalchemy;
    }
    if (!finding.fix.note.empty()) {
        fix["note"] = finding.fix.note;
    }
    nlohmann::ordered_json json = {{"rule", finding.rule},
                                   {"severity", to_string(finding.severity)},
                                   {"table", finding.table},
                                   {"columns", finding.columns}};
    if (!finding.index.empty()) {
        json["index"] = finding.index;
    }
    json["message"] = finding.message;
    json["evidence"] = evidence;
    json["fix"] = fix;
    return json;
}

nlohmann::ordered_json findings_to_json(const std::vector<Finding>& findings,
                                        const ReportSummary& summary) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& finding : findings) {
        list.push_back(finding_to_json(finding));
    }
    return {{"tool", {{"name", "schema-advisor"}, {"version", SCHEMA_ADVISOR_VERSION}}},
            {"summary",
             {{"tables", summary.tables},
              {"indexes", summary.indexes},
              {"statements", summary.statements},
              {"shapes", summary.shapes}}},
            {"findings", list}};
}

std::string findings_to_text(const std::vector<Finding>& findings, const ReportSummary& summary) {
    std::ostringstream out;
    std::size_t counts[3] = {0, 0, 0};
    for (const auto& finding : findings) {
        ++counts[static_cast<int>(finding.severity)];
        out << upper(to_string(finding.severity)) << "  " << finding.rule << "  " << finding.table;
        if (!finding.columns.empty()) {
            out << " (" << join(finding.columns) << ")";
        }
        out << "\n  " << finding.message << "\n";
        for (const auto& detail : finding.details) {
            out << "  - " << detail << "\n";
        }
        for (const auto& query : finding.queries) {
            out << "  - " << query.calls << " calls, " << query.total_ms << " ms: " << query.example
                << "\n";
        }
        if (finding.verification) {
            verification_text(out, *finding.verification);
        }
        if (!finding.fix.note.empty()) {
            out << "  note: " << finding.fix.note << "\n";
        }
        if (!finding.fix.sql_up.empty()) {
            std::istringstream sql(finding.fix.sql_up);
            std::string line;
            out << "  fix:\n";
            while (std::getline(sql, line)) {
                out << "    " << line << "\n";
            }
        }
        if (!finding.fix.sqlalchemy.empty()) {
            std::istringstream snippet(finding.fix.sqlalchemy);
            std::string line;
            out << "  sqlalchemy:\n";
            while (std::getline(snippet, line)) {
                out << "    " << line << "\n";
            }
        }
        out << "\n";
    }
    out << findings.size() << " findings (" << counts[2] << " high, " << counts[1] << " medium, "
        << counts[0] << " low) on " << summary.tables << " tables and " << summary.indexes
        << " indexes";
    if (summary.statements > 0) {
        out << ", " << summary.statements << " statements in " << summary.shapes << " shapes";
    }
    out << "\n";
    return out.str();
}

} // namespace advisor
