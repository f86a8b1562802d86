// Typed helpers over libpg_query's protobuf parse tree (PostgreSQL's own grammar).
// Everything that reads SQL goes through here: parse, deparse, fingerprint, and small accessors
// such as range_var_name(), so that no other module walks raw protobuf fields ad hoc.
#pragma once

#include <memory>
#include <optional>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <string>
#include <string_view>
#include <vector>

namespace parsers::pg {

using Node = PgQuery__Node;

struct ParseError {
    std::string message;
    int cursor_position = 0; // 1-based byte offset into the statement text, 0 when unknown
};

// An owned parse result: one or more raw statements.
class ParseTree {
public:
    ParseTree() = default;
    explicit ParseTree(PgQuery__ParseResult* result) : result_(result) {}
    std::size_t size() const { return result_ ? result_->n_stmts : 0; }
    const PgQuery__RawStmt* statement(std::size_t i) const { return result_->stmts[i]; }
    const Node* statement_node(std::size_t i) const { return result_->stmts[i]->stmt; }

private:
    struct Free {
        void operator()(PgQuery__ParseResult* result) const;
    };
    std::unique_ptr<PgQuery__ParseResult, Free> result_;
};

struct ParseOutcome {
    ParseTree tree;
    std::optional<ParseError> error;
};

// Parses SQL text (one or more statements). Never throws for bad SQL: the error is returned,
// also for a statement nested deeper than max_nesting_depth (see nesting_problem()).
ParseOutcome parse(const std::string& sql);

// The deepest parse tree accepted, in nested nodes. The tree is unpacked and walked by recursive
// code (protobuf-c, libpg_query's deparser, our walkers), which must not overflow the stack;
// PostgreSQL itself stops at a few thousand levels (max_stack_depth, 2 MB by default), and
// queries that applications send nest a few dozen levels.
constexpr std::size_t max_nesting_depth = 1000;

// Why `sql` must not be handed to libpg_query, or nullopt when it may be. libpg_query's parser
// keeps its own stack in bounds for nesting that it must remember (10,000 nested parentheses
// fail with "memory exhausted"), but a left-nested chain such as `1 + 1 + ... + 1` or
// `a UNION b UNION ...` costs the parser nothing and builds a tree as deep as the chain is
// long, which libpg_query's output code then walks recursively. Text up to 8 KB cannot nest
// deep enough to matter; longer text is scanned (libpg_query's scanner, which does not
// recurse) for an upper bound of its nesting.
std::optional<std::string> nesting_problem(std::string_view sql);

// A libpg_query error message made clearer: bison's "memory exhausted" means the statement
// nests too deeply for PostgreSQL's parser.
std::string explain_parse_error(std::string message);

// The protobuf message name of a node, e.g. "CreateStmt", "SelectStmt".
std::string_view node_kind(const Node* node);

// String value of a String node ("" for anything else).
std::string_view string_value(const Node* node);
// Values of a list of String nodes, e.g. a qualified name ["pg_catalog", "int4"].
std::vector<std::string> string_list(Node* const* items, std::size_t count);
// Integer value of an Integer node or an A_Const holding an integer.
std::optional<long> integer_value(const Node* node);
// String value of an A_Const holding a string.
std::optional<std::string> const_string(const Node* node);

// The function name of a FuncCall without its schema, e.g. "set_config" for pg_catalog.set_config.
std::string function_name(const PgQuery__FuncCall* call);

// Deparses an expression (an index key, a partial-index predicate) to PostgreSQL text.
std::string deparse_expression(const Node* expression);
// Deparses a whole statement node (e.g. a view's SELECT).
std::string deparse_statement(const Node* statement);

// Splits SQL text into statements with libpg_query's scanner-based splitter (each without its
// trailing `;`, trimmed). Text that the scanner cannot split comes back whole.
std::vector<std::string> split_statements(const std::string& sql);

// 1-based line of a byte offset in a text.
int line_of_offset(std::string_view text, std::size_t offset);

} // namespace parsers::pg
