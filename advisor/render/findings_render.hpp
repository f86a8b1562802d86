// Renders findings as text (terminal) and JSON (design.md's advise contract).
#pragma once

#include "advisor/catalog.hpp"
#include "advisor/finding.hpp"
#include "advisor/workload.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace advisor {

struct ReportSummary {
    std::size_t tables = 0;
    std::size_t indexes = 0;
    std::size_t statements = 0;
    std::size_t shapes = 0;
    double total_ms = 0; // workload time, for each finding's share
};

ReportSummary summarize(const Catalog& catalog);
// With the workload the rules read: its statements and distinct shapes too.
ReportSummary summarize(const Catalog& catalog, const Workload& workload);

nlohmann::ordered_json finding_to_json(const Finding& finding);
// evidence.verification: a planner's verdict on a finding's index (advise --verify).
nlohmann::ordered_json verification_to_json(const PlannerVerification& verification);
nlohmann::ordered_json findings_to_json(const std::vector<Finding>& findings,
                                        const ReportSummary& summary);
std::string findings_to_text(const std::vector<Finding>& findings, const ReportSummary& summary);

} // namespace advisor
