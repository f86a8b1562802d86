// FactsBuilder: the walk behind QueryFactsExtractor::extract, which reads one statement's parse
// tree into QueryFacts, and the values it passes between query blocks: what a block offers the
// block reading it (BlockOutput, and how far its clauses reach the tables below: Reach), the FROM
// items column references resolve in (Source, Scope), the CTEs in view (CteFrame). Private to
// parsers/query_facts/; each group of member functions below names the file that defines it.
#pragma once

#include "parsers/catalog.hpp"
#include "parsers/pg_expr.hpp"
#include "parsers/pg_tree.hpp"
#include "parsers/query_facts.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace parsers::query_facts {

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

// Questions about parse-tree nodes that several parts of the walk ask (tree_helpers.cpp).
bool contains_window_function(const Node* node);
bool contains_aggregate_or_window(const Node* node);
std::string figure_column_name(const Node* node);
const Node* select_node(const Node* node);

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
    // Statements, their WITH clauses and RETURNING lists (statements.cpp).
    void add_ctes(const PgQuery__WithClause* with, const ProtobufCMessage* owner,
                  const Scope* outer, CteFrame& frame);
    Source dml_target(const PgQuery__RangeVar* range_var, ScanMode mode);
    void insert_statement(const PgQuery__InsertStmt* stmt);
    void update_statement(const PgQuery__UpdateStmt* stmt);
    void delete_statement(const PgQuery__DeleteStmt* stmt);
    void returning(Node* const* items, std::size_t count, const Scope& scope);

    // Query blocks, their select lists, ORDER BY and GROUP BY (query_blocks.cpp).
    BlockOutput select_block(const PgQuery__SelectStmt* stmt, const Scope* outer,
                             const BlockOptions& options);
    BlockOutput set_operation(const PgQuery__SelectStmt* stmt, const Scope* outer,
                              const BlockOptions& options);
    BlockOutput values_block(const PgQuery__SelectStmt* stmt, const Scope* outer);
    void apply_limit(const PgQuery__SelectStmt* stmt, bool top_level, BlockOutput& block);
    void select_star(const pg::ColumnRefName& name, const Scope& scope,
                     std::vector<OutputColumn>* outputs);
    std::vector<OutputColumn> targets(Node* const* items, std::size_t count, const Scope& scope,
                                      bool outputs_read);
    const Node* sort_expression(const Node* node, const PgQuery__SelectStmt* stmt,
                                const Scope& scope, bool output_names_first) const;
    void order_by(const PgQuery__SelectStmt* stmt, const Scope& scope, bool delivers_order);
    void group_by(const PgQuery__SelectStmt* stmt, const Scope& scope);

    // FROM (from_clause.cpp).
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

    // Column resolution (column_resolution.cpp).
    std::optional<Resolved> resolve(const pg::ColumnRefName& name, const Scope& scope) const;
    std::optional<std::vector<ColumnOrigin>>
    resolve_in(const pg::ColumnRefName& name, const std::vector<Source>& sources,
               const std::vector<std::size_t>* subset) const;
    std::optional<std::vector<ColumnOrigin>> origins_of(const Source& source,
                                                        const std::string& column) const;
    std::vector<std::string> column_names(const Source& source) const;
    Term describe(const Node* node, const Scope& scope) const;
    Term origins_term(const Node* node, const Scope& scope) const;

    // Conditions (conditions.cpp).
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

    // Expressions outside conditions: select lists, ORDER BY, GROUP BY, SET, RETURNING; and what
    // every part of the walk records on a scan (expressions.cpp).
    void walk_expression(const Node* node, const Scope& scope, Purpose purpose);
    bool json_path(const Node* node, const Scope& scope, Purpose purpose);

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

} // namespace parsers::query_facts
