// The key a statement text is cached under (statement_key, declared in advisor/workload.hpp):
// one scan that copies identifiers, keywords and operators, turns comments and runs of
// whitespace into one space, and masks literals and bound-parameter markers where libpg_query's
// fingerprint ignores constants. It runs over every statement of the log, so the character
// classes are a table.
#include "advisor/workload.hpp"
#include "advisor/workload/builder_state.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

namespace advisor {

namespace {

constexpr char masked_literal = '\x01';
constexpr char unterminated_literal = '\x02';

// Character classes for the key scan, by byte (a table: the scan runs over every statement).
enum CharClass : unsigned char {
    plain,      // punctuation and operators copied as they are
    identifier, // letters, `_`, bytes of UTF-8 sequences: copied, and make a following digit
                // part of the identifier
    digit,
    space,
    special, // ' " $ - / . : handled one by one
};

constexpr std::array<CharClass, 256> make_char_classes() {
    std::array<CharClass, 256> classes{};
    for (int c = 0; c < 256; ++c) {
        CharClass value = plain;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80) {
            value = identifier;
        } else if (c >= '0' && c <= '9') {
            value = digit;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            value = space;
        } else if (c == '\'' || c == '"' || c == '$' || c == '-' || c == '/' || c == '.' ||
                   c == 1 || c == 2) {
            value = special;
        }
        classes[static_cast<std::size_t>(c)] = value;
    }
    return classes;
}
constexpr std::array<CharClass, 256> char_classes = make_char_classes();

CharClass class_of(char c) {
    return char_classes[static_cast<unsigned char>(c)];
}

bool is_identifier_char(char c) {
    const CharClass value = class_of(c);
    return value == identifier || value == digit || c == '$';
}

// Statements whose constants libpg_query's fingerprint ignores (they are A_Const or ParamRef
// nodes): literal-masked keys are safe for them. Utility statements keep numbers in plain
// fields (FETCH 10, CREATE SEQUENCE ... START 5) and are keyed by their whole text.
bool masking_is_safe(std::string_view first_word) {
    static constexpr std::array<std::string_view, 9> words = {
        "select", "insert", "update", "delete", "with", "values", "merge", "table", "("};
    std::string lower(first_word);
    for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return std::find(words.begin(), words.end(), lower) != words.end();
}

// Skips a `--` or `/* */` comment at `i`; returns false when there is none.
bool skip_comment(std::string_view text, std::size_t& i) {
    if (text.compare(i, 2, "--") == 0) {
        const std::size_t end = text.find('\n', i);
        i = end == std::string_view::npos ? text.size() : end;
        return true;
    }
    if (text.compare(i, 2, "/*") == 0) {
        int depth = 0;
        while (i < text.size()) {
            if (text.compare(i, 2, "/*") == 0) {
                ++depth;
                i += 2;
            } else if (text.compare(i, 2, "*/") == 0) {
                i += 2;
                if (--depth == 0) {
                    return true;
                }
            } else {
                ++i;
            }
        }
        return true;
    }
    return false;
}

} // namespace

void statement_key(std::string_view text, StatementKey& out) {
    out.key.clear();
    out.literals_hash = fnv_offset;
    // The first word decides whether literals may be masked.
    std::size_t start = 0;
    while (start < text.size()) {
        if (is_space(text[start])) {
            ++start;
        } else if (!skip_comment(text, start)) {
            break;
        }
    }
    std::size_t word_end = start;
    while (word_end < text.size() && std::isalpha(static_cast<unsigned char>(text[word_end]))) {
        ++word_end;
    }
    if (word_end == start && start < text.size() && text[start] == '(') {
        word_end = start + 1;
    }
    out.masked = masking_is_safe(text.substr(start, word_end - start)) &&
                 text.find(masked_literal) == std::string_view::npos &&
                 text.find(unterminated_literal) == std::string_view::npos;
    std::string& key = out.key;
    auto literal = [&](std::string_view value, bool terminated) {
        if (out.masked) {
            key.push_back(masked_literal);
            out.literals_hash = fnv_add(out.literals_hash, value);
            out.literals_hash = fnv_add(out.literals_hash, std::string_view("\0", 1));
        } else {
            key.append(value);
        }
        if (!terminated) {
            key.push_back(unterminated_literal);
        }
    };
    std::size_t i = start;
    while (i < text.size()) {
        // Runs of identifiers, keywords and operators are copied in one go.
        std::size_t run = i;
        while (run < text.size()) {
            const CharClass value = class_of(text[run]);
            if (value == plain || value == identifier ||
                (value == digit && run > 0 && is_identifier_char(text[run - 1]))) {
                ++run;
            } else {
                break;
            }
        }
        if (run > i) {
            key.append(text.data() + i, run - i);
            i = run;
            if (i >= text.size()) {
                break;
            }
        }
        const char c = text[i];
        if (class_of(c) == space) {
            if (!key.empty() && key.back() != ' ') {
                key.push_back(' ');
            }
            ++i;
            while (i < text.size() && class_of(text[i]) == space) {
                ++i;
            }
            continue;
        }
        if ((c == '-' || c == '/') && skip_comment(text, i)) {
            if (!key.empty() && key.back() != ' ') {
                key.push_back(' ');
            }
            continue;
        }
        const bool after_identifier = i > 0 && is_identifier_char(text[i - 1]);
        if (c == '\'') {
            // E'...' takes backslash escapes; '' is a quote in every kind of string.
            const bool escapes = i > 0 && (text[i - 1] == 'e' || text[i - 1] == 'E') &&
                                 (i < 2 || !is_identifier_char(text[i - 2]));
            std::size_t end = i + 1;
            bool terminated = false;
            while (end < text.size()) {
                if (escapes && text[end] == '\\') {
                    end += 2;
                    continue;
                }
                if (text[end] == '\'') {
                    if (end + 1 < text.size() && text[end + 1] == '\'') {
                        end += 2;
                        continue;
                    }
                    terminated = true;
                    ++end;
                    break;
                }
                ++end;
            }
            end = std::min(end, text.size());
            literal(text.substr(i, end - i), terminated);
            i = end;
            continue;
        }
        if (c == '"') {
            // A quoted identifier: part of the shape.
            std::size_t end = i + 1;
            while (end < text.size()) {
                if (text[end] == '"') {
                    if (end + 1 < text.size() && text[end + 1] == '"') {
                        end += 2;
                        continue;
                    }
                    ++end;
                    break;
                }
                ++end;
            }
            key.append(text.substr(i, std::min(end, text.size()) - i));
            i = std::min(end, text.size());
            continue;
        }
        if (c == '$' && !after_identifier) {
            std::size_t end = i + 1;
            if (end < text.size() && (class_of(text[end]) == digit)) {
                while (end < text.size() && (class_of(text[end]) == digit)) {
                    ++end;
                }
                literal(text.substr(i, end - i), true); // $n: a bound parameter
                i = end;
                continue;
            }
            // $tag$ ... $tag$
            while (end < text.size() && is_identifier_char(text[end]) && text[end] != '$') {
                ++end;
            }
            if (end < text.size() && text[end] == '$') {
                const std::string_view tag = text.substr(i, end - i + 1);
                const std::size_t close = text.find(tag, end + 1);
                const bool terminated = close != std::string_view::npos;
                const std::size_t stop = terminated ? close + tag.size() : text.size();
                literal(text.substr(i, stop - i), terminated);
                i = stop;
                continue;
            }
        }
        if (!after_identifier && ((class_of(c) == digit) || (c == '.' && i + 1 < text.size() &&
                                                             (class_of(text[i + 1]) == digit)))) {
            std::size_t end = i;
            while (end < text.size() && ((class_of(text[end]) == digit) || text[end] == '.')) {
                ++end;
            }
            if (end < text.size() && (text[end] == 'e' || text[end] == 'E')) {
                std::size_t exponent = end + 1;
                if (exponent < text.size() && (text[exponent] == '+' || text[exponent] == '-')) {
                    ++exponent;
                }
                if (exponent < text.size() && (class_of(text[exponent]) == digit)) {
                    end = exponent;
                    while (end < text.size() && (class_of(text[end]) == digit)) {
                        ++end;
                    }
                }
            }
            literal(text.substr(i, end - i), true);
            i = end;
            continue;
        }
        key.push_back(c);
        ++i;
    }
    // A trailing `;` does not change the statement.
    while (!key.empty() && (key.back() == ' ' || key.back() == ';')) {
        key.pop_back();
    }
}

} // namespace advisor
