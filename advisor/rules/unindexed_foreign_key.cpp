// unindexed-foreign-key: a foreign key whose columns lead no valid, non-partial index on the
// referencing table. PostgreSQL indexes the referenced side (it must be unique) but never the
// referencing side, so every DELETE or key UPDATE on the parent scans the child table to check
// the constraint, and joins from parent to children cannot use an index.
#include "advisor/index_fix.hpp"
#include "advisor/index_usage.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/sql_text.hpp"

namespace advisor {

namespace {

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : separator) + item;
    }
    return text;
}

// In SQLite a rowid table's single-column primary key with no index of its own is the rowid
// (INTEGER PRIMARY KEY): the table is stored in its order, so it serves look-ups on that column.
bool leads_with_sqlite_rowid(const Catalog& catalog, const Table& table, const ForeignKey& fk) {
    const std::string rowid = catalog.sqlite_rowid_column(table);
    return !rowid.empty() && fk.columns.size() == 1 && fk.columns[0] == rowid;
}

bool has_serving_index(const Catalog& catalog, const Table& table, const ForeignKey& fk) {
    if (leads_with_sqlite_rowid(catalog, table, fk)) {
        return true;
    }
    for (const Index* index : catalog.indexes_on(table.qualified_name())) {
        if (serves_equality_lookup(*index, fk.columns)) {
            return true;
        }
    }
    return false;
}

class UnindexedForeignKeyRule final : public Rule {
public:
    std::string_view id() const override { return "unindexed-foreign-key"; }
    Severity default_severity() const override { return Severity::medium; }
    std::string_view summary() const override {
        return "A foreign key's columns lead no index on the referencing table, so deletes and "
               "key updates on the referenced table scan it, and joins cannot use an index.";
    }

    std::vector<Finding> run(const AnalysisContext& context) const override {
        std::vector<Finding> findings;
        for (const auto& [name, table] : context.catalog.tables) {
            if (table.kind != TableKind::table && table.kind != TableKind::partitioned_table) {
                continue;
            }
            for (const auto& fk : table.foreign_keys) {
                if (fk.columns.empty() || has_serving_index(context.catalog, table, fk)) {
                    continue;
                }
                findings.push_back(finding_for(context.catalog, table, fk));
            }
        }
        return findings;
    }

private:
    Finding finding_for(const Catalog& catalog, const Table& table, const ForeignKey& fk) const {
        Finding finding;
        finding.rule = std::string(id());
        finding.severity = default_severity();
        finding.table = table.qualified_name();
        finding.columns = fk.columns;
        finding.location = table.declared_at;
        const std::string columns = join(fk.columns, ", ");
        finding.message = "Foreign key " + fk.name + " (" + columns + ") → " + fk.referenced_table +
                          " has no index on " + table.qualified_name() + " (" + columns +
                          "): each DELETE or key UPDATE on " + fk.referenced_table + " scans " +
                          table.qualified_name() + ", and joins from it cannot use an index.";
        finding.details.push_back("constraint " + fk.name + ": FOREIGN KEY (" + columns +
                                  ") REFERENCES " + fk.referenced_table + " (" +
                                  join(fk.referenced_columns, ", ") + ")");
        std::vector<IndexKey> keys;
        for (const auto& column : fk.columns) {
            IndexKey key;
            key.column = column;
            keys.push_back(key);
        }
        finding.fix = create_index_fix(catalog, proposed_index(table.qualified_name(), keys));
        return finding;
    }
};

} // namespace

std::unique_ptr<Rule> make_unindexed_foreign_key_rule() {
    return std::make_unique<UnindexedForeignKeyRule>();
}

} // namespace advisor
