// SQLite DDL scripts (SqliteDdlLoader in parsers/sqlite_schema.hpp): each statement is prepared
// and run by SQLite itself in one in-memory database, which may open no file and stops a statement
// past its time limit; statements that carry data or touch files are counted, not run; one SQLite
// rejects becomes a warning with SQLite's message and its line. finish() reads the database back
// with the SchemaReader (schema_reader.hpp).
#include "parsers/input_error.hpp"
#include "parsers/input_file.hpp"
#include "parsers/sqlite_schema.hpp"
#include "parsers/sqlite_schema/schema_reader.hpp"
#include "parsers/sqlite_schema/script_reader.hpp"
#include "parsers/sqlite_schema/sql_text.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sqlite3.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace parsers {

using sqlite_schema::is_space;
using sqlite_schema::is_word_char;
using sqlite_schema::SchemaReader;
using sqlite_schema::SqliteScriptReader;
using sqlite_schema::upper;

namespace {

// Byte offset -> 1-based line number.
class LineIndex {
public:
    explicit LineIndex(std::string_view text) {
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\n') {
                line_starts_.push_back(i + 1);
            }
        }
    }
    int line_of(std::size_t offset) const {
        const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
        return static_cast<int>(it - line_starts_.begin());
    }

private:
    std::vector<std::size_t> line_starts_{0};
};

// Statements that are not run: they carry data, control transactions (a ROLLBACK would undo the
// schema) or touch files (ATTACH creates one, VACUUM INTO writes one).
const std::set<std::string>& statements_not_run() {
    static const std::set<std::string> kinds = {
        "INSERT",    "REPLACE", "UPDATE", "DELETE", "SELECT", "WITH",
        "VALUES",    "EXPLAIN", "BEGIN",  "COMMIT", "END",    "ROLLBACK",
        "SAVEPOINT", "RELEASE", "ATTACH", "DETACH", "VACUUM"};
    return kinds;
}

// Denies ATTACH and DETACH whatever the statement looks like (defence in depth: the in-memory
// database must never open or create a file).
int deny_files(void*, int action, const char*, const char*, const char*, const char*) {
    return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

int past_deadline(void* deadline) {
    return std::chrono::steady_clock::now() >
                   *static_cast<std::chrono::steady_clock::time_point*>(deadline)
               ? 1
               : 0;
}

// Position of the first token (after spaces and comments) at or after `from`.
std::size_t first_token_at(std::string_view sql, std::size_t from) {
    std::size_t i = from;
    while (i < sql.size()) {
        if (is_space(sql[i])) {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            const auto newline = sql.find('\n', i);
            i = newline == std::string_view::npos ? sql.size() : newline + 1;
        } else if (sql.substr(i, 2) == "/*") {
            const auto close = sql.find("*/", i + 2);
            i = close == std::string_view::npos ? sql.size() : close + 2;
        } else {
            break;
        }
    }
    return i;
}

std::string first_word(std::string_view sql, std::size_t at) {
    std::size_t end = at;
    while (end < sql.size() && is_word_char(sql[end])) {
        ++end;
    }
    return upper(sql.substr(at, end - at));
}

// End of the statement starting at `start` as SQLite's sqlite3_complete() sees it (a trigger
// body's semicolons do not end it): after a syntax error, prepare stops mid-statement.
std::size_t statement_end(std::string_view sql, std::size_t start) {
    for (std::size_t semicolon = sql.find(';', start); semicolon != std::string_view::npos;
         semicolon = sql.find(';', semicolon + 1)) {
        const std::string candidate(sql.substr(start, semicolon + 1 - start));
        if (sqlite3_complete(candidate.c_str())) {
            return semicolon + 1;
        }
    }
    return sql.size();
}

} // namespace

struct SqliteDdlLoader::FileTally {
    std::size_t run = 0;
    std::size_t failed = 0;
    std::size_t ignored = 0;
    std::optional<CatalogWarning> first_failure;
};

struct SqliteDdlLoader::State {
    Catalog& catalog;
    SqliteReadOptions options;
    SQLite::Database db{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    std::map<std::string, SourceLocation> declared; // object name -> where it was created
    long long last_rowid = 0;                       // highest sqlite_schema rowid seen
    std::string first_file;
    // Statements past this point in time are interrupted (the progress handler checks it).
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();

    State(Catalog& catalog_, const SqliteReadOptions& options_)
        : catalog(catalog_), options(options_) {
        sqlite3* handle = db.getHandle();
        sqlite3_limit(handle, SQLITE_LIMIT_ATTACHED, 0);
        sqlite3_set_authorizer(handle, deny_files, nullptr);
        sqlite3_progress_handler(handle, 1000, past_deadline, &deadline);
    }

    void note_new_objects(const SourceLocation& where) {
        SQLite::Statement query(db, "SELECT rowid, name FROM main.sqlite_schema WHERE rowid > ?1");
        query.bind(1, static_cast<int64_t>(last_rowid));
        while (query.executeStep()) {
            declared[query.getColumn(1).getString()] = where;
        }
        // After a DROP the highest rowid can go down, and SQLite reuses it for the next object.
        last_rowid =
            db.execAndGet("SELECT coalesce(max(rowid), 0) FROM main.sqlite_schema").getInt64();
    }
};

SqliteDdlLoader::SqliteDdlLoader(Catalog& catalog, const SqliteReadOptions& options)
    : state_(std::make_unique<State>(catalog, options)) {}

SqliteDdlLoader::~SqliteDdlLoader() = default;

void SqliteDdlLoader::apply_file(const std::string& path) {
    const auto input = open_input(path);
    if (input->is_pipe() && input->peek() == std::char_traits<char>::eof()) {
        throw InputError(path, 0, "is a pipe that gave no data (nothing writes to it)");
    }
    SqliteScriptReader reader(*input, state_->options.max_statement_bytes);
    FileTally tally;
    bool first = true;
    while (auto statement = reader.next()) {
        // The header's 16th byte is a NUL, where the reader stops.
        if (first && statement->text.starts_with("SQLite format 3")) {
            throw InputError(path, 0,
                             "is a SQLite database file; give it on its own (it holds the whole "
                             "schema), not with other schema files");
        }
        first = false;
        if (reader.nul_line() > 0) {
            break; // the statement is cut by the NUL byte
        }
        if (statement->too_long) {
            state_->catalog.warnings.push_back(
                {{path, statement->line},
                 "statement of " + std::to_string(statement->bytes) +
                     " bytes skipped: longer than --max-statement-bytes (" +
                     std::to_string(state_->options.max_statement_bytes) + ")"});
            ++tally.failed;
            continue;
        }
        apply_text(statement->text, path, statement->line, tally);
    }
    if (reader.nul_line() > 0) {
        // SQL text never holds a NUL byte: binary data, or a sparse file's hole, not read on.
        throw InputError(path, reader.nul_line(),
                         "is neither a SQLite database (it does not start with \"SQLite "
                         "format 3\") nor SQL text (it holds a NUL byte)");
    }
    if (input->read_error() != 0) {
        throw InputError(path, 0,
                         std::string("cannot read: ") + std::strerror(input->read_error()));
    }
    check_file(path, tally);
}

void SqliteDdlLoader::apply(std::string_view sql, const std::string& file) {
    if (sql.starts_with("\xEF\xBB\xBF")) {
        sql.remove_prefix(3); // a UTF-8 byte order mark, which SQLite's tokenizer rejects
    }
    FileTally tally;
    apply_text(sql, file, 1, tally);
    check_file(file, tally);
}

void SqliteDdlLoader::apply_text(std::string_view sql, const std::string& file, int first_line,
                                 FileTally& tally) {
    const LineIndex lines(sql);
    const auto line_of = [&](std::size_t offset) { return first_line - 1 + lines.line_of(offset); };
    sqlite3* handle = state_->db.getHandle();
    Catalog& catalog = state_->catalog;
    if (state_->first_file.empty()) {
        state_->first_file = file;
    }
    std::size_t& run = tally.run;
    std::size_t& failed = tally.failed;
    std::size_t& ignored = tally.ignored;
    std::optional<CatalogWarning>& first_failure = tally.first_failure;
    const auto fail = [&](std::size_t offset, const std::string& message) {
        CatalogWarning warning{{file, line_of(offset)}, message};
        if (!first_failure) {
            first_failure = warning;
        }
        catalog.warnings.push_back(std::move(warning));
        ++failed;
    };
    std::size_t position = 0;
    while (true) {
        const std::size_t start = first_token_at(sql, position);
        if (start >= sql.size()) {
            break;
        }
        const std::string kind = first_word(sql, start);
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v2(handle, sql.data() + start,
                                          static_cast<int>(sql.size() - start), &raw, &tail);
        std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
        if (rc != SQLITE_OK) {
            const int error_offset = sqlite3_error_offset(handle);
            const std::string message = sqlite3_errmsg(handle);
            position = statement_end(sql, start);
            // `sqlite3 .schema` prints SQLite's own tables (sqlite_sequence, sqlite_stat1), which
            // only SQLite may create: they appear by themselves with AUTOINCREMENT and ANALYZE.
            if (message.starts_with("object name reserved for internal use")) {
                ++catalog.ignored_statement_kinds["CREATE TABLE sqlite_*"];
                ++ignored;
                continue;
            }
            if (statements_not_run().count(kind) > 0) {
                ++catalog.ignored_statement_kinds[kind]; // data for a table that failed earlier
                ++ignored;
                continue;
            }
            fail(start + static_cast<std::size_t>(std::max(error_offset, 0)),
                 "SQLite rejected the statement: " + message);
            continue;
        }
        position = static_cast<std::size_t>(tail - sql.data());
        if (!statement) {
            // Only spaces or comments left, or a NUL byte, where SQLite stops reading.
            position = std::max(position, start + 1);
            continue;
        }
        if (statements_not_run().count(kind) > 0) {
            ++catalog.ignored_statement_kinds[kind];
            ++ignored;
            continue;
        }
        state_->deadline = std::chrono::steady_clock::now() +
                           std::chrono::milliseconds(state_->options.statement_time_limit_ms);
        int step = SQLITE_ROW;
        while (step == SQLITE_ROW) {
            step = sqlite3_step(statement.get());
        }
        state_->deadline = std::chrono::steady_clock::time_point::max();
        if (step != SQLITE_DONE) {
            const std::string message =
                step == SQLITE_INTERRUPT
                    ? "statement stopped after " +
                          std::to_string(state_->options.statement_time_limit_ms) + " ms"
                    : std::string(sqlite3_errmsg(handle));
            const int error_offset = sqlite3_error_offset(handle);
            fail(start + static_cast<std::size_t>(std::max(error_offset, 0)),
                 "SQLite rejected the statement: " + message);
            continue;
        }
        ++run;
        ++catalog.statements_read;
        if (kind == "CREATE" || kind == "ALTER" || kind == "DROP") {
            state_->note_new_objects({file, line_of(start)});
        }
    }
}

void SqliteDdlLoader::check_file(const std::string& file, const FileTally& tally) {
    if (tally.run == 0 && tally.failed == 0 && tally.ignored == 0) {
        throw InputError(file, 0, "holds no SQL statements");
    }
    if (tally.run == 0 && tally.failed > 0) {
        throw InputError(file, tally.first_failure ? tally.first_failure->where.line : 0,
                         "no statement could be run by SQLite" +
                             (tally.first_failure ? " (first: " + tally.first_failure->message + ")"
                                                  : std::string()));
    }
}

void SqliteDdlLoader::finish() {
    try {
        SchemaReader(state_->db, state_->first_file, state_->declared, state_->catalog).read();
    } catch (const SQLite::Exception& e) {
        throw InputError(state_->first_file, 0,
                         std::string("reading the schema back from SQLite failed: ") + e.what());
    }
}

Catalog read_sqlite_ddl(std::string_view sql, const std::string& file) {
    Catalog catalog;
    SqliteDdlLoader loader(catalog);
    loader.apply(sql, file);
    loader.finish();
    return catalog;
}

} // namespace parsers
