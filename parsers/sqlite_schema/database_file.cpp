// Opening a SQLite database file (read_sqlite_database() in parsers/sqlite_schema.hpp): strictly
// read-only, with no -journal, -wal or -shm file created next to it, and an error that says what
// to do when the file is locked, has a hot journal or cannot be read.
#include "parsers/input_error.hpp"
#include "parsers/input_file.hpp"
#include "parsers/sqlite_schema.hpp"
#include "parsers/sqlite_schema/schema_reader.hpp"
#include "parsers/sqlite_schema/sql_text.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <filesystem>
#include <map>
#include <sqlite3.h>
#include <string>
#include <string_view>
#include <system_error>

namespace parsers {

using sqlite_schema::is_digit;
using sqlite_schema::primary_code;
using sqlite_schema::SchemaReader;

bool has_sqlite_header(std::string_view head) {
    static constexpr std::string_view magic("SQLite format 3\0", 16);
    return head.substr(0, magic.size()) == magic;
}

namespace {

// A file: URI for `path` with every byte outside the unreserved set percent-encoded
// (https://www.sqlite.org/uri.html: '?', '#' and '%' would otherwise end or escape the path).
std::string file_uri(const std::string& path, const std::string& query) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string uri = "file:";
    for (const char c : std::filesystem::absolute(path).string()) {
        const auto u = static_cast<unsigned char>(c);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
                           c == '/' || c == '.' || c == '_' || c == '-' || c == '~';
        if (plain) {
            uri += c;
        } else {
            uri += '%';
            uri += hex[u >> 4];
            uri += hex[u & 0xf];
        }
    }
    return uri + "?" + query;
}

bool file_exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

InputError unreadable(const std::string& path, const SQLite::Exception& e, int busy_timeout_ms) {
    const int code = primary_code(e);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
        return InputError(path, 0,
                          "is a SQLite database file locked by another process (SQLite: " +
                              std::string(e.what()) + ", after waiting " +
                              std::to_string(busy_timeout_ms) +
                              " ms); try again when the writer has finished");
    }
    if (code == SQLITE_READONLY && file_exists(path + "-journal")) {
        // A hot journal: a writer stopped mid-transaction, and only a connection that may write
        // can roll it back (https://www.sqlite.org/atomiccommit.html#section_4_2).
        return InputError(path, 0,
                          "is a SQLite database file with a hot journal (" + path +
                              "-journal, left by a writer that stopped mid-transaction); it "
                              "must be rolled back first, which a read-only reader cannot do: "
                              "open it once with sqlite3, then try again");
    }
    return InputError(
        path, 0, "is a SQLite database file but SQLite cannot read it: " + std::string(e.what()));
}

} // namespace

void read_sqlite_database(const std::string& path, Catalog& catalog,
                          const SqliteReadOptions& options) {
    const std::string header = sniff(path, 100); // throws for missing, directory, unreadable
    if (!has_sqlite_header(header)) {
        throw InputError(path, 0,
                         "is not a SQLite database (it does not start with \"SQLite "
                         "format 3\")");
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw InputError(path, 0, "a SQLite database must be a regular file");
    }
    // Bytes 18 and 19 of the header are 2 in WAL mode. A read-only connection to a WAL database
    // creates its -wal and -shm files when they are missing, so without a -wal file (no writer
    // has it open; everything is in the main file) the file is opened `immutable`: no locks, no
    // side files. With a -wal file the committed data may be in it: read through it.
    const bool wal = header.size() >= 20 && (header[18] == 2 || header[19] == 2);
    const bool has_wal_file = file_exists(path + "-wal");
    if (wal && has_wal_file && !file_exists(path + "-shm")) {
        throw InputError(path, 0,
                         "is a WAL-mode SQLite database with a -wal file but no -shm file; "
                         "reading it would create one. Open it once with sqlite3 (which "
                         "recovers the log), then try again");
    }
    try {
        const bool immutable = wal && !has_wal_file;
        // This SQLite is built with SQLITE_USE_URI: a plain name starting "file:" would be
        // read as a URI.
        const std::string name = path.starts_with("file:") ? "./" + path : path;
        SQLite::Database db(immutable ? file_uri(path, "immutable=1") : name,
                            SQLite::OPEN_READONLY | (immutable ? SQLite::OPEN_URI : 0),
                            options.busy_timeout_ms);
        // One read transaction: every PRAGMA sees the same schema.
        db.exec("BEGIN");
        const std::map<std::string, SourceLocation> declared;
        SchemaReader(db, path, declared, catalog).read();
        db.exec("COMMIT");
    } catch (const SQLite::Exception& e) {
        throw unreadable(path, e, options.busy_timeout_ms);
    }
}

} // namespace parsers
