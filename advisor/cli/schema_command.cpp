// `schema-advisor schema SCHEMA... [--format text|json] [--dialect auto|postgresql|sqlite]`: the
// catalog as read. `schema --dsn URL`: the catalog of a live database, read from its catalogs
// (`--format ddl` shows the DDL the server wrote for it, which the DDL reader read).
#include "advisor/cli/commands.hpp"
#include "advisor/cli/live_options.hpp"
#include "advisor/cli/warnings.hpp"
#include "advisor/errors.hpp"
#include "advisor/render/catalog_render.hpp"
#include "advisor/schema_loader.hpp"
#include "parsers/live/pg_catalog_reader.hpp"

#include <iostream>
#include <memory>

namespace advisor::cli {

namespace {
struct SchemaOptions {
    std::vector<std::string> files;
    std::string format = "text";
    std::size_t max_statement_bytes = 1 << 20;
    std::string dialect = "auto";
    LiveOptions live;
};

Catalog live_catalog(const SchemaOptions& options) {
    const auto session = open_live_session(options.live);
    try {
        return parsers::live::read_live_catalog(*session,
                                                parsers::live::live_source_name(*session));
    } catch (const parsers::live::QueryError& e) {
        throw parsers::live::DatabaseError(std::string("reading the schema: ") + e.what());
    }
}

int print_live_ddl(const SchemaOptions& options) {
    const auto session = open_live_session(options.live);
    try {
        std::cout << parsers::live::live_schema_ddl(*session);
    } catch (const parsers::live::QueryError& e) {
        throw parsers::live::DatabaseError(std::string("reading the schema: ") + e.what());
    }
    return exit_ok;
}
} // namespace

void add_schema_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<SchemaOptions>();
    CLI::App* command = app.add_subcommand(
        "schema",
        "Read schema files (pg_dump, structure.sql, migrations, a SQLite .db or .schema dump) "
        "and print the catalog");
    command->add_option("files", options->files, "Schema files, applied in order");
    command->add_option("--format", options->format, "Output format (ddl: with --dsn only)")
        ->check(CLI::IsMember({"text", "json", "ddl"}))
        ->capture_default_str();
    add_dsn_options(*command, options->live);
    command
        ->add_option("--max-statement-bytes", options->max_statement_bytes,
                     "Skip (with a warning) any statement longer than this")
        ->capture_default_str();
    command
        ->add_option("--dialect", options->dialect,
                     "Dialect of DDL text: auto (SQLite when only SQLite accepts it), postgresql "
                     "or sqlite; a SQLite .db file is recognised by its header")
        ->check(CLI::IsMember({"auto", "postgresql", "sqlite"}))
        ->capture_default_str();
    command->callback([options, &action] {
        action = [options] {
            const bool live = options->live.dsn_given();
            if (live == !options->files.empty()) {
                throw UsageError("schema needs schema files or --dsn URL (one of them)");
            }
            if (options->format == "ddl") {
                if (!live) {
                    throw UsageError("--format ddl shows the DDL a --dsn database writes for its "
                                     "schema; give --dsn URL");
                }
                return print_live_ddl(*options);
            }
            SchemaLoadOptions load_options;
            load_options.max_statement_bytes = options->max_statement_bytes;
            load_options.dialect = options->dialect;
            const Catalog catalog =
                live ? live_catalog(*options) : load_catalog(options->files, load_options);
            print_warnings(catalog);
            if (options->format == "json") {
                std::cout << catalog_to_json(catalog).dump(2, ' ', false,
                                                           nlohmann::json::error_handler_t::replace)
                          << "\n";
            } else {
                std::cout << catalog_to_text(catalog);
            }
            return exit_ok;
        };
    });
}

} // namespace advisor::cli
