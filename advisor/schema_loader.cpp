#include "advisor/schema_loader.hpp"

#include "advisor/errors.hpp"
#include "parsers/input_file.hpp"
#include "parsers/pg_ddl.hpp"
#include "parsers/sqlite_schema.hpp"

#include <algorithm>
#include <filesystem>
#include <string_view>

namespace advisor {

namespace {

enum class SchemaInput { postgres_ddl, sqlite_database, sqlite_ddl };

// Enough of a file to guess its dialect: the schema part of a dump comes first, and pg_dump's
// SET lines decide within the first few lines.
constexpr std::size_t dialect_sniff_bytes = 16 << 20;

// The first dialect_sniff_bytes of a regular file (no bigger buffer than the file needs), cut at
// the first NUL byte: text stops there (the reader then says where the binary data starts), and
// a sparse file's hole is not read.
std::string read_head(const std::string& path) {
    const auto input = parsers::open_input(path);
    std::string head(std::min<std::uint64_t>(input->size(), dialect_sniff_bytes), '\0');
    std::size_t filled = 0;
    while (filled < head.size()) {
        const std::size_t want = std::min<std::size_t>(head.size() - filled, 1 << 16);
        input->read(head.data() + filled, static_cast<std::streamsize>(want));
        const auto got = static_cast<std::size_t>(input->gcount());
        const auto nul = std::string_view(head.data() + filled, got).find('\0');
        if (nul != std::string_view::npos) {
            filled += nul;
            break;
        }
        filled += got;
        if (got < want) {
            break;
        }
    }
    head.resize(filled);
    return head;
}

bool has_sqlite_extension(const std::string& path) {
    const std::string extension = std::filesystem::path(path).extension().string();
    return extension == ".db" || extension == ".sqlite" || extension == ".sqlite3" ||
           extension == ".db3";
}

SchemaInput classify(const std::string& path, const std::string& dialect) {
    if (dialect == "postgresql") {
        return SchemaInput::postgres_ddl; // the DDL reader rejects SQLite files with a message
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        // A pipe can be read once only: no sniffing. Missing files and directories get their
        // message from the reader.
        return dialect == "sqlite" ? SchemaInput::sqlite_ddl : SchemaInput::postgres_ddl;
    }
    const std::string first = parsers::sniff(path, 4096);
    if (parsers::has_sqlite_header(first)) {
        return SchemaInput::sqlite_database;
    }
    if (dialect == "sqlite") {
        return SchemaInput::sqlite_ddl;
    }
    if (has_sqlite_extension(path) && (first.empty() || parsers::looks_binary(first))) {
        throw InputError(path, 0,
                         first.empty() ? "is empty: not a SQLite database (no \"SQLite format 3\" "
                                         "header) and no SQL text"
                                       : "is not a SQLite database (it does not start with "
                                         "\"SQLite format 3\") and not SQL text");
    }
    if (parsers::looks_binary(first)) {
        return SchemaInput::postgres_ddl; // the DDL reader says where the binary data is
    }
    const std::string head = read_head(path);
    return parsers::guess_ddl_dialect(head).dialect == "sqlite" ? SchemaInput::sqlite_ddl
                                                                : SchemaInput::postgres_ddl;
}

const char* dialect_name(SchemaInput input) {
    return input == SchemaInput::postgres_ddl ? "PostgreSQL" : "SQLite";
}

} // namespace

Catalog load_catalog(const std::vector<std::string>& paths, const SchemaLoadOptions& options) {
    std::vector<SchemaInput> inputs;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        inputs.push_back(classify(paths[i], options.dialect));
        const bool sqlite = inputs[i] != SchemaInput::postgres_ddl;
        if (i > 0 && sqlite != (inputs[0] != SchemaInput::postgres_ddl)) {
            throw InputError(paths[i], 0,
                             std::string("is ") + dialect_name(inputs[i]) + " but " + paths[0] +
                                 " is " + dialect_name(inputs[0]) +
                                 ": one run reads one dialect (see --dialect)");
        }
        if (inputs[i] == SchemaInput::sqlite_database && paths.size() > 1) {
            throw InputError(paths[i], 0,
                             "is a SQLite database file; give it on its own (it holds the whole "
                             "schema), not with other schema files");
        }
    }
    Catalog catalog;
    if (inputs.empty() || inputs[0] == SchemaInput::postgres_ddl) {
        parsers::DdlReadOptions ddl_options;
        ddl_options.max_statement_bytes = options.max_statement_bytes;
        for (const auto& path : paths) {
            parsers::read_postgres_ddl_file(path, catalog, ddl_options);
        }
    } else if (inputs[0] == SchemaInput::sqlite_database) {
        parsers::read_sqlite_database(paths[0], catalog);
    } else {
        parsers::SqliteReadOptions sqlite_options;
        sqlite_options.max_statement_bytes = options.max_statement_bytes;
        parsers::SqliteDdlLoader loader(catalog, sqlite_options);
        for (const auto& path : paths) {
            loader.apply_file(path);
        }
        loader.finish();
    }
    return catalog;
}

} // namespace advisor
