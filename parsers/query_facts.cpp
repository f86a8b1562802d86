#include "parsers/query_facts.hpp"

#include "parsers/pg_expr.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace parsers {

const char* to_string(StatementKind kind) {
    switch (kind) {
    case StatementKind::select:
        return "select";
    case StatementKind::insert:
        return "insert";
    case StatementKind::update:
        return "update";
    case StatementKind::delete_:
        return "delete";
    case StatementKind::other:
        break;
    }
    return "other";
}

const char* to_string(ColumnRole role) {
    switch (role) {
    case ColumnRole::eq:
        return "eq";
    case ColumnRole::in:
        return "in";
    case ColumnRole::range:
        return "range";
    case ColumnRole::is_null:
        return "is_null";
    case ColumnRole::like_prefix:
        return "like_prefix";
    case ColumnRole::join:
        return "join";
    case ColumnRole::order:
        return "order";
    case ColumnRole::group:
        return "group";
    case ColumnRole::json_path:
        return "json_path";
    case ColumnRole::json_contains:
        return "json_contains";
    case ColumnRole::select:
        break;
    }
    return "select";
}

const char* to_string(PredicateKind kind) {
    switch (kind) {
    case PredicateKind::is_null:
        return "is_null";
    case PredicateKind::is_not_null:
        return "is_not_null";
    case PredicateKind::equals:
        return "equals";
    case PredicateKind::is_true:
        return "is_true";
    case PredicateKind::is_false:
        return "is_false";
    case PredicateKind::strict_comparison:
        break;
    }
    return "strict_comparison";
}

std::vector<const ColumnUse*> TableScan::uses_with_role(ColumnRole role) const {
    std::vector<const ColumnUse*> found;
    for (const auto& use : uses) {
        if (use.role == role) {
            found.push_back(&use);
        }
    }
    return found;
}

std::vector<ColumnUse> QueryFacts::column_uses() const {
    std::vector<ColumnUse> all;
    for (const auto& scan : scans) {
        all.insert(all.end(), scan.uses.begin(), scan.uses.end());
    }
    return all;
}

namespace {

using pg::Node;

// How far what the outer query says about a sub-select's output reaches the tables it reads.
enum class Reach {
    opaque = 0,    // nothing: LIMIT / OFFSET, window functions, DISTINCT ON, a MATERIALIZED CTE
    filters = 1,   // restriction clauses are pushed down into it (allpaths.c,
                   // subquery_is_pushdown_safe) but it is planned on its own: GROUP BY,
                   // aggregates, DISTINCT, ORDER BY, UNION / INTERSECT / EXCEPT
    pulled_up = 2, // flattened into the parent (prepjointree.c, is_simple_subquery): joins and
                   // ORDER BY reach its tables too
    direct = 3,    // the table itself
};

struct ColumnOrigin {
    std::size_t scan = 0;
    std::string column;
    std::string expression; // canonical, when the output is an expression over the column
    Reach reach = Reach::direct;
};

struct OutputColumn {
    std::string name;
    std::vector<ColumnOrigin> origins;
};

// What a query block (a SELECT, a view's definition, a CTE body) offers to the block reading it.
struct BlockOutput {
    std::vector<OutputColumn> columns;
    Reach reach = Reach::pulled_up;
    std::vector<std::size_t> flat_scans; // scans in its FROM, directly or through pulled-up blocks
};

// One FROM item as column references see it.
struct Source {
    std::string name;   // what columns qualify it with: the alias, else the relation name
    std::string schema; // a table's schema (public.users.id), "" otherwise
    bool is_scan = false;
    std::size_t scan = 0;
    const Table* table = nullptr;      // is_scan and in the catalog
    std::vector<OutputColumn> columns; // !is_scan: output columns, reach already combined
};

struct Scope {
    std::vector<Source> sources;
    const Scope* outer = nullptr; // the enclosing query level (correlated references)
};

struct Resolved {
    std::vector<ColumnOrigin> origins; // empty: found, but nothing reaches a table
    int depth = 0;                     // 0: this block's FROM; 1+: an outer query level
};

struct CteFrame;

struct CteEntry {
    const PgQuery__CommonTableExpr* cte = nullptr;
    bool inlined = false;
    std::vector<std::string> column_names; // of a CTE that is scanned, not inlined
    const CteFrame* frame = nullptr;       // the WITH that defines it
};

struct CteFrame {
    std::map<std::string, CteEntry> entries;
    const CteFrame* outer = nullptr;

    const CteEntry* find(const std::string& name) const {
        for (const CteFrame* frame = this; frame != nullptr; frame = frame->outer) {
            const auto it = frame->entries.find(name);
            if (it != frame->entries.end()) {
                return &it->second;
            }
        }
        return nullptr;
    }
};

struct ConditionContext {
    bool under_or = false;
    bool in_list = false; // the comparison was written as a one-element IN (...) list
    // In an outer join's ON, the scans whose rows the clause restricts (the nullable side);
    // null means every scan (WHERE, inner joins).
    const std::set<std::size_t>* restricted = nullptr;
};

struct BlockOptions {
    bool top_level = false;
    bool outputs_read = true; // false for EXISTS (SELECT * ...): the select list is not evaluated
};

enum class Purpose { none, select };

// The other side of a comparison, or the side holding the column.
struct Term {
    enum class Kind { columns, value, unknown };
    Kind kind = Kind::unknown;
    Operand value = Operand::none; // Kind::value
    std::vector<ColumnOrigin> origins;
    int depth = 0;
    std::string expression; // canonical, when an expression over one scan's columns
};

constexpr int max_nesting = 100;
constexpr int max_view_depth = 16;

bool is_json_path_operator(std::string_view op) {
    return op == "->" || op == "->>" || op == "#>" || op == "#>>";
}

// Operators a GIN index (jsonb_ops, jsonb_path_ops, array_ops) or a GiST index can serve.
bool is_containment_operator(std::string_view op) {
    constexpr std::array<std::string_view, 8> operators{"@>", "<@", "?",  "?|",
                                                        "?&", "&&", "@?", "@@"};
    return std::find(operators.begin(), operators.end(), op) != operators.end();
}

// The operator with its operands swapped (PostgreSQL's commutator), "" when there is none.
std::string commutator(std::string_view op) {
    if (op == "=" || op == "&&" || op == "@@" || op == "<>" || op == "!=") {
        return std::string(op);
    }
    if (op == "<") {
        return ">";
    }
    if (op == ">") {
        return "<";
    }
    if (op == "<=") {
        return ">=";
    }
    if (op == ">=") {
        return "<=";
    }
    if (op == "@>") {
        return "<@";
    }
    if (op == "<@") {
        return "@>";
    }
    return "";
}

bool is_range_operator(std::string_view op) {
    return op == "<" || op == "<=" || op == ">" || op == ">=";
}

// Whether an expression calls a function matching `wanted` outside sub-selects.
template <typename Wanted> bool contains_call(const Node* node, const Wanted& wanted) {
    bool found = false;
    pg::visit_nodes(node, [&](const Node* child) {
        if (child->node_case == PG_QUERY__NODE__NODE_SUB_LINK) {
            return false;
        }
        found = found ||
                (child->node_case == PG_QUERY__NODE__NODE_FUNC_CALL && wanted(child->func_call));
        return !found;
    });
    return found;
}

bool contains_window_function(const Node* node) {
    return contains_call(node, [](const PgQuery__FuncCall* call) { return call->over != nullptr; });
}

bool contains_aggregate_or_window(const Node* node) {
    return contains_call(node, [](const PgQuery__FuncCall* call) {
        return pg::is_aggregate_call(call) || call->over != nullptr;
    });
}

// Column references of an expression outside sub-selects.
std::vector<const Node*> column_refs_outside_sublinks(const Node* node) {
    std::vector<const Node*> refs;
    pg::visit_nodes(node, [&](const Node* child) {
        if (child->node_case == PG_QUERY__NODE__NODE_SUB_LINK) {
            return false;
        }
        if (child->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
            refs.push_back(child);
        }
        return true;
    });
    return refs;
}

// The name PostgreSQL gives an output column without an alias (FigureColname, simplified).
std::string figure_column_name(const Node* node) {
    if (node == nullptr) {
        return "?column?";
    }
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
        const auto name = pg::column_ref_name(node);
        return name && !name->star ? name->column : "?column?";
    }
    case PG_QUERY__NODE__NODE_FUNC_CALL:
        return pg::function_name(node->func_call);
    case PG_QUERY__NODE__NODE_TYPE_CAST: {
        const std::string inner = figure_column_name(node->type_cast->arg);
        if (inner != "?column?") {
            return inner;
        }
        const auto* type = node->type_cast->type_name;
        if (type != nullptr && type->n_names > 0) {
            return std::string(pg::string_value(type->names[type->n_names - 1]));
        }
        return inner;
    }
    case PG_QUERY__NODE__NODE_COALESCE_EXPR:
        return "coalesce";
    case PG_QUERY__NODE__NODE_CASE_EXPR:
        return "case";
    case PG_QUERY__NODE__NODE_SUB_LINK:
        return node->sub_link->sub_link_type == PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK
                   ? "exists"
                   : "?column?";
    default:
        return "?column?";
    }
}

// LIMIT / OFFSET as written. LIMIT ALL and LIMIT NULL mean no limit (the grammar gives a NULL).
struct LimitClause {
    bool present = false;
    std::optional<long> value;
};

LimitClause limit_clause(const Node* node) {
    LimitClause clause;
    const Node* inner = pg::strip_casts(node);
    if (inner == nullptr ||
        (inner->node_case == PG_QUERY__NODE__NODE_A_CONST && inner->a_const->isnull)) {
        return clause;
    }
    clause.present = true;
    clause.value = pg::integer_value(inner);
    return clause;
}

std::vector<std::string> alias_column_names(const PgQuery__Alias* alias) {
    if (alias == nullptr) {
        return {};
    }
    return pg::string_list(alias->colnames, alias->n_colnames);
}

// The name of a sort or group key that may be a select-list alias (a single unqualified name).
std::optional<std::string> bare_name(const Node* node) {
    const auto name = pg::column_ref_name(node);
    if (!name || name->star || !name->qualifier.empty()) {
        return std::nullopt;
    }
    return name->column;
}

// The node when it is a SELECT (a sub-select's, CTE's or view's body), else null.
const Node* select_node(const Node* node) {
    return node != nullptr && node->node_case == PG_QUERY__NODE__NODE_SELECT_STMT ? node : nullptr;
}

// SELECT count(*) FROM t: aggregates over the whole input (no GROUP BY) return one row, whatever
// the table holds. A column outside every aggregate would need a GROUP BY.
bool is_aggregate_only(const PgQuery__SelectStmt* stmt) {
    if (stmt->n_group_clause > 0 || stmt->n_target_list == 0) {
        return false;
    }
    bool any_aggregate = false;
    for (std::size_t i = 0; i < stmt->n_target_list; ++i) {
        const Node* target = stmt->target_list[i];
        const Node* value = target->node_case == PG_QUERY__NODE__NODE_RES_TARGET
                                ? target->res_target->val
                                : nullptr;
        if (contains_window_function(value)) {
            return false;
        }
        if (!contains_aggregate_or_window(value)) {
            if (!pg::is_constant(value)) {
                return false;
            }
            continue;
        }
        any_aggregate = true;
        bool bare_column = false;
        pg::visit_nodes(value, [&](const Node* child) {
            if (child->node_case == PG_QUERY__NODE__NODE_SUB_LINK ||
                (child->node_case == PG_QUERY__NODE__NODE_FUNC_CALL &&
                 pg::is_aggregate_call(child->func_call))) {
                return false;
            }
            bare_column = bare_column || child->node_case == PG_QUERY__NODE__NODE_COLUMN_REF;
            return true;
        });
        if (bare_column) {
            return false;
        }
    }
    return any_aggregate;
}

// Counts references to a CTE name (unqualified relation names) below a message.
int count_relation_references(const ProtobufCMessage* message, const std::string& name) {
    int count = 0;
    pg::visit_nodes_below(message, [&](const Node* node) {
        if (node->node_case == PG_QUERY__NODE__NODE_RANGE_VAR) {
            const auto ref = pg::range_var_name(node->range_var);
            if (ref.schema.empty() && ref.relation == name) {
                ++count;
            }
        }
        return true;
    });
    return count;
}

// Sets a builder member for the extent of a C++ scope and restores the previous value on exit.
template <typename T> class ScopedValue {
public:
    ScopedValue(T& slot, T value) : slot_(slot), saved_(std::exchange(slot, std::move(value))) {}
    ~ScopedValue() { slot_ = std::move(saved_); }
    ScopedValue(const ScopedValue&) = delete;
    ScopedValue& operator=(const ScopedValue&) = delete;

private:
    T& slot_;
    T saved_;
};

class FactsBuilder {
public:
    FactsBuilder(const QueryFactsExtractor& extractor, QueryFacts& facts)
        : extractor_(extractor), facts_(facts) {}

    void statement(const Node* node, bool first);
    void finish();

private:
    // Query blocks.
    BlockOutput select_block(const PgQuery__SelectStmt* stmt, const Scope* outer,
                             const BlockOptions& options);
    BlockOutput set_operation(const PgQuery__SelectStmt* stmt, const Scope* outer,
                              const BlockOptions& options);
    BlockOutput values_block(const PgQuery__SelectStmt* stmt, const Scope* outer);
    void apply_limit(const PgQuery__SelectStmt* stmt, bool top_level, BlockOutput& block);
    void add_ctes(const PgQuery__WithClause* with, const ProtobufCMessage* owner,
                  const Scope* outer, CteFrame& frame);
    Source dml_target(const PgQuery__RangeVar* range_var, ScanMode mode);
    void insert_statement(const PgQuery__InsertStmt* stmt);
    void update_statement(const PgQuery__UpdateStmt* stmt);
    void delete_statement(const PgQuery__DeleteStmt* stmt);

    // FROM.
    void from_item(const Node* item, Scope& scope, std::vector<std::size_t>& added,
                   BlockOutput& block);
    void relation(const PgQuery__RangeVar* range_var, Scope& scope, std::vector<std::size_t>& added,
                  BlockOutput& block);
    void join(const PgQuery__JoinExpr* join, Scope& scope, std::vector<std::size_t>& added,
              BlockOutput& block);
    void add_derived(Source source, const BlockOutput& output, const PgQuery__Alias* alias,
                     Scope& scope, std::vector<std::size_t>& added, BlockOutput& block);
    std::size_t add_scan(const QueryFactsExtractor::Relation& relation, const std::string& alias,
                         ScanMode mode);
    Source scan_source(std::size_t scan, const QueryFactsExtractor::Relation& relation,
                       const std::string& visible_name, const std::string& schema) const;

    // Column resolution.
    std::optional<Resolved> resolve(const pg::ColumnRefName& name, const Scope& scope) const;
    std::optional<std::vector<ColumnOrigin>>
    resolve_in(const pg::ColumnRefName& name, const std::vector<Source>& sources,
               const std::vector<std::size_t>* subset) const;
    std::optional<std::vector<ColumnOrigin>> origins_of(const Source& source,
                                                        const std::string& column) const;
    std::vector<std::string> column_names(const Source& source) const;
    Term describe(const Node* node, const Scope& scope) const;
    Term origins_term(const Node* node, const Scope& scope) const;

    // Conditions.
    void conditions(const Node* node, const Scope& scope, const ConditionContext& context);
    void comparison(const PgQuery__AExpr* expression, const Scope& scope,
                    const ConditionContext& context);
    void compare(const Node* left, const Node* right, ColumnRole role, const std::string& op,
                 const Scope& scope, const ConditionContext& context);
    void in_list(const Node* left, const Node* right, bool any_array, const Scope& scope,
                 const ConditionContext& context);
    void like(const Node* left, const Node* pattern, const Scope& scope,
              const ConditionContext& context);
    void between(const Node* left, const Node* bounds, const Scope& scope,
                 const ConditionContext& context);
    void null_test(const PgQuery__NullTest* test, const Scope& scope,
                   const ConditionContext& context);
    void boolean_test(const Node* column, bool value, const Scope& scope,
                      const ConditionContext& context);
    void sublink(const PgQuery__SubLink* link, const Scope& scope,
                 const ConditionContext& context = {});
    struct Restriction {
        std::optional<ColumnRole> role;
        Operand operand = Operand::none;
        std::string op;
        std::optional<PredicateKind> predicate;
        std::string predicate_value;
        const Node* value_node = nullptr; // the literal, to tell booleans
    };
    void restrict_term(const Term& term, const Restriction& restriction,
                       const ConditionContext& context);
    void join_terms(const Term& left, const Term& right, const ConditionContext& context);
    Operand operand_of_list(const std::vector<const Node*>& items, const Scope& scope) const;

    // Expressions outside conditions: select lists, ORDER BY, GROUP BY, SET, RETURNING.
    void walk_expression(const Node* node, const Scope& scope, Purpose purpose);
    bool json_path(const Node* node, const Scope& scope, Purpose purpose);
    void select_star(const pg::ColumnRefName& name, const Scope& scope,
                     std::vector<OutputColumn>* outputs);
    std::vector<OutputColumn> targets(Node* const* items, std::size_t count, const Scope& scope,
                                      bool outputs_read);
    const Node* sort_expression(const Node* node, const PgQuery__SelectStmt* stmt,
                                const Scope& scope, bool output_names_first) const;
    void order_by(const PgQuery__SelectStmt* stmt, const Scope& scope, bool delivers_order);
    void group_by(const PgQuery__SelectStmt* stmt, const Scope& scope);
    void returning(Node* const* items, std::size_t count, const Scope& scope);

    void add_use(std::size_t scan, ColumnUse use);
    void add_predicate(std::size_t scan, ScanPredicate predicate);
    bool is_boolean_column(std::size_t scan, const std::string& column) const;

    const QueryFactsExtractor& extractor_;
    QueryFacts& facts_;
    std::vector<const Table*> scan_tables_; // parallel to facts_.scans
    std::set<std::string> views_;
    std::set<std::string> unknown_tables_;
    std::set<std::string> system_tables_;
    const CteFrame* ctes_ = nullptr; // the CTEs visible where the walk is
    std::string current_view_;       // the outermost view being expanded
    int view_depth_ = 0;
    int nesting_ = 0;
};

// --- statements ---------------------------------------------------------------------------

void FactsBuilder::statement(const Node* node, bool first) {
    if (node == nullptr) {
        return;
    }
    const auto set_kind = [&](StatementKind kind) {
        if (first) {
            facts_.kind = kind;
        }
    };
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_SELECT_STMT: {
        set_kind(StatementKind::select);
        BlockOptions options;
        options.top_level = first;
        select_block(node->select_stmt, nullptr, options);
        return;
    }
    case PG_QUERY__NODE__NODE_INSERT_STMT:
        set_kind(StatementKind::insert);
        insert_statement(node->insert_stmt);
        return;
    case PG_QUERY__NODE__NODE_UPDATE_STMT:
        set_kind(StatementKind::update);
        update_statement(node->update_stmt);
        return;
    case PG_QUERY__NODE__NODE_DELETE_STMT:
        set_kind(StatementKind::delete_);
        delete_statement(node->delete_stmt);
        return;
    // A prepared statement, a cursor (psycopg's named cursors) and COPY (query) TO run the query.
    case PG_QUERY__NODE__NODE_PREPARE_STMT:
        statement(node->prepare_stmt->query, first);
        return;
    case PG_QUERY__NODE__NODE_DECLARE_CURSOR_STMT:
        statement(node->declare_cursor_stmt->query, first);
        return;
    case PG_QUERY__NODE__NODE_COPY_STMT:
        if (node->copy_stmt->query != nullptr) {
            statement(node->copy_stmt->query, first);
        } else {
            set_kind(StatementKind::other);
        }
        return;
    default:
        set_kind(StatementKind::other);
        return;
    }
}

void FactsBuilder::finish() {
    std::set<std::string> tables;
    for (const auto& scan : facts_.scans) {
        tables.insert(scan.table);
    }
    facts_.tables.assign(tables.begin(), tables.end());
    facts_.views.assign(views_.begin(), views_.end());
    facts_.unknown_tables.assign(unknown_tables_.begin(), unknown_tables_.end());
    facts_.system_tables.assign(system_tables_.begin(), system_tables_.end());
}

void FactsBuilder::add_ctes(const PgQuery__WithClause* with, const ProtobufCMessage* owner,
                            const Scope* outer, CteFrame& frame) {
    for (std::size_t i = 0; i < with->n_ctes; ++i) {
        if (with->ctes[i]->node_case != PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR) {
            continue;
        }
        const PgQuery__CommonTableExpr* cte = with->ctes[i]->common_table_expr;
        const std::string name = cte->ctename != nullptr ? cte->ctename : "";
        const Node* body = cte->ctequery;
        const int self_references =
            body == nullptr ? 0 : count_relation_references(&body->base, name);
        const int references = count_relation_references(owner, name) - self_references;
        const bool recursive = with->recursive && self_references > 0;
        const bool is_select = select_node(body) != nullptr;
        // PostgreSQL 12+ (subselect.c, SS_process_ctes) inlines a side-effect-free, non-recursive
        // CTE into the query that reads it when it is NOT MATERIALIZED or referenced only once.
        const bool inlined =
            is_select && !recursive &&
            (cte->ctematerialized == PG_QUERY__CTEMATERIALIZE__CTEMaterializeNever ||
             (cte->ctematerialized != PG_QUERY__CTEMATERIALIZE__CTEMaterializeAlways &&
              references == 1));
        CteEntry entry;
        entry.cte = cte;
        entry.inlined = inlined;
        entry.frame = &frame;
        entry.column_names = pg::string_list(cte->aliascolnames, cte->n_aliascolnames);
        frame.entries[name] = entry;
        if (inlined) {
            continue; // read where it is referenced
        }
        // A data-modifying CTE runs whether or not it is read; an unread SELECT does not run.
        if (!is_select && body != nullptr) {
            const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);
            if (body->node_case == PG_QUERY__NODE__NODE_INSERT_STMT) {
                insert_statement(body->insert_stmt);
            } else if (body->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT) {
                update_statement(body->update_stmt);
            } else if (body->node_case == PG_QUERY__NODE__NODE_DELETE_STMT) {
                delete_statement(body->delete_stmt);
            }
            continue;
        }
        if (references == 0 || !is_select) {
            continue;
        }
        // A materialized CTE is planned once on its own: the outer query's clauses stay outside.
        const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);
        if (recursive && entry.column_names.empty()) {
            // The recursive term reads the CTE's columns, named by the non-recursive term.
            const PgQuery__SelectStmt* seed = body->select_stmt;
            while (seed->larg != nullptr) {
                seed = seed->larg;
            }
            for (std::size_t t = 0; t < seed->n_target_list; ++t) {
                const auto* target = seed->target_list[t]->res_target;
                frame.entries[name].column_names.push_back(target->name != nullptr &&
                                                                   *target->name != '\0'
                                                               ? target->name
                                                               : figure_column_name(target->val));
            }
        }
        const BlockOutput output = select_block(body->select_stmt, outer, BlockOptions{});
        if (frame.entries[name].column_names.empty()) {
            for (const auto& column : output.columns) {
                frame.entries[name].column_names.push_back(column.name);
            }
        }
    }
}

// The target of an INSERT / UPDATE / DELETE: a scan, and the source its columns resolve in.
Source FactsBuilder::dml_target(const PgQuery__RangeVar* range_var, ScanMode mode) {
    const auto target = pg::range_var_name(range_var);
    const auto relation = extractor_.resolve_relation(target.schema, target.relation);
    const std::string visible = target.alias.empty() ? target.relation : target.alias;
    return scan_source(add_scan(relation, visible, mode), relation, visible, target.schema);
}

void FactsBuilder::insert_statement(const PgQuery__InsertStmt* stmt) {
    CteFrame frame;
    frame.outer = ctes_;
    if (stmt->with_clause != nullptr) {
        add_ctes(stmt->with_clause, &stmt->base, nullptr, frame);
    }
    const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);
    Scope scope;
    scope.sources.push_back(dml_target(stmt->relation, ScanMode::insert));
    const std::size_t scan = scope.sources.back().scan;
    if (const Node* source = select_node(stmt->select_stmt)) {
        select_block(source->select_stmt, nullptr, BlockOptions{});
    }
    if (const auto* conflict = stmt->on_conflict_clause) {
        if (conflict->infer != nullptr) {
            for (std::size_t i = 0; i < conflict->infer->n_index_elems; ++i) {
                const Node* element = conflict->infer->index_elems[i];
                if (element->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM) {
                    continue;
                }
                const auto* index_elem = element->index_elem;
                facts_.scans[scan].conflict_columns.push_back(
                    index_elem->name != nullptr && *index_elem->name != '\0'
                        ? std::string(index_elem->name)
                        : pg::canonical_expression(index_elem->expr));
            }
        }
        // DO UPDATE SET ... reads the proposed row as EXCLUDED.
        Source excluded;
        excluded.name = "excluded";
        scope.sources.push_back(excluded);
        for (std::size_t i = 0; i < conflict->n_target_list; ++i) {
            walk_expression(conflict->target_list[i], scope, Purpose::none);
        }
        walk_expression(conflict->where_clause, scope, Purpose::none);
    }
    returning(stmt->returning_list, stmt->n_returning_list, scope);
}

void FactsBuilder::update_statement(const PgQuery__UpdateStmt* stmt) {
    CteFrame frame;
    frame.outer = ctes_;
    if (stmt->with_clause != nullptr) {
        add_ctes(stmt->with_clause, &stmt->base, nullptr, frame);
    }
    const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);
    Scope scope;
    scope.sources.push_back(dml_target(stmt->relation, ScanMode::update));
    BlockOutput block;
    std::vector<std::size_t> added;
    for (std::size_t i = 0; i < stmt->n_from_clause; ++i) {
        from_item(stmt->from_clause[i], scope, added, block);
    }
    conditions(stmt->where_clause, scope, ConditionContext{});
    for (std::size_t i = 0; i < stmt->n_target_list; ++i) {
        walk_expression(stmt->target_list[i], scope, Purpose::none);
    }
    returning(stmt->returning_list, stmt->n_returning_list, scope);
}

void FactsBuilder::delete_statement(const PgQuery__DeleteStmt* stmt) {
    CteFrame frame;
    frame.outer = ctes_;
    if (stmt->with_clause != nullptr) {
        add_ctes(stmt->with_clause, &stmt->base, nullptr, frame);
    }
    const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);
    Scope scope;
    scope.sources.push_back(dml_target(stmt->relation, ScanMode::delete_));
    BlockOutput block;
    std::vector<std::size_t> added;
    for (std::size_t i = 0; i < stmt->n_using_clause; ++i) {
        from_item(stmt->using_clause[i], scope, added, block);
    }
    conditions(stmt->where_clause, scope, ConditionContext{});
    returning(stmt->returning_list, stmt->n_returning_list, scope);
}

void FactsBuilder::returning(Node* const* items, std::size_t count, const Scope& scope) {
    for (std::size_t i = 0; i < count; ++i) {
        const Node* item = items[i];
        if (item->node_case != PG_QUERY__NODE__NODE_RES_TARGET) {
            continue;
        }
        const Node* value = item->res_target->val;
        const auto name = pg::column_ref_name(value);
        if (name && name->star) {
            select_star(*name, scope, nullptr);
        } else {
            walk_expression(value, scope, Purpose::select);
        }
    }
}

// --- query blocks -------------------------------------------------------------------------

BlockOutput FactsBuilder::select_block(const PgQuery__SelectStmt* stmt, const Scope* outer,
                                       const BlockOptions& options) {
    BlockOutput block;
    if (stmt == nullptr || nesting_ >= max_nesting) {
        block.reach = Reach::opaque;
        return block;
    }
    const ScopedValue<int> nesting(nesting_, nesting_ + 1);
    CteFrame frame;
    frame.outer = ctes_;
    if (stmt->with_clause != nullptr) {
        add_ctes(stmt->with_clause, &stmt->base, outer, frame);
    }
    const ScopedValue<const CteFrame*> visible_ctes(ctes_, &frame);

    if (stmt->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
        stmt->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED) {
        block = set_operation(stmt, outer, options);
    } else if (stmt->n_values_lists > 0) {
        block = values_block(stmt, outer);
    } else {
        Scope scope;
        scope.outer = outer;
        std::vector<std::size_t> added;
        for (std::size_t i = 0; i < stmt->n_from_clause; ++i) {
            from_item(stmt->from_clause[i], scope, added, block);
        }
        conditions(stmt->where_clause, scope, ConditionContext{});
        block.columns =
            targets(stmt->target_list, stmt->n_target_list, scope, options.outputs_read);
        group_by(stmt, scope);
        walk_expression(stmt->having_clause, scope, Purpose::none);

        bool aggregates = stmt->having_clause != nullptr;
        bool window = false;
        for (std::size_t i = 0; i < stmt->n_target_list; ++i) {
            const Node* target = stmt->target_list[i];
            aggregates = aggregates || contains_aggregate_or_window(target);
            window = window || contains_window_function(target);
        }
        bool distinct_on = false;
        for (std::size_t i = 0; i < stmt->n_distinct_clause; ++i) {
            const Node* item = stmt->distinct_clause[i];
            distinct_on = distinct_on ||
                          (item != nullptr && item->node_case != PG_QUERY__NODE__NODE__NOT_SET);
        }
        const bool grouped = stmt->n_group_clause > 0 || aggregates;
        order_by(stmt, scope, !grouped && stmt->n_distinct_clause == 0);

        if (grouped || stmt->n_distinct_clause > 0 || stmt->n_sort_clause > 0) {
            block.reach = Reach::filters;
        }
        if (window || distinct_on || stmt->n_locking_clause > 0) {
            block.reach = Reach::opaque;
        }
        apply_limit(stmt, options.top_level, block);
        if (options.top_level) {
            facts_.aggregate_only = is_aggregate_only(stmt);
        }
    }
    return block;
}

BlockOutput FactsBuilder::set_operation(const PgQuery__SelectStmt* stmt, const Scope* outer,
                                        const BlockOptions& options) {
    BlockOptions branch_options;
    branch_options.outputs_read = options.outputs_read;
    const BlockOutput left = select_block(stmt->larg, outer, branch_options);
    const BlockOutput right = select_block(stmt->rarg, outer, branch_options);
    BlockOutput block;
    block.reach = Reach::filters;
    block.columns = left.columns;
    const auto weaken = [](std::vector<ColumnOrigin> origins, Reach reach) {
        for (auto& origin : origins) {
            origin.reach = std::min(origin.reach, reach);
        }
        return origins;
    };
    // A nested set operation is one of the branches of this one (the planner flattens them), so
    // its own reach, meant for a query reading it, does not apply between the two.
    const auto branch_reach = [](const PgQuery__SelectStmt* branch, const BlockOutput& output) {
        const bool nested = branch != nullptr &&
                            branch->op != PG_QUERY__SET_OPERATION__SETOP_NONE &&
                            branch->op != PG_QUERY__SET_OPERATION__SET_OPERATION_UNDEFINED;
        return nested ? std::max(output.reach, Reach::pulled_up) : output.reach;
    };
    for (std::size_t i = 0; i < block.columns.size(); ++i) {
        block.columns[i].origins = weaken(block.columns[i].origins, branch_reach(stmt->larg, left));
        if (i < right.columns.size()) {
            const auto more = weaken(right.columns[i].origins, branch_reach(stmt->rarg, right));
            block.columns[i].origins.insert(block.columns[i].origins.end(), more.begin(),
                                            more.end());
        }
    }
    for (const auto* branch : {&left, &right}) {
        if (branch->reach >= Reach::pulled_up) {
            block.flat_scans.insert(block.flat_scans.end(), branch->flat_scans.begin(),
                                    branch->flat_scans.end());
        }
    }
    // ORDER BY of a set operation names output columns, by position or by name.
    for (std::size_t i = 0; i < stmt->n_sort_clause; ++i) {
        const Node* item = stmt->sort_clause[i];
        if (item->node_case != PG_QUERY__NODE__NODE_SORT_BY) {
            continue;
        }
        const PgQuery__SortBy* sort = item->sort_by;
        const OutputColumn* column = nullptr;
        if (const auto position = pg::integer_value(pg::strip_casts(sort->node))) {
            if (*position >= 1 && static_cast<std::size_t>(*position) <= block.columns.size()) {
                column = &block.columns[*position - 1];
            }
        } else if (const auto name = bare_name(sort->node)) {
            for (const auto& candidate : block.columns) {
                if (candidate.name == *name) {
                    column = &candidate;
                    break;
                }
            }
        }
        if (column == nullptr) {
            continue;
        }
        for (const auto& origin : column->origins) {
            if (origin.reach < Reach::pulled_up) {
                continue;
            }
            ColumnUse use;
            use.column = origin.column;
            use.expression = origin.expression;
            use.role = ColumnRole::order;
            use.direction = sort->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC
                                ? SortDirection::descending
                                : SortDirection::ascending;
            add_use(origin.scan, use);
        }
    }
    apply_limit(stmt, options.top_level, block);
    return block;
}

void FactsBuilder::apply_limit(const PgQuery__SelectStmt* stmt, bool top_level,
                               BlockOutput& block) {
    const LimitClause limit = limit_clause(stmt->limit_count);
    const LimitClause offset = limit_clause(stmt->limit_offset);
    // The outer query's clauses cannot pass a LIMIT / OFFSET (allpaths.c,
    // subquery_is_pushdown_safe): they would change which rows it keeps.
    if (limit.present || offset.present) {
        block.reach = Reach::opaque;
    }
    if (limit.present) {
        for (const std::size_t scan : block.flat_scans) {
            facts_.scans[scan].limited = true;
        }
    }
    if (top_level) {
        facts_.has_limit = limit.present;
        facts_.limit = limit.value;
        facts_.has_offset = offset.present;
        facts_.offset = offset.value;
    }
}

BlockOutput FactsBuilder::values_block(const PgQuery__SelectStmt* stmt, const Scope* outer) {
    BlockOutput block;
    block.reach = Reach::opaque;
    Scope scope;
    scope.outer = outer;
    std::size_t width = 0;
    for (std::size_t i = 0; i < stmt->n_values_lists; ++i) {
        const Node* row = stmt->values_lists[i];
        walk_expression(row, scope, Purpose::none);
        if (row->node_case == PG_QUERY__NODE__NODE_LIST) {
            width = std::max(width, row->list->n_items);
        }
    }
    for (std::size_t i = 0; i < width; ++i) {
        block.columns.push_back(OutputColumn{"column" + std::to_string(i + 1), {}});
    }
    return block;
}

std::vector<OutputColumn> FactsBuilder::targets(Node* const* items, std::size_t count,
                                                const Scope& scope, bool outputs_read) {
    std::vector<OutputColumn> outputs;
    for (std::size_t i = 0; i < count; ++i) {
        if (items[i]->node_case != PG_QUERY__NODE__NODE_RES_TARGET) {
            continue;
        }
        const PgQuery__ResTarget* target = items[i]->res_target;
        const Node* value = target->val;
        const auto name = pg::column_ref_name(value);
        if (name && name->star) {
            if (outputs_read) {
                select_star(*name, scope, &outputs);
            }
            continue;
        }
        walk_expression(value, scope, outputs_read ? Purpose::select : Purpose::none);
        OutputColumn output;
        output.name = target->name != nullptr && *target->name != '\0' ? std::string(target->name)
                                                                       : figure_column_name(value);
        // Only a bare column (or an expression over one table's columns) carries facts about
        // the outer query's use of this output back to the table: a cast changes the ordering
        // and equality an index could offer.
        const Term term = origins_term(value, scope);
        if (term.kind == Term::Kind::columns && term.depth == 0) {
            output.origins = term.origins;
            for (auto& origin : output.origins) {
                if (!term.expression.empty()) {
                    origin.expression = term.expression;
                }
            }
        }
        outputs.push_back(std::move(output));
    }
    return outputs;
}

void FactsBuilder::select_star(const pg::ColumnRefName& name, const Scope& scope,
                               std::vector<OutputColumn>* outputs) {
    for (const auto& source : scope.sources) {
        if (!name.qualifier.empty() && source.name != name.qualifier) {
            continue;
        }
        if (source.is_scan) {
            facts_.scans[source.scan].select_star = true;
        }
        if (outputs != nullptr) {
            for (const auto& column : column_names(source)) {
                OutputColumn output;
                output.name = column;
                if (auto origins = origins_of(source, column)) {
                    output.origins = std::move(*origins);
                }
                outputs->push_back(std::move(output));
            }
        }
    }
}

// PostgreSQL resolves a bare ORDER BY name to an output column first (SQL-92), a GROUP BY name to
// an input column first (parse_clause.c, findTargetlistEntrySQL92); a number is a position.
const Node* FactsBuilder::sort_expression(const Node* node, const PgQuery__SelectStmt* stmt,
                                          const Scope& scope, bool output_names_first) const {
    const auto target_value = [&](std::size_t index) -> const Node* {
        const Node* target = stmt->target_list[index];
        return target->node_case == PG_QUERY__NODE__NODE_RES_TARGET ? target->res_target->val
                                                                    : nullptr;
    };
    const Node* inner = pg::strip_casts(node);
    if (inner != nullptr && inner->node_case == PG_QUERY__NODE__NODE_A_CONST) {
        const auto position = pg::integer_value(inner);
        if (position && *position >= 1 &&
            static_cast<std::size_t>(*position) <= stmt->n_target_list) {
            return target_value(*position - 1);
        }
        return nullptr;
    }
    const auto name = bare_name(node);
    if (!name) {
        return node;
    }
    if (!output_names_first && resolve(*pg::column_ref_name(node), scope)) {
        return node;
    }
    for (std::size_t i = 0; i < stmt->n_target_list; ++i) {
        const Node* target = stmt->target_list[i];
        if (target->node_case == PG_QUERY__NODE__NODE_RES_TARGET &&
            target->res_target->name != nullptr && *name == target->res_target->name) {
            return target_value(i);
        }
    }
    return node;
}

void FactsBuilder::order_by(const PgQuery__SelectStmt* stmt, const Scope& scope,
                            bool delivers_order) {
    std::vector<OrderKey> keys;
    std::optional<std::size_t> single_scan;
    bool one_scan = stmt->n_sort_clause > 0;
    for (std::size_t i = 0; i < stmt->n_sort_clause; ++i) {
        const Node* item = stmt->sort_clause[i];
        if (item->node_case != PG_QUERY__NODE__NODE_SORT_BY) {
            one_scan = false;
            continue;
        }
        const PgQuery__SortBy* sort = item->sort_by;
        walk_expression(sort->node, scope, Purpose::none);
        const Node* expression = sort_expression(sort->node, stmt, scope, true);
        const Term term = origins_term(expression, scope);
        const SortDirection direction = sort->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_DESC
                                            ? SortDirection::descending
                                            : SortDirection::ascending;
        const NullsOrder nulls = sort->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST
                                     ? NullsOrder::first
                                 : sort->sortby_nulls == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_LAST
                                     ? NullsOrder::last
                                     : NullsOrder::unspecified;
        if (term.kind != Term::Kind::columns || term.depth != 0 || term.origins.size() != 1 ||
            term.origins[0].reach < Reach::pulled_up ||
            sort->sortby_dir == PG_QUERY__SORT_BY_DIR__SORTBY_USING) {
            one_scan = false;
            continue;
        }
        const ColumnOrigin& origin = term.origins[0];
        ColumnUse use;
        use.column = origin.column;
        use.expression = term.expression.empty() ? origin.expression : term.expression;
        use.role = ColumnRole::order;
        use.direction = direction;
        use.nulls = nulls;
        keys.push_back(OrderKey{use.key(), direction, nulls});
        add_use(origin.scan, use);
        if (single_scan && *single_scan != origin.scan) {
            one_scan = false;
        }
        single_scan = origin.scan;
    }
    if (delivers_order && one_scan && single_scan) {
        facts_.scans[*single_scan].order_by = keys;
    }
}

void FactsBuilder::group_by(const PgQuery__SelectStmt* stmt, const Scope& scope) {
    for (std::size_t i = 0; i < stmt->n_group_clause; ++i) {
        const Node* item = stmt->group_clause[i];
        walk_expression(item, scope, Purpose::none);
        const Node* expression = sort_expression(item, stmt, scope, false);
        const Term term = origins_term(expression, scope);
        if (term.kind != Term::Kind::columns || term.depth != 0) {
            continue;
        }
        for (const auto& origin : term.origins) {
            if (origin.reach < Reach::pulled_up) {
                continue;
            }
            ColumnUse use;
            use.column = origin.column;
            use.expression = term.expression.empty() ? origin.expression : term.expression;
            use.role = ColumnRole::group;
            add_use(origin.scan, use);
        }
    }
}

// --- FROM ---------------------------------------------------------------------------------

std::size_t FactsBuilder::add_scan(const QueryFactsExtractor::Relation& relation,
                                   const std::string& alias, ScanMode mode) {
    TableScan scan;
    scan.table = relation.qualified_name;
    scan.alias = alias;
    scan.mode = mode;
    scan.in_catalog = relation.table != nullptr;
    scan.system_catalog = relation.system_catalog;
    scan.via_view = current_view_;
    if (relation.system_catalog) {
        system_tables_.insert(relation.qualified_name);
    } else if (relation.table == nullptr) {
        unknown_tables_.insert(relation.qualified_name);
    }
    facts_.scans.push_back(std::move(scan));
    scan_tables_.push_back(relation.table);
    return facts_.scans.size() - 1;
}

Source FactsBuilder::scan_source(std::size_t scan, const QueryFactsExtractor::Relation& relation,
                                 const std::string& visible_name, const std::string& schema) const {
    Source source;
    source.name = visible_name;
    source.schema = relation.table != nullptr ? relation.table->schema : schema;
    source.is_scan = true;
    source.scan = scan;
    source.table = relation.table;
    return source;
}

void FactsBuilder::from_item(const Node* item, Scope& scope, std::vector<std::size_t>& added,
                             BlockOutput& block) {
    if (item == nullptr) {
        return;
    }
    switch (item->node_case) {
    case PG_QUERY__NODE__NODE_RANGE_VAR:
        relation(item->range_var, scope, added, block);
        return;
    case PG_QUERY__NODE__NODE_RANGE_SUBSELECT: {
        const PgQuery__RangeSubselect* subselect = item->range_subselect;
        const Node* body = select_node(subselect->subquery);
        if (body == nullptr) {
            return;
        }
        // A LATERAL sub-select sees the FROM items before it; any other only outer levels.
        const BlockOutput output =
            select_block(body->select_stmt, subselect->lateral ? &scope : scope.outer, {});
        Source source;
        source.name = subselect->alias != nullptr && subselect->alias->aliasname != nullptr
                          ? subselect->alias->aliasname
                          : "";
        add_derived(std::move(source), output, subselect->alias, scope, added, block);
        return;
    }
    case PG_QUERY__NODE__NODE_JOIN_EXPR:
        join(item->join_expr, scope, added, block);
        return;
    case PG_QUERY__NODE__NODE_RANGE_FUNCTION: {
        const PgQuery__RangeFunction* function = item->range_function;
        for (std::size_t i = 0; i < function->n_functions; ++i) {
            walk_expression(function->functions[i], scope, Purpose::none);
        }
        Source source;
        source.name = function->alias != nullptr && function->alias->aliasname != nullptr
                          ? function->alias->aliasname
                          : "";
        for (const auto& column : alias_column_names(function->alias)) {
            source.columns.push_back(OutputColumn{column, {}});
        }
        added.push_back(scope.sources.size());
        scope.sources.push_back(std::move(source));
        return;
    }
    default:
        return;
    }
}

void FactsBuilder::add_derived(Source source, const BlockOutput& output,
                               const PgQuery__Alias* alias, Scope& scope,
                               std::vector<std::size_t>& added, BlockOutput& block) {
    source.columns = output.columns;
    for (auto& column : source.columns) {
        for (auto& origin : column.origins) {
            origin.reach = std::min(origin.reach, output.reach);
        }
    }
    const auto renamed = alias_column_names(alias);
    for (std::size_t i = 0; i < renamed.size() && i < source.columns.size(); ++i) {
        source.columns[i].name = renamed[i];
    }
    if (output.reach >= Reach::pulled_up) {
        block.flat_scans.insert(block.flat_scans.end(), output.flat_scans.begin(),
                                output.flat_scans.end());
    }
    added.push_back(scope.sources.size());
    scope.sources.push_back(std::move(source));
}

void FactsBuilder::relation(const PgQuery__RangeVar* range_var, Scope& scope,
                            std::vector<std::size_t>& added, BlockOutput& block) {
    const auto name = pg::range_var_name(range_var);
    const std::string visible = name.alias.empty() ? name.relation : name.alias;
    if (name.schema.empty() && ctes_ != nullptr) {
        if (const CteEntry* cte = ctes_->find(name.relation)) {
            Source source;
            source.name = visible;
            BlockOutput output;
            output.reach = Reach::opaque;
            if (cte->inlined && nesting_ < max_nesting) {
                const ScopedValue<const CteFrame*> defining_ctes(ctes_, cte->frame);
                output = select_block(cte->cte->ctequery->select_stmt, nullptr, {});
                const auto renamed =
                    pg::string_list(cte->cte->aliascolnames, cte->cte->n_aliascolnames);
                for (std::size_t i = 0; i < renamed.size() && i < output.columns.size(); ++i) {
                    output.columns[i].name = renamed[i];
                }
            } else {
                for (const auto& column : cte->column_names) {
                    output.columns.push_back(OutputColumn{column, {}});
                }
            }
            add_derived(std::move(source), output, range_var->alias, scope, added, block);
            return;
        }
    }
    const auto resolved = extractor_.resolve_relation(name.schema, name.relation);
    if (resolved.table != nullptr && resolved.table->kind == TableKind::view &&
        view_depth_ < max_view_depth) {
        // The rewriter replaces a view by its definition: a sub-select the planner pulls up.
        const pg::ParseOutcome parsed = pg::parse(resolved.table->view_definition);
        if (!parsed.error && parsed.tree.size() == 1 &&
            select_node(parsed.tree.statement_node(0)) != nullptr) {
            views_.insert(resolved.qualified_name);
            // A view's definition sees none of the query's CTEs.
            const ScopedValue<const CteFrame*> no_ctes(ctes_, nullptr);
            const ScopedValue<std::string> outermost_view(
                current_view_, current_view_.empty() ? resolved.qualified_name : current_view_);
            const ScopedValue<int> depth(view_depth_, view_depth_ + 1);
            const BlockOutput output =
                select_block(parsed.tree.statement_node(0)->select_stmt, nullptr, {});
            Source source;
            source.name = visible;
            source.schema = resolved.table->schema;
            add_derived(std::move(source), output, range_var->alias, scope, added, block);
            return;
        }
    }
    const std::size_t scan = add_scan(resolved, visible, ScanMode::read);
    added.push_back(scope.sources.size());
    scope.sources.push_back(scan_source(scan, resolved, visible, name.schema));
    block.flat_scans.push_back(scan);
}

void FactsBuilder::join(const PgQuery__JoinExpr* join, Scope& scope,
                        std::vector<std::size_t>& added, BlockOutput& block) {
    std::vector<std::size_t> left;
    std::vector<std::size_t> right;
    from_item(join->larg, scope, left, block);
    from_item(join->rarg, scope, right, block);
    added.insert(added.end(), left.begin(), left.end());
    added.insert(added.end(), right.begin(), right.end());

    const auto scans_of = [&](const std::vector<std::size_t>& sources) {
        std::set<std::size_t> scans;
        for (const std::size_t index : sources) {
            const Source& source = scope.sources[index];
            if (source.is_scan) {
                scans.insert(source.scan);
            }
            for (const auto& column : source.columns) {
                for (const auto& origin : column.origins) {
                    scans.insert(origin.scan);
                }
            }
        }
        return scans;
    };
    // An outer join's ON restricts only the nullable side's rows.
    std::set<std::size_t> restricted;
    ConditionContext context;
    switch (join->jointype) {
    case PG_QUERY__JOIN_TYPE__JOIN_LEFT:
        restricted = scans_of(right);
        context.restricted = &restricted;
        break;
    case PG_QUERY__JOIN_TYPE__JOIN_RIGHT:
        restricted = scans_of(left);
        context.restricted = &restricted;
        break;
    case PG_QUERY__JOIN_TYPE__JOIN_FULL:
        context.restricted = &restricted;
        break;
    default:
        break;
    }

    std::vector<std::string> using_columns =
        pg::string_list(join->using_clause, join->n_using_clause);
    if (join->is_natural) {
        std::set<std::string> left_names;
        for (const std::size_t index : left) {
            for (const auto& column : column_names(scope.sources[index])) {
                left_names.insert(column);
            }
        }
        for (const std::size_t index : right) {
            for (const auto& column : column_names(scope.sources[index])) {
                if (left_names.count(column) > 0 &&
                    std::find(using_columns.begin(), using_columns.end(), column) ==
                        using_columns.end()) {
                    using_columns.push_back(column);
                }
            }
        }
    }
    for (const auto& column : using_columns) {
        pg::ColumnRefName name;
        name.column = column;
        const auto left_origins = resolve_in(name, scope.sources, &left);
        const auto right_origins = resolve_in(name, scope.sources, &right);
        if (!left_origins || !right_origins) {
            continue;
        }
        Term left_term;
        left_term.kind = Term::Kind::columns;
        left_term.origins = *left_origins;
        Term right_term;
        right_term.kind = Term::Kind::columns;
        right_term.origins = *right_origins;
        join_terms(left_term, right_term, context);
    }
    conditions(join->quals, scope, context);
}

// --- column resolution --------------------------------------------------------------------

std::vector<std::string> FactsBuilder::column_names(const Source& source) const {
    std::vector<std::string> names;
    if (source.is_scan) {
        if (source.table != nullptr) {
            for (const auto& column : source.table->columns) {
                names.push_back(column.name);
            }
        }
        return names;
    }
    for (const auto& column : source.columns) {
        names.push_back(column.name);
    }
    return names;
}

std::optional<std::vector<ColumnOrigin>> FactsBuilder::origins_of(const Source& source,
                                                                  const std::string& column) const {
    if (source.is_scan) {
        ColumnOrigin origin;
        origin.scan = source.scan;
        origin.column = column;
        return std::vector<ColumnOrigin>{origin};
    }
    for (const auto& output : source.columns) {
        if (output.name == column) {
            return output.origins;
        }
    }
    return std::nullopt;
}

std::optional<std::vector<ColumnOrigin>>
FactsBuilder::resolve_in(const pg::ColumnRefName& name, const std::vector<Source>& sources,
                         const std::vector<std::size_t>* subset) const {
    std::vector<const Source*> candidates;
    if (subset != nullptr) {
        for (const std::size_t index : *subset) {
            candidates.push_back(&sources[index]);
        }
    } else {
        for (const auto& source : sources) {
            candidates.push_back(&source);
        }
    }
    if (!name.qualifier.empty()) {
        for (const Source* source : candidates) {
            if (source->name == name.qualifier &&
                (name.schema.empty() || source->schema == name.schema)) {
                // A qualified name the catalog does not know is still that table's column.
                return origins_of(*source, name.column);
            }
        }
        return std::nullopt;
    }
    const Source* match = nullptr;
    int matches = 0;
    const Source* columns_unknown = nullptr;
    int columns_unknown_count = 0;
    for (const Source* source : candidates) {
        if (source->is_scan) {
            // A materialized view is stored without its column list: as unknown as a table
            // missing from the catalog.
            if (source->table == nullptr || source->table->columns.empty()) {
                columns_unknown = source;
                ++columns_unknown_count;
            } else if (source->table->find_column(name.column) != nullptr) {
                match = source;
                ++matches;
            }
            continue;
        }
        for (const auto& output : source->columns) {
            if (output.name == name.column) {
                match = source;
                ++matches;
                break;
            }
        }
    }
    if (matches == 1) {
        return origins_of(*match, name.column);
    }
    if (matches > 1) {
        return std::vector<ColumnOrigin>{}; // ambiguous: PostgreSQL would reject the query
    }
    // A table of unknown columns may hold the column when it is the only candidate.
    if (columns_unknown_count == 1) {
        return origins_of(*columns_unknown, name.column);
    }
    return std::nullopt;
}

std::optional<Resolved> FactsBuilder::resolve(const pg::ColumnRefName& name,
                                              const Scope& scope) const {
    int depth = 0;
    for (const Scope* level = &scope; level != nullptr; level = level->outer, ++depth) {
        if (auto origins = resolve_in(name, level->sources, nullptr)) {
            return Resolved{std::move(*origins), depth};
        }
    }
    return std::nullopt;
}

// A column, or an expression whose columns all belong to one table scan.
Term FactsBuilder::origins_term(const Node* node, const Scope& scope) const {
    Term term;
    if (node == nullptr) {
        return term;
    }
    if (node->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
        const auto name = pg::column_ref_name(node);
        if (!name || name->star) {
            return term;
        }
        if (auto resolved = resolve(*name, scope)) {
            term.kind = Term::Kind::columns;
            term.origins = std::move(resolved->origins);
            term.depth = resolved->depth;
        }
        return term;
    }
    if (node->node_case == PG_QUERY__NODE__NODE_A_CONST ||
        node->node_case == PG_QUERY__NODE__NODE_PARAM_REF ||
        node->node_case == PG_QUERY__NODE__NODE_SUB_LINK || contains_aggregate_or_window(node)) {
        return term;
    }
    const auto refs = column_refs_outside_sublinks(node);
    if (refs.empty()) {
        return term;
    }
    std::optional<ColumnOrigin> first;
    Reach reach = Reach::direct;
    for (const Node* ref : refs) {
        const auto name = pg::column_ref_name(ref);
        if (!name || name->star) {
            return term;
        }
        const auto resolved = resolve(*name, scope);
        // The expression text names columns as the table does, so every column must come
        // straight from that one table (not renamed by a sub-select).
        if (!resolved || resolved->depth != 0 || resolved->origins.size() != 1 ||
            !resolved->origins[0].expression.empty() ||
            resolved->origins[0].column != name->column ||
            (first && first->scan != resolved->origins[0].scan)) {
            return term;
        }
        reach = std::min(reach, resolved->origins[0].reach);
        if (!first) {
            first = resolved->origins[0];
        }
    }
    term.kind = Term::Kind::columns;
    first->reach = reach;
    term.origins = {*first};
    term.expression = pg::canonical_expression(node);
    return term;
}

Term FactsBuilder::describe(const Node* node, const Scope& scope) const {
    Term term;
    const Node* inner = pg::strip_casts(node);
    if (inner == nullptr) {
        return term;
    }
    switch (inner->node_case) {
    case PG_QUERY__NODE__NODE_A_CONST:
        term.kind = Term::Kind::value;
        term.value = Operand::constant;
        return term;
    case PG_QUERY__NODE__NODE_PARAM_REF:
        term.kind = Term::Kind::value;
        term.value = Operand::parameter;
        return term;
    case PG_QUERY__NODE__NODE_SUB_LINK:
        term.kind = Term::Kind::value;
        term.value = Operand::expression;
        return term;
    default:
        break;
    }
    const auto refs = column_refs_outside_sublinks(inner);
    if (refs.empty()) {
        if (!contains_aggregate_or_window(inner)) {
            term.kind = Term::Kind::value;
            term.value = Operand::expression; // now(), $1 + 1, ARRAY[1, 2]
        }
        return term;
    }
    term = origins_term(inner, scope);
    if (term.kind == Term::Kind::columns) {
        return term;
    }
    // Columns of outer query levels only: a value for each execution of this block.
    bool only_outer = true;
    for (const Node* ref : refs) {
        const auto name = pg::column_ref_name(ref);
        const auto resolved = name ? resolve(*name, scope) : std::nullopt;
        only_outer = only_outer && resolved && resolved->depth > 0;
    }
    if (only_outer && !contains_aggregate_or_window(inner)) {
        term.kind = Term::Kind::value;
        term.value = Operand::expression;
    }
    return term;
}

// --- conditions ---------------------------------------------------------------------------

void FactsBuilder::conditions(const Node* node, const Scope& scope,
                              const ConditionContext& context) {
    if (node == nullptr) {
        return;
    }
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_BOOL_EXPR: {
        const PgQuery__BoolExpr* expression = node->bool_expr;
        if (expression->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR) {
            for (std::size_t i = 0; i < expression->n_args; ++i) {
                conditions(expression->args[i], scope, context);
            }
        } else if (expression->boolop == PG_QUERY__BOOL_EXPR_TYPE__OR_EXPR) {
            ConditionContext disjunct = context;
            disjunct.under_or = true;
            for (std::size_t i = 0; i < expression->n_args; ++i) {
                conditions(expression->args[i], scope, disjunct);
            }
        } else if (expression->n_args == 1) {
            const Node* argument = expression->args[0];
            if (pg::is_column_ref(pg::strip_casts(argument))) {
                boolean_test(argument, false, scope, context);
            } else {
                // NOT EXISTS / NOT IN: the sub-select still reads its tables.
                walk_expression(argument, scope, Purpose::none);
            }
        }
        return;
    }
    case PG_QUERY__NODE__NODE_A_EXPR:
        comparison(node->a_expr, scope, context);
        return;
    case PG_QUERY__NODE__NODE_NULL_TEST:
        null_test(node->null_test, scope, context);
        return;
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST: {
        const PgQuery__BooleanTest* test = node->boolean_test;
        if (test->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_TRUE) {
            boolean_test(test->arg, true, scope, context);
        } else if (test->booltesttype == PG_QUERY__BOOL_TEST_TYPE__IS_FALSE) {
            boolean_test(test->arg, false, scope, context);
        } else {
            walk_expression(test->arg, scope, Purpose::none);
        }
        return;
    }
    case PG_QUERY__NODE__NODE_COLUMN_REF:
    case PG_QUERY__NODE__NODE_TYPE_CAST:
        if (pg::is_column_ref(pg::strip_casts(node))) {
            boolean_test(node, true, scope, context);
        } else {
            walk_expression(node, scope, Purpose::none);
        }
        return;
    case PG_QUERY__NODE__NODE_SUB_LINK:
        sublink(node->sub_link, scope, context);
        return;
    default:
        walk_expression(node, scope, Purpose::none);
        return;
    }
}

void FactsBuilder::comparison(const PgQuery__AExpr* expression, const Scope& scope,
                              const ConditionContext& context) {
    const std::string op = pg::operator_name(expression);
    switch (expression->kind) {
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP:
        if (op == "=") {
            compare(expression->lexpr, expression->rexpr, ColumnRole::eq, op, scope, context);
        } else if (is_range_operator(op)) {
            compare(expression->lexpr, expression->rexpr, ColumnRole::range, op, scope, context);
        } else if (is_containment_operator(op)) {
            compare(expression->lexpr, expression->rexpr, ColumnRole::json_contains, op, scope,
                    context);
        } else if (op == "~~") {
            like(expression->lexpr, expression->rexpr, scope, context);
        } else if (op == "<>" || op == "!=" || op == "~~*" || op == "~" || op == "~*") {
            // Not indexable by btree, but strict: the column is not null where the clause holds.
            Restriction restriction;
            restriction.predicate = PredicateKind::strict_comparison;
            const Term left = describe(expression->lexpr, scope);
            if (left.kind == Term::Kind::columns &&
                describe(expression->rexpr, scope).kind == Term::Kind::value) {
                restrict_term(left, restriction, context);
            }
        }
        break;
    case PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY:
        if (op == "=") {
            in_list(expression->lexpr, expression->rexpr, true, scope, context);
        }
        break;
    case PG_QUERY__A__EXPR__KIND__AEXPR_IN:
        if (op == "=") {
            in_list(expression->lexpr, expression->rexpr, false, scope, context);
        }
        break;
    case PG_QUERY__A__EXPR__KIND__AEXPR_LIKE:
        if (op == "~~") {
            like(expression->lexpr, expression->rexpr, scope, context);
        }
        break;
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN:
    case PG_QUERY__A__EXPR__KIND__AEXPR_BETWEEN_SYM:
        between(expression->lexpr, expression->rexpr, scope, context);
        break;
    default:
        break;
    }
    // Sub-selects and JSON paths inside the operands.
    walk_expression(expression->lexpr, scope, Purpose::none);
    walk_expression(expression->rexpr, scope, Purpose::none);
}

void FactsBuilder::compare(const Node* left, const Node* right, ColumnRole role,
                           const std::string& op, const Scope& scope,
                           const ConditionContext& context) {
    const Term left_term = describe(left, scope);
    const Term right_term = describe(right, scope);
    const bool left_column = left_term.kind == Term::Kind::columns;
    const bool right_column = right_term.kind == Term::Kind::columns;
    if (left_column && right_column) {
        if (role == ColumnRole::eq) {
            join_terms(left_term, right_term, context);
        } else if (role == ColumnRole::range) {
            // t.a < u.b: each side is a range bound of the other's (a parameterized scan).
            Restriction restriction;
            restriction.role = ColumnRole::range;
            restriction.operand = Operand::column;
            restriction.op = op;
            restrict_term(left_term, restriction, context);
            restriction.op = commutator(op);
            restrict_term(right_term, restriction, context);
        }
        return;
    }
    const Term* column = nullptr;
    const Term* value = nullptr;
    const Node* value_node = nullptr;
    std::string column_op = op;
    if (left_column && right_term.kind == Term::Kind::value) {
        column = &left_term;
        value = &right_term;
        value_node = right;
    } else if (right_column && left_term.kind == Term::Kind::value) {
        // 6412 = t.parent_id (SQLAlchemy's lazy loads) is t.parent_id = 6412.
        column = &right_term;
        value = &left_term;
        value_node = left;
        column_op = commutator(op);
        if (column_op.empty()) {
            return; // 'key' ? col has no commutator
        }
    } else {
        return;
    }
    Restriction restriction;
    restriction.role = role;
    restriction.operand = value->value;
    restriction.op = role == ColumnRole::eq ? "" : column_op;
    restriction.value_node = value_node;
    restriction.predicate = PredicateKind::strict_comparison;
    if (role == ColumnRole::eq && value->value == Operand::constant) {
        if (const auto literal = pg::literal_text(value_node)) {
            restriction.predicate = PredicateKind::equals;
            restriction.predicate_value = *literal;
        }
    }
    restrict_term(*column, restriction, context);
}

Operand FactsBuilder::operand_of_list(const std::vector<const Node*>& items,
                                      const Scope& scope) const {
    Operand operand = Operand::constant;
    for (const Node* item : items) {
        const Term term = describe(item, scope);
        if (term.kind != Term::Kind::value) {
            return Operand::none;
        }
        if (term.value == Operand::expression) {
            operand = Operand::expression;
        } else if (term.value == Operand::parameter && operand == Operand::constant) {
            operand = Operand::parameter;
        }
    }
    return operand;
}

void FactsBuilder::in_list(const Node* left, const Node* right, bool any_array, const Scope& scope,
                           const ConditionContext& context) {
    const Term column = describe(left, scope);
    if (column.kind != Term::Kind::columns) {
        return;
    }
    Restriction restriction;
    restriction.role = ColumnRole::in;
    restriction.predicate = PredicateKind::strict_comparison;
    if (any_array) {
        // col = ANY($1), col = ANY('{1,2}'), col = ANY(ARRAY[1, 2])
        const Node* array = pg::strip_casts(right);
        std::vector<const Node*> items;
        if (array != nullptr && array->node_case == PG_QUERY__NODE__NODE_A_ARRAY_EXPR) {
            items.assign(array->a_array_expr->elements,
                         array->a_array_expr->elements + array->a_array_expr->n_elements);
        } else {
            items.push_back(right);
        }
        restriction.operand = operand_of_list(items, scope);
    } else {
        if (right == nullptr || right->node_case != PG_QUERY__NODE__NODE_LIST) {
            return;
        }
        const std::vector<const Node*> items(right->list->items,
                                             right->list->items + right->list->n_items);
        restriction.operand = operand_of_list(items, scope);
        // The parser turns a one-element IN list into = (parse_expr.c, transformAExprIn).
        if (items.size() == 1 && restriction.operand != Operand::none) {
            ConditionContext listed = context;
            listed.in_list = true;
            compare(left, items[0], ColumnRole::eq, "=", scope, listed);
            return;
        }
    }
    if (restriction.operand == Operand::none) {
        return;
    }
    restrict_term(column, restriction, context);
}

void FactsBuilder::like(const Node* left, const Node* pattern, const Scope& scope,
                        const ConditionContext& context) {
    const Term column = describe(left, scope);
    const Term value = describe(pattern, scope);
    if (column.kind != Term::Kind::columns || value.kind != Term::Kind::value) {
        return;
    }
    Restriction restriction;
    restriction.predicate = PredicateKind::strict_comparison;
    // A btree can serve LIKE only for a constant pattern with a fixed prefix (indxpath.c,
    // match_pattern_prefix): 'abc%' yes, '%abc' or $1 no.
    const auto text = pg::literal_text(pattern);
    if (value.value == Operand::constant && text && !text->empty() && text->front() != '%' &&
        text->front() != '_') {
        restriction.role = ColumnRole::like_prefix;
        restriction.operand = Operand::constant;
        restriction.op = "~~";
    }
    restrict_term(column, restriction, context);
}

void FactsBuilder::between(const Node* left, const Node* bounds, const Scope& scope,
                           const ConditionContext& context) {
    const Term column = describe(left, scope);
    if (column.kind != Term::Kind::columns || bounds == nullptr ||
        bounds->node_case != PG_QUERY__NODE__NODE_LIST) {
        return;
    }
    const std::vector<const Node*> items(bounds->list->items,
                                         bounds->list->items + bounds->list->n_items);
    Restriction restriction;
    restriction.role = ColumnRole::range;
    restriction.operand = operand_of_list(items, scope);
    restriction.op = "between";
    restriction.predicate = PredicateKind::strict_comparison;
    if (restriction.operand != Operand::none) {
        restrict_term(column, restriction, context);
    }
}

void FactsBuilder::null_test(const PgQuery__NullTest* test, const Scope& scope,
                             const ConditionContext& context) {
    const Term column = describe(test->arg, scope);
    if (column.kind != Term::Kind::columns) {
        walk_expression(test->arg, scope, Purpose::none);
        return;
    }
    Restriction restriction;
    if (test->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL) {
        restriction.role = ColumnRole::is_null;
        restriction.predicate = PredicateKind::is_null;
    } else {
        restriction.predicate = PredicateKind::is_not_null;
    }
    restrict_term(column, restriction, context);
    walk_expression(test->arg, scope, Purpose::none);
}

// `WHERE active`, `NOT active`, `active IS TRUE`: the planner matches these to an index on the
// boolean column as active = true / false (indxpath.c, match_boolean_index_clause).
void FactsBuilder::boolean_test(const Node* column_node, bool value, const Scope& scope,
                                const ConditionContext& context) {
    const Term column = describe(column_node, scope);
    if (column.kind != Term::Kind::columns) {
        return;
    }
    Restriction restriction;
    restriction.role = ColumnRole::eq;
    restriction.operand = Operand::constant;
    restriction.predicate = value ? PredicateKind::is_true : PredicateKind::is_false;
    restrict_term(column, restriction, context);
}

void FactsBuilder::restrict_term(const Term& term, const Restriction& restriction,
                                 const ConditionContext& context) {
    if (term.depth != 0) {
        return; // a clause on an outer query's column restricts nothing here
    }
    for (const auto& origin : term.origins) {
        if (origin.reach < Reach::filters ||
            (context.restricted != nullptr && context.restricted->count(origin.scan) == 0)) {
            continue;
        }
        const std::string expression =
            term.expression.empty() ? origin.expression : term.expression;
        if (restriction.role) {
            ColumnUse use;
            use.column = origin.column;
            use.expression = expression;
            use.role = *restriction.role;
            use.operand = restriction.operand;
            use.operator_name = restriction.op;
            use.under_or = context.under_or;
            use.written_as_list = context.in_list || use.role == ColumnRole::in;
            add_use(origin.scan, use);
        }
        if (!restriction.predicate || context.under_or || !expression.empty()) {
            continue;
        }
        ScanPredicate predicate;
        predicate.column = origin.column;
        predicate.kind = *restriction.predicate;
        predicate.value = restriction.predicate_value;
        if (predicate.kind == PredicateKind::equals) {
            // col = true on a boolean column is the boolean test itself.
            const auto boolean = pg::literal_bool(restriction.value_node);
            const Node* literal = pg::strip_casts(restriction.value_node);
            const bool boolean_literal =
                literal != nullptr && literal->node_case == PG_QUERY__NODE__NODE_A_CONST &&
                literal->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL;
            if (boolean && (boolean_literal || is_boolean_column(origin.scan, origin.column))) {
                predicate.kind = *boolean ? PredicateKind::is_true : PredicateKind::is_false;
                predicate.value.clear();
            }
        }
        add_predicate(origin.scan, predicate);
    }
}

void FactsBuilder::join_terms(const Term& left, const Term& right,
                              const ConditionContext& context) {
    // Join columns reach a table through pulled-up sub-selects only: a sub-select planned on its
    // own cannot take the other side's value as an index key.
    const auto joinable = [](const ColumnOrigin& origin) {
        return origin.reach >= Reach::pulled_up;
    };
    // The other side is a column of a CTE scan, a grouped sub-select or a function: still a
    // join column of this side, with no table to name as its partner.
    if (left.origins.empty() != right.origins.empty()) {
        const Term& known = left.origins.empty() ? right : left;
        for (const auto& origin : known.origins) {
            if (!joinable(origin)) {
                continue;
            }
            ColumnUse use;
            use.column = origin.column;
            use.expression = known.expression.empty() ? origin.expression : known.expression;
            use.role = ColumnRole::join;
            use.operand = Operand::column;
            use.under_or = context.under_or;
            add_use(origin.scan, use);
        }
        return;
    }
    for (const auto& a : left.origins) {
        for (const auto& b : right.origins) {
            if (!joinable(a) || !joinable(b) || a.scan == b.scan) {
                continue;
            }
            const auto add = [&](const ColumnOrigin& self, const Term& self_term,
                                 const ColumnOrigin& other) {
                ColumnUse use;
                use.column = self.column;
                use.expression =
                    self_term.expression.empty() ? self.expression : self_term.expression;
                use.role = ColumnRole::join;
                use.operand = Operand::column;
                use.joined_table = facts_.scans[other.scan].table;
                use.joined_column = other.column;
                use.under_or = context.under_or;
                add_use(self.scan, use);
            };
            add(a, left, b);
            add(b, right, a);
        }
    }
}

void FactsBuilder::sublink(const PgQuery__SubLink* link, const Scope& scope,
                           const ConditionContext& context) {
    const Node* body = select_node(link->subselect);
    if (body == nullptr) {
        walk_expression(link->testexpr, scope, Purpose::none);
        return;
    }
    BlockOptions options;
    // EXISTS (SELECT * ...) does not evaluate its select list.
    options.outputs_read = link->sub_link_type != PG_QUERY__SUB_LINK_TYPE__EXISTS_SUBLINK;
    const BlockOutput output = select_block(body->select_stmt, &scope, options);
    walk_expression(link->testexpr, scope, Purpose::none);
    // x IN (SELECT y ...) is a semi-join on x = y (subselect.c, convert_ANY_sublink_to_join).
    if (link->sub_link_type != PG_QUERY__SUB_LINK_TYPE__ANY_SUBLINK || output.columns.empty() ||
        link->testexpr == nullptr) {
        return;
    }
    const Term outer = describe(link->testexpr, scope);
    if (outer.kind != Term::Kind::columns) {
        return;
    }
    Term inner;
    inner.kind = Term::Kind::columns;
    inner.origins = output.columns[0].origins;
    for (auto& origin : inner.origins) {
        origin.reach = std::min(origin.reach, output.reach);
    }
    join_terms(outer, inner, context);
}

// --- expressions --------------------------------------------------------------------------

bool FactsBuilder::json_path(const Node* node, const Scope& scope, Purpose purpose) {
    if (node->node_case != PG_QUERY__NODE__NODE_A_EXPR ||
        node->a_expr->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP) {
        return false;
    }
    const std::string op = pg::operator_name(node->a_expr);
    if (!is_json_path_operator(op)) {
        return false;
    }
    // data -> 'a' ->> 'b': follow the chain down to the column.
    const Node* base = pg::strip_casts(node->a_expr->lexpr);
    while (base != nullptr && base->node_case == PG_QUERY__NODE__NODE_A_EXPR &&
           is_json_path_operator(pg::operator_name(base->a_expr))) {
        base = pg::strip_casts(base->a_expr->lexpr);
    }
    if (!pg::is_column_ref(base)) {
        return false;
    }
    const Term term = origins_term(node, scope);
    if (term.kind == Term::Kind::columns && term.depth == 0) {
        const Reach needed = purpose == Purpose::select ? Reach::direct : Reach::filters;
        for (const auto& origin : term.origins) {
            if (origin.reach < needed) {
                continue;
            }
            ColumnUse use;
            use.column = origin.column;
            use.expression = term.expression;
            use.role = ColumnRole::json_path;
            use.operator_name = op;
            add_use(origin.scan, use);
        }
    }
    walk_expression(node->a_expr->rexpr, scope, Purpose::none);
    return true;
}

void FactsBuilder::walk_expression(const Node* node, const Scope& scope, Purpose purpose) {
    if (node == nullptr) {
        return;
    }
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_COLUMN_REF: {
        if (purpose != Purpose::select) {
            return;
        }
        const auto name = pg::column_ref_name(node);
        if (!name || name->star) {
            return;
        }
        // Columns read through a sub-select are recorded by the sub-select's own select list.
        if (const auto resolved = resolve(*name, scope)) {
            for (const auto& origin : resolved->origins) {
                if (origin.reach == Reach::direct) {
                    ColumnUse use;
                    use.column = origin.column;
                    use.role = ColumnRole::select;
                    add_use(origin.scan, use);
                }
            }
        }
        return;
    }
    case PG_QUERY__NODE__NODE_SUB_LINK:
        sublink(node->sub_link, scope);
        return;
    case PG_QUERY__NODE__NODE_A_EXPR:
        if (json_path(node, scope, purpose)) {
            return;
        }
        break;
    default:
        break;
    }
    for (const Node* child : pg::child_nodes(node)) {
        walk_expression(child, scope, purpose);
    }
}

void FactsBuilder::add_use(std::size_t scan, ColumnUse use) {
    use.table = facts_.scans[scan].table;
    auto& uses = facts_.scans[scan].uses;
    if (std::find(uses.begin(), uses.end(), use) == uses.end()) {
        uses.push_back(std::move(use));
    }
}

void FactsBuilder::add_predicate(std::size_t scan, ScanPredicate predicate) {
    auto& predicates = facts_.scans[scan].predicates;
    if (std::find(predicates.begin(), predicates.end(), predicate) == predicates.end()) {
        predicates.push_back(std::move(predicate));
    }
}

bool FactsBuilder::is_boolean_column(std::size_t scan, const std::string& column) const {
    const Table* table = scan_tables_[scan];
    const Column* found = table != nullptr ? table->find_column(column) : nullptr;
    return found != nullptr && found->type == "boolean";
}

bool is_system_schema(const std::string& schema) {
    return schema == "pg_catalog" || schema == "information_schema";
}

} // namespace

// --- extractor ----------------------------------------------------------------------------

QueryFactsExtractor::QueryFactsExtractor(const Catalog& catalog, FactsOptions options)
    : catalog_(catalog), options_(std::move(options)) {
    for (const auto& [qualified_name, table] : catalog_.tables) {
        tables_by_name_[table.name].push_back(qualified_name);
    }
}

QueryFactsExtractor::Relation QueryFactsExtractor::resolve_relation(const std::string& schema,
                                                                    const std::string& name) const {
    Relation relation;
    if (!schema.empty()) {
        relation.qualified_name = schema + "." + name;
        relation.table = catalog_.find_table(relation.qualified_name);
        relation.system_catalog = relation.table == nullptr && is_system_schema(schema);
        return relation;
    }
    for (const auto& path_schema : options_.search_path) {
        const std::string qualified = path_schema + "." + name;
        if (const Table* table = catalog_.find_table(qualified)) {
            relation.qualified_name = qualified;
            relation.table = table;
            return relation;
        }
    }
    // pg_catalog is searched before the search_path unless listed in it (catalog.c,
    // recomputeNamespacePath); its relations are all named pg_*.
    if (name.starts_with("pg_")) {
        relation.qualified_name = "pg_catalog." + name;
        relation.system_catalog = true;
        return relation;
    }
    const auto it = tables_by_name_.find(name);
    if (it != tables_by_name_.end() && it->second.size() == 1) {
        relation.qualified_name = it->second.front();
        relation.table = catalog_.find_table(relation.qualified_name);
        return relation;
    }
    const std::string first_schema =
        options_.search_path.empty() ? std::string("public") : options_.search_path.front();
    relation.qualified_name = first_schema + "." + name;
    return relation;
}

QueryFacts QueryFactsExtractor::extract(const pg::Node* statement) const {
    QueryFacts facts;
    FactsBuilder builder(*this, facts);
    builder.statement(statement, true);
    builder.finish();
    return facts;
}

QueryFacts QueryFactsExtractor::extract(const std::string& sql) const {
    QueryFacts facts;
    const pg::ParseOutcome parsed = pg::parse(sql);
    if (parsed.error) {
        facts.error = parsed.error->message;
        return facts;
    }
    FactsBuilder builder(*this, facts);
    for (std::size_t i = 0; i < parsed.tree.size(); ++i) {
        builder.statement(parsed.tree.statement_node(i), i == 0);
    }
    builder.finish();
    return facts;
}

QueryFacts extract_query_facts(const pg::Node* statement, const Catalog& catalog) {
    return QueryFactsExtractor(catalog).extract(statement);
}

QueryFacts extract_query_facts(const std::string& sql, const Catalog& catalog) {
    return QueryFactsExtractor(catalog).extract(sql);
}

} // namespace parsers
