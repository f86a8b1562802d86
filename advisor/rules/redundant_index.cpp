// redundant-index: an index whose keys are a leading prefix of another valid index on the same
// table with the same method, key expressions and predicate. Every write maintains it and it
// takes space, yet any scan it serves the longer index serves too (a btree serves its leading
// prefix). Indexes backing PRIMARY KEY, UNIQUE or EXCLUDE constraints are never proposed for
// dropping; a unique index is redundant only to an exact unique duplicate, since a longer
// index does not enforce its uniqueness.
#include "advisor/rules/rule.hpp"
#include "advisor/sql_text.hpp"

#include <algorithm>

namespace advisor {

namespace {

bool same_key(const IndexKey& a, const IndexKey& b) {
    return a.column == b.column && a.expression == b.expression && a.descending == b.descending &&
           a.nulls == b.nulls && a.opclass == b.opclass && a.collation == b.collation;
}

bool keys_are_prefix(const Index& shorter, const Index& longer) {
    if (shorter.keys.size() > longer.keys.size()) {
        return false;
    }
    for (std::size_t i = 0; i < shorter.keys.size(); ++i) {
        if (!same_key(shorter.keys[i], longer.keys[i])) {
            return false;
        }
    }
    return true;
}

// An INCLUDE column serves index-only scans; the longer index must carry it too.
bool covers_included_columns(const Index& shorter, const Index& longer) {
    for (const auto& column : shorter.include) {
        const bool in_keys = std::any_of(longer.keys.begin(), longer.keys.end(),
                                         [&](const IndexKey& key) { return key.column == column; });
        const bool included =
            std::find(longer.include.begin(), longer.include.end(), column) != longer.include.end();
        if (!in_keys && !included) {
            return false;
        }
    }
    return true;
}

bool droppable(const Index& index) {
    // An index attached to a partitioned parent index cannot be dropped on its own.
    return index.constraint == ConstraintKind::none && index.valid && index.parent_index.empty();
}

class RedundantIndexRule final : public Rule {
public:
    std::string_view id() const override { return "redundant-index"; }
    Severity default_severity() const override { return Severity::low; }
    std::string_view summary() const override {
        return "An index is a leading prefix (or a duplicate) of another index on the same table; "
               "it slows every write and serves nothing the other does not.";
    }

    std::vector<Finding> run(const AnalysisContext& context) const override {
        std::vector<Finding> findings;
        for (const auto& [table_name, table] : context.catalog.tables) {
            const auto indexes = context.catalog.indexes_on(table_name);
            for (const Index* candidate : indexes) {
                if (!droppable(*candidate)) {
                    continue;
                }
                if (const Index* keeper = superseding_index(*candidate, indexes)) {
                    findings.push_back(
                        finding_for(table, *candidate, *keeper, context.catalog.dialect));
                }
            }
        }
        return findings;
    }

private:
    static const Index* superseding_index(const Index& candidate,
                                          const std::vector<const Index*>& indexes) {
        for (const Index* other : indexes) {
            if (other == &candidate || !other->valid || other->method != candidate.method ||
                other->where != candidate.where || !keys_are_prefix(candidate, *other) ||
                !covers_included_columns(candidate, *other)) {
                continue;
            }
            if (candidate.keys.size() < other->keys.size()) {
                // Only a btree serves its leading prefix; a unique index enforces something the
                // longer one does not.
                if (candidate.method == "btree" && !candidate.unique) {
                    return other;
                }
                continue;
            }
            // Exact duplicates.
            if (candidate.unique && !other->unique) {
                continue;
            }
            if (candidate.unique == other->unique && droppable(*other) &&
                other->name > candidate.name) {
                continue; // both could go: keep the first by name, drop the later one
            }
            return other;
        }
        return nullptr;
    }

    Finding finding_for(const Table& table, const Index& redundant, const Index& keeper,
                        const std::string& dialect) const {
        const bool exact = redundant.keys.size() == keeper.keys.size();
        Finding finding;
        finding.rule = std::string(id());
        finding.severity = exact ? Severity::medium : default_severity();
        finding.table = table.qualified_name();
        finding.columns = redundant.key_texts();
        finding.index = redundant.name;
        finding.location = redundant.declared_at;
        finding.message = "Index " + redundant.name +
                          (exact ? " duplicates " : " is a leading prefix of ") + keeper.name +
                          " on " + table.qualified_name() + ": every write maintains both, and " +
                          keeper.name + " serves every scan " + redundant.name + " serves.";
        finding.details.push_back(
            "kept: " + keeper.name + " (" +
            [&] {
                std::string keys;
                for (const auto& key : keeper.keys) {
                    keys += (keys.empty() ? "" : ", ") + index_key_sql(key);
                }
                return keys;
            }() +
            ")" +
            (keeper.constraint != ConstraintKind::none
                 ? std::string(" backing a ") + to_string(keeper.constraint) + " constraint"
                 : ""));
        finding.fix.drop_index = spec_of(redundant);
        if (table.kind == TableKind::partitioned_table) {
            finding.fix.sql_up = "DROP INDEX IF EXISTS " + quote_identifier(redundant.schema) +
                                 "." + quote_identifier(redundant.name) + ";";
            finding.fix.note = "DROP INDEX CONCURRENTLY is not supported on a partitioned table's "
                               "index; the plain DROP locks the table briefly.";
        } else {
            finding.fix.sql_up = drop_index_sql(redundant.schema, redundant.name, dialect);
        }
        finding.fix.sql_down = create_index_sql(spec_of(redundant), dialect);
        return finding;
    }
};

} // namespace

std::unique_ptr<Rule> make_redundant_index_rule() {
    return std::make_unique<RedundantIndexRule>();
}

} // namespace advisor
