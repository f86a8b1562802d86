#include "parsers/sqlite_schema.hpp"

#include "parsers/input_error.hpp"
#include "parsers/input_file.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sqlite3.h>
#include <utility>
#include <vector>

namespace parsers {

namespace {

// ---------------------------------------------------------------------------------------------
// Locating text in SQL that SQLite has already accepted. This is not a parser: it splits text
// into words, quoted names, strings, numbers and punctuation (skipping comments) so that the
// reader can cut out an index's key expressions and WHERE clause, find json_valid(<column>) in a
// CREATE TABLE, and guess a script's dialect.

enum class TokenKind { word, quoted_identifier, string, number, punct };

struct Token {
    TokenKind kind;
    std::size_t begin;
    std::size_t end;
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_word_start(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}
bool is_word_char(char c) {
    return is_word_start(c) || is_digit(c) || c == '$';
}

char ascii_upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// SQLite compares names case-insensitively for ASCII letters only (sqlite3StrICmp).
bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_upper(a[i]) != ascii_upper(b[i])) {
            return false;
        }
    }
    return true;
}

std::string upper(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(), ascii_upper);
    return result;
}

// Objects named sqlite_* are SQLite's own (https://www.sqlite.org/fileformat2.html#intschema).
bool is_internal_name(std::string_view name) {
    return name.size() >= 7 && iequals(name.substr(0, 7), "sqlite_");
}

std::size_t skip_quoted(std::string_view sql, std::size_t open, char close) {
    std::size_t i = open + 1;
    while (i < sql.size()) {
        if (sql[i] == close) {
            if (close != ']' && i + 1 < sql.size() && sql[i + 1] == close) {
                i += 2; // a doubled quote stands for itself
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return sql.size();
}

// The next token at or after `i` (advanced past it), or nullopt at the end of the text.
// `brackets_quote`: [name] is a quoted name (SQLite, for MS Access/SQL Server compatibility);
// off when guessing a dialect, where a bracket may be a PostgreSQL array subscript.
std::optional<Token> next_token(std::string_view sql, std::size_t& i, bool brackets_quote) {
    const std::size_t n = sql.size();
    while (i < n) {
        const char c = sql[i];
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
            const auto newline = sql.find('\n', i);
            i = newline == std::string_view::npos ? n : newline + 1;
            continue;
        }
        if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
            const auto close = sql.find("*/", i + 2);
            i = close == std::string_view::npos ? n : close + 2;
            continue;
        }
        const std::size_t begin = i;
        TokenKind kind = TokenKind::punct;
        if (c == '\'') {
            i = skip_quoted(sql, i, '\'');
            kind = TokenKind::string;
        } else if (c == '"' || c == '`') {
            i = skip_quoted(sql, i, c);
            kind = TokenKind::quoted_identifier;
        } else if (c == '[' && brackets_quote) {
            i = skip_quoted(sql, i, ']');
            kind = TokenKind::quoted_identifier;
        } else if (is_word_start(c)) {
            while (i < n && is_word_char(sql[i])) {
                ++i;
            }
            kind = TokenKind::word;
        } else if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(sql[i + 1]))) {
            while (i < n && (is_word_char(sql[i]) || sql[i] == '.')) {
                ++i;
            }
            kind = TokenKind::number;
        } else if (c == ':' && i + 1 < n && sql[i + 1] == ':') {
            i += 2;
        } else {
            ++i;
        }
        return Token{kind, begin, i};
    }
    return std::nullopt;
}

std::vector<Token> tokenize(std::string_view sql, bool brackets_quote) {
    std::vector<Token> tokens;
    std::size_t position = 0;
    while (const auto token = next_token(sql, position, brackets_quote)) {
        tokens.push_back(*token);
    }
    return tokens;
}

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

std::string_view token_text(std::string_view sql, const Token& token) {
    return sql.substr(token.begin, token.end - token.begin);
}

bool is_keyword(std::string_view sql, const Token& token, std::string_view keyword) {
    return token.kind == TokenKind::word && iequals(token_text(sql, token), keyword);
}

bool is_punct(std::string_view sql, const Token& token, std::string_view punct) {
    return token.kind == TokenKind::punct && token_text(sql, token) == punct;
}

// A name token as SQLite reads it: quotes removed, doubled quotes undone.
std::string unquote(std::string_view sql, const Token& token) {
    const std::string_view text = token_text(sql, token);
    if ((token.kind != TokenKind::quoted_identifier && token.kind != TokenKind::string) ||
        text.size() < 2) {
        return std::string(text);
    }
    const char open = text.front();
    const std::string_view inner = text.substr(1, text.size() - 2);
    if (open == '[') {
        return std::string(inner);
    }
    std::string name;
    for (std::size_t i = 0; i < inner.size(); ++i) {
        name += inner[i];
        if (inner[i] == open && i + 1 < inner.size() && inner[i + 1] == open) {
            ++i;
        }
    }
    return name;
}

std::string text_between(std::string_view sql, const Token& first, const Token& last) {
    return std::string(sql.substr(first.begin, last.end - first.begin));
}

// The text of each key of a CREATE INDEX statement (COLLATE, ASC and DESC cut off: index_xinfo
// reports those) and of its WHERE clause. The key list is the statement's first parenthesis:
// before it come only keywords and (possibly quoted) names.
struct IndexSqlParts {
    std::vector<std::string> keys;
    std::optional<std::string> where;
};

std::optional<IndexSqlParts> split_create_index(std::string_view sql) {
    const std::vector<Token> tokens = tokenize(sql, true);
    std::size_t open = 0;
    while (open < tokens.size() && !is_punct(sql, tokens[open], "(")) {
        ++open;
    }
    if (open == tokens.size()) {
        return std::nullopt;
    }
    IndexSqlParts parts;
    std::vector<std::pair<std::size_t, std::size_t>> ranges; // [first, last) token positions
    std::size_t term_begin = open + 1;
    std::size_t close = 0;
    int depth = 0;
    for (std::size_t i = open; i < tokens.size() && close == 0; ++i) {
        if (is_punct(sql, tokens[i], "(")) {
            ++depth;
        } else if (is_punct(sql, tokens[i], ")")) {
            if (--depth == 0) {
                ranges.emplace_back(term_begin, i);
                close = i;
            }
        } else if (depth == 1 && is_punct(sql, tokens[i], ",")) {
            ranges.emplace_back(term_begin, i);
            term_begin = i + 1;
        }
    }
    if (close == 0) {
        return std::nullopt;
    }
    for (auto [first, last] : ranges) {
        if (last > first && (is_keyword(sql, tokens[last - 1], "ASC") ||
                             is_keyword(sql, tokens[last - 1], "DESC"))) {
            --last;
        }
        if (last >= first + 2 && is_keyword(sql, tokens[last - 2], "COLLATE")) {
            last -= 2;
        }
        parts.keys.push_back(last > first ? text_between(sql, tokens[first], tokens[last - 1])
                                          : std::string());
    }
    std::size_t end = tokens.size();
    if (end > close + 1 && is_punct(sql, tokens[end - 1], ";")) {
        --end;
    }
    if (close + 2 < end && is_keyword(sql, tokens[close + 1], "WHERE")) {
        parts.where = text_between(sql, tokens[close + 2], tokens[end - 1]);
    }
    return parts;
}

// The SELECT of a CREATE VIEW: what follows the first AS outside parentheses (a column list in
// parentheses may come before it).
std::string view_select_text(std::string_view sql) {
    const std::vector<Token> tokens = tokenize(sql, true);
    int depth = 0;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (is_punct(sql, tokens[i], "(")) {
            ++depth;
        } else if (is_punct(sql, tokens[i], ")")) {
            --depth;
        } else if (depth == 0 && is_keyword(sql, tokens[i], "AS")) {
            std::size_t end = tokens.size();
            if (is_punct(sql, tokens[end - 1], ";")) {
                --end;
            }
            return end > i + 1 ? text_between(sql, tokens[i + 1], tokens[end - 1]) : std::string();
        }
    }
    return {};
}

// Columns named in json_valid(<column>) or json_valid(<column>, flags) in a CREATE TABLE.
std::vector<std::string> json_valid_columns(std::string_view sql) {
    const std::vector<Token> tokens = tokenize(sql, true);
    std::vector<std::string> columns;
    for (std::size_t i = 0; i + 3 < tokens.size(); ++i) {
        const bool name = tokens[i + 2].kind == TokenKind::word ||
                          tokens[i + 2].kind == TokenKind::quoted_identifier;
        if (is_keyword(sql, tokens[i], "json_valid") && is_punct(sql, tokens[i + 1], "(") && name &&
            (is_punct(sql, tokens[i + 3], ")") || is_punct(sql, tokens[i + 3], ","))) {
            columns.push_back(unquote(sql, tokens[i + 2]));
        }
    }
    return columns;
}

// Byte offset -> 1-based line number.
class LineIndex {
public:
    explicit LineIndex(std::string_view text) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n') {
                line_starts_.push_back(i + 1);
            }
        }
    }
    int line_of(std::size_t offset) const {
        const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
        return static_cast<int>(it - line_starts_.begin());
    }

private:
    std::vector<std::size_t> line_starts_{0};
};

// ---------------------------------------------------------------------------------------------
// Guessing the dialect of a DDL text.

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

bool has_sqlite_header(std::string_view head) {
    static constexpr std::string_view magic("SQLite format 3\0", 16);
    return head.substr(0, magic.size()) == magic;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Reading a schema out of an open SQLite database.

int primary_code(const SQLite::Exception& e) {
    return e.getErrorCode() & 0xff;
}

// Errors that concern the whole file rather than one object: they stop the read.
bool is_fatal(const SQLite::Exception& e) {
    switch (primary_code(e)) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_FULL:
        return true;
    default:
        return false;
    }
}

void null_function(sqlite3_context* context, int, sqlite3_value**) {
    sqlite3_result_null(context);
}

// Runs `read`, and when SQLite cannot compile a view because it calls a function the application
// registers at run time (calibre's title_sort(), for one), registers a function of that name that
// returns NULL and runs it again: describing a view only compiles it, nothing is evaluated.
template <class Read> void with_application_functions(SQLite::Database& db, Read&& read) {
    static constexpr std::string_view prefix = "no such function: ";
    for (int attempt = 0;; ++attempt) {
        try {
            read();
            return;
        } catch (const SQLite::Exception& e) {
            const std::string message = e.what();
            if (attempt == 32 || !message.starts_with(prefix)) {
                throw;
            }
            const std::string name = message.substr(prefix.size());
            sqlite3_create_function_v2(db.getHandle(), name.c_str(), -1, SQLITE_UTF8, nullptr,
                                       null_function, nullptr, nullptr, nullptr);
        }
    }
}

struct SchemaObject {
    long long rowid = 0;
    std::string type; // table, index, view, trigger
    std::string name;
    std::string table;
    std::optional<std::string> sql;
};

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string text;
    for (const auto& item : items) {
        text += (text.empty() ? "" : separator) + item;
    }
    return text;
}

class SchemaReader {
public:
    SchemaReader(SQLite::Database& db, std::string file,
                 const std::map<std::string, SourceLocation>& declared, Catalog& catalog)
        : db_(db), file_(std::move(file)), declared_(declared), catalog_(catalog) {}

    void read() {
        catalog_.dialect = "sqlite";
        catalog_.schemas = {"main"};
        read_schema_objects();
        for (const auto& object : objects_) {
            if (object.type == "table" && !is_internal_name(object.name)) {
                read_table(object);
            } else if (object.type == "view") {
                read_view(object);
            }
        }
        std::stable_sort(indexes_.begin(), indexes_.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [position, index] : indexes_) {
            catalog_.add_index(std::move(index));
        }
        for (const auto& [qualified, table] : catalog_.tables) {
            if (table.schema == "main") {
                tables_by_folded_name_[upper(table.name)] = qualified;
            }
        }
        for (const auto& object : objects_) {
            if (object.type == "table" && !is_internal_name(object.name)) {
                read_foreign_keys(object);
            }
        }
        read_schema_sql();
    }

private:
    void read_schema_objects() {
        SQLite::Statement query(
            db_, "SELECT rowid, type, name, tbl_name, sql FROM main.sqlite_schema ORDER BY rowid");
        while (query.executeStep()) {
            SchemaObject object;
            object.rowid = query.getColumn(0).getInt64();
            object.type = query.getColumn(1).getString();
            object.name = query.getColumn(2).getString();
            object.table = query.getColumn(3).getString();
            if (!query.getColumn(4).isNull()) {
                object.sql = query.getColumn(4).getString();
            }
            objects_.push_back(std::move(object));
        }
        for (const auto& object : objects_) {
            if (object.type == "index") {
                indexes_by_name_[object.name] = &object;
            }
        }
    }

    // What rebuilding the schema elsewhere takes (advise --verify): the CREATE statements, and
    // the statistics ANALYZE left, which steer SQLite's planner.
    void read_schema_sql() {
        SqliteSchemaSql& copy = catalog_.sqlite_schema;
        bool has_stat1 = false;
        for (const auto& object : objects_) {
            has_stat1 |= object.type == "table" && iequals(object.name, "sqlite_stat1");
            if (object.sql && !is_internal_name(object.name) &&
                (object.type == "table" || object.type == "index" || object.type == "view")) {
                copy.objects.push_back({object.type, object.name, *object.sql});
            }
        }
        if (!has_stat1) {
            return;
        }
        SQLite::Statement query(db_, "SELECT tbl, idx, stat FROM main.sqlite_stat1 "
                                     "WHERE tbl IS NOT NULL AND stat IS NOT NULL "
                                     "ORDER BY tbl, idx IS NOT NULL, idx");
        while (query.executeStep()) {
            SqliteStat1Row row;
            row.table = query.getColumn(0).getString();
            if (!query.getColumn(1).isNull()) {
                row.index = query.getColumn(1).getString();
            }
            row.stat = query.getColumn(2).getString();
            copy.stat1.push_back(std::move(row));
        }
    }

    SourceLocation location_of(const std::string& name) const {
        const auto found = declared_.find(name);
        return found != declared_.end() ? found->second : SourceLocation{file_, 0};
    }

    void warn(const SourceLocation& where, const std::string& message) {
        catalog_.warnings.push_back({where, message});
    }

    const SchemaObject* index_object(const std::string& name) const {
        const auto found = indexes_by_name_.find(name);
        return found != indexes_by_name_.end() ? found->second : nullptr;
    }

    // PRAGMA table_xinfo, with hidden columns of virtual tables left out (fts5's rank and the
    // table-named column are the module's, not the user's); generated columns are kept.
    std::vector<std::pair<Column, int>> read_columns(const std::string& table) {
        std::vector<std::pair<Column, int>> columns; // column, position in primary key
        with_application_functions(db_, [&] {
            columns.clear();
            SQLite::Statement query(db_, "SELECT name, type, \"notnull\", pk, hidden "
                                         "FROM pragma_table_xinfo(?1, 'main') ORDER BY cid");
            query.bind(1, table);
            while (query.executeStep()) {
                if (query.getColumn(4).getInt() == 1) {
                    continue;
                }
                Column column;
                column.name = query.getColumn(0).getString();
                column.type = query.getColumn(1).getString();
                column.nullable = query.getColumn(2).getInt() == 0;
                columns.emplace_back(column, query.getColumn(3).getInt());
            }
        });
        return columns;
    }

    void read_table(const SchemaObject& object) {
        Table table;
        table.schema = "main";
        table.name = object.name;
        table.declared_at = location_of(object.name);
        // PRAGMA table_list says virtual, shadow or table, and WITHOUT ROWID (wr); should it fail,
        // the stored SQL still tells a virtual table.
        std::string type =
            object.sql && object.sql->starts_with("CREATE VIRTUAL") ? "virtual" : "table";
        bool without_rowid = false;
        try {
            SQLite::Statement query(
                db_, "SELECT type, wr FROM pragma_table_list(?1) WHERE schema = 'main'");
            query.bind(1, object.name);
            if (query.executeStep()) {
                type = query.getColumn(0).getString();
                without_rowid = query.getColumn(1).getInt() != 0;
            }
        } catch (const SQLite::Exception& e) {
            if (is_fatal(e)) {
                throw;
            }
            warn(table.declared_at, "table " + object.name + ": " + e.what());
        }
        if (type == "virtual") {
            table.kind = TableKind::foreign_table;
        }
        std::vector<std::pair<Column, int>> columns;
        try {
            columns = read_columns(object.name);
        } catch (const SQLite::Exception& e) {
            if (is_fatal(e)) {
                throw;
            }
            warn(table.declared_at,
                 "table " + object.name + ": SQLite cannot list its columns: " + e.what());
        }
        std::vector<std::pair<int, std::string>> key;
        for (auto& [column, pk_position] : columns) {
            if (pk_position > 0) {
                key.emplace_back(pk_position, column.name);
            }
            const std::string declared = upper(column.type);
            column.json = declared == "JSON" || declared == "JSONB";
            table.columns.push_back(column);
        }
        std::sort(key.begin(), key.end());
        for (const auto& [position, name] : key) {
            table.primary_key.push_back(name);
        }
        if (object.sql) {
            for (const auto& name : json_valid_columns(*object.sql)) {
                for (auto& column : table.columns) {
                    if (iequals(column.name, name)) {
                        column.json = true;
                    }
                }
            }
        }
        if (table.kind == TableKind::table) {
            read_indexes(object, table);
            // A rowid table whose primary key has no index of its own: the key is an alias of the
            // rowid (an INTEGER PRIMARY KEY), which can never be NULL.
            const bool rowid_alias =
                !without_rowid && table.primary_key.size() == 1 && table.primary_key_name.empty();
            Column* alias = rowid_alias ? table.find_column(table.primary_key[0]) : nullptr;
            if (alias != nullptr) {
                alias->nullable = false;
            }
        }
        catalog_.tables[table.qualified_name()] = std::move(table);
    }

    void read_indexes(const SchemaObject& object, Table& table) {
        struct Listed {
            std::string name;
            bool unique;
            std::string origin;
            bool partial;
        };
        std::vector<Listed> listed;
        SQLite::Statement list(db_, "SELECT name, \"unique\", origin, partial "
                                    "FROM pragma_index_list(?1, 'main') ORDER BY seq DESC");
        list.bind(1, object.name);
        while (list.executeStep()) {
            listed.push_back({list.getColumn(0).getString(), list.getColumn(1).getInt() != 0,
                              list.getColumn(2).getString(), list.getColumn(3).getInt() != 0});
        }
        for (const auto& entry : listed) {
            Index index;
            index.name = entry.name;
            index.schema = "main";
            index.table = table.qualified_name();
            index.unique = entry.unique;
            index.constraint = entry.origin == "pk"  ? ConstraintKind::primary_key
                               : entry.origin == "u" ? ConstraintKind::unique
                                                     : ConstraintKind::none;
            const SchemaObject* stored = index_object(entry.name);
            // Automatic indexes are declared by their table; a WITHOUT ROWID table's primary key
            // has no sqlite_schema row at all (the table is that b-tree).
            index.declared_at =
                stored != nullptr && stored->sql ? location_of(entry.name) : table.declared_at;
            read_index_keys(index, stored != nullptr ? stored->sql : std::nullopt, entry.partial);
            if (index.constraint == ConstraintKind::primary_key) {
                table.primary_key_name = index.name;
            } else if (index.constraint == ConstraintKind::unique) {
                table.unique_constraints.push_back({index.name, index.key_texts()});
            }
            indexes_.emplace_back(stored != nullptr ? stored->rowid : object.rowid,
                                  std::move(index));
        }
    }

    void read_index_keys(Index& index, const std::optional<std::string>& sql, bool partial) {
        SQLite::Statement query(db_, "SELECT cid, name, \"desc\", coll FROM "
                                     "pragma_index_xinfo(?1, 'main') WHERE key = 1 ORDER BY seqno");
        query.bind(1, index.name);
        std::optional<IndexSqlParts> parts;
        if (sql) {
            parts = split_create_index(*sql);
        }
        std::size_t position = 0;
        while (query.executeStep()) {
            IndexKey key;
            const int cid = query.getColumn(0).getInt();
            if (cid == -2) {
                if (parts && position < parts->keys.size() && !parts->keys[position].empty()) {
                    key.expression = parts->keys[position];
                } else {
                    key.expression = "<expression>";
                    warn(index.declared_at, "index " + index.name +
                                                ": cannot find the text of key " +
                                                std::to_string(position + 1) + " in its SQL");
                }
            } else if (cid == -1) {
                key.column = "rowid";
            } else {
                key.column = query.getColumn(1).getString();
            }
            key.descending = query.getColumn(2).getInt() != 0;
            const std::string collation = query.getColumn(3).getString();
            if (!iequals(collation, "BINARY")) {
                key.collation = collation;
            }
            index.keys.push_back(key);
            ++position;
        }
        if (parts && parts->keys.size() != index.keys.size()) {
            warn(index.declared_at,
                 "index " + index.name + ": its SQL lists " + std::to_string(parts->keys.size()) +
                     " keys but SQLite reports " + std::to_string(index.keys.size()));
        }
        if (partial) {
            if (parts && parts->where) {
                index.where = parts->where;
            } else {
                index.where = "<predicate>";
                warn(index.declared_at,
                     "index " + index.name + ": partial, but its WHERE clause was not found");
            }
        }
    }

    void read_view(const SchemaObject& object) {
        Table view;
        view.schema = "main";
        view.name = object.name;
        view.kind = TableKind::view;
        view.declared_at = location_of(object.name);
        if (object.sql) {
            view.view_definition = view_select_text(*object.sql);
        }
        try {
            for (auto& [column, pk_position] : read_columns(object.name)) {
                view.columns.push_back(column);
            }
        } catch (const SQLite::Exception& e) {
            if (is_fatal(e)) {
                throw;
            }
            warn(view.declared_at,
                 "view " + object.name + ": SQLite cannot list its columns: " + e.what());
        }
        catalog_.tables[view.qualified_name()] = std::move(view);
    }

    // SQLite matches table names case-insensitively (ASCII): REFERENCES USERS finds users.
    Table* table_named(const std::string& name) {
        const auto found = tables_by_folded_name_.find(upper(name));
        return found != tables_by_folded_name_.end() ? catalog_.find_table(found->second) : nullptr;
    }

    void read_foreign_keys(const SchemaObject& object) {
        Table* table = table_named(object.name);
        if (table == nullptr || table->kind != TableKind::table) {
            return;
        }
        struct Reference {
            std::string parent;
            std::vector<std::string> columns;
            std::vector<std::optional<std::string>> parent_columns;
        };
        std::map<int, Reference, std::greater<>> references; // SQLite numbers the last one 0
        try {
            SQLite::Statement query(db_, "SELECT id, \"table\", \"from\", \"to\" FROM "
                                         "pragma_foreign_key_list(?1, 'main') ORDER BY id, seq");
            query.bind(1, object.name);
            while (query.executeStep()) {
                Reference& reference = references[query.getColumn(0).getInt()];
                reference.parent = query.getColumn(1).getString();
                reference.columns.push_back(query.getColumn(2).getString());
                reference.parent_columns.push_back(
                    query.getColumn(3).isNull()
                        ? std::nullopt
                        : std::optional<std::string>(query.getColumn(3).getString()));
            }
        } catch (const SQLite::Exception& e) {
            if (is_fatal(e)) {
                throw;
            }
            warn(table->declared_at,
                 "table " + object.name + ": SQLite cannot list its foreign keys: " + e.what());
            return;
        }
        std::set<std::string> names;
        for (const auto& [id, reference] : references) {
            ForeignKey fk;
            fk.columns = reference.columns;
            const Table* parent = table_named(reference.parent);
            fk.referenced_table =
                parent != nullptr ? parent->qualified_name() : "main." + reference.parent;
            const bool implicit =
                std::all_of(reference.parent_columns.begin(), reference.parent_columns.end(),
                            [](const auto& column) { return !column; });
            if (implicit) {
                // `REFERENCES parent` names the parent's primary key (SQLite's foreign key doc,
                // section 3).
                if (parent != nullptr) {
                    fk.referenced_columns = parent->primary_key;
                }
            } else {
                for (const auto& column : reference.parent_columns) {
                    const std::string name = column.value_or("");
                    const Column* found = nullptr;
                    if (parent != nullptr) {
                        for (const auto& candidate : parent->columns) {
                            if (iequals(candidate.name, name)) {
                                found = &candidate;
                            }
                        }
                    }
                    fk.referenced_columns.push_back(found != nullptr ? found->name : name);
                }
            }
            const std::string base = table->name + "_" + join(fk.columns, "_") + "_fkey";
            fk.name = base;
            for (int suffix = 1; names.count(fk.name) > 0; ++suffix) {
                fk.name = base + std::to_string(suffix);
            }
            names.insert(fk.name);
            table->foreign_keys.push_back(std::move(fk));
        }
    }

    SQLite::Database& db_;
    std::string file_;
    const std::map<std::string, SourceLocation>& declared_;
    Catalog& catalog_;
    std::vector<SchemaObject> objects_;
    std::map<std::string, const SchemaObject*> indexes_by_name_;
    std::map<std::string, std::string> tables_by_folded_name_; // upper-cased name -> qualified
    std::vector<std::pair<long long, Index>> indexes_;         // sqlite_schema position, index
};

// ---------------------------------------------------------------------------------------------
// Opening database files.

// A file: URI for `path` with every byte outside the unreserved set percent-encoded
// (https://www.sqlite.org/uri.html: '?', '#' and '%' would otherwise end or escape the path).
std::string file_uri(const std::string& path, const std::string& query) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string uri = "file:";
    for (const char c : std::filesystem::absolute(path).string()) {
        const auto u = static_cast<unsigned char>(c);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
                           c == '/' || c == '.' || c == '_' || c == '-' || c == '~';
        if (plain) {
            uri += c;
        } else {
            uri += '%';
            uri += hex[u >> 4];
            uri += hex[u & 0xf];
        }
    }
    return uri + "?" + query;
}

bool file_exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

InputError unreadable(const std::string& path, const SQLite::Exception& e, int busy_timeout_ms) {
    const int code = primary_code(e);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
        return InputError(path, 0,
                          "is a SQLite database file locked by another process (SQLite: " +
                              std::string(e.what()) + ", after waiting " +
                              std::to_string(busy_timeout_ms) +
                              " ms); try again when the writer has finished");
    }
    if (code == SQLITE_READONLY && file_exists(path + "-journal")) {
        // A hot journal: a writer stopped mid-transaction, and only a connection that may write
        // can roll it back (https://www.sqlite.org/atomiccommit.html#section_4_2).
        return InputError(path, 0,
                          "is a SQLite database file with a hot journal (" + path +
                              "-journal, left by a writer that stopped mid-transaction); it "
                              "must be rolled back first, which a read-only reader cannot do: "
                              "open it once with sqlite3, then try again");
    }
    return InputError(
        path, 0, "is a SQLite database file but SQLite cannot read it: " + std::string(e.what()));
}

} // namespace

void read_sqlite_database(const std::string& path, Catalog& catalog,
                          const SqliteReadOptions& options) {
    const std::string header = sniff(path, 100); // throws for missing, directory, unreadable
    if (!has_sqlite_header(header)) {
        throw InputError(path, 0,
                         "is not a SQLite database (it does not start with \"SQLite "
                         "format 3\")");
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw InputError(path, 0, "a SQLite database must be a regular file");
    }
    // Bytes 18 and 19 of the header are 2 in WAL mode. A read-only connection to a WAL database
    // creates its -wal and -shm files when they are missing, so without a -wal file (no writer
    // has it open; everything is in the main file) the file is opened `immutable`: no locks, no
    // side files. With a -wal file the committed data may be in it: read through it.
    const bool wal = header.size() >= 20 && (header[18] == 2 || header[19] == 2);
    const bool has_wal_file = file_exists(path + "-wal");
    if (wal && has_wal_file && !file_exists(path + "-shm")) {
        throw InputError(path, 0,
                         "is a WAL-mode SQLite database with a -wal file but no -shm file; "
                         "reading it would create one. Open it once with sqlite3 (which "
                         "recovers the log), then try again");
    }
    try {
        const bool immutable = wal && !has_wal_file;
        // This SQLite is built with SQLITE_USE_URI: a plain name starting "file:" would be
        // read as a URI.
        const std::string name = path.starts_with("file:") ? "./" + path : path;
        SQLite::Database db(immutable ? file_uri(path, "immutable=1") : name,
                            SQLite::OPEN_READONLY | (immutable ? SQLite::OPEN_URI : 0),
                            options.busy_timeout_ms);
        // One read transaction: every PRAGMA sees the same schema.
        db.exec("BEGIN");
        const std::map<std::string, SourceLocation> declared;
        SchemaReader(db, path, declared, catalog).read();
        db.exec("COMMIT");
    } catch (const SQLite::Exception& e) {
        throw unreadable(path, e, options.busy_timeout_ms);
    }
}

// ---------------------------------------------------------------------------------------------
// DDL scripts.

namespace {

// Statements that are not run: they carry data, control transactions (a ROLLBACK would undo the
// schema) or touch files (ATTACH creates one, VACUUM INTO writes one).
const std::set<std::string>& statements_not_run() {
    static const std::set<std::string> kinds = {
        "INSERT",    "REPLACE", "UPDATE", "DELETE", "SELECT", "WITH",
        "VALUES",    "EXPLAIN", "BEGIN",  "COMMIT", "END",    "ROLLBACK",
        "SAVEPOINT", "RELEASE", "ATTACH", "DETACH", "VACUUM"};
    return kinds;
}

// Denies ATTACH and DETACH whatever the statement looks like (defence in depth: the in-memory
// database must never open or create a file).
int deny_files(void*, int action, const char*, const char*, const char*, const char*) {
    return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

int past_deadline(void* deadline) {
    return std::chrono::steady_clock::now() >
                   *static_cast<std::chrono::steady_clock::time_point*>(deadline)
               ? 1
               : 0;
}

// Position of the first token (after spaces and comments) at or after `from`.
std::size_t first_token_at(std::string_view sql, std::size_t from) {
    std::size_t i = from;
    while (i < sql.size()) {
        if (is_space(sql[i])) {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            const auto newline = sql.find('\n', i);
            i = newline == std::string_view::npos ? sql.size() : newline + 1;
        } else if (sql.substr(i, 2) == "/*") {
            const auto close = sql.find("*/", i + 2);
            i = close == std::string_view::npos ? sql.size() : close + 2;
        } else {
            break;
        }
    }
    return i;
}

std::string first_word(std::string_view sql, std::size_t at) {
    std::size_t end = at;
    while (end < sql.size() && is_word_char(sql[end])) {
        ++end;
    }
    return upper(sql.substr(at, end - at));
}

// End of the statement starting at `start` as SQLite's sqlite3_complete() sees it (a trigger
// body's semicolons do not end it): after a syntax error, prepare stops mid-statement.
std::size_t statement_end(std::string_view sql, std::size_t start) {
    for (std::size_t semicolon = sql.find(';', start); semicolon != std::string_view::npos;
         semicolon = sql.find(';', semicolon + 1)) {
        const std::string candidate(sql.substr(start, semicolon + 1 - start));
        if (sqlite3_complete(candidate.c_str())) {
            return semicolon + 1;
        }
    }
    return sql.size();
}

// Splits a SQLite script into statements as it reads it: a `;` outside quotes ('', "", ``, [])
// and comments ends a statement when sqlite3_complete() agrees (a trigger body's semicolons do
// not end it). A statement over the limit is not held: its text is dropped and its end found by
// the same scan. Stops at a NUL byte, which SQL text never holds.
class SqliteScriptReader {
public:
    struct Statement {
        std::string text;
        int line = 0;
        std::size_t bytes = 0;
        bool too_long = false;
    };

    SqliteScriptReader(std::istream& input, std::size_t max_bytes)
        : input_(input), max_bytes_(max_bytes), block_(1 << 16) {}

    std::optional<Statement> next() {
        Statement statement;
        enum class Lex { code, quoted, line_comment, block_comment } lex = Lex::code;
        char closer = 0;
        bool started = false;
        int c = 0;
        while ((c = get()) >= 0) {
            const char ch = static_cast<char>(c);
            if (!started && lex == Lex::code) {
                if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' ||
                    ch == '\v') {
                    continue;
                }
                if ((ch == '-' && peek() == '-') || (ch == '/' && peek() == '*')) {
                    lex = ch == '-' ? Lex::line_comment : Lex::block_comment;
                    get();
                    continue;
                }
                started = true;
                statement.line = line_;
            }
            if (started) {
                ++statement.bytes;
                if (!statement.too_long && statement.text.size() >= max_bytes_) {
                    statement.too_long = true;
                    std::string().swap(statement.text);
                }
                if (!statement.too_long) {
                    statement.text.push_back(ch);
                }
            }
            switch (lex) {
            case Lex::line_comment:
                lex = ch == '\n' ? Lex::code : lex;
                continue;
            case Lex::block_comment:
                if (ch == '*' && peek() == '/') {
                    get();
                    if (started && !statement.too_long) {
                        statement.text.push_back('/');
                    }
                    statement.bytes += started ? 1 : 0;
                    lex = Lex::code;
                }
                continue;
            case Lex::quoted:
                lex = ch == closer ? Lex::code : lex; // a doubled quote reopens at once
                continue;
            case Lex::code:
                break;
            }
            if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
                lex = Lex::quoted;
                closer = ch == '[' ? ']' : ch;
            } else if ((ch == '-' && peek() == '-') || (ch == '/' && peek() == '*')) {
                lex = ch == '-' ? Lex::line_comment : Lex::block_comment;
            } else if (ch == ';' &&
                       (statement.too_long || sqlite3_complete(statement.text.c_str()) != 0)) {
                return statement;
            }
        }
        if (started) {
            return statement;
        }
        return std::nullopt;
    }

    int nul_line() const { return nul_line_; }

private:
    bool fill() {
        if (eof_) {
            return false;
        }
        input_.read(block_.data(), static_cast<std::streamsize>(block_.size()));
        end_ = static_cast<std::size_t>(input_.gcount());
        position_ = 0;
        if (end_ == 0) {
            eof_ = true;
            return false;
        }
        if (first_block_) {
            first_block_ = false;
            if (std::string_view(block_.data(), end_).starts_with("\xEF\xBB\xBF")) {
                position_ = 3; // a UTF-8 byte order mark, which SQLite's tokenizer rejects
            }
        }
        return position_ < end_ || fill();
    }
    int peek() {
        if (position_ >= end_ && !fill()) {
            return -1;
        }
        if (block_[position_] == '\0') {
            nul_line_ = line_;
            eof_ = true;
            end_ = position_;
            return -1;
        }
        return static_cast<unsigned char>(block_[position_]);
    }
    int get() {
        const int c = peek();
        if (c >= 0) {
            ++position_;
            line_ += c == '\n' ? 1 : 0;
        }
        return c;
    }

    std::istream& input_;
    std::size_t max_bytes_;
    std::vector<char> block_;
    std::size_t position_ = 0;
    std::size_t end_ = 0;
    bool eof_ = false;
    bool first_block_ = true;
    int line_ = 1;
    int nul_line_ = 0;
};

} // namespace

struct SqliteDdlLoader::FileTally {
    std::size_t run = 0;
    std::size_t failed = 0;
    std::size_t ignored = 0;
    std::optional<CatalogWarning> first_failure;
};

struct SqliteDdlLoader::State {
    Catalog& catalog;
    SqliteReadOptions options;
    SQLite::Database db{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    std::map<std::string, SourceLocation> declared; // object name -> where it was created
    long long last_rowid = 0;                       // highest sqlite_schema rowid seen
    std::string first_file;
    // Statements past this point in time are interrupted (the progress handler checks it).
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

    State(Catalog& catalog_, const SqliteReadOptions& options_)
        : catalog(catalog_), options(options_) {
        sqlite3* handle = db.getHandle();
        sqlite3_limit(handle, SQLITE_LIMIT_ATTACHED, 0);
        sqlite3_set_authorizer(handle, deny_files, nullptr);
        sqlite3_progress_handler(handle, 1000, past_deadline, &deadline);
    }

    void note_new_objects(const SourceLocation& where) {
        SQLite::Statement query(db, "SELECT rowid, name FROM main.sqlite_schema WHERE rowid > ?1");
        query.bind(1, static_cast<int64_t>(last_rowid));
        while (query.executeStep()) {
            declared[query.getColumn(1).getString()] = where;
        }
        // After a DROP the highest rowid can go down, and SQLite reuses it for the next object.
        last_rowid =
            db.execAndGet("SELECT coalesce(max(rowid), 0) FROM main.sqlite_schema").getInt64();
    }
};

SqliteDdlLoader::SqliteDdlLoader(Catalog& catalog, const SqliteReadOptions& options)
    : state_(std::make_unique<State>(catalog, options)) {}

SqliteDdlLoader::~SqliteDdlLoader() = default;

void SqliteDdlLoader::apply_file(const std::string& path) {
    const auto input = open_input(path);
    if (input->is_pipe() && input->peek() == std::char_traits<char>::eof()) {
        throw InputError(path, 0, "is a pipe that gave no data (nothing writes to it)");
    }
    SqliteScriptReader reader(*input, state_->options.max_statement_bytes);
    FileTally tally;
    bool first = true;
    while (auto statement = reader.next()) {
        // The header's 16th byte is a NUL, where the reader stops.
        if (first && statement->text.starts_with("SQLite format 3")) {
            throw InputError(path, 0,
                             "is a SQLite database file; give it on its own (it holds the whole "
                             "schema), not with other schema files");
        }
        first = false;
        if (reader.nul_line() > 0) {
            break; // the statement is cut by the NUL byte
        }
        if (statement->too_long) {
            state_->catalog.warnings.push_back(
                {{path, statement->line},
                 "statement of " + std::to_string(statement->bytes) +
                     " bytes skipped: longer than --max-statement-bytes (" +
                     std::to_string(state_->options.max_statement_bytes) + ")"});
            ++tally.failed;
            continue;
        }
        apply_text(statement->text, path, statement->line, tally);
    }
    if (reader.nul_line() > 0) {
        // SQL text never holds a NUL byte: binary data, or a sparse file's hole, not read on.
        throw InputError(path, reader.nul_line(),
                         "is neither a SQLite database (it does not start with \"SQLite "
                         "format 3\") nor SQL text (it holds a NUL byte)");
    }
    if (input->read_error() != 0) {
        throw InputError(path, 0,
                         std::string("cannot read: ") + std::strerror(input->read_error()));
    }
    check_file(path, tally);
}

void SqliteDdlLoader::apply(std::string_view sql, const std::string& file) {
    if (sql.starts_with("\xEF\xBB\xBF")) {
        sql.remove_prefix(3); // a UTF-8 byte order mark, which SQLite's tokenizer rejects
    }
    FileTally tally;
    apply_text(sql, file, 1, tally);
    check_file(file, tally);
}

void SqliteDdlLoader::apply_text(std::string_view sql, const std::string& file, int first_line,
                                 FileTally& tally) {
    const LineIndex lines(sql);
    const auto line_of = [&](std::size_t offset) { return first_line - 1 + lines.line_of(offset); };
    sqlite3* handle = state_->db.getHandle();
    Catalog& catalog = state_->catalog;
    if (state_->first_file.empty()) {
        state_->first_file = file;
    }
    std::size_t& run = tally.run;
    std::size_t& failed = tally.failed;
    std::size_t& ignored = tally.ignored;
    std::optional<CatalogWarning>& first_failure = tally.first_failure;
    const auto fail = [&](std::size_t offset, const std::string& message) {
        CatalogWarning warning{{file, line_of(offset)}, message};
        if (!first_failure) {
            first_failure = warning;
        }
        catalog.warnings.push_back(std::move(warning));
        ++failed;
    };
    std::size_t position = 0;
    while (true) {
        const std::size_t start = first_token_at(sql, position);
        if (start >= sql.size()) {
            break;
        }
        const std::string kind = first_word(sql, start);
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v2(handle, sql.data() + start,
                                          static_cast<int>(sql.size() - start), &raw, &tail);
        std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
        if (rc != SQLITE_OK) {
            const int error_offset = sqlite3_error_offset(handle);
            const std::string message = sqlite3_errmsg(handle);
            position = statement_end(sql, start);
            // `sqlite3 .schema` prints SQLite's own tables (sqlite_sequence, sqlite_stat1), which
            // only SQLite may create: they appear by themselves with AUTOINCREMENT and ANALYZE.
            if (message.starts_with("object name reserved for internal use")) {
                ++catalog.ignored_statement_kinds["CREATE TABLE sqlite_*"];
                ++ignored;
                continue;
            }
            if (statements_not_run().count(kind) > 0) {
                ++catalog.ignored_statement_kinds[kind]; // data for a table that failed earlier
                ++ignored;
                continue;
            }
            fail(start + static_cast<std::size_t>(std::max(error_offset, 0)),
                 "SQLite rejected the statement: " + message);
            continue;
        }
        position = static_cast<std::size_t>(tail - sql.data());
        if (!statement) {
            // Only spaces or comments left, or a NUL byte, where SQLite stops reading.
            position = std::max(position, start + 1);
            continue;
        }
        if (statements_not_run().count(kind) > 0) {
            ++catalog.ignored_statement_kinds[kind];
            ++ignored;
            continue;
        }
        state_->deadline = std::chrono::steady_clock::now() +
                           std::chrono::milliseconds(state_->options.statement_time_limit_ms);
        int step = SQLITE_ROW;
        while (step == SQLITE_ROW) {
            step = sqlite3_step(statement.get());
        }
        state_->deadline = std::chrono::steady_clock::time_point::max();
        if (step != SQLITE_DONE) {
            const std::string message =
                step == SQLITE_INTERRUPT
                    ? "statement stopped after " +
                          std::to_string(state_->options.statement_time_limit_ms) + " ms"
                    : std::string(sqlite3_errmsg(handle));
            const int error_offset = sqlite3_error_offset(handle);
            fail(start + static_cast<std::size_t>(std::max(error_offset, 0)),
                 "SQLite rejected the statement: " + message);
            continue;
        }
        ++run;
        ++catalog.statements_read;
        if (kind == "CREATE" || kind == "ALTER" || kind == "DROP") {
            state_->note_new_objects({file, line_of(start)});
        }
    }
}

void SqliteDdlLoader::check_file(const std::string& file, const FileTally& tally) {
    if (tally.run == 0 && tally.failed == 0 && tally.ignored == 0) {
        throw InputError(file, 0, "holds no SQL statements");
    }
    if (tally.run == 0 && tally.failed > 0) {
        throw InputError(file, tally.first_failure ? tally.first_failure->where.line : 0,
                         "no statement could be run by SQLite" +
                             (tally.first_failure ? " (first: " + tally.first_failure->message + ")"
                                                  : std::string()));
    }
}

void SqliteDdlLoader::finish() {
    try {
        SchemaReader(state_->db, state_->first_file, state_->declared, state_->catalog).read();
    } catch (const SQLite::Exception& e) {
        throw InputError(state_->first_file, 0,
                         std::string("reading the schema back from SQLite failed: ") + e.what());
    }
}

Catalog read_sqlite_ddl(std::string_view sql, const std::string& file) {
    Catalog catalog;
    SqliteDdlLoader loader(catalog);
    loader.apply(sql, file);
    loader.finish();
    return catalog;
}

} // namespace parsers
