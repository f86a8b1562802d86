#include "advisor/index_fix.hpp"

#include "advisor/sql_text.hpp"

namespace advisor {

IndexSpec proposed_index(const std::string& qualified_table, const std::vector<IndexKey>& keys,
                         const std::string& method) {
    IndexSpec spec;
    spec.table = qualified_table;
    spec.keys = keys;
    spec.method = method;
    std::vector<std::string> texts;
    for (const auto& key : keys) {
        texts.push_back(key.text());
    }
    spec.name = index_name_for(qualified_table, texts);
    return spec;
}

namespace {

// CREATE INDEX CONCURRENTLY is refused on a partitioned table; PostgreSQL's documented recipe is
// an invalid index ON ONLY the parent, a concurrent index per partition, then ATTACH each.
Fix partitioned_fix(const Catalog& catalog, const Table& table, const IndexSpec& spec) {
    Fix fix;
    fix.create_index = spec;
    std::string keys_sql;
    for (std::size_t i = 0; i < spec.keys.size(); ++i) {
        keys_sql += (i ? ", " : "") + index_key_sql(spec.keys[i]);
    }
    const std::string using_sql = spec.method == "btree" ? "" : " USING " + spec.method;
    fix.note = "\"" + table.qualified_name() +
               "\" is partitioned: CREATE INDEX CONCURRENTLY is not allowed on it. Create the "
               "index ON ONLY the parent (instant, left invalid), build it CONCURRENTLY on each "
               "partition, then ATTACH each partition's index; the parent index becomes valid "
               "when every partition has one.";
    std::string up = "CREATE INDEX IF NOT EXISTS " + quote_identifier(spec.name) + " ON ONLY " +
                     quote_qualified(table.qualified_name()) + using_sql + " (" + keys_sql + ");";
    for (const auto& partition_name : table.partitions) {
        const Table* partition = catalog.find_table(partition_name);
        if (partition == nullptr) {
            continue;
        }
        const std::string child_index = index_name_for(partition_name, spec.columns());
        up += "\nCREATE INDEX CONCURRENTLY IF NOT EXISTS " + quote_identifier(child_index) +
              " ON " + quote_qualified(partition_name) + using_sql + " (" + keys_sql + ");";
        up += "\nALTER INDEX " + quote_identifier(table.schema) + "." +
              quote_identifier(spec.name) + " ATTACH PARTITION " +
              quote_identifier(partition->schema) + "." + quote_identifier(child_index) + ";";
    }
    fix.sql_up = up;
    // Dropping the parent index drops the attached partition indexes with it; DROP INDEX
    // CONCURRENTLY is not supported on partitioned indexes.
    fix.sql_down = "DROP INDEX IF EXISTS " + quote_identifier(table.schema) + "." +
                   quote_identifier(spec.name) + ";";
    return fix;
}

} // namespace

Fix create_index_fix(const Catalog& catalog, const IndexSpec& spec) {
    const Table* table = catalog.find_table(spec.table);
    if (table != nullptr && table->kind == TableKind::partitioned_table &&
        catalog.dialect != "sqlite") {
        return partitioned_fix(catalog, *table, spec);
    }
    Fix fix;
    fix.create_index = spec;
    fix.sql_up = create_index_sql(spec, catalog.dialect);
    const auto dot = spec.table.find('.');
    fix.sql_down = drop_index_sql(dot == std::string::npos ? "public" : spec.table.substr(0, dot),
                                  spec.name, catalog.dialect);
    return fix;
}

} // namespace advisor
