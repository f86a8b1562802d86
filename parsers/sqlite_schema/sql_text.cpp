// The SQL text scanner of the SQLite reader (declared in sql_text.hpp): tokens, SQLite's ASCII
// case folding, and the texts cut out of SQL that SQLite stores (a CREATE INDEX's keys and WHERE,
// a CREATE VIEW's SELECT, the columns of json_valid() in a CREATE TABLE).
#include "parsers/sqlite_schema/sql_text.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parsers::sqlite_schema {

namespace {

bool is_word_start(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

char ascii_upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
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

std::vector<Token> tokenize(std::string_view sql, bool brackets_quote) {
    std::vector<Token> tokens;
    std::size_t position = 0;
    while (const auto token = next_token(sql, position, brackets_quote)) {
        tokens.push_back(*token);
    }
    return tokens;
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

} // namespace

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_word_char(char c) {
    return is_word_start(c) || is_digit(c) || c == '$';
}

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

bool is_internal_name(std::string_view name) {
    return name.size() >= 7 && iequals(name.substr(0, 7), "sqlite_");
}

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

std::string_view token_text(std::string_view sql, const Token& token) {
    return sql.substr(token.begin, token.end - token.begin);
}

bool is_keyword(std::string_view sql, const Token& token, std::string_view keyword) {
    return token.kind == TokenKind::word && iequals(token_text(sql, token), keyword);
}

bool is_punct(std::string_view sql, const Token& token, std::string_view punct) {
    return token.kind == TokenKind::punct && token_text(sql, token) == punct;
}

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

} // namespace parsers::sqlite_schema
