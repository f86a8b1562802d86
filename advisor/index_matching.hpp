// Index matching: whether an existing index can serve one table scan, and how (design.md: Index
// matching). The rules of PostgreSQL's planner that decide it are modelled here once:
// - btree: equality (and IN, IS NULL) conditions on a leading prefix of the keys in any order,
//   then one range (or LIKE 'abc%' with a pattern opclass or the C collation) on the next key;
//   the ORDER BY is delivered when, after dropping keys fixed by equality, it is a prefix of the
//   keys in the same direction, or all reversed (a backward scan) — nulls order included;
// - hash: a single equality on its single key;
// - GIN: containment operators of its operator class (jsonb_ops: @> ? ?| ?& @? @@;
//   jsonb_path_ops: @> @? @@; array_ops: && @> <@ =);
// - BRIN: equality or range on any key (a lossy bitmap scan);
// - expression keys match the query's expression by canonical deparsed text;
// - a partial index only when the scan's restrictions imply its predicate (predtest.c);
// - an index-only scan when the key and INCLUDE columns hold every column the scan reads.
#pragma once

#include "advisor/catalog.hpp"
#include "parsers/query_facts.hpp"

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace advisor {

// A containment condition: `key op value`, key a column or canonical expression.
struct Containment {
    std::string key;
    std::string op; // "@>", "<@", "?", "?|", "?&", "&&", "@?", "@@"
    bool json =
        true; // the key is json/jsonb (else an array or tsvector): picks GIN's default opclass

    bool operator==(const Containment&) const = default;
};

// What one table scan asks of an index. Keys are column names or canonical expression texts
// (parsers::pg::canonical_expression), as parsers::ColumnUse::key() gives them.
struct ScanAccess {
    std::string table;                      // schema-qualified; "" matches an index of any table
    std::vector<std::string> equality;      // = constant / parameter / expression
    std::vector<std::string> join_equality; // = another table's column (the inner side of a
                                            // nested loop looks these up one outer row at a time)
    std::vector<std::string> in_lists;      // IN (...), = ANY(...)
    std::vector<std::string> ranges;        // <, <=, >, >=, BETWEEN
    std::vector<std::string> null_tests;    // IS NULL (a btree searches for NULL like a value)
    std::vector<std::string> like_prefixes; // LIKE 'abc%'
    std::vector<Containment> containments;
    std::vector<parsers::OrderKey> order_by;        // the ORDER BY this scan could deliver
    std::vector<parsers::ScanPredicate> predicates; // for partial-index implication
    std::vector<std::string> columns_read;          // every column the scan reads
    bool reads_all_columns = false;                 // SELECT *, UPDATE, DELETE: no index-only scan
};

enum class JoinColumns {
    as_equality, // the scan may be the inner side of a nested loop (missing-index's view)
    ignored,     // only the scan's own restrictions count
};

// The access of a scan from its facts. Uses under OR are left out (each OR branch needs its own
// index, combined by a BitmapOr). `table` gives column types (jsonb or not); it may be null.
ScanAccess scan_access(const parsers::TableScan& scan, const Table* table = nullptr,
                       JoinColumns join_columns = JoinColumns::as_equality);

// How an index serves a scan.
struct IndexMatch {
    std::string index; // schema-qualified index name
    bool serves = false;
    // False when the index's method or operator class is beyond this model (GiST, SP-GiST, an
    // extension's opclass such as gin_trgm_ops), whatever the access: rules should neither rely
    // on it nor call it unused.
    bool understood = true;
    std::size_t leading_columns = 0;  // keys the scan's conditions constrain (btree: the prefix)
    bool all_conditions_used = false; // every condition of the access is an index condition
    bool satisfies_order = false;     // delivers the access's (non-empty) ORDER BY; an index
                                      // that only orders serves a scan without conditions
    bool backward = false;            // ... by scanning backward
    bool index_only = false;          // key and INCLUDE columns cover every column read
    bool unique_lookup = false;       // a unique index with every key equal to a value: one row
    std::string reason;               // a short explanation, for messages and tests
};

// A partial-index predicate, in the form the implication check reads it.
struct IndexPredicate {
    enum class Kind {
        all_of,  // AND of `terms`
        any_of,  // OR of `terms`
        is_null, // column IS NULL
        is_not_null,
        equals_any, // column = value, column IN (values)
        not_equals, // column <> value
        is_true,    // column, column = true, column IS TRUE
        is_false,   // NOT column, column = false, column IS FALSE
        unsupported,
    };
    Kind kind = Kind::unsupported;
    std::string column;
    std::vector<std::string> values;
    std::vector<IndexPredicate> terms;
    std::string text; // the predicate as written, for messages
};

// Parses a partial-index predicate (Index::where) with libpg_query.
IndexPredicate parse_index_predicate(const std::string& where);

// Whether restrictions holding for every row of a scan imply the predicate (PostgreSQL's
// predicate_implied_by, for the forms above; anything else is not proven).
bool predicate_implied(const IndexPredicate& predicate,
                       const std::vector<parsers::ScanPredicate>& restrictions);

// An index with its key texts canonicalized and predicate parsed once.
struct PreparedIndex {
    const Index* index = nullptr;
    std::vector<std::string> key_texts; // column name or canonical expression per key
    std::optional<IndexPredicate> predicate;
};

PreparedIndex prepare_index(const Index& index);

IndexMatch match_index(const PreparedIndex& index, const ScanAccess& access);
IndexMatch match_index(const Index& index, const ScanAccess& access);

// Orders matches best first: serving, all conditions used, more leading columns, delivering the
// order, index-only, unique, then by name.
bool better_match(const IndexMatch& a, const IndexMatch& b);

// A catalog's indexes, prepared once and grouped by table, for matching many scans.
// Holds pointers into the catalog, which must outlive it and not change meanwhile.
class IndexMatcher {
public:
    explicit IndexMatcher(const Catalog& catalog);
    IndexMatcher(const IndexMatcher&) = delete; // holds pointers into its own rowid_tables_
    IndexMatcher& operator=(const IndexMatcher&) = delete;

    // Every index on the access's table, best first.
    std::vector<IndexMatch> matches(const ScanAccess& access) const;
    // The best index that serves the access, if any.
    std::optional<IndexMatch> best(const ScanAccess& access) const;
    bool any_serves(const ScanAccess& access) const { return best(access).has_value(); }

private:
    std::map<std::string, std::vector<PreparedIndex>> indexes_by_table_;
    std::deque<Index> rowid_tables_; // SQLite rowid tables, as the unique index they amount to
};

// One-off convenience: the best index of the catalog that serves the access, if any.
std::optional<IndexMatch> best_index(const Catalog& catalog, const ScanAccess& access);

} // namespace advisor
