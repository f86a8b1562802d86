// `schema-advisor schema SCHEMA... [--format text|json] [--dialect auto|postgresql|sqlite]`: the
// catalog as read.
#include "advisor/cli/commands.hpp"
#include "advisor/cli/warnings.hpp"
#include "advisor/render/catalog_render.hpp"
#include "advisor/schema_loader.hpp"

#include <iostream>
#include <memory>

namespace advisor::cli {

namespace {
struct SchemaOptions {
    std::vector<std::string> files;
    std::string format = "text";
    std::size_t max_statement_bytes = 1 << 20;
    std::string dialect = "auto";
};
} // namespace

void add_schema_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<SchemaOptions>();
    CLI::App* command = app.add_subcommand(
        "schema",
        "Read schema files (pg_dump, structure.sql, migrations, a SQLite .db or .schema dump) "
        "and print the catalog");
    command->add_option("files", options->files, "Schema files, applied in order")->required();
    command->add_option("--format", options->format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
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
            SchemaLoadOptions load_options;
            load_options.max_statement_bytes = options->max_statement_bytes;
            load_options.dialect = options->dialect;
            const Catalog catalog = load_catalog(options->files, load_options);
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
