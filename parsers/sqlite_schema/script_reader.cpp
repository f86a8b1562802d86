// The SqliteScriptReader (script_reader.hpp): a SQLite script read in 64 KiB blocks and cut into
// statements where a `;` outside quotes and comments completes one for sqlite3_complete().
#include "parsers/sqlite_schema/script_reader.hpp"

#include <optional>
#include <sqlite3.h>
#include <string>
#include <string_view>

namespace parsers::sqlite_schema {

std::optional<SqliteScriptReader::Statement> SqliteScriptReader::next() {
    Statement statement;
    enum class Lex { code, quoted, line_comment, block_comment } lex = Lex::code;
    char closer = 0;
    bool started = false;
    int c = 0;
    while ((c = get()) >= 0) {
        const char ch = static_cast<char>(c);
        if (!started && lex == Lex::code) {
            if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v') {
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

bool SqliteScriptReader::fill() {
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

int SqliteScriptReader::peek() {
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

int SqliteScriptReader::get() {
    const int c = peek();
    if (c >= 0) {
        ++position_;
        line_ += c == '\n' ? 1 : 0;
    }
    return c;
}

} // namespace parsers::sqlite_schema
