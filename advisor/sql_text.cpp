#include "advisor/sql_text.hpp"

#include <cstdint>
#include <cstdio>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

namespace advisor {

namespace {

bool is_unreserved_or_not_keyword(const std::string& name) {
    PgQueryScanResult result = pg_query_scan(name.c_str());
    bool plain = true;
    if (result.error == nullptr) {
        PgQuery__ScanResult* scan = pg_query__scan_result__unpack(
            nullptr, result.pbuf.len, reinterpret_cast<const uint8_t*>(result.pbuf.data));
        if (scan != nullptr) {
            plain = scan->n_tokens == 1 &&
                    (scan->tokens[0]->keyword_kind == PG_QUERY__KEYWORD_KIND__NO_KEYWORD ||
                     scan->tokens[0]->keyword_kind == PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD);
            pg_query__scan_result__free_unpacked(scan, nullptr);
        }
    }
    pg_query_free_scan_result(result);
    return plain;
}

} // namespace

std::string quote_identifier(const std::string& name) {
    bool safe = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
    for (const char c : name) {
        safe = safe && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    }
    if (safe && is_unreserved_or_not_keyword(name)) {
        return name;
    }
    return double_quoted(name);
}

std::string double_quoted(const std::string& name) {
    std::string quoted = "\"";
    for (const char c : name) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
}

std::string unqualified_name(const std::string& qualified_name) {
    const auto dot = qualified_name.find('.');
    return dot == std::string::npos ? qualified_name : qualified_name.substr(dot + 1);
}

std::string quote_qualified(const std::string& qualified_name) {
    const auto dot = qualified_name.find('.');
    if (dot == std::string::npos) {
        return quote_identifier(qualified_name);
    }
    return quote_identifier(qualified_name.substr(0, dot)) + "." +
           quote_identifier(qualified_name.substr(dot + 1));
}

std::string stable_hash_hex(const std::string& text) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

std::string index_name_for(const std::string& qualified_table,
                           const std::vector<std::string>& columns) {
    const auto dot = qualified_table.find('.');
    // Lower case, like the column parts below: a name that needs no quoting.
    std::string name = "ix_";
    for (const char c :
         dot == std::string::npos ? qualified_table : qualified_table.substr(dot + 1)) {
        name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    for (const auto& column : columns) {
        std::string part;
        for (const char c : column) {
            const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == '_';
            if (word) {
                part += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            } else if (!part.empty() && part.back() != '_') {
                part += '_';
            }
        }
        while (!part.empty() && part.back() == '_') {
            part.pop_back();
        }
        name += "_" + (part.empty() ? std::string("expr") : part);
    }
    constexpr std::size_t max_bytes = 63;
    if (name.size() > max_bytes) {
        const std::string hash = stable_hash_hex(name).substr(0, 8);
        name = name.substr(0, max_bytes - hash.size() - 1) + "_" + hash;
    }
    return name;
}

std::string index_key_sql(const IndexKey& key) {
    std::string sql =
        key.is_expression() ? "(" + key.expression + ")" : quote_identifier(key.column);
    if (!key.collation.empty()) {
        sql += " COLLATE " + quote_identifier(key.collation);
    }
    if (!key.opclass.empty()) {
        sql += " " + key.opclass;
    }
    if (key.descending) {
        sql += " DESC";
    }
    if (!key.nulls.empty()) {
        sql += key.nulls == "first" ? " NULLS FIRST" : " NULLS LAST";
    }
    return sql;
}

IndexKey key_for_dialect(const IndexKey& key, const std::string& dialect) {
    IndexKey written = key;
    if (dialect == "sqlite") {
        written.opclass.clear();
        written.nulls.clear();
    }
    return written;
}

std::string create_index_sql(const IndexSpec& index, const std::string& dialect) {
    const bool sqlite = dialect == "sqlite";
    std::string sql = "CREATE ";
    if (index.unique) {
        sql += "UNIQUE ";
    }
    if (sqlite) {
        const auto dot = index.table.find('.');
        sql +=
            "INDEX IF NOT EXISTS " + quote_identifier(index.name) + " ON " +
            quote_identifier(dot == std::string::npos ? index.table : index.table.substr(dot + 1));
    } else {
        sql += "INDEX CONCURRENTLY IF NOT EXISTS " + quote_identifier(index.name) + " ON " +
               quote_qualified(index.table);
    }
    if (index.method != "btree" && !sqlite) {
        sql += " USING " + index.method;
    }
    sql += " (";
    for (std::size_t i = 0; i < index.keys.size(); ++i) {
        sql += (i ? ", " : "") + index_key_sql(key_for_dialect(index.keys[i], dialect));
    }
    sql += ")";
    if (!index.include.empty()) {
        sql += " INCLUDE (";
        for (std::size_t i = 0; i < index.include.size(); ++i) {
            sql += (i ? ", " : "") + quote_identifier(index.include[i]);
        }
        sql += ")";
    }
    if (index.where) {
        sql += " WHERE " + *index.where;
    }
    return sql + ";";
}

std::string drop_index_sql(const std::string& schema, const std::string& index_name,
                           const std::string& dialect) {
    if (dialect == "sqlite") {
        return "DROP INDEX IF EXISTS " + quote_identifier(index_name) + ";";
    }
    return "DROP INDEX CONCURRENTLY IF EXISTS " + quote_identifier(schema) + "." +
           quote_identifier(index_name) + ";";
}

} // namespace advisor
