// Helpers the application-pattern rules (unbounded-list, json-overfetch, n-plus-one) share:
// reading a table scan's filters, naming SQLAlchemy models, and evidence from a shape.
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

// SQLAlchemy's conventional names: singular CamelCase class from the table name
// (collaborative_buckets -> CollaborativeBucket, categories -> Category); attributes keep the
// column names.
std::string model_class_name(const std::string& table_name);

// The name SQLAlchemy models conventionally give a one-to-many relationship: the child table's
// name without the parent's singular prefix (collections -> collection_items gives `items`).
std::string collection_attribute(const std::string& child_table, const std::string& parent_table);

// The evidence line of a shape: fingerprint, calls, time and one example with parameters.
QueryEvidence evidence_of(const QueryShape& shape);

// A duration for a finding's message: "1234.5 ms".
std::string format_ms(double ms);

// Renders templates/sqlalchemy_fix.mustache (docs/templates.md) with `data`.
std::string render_sqlalchemy_fix(const nlohmann::json& data);

} // namespace advisor
