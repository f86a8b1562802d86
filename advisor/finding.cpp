#include "advisor/finding.hpp"

#include "advisor/sql_text.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace advisor {

const char* to_string(Severity severity) {
    switch (severity) {
    case Severity::high:
        return "high";
    case Severity::medium:
        return "medium";
    case Severity::low:
        break;
    }
    return "low";
}

std::optional<Severity> parse_severity(const std::string& text) {
    if (text == "high") {
        return Severity::high;
    }
    if (text == "medium") {
        return Severity::medium;
    }
    if (text == "low") {
        return Severity::low;
    }
    return std::nullopt;
}

std::vector<std::string> IndexSpec::columns() const {
    std::vector<std::string> texts;
    for (const auto& key : keys) {
        texts.push_back(key.text());
    }
    return texts;
}

IndexSpec spec_of(const Index& index) {
    return IndexSpec{index.name,   index.table, index.keys,   index.method,
                     index.unique, index.where, index.include};
}

std::string format_ms(double ms) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.1f ms", ms);
    return buffer;
}

std::string finding_key(const Finding& finding) {
    std::string identity = finding.rule + "|" + finding.table + "|" + finding.index;
    for (const auto& column : finding.columns) {
        identity += "|" + column;
    }
    return stable_hash_hex(identity);
}

void sort_findings(std::vector<Finding>& findings) {
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return std::forward_as_tuple(b.severity, b.time_saved_ms, a.table, a.columns, a.rule,
                                     a.index) < std::forward_as_tuple(a.severity, a.time_saved_ms,
                                                                      b.table, b.columns, b.rule,
                                                                      b.index);
    });
}

} // namespace advisor
