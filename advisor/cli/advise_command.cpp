// `schema-advisor advise --schema SCHEMA... [--log LOG...]`: runs the rules and reports findings.
#include "advisor/analysis.hpp"
#include "advisor/cli/commands.hpp"
#include "advisor/cli/live_options.hpp"
#include "advisor/cli/log_options.hpp"
#include "advisor/cli/warnings.hpp"
#include "advisor/errors.hpp"
#include "advisor/migrations/migration_writer.hpp"
#include "advisor/model_snippet.hpp"
#include "advisor/output_file.hpp"
#include "advisor/pg_verify.hpp"
#include "advisor/render/ci_render.hpp"
#include "advisor/render/findings_render.hpp"
#include "advisor/render/report_render.hpp"
#include "advisor/rules/rule.hpp"
#include "advisor/schema_loader.hpp"
#include "advisor/sqlite_verify.hpp"
#include "advisor/table_stats.hpp"
#include "parsers/live/pg_catalog_reader.hpp"
#include "parsers/live/pg_stats_reader.hpp"

#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

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
    std::string dialect = "auto";
    std::string output;
    std::string baseline;
    std::string emit_sql_dir;
    std::string emit_alembic_dir;
    std::string templates_dir;
    bool include_drops = false;
    bool force = false;
    std::string date;
    std::string down_revision;
    std::string stats_file;
    double min_rows = 10000;
    std::vector<std::string> log_files;
    std::string log_format = "auto";
    std::string log_line_prefix;
    WorkloadOptions workload;
    std::string models_file;
    bool verify = false;
    bool keep_unverified = false;
    // Migrations (docs/templates.md): the session's lock_timeout, one file pair per index.
    std::string lock_timeout = default_lock_timeout;
    bool emit_sql_per_index = false;
    LiveOptions live; // --dsn and what reads it
};

int list_rules() {
    for (const auto& rule : all_rules()) {
        std::cout << std::left << std::setw(24) << rule->id() << std::setw(8)
                  << to_string(rule->default_severity()) << rule->summary() << "\n";
    }
    return exit_ok;
}

// A bare table name in the schema a bare name resolves to: public (PostgreSQL's search_path), or
// main for SQLite, whose tables all live there.
std::string qualify(const std::string& table, const Catalog& catalog) {
    const std::string schema = catalog.dialect == "sqlite" ? "main." : "public.";
    return table.find('.') == std::string::npos ? schema + table : table;
}

// Keys of the findings in an earlier JSON report (--baseline), to report only new findings.
std::set<std::string> baseline_keys(const std::string& path) {
    std::ifstream input(path);
    if (!input) {
        throw InputError(path, 0, "cannot read the --baseline report");
    }
    nlohmann::json report;
    try {
        report = nlohmann::json::parse(input);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(path, 0, std::string("is not a JSON report: ") + e.what());
    }
    if (!report.contains("findings") || !report["findings"].is_array()) {
        throw InputError(path, 0, "is not an `advise --format json` report (no \"findings\" list)");
    }
    std::set<std::string> keys;
    try {
        for (const auto& item : report["findings"]) {
            Finding finding;
            finding.rule = item.value("rule", "");
            finding.table = item.value("table", "");
            finding.index = item.value("index", "");
            finding.columns = item.value("columns", std::vector<std::string>{});
            keys.insert(finding_key(finding));
        }
    } catch (const nlohmann::json::exception& e) {
        // A finding whose fields have other types (a number for "rule", a list of lists for
        // "columns") is not one we wrote.
        throw InputError(path, 0,
                         std::string("is not an `advise --format json` report: ") + e.what());
    }
    return keys;
}

std::string render_report(const std::vector<Finding>& findings, const ReportSummary& summary,
                          const std::string& format, const TemplateSet& templates,
                          const FixLocations& fix_locations) {
    if (format == "json") {
        return findings_to_json(findings, summary)
                   .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
               "\n";
    }
    if (format == "markdown") {
        return render_markdown(findings, summary, templates);
    }
    if (format == "sarif") {
        return render_sarif(findings, templates, fix_locations);
    }
    if (format == "gitlab") {
        return render_gitlab(findings, fix_locations);
    }
    if (format == "github") {
        return render_github(findings, fix_locations);
    }
    return findings_to_text(findings, summary);
}

// The newest timestamp the logs show, as logged: an Alembic revision's Create Date when --date is
// not given (the same inputs then give the same file).
std::string newest_log_timestamp(const Workload* workload) {
    std::string newest;
    double newest_ms = NAN;
    if (workload != nullptr) {
        for (const auto& shape : workload->shapes) {
            if (!std::isnan(shape.last_seen_ms) &&
                (std::isnan(newest_ms) || shape.last_seen_ms > newest_ms)) {
                newest_ms = shape.last_seen_ms;
                newest = shape.last_seen;
            }
        }
    }
    return newest;
}

// The migration files of this run, rendered but not yet written (the report points at their
// lines), and where each index's fix is in them.
struct RenderedMigrations {
    std::vector<OutputFile> files;
    FixLocations fix_locations;
};

// `schema_inputs`: where the schema came from, as the migration's header names it (the files, or
// the live database of --schema-from-dsn).
RenderedMigrations render_migrations(const std::vector<Finding>& findings, const Catalog& catalog,
                                     const AdviseOptions& options, const TemplateSet& templates,
                                     const Workload* workload,
                                     const std::vector<std::string>& schema_inputs) {
    RenderedMigrations rendered;
    if (options.emit_sql_dir.empty() && options.emit_alembic_dir.empty()) {
        return rendered;
    }
    MigrationOptions migration_options;
    migration_options.include_drops = options.include_drops;
    migration_options.dialect = catalog.dialect;
    migration_options.inputs = schema_inputs;
    migration_options.lock_timeout = checked_lock_timeout(options.lock_timeout);
    const MigrationPlan plan = plan_migration(findings, migration_options);
    if (plan.empty()) {
        std::cerr << "schema-advisor: no index to create or drop; no migration written\n";
        return rendered;
    }
    std::vector<OutputFile>& files = rendered.files;
    if (!options.emit_sql_dir.empty()) {
        const auto sql =
            options.emit_sql_per_index
                ? render_sql_migrations_per_index(plan, options.emit_sql_dir, templates)
                : render_sql_migration(plan, options.emit_sql_dir, templates);
        files.insert(files.end(), sql.begin(), sql.end());
    }
    if (!options.emit_alembic_dir.empty()) {
        AlembicOptions alembic;
        alembic.create_date = options.date.empty() ? newest_log_timestamp(workload) : options.date;
        if (!options.down_revision.empty()) {
            alembic.down_revision = options.down_revision;
        }
        files.push_back(
            render_alembic_revision(plan, options.emit_alembic_dir, templates, alembic));
    }
    rendered.fix_locations = locate_fixes(plan, files);
    return rendered;
}

// --dsn and the flags reading it: each flag needs --dsn, and --dsn needs a flag that reads it.
// Returns whether a live session is needed before the schema is read.
bool check_live_usage(const AdviseOptions& options) {
    const LiveOptions& live = options.live;
    const std::pair<bool, const char*> flags[] = {
        {live.schema_from_dsn, "--schema-from-dsn"},
        {live.log_from_pgss, "--log-from-pgss"},
        {live.index_usage_from_dsn, "--index-usage-from-dsn"},
        {live.stats_from_dsn, "--stats-from-dsn"},
        {live.create_extension, "--create-extension"}};
    for (const auto& [given, name] : flags) {
        if (given && !live.dsn_given()) {
            throw UsageError(std::string(name) + " reads a live database: give it --dsn URL");
        }
    }
    if (live.create_extension && !options.verify) {
        throw UsageError("--create-extension applies to --verify --dsn");
    }
    if (live.schema_from_dsn && !options.schema_files.empty()) {
        throw UsageError("give --schema FILE or --schema-from-dsn, not both");
    }
    if (live.stats_from_dsn && !options.stats_file.empty()) {
        throw UsageError("give --stats FILE or --stats-from-dsn, not both");
    }
    const bool reads = live.schema_from_dsn || live.log_from_pgss || live.index_usage_from_dsn ||
                       live.stats_from_dsn || options.verify;
    if (live.dsn_given() && !reads) {
        throw UsageError("--dsn is given but nothing reads it: add --verify, --schema-from-dsn, "
                         "--log-from-pgss, --index-usage-from-dsn or --stats-from-dsn");
    }
    return live.dsn_given();
}

// A statement of a live reader failed: the run stops with what failed (exit status 2).
template <typename Read> auto read_live(const char* what, Read read) {
    try {
        return read();
    } catch (const parsers::live::QueryError& e) {
        throw parsers::live::DatabaseError(std::string(what) + ": " + e.what());
    }
}

int advise(const AdviseOptions& options) {
    if (options.list_rules) {
        return list_rules();
    }
    if (options.schema_files.empty() && !options.live.schema_from_dsn) {
        throw UsageError("advise needs --schema FILE or --schema-from-dsn (see --help)");
    }
    const bool live_session = check_live_usage(options);
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
    checked_lock_timeout(options.lock_timeout);

    // Read before the (possibly long) schema and logs, so a bad file fails fast.
    ModelNames models;
    if (!options.models_file.empty()) {
        models = ModelNames::from_file(options.models_file);
    }

    // One read-only session serves every live input and the planner (docs/verify.md), opened
    // once the schema says it can be used (a SQLite schema cannot), or to read the schema.
    std::unique_ptr<parsers::live::Connection> live;
    if (options.live.schema_from_dsn) {
        live = open_live_session(options.live);
    }
    SchemaLoadOptions load_options;
    load_options.max_statement_bytes = options.max_statement_bytes;
    load_options.dialect = options.dialect;
    const Catalog catalog = options.live.schema_from_dsn
                                ? read_live("--schema-from-dsn",
                                            [&] {
                                                return parsers::live::read_live_catalog(
                                                    *live, parsers::live::live_source_name(*live));
                                            })
                                : load_catalog(options.schema_files, load_options);
    print_warnings(catalog);
    const bool sqlite = catalog.dialect == "sqlite";
    if (options.verify && !sqlite && !live_session) {
        throw UsageError("--verify on a PostgreSQL schema asks PostgreSQL's planner on a live "
                         "database (EXPLAIN with HypoPG): give it --dsn URL (docs/verify.md; "
                         "--dialect sqlite if the schema is SQLite)");
    }
    if (sqlite && live_session) {
        throw UsageError("--dsn reads a PostgreSQL database; " + options.schema_files.front() +
                         " is SQLite (--verify alone asks SQLite's planner)");
    }
    if (live_session && !live) {
        live = open_live_session(options.live);
    }
    PgVerifyOptions pg_verify{options.keep_unverified, options.live.create_extension,
                              options.live.timeout_s, options.live.min_saving_percent / 100};
    std::optional<PgServer> pg_server;
    if (options.verify && !sqlite) {
        pg_server = read_live("--verify", [&] { return check_verify_server(*live, pg_verify); });
    }

    std::optional<Workload> workload;
    bool damaged_log = false;
    if (!options.log_files.empty() || options.live.log_from_pgss) {
        WorkloadReadOptions read_options;
        read_options.log = log_read_options(options.log_format, options.log_line_prefix);
        read_options.workload = options.workload;
        read_options.log.sql_dialect = catalog.dialect; // a .sql log speaks the schema's dialect
        read_options.log.max_line_bytes = options.max_statement_bytes;
        std::vector<std::unique_ptr<parsers::logs::LogReader>> live_logs;
        if (options.live.log_from_pgss) {
            live_logs.push_back(open_pgss_log(*live, read_options.log));
        }
        workload = read_workload(options.log_files, std::move(live_logs), read_options);
        damaged_log = report_workload_sources(*workload);
    }

    // Each shape's facts are extracted once, here, for every rule to read.
    std::vector<parsers::QueryFacts> facts;
    if (workload) {
        facts = extract_shape_facts(*workload, catalog);
    }
    std::vector<std::string> notes;
    AnalysisContext context{catalog, workload ? &*workload : nullptr, {}};
    context.facts = workload ? &facts : nullptr;
    if (!options.stats_file.empty()) {
        context.options.table_rows = load_table_stats(options.stats_file);
    } else if (options.live.stats_from_dsn) {
        context.options.table_rows =
            read_live("--stats-from-dsn", [&] { return parsers::live::read_table_rows(*live); });
    }
    context.options.min_rows = options.min_rows;
    context.options.n_plus_one_min = options.workload.repeat_threshold;
    context.options.models = std::move(models);
    context.notes = &notes;
    if (options.live.index_usage_from_dsn) {
        context.options.index_usage = read_live("--index-usage-from-dsn", [&] {
            return parsers::live::read_index_usage(*live, parsers::live::live_source_name(*live));
        });
    }
    for (const auto& table : options.excluded_tables) {
        context.options.excluded_tables.insert(qualify(table, catalog));
    }
    const TemplateSet templates(options.templates_dir);
    std::vector<Finding> findings = run_rules(context, disabled);
    bool nothing_verified = false;
    if (options.verify) {
        VerifyOutcome verified =
            sqlite ? verify_with_sqlite_planner(std::move(findings), catalog,
                                                workload ? &*workload : nullptr,
                                                VerifyOptions{options.keep_unverified})
                   : verify_with_postgres_planner(
                         std::move(findings), catalog, workload ? &*workload : nullptr,
                         workload ? &facts : nullptr, *live, *pg_server, pg_verify);
        findings = std::move(verified.findings);
        notes.insert(notes.end(), verified.notes.begin(), verified.notes.end());
        nothing_verified = !sqlite && verified.proposals > 0 && verified.planned == 0;
        // A proposal that took the planner's column order has a new fix without its model
        // snippet: written again for it (the others keep theirs).
        attach_model_snippets(findings, catalog, context.options.models);
    }
    if (!options.baseline.empty()) {
        const auto known = baseline_keys(options.baseline);
        std::erase_if(findings, [&](const Finding& f) { return known.count(finding_key(f)) > 0; });
    }

    for (const auto& note : notes) {
        std::cerr << "schema-advisor: note: " << note << "\n";
    }
    const ReportSummary summary = workload ? summarize(catalog, *workload) : summarize(catalog);
    const std::vector<std::string> schema_inputs =
        options.live.schema_from_dsn
            ? std::vector<std::string>{parsers::live::live_source_name(*live)}
            : options.schema_files;
    const RenderedMigrations migrations = render_migrations(
        findings, catalog, options, templates, workload ? &*workload : nullptr, schema_inputs);
    const std::string report =
        render_report(findings, summary, options.format, templates, migrations.fix_locations);
    if (options.output.empty()) {
        std::cout << report;
    } else {
        write_file_atomically(options.output, report, options.force);
    }
    write_output_files(migrations.files, options.force);
    for (const auto& file : migrations.files) {
        std::cerr << "schema-advisor: wrote " << file.path << "\n";
    }
    if (damaged_log) {
        return exit_usage;
    }
    if (nothing_verified) {
        std::cerr << "schema-advisor: --verify: PostgreSQL could plan none of the proposals' "
                     "queries (see the notes above); nothing is verified\n";
        return exit_usage;
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
    command->add_option("--log", options->log_files, "Query logs (see `workload --help`)");
    command->add_option("--log-format", options->log_format, "Format of the --log files")
        ->check(CLI::IsMember({"auto", "stderr", "csv", "json", "pgss", "sqlalchemy", "sql"}))
        ->capture_default_str();
    command->add_option("--log-line-prefix", options->log_line_prefix,
                        "The server's log_line_prefix, for stderr logs it cannot infer");
    command->add_option("--format", options->format, "Report format")
        ->check(CLI::IsMember({"text", "json", "markdown", "sarif", "gitlab", "github"}))
        ->capture_default_str();
    command->add_option("--output,-o", options->output,
                        "Write the report to this file (atomically) instead of standard output");
    command->add_option("--baseline", options->baseline,
                        "An earlier `--format json` report: report only findings not in it");
    command->add_option("--emit-sql", options->emit_sql_dir,
                        "Write NNNN_<slug>.up.sql and .down.sql migrations into this directory");
    command->add_option(
        "--emit-alembic", options->emit_alembic_dir,
        "Write an Alembic revision chained after the head of this versions directory");
    command->add_option("--templates", options->templates_dir,
                        "Directory of *.mustache files overriding the built-in templates");
    command->add_flag("--include-drops", options->include_drops,
                      "Also drop redundant/unused indexes in emitted migrations");
    command->add_flag("--force", options->force, "Overwrite existing output files");
    command->add_option("--date", options->date,
                        "Create Date of an Alembic revision (default: the newest log timestamp)");
    command->add_option("--down-revision", options->down_revision,
                        "Alembic revision to chain after when the directory has several heads");
    command->add_option("--stats", options->stats_file,
                        "Row counts per table (CSV or JSON export of pg_class.reltuples; see "
                        "docs/rules.md#missing-index)");
    command
        ->add_option("--min-rows", options->min_rows,
                     "With --stats: propose no index on tables with fewer rows")
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
                     "Skip (with a warning) any statement (schema or log) longer than this")
        ->capture_default_str();
    command->add_option("--dialect", options->dialect, "Schema dialect: auto, postgresql, sqlite")
        ->check(CLI::IsMember({"auto", "postgresql", "sqlite"}))
        ->capture_default_str();
    add_session_options(*command, options->workload);
    command->add_option("--models", options->models_file,
                        "JSON file naming the SQLAlchemy class, attributes and relationships of "
                        "tables whose names differ from the conventions (docs/rules.md)");
    command->add_flag("--verify", options->verify,
                      "Keep only index proposals the planner uses: SQLite's (EXPLAIN QUERY PLAN), "
                      "or with --dsn PostgreSQL's (EXPLAIN with HypoPG); see docs/verify.md");
    command
        ->add_flag("--keep-unverified", options->keep_unverified,
                   "With --verify: keep the proposals the planner ignores, with a note")
        ->needs("--verify");
    // Migrations: session settings and file layout (docs/templates.md).
    command
        ->add_option("--lock-timeout", options->lock_timeout,
                     "lock_timeout the emitted migrations set while they build or drop indexes")
        ->capture_default_str();
    command
        ->add_flag("--emit-sql-per-index", options->emit_sql_per_index,
                   "With --emit-sql: one up/down pair per index, for runners that send a file as "
                   "one query (golang-migrate, dbmate, psql -c)")
        ->needs("--emit-sql");
    add_dsn_options(*command, options->live);
    add_live_input_options(*command, options->live);
    command->callback([options, &action] { action = [options] { return advise(*options); }; });
}

} // namespace advisor::cli
