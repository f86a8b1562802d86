// Small typed helpers over expressions and relation references of libpg_query's protobuf parse
// tree: column references, relation names, operators, constants, a generic child walk and the
// canonical text of an expression. Query facts and index matching read the tree through these.
#pragma once

#include "parsers/pg_tree.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parsers::pg {

// A column reference as written: `email`, `u.email`, `public.users.email`, `u.*`, `*`.
struct ColumnRefName {
    std::string schema;    // "" unless written (public.users.email)
    std::string qualifier; // the relation or alias name, "" when unqualified
    std::string column;    // "" for a star
    bool star = false;
};

// The name of a ColumnRef node (see through nothing: casts are the caller's business).
std::optional<ColumnRefName> column_ref_name(const Node* node);

// A relation in FROM / a DML target, as written.
struct RangeVarName {
    std::string schema;   // "" when unqualified
    std::string relation; // PostgreSQL has already folded unquoted names to lower case
    std::string alias;    // "" when none
};

RangeVarName range_var_name(const PgQuery__RangeVar* range_var);

// The operator of an A_Expr without its schema, e.g. "=" for OPERATOR(pg_catalog.=).
std::string operator_name(const PgQuery__AExpr* expression);

// The node under any TypeCast and COLLATE wrappers: `$1::uuid` -> `$1`, `t.col::text` -> `t.col`.
const Node* strip_casts(const Node* node);

bool is_column_ref(const Node* node);
bool is_parameter(const Node* node); // $n
bool is_constant(const Node* node);  // a literal (A_Const), NULL included

// The value of a literal as a comparable text: 'active' -> active, 42 -> 42, true -> true.
// Quotes and casts are dropped so that `status = 'a'::text` and `status = 'a'` compare equal.
std::optional<std::string> literal_text(const Node* node);
// The boolean value of a literal (true / false, also 't' / 'f' strings).
std::optional<bool> literal_bool(const Node* node);

// The Node children of a node (through intermediate messages such as WindowDef or TypeName),
// in field order. Nulls are skipped.
std::vector<const Node*> child_nodes(const Node* node);

// Pre-order walk of `root` and its descendants; `visit` returns false to skip a node's children.
void visit_nodes(const Node* root, const std::function<bool(const Node*)>& visit);

// The same walk over every node below a typed message (a SelectStmt, a WithClause ...).
void visit_nodes_below(const ProtobufCMessage* message,
                       const std::function<bool(const Node*)>& visit);

// True when the expression contains a column reference (outside sub-selects too, since a
// correlated sub-select still reads the outer row).
bool contains_column_ref(const Node* node);

// The text PostgreSQL would show for an expression, made comparable across a query and an index
// definition: column qualifiers dropped (an index expression never has them) and casts directly
// over a column or a literal dropped: pg_dump writes `lower((email)::text)` for a varchar column
// and `(data ->> 'key'::text)` where the query says `lower(email)` and `data ->> 'key'`; the
// planner adds the same implicit coercions to both.
std::string canonical_expression(const Node* expression);

// An expression parsed from text (an index key or a partial-index predicate kept as text).
struct ParsedExpression {
    ParseTree tree;
    const Node* expression = nullptr; // null when the text did not parse
};
ParsedExpression parse_expression(const std::string& text);

// canonical_expression() of an expression given as text; the text itself when it does not parse.
std::string canonical_expression_text(const std::string& text);

// Whether a function call is an aggregate. PostgreSQL decides from pg_aggregate; without a
// database, the built-in aggregates are known by name, and any call written with aggregate
// syntax (count(*), DISTINCT, ORDER BY or FILTER inside the call) is one.
bool is_aggregate_call(const PgQuery__FuncCall* call);

} // namespace parsers::pg
