#include "advisor/pg_explain.hpp"

#include "parsers/pg_tree.hpp"

#include <nlohmann/json.hpp>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <set>

namespace advisor {

using parsers::live::QueryError;

namespace {

// The statements EXPLAIN plans without running them (PostgreSQL's ExplainableStmt, less what
// creates or refreshes a relation or runs a prepared statement).
const std::set<std::string_view> explainable_kinds = {"SelectStmt", "InsertStmt", "UpdateStmt",
                                                      "DeleteStmt", "MergeStmt"};

constexpr const char* prepared_name = "schema_advisor_query";
constexpr std::size_t max_plan_depth = 200;

std::string node_line(const nlohmann::json& node, const std::map<std::string, std::string>& renames,
                      std::vector<std::string>& indexes) {
    std::string line = node.value("Node Type", "?");
    if (line == "ModifyTable") {
        line = node.value("Operation", line);
    }
    if (line == "Aggregate") {
        const std::string strategy = node.value("Strategy", "");
        line = strategy == "Hashed"   ? "HashAggregate"
               : strategy == "Sorted" ? "GroupAggregate"
                                      : line;
    }
    if (const auto index = node.find("Index Name"); index != node.end() && index->is_string()) {
        std::string name = index->get<std::string>();
        indexes.push_back(name);
        if (const auto renamed = renames.find(name); renamed != renames.end()) {
            name = renamed->second;
        }
        line += " using " + name;
    }
    if (const auto relation = node.find("Relation Name");
        relation != node.end() && relation->is_string()) {
        line += " on " + relation->get<std::string>();
        const std::string alias = node.value("Alias", "");
        if (!alias.empty() && alias != relation->get<std::string>()) {
            line += " " + alias;
        }
    }
    if (const auto keys = node.find("Sort Key"); keys != node.end() && keys->is_array()) {
        std::string text;
        for (const auto& key : *keys) {
            if (key.is_string()) {
                text += (text.empty() ? "" : ", ") + key.get<std::string>();
            }
        }
        line += " (" + text + ")";
    }
    return line;
}

void read_node(const nlohmann::json& node, std::size_t depth,
               const std::map<std::string, std::string>& renames, PgPlan& plan) {
    if (!node.is_object() || depth > max_plan_depth) {
        return;
    }
    std::string prefix;
    if (depth > 0) {
        prefix = std::string(2 * (depth - 1), ' ') + "-> ";
    }
    plan.lines.push_back(prefix + node_line(node, renames, plan.indexes));
    if (const auto children = node.find("Plans"); children != node.end() && children->is_array()) {
        for (const auto& child : *children) {
            read_node(child, depth + 1, renames, plan);
        }
    }
}

} // namespace

std::optional<std::string> unexplainable_reason(const std::string& text) {
    const parsers::pg::ParseOutcome parsed = parsers::pg::parse(text);
    if (parsed.error) {
        return "libpg_query cannot read it (" + parsed.error->message + "): not sent";
    }
    if (parsed.tree.size() == 0) {
        return std::string("it holds no statement: not sent");
    }
    if (parsed.tree.size() > 1) {
        std::string kinds;
        for (std::size_t i = 0; i < parsed.tree.size(); ++i) {
            kinds += (i ? ", " : "") +
                     std::string(parsers::pg::node_kind(parsed.tree.statement_node(i)));
        }
        return "it holds " + std::to_string(parsed.tree.size()) + " statements (" + kinds +
               "): not sent, only a single statement is ever planned";
    }
    const auto* statement = parsed.tree.statement_node(0);
    const std::string_view kind = parsers::pg::node_kind(statement);
    if (explainable_kinds.count(kind) == 0) {
        return "it is a " + std::string(kind) +
               ", not a SELECT, INSERT, UPDATE, DELETE or MERGE that EXPLAIN plans without "
               "running: not sent";
    }
    if (kind == "SelectStmt" && statement->select_stmt->into_clause != nullptr) {
        return std::string("SELECT ... INTO creates a table: not sent");
    }
    return std::nullopt;
}

bool has_parameters(const std::string& text) {
    PgQueryScanResult result = pg_query_scan(text.c_str());
    bool found = false;
    if (result.error == nullptr) {
        PgQuery__ScanResult* scan = pg_query__scan_result__unpack(
            nullptr, result.pbuf.len, reinterpret_cast<const uint8_t*>(result.pbuf.data));
        for (std::size_t i = 0; scan != nullptr && i < scan->n_tokens && !found; ++i) {
            found = scan->tokens[i]->token == PG_QUERY__TOKEN__PARAM;
        }
        if (scan != nullptr) {
            pg_query__scan_result__free_unpacked(scan, nullptr);
        }
    }
    pg_query_free_scan_result(result);
    return found;
}

PgPlan read_explain_json(const std::string& json,
                         const std::map<std::string, std::string>& renames) {
    const nlohmann::json document = nlohmann::json::parse(json, nullptr, false);
    PgPlan plan;
    if (!document.is_array() || document.empty() || !document[0].is_object() ||
        !document[0].contains("Plan")) {
        throw QueryError("EXPLAIN gave no plan the advisor can read", "");
    }
    const nlohmann::json& top = document[0]["Plan"];
    plan.total_cost = top.value("Total Cost", 0.0);
    read_node(top, 0, renames, plan);
    return plan;
}

PgPlanner::PgPlanner(parsers::live::Connection& connection, std::string hypopg_schema)
    : connection_(connection), hypopg_schema_(std::move(hypopg_schema)) {}

void PgPlanner::rollback() {
    if (!connection_.ok()) {
        return;
    }
    try {
        connection_.execute("ROLLBACK");
    } catch (const QueryError&) {
    }
}

PgPlan PgPlanner::explain(const std::string& text, bool generic,
                          const std::map<std::string, std::string>& renames) {
    bool prepared = false;
    std::string json;
    connection_.execute("BEGIN TRANSACTION READ ONLY");
    try {
        if (!generic) {
            json = connection_.execute("EXPLAIN (FORMAT JSON) " + text).text(0, 0);
        } else if (connection_.server_version() >= 160000) {
            json = connection_.execute("EXPLAIN (FORMAT JSON, GENERIC_PLAN) " + text).text(0, 0);
        } else {
            connection_.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            const int parameters = connection_.prepare(prepared_name, text);
            prepared = true;
            std::string execute = std::string("EXPLAIN (FORMAT JSON) EXECUTE ") + prepared_name;
            for (int i = 0; i < parameters; ++i) {
                execute += (i ? ", NULL" : "(NULL");
            }
            json = connection_.execute(parameters > 0 ? execute + ")" : execute).text(0, 0);
        }
    } catch (const QueryError&) {
        rollback();
        if (prepared && connection_.ok()) {
            connection_.execute(std::string("DEALLOCATE ") + prepared_name);
        }
        throw;
    }
    rollback();
    if (prepared) {
        connection_.execute(std::string("DEALLOCATE ") + prepared_name);
    }
    return read_explain_json(json, renames);
}

PgPlanner::HypotheticalIndex PgPlanner::create_hypothetical_index(const std::string& sql) {
    const auto result = connection_.execute(
        "SELECT indexrelid, indexname FROM " + hypopg_schema_ + ".hypopg_create_index($1)", {sql});
    if (result.rows() != 1) {
        throw QueryError("hypopg_create_index() created no index", "");
    }
    return {result.text(0, 0), result.text(0, 1)};
}

void PgPlanner::drop_hypothetical_index(const HypotheticalIndex& index) {
    connection_.execute("SELECT " + hypopg_schema_ + ".hypopg_drop_index($1::pg_catalog.oid)",
                        {index.oid});
}

void PgPlanner::reset_hypothetical_indexes() {
    connection_.execute("SELECT " + hypopg_schema_ + ".hypopg_reset()");
}

} // namespace advisor
