// n-plus-one: positive and negative cases. The logs use BEGIN ... COMMIT: workload_of() puts
// statements 2 s apart, too far for a burst, and a transaction is one unit however long it lasts.
#include "workload_rule_support.hpp"

#include <algorithm>

using rule_test::catalog_from;
using rule_test::LoggedQuery;
using rule_test::run_with_log;
using rule_test::workload_of;

namespace {

const char* schema = "CREATE TABLE users (id bigint PRIMARY KEY, name text);"
                     "CREATE TABLE traces (id bigint PRIMARY KEY, user_id bigint REFERENCES users,"
                     " title text);"
                     "CREATE TABLE notes (id bigint PRIMARY KEY, trace_id bigint REFERENCES traces,"
                     " body text);"
                     "CREATE INDEX notes_trace ON notes (trace_id);";

// One transaction of `session`: the parent query, then `repeated` with `count` different keys
// (or the same key when `same_key`).
void transaction(std::vector<LoggedQuery>& log, const std::string& repeated, int count,
                 const std::string& session = "1", bool same_key = false,
                 const std::string& suffix = "") {
    log.push_back({"BEGIN", 1, 0, session});
    log.push_back({"SELECT id, user_id FROM traces ORDER BY id LIMIT 20", 1, 1, session});
    for (int i = 0; i < count; ++i) {
        log.push_back({repeated + std::to_string(same_key ? 7 : 100 + i) + suffix, 1, 1, session});
    }
    log.push_back({"COMMIT", 1, 0, session});
}

std::vector<advisor::Finding> n_plus_one(const std::vector<LoggedQuery>& log,
                                         std::vector<std::string>* notes = nullptr) {
    return run_with_log("n-plus-one", catalog_from(schema), workload_of(log), notes);
}

} // namespace

TEST_CASE("five primary-key look-ups in one transaction after a list: eager loading, no index") {
    std::vector<LoggedQuery> log;
    transaction(log, "SELECT id, name FROM users WHERE id = ", 5);
    const auto found = n_plus_one(log);
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "public.users");
    CHECK(found[0].columns == std::vector<std::string>{"id"});
    CHECK(!found[0].fix.create_index);
    CHECK(found[0].fix.sqlalchemy.find("joinedload(Trace.user)") != std::string::npos);
    CHECK(found[0].fix.sqlalchemy.find("User.id.in_(keys)") != std::string::npos);
    REQUIRE(found[0].queries.size() == 2); // the repeated shape, then its parent
    CHECK(found[0].queries[1].example.find("FROM traces") != std::string::npos);
}

TEST_CASE("a run of 4 is not N+1 by default, and the minimum is configurable") {
    std::vector<LoggedQuery> log;
    transaction(log, "SELECT id, name FROM users WHERE id = ", 4);
    CHECK(n_plus_one(log).empty());
    std::vector<LoggedQuery> longer;
    transaction(longer, "SELECT id, name FROM users WHERE id = ", 8);
    advisor::RuleOptions options;
    options.n_plus_one_min = 10;
    CHECK(run_with_log("n-plus-one", catalog_from(schema), workload_of(longer), nullptr, options)
              .empty());
}

TEST_CASE("runs in different sessions do not join") {
    std::vector<LoggedQuery> log;
    transaction(log, "SELECT id, name FROM users WHERE id = ", 3, "1");
    transaction(log, "SELECT id, name FROM users WHERE id = ", 3, "2");
    CHECK(n_plus_one(log).empty());
}

TEST_CASE("a shape once per transaction, however many transactions, is not N+1") {
    std::vector<LoggedQuery> log;
    for (int i = 0; i < 10; ++i) {
        transaction(log, "SELECT id, name FROM users WHERE id = ", 1);
    }
    CHECK(n_plus_one(log).empty());
}

TEST_CASE("a parameterless repeat (the same literal) is not N+1") {
    std::vector<LoggedQuery> log;
    transaction(log, "SELECT id, name FROM users WHERE id = ", 6, "1", true);
    CHECK(n_plus_one(log).empty());
}

TEST_CASE("a foreign-key look-up suggests selectinload on the parent relationship") {
    std::vector<LoggedQuery> log;
    transaction(log, "SELECT id, body FROM notes WHERE trace_id = ", 6);
    const auto found = n_plus_one(log);
    REQUIRE(found.size() == 1);
    CHECK(found[0].table == "public.notes");
    CHECK(found[0].columns == std::vector<std::string>{"trace_id"});
    CHECK(found[0].fix.sqlalchemy.find("selectinload(Trace.notes)") != std::string::npos);
    CHECK(found[0].details.size() == 1); // the run only: notes_trace serves the foreign key
}

TEST_CASE("an unindexed foreign-key look-up points at the index finding") {
    std::vector<LoggedQuery> log;
    transaction(log, "SELECT id, title FROM traces WHERE user_id = ", 6);
    const auto found = n_plus_one(log);
    REQUIRE(found.size() == 1);
    REQUIRE(found[0].details.size() == 2);
    CHECK(found[0].details[1].find("unindexed-foreign-key") != std::string::npos);
}

TEST_CASE("repeated single-row writes get a bulk statement; an INSERT reports no columns") {
    std::vector<LoggedQuery> log;
    transaction(log, "UPDATE users SET name = 'x' WHERE id = ", 5);
    transaction(log, "INSERT INTO notes (body, trace_id) VALUES ('b', ", 5, "1", false, ")");
    const auto found = n_plus_one(log);
    REQUIRE(found.size() == 2);
    for (const auto& finding : found) {
        if (finding.table == "public.users") {
            CHECK(finding.columns == std::vector<std::string>{"id"});
            CHECK(finding.fix.sqlalchemy.find("update(User)") != std::string::npos);
        } else {
            CHECK(finding.table == "public.notes");
            CHECK(finding.columns.empty());
            CHECK(finding.fix.sqlalchemy.find("insert(Note)") != std::string::npos);
        }
    }
}

TEST_CASE("a per-item loop loading a listing, its cpu and its gpu is three N+1s, each after the "
          "query that holds its key") {
    const auto catalog = catalog_from(
        "CREATE TABLE cpus (id bigint PRIMARY KEY, name text);"
        "CREATE TABLE gpus (id bigint PRIMARY KEY, name text);"
        "CREATE TABLE listings (id bigint PRIMARY KEY, cpu_id bigint REFERENCES cpus,"
        " gpu_id bigint REFERENCES gpus, title text);"
        "CREATE TABLE items (id bigint PRIMARY KEY, listing_id bigint REFERENCES listings);");
    std::vector<LoggedQuery> log{{"BEGIN", 1, 0}, {"SELECT id, listing_id FROM items", 1, 1}};
    for (int i = 0; i < 6; ++i) {
        const std::string key = std::to_string(10 + i);
        log.push_back({"SELECT id, cpu_id, gpu_id, title FROM listings WHERE id = " + key, 1, 1});
        log.push_back({"SELECT id, name FROM cpus WHERE id = " + key, 1, 1});
        log.push_back({"SELECT id, name FROM gpus WHERE id = " + key, 1, 1});
    }
    log.push_back({"COMMIT", 1, 0});
    const auto found = run_with_log("n-plus-one", catalog, workload_of(log));
    REQUIRE(found.size() == 3);
    for (const auto& finding : found) {
        REQUIRE(finding.queries.size() == 2);
        if (finding.table == "public.listings") {
            CHECK(finding.fix.sqlalchemy.find("joinedload(Item.listing)") != std::string::npos);
        } else {
            // gpus ran right after cpus, a sibling in the loop: the parent is the listing.
            CHECK(finding.queries[1].example.find("FROM listings") != std::string::npos);
            CHECK(finding.fix.sqlalchemy.find("joinedload(Listing.") != std::string::npos);
        }
    }
}

TEST_CASE("a repeat that starts right after BEGIN names no parent") {
    std::vector<LoggedQuery> log{{"BEGIN", 1, 0}};
    for (int i = 0; i < 5; ++i) {
        log.push_back({"SELECT id, name FROM users WHERE id = " + std::to_string(i), 1, 1});
    }
    log.push_back({"COMMIT", 1, 0});
    const auto found = n_plus_one(log);
    REQUIRE(found.size() == 1);
    CHECK(found[0].queries.size() == 1);
}

TEST_CASE("without sessions (pg_stat_statements, SQL scripts) the rule says so once") {
    auto workload = workload_of({{"SELECT id, name FROM users WHERE id = $1", 10, 1}});
    advisor::WorkloadSource source;
    source.file = "stats.csv";
    source.description = "pg_stat_statements export (CSV)";
    source.shows_sessions = false;
    workload.sources.push_back(source);
    std::vector<std::string> notes;
    CHECK(run_with_log("n-plus-one", catalog_from(schema), workload, &notes).empty());
    // Other rules may add their own notes (unused-index: too few statements).
    CHECK(std::count_if(notes.begin(), notes.end(), [](const std::string& note) {
              return note.rfind("n-plus-one:", 0) == 0;
          }) == 1);
}

TEST_CASE("a parent behind under 20% of the runs gets no finding of its own, only a detail") {
    std::vector<LoggedQuery> log;
    const auto loop = [&](const std::string& parent) {
        log.push_back({"BEGIN", 1, 0});
        log.push_back({parent, 1, 1});
        for (int i = 0; i < 5; ++i) {
            log.push_back({"SELECT id, name FROM users WHERE id = " + std::to_string(i), 1, 1});
        }
        log.push_back({"COMMIT", 1, 0});
    };
    for (int i = 0; i < 9; ++i) {
        loop("SELECT id, user_id FROM traces ORDER BY id LIMIT 20");
    }
    loop("SELECT id, trace_id FROM notes ORDER BY id LIMIT 20");
    const auto found = n_plus_one(log);
    REQUIRE(found.size() == 1);
    CHECK(found[0].message.find("in 9 transactions") != std::string::npos);
    CHECK(std::any_of(found[0].details.begin(), found[0].details.end(), [](const auto& detail) {
        return detail.find("also after 1 other query (1 transactions or bursts)") !=
               std::string::npos;
    }));
    // With 3 of 10, the second parent has its own finding.
    log.clear();
    for (int i = 0; i < 7; ++i) {
        loop("SELECT id, user_id FROM traces ORDER BY id LIMIT 20");
    }
    for (int i = 0; i < 3; ++i) {
        loop("SELECT id, trace_id FROM notes ORDER BY id LIMIT 20");
    }
    CHECK(n_plus_one(log).size() == 2);
}
