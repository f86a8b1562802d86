#include "advisor/model_snippet.hpp"
#include "advisor/rules/rule.hpp"

namespace advisor {

const std::vector<std::unique_ptr<Rule>>& all_rules() {
    static const std::vector<std::unique_ptr<Rule>> rules = [] {
        std::vector<std::unique_ptr<Rule>> list;
        list.push_back(make_missing_index_rule());
        list.push_back(make_unindexed_foreign_key_rule());
        list.push_back(make_redundant_index_rule());
        list.push_back(make_unused_index_rule());
        list.push_back(make_n_plus_one_rule());
        list.push_back(make_eager_load_rule());
        list.push_back(make_json_overfetch_rule());
        list.push_back(make_unbounded_list_rule());
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

namespace {

// When missing-index proposes an index whose leading columns are a foreign key's, the
// unindexed-foreign-key finding points at it and takes the same index as its fix, so the index
// appears once in any migration (design.md; migration plans merge fixes by index name).
void link_foreign_key_findings(std::vector<Finding>& findings) {
    for (auto& fk_finding : findings) {
        if (fk_finding.rule != "unindexed-foreign-key") {
            continue;
        }
        for (const auto& proposal : findings) {
            if (proposal.rule != "missing-index" || proposal.table != fk_finding.table ||
                !proposal.fix.create_index || proposal.fix.create_index->method != "btree" ||
                proposal.columns.size() < fk_finding.columns.size()) {
                continue;
            }
            const std::set<std::string> leading(proposal.columns.begin(),
                                                proposal.columns.begin() +
                                                    static_cast<long>(fk_finding.columns.size()));
            if (leading !=
                std::set<std::string>(fk_finding.columns.begin(), fk_finding.columns.end())) {
                continue;
            }
            fk_finding.details.push_back("the missing-index finding on " + proposal.table +
                                         " proposes " + proposal.fix.create_index->name +
                                         ", which serves this foreign key too");
            fk_finding.fix = proposal.fix;
            break;
        }
    }
}

} // namespace

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
    link_foreign_key_findings(findings);
    attach_model_snippets(findings, context.catalog, context.options.models);
    sort_findings(findings);
    return findings;
}

} // namespace advisor
