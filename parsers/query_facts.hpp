// QueryFacts: what one SQL statement asks of each table it touches, read from libpg_query's parse
// tree and resolved against the catalog. Rules read these plain values and never walk the parse
// tree themselves (design.md: QueryFacts).
//
// Resolution follows PostgreSQL's own: aliases, schema qualification and the search_path for
// relations; FROM items, then outer query levels for columns (correlated sub-selects); views are
// replaced by their definition (the rewriter does the same), non-materialized CTEs that the planner
// inlines (PostgreSQL 12+: referenced once, or NOT MATERIALIZED) and simple sub-selects in FROM
// behave like the tables they read, while predicates do not pass into a MATERIALIZED CTE or a
// sub-select with LIMIT.
//
// The walk that does this lives in parsers/query_facts/ (FactsBuilder, one concern a file).
#pragma once

#include "parsers/catalog.hpp"
#include "parsers/pg_tree.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace parsers {

enum class StatementKind { select, insert, update, delete_, other };
const char* to_string(StatementKind kind); // "select", "insert", "update", "delete", "other"

// The role a column plays in a statement (design.md's list).
enum class ColumnRole {
    eq,            // col = value (also a boolean column used as a condition: col = true)
    in,            // col IN (list), col = ANY($1)
    range,         // <, <=, >, >=, BETWEEN
    is_null,       // col IS NULL
    like_prefix,   // col LIKE 'abc%'
    join,          // col = column of another table scan (JOIN ON / USING, WHERE, correlation)
    order,         // ORDER BY
    group,         // GROUP BY
    json_path,     // col -> 'k', col ->> 'k', col #> '{a}', col #>> '{a,b}'
    json_contains, // col @> value, col <@ value, col ? 'k', ?|, ?&, && (arrays), @?, @@
    select,        // read for output: select list, RETURNING
};
const char* to_string(ColumnRole role);

// What stands on the other side of a comparison.
enum class Operand {
    none,       // no other side (order, group, select, json_path, is_null)
    constant,   // a literal: 42, 'abc', '2024-01-01'::date, a list of literals
    parameter,  // $1 (or a list holding one)
    column,     // a column of another table scan (role join, or a range between two tables)
    expression, // anything else computed without this scan's columns: now(), (SELECT ...), $1 + 1
};

enum class SortDirection { ascending, descending };
enum class NullsOrder {
    unspecified,
    first,
    last
}; // unspecified: NULLS LAST for ASC, FIRST for DESC

// One use of one column (or of an expression over columns of one table).
struct ColumnUse {
    std::string table;      // schema-qualified table the column belongs to ("public.users")
    std::string column;     // the column; for an expression, the first column it reads
    std::string expression; // canonical text (pg::canonical_expression) when the column is wrapped,
                            // e.g. "lower(email)", "data ->> 'name'"; "" for the bare column
    ColumnRole role = ColumnRole::select;
    Operand operand = Operand::none;
    std::string operator_name; // range: "<", "<=", ">", ">=", "between"; json_path: "->>", ...;
                               // json_contains: "@>", "<@", "?", "?|", "?&", "&&", "@?", "@@"
    SortDirection direction = SortDirection::ascending; // order
    NullsOrder nulls = NullsOrder::unspecified;         // order
    std::string joined_table;  // join: the other side's table; "" when the other side is the
                               // output of a CTE scan, a grouped sub-select or a function
    std::string joined_column; // join: the other side's column
    // The use sits under OR: it narrows the scan only together with its OR siblings (a BitmapOr
    // in PostgreSQL), so it does not combine with the other conditions into one index scan.
    bool under_or = false;
    // Written as a list, IN (...) or = ANY(...), even of one value (role eq then, as PostgreSQL
    // reads `col IN ($1)`): how ORMs load related rows by key (SQLAlchemy's selectin loading).
    bool written_as_list = false;

    // The index key text the use asks for: the expression, or the column.
    const std::string& key() const { return expression.empty() ? column : expression; }
    bool operator==(const ColumnUse&) const = default;
};

// A restriction of one table scan, in the form partial-index implication checks
// (PostgreSQL's predtest.c proves an index predicate from the query's restriction clauses).
enum class PredicateKind {
    is_null,           // col IS NULL
    is_not_null,       // col IS NOT NULL
    equals,            // col = literal (value holds pg::literal_text of it)
    is_true,           // col, col = true, col IS TRUE
    is_false,          // NOT col, col = false, col IS FALSE
    strict_comparison, // col <op> value with a strict operator (=, <, IN, LIKE, @> ...): col is
                       // not null wherever the clause holds
};
const char* to_string(PredicateKind kind);

struct ScanPredicate {
    std::string column;
    PredicateKind kind = PredicateKind::is_not_null;
    std::string value; // equals only

    bool operator==(const ScanPredicate&) const = default;
};

// One key of an ORDER BY that a single table scan could deliver.
struct OrderKey {
    std::string key; // column name or canonical expression
    SortDirection direction = SortDirection::ascending;
    NullsOrder nulls = NullsOrder::unspecified;

    bool operator==(const OrderKey&) const = default;
};

enum class ScanMode { read, insert, update, delete_ };

// One read or write of one relation. A table read twice (a self-join, a sub-select) gives two
// scans, each with its own uses and predicates.
struct TableScan {
    std::string table; // schema-qualified; for a table not in the catalog, as PostgreSQL would
                       // qualify it through the search_path
    std::string alias; // the name columns qualify it with in the statement (alias or table name)
    ScanMode mode = ScanMode::read;
    bool in_catalog = true;
    bool system_catalog = false; // pg_catalog.* / information_schema.*
    std::string via_view;        // the view (schema-qualified) whose definition holds this scan
    bool select_star = false;    // SELECT * or alias.* reads every column
    bool limited = false;        // the query block reading it has a LIMIT / FETCH FIRST
    std::vector<ColumnUse> uses;
    // Restrictions from the scan's WHERE / inner JOIN ON conjuncts (not under OR or NOT).
    std::vector<ScanPredicate> predicates;
    // The block's ORDER BY when every key is a column or expression of this scan (so an index on
    // it can deliver the order); empty otherwise.
    std::vector<OrderKey> order_by;
    std::vector<std::string> conflict_columns; // INSERT ... ON CONFLICT (columns): arbiter index

    std::vector<const ColumnUse*> uses_with_role(ColumnRole role) const;
};

struct QueryFacts {
    StatementKind kind = StatementKind::other;
    std::vector<TableScan> scans;            // in the order met in the statement
    std::vector<std::string> tables;         // distinct relations scanned (after views), sorted
    std::vector<std::string> views;          // views expanded, sorted
    std::vector<std::string> unknown_tables; // relations not in the catalog (not system), sorted
    std::vector<std::string> system_tables;  // pg_catalog / information_schema relations, sorted
    // SELECT count(*) FROM ...: every output is an aggregate over the whole input (no GROUP BY),
    // so the statement returns one row whatever the table size.
    bool aggregate_only = false;
    bool has_limit = false;
    std::optional<long> limit; // when LIMIT is a literal
    bool has_offset = false;
    std::optional<long> offset;
    std::optional<std::string> error; // set when the text does not parse; nothing else is then set

    bool references_system_catalog() const { return !system_tables.empty(); }
    // Every scan's uses, in scan order.
    std::vector<ColumnUse> column_uses() const;
};

struct FactsOptions {
    // The search_path unqualified relation names resolve through. A log does not record each
    // session's search_path; a name found in none of these schemas but in exactly one schema of
    // the catalog resolves to that schema.
    std::vector<std::string> search_path{"public"};
};

// Extracts facts for many statements against one catalog; builds its name look-ups once.
// Holds a reference to the catalog, which must outlive it.
class QueryFactsExtractor {
public:
    explicit QueryFactsExtractor(const Catalog& catalog, FactsOptions options = {});

    // Facts of one parsed statement (a RawStmt's stmt node).
    QueryFacts extract(const pg::Node* statement) const;
    // Facts of SQL text; an unparsable text gives facts with `error` set. Several statements in
    // one text are merged (kind of the first).
    QueryFacts extract(const std::string& sql) const;

    // How the extractor resolves a relation name (schema "" when unqualified).
    struct Relation {
        std::string qualified_name;
        const Table* table = nullptr; // null when not in the catalog
        bool system_catalog = false;
    };
    Relation resolve_relation(const std::string& schema, const std::string& name) const;

    const Catalog& catalog() const { return catalog_; }

private:
    const Catalog& catalog_;
    FactsOptions options_;
    std::unordered_map<std::string, std::vector<std::string>> tables_by_name_;
};

// One-off conveniences (build an extractor each call).
QueryFacts extract_query_facts(const pg::Node* statement, const Catalog& catalog);
QueryFacts extract_query_facts(const std::string& sql, const Catalog& catalog);

} // namespace parsers
