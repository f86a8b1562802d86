// missing-index: the smallest set of indexes that serves the workload's heavy scans no existing
// index serves. Each scan that filters, joins (as the inner side of a nested loop) or sorts with a
// LIMIT is a need; needs no index serves are grouped per table, heaviest first (by logged time,
// else by calls), and each gets an existing proposal that serves it or a new one: equality
// columns first, ordered by how much of the table's workload filters on each (so one index
// serves as many shapes as possible), then one range column or the ORDER BY. JSON containment
// gets a GIN index; `lower(email) = ...` and `(data ->> 'k') = ...` an expression index.
#include "advisor/analysis.hpp"
#include "advisor/index_fix.hpp"
#include "advisor/index_matching.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/workload.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace advisor {

namespace {

constexpr std::size_t max_key_columns = 3;
// A shape this heavy is strong evidence for a fourth key column.
constexpr double strong_evidence_share = 0.25;

struct ScanNeed {
    ShapeId shape = 0;
    std::string table;
    ScanAccess access;
    double weight = 0;
};

struct Proposal {
    IndexSpec spec;
    std::vector<ShapeId> shapes;
    double weight = 0;
};

IndexKey key_for(const std::string& text) {
    IndexKey key;
    // Canonical expression texts hold operators or parentheses; plain column names do not.
    if (text.find_first_of("() ->:'") == std::string::npos) {
        key.column = text;
    } else {
        key.expression = text;
    }
    return key;
}

bool has_conditions(const ScanAccess& access) {
    return !access.equality.empty() || !access.join_equality.empty() || !access.in_lists.empty() ||
           !access.ranges.empty() || !access.null_tests.empty() || !access.like_prefixes.empty() ||
           !access.containments.empty();
}

Index as_index(const IndexSpec& spec) {
    Index index;
    const auto dot = spec.table.find('.');
    index.schema = dot == std::string::npos ? "public" : spec.table.substr(0, dot);
    index.name = spec.name;
    index.table = spec.table;
    index.keys = spec.keys;
    index.method = spec.method;
    index.unique = spec.unique;
    index.where = spec.where;
    index.include = spec.include;
    return index;
}

std::string percent(double share) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * share);
    return buffer;
}

class MissingIndexRule final : public Rule {
public:
    std::string_view id() const override { return "missing-index"; }
    Severity default_severity() const override { return Severity::high; }
    std::string_view summary() const override {
        return "Logged queries filter, join or sort a table on columns no index serves, so each "
               "call reads the whole table; the smallest set of indexes that serves them.";
    }

    std::vector<Finding> run(const AnalysisContext& context) const override {
        if (context.workload == nullptr || context.facts == nullptr) {
            return {};
        }
        const Workload& workload = *context.workload;
        const bool timed = std::any_of(workload.shapes.begin(), workload.shapes.end(),
                                       [](const QueryShape& s) { return s.timed_calls > 0; });
        const auto weight_of = [&](const QueryShape& shape) {
            return timed ? shape.total_ms : static_cast<double>(shape.calls);
        };
        double total_weight = 0;
        for (const auto& shape : workload.shapes) {
            total_weight += weight_of(shape);
        }

        const IndexMatcher matcher(context.catalog);
        catalog_ = &context.catalog;
        std::map<std::string, std::vector<ScanNeed>> needs_by_table;
        std::set<std::string> unknown_tables;
        std::set<std::string> small_tables;
        for (ShapeId id = 0; id < workload.shapes.size() && id < context.facts->size(); ++id) {
            const parsers::QueryFacts& facts = (*context.facts)[id];
            if (facts.error) {
                continue;
            }
            unknown_tables.insert(facts.unknown_tables.begin(), facts.unknown_tables.end());
            for (const auto& scan : facts.scans) {
                const Table* table = context.catalog.find_table(scan.table);
                if (!scan.in_catalog || scan.system_catalog || table == nullptr ||
                    scan.mode == parsers::ScanMode::insert ||
                    context.options.excluded_tables.count(scan.table) > 0 ||
                    (table->kind != TableKind::table &&
                     table->kind != TableKind::partitioned_table &&
                     table->kind != TableKind::materialized_view)) {
                    continue;
                }
                const auto rows = context.options.table_rows.find(scan.table);
                if (rows != context.options.table_rows.end() &&
                    rows->second < context.options.min_rows) {
                    small_tables.insert(scan.table);
                    continue;
                }
                ScanAccess access = parsers_scan_access(scan, table);
                if (!joined_side_is_filtered(facts, scan)) {
                    access.join_equality.clear();
                }
                // An index that only sorts helps only when a LIMIT stops the scan early.
                if (!has_conditions(access) && (access.order_by.empty() || !scan.limited)) {
                    continue;
                }
                if (!scan.limited) {
                    access.order_by.clear();
                }
                if (served(matcher, access)) {
                    continue;
                }
                needs_by_table[scan.table].push_back(
                    {id, scan.table, std::move(access), weight_of(workload.shapes[id])});
            }
        }
        for (const auto& table : unknown_tables) {
            context.note("missing-index: queries read " + table +
                         ", which is not in the schema given; no index is proposed for it");
        }
        for (const auto& table : small_tables) {
            context.note("missing-index: " + table + " holds fewer than " +
                         std::to_string(static_cast<long long>(context.options.min_rows)) +
                         " rows (--stats); no index is proposed for it");
        }

        std::vector<Finding> findings;
        for (auto& [table_name, needs] : needs_by_table) {
            for (auto& proposal : propose(needs, total_weight)) {
                findings.push_back(finding_for(context, workload, proposal, total_weight));
            }
        }
        return findings;
    }

private:
    mutable const Catalog* catalog_ = nullptr; // the catalog of the current run()

    // An existing index serves a scan when it uses every condition, or finds the one row by a
    // unique key. One that uses only some (an index on tenant_id for `email = $1 AND tenant_id =
    // $2`) still reads every row matching its columns, which the log cannot size: not served.
    bool served(const IndexMatcher& matcher, const ScanAccess& access) const {
        // A partial index whose predicate the scan implies has already applied the conditions
        // its predicate holds (WHERE deleted_at IS NULL), even if it has no key for them.
        const auto best = matcher.best(access);
        if (!best) {
            return false;
        }
        const Index* index = matcher_index(best->index);
        return best->all_conditions_used || best->unique_lookup || (index && index->where);
    }

    // A join column is looked up one outer row at a time only when this scan is the inner side
    // of a nested loop, which the planner chooses when the other side is small: filtered by its
    // own conditions. Two unfiltered sides (a LEFT JOIN listing every row) make a hash join,
    // where no index on the join column helps.
    static bool joined_side_is_filtered(const parsers::QueryFacts& facts,
                                        const parsers::TableScan& scan) {
        for (const auto& use : scan.uses) {
            if (use.role != parsers::ColumnRole::join) {
                continue;
            }
            for (const auto& other : facts.scans) {
                if (&other == &scan || other.table != use.joined_table) {
                    continue;
                }
                for (const auto& other_use : other.uses) {
                    const bool filters = other_use.role == parsers::ColumnRole::eq ||
                                         other_use.role == parsers::ColumnRole::in ||
                                         other_use.role == parsers::ColumnRole::range ||
                                         other_use.role == parsers::ColumnRole::is_null ||
                                         other_use.role == parsers::ColumnRole::like_prefix ||
                                         other_use.role == parsers::ColumnRole::json_contains;
                    if (filters && other_use.operand != parsers::Operand::column) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    const Index* matcher_index(const std::string& qualified_name) const {
        return catalog_ ? catalog_->find_index(qualified_name) : nullptr;
    }

    static ScanAccess parsers_scan_access(const parsers::TableScan& scan, const Table* table) {
        return scan_access(scan, table, JoinColumns::as_equality);
    }

    // The keys a need asks for, equality columns ordered by the table's column weights.
    static std::pair<std::vector<IndexKey>, std::string>
    keys_for(const ScanNeed& need, const std::map<std::string, double>& column_weight,
             double total_weight) {
        const ScanAccess& access = need.access;
        if (!access.containments.empty() && access.equality.empty() && access.in_lists.empty() &&
            access.join_equality.empty()) {
            // JSON / array containment: GIN. jsonb_path_ops is smaller and faster but serves
            // only @> (and jsonpath): use it when that is all the workload asks.
            const Containment& first = access.containments.front();
            IndexKey key = key_for(first.key);
            const bool only_contains = std::all_of(
                access.containments.begin(), access.containments.end(),
                [&](const Containment& c) { return c.key == first.key && c.op == "@>"; });
            if (first.json && only_contains) {
                key.opclass = "jsonb_path_ops";
            }
            return {{key}, "gin"};
        }
        std::vector<std::string> equality;
        for (const auto* list :
             {&access.equality, &access.in_lists, &access.join_equality, &access.null_tests}) {
            for (const auto& column : *list) {
                if (std::find(equality.begin(), equality.end(), column) == equality.end()) {
                    equality.push_back(column);
                }
            }
        }
        std::stable_sort(equality.begin(), equality.end(), [&](const auto& a, const auto& b) {
            const double wa = column_weight.count(a) ? column_weight.at(a) : 0;
            const double wb = column_weight.count(b) ? column_weight.at(b) : 0;
            return wa != wb ? wa > wb : a < b;
        });
        std::vector<IndexKey> keys;
        for (const auto& column : equality) {
            keys.push_back(key_for(column));
        }
        if (!access.ranges.empty()) {
            keys.push_back(key_for(access.ranges.front()));
        } else if (!access.like_prefixes.empty()) {
            IndexKey key = key_for(access.like_prefixes.front());
            // LIKE 'abc%' uses a btree only with a pattern opclass (or the C collation).
            key.opclass = "text_pattern_ops";
            keys.push_back(key);
        } else {
            for (const auto& order : access.order_by) {
                if (std::any_of(keys.begin(), keys.end(),
                                [&](const IndexKey& k) { return k.text() == order.key; })) {
                    continue;
                }
                IndexKey key = key_for(order.key);
                key.descending = order.direction == parsers::SortDirection::descending;
                keys.push_back(key);
            }
        }
        const bool strong = total_weight > 0 && need.weight / total_weight >= strong_evidence_share;
        const std::size_t limit = strong ? max_key_columns + 1 : max_key_columns;
        if (keys.size() > limit) {
            keys.resize(limit);
        }
        return {keys, "btree"};
    }

    static std::vector<Proposal> propose(std::vector<ScanNeed>& needs, double total_weight) {
        std::map<std::string, double> column_weight;
        for (const auto& need : needs) {
            for (const auto* list : {&need.access.equality, &need.access.in_lists,
                                     &need.access.join_equality, &need.access.null_tests}) {
                for (const auto& column : *list) {
                    column_weight[column] += need.weight;
                }
            }
        }
        std::stable_sort(needs.begin(), needs.end(), [](const ScanNeed& a, const ScanNeed& b) {
            return a.weight != b.weight ? a.weight > b.weight : a.shape < b.shape;
        });
        std::vector<Proposal> proposals;
        for (const auto& need : needs) {
            const auto serving =
                std::find_if(proposals.begin(), proposals.end(), [&](const Proposal& p) {
                    const IndexMatch match = match_index(as_index(p.spec), need.access);
                    return match.serves && (match.all_conditions_used || match.unique_lookup);
                });
            if (serving != proposals.end()) {
                add_shape(*serving, need);
                continue;
            }
            // Plain variables, not a structured binding: clang 14 cannot capture those in lambdas.
            const auto keys_and_method = keys_for(need, column_weight, total_weight);
            const std::vector<IndexKey>& keys = keys_and_method.first;
            const std::string& method = keys_and_method.second;
            if (keys.empty()) {
                continue;
            }
            IndexSpec spec = proposed_index(need.table, keys, method);
            // A longer index whose leading keys are an earlier proposal's replaces it: one index
            // then serves both (a btree serves its leading prefix).
            const auto extended =
                std::find_if(proposals.begin(), proposals.end(), [&](const Proposal& p) {
                    if (p.spec.method != "btree" || method != "btree" ||
                        p.spec.keys.size() >= keys.size()) {
                        return false;
                    }
                    return std::equal(p.spec.keys.begin(), p.spec.keys.end(), keys.begin(),
                                      [](const IndexKey& a, const IndexKey& b) {
                                          return a.text() == b.text() &&
                                                 a.descending == b.descending &&
                                                 a.opclass == b.opclass;
                                      });
                });
            if (extended != proposals.end()) {
                extended->spec = spec;
                add_shape(*extended, need);
                continue;
            }
            Proposal proposal;
            proposal.spec = spec;
            add_shape(proposal, need);
            proposals.push_back(std::move(proposal));
        }
        return proposals;
    }

    static void add_shape(Proposal& proposal, const ScanNeed& need) {
        if (std::find(proposal.shapes.begin(), proposal.shapes.end(), need.shape) ==
            proposal.shapes.end()) {
            proposal.shapes.push_back(need.shape);
            proposal.weight += need.weight;
        }
    }

    Finding finding_for(const AnalysisContext& context, const Workload& workload,
                        const Proposal& proposal, double total_weight) const {
        Finding finding;
        finding.rule = std::string(id());
        finding.table = proposal.spec.table;
        finding.columns = proposal.spec.columns();
        const double share = total_weight > 0 ? proposal.weight / total_weight : 0;
        finding.severity = share >= 0.10   ? Severity::high
                           : share >= 0.01 ? Severity::medium
                                           : Severity::low;
        if (const Table* table = context.catalog.find_table(finding.table)) {
            finding.location = table->declared_at;
        }
        std::vector<ShapeId> shapes = proposal.shapes;
        std::sort(shapes.begin(), shapes.end(), [&](ShapeId a, ShapeId b) {
            return workload.shapes[a].total_ms != workload.shapes[b].total_ms
                       ? workload.shapes[a].total_ms > workload.shapes[b].total_ms
                       : a < b;
        });
        std::uint64_t calls = 0;
        double total_ms = 0;
        for (const ShapeId shape_id : shapes) {
            const QueryShape& shape = workload.shapes[shape_id];
            calls += shape.calls;
            total_ms += shape.total_ms;
            if (finding.queries.size() < 10) {
                finding.queries.push_back(
                    {shape.fingerprint, static_cast<long long>(shape.calls), shape.total_ms,
                     shape.examples.empty() ? shape.query : shape.examples.front().text});
            }
        }
        finding.time_saved_ms = total_ms;
        std::string columns;
        for (const auto& column : finding.columns) {
            columns += (columns.empty() ? "" : ", ") + column;
        }
        finding.message =
            std::to_string(shapes.size()) +
            (shapes.size() == 1 ? " query shape" : " query shapes") + " (" + std::to_string(calls) +
            " calls, " + format_ms(total_ms) + ", " + percent(share) + " of the logged workload) " +
            (proposal.spec.method == "gin" ? "search " : "filter, join or sort ") + finding.table +
            " on (" + columns + ") and no index serves them: each call reads the table.";
        finding.fix = create_index_fix(context.catalog, proposal.spec);
        return finding;
    }
};

} // namespace

std::unique_ptr<Rule> make_missing_index_rule() {
    return std::make_unique<MissingIndexRule>();
}

} // namespace advisor
