#include "advisor/schema_loader.hpp"

#include "advisor/errors.hpp"
#include "parsers/input_file.hpp"
#include "parsers/pg_ddl.hpp"
#include "parsers/sqlite_schema.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace advisor {

namespace {

enum class SchemaInput { postgres_ddl, sqlite_database, sqlite_ddl };

// Enough of a file to guess its dialect: the schema part of a dump comes first, and pg_dump's
// SET lines decide within the first few lines.
constexpr std::size_t dialect_sniff_bytes = 16 << 20;

// The first dialect_sniff_bytes of a regular file (no bigger buffer than the file needs).
std::string read_head(const std::string& path) {
    std::ifstream input = parsers::open_input(path);
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    std::string head(ec ? 0 : std::min<std::uintmax_t>(size, dialect_sniff_bytes), '\0');
    input.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(input.gcount()));
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
    const std::string head = read_head(path);
    if (parsers::has_sqlite_header(head)) {
        return SchemaInput::sqlite_database;
    }
    if (dialect == "sqlite") {
        return SchemaInput::sqlite_ddl;
    }
    if (has_sqlite_extension(path) && (head.empty() || parsers::looks_binary(head))) {
        throw InputError(path, 0,
                         head.empty() ? "is empty: not a SQLite database (no \"SQLite format 3\" "
                                        "header) and no SQL text"
                                      : "is not a SQLite database (it does not start with "
                                        "\"SQLite format 3\") and not SQL text");
    }
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
        parsers::SqliteDdlLoader loader(catalog);
        for (const auto& path : paths) {
            loader.apply_file(path);
        }
        loader.finish();
    }
    return catalog;
}

} // namespace advisor
