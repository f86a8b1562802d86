// Table row counts from a --stats file: an export of pg_class.reltuples (docs/rules.md,
// missing-index, gives the query). CSV with a header, or JSON (an array of objects).
// Columns: `schema` and `table` (or `relname`), or a qualified `table`; `rows` or `reltuples`.
#pragma once

#include <map>
#include <string>

namespace advisor {

// Rows per schema-qualified table. Throws InputError naming the file and line on bad input.
std::map<std::string, double> load_table_stats(const std::string& path);

} // namespace advisor
