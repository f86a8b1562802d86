// SQLite query text made readable by PostgreSQL's parser (libpg_query), so that statements an
// application ran on SQLite get shapes, fingerprints and QueryFacts like any other.
//
// The text is split with SQLite's own lexical rules (tokenize.c, https://www.sqlite.org/
// lang_expr.html): strings '...' ('' inside), quoted names "...", `...` and [...], comments
// (`--` to the end of the line, `/* */` not nested), blobs X'..', numbers (0x hex integers
// included), parameters and operators. Nothing inside a string, a quoted name or a comment is
// ever changed. Then, outside them:
// - parameters become PostgreSQL's `$n`, numbered as SQLite numbers them (so logged positional
//   values still bind to the right placeholder): `?NNN` is number NNN, a bare `?` one more than
//   the largest number so far, `:name`, `@name` and `$name` one more than the largest the first
//   time the name appears and the same number after; `$1` (already PostgreSQL's) stays;
// - `[name]` and `` `name` `` become "name" (a `"` inside doubled), as SQLite reads them;
// - `==` becomes `=` (SQLite's two spellings of one operator).
// The result is still SQLite SQL: SQLite reads `$1` as a parameter and "name" as a name, so the
// same text can be planned by SQLite (advise --verify).
//
// SQLite syntax PostgreSQL 15's grammar has no form for is listed in `unsupported` (one entry per
// construct, e.g. "INSERT OR REPLACE"): hex integers (0x1F), INSERT/UPDATE OR <conflict>,
// REPLACE INTO, the GLOB / REGEXP / MATCH operators, `IS` / `IS NOT` between two values,
// `LIMIT offset, count`, INDEXED BY / NOT INDEXED, PRAGMA, ATTACH / DETACH, BEGIN DEFERRED /
// IMMEDIATE / EXCLUSIVE, AUTOINCREMENT and WITHOUT ROWID (create_all's DDL in an echo log).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parsers {

struct SqliteQueryText {
    std::string text; // the statement as libpg_query reads it (see above)
    // The name of each numbered placeholder, parameter_names[0] for $1: "id" for `:id`, `@id`
    // or `$id`; "" for `?` and `?NNN`. Empty when the text has no placeholder.
    std::vector<std::string> parameter_names;
    bool named_parameters = false;    // a `:name`, `@name` or `$name` placeholder was met
    bool postgres_parameters = false; // a `$1` (PostgreSQL's own placeholder) was met
    // SQLite-only constructs found (described as above), in the order met, each once.
    std::vector<std::string> unsupported;
};

SqliteQueryText sqlite_query_for_postgres(std::string_view sqlite_sql);

// When the rewritten statement has SQLite-only constructs and libpg_query rejects it: the
// warning to give ("SQLite syntax the PostgreSQL parser does not accept: INSERT OR REPLACE
// (libpg_query: syntax error at or near "OR") ..."). nullopt when libpg_query reads it, or when
// it fails for another reason (the workload then reports libpg_query's error as for any
// statement). Parses only when `unsupported` is not empty.
std::optional<std::string> sqlite_syntax_problem(const SqliteQueryText& statement);

} // namespace parsers
