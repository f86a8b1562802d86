#include "advisor/render/ci_render.hpp"

#include "advisor/sql_text.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

namespace advisor {

namespace {

const char* gitlab_severity(Severity severity) {
    switch (severity) {
    case Severity::high:
        return "critical";
    case Severity::medium:
        return "major";
    case Severity::low:
        break;
    }
    return "minor";
}

const char* github_level(Severity severity) {
    switch (severity) {
    case Severity::high:
        return "error";
    case Severity::medium:
        return "warning";
    case Severity::low:
        break;
    }
    return "notice";
}

// GitHub's escaping (@actions/core, command.ts): data escapes %, CR and LF; property values
// also `:` and `,`, which separate properties.
std::string escape_data(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '%') {
            out += "%25";
        } else if (c == '\r') {
            out += "%0D";
        } else if (c == '\n') {
            out += "%0A";
        } else {
            out += c;
        }
    }
    return out;
}

std::string escape_property(const std::string& text) {
    std::string out;
    for (const char c : escape_data(text)) {
        if (c == ':') {
            out += "%3A";
        } else if (c == ',') {
            out += "%2C";
        } else {
            out += c;
        }
    }
    return out;
}

std::string fix_name(const Finding& finding) {
    if (finding.fix.create_index) {
        return finding.fix.create_index->name;
    }
    if (finding.fix.drop_index) {
        return finding.fix.drop_index->name;
    }
    return "";
}

std::string title_of(const Finding& finding) {
    return finding.rule + " on " + finding.table;
}

} // namespace

const SourceLocation* fix_location(const Finding& finding, const FixLocations& locations) {
    const std::string name = fix_name(finding);
    const auto found = name.empty() ? locations.end() : locations.find(name);
    return found == locations.end() ? nullptr : &found->second;
}

std::string repository_path(const std::string& path) {
    namespace fs = std::filesystem;
    fs::path normal = fs::path(path).lexically_normal();
    std::error_code ec;
    if (normal.is_absolute()) {
        const fs::path relative = normal.lexically_relative(fs::current_path(ec));
        if (!ec && !relative.empty() && *relative.begin() != "..") {
            normal = relative;
        }
    }
    const std::string text = normal.generic_string();
    return text.empty() ? "schema.sql" : text;
}

std::string render_gitlab(const std::vector<Finding>& findings, const FixLocations& locations) {
    nlohmann::ordered_json issues = nlohmann::ordered_json::array();
    const auto issue = [&](const Finding& finding, const std::string& description,
                           const std::string& fingerprint, const SourceLocation& where) {
        issues.push_back({{"type", "issue"},
                          {"description", description},
                          {"check_name", finding.rule},
                          {"fingerprint", fingerprint},
                          {"severity", gitlab_severity(finding.severity)},
                          {"location",
                           {{"path", repository_path(where.file)},
                            {"lines", {{"begin", std::max(1, where.line)}}}}}});
    };
    // finding_key() is the same for two findings of one rule on the same table and columns (two
    // N+1 loops over one look-up); GitLab needs each fingerprint once, so a repeated key takes the
    // hash of the finding's query fingerprints (stable across runs), then an ordinal.
    std::set<std::string> used;
    for (const auto& finding : findings) {
        std::string key = finding_key(finding);
        if (used.count(key) > 0) {
            std::string queries;
            for (const auto& query : finding.queries) {
                queries += query.fingerprint + "|";
            }
            key += "/" + stable_hash_hex(queries).substr(0, 8);
        }
        for (int ordinal = 2; used.count(key) > 0; ++ordinal) {
            key = finding_key(finding) + "/" + std::to_string(ordinal);
        }
        used.insert(key);
        issue(finding, finding.message, key, finding.location);
        if (const SourceLocation* fix = fix_location(finding, locations)) {
            issue(finding, "The fix for " + title_of(finding) + ": " + finding.message,
                  key + "/migration", *fix);
        }
    }
    return issues.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_github(const std::vector<Finding>& findings, const FixLocations& locations) {
    std::string out;
    std::map<std::string, std::size_t> shown;
    std::size_t left_out = 0;
    for (const auto& finding : findings) {
        const std::string level = github_level(finding.severity);
        if (shown[level] == 10) {
            ++left_out;
            continue;
        }
        ++shown[level];
        std::string message = finding.message;
        if (const SourceLocation* fix = fix_location(finding, locations)) {
            message +=
                "\nFix: " + repository_path(fix->file) + " line " + std::to_string(fix->line);
        }
        out += "::" + level + " file=" + escape_property(repository_path(finding.location.file)) +
               ",line=" + std::to_string(std::max(1, finding.location.line)) +
               ",title=" + escape_property(title_of(finding)) + "::" + escape_data(message) + "\n";
    }
    if (left_out > 0) {
        out += "schema-advisor: " + std::to_string(left_out) +
               " more findings are not annotated (GitHub shows 10 per level); --format json lists "
               "them all\n";
    }
    return out;
}

} // namespace advisor
