// Reading a PostgreSQL DDL script: input that is not SQL text is refused up front (a SQLite file,
// gzip, binary data), statements are split as psql splits them (parsers/sql_script.hpp), parsed
// by libpg_query and applied by the DdlApplier; a statement that does not parse, or is longer
// than --max-statement-bytes, becomes a warning naming its line.
#include "parsers/input_error.hpp"
#include "parsers/input_file.hpp"
#include "parsers/logs/log_input.hpp"
#include "parsers/pg_ddl.hpp"
#include "parsers/pg_ddl/ddl_applier.hpp"
#include "parsers/pg_tree.hpp"
#include "parsers/sql_script.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <istream>
#include <optional>
#include <sstream>
#include <string>

namespace parsers {

using pg_ddl::DdlApplier;

namespace {

void check_readable_head(const std::string& head, const std::string& file) {
    if (head.starts_with("SQLite format 3")) {
        throw InputError(file, 0, "is a SQLite database file, expected PostgreSQL DDL text");
    }
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
        static_cast<unsigned char>(head[1]) == 0x8b) {
        throw InputError(file, 0, "is gzip-compressed; decompress it first (gunzip)");
    }
    if (looks_binary(head)) {
        const int nul_line = line_of_first_nul(head);
        throw InputError(file, nul_line,
                         nul_line > 0
                             ? "holds binary data (a NUL byte), expected SQL text"
                             : "holds binary data (mostly control bytes), expected SQL text");
    }
}

} // namespace

void read_postgres_ddl(std::istream& input, const std::string& file, Catalog& catalog,
                       const DdlReadOptions& options) {
    SqlScriptReader reader(input, options.max_statement_bytes);
    DdlApplier applier(catalog, file);
    std::size_t parsed = 0;
    std::size_t failed = 0;
    std::optional<CatalogWarning> first_failure;
    bool warned_encoding = false;
    while (auto statement = reader.next()) {
        if (reader.saw_nul_byte()) {
            // SQL text never holds a NUL byte (PostgreSQL rejects one in a query string): what
            // follows is binary data, or a hole in a sparse file, so reading stops here.
            throw InputError(file, reader.first_nul_line(),
                             "holds binary data (a NUL byte), expected SQL text");
        }
        if (statement->too_long) {
            catalog.warnings.push_back({{file, statement->line},
                                        "statement of " + std::to_string(statement->bytes) +
                                            " bytes skipped: longer than --max-statement-bytes (" +
                                            std::to_string(options.max_statement_bytes) + ")"});
            ++failed;
            continue;
        }
        if (!warned_encoding && !logs::valid_utf8(statement->text)) {
            // Read as is (PostgreSQL compares names byte by byte); output shows U+FFFD.
            warned_encoding = true;
            catalog.warnings.push_back(
                {{file, statement->line},
                 "invalid UTF-8 (text in another encoding?): names are shown with U+FFFD; this "
                 "warning is given once per file"});
        }
        pg::ParseOutcome outcome = pg::parse(statement->text);
        if (outcome.error) {
            const int line =
                statement->line - 1 +
                pg::line_of_offset(statement->text, static_cast<std::size_t>(std::max(
                                                        0, outcome.error->cursor_position - 1)));
            const std::string start =
                line == statement->line
                    ? ""
                    : " (it starts at line " + std::to_string(statement->line) + ")";
            CatalogWarning warning{{file, line},
                                   "statement skipped: " + outcome.error->message + start};
            if (!first_failure) {
                first_failure = warning;
            }
            catalog.warnings.push_back(std::move(warning));
            ++failed;
            continue;
        }
        ++parsed;
        for (std::size_t i = 0; i < outcome.tree.size(); ++i) {
            const pg::Node* node = outcome.tree.statement_node(i);
            if (node != nullptr && applier.apply(node, statement->line)) {
                reader.skip_copy_data();
            }
        }
    }
    if (reader.saw_nul_byte()) {
        throw InputError(file, reader.first_nul_line(),
                         "holds binary data (a NUL byte), expected SQL text");
    }
    if (parsed == 0 && failed == 0 && reader.meta_commands() == 0) {
        throw InputError(file, 0, "holds no SQL statements");
    }
    if (parsed == 0 && failed > 0) {
        throw InputError(
            file, first_failure ? first_failure->where.line : 0,
            "no statement could be parsed as PostgreSQL DDL" +
                (first_failure ? " (first: " + first_failure->message + ")" : std::string()));
    }
}

void read_postgres_ddl_file(const std::string& path, Catalog& catalog,
                            const DdlReadOptions& options) {
    const auto input = open_input(path);
    if (!input->is_pipe()) {
        check_readable_head(sniff(path, 4096), path);
    } else if (input->peek() == std::char_traits<char>::eof()) {
        throw InputError(path, 0, "is a pipe that gave no data (nothing writes to it)");
    }
    read_postgres_ddl(*input, path, catalog, options);
    if (input->read_error() != 0) {
        throw InputError(path, 0, std::string("read error: ") + std::strerror(input->read_error()));
    }
}

void apply_postgres_ddl(const std::string& sql, Catalog& catalog) {
    std::istringstream input(sql);
    read_postgres_ddl(input, "<sql>", catalog);
}

} // namespace parsers
