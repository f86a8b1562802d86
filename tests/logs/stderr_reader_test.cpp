#include "parsers/logs/log_line_prefix.hpp"
#include "tests/logs/test_support.hpp"

#include <doctest/doctest.h>

using logs_test::accounted_lines;
using logs_test::read_text;
using parsers::logs::bound_values;
using parsers::logs::LogLinePrefix;
using parsers::logs::PrefixMatch;

namespace {
const char* prefix_line = "2025-07-18 09:00:00.123 UTC [4242] app@appdb ";
std::string line(const std::string& rest) {
    return std::string(prefix_line) + rest + "\n";
}
} // namespace

TEST_CASE("log_line_prefix '%m [%p] %q%u@%d ' matches session and background lines") {
    const auto prefix = LogLinePrefix::compile("%m [%p] %q%u@%d ", nullptr);
    REQUIRE(prefix);
    PrefixMatch match;
    REQUIRE(
        prefix->match("2025-07-18 09:00:00.123 UTC [4242] app@appdb LOG:  duration: 1 ms", match));
    CHECK(match.fields.pid == "4242");
    CHECK(match.fields.user == "app");
    CHECK(match.fields.database == "appdb");
    CHECK(match.severity == "LOG");
    CHECK(match.message == "duration: 1 ms");
    REQUIRE(
        prefix->match("2025-07-18 09:00:00.123 UTC [77] LOG:  checkpoint starting: time", match));
    CHECK(match.fields.pid == "77");
    CHECK(match.fields.user.empty());
    CHECK_FALSE(prefix->match("\tFROM users", match));
    CHECK_FALSE(prefix->match("pg_ctl: could not start server", match));
}

TEST_CASE("an unknown escape in --log-line-prefix is an error") {
    std::string error;
    CHECK_FALSE(LogLinePrefix::compile("%m %y ", &error));
    CHECK(error.find("%y") != std::string::npos);
}

TEST_CASE("common prefixes are inferred from the lines") {
    struct Case {
        std::vector<std::string_view> lines;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {{"2017-09-06 08:40:10 UTC [20]: [1-1] user=,db=,app=,client= LOG:  database system",
          "2017-09-06 08:41:41 UTC [36]: [121-1] user=postgres,db=postgres,app=pgbench,"
          "client=172.23.0.1 LOG:  duration: 2.280 ms  statement: END;"},
         "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h "},
        {{"2017-12-19 02:50:28 UTC [417-3935] dexter@dexter_test LOG:  duration: 21.7 ms  "
          "statement: SELECT 1"},
         "%t [%p-%l] %u@%d "},
        {{"2020-03-11 20:40:43 CET::@:[12760]:LOG:  listening on IPv4",
          "2020-03-11 20:40:44 CET:[local]:postgres@template1:[12774]:LOG:  duration: 0.027 ms  "
          "statement: SELECT 1",
          "2020-03-11 20:40:45 CET:10.0.0.1(5432):postgres@template1:[12777]:LOG:  duration: "
          "0.038 ms  statement: SELECT 2"},
         "%t:%r:%u@%d:[%p]:"},
        {{"1752829200.123 [42] LOG:  duration: 1.0 ms  statement: SELECT 1"}, "%n [%p] "},
        {{"2025-01-01 00:00:00.000 UTC [1] LOG:  database system is ready",
          "2025-01-01 00:00:01.000 UTC [2] a@b LOG:  duration: 1.0 ms  statement: SELECT 1",
          "2025-01-01 00:00:02.000 UTC [2] a@b LOG:  duration: 1.0 ms  statement: SELECT 2"},
         "%m [%p] %q%u@%d "},
        {{"2022-02-17 14:45:10.440 UTC [691] [queryid=-108127] postgres@so LOG:  statement: x"},
         "%m [%p] [queryid=%Q] %u@%d "},
        {{"2019-01-01 00:00:00 UTC [5] 5a3c732f.52f7 LOG:  statement: SELECT 1"}, "%t [%p] %c "},
    };
    for (const auto& test : cases) {
        CAPTURE(test.expected);
        const auto prefix = parsers::logs::infer_log_line_prefix(test.lines);
        REQUIRE(prefix);
        CHECK(prefix->setting() == test.expected);
    }
    CHECK_FALSE(parsers::logs::infer_log_line_prefix({"hello world", "just text"}));
}

TEST_CASE("a duration line with its statement is one statement with its time") {
    const auto result = read_text(
        "simple.log", line("LOG:  duration: 12.500 ms  statement: SELECT * FROM t WHERE a = 1"));
    REQUIRE(result.statements.size() == 1);
    const auto& statement = result.statements[0];
    CHECK(statement.text == "SELECT * FROM t WHERE a = 1");
    CHECK(statement.duration_ms == doctest::Approx(12.5));
    CHECK(statement.session == "4242");
    CHECK(statement.user == "app");
    CHECK(statement.database == "appdb");
    CHECK(statement.timestamp == "2025-07-18 09:00:00.123 UTC");
    CHECK(statement.line == 1);
    CHECK(result.description.find("%m [%p] %u@%d ") != std::string::npos);
}

TEST_CASE("execute with DETAIL parameters binds values by number, $10 apart from $1") {
    std::string params;
    std::string sql = "SELECT * FROM t WHERE";
    for (int i = 1; i <= 10; ++i) {
        sql += (i > 1 ? " AND c" : " c") + std::to_string(i) + " = $" + std::to_string(i);
        params += (i > 1 ? ", $" : "$") + std::to_string(i) + " = '" +
                  (i == 2 ? std::string("it''s, a\n\tvalue") : "v" + std::to_string(i)) + "'";
    }
    const auto result =
        read_text("execute.log", line("LOG:  duration: 0.5 ms  execute <unnamed>: " + sql) +
                                     line("DETAIL:  parameters: " + params));
    REQUIRE(result.statements.size() == 1);
    const auto values = bound_values(result.statements[0]);
    REQUIRE(values.size() == 10);
    CHECK(values[0] == "'v1'");
    CHECK(values[1] ==
          "'it''s, a\nvalue'"); // the continuation tab is PostgreSQL's, not the value's
    CHECK(values[9] == "'v10'");
    CHECK(result.counts.statement_lines == 3);
}

TEST_CASE("parse, bind and execute of one statement count once") {
    const std::string sql = "SELECT * FROM t WHERE id = $1";
    const auto result =
        read_text("extended.log", line("LOG:  duration: 0.1 ms  parse S_1: " + sql) +
                                      line("LOG:  duration: 0.1 ms  bind S_1: " + sql) +
                                      line("DETAIL:  parameters: $1 = '5'") +
                                      line("LOG:  duration: 0.3 ms  execute S_1: " + sql) +
                                      line("DETAIL:  parameters: $1 = '5'"));
    REQUIRE(result.statements.size() == 1);
    CHECK(*result.statements[0].duration_ms == doctest::Approx(0.3));
    CHECK(result.counts.entries[static_cast<std::size_t>(parsers::logs::EntryKind::protocol)] == 2);
    CHECK(accounted_lines(result.counts) == result.counts.lines);
}

TEST_CASE("log_statement's statement and the duration that follows it are one statement") {
    const auto result = read_text("statement_all.log", line("LOG:  statement: SELECT 1") +
                                                           line("LOG:  duration: 2.0 ms") +
                                                           line("LOG:  statement: SELECT 2"));
    REQUIRE(result.statements.size() == 2);
    CHECK(result.statements[0].text == "SELECT 1");
    CHECK(*result.statements[0].duration_ms == doctest::Approx(2.0));
    CHECK(result.statements[1].text == "SELECT 2");
    CHECK_FALSE(result.statements[1].duration_ms);
}

TEST_CASE("an ERROR with its STATEMENT is a failed statement, counted once") {
    const auto result = read_text(
        "errors.log", line("LOG:  statement: SELECT * FROM missing") +
                          line("ERROR:  relation \"missing\" does not exist at character 15") +
                          line("STATEMENT:  SELECT * FROM missing") +
                          line("ERROR:  syntax error at or near \"SELEC\"") +
                          line("STATEMENT:  SELEC 1"));
    REQUIRE(result.statements.size() == 2);
    CHECK(result.statements[0].failed);
    CHECK(result.statements[0].text == "SELECT * FROM missing");
    CHECK(result.statements[1].failed);
    CHECK(result.statements[1].text == "SELEC 1");
}

TEST_CASE("multi-line statements, CRLF line ends and noise lines are all accounted for") {
    std::string log = "2025-07-18 09:00:00.123 UTC [4242] app@appdb LOG:  duration: 1.0 ms  "
                      "statement: SELECT a,\r\n\t  b\r\n\tFROM t\r\n";
    log += "2025-07-18 09:00:00.200 UTC [77] LOG:  checkpoint starting: time\r\n";
    log += "2025-07-18 09:00:00.300 UTC [4242] app@appdb LOG:  connection authorized: user=app\r\n";
    log += "2025-07-18 09:00:00.400 UTC [88] LOG:  automatic vacuum of table \"t\": index scans: "
           "0\r\n\tpages: 0 removed\r\n";
    log += "\r\n";
    log += "pg_ctl: could not start server\r\n";
    const auto result = read_text("crlf.log", log);
    REQUIRE(result.statements.size() == 1);
    CHECK(result.statements[0].text == "SELECT a,\n  b\nFROM t");
    CHECK(result.counts.lines == 9);
    CHECK(result.counts.statement_lines == 3);
    CHECK(result.counts.blank_lines == 1);
    CHECK(result.counts.skipped_lines == 1);
    CHECK(accounted_lines(result.counts) == result.counts.lines);
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].line == 9);
}

TEST_CASE("--log-line-prefix reads a log whose prefix cannot be inferred") {
    const std::string log = "<<app|db|9>> LOG:  duration: 1.0 ms  statement: SELECT 1\n";
    parsers::logs::LogReadOptions options;
    options.format = parsers::logs::LogFormat::stderr_log;
    options.log_line_prefix = "<<%u|%d|%p>> ";
    const auto result = read_text("custom.log", log, options);
    REQUIRE(result.statements.size() == 1);
    CHECK(result.statements[0].session == "9");
    CHECK(result.statements[0].database == "db");
}

TEST_CASE("syslog chunks of one message are joined per process") {
    const std::string log =
        "Feb 11 13:15:40 host postgres[10819]: [7-1] db=d,user=u LOG:  duration: 1.0 ms  "
        "statement: SELECT a,\n"
        "Feb 11 13:15:40 host postgres[10820]: [3-1] db=d,user=u LOG:  duration: 2.0 ms  "
        "statement: SELECT 2\n"
        "Feb 11 13:15:40 host postgres[10819]: [7-2] #011b FROM t\n"
        "Feb 11 13:15:41 host systemd[1]: Started PostgreSQL.\n";
    const auto result = read_text("syslog.log", log);
    REQUIRE(result.statements.size() == 2);
    CHECK(result.statements[0].text == "SELECT a,\nb FROM t");
    CHECK(result.statements[0].session == "10819");
    CHECK(result.statements[1].text == "SELECT 2");
    CHECK(accounted_lines(result.counts) == 4);
}
