#include "parsers/catalog.hpp"

#include <algorithm>
#include <utility>

namespace parsers {

const char* to_string(ConstraintKind kind) {
    switch (kind) {
    case ConstraintKind::primary_key:
        return "primary_key";
    case ConstraintKind::unique:
        return "unique";
    case ConstraintKind::exclude:
        return "exclude";
    case ConstraintKind::none:
        break;
    }
    return "";
}

const char* to_string(TableKind kind) {
    switch (kind) {
    case TableKind::table:
        return "table";
    case TableKind::partitioned_table:
        return "partitioned_table";
    case TableKind::view:
        return "view";
    case TableKind::materialized_view:
        return "materialized_view";
    case TableKind::foreign_table:
        return "foreign_table";
    }
    return "table";
}

std::vector<std::string> Index::key_texts() const {
    std::vector<std::string> texts;
    texts.reserve(keys.size());
    for (const auto& key : keys) {
        texts.push_back(key.text());
    }
    return texts;
}

const Column* Table::find_column(const std::string& column_name) const {
    for (const auto& column : columns) {
        if (column.name == column_name) {
            return &column;
        }
    }
    return nullptr;
}

Column* Table::find_column(const std::string& column_name) {
    return const_cast<Column*>(std::as_const(*this).find_column(column_name));
}

const Table* Catalog::find_table(const std::string& qualified_name) const {
    const auto it = tables.find(qualified_name);
    return it == tables.end() ? nullptr : &it->second;
}

Table* Catalog::find_table(const std::string& qualified_name) {
    const auto it = tables.find(qualified_name);
    return it == tables.end() ? nullptr : &it->second;
}

std::string Catalog::sqlite_rowid_column(const Table& table) const {
    // The reader lists no index for such a key (WITHOUT ROWID tables and other primary keys
    // name the index backing them in primary_key_name).
    if (dialect == "sqlite" && table.kind == TableKind::table && table.primary_key.size() == 1 &&
        table.primary_key_name.empty()) {
        return table.primary_key[0];
    }
    return {};
}

const Index* Catalog::find_index(const std::string& qualified_name) const {
    const auto it = index_positions_.find(qualified_name);
    return it == index_positions_.end() ? nullptr : &indexes[it->second];
}

Index* Catalog::find_index(const std::string& qualified_name) {
    return const_cast<Index*>(std::as_const(*this).find_index(qualified_name));
}

std::vector<const Index*> Catalog::indexes_on(const std::string& qualified_table) const {
    std::vector<const Index*> found;
    for (const auto& index : indexes) {
        if (index.table == qualified_table) {
            found.push_back(&index);
        }
    }
    return found;
}

bool Catalog::relation_name_taken(const std::string& schema, const std::string& name) const {
    const std::string qualified = schema + "." + name;
    return tables.count(qualified) > 0 || find_index(qualified) != nullptr ||
           sequences.count(qualified) > 0;
}

Index& Catalog::add_index(Index index) {
    index_positions_[index.qualified_name()] = indexes.size();
    indexes.push_back(std::move(index));
    return indexes.back();
}

void Catalog::rename_index(const std::string& qualified_name, const std::string& new_name) {
    Index* index = find_index(qualified_name);
    if (index == nullptr) {
        return;
    }
    const std::size_t position = index_positions_[qualified_name];
    index_positions_.erase(qualified_name);
    index->name = new_name;
    index_positions_[index->qualified_name()] = position;
}

void Catalog::remove_indexes_if(const std::function<bool(const Index&)>& predicate) {
    if (std::erase_if(indexes, predicate) > 0) {
        rebuild_index_positions();
    }
}

void Catalog::rebuild_index_positions() {
    index_positions_.clear();
    for (std::size_t i = 0; i < indexes.size(); ++i) {
        index_positions_[indexes[i].qualified_name()] = i;
    }
}

void Catalog::drop_index(const std::string& qualified_name) {
    remove_indexes_if([&](const Index& index) { return index.qualified_name() == qualified_name; });
}

void Catalog::drop_table(const std::string& qualified_name) {
    // PostgreSQL drops a table's indexes with it, and its partitions with a partitioned table.
    const Table* table = find_table(qualified_name);
    if (table == nullptr) {
        return;
    }
    const std::vector<std::string> partitions = table->partitions;
    remove_indexes_if([&](const Index& index) { return index.table == qualified_name; });
    tables.erase(qualified_name);
    for (const auto& partition : partitions) {
        drop_table(partition);
    }
    for (auto& [name, other] : tables) {
        std::erase(other.partitions, qualified_name);
    }
}

} // namespace parsers
