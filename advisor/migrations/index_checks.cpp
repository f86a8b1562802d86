#include "advisor/migrations/index_checks.hpp"

#include "advisor/errors.hpp"
#include "advisor/sql_text.hpp"

#include <array>
#include <cctype>

namespace advisor {

namespace {

// `schema.name` as the messages and the DROP they suggest write it (quoted where needed).
std::string display_name(const std::string& schema, const std::string& name) {
    return quote_identifier(schema) + "." + quote_identifier(name);
}

std::string drop_statement(const std::string& schema, const std::string& name, bool concurrently) {
    return std::string("DROP INDEX ") + (concurrently ? "CONCURRENTLY " : "") + "IF EXISTS " +
           display_name(schema, name) + ";";
}

// The index of that name in that schema, from pg_index joined to its pg_class row. Matching
// nspname/relname as literals (not a regclass cast) keeps the text free of `::`, and a missing
// index is simply no row.
std::string index_rows(const std::string& schema, const std::string& name,
                       const std::string& condition) {
    return "SELECT FROM pg_index i\n"
           "        JOIN pg_class c ON c.oid = i.indexrelid\n"
           "        JOIN pg_namespace n ON n.oid = c.relnamespace\n"
           "        WHERE n.nspname = " +
           sql_literal(schema) + " AND c.relname = " + sql_literal(name) + condition;
}

// RAISE ... USING MESSAGE takes the text as it is (a RAISE format string would read `%`).
std::string do_block(const std::string& test, const std::string& message, const std::string& hint) {
    return "DO $check$\nBEGIN\n    IF " + test + " THEN\n        RAISE EXCEPTION USING\n" +
           "            MESSAGE = " + sql_literal(message) +
           ",\n            HINT = " + sql_literal(hint) + ";\n    END IF;\nEND\n$check$;";
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

std::string invalid_index_check_sql(const std::string& schema, const std::string& name,
                                    bool concurrently) {
    const std::string shown = display_name(schema, name);
    return do_block(
        "EXISTS (\n        " + index_rows(schema, name, " AND NOT i.indisvalid") + "\n    )",
        "index " + shown +
            " exists but is INVALID (a failed or cancelled CREATE INDEX CONCURRENTLY left it; "
            "it is maintained on every write and never used), and IF NOT EXISTS would skip it",
        "Run " + drop_statement(schema, name, concurrently) + " then run this migration again.");
}

std::string valid_index_check_sql(const std::string& schema, const std::string& name,
                                  bool concurrently) {
    const std::string shown = display_name(schema, name);
    return do_block(
        "NOT EXISTS (\n        " + index_rows(schema, name, " AND i.indisvalid") + "\n    )",
        "index " + shown + " is missing or INVALID after it was built",
        "Run " + drop_statement(schema, name, concurrently) + " then run this migration again.");
}

std::string dropped_index_check_sql(const std::string& schema, const std::string& name,
                                    bool concurrently) {
    const std::string shown = display_name(schema, name);
    return do_block(
        "EXISTS (\n        " + index_rows(schema, name, "") + "\n    )",
        "index " + shown +
            " still exists after DROP INDEX (a cancelled DROP INDEX CONCURRENTLY leaves it "
            "INVALID)",
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
