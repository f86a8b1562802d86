// eager-load: a query that loads a related table by `WHERE rel.key IN (...)` / `= ANY(...)`
// (SQLAlchemy's selectin loading) right after a parent query in at least 90% of the parent's
// executions: a relationship declared `lazy="selectin"` (or `joined`) fires on every load of
// the parent, whether the caller uses it or not. Seed 002: every authenticated request loads the
// user, then its roles and its tenant, four queries where the request needs one. Each such load
// adds a round trip and a query per parent execution; the fix is to load it only where it is
// used.
//
// The workload counts, per shape, the shapes among the next few statements of the same
// transaction or burst (QueryShape::followers); this rule reads only those counts.
#include "advisor/rules/app_patterns.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/workload.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace advisor {

namespace {

// Share of the parent's executions the load must follow.
constexpr double follow_share = 0.9;
// Executions of the parent needed before a share means anything.
constexpr std::uint64_t min_parent_executions = 5;

// What a selectin-style load reads: one table by a list of keys.
struct SelectinLoad {
    const Table* table = nullptr;
    std::string column;
    const ForeignKey* foreign_key = nullptr; // the column is this foreign key (one-to-many)
};

std::optional<SelectinLoad> selectin_load_of(const Catalog& catalog,
                                             const parsers::QueryFacts& facts) {
    if (facts.error || facts.kind != parsers::StatementKind::select) {
        return std::nullopt;
    }
    for (const auto& scan : facts.scans) {
        const Table* table = scan.in_catalog ? catalog.find_table(scan.table) : nullptr;
        if (table == nullptr || scan.mode != parsers::ScanMode::read) {
            continue;
        }
        for (const auto& use : scan.uses) {
            if (!use.written_as_list || use.under_or || !use.expression.empty() ||
                (use.operand != parsers::Operand::parameter &&
                 use.operand != parsers::Operand::constant)) {
                continue;
            }
            SelectinLoad load;
            load.table = table;
            load.column = use.column;
            for (const auto& fk : table->foreign_keys) {
                if (fk.columns == std::vector<std::string>{use.column}) {
                    load.foreign_key = &fk;
                }
            }
            if (load.foreign_key != nullptr ||
                table->primary_key == std::vector<std::string>{use.column}) {
                return load;
            }
        }
    }
    return std::nullopt;
}

// The relationship between a table the parent reads and the loaded table: the parent's table
// and the foreign key that joins them (on either side).
struct Relationship {
    const Table* parent = nullptr;
    const ForeignKey* foreign_key = nullptr;
    bool collection = false; // the loaded table refers to the parent (one-to-many)
};

std::optional<Relationship> relationship_to(const AnalysisContext& context,
                                            const parsers::QueryFacts& parent_facts,
                                            const SelectinLoad& load) {
    for (const auto& scan : parent_facts.scans) {
        const Table* parent = scan.in_catalog ? context.catalog.find_table(scan.table) : nullptr;
        if (parent == nullptr) {
            continue;
        }
        // One-to-many: the loaded rows' key column refers to the parent (user_roles.user_id).
        if (load.foreign_key != nullptr &&
            load.foreign_key->referenced_table == parent->qualified_name()) {
            return Relationship{parent, load.foreign_key, true};
        }
        // Many-to-one: the parent refers to the loaded table's key (users.tenant_id).
        if (load.foreign_key == nullptr) {
            for (const auto& fk : parent->foreign_keys) {
                if (fk.referenced_table == load.table->qualified_name()) {
                    return Relationship{parent, &fk, false};
                }
            }
        }
    }
    return std::nullopt;
}

struct Candidate {
    ShapeId parent = 0;
    std::uint64_t times = 0;
    Relationship relationship;
};

class EagerLoadRule final : public Rule {
public:
    std::string_view id() const override { return "eager-load"; }
    Severity default_severity() const override { return Severity::medium; }
    std::string_view summary() const override {
        return "A related table is loaded by IN (...) after nearly every execution of a query "
               "(selectin/joined eager loading): load it only where it is used.";
    }

    std::vector<Finding> run(const AnalysisContext& context) const override {
        if (context.workload == nullptr || context.facts == nullptr) {
            return {};
        }
        const Workload& workload = *context.workload;
        if (!workload.shows_sessions()) {
            context.note("eager-load: skipped: the log gives no sessions, so what runs after "
                         "each query cannot be seen");
            return {};
        }
        const auto& facts = *context.facts;
        // The best parent per loaded shape: the highest share, then the most executions.
        std::map<ShapeId, Candidate> best;
        std::map<ShapeId, SelectinLoad> loads;
        for (ShapeId parent = 0; parent < workload.shapes.size() && parent < facts.size();
             ++parent) {
            const QueryShape& shape = workload.shapes[parent];
            if (shape.session_executions < min_parent_executions) {
                continue;
            }
            for (const auto& follower : shape.followers) {
                if (double(follower.times) < follow_share * double(shape.session_executions) ||
                    follower.shape >= facts.size()) {
                    continue;
                }
                auto load = selectin_load_of(context.catalog, facts[follower.shape]);
                if (!load) {
                    continue;
                }
                const auto relationship = relationship_to(context, facts[parent], *load);
                if (!relationship) {
                    continue; // follows, but nothing ties it to this query: not its load
                }
                loads.emplace(follower.shape, *load);
                Candidate candidate{parent, follower.times, *relationship};
                const auto found = best.find(follower.shape);
                if (found == best.end() || better(workload, candidate, found->second)) {
                    best[follower.shape] = candidate;
                }
            }
        }
        // Loads per parent, for "each execution runs N queries".
        std::map<ShapeId, std::vector<ShapeId>> by_parent;
        for (const auto& [loaded, candidate] : best) {
            by_parent[candidate.parent].push_back(loaded);
        }
        std::vector<Finding> findings;
        for (const auto& [loaded, candidate] : best) {
            if (context.options.excluded_tables.count(loads.at(loaded).table->qualified_name()) >
                0) {
                continue;
            }
            std::set<ShapeId> chain;
            loads_below(by_parent, candidate.parent, chain);
            findings.push_back(
                finding_for(context, loaded, loads.at(loaded), candidate, chain.size()));
        }
        return findings;
    }

private:
    // Every load that runs because `parent` ran: its own, and theirs (user -> user_roles ->
    // roles, as a chained selectin relationship loads them).
    static void loads_below(const std::map<ShapeId, std::vector<ShapeId>>& by_parent,
                            ShapeId parent, std::set<ShapeId>& chain) {
        const auto found = by_parent.find(parent);
        if (found == by_parent.end()) {
            return;
        }
        for (const ShapeId loaded : found->second) {
            if (chain.insert(loaded).second) {
                loads_below(by_parent, loaded, chain);
            }
        }
    }

    static bool better(const Workload& workload, const Candidate& a, const Candidate& b) {
        const QueryShape& x = workload.shapes[a.parent];
        const QueryShape& y = workload.shapes[b.parent];
        const double share_a = double(a.times) / double(x.session_executions);
        const double share_b = double(b.times) / double(y.session_executions);
        if (share_a != share_b) {
            return share_a > share_b;
        }
        if (x.session_executions != y.session_executions) {
            return x.session_executions > y.session_executions;
        }
        return a.parent < b.parent;
    }

    Finding finding_for(const AnalysisContext& context, ShapeId loaded, const SelectinLoad& load,
                        const Candidate& candidate, std::size_t chain_size) const {
        const Workload& workload = *context.workload;
        const QueryShape& shape = workload.shapes[loaded];
        const QueryShape& parent = workload.shapes[candidate.parent];
        const Relationship& relationship = candidate.relationship;
        const ModelNames& names = context.options.models;
        Finding finding;
        finding.rule = std::string(id());
        finding.table = load.table->qualified_name();
        finding.columns = {load.column};
        finding.location = load.table->declared_at;
        finding.severity = default_severity();
        // The loads after the parent are what lazy loading would save.
        finding.time_saved_ms = shape.mean_ms() * double(candidate.times);
        const auto percent = static_cast<int>(
            100.0 * double(candidate.times) / double(parent.session_executions) + 0.5);
        std::string message =
            "The query " + shape.fingerprint + " loads " + finding.table + " by " + load.column +
            " IN (...) after the query " + parent.fingerprint + " on " +
            relationship.parent->qualified_name() + " in " + std::to_string(candidate.times) +
            " of its " + std::to_string(parent.session_executions) + " executions (" +
            std::to_string(percent) + "%): one more query per execution (" +
            format_ms(finding.time_saved_ms) + " in all), as an eagerly loaded relationship does";
        if (chain_size > 1) {
            message += "; with the other loads it brings, each execution of " + parent.fingerprint +
                       " runs " + std::to_string(chain_size + 1) + " queries";
        }
        finding.message = message + ".";
        finding.queries.push_back(evidence_of(shape));
        finding.queries.push_back(evidence_of(parent));
        const std::string parent_model = names.class_of(*relationship.parent);
        const std::string attribute =
            relationship.collection
                ? names.collection_of(*relationship.parent, *load.table)
                : names.reference_of(*relationship.parent, *relationship.foreign_key);
        finding.details.push_back("relationship: " + parent_model + "." + attribute + " (" +
                                  (relationship.collection ? "one-to-many" : "many-to-one") +
                                  ", loaded with selectin)");
        finding.fix.note = "Declare " + parent_model + "." + attribute +
                           " with lazy=\"raise\" (or lazy=\"select\") and load it with "
                           "selectinload(" +
                           parent_model + "." + attribute +
                           ") only where it is used, or give the hot path a lighter query.";
        finding.fix.sqlalchemy = render_sqlalchemy_fix(
            {{"eager_load", {{"parent_model", parent_model}, {"attribute", attribute}}}});
        return finding;
    }
};

} // namespace

std::unique_ptr<Rule> make_eager_load_rule() {
    return std::make_unique<EagerLoadRule>();
}

} // namespace advisor
