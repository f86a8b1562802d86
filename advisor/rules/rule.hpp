// The rule interface and registry. One rule = one file in advisor/rules/, one section in
// docs/rules.md, one test file in tests/rules/. A rule reads the analysis context and returns
// findings; it never prints and never parses SQL itself.
#pragma once

#include "advisor/catalog.hpp"
#include "advisor/finding.hpp"
#include "advisor/model_names.hpp"
#include "parsers/live/index_usage.hpp"
#include "parsers/query_facts.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace advisor {

struct Workload; // defined with the workload (query logs); absent when no log is given

struct RuleOptions {
    std::set<std::string> excluded_tables; // schema-qualified
    // Row counts per schema-qualified table (--stats); tables below min_rows get no index
    // proposals, since a sequential scan of a small table is as fast as an index scan.
    std::map<std::string, double> table_rows;
    double min_rows = 10000;
    std::uint32_t n_plus_one_min = 5;
    ModelNames models; // SQLAlchemy class and attribute names for fix snippets (--models)
    std::size_t unused_index_min_statements = 1000;
    // idx_scan per index from a live server (--index-usage-from-dsn): unused-index then judges
    // by what the server counted, not by the log alone.
    std::optional<parsers::live::IndexUsage> index_usage;
};

struct AnalysisContext {
    const Catalog& catalog;
    const Workload* workload = nullptr;
    RuleOptions options;
    // QueryFacts per workload shape, indexed by ShapeId; null without a workload. Extracted once
    // by the pipeline (advisor/analysis.hpp), never by rules.
    const std::vector<parsers::QueryFacts>* facts = nullptr;
    // What the report should say besides findings (a rule skipped, tables not in the catalog).
    std::vector<std::string>* notes = nullptr;

    void note(std::string text) const {
        if (notes != nullptr) {
            notes->push_back(std::move(text));
        }
    }
};

class Rule {
public:
    virtual ~Rule() = default;
    virtual std::string_view id() const = 0;
    virtual Severity default_severity() const = 0;
    virtual std::string_view summary() const = 0; // one line, for --list-rules and SARIF
    virtual std::vector<Finding> run(const AnalysisContext& context) const = 0;
};

// Every rule, in a fixed order. Adding a rule adds one line to registry.cpp.
const std::vector<std::unique_ptr<Rule>>& all_rules();
const Rule* find_rule(std::string_view id);

// Runs the rules not in `disabled` and returns their findings sorted as design.md orders them.
std::vector<Finding> run_rules(const AnalysisContext& context,
                               const std::set<std::string>& disabled);

// Constructors, one per rule file.
std::unique_ptr<Rule> make_unindexed_foreign_key_rule();
std::unique_ptr<Rule> make_redundant_index_rule();
std::unique_ptr<Rule> make_missing_index_rule();
std::unique_ptr<Rule> make_unused_index_rule();
std::unique_ptr<Rule> make_n_plus_one_rule();
std::unique_ptr<Rule> make_eager_load_rule();
std::unique_ptr<Rule> make_json_overfetch_rule();
std::unique_ptr<Rule> make_unbounded_list_rule();

} // namespace advisor
