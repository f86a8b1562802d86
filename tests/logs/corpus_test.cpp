// Every log of the shared corpus is read; each statement count below comes from an independent
// count (the command in the comment, run in ../shared/corpus/logs), and every line is accounted
// for: a statement's, a known non-statement entry's, blank, or skipped and reported.
#include "advisor/errors.hpp"
#include "tests/logs/test_support.hpp"

#include <algorithm>
#include <doctest/doctest.h>

namespace {

std::string corpus(const std::string& name) {
    return std::string(SHARED_DIR) + "/corpus/logs/" + name;
}

struct Expected {
    const char* file;
    std::uint64_t statements;
    std::uint64_t failed;
    const char* format; // the start of the reader's description
};

} // namespace

TEST_CASE("each corpus log gives the statement count an independent count gives") {
    const std::vector<Expected> logs = {
        // grep -cE 'duration: [0-9.]+ ms +(statement|execute [^:]*):' FILE  (for each file below)
        {"dexter/queries.log", 1, 0, "PostgreSQL stderr log"},
        {"pgbadger/anonymize.log", 5, 0, "PostgreSQL csvlog"},
        {"pgbadger/light.postgres.log", 629, 0, "PostgreSQL stderr log"},
        {"pgbadger/multiline_param.log", 5, 0, "PostgreSQL stderr log"},
        {"pgbadger/pg-syslog.1.head5000.log", 4952, 0, "PostgreSQL stderr log relayed by syslog"},
        {"pgbadger/pg-timezones.log", 2, 0, "PostgreSQL stderr log"},
        {"pgbadger/postgresql_param_range.log", 3, 0, "PostgreSQL stderr log"},
        {"pgbadger/rds.head5000.log", 4990, 0, "PostgreSQL stderr log"},
        // bzcat FILE | grep -cE (the same pattern): the whole bzip2-compressed logs
        {"pgbadger/rds.log.bz2", 114594, 0, "PostgreSQL stderr log"},
        {"pgbadger/pg-syslog.1.bz2", 59871, 0, "PostgreSQL stderr log relayed by syslog"},
        {"pgbadger/stmt_type.log", 12, 0, "PostgreSQL stderr log"},
        {"pgbadger/tempfile_only.log", 65, 0, "PostgreSQL stderr log"},
        {"pgbadger/weeknumber.log", 6, 0, "PostgreSQL csvlog"},
        // grep -c 'execute' FILE (one event, its statement text spans two lines)
        {"dexter/queries.csv", 1, 0, "PostgreSQL csvlog"},
        {"dexter/queries14.csv", 1, 0, "PostgreSQL csvlog"},
        {"dexter/queries.json", 1, 0, "PostgreSQL jsonlog"},
        // grep -c 'AUDIT: SESSION' FILE (pgaudit's logged statement)
        {"dexter/supabase.csv", 1, 0, "PostgreSQL log export"},
        // grep -c ';' FILE
        {"dexter/queries.sql", 1, 0, "SQL script"},
        // none: grep -c 'statement\|execute' FILE gives 0
        {"pgbadger/begin_end.log", 0, 0, "PostgreSQL stderr log"},
        // grep -c 'statement: ' FILE
        {"pgbadger/cloudsql.log", 1, 0, "PostgreSQL stderr log relayed by Google Cloud Logging"},
        // grep -c 'ms  statement: ' FILE gives 400, plus the ERROR records that carry a query:
        // grep '"error_severity":"ERROR"' FILE | grep -c '"query"' gives 4
        {"pgbadger/cnpg.log", 404, 4, "PostgreSQL jsonlog"},
        // grep -c ',"statement: ' FILE gives 1, grep -c 'ms  execute' FILE gives 1
        {"pgbadger/csv_statement_without_duration.log", 2, 0, "PostgreSQL csvlog"},
        // grep -cE 'duration: [0-9.]+ ms +statement' FILE gives 4, and one deadlock
        // ERROR (grep -c 'ERROR:' FILE) carries its STATEMENT
        {"pgbadger/logplex.log", 5, 1, "PostgreSQL stderr log relayed by Heroku logplex"},
        // grep -c 'STATEMENT:' FILE: both follow an ERROR
        {"pgbadger/pg_rawcsv.log", 2, 2, "PostgreSQL stderr log"},
        // grep -c 'ms  statement: ' FILE gives 20; grep -A2 'ERROR:' FILE | grep -c STATEMENT
        // gives 3 failed statements (the other STATEMENT lines follow "temporary file")
        {"pgbadger/queryid.log", 23, 3, "PostgreSQL stderr log"},
        // zcat FILE | grep -c 'statement\|execute' gives 0: autovacuum reports only
        {"pgbadger/pg_vacuums.log.gz", 0, 0, "PostgreSQL stderr log"},
        {"pgbadger/pg_vacuums.json.gz", 0, 0, "PostgreSQL jsonlog"},
    };
    for (const auto& expected : logs) {
        CAPTURE(expected.file);
        const auto result = logs_test::read_all(corpus(expected.file));
        std::uint64_t failed = 0;
        for (const auto& statement : result.statements) {
            failed += statement.failed ? 1 : 0;
        }
        CHECK(result.statements.size() == expected.statements);
        CHECK(result.counts.statements == expected.statements);
        CHECK(failed == expected.failed);
        CHECK(result.description.starts_with(expected.format));
        CHECK(logs_test::accounted_lines(result.counts) == result.counts.lines);
    }
}

TEST_CASE("lines that are not PostgreSQL's are counted as skipped and reported with their line") {
    // pg_rawcsv.log lines 3 and 4 are pg_ctl's output (grep -vc '^20' FILE gives 2).
    const auto result = logs_test::read_all(corpus("pgbadger/pg_rawcsv.log"));
    CHECK(result.counts.skipped_lines == 2);
    REQUIRE(result.problems.size() == 2);
    CHECK(result.problems[0].line == 3);
    CHECK(result.problems[1].line == 4);
}

TEST_CASE("bzip2 logs are read transparently and say so") {
    const auto result = logs_test::read_all(corpus("pgbadger/pg-syslog.1.bz2"));
    CHECK(result.description.find("bzip2-compressed") != std::string::npos);
}

TEST_CASE("the corpus workloads: rds gives pgbench's shapes with calls per shape") {
    const advisor::Workload workload =
        advisor::read_workload({corpus("pgbadger/rds.head5000.log")}, {});
    CHECK(workload.statements == 4990);
    // grep -c 'ms  statement: $' FILE: three empty statements
    CHECK(workload.empty == 3);
    std::uint64_t calls = 0;
    for (const auto& shape : workload.shapes) {
        calls += shape.calls;
    }
    CHECK(calls + workload.unparsed + workload.empty == workload.statements);
    // grep -c 'ms  statement: UPDATE pgbench_accounts' FILE
    const auto accounts = std::find_if(
        workload.shapes.begin(), workload.shapes.end(), [](const advisor::QueryShape& shape) {
            return shape.query.starts_with("UPDATE pgbench_accounts");
        });
    REQUIRE(accounts != workload.shapes.end());
    CHECK(accounts->calls == 656);
    CHECK(accounts->tables == std::vector<std::string>{"public.pgbench_accounts"});
}
