// Reports rendered from templates: Markdown (a code-review attachment) and SARIF 2.1.0 (code
// scanning annotations at the schema line of each table or index).
#pragma once

#include "advisor/finding.hpp"
#include "advisor/render/findings_render.hpp"
#include "advisor/render/templates.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace advisor {

// GitHub stops a comment at 65,536 characters; the report stays under this, cutting the
// lowest-ranked findings with a note.
constexpr std::size_t markdown_limit = 60000;

std::string render_markdown(const std::vector<Finding>& findings, const ReportSummary& summary,
                            const TemplateSet& templates, std::size_t limit = markdown_limit);

// `fix_locations`: where migrations written in the same run fix each index (relatedLocations).
std::string render_sarif(const std::vector<Finding>& findings, const TemplateSet& templates,
                         const std::map<std::string, SourceLocation>& fix_locations = {});

} // namespace advisor
