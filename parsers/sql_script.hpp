// Splits a psql script (pg_dump output, structure.sql, migrations) into statements, the way psql
// does: `;` ends a statement only outside quotes, comments, dollar quotes and parentheses; a
// backslash at the start of a line is a psql meta-command (\connect, \restrict, ...), not SQL; and
// after `COPY ... FROM stdin;` the data lines up to `\.` belong to the COPY, not to the script.
// Each statement's text is then handed to libpg_query; this reader only finds the boundaries.
// It streams in fixed-size blocks, so memory stays flat whatever the file's size or line length.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>

namespace parsers {

struct ScriptStatement {
    std::string text;      // from the first token up to and including the `;`
    int line = 0;          // line of the first token
    std::size_t bytes = 0; // full size, even when the text was dropped for being too long
    bool too_long = false; // text dropped: over max_statement_bytes
};

class SqlScriptReader {
public:
    SqlScriptReader(std::istream& input, std::size_t max_statement_bytes);

    // The next statement, or nullopt at end of input. A last statement without `;` is returned.
    std::optional<ScriptStatement> next();
    // Skips COPY data up to and including the `\.` line; returns the number of data lines.
    std::size_t skip_copy_data();

    std::size_t meta_commands() const { return meta_commands_; }
    int line() const { return line_; }
    bool saw_nul_byte() const { return saw_nul_; }
    // Line of the first NUL byte, 0 when none.
    int first_nul_line() const { return first_nul_line_; }
    // A run of NUL bytes longer than max_statement_bytes is binary data (or a sparse file's
    // hole), not SQL: reading stops there as if the input ended. The line where the run starts,
    // 0 when reading did not stop so.
    int binary_stop_line() const { return binary_stop_line_; }

private:
    bool fill();
    int peek(std::size_t ahead = 0);
    int get();
    void append(char c);
    void skip_meta_command_line();

    std::istream& input_;
    std::size_t max_statement_bytes_;
    std::string buffer_;
    std::size_t position_ = 0;
    bool eof_ = false;
    int line_ = 1;
    bool at_line_start_ = true;
    std::size_t meta_commands_ = 0;
    bool saw_nul_ = false;
    int first_nul_line_ = 0;
    std::size_t nul_run_ = 0;
    int nul_run_line_ = 0;
    int binary_stop_line_ = 0;
    ScriptStatement current_;
    bool started_ = false;
};

} // namespace parsers
