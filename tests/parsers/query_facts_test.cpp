// QueryFacts: one test per construct, written as the specification of what the rules may rely on.
#include "parsers/pg_ddl.hpp"
#include "parsers/pg_expr.hpp"
#include "parsers/query_facts.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <string>
#include <vector>

using parsers::ColumnRole;
using parsers::ColumnUse;
using parsers::NullsOrder;
using parsers::Operand;
using parsers::OrderKey;
using parsers::PredicateKind;
using parsers::QueryFacts;
using parsers::ScanMode;
using parsers::ScanPredicate;
using parsers::SortDirection;
using parsers::StatementKind;
using parsers::TableScan;

namespace {

const char* const blog_schema = R"sql(
CREATE TABLE users (
    id bigint PRIMARY KEY,
    email character varying(255) NOT NULL,
    name text,
    active boolean NOT NULL DEFAULT true,
    status text,
    deleted_at timestamptz,
    data jsonb,
    tags text[]
);
CREATE TABLE blogs (id bigint PRIMARY KEY, owner_id bigint REFERENCES users, title text);
CREATE TABLE posts (
    id bigint PRIMARY KEY,
    blog_id bigint REFERENCES blogs,
    author_id bigint REFERENCES users,
    parent_id bigint,
    title text,
    published boolean,
    created_at timestamptz NOT NULL
);
CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts, body text);
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint PRIMARY KEY, user_id bigint, total numeric);
CREATE VIEW active_users AS SELECT * FROM users WHERE deleted_at IS NULL;
CREATE MATERIALIZED VIEW blog_stats AS SELECT blog_id, count(*) AS posts FROM posts GROUP BY 1;
CREATE TABLE events (id bigint, tenant_id bigint, at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE SCHEMA "Bar";
CREATE TABLE "Bar"."Foo" ("Id" integer PRIMARY KEY, "Name" text);
)sql";

parsers::Catalog catalog_of(const std::string& ddl) {
    parsers::Catalog catalog;
    parsers::apply_postgres_ddl(ddl, catalog);
    return catalog;
}

QueryFacts facts_of(const std::string& sql) {
    const parsers::Catalog catalog = catalog_of(blog_schema);
    return parsers::extract_query_facts(sql, catalog);
}

// The one scan of `table`; fails the test when there is not exactly one.
const TableScan& scan_of(const QueryFacts& facts, const std::string& table) {
    const auto count = std::count_if(facts.scans.begin(), facts.scans.end(),
                                     [&](const TableScan& scan) { return scan.table == table; });
    REQUIRE_MESSAGE(count == 1, "scans of " << table << ": " << count);
    return *std::find_if(facts.scans.begin(), facts.scans.end(),
                         [&](const TableScan& scan) { return scan.table == table; });
}

// The keys (column or expression) of a scan's uses with a role, in order.
std::vector<std::string> keys(const TableScan& scan, ColumnRole role) {
    std::vector<std::string> found;
    for (const auto* use : scan.uses_with_role(role)) {
        found.push_back(use->key());
    }
    return found;
}

const ColumnUse& use_of(const TableScan& scan, ColumnRole role, const std::string& key) {
    const auto uses = scan.uses_with_role(role);
    const auto it = std::find_if(uses.begin(), uses.end(),
                                 [&](const ColumnUse* use) { return use->key() == key; });
    REQUIRE_MESSAGE(it != uses.end(), "no " << parsers::to_string(role) << " use of " << key);
    return **it;
}

using Keys = std::vector<std::string>;

} // namespace

// --- single table filters --------------------------------------------------------------------

TEST_CASE("WHERE col = $1 is an equality on that column against a parameter") {
    const QueryFacts facts = facts_of("SELECT id FROM users WHERE email = $1");
    CHECK(facts.kind == StatementKind::select);
    CHECK(facts.tables == Keys{"public.users"});
    const TableScan& users = scan_of(facts, "public.users");
    CHECK(keys(users, ColumnRole::eq) == Keys{"email"});
    const ColumnUse& email = use_of(users, ColumnRole::eq, "email");
    CHECK(email.table == "public.users");
    CHECK(email.operand == Operand::parameter);
    CHECK(keys(users, ColumnRole::select) == Keys{"id"});
}

TEST_CASE("two equalities give an eq use on each column") {
    const QueryFacts facts = facts_of("SELECT * FROM posts WHERE blog_id = $1 AND author_id = $2");
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::eq) == Keys{"blog_id", "author_id"});
}

TEST_CASE("equality plus range: eq on one column, range on the other with its operator") {
    const QueryFacts facts =
        facts_of("SELECT * FROM posts WHERE blog_id = 7 AND created_at >= '2024-01-01'");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(keys(posts, ColumnRole::eq) == Keys{"blog_id"});
    CHECK(use_of(posts, ColumnRole::eq, "blog_id").operand == Operand::constant);
    CHECK(keys(posts, ColumnRole::range) == Keys{"created_at"});
    CHECK(use_of(posts, ColumnRole::range, "created_at").operator_name == ">=");
}

TEST_CASE("WHERE 6412 = t.parent_id is an equality on parent_id") {
    const QueryFacts facts = facts_of("SELECT t.id FROM posts AS t WHERE 6412 = t.parent_id");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(posts.alias == "t");
    CHECK(keys(posts, ColumnRole::eq) == Keys{"parent_id"});
    CHECK(use_of(posts, ColumnRole::eq, "parent_id").operand == Operand::constant);
}

TEST_CASE("a range written value-first is flipped: 5 < col is col > 5") {
    const QueryFacts facts = facts_of("SELECT * FROM posts WHERE '2024-01-01' < created_at");
    CHECK(use_of(scan_of(facts, "public.posts"), ColumnRole::range, "created_at").operator_name ==
          ">");
}

TEST_CASE("casts see through: $1::UUID and t.col::text compare the column itself") {
    const QueryFacts facts =
        facts_of("SELECT * FROM users u WHERE u.id = $1::bigint AND u.email::text = 'a@b'");
    const TableScan& users = scan_of(facts, "public.users");
    CHECK(keys(users, ColumnRole::eq) == Keys{"id", "email"});
    CHECK(use_of(users, ColumnRole::eq, "id").operand == Operand::parameter);
    CHECK(use_of(users, ColumnRole::eq, "email").operand == Operand::constant);
}

TEST_CASE("an expression without the scan's columns is an expression operand") {
    const QueryFacts facts = facts_of("SELECT * FROM posts WHERE created_at < now() - '1 day'");
    CHECK(use_of(scan_of(facts, "public.posts"), ColumnRole::range, "created_at").operand ==
          Operand::expression);
}

TEST_CASE("IN lists and = ANY($1) are in uses") {
    const QueryFacts facts = facts_of(
        "SELECT * FROM posts WHERE blog_id IN (1, 2, 3) AND author_id = ANY($1::bigint[])");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(keys(posts, ColumnRole::in) == Keys{"blog_id", "author_id"});
    CHECK(use_of(posts, ColumnRole::in, "blog_id").operand == Operand::constant);
    CHECK(use_of(posts, ColumnRole::in, "author_id").operand == Operand::parameter);
}

TEST_CASE("IN with one element is an equality, as PostgreSQL's parser makes it") {
    const QueryFacts facts = facts_of("SELECT * FROM posts WHERE blog_id IN ($1)");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(keys(posts, ColumnRole::eq) == Keys{"blog_id"});
    CHECK(keys(posts, ColumnRole::in).empty());
}

TEST_CASE("BETWEEN is a range") {
    const QueryFacts facts = facts_of("SELECT * FROM posts WHERE created_at BETWEEN $1 AND $2");
    const ColumnUse& use = use_of(scan_of(facts, "public.posts"), ColumnRole::range, "created_at");
    CHECK(use.operator_name == "between");
    CHECK(use.operand == Operand::parameter);
}

TEST_CASE("NOT BETWEEN and <> are not index conditions") {
    const QueryFacts facts =
        facts_of("SELECT * FROM posts WHERE created_at NOT BETWEEN $1 AND $2 AND blog_id <> 3");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(keys(posts, ColumnRole::range).empty());
    CHECK(keys(posts, ColumnRole::eq).empty());
}

TEST_CASE("IS NULL is an is_null use; IS NOT NULL only a predicate") {
    const QueryFacts facts =
        facts_of("SELECT * FROM users WHERE deleted_at IS NULL AND name IS NOT NULL");
    const TableScan& users = scan_of(facts, "public.users");
    CHECK(keys(users, ColumnRole::is_null) == Keys{"deleted_at"});
    CHECK(users.predicates == std::vector<ScanPredicate>{
                                  {"deleted_at", PredicateKind::is_null, ""},
                                  {"name", PredicateKind::is_not_null, ""},
                              });
}

TEST_CASE("LIKE 'abc%' is a like prefix; LIKE '%abc' and LIKE $1 are not") {
    const QueryFacts prefix = facts_of("SELECT * FROM users WHERE name LIKE 'abc%'");
    CHECK(keys(scan_of(prefix, "public.users"), ColumnRole::like_prefix) == Keys{"name"});
    const QueryFacts infix = facts_of("SELECT * FROM users WHERE name LIKE '%abc'");
    CHECK(keys(scan_of(infix, "public.users"), ColumnRole::like_prefix).empty());
    const QueryFacts parameter = facts_of("SELECT * FROM users WHERE name LIKE $1");
    CHECK(keys(scan_of(parameter, "public.users"), ColumnRole::like_prefix).empty());
}

TEST_CASE("lower(email) = $1 is an equality on the function-wrapped expression") {
    const QueryFacts facts = facts_of("SELECT * FROM users u WHERE lower(u.email) = $1");
    const ColumnUse& use = use_of(scan_of(facts, "public.users"), ColumnRole::eq, "lower(email)");
    CHECK(use.column == "email");
    CHECK(use.expression == "lower(email)");
    CHECK(use.operand == Operand::parameter);
}

TEST_CASE("an expression over two tables is not a use of either") {
    const QueryFacts facts = facts_of("SELECT * FROM users u, billing.invoices i "
                                      "WHERE coalesce(u.name, i.total::text) = 'x'");
    CHECK(keys(scan_of(facts, "public.users"), ColumnRole::eq).empty());
    CHECK(keys(scan_of(facts, "billing.invoices"), ColumnRole::eq).empty());
}

TEST_CASE("boolean columns: WHERE active and NOT active are equalities and predicates") {
    const QueryFacts facts = facts_of("SELECT * FROM users u JOIN posts p ON p.author_id = u.id "
                                      "WHERE u.active AND NOT p.published");
    const TableScan& users = scan_of(facts, "public.users");
    CHECK(keys(users, ColumnRole::eq) == Keys{"active"});
    CHECK(users.predicates == std::vector<ScanPredicate>{{"active", PredicateKind::is_true, ""}});
    CHECK(scan_of(facts, "public.posts").predicates ==
          std::vector<ScanPredicate>{{"published", PredicateKind::is_false, ""}});
}

TEST_CASE("predicates: equal constants keep their value, = true is a boolean test") {
    const QueryFacts facts = facts_of("SELECT * FROM users WHERE status = 'active'::text AND "
                                      "active = true AND id = $1 AND deleted_at > now()");
    CHECK(scan_of(facts, "public.users").predicates ==
          std::vector<ScanPredicate>{
              {"status", PredicateKind::equals, "active"},
              {"active", PredicateKind::is_true, ""},
              {"id", PredicateKind::strict_comparison, ""},
              {"deleted_at", PredicateKind::strict_comparison, ""},
          });
}

TEST_CASE("conditions under OR are marked and give no predicate") {
    const QueryFacts facts =
        facts_of("SELECT * FROM posts WHERE blog_id = 1 AND (author_id = 2 OR parent_id = 3)");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK_FALSE(use_of(posts, ColumnRole::eq, "blog_id").under_or);
    CHECK(use_of(posts, ColumnRole::eq, "author_id").under_or);
    CHECK(use_of(posts, ColumnRole::eq, "parent_id").under_or);
    CHECK(posts.predicates == std::vector<ScanPredicate>{{"blog_id", PredicateKind::equals, "1"}});
}

// --- JSON --------------------------------------------------------------------------------------

TEST_CASE("JSON paths ->, ->> and #>> are json_path uses with their expression") {
    const QueryFacts facts =
        facts_of("SELECT data -> 'a' ->> 'b', data #>> '{x,y}' FROM users WHERE id = 1");
    const TableScan& users = scan_of(facts, "public.users");
    CHECK(keys(users, ColumnRole::json_path) == Keys{"(data -> 'a') ->> 'b'", "data #>> '{x,y}'"});
    CHECK(use_of(users, ColumnRole::json_path, "data #>> '{x,y}'").operator_name == "#>>");
    // Only the path is fetched, not the whole document.
    CHECK(keys(users, ColumnRole::select).empty());
}

TEST_CASE("(data ->> 'key') = $1 is an equality on the path expression") {
    const QueryFacts facts = facts_of("SELECT id FROM users u WHERE (u.data ->> 'plan') = $1");
    const TableScan& users = scan_of(facts, "public.users");
    const ColumnUse& use = use_of(users, ColumnRole::eq, "data ->> 'plan'");
    CHECK(use.column == "data");
    CHECK(keys(users, ColumnRole::json_path) == Keys{"data ->> 'plan'"});
}

TEST_CASE("JSON containment @>, ?, ?| and ?& are json_contains uses with their operator") {
    const QueryFacts facts =
        facts_of("SELECT * FROM users WHERE data @> '{\"a\": 1}' AND data ? 'k' AND "
                 "data ?| array['x', 'y'] AND data ?& array['z']");
    const TableScan& users = scan_of(facts, "public.users");
    std::vector<std::string> operators;
    for (const auto* use : users.uses_with_role(ColumnRole::json_contains)) {
        CHECK(use->column == "data");
        operators.push_back(use->operator_name);
    }
    CHECK(operators == Keys{"@>", "?", "?|", "?&"});
}

TEST_CASE("containment written value-first: '{}' <@ data is data @> '{}'") {
    const QueryFacts facts = facts_of("SELECT * FROM users WHERE '{\"a\": 1}' <@ data");
    CHECK(use_of(scan_of(facts, "public.users"), ColumnRole::json_contains, "data").operator_name ==
          "@>");
}

TEST_CASE("array overlap && is a containment use") {
    const QueryFacts facts = facts_of("SELECT * FROM users WHERE tags && $1");
    CHECK(use_of(scan_of(facts, "public.users"), ColumnRole::json_contains, "tags").operator_name ==
          "&&");
}

// --- select list, ORDER BY, GROUP BY, LIMIT
// --------------------------------------------------------

TEST_CASE("SELECT * marks every table; t.* only t") {
    const QueryFacts all = facts_of("SELECT * FROM posts p JOIN blogs b ON b.id = p.blog_id");
    CHECK(scan_of(all, "public.posts").select_star);
    CHECK(scan_of(all, "public.blogs").select_star);
    const QueryFacts one =
        facts_of("SELECT p.*, b.title FROM posts p JOIN blogs b ON b.id = p.blog_id");
    CHECK(scan_of(one, "public.posts").select_star);
    CHECK_FALSE(scan_of(one, "public.blogs").select_star);
    CHECK(keys(scan_of(one, "public.blogs"), ColumnRole::select) == Keys{"title"});
}

TEST_CASE("EXISTS (SELECT * ...) does not read every column") {
    const QueryFacts facts = facts_of(
        "SELECT id FROM users u WHERE EXISTS (SELECT * FROM posts p WHERE p.author_id = u.id)");
    CHECK_FALSE(scan_of(facts, "public.posts").select_star);
}

TEST_CASE("equality + ORDER BY ... LIMIT: the order key with its direction, and the limit") {
    const QueryFacts facts = facts_of(
        "SELECT * FROM posts WHERE blog_id = $1 ORDER BY created_at DESC LIMIT 20 OFFSET 40");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(use_of(posts, ColumnRole::order, "created_at").direction == SortDirection::descending);
    CHECK(posts.order_by == std::vector<OrderKey>{{"created_at", SortDirection::descending,
                                                   NullsOrder::unspecified}});
    CHECK(posts.limited);
    CHECK(facts.has_limit);
    CHECK(facts.limit == 20);
    CHECK(facts.has_offset);
    CHECK(facts.offset == 40);
}

TEST_CASE("ORDER BY keeps NULLS FIRST / LAST") {
    const QueryFacts facts =
        facts_of("SELECT * FROM posts ORDER BY created_at ASC NULLS FIRST, id DESC NULLS LAST");
    CHECK(scan_of(facts, "public.posts").order_by ==
          std::vector<OrderKey>{{"created_at", SortDirection::ascending, NullsOrder::first},
                                {"id", SortDirection::descending, NullsOrder::last}});
}

TEST_CASE("ORDER BY 1 resolves to the first select-list column") {
    const QueryFacts facts = facts_of("SELECT created_at, title FROM posts ORDER BY 1 DESC");
    CHECK(
        scan_of(facts, "public.posts").order_by ==
        std::vector<OrderKey>{{"created_at", SortDirection::descending, NullsOrder::unspecified}});
}

TEST_CASE("ORDER BY alias resolves to the aliased column") {
    const QueryFacts facts =
        facts_of("SELECT title, created_at AS published_on FROM posts ORDER BY published_on");
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::order) == Keys{"created_at"});
}

TEST_CASE("ORDER BY on columns of two tables gives no scan an order to deliver") {
    const QueryFacts facts = facts_of("SELECT * FROM posts p JOIN blogs b ON b.id = p.blog_id "
                                      "ORDER BY b.title, p.created_at");
    CHECK(scan_of(facts, "public.posts").order_by.empty());
    CHECK(scan_of(facts, "public.blogs").order_by.empty());
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::order) == Keys{"created_at"});
}

TEST_CASE("ORDER BY an expression is an order use on the expression") {
    const QueryFacts facts = facts_of("SELECT * FROM users ORDER BY lower(name)");
    CHECK(keys(scan_of(facts, "public.users"), ColumnRole::order) == Keys{"lower(name)"});
}

TEST_CASE("GROUP BY columns, GROUP BY 1 and the aggregated ORDER BY") {
    const QueryFacts facts = facts_of("SELECT blog_id, author_id, count(*) FROM posts "
                                      "GROUP BY 1, author_id ORDER BY count(*) DESC");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(keys(posts, ColumnRole::group) == Keys{"blog_id", "author_id"});
    CHECK(keys(posts, ColumnRole::order).empty());
    CHECK(posts.order_by.empty());
    CHECK_FALSE(facts.aggregate_only);
}

TEST_CASE("LIMIT $1 is a limit of unknown size; LIMIT ALL is none") {
    const QueryFacts parameter = facts_of("SELECT * FROM posts LIMIT $1");
    CHECK(parameter.has_limit);
    CHECK_FALSE(parameter.limit.has_value());
    const QueryFacts all = facts_of("SELECT * FROM posts LIMIT ALL");
    CHECK_FALSE(all.has_limit);
    const QueryFacts fetch = facts_of("SELECT * FROM posts FETCH FIRST 5 ROWS ONLY");
    CHECK(fetch.limit == 5);
}

TEST_CASE("SELECT count(*) is aggregate-only") {
    CHECK(facts_of("SELECT count(*) FROM posts WHERE blog_id = 1").aggregate_only);
    CHECK(facts_of("SELECT max(created_at), count(DISTINCT author_id) FROM posts").aggregate_only);
    CHECK_FALSE(facts_of("SELECT blog_id, count(*) FROM posts GROUP BY blog_id").aggregate_only);
    CHECK_FALSE(facts_of("SELECT count(*) OVER (), id FROM posts").aggregate_only);
    CHECK_FALSE(facts_of("SELECT id FROM posts").aggregate_only);
}

// --- relations -------------------------------------------------------------------------------

TEST_CASE("SELECT 1 has no table") {
    const QueryFacts facts = facts_of("SELECT 1");
    CHECK(facts.kind == StatementKind::select);
    CHECK(facts.scans.empty());
    CHECK(facts.tables.empty());
    CHECK_FALSE(facts.error.has_value());
}

TEST_CASE("aliases and schemas resolve to the schema-qualified table") {
    const QueryFacts facts =
        facts_of("SELECT i.total FROM billing.invoices AS i WHERE i.user_id = $1");
    const TableScan& invoices = scan_of(facts, "billing.invoices");
    CHECK(invoices.alias == "i");
    CHECK(invoices.in_catalog);
    CHECK(use_of(invoices, ColumnRole::eq, "user_id").table == "billing.invoices");
}

TEST_CASE("an unqualified name found only in a non-public schema resolves there") {
    const QueryFacts facts = facts_of("SELECT * FROM invoices WHERE user_id = 1");
    CHECK(facts.tables == Keys{"billing.invoices"});
    CHECK(facts.unknown_tables.empty());
}

TEST_CASE("quoted schema and table names \"Bar\".\"Foo\" keep their case") {
    const QueryFacts facts = facts_of("SELECT \"Name\" FROM \"Bar\".\"Foo\" WHERE \"Id\" = $1");
    const TableScan& foo = scan_of(facts, "Bar.Foo");
    CHECK(foo.in_catalog);
    CHECK(keys(foo, ColumnRole::eq) == Keys{"Id"});
    CHECK(keys(foo, ColumnRole::select) == Keys{"Name"});
}

TEST_CASE("unqualified columns resolve through the catalog's columns") {
    const QueryFacts facts = facts_of(
        "SELECT title FROM posts JOIN blogs ON blogs.id = posts.blog_id WHERE author_id = 5 "
        "AND owner_id = 6");
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::eq) == Keys{"author_id"});
    CHECK(keys(scan_of(facts, "public.blogs"), ColumnRole::eq) == Keys{"owner_id"});
}

TEST_CASE("an ambiguous unqualified column is attributed to no table") {
    // Both posts and blogs have `title`: PostgreSQL rejects the query; the facts stay silent.
    const QueryFacts facts =
        facts_of("SELECT 1 FROM posts JOIN blogs ON blogs.id = posts.blog_id WHERE title = 'x'");
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::eq).empty());
    CHECK(keys(scan_of(facts, "public.blogs"), ColumnRole::eq).empty());
}

TEST_CASE("an unknown table is recorded, with the columns used on it") {
    const QueryFacts facts = facts_of("SELECT * FROM audit_log WHERE actor_id = $1");
    CHECK(facts.unknown_tables == Keys{"public.audit_log"});
    const TableScan& log = scan_of(facts, "public.audit_log");
    CHECK_FALSE(log.in_catalog);
    CHECK(keys(log, ColumnRole::eq) == Keys{"actor_id"});
}

TEST_CASE("system catalogs are flagged: pg_catalog, information_schema, unqualified pg_*") {
    const QueryFacts facts =
        facts_of("SELECT c.relname FROM pg_class c JOIN information_schema.tables t "
                 "ON t.table_name = c.relname JOIN pg_catalog.pg_namespace n ON n.oid = "
                 "c.relnamespace");
    CHECK(facts.references_system_catalog());
    CHECK(facts.system_tables ==
          Keys{"information_schema.tables", "pg_catalog.pg_class", "pg_catalog.pg_namespace"});
    CHECK(facts.unknown_tables.empty());
    CHECK(scan_of(facts, "pg_catalog.pg_class").system_catalog);
}

TEST_CASE("an unparsable query gives an error value, not an exception") {
    QueryFacts facts;
    CHECK_NOTHROW(facts = facts_of("SELEC * FROM users WHERE"));
    REQUIRE(facts.error.has_value());
    CHECK(facts.error->find("syntax error") != std::string::npos);
    CHECK(facts.scans.empty());
}

TEST_CASE("a view is resolved to its base table, with the view's own filter") {
    const QueryFacts facts = facts_of("SELECT id FROM active_users WHERE email = $1");
    CHECK(facts.views == Keys{"public.active_users"});
    CHECK(facts.tables == Keys{"public.users"});
    const TableScan& users = scan_of(facts, "public.users");
    CHECK(users.via_view == "public.active_users");
    CHECK(keys(users, ColumnRole::eq) == Keys{"email"});
    CHECK(keys(users, ColumnRole::is_null) == Keys{"deleted_at"});
    CHECK(users.predicates == std::vector<ScanPredicate>{
                                  {"deleted_at", PredicateKind::is_null, ""},
                                  {"email", PredicateKind::strict_comparison, ""},
                              });
}

TEST_CASE("a materialized view is scanned itself: it has its own storage and indexes") {
    const QueryFacts facts = facts_of("SELECT posts FROM blog_stats WHERE blog_id = $1");
    CHECK(facts.views.empty());
    CHECK(keys(scan_of(facts, "public.blog_stats"), ColumnRole::eq) == Keys{"blog_id"});
}

TEST_CASE("a partitioned table is scanned as the parent table") {
    const QueryFacts facts =
        facts_of("SELECT * FROM events WHERE tenant_id = $1 AND at >= $2 ORDER BY at");
    const TableScan& events = scan_of(facts, "public.events");
    CHECK(events.in_catalog);
    CHECK(keys(events, ColumnRole::eq) == Keys{"tenant_id"});
    CHECK(keys(events, ColumnRole::range) == Keys{"at"});
}

TEST_CASE("a self-join gives two scans of the same table") {
    const QueryFacts facts =
        facts_of("SELECT c.id FROM posts c JOIN posts p ON p.id = c.parent_id WHERE p.blog_id = 1");
    REQUIRE(facts.scans.size() == 2);
    CHECK(facts.scans[0].alias == "c");
    CHECK(keys(facts.scans[0], ColumnRole::join) == Keys{"parent_id"});
    CHECK(keys(facts.scans[1], ColumnRole::join) == Keys{"id"});
    CHECK(keys(facts.scans[1], ColumnRole::eq) == Keys{"blog_id"});
    CHECK(facts.tables == Keys{"public.posts"});
}

// --- joins -----------------------------------------------------------------------------------

TEST_CASE("JOIN blogs ON blogs.id = posts.blog_id gives posts.blog_id as a join column") {
    const QueryFacts facts = facts_of(
        "SELECT posts.* FROM posts JOIN blogs ON blogs.id = posts.blog_id WHERE blogs.id = $1");
    const ColumnUse& blog_id = use_of(scan_of(facts, "public.posts"), ColumnRole::join, "blog_id");
    CHECK(blog_id.operand == Operand::column);
    CHECK(blog_id.joined_table == "public.blogs");
    CHECK(blog_id.joined_column == "id");
    CHECK(use_of(scan_of(facts, "public.blogs"), ColumnRole::join, "id").joined_column ==
          "blog_id");
}

TEST_CASE("JOIN USING (col) joins the column of both sides") {
    const QueryFacts facts =
        facts_of("SELECT * FROM comments JOIN (SELECT id AS post_id, title FROM posts) p "
                 "USING (post_id)");
    CHECK(use_of(scan_of(facts, "public.comments"), ColumnRole::join, "post_id").joined_column ==
          "id");
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::join) == Keys{"id"});
}

TEST_CASE("implicit joins in WHERE are joins") {
    const QueryFacts facts =
        facts_of("SELECT * FROM posts p, comments c WHERE c.post_id = p.id AND p.blog_id = 1");
    CHECK(keys(scan_of(facts, "public.comments"), ColumnRole::join) == Keys{"post_id"});
}

TEST_CASE("a LEFT JOIN's ON restricts only the nullable side") {
    const QueryFacts facts = facts_of("SELECT * FROM users u LEFT JOIN posts p "
                                      "ON p.author_id = u.id AND p.published AND u.active");
    const TableScan& users = scan_of(facts, "public.users");
    CHECK(keys(users, ColumnRole::join) == Keys{"id"});
    CHECK(keys(users, ColumnRole::eq).empty());
    CHECK(users.predicates.empty());
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::eq) == Keys{"published"});
}

TEST_CASE("a RIGHT JOIN's ON restricts the left side; a FULL JOIN's neither") {
    const QueryFacts right = facts_of("SELECT * FROM posts p RIGHT JOIN users u "
                                      "ON p.author_id = u.id AND p.published AND u.active");
    CHECK(keys(scan_of(right, "public.posts"), ColumnRole::eq) == Keys{"published"});
    CHECK(keys(scan_of(right, "public.users"), ColumnRole::eq).empty());
    const QueryFacts full = facts_of("SELECT * FROM posts p FULL JOIN users u "
                                     "ON p.author_id = u.id AND p.published AND u.active");
    CHECK(keys(scan_of(full, "public.posts"), ColumnRole::eq).empty());
    CHECK(keys(scan_of(full, "public.posts"), ColumnRole::join) == Keys{"author_id"});
    CHECK(keys(scan_of(full, "public.users"), ColumnRole::eq).empty());
}

// --- sub-selects -----------------------------------------------------------------------------

TEST_CASE("a sub-select in FROM passes the outer filter to its table") {
    const QueryFacts facts = facts_of("SELECT * FROM (SELECT id, blog_id, created_at FROM posts) "
                                      "p WHERE p.blog_id = 3 ORDER BY p.created_at");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(keys(posts, ColumnRole::eq) == Keys{"blog_id"});
    CHECK(keys(posts, ColumnRole::order) == Keys{"created_at"});
}

TEST_CASE("a sub-select output over an expression carries the expression") {
    const QueryFacts facts =
        facts_of("SELECT * FROM (SELECT id, lower(email) AS login FROM users) u "
                 "WHERE u.login = $1");
    CHECK(keys(scan_of(facts, "public.users"), ColumnRole::eq) == Keys{"lower(email)"});
}

TEST_CASE("a sub-select with LIMIT keeps the outer filter outside") {
    const QueryFacts facts =
        facts_of("SELECT * FROM (SELECT * FROM posts ORDER BY id LIMIT 10) p WHERE p.blog_id = 3");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(keys(posts, ColumnRole::eq).empty());
    CHECK(posts.limited);
    CHECK(posts.order_by == std::vector<OrderKey>{{"id"}});
}

TEST_CASE("IN (SELECT ...) under OR is a join marked under OR") {
    const QueryFacts facts = facts_of("SELECT * FROM users WHERE status = 'x' OR id IN "
                                      "(SELECT author_id FROM posts)");
    CHECK(use_of(scan_of(facts, "public.users"), ColumnRole::join, "id").under_or);
}

TEST_CASE("IN (SELECT ...) is a semi-join between the two columns") {
    const QueryFacts facts = facts_of(
        "SELECT * FROM users WHERE id IN (SELECT author_id FROM posts WHERE blog_id = $1)");
    CHECK(use_of(scan_of(facts, "public.users"), ColumnRole::join, "id").joined_column ==
          "author_id");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(use_of(posts, ColumnRole::join, "author_id").joined_table == "public.users");
    CHECK(keys(posts, ColumnRole::eq) == Keys{"blog_id"});
}

TEST_CASE("a correlated EXISTS joins the inner column to the outer one") {
    const QueryFacts facts =
        facts_of("SELECT * FROM posts p WHERE NOT EXISTS (SELECT 1 FROM comments c WHERE "
                 "c.post_id = p.id AND c.body LIKE 'spam%')");
    const TableScan& comments = scan_of(facts, "public.comments");
    CHECK(use_of(comments, ColumnRole::join, "post_id").joined_table == "public.posts");
    CHECK(keys(comments, ColumnRole::like_prefix) == Keys{"body"});
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::join) == Keys{"id"});
}

TEST_CASE("a correlated sub-select in the select list") {
    const QueryFacts facts = facts_of("SELECT b.title, (SELECT count(*) FROM posts p WHERE "
                                      "p.blog_id = b.id) AS posts FROM blogs b");
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::join) == Keys{"blog_id"});
    CHECK(keys(scan_of(facts, "public.blogs"), ColumnRole::select) == Keys{"title"});
    CHECK_FALSE(facts.aggregate_only);
}

TEST_CASE("a comparison with an outer column only is no filter of the inner scan") {
    const QueryFacts facts = facts_of("SELECT * FROM users u WHERE EXISTS (SELECT 1 FROM posts p "
                                      "WHERE p.author_id = u.id AND u.status = 'x')");
    CHECK(keys(scan_of(facts, "public.users"), ColumnRole::eq).empty());
}

// --- CTEs and set operations -------------------------------------------------------------------

TEST_CASE("a CTE referenced once is inlined: the outer filter reaches its table") {
    const QueryFacts facts = facts_of("WITH recent AS (SELECT * FROM posts WHERE created_at > $1) "
                                      "SELECT * FROM recent WHERE blog_id = $2");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(keys(posts, ColumnRole::range) == Keys{"created_at"});
    CHECK(keys(posts, ColumnRole::eq) == Keys{"blog_id"});
}

TEST_CASE("a MATERIALIZED CTE keeps the outer filter outside") {
    const QueryFacts facts =
        facts_of("WITH recent AS MATERIALIZED (SELECT * FROM posts WHERE created_at > $1) "
                 "SELECT * FROM recent WHERE blog_id = $2");
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(keys(posts, ColumnRole::range) == Keys{"created_at"});
    CHECK(keys(posts, ColumnRole::eq).empty());
}

TEST_CASE("a CTE referenced twice is scanned once; NOT MATERIALIZED inlines each reference") {
    const std::string body = " (SELECT * FROM posts WHERE created_at > $1) "
                             "SELECT * FROM r a JOIN r b ON a.parent_id = b.id";
    const QueryFacts twice = facts_of("WITH r AS" + body);
    CHECK(twice.scans.size() == 1);
    CHECK(keys(twice.scans[0], ColumnRole::join).empty());
    const QueryFacts inlined = facts_of("WITH r AS NOT MATERIALIZED" + body);
    REQUIRE(inlined.scans.size() == 2);
    CHECK(keys(inlined.scans[0], ColumnRole::join) == Keys{"parent_id"});
    CHECK(keys(inlined.scans[1], ColumnRole::join) == Keys{"id"});
}

TEST_CASE("a recursive CTE reads its table in both terms, joining the work table") {
    const QueryFacts facts =
        facts_of("WITH RECURSIVE thread AS (SELECT id, parent_id FROM posts WHERE id = $1 "
                 "UNION ALL SELECT p.id, p.parent_id FROM posts p JOIN thread t "
                 "ON p.parent_id = t.id) SELECT * FROM thread");
    REQUIRE(facts.scans.size() == 2);
    CHECK(keys(facts.scans[0], ColumnRole::eq) == Keys{"id"});
    // Each iteration looks posts up by parent_id; the work table is no table of the catalog.
    CHECK(keys(facts.scans[1], ColumnRole::join) == Keys{"parent_id"});
    CHECK(use_of(facts.scans[1], ColumnRole::join, "parent_id").joined_table.empty());
}

TEST_CASE("a data-modifying CTE runs: DELETE ... RETURNING feeds an INSERT") {
    const QueryFacts facts =
        facts_of("WITH gone AS (DELETE FROM posts WHERE blog_id = $1 RETURNING id) "
                 "INSERT INTO comments (post_id) SELECT id FROM gone");
    CHECK(facts.kind == StatementKind::insert);
    CHECK(scan_of(facts, "public.posts").mode == ScanMode::delete_);
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::eq) == Keys{"blog_id"});
    CHECK(scan_of(facts, "public.comments").mode == ScanMode::insert);
}

TEST_CASE("UNION / INTERSECT / EXCEPT branches are separate scans") {
    const QueryFacts facts =
        facts_of("SELECT id FROM users WHERE status = 'a' UNION SELECT author_id FROM posts "
                 "WHERE blog_id = 2 EXCEPT SELECT owner_id FROM blogs WHERE title = 'x' "
                 "ORDER BY 1 LIMIT 5");
    CHECK(keys(scan_of(facts, "public.users"), ColumnRole::eq) == Keys{"status"});
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::eq) == Keys{"blog_id"});
    CHECK(keys(scan_of(facts, "public.blogs"), ColumnRole::eq) == Keys{"title"});
    CHECK(keys(scan_of(facts, "public.users"), ColumnRole::order) == Keys{"id"});
    CHECK(scan_of(facts, "public.users").order_by.empty());
    CHECK(facts.limit == 5);
}

// --- writes ----------------------------------------------------------------------------------

TEST_CASE("UPDATE ... WHERE: the target scan is an update with its filter") {
    const QueryFacts facts =
        facts_of("UPDATE posts SET title = $1 WHERE blog_id = $2 AND created_at < $3 RETURNING id");
    CHECK(facts.kind == StatementKind::update);
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(posts.mode == ScanMode::update);
    CHECK(keys(posts, ColumnRole::eq) == Keys{"blog_id"});
    CHECK(keys(posts, ColumnRole::range) == Keys{"created_at"});
    CHECK(keys(posts, ColumnRole::select) == Keys{"id"});
}

TEST_CASE("UPDATE ... FROM joins the target to the other table") {
    const QueryFacts facts = facts_of("UPDATE posts p SET title = b.title FROM blogs b WHERE b.id "
                                      "= p.blog_id AND b.owner_id = 1");
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::join) == Keys{"blog_id"});
    CHECK(keys(scan_of(facts, "public.blogs"), ColumnRole::eq) == Keys{"owner_id"});
}

TEST_CASE("DELETE ... WHERE: the target scan is a delete with its filter") {
    const QueryFacts facts = facts_of("DELETE FROM comments WHERE post_id = $1");
    CHECK(facts.kind == StatementKind::delete_);
    const TableScan& comments = scan_of(facts, "public.comments");
    CHECK(comments.mode == ScanMode::delete_);
    CHECK(keys(comments, ColumnRole::eq) == Keys{"post_id"});
}

TEST_CASE("DELETE ... USING joins the target to the other table") {
    const QueryFacts facts =
        facts_of("DELETE FROM comments c USING posts p WHERE c.post_id = p.id AND p.blog_id = $1");
    CHECK(keys(scan_of(facts, "public.comments"), ColumnRole::join) == Keys{"post_id"});
}

TEST_CASE("INSERT ... VALUES writes one table and reads none") {
    const QueryFacts facts = facts_of("INSERT INTO comments (post_id, body) VALUES ($1, $2)");
    CHECK(facts.kind == StatementKind::insert);
    REQUIRE(facts.scans.size() == 1);
    CHECK(facts.scans[0].mode == ScanMode::insert);
    CHECK(facts.scans[0].uses.empty());
}

TEST_CASE("INSERT ... SELECT reads the source table and writes the target") {
    const QueryFacts facts = facts_of(
        "INSERT INTO comments (post_id, body) SELECT id, title FROM posts WHERE blog_id = $1");
    CHECK(scan_of(facts, "public.comments").mode == ScanMode::insert);
    const TableScan& posts = scan_of(facts, "public.posts");
    CHECK(posts.mode == ScanMode::read);
    CHECK(keys(posts, ColumnRole::eq) == Keys{"blog_id"});
}

TEST_CASE("INSERT ... ON CONFLICT records the arbiter columns") {
    const QueryFacts facts =
        facts_of("INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (email) "
                 "DO UPDATE SET name = excluded.name");
    CHECK(scan_of(facts, "public.users").conflict_columns == Keys{"email"});
}

TEST_CASE("statement kinds: other statements have no scans") {
    CHECK(facts_of("SET search_path TO public").kind == StatementKind::other);
    CHECK(facts_of("BEGIN").scans.empty());
    CHECK(facts_of("PREPARE q AS SELECT * FROM users WHERE id = $1").kind == StatementKind::select);
}

// --- entry points ------------------------------------------------------------------------------

TEST_CASE("facts from a parsed statement equal facts from its text") {
    const parsers::Catalog catalog = catalog_of(blog_schema);
    const std::string sql = "SELECT * FROM posts WHERE blog_id = $1 ORDER BY created_at";
    const parsers::pg::ParseOutcome parsed = parsers::pg::parse(sql);
    REQUIRE_FALSE(parsed.error);
    const QueryFacts from_node =
        parsers::extract_query_facts(parsed.tree.statement_node(0), catalog);
    const QueryFacts from_text = parsers::extract_query_facts(sql, catalog);
    REQUIRE(from_node.scans.size() == 1);
    CHECK(from_node.scans[0].uses == from_text.scans[0].uses);
    CHECK(from_node.scans[0].order_by == from_text.scans[0].order_by);
}

TEST_CASE("an extractor with a search_path resolves unqualified names through it") {
    const parsers::Catalog catalog =
        catalog_of("CREATE SCHEMA app; CREATE TABLE app.users (id int); CREATE TABLE users (id "
                   "int); CREATE TABLE app.orders (id int);");
    parsers::FactsOptions options;
    options.search_path = {"app", "public"};
    const parsers::QueryFactsExtractor extractor(catalog, options);
    CHECK(extractor.extract(std::string("SELECT * FROM users")).tables == Keys{"app.users"});
    CHECK(parsers::extract_query_facts("SELECT * FROM users", catalog).tables ==
          Keys{"public.users"});
}

TEST_CASE("canonical expressions drop column qualifiers and casts over columns and literals") {
    const auto canonical = [](const std::string& text) {
        return parsers::pg::canonical_expression_text(text);
    };
    CHECK(canonical("lower(u.email)") == "lower(email)");
    CHECK(canonical("lower((email)::text)") == "lower(email)");
    CHECK(canonical("(data ->> 'key'::text)") == "data ->> 'key'");
    CHECK(canonical("(data ->> 'n')::integer") != canonical("data ->> 'n'"));
}

TEST_CASE("a join to a materialized CTE's column is a join column with no partner table") {
    const QueryFacts facts = facts_of(
        "WITH counts AS MATERIALIZED (SELECT author_id, count(*) AS n FROM posts GROUP BY 1) "
        "SELECT * FROM users u JOIN counts c ON c.author_id = u.id");
    const ColumnUse& id = use_of(scan_of(facts, "public.users"), ColumnRole::join, "id");
    CHECK(id.joined_table.empty());
    CHECK(keys(scan_of(facts, "public.posts"), ColumnRole::join).empty());
}
