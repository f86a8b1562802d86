// Look-ups over a finished Workload (declared in advisor/workload.hpp): a shape by fingerprint,
// the report's order, the total time, whether the inputs show sessions, and the median of a
// repetition pair's executions per unit.
#include "advisor/workload.hpp"

#include <algorithm>

namespace advisor {

const QueryShape* Workload::find(std::string_view fingerprint) const {
    for (const auto& shape : shapes) {
        if (shape.fingerprint == fingerprint) {
            return &shape;
        }
    }
    return nullptr;
}

std::vector<ShapeId> Workload::ranked() const {
    std::vector<ShapeId> ids(shapes.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        ids[i] = static_cast<ShapeId>(i);
    }
    std::sort(ids.begin(), ids.end(), [&](ShapeId a, ShapeId b) {
        const QueryShape& x = shapes[a];
        const QueryShape& y = shapes[b];
        if (x.total_ms != y.total_ms) {
            return x.total_ms > y.total_ms;
        }
        if (x.calls != y.calls) {
            return x.calls > y.calls;
        }
        return x.fingerprint < y.fingerprint;
    });
    return ids;
}

bool Workload::shows_sessions() const {
    return sources.empty() ||
           std::any_of(sources.begin(), sources.end(),
                       [](const WorkloadSource& source) { return source.shows_sessions; });
}

double median_executions(const RunHistogram& histogram) {
    std::uint64_t total = 0;
    for (const auto& [executions, units] : histogram) {
        total += units;
    }
    if (total == 0) {
        return 0;
    }
    // The values at positions (total - 1) / 2 and total / 2 (0-based) of the sorted runs.
    const auto value_at = [&](std::uint64_t position) {
        for (const auto& [executions, units] : histogram) {
            if (position < units) {
                return double(executions);
            }
            position -= units;
        }
        return double(histogram.back().first);
    };
    return (value_at((total - 1) / 2) + value_at(total / 2)) / 2;
}

double Workload::total_ms() const {
    double total = 0;
    for (const auto& shape : shapes) {
        total += shape.total_ms;
    }
    return total;
}

} // namespace advisor
