// SQLAlchemy names for tables, columns and relationships, as fix snippets print them: the
// conventional ones derived from the schema (users -> User, user_roles.user_id -> UserRole.user),
// or those an application declares in a --models file where it differs (docs/rules.md,
// "SQLAlchemy names").
#pragma once

#include "advisor/catalog.hpp"

#include <map>
#include <string>

namespace advisor {

// Singular CamelCase class name from a table name (collaborative_buckets -> CollaborativeBucket,
// categories -> Category); only the last word is made singular.
std::string conventional_class_name(const std::string& table_name);

// The conventional name of a one-to-many relationship: the child table's name without the
// parent's singular prefix (collections -> collection_items gives `items`).
std::string conventional_collection_name(const std::string& child_table,
                                         const std::string& parent_table);

// The conventional name of a many-to-one relationship: the foreign key column without `_id`
// (annotations.user_id -> `user`), else the referenced table's name.
std::string conventional_reference_name(const ForeignKey& fk);

class ModelNames {
public:
    // Reads a --models file: a JSON object from table name (bare or schema-qualified) to either
    // a class name or {"class": ..., "attributes": {column: attribute},
    // "relationships": {fk column or child table: attribute}}. Throws InputError naming the file
    // and what was expected.
    static ModelNames from_file(const std::string& path);

    std::string class_of(const Table& table) const;
    std::string attribute_of(const Table& table, const std::string& column) const;
    // `child`'s many-to-one relationship through `fk` (e.g. UserRole.role).
    std::string reference_of(const Table& child, const ForeignKey& fk) const;
    // `parent`'s one-to-many relationship to the rows of `child` (e.g. Collection.items).
    std::string collection_of(const Table& parent, const Table& child) const;

private:
    struct Model {
        std::string class_name;
        std::map<std::string, std::string> attributes;
        std::map<std::string, std::string> relationships;
    };
    const Model* model_of(const Table& table) const;

    std::map<std::string, Model> models_; // by the name as given (bare or qualified)
};

} // namespace advisor
