// Renders a catalog: the `schema` command's text summary and its JSON contract (design.md).
#pragma once

#include "advisor/catalog.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace advisor {

nlohmann::ordered_json catalog_to_json(const Catalog& catalog);
std::string catalog_to_text(const Catalog& catalog);

} // namespace advisor
