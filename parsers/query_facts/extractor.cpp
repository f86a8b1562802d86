// What parsers/query_facts.hpp declares outside the walk itself: the names of its enums, the
// accessors of TableScan and QueryFacts, and QueryFactsExtractor: how it resolves a relation name
// (schema, search_path, pg_catalog, a name unique in the catalog) and runs FactsBuilder over one
// statement or over SQL text.

#include "parsers/query_facts.hpp"
#include "parsers/query_facts/facts_builder.hpp"

#include <string>
#include <utility>
#include <vector>

namespace parsers {

const char* to_string(StatementKind kind) {
    switch (kind) {
    case StatementKind::select:
        return "select";
    case StatementKind::insert:
        return "insert";
    case StatementKind::update:
        return "update";
    case StatementKind::delete_:
        return "delete";
    case StatementKind::other:
        break;
    }
    return "other";
}

const char* to_string(ColumnRole role) {
    switch (role) {
    case ColumnRole::eq:
        return "eq";
    case ColumnRole::in:
        return "in";
    case ColumnRole::range:
        return "range";
    case ColumnRole::is_null:
        return "is_null";
    case ColumnRole::like_prefix:
        return "like_prefix";
    case ColumnRole::join:
        return "join";
    case ColumnRole::order:
        return "order";
    case ColumnRole::group:
        return "group";
    case ColumnRole::json_path:
        return "json_path";
    case ColumnRole::json_contains:
        return "json_contains";
    case ColumnRole::select:
        break;
    }
    return "select";
}

const char* to_string(PredicateKind kind) {
    switch (kind) {
    case PredicateKind::is_null:
        return "is_null";
    case PredicateKind::is_not_null:
        return "is_not_null";
    case PredicateKind::equals:
        return "equals";
    case PredicateKind::is_true:
        return "is_true";
    case PredicateKind::is_false:
        return "is_false";
    case PredicateKind::strict_comparison:
        break;
    }
    return "strict_comparison";
}

std::vector<const ColumnUse*> TableScan::uses_with_role(ColumnRole role) const {
    std::vector<const ColumnUse*> found;
    for (const auto& use : uses) {
        if (use.role == role) {
            found.push_back(&use);
        }
    }
    return found;
}

std::vector<ColumnUse> QueryFacts::column_uses() const {
    std::vector<ColumnUse> all;
    for (const auto& scan : scans) {
        all.insert(all.end(), scan.uses.begin(), scan.uses.end());
    }
    return all;
}

namespace {

bool is_system_schema(const std::string& schema) {
    return schema == "pg_catalog" || schema == "information_schema";
}

} // namespace

using query_facts::FactsBuilder;

QueryFactsExtractor::QueryFactsExtractor(const Catalog& catalog, FactsOptions options)
    : catalog_(catalog), options_(std::move(options)) {
    for (const auto& [qualified_name, table] : catalog_.tables) {
        tables_by_name_[table.name].push_back(qualified_name);
    }
}

QueryFactsExtractor::Relation QueryFactsExtractor::resolve_relation(const std::string& schema,
                                                                    const std::string& name) const {
    Relation relation;
    if (!schema.empty()) {
        relation.qualified_name = schema + "." + name;
        relation.table = catalog_.find_table(relation.qualified_name);
        relation.system_catalog = relation.table == nullptr && is_system_schema(schema);
        return relation;
    }
    for (const auto& path_schema : options_.search_path) {
        const std::string qualified = path_schema + "." + name;
        if (const Table* table = catalog_.find_table(qualified)) {
            relation.qualified_name = qualified;
            relation.table = table;
            return relation;
        }
    }
    // pg_catalog is searched before the search_path unless listed in it (catalog.c,
    // recomputeNamespacePath); its relations are all named pg_*.
    if (name.starts_with("pg_")) {
        relation.qualified_name = "pg_catalog." + name;
        relation.system_catalog = true;
        return relation;
    }
    const auto it = tables_by_name_.find(name);
    if (it != tables_by_name_.end() && it->second.size() == 1) {
        relation.qualified_name = it->second.front();
        relation.table = catalog_.find_table(relation.qualified_name);
        return relation;
    }
    const std::string first_schema =
        options_.search_path.empty() ? std::string("public") : options_.search_path.front();
    relation.qualified_name = first_schema + "." + name;
    return relation;
}

QueryFacts QueryFactsExtractor::extract(const pg::Node* statement) const {
    QueryFacts facts;
    FactsBuilder builder(*this, facts);
    builder.statement(statement, true);
    builder.finish();
    return facts;
}

QueryFacts QueryFactsExtractor::extract(const std::string& sql) const {
    QueryFacts facts;
    const pg::ParseOutcome parsed = pg::parse(sql);
    if (parsed.error) {
        facts.error = parsed.error->message;
        return facts;
    }
    FactsBuilder builder(*this, facts);
    for (std::size_t i = 0; i < parsed.tree.size(); ++i) {
        builder.statement(parsed.tree.statement_node(i), i == 0);
    }
    builder.finish();
    return facts;
}

QueryFacts extract_query_facts(const pg::Node* statement, const Catalog& catalog) {
    return QueryFactsExtractor(catalog).extract(statement);
}

QueryFacts extract_query_facts(const std::string& sql, const Catalog& catalog) {
    return QueryFactsExtractor(catalog).extract(sql);
}

} // namespace parsers
