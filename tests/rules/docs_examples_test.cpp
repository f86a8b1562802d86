// Runs the examples of docs/rules.md: each rule section's ```sql block is the schema and its
// ```findings block what `advise` must report on it, so the docs cannot drift from the rules.
#include "rule_test_support.hpp"

#include <fstream>
#include <map>
#include <sstream>

namespace {

struct RuleExample {
    std::string sql;
    std::vector<std::string> findings;
};

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
        } else if (line.rfind("```", 0) == 0) {
            block = block.empty() ? (line.size() > 3 ? line.substr(3) : "other") : "";
        } else if (block == "sql") {
            examples[section].sql += line + "\n";
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
        if (found->second.sql.empty()) {
            continue; // rules whose examples need a query log are checked by their own tests
        }
        const auto catalog = rule_test::catalog_from(found->second.sql);
        advisor::AnalysisContext context{catalog, nullptr, {}};
        auto findings = advisor::run_rules(context, {});
        std::vector<std::string> reported;
        for (const auto& finding : findings) {
            if (finding.rule == id) {
                reported.push_back(describe(finding));
            }
        }
        CHECK(reported == found->second.findings);
    }
}
