// unused-index: an index no query shape of the log could use, on a table the log does use. Each
// write to the table maintains it for nothing the log shows. Low severity by design: a log covers
// only the traffic it captured (a nightly report, an admin page may need the index), so the
// finding says to confirm with pg_stat_user_indexes.idx_scan before dropping. Indexes backing
// constraints, attached to a partitioned parent, or the only index serving a foreign key (the
// constraint check on parent deletes uses it) are never reported.
//
// With the server's own counts (--index-usage-from-dsn: pg_stat_user_indexes.idx_scan since
// pg_stat_database.stats_reset) the counts decide instead: an index the server scanned is never
// reported, whatever the log says, and one it never scanned is, with the age of the counts in
// the message, log or no log. An index the counts do not list (a partitioned parent's, or one
// the live database lacks) is not judged.
#include "advisor/index_matching.hpp"
#include "advisor/index_usage.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/sql_text.hpp"
#include "advisor/workload.hpp"

#include <cstdio>
#include <map>
#include <set>

namespace advisor {

namespace {

bool only_index_for_a_foreign_key(const Catalog& catalog, const Table& table, const Index& index) {
    for (const auto& fk : table.foreign_keys) {
        if (!serves_equality_lookup(index, fk.columns)) {
            continue;
        }
        bool other = false;
        for (const Index* candidate : catalog.indexes_on(table.qualified_name())) {
            other =
                other || (candidate != &index && serves_equality_lookup(*candidate, fk.columns));
        }
        if (!other) {
            return true;
        }
    }
    return false;
}

class UnusedIndexRule final : public Rule {
public:
    std::string_view id() const override { return "unused-index"; }
    Severity default_severity() const override { return Severity::low; }
    std::string_view summary() const override {
        return "No query shape of the log could use the index, yet every write to its table "
               "maintains it (confirm with pg_stat_user_indexes before dropping).";
    }

    std::vector<Finding> run(const AnalysisContext& context) const override {
        if (context.options.index_usage) {
            return run_with_counts(context, *context.options.index_usage);
        }
        if (context.workload == nullptr || context.facts == nullptr) {
            return {};
        }
        const Workload& workload = *context.workload;
        if (workload.statements < context.options.unused_index_min_statements) {
            context.note("unused-index: skipped: the log holds " +
                         std::to_string(workload.statements) + " statements, fewer than " +
                         std::to_string(context.options.unused_index_min_statements) +
                         ", too few to call an index unused");
            return {};
        }
        std::map<std::string, std::vector<PreparedIndex>> indexes_by_table;
        for (const auto& index : context.catalog.indexes) {
            indexes_by_table[index.table].push_back(prepare_index(index));
        }
        std::set<std::string> used;
        std::map<std::string, std::size_t> shapes_per_table;
        for (const auto& facts : *context.facts) {
            if (facts.error) {
                continue;
            }
            std::set<std::string> tables_of_shape;
            for (const auto& scan : facts.scans) {
                if (!scan.in_catalog || scan.system_catalog) {
                    continue;
                }
                tables_of_shape.insert(scan.table);
                const auto found = indexes_by_table.find(scan.table);
                if (found == indexes_by_table.end()) {
                    continue;
                }
                const ScanAccess access = scan_access(scan, context.catalog.find_table(scan.table),
                                                      JoinColumns::as_equality);
                for (const auto& prepared : found->second) {
                    if (match_index(prepared, access).serves) {
                        used.insert(prepared.index->qualified_name());
                    }
                }
            }
            for (const auto& table : tables_of_shape) {
                ++shapes_per_table[table];
            }
        }
        std::vector<Finding> findings;
        for (const auto& index : context.catalog.indexes) {
            if (exempt(context.catalog, index) || used.count(index.qualified_name()) > 0 ||
                shapes_per_table.count(index.table) == 0 ||
                !match_index(index, ScanAccess{}).understood) {
                continue;
            }
            findings.push_back(finding_for(workload, *context.catalog.find_table(index.table),
                                           index, shapes_per_table[index.table],
                                           context.catalog.dialect));
        }
        return findings;
    }

private:
    // Indexes never reported: those backing a constraint, invalid ones, a partition's index
    // attached to its parent's, and the only index a foreign key's checks can use.
    static bool exempt(const Catalog& catalog, const Index& index) {
        const Table* table = catalog.find_table(index.table);
        return table == nullptr || index.constraint != ConstraintKind::none || !index.valid ||
               !index.parent_index.empty() || only_index_for_a_foreign_key(catalog, *table, index);
    }

    std::vector<Finding> run_with_counts(const AnalysisContext& context,
                                         const parsers::live::IndexUsage& usage) const {
        std::vector<Finding> findings;
        const std::string age = counts_age(usage);
        for (const auto& index : context.catalog.indexes) {
            const auto counted = usage.scans.find(index.qualified_name());
            if (counted == usage.scans.end() || counted->second > 0 ||
                exempt(context.catalog, index)) {
                continue;
            }
            Finding finding = drop_finding(*context.catalog.find_table(index.table), index,
                                           context.catalog.dialect);
            finding.message = usage.source + " counts no scan of index " + index.name + " on " +
                              index.table + " " + age +
                              ", yet every write to the table maintains it.";
            if (usage.stats_age_days && *usage.stats_age_days < 7) {
                finding.message += " The counts are under a week old: a weekly or monthly job may "
                                   "still need it; confirm over a longer period before dropping.";
            }
            findings.push_back(std::move(finding));
        }
        return findings;
    }

    static std::string counts_age(const parsers::live::IndexUsage& usage) {
        if (usage.stats_reset.empty() || !usage.stats_age_days) {
            return "since its statistics were last reset (pg_stat_database.stats_reset is null: "
                   "never reset, so since the cluster's statistics began)";
        }
        char days[32];
        std::snprintf(days, sizeof days, "%.1f", *usage.stats_age_days);
        return "since its statistics were reset at " + usage.stats_reset + " (" + days +
               " days ago)";
    }

    Finding drop_finding(const Table& table, const Index& index, const std::string& dialect) const {
        Finding finding;
        finding.rule = std::string(id());
        finding.severity = default_severity();
        finding.table = index.table;
        finding.columns = index.key_texts();
        finding.index = index.name;
        finding.location = index.declared_at;
        finding.fix.drop_index = spec_of(index);
        // DROP INDEX CONCURRENTLY is not supported on a partitioned table's index.
        const bool partitioned = table.kind == TableKind::partitioned_table;
        finding.fix.sql_up = partitioned
                                 ? "DROP INDEX IF EXISTS " + quote_identifier(index.schema) + "." +
                                       quote_identifier(index.name) + ";"
                                 : drop_index_sql(index.schema, index.name, dialect);
        finding.fix.sql_down = create_index_sql(spec_of(index), dialect);
        return finding;
    }

    Finding finding_for(const Workload& workload, const Table& table, const Index& index,
                        std::size_t shapes_on_table, const std::string& dialect) const {
        Finding finding = drop_finding(table, index, dialect);
        finding.message = "None of the " + std::to_string(shapes_on_table) + " query shapes on " +
                          index.table + " in the log (" + std::to_string(workload.statements) +
                          " statements) could use index " + index.name +
                          "; every write to the table maintains it. A log covers only the "
                          "traffic it captured: confirm with pg_stat_user_indexes.idx_scan on "
                          "production before dropping it.";
        return finding;
    }
};

} // namespace

std::unique_ptr<Rule> make_unused_index_rule() {
    return std::make_unique<UnusedIndexRule>();
}

} // namespace advisor
