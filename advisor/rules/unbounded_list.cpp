// unbounded-list: a SELECT with no LIMIT that can return a whole table, because it filters on
// nothing or only on ranges / inequalities (created_at > $1). Such a list grows with the table:
// every call reads, sends and builds objects for every row. An equality filter (a key, a foreign
// key: the children of one parent) bounds the result, and so does an aggregate without GROUP BY
// (one row); those are never reported.
#include "advisor/rules/app_patterns.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/workload.hpp"

#include <map>

namespace advisor {

namespace {

// Roles that narrow a scan to a part of the table whose size does not follow the table's:
// equality on a value, IS NULL and LIKE 'x%' prefixes, JSON containment. Ranges are left out
// on purpose: `created_at > $1` or `due_date BETWEEN ...` keep growing with the table.
bool narrows(const parsers::ColumnUse& use) {
    using parsers::ColumnRole;
    using parsers::Operand;
    if (use.under_or || use.operand == Operand::column) {
        return false;
    }
    switch (use.role) {
    case ColumnRole::eq:
    case ColumnRole::in:
    case ColumnRole::like_prefix:
    case ColumnRole::json_contains:
        return true;
    default:
        return false;
    }
}

struct ListEvidence {
    std::vector<ShapeId> shapes;
    std::uint64_t calls = 0;
    double total_ms = 0;
    std::uint64_t rows = 0;
    bool rows_logged = false;
    std::string order_key; // the first shape's ORDER BY key, for keyset pagination
};

class UnboundedListRule final : public Rule {
public:
    std::string_view id() const override { return "unbounded-list"; }
    Severity default_severity() const override { return Severity::medium; }
    std::string_view summary() const override {
        return "A SELECT without LIMIT filters on nothing or only on ranges, so it returns a "
               "share of the table that grows with it; page it.";
    }

    std::vector<Finding> run(const AnalysisContext& context) const override {
        if (context.workload == nullptr || context.facts == nullptr) {
            return {};
        }
        std::map<std::string, ListEvidence> by_table;
        const auto& shapes = context.workload->shapes;
        for (ShapeId id = 0; id < shapes.size() && id < context.facts->size(); ++id) {
            const auto& facts = (*context.facts)[id];
            if (facts.error || facts.kind != parsers::StatementKind::select || facts.has_limit ||
                facts.aggregate_only || facts.references_system_catalog()) {
                continue;
            }
            const auto table = unbounded_table(context.catalog, facts);
            if (table.empty()) {
                continue;
            }
            auto& evidence = by_table[table];
            evidence.shapes.push_back(id);
            evidence.calls += shapes[id].calls;
            evidence.total_ms += shapes[id].total_ms;
            if (shapes[id].rows) {
                evidence.rows += *shapes[id].rows;
                evidence.rows_logged = true;
            }
            for (const auto& scan : facts.scans) {
                if (scan.table == table && !scan.order_by.empty() && evidence.order_key.empty()) {
                    evidence.order_key = scan.order_by.front().key;
                }
            }
        }
        std::vector<Finding> findings;
        for (const auto& [table, evidence] : by_table) {
            findings.push_back(finding_for(context, *context.catalog.find_table(table), evidence));
        }
        return findings;
    }

private:
    // The table the shape lists whole: its first read scan of a catalog table, when no scan of
    // the query is narrowed by a filter (a join to a narrowed scan bounds the others too). A
    // scan inside a limited sub-select is bounded by that LIMIT.
    static std::string unbounded_table(const Catalog& catalog, const parsers::QueryFacts& facts) {
        std::string listed;
        for (const auto& scan : facts.scans) {
            if (scan.limited) {
                return {};
            }
            for (const auto& use : scan.uses) {
                if (narrows(use)) {
                    return {};
                }
            }
            const Table* table = catalog.find_table(scan.table);
            if (listed.empty() && scan.mode == parsers::ScanMode::read && scan.in_catalog &&
                !scan.system_catalog && table != nullptr) {
                listed = scan.table;
            }
        }
        return listed;
    }

    Finding finding_for(const AnalysisContext& context, const Table& table,
                        const ListEvidence& evidence) const {
        const auto& shapes = context.workload->shapes;
        Finding finding;
        finding.rule = std::string(id());
        finding.severity = default_severity();
        finding.table = table.qualified_name();
        finding.location = table.declared_at;
        finding.time_saved_ms = evidence.total_ms;
        std::string message = std::to_string(evidence.shapes.size()) + " SELECT shape" +
                              (evidence.shapes.size() == 1 ? "" : "s") + " on " + finding.table +
                              " (" + std::to_string(evidence.calls) + " calls) ha" +
                              (evidence.shapes.size() == 1 ? "s" : "ve") +
                              " no LIMIT and no equality filter, so each call returns every "
                              "matching row of a table that keeps growing";
        if (evidence.rows_logged) {
            message += " (" + std::to_string(evidence.rows) + " rows returned in the log)";
        }
        finding.message = message + ". Page it: LIMIT 50 by default and at most 200, or keyset "
                                    "pagination on an indexed column.";
        for (const ShapeId shape : evidence.shapes) {
            finding.queries.push_back(evidence_of(shapes[shape]));
        }
        // Keyset pagination walks an index: on the shape's ORDER BY key when it has one, else on
        // the primary key, whose index always exists.
        std::string keyset = evidence.order_key;
        if (keyset.empty() && table.primary_key.size() == 1) {
            keyset = table.primary_key.front();
        }
        if (keyset.empty()) {
            keyset = "id";
        }
        const bool keyset_indexed = keyset_served(context.catalog, table, keyset);
        if (!keyset_indexed) {
            finding.details.push_back(
                "keyset pagination on " + keyset +
                " needs an index: CREATE "
                "INDEX CONCURRENTLY ON " +
                finding.table + " (" + keyset +
                (table.primary_key.size() == 1 && table.primary_key.front() != keyset
                     ? ", " + table.primary_key.front()
                     : std::string()) +
                ")");
        }
        finding.fix.note = "Add LIMIT $n OFFSET $m (page of 50, at most 200), or keyset "
                           "pagination: WHERE " +
                           keyset + " > $last ORDER BY " + keyset + " LIMIT 50.";
        finding.fix.sqlalchemy = render_sqlalchemy_fix(
            {{"unbounded_list",
              {{"model", context.options.models.class_of(table)},
               {"keyset", context.options.models.attribute_of(table, keyset)}}}});
        return finding;
    }

    static bool keyset_served(const Catalog& catalog, const Table& table, const std::string& key) {
        for (const Index* index : catalog.indexes_on(table.qualified_name())) {
            if (index->valid && !index->where && !index->keys.empty() &&
                index->keys.front().text() == key && index->method == "btree") {
                return true;
            }
        }
        return false;
    }
};

} // namespace

std::unique_ptr<Rule> make_unbounded_list_rule() {
    return std::make_unique<UnboundedListRule>();
}

} // namespace advisor
