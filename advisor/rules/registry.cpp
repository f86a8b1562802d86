#include "advisor/rules/rule.hpp"

namespace advisor {

const std::vector<std::unique_ptr<Rule>>& all_rules() {
    static const std::vector<std::unique_ptr<Rule>> rules = [] {
        std::vector<std::unique_ptr<Rule>> list;
        list.push_back(make_unindexed_foreign_key_rule());
        list.push_back(make_redundant_index_rule());
        return list;
    }();
    return rules;
}

const Rule* find_rule(std::string_view id) {
    for (const auto& rule : all_rules()) {
        if (rule->id() == id) {
            return rule.get();
        }
    }
    return nullptr;
}

std::vector<Finding> run_rules(const AnalysisContext& context,
                               const std::set<std::string>& disabled) {
    std::vector<Finding> findings;
    for (const auto& rule : all_rules()) {
        if (disabled.count(std::string(rule->id())) > 0) {
            continue;
        }
        auto found = rule->run(context);
        for (auto& finding : found) {
            if (context.options.excluded_tables.count(finding.table) == 0) {
                findings.push_back(std::move(finding));
            }
        }
    }
    sort_findings(findings);
    return findings;
}

} // namespace advisor
