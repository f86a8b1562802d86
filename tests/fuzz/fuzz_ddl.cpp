// libFuzzer target: the psql script splitter and the PostgreSQL DDL reader, then the rules and
// the catalog renderers on whatever catalog came out. Any input must end in a catalog or an
// InputError, never a crash, a hang or unbounded memory.
#include "advisor/errors.hpp"
#include "advisor/render/catalog_render.hpp"
#include "advisor/rules/rule.hpp"
#include "parsers/pg_ddl.hpp"

#include <cstddef>
#include <cstdint>
#include <sstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    std::istringstream input(std::string(reinterpret_cast<const char*>(data), size));
    advisor::Catalog catalog;
    parsers::DdlReadOptions options;
    options.max_statement_bytes = 64 * 1024;
    try {
        parsers::read_postgres_ddl(input, "fuzz.sql", catalog, options);
    } catch (const advisor::InputError&) {
        return 0;
    }
    advisor::AnalysisContext context{catalog, nullptr, {}};
    (void)advisor::run_rules(context, {});
    (void)advisor::catalog_to_json(catalog).dump(-1, ' ', false,
                                                 nlohmann::json::error_handler_t::replace);
    (void)advisor::catalog_to_text(catalog);
    return 0;
}
