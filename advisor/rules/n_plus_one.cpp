// n-plus-one: one query shape run again and again with different parameters inside one
// transaction (or one burst of autocommits) of one session, usually once per row of the query
// before it: an ORM's lazy load in a loop. Each execution pays a round trip and the statement's
// fixed cost, so N rows cost N+1 queries where one or two would do. An index does not fix this:
// the look-ups are already fast one by one; the count is the problem. The fix is eager loading
// on the parent query, one `= ANY($1)` query, or one bulk write.
//
// The workload (advisor/workload.hpp) folds each transaction/burst into per-shape
// RepetitionStats; this rule reads only those, so it costs one pass over the shapes.
#include "advisor/index_usage.hpp"
#include "advisor/rules/app_patterns.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/sql_text.hpp"
#include "advisor/workload.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

namespace advisor {

namespace {

// Share of a shape's repeated runs a parent needs for a finding of its own.
constexpr double min_parent_share = 0.2;

// Runs this long per unit cost enough round trips to call the finding high.
constexpr std::uint32_t high_severity_executions = 20;

enum class LookupKind { unique_key, foreign_key, other, bulk_update, bulk_insert };

// What the repeated shape asks: the table it reads or writes and the columns it pins.
struct Lookup {
    const Table* table = nullptr;
    std::vector<std::string> columns;
    LookupKind kind = LookupKind::other;
    const ForeignKey* foreign_key = nullptr; // foreign_key lookups
};

const ForeignKey* foreign_key_on(const Table& table, const std::vector<std::string>& columns) {
    const std::set<std::string> pinned(columns.begin(), columns.end());
    for (const auto& fk : table.foreign_keys) {
        if (std::all_of(fk.columns.begin(), fk.columns.end(),
                        [&](const std::string& column) { return pinned.count(column) > 0; })) {
            return &fk;
        }
    }
    return nullptr;
}

std::optional<Lookup> lookup_of(const Catalog& catalog, const parsers::QueryFacts& facts) {
    if (facts.error) {
        return std::nullopt;
    }
    for (const auto& scan : facts.scans) {
        const Table* table = catalog.find_table(scan.table);
        if (table == nullptr || !scan.in_catalog) {
            continue;
        }
        Lookup lookup;
        lookup.table = table;
        if (scan.mode == parsers::ScanMode::insert) {
            lookup.kind = LookupKind::bulk_insert; // columns stay [] (design.md)
            return lookup;
        }
        lookup.columns = equality_columns(scan);
        if (lookup.columns.empty()) {
            continue; // a scan the statement reaches through a join; the pinned one comes next
        }
        const bool unique = is_unique_key_lookup(catalog, *table, scan);
        if (scan.mode == parsers::ScanMode::update || scan.mode == parsers::ScanMode::delete_) {
            lookup.kind = LookupKind::bulk_update;
        } else if (unique) {
            lookup.kind = LookupKind::unique_key;
        } else if ((lookup.foreign_key = foreign_key_on(*table, lookup.columns)) != nullptr) {
            lookup.kind = LookupKind::foreign_key;
        }
        return lookup;
    }
    return std::nullopt;
}

// One (parent, repeated shape) finding's runs: the workload's pairs whose parents resolve to the
// same owner, counting only runs of at least n_plus_one_min executions.
struct MergedRuns {
    std::uint64_t units = 0;
    std::uint64_t executions = 0;
    std::uint32_t max_executions = 0;
    std::map<std::uint32_t, std::uint64_t> histogram;
    std::uint64_t sessions = 0; // summed over the merged pairs: an upper bound when several
    double total_ms = 0;
    const RepeatedRun* largest = nullptr;

    void add(const RepetitionPair& pair, std::uint32_t min_executions) {
        std::uint64_t pair_units = 0;
        std::uint64_t pair_executions = 0;
        for (const auto& [executions, count] : pair.histogram) {
            if (executions >= min_executions) {
                histogram[executions] += count;
                pair_units += count;
                pair_executions += std::uint64_t(executions) * count;
            }
        }
        if (pair_units == 0) {
            return;
        }
        units += pair_units;
        executions += pair_executions;
        sessions += pair.sessions;
        total_ms += pair.executions == 0
                        ? 0
                        : pair.total_ms * double(pair_executions) / double(pair.executions);
        if (pair.max_executions > max_executions) {
            max_executions = pair.max_executions;
            largest = &pair.largest;
        }
    }

    double median() const {
        return median_executions(RunHistogram(histogram.begin(), histogram.end()));
    }
};

std::string format_count(double value) {
    const auto whole = static_cast<std::uint64_t>(value);
    return double(whole) == value ? std::to_string(whole)
                                  : std::to_string(whole) + ".5"; // medians are whole or halves
}

class NPlusOneRule final : public Rule {
public:
    std::string_view id() const override { return "n-plus-one"; }
    Severity default_severity() const override { return Severity::medium; }
    std::string_view summary() const override {
        return "One query shape runs once per row of another within a transaction (a lazy load "
               "in a loop): load the rows together, or write them in one statement.";
    }

    std::vector<Finding> run(const AnalysisContext& context) const override {
        if (context.workload == nullptr || context.facts == nullptr) {
            return {};
        }
        const Workload& workload = *context.workload;
        if (!workload.shows_sessions()) {
            context.note("n-plus-one: skipped: the log gives no sessions or transactions "
                         "(pg_stat_statements, SQL script), so repeated queries per request "
                         "cannot be seen");
            return {};
        }
        std::vector<Finding> findings;
        for (ShapeId id = 0; id < workload.shapes.size() && id < context.facts->size(); ++id) {
            const QueryShape& shape = workload.shapes[id];
            if (!repeats(shape, context.options)) {
                continue;
            }
            const auto lookup = lookup_of(context.catalog, (*context.facts)[id]);
            if (!lookup) {
                continue;
            }
            // One finding per (parent, repeated) pair, after resolving each logged parent to
            // the loop's owner (several logged parents can be siblings of one loop).
            std::vector<std::pair<std::optional<ShapeId>, MergedRuns>> groups;
            for (const auto& pair : shape.repetition.by_parent) {
                const auto owner = owner_of(context, *lookup, pair.parent);
                auto group = std::find_if(groups.begin(), groups.end(),
                                          [&](const auto& g) { return g.first == owner; });
                if (group == groups.end()) {
                    groups.emplace_back(owner, MergedRuns{});
                    group = groups.end() - 1;
                }
                group->second.add(pair, context.options.n_plus_one_min);
            }
            // A parent that accounts for few of the runs is noise (a loop that sometimes follows
            // one query, sometimes another): pairs under min_parent_share of the units are only
            // counted in the main finding's details.
            std::uint64_t total_units = 0;
            std::uint64_t most_units = 0;
            for (const auto& [owner, runs] : groups) {
                total_units += runs.units;
                most_units = std::max(most_units, runs.units);
            }
            std::size_t minor_parents = 0;
            std::uint64_t minor_units = 0;
            std::vector<Finding> shape_findings;
            for (const auto& [owner, runs] : groups) {
                if (runs.units == 0 || runs.largest == nullptr ||
                    runs.largest->distinct_parameters < 2) {
                    continue;
                }
                if (runs.units != most_units &&
                    double(runs.units) < min_parent_share * double(total_units)) {
                    ++minor_parents;
                    minor_units += runs.units;
                    continue;
                }
                shape_findings.push_back(finding_for(context, id, owner, runs, *lookup));
            }
            if (minor_parents > 0 && !shape_findings.empty()) {
                shape_findings.front().details.push_back(
                    "also after " + std::to_string(minor_parents) + " other quer" +
                    (minor_parents == 1 ? "y" : "ies") + " (" + std::to_string(minor_units) +
                    " transactions or bursts), each under " +
                    std::to_string(int(min_parent_share * 100)) + "% of the runs");
            }
            std::move(shape_findings.begin(), shape_findings.end(), std::back_inserter(findings));
        }
        return findings;
    }

private:
    // In a per-row loop that loads several relations (listing, then its cpu, then its gpu), the
    // shape run just before a look-up is often a sibling look-up of the same loop. The parent is
    // the nearest shape back whose table is related to the repeated one by a foreign key (either
    // way), found by following each repeated sibling's own predecessor.
    static std::optional<ShapeId> owner_of(const AnalysisContext& context, const Lookup& lookup,
                                           std::optional<ShapeId> parent) {
        const Workload& workload = *context.workload;
        std::optional<ShapeId> current = parent;
        // A few steps back at most: loops load a handful of relations per row.
        for (int step = 0; step < 4 && current; ++step) {
            const QueryShape& shape = workload.shapes[*current];
            const auto parent_lookup = lookup_of(context.catalog, (*context.facts)[*current]);
            if (!parent_lookup || related(*parent_lookup->table, *lookup.table) ||
                !repeats(shape, context.options) || shape.repetition.by_parent.empty()) {
                return current;
            }
            current = shape.repetition.by_parent.front().parent;
        }
        return parent; // no related shape found: keep the one the log shows
    }

    static bool related(const Table& a, const Table& b) {
        const auto refers = [](const Table& from, const Table& to) {
            return std::any_of(
                from.foreign_keys.begin(), from.foreign_keys.end(),
                [&](const ForeignKey& fk) { return fk.referenced_table == to.qualified_name(); });
        };
        return refers(a, b) || refers(b, a);
    }

    static bool repeats(const QueryShape& shape, const RuleOptions& options) {
        return shape.repetition.units > 0 &&
               shape.repetition.max_executions >= options.n_plus_one_min;
    }

    Finding finding_for(const AnalysisContext& context, ShapeId id, std::optional<ShapeId> parent,
                        const MergedRuns& runs, const Lookup& lookup) const {
        const Workload& workload = *context.workload;
        const QueryShape& shape = workload.shapes[id];
        const Table& table = *lookup.table;
        Finding finding;
        finding.rule = std::string(id_text);
        finding.table = table.qualified_name();
        finding.columns =
            lookup.kind == LookupKind::bulk_insert ? std::vector<std::string>{} : lookup.columns;
        finding.location = table.declared_at;
        finding.severity =
            runs.max_executions >= high_severity_executions ? Severity::high : default_severity();
        // One query replaces all but one execution per unit.
        const double total_ms =
            runs.total_ms > 0 ? runs.total_ms : shape.mean_ms() * double(runs.executions);
        finding.time_saved_ms =
            total_ms * double(runs.executions - runs.units) / double(runs.executions);
        const RepeatedRun& largest = *runs.largest;
        const std::string unit = largest.in_transaction ? "transaction" : "burst";
        std::string message =
            "The same " + std::string(parsers::to_string((*context.facts)[id].kind)) + " on " +
            finding.table + " ran a median of " + format_count(runs.median()) + " times (up to " +
            std::to_string(runs.max_executions) + ") per " + unit +
            " with different parameters, in " + std::to_string(runs.units) + " transaction" +
            (runs.units == 1 ? "" : "s") + " or bursts of " + std::to_string(runs.sessions) +
            " session" + (runs.sessions == 1 ? "" : "s") + " (" + std::to_string(runs.executions) +
            " executions, " + format_ms(total_ms) + ")";
        const QueryShape* parent_shape = parent ? &workload.shapes[*parent] : nullptr;
        const Table* parent_table = nullptr;
        if (parent_shape != nullptr) {
            message += ", after the query " + parent_shape->fingerprint;
            const auto parent_lookup = lookup_of(context.catalog, (*context.facts)[*parent]);
            if (parent_lookup) {
                parent_table = parent_lookup->table;
            } else {
                for (const auto& scan : (*context.facts)[*parent].scans) {
                    if ((parent_table = context.catalog.find_table(scan.table)) != nullptr) {
                        break;
                    }
                }
            }
        }
        if (parent_table != nullptr) {
            message += " on " + parent_table->qualified_name();
        }
        finding.message = message + ": one round trip per row where one query would do.";
        finding.details.push_back("largest run: " + std::to_string(largest.executions) +
                                  " executions, session " + largest.session + ", " + largest.file +
                                  " lines " + std::to_string(largest.first_line) + "-" +
                                  std::to_string(largest.last_line));
        finding.queries.push_back(evidence_of(shape));
        if (parent_shape != nullptr) {
            finding.queries.push_back(evidence_of(*parent_shape));
        }
        const ModelNames& names = context.options.models;
        const std::string model = names.class_of(table);
        nlohmann::json data = {{"model", model}};
        std::string key = lookup.columns.empty() ? "id" : lookup.columns.front();
        data["key"] = names.attribute_of(table, key);
        switch (lookup.kind) {
        case LookupKind::unique_key: {
            finding.fix.note = "Load the rows with the parent query (eager loading) or in one "
                               "query with " +
                               key +
                               " = ANY($1); an index would not help: each "
                               "look-up is already an index scan.";
            // Many-to-one: the parent table has a foreign key to this one.
            if (parent_table != nullptr) {
                for (const auto& fk : parent_table->foreign_keys) {
                    if (fk.referenced_table != finding.table) {
                        continue;
                    }
                    std::string parent_model = names.class_of(*parent_table);
                    std::string loader = "joinedload(" + parent_model + "." +
                                         names.reference_of(*parent_table, fk) + ")";
                    // The parent rows came from a lazy-loaded collection (collection_items by
                    // collection_id): load both with the grandparent query.
                    const auto parent_lookup =
                        parent ? lookup_of(context.catalog, (*context.facts)[*parent])
                               : std::nullopt;
                    if (parent_lookup && parent_lookup->kind == LookupKind::foreign_key) {
                        const Table* grand = context.catalog.find_table(
                            parent_lookup->foreign_key->referenced_table);
                        if (grand != nullptr) {
                            loader = "selectinload(" + names.class_of(*grand) + "." +
                                     names.collection_of(*grand, *parent_table) + ")." + loader;
                            parent_model = names.class_of(*grand);
                        }
                    }
                    data["eager"] = {{"parent_model", parent_model}, {"loader", loader}};
                    break;
                }
            }
            data["any_query"] = true;
            break;
        }
        case LookupKind::foreign_key: {
            const ForeignKey& fk = *lookup.foreign_key;
            const Table* referenced = context.catalog.find_table(fk.referenced_table);
            // The referenced table is in the catalog (the foreign key was read from it); a
            // stand-in keeps the names conventional when it is not.
            Table stand_in;
            stand_in.name = unqualified_name(fk.referenced_table);
            const Table& parent_of_rows = referenced != nullptr ? *referenced : stand_in;
            const std::string parent_model = names.class_of(parent_of_rows);
            const std::string collection = names.collection_of(parent_of_rows, table);
            std::string loader = "selectinload(" + parent_model + "." + collection + ")";
            // Nested runs (per project -> features, per feature -> backlogs): chain the loaders.
            if (parent) {
                const auto parent_lookup = lookup_of(context.catalog, (*context.facts)[*parent]);
                if (parent_lookup && parent_lookup->kind == LookupKind::foreign_key &&
                    repeats(workload.shapes[*parent], context.options) &&
                    parent_lookup->foreign_key->referenced_table != finding.table) {
                    const Table* grand =
                        context.catalog.find_table(parent_lookup->foreign_key->referenced_table);
                    if (grand != nullptr) {
                        loader = "selectinload(" + names.class_of(*grand) + "." +
                                 names.collection_of(*grand, *parent_lookup->table) +
                                 ").selectinload(" + parent_model + "." + collection + ")";
                        data["parent_model"] = names.class_of(*grand);
                    }
                }
            }
            data["eager"] = {{"parent_model", data.value("parent_model", parent_model)},
                             {"loader", loader}};
            finding.fix.note = "Load the children with the parent query: " + loader + ".";
            bool indexed = false;
            for (const Index* index : context.catalog.indexes_on(finding.table)) {
                indexed = indexed || serves_equality_lookup(*index, fk.columns);
            }
            if (!indexed) {
                finding.details.push_back(
                    "no index serves the foreign key " + finding.table + " (" + key +
                    "): each look-up scans the table; see the unindexed-foreign-key / "
                    "missing-index finding for the index");
            }
            break;
        }
        case LookupKind::bulk_update:
            finding.fix.note = "Write all rows in one statement (executemany, or UPDATE ... "
                               "FROM (VALUES ...) / WHERE " +
                               key + " = ANY($1)).";
            data["bulk_update"] = true;
            break;
        case LookupKind::bulk_insert:
            finding.fix.note = "Insert all rows in one multi-row INSERT (or executemany).";
            data["bulk_insert"] = true;
            break;
        case LookupKind::other:
            finding.fix.note = "Fetch all rows in one query with " + key + " = ANY($1).";
            data["any_query"] = true;
            break;
        }
        finding.fix.sqlalchemy = render_sqlalchemy_fix({{"n_plus_one", data}});
        return finding;
    }

    static constexpr std::string_view id_text = "n-plus-one";
};

} // namespace

std::unique_ptr<Rule> make_n_plus_one_rule() {
    return std::make_unique<NPlusOneRule>();
}

} // namespace advisor
