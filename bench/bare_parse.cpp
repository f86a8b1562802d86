// Baseline for the schema benchmark: the time libpg_query alone spends parsing a dump's
// statements (the same statements `schema` reads, split the same way), with no catalog work.
#include "parsers/sql_script.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <pg_query.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench_bare_parse FILE\n");
        return 2;
    }
    std::ifstream input(argv[1], std::ios::binary);
    if (!input) {
        std::fprintf(stderr, "%s: cannot open\n", argv[1]);
        return 2;
    }
    parsers::SqlScriptReader reader(input, 1 << 20);
    double parse_seconds = 0;
    std::size_t statements = 0;
    const auto start = std::chrono::steady_clock::now();
    while (auto statement = reader.next()) {
        const auto before = std::chrono::steady_clock::now();
        PgQueryProtobufParseResult result = pg_query_parse_protobuf(statement->text.c_str());
        parse_seconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - before).count();
        pg_query_free_protobuf_parse_result(result);
        ++statements;
        if (statement->text.rfind("COPY", 0) == 0 &&
            statement->text.find("FROM stdin") != std::string::npos) {
            reader.skip_copy_data(); // the data is not SQL; `schema` skips it too
        }
    }
    const double total =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%zu statements, libpg_query parse %.3f s, split+parse %.3f s\n", statements,
                parse_seconds, total);
    return 0;
}
