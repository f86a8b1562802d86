// Names in PostgreSQL DDL: how a name resolves through search_path (and CREATE SCHEMA's schema),
// and the names PostgreSQL generates for indexes and constraints declared without one
// (makeObjectName() and ChooseRelationName() in src/backend/commands/indexcmds.c).
#include "parsers/pg_ddl.hpp"
#include "parsers/pg_ddl/ddl_applier.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace parsers {

// PostgreSQL's NAMEDATALEN - 1: identifiers longer than this are truncated.
constexpr std::size_t max_identifier_bytes = 63;

namespace {

// Length of the longest prefix of `text` not longer than `bytes` that does not cut a UTF-8
// character (PostgreSQL's pg_mbcliplen for UTF-8 databases).
std::size_t utf8_clip(const std::string& text, std::size_t bytes) {
    if (bytes >= text.size()) {
        return text.size();
    }
    while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) {
        --bytes;
    }
    return bytes;
}

} // namespace

std::string make_object_name(const std::string& name1, const std::string& name2,
                             const std::string& label) {
    // Follows makeObjectName() in PostgreSQL's src/backend/commands/indexcmds.c.
    std::size_t overhead = 0;
    if (!name2.empty()) {
        overhead += 1; // the separating underscore
    }
    if (!label.empty()) {
        overhead += label.size() + 1;
    }
    const std::size_t available =
        max_identifier_bytes > overhead ? max_identifier_bytes - overhead : 0;
    std::size_t name1_chars = name1.size();
    std::size_t name2_chars = name2.size();
    while (name1_chars + name2_chars > available) {
        if (name1_chars > name2_chars) {
            --name1_chars;
        } else {
            --name2_chars;
        }
    }
    name1_chars = utf8_clip(name1, name1_chars);
    std::string result = name1.substr(0, name1_chars);
    if (!name2.empty()) {
        result += "_" + name2.substr(0, utf8_clip(name2, name2_chars));
    }
    if (!label.empty()) {
        result += "_" + label;
    }
    return result;
}

namespace pg_ddl {

std::string DdlApplier::creation_schema(const char* schema_name) const {
    if (schema_name != nullptr && *schema_name != '\0') {
        return schema_name;
    }
    if (!schema_override_.empty()) {
        return schema_override_;
    }
    for (const auto& schema : search_path_) {
        if (schema != "$user" && schema != "pg_catalog" && schema != "pg_temp") {
            return schema;
        }
    }
    // pg_dump empties search_path and qualifies every name; an unqualified name then would be an
    // error in PostgreSQL. Falling back to public keeps hand-written scripts readable.
    return "public";
}

std::string DdlApplier::resolve_name(const std::vector<std::string>& names) const {
    if (names.size() >= 2) {
        return names[names.size() - 2] + "." + names.back();
    }
    const std::string& name = names.empty() ? std::string() : names.back();
    if (!schema_override_.empty() &&
        (catalog_.find_table(schema_override_ + "." + name) != nullptr ||
         catalog_.find_index(schema_override_ + "." + name) != nullptr)) {
        return schema_override_ + "." + name;
    }
    for (const auto& schema : search_path_) {
        const std::string qualified = schema + "." + name;
        if (catalog_.find_table(qualified) != nullptr ||
            catalog_.find_index(qualified) != nullptr) {
            return qualified;
        }
    }
    return creation_schema(nullptr) + "." + name;
}

std::string DdlApplier::resolve_relation(const PgQuery__RangeVar* range_var) const {
    if (range_var->schemaname != nullptr && *range_var->schemaname != '\0') {
        return std::string(range_var->schemaname) + "." + range_var->relname;
    }
    return resolve_name({range_var->relname});
}

std::string DdlApplier::choose_relation_name(const std::string& schema, const std::string& name1,
                                             const std::string& name2,
                                             const std::string& label) const {
    // PostgreSQL's ChooseRelationName(): append 1, 2, ... to the label until the name is free.
    std::string candidate = make_object_name(name1, name2, label);
    for (int pass = 1; catalog_.relation_name_taken(schema, candidate); ++pass) {
        candidate = make_object_name(name1, name2, label + std::to_string(pass));
    }
    return candidate;
}

std::string DdlApplier::choose_constraint_name(const Table& table, const std::string& name2,
                                               const std::string& label) const {
    const auto taken = [&](const std::string& name) {
        if (name == table.primary_key_name) {
            return true;
        }
        for (const auto& fk : table.foreign_keys) {
            if (fk.name == name) {
                return true;
            }
        }
        for (const auto& unique : table.unique_constraints) {
            if (unique.name == name) {
                return true;
            }
        }
        return false;
    };
    std::string candidate = make_object_name(table.name, name2, label);
    for (int pass = 1; taken(candidate); ++pass) {
        candidate = make_object_name(table.name, name2, label + std::to_string(pass));
    }
    return candidate;
}

std::string join_names(const std::vector<std::string>& names) {
    // ChooseIndexNameAddition(): names joined by "_", stopping once the result is long enough.
    std::string joined;
    for (const auto& name : names) {
        if (!joined.empty()) {
            joined += "_";
        }
        joined += name;
        if (joined.size() >= max_identifier_bytes) {
            break;
        }
    }
    return joined.substr(0, std::min(joined.size(), max_identifier_bytes));
}

void DdlApplier::set_search_path(const std::vector<std::string>& schemas) {
    search_path_.clear();
    for (const auto& schema : schemas) {
        if (!schema.empty()) {
            search_path_.push_back(schema);
        }
    }
}

} // namespace pg_ddl

} // namespace parsers
