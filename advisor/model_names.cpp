#include "advisor/model_names.hpp"

#include "advisor/errors.hpp"
#include "advisor/sql_text.hpp"

#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace advisor {

namespace {

// English plural endings as table names use them; the irregular few are rare in schemas.
std::string singular(const std::string& word) {
    const auto ends = [&](const std::string& suffix) {
        return word.size() > suffix.size() &&
               word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends("ies")) {
        return word.substr(0, word.size() - 3) + "y";
    }
    if (ends("sses") || ends("shes") || ends("ches") || ends("xes") || ends("zes")) {
        return word.substr(0, word.size() - 2);
    }
    if (ends("uses")) {
        return word.substr(0, word.size() - 2); // statuses
    }
    // Latin singulars ending in -us; other -us endings are plurals (cpus, gpus, menus).
    static const std::set<std::string> latin{"status", "campus", "bus",    "virus", "census",
                                             "corpus", "focus",  "radius", "bonus", "nexus"};
    if (ends("ss") || ends("is") || latin.count(word) > 0) {
        return word; // class, analysis, status
    }
    if (ends("s")) {
        return word.substr(0, word.size() - 1);
    }
    return word;
}

std::map<std::string, std::string> string_map(const nlohmann::json& value, const std::string& path,
                                              const std::string& where) {
    if (!value.is_object()) {
        throw InputError(path, 0, where + " must be an object of names");
    }
    std::map<std::string, std::string> result;
    for (const auto& [key, name] : value.items()) {
        if (!name.is_string() || name.get<std::string>().empty()) {
            throw InputError(path, 0, where + "." + key + " must be a non-empty string");
        }
        result[key] = name.get<std::string>();
    }
    return result;
}

// A relationship: its attribute name, or {"attribute", "lazy", "direction"} as
// scripts/export_models.py writes it from SQLAlchemy's mapper registry.
std::map<std::string, std::string>
relationship_map(const nlohmann::json& value, const std::string& path, const std::string& where) {
    if (!value.is_object()) {
        throw InputError(path, 0, where + " must be an object of names");
    }
    std::map<std::string, std::string> result;
    for (const auto& [key, item] : value.items()) {
        if (item.is_object()) {
            for (const auto& [field, text] : item.items()) {
                if (field != "attribute" && field != "lazy" && field != "direction") {
                    throw InputError(path, 0,
                                     where + "." + key + ": unknown key '" + field +
                                         "' (expected attribute, lazy, direction)");
                }
                if (!text.is_string()) {
                    throw InputError(path, 0,
                                     where + "." + key + "." + field + " must be a string");
                }
            }
            const auto attribute = item.find("attribute");
            if (attribute == item.end() || attribute->get<std::string>().empty()) {
                throw InputError(path, 0,
                                 where + "." + key + ".attribute must be a non-empty string");
            }
            result[key] = attribute->get<std::string>();
        } else if (item.is_string() && !item.get<std::string>().empty()) {
            result[key] = item.get<std::string>();
        } else {
            throw InputError(
                path, 0, where + "." + key + " must be a non-empty string or {\"attribute\": ...}");
        }
    }
    return result;
}

} // namespace

std::string conventional_class_name(const std::string& table_name) {
    const auto last = table_name.rfind('_');
    const std::string head = last == std::string::npos ? "" : table_name.substr(0, last + 1);
    const std::string tail = last == std::string::npos ? table_name : table_name.substr(last + 1);
    const std::string name = head + singular(tail);
    std::string camel;
    bool upper = true;
    for (const char c : name) {
        if (c == '_') {
            upper = true;
            continue;
        }
        camel += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return camel;
}

std::string conventional_collection_name(const std::string& child_table,
                                         const std::string& parent_table) {
    const auto last = parent_table.rfind('_');
    const std::string prefix =
        singular(last == std::string::npos ? parent_table : parent_table.substr(last + 1)) + "_";
    if (child_table.size() > prefix.size() && child_table.rfind(prefix, 0) == 0) {
        return child_table.substr(prefix.size());
    }
    return child_table;
}

std::string conventional_reference_name(const ForeignKey& fk) {
    if (fk.columns.size() == 1 && fk.columns.front().size() > 3 &&
        fk.columns.front().ends_with("_id")) {
        return fk.columns.front().substr(0, fk.columns.front().size() - 3);
    }
    return unqualified_name(fk.referenced_table);
}

ModelNames ModelNames::from_file(const std::string& path) {
    std::ifstream input(path);
    if (!input) {
        throw InputError(path, 0, "cannot read the --models file");
    }
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(input);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(path, 0, std::string("is not JSON: ") + e.what());
    }
    if (!document.is_object()) {
        throw InputError(path, 0,
                         "expected a JSON object from table name to a class name or "
                         "{\"class\", \"attributes\", \"relationships\"}");
    }
    ModelNames names;
    for (const auto& [table, value] : document.items()) {
        Model model;
        if (value.is_string()) {
            model.class_name = value.get<std::string>();
        } else if (value.is_object()) {
            for (const auto& [key, item] : value.items()) {
                if (key == "class") {
                    if (!item.is_string()) {
                        throw InputError(path, 0, table + ".class must be a string");
                    }
                    model.class_name = item.get<std::string>();
                } else if (key == "attributes") {
                    model.attributes = string_map(item, path, table + ".attributes");
                } else if (key == "relationships") {
                    model.relationships = relationship_map(item, path, table + ".relationships");
                } else {
                    throw InputError(path, 0,
                                     "unknown key '" + key + "' for table " + table +
                                         " (expected class, attributes, relationships)");
                }
            }
        } else {
            throw InputError(path, 0,
                             "table " + table + ": expected a class name or an object, got " +
                                 value.type_name());
        }
        names.models_[table] = std::move(model);
    }
    return names;
}

const ModelNames::Model* ModelNames::model_of(const Table& table) const {
    auto found = models_.find(table.qualified_name());
    if (found == models_.end()) {
        found = models_.find(table.name);
    }
    return found == models_.end() ? nullptr : &found->second;
}

std::string ModelNames::class_of(const Table& table) const {
    const Model* model = model_of(table);
    return model != nullptr && !model->class_name.empty() ? model->class_name
                                                          : conventional_class_name(table.name);
}

std::string ModelNames::attribute_of(const Table& table, const std::string& column) const {
    const Model* model = model_of(table);
    if (model != nullptr) {
        const auto found = model->attributes.find(column);
        if (found != model->attributes.end()) {
            return found->second;
        }
    }
    return column;
}

std::string ModelNames::reference_of(const Table& child, const ForeignKey& fk) const {
    const Model* model = model_of(child);
    if (model != nullptr && fk.columns.size() == 1) {
        const auto found = model->relationships.find(fk.columns.front());
        if (found != model->relationships.end()) {
            return found->second;
        }
    }
    return conventional_reference_name(fk);
}

std::string ModelNames::collection_of(const Table& parent, const Table& child) const {
    const Model* model = model_of(parent);
    if (model != nullptr) {
        for (const auto& key : {child.qualified_name(), child.name}) {
            const auto found = model->relationships.find(key);
            if (found != model->relationships.end()) {
                return found->second;
            }
        }
    }
    return conventional_collection_name(child.name, parent.name);
}

} // namespace advisor
