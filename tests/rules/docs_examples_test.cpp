// Runs the examples of docs/rules.md: each rule section's ```sql block is the schema and its
// ```findings block what `advise` must report on it, so the docs cannot drift from the rules.
#include "workload_rule_support.hpp"

#include <fstream>
#include <map>
#include <sstream>

namespace {

struct RuleExample {
    std::string sql;
    std::vector<rule_test::LoggedQuery> log;
    std::vector<std::string> findings;
};

// One ```log line: "<calls>x <total>ms <SQL>".
rule_test::LoggedQuery logged_query(const std::string& line) {
    std::istringstream fields(line);
    std::string calls;
    std::string total;
    fields >> calls >> total;
    std::string sql;
    std::getline(fields, sql);
    REQUIRE_MESSAGE(calls.back() == 'x', "bad log line in docs/rules.md: " << line);
    REQUIRE_MESSAGE(total.ends_with("ms"), "bad log line in docs/rules.md: " << line);
    return {sql.substr(sql.find_first_not_of(' ')), std::stoi(calls), std::stod(total)};
}

std::map<std::string, RuleExample> read_examples(const std::string& path) {
    std::ifstream input(path);
    REQUIRE_MESSAGE(input, "cannot read " << path);
    std::map<std::string, RuleExample> examples;
    std::string line;
    std::string section;
    std::string block;
    while (std::getline(input, line)) {
        if (line.rfind("## ", 0) == 0) {
            section = line.substr(3);
            examples[section];
        } else if (line.rfind("```", 0) == 0 && line.rfind("````", 0) != 0) {
            block = block.empty() ? (line.size() > 3 ? line.substr(3) : "other") : "";
        } else if (block == "sql") {
            examples[section].sql += line + "\n";
        } else if (block == "log" && !line.empty()) {
            examples[section].log.push_back(logged_query(line));
        } else if (block == "findings" && !line.empty()) {
            examples[section].findings.push_back(line);
        }
    }
    return examples;
}

std::string describe(const advisor::Finding& finding) {
    std::string columns;
    for (const auto& column : finding.columns) {
        columns += (columns.empty() ? "" : ", ") + column;
    }
    return finding.rule + " " + finding.table + " (" + columns + ")";
}

} // namespace

TEST_CASE(
    "every rule has a section in docs/rules.md, and its example gives the documented findings") {
    const auto examples = read_examples(std::string(SOURCE_DIR) + "/docs/rules.md");
    for (const auto& rule : advisor::all_rules()) {
        const std::string id(rule->id());
        CAPTURE(id);
        const auto found = examples.find(id);
        REQUIRE_MESSAGE(found != examples.end(), "docs/rules.md has no section for " << id);
        REQUIRE_MESSAGE(!found->second.sql.empty(), "the " << id << " section has no example");
        const auto catalog = rule_test::catalog_from(found->second.sql);
        std::vector<advisor::Finding> findings;
        if (found->second.log.empty()) {
            advisor::AnalysisContext context{catalog, nullptr, {}};
            findings = advisor::run_rules(context, {});
        } else {
            findings =
                rule_test::run_with_log(id, catalog, rule_test::workload_of(found->second.log));
        }
        std::vector<std::string> reported;
        for (const auto& finding : findings) {
            if (finding.rule == id) {
                reported.push_back(describe(finding));
            }
        }
        CHECK(reported == found->second.findings);
    }
}
