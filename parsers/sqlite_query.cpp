#include "parsers/sqlite_query.hpp"

#include "parsers/pg_tree.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace parsers {

namespace {

// SQLITE_MAX_VARIABLE_NUMBER's default (https://www.sqlite.org/limits.html#max_variable_number).
constexpr int max_parameter_number = 32766;

// Token kinds of SQLite's tokenizer (tokenize.c), as far as the rewrite needs them.
enum class Kind {
    space, // white space and comments: copied as they are
    string,
    quoted_name, // "name", `name` or [name]
    blob,        // X'0F'
    number,
    parameter, // ?, ?NNN, :name, @name, $name
    word,      // keywords and plain names
    op,        // operators and punctuation
};

struct Token {
    Kind kind;
    std::size_t begin;
    std::size_t end;
};

// SQLite's IdChar(): letters, digits, `_`, `$` and every byte of a UTF-8 sequence.
bool is_id_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$' || u >= 0x80;
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_hex_digit(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

char ascii_upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
std::string upper(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(), ascii_upper);
    return result;
}

// End of a quoted token opened at `open`; a doubled closing quote stands for itself except in
// [brackets]. An unterminated quote runs to the end of the text.
std::size_t quoted_end(std::string_view sql, std::size_t open, char close) {
    std::size_t i = open + 1;
    while (i < sql.size()) {
        if (sql[i] == close) {
            if (close != ']' && i + 1 < sql.size() && sql[i + 1] == close) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return sql.size();
}

Token next_token(std::string_view sql, std::size_t i) {
    const std::size_t n = sql.size();
    const char c = sql[i];
    if (is_space(c)) {
        std::size_t end = i;
        while (end < n && is_space(sql[end])) {
            ++end;
        }
        return {Kind::space, i, end};
    }
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
        const std::size_t newline = sql.find('\n', i);
        return {Kind::space, i, newline == std::string_view::npos ? n : newline};
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
        const std::size_t close = sql.find("*/", i + 2); // SQLite's comments do not nest
        return {Kind::space, i, close == std::string_view::npos ? n : close + 2};
    }
    if (c == '\'') {
        return {Kind::string, i, quoted_end(sql, i, '\'')};
    }
    if (c == '"' || c == '`') {
        return {Kind::quoted_name, i, quoted_end(sql, i, c)};
    }
    if (c == '[') {
        return {Kind::quoted_name, i, quoted_end(sql, i, ']')};
    }
    if ((c == 'x' || c == 'X') && i + 1 < n && sql[i + 1] == '\'') {
        return {Kind::blob, i, quoted_end(sql, i + 1, '\'')};
    }
    if (is_digit(c) || (c == '.' && i + 1 < n && is_digit(sql[i + 1]))) {
        std::size_t end = i;
        if (c == '0' && i + 2 < n && (sql[i + 1] == 'x' || sql[i + 1] == 'X') &&
            is_hex_digit(sql[i + 2])) {
            end = i + 2;
            while (end < n && is_hex_digit(sql[end])) {
                ++end;
            }
        } else {
            while (end < n && (is_digit(sql[end]) || sql[end] == '.')) {
                ++end;
            }
            if (end + 1 < n && (sql[end] == 'e' || sql[end] == 'E') &&
                (is_digit(sql[end + 1]) || ((sql[end + 1] == '+' || sql[end + 1] == '-') &&
                                            end + 2 < n && is_digit(sql[end + 2])))) {
                end += 2;
                while (end < n && is_digit(sql[end])) {
                    ++end;
                }
            }
        }
        // SQLite rejects a number run into a name (`1abc`); keep it as one token either way.
        while (end < n && is_id_char(sql[end])) {
            ++end;
        }
        return {Kind::number, i, end};
    }
    if (c == '?') {
        std::size_t end = i + 1;
        while (end < n && is_digit(sql[end])) {
            ++end;
        }
        return {Kind::parameter, i, end};
    }
    if ((c == ':' || c == '@' || c == '$') && i + 1 < n && is_id_char(sql[i + 1])) {
        std::size_t end = i + 1;
        while (end < n && is_id_char(sql[end])) {
            ++end;
        }
        return {Kind::parameter, i, end};
    }
    if (is_id_char(c)) {
        std::size_t end = i;
        while (end < n && is_id_char(sql[end])) {
            ++end;
        }
        return {Kind::word, i, end};
    }
    // Operators of two or three characters, then any other single character.
    for (const std::string_view op :
         {"->>", "->", "==", "!=", "<>", "<=", ">=", "<<", ">>", "||"}) {
        if (sql.substr(i, op.size()) == op) {
            return {Kind::op, i, i + op.size()};
        }
    }
    return {Kind::op, i, i + 1};
}

std::vector<Token> tokenize(std::string_view sql) {
    std::vector<Token> tokens;
    for (std::size_t i = 0; i < sql.size();) {
        tokens.push_back(next_token(sql, i));
        i = tokens.back().end;
    }
    return tokens;
}

// Finds the SQLite-only constructs of one statement among its significant tokens.
class UnsupportedFinder {
public:
    UnsupportedFinder(std::string_view sql, std::vector<Token> tokens)
        : sql_(sql), tokens_(std::move(tokens)) {}

    std::vector<std::string> find() {
        bool statement_start = true;
        int depth = 0;
        std::vector<int> limit_depths; // paren depth of each LIMIT still open
        for (std::size_t i = 0; i < tokens_.size(); ++i) {
            const Token& token = tokens_[i];
            const std::string text(sql_.substr(token.begin, token.end - token.begin));
            if (token.kind == Kind::op) {
                if (text == "(") {
                    ++depth;
                } else if (text == ")") {
                    --depth;
                    std::erase_if(limit_depths, [&](int d) { return d > depth; });
                } else if (text == ";") {
                    statement_start = true;
                    limit_depths.clear();
                    continue;
                } else if (text == "," && !limit_depths.empty() && limit_depths.back() == depth) {
                    add("LIMIT offset, count");
                }
                statement_start = false;
                continue;
            }
            if (token.kind == Kind::number && text.size() > 2 && text[0] == '0' &&
                (text[1] == 'x' || text[1] == 'X')) {
                add("hex integer " + text);
            }
            if (token.kind != Kind::word) {
                statement_start = false;
                continue;
            }
            const std::string word = upper(text);
            const std::string next = word_at(i + 1);
            if (statement_start) {
                if (word == "PRAGMA" || word == "ATTACH" || word == "DETACH") {
                    add(word);
                } else if (word == "REPLACE") {
                    add("REPLACE INTO");
                } else if (word == "BEGIN" &&
                           (next == "DEFERRED" || next == "IMMEDIATE" || next == "EXCLUSIVE")) {
                    add("BEGIN " + next);
                }
            }
            statement_start = false;
            if ((word == "INSERT" || word == "UPDATE") && next == "OR") {
                add(word + " OR " + word_at(i + 2));
            } else if ((word == "GLOB" || word == "REGEXP" || word == "MATCH") &&
                       !op_at(i + 1, "(") && next != "FULL" && next != "PARTIAL" &&
                       next != "SIMPLE") {
                add("the " + word + " operator");
            } else if (word == "IS") {
                const std::size_t operand = next == "NOT" ? i + 2 : i + 1;
                static const std::vector<std::string> postgres_is = {
                    "NULL", "TRUE", "FALSE", "UNKNOWN", "DISTINCT", "DOCUMENT", "NORMALIZED",
                    "NFC",  "NFD",  "NFKC",  "NFKD",    "OF",       "JSON"};
                const std::string after = word_at(operand);
                if (std::find(postgres_is.begin(), postgres_is.end(), after) == postgres_is.end()) {
                    add(next == "NOT" ? "IS NOT between two values" : "IS between two values");
                }
            } else if (word == "INDEXED" && next == "BY") {
                add("INDEXED BY");
            } else if (word == "NOT" && next == "INDEXED") {
                add("NOT INDEXED");
            } else if (word == "AUTOINCREMENT") {
                add("AUTOINCREMENT");
            } else if (word == "WITHOUT" && next == "ROWID") {
                add("WITHOUT ROWID");
            } else if (word == "LIMIT") {
                limit_depths.push_back(depth);
            } else if (word == "OFFSET" && !limit_depths.empty() && limit_depths.back() == depth) {
                limit_depths.pop_back();
            }
        }
        return found_;
    }

private:
    // The upper-cased word at significant token `i`, "" when it is not a word.
    std::string word_at(std::size_t i) const {
        if (i >= tokens_.size() || tokens_[i].kind != Kind::word) {
            return {};
        }
        return upper(sql_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin));
    }
    bool op_at(std::size_t i, std::string_view op) const {
        return i < tokens_.size() && tokens_[i].kind == Kind::op &&
               sql_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin) == op;
    }
    void add(std::string what) {
        if (std::find(found_.begin(), found_.end(), what) == found_.end()) {
            found_.push_back(std::move(what));
        }
    }

    std::string_view sql_;
    std::vector<Token> tokens_; // significant tokens only
    std::vector<std::string> found_;
};

// "name" for the inside of [name] or `name` (a `"` in it doubled).
std::string double_quoted(std::string_view inside, char doubled) {
    std::string name = "\"";
    for (std::size_t i = 0; i < inside.size(); ++i) {
        const char c = inside[i];
        if (c == doubled && doubled != 0 && i + 1 < inside.size() && inside[i + 1] == doubled) {
            ++i; // `` in a backtick name is one backtick
        }
        name += c;
        if (c == '"') {
            name += '"';
        }
    }
    return name + "\"";
}

} // namespace

SqliteQueryText sqlite_query_for_postgres(std::string_view sql) {
    SqliteQueryText result;
    const std::vector<Token> tokens = tokenize(sql);
    std::vector<Token> significant;
    std::map<std::string, int> numbers_by_name;
    int largest = 0;
    std::string& out = result.text;
    out.reserve(sql.size() + 8);
    for (std::size_t t = 0; t < tokens.size(); ++t) {
        const Token& token = tokens[t];
        const std::string_view text = sql.substr(token.begin, token.end - token.begin);
        if (token.kind != Kind::space) {
            significant.push_back(token);
        }
        if (token.kind == Kind::parameter) {
            int number = 0;
            std::string name;
            const std::string_view digits = text.substr(1);
            const bool numbered =
                !digits.empty() && std::all_of(digits.begin(), digits.end(), is_digit);
            result.postgres_parameters |= text[0] == '$' && numbered;
            if (text[0] == '?' || (text[0] == '$' && numbered)) {
                // ?NNN and PostgreSQL's $NNN carry their number; a bare ? takes the next one.
                number = digits.empty()      ? largest + 1
                         : digits.size() > 5 ? max_parameter_number + 1
                                             : std::stoi(std::string(digits));
                if (number > max_parameter_number || number == 0) {
                    out.append(text); // SQLite rejects it too ("variable number must be between
                    continue;         // ?1 and ?32766"): left for the parser to report
                }
            } else {
                name = std::string(digits);
                result.named_parameters = true;
                const auto found = numbers_by_name.find(name);
                number = found != numbers_by_name.end() ? found->second : largest + 1;
                numbers_by_name.emplace(name, number);
            }
            largest = std::max(largest, number);
            if (static_cast<std::size_t>(number) > result.parameter_names.size()) {
                result.parameter_names.resize(static_cast<std::size_t>(number));
            }
            if (number > 0) {
                result.parameter_names[static_cast<std::size_t>(number) - 1] = name;
            }
            // `$1` must not run into a name before or after it (PostgreSQL would read x$1 as one
            // name, and $1AND as a parameter with trailing junk).
            if (!out.empty() && is_id_char(out.back())) {
                out += ' ';
            }
            out += '$' + std::to_string(number);
            if (token.end < sql.size() && is_id_char(sql[token.end])) {
                out += ' ';
            }
            continue;
        }
        if (token.kind == Kind::quoted_name && text.size() >= 2 &&
            (text.front() == '[' || text.front() == '`')) {
            const bool closed = text.back() == (text.front() == '[' ? ']' : '`');
            out += double_quoted(text.substr(1, text.size() - (closed ? 2 : 1)),
                                 text.front() == '`' ? '`' : 0);
            continue;
        }
        if (token.kind == Kind::op && text == "==") {
            out += '=';
            continue;
        }
        out.append(text);
    }
    if (!result.named_parameters) {
        result.parameter_names.clear(); // positional values bind by number: no names needed
    }
    result.unsupported = UnsupportedFinder(sql, std::move(significant)).find();
    return result;
}

std::optional<std::string> sqlite_syntax_problem(const SqliteQueryText& statement) {
    if (statement.unsupported.empty()) {
        return std::nullopt;
    }
    const pg::ParseOutcome parsed = pg::parse(statement.text);
    if (!parsed.error) {
        return std::nullopt;
    }
    std::string what;
    for (const auto& item : statement.unsupported) {
        what += (what.empty() ? "" : ", ") + item;
    }
    return "SQLite syntax the PostgreSQL parser does not accept: " + what +
           " (libpg_query: " + parsed.error->message +
           "); the statement is counted as unparsed and not analysed";
}

} // namespace parsers
