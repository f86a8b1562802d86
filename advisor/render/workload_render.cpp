#include "advisor/render/workload_render.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace advisor {

namespace {

// Milliseconds to three decimals: enough for log precision, stable in output.
constexpr std::size_t max_listed_pairs = 10;

double rounded(double ms) {
    return std::round(ms * 1000.0) / 1000.0;
}

std::string with_thousands(std::uint64_t value) {
    std::string digits = std::to_string(value);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<std::size_t>(i), ",");
    }
    return digits;
}

std::string one_line(const std::string& text, std::size_t width) {
    std::string line;
    for (const char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space) {
            if (!line.empty() && line.back() != ' ') {
                line.push_back(' ');
            }
        } else {
            line.push_back(c);
        }
    }
    if (line.size() > width) {
        // Cut at a UTF-8 character boundary.
        std::size_t cut = width - 3;
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) {
            --cut;
        }
        line = line.substr(0, cut) + "...";
    }
    return line;
}

std::vector<ShapeId> listed(const Workload& workload, std::size_t top) {
    std::vector<ShapeId> ids = workload.ranked();
    if (top > 0 && ids.size() > top) {
        ids.resize(top);
    }
    return ids;
}

nlohmann::ordered_json source_json(const WorkloadSource& source) {
    nlohmann::ordered_json other = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < source.counts.entry_lines.size(); ++k) {
        if (source.counts.entry_lines[k] > 0) {
            other[parsers::logs::to_string(static_cast<parsers::logs::EntryKind>(k))] =
                source.counts.entry_lines[k];
        }
    }
    nlohmann::ordered_json json = {{"file", source.file},
                                   {"format", source.description},
                                   {"lines", source.counts.lines},
                                   {"statements", source.counts.statements},
                                   {"statement_lines", source.counts.statement_lines},
                                   {"other_lines", other},
                                   {"blank_lines", source.counts.blank_lines},
                                   {"skipped_lines", source.counts.skipped_lines},
                                   {"problems", source.problems}};
    json["damage"] =
        source.damage ? nlohmann::ordered_json(*source.damage) : nlohmann::ordered_json(nullptr);
    return json;
}

} // namespace

nlohmann::ordered_json workload_to_json(const Workload& workload, std::size_t top) {
    nlohmann::ordered_json shapes = nlohmann::ordered_json::array();
    for (const ShapeId id : listed(workload, top)) {
        const QueryShape& shape = workload.shapes[id];
        nlohmann::ordered_json examples = nlohmann::ordered_json::array();
        for (const auto& example : shape.examples) {
            examples.push_back(
                {{"text", example.text},
                 {"file", example.file},
                 {"line", example.line},
                 {"duration_ms", example.duration_ms
                                     ? nlohmann::ordered_json(rounded(*example.duration_ms))
                                     : nlohmann::ordered_json(nullptr)}});
        }
        nlohmann::ordered_json json = {{"fingerprint", shape.fingerprint},
                                       {"query", shape.query},
                                       {"calls", shape.calls},
                                       {"total_ms", rounded(shape.total_ms)},
                                       {"mean_ms", rounded(shape.mean_ms())},
                                       {"max_ms", rounded(shape.max_ms)},
                                       {"tables", shape.tables},
                                       {"kind", shape.statement_kind},
                                       {"failed", shape.failed},
                                       {"timed_calls", shape.timed_calls}};
        json["rows"] =
            shape.rows ? nlohmann::ordered_json(*shape.rows) : nlohmann::ordered_json(nullptr);
        json["first_seen"] = shape.first_seen.empty() ? nlohmann::ordered_json(nullptr)
                                                      : nlohmann::ordered_json(shape.first_seen);
        json["last_seen"] = shape.last_seen.empty() ? nlohmann::ordered_json(nullptr)
                                                    : nlohmann::ordered_json(shape.last_seen);
        json["examples"] = examples;
        const auto fingerprint_of = [&](std::optional<ShapeId> id) {
            return id ? nlohmann::ordered_json(workload.shapes[*id].fingerprint)
                      : nlohmann::ordered_json(nullptr);
        };
        if (shape.repetition.units > 0) {
            // The ten pairs with the most units: a random workload can pair every shape with
            // every other one.
            nlohmann::ordered_json pairs = nlohmann::ordered_json::array();
            for (const auto& pair : shape.repetition.by_parent) {
                if (pairs.size() == max_listed_pairs) {
                    break;
                }
                const RepeatedRun& run = pair.largest;
                pairs.push_back({{"parent", fingerprint_of(pair.parent)},
                                 {"units", pair.units},
                                 {"executions", pair.executions},
                                 {"median_executions", median_executions(pair.histogram)},
                                 {"max_executions", pair.max_executions},
                                 {"sessions", pair.sessions},
                                 {"total_ms", rounded(pair.total_ms)},
                                 {"largest",
                                  {{"session", run.session},
                                   {"file", run.file},
                                   {"first_line", run.first_line},
                                   {"last_line", run.last_line},
                                   {"executions", run.executions},
                                   {"distinct_parameters", run.distinct_parameters},
                                   {"unit_statements", run.unit_statements},
                                   {"in_transaction", run.in_transaction}}}});
            }
            json["repetition"] = {{"units", shape.repetition.units},
                                  {"executions", shape.repetition.executions},
                                  {"max_executions", shape.repetition.max_executions},
                                  {"parents", shape.repetition.by_parent.size()},
                                  {"by_parent", pairs}};
        }
        if (!shape.followers.empty()) {
            nlohmann::ordered_json followers = nlohmann::ordered_json::array();
            for (const auto& follower : shape.followers) {
                followers.push_back(
                    {{"fingerprint", fingerprint_of(follower.shape)}, {"times", follower.times}});
            }
            json["followed_by"] = {{"executions", shape.session_executions}, {"shapes", followers}};
        }
        shapes.push_back(std::move(json));
    }
    nlohmann::ordered_json errors = nlohmann::ordered_json::array();
    for (const auto& error : workload.errors) {
        errors.push_back({{"file", error.file}, {"line", error.line}, {"message", error.message}});
    }
    nlohmann::ordered_json sources = nlohmann::ordered_json::array();
    for (const auto& source : workload.sources) {
        sources.push_back(source_json(source));
    }
    return {{"statements", workload.statements},
            {"unparsed", workload.unparsed},
            {"shapes", shapes},
            {"errors", errors},
            {"distinct_shapes", workload.shapes.size()},
            {"failed", workload.failed},
            {"empty", workload.empty},
            {"errors_total", workload.errors_total},
            {"sources", sources}};
}

std::string workload_to_text(const Workload& workload, std::size_t top) {
    std::ostringstream out;
    const double total = workload.total_ms();
    out << "# " << with_thousands(workload.statements) << " statements, "
        << with_thousands(workload.shapes.size()) << " shapes, "
        << with_thousands(workload.unparsed) << " unparsed, " << with_thousands(workload.failed)
        << " failed, " << with_thousands(workload.empty) << " empty; total time ";
    char total_text[64];
    std::snprintf(total_text, sizeof total_text, "%.3f", total);
    out << total_text << " ms\n";
    for (const auto& source : workload.sources) {
        out << "# " << source.file << ": " << source.description << "; "
            << with_thousands(source.counts.lines) << " lines, "
            << with_thousands(source.counts.statements) << " statements, "
            << with_thousands(source.counts.skipped_lines) << " skipped\n";
    }
    out << "#\n";
    char row[256];
    std::snprintf(row, sizeof row, "# %4s %7s %13s %11s %10s %10s  %-16s  %s\n", "Rank", "Time%",
                  "Total ms", "Calls", "Mean ms", "Max ms", "Fingerprint", "Query");
    out << row;
    std::size_t rank = 0;
    for (const ShapeId id : listed(workload, top)) {
        const QueryShape& shape = workload.shapes[id];
        const double share = total > 0 ? 100.0 * shape.total_ms / total : 0.0;
        std::snprintf(row, sizeof row, "  %4zu %6.1f%% %13.3f %11s %10.3f %10.3f  %-16s  ", ++rank,
                      share, shape.total_ms, with_thousands(shape.calls).c_str(), shape.mean_ms(),
                      shape.max_ms, shape.fingerprint.c_str());
        out << row << one_line(shape.query, 100) << "\n";
    }
    if (top > 0 && workload.shapes.size() > top) {
        out << "# ... " << workload.shapes.size() - top << " more shapes (--top 0 lists all)\n";
    }
    return out.str();
}

} // namespace advisor
