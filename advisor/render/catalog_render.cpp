#include "advisor/render/catalog_render.hpp"

#include "advisor/sql_text.hpp"

#include <algorithm>
#include <sstream>

namespace advisor {

namespace {

std::vector<const Index*> sorted_indexes(const Catalog& catalog) {
    std::vector<const Index*> indexes;
    for (const auto& index : catalog.indexes) {
        indexes.push_back(&index);
    }
    std::sort(indexes.begin(), indexes.end(), [](const Index* a, const Index* b) {
        return std::tie(a->table, a->name) < std::tie(b->table, b->name);
    });
    return indexes;
}

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : ", ") + item;
    }
    return text;
}

} // namespace

nlohmann::ordered_json catalog_to_json(const Catalog& catalog) {
    nlohmann::ordered_json tables = nlohmann::ordered_json::array();
    for (const auto& [name, table] : catalog.tables) {
        nlohmann::ordered_json columns = nlohmann::ordered_json::array();
        for (const auto& column : table.columns) {
            columns.push_back({{"name", column.name},
                               {"type", column.type},
                               {"nullable", column.nullable},
                               {"json", column.json}});
        }
        nlohmann::ordered_json foreign_keys = nlohmann::ordered_json::array();
        for (const auto& fk : table.foreign_keys) {
            foreign_keys.push_back(
                {{"name", fk.name},
                 {"columns", fk.columns},
                 {"references",
                  {{"table", fk.referenced_table}, {"columns", fk.referenced_columns}}}});
        }
        tables.push_back({{"name", name},
                          {"kind", to_string(table.kind)},
                          {"columns", columns},
                          {"primary_key", table.primary_key},
                          {"foreign_keys", foreign_keys}});
    }
    nlohmann::ordered_json indexes = nlohmann::ordered_json::array();
    for (const Index* index : sorted_indexes(catalog)) {
        const char* constraint = to_string(index->constraint);
        indexes.push_back({{"name", index->name},
                           {"table", index->table},
                           {"columns", index->key_texts()},
                           {"method", index->method},
                           {"unique", index->unique},
                           {"constraint", *constraint ? nlohmann::ordered_json(constraint)
                                                      : nlohmann::ordered_json(nullptr)},
                           {"where", index->where ? nlohmann::ordered_json(*index->where)
                                                  : nlohmann::ordered_json(nullptr)},
                           {"include", index->include}});
    }
    return {{"tables", tables}, {"indexes", indexes}};
}

std::string catalog_to_text(const Catalog& catalog) {
    std::ostringstream out;
    std::size_t index_count = 0;
    for (const auto& [name, table] : catalog.tables) {
        const auto indexes = catalog.indexes_on(name);
        index_count += indexes.size();
        out << name << " (" << to_string(table.kind);
        if (!table.partition_of.empty()) {
            out << " of " << table.partition_of;
        }
        out << ", " << table.columns.size() << " columns, " << indexes.size() << " indexes)\n";
        if (!table.view_definition.empty()) {
            out << "  as: " << table.view_definition << "\n";
        }
        for (const auto& column : table.columns) {
            out << "  " << column.name << "  " << column.type
                << (column.nullable ? "" : " not null") << (column.json ? "  [json]" : "") << "\n";
        }
        if (!table.primary_key.empty()) {
            out << "  primary key (" << join(table.primary_key) << ")\n";
        }
        for (const auto& fk : table.foreign_keys) {
            out << "  foreign key " << fk.name << " (" << join(fk.columns) << ") -> "
                << fk.referenced_table << " (" << join(fk.referenced_columns) << ")"
                << (fk.validated ? "" : " NOT VALID") << "\n";
        }
        for (const Index* index : indexes) {
            out << "  index " << index->name << (index->unique ? " unique" : "") << " "
                << index->method << " (";
            for (std::size_t i = 0; i < index->keys.size(); ++i) {
                out << (i ? ", " : "") << index_key_sql(index->keys[i]);
            }
            out << ")";
            if (!index->include.empty()) {
                out << " include (" << join(index->include) << ")";
            }
            if (index->where) {
                out << " where " << *index->where;
            }
            if (index->constraint != ConstraintKind::none) {
                out << "  [" << to_string(index->constraint) << "]";
            }
            if (!index->valid) {
                out << "  [invalid]";
            }
            out << "\n";
        }
        out << "\n";
    }
    if (!catalog.ignored_statement_kinds.empty()) {
        out << "statements read but not modelled, by kind:";
        for (const auto& [kind, count] : catalog.ignored_statement_kinds) {
            out << " " << kind << " " << count;
        }
        out << "\n";
    }
    out << catalog.tables.size() << " tables and views, " << index_count << " indexes, "
        << catalog.statements_read << " statements read, " << catalog.warnings.size()
        << " warnings\n";
    return out.str();
}

} // namespace advisor
