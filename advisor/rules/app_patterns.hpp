// Helpers the application-pattern rules (unbounded-list, json-overfetch, n-plus-one) share:
// reading a table scan's filters and evidence from a shape (SQLAlchemy names: model_names.hpp).
#pragma once

#include "advisor/catalog.hpp"
#include "advisor/finding.hpp"
#include "advisor/workload.hpp"
#include "parsers/query_facts.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace advisor {

// Columns the scan compares for equality with a value (col = $1, col IN (...), col = ANY($1)),
// outside OR: the conditions that pin rows down. `single_values` leaves out IN lists and ANY.
std::vector<std::string> equality_columns(const parsers::TableScan& scan,
                                          bool single_values = false);

// True when `col = value` conditions cover the primary key or a unique constraint / unique
// index: the scan returns at most one row.
bool is_unique_key_lookup(const Catalog& catalog, const Table& table,
                          const parsers::TableScan& scan);

// The evidence line of a shape: fingerprint, calls, time and one example with parameters.
QueryEvidence evidence_of(const QueryShape& shape);

// Renders templates/sqlalchemy_fix.mustache (docs/templates.md) with `data`.
std::string render_sqlalchemy_fix(const nlohmann::json& data);

} // namespace advisor
