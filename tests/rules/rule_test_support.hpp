// Shared helpers for rule tests: build a catalog from DDL and run one rule on it.
#pragma once

#include "advisor/catalog.hpp"
#include "advisor/finding.hpp"
#include "advisor/rules/rule.hpp"
#include "parsers/pg_ddl.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

namespace rule_test {

inline advisor::Catalog catalog_from(const std::string& ddl) {
    advisor::Catalog catalog;
    parsers::apply_postgres_ddl(ddl, catalog);
    return catalog;
}

inline std::vector<advisor::Finding> run_rule(const std::string& rule_id,
                                              const advisor::Catalog& catalog,
                                              const advisor::Workload* workload = nullptr) {
    const advisor::Rule* rule = advisor::find_rule(rule_id);
    REQUIRE_MESSAGE(rule != nullptr, "no rule " << rule_id);
    advisor::AnalysisContext context{catalog, workload, {}};
    return rule->run(context);
}

} // namespace rule_test
