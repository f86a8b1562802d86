// libFuzzer target: SQLite query text read for libpg_query (parsers/sqlite_query.hpp) and
// planned by SQLite (advise --verify's planner database). Any bytes must give text, never a
// crash; text with nothing SQLite-specific must come back unchanged; planning never opens a file.
#include "advisor/sqlite_verify.hpp"
#include "parsers/sqlite_query.hpp"
#include "parsers/sqlite_schema.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {
const advisor::Catalog& fuzz_catalog() {
    static const advisor::Catalog catalog = parsers::read_sqlite_ddl(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT COLLATE NOCASE);"
        "CREATE TABLE [order items] (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users,"
        " sku TEXT, meta JSON);"
        "CREATE INDEX ix_users_lower_email ON users (lower(email));"
        "CREATE VIEW named AS SELECT * FROM users WHERE name IS NOT NULL;");
    return catalog;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string sql(reinterpret_cast<const char*>(data), size);
    const parsers::SqliteQueryText read = parsers::sqlite_query_for_postgres(sql);
    if (sql.find_first_of("?:@$[`=") == std::string::npos && read.text != sql) {
        __builtin_trap(); // nothing to rewrite, yet the text changed
    }
    (void)parsers::sqlite_syntax_problem(read);
    if (size <= 4096) {
        advisor::Finding finding;
        finding.rule = "missing-index";
        finding.table = "main.order items";
        finding.columns = {"sku"};
        advisor::IndexSpec index;
        index.name = "ix_order_items_sku";
        index.table = finding.table;
        advisor::IndexKey key;
        key.column = "sku";
        index.keys.push_back(key);
        finding.fix.create_index = index;
        finding.queries.push_back({"0000000000000000", 1, 1.0, sql});
        (void)advisor::verify_with_sqlite_planner({finding}, fuzz_catalog(), nullptr, {true});
    }
    return 0;
}
