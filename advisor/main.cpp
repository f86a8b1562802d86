// schema-advisor: schema dump + query log -> findings and migrations.
// Reads like design.md's data flow; each subcommand wires inputs -> catalog/workload -> rules
// -> renderers (advisor/cli/*_command.cpp). The readers and the models they produce (Catalog,
// Statement, QueryFacts, InputError) live in parsers/, which includes nothing from advisor/.
#include "advisor/cli/commands.hpp"
#include "advisor/errors.hpp"
#include "parsers/live/pg_connection.hpp"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{
        "schema-advisor: findings and migrations from a database schema and its query logs"};
    app.set_version_flag("--version", std::string("schema-advisor ") + SCHEMA_ADVISOR_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Exit status: 0 ok, 1 findings at or above --fail-on, 2 bad usage or unreadable input.");

    advisor::cli::Action action;
    advisor::cli::add_schema_command(app, action);
    advisor::cli::add_advise_command(app, action);
    advisor::cli::add_workload_command(app, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return advisor::cli::exit_usage;
    }
    try {
        return action ? action() : advisor::cli::exit_usage;
    } catch (const advisor::UsageError& e) {
        std::cerr << "schema-advisor: " << e.what() << "\n";
        return advisor::cli::exit_usage;
    } catch (const parsers::ReaderOptionError& e) {
        std::cerr << "schema-advisor: " << e.what() << "\n";
        return advisor::cli::exit_usage;
    } catch (const advisor::InputError& e) {
        std::cerr << "schema-advisor: " << e.what() << "\n";
        return advisor::cli::exit_usage;
    } catch (const parsers::live::DatabaseError& e) {
        std::cerr << "schema-advisor: " << e.what() << "\n";
        return advisor::cli::exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "schema-advisor: internal error: " << e.what() << "\n";
        return 3;
    }
}
