// The PostgreSQL DDL reader, construct by construct: what the catalog holds after each statement.
#include "parsers/catalog.hpp"
#include "parsers/input_error.hpp"
#include "parsers/pg_ddl.hpp"

#include <doctest/doctest.h>
#include <sstream>
#include <string>

using parsers::Catalog;
using parsers::ConstraintKind;
using parsers::TableKind;

namespace {

Catalog read(const std::string& sql) {
    Catalog catalog;
    parsers::apply_postgres_ddl(sql, catalog);
    return catalog;
}

Catalog read_script(const std::string& script) {
    Catalog catalog;
    std::istringstream input(script);
    parsers::read_postgres_ddl(input, "dump.sql", catalog);
    return catalog;
}

const parsers::Index& index_named(const Catalog& catalog, const std::string& qualified) {
    const parsers::Index* index = catalog.find_index(qualified);
    REQUIRE_MESSAGE(index != nullptr, "no index " << qualified);
    return *index;
}

} // namespace

TEST_CASE("CREATE TABLE records columns with PostgreSQL's type names and nullability") {
    const Catalog catalog = read("CREATE TABLE users (id bigint NOT NULL, email varchar(255), "
                                 "created_at timestamptz, score double precision, n int, "
                                 "tags text[], flag boolean NOT NULL DEFAULT false);");
    const parsers::Table* users = catalog.find_table("public.users");
    REQUIRE(users != nullptr);
    REQUIRE(users->columns.size() == 7);
    CHECK(users->columns[0].type == "bigint");
    CHECK_FALSE(users->columns[0].nullable);
    CHECK(users->columns[1].type == "character varying(255)");
    CHECK(users->columns[1].nullable);
    CHECK(users->columns[2].type == "timestamp with time zone");
    CHECK(users->columns[3].type == "double precision");
    CHECK(users->columns[4].type == "integer");
    CHECK(users->columns[5].type == "text[]");
    CHECK(users->columns[6].type == "boolean");
    CHECK_FALSE(users->columns[6].nullable);
}

TEST_CASE("json and jsonb columns are flagged, directly or through a domain, but not arrays") {
    const Catalog catalog =
        read("CREATE DOMAIN public.payload AS jsonb; "
             "CREATE TABLE t (a json, b jsonb, c public.payload, d jsonb[], e text);");
    const parsers::Table* t = catalog.find_table("public.t");
    REQUIRE(t != nullptr);
    CHECK(t->find_column("a")->json);
    CHECK(t->find_column("b")->json);
    CHECK(t->find_column("c")->json);
    CHECK_FALSE(t->find_column("d")->json);
    CHECK_FALSE(t->find_column("e")->json);
}

TEST_CASE("enums and domains keep their own type names") {
    const Catalog catalog = read("CREATE TYPE public.mood AS ENUM ('sad', 'ok'); "
                                 "CREATE TABLE t (m public.mood, d public.year);");
    CHECK(catalog.find_table("public.t")->find_column("m")->type == "public.mood");
    CHECK(catalog.find_table("public.t")->find_column("d")->type == "public.year");
}

TEST_CASE("an inline PRIMARY KEY creates <table>_pkey and makes the column NOT NULL") {
    const Catalog catalog = read("CREATE TABLE accounts (id serial PRIMARY KEY, name text);");
    const auto& pkey = index_named(catalog, "public.accounts_pkey");
    CHECK(pkey.constraint == ConstraintKind::primary_key);
    CHECK(pkey.unique);
    CHECK(pkey.key_texts() == std::vector<std::string>{"id"});
    const parsers::Table* accounts = catalog.find_table("public.accounts");
    CHECK(accounts->primary_key == std::vector<std::string>{"id"});
    CHECK_FALSE(accounts->find_column("id")->nullable);
    CHECK(accounts->find_column("id")->type == "integer");
}

TEST_CASE("unnamed UNIQUE constraints are named <table>_<columns>_key") {
    const Catalog catalog =
        read("CREATE TABLE members (org_id int, user_id int, email text UNIQUE, "
             "UNIQUE (org_id, user_id));");
    CHECK(index_named(catalog, "public.members_email_key").constraint == ConstraintKind::unique);
    const auto& pair = index_named(catalog, "public.members_org_id_user_id_key");
    CHECK(pair.key_texts() == std::vector<std::string>{"org_id", "user_id"});
    CHECK(catalog.find_table("public.members")->unique_constraints.size() == 2);
}

TEST_CASE("an implicit name that is taken gets a number, as ChooseRelationName does") {
    const Catalog catalog =
        read("CREATE TABLE t (a int); CREATE INDEX ON t (a); CREATE INDEX ON t (a);"
             "CREATE INDEX ON t (lower(a::text));");
    CHECK(catalog.find_index("public.t_a_idx") != nullptr);
    CHECK(catalog.find_index("public.t_a_idx1") != nullptr);
    CHECK(catalog.find_index("public.t_lower_idx") != nullptr);
}

TEST_CASE("long implicit names are cut to 63 bytes the way PostgreSQL cuts them") {
    CHECK(parsers::make_object_name("a_really_long_table_name_that_goes_on_and_on_forever",
                                    "another_quite_long_column_name", "fkey") ==
          "a_really_long_table_name_that_another_quite_long_column_na_fkey");
    CHECK(parsers::make_object_name("users", "", "pkey") == "users_pkey");
}

TEST_CASE("REFERENCES and FOREIGN KEY record foreign keys with PostgreSQL's implicit names") {
    const Catalog catalog =
        read("CREATE TABLE tenants (id bigint PRIMARY KEY);"
             "CREATE TABLE users (id bigint PRIMARY KEY, tenant_id bigint REFERENCES tenants,"
             " org int, team int, FOREIGN KEY (org, team) REFERENCES teams_x (o, t));");
    const parsers::Table* users = catalog.find_table("public.users");
    REQUIRE(users->foreign_keys.size() == 2);
    CHECK(users->foreign_keys[0].name == "users_tenant_id_fkey");
    CHECK(users->foreign_keys[0].columns == std::vector<std::string>{"tenant_id"});
    CHECK(users->foreign_keys[0].referenced_table == "public.tenants");
    CHECK(users->foreign_keys[0].referenced_columns == std::vector<std::string>{"id"});
    CHECK(users->foreign_keys[1].name == "users_org_team_fkey");
    CHECK(users->foreign_keys[1].referenced_columns == std::vector<std::string>{"o", "t"});
}

TEST_CASE("quoted, mixed-case identifiers keep their case; unquoted ones fold to lower case") {
    const Catalog catalog = read("CREATE SCHEMA \"Bar\"; CREATE TABLE \"Bar\".\"Foo\" (\"Id\" int, "
                                 "Name text, CONSTRAINT \"Foo_pk\" PRIMARY KEY (\"Id\"));"
                                 "CREATE TABLE Child (foo_id int REFERENCES \"Bar\".\"Foo\");");
    const parsers::Table* foo = catalog.find_table("Bar.Foo");
    REQUIRE(foo != nullptr);
    CHECK(foo->columns[0].name == "Id");
    CHECK(foo->columns[1].name == "name");
    CHECK(index_named(catalog, "Bar.Foo_pk").constraint == ConstraintKind::primary_key);
    const parsers::Table* child = catalog.find_table("public.child");
    REQUIRE(child != nullptr);
    CHECK(child->foreign_keys[0].referenced_table == "Bar.Foo");
    CHECK(child->foreign_keys[0].referenced_columns == std::vector<std::string>{"Id"});
}

TEST_CASE("pg_dump's set_config('search_path', '') and SET search_path decide the schema") {
    const Catalog catalog =
        read_script("SELECT pg_catalog.set_config('search_path', '', false);\n"
                    "CREATE SCHEMA app;\n"
                    "SET search_path = app, public;\n"
                    "CREATE TABLE items (id int);\n"
                    "CREATE INDEX items_id ON items (id);\n"
                    "SELECT pg_catalog.set_config('search_path', 'public', false);\n"
                    "CREATE TABLE other (id int);\n");
    CHECK(catalog.find_table("app.items") != nullptr);
    CHECK(index_named(catalog, "app.items_id").table == "app.items");
    CHECK(catalog.find_table("public.other") != nullptr);
}

TEST_CASE(
    "CREATE INDEX records method, expressions, opclasses, collations, order, INCLUDE and WHERE") {
    const Catalog catalog =
        read("CREATE TABLE t (a int, b text, c jsonb, d timestamptz, deleted_at timestamptz);"
             "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a_b ON ONLY t USING btree "
             "(a DESC NULLS LAST, b COLLATE \"C\" text_pattern_ops) INCLUDE (d) WHERE deleted_at "
             "IS NULL;"
             "CREATE INDEX t_c_gin ON t USING gin (c jsonb_path_ops);"
             "CREATE INDEX t_lower_b ON t (lower(b));");
    const auto& ab = index_named(catalog, "public.t_a_b");
    CHECK(ab.unique);
    CHECK(ab.method == "btree");
    REQUIRE(ab.keys.size() == 2);
    CHECK(ab.keys[0].descending);
    CHECK(ab.keys[0].nulls == "last");
    CHECK(ab.keys[1].collation == "C");
    CHECK(ab.keys[1].opclass == "text_pattern_ops");
    CHECK(ab.include == std::vector<std::string>{"d"});
    REQUIRE(ab.where.has_value());
    CHECK(*ab.where == "deleted_at IS NULL");
    CHECK(ab.constraint == ConstraintKind::none);
    const auto& gin = index_named(catalog, "public.t_c_gin");
    CHECK(gin.method == "gin");
    CHECK(gin.keys[0].opclass == "jsonb_path_ops");
    const auto& lower = index_named(catalog, "public.t_lower_b");
    CHECK(lower.keys[0].is_expression());
    CHECK(lower.keys[0].expression == "lower(b)");
}

TEST_CASE("CREATE INDEX IF NOT EXISTS on an existing name keeps the first definition silently") {
    const Catalog catalog = read("CREATE TABLE t (a int, b int); CREATE INDEX ix ON t (a);"
                                 "CREATE INDEX IF NOT EXISTS ix ON t (b);");
    CHECK(index_named(catalog, "public.ix").key_texts() == std::vector<std::string>{"a"});
    CHECK(catalog.warnings.empty());
}

TEST_CASE("ALTER TABLE ONLY ... ADD CONSTRAINT adds PK, UNIQUE, FK NOT VALID and EXCLUDE") {
    const Catalog catalog = read(
        "CREATE TABLE rooms (id int, code text); CREATE TABLE bookings (id int, room_id int, "
        "during tstzrange);"
        "ALTER TABLE ONLY rooms ADD CONSTRAINT rooms_pkey PRIMARY KEY (id);"
        "ALTER TABLE ONLY rooms ADD CONSTRAINT rooms_code_key UNIQUE (code);"
        "ALTER TABLE bookings ADD CONSTRAINT bookings_room_fk FOREIGN KEY (room_id) REFERENCES "
        "rooms(id) NOT VALID;"
        "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room_id WITH =, during "
        "WITH &&);");
    CHECK(index_named(catalog, "public.rooms_pkey").constraint == ConstraintKind::primary_key);
    CHECK(index_named(catalog, "public.rooms_code_key").constraint == ConstraintKind::unique);
    const parsers::Table* bookings = catalog.find_table("public.bookings");
    REQUIRE(bookings->foreign_keys.size() == 1);
    CHECK_FALSE(bookings->foreign_keys[0].validated);
    const auto& excl = index_named(catalog, "public.no_overlap");
    CHECK(excl.constraint == ConstraintKind::exclude);
    CHECK(excl.method == "gist");
    CHECK_FALSE(excl.unique);
    CHECK(excl.key_texts() == std::vector<std::string>{"room_id", "during"});
}

TEST_CASE("ADD CONSTRAINT ... UNIQUE USING INDEX turns the index into the constraint's") {
    const Catalog catalog =
        read("CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a_tmp ON t (a);"
             "ALTER TABLE t ADD CONSTRAINT t_a_uniq UNIQUE USING INDEX t_a_tmp;");
    CHECK(catalog.find_index("public.t_a_tmp") == nullptr);
    CHECK(index_named(catalog, "public.t_a_uniq").constraint == ConstraintKind::unique);
}

TEST_CASE("ALTER TABLE ADD/DROP COLUMN, and dropping a column drops its indexes and keys") {
    const Catalog catalog =
        read("CREATE TABLE t (id int PRIMARY KEY, a int, b int);"
             "CREATE INDEX t_a ON t (a); CREATE INDEX t_ab ON t (b) INCLUDE (a);"
             "ALTER TABLE t ADD COLUMN c jsonb NOT NULL, DROP COLUMN a;");
    const parsers::Table* t = catalog.find_table("public.t");
    CHECK(t->find_column("a") == nullptr);
    REQUIRE(t->find_column("c") != nullptr);
    CHECK(t->find_column("c")->json);
    CHECK_FALSE(t->find_column("c")->nullable);
    CHECK(catalog.find_index("public.t_a") == nullptr);
    CHECK(catalog.find_index("public.t_ab") == nullptr);
}

TEST_CASE("RENAME of table, column, constraint and index follows through keys and indexes") {
    const Catalog catalog =
        read("CREATE TABLE parent (id int PRIMARY KEY); CREATE TABLE child (pid int REFERENCES "
             "parent, x int); CREATE INDEX child_x ON child (x);"
             "ALTER TABLE parent RENAME TO owners; ALTER TABLE owners RENAME COLUMN id TO owner_id;"
             "ALTER TABLE child RENAME COLUMN x TO y; ALTER INDEX child_x RENAME TO child_y;"
             "ALTER TABLE owners RENAME CONSTRAINT parent_pkey TO owners_pkey;");
    CHECK(catalog.find_table("public.parent") == nullptr);
    const parsers::Table* owners = catalog.find_table("public.owners");
    REQUIRE(owners != nullptr);
    CHECK(owners->primary_key == std::vector<std::string>{"owner_id"});
    CHECK(index_named(catalog, "public.owners_pkey").table == "public.owners");
    const parsers::Table* child = catalog.find_table("public.child");
    CHECK(child->foreign_keys[0].referenced_table == "public.owners");
    CHECK(child->foreign_keys[0].referenced_columns == std::vector<std::string>{"owner_id"});
    CHECK(index_named(catalog, "public.child_y").key_texts() == std::vector<std::string>{"y"});
}

TEST_CASE("DROP INDEX, DROP TABLE and the --clean style IF EXISTS drops") {
    const Catalog catalog =
        read("DROP INDEX IF EXISTS public.nothing; DROP TABLE IF EXISTS public.nope;"
             "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int);"
             "CREATE INDEX b_id ON b (id); DROP INDEX b_id; DROP TABLE a;");
    CHECK(catalog.find_table("public.a") == nullptr);
    CHECK(catalog.find_index("public.a_pkey") == nullptr);
    CHECK(catalog.find_index("public.b_id") == nullptr);
    CHECK(catalog.warnings.empty());
}

TEST_CASE("PARTITION BY, PARTITION OF and ATTACH PARTITION; ON ONLY indexes become valid once "
          "every partition's index is attached") {
    const Catalog catalog = read(
        "CREATE TABLE payment (id int, paid_at date, customer_id int) PARTITION BY RANGE (paid_at);"
        "CREATE TABLE payment_2024 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO "
        "('2025-01-01');"
        "CREATE TABLE payment_2025 (id int, paid_at date, customer_id int);"
        "ALTER TABLE ONLY payment ATTACH PARTITION payment_2025 FOR VALUES FROM ('2025-01-01') TO "
        "('2026-01-01');"
        "CREATE INDEX idx_payment_customer ON ONLY payment (customer_id);"
        "CREATE INDEX payment_2024_customer ON payment_2024 (customer_id);"
        "ALTER INDEX idx_payment_customer ATTACH PARTITION payment_2024_customer;");
    const parsers::Table* payment = catalog.find_table("public.payment");
    REQUIRE(payment != nullptr);
    CHECK(payment->kind == TableKind::partitioned_table);
    CHECK(payment->partition_by == "range");
    CHECK(payment->partitions.size() == 2);
    CHECK(catalog.find_table("public.payment_2024")->partition_of == "public.payment");
    CHECK(catalog.find_table("public.payment_2024")->columns.size() == 3);
    CHECK_FALSE(index_named(catalog, "public.idx_payment_customer").valid);

    Catalog completed = catalog;
    parsers::apply_postgres_ddl(
        "CREATE INDEX payment_2025_customer ON payment_2025 (customer_id);"
        "ALTER INDEX idx_payment_customer ATTACH PARTITION payment_2025_customer;",
        completed);
    CHECK(index_named(completed, "public.idx_payment_customer").valid);
}

TEST_CASE("an index created on a partitioned table without ONLY is cloned onto its partitions") {
    const Catalog catalog =
        read("CREATE TABLE m (id int, k int) PARTITION BY HASH (k);"
             "CREATE TABLE m_0 PARTITION OF m FOR VALUES WITH (MODULUS 2, REMAINDER 0);"
             "CREATE INDEX m_k ON m (k);"
             "CREATE TABLE m_1 PARTITION OF m FOR VALUES WITH (MODULUS 2, REMAINDER 1);");
    CHECK(index_named(catalog, "public.m_k").valid);
    CHECK(index_named(catalog, "public.m_0_k_idx").parent_index == "public.m_k");
    CHECK(index_named(catalog, "public.m_1_k_idx").parent_index == "public.m_k");
}

TEST_CASE("INHERITS copies the parent's columns; UNLOGGED and IF NOT EXISTS are understood") {
    const Catalog catalog =
        read("CREATE TABLE base (id int, created_at timestamptz);"
             "CREATE UNLOGGED TABLE IF NOT EXISTS events (payload jsonb) INHERITS (base);"
             "CREATE TABLE IF NOT EXISTS events (other int);");
    const parsers::Table* events = catalog.find_table("public.events");
    REQUIRE(events != nullptr);
    CHECK(events->unlogged);
    CHECK(events->inherits == std::vector<std::string>{"public.base"});
    REQUIRE(events->columns.size() == 3);
    CHECK(events->columns[0].name == "id");
    CHECK(events->columns[2].name == "payload");
    CHECK(catalog.warnings.empty());
}

TEST_CASE("views and materialized views are recorded with their definitions") {
    const Catalog catalog =
        read("CREATE TABLE t (id int, a int); CREATE VIEW v AS SELECT id FROM t WHERE a = 1;"
             "CREATE MATERIALIZED VIEW mv AS SELECT a, count(*) FROM t GROUP BY a WITH NO DATA;");
    const parsers::Table* view = catalog.find_table("public.v");
    REQUIRE(view != nullptr);
    CHECK(view->kind == TableKind::view);
    CHECK(view->view_definition == "SELECT id FROM t WHERE a = 1");
    CHECK(catalog.find_table("public.mv")->kind == TableKind::materialized_view);
}

TEST_CASE("psql meta-commands are skipped and COPY ... FROM stdin data is skipped up to \\.") {
    const Catalog catalog = read_script("\\restrict abc123\n"
                                        "CREATE TABLE t (id int, note text);\n"
                                        "COPY public.t (id, note) FROM stdin;\n"
                                        "1\tCREATE TABLE nope (x int);\n"
                                        "2\tit's; fine\n"
                                        "\\.\n"
                                        "\\connect other\n"
                                        "CREATE INDEX t_id ON t (id);\n"
                                        "\\unrestrict abc123\n");
    CHECK(catalog.find_table("public.nope") == nullptr);
    CHECK(catalog.find_index("public.t_id") != nullptr);
    CHECK(catalog.warnings.empty());
}

TEST_CASE("semicolons inside quotes, dollar quotes, comments and parentheses do not split") {
    const Catalog catalog = read_script(
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN; END; $body$;\n"
        "COMMENT ON TABLE x IS 'a; b';\n"
        "/* a; /* nested; */ comment */ CREATE TABLE t (a text DEFAULT E'\\';', b int);\n"
        "-- CREATE TABLE commented (x int);\n"
        "CREATE RULE r AS ON INSERT TO t DO INSTEAD (SELECT 1; SELECT 2);\n");
    CHECK(catalog.find_table("public.t") != nullptr);
    CHECK(catalog.find_table("public.commented") == nullptr);
    CHECK(catalog.warnings.empty());
    CHECK(catalog.ignored_statement_kinds.at("CreateFunctionStmt") == 1);
    CHECK(catalog.ignored_statement_kinds.at("CommentStmt") == 1);
}

TEST_CASE("a statement libpg_query rejects is a warning with its line, and reading goes on") {
    const Catalog catalog = read_script("CREATE TABLE a (id int);\n"
                                        "\n"
                                        "CREATE TABLE b (\n"
                                        "  id int GENERATED ALWAYS AS (1) VIRTUAL\n"
                                        ");\n"
                                        "CREATE TABLE c (id int);\n");
    REQUIRE(catalog.warnings.size() == 1);
    CHECK(catalog.warnings[0].where.file == "dump.sql");
    CHECK(catalog.warnings[0].where.line == 4);
    CHECK(catalog.warnings[0].message.find("VIRTUAL") != std::string::npos);
    CHECK(catalog.find_table("public.c") != nullptr);
}

TEST_CASE("a statement over the size limit is skipped with a warning") {
    Catalog catalog;
    std::istringstream input("CREATE TABLE a (id int);\nINSERT INTO a VALUES ('" +
                             std::string(5000, 'x') + "');\nCREATE TABLE b (id int);\n");
    parsers::DdlReadOptions options;
    options.max_statement_bytes = 1000;
    parsers::read_postgres_ddl(input, "big.sql", catalog, options);
    REQUIRE(catalog.warnings.size() == 1);
    CHECK(catalog.warnings[0].where.line == 2);
    CHECK(catalog.find_table("public.b") != nullptr);
}

TEST_CASE("input with no statement at all, or none that parses, is an input error") {
    Catalog catalog;
    std::istringstream empty("-- nothing here\n\n");
    CHECK_THROWS_AS(parsers::read_postgres_ddl(empty, "empty.sql", catalog), parsers::InputError);
    std::istringstream garbage("this is not sql at all;\nneither is this;\n");
    CHECK_THROWS_WITH_AS(parsers::read_postgres_ddl(garbage, "garbage.sql", catalog),
                         doctest::Contains("garbage.sql:1"), parsers::InputError);
}

TEST_CASE("DDL files apply in order, as a series of migrations") {
    Catalog catalog;
    parsers::apply_postgres_ddl("CREATE TABLE t (id int PRIMARY KEY, a int);", catalog);
    parsers::apply_postgres_ddl("CREATE INDEX t_a ON t (a);", catalog);
    parsers::apply_postgres_ddl("ALTER TABLE t ADD COLUMN b jsonb; DROP INDEX t_a;"
                                "CREATE INDEX t_b ON t USING gin (b);",
                                catalog);
    CHECK(catalog.find_index("public.t_a") == nullptr);
    CHECK(catalog.find_index("public.t_b")->method == "gin");
    CHECK(catalog.find_table("public.t")->columns.size() == 3);
}

TEST_CASE("within one CREATE TABLE, a UNIQUE identical to the primary key makes no second index") {
    // PostgreSQL's transformIndexConstraints() merges identical key specifications.
    const Catalog pk_and_unique = read("CREATE TABLE t (id int, PRIMARY KEY (id), UNIQUE (id));");
    CHECK(pk_and_unique.indexes.size() == 1);
    CHECK(pk_and_unique.find_index("public.t_pkey") != nullptr);
    CHECK(read("CREATE TABLE t (id int UNIQUE PRIMARY KEY);").indexes.size() == 1);
    const Catalog twice = read("CREATE TABLE t (a int, b int, UNIQUE (a, b), UNIQUE (a, b));");
    REQUIRE(twice.indexes.size() == 1);
    CHECK(twice.indexes[0].name == "t_a_b_key");
    // The unnamed primary key takes the name of the named UNIQUE it absorbs.
    const Catalog renamed =
        read("CREATE TABLE t (id int PRIMARY KEY, CONSTRAINT t_id_uq UNIQUE (id));");
    REQUIRE(renamed.indexes.size() == 1);
    CHECK(renamed.indexes[0].name == "t_id_uq");
    CHECK(renamed.indexes[0].constraint == ConstraintKind::primary_key);
    // ALTER TABLE does not merge: PostgreSQL creates t_a_key and t_a_key1.
    const Catalog altered =
        read("CREATE TABLE t (a int); ALTER TABLE t ADD UNIQUE (a), ADD UNIQUE (a);");
    CHECK(altered.find_index("public.t_a_key") != nullptr);
    CHECK(altered.find_index("public.t_a_key1") != nullptr);
}
