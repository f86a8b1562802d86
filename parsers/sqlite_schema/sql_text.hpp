// Locating text in SQL that SQLite has already accepted. This is not a parser: it splits text
// into words, quoted names, strings, numbers and punctuation (skipping comments) so that the
// reader can cut out an index's key expressions and WHERE clause, find json_valid(<column>) in a
// CREATE TABLE, and guess a script's dialect. Private to the SQLite reader
// (parsers/sqlite_schema/).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parsers::sqlite_schema {

enum class TokenKind { word, quoted_identifier, string, number, punct };

struct Token {
    TokenKind kind;
    std::size_t begin;
    std::size_t end;
};

bool is_space(char c);
bool is_digit(char c);
bool is_word_char(char c);

// SQLite compares names case-insensitively for ASCII letters only (sqlite3StrICmp).
bool iequals(std::string_view a, std::string_view b);
std::string upper(std::string_view text);

// Objects named sqlite_* are SQLite's own (https://www.sqlite.org/fileformat2.html#intschema).
bool is_internal_name(std::string_view name);

// The next token at or after `i` (advanced past it), or nullopt at the end of the text.
// `brackets_quote`: [name] is a quoted name (SQLite, for MS Access/SQL Server compatibility);
// off when guessing a dialect, where a bracket may be a PostgreSQL array subscript.
std::optional<Token> next_token(std::string_view sql, std::size_t& i, bool brackets_quote);

std::string_view token_text(std::string_view sql, const Token& token);
bool is_keyword(std::string_view sql, const Token& token, std::string_view keyword);
bool is_punct(std::string_view sql, const Token& token, std::string_view punct);

// The text of each key of a CREATE INDEX statement (COLLATE, ASC and DESC cut off: index_xinfo
// reports those) and of its WHERE clause. The key list is the statement's first parenthesis:
// before it come only keywords and (possibly quoted) names.
struct IndexSqlParts {
    std::vector<std::string> keys;
    std::optional<std::string> where;
};

std::optional<IndexSqlParts> split_create_index(std::string_view sql);

// The SELECT of a CREATE VIEW: what follows the first AS outside parentheses (a column list in
// parentheses may come before it).
std::string view_select_text(std::string_view sql);

// Columns named in json_valid(<column>) or json_valid(<column>, flags) in a CREATE TABLE.
std::vector<std::string> json_valid_columns(std::string_view sql);

} // namespace parsers::sqlite_schema
