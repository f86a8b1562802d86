// Reports for CI systems: GitLab Code Quality JSON (--format gitlab) and GitHub Actions workflow
// commands (--format github). Both point at the schema file line of each finding's table or index
// and, when the same run writes migrations, at the migration line that fixes it.
#pragma once

#include "advisor/finding.hpp"

#include <map>
#include <string>
#include <vector>

namespace advisor {

// Where the migrations written in the same run create or drop each index, by index name.
using FixLocations = std::map<std::string, SourceLocation>;

// The fix's line in the emitted migrations for `finding`, or null when there is none.
const SourceLocation* fix_location(const Finding& finding, const FixLocations& locations);

// A path as a repository-relative report wants it: normalized, and relative to the working
// directory when it is an absolute path under it.
std::string repository_path(const std::string& path);

// GitLab Code Quality (docs.gitlab.com, "Code Quality report format"): a JSON array of issues with
// description, check_name, fingerprint (stable: the finding's key, never a line), severity
// (minor/major/critical from low/medium/high) and location.path / location.lines.begin. A finding
// whose fix is in an emitted migration gets a second issue at that line (its fingerprint is the
// key with "/migration"), since an issue has one location.
std::string render_gitlab(const std::vector<Finding>& findings, const FixLocations& locations);

// GitHub Actions workflow commands, `::error file=F,line=N,title=T::message` (docs.github.com,
// "Workflow commands for GitHub Actions"), with GitHub's escaping of data and properties; error,
// warning and notice for high, medium and low. GitHub shows at most 10 annotations of each level
// per step, so the 10 highest-ranked of each level are commands and the rest are counted in a
// last plain line.
std::string render_github(const std::vector<Finding>& findings, const FixLocations& locations);

} // namespace advisor
