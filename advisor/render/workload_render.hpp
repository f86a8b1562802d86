// Renders a workload: a pt-query-digest-style table (text) and design.md's workload JSON.
#pragma once

#include "advisor/workload.hpp"

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace advisor {

// `top`: how many shapes to list, by total time (0 = all).
nlohmann::ordered_json workload_to_json(const Workload& workload, std::size_t top);
std::string workload_to_text(const Workload& workload, std::size_t top);

} // namespace advisor
