// Guessing the dialect of a DDL text (guess_ddl_dialect() in parsers/sqlite_schema.hpp):
// PostgreSQL at the first thing SQLite cannot run, otherwise SQLite when something only SQLite
// accepts was seen, read with the token scanner of sql_text.hpp.
#include "parsers/sqlite_schema.hpp"
#include "parsers/sqlite_schema/sql_text.hpp"

#include <algorithm>
#include <cstddef>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace parsers {

using sqlite_schema::iequals;
using sqlite_schema::is_internal_name;
using sqlite_schema::is_keyword;
using sqlite_schema::is_punct;
using sqlite_schema::next_token;
using sqlite_schema::Token;
using sqlite_schema::token_text;
using sqlite_schema::TokenKind;
using sqlite_schema::upper;

namespace {

// Tokens read as far as they are asked for, so that a dialect guess decided by a dump's first
// line does not read the rest.
class TokenStream {
public:
    TokenStream(std::string_view sql, bool brackets_quote)
        : sql_(sql), brackets_quote_(brackets_quote) {}
    const Token* at(std::size_t index) {
        while (tokens_.size() <= index) {
            const auto token = next_token(sql_, position_, brackets_quote_);
            if (!token) {
                return nullptr;
            }
            tokens_.push_back(*token);
        }
        return &tokens_[index];
    }

private:
    std::string_view sql_;
    bool brackets_quote_;
    std::size_t position_ = 0;
    std::deque<Token> tokens_; // a deque: pointers handed out stay valid as it grows
};

int line_at(std::string_view text, std::size_t offset) {
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

// Statements SQLite has no syntax for (https://www.sqlite.org/lang.html), by their first words.
bool postgres_only_statement(std::string_view sql, TokenStream& tokens, std::size_t start) {
    static const std::set<std::string> first_words = {
        "SET",      "COPY", "GRANT", "REVOKE", "COMMENT",  "SHOW",    "RESET",
        "TRUNCATE", "DO",   "CALL",  "LOCK",   "SECURITY", "REFRESH", "CLUSTER"};
    static const std::set<std::string> created = {
        "OR",          "EXTENSION",    "SCHEMA",     "SEQUENCE", "TYPE",         "DOMAIN",
        "FUNCTION",    "PROCEDURE",    "AGGREGATE",  "OPERATOR", "MATERIALIZED", "POLICY",
        "PUBLICATION", "SUBSCRIPTION", "ROLE",       "USER",     "EVENT",        "CAST",
        "COLLATION",   "CONVERSION",   "LANGUAGE",   "RULE",     "SERVER",       "STATISTICS",
        "TEXT",        "FOREIGN",      "TABLESPACE", "ACCESS",   "DATABASE",     "UNLOGGED",
        "DEFAULT",     "TRANSFORM",    "GROUP"};
    const Token* first = tokens.at(start);
    if (first == nullptr || first->kind != TokenKind::word) {
        return false;
    }
    const std::string word = upper(token_text(sql, *first));
    if (first_words.count(word) > 0) {
        return true;
    }
    const Token* second_token = tokens.at(start + 1);
    if (second_token == nullptr || second_token->kind != TokenKind::word) {
        return false;
    }
    const std::string second = upper(token_text(sql, *second_token));
    if (word == "CREATE") {
        return created.count(second) > 0;
    }
    if (word == "ALTER") {
        // SQLite's ALTER TABLE renames and adds or drops columns; ALTER TABLE ONLY is pg_dump's.
        const Token* third = tokens.at(start + 2);
        return second != "TABLE" || (third != nullptr && is_keyword(sql, *third, "ONLY"));
    }
    return false;
}

// "CREATE INDEX", "CREATE TRIGGER", "CREATE VIRTUAL"... for a statement starting at `start`
// (UNIQUE, TEMP and TEMPORARY skipped), or "".
std::string created_kind(std::string_view sql, TokenStream& tokens, std::size_t start) {
    if (!is_keyword(sql, *tokens.at(start), "CREATE")) {
        return {};
    }
    std::size_t next = start + 1;
    while (tokens.at(next) != nullptr && (is_keyword(sql, *tokens.at(next), "UNIQUE") ||
                                          is_keyword(sql, *tokens.at(next), "TEMP") ||
                                          is_keyword(sql, *tokens.at(next), "TEMPORARY"))) {
        ++next;
    }
    const Token* kind = tokens.at(next);
    return kind != nullptr && kind->kind == TokenKind::word
               ? "CREATE " + upper(token_text(sql, *kind))
               : std::string();
}

// [name] after "(", "," or a keyword that precedes a name is SQLite's bracket quoting; PostgreSQL
// brackets follow an expression (a[1]) or ARRAY.
bool is_bracket_quoting(std::string_view sql, TokenStream& tokens, std::size_t i) {
    static const std::set<std::string> name_keywords = {"TABLE",  "INDEX", "ON",   "REFERENCES",
                                                        "EXISTS", "KEY",   "VIEW", "INTO"};
    const Token* name = tokens.at(i + 1);
    const Token* close = tokens.at(i + 2);
    if (i == 0 || name == nullptr || close == nullptr || name->kind != TokenKind::word ||
        !is_punct(sql, *close, "]")) {
        return false;
    }
    const Token& before = *tokens.at(i - 1);
    return is_punct(sql, before, "(") || is_punct(sql, before, ",") ||
           (before.kind == TokenKind::word &&
            name_keywords.count(upper(token_text(sql, before))) > 0);
}

} // namespace

DialectGuess guess_ddl_dialect(std::string_view sql) {
    TokenStream tokens(sql, false);
    std::optional<std::pair<std::string_view, std::size_t>> sqlite_signal; // what, offset
    const auto sqlite_evidence = [&](std::string_view what, const Token& token) {
        if (!sqlite_signal) {
            sqlite_signal.emplace(what, token.begin);
        }
    };
    const auto postgres = [&](std::string_view what, const Token& token) {
        return DialectGuess{"postgresql", std::string(what), line_at(sql, token.begin)};
    };
    std::size_t statement_start = 0;
    std::string statement; // created_kind() of the current statement
    for (std::size_t i = 0; tokens.at(i) != nullptr; ++i) {
        const Token token = *tokens.at(i);
        const std::string_view text = token_text(sql, token);
        if (i == statement_start) {
            if (postgres_only_statement(sql, tokens, i)) {
                return postgres(text, token);
            }
            statement = created_kind(sql, tokens, i);
            if (statement == "CREATE VIRTUAL") {
                sqlite_evidence("CREATE VIRTUAL TABLE", token);
            }
            if (is_keyword(sql, token, "PRAGMA")) {
                sqlite_evidence("PRAGMA", token);
            }
        }
        if (token.kind == TokenKind::punct) {
            if (text == ";") {
                statement_start = i + 1;
            } else if (text == "::") {
                return postgres("::", token);
            } else if (text == "$") {
                return postgres("$ quoting", token);
            } else if (text == "\\") {
                return postgres("psql \\ command", token);
            } else if (text == "[" && i > statement_start && is_bracket_quoting(sql, tokens, i)) {
                sqlite_evidence("[bracket] quoting", token);
            }
            continue;
        }
        if (token.kind == TokenKind::quoted_identifier && text.front() == '`') {
            sqlite_evidence("`backtick` quoting", token);
            continue;
        }
        if (token.kind != TokenKind::word) {
            continue;
        }
        const Token* next = tokens.at(i + 1);
        const auto next_is = [&](std::string_view keyword) {
            return next != nullptr && is_keyword(sql, *next, keyword);
        };
        const auto next_is_punct = [&](std::string_view punct) {
            return next != nullptr && is_punct(sql, *next, punct);
        };
        if (iequals(text, "pg_catalog") && next_is_punct(".")) {
            return postgres("pg_catalog.", token);
        }
        if (iequals(text, "OWNER") && next_is("TO")) {
            return postgres("OWNER TO", token);
        }
        if (iequals(text, "ADD") && next_is("CONSTRAINT")) {
            return postgres("ADD CONSTRAINT", token);
        }
        if (statement == "CREATE INDEX" &&
            (iequals(text, "CONCURRENTLY") || iequals(text, "USING"))) {
            return postgres(iequals(text, "USING") ? "CREATE INDEX ... USING" : "CONCURRENTLY",
                            token);
        }
        const Token* previous = i > 0 ? tokens.at(i - 1) : nullptr;
        if (iequals(text, "AUTOINCREMENT")) {
            sqlite_evidence("AUTOINCREMENT", token);
        } else if (iequals(text, "WITHOUT") && next_is("ROWID")) {
            sqlite_evidence("WITHOUT ROWID", token);
        } else if (iequals(text, "STRICT") && previous != nullptr &&
                   (is_punct(sql, *previous, ")") || is_punct(sql, *previous, ","))) {
            sqlite_evidence("STRICT", token);
        } else if (iequals(text, "COLLATE") && (next_is("NOCASE") || next_is("RTRIM"))) {
            sqlite_evidence("COLLATE NOCASE", token);
        } else if (iequals(text, "json_valid") && next_is_punct("(")) {
            sqlite_evidence("json_valid()", token);
        } else if (iequals(text, "BEGIN") && statement == "CREATE TRIGGER") {
            sqlite_evidence("trigger body BEGIN ... END", token);
        } else if (is_internal_name(text)) {
            sqlite_evidence("sqlite_* table", token);
        }
    }
    if (sqlite_signal) {
        return {"sqlite", std::string(sqlite_signal->first), line_at(sql, sqlite_signal->second)};
    }
    return {"postgresql", "", 0};
}

} // namespace parsers
