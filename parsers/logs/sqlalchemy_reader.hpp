// SQLAlchemy's engine echo (create_engine(echo=True), or the `sqlalchemy.engine` logger):
//   2024-05-01 10:00:00,123 INFO sqlalchemy.engine.Engine SELECT users.id FROM users
//   WHERE users.id = %(id_1)s
//   2024-05-01 10:00:00,124 INFO sqlalchemy.engine.Engine [generated in 0.00015s] {'id_1': 5}
// The statement's continuation lines have no logging prefix; the parameter line follows it
// (`[generated in ...]`, `[cached since ...]`, `[raw sql]`, ...; a bare repr before 1.4).
// Placeholders become `$n` so libpg_query reads the statement, by DBAPI paramstyle
// (https://peps.python.org/pep-0249/#paramstyle), told apart by the placeholders and the
// parameter line: `%(name)s` and `%s` (psycopg, pg8000) by number_placeholders(); `$n`
// (asyncpg) stays; otherwise the statement is read in SQLite's syntax (the pysqlite driver's
// qmark `?` with a tuple of values, or named `:name` with a dict) by
// parsers/sqlite_query.hpp, which also maps SQLite's [name] and `name` quoting. With a dict of
// values and no `:name` in the text it is psycopg's, and a `?` there is PostgreSQL's jsonb
// operator: left alone. SQLite syntax libpg_query rejects (INSERT OR REPLACE, 0x1F, PRAGMA ...)
// is reported once per distinct statement, naming the construct.
// `BEGIN (implicit)` is the transaction SQLAlchemy's DBAPI opens, counted as a BEGIN. The echo
// names no connection: the file is one session.
#pragma once

#include "parsers/logs/log_reader.hpp"

#include <string>
#include <vector>

namespace parsers::logs {

class SqlAlchemyLogReader : public LogReader {
public:
    SqlAlchemyLogReader(std::unique_ptr<ByteSource> source, const LogReadOptions& options);

    bool next(Statement& statement) override;

private:
    void add_line(std::string_view line);
    void handle_message(std::string_view message, std::string_view timestamp, int line);
    void complete_pending();
    void read_sqlite_syntax(Statement& statement);

    LineReader lines_;
    StatementQueue ready_;
    Statement pending_;
    bool has_pending_ = false;
    int pending_lines_ = 0;
    bool finished_ = false;
};

// Rewrites pyformat / format placeholders outside quotes and comments to `$1`, `$2`, ...:
// `%(name)s` (names appended to `names`) and `%s`; `%%` becomes `%` in pyformat text. A `?` is
// left alone: with psycopg it is PostgreSQL's jsonb operator (SQLite's `?` is read by
// parsers/sqlite_query.hpp).
std::string number_placeholders(std::string_view text, std::vector<std::string>& names);

// Whether the line is part of SQLAlchemy's engine logging.
bool is_sqlalchemy_engine_line(std::string_view line);

} // namespace parsers::logs
