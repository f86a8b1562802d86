// The SQLAlchemy model change each index fix carries (advisor/model_snippet.hpp).
#include "advisor/model_snippet.hpp"
#include "advisor/sql_text.hpp"
#include "parsers/pg_ddl.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>

namespace {

advisor::Catalog catalog_of(const std::string& ddl) {
    advisor::Catalog catalog;
    parsers::apply_postgres_ddl(ddl, catalog);
    return catalog;
}

const char* schema = "CREATE TABLE users (id bigint PRIMARY KEY, email text, tenant_id bigint,"
                     " deleted_at timestamptz, tags jsonb);"
                     "CREATE SCHEMA audit; CREATE TABLE audit.events (id bigint, user_id bigint);";

advisor::IndexSpec spec(const std::string& table, std::vector<advisor::IndexKey> keys,
                        const std::string& name) {
    advisor::IndexSpec index;
    index.table = table;
    index.keys = std::move(keys);
    index.name = name;
    return index;
}

advisor::IndexKey column(const std::string& name) {
    advisor::IndexKey key;
    key.column = name;
    return key;
}

} // namespace

TEST_CASE("an index named as SQLAlchemy's naming convention names it is index=True on the column") {
    const auto catalog = catalog_of(schema);
    const auto snippet = advisor::index_model_snippet(
        spec("public.users", {column("tenant_id")}, "ix_users_tenant_id"), catalog, {});
    CHECK(snippet == "# User.tenant_id: SQLAlchemy's default naming convention names this index "
                     "ix_users_tenant_id\n"
                     "tenant_id = mapped_column(..., index=True)  # or Column(..., index=True)");
}

TEST_CASE("other indexes are an Index(...) in __table_args__, with their PostgreSQL options") {
    const auto catalog = catalog_of(schema);
    auto partial =
        spec("public.users", {column("email"), column("tenant_id")}, "ix_users_email_tenant_id");
    partial.where = "deleted_at IS NULL";
    partial.unique = true;
    CHECK(advisor::index_model_snippet(partial, catalog, {}) ==
          "# User (table public.users): add to __table_args__\n"
          "Index(\"ix_users_email_tenant_id\", \"email\", \"tenant_id\", unique=True, "
          "postgresql_where=text(\"deleted_at IS NULL\")),");
    auto gin = spec("public.users", {column("tags")}, "ix_users_tags");
    gin.method = "gin";
    CHECK(advisor::index_model_snippet(gin, catalog, {})
              .find("Index(\"ix_users_tags\", \"tags\", postgresql_using=\"gin\"),") !=
          std::string::npos);
    advisor::IndexKey lower;
    lower.expression = "lower(email)";
    CHECK(advisor::index_model_snippet(spec("public.users", {lower}, "ix_users_lower_email"),
                                       catalog, {})
              .find("Index(\"ix_users_lower_email\", text(\"(lower(email))\"))") !=
          std::string::npos);
    // Outside the default schema SQLAlchemy's convention would say ix_audit_events_user_id.
    CHECK(advisor::index_model_snippet(
              spec("audit.events", {column("user_id")}, "ix_events_user_id"), catalog, {})
              .find("Index(\"ix_events_user_id\", \"user_id\"),") != std::string::npos);
}

TEST_CASE("snippets use the application's names from the --models file") {
    const auto catalog = catalog_of(schema);
    const auto path =
        (std::filesystem::temp_directory_path() / "advisor-models-test.json").string();
    std::ofstream(path) << R"({"users": {"class": "Account", "attributes": {"tenant_id": "org_id"},
        "relationships": {"tenant_id": {"attribute": "org", "lazy": "joined",
                                        "direction": "MANYTOONE"}}}})";
    const auto models = advisor::ModelNames::from_file(path);
    std::filesystem::remove(path);
    CHECK(advisor::index_model_snippet(
              spec("public.users", {column("tenant_id")}, "ix_users_tenant_id"), catalog, models)
              .find("# Account.org_id: ") == 0);
    const auto dropped = advisor::dropped_index_model_snippet(
        spec("public.users", {column("email")}, "users_email_idx"), catalog, models);
    CHECK(dropped == "# Account (table public.users): delete from __table_args__\n"
                     "Index(\"users_email_idx\", \"email\"),\n"
                     "# or, if the model declares it on the column, drop index=True from "
                     "Account.email");
}
