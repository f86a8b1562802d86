// Builds hand-made workloads for rule tests: each query with its calls and total time, in one
// session, as a log reader would hand them over.
#pragma once

#include "advisor/analysis.hpp"
#include "advisor/workload.hpp"
#include "rule_test_support.hpp"

#include <string>
#include <vector>

namespace rule_test {

struct LoggedQuery {
    std::string sql;
    int calls = 1;
    double total_ms = 1.0;
    std::string session = "1";
};

inline advisor::Workload workload_of(const std::vector<LoggedQuery>& queries) {
    advisor::WorkloadBuilder builder;
    double clock = 0;
    for (const auto& query : queries) {
        for (int i = 0; i < query.calls; ++i) {
            parsers::logs::Statement statement;
            statement.text = query.sql;
            statement.duration_ms = query.total_ms / query.calls;
            statement.session = query.session;
            statement.timestamp_ms = clock;
            clock += 2000; // far apart: no burst joins them
            statement.file = "test.log";
            statement.line = static_cast<int>(clock / 2000);
            builder.add(statement);
        }
    }
    builder.end_file();
    return builder.finish();
}

// Runs every rule on the catalog and workload, as `advise` does; returns one rule's findings.
inline std::vector<advisor::Finding> run_with_log(const std::string& rule_id,
                                                  const advisor::Catalog& catalog,
                                                  const advisor::Workload& workload,
                                                  std::vector<std::string>* notes = nullptr,
                                                  advisor::RuleOptions options = {}) {
    const auto facts = advisor::extract_shape_facts(workload, catalog);
    advisor::AnalysisContext context{catalog, &workload, options};
    context.facts = &facts;
    context.notes = notes;
    std::vector<advisor::Finding> selected;
    for (auto& finding : advisor::run_rules(context, {})) {
        if (finding.rule == rule_id) {
            selected.push_back(std::move(finding));
        }
    }
    return selected;
}

} // namespace rule_test
