// `schema-advisor advise --schema SCHEMA... [--log LOG...]`: runs the rules and reports findings.
#include "advisor/cli/commands.hpp"
#include "advisor/cli/warnings.hpp"
#include "advisor/errors.hpp"
#include "advisor/render/findings_render.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/schema_loader.hpp"

#include <iomanip>
#include <iostream>
#include <memory>

namespace advisor::cli {

namespace {

struct AdviseOptions {
    std::vector<std::string> schema_files;
    std::string format = "text";
    std::string fail_on;
    bool list_rules = false;
    std::vector<std::string> disabled_rules;
    std::vector<std::string> excluded_tables;
    std::size_t max_statement_bytes = 1 << 20;
};

int list_rules() {
    for (const auto& rule : all_rules()) {
        std::cout << std::left << std::setw(24) << rule->id() << std::setw(8)
                  << to_string(rule->default_severity()) << rule->summary() << "\n";
    }
    return exit_ok;
}

std::string qualify(const std::string& table) {
    return table.find('.') == std::string::npos ? "public." + table : table;
}

int advise(const AdviseOptions& options) {
    if (options.list_rules) {
        return list_rules();
    }
    if (options.schema_files.empty()) {
        throw UsageError("advise needs --schema FILE (see --help)");
    }
    std::set<std::string> disabled;
    for (const auto& id : options.disabled_rules) {
        if (find_rule(id) == nullptr) {
            throw UsageError("unknown rule '" + id + "' given to --disable (see --list-rules)");
        }
        disabled.insert(id);
    }
    std::optional<Severity> fail_on;
    if (!options.fail_on.empty()) {
        fail_on = parse_severity(options.fail_on);
    }

    SchemaLoadOptions load_options;
    load_options.max_statement_bytes = options.max_statement_bytes;
    const Catalog catalog = load_catalog(options.schema_files, load_options);
    print_warnings(catalog);

    AnalysisContext context{catalog, nullptr, {}};
    for (const auto& table : options.excluded_tables) {
        context.options.excluded_tables.insert(qualify(table));
    }
    const std::vector<Finding> findings = run_rules(context, disabled);

    const ReportSummary summary = summarize(catalog);
    if (options.format == "json") {
        std::cout << findings_to_json(findings, summary).dump(2) << "\n";
    } else {
        std::cout << findings_to_text(findings, summary);
    }
    if (fail_on) {
        for (const auto& finding : findings) {
            if (finding.severity >= *fail_on) {
                return exit_findings;
            }
        }
    }
    return exit_ok;
}

} // namespace

void add_advise_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<AdviseOptions>();
    CLI::App* command = app.add_subcommand(
        "advise", "Run the rules on a schema (and query logs) and report findings");
    command->add_option("--schema", options->schema_files, "Schema files (pg_dump, structure.sql)");
    command->add_option("--format", options->format, "Report format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command
        ->add_option("--fail-on", options->fail_on,
                     "Exit with status 1 when a finding has at least this severity")
        ->check(CLI::IsMember({"high", "medium", "low"}));
    command->add_flag("--list-rules", options->list_rules, "List the rules and exit");
    command->add_option("--disable", options->disabled_rules, "Turn off a rule by id (repeatable)");
    command->add_option("--exclude", options->excluded_tables,
                        "Report nothing on this table (schema.table, repeatable)");
    command
        ->add_option("--max-statement-bytes", options->max_statement_bytes,
                     "Skip (with a warning) any statement longer than this")
        ->capture_default_str();
    command->callback([options, &action] { action = [options] { return advise(*options); }; });
}

} // namespace advisor::cli
