#include "advisor/migrations/migration_plan.hpp"

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
            return;
        }
    }
    PlannedIndex planned;
    planned.index = spec;
    planned.findings.push_back(describe(finding));
    planned.why = finding.message;
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

// Alembic runs each statement on its own: CREATE INDEX CONCURRENTLY refuses to run in the
// implicit transaction PostgreSQL wraps around a multi-statement query string.
nlohmann::json python_statements(const std::string& sql) {
    nlohmann::json statements = nlohmann::json::array();
    for (const auto& statement : parsers::pg::split_statements(sql)) {
        statements.push_back({{"statement_python", python_string(statement)}});
    }
    return statements;
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
            alembic_columns.push_back("sa.text(" + python_string(index_key_sql(without_opclass)) +
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
         spec.where ? nlohmann::json(python_string(*spec.where)) : nlohmann::json(nullptr)},
        {"findings", findings},
        {"why", planned.why},
        {"recipe", planned.recipe_sql_up.empty()
                       ? nlohmann::json(nullptr)
                       : nlohmann::json({{"up", planned.recipe_sql_up},
                                         {"down", planned.recipe_sql_down},
                                         {"note", planned.recipe_note}})},
        {"recipe_up_statements", python_statements(planned.recipe_sql_up)},
        {"recipe_down_statements", python_statements(planned.recipe_sql_down)},
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
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& input : plan.inputs) {
        inputs.push_back({{"path", input}});
    }
    return {
        {"dialect",
         {{"name", plan.dialect},
          {"postgresql", plan.dialect == "postgresql"},
          {"sqlite", plan.dialect == "sqlite"}}},
        {"title", plan.title},
        {"slug", plan.slug},
        {"generator", std::string("schema-advisor ") + SCHEMA_ADVISOR_VERSION},
        {"inputs", inputs},
        {"creates", creates},
        {"drops", drops},
        {"creates_reversed", created_reversed},
        {"drops_reversed", dropped_reversed},
    };
}

} // namespace advisor
