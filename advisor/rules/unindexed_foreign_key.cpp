// unindexed-foreign-key: a foreign key whose columns lead no valid, non-partial index on the
// referencing table. PostgreSQL indexes the referenced side (it must be unique) but never the
// referencing side, so every DELETE or key UPDATE on the parent scans the child table to check
// the constraint, and joins from parent to children cannot use an index.
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

bool has_serving_index(const Catalog& catalog, const Table& table, const ForeignKey& fk) {
    for (const Index* index : catalog.indexes_on(table.qualified_name())) {
        if (serves_equality_lookup(*index, fk.columns)) {
            return true;
        }
    }
    return false;
}

IndexSpec proposed_index(const Table& table, const std::vector<std::string>& columns) {
    IndexSpec spec;
    spec.table = table.qualified_name();
    spec.name = index_name_for(spec.table, columns);
    for (const auto& column : columns) {
        IndexKey key;
        key.column = column;
        spec.keys.push_back(key);
    }
    return spec;
}

// CREATE INDEX CONCURRENTLY is refused on a partitioned table; PostgreSQL's documented recipe is
// an invalid index ON ONLY the parent, a concurrent index per partition, then ATTACH each.
Fix partitioned_fix(const Catalog& catalog, const Table& table, const IndexSpec& spec) {
    Fix fix;
    fix.create_index = spec;
    std::string columns_sql;
    for (std::size_t i = 0; i < spec.keys.size(); ++i) {
        columns_sql += (i ? ", " : "") + index_key_sql(spec.keys[i]);
    }
    fix.note = "\"" + table.qualified_name() +
               "\" is partitioned: CREATE INDEX CONCURRENTLY is not allowed on it. Create the "
               "index ON ONLY the parent (instant, left invalid), build it CONCURRENTLY on each "
               "partition, then ATTACH each partition's index; the parent index becomes valid "
               "when every partition has one.";
    std::string up = "CREATE INDEX IF NOT EXISTS " + quote_identifier(spec.name) + " ON ONLY " +
                     quote_qualified(table.qualified_name()) + " (" + columns_sql + ");\n";
    for (const auto& partition_name : table.partitions) {
        const Table* partition = catalog.find_table(partition_name);
        if (partition == nullptr) {
            continue;
        }
        const std::string child_index = index_name_for(partition_name, spec.columns());
        up += "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + quote_identifier(child_index) + " ON " +
              quote_qualified(partition_name) + " (" + columns_sql + ");\n";
        up += "ALTER INDEX " + quote_identifier(table.schema) + "." + quote_identifier(spec.name) +
              " ATTACH PARTITION " + quote_identifier(partition->schema) + "." +
              quote_identifier(child_index) + ";\n";
    }
    up.pop_back(); // no line break after the last statement, like every other fix
    fix.sql_up = up;
    // Dropping the parent index drops the attached partition indexes with it; DROP INDEX
    // CONCURRENTLY is not supported on partitioned indexes.
    fix.sql_down = "DROP INDEX IF EXISTS " + quote_identifier(table.schema) + "." +
                   quote_identifier(spec.name) + ";";
    return fix;
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
        const IndexSpec spec = proposed_index(table, fk.columns);
        if (table.kind == TableKind::partitioned_table) {
            finding.fix = partitioned_fix(catalog, table, spec);
        } else {
            finding.fix.create_index = spec;
            finding.fix.sql_up = create_index_sql(spec);
            finding.fix.sql_down = drop_index_sql(table.schema, spec.name);
        }
        return finding;
    }
};

} // namespace

std::unique_ptr<Rule> make_unindexed_foreign_key_rule() {
    return std::make_unique<UnindexedForeignKeyRule>();
}

} // namespace advisor
