// json-overfetch: list queries that fetch json/jsonb columns, by name or through `*`, without
// filtering, joining or sorting on them. JSON documents are stored out of line (TOAST) once they
// pass about 2 kB, so each row read this way costs extra page reads and decompression, then
// network and object-building time, for data a list page does not show. A single-row look-up by
// primary or unique key is not reported: the detail page is where the document is wanted.
// Wide columns are stored and read the same way: bytea (blob), and unlimited text whose name
// says it holds a document (body, content, html, ...: a `name text` column is not wide, and the
// schema gives no sizes). They are reported likewise in a separate finding of lower severity,
// since a list showing a text column is more often intended.
#include "advisor/rules/app_patterns.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/workload.hpp"

#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace advisor {

namespace {

// Columns stored out of line once large, which a list rarely needs.
enum class ColumnClass { json, wide };

// Words that name a document-sized text column, as the last word of its name (post_body,
// description, raw_html). docs/rules.md lists them.
bool names_a_document(const std::string& column) {
    // Not description, notes, comment, message: lists often show those.
    static const std::set<std::string> words{
        "body", "content",  "contents", "html",     "markdown",   "text",  "payload",
        "raw",  "document", "prompt",   "response", "transcript", "input", "output",
        "log",  "source",   "svg",      "xml",      "blob"};
    const auto last = column.rfind('_');
    std::string word = last == std::string::npos ? column : column.substr(last + 1);
    for (auto& c : word) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return words.count(word) > 0;
}

bool is_wide(const Column& column) {
    std::string type = column.type;
    for (auto& c : type) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (type == "bytea" || type == "blob") {
        return true;
    }
    return (type == "text" || type == "character varying" || type == "clob") &&
           names_a_document(column.name);
}

std::optional<ColumnClass> class_of(const Column& column) {
    if (column.json) {
        return ColumnClass::json;
    }
    if (is_wide(column)) {
        return ColumnClass::wide;
    }
    return std::nullopt;
}

struct TableOverfetch {
    std::set<std::string> columns; // columns of one class fetched needlessly
    std::vector<ShapeId> shapes;
    std::set<std::string> selected; // non-JSON columns the shapes select, for load_only()
    bool star = false;
    std::uint64_t calls = 0;
    double total_ms = 0;
    std::uint64_t rows = 0;
    bool rows_logged = false;
};

// The columns of `kind` the scan returns without using them to filter, join or sort.
std::set<std::string> overfetched(const Table& table, const parsers::TableScan& scan,
                                  ColumnClass kind) {
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
        if (class_of(column) == kind && (scan.select_star || fetched.count(column.name) > 0) &&
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
        std::map<std::pair<std::string, ColumnClass>, TableOverfetch> by_table;
        // Per table: its list shapes, and per column how many of them select it (for the
        // model-level deferred=True, offered when most list shapes avoid the column).
        std::map<std::string, std::uint64_t> list_shapes;
        std::map<std::string, std::map<std::string, std::uint64_t>> selecting_shapes;
        for (ShapeId id = 0; id < shapes.size() && id < context.facts->size(); ++id) {
            const auto& facts = (*context.facts)[id];
            if (facts.error || facts.kind != parsers::StatementKind::select) {
                continue;
            }
            std::set<std::pair<std::string, ColumnClass>> counted; // this shape's entries
            std::set<std::string> listed_tables;
            std::map<std::string, std::set<std::string>> selected_here;
            for (const auto& scan : facts.scans) {
                const Table* table = context.catalog.find_table(scan.table);
                if (scan.mode != parsers::ScanMode::read || !scan.in_catalog || table == nullptr ||
                    is_unique_key_lookup(context.catalog, *table, scan)) {
                    continue;
                }
                listed_tables.insert(scan.table);
                for (const auto& column : table->columns) {
                    if (scan.select_star) {
                        selected_here[scan.table].insert(column.name);
                    }
                }
                for (const auto& use : scan.uses) {
                    if (use.role == parsers::ColumnRole::select) {
                        selected_here[scan.table].insert(use.column);
                    }
                }
                for (const ColumnClass kind : {ColumnClass::json, ColumnClass::wide}) {
                    const auto columns = overfetched(*table, scan, kind);
                    if (columns.empty()) {
                        continue;
                    }
                    auto& entry = by_table[{scan.table, kind}];
                    entry.columns.insert(columns.begin(), columns.end());
                    entry.star = entry.star || scan.select_star;
                    for (const auto& use : scan.uses) {
                        const Column* column = table->find_column(use.column);
                        if (use.role == parsers::ColumnRole::select && use.expression.empty() &&
                            column != nullptr && !class_of(*column)) {
                            entry.selected.insert(use.column);
                        }
                    }
                    if (counted.insert({scan.table, kind}).second) {
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
            for (const auto& table : listed_tables) {
                ++list_shapes[table];
                for (const auto& column : selected_here[table]) {
                    ++selecting_shapes[table][column];
                }
            }
        }
        std::vector<Finding> findings;
        for (const auto& [key, entry] : by_table) {
            const auto& [name, kind] = key;
            std::vector<std::string> deferred;
            for (const auto& column : entry.columns) {
                if (2 * selecting_shapes[name][column] < list_shapes[name]) {
                    deferred.push_back(column);
                }
            }
            findings.push_back(
                finding_for(context, *context.catalog.find_table(name), kind, entry, deferred));
        }
        return findings;
    }

private:
    Finding finding_for(const AnalysisContext& context, const Table& table, ColumnClass kind,
                        const TableOverfetch& entry,
                        const std::vector<std::string>& deferred_columns) const {
        Finding finding;
        finding.rule = std::string(id());
        finding.severity = kind == ColumnClass::json ? default_severity() : Severity::low;
        finding.table = table.qualified_name();
        finding.location = table.declared_at;
        finding.time_saved_ms = entry.total_ms;
        // Columns in the table's order, as the model declares them.
        std::vector<std::string> load_only;
        for (const auto& column : table.columns) {
            if (entry.columns.count(column.name) > 0) {
                finding.columns.push_back(column.name);
            } else if (!class_of(column) && (entry.star || entry.selected.count(column.name) > 0)) {
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
        const bool plural = finding.columns.size() > 1;
        finding.message =
            message + ") fetch the " + (kind == ColumnClass::json ? "JSON" : "wide") + " column" +
            (plural ? "s " : " ") + listed + " without filtering, joining or sorting on " +
            (plural ? "them" : "it") +
            (kind == ColumnClass::json
                 ? ": every row's document is read (out of line once past ~2 kB), decompressed "
                   "and sent for a list that does not need it."
                 : ": unbounded text or binary values are read (out of line once past ~2 kB) "
                   "and sent for every row; check that the list shows them.");
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
        for (const auto& column : finding.columns) {
            defer_text += (defer_text.empty() ? "" : ", ") +
                          ("defer(" + model + "." + names.attribute_of(table, column) + ")");
        }
        nlohmann::json data = {{"model", model},
                               {"load_only", load_only_text},
                               {"defer", defer_text},
                               {"kind", kind == ColumnClass::json ? "JSON" : "wide"}};
        finding.fix.note = "Select only the columns the list shows, or defer " + listed + ".";
        if (!deferred_columns.empty()) {
            // Most list queries of the table do without these columns: defer them on the model.
            nlohmann::json deferred = nlohmann::json::array();
            std::string deferred_listed;
            for (const auto& column : deferred_columns) {
                deferred.push_back(names.attribute_of(table, column));
                deferred_listed += (deferred_listed.empty() ? "" : ", ") + column;
            }
            data["deferred"] = {{"columns", deferred}};
            finding.details.push_back("most list queries on " + finding.table + " do not select " +
                                      deferred_listed +
                                      ": mapped_column(..., deferred=True) on the model");
        }
        finding.fix.sqlalchemy = render_sqlalchemy_fix({{"json_overfetch", data}});
        return finding;
    }
};

} // namespace

std::unique_ptr<Rule> make_json_overfetch_rule() {
    return std::make_unique<JsonOverfetchRule>();
}

} // namespace advisor
