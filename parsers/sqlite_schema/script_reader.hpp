// Splits a SQLite script into statements as it reads it: a `;` outside quotes ('', "", ``, [])
// and comments ends a statement when sqlite3_complete() agrees (a trigger body's semicolons do
// not end it). A statement over the limit is not held: its text is dropped and its end found by
// the same scan. Stops at a NUL byte, which SQL text never holds.
// Private to the SQLite reader (parsers/sqlite_schema/).
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace parsers::sqlite_schema {

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

    std::optional<Statement> next();

    int nul_line() const { return nul_line_; }

private:
    bool fill();
    int peek();
    int get();

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

} // namespace parsers::sqlite_schema
