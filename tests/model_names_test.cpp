#include "advisor/errors.hpp"
#include "advisor/model_names.hpp"
#include "tests/rules/rule_test_support.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>

using advisor::ModelNames;

namespace {

const char* const schema = R"sql(
CREATE TABLE tenants (id uuid PRIMARY KEY, slug text);
CREATE TABLE users (id uuid PRIMARY KEY, tenant_id uuid REFERENCES tenants (id), prefs jsonb);
CREATE TABLE user_roles (user_id uuid REFERENCES users (id), role_id int, PRIMARY KEY (user_id, role_id));
)sql";

std::string write_temp(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / name;
    std::ofstream(path) << text;
    return path.string();
}

} // namespace

TEST_CASE("conventional model names are singular CamelCase") {
    CHECK(advisor::conventional_class_name("collaborative_buckets") == "CollaborativeBucket");
    CHECK(advisor::conventional_class_name("categories") == "Category");
    CHECK(advisor::conventional_class_name("addresses") == "Address");
    CHECK(advisor::conventional_class_name("status") == "Status");
    CHECK(advisor::conventional_class_name("user_roles") == "UserRole");
    CHECK(advisor::conventional_class_name("cpus") == "Cpu");
    CHECK(advisor::conventional_collection_name("collection_items", "collections") == "items");
    CHECK(advisor::conventional_collection_name("backlogs", "features") == "backlogs");
}

TEST_CASE("without a --models file, names follow the conventions") {
    const auto catalog = rule_test::catalog_from(schema);
    const ModelNames names;
    const auto& users = *catalog.find_table("public.users");
    const auto& user_roles = *catalog.find_table("public.user_roles");
    CHECK(names.class_of(users) == "User");
    CHECK(names.attribute_of(users, "prefs") == "prefs");
    CHECK(names.reference_of(users, users.foreign_keys.front()) == "tenant");
    CHECK(names.collection_of(users, user_roles) == "roles");
}

TEST_CASE("a --models file renames classes, attributes and relationships") {
    const auto path = write_temp("schema_advisor_models_test.json", R"({
        "users": {"class": "AppUser", "attributes": {"prefs": "preferences"},
                  "relationships": {"tenant_id": "organisation", "user_roles": "memberships"}},
        "public.tenants": "Organisation"
    })");
    const auto names = ModelNames::from_file(path);
    const auto catalog = rule_test::catalog_from(schema);
    const auto& users = *catalog.find_table("public.users");
    CHECK(names.class_of(users) == "AppUser");
    CHECK(names.class_of(*catalog.find_table("public.tenants")) == "Organisation");
    CHECK(names.class_of(*catalog.find_table("public.user_roles")) == "UserRole");
    CHECK(names.attribute_of(users, "prefs") == "preferences");
    CHECK(names.attribute_of(users, "id") == "id");
    CHECK(names.reference_of(users, users.foreign_keys.front()) == "organisation");
    CHECK(names.collection_of(users, *catalog.find_table("public.user_roles")) == "memberships");
    std::filesystem::remove(path);
}

TEST_CASE("a bad --models file is an input error naming the file and what was expected") {
    const auto check_error = [](const std::string& text, const std::string& expected) {
        const auto path = write_temp("schema_advisor_models_bad.json", text);
        try {
            ModelNames::from_file(path);
            FAIL("no error for " << text);
        } catch (const advisor::InputError& e) {
            CHECK(std::string(e.what()).find(path) != std::string::npos);
            CHECK_MESSAGE(std::string(e.what()).find(expected) != std::string::npos, e.what());
        }
        std::filesystem::remove(path);
    };
    check_error("[1, 2]", "expected a JSON object");
    check_error("{\"users\": 3}", "expected a class name or an object");
    check_error("{\"users\": {\"klass\": \"U\"}}", "unknown key 'klass'");
    check_error("{\"users\": {\"attributes\": {\"a\": 1}}}", "users.attributes.a");
    check_error("{\"users\": ", "is not JSON");
    CHECK_THROWS_AS(ModelNames::from_file("/nonexistent/models.json"), advisor::InputError);
}
