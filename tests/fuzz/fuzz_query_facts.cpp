// libFuzzer target: QueryFacts and index matching on arbitrary SQL against a small catalog with
// views, partial, expression and GIN indexes. Unparsable SQL must be an error value.
#include "advisor/index_matching.hpp"
#include "parsers/pg_ddl.hpp"
#include "parsers/query_facts.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {
const advisor::Catalog& fuzz_catalog() {
    static const advisor::Catalog catalog = [] {
        advisor::Catalog built;
        parsers::apply_postgres_ddl(
            "CREATE TABLE users (id bigint PRIMARY KEY, email text, tenant_id bigint, data jsonb,"
            " deleted_at timestamptz);"
            "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users, title "
            "text,"
            " created_at timestamptz, tags text[]);"
            "CREATE INDEX ON users (lower(email)); CREATE INDEX ON users USING gin (data);"
            "CREATE INDEX ON posts (user_id, created_at DESC) WHERE title IS NOT NULL;"
            "CREATE VIEW live_users AS SELECT * FROM users WHERE deleted_at IS NULL;",
            built);
        return built;
    }();
    return catalog;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string sql(reinterpret_cast<const char*>(data), size);
    const auto& catalog = fuzz_catalog();
    static const parsers::QueryFactsExtractor extractor(catalog);
    static const advisor::IndexMatcher matcher(catalog);
    const parsers::QueryFacts facts = extractor.extract(sql);
    for (const auto& scan : facts.scans) {
        (void)matcher.matches(advisor::scan_access(scan, catalog.find_table(scan.table)));
    }
    return 0;
}
