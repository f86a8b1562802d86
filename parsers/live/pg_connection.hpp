// A live PostgreSQL session through libpq, read-only and bounded by timeouts: what the live
// readers (catalog, pg_stat_statements, index usage) and the planner's verdict (advise --verify
// --dsn) read through. It lives here, with the readers, because parsers/ may include nothing
// from advisor/ and both layers use it.
//
// Every session, right after it connects and before anything else is sent, gets
//   default_transaction_read_only = on   (a write in any later transaction fails),
//   statement_timeout                    (each statement, EXPLAIN included, is bounded),
//   lock_timeout                         (a statement waiting for a lock gives up),
//   application_name = 'schema-advisor'  (pg_stat_activity shows who it is),
// and the connection attempt itself is bounded by libpq's connect_timeout (10 s unless the
// connection string sets one). Statements go one at a time through the extended query protocol
// (PQexecParams, PQprepare): its Parse message holds exactly one statement, so a text holding two
// (`SELECT 1; DROP TABLE t`) is refused by the server instead of running its second part
// (https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-FLOW-EXT-QUERY).
//
// The password never leaves this class: descriptions of the connection come from PQconninfo()
// without it, and every message libpq or the server gives is stripped of it before it is thrown.
// Passwords come from where psql takes them (the connection string, PGPASSWORD, PGPASSFILE or
// ~/.pgpass): libpq reads them itself.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace parsers::live {

struct SessionSettings {
    double statement_timeout_s = 5; // per statement (--verify-timeout)
    double lock_timeout_s = 1;      // a lock not granted within this fails the statement
    double connect_timeout_s = 10;  // unless the connection string gives connect_timeout
    std::string application_name = "schema-advisor";
};

// The live database cannot be used: the connection string does not parse, the server cannot be
// reached or refuses the session (bad password, no such database), or it lacks what a reader
// needs (a version, an extension). The message names the connection without its password and
// stops the run (exit status 2).
class DatabaseError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One statement failed. `sqlstate` is the server's error code (57014: canceled by
// statement_timeout, 55P03: lock_timeout); the message is the server's, without the password.
class QueryError : public std::runtime_error {
public:
    QueryError(const std::string& message, std::string sqlstate)
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return sqlstate_; }
    bool canceled_by_timeout() const { return sqlstate_ == "57014"; }
    bool lock_not_available() const { return sqlstate_ == "55P03"; }

private:
    std::string sqlstate_;
};

// A statement's rows, as text (libpq's text result format).
class Result {
public:
    explicit Result(pg_result* result);
    int rows() const;
    int columns() const;
    // The column's position by name; -1 when the result has no such column.
    int column(const std::string& name) const;
    bool is_null(int row, int column) const;
    // The value as text; "" for NULL.
    std::string text(int row, int column) const;
    std::optional<std::string> value(int row, int column) const;

private:
    struct Free {
        void operator()(pg_result* result) const;
    };
    std::unique_ptr<pg_result, Free> result_;
};

using Parameters = std::vector<std::optional<std::string>>; // nullopt is SQL NULL

class Connection {
public:
    // Connects (a libpq connection string or URI; "" means libpq's defaults, PGHOST and the rest)
    // and applies the session settings. Throws DatabaseError.
    Connection(const std::string& dsn, const SessionSettings& settings);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // One statement through the extended protocol, parameters bound as text. Throws QueryError.
    Result execute(const std::string& sql, const Parameters& parameters = {});
    // Parses `sql` as the named prepared statement (PQprepare: parsed and planned only, never
    // run) and returns how many parameters it takes. Throws QueryError.
    int prepare(const std::string& name, const std::string& sql);

    // PQserverVersion(): 150004 for 15.4.
    int server_version() const;
    // "PostgreSQL 15.4" (server_version as the server reports it).
    std::string server_version_text() const;
    // Where the session went (PQhost, PQport, PQdb).
    std::string host() const;
    std::string port() const;
    std::string database() const;
    // host=... port=... dbname=... user=..., from PQconninfo() without the password.
    const std::string& description() const { return description_; }
    // `message` with every password this connection knows replaced by "********".
    std::string redact(std::string message) const;
    // Whether the session is still usable (a failed statement inside a transaction leaves it
    // aborted until ROLLBACK; a lost connection leaves it bad).
    bool ok() const;

private:
    pg_conn* conn_ = nullptr;
    std::string description_;
    std::vector<std::string> secrets_;
};

// "postgresql://host:port/dbname" of the connection (no user, no password): how live inputs name
// their source in findings' locations, warnings and notes.
std::string live_source_name(const Connection& connection);

} // namespace parsers::live
