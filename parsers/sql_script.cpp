#include "parsers/sql_script.hpp"

#include <cctype>

namespace parsers {

namespace {
constexpr std::size_t block_size = 1 << 16;

bool is_identifier_char(int c) {
    return c == '_' || c == '$' || std::isalnum(c) || c >= 0x80;
}
bool is_identifier_start(int c) {
    return c == '_' || std::isalpha(c) || c >= 0x80;
}
} // namespace

SqlScriptReader::SqlScriptReader(std::istream& input, std::size_t max_statement_bytes)
    : input_(input), max_statement_bytes_(max_statement_bytes) {}

bool SqlScriptReader::fill() {
    if (eof_) {
        return false;
    }
    buffer_.erase(0, position_);
    position_ = 0;
    const std::size_t old_size = buffer_.size();
    buffer_.resize(old_size + block_size);
    input_.read(buffer_.data() + old_size, block_size);
    const auto got = static_cast<std::size_t>(input_.gcount());
    buffer_.resize(old_size + got);
    if (got == 0) {
        eof_ = true;
    }
    return got > 0;
}

int SqlScriptReader::peek(std::size_t ahead) {
    while (position_ + ahead >= buffer_.size()) {
        if (!fill()) {
            return -1;
        }
    }
    return static_cast<unsigned char>(buffer_[position_ + ahead]);
}

int SqlScriptReader::get() {
    const int c = peek();
    if (c < 0) {
        return c;
    }
    ++position_;
    if (c == '\n') {
        ++line_;
        at_line_start_ = true;
    } else if (c != ' ' && c != '\t' && c != '\r') {
        at_line_start_ = false;
    }
    if (c != 0) {
        nul_run_ = 0;
        return c;
    }
    if (!saw_nul_) {
        saw_nul_ = true;
        first_nul_line_ = line_;
    }
    if (nul_run_++ == 0) {
        nul_run_line_ = line_;
    }
    if (nul_run_ > max_statement_bytes_) {
        binary_stop_line_ = nul_run_line_;
        eof_ = true;
        buffer_.clear();
        position_ = 0;
    }
    return c;
}

void SqlScriptReader::append(char c) {
    ++current_.bytes;
    if (current_.too_long) {
        return;
    }
    if (current_.text.size() >= max_statement_bytes_) {
        current_.too_long = true;
        current_.text.clear();
        current_.text.shrink_to_fit();
        return;
    }
    current_.text.push_back(c);
}

void SqlScriptReader::skip_meta_command_line() {
    ++meta_commands_;
    for (int c = get(); c >= 0 && c != '\n'; c = get()) {
    }
}

std::optional<ScriptStatement> SqlScriptReader::next() {
    current_ = ScriptStatement{};
    started_ = false;
    int paren_depth = 0;
    for (;;) {
        const bool line_start = at_line_start_;
        int c = peek();
        if (c < 0) {
            break;
        }
        // Whitespace and comments before a statement's first token are not part of it.
        if (!started_) {
            if (c == '\\' && line_start) {
                skip_meta_command_line();
                continue;
            }
            if (std::isspace(c) || c == 0) {
                get();
                continue;
            }
        }
        if (c == '-' && peek(1) == '-') {
            while ((c = peek()) >= 0 && c != '\n') {
                get();
                if (started_) {
                    append(static_cast<char>(c));
                }
            }
            continue;
        }
        if (c == '/' && peek(1) == '*') {
            int depth = 0;
            do {
                c = get();
                if (started_) {
                    append(static_cast<char>(c));
                }
                if (c == '/' && peek() == '*') {
                    ++depth;
                    c = get();
                    if (started_) {
                        append(static_cast<char>(c));
                    }
                } else if (c == '*' && peek() == '/') {
                    --depth;
                    c = get();
                    if (started_) {
                        append(static_cast<char>(c));
                    }
                }
            } while (depth > 0 && peek() >= 0);
            continue;
        }
        if (!started_) {
            started_ = true;
            current_.line = line_;
        }
        get();
        append(static_cast<char>(c));
        if (c == '\'' || c == '"') {
            // E'...' strings take backslash escapes; a doubled quote is a quote in both kinds.
            const std::size_t n = current_.text.size();
            const bool escapes =
                c == '\'' && n >= 2 &&
                (current_.text[n - 2] == 'e' || current_.text[n - 2] == 'E') &&
                (n < 3 || !is_identifier_char(static_cast<unsigned char>(current_.text[n - 3])));
            for (;;) {
                const int q = get();
                if (q < 0) {
                    break;
                }
                append(static_cast<char>(q));
                if (escapes && q == '\\') {
                    const int escaped = get();
                    if (escaped >= 0) {
                        append(static_cast<char>(escaped));
                    }
                    continue;
                }
                if (q == c) {
                    if (peek() == c) {
                        append(static_cast<char>(get()));
                        continue;
                    }
                    break;
                }
            }
            continue;
        }
        if (c == '$') {
            // $tag$ ... $tag$ (tag may be empty); $1 is a parameter; foo$bar is an identifier.
            const std::size_t n = current_.text.size();
            if (n >= 2 && is_identifier_char(static_cast<unsigned char>(current_.text[n - 2]))) {
                continue;
            }
            std::string tag = "$";
            std::size_t ahead = 0;
            int t = peek(ahead);
            if (t >= 0 && is_identifier_start(t)) {
                while ((t = peek(ahead)) >= 0 && is_identifier_char(t) && t != '$') {
                    tag.push_back(static_cast<char>(t));
                    ++ahead;
                }
            }
            if (peek(ahead) != '$') {
                continue;
            }
            tag.push_back('$');
            for (std::size_t i = 1; i < tag.size(); ++i) {
                append(static_cast<char>(get()));
            }
            // Scan for the closing tag.
            std::size_t matched = 0;
            for (;;) {
                const int d = get();
                if (d < 0) {
                    break;
                }
                append(static_cast<char>(d));
                if (d == tag[matched]) {
                    if (++matched == tag.size()) {
                        break;
                    }
                } else {
                    matched = d == tag[0] ? 1 : 0;
                }
            }
            continue;
        }
        if (c == '(') {
            ++paren_depth;
        } else if (c == ')' && paren_depth > 0) {
            --paren_depth;
        } else if (c == ';' && paren_depth == 0) {
            return current_;
        }
    }
    if (started_) {
        return current_;
    }
    return std::nullopt;
}

std::size_t SqlScriptReader::skip_copy_data() {
    // The data starts on the line after the COPY statement's `;`.
    for (int c = peek(); c >= 0 && c != '\n'; c = peek()) {
        get();
    }
    get();
    std::size_t lines = 0;
    std::string start;
    for (;;) {
        if (peek() < 0) {
            break;
        }
        start.clear();
        int c = 0;
        while ((c = peek()) >= 0 && c != '\n') {
            get();
            if (start.size() < 3) {
                start.push_back(static_cast<char>(c));
            }
        }
        get();
        if (start == "\\." || start == "\\.\r") {
            break;
        }
        ++lines;
    }
    return lines;
}

} // namespace parsers
