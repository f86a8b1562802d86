#include "parsers/live/pg_connection.hpp"

#include <cmath>
#include <cstdlib>
#include <libpq-fe.h>

namespace parsers::live {

namespace {

// Keywords of a connection that say where it goes and as whom; the password and anything else
// secret (sslpassword, the key files' passphrase) is never among them.
constexpr const char* described_keywords[] = {"host", "hostaddr", "port", "dbname", "user"};

std::string trim_end(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

// "host=... port=... dbname=... user=..." from libpq's option list.
std::string describe(const PQconninfoOption* options) {
    std::string text;
    for (const char* keyword : described_keywords) {
        for (const PQconninfoOption* option = options; option && option->keyword; ++option) {
            if (std::string(option->keyword) == keyword && option->val && *option->val) {
                text += (text.empty() ? "" : " ") + std::string(keyword) + "=" + option->val;
            }
        }
    }
    return text.empty() ? "libpq's defaults" : text;
}

std::optional<std::string> option_value(const PQconninfoOption* options, const char* keyword) {
    for (const PQconninfoOption* option = options; option && option->keyword; ++option) {
        if (std::string(option->keyword) == keyword && option->val) {
            return std::string(option->val);
        }
    }
    return std::nullopt;
}

struct OptionsFree {
    void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using OptionList = std::unique_ptr<PQconninfoOption, OptionsFree>;

// libpq prints NOTICEs (hypopg's, "extension already exists, skipping") on stderr by default;
// they are not ours to show.
void ignore_notice(void*, const char*) {}

std::string milliseconds_setting(double seconds) {
    return std::to_string(static_cast<long long>(std::llround(seconds * 1000.0))) + "ms";
}

// Whether a connection string may carry a password: a password keyword, or a URI with user
// information before its host (postgresql://user:secret@host).
bool may_hold_password(const std::string& dsn) {
    std::string lower;
    for (const char c : dsn) {
        lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return lower.find("password") != std::string::npos ||
           (lower.find("://") != std::string::npos && lower.find('@') != std::string::npos);
}

} // namespace

Result::Result(pg_result* result) : result_(result) {}

void Result::Free::operator()(pg_result* result) const {
    PQclear(result);
}

int Result::rows() const {
    return PQntuples(result_.get());
}

int Result::columns() const {
    return PQnfields(result_.get());
}

int Result::column(const std::string& name) const {
    for (int i = 0; i < columns(); ++i) {
        if (name == PQfname(result_.get(), i)) {
            return i;
        }
    }
    return -1;
}

bool Result::is_null(int row, int column) const {
    return PQgetisnull(result_.get(), row, column) != 0;
}

std::string Result::text(int row, int column) const {
    return is_null(row, column)
               ? std::string()
               : std::string(PQgetvalue(result_.get(), row, column),
                             static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::optional<std::string> Result::value(int row, int column) const {
    if (is_null(row, column)) {
        return std::nullopt;
    }
    return text(row, column);
}

Connection::Connection(const std::string& dsn, const SessionSettings& settings) {
    char* parse_error = nullptr;
    OptionList given(PQconninfoParse(dsn.c_str(), &parse_error));
    if (!given) {
        std::string message = parse_error ? trim_end(parse_error) : "out of memory";
        PQfreemem(parse_error);
        // libpq's parse errors quote the text they stopped at, which may be the password
        // (`password secret` lacks its "="): only shown when the text holds no password.
        if (may_hold_password(dsn)) {
            message = "libpq's message is not shown: the text may hold a password";
        }
        throw DatabaseError("--dsn is not a libpq connection string or URI (" + message + ")");
    }
    if (const auto password = option_value(given.get(), "password");
        password && !password->empty()) {
        secrets_.push_back(*password);
    }
    if (const char* env = std::getenv("PGPASSWORD"); env != nullptr && *env) {
        secrets_.push_back(env);
    }

    std::vector<const char*> keywords;
    std::vector<const char*> values;
    if (!dsn.empty()) {
        keywords.push_back("dbname");
        values.push_back(dsn.c_str());
    }
    // Later keywords override what the connection string sets: the timeout only when neither
    // it nor PGCONNECT_TIMEOUT gives one.
    const std::string connect_timeout =
        std::to_string(std::max(1L, std::lround(settings.connect_timeout_s)));
    const auto given_timeout = option_value(given.get(), "connect_timeout");
    if ((!given_timeout || given_timeout->empty()) && std::getenv("PGCONNECT_TIMEOUT") == nullptr) {
        keywords.push_back("connect_timeout");
        values.push_back(connect_timeout.c_str());
    }
    keywords.push_back("application_name");
    values.push_back(settings.application_name.c_str());
    keywords.push_back("client_encoding");
    values.push_back("UTF8");
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    conn_ = PQconnectdbParams(keywords.data(), values.data(), dsn.empty() ? 0 : 1);
    if (conn_ == nullptr) {
        throw DatabaseError("cannot connect to PostgreSQL: libpq is out of memory");
    }
    {
        OptionList used(PQconninfo(conn_));
        description_ = describe(used.get());
        if (const auto password = option_value(used.get(), "password");
            password && !password->empty()) {
            secrets_.push_back(*password);
        }
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string message = redact(trim_end(PQerrorMessage(conn_)));
        PQfinish(conn_);
        conn_ = nullptr;
        throw DatabaseError("cannot connect to PostgreSQL (" + description_ + "): " + message);
    }
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
    try {
        execute("SELECT pg_catalog.set_config('default_transaction_read_only', 'on', false), "
                "pg_catalog.set_config('statement_timeout', $1, false), "
                "pg_catalog.set_config('lock_timeout', $2, false), "
                "pg_catalog.set_config('application_name', $3, false)",
                {milliseconds_setting(settings.statement_timeout_s),
                 milliseconds_setting(settings.lock_timeout_s), settings.application_name});
    } catch (const QueryError& e) {
        PQfinish(conn_);
        conn_ = nullptr;
        throw DatabaseError("cannot set up a read-only session on PostgreSQL (" + description_ +
                            "): " + e.what());
    }
}

Connection::~Connection() {
    if (conn_ != nullptr) {
        PQfinish(conn_);
    }
}

std::string Connection::redact(std::string message) const {
    for (const auto& secret : secrets_) {
        for (std::size_t at = message.find(secret); at != std::string::npos;
             at = message.find(secret, at)) {
            message.replace(at, secret.size(), "********");
            at += 8;
        }
    }
    return message;
}

namespace {

QueryError error_of(PGresult* result, pg_conn* conn, const Connection& connection) {
    std::string message;
    std::string sqlstate;
    if (result != nullptr) {
        if (const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) {
            message = primary;
        } else {
            message = trim_end(PQresultErrorMessage(result));
        }
        if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE)) {
            sqlstate = state;
        }
    }
    if (message.empty()) {
        message = trim_end(PQerrorMessage(conn));
    }
    return QueryError(connection.redact(message), sqlstate);
}

} // namespace

Result Connection::execute(const std::string& sql, const Parameters& parameters) {
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& parameter : parameters) {
        values.push_back(parameter ? parameter->c_str() : nullptr);
    }
    PGresult* result = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                    values.empty() ? nullptr : values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        QueryError error = error_of(result, conn_, *this);
        PQclear(result);
        throw error;
    }
    return Result(result);
}

int Connection::prepare(const std::string& name, const std::string& sql) {
    PGresult* prepared = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    if (prepared == nullptr || PQresultStatus(prepared) != PGRES_COMMAND_OK) {
        QueryError error = error_of(prepared, conn_, *this);
        PQclear(prepared);
        throw error;
    }
    PQclear(prepared);
    PGresult* described = PQdescribePrepared(conn_, name.c_str());
    if (described == nullptr || PQresultStatus(described) != PGRES_COMMAND_OK) {
        QueryError error = error_of(described, conn_, *this);
        PQclear(described);
        throw error;
    }
    const int count = PQnparams(described);
    PQclear(described);
    return count;
}

int Connection::server_version() const {
    return PQserverVersion(conn_);
}

std::string Connection::server_version_text() const {
    const char* reported = PQparameterStatus(conn_, "server_version");
    std::string version = reported ? reported : std::to_string(server_version());
    // "15.4 (Debian 15.4-1.pgdg120+1)": the packager's part is left out.
    const auto space = version.find(' ');
    return "PostgreSQL " + (space == std::string::npos ? version : version.substr(0, space));
}

std::string Connection::host() const {
    const char* host = PQhost(conn_);
    return host ? host : "";
}

std::string Connection::port() const {
    const char* port = PQport(conn_);
    return port ? port : "";
}

std::string Connection::database() const {
    const char* database = PQdb(conn_);
    return database ? database : "";
}

std::string live_source_name(const Connection& connection) {
    return "postgresql://" + connection.host() + ":" + connection.port() + "/" +
           connection.database();
}

bool Connection::ok() const {
    return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

} // namespace parsers::live
