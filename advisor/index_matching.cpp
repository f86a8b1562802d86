#include "advisor/index_matching.hpp"

#include "parsers/pg_expr.hpp"

#include <algorithm>
#include <functional>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

namespace advisor {

namespace {

namespace pg = parsers::pg;
using parsers::ColumnRole;
using parsers::NullsOrder;
using parsers::Operand;
using parsers::PredicateKind;
using parsers::ScanPredicate;
using parsers::SortDirection;

template <typename T> void add_unique(std::vector<T>& values, const T& value) {
    if (std::find(values.begin(), values.end(), value) == values.end()) {
        values.push_back(value);
    }
}

bool contains(const std::vector<std::string>& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

std::string join_texts(const std::vector<std::string>& texts) {
    std::string joined;
    for (const auto& text : texts) {
        joined += (joined.empty() ? "" : ", ") + text;
    }
    return joined;
}

// Without the column's type, the operator tells: ? ?| ?& @? exist for jsonb only, and @> is
// taken as jsonb (far more common than an array in containment look-ups).
bool guess_json(std::string_view op) {
    return op == "@>" || op == "?" || op == "?|" || op == "?&" || op == "@?";
}

// --- partial-index predicates ---------------------------------------------------------------

std::string predicate_column(const pg::Node* node) {
    const auto name = pg::column_ref_name(pg::strip_casts(node));
    return name && !name->star ? name->column : "";
}

IndexPredicate predicate_of(const pg::Node* node) {
    IndexPredicate predicate;
    if (node == nullptr) {
        return predicate;
    }
    switch (node->node_case) {
    case PG_QUERY__NODE__NODE_BOOL_EXPR: {
        const PgQuery__BoolExpr* expression = node->bool_expr;
        if (expression->boolop == PG_QUERY__BOOL_EXPR_TYPE__NOT_EXPR) {
            if (expression->n_args == 1) {
                predicate.column = predicate_column(expression->args[0]);
                if (!predicate.column.empty()) {
                    predicate.kind = IndexPredicate::Kind::is_false;
                }
            }
            return predicate;
        }
        predicate.kind = expression->boolop == PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR
                             ? IndexPredicate::Kind::all_of
                             : IndexPredicate::Kind::any_of;
        for (std::size_t i = 0; i < expression->n_args; ++i) {
            predicate.terms.push_back(predicate_of(expression->args[i]));
        }
        return predicate;
    }
    case PG_QUERY__NODE__NODE_NULL_TEST:
        predicate.column = predicate_column(node->null_test->arg);
        if (!predicate.column.empty()) {
            predicate.kind = node->null_test->nulltesttype == PG_QUERY__NULL_TEST_TYPE__IS_NULL
                                 ? IndexPredicate::Kind::is_null
                                 : IndexPredicate::Kind::is_not_null;
        }
        return predicate;
    case PG_QUERY__NODE__NODE_BOOLEAN_TEST: {
        const auto type = node->boolean_test->booltesttype;
        predicate.column = predicate_column(node->boolean_test->arg);
        if (!predicate.column.empty() && type == PG_QUERY__BOOL_TEST_TYPE__IS_TRUE) {
            predicate.kind = IndexPredicate::Kind::is_true;
        } else if (!predicate.column.empty() && type == PG_QUERY__BOOL_TEST_TYPE__IS_FALSE) {
            predicate.kind = IndexPredicate::Kind::is_false;
        }
        return predicate;
    }
    case PG_QUERY__NODE__NODE_COLUMN_REF:
    case PG_QUERY__NODE__NODE_TYPE_CAST:
        predicate.column = predicate_column(node);
        if (!predicate.column.empty()) {
            predicate.kind = IndexPredicate::Kind::is_true;
        }
        return predicate;
    case PG_QUERY__NODE__NODE_A_EXPR:
        break;
    default:
        return predicate;
    }
    const PgQuery__AExpr* expression = node->a_expr;
    const std::string op = pg::operator_name(expression);
    if (expression->kind == PG_QUERY__A__EXPR__KIND__AEXPR_IN && op == "=") {
        predicate.column = predicate_column(expression->lexpr);
        const pg::Node* list = expression->rexpr;
        if (predicate.column.empty() || list == nullptr ||
            list->node_case != PG_QUERY__NODE__NODE_LIST) {
            return predicate;
        }
        for (std::size_t i = 0; i < list->list->n_items; ++i) {
            const auto value = pg::literal_text(list->list->items[i]);
            if (!value) {
                return predicate;
            }
            predicate.values.push_back(*value);
        }
        predicate.kind = IndexPredicate::Kind::equals_any;
        return predicate;
    }
    if (expression->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP ||
        (op != "=" && op != "<>" && op != "!=")) {
        return predicate;
    }
    // column op literal, in either order
    const pg::Node* column = expression->lexpr;
    const pg::Node* literal = expression->rexpr;
    if (predicate_column(column).empty()) {
        std::swap(column, literal);
    }
    predicate.column = predicate_column(column);
    const auto value = pg::literal_text(literal);
    if (predicate.column.empty() || !value) {
        return predicate;
    }
    const pg::Node* constant = pg::strip_casts(literal);
    if (op == "=" && constant->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL) {
        predicate.kind = constant->a_const->boolval->boolval ? IndexPredicate::Kind::is_true
                                                             : IndexPredicate::Kind::is_false;
        return predicate;
    }
    predicate.kind =
        op == "=" ? IndexPredicate::Kind::equals_any : IndexPredicate::Kind::not_equals;
    predicate.values.push_back(*value);
    return predicate;
}

bool has_restriction(const std::vector<ScanPredicate>& restrictions, const std::string& column,
                     const std::function<bool(const ScanPredicate&)>& test) {
    return std::any_of(restrictions.begin(), restrictions.end(),
                       [&](const ScanPredicate& r) { return r.column == column && test(r); });
}

// --- matching -----------------------------------------------------------------------------

bool nulls_first(bool descending, NullsOrder nulls) {
    // PostgreSQL's default: NULLS LAST for ASC, NULLS FIRST for DESC (both in ORDER BY and in
    // CREATE INDEX).
    return nulls == NullsOrder::unspecified ? descending : nulls == NullsOrder::first;
}

bool key_nulls_first(const IndexKey& key) {
    return key.nulls.empty() ? key.descending : key.nulls == "first";
}

// LIKE 'abc%' becomes a range only on an index whose ordering is byte-wise: a *_pattern_ops
// opclass or the C collation (indxpath.c, match_pattern_prefix; docs "Operator Classes and
// Operator Families"). The database's default collation is not known here: assume it is not C.
bool key_serves_like_prefix(const IndexKey& key) {
    return key.opclass == "text_pattern_ops" || key.opclass == "varchar_pattern_ops" ||
           key.opclass == "bpchar_pattern_ops" || key.collation == "C" || key.collation == "POSIX";
}

// Every key the access's conditions name.
std::vector<std::string> condition_keys(const ScanAccess& access) {
    std::vector<std::string> keys;
    for (const auto* list : {&access.equality, &access.join_equality, &access.in_lists,
                             &access.ranges, &access.null_tests, &access.like_prefixes}) {
        keys.insert(keys.end(), list->begin(), list->end());
    }
    for (const auto& containment : access.containments) {
        keys.push_back(containment.key);
    }
    return keys;
}

void predicate_columns(const IndexPredicate& predicate, std::set<std::string>& columns) {
    if (!predicate.column.empty()) {
        columns.insert(predicate.column);
    }
    for (const auto& term : predicate.terms) {
        predicate_columns(term, columns);
    }
}

struct OrderResult {
    bool delivered = false;
    bool backward = false;
};

OrderResult btree_order(const PreparedIndex& prepared, const ScanAccess& access,
                        std::optional<std::size_t> first_in_list_key) {
    OrderResult result;
    if (access.order_by.empty()) {
        return result;
    }
    // PostgreSQL <= 16 gives up the index order when a ScalarArrayOp (IN, = ANY) constrains a
    // key other than the first (indxpath.c, build_index_paths: found_lower_saop_clause).
    if (first_in_list_key && *first_in_list_key > 0) {
        return result;
    }
    // Keys equal to a constant are redundant in an ordering (pathkeys.c: an EquivalenceClass
    // with a constant): WHERE a = 1 ORDER BY b is served by (a, b), and ORDER BY a, c by (a, b,
    // c) with b = 1.
    const auto fixed = [&](const std::string& key) { return contains(access.equality, key); };
    std::vector<parsers::OrderKey> wanted;
    for (const auto& key : access.order_by) {
        if (!fixed(key.key)) {
            wanted.push_back(key);
        }
    }
    std::vector<std::size_t> offered;
    for (std::size_t i = 0; i < prepared.key_texts.size(); ++i) {
        if (!fixed(prepared.key_texts[i])) {
            offered.push_back(i);
        }
    }
    if (wanted.size() > offered.size()) {
        return result;
    }
    std::optional<bool> backward;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        const IndexKey& key = prepared.index->keys[offered[i]];
        if (prepared.key_texts[offered[i]] != wanted[i].key) {
            return result;
        }
        const bool descending = wanted[i].direction == SortDirection::descending;
        const bool same = descending == key.descending &&
                          nulls_first(descending, wanted[i].nulls) == key_nulls_first(key);
        const bool reversed = descending != key.descending &&
                              nulls_first(descending, wanted[i].nulls) != key_nulls_first(key);
        if (!same && !reversed) {
            return result;
        }
        if (backward && *backward != reversed) {
            return result; // ORDER BY a DESC, b on (a, b): neither direction gives both
        }
        backward = reversed;
    }
    result.delivered = true;
    result.backward = backward.value_or(false);
    return result;
}

bool covers_columns(const PreparedIndex& prepared, const ScanAccess& access) {
    if (access.reads_all_columns) {
        return false;
    }
    std::set<std::string> available(prepared.index->include.begin(), prepared.index->include.end());
    for (const auto& key : prepared.index->keys) {
        if (!key.is_expression()) {
            available.insert(key.column);
        }
    }
    return std::all_of(access.columns_read.begin(), access.columns_read.end(),
                       [&](const std::string& column) { return available.count(column) > 0; });
}

void match_btree(const PreparedIndex& prepared, const ScanAccess& access, IndexMatch& match) {
    const auto& texts = prepared.key_texts;
    const auto equal = [&](const std::string& key) {
        return contains(access.equality, key) || contains(access.join_equality, key) ||
               contains(access.null_tests, key);
    };
    std::size_t prefix = 0;
    std::optional<std::size_t> first_in_list_key;
    std::vector<std::string> equality_keys;
    while (prefix < texts.size()) {
        if (equal(texts[prefix])) {
            equality_keys.push_back(texts[prefix]);
        } else if (contains(access.in_lists, texts[prefix])) {
            equality_keys.push_back(texts[prefix]);
            if (!first_in_list_key) {
                first_in_list_key = prefix;
            }
        } else {
            break;
        }
        ++prefix;
    }
    std::string range_key;
    if (prefix < texts.size() && (contains(access.ranges, texts[prefix]) ||
                                  (contains(access.like_prefixes, texts[prefix]) &&
                                   key_serves_like_prefix(prepared.index->keys[prefix])))) {
        range_key = texts[prefix];
        ++prefix;
    }
    match.leading_columns = prefix;

    const std::vector<std::string> used(texts.begin(), texts.begin() + prefix);
    const auto all_used = [&](const std::vector<std::string>& keys) {
        return std::all_of(keys.begin(), keys.end(),
                           [&](const std::string& key) { return contains(used, key); });
    };
    match.all_conditions_used = all_used(access.equality) && all_used(access.join_equality) &&
                                all_used(access.in_lists) && all_used(access.null_tests) &&
                                all_used(access.ranges) && all_used(access.like_prefixes) &&
                                access.containments.empty();

    const OrderResult order = btree_order(prepared, access, first_in_list_key);
    match.satisfies_order = order.delivered;
    match.backward = order.backward;

    // NULLs are distinct in a unique index, so IS NULL does not make a look-up unique.
    match.unique_lookup =
        prepared.index->unique && !texts.empty() &&
        std::all_of(texts.begin(), texts.end(), [&](const std::string& key) {
            return contains(access.equality, key) || contains(access.join_equality, key);
        });

    if (prefix > 0) {
        match.serves = true;
        match.reason = equality_keys.empty() ? "range on " + range_key
                                             : "equality on (" + join_texts(equality_keys) + ")";
        if (!equality_keys.empty() && !range_key.empty()) {
            match.reason += " then range on " + range_key;
        }
    } else if (match.satisfies_order && condition_keys(access).empty()) {
        // A full index scan in order (ORDER BY ... LIMIT). With conditions the index cannot
        // narrow, it only orders: reported by satisfies_order, not counted as serving.
        match.serves = true;
        match.reason = "delivers the ORDER BY";
    } else {
        match.reason = texts.empty() ? "index has no keys"
                                     : "no condition on the leading key " + texts.front();
    }
    if (match.serves && match.satisfies_order && prefix > 0) {
        match.reason += "; delivers the ORDER BY";
    }
}

void match_hash(const PreparedIndex& prepared, const ScanAccess& access, IndexMatch& match) {
    // A hash index holds one key and answers = only (hash.c: amcanorder, amcanmulticol false).
    if (prepared.key_texts.size() == 1 && (contains(access.equality, prepared.key_texts[0]) ||
                                           contains(access.join_equality, prepared.key_texts[0]))) {
        match.serves = true;
        match.leading_columns = 1;
        match.all_conditions_used = access.equality.size() + access.join_equality.size() == 1 &&
                                    access.in_lists.empty() && access.ranges.empty() &&
                                    access.null_tests.empty() && access.like_prefixes.empty() &&
                                    access.containments.empty();
        match.reason = "equality on " + prepared.key_texts[0];
    } else {
        match.reason = "a hash index serves only = on its key";
    }
}

// Operators each GIN operator class supports (PostgreSQL docs, "Built-in GIN Operator Classes";
// pg_trgm for gin_trgm_ops). Empty when the class is not known here.
std::vector<std::string_view> gin_operators(std::string_view opclass) {
    if (opclass == "jsonb_ops") {
        return {"@>", "?", "?|", "?&", "@?", "@@"};
    }
    if (opclass == "jsonb_path_ops") {
        return {"@>", "@?", "@@"};
    }
    if (opclass == "array_ops") {
        return {"&&", "@>", "<@", "="};
    }
    if (opclass == "tsvector_ops") {
        return {"@@", "@@@"};
    }
    if (opclass == "gin_trgm_ops") {
        return {"~~", "~~*", "~", "~*"};
    }
    return {};
}

std::string gin_default_opclass(const Containment& containment) {
    if (containment.json) {
        return "jsonb_ops";
    }
    return containment.op == "@@" ? "tsvector_ops" : "array_ops";
}

// Operator classes whose every operator the facts record: jsonb_ops, jsonb_path_ops, array_ops,
// tsvector_ops. gin_trgm_ops also serves LIKE '%abc%', ILIKE and regular expressions, which the
// facts do not record, so an index of it may be used where no scan here shows it.
bool gin_opclass_modelled(const std::string& opclass) {
    return opclass.empty() || opclass == "jsonb_ops" || opclass == "jsonb_path_ops" ||
           opclass == "array_ops" || opclass == "tsvector_ops";
}

void match_gin(const PreparedIndex& prepared, const ScanAccess& access, IndexMatch& match) {
    for (const auto& key : prepared.index->keys) {
        match.understood = match.understood && gin_opclass_modelled(key.opclass);
    }
    // Each GIN key is searched on its own (no leading-prefix rule): count the keys used.
    std::size_t used_conditions = 0;
    for (std::size_t i = 0; i < prepared.key_texts.size(); ++i) {
        const IndexKey& key = prepared.index->keys[i];
        bool key_used = false;
        for (const auto& containment : access.containments) {
            if (containment.key != prepared.key_texts[i]) {
                continue;
            }
            const std::string opclass =
                key.opclass.empty() ? gin_default_opclass(containment) : key.opclass;
            const auto operators = gin_operators(opclass);
            if (std::find(operators.begin(), operators.end(), containment.op) != operators.end()) {
                key_used = true;
                ++used_conditions;
            } else if (match.reason.empty()) {
                match.reason = opclass + " does not support " + containment.op;
            }
        }
        if (key.opclass == "gin_trgm_ops" &&
            contains(access.like_prefixes, prepared.key_texts[i])) {
            key_used = true;
            ++used_conditions;
        }
        if (key_used) {
            ++match.leading_columns;
        }
    }
    if (match.leading_columns > 0) {
        match.serves = true;
        match.reason = "containment on " + std::to_string(match.leading_columns) + " GIN key(s)";
        match.all_conditions_used =
            used_conditions == access.containments.size() + access.like_prefixes.size() &&
            access.equality.empty() && access.join_equality.empty() && access.in_lists.empty() &&
            access.ranges.empty() && access.null_tests.empty();
    } else if (match.reason.empty()) {
        match.reason = "no containment condition on a key of this GIN index";
    }
}

void match_brin(const PreparedIndex& prepared, const ScanAccess& access, IndexMatch& match) {
    for (const auto& key : prepared.key_texts) {
        if (contains(access.equality, key) || contains(access.ranges, key) ||
            contains(access.in_lists, key)) {
            ++match.leading_columns;
        }
    }
    match.serves = match.leading_columns > 0;
    match.reason = match.serves ? "a lossy BRIN bitmap scan" : "no condition on a BRIN key";
}

} // namespace

// --- scan access --------------------------------------------------------------------------

ScanAccess scan_access(const parsers::TableScan& scan, const Table* table,
                       JoinColumns join_columns) {
    ScanAccess access;
    access.table = scan.table;
    access.order_by = scan.order_by;
    access.predicates = scan.predicates;
    // An UPDATE or DELETE visits the heap tuple whatever the index holds.
    access.reads_all_columns = scan.select_star || scan.mode == parsers::ScanMode::update ||
                               scan.mode == parsers::ScanMode::delete_;
    for (const auto& use : scan.uses) {
        add_unique(access.columns_read, use.column);
        if (use.under_or) {
            continue;
        }
        const std::string& key = use.key();
        switch (use.role) {
        case ColumnRole::eq:
            add_unique(access.equality, key);
            break;
        case ColumnRole::in:
            add_unique(access.in_lists, key);
            break;
        case ColumnRole::range:
            if (use.operand != Operand::column || join_columns == JoinColumns::as_equality) {
                add_unique(access.ranges, key);
            }
            break;
        case ColumnRole::is_null:
            add_unique(access.null_tests, key);
            break;
        case ColumnRole::like_prefix:
            add_unique(access.like_prefixes, key);
            break;
        case ColumnRole::join:
            if (join_columns == JoinColumns::as_equality) {
                add_unique(access.join_equality, key);
            }
            break;
        case ColumnRole::json_contains: {
            const Column* column = table != nullptr ? table->find_column(use.column) : nullptr;
            const bool json = use.expression.empty() && column != nullptr
                                  ? column->json
                                  : guess_json(use.operator_name);
            add_unique(access.containments, Containment{key, use.operator_name, json});
            break;
        }
        default:
            break;
        }
    }
    for (const auto& predicate : scan.predicates) {
        add_unique(access.columns_read, predicate.column);
    }
    return access;
}

// --- partial-index predicates -------------------------------------------------------------

IndexPredicate parse_index_predicate(const std::string& where) {
    const pg::ParsedExpression parsed = pg::parse_expression(where);
    IndexPredicate predicate = predicate_of(parsed.expression);
    predicate.text = where;
    return predicate;
}

bool predicate_implied(const IndexPredicate& predicate,
                       const std::vector<ScanPredicate>& restrictions) {
    using Kind = IndexPredicate::Kind;
    const auto& column = predicate.column;
    const auto kind_is = [](PredicateKind kind) {
        return [kind](const ScanPredicate& r) { return r.kind == kind; };
    };
    switch (predicate.kind) {
    case Kind::all_of:
        return std::all_of(
            predicate.terms.begin(), predicate.terms.end(),
            [&](const IndexPredicate& term) { return predicate_implied(term, restrictions); });
    case Kind::any_of:
        return std::any_of(
            predicate.terms.begin(), predicate.terms.end(),
            [&](const IndexPredicate& term) { return predicate_implied(term, restrictions); });
    case Kind::is_null:
        return has_restriction(restrictions, column, kind_is(PredicateKind::is_null));
    case Kind::is_not_null:
        // A strict operator yields NULL on a NULL input, so any such clause proves NOT NULL
        // (predtest.c, predicate_implied_by_simple_clause).
        return has_restriction(restrictions, column, [](const ScanPredicate& r) {
            return r.kind != PredicateKind::is_null;
        });
    case Kind::equals_any:
        return has_restriction(restrictions, column, [&](const ScanPredicate& r) {
            return (r.kind == PredicateKind::equals && contains(predicate.values, r.value)) ||
                   (r.kind == PredicateKind::is_true && contains(predicate.values, "true")) ||
                   (r.kind == PredicateKind::is_false && contains(predicate.values, "false"));
        });
    case Kind::not_equals:
        return has_restriction(restrictions, column, [&](const ScanPredicate& r) {
            return r.kind == PredicateKind::equals && !contains(predicate.values, r.value);
        });
    case Kind::is_true:
        return has_restriction(restrictions, column, [](const ScanPredicate& r) {
            return r.kind == PredicateKind::is_true ||
                   (r.kind == PredicateKind::equals && r.value == "true");
        });
    case Kind::is_false:
        return has_restriction(restrictions, column, [](const ScanPredicate& r) {
            return r.kind == PredicateKind::is_false ||
                   (r.kind == PredicateKind::equals && r.value == "false");
        });
    case Kind::unsupported:
        break;
    }
    return false;
}

// --- matching -----------------------------------------------------------------------------

PreparedIndex prepare_index(const Index& index) {
    PreparedIndex prepared;
    prepared.index = &index;
    for (const auto& key : index.keys) {
        prepared.key_texts.push_back(
            key.is_expression() ? pg::canonical_expression_text(key.expression) : key.column);
    }
    if (index.where) {
        prepared.predicate = parse_index_predicate(*index.where);
    }
    return prepared;
}

IndexMatch match_index(const PreparedIndex& prepared, const ScanAccess& access) {
    const Index& index = *prepared.index;
    IndexMatch match;
    match.index = index.qualified_name();
    if (!access.table.empty() && index.table != access.table) {
        match.reason = "index is on " + index.table;
        return match;
    }
    if (!index.valid) {
        // The planner ignores an invalid index: ON ONLY awaiting its partitions, or a failed
        // CREATE INDEX CONCURRENTLY.
        match.reason = "index is not valid";
        return match;
    }
    const bool partial_implied =
        prepared.predicate && predicate_implied(*prepared.predicate, access.predicates);
    if (prepared.predicate && !partial_implied) {
        match.reason = "the query does not imply the index predicate WHERE " + *index.where;
        return match;
    }
    if (index.method == "btree") {
        match_btree(prepared, access, match);
    } else if (index.method == "hash") {
        match_hash(prepared, access, match);
    } else if (index.method == "gin") {
        match_gin(prepared, access, match);
    } else if (index.method == "brin") {
        match_brin(prepared, access, match);
    } else {
        match.understood = false;
        match.reason = index.method + " indexes are not modelled";
        return match;
    }
    // A partial index whose predicate the query implies is a scan of exactly the rows wanted,
    // even without an index condition (indxpath.c: useful_predicate) — when the predicate is the
    // whole filter: WHERE status = 'pending' on (id) WHERE status = 'pending'.
    if (!match.serves && partial_implied && index.method == "btree") {
        std::set<std::string> columns;
        predicate_columns(*prepared.predicate, columns);
        const auto keys = condition_keys(access);
        if (std::all_of(keys.begin(), keys.end(),
                        [&](const std::string& key) { return columns.count(key) > 0; })) {
            match.serves = true;
            match.all_conditions_used = true;
            match.reason = "the index predicate matches the query's filter";
        }
    }
    match.index_only = match.serves && index.method == "btree" && covers_columns(prepared, access);
    return match;
}

IndexMatch match_index(const Index& index, const ScanAccess& access) {
    return match_index(prepare_index(index), access);
}

bool better_match(const IndexMatch& a, const IndexMatch& b) {
    const auto rank = [](const IndexMatch& m) {
        return std::make_tuple(m.serves, m.all_conditions_used, m.leading_columns,
                               m.satisfies_order, m.index_only, m.unique_lookup);
    };
    if (rank(a) != rank(b)) {
        return rank(a) > rank(b);
    }
    return a.index < b.index;
}

IndexMatcher::IndexMatcher(const Catalog& catalog) {
    for (const auto& index : catalog.indexes) {
        indexes_by_table_[index.table].push_back(prepare_index(index));
    }
    // A SQLite rowid table is a b-tree keyed by its INTEGER PRIMARY KEY: it serves that column
    // as a unique btree index would (EXPLAIN QUERY PLAN: SEARCH t USING INTEGER PRIMARY KEY
    // (rowid=?)), though no index of the catalog stands for it.
    for (const auto& [qualified, table] : catalog.tables) {
        const std::string rowid = catalog.sqlite_rowid_column(table);
        if (rowid.empty()) {
            continue;
        }
        Index& index = rowid_tables_.emplace_back();
        index.name = table.name + " (rowid)";
        index.schema = table.schema;
        index.table = qualified;
        index.keys.push_back(IndexKey{rowid, "", false, "", "", ""});
        index.unique = true;
        index.constraint = ConstraintKind::primary_key;
        indexes_by_table_[qualified].push_back(prepare_index(index));
    }
}

std::vector<IndexMatch> IndexMatcher::matches(const ScanAccess& access) const {
    std::vector<IndexMatch> found;
    const auto it = indexes_by_table_.find(access.table);
    if (it == indexes_by_table_.end()) {
        return found;
    }
    for (const auto& prepared : it->second) {
        found.push_back(match_index(prepared, access));
    }
    std::sort(found.begin(), found.end(), better_match);
    return found;
}

std::optional<IndexMatch> IndexMatcher::best(const ScanAccess& access) const {
    auto found = matches(access);
    if (found.empty() || !found.front().serves) {
        return std::nullopt;
    }
    return std::move(found.front());
}

std::optional<IndexMatch> best_index(const Catalog& catalog, const ScanAccess& access) {
    std::optional<IndexMatch> best;
    for (const Index* index : catalog.indexes_on(access.table)) {
        IndexMatch match = match_index(*index, access);
        if (match.serves && (!best || better_match(match, *best))) {
            best = std::move(match);
        }
    }
    return best;
}

} // namespace advisor
