// Index matching: one test per planner rule, positive and negative, plus the reference cases
// (a query's facts against an index from DDL).
#include "advisor/index_matching.hpp"
#include "parsers/pg_ddl.hpp"
#include "parsers/query_facts.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using advisor::Containment;
using advisor::Index;
using advisor::IndexKey;
using advisor::IndexMatch;
using advisor::ScanAccess;
using parsers::NullsOrder;
using parsers::OrderKey;
using parsers::PredicateKind;
using parsers::ScanPredicate;
using parsers::SortDirection;

namespace {

// A btree index by hand: "a", "b DESC", "c NULLS FIRST" ...
Index btree(const std::vector<std::string>& keys, const std::string& name = "ix") {
    Index index;
    index.name = name;
    index.schema = "public";
    index.table = "public.t";
    for (const auto& text : keys) {
        IndexKey key;
        const auto space = text.find(' ');
        key.column = text.substr(0, space);
        const std::string rest = space == std::string::npos ? "" : text.substr(space + 1);
        key.descending = rest.find("DESC") != std::string::npos;
        if (rest.find("NULLS FIRST") != std::string::npos) {
            key.nulls = "first";
        } else if (rest.find("NULLS LAST") != std::string::npos) {
            key.nulls = "last";
        }
        index.keys.push_back(key);
    }
    return index;
}

ScanAccess access_on_t() {
    ScanAccess access;
    access.table = "public.t";
    return access;
}

OrderKey asc(const std::string& key) {
    return {key, SortDirection::ascending};
}
OrderKey desc(const std::string& key) {
    return {key, SortDirection::descending};
}

advisor::Catalog catalog_of(const std::string& ddl) {
    advisor::Catalog catalog;
    parsers::apply_postgres_ddl(ddl, catalog);
    return catalog;
}

// The best index of the catalog serving the one scan of `table` in `sql`.
std::optional<IndexMatch> serving(const advisor::Catalog& catalog, const std::string& sql,
                                  const std::string& table = "public.t",
                                  advisor::JoinColumns joins = advisor::JoinColumns::as_equality) {
    const parsers::QueryFacts facts = parsers::extract_query_facts(sql, catalog);
    REQUIRE_FALSE(facts.error);
    for (const auto& scan : facts.scans) {
        if (scan.table == table) {
            return advisor::best_index(
                catalog, advisor::scan_access(scan, catalog.find_table(table), joins));
        }
    }
    FAIL("no scan of " << table);
    return std::nullopt;
}

std::string served_by(const advisor::Catalog& catalog, const std::string& sql,
                      const std::string& table = "public.t") {
    const auto match = serving(catalog, sql, table);
    return match ? match->index : "";
}

const char* const t_columns =
    "CREATE TABLE t (id bigint PRIMARY KEY, a int, b int, c int, email varchar(255), "
    "name text, status text, active boolean, deleted_at timestamptz, data jsonb, tags text[]);";

} // namespace

// --- btree leading prefix --------------------------------------------------------------------

TEST_CASE("an index on (a) serves WHERE a = ?") {
    ScanAccess access = access_on_t();
    access.equality = {"a"};
    const IndexMatch match = advisor::match_index(btree({"a"}), access);
    CHECK(match.serves);
    CHECK(match.leading_columns == 1);
    CHECK(match.all_conditions_used);
    CHECK(match.index == "public.ix");
}

TEST_CASE("an index on (a, b) serves WHERE a = ? AND b = ? whatever the order written") {
    ScanAccess access = access_on_t();
    access.equality = {"b", "a"};
    const IndexMatch match = advisor::match_index(btree({"a", "b"}), access);
    CHECK(match.serves);
    CHECK(match.leading_columns == 2);
    CHECK(match.all_conditions_used);
}

TEST_CASE("an index on (a, b) does not serve WHERE b = 1") {
    ScanAccess access = access_on_t();
    access.equality = {"b"};
    const IndexMatch match = advisor::match_index(btree({"a", "b"}), access);
    CHECK_FALSE(match.serves);
    CHECK(match.leading_columns == 0);
    CHECK(match.reason == "no condition on the leading key a");
}

TEST_CASE("an index on (a) serves WHERE a = ? AND b = ? only in part") {
    ScanAccess access = access_on_t();
    access.equality = {"a", "b"};
    const IndexMatch match = advisor::match_index(btree({"a"}), access);
    CHECK(match.serves);
    CHECK(match.leading_columns == 1);
    CHECK_FALSE(match.all_conditions_used);
}

TEST_CASE("an index on (a, b) serves equality on a then a range on b") {
    ScanAccess access = access_on_t();
    access.equality = {"a"};
    access.ranges = {"b"};
    const IndexMatch match = advisor::match_index(btree({"a", "b"}), access);
    CHECK(match.leading_columns == 2);
    CHECK(match.all_conditions_used);
    CHECK(match.reason == "equality on (a) then range on b");
}

TEST_CASE("after a range key the next keys are no longer index conditions") {
    ScanAccess access = access_on_t();
    access.ranges = {"a"};
    access.equality = {"b"};
    const IndexMatch match = advisor::match_index(btree({"a", "b"}), access);
    CHECK(match.serves);
    CHECK(match.leading_columns == 1);
    CHECK_FALSE(match.all_conditions_used);
}

TEST_CASE("only one range is an index condition: (a, b) with a > ? AND b > ? uses a") {
    ScanAccess access = access_on_t();
    access.ranges = {"a", "b"};
    CHECK(advisor::match_index(btree({"a", "b"}), access).leading_columns == 1);
}

TEST_CASE("IN lists and IS NULL count as equality in the btree prefix") {
    ScanAccess access = access_on_t();
    access.in_lists = {"a"};
    access.null_tests = {"b"};
    access.ranges = {"c"};
    CHECK(advisor::match_index(btree({"a", "b", "c"}), access).leading_columns == 3);
}

// --- btree order -------------------------------------------------------------------------------

TEST_CASE("an index on (a, b) serves WHERE a = ? ORDER BY b") {
    ScanAccess access = access_on_t();
    access.equality = {"a"};
    access.order_by = {asc("b")};
    const IndexMatch match = advisor::match_index(btree({"a", "b"}), access);
    CHECK(match.serves);
    CHECK(match.satisfies_order);
    CHECK_FALSE(match.backward);
}

TEST_CASE("an index on (a, b) serves ORDER BY a, b without any condition") {
    ScanAccess access = access_on_t();
    access.order_by = {asc("a"), asc("b")};
    const IndexMatch match = advisor::match_index(btree({"a", "b"}), access);
    CHECK(match.serves);
    CHECK(match.leading_columns == 0);
    CHECK(match.satisfies_order);
}

TEST_CASE("an index on (c) orders WHERE a = 1 ORDER BY c but does not serve it") {
    ScanAccess access = access_on_t();
    access.equality = {"a"};
    access.order_by = {asc("c")};
    const IndexMatch match = advisor::match_index(btree({"c"}), access);
    CHECK(match.satisfies_order);
    CHECK_FALSE(match.serves);
}

TEST_CASE("ORDER BY a DESC, b is not served by (a, b)") {
    ScanAccess access = access_on_t();
    access.order_by = {desc("a"), asc("b")};
    const IndexMatch match = advisor::match_index(btree({"a", "b"}), access);
    CHECK_FALSE(match.satisfies_order);
    CHECK_FALSE(match.serves);
}

TEST_CASE("ORDER BY a DESC, b DESC is served by (a, b) scanning backward") {
    ScanAccess access = access_on_t();
    access.order_by = {desc("a"), desc("b")};
    const IndexMatch match = advisor::match_index(btree({"a", "b"}), access);
    CHECK(match.satisfies_order);
    CHECK(match.backward);
}

TEST_CASE("ORDER BY a DESC, b is served by (a DESC, b) forward") {
    ScanAccess access = access_on_t();
    access.order_by = {desc("a"), asc("b")};
    const IndexMatch match = advisor::match_index(btree({"a DESC", "b"}), access);
    CHECK(match.satisfies_order);
    CHECK_FALSE(match.backward);
}

TEST_CASE("NULLS order must match too: ORDER BY a DESC NULLS LAST is not served by (a)") {
    ScanAccess access = access_on_t();
    access.order_by = {{"a", SortDirection::descending, NullsOrder::last}};
    CHECK_FALSE(advisor::match_index(btree({"a"}), access).satisfies_order);
    CHECK(advisor::match_index(btree({"a DESC NULLS LAST"}), access).satisfies_order);
    access.order_by = {{"a", SortDirection::ascending, NullsOrder::first}};
    CHECK(advisor::match_index(btree({"a DESC NULLS LAST"}), access).backward);
}

TEST_CASE("an index on (a, b) does not deliver ORDER BY b without a = ?") {
    ScanAccess access = access_on_t();
    access.ranges = {"a"};
    access.order_by = {asc("b")};
    CHECK_FALSE(advisor::match_index(btree({"a", "b"}), access).satisfies_order);
}

TEST_CASE(
    "a key fixed by equality anywhere drops out of the order: (a, b, c), b = ? ORDER BY a, c") {
    ScanAccess access = access_on_t();
    access.equality = {"b"};
    access.order_by = {asc("a"), asc("c")};
    CHECK(advisor::match_index(btree({"a", "b", "c"}), access).satisfies_order);
}

TEST_CASE("IN on a later key gives up the index order (PostgreSQL 15)") {
    ScanAccess access = access_on_t();
    access.equality = {"a"};
    access.in_lists = {"b"};
    access.order_by = {asc("c")};
    CHECK_FALSE(advisor::match_index(btree({"a", "b", "c"}), access).satisfies_order);
    ScanAccess first = access_on_t();
    first.in_lists = {"a"};
    first.order_by = {asc("a"), asc("b")};
    CHECK(advisor::match_index(btree({"a", "b"}), first).satisfies_order);
}

// --- other methods
// --------------------------------------------------------------------------------

TEST_CASE("a hash index serves a single equality only") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_email_hash ON t USING hash (email);");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE email = $1") == "public.t_email_hash");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE email > $1") == "");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE email IN ($1, $2)") == "");
    CHECK(served_by(catalog, "SELECT * FROM t ORDER BY email LIMIT 1") == "");
}

TEST_CASE("GIN jsonb_ops serves @>, ?, ?| and ?&") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_data ON t USING gin (data);");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE data @> '{\"a\": 1}'") == "public.t_data");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE data ? 'a'") == "public.t_data");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE data ?| array['a']") == "public.t_data");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE data ?& array['a']") == "public.t_data");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE data ->> 'a' = 'x'") == "");
}

TEST_CASE("GIN jsonb_path_ops serves @> but not ?, ?| or ?&") {
    const advisor::Catalog catalog = catalog_of(
        std::string(t_columns) + "CREATE INDEX t_data ON t USING gin (data jsonb_path_ops);");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE data @> $1") == "public.t_data");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE data ? 'a'") == "");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE data ?| array['a']") == "");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE data ?& array['a']") == "");
    ScanAccess access = access_on_t();
    access.containments = {Containment{"data", "?", true}};
    Index index = btree({"data"});
    index.method = "gin";
    index.keys[0].opclass = "jsonb_path_ops";
    CHECK(advisor::match_index(index, access).reason == "jsonb_path_ops does not support ?");
}

TEST_CASE("GIN on an array column serves &&, @> and <@") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_tags ON t USING gin (tags);");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE tags && $1") == "public.t_tags");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE tags @> ARRAY['x']") == "public.t_tags");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE tags <@ ARRAY['x']") == "public.t_tags");
}

TEST_CASE("GiST and SP-GiST indexes are not modelled: not understood, never serving") {
    Index index = btree({"a"});
    index.method = "gist";
    ScanAccess access = access_on_t();
    access.equality = {"a"};
    const IndexMatch match = advisor::match_index(index, access);
    CHECK_FALSE(match.serves);
    CHECK_FALSE(match.understood);
}

TEST_CASE("a GIN index of an extension's opclass (gin_trgm_ops) is not understood") {
    Index index = btree({"name"});
    index.method = "gin";
    index.keys[0].opclass = "gin_trgm_ops";
    CHECK_FALSE(advisor::match_index(index, ScanAccess{}).understood);
    index.keys[0].opclass = "jsonb_path_ops";
    CHECK(advisor::match_index(index, ScanAccess{}).understood);
}

TEST_CASE("a BRIN index serves a range on its column") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_deleted ON t USING brin (deleted_at);");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE deleted_at > now()") == "public.t_deleted");
}

// --- expression indexes
// ----------------------------------------------------------------------------

TEST_CASE("an index on lower(email) serves lower(email) = $1 but not email = $1") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_lower ON t (lower(email));");
    CHECK(served_by(catalog, "SELECT * FROM t x WHERE lower(x.email) = $1") == "public.t_lower");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE email = $1") == "");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE upper(email) = $1") == "");
}

TEST_CASE("a pg_dump expression index lower((email)::text) serves lower(email)") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) +
                   "CREATE INDEX t_lower ON public.t USING btree (lower((email)::text));");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE lower(email) = $1") == "public.t_lower");
}

TEST_CASE("an index on (data ->> 'plan') serves the same path equality") {
    const advisor::Catalog catalog = catalog_of(
        std::string(t_columns) + "CREATE INDEX t_plan ON public.t ((data ->> 'plan'::text));");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE t.data->>'plan' = $1") == "public.t_plan");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE data->>'tier' = $1") == "");
}

// --- partial indexes ---------------------------------------------------------------------------

TEST_CASE(
    "a partial index WHERE deleted_at IS NULL does not serve a query without that predicate") {
    const advisor::Catalog catalog = catalog_of(
        std::string(t_columns) + "CREATE INDEX t_live_a ON t (a) WHERE deleted_at IS NULL;");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE a = $1") == "");
    ScanAccess access = access_on_t();
    access.equality = {"a"};
    const IndexMatch match = advisor::match_index(catalog.indexes.back(), access);
    CHECK(match.reason == "the query does not imply the index predicate WHERE deleted_at IS NULL");
}

TEST_CASE("a partial index WHERE deleted_at IS NULL serves a query with that predicate") {
    const advisor::Catalog catalog = catalog_of(
        std::string(t_columns) + "CREATE INDEX t_live_a ON t (a) WHERE deleted_at IS NULL;");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE a = $1 AND deleted_at IS NULL") ==
          "public.t_live_a");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE a = $1 AND deleted_at IS NOT NULL") == "");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE a = $1 OR deleted_at IS NULL") == "");
}

TEST_CASE("a partial index WHERE email IS NOT NULL serves email = $1 (= is strict)") {
    const advisor::Catalog catalog = catalog_of(
        std::string(t_columns) + "CREATE INDEX t_email ON t (email) WHERE email IS NOT NULL;");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE email = $1") == "public.t_email");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE email IS NULL") == "");
}

TEST_CASE("a partial index WHERE status = 'active' serves only that constant") {
    const advisor::Catalog catalog = catalog_of(
        std::string(t_columns) + "CREATE INDEX t_active_a ON t (a) WHERE status = 'active';");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE status = 'active' AND a = 1") ==
          "public.t_active_a");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE status = 'archived' AND a = 1") == "");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE status = $1 AND a = 1") == "");
}

TEST_CASE("a partial index WHERE status IN (...) or status <> '...' is implied by a member") {
    const advisor::Catalog catalog = catalog_of(
        std::string(t_columns) + "CREATE INDEX t_open ON t (a) WHERE status IN ('new', 'open');"
                                 "CREATE INDEX t_not_gone ON t (b) WHERE status <> 'gone';");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE status = 'open' AND a = 1") == "public.t_open");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE status = 'closed' AND a = 1") == "");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE status = 'open' AND b = 1") ==
          "public.t_not_gone");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE status = 'gone' AND b = 1") == "");
}

TEST_CASE("a partial index on a boolean column: WHERE active and WHERE NOT active") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_on ON t (a) WHERE active;"
                                            "CREATE INDEX t_off ON t (b) WHERE NOT active;");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE active AND a = 1") == "public.t_on");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE active = true AND a = 1") == "public.t_on");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE active IS TRUE AND a = 1") == "public.t_on");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE a = 1") == "");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE active = false AND b = 1") == "public.t_off");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE active AND b = 1") == "");
}

TEST_CASE("a partial index whose predicate the query matches serves without a key condition") {
    const advisor::Catalog catalog = catalog_of(
        std::string(t_columns) + "CREATE INDEX t_pending ON t (id) WHERE status = 'pending';");
    const auto match = serving(catalog, "SELECT * FROM t WHERE status = 'pending'");
    REQUIRE(match);
    CHECK(match->leading_columns == 0);
    CHECK(match->reason == "the index predicate matches the query's filter");
}

TEST_CASE("a partial-index predicate with AND needs every part implied") {
    const advisor::IndexPredicate predicate =
        advisor::parse_index_predicate("deleted_at IS NULL AND status = 'active'::text");
    CHECK(advisor::predicate_implied(predicate, {{"deleted_at", PredicateKind::is_null, ""},
                                                 {"status", PredicateKind::equals, "active"}}));
    CHECK_FALSE(
        advisor::predicate_implied(predicate, {{"deleted_at", PredicateKind::is_null, ""}}));
    CHECK_FALSE(advisor::predicate_implied(advisor::parse_index_predicate("a > 5"),
                                           {{"a", PredicateKind::equals, "6"}}));
}

// --- index-only scans, validity, uniqueness
// --------------------------------------------------------

TEST_CASE("INCLUDE columns make an index-only scan possible; SELECT * does not") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_a ON t (a) INCLUDE (b);");
    const auto covered = serving(catalog, "SELECT a, b FROM t WHERE a = $1");
    REQUIRE(covered);
    CHECK(covered->index_only);
    const auto uncovered = serving(catalog, "SELECT a, c FROM t WHERE a = $1");
    REQUIRE(uncovered);
    CHECK_FALSE(uncovered->index_only);
    const auto star = serving(catalog, "SELECT * FROM t WHERE a = $1");
    REQUIRE(star);
    CHECK_FALSE(star->index_only);
}

TEST_CASE("an invalid index does not serve") {
    Index index = btree({"a"});
    index.valid = false;
    ScanAccess access = access_on_t();
    access.equality = {"a"};
    const IndexMatch match = advisor::match_index(index, access);
    CHECK_FALSE(match.serves);
    CHECK(match.reason == "index is not valid");
}

TEST_CASE("an index on another table does not serve") {
    ScanAccess access;
    access.table = "public.other";
    access.equality = {"a"};
    CHECK_FALSE(advisor::match_index(btree({"a"}), access).serves);
}

TEST_CASE("the primary key serves a look-up by id as a unique look-up") {
    const advisor::Catalog catalog = catalog_of(t_columns);
    const auto match = serving(catalog, "SELECT * FROM t WHERE id = $1");
    REQUIRE(match);
    CHECK(match->index == "public.t_pkey");
    CHECK(match->unique_lookup);
    CHECK_FALSE(serving(catalog, "SELECT * FROM t WHERE id > $1 AND a = 1")->unique_lookup);
}

TEST_CASE("a join column counts as equality for the inner side, unless joins are ignored") {
    const advisor::Catalog catalog = catalog_of(
        std::string(t_columns) +
        "CREATE TABLE u (id bigint PRIMARY KEY, t_id bigint); CREATE INDEX u_t_id ON u (t_id);");
    const std::string sql = "SELECT * FROM t JOIN u ON u.t_id = t.id WHERE t.a = 1";
    CHECK(served_by(catalog, sql, "public.u") == "public.u_t_id");
    CHECK_FALSE(serving(catalog, sql, "public.u", advisor::JoinColumns::ignored));
}

TEST_CASE("LIKE 'abc%' is a range only on a pattern opclass or the C collation") {
    const advisor::Catalog catalog = catalog_of(
        std::string(t_columns) + "CREATE INDEX t_name ON t (name);"
                                 "CREATE INDEX t_status ON t (status text_pattern_ops);");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE name LIKE 'ab%'") == "");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE status LIKE 'ab%'") == "public.t_status");
}

TEST_CASE("among a table's indexes the one using the most conditions is best") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_a ON t (a);"
                                            "CREATE INDEX t_a_b ON t (a, b);"
                                            "CREATE INDEX t_c ON t (c);");
    const std::string sql = "SELECT * FROM t WHERE a = 1 AND b = 2";
    CHECK(served_by(catalog, sql) == "public.t_a_b");
    const parsers::QueryFacts facts = parsers::extract_query_facts(sql, catalog);
    const advisor::IndexMatcher matcher(catalog);
    const ScanAccess access = advisor::scan_access(facts.scans[0]);
    const auto matches = matcher.matches(access);
    REQUIRE(matches.size() == 4); // t_pkey, t_a, t_a_b, t_c
    CHECK(matches[0].index == "public.t_a_b");
    CHECK(matches[1].index == "public.t_a");
    CHECK_FALSE(matches[3].serves);
    CHECK(matcher.any_serves(access));
    CHECK(matcher.best(access)->index == "public.t_a_b");
}

TEST_CASE("conditions under OR do not combine with the others into one index scan") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_b ON t (b);");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE a = 1 OR b = 2") == "");
}

// --- reference cases -----------------------------------------------------------------------------

TEST_CASE("reference: a column that already has an index is served") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_a ON t (a);");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE a = $1") == "public.t_a");
    CHECK(served_by(catalog, "SELECT * FROM t WHERE b = $1") == "");
}

TEST_CASE("reference: equality + ORDER BY ... LIMIT is served with the order by (a, b)") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_a_b ON t (a, b);");
    const auto match = serving(catalog, "SELECT * FROM t WHERE a = $1 ORDER BY b DESC LIMIT 10");
    REQUIRE(match);
    CHECK(match->satisfies_order);
    CHECK(match->backward);
}

TEST_CASE("reference: the join column posts.blog_id is served by an index on it") {
    const advisor::Catalog catalog =
        catalog_of("CREATE TABLE blogs (id bigint PRIMARY KEY, name text);"
                   "CREATE TABLE posts (id bigint PRIMARY KEY, blog_id bigint);"
                   "CREATE INDEX posts_blog_id ON posts (blog_id);");
    const std::string sql = "SELECT * FROM posts JOIN blogs ON blogs.id = posts.blog_id "
                            "WHERE blogs.name = $1";
    CHECK(served_by(catalog, sql, "public.posts") == "public.posts_blog_id");
    CHECK(served_by(catalog, sql, "public.blogs") == "public.blogs_pkey");
}

TEST_CASE("reference: UPDATE and DELETE with WHERE are served by an index on the filter") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_a ON t (a);");
    CHECK(served_by(catalog, "UPDATE t SET b = 1 WHERE a = $1") == "public.t_a");
    CHECK(served_by(catalog, "DELETE FROM t WHERE a = $1") == "public.t_a");
    CHECK(served_by(catalog, "DELETE FROM t WHERE b = $1") == "");
}

TEST_CASE("reference: a view's base table is served by its index") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_a ON t (a);"
                                            "CREATE VIEW v AS SELECT id, a FROM t;");
    CHECK(served_by(catalog, "SELECT * FROM v WHERE a = 1") == "public.t_a");
}

TEST_CASE("reference: a partitioned table is served by the index on the parent") {
    const advisor::Catalog catalog = catalog_of(
        "CREATE TABLE events (id bigint, tenant_id bigint, at timestamptz) PARTITION BY RANGE (at);"
        "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO "
        "('2025-01-01');"
        "CREATE INDEX events_tenant ON events (tenant_id, at);");
    const auto match =
        serving(catalog, "SELECT * FROM events WHERE tenant_id = $1 AND at > $2", "public.events");
    REQUIRE(match);
    CHECK(match->index == "public.events_tenant");
    CHECK(match->leading_columns == 2);
}

TEST_CASE("reference: quoted \"Bar\".\"Foo\" is served by its index") {
    const advisor::Catalog catalog =
        catalog_of("CREATE SCHEMA \"Bar\"; CREATE TABLE \"Bar\".\"Foo\" (\"Id\" int, x int);"
                   "CREATE INDEX \"Foo_x\" ON \"Bar\".\"Foo\" (x);");
    CHECK(served_by(catalog, "SELECT * FROM \"Bar\".\"Foo\" WHERE x = $1", "Bar.Foo") ==
          "Bar.Foo_x");
}

TEST_CASE("reference: ORDER BY 1 and ORDER BY alias are served by an index on the column") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_c ON t (c);");
    CHECK(serving(catalog, "SELECT c, a FROM t ORDER BY 1 LIMIT 5")->satisfies_order);
    CHECK(serving(catalog, "SELECT c AS k FROM t ORDER BY k LIMIT 5")->satisfies_order);
}

TEST_CASE("reference: a CTE inlined is served; a MATERIALIZED one keeps its filter outside") {
    const advisor::Catalog catalog =
        catalog_of(std::string(t_columns) + "CREATE INDEX t_a ON t (a);");
    CHECK(served_by(catalog, "WITH x AS (SELECT * FROM t) SELECT * FROM x WHERE a = 1") ==
          "public.t_a");
    CHECK(served_by(catalog,
                    "WITH x AS MATERIALIZED (SELECT * FROM t) SELECT * FROM x WHERE a = 1") == "");
}
