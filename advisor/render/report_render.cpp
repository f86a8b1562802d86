#include "advisor/render/report_render.hpp"

#include "advisor/render/ci_render.hpp"
#include "advisor/render/findings_render.hpp"
#include "advisor/rules/rule.hpp"

#include <cstdio>
#include <filesystem>

namespace advisor {

namespace {

// Markdown table cells cannot hold a pipe or a line break.
std::string table_cell(std::string text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string milliseconds(double ms) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", ms);
    return buffer;
}

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : ", ") + item;
    }
    return text;
}

std::string fix_summary(const Finding& finding) {
    if (finding.fix.create_index) {
        return "create `" + finding.fix.create_index->name + "`";
    }
    if (finding.fix.drop_index) {
        return "drop `" + finding.fix.drop_index->name + "`";
    }
    if (!finding.fix.sqlalchemy.empty()) {
        return "SQLAlchemy loader change";
    }
    return "see below";
}

// A plan in a table cell: each EXPLAIN QUERY PLAN line (SQLite) or plan node (PostgreSQL) as
// code, after PostgreSQL's Total Cost.
std::string plan_cell(const std::vector<std::string>& lines, const std::optional<double>& cost) {
    std::string text;
    if (cost) {
        char buffer[48];
        std::snprintf(buffer, sizeof buffer, "cost %.1f", *cost);
        text = buffer;
    }
    for (const auto& line : lines) {
        text += (text.empty() ? "" : "<br>") + ("`" + line + "`");
    }
    return table_cell(text.empty() ? "—" : text);
}

std::string cost_text(double cost) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.1f", cost);
    return buffer;
}

// What a planner said about a finding's index (advise --verify), or null.
nlohmann::json verification_data(const Finding& finding) {
    if (!finding.verification) {
        return nullptr;
    }
    const PlannerVerification& verification = *finding.verification;
    nlohmann::json plans = nlohmann::json::array();
    std::size_t using_index = 0;
    for (const auto& check : verification.plans) {
        using_index += check.uses_index ? 1 : 0;
        std::string label = check.source == "log" ? "query `" + check.fingerprint + "`"
                                                  : std::string("foreign key check");
        if (check.calls > 0) {
            label += " (" + std::to_string(check.calls) + (check.calls == 1 ? " call" : " calls") +
                     (check.generic_plan ? ", generic plan" : "") + ")";
        }
        const bool planned = check.error.empty() || (check.calls > 0 && !check.before.empty());
        plans.push_back({{"label", label},
                         {"before", planned ? plan_cell(check.before, check.cost_before)
                                            : table_cell(check.error)},
                         {"after", !planned              ? "—"
                                   : check.error.empty() ? plan_cell(check.after, check.cost_after)
                                                         : table_cell(check.error)},
                         {"uses_index", check.uses_index ? "yes" : "no"}});
    }
    nlohmann::json workload_cost = nullptr;
    if (verification.workload_cost_before && verification.workload_cost_after) {
        workload_cost = {{"before", cost_text(*verification.workload_cost_before)},
                         {"after", cost_text(*verification.workload_cost_after)}};
    }
    return {{"verdict", verification.verified     ? "Verified"
                        : verification.verifiable ? "Not verified"
                                                  : "Not verifiable"},
            {"engine", verification.engine},
            {"index", verification.index},
            {"using_index", using_index},
            {"query_count", verification.plans.size()},
            {"workload_cost", workload_cost},
            {"error", verification.error.empty() ? nlohmann::json(nullptr)
                                                 : nlohmann::json(verification.error)},
            {"plans", plans}};
}

nlohmann::json markdown_data(const std::vector<Finding>& findings, std::size_t shown,
                             const ReportSummary& summary) {
    double total_time = 0;
    for (const auto& finding : findings) {
        for (const auto& query : finding.queries) {
            total_time += query.total_ms;
        }
    }
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < shown; ++i) {
        const Finding& finding = findings[i];
        nlohmann::json queries = nlohmann::json::array();
        long long calls = 0;
        double ms = 0;
        for (const auto& query : finding.queries) {
            // The example sits in a list item's fenced block: every line needs the item's indent.
            std::string example;
            for (const char c : query.example) {
                example += c;
                if (c == '\n') {
                    example += "  ";
                }
            }
            queries.push_back({{"calls", query.calls},
                               {"total_ms", milliseconds(query.total_ms)},
                               {"example", example}});
            calls += query.calls;
            ms += query.total_ms;
        }
        nlohmann::json details = nlohmann::json::array();
        for (const auto& detail : finding.details) {
            details.push_back({{"text", detail}});
        }
        const std::string share =
            summary.statements > 0 && summary.total_ms > 0
                ? milliseconds(100.0 * finding.time_saved_ms / summary.total_ms) + "%"
                : "—";
        list.push_back({
            {"number", i + 1},
            {"rule", finding.rule},
            {"severity", to_string(finding.severity)},
            {"table", finding.table},
            {"columns_text", table_cell(join(finding.columns))},
            {"fix_summary", table_cell(fix_summary(finding))},
            {"share", share},
            {"message", finding.message},
            {"details", details},
            {"has_queries", !queries.empty()},
            {"query_count", queries.size()},
            {"query_noun", queries.size() == 1 ? "query" : "queries"},
            {"calls", calls},
            {"total_ms", milliseconds(ms)},
            {"queries", queries},
            {"note",
             finding.fix.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(finding.fix.note)},
            {"sql_up", finding.fix.sql_up.empty() ? nlohmann::json(nullptr)
                                                  : nlohmann::json(finding.fix.sql_up)},
            {"sqlalchemy", finding.fix.sqlalchemy.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(finding.fix.sqlalchemy)},
            {"verification", verification_data(finding)},
        });
    }
    std::string text = std::to_string(findings.size()) + " findings on " +
                       std::to_string(summary.tables) + " tables and " +
                       std::to_string(summary.indexes) + " indexes";
    if (summary.statements > 0) {
        text += ", from " + std::to_string(summary.statements) + " logged statements in " +
                std::to_string(summary.shapes) + " query shapes";
    }
    text += ".";
    (void)total_time;
    return {{"summary", text},
            {"has_findings", !findings.empty()},
            {"findings", list},
            {"cut", shown < findings.size() ? nlohmann::json(findings.size() - shown)
                                            : nlohmann::json(nullptr)}};
}

const char* sarif_level(Severity severity) {
    switch (severity) {
    case Severity::high:
        return "error";
    case Severity::medium:
        return "warning";
    case Severity::low:
        break;
    }
    return "note";
}

std::string artifact_uri(const std::string& path) {
    // A schema read live (--schema-from-dsn) is named by its URI, postgresql://host:port/db: a
    // URI already, which path normalization would break ("//" is one separator in a path).
    if (path.find("://") != std::string::npos) {
        return path;
    }
    // Relative paths stay relative (code scanning resolves them from the repository root).
    std::string uri = std::filesystem::path(path).lexically_normal().generic_string();
    return uri.empty() ? "schema.sql" : uri;
}

} // namespace

std::string render_markdown(const std::vector<Finding>& findings, const ReportSummary& summary,
                            const TemplateSet& templates, std::size_t limit) {
    std::string report =
        templates.render("report.md.mustache", markdown_data(findings, findings.size(), summary));
    if (report.size() <= limit) {
        return report;
    }
    // Cut the lowest-ranked findings: find the largest prefix that fits.
    std::size_t low = 0;
    std::size_t high = findings.size();
    while (low < high) {
        const std::size_t middle = (low + high + 1) / 2;
        const std::string candidate =
            templates.render("report.md.mustache", markdown_data(findings, middle, summary));
        if (candidate.size() <= limit) {
            low = middle;
            report = candidate;
        } else {
            high = middle - 1;
        }
    }
    if (low == 0) {
        report = templates.render("report.md.mustache", markdown_data(findings, 0, summary));
    }
    return report;
}

std::string render_sarif(const std::vector<Finding>& findings, const TemplateSet& templates,
                         const std::map<std::string, SourceLocation>& fix_locations) {
    nlohmann::json rules = nlohmann::json::array();
    const auto& registry = all_rules();
    for (std::size_t i = 0; i < registry.size(); ++i) {
        const Rule& rule = *registry[i];
        rules.push_back({{"id", rule.id()},
                         {"name", rule.id()},
                         {"summary", rule.summary()},
                         {"help", std::string(rule.summary()) + " See docs/rules.md#" +
                                      std::string(rule.id()) + "."},
                         {"level", sarif_level(rule.default_severity())},
                         {"comma", i + 1 < registry.size() ? "," : ""}});
    }
    nlohmann::json results = nlohmann::json::array();
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& finding = findings[i];
        std::size_t rule_index = 0;
        for (std::size_t r = 0; r < registry.size(); ++r) {
            if (registry[r]->id() == finding.rule) {
                rule_index = r;
            }
        }
        const SourceLocation* fix = fix_location(finding, fix_locations);
        results.push_back(
            {{"rule", finding.rule},
             {"rule_index", rule_index},
             {"level", sarif_level(finding.severity)},
             {"message", finding.message},
             {"uri", artifact_uri(finding.location.file)},
             {"line", std::max(1, finding.location.line)},
             {"fingerprint", finding_key(finding)},
             {"fix", fix == nullptr
                         ? nlohmann::json(nullptr)
                         : nlohmann::json({{"uri", artifact_uri(fix->file)}, {"line", fix->line}})},
             // A planner's verdict (advise --verify) as the result's property bag
             // (SARIF 2.1.0, 3.8): JSON text the template writes unescaped.
             {"verification",
              finding.verification
                  ? nlohmann::json(
                        verification_to_json(*finding.verification)
                            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
                  : nlohmann::json(nullptr)},
             {"comma", i + 1 < findings.size() ? "," : ""}});
    }
    return templates.render(
        "report.sarif.mustache",
        {{"version", SCHEMA_ADVISOR_VERSION}, {"rules", rules}, {"results", results}},
        TemplateEscape::json);
}

} // namespace advisor
