// json-overfetch: list queries that fetch json/jsonb columns, by name or through `*`, without
// filtering, joining or sorting on them. JSON documents are stored out of line (TOAST) once they
// pass about 2 kB, so each row read this way costs extra page reads and decompression, then
// network and object-building time, for data a list page does not show. A single-row look-up by
// primary or unique key is not reported: the detail page is where the document is wanted.
#include "advisor/rules/app_patterns.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/workload.hpp"

#include <map>
#include <set>

namespace advisor {

namespace {

struct TableOverfetch {
    std::set<std::string> columns; // JSON columns fetched needlessly
    std::vector<ShapeId> shapes;
    std::set<std::string> selected; // non-JSON columns the shapes select, for load_only()
    bool star = false;
    std::uint64_t calls = 0;
    double total_ms = 0;
    std::uint64_t rows = 0;
    bool rows_logged = false;
};

// The JSON columns the scan returns without using them to filter, join or sort.
std::set<std::string> overfetched(const Table& table, const parsers::TableScan& scan) {
    std::set<std::string> fetched;
    std::set<std::string> used;
    for (const auto& use : scan.uses) {
        if (use.role == parsers::ColumnRole::select) {
            if (use.expression.empty()) {
                fetched.insert(use.column);
            }
        } else {
            used.insert(use.column);
        }
    }
    std::set<std::string> result;
    for (const auto& column : table.columns) {
        if (column.json && (scan.select_star || fetched.count(column.name) > 0) &&
            used.count(column.name) == 0) {
            result.insert(column.name);
        }
    }
    return result;
}

class JsonOverfetchRule final : public Rule {
public:
    std::string_view id() const override { return "json-overfetch"; }
    Severity default_severity() const override { return Severity::medium; }
    std::string_view summary() const override {
        return "List queries fetch json/jsonb columns they neither filter, join nor sort on: "
               "large documents read, decompressed and sent for every row.";
    }

    std::vector<Finding> run(const AnalysisContext& context) const override {
        if (context.workload == nullptr || context.facts == nullptr) {
            return {};
        }
        const auto& shapes = context.workload->shapes;
        std::map<std::string, TableOverfetch> by_table;
        for (ShapeId id = 0; id < shapes.size() && id < context.facts->size(); ++id) {
            const auto& facts = (*context.facts)[id];
            if (facts.error || facts.kind != parsers::StatementKind::select) {
                continue;
            }
            std::set<std::string> counted; // tables this shape already counts for
            for (const auto& scan : facts.scans) {
                const Table* table = context.catalog.find_table(scan.table);
                if (scan.mode != parsers::ScanMode::read || !scan.in_catalog || table == nullptr ||
                    is_unique_key_lookup(context.catalog, *table, scan)) {
                    continue;
                }
                const auto columns = overfetched(*table, scan);
                if (columns.empty()) {
                    continue;
                }
                auto& entry = by_table[scan.table];
                entry.columns.insert(columns.begin(), columns.end());
                entry.star = entry.star || scan.select_star;
                for (const auto& use : scan.uses) {
                    const Column* column = table->find_column(use.column);
                    if (use.role == parsers::ColumnRole::select && use.expression.empty() &&
                        column != nullptr && !column->json) {
                        entry.selected.insert(use.column);
                    }
                }
                if (counted.insert(scan.table).second) {
                    entry.shapes.push_back(id);
                    entry.calls += shapes[id].calls;
                    entry.total_ms += shapes[id].total_ms;
                    if (shapes[id].rows) {
                        entry.rows += *shapes[id].rows;
                        entry.rows_logged = true;
                    }
                }
            }
        }
        std::vector<Finding> findings;
        for (const auto& [name, entry] : by_table) {
            findings.push_back(finding_for(context, *context.catalog.find_table(name), entry));
        }
        return findings;
    }

private:
    Finding finding_for(const AnalysisContext& context, const Table& table,
                        const TableOverfetch& entry) const {
        Finding finding;
        finding.rule = std::string(id());
        finding.severity = default_severity();
        finding.table = table.qualified_name();
        finding.location = table.declared_at;
        finding.time_saved_ms = entry.total_ms;
        // Columns in the table's order, as the model declares them.
        std::vector<std::string> load_only;
        for (const auto& column : table.columns) {
            if (entry.columns.count(column.name) > 0) {
                finding.columns.push_back(column.name);
            } else if (!column.json && (entry.star || entry.selected.count(column.name) > 0)) {
                load_only.push_back(column.name);
            }
        }
        std::string listed;
        for (const auto& column : finding.columns) {
            listed += (listed.empty() ? "" : ", ") + column;
        }
        std::string message = std::to_string(entry.shapes.size()) + " list quer" +
                              (entry.shapes.size() == 1 ? "y" : "ies") + " on " + finding.table +
                              " (" + std::to_string(entry.calls) + " calls";
        if (entry.rows_logged) {
            message += ", " + std::to_string(entry.rows) + " rows";
        }
        finding.message = message + ") fetch the JSON column" +
                          (finding.columns.size() == 1 ? " " : "s ") + listed +
                          " without filtering, joining or sorting on " +
                          (finding.columns.size() == 1 ? "it" : "them") +
                          ": every row's document is read (out of line once past ~2 kB), "
                          "decompressed and sent for a list that does not need it.";
        for (const ShapeId shape : entry.shapes) {
            finding.queries.push_back(evidence_of(context.workload->shapes[shape]));
        }
        const ModelNames& names = context.options.models;
        const std::string model = names.class_of(table);
        std::string load_only_text;
        for (const auto& column : load_only) {
            load_only_text += (load_only_text.empty() ? "" : ", ") + model + "." +
                              names.attribute_of(table, column);
        }
        std::string defer_text;
        nlohmann::json deferred = nlohmann::json::array();
        for (const auto& column : finding.columns) {
            const std::string attribute = names.attribute_of(table, column);
            defer_text +=
                (defer_text.empty() ? "" : ", ") + ("defer(" + model + "." + attribute + ")");
            deferred.push_back(attribute);
        }
        finding.fix.note = "Select only the columns the list shows, or defer " + listed + ".";
        finding.fix.sqlalchemy = render_sqlalchemy_fix({{"json_overfetch",
                                                         {{"model", model},
                                                          {"load_only", load_only_text},
                                                          {"defer", defer_text},
                                                          {"deferred", {{"columns", deferred}}}}}});
        return finding;
    }
};

} // namespace

std::unique_ptr<Rule> make_json_overfetch_rule() {
    return std::make_unique<JsonOverfetchRule>();
}

} // namespace advisor
