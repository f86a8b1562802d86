#include "advisor/migrations/migration_plan.hpp"

#include "advisor/migrations/index_checks.hpp"
#include "advisor/sql_text.hpp"
#include "parsers/pg_tree.hpp"

#include <algorithm>
#include <set>

namespace advisor {

namespace {

std::string describe(const Finding& finding) {
    std::string columns;
    for (const auto& column : finding.columns) {
        columns += (columns.empty() ? "" : ", ") + column;
    }
    return finding.rule + " " + finding.table + " (" + columns + ")";
}

std::string schema_of(const std::string& qualified) {
    const auto dot = qualified.find('.');
    return dot == std::string::npos ? "public" : qualified.substr(0, dot);
}

void add_or_merge(std::vector<PlannedIndex>& list, const IndexSpec& spec, const Finding& finding,
                  bool use_recipe) {
    for (auto& planned : list) {
        if (planned.index.table == spec.table &&
            (planned.index.name == spec.name ||
             (planned.index.columns() == spec.columns() && planned.index.method == spec.method &&
              planned.index.where == spec.where))) {
            planned.findings.push_back(describe(finding));
            if (planned.model_change.empty()) {
                planned.model_change = finding.fix.sqlalchemy;
            }
            return;
        }
    }
    PlannedIndex planned;
    planned.index = spec;
    planned.findings.push_back(describe(finding));
    planned.why = finding.message;
    planned.model_change = finding.fix.sqlalchemy;
    if (use_recipe) {
        planned.recipe_sql_up = finding.fix.sql_up;
        planned.recipe_sql_down = finding.fix.sql_down;
        planned.recipe_note = finding.fix.note;
    }
    list.push_back(std::move(planned));
}

std::string slug_for(const MigrationPlan& plan) {
    std::vector<std::string> tables;
    for (const auto* list : {&plan.creates, &plan.drops}) {
        for (const auto& planned : *list) {
            const std::string table = unqualified_name(planned.index.table);
            if (std::find(tables.begin(), tables.end(), table) == tables.end()) {
                tables.push_back(table);
            }
        }
    }
    std::sort(tables.begin(), tables.end());
    std::string slug = plan.creates.empty() ? "drop_indexes" : "add_indexes";
    if (!plan.creates.empty() && !plan.drops.empty()) {
        slug = "add_and_drop_indexes";
    }
    for (const auto& table : tables) {
        std::string part;
        for (const char c : table) {
            const bool word = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
            part += word ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '_';
        }
        if (slug.size() + 1 + part.size() > 60) {
            slug += "_and_more";
            break;
        }
        slug += "_" + part;
    }
    return slug;
}

// A statement for op.execute(sa.text(...)) in an Alembic revision, without the `;` that ends it
// in an SQL file (Alembic's offline mode adds its own).
std::string python_text(std::string sql) {
    if (!sql.empty() && sql.back() == ';') {
        sql.pop_back();
    }
    return python_string(text_clause_escaped(sql));
}

// The check statements of an Alembic revision, which are long: the text of python_text() as
// adjacent Python literals, one per line of the statement, each after the first indented to
// follow `op.execute(sa.text(` at the revision's 12-space indent. Double quotes when the text
// holds `'` but no `"` (as Python's repr() chooses), so that SQL literals need no backslashes.
std::string python_text_lines(std::string sql) {
    if (!sql.empty() && sql.back() == ';') {
        sql.pop_back();
    }
    const std::string escaped = text_clause_escaped(sql);
    const bool double_quotes =
        escaped.find('\'') != std::string::npos && escaped.find('"') == std::string::npos;
    const auto literal = [&](const std::string& line) {
        if (!double_quotes) {
            return python_string(line);
        }
        std::string quoted = "\"";
        for (const char c : line) {
            quoted += c == '\\' ? "\\\\" : c == '\n' ? "\\n" : std::string(1, c);
        }
        return quoted + "\"";
    };
    const std::string continuation = "\n" + std::string(31, ' ');
    std::string lines;
    for (std::size_t begin = 0; begin < escaped.size();) {
        const auto newline = escaped.find('\n', begin);
        const auto end = newline == std::string::npos ? escaped.size() : newline + 1;
        lines += (lines.empty() ? "" : continuation) + literal(escaped.substr(begin, end - begin));
        begin = end;
    }
    return lines;
}

constexpr const char* partitioned_drop_note =
    "PostgreSQL cannot drop a partitioned index concurrently: this takes an ACCESS EXCLUSIVE lock "
    "on the table and its partitions while it runs.";
constexpr const char* partitioned_build_note =
    "A partitioned table's index cannot be built concurrently: this blocks writes to the table "
    "and its partitions while it builds.";

// A statement Squawk's rule `rule` would flag but that has no concurrent form, preceded by why
// and by Squawk's comment exempting that one statement (`-- squawk-ignore RULE`, the line
// before it). The comment travels inside the statement text, so that Alembic's offline SQL
// carries it too.
std::string squawk_exempt(const std::string& statement, const std::string& rule,
                          const std::string& why) {
    return "-- " + why + "\n-- squawk-ignore " + rule + "\n" + statement;
}

// The statement's parse tree node when it parses as exactly one statement, else null.
const parsers::pg::Node* single_statement(const parsers::pg::ParseOutcome& parsed) {
    return !parsed.error && parsed.tree.size() == 1 ? parsed.tree.statement_node(0) : nullptr;
}

std::string index_stmt_schema(const PgQuery__IndexStmt* index) {
    return index->relation != nullptr && index->relation->schemaname != nullptr &&
                   *index->relation->schemaname != '\0'
               ? index->relation->schemaname
               : "public";
}

// The partitioned-table recipe, one step per statement (libpg_query's splitter and parser):
// Alembic runs each on its own, since CREATE INDEX CONCURRENTLY refuses to run in the implicit
// transaction PostgreSQL wraps around a multi-statement query string. Each concurrent build of a
// partition's index is followed by the validity check; the two statements that cannot be
// concurrent say why, with the Squawk rule they are exempt from.
nlohmann::json recipe_steps(const std::string& sql) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& statement : parsers::pg::split_statements(sql)) {
        nlohmann::json step = {{"check_after", nullptr}};
        std::string text = statement;
        const auto parsed = parsers::pg::parse(statement);
        const parsers::pg::Node* node = single_statement(parsed);
        if (node != nullptr && node->node_case == PG_QUERY__NODE__NODE_INDEX_STMT) {
            const PgQuery__IndexStmt* index = node->index_stmt;
            if (index->concurrent) {
                const std::string after =
                    valid_index_check_sql(index_stmt_schema(index), index->idxname);
                step["check_after"] = {{"sql", after}, {"python", python_text_lines(after)}};
            } else {
                text = squawk_exempt(text, "require-concurrent-index-creation",
                                     "ON ONLY builds nothing: it records the parent index, left "
                                     "invalid until each partition's index is attached.");
            }
        } else if (node != nullptr && node->node_case == PG_QUERY__NODE__NODE_DROP_STMT &&
                   !node->drop_stmt->concurrent) {
            text = squawk_exempt(text, "require-concurrent-index-deletion", partitioned_drop_note);
        }
        step["sql"] = text + ";";
        step["statement_python"] = python_text(text);
        steps.push_back(std::move(step));
    }
    return steps;
}

// The indexes that building `planned` makes: the index itself and, for a partitioned table's
// recipe, each partition's index built concurrently.
std::vector<CheckedIndex> indexes_built(const PlannedIndex& planned) {
    std::vector<CheckedIndex> built{{schema_of(planned.index.table), planned.index.name}};
    for (const auto& statement : parsers::pg::split_statements(planned.recipe_sql_up)) {
        const auto parsed = parsers::pg::parse(statement);
        const parsers::pg::Node* node = single_statement(parsed);
        if (node != nullptr && node->node_case == PG_QUERY__NODE__NODE_INDEX_STMT &&
            node->index_stmt->concurrent) {
            built.push_back({index_stmt_schema(node->index_stmt), node->index_stmt->idxname});
        }
    }
    return built;
}

// The check before any change of one direction (the indexes it builds), as SQL and as a Python
// string for op.execute(sa.text(...)); null when nothing is built or not on PostgreSQL.
nlohmann::json check_before(const std::vector<const PlannedIndex*>& builds,
                            const std::string& dialect) {
    if (dialect != "postgresql" || builds.empty()) {
        return nullptr;
    }
    std::vector<CheckedIndex> indexes;
    for (const auto* planned : builds) {
        for (auto& index : indexes_built(*planned)) {
            indexes.push_back(std::move(index));
        }
    }
    const std::string sql = invalid_indexes_check_sql(indexes);
    return {{"sql", sql}, {"python", python_text_lines(sql)}};
}

// The schema a bare table name resolves to, which revisions leave unqualified so that the same
// revision runs on the application's other backend (SQLite has no `public`).
bool default_schema(const std::string& schema, const std::string& dialect) {
    return schema == (dialect == "sqlite" ? "main" : "public");
}

nlohmann::json sql_and_python(const std::string& sql) {
    return {{"sql", sql}, {"python", python_text_lines(sql)}};
}

nlohmann::json index_data(const PlannedIndex& planned, const std::string& dialect) {
    const IndexSpec& spec = planned.index;
    const bool postgresql = dialect == "postgresql";
    std::string keys_sql;
    nlohmann::json alembic_columns = nlohmann::json::array();
    nlohmann::json ops = nlohmann::json::array();
    for (const auto& spec_key : spec.keys) {
        const IndexKey key = key_for_dialect(spec_key, dialect);
        keys_sql += (keys_sql.empty() ? "" : ", ") + index_key_sql(key);
        const bool plain =
            !key.is_expression() && !key.descending && key.nulls.empty() && key.collation.empty();
        if (plain) {
            alembic_columns.push_back(python_string(key.column));
        } else {
            IndexKey without_opclass = key;
            without_opclass.opclass.clear();
            alembic_columns.push_back("sa.text(" + python_text(index_key_sql(without_opclass)) +
                                      ")");
        }
        if (!key.opclass.empty() && !key.is_expression()) {
            ops.push_back(
                {{"column", python_string(key.column)}, {"opclass", python_string(key.opclass)}});
        }
    }
    std::string columns_python;
    for (const auto& column : alembic_columns) {
        columns_python += (columns_python.empty() ? "" : ", ") + column.get<std::string>();
    }
    std::string include_sql;
    std::string include_python;
    for (const auto& column : spec.include) {
        include_sql += (include_sql.empty() ? "" : ", ") + quote_identifier(column);
        include_python += (include_python.empty() ? "" : ", ") + python_string(column);
    }
    std::string ops_python;
    for (const auto& op : ops) {
        ops_python += (ops_python.empty() ? "" : ", ") + op["column"].get<std::string>() + ": " +
                      op["opclass"].get<std::string>();
    }
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& finding : planned.findings) {
        findings.push_back({{"finding", finding}});
    }
    const std::string schema = schema_of(spec.table);
    const bool concurrently = postgresql && planned.recipe_sql_up.empty();
    std::string create_sql = create_index_sql(spec, dialect);
    std::string drop_sql = drop_index_sql(schema, spec.name, dialect);
    if (postgresql && !concurrently) {
        // A partitioned table's index built in one go (the down direction of a dropped one):
        // CREATE INDEX on the parent builds every partition's, without CONCURRENTLY.
        const std::string concurrent_prefix = "INDEX CONCURRENTLY ";
        create_sql.replace(create_sql.find(concurrent_prefix), concurrent_prefix.size(), "INDEX ");
        create_sql =
            squawk_exempt(create_sql, "require-concurrent-index-creation", partitioned_build_note);
        drop_sql = squawk_exempt("DROP INDEX IF EXISTS " + quote_identifier(schema) + "." +
                                     quote_identifier(spec.name) + ";",
                                 "require-concurrent-index-deletion", partitioned_drop_note);
    }
    const nlohmann::json no_check = nullptr;
    return {
        {"name", spec.name},
        {"name_sql", quote_identifier(spec.name)},
        {"name_python", python_string(spec.name)},
        {"schema", schema},
        {"schema_sql", quote_identifier(schema)},
        {"schema_python", python_string(schema)},
        {"table", unqualified_name(spec.table)},
        {"table_python", python_string(unqualified_name(spec.table))},
        {"qualified_table", spec.table},
        {"table_sql",
         postgresql ? quote_qualified(spec.table) : quote_identifier(unqualified_name(spec.table))},
        {"unique", spec.unique},
        {"unique_python", spec.unique ? "True" : "False"},
        {"method", spec.method},
        {"using", postgresql && spec.method != "btree" ? nlohmann::json(spec.method)
                                                       : nlohmann::json(nullptr)},
        {"using_python", python_string(spec.method)},
        {"keys_sql", keys_sql},
        {"columns_python", columns_python},
        {"include_sql",
         include_sql.empty() ? nlohmann::json(nullptr) : nlohmann::json(include_sql)},
        {"include_python",
         include_python.empty() ? nlohmann::json(nullptr) : nlohmann::json(include_python)},
        {"ops_python", ops_python.empty() ? nlohmann::json(nullptr) : nlohmann::json(ops_python)},
        {"where", spec.where ? nlohmann::json(*spec.where) : nlohmann::json(nullptr)},
        {"where_python",
         spec.where ? nlohmann::json(python_text(*spec.where)) : nlohmann::json(nullptr)},
        {"findings", findings},
        {"why", planned.why},
        {"recipe", planned.recipe_sql_up.empty()
                       ? nlohmann::json(nullptr)
                       : nlohmann::json({{"up", planned.recipe_sql_up},
                                         {"down", planned.recipe_sql_down},
                                         {"note", planned.recipe_note}})},
        {"recipe_up_statements", recipe_steps(planned.recipe_sql_up)},
        {"recipe_down_statements", recipe_steps(planned.recipe_sql_down)},
        {"model_change", planned.model_change.empty() ? nlohmann::json(nullptr)
                                                      : nlohmann::json(planned.model_change)},
        {"default_schema", default_schema(schema, dialect)},
        {"schema_arg_python", default_schema(schema, dialect)
                                  ? nlohmann::json(nullptr)
                                  : nlohmann::json(python_string(schema))},
        {"concurrently", concurrently},
        {"create_sql", create_sql},
        {"create_python", python_text(create_sql)},
        {"drop_sql", drop_sql},
        {"drop_python", python_text(drop_sql)},
        {"check_after_create",
         postgresql ? sql_and_python(valid_index_check_sql(schema, spec.name, concurrently))
                    : no_check},
        {"check_after_drop",
         postgresql ? sql_and_python(dropped_index_check_sql(schema, spec.name, concurrently))
                    : no_check},
    };
}

} // namespace

std::string python_string(const std::string& text) {
    std::string literal = "'";
    for (const char c : text) {
        switch (c) {
        case '\\':
            literal += "\\\\";
            break;
        case '\'':
            literal += "\\'";
            break;
        case '\n':
            literal += "\\n";
            break;
        default:
            literal += c;
        }
    }
    return literal + "'";
}

MigrationPlan plan_migration(const std::vector<Finding>& findings,
                             const MigrationOptions& options) {
    MigrationPlan plan;
    plan.dialect = options.dialect;
    plan.inputs = options.inputs;
    plan.lock_timeout = options.lock_timeout;
    for (const auto& finding : findings) {
        if (finding.fix.create_index) {
            const bool recipe = !finding.fix.note.empty() && options.dialect == "postgresql";
            add_or_merge(plan.creates, *finding.fix.create_index, finding, recipe);
        }
    }
    if (options.include_drops) {
        for (const auto& finding : findings) {
            if (finding.fix.drop_index) {
                add_or_merge(plan.drops, *finding.fix.drop_index, finding,
                             !finding.fix.note.empty() && options.dialect == "postgresql");
            }
        }
    }
    // A stable order, independent of finding order: by table, then index name.
    const auto by_table_and_name = [](const PlannedIndex& a, const PlannedIndex& b) {
        return std::tie(a.index.table, a.index.name) < std::tie(b.index.table, b.index.name);
    };
    std::sort(plan.creates.begin(), plan.creates.end(), by_table_and_name);
    std::sort(plan.drops.begin(), plan.drops.end(), by_table_and_name);
    plan.slug = slug_for(plan);
    plan.title = plan.slug;
    std::replace(plan.title.begin(), plan.title.end(), '_', ' ');
    return plan;
}

nlohmann::json migration_template_data(const MigrationPlan& plan) {
    nlohmann::json creates = nlohmann::json::array();
    for (const auto& planned : plan.creates) {
        creates.push_back(index_data(planned, plan.dialect));
    }
    nlohmann::json drops = nlohmann::json::array();
    for (const auto& planned : plan.drops) {
        drops.push_back(index_data(planned, plan.dialect));
    }
    nlohmann::json dropped_reversed = nlohmann::json::array();
    for (auto it = drops.rbegin(); it != drops.rend(); ++it) {
        dropped_reversed.push_back(*it);
    }
    nlohmann::json created_reversed = nlohmann::json::array();
    for (auto it = creates.rbegin(); it != creates.rend(); ++it) {
        created_reversed.push_back(*it);
    }
    // Each model change once, in the docstring's indentation.
    nlohmann::json model_changes = nlohmann::json::array();
    for (const auto* list : {&plan.creates, &plan.drops}) {
        for (const auto& planned : *list) {
            if (planned.model_change.empty()) {
                continue;
            }
            std::string text = "    ";
            for (const char c : planned.model_change) {
                text += c;
                if (c == '\n') {
                    text += "    ";
                }
            }
            model_changes.push_back({{"docstring_text", text}, {"text", planned.model_change}});
        }
    }
    // What each direction builds: the up file the creates, the down file the dropped indexes.
    std::vector<const PlannedIndex*> up_builds;
    for (const auto& planned : plan.creates) {
        up_builds.push_back(&planned);
    }
    std::vector<const PlannedIndex*> down_builds;
    for (auto it = plan.drops.rbegin(); it != plan.drops.rend(); ++it) {
        down_builds.push_back(&*it);
    }
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& input : plan.inputs) {
        inputs.push_back({{"path", input}});
    }
    return {
        {"lock_timeout", plan.lock_timeout},
        {"lock_timeout_sql", sql_literal(plan.lock_timeout)},
        {"lock_timeout_python",
         python_string("SET lock_timeout = " + sql_literal(plan.lock_timeout))},
        {"dialect",
         {{"name", plan.dialect},
          {"postgresql", plan.dialect == "postgresql"},
          {"sqlite", plan.dialect == "sqlite"}}},
        {"title", plan.title},
        {"slug", plan.slug},
        {"generator", std::string("schema-advisor ") + SCHEMA_ADVISOR_VERSION},
        {"inputs", inputs},
        {"model_changes", model_changes},
        {"has_model_changes", !model_changes.empty()},
        {"has_creates", !creates.empty()},
        {"has_drops", !drops.empty()},
        {"check_before_up", check_before(up_builds, plan.dialect)},
        {"check_before_down", check_before(down_builds, plan.dialect)},
        {"creates", creates},
        {"drops", drops},
        {"creates_reversed", created_reversed},
        {"drops_reversed", dropped_reversed},
    };
}

} // namespace advisor
