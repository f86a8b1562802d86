#include "advisor/migrations/index_checks.hpp"

#include "advisor/errors.hpp"
#include "advisor/sql_text.hpp"

#include <array>
#include <cctype>

namespace advisor {

namespace {

// `schema.name` quoted where needed: as the messages and the DROP they suggest write it, and as
// to_regclass() reads it (quoted parts taken as they are, unquoted ones down-cased;
// stringToQualifiedNameList() in PostgreSQL's regproc.c).
std::string display_name(const std::string& schema, const std::string& name) {
    return quote_identifier(schema) + "." + quote_identifier(name);
}

std::string drop_statement(const std::string& schema, const std::string& name, bool concurrently) {
    return std::string("DROP INDEX ") + (concurrently ? "CONCURRENTLY " : "") + "IF EXISTS " +
           display_name(schema, name) + ";";
}

// The pg_index row of one index, found by to_regclass() (NULL, so no row, when the index or its
// schema does not exist; no `::` cast in the text, which SQLAlchemy's text() would read).
std::string index_row(const std::string& schema, const std::string& name,
                      const std::string& condition) {
    return "(SELECT FROM pg_index WHERE indexrelid = to_regclass(" +
           sql_literal(display_name(schema, name)) + ")" + condition + ")";
}

// A check of one index in four lines. RAISE ... USING MESSAGE takes the text as it is, where a
// RAISE format string would read `%`.
std::string one_index_check(const std::string& test, const std::string& message,
                            const std::string& hint) {
    return "DO $check$ BEGIN IF " + test +
           " THEN\n    RAISE EXCEPTION USING MESSAGE = " + sql_literal(message) +
           ",\n        HINT = " + sql_literal(hint) + ";\nEND IF; END $check$;";
}

bool word_byte(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return std::isalnum(byte) || c == '_' || byte >= 0x80; // Python's \w takes letters of UTF-8
}

} // namespace

std::string checked_lock_timeout(const std::string& value) {
    std::size_t digits = 0;
    while (digits < value.size() && std::isdigit(static_cast<unsigned char>(value[digits]))) {
        ++digits;
    }
    static const std::array<const char*, 7> units{"", "us", "ms", "s", "min", "h", "d"};
    const std::string unit = value.substr(digits);
    bool known_unit = false;
    for (const char* candidate : units) {
        known_unit = known_unit || unit == candidate;
    }
    if (digits == 0 || digits > 9 || !known_unit) {
        throw UsageError("--lock-timeout " + value +
                         ": expected a whole number with an optional unit of PostgreSQL's "
                         "(us, ms, s, min, h, d), e.g. 5s or 500ms");
    }
    return value;
}

std::string sql_literal(const std::string& text) {
    std::string literal = "'";
    for (const char c : text) {
        literal += c;
        if (c == '\'') {
            literal += '\'';
        }
    }
    return literal + "'";
}

std::string invalid_indexes_check_sql(const std::vector<CheckedIndex>& indexes) {
    if (indexes.empty()) {
        return ""; // VALUES needs a row; nothing to check
    }
    std::string rows;
    for (const auto& index : indexes) {
        rows += std::string(rows.empty() ? "" : ",\n") + "          (" +
                sql_literal(display_name(index.schema, index.name)) + ")";
    }
    // relkind 'I' is a partitioned table's index, which DROP INDEX CONCURRENTLY refuses
    // (PostgreSQL's DROP INDEX documentation).
    return "DO $check$\n"
           "DECLARE\n"
           "    invalid_names text;\n"
           "    drop_statements text;\n"
           "BEGIN\n"
           "    SELECT string_agg(planned.name, ', ' ORDER BY planned.name),\n"
           "           string_agg('DROP INDEX ' || CASE c.relkind WHEN 'I' THEN '' ELSE "
           "'CONCURRENTLY ' END\n"
           "                      || 'IF EXISTS ' || planned.name || ';', ' ' ORDER BY "
           "planned.name)\n"
           "      INTO invalid_names, drop_statements\n"
           "      FROM (VALUES\n" +
           rows +
           "\n      ) AS planned (name)\n"
           "      JOIN pg_index i ON i.indexrelid = to_regclass(planned.name)\n"
           "      JOIN pg_class c ON c.oid = i.indexrelid\n"
           "     WHERE NOT i.indisvalid;\n"
           "    IF invalid_names IS NOT NULL THEN\n"
           "        RAISE EXCEPTION USING\n"
           "            MESSAGE = 'INVALID indexes (a failed or cancelled CREATE INDEX "
           "CONCURRENTLY left them, and IF NOT EXISTS would skip them): ' || invalid_names,\n"
           "            HINT = 'Run ' || drop_statements || ' then run this migration again.';\n"
           "    END IF;\n"
           "END\n"
           "$check$;";
}

std::string valid_index_check_sql(const std::string& schema, const std::string& name,
                                  bool concurrently) {
    return one_index_check(
        "NOT EXISTS " + index_row(schema, name, " AND indisvalid"),
        "index " + display_name(schema, name) + " is missing or INVALID after its build",
        "Run " + drop_statement(schema, name, concurrently) + " then run this migration again.");
}

std::string dropped_index_check_sql(const std::string& schema, const std::string& name,
                                    bool concurrently) {
    const std::string why =
        concurrently ? " (a cancelled DROP INDEX CONCURRENTLY leaves it INVALID)" : "";
    return one_index_check("EXISTS " + index_row(schema, name, ""),
                           "index " + display_name(schema, name) + " still exists after its drop" +
                               why,
                           "Run " + drop_statement(schema, name, concurrently) + " again.");
}

std::string text_clause_escaped(const std::string& sql) {
    std::string out;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        if (sql[i] == ':' &&
            (i == 0 || (!word_byte(sql[i - 1]) && sql[i - 1] != ':' && sql[i - 1] != '\\'))) {
            std::size_t run = 0;
            while (i + 1 + run < sql.size() && word_byte(sql[i + 1 + run])) {
                ++run;
            }
            // SQLAlchemy's pattern (?<![:\w\\]):(\w+)(?!:) matches when the word run is longer
            // than one character, or one character not followed by `:`.
            const bool bind = run >= 2 || (run == 1 && (i + 2 >= sql.size() || sql[i + 2] != ':'));
            if (bind) {
                out += '\\';
            }
        }
        out += sql[i];
    }
    return out;
}

} // namespace advisor
