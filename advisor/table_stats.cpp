#include "advisor/table_stats.hpp"

#include "advisor/errors.hpp"
#include "parsers/input_file.hpp"

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

namespace advisor {

namespace {

std::string qualified(const std::string& schema, const std::string& table) {
    if (!schema.empty()) {
        return schema + "." + table;
    }
    return table.find('.') == std::string::npos ? "public." + table : table;
}

double parse_rows(const std::string& text, const std::string& path, int line) {
    try {
        std::size_t used = 0;
        const double rows = std::stod(text, &used);
        if (used == text.size()) {
            return rows;
        }
    } catch (const std::exception&) {
    }
    throw InputError(path, line, "expected a row count, found '" + text + "'");
}

// The first of `keys` that `object` holds as a string. A value of another type is no match, so
// that a number where a name belongs is reported as such, not as a JSON type error.
const std::string* find_string(const nlohmann::json& object,
                               std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        const auto found = object.find(key);
        if (found != object.end() && found->is_string()) {
            return found->get_ptr<const std::string*>();
        }
    }
    return nullptr;
}

} // namespace

std::map<std::string, double> load_table_stats(const std::string& path) {
    const auto input = parsers::open_input(path);
    std::stringstream buffer;
    buffer << input->rdbuf();
    const std::string text = buffer.str();
    std::map<std::string, double> rows;
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '[') {
        const auto json = nlohmann::json::parse(text, nullptr, false);
        if (json.is_discarded() || !json.is_array()) {
            throw InputError(path, 0, "is not a JSON array of {schema, table, rows} objects");
        }
        std::size_t index = 0;
        for (const auto& item : json) {
            ++index;
            const auto* table =
                item.is_object() ? find_string(item, {"table", "relname"}) : nullptr;
            const auto* schema = item.is_object() ? find_string(item, {"schema"}) : nullptr;
            const auto count = !item.is_object()       ? nlohmann::json()
                               : item.contains("rows") ? item["rows"]
                                                       : item.value("reltuples", nlohmann::json());
            if (table == nullptr || table->empty() || !count.is_number()) {
                throw InputError(path, 0,
                                 "object " + std::to_string(index) +
                                     ": each object needs a string \"table\" and a numeric "
                                     "\"rows\"");
            }
            rows[qualified(schema != nullptr ? *schema : std::string(), *table)] =
                count.get<double>();
        }
        return rows;
    }
    std::istringstream lines(text);
    std::string line;
    int line_number = 0;
    std::vector<std::string> header;
    int schema_column = -1, table_column = -1, rows_column = -1;
    while (std::getline(lines, line)) {
        ++line_number;
        if (line.empty() || line == "\r") {
            continue;
        }
        const auto fields = parsers::split_csv_line(line);
        if (header.empty()) {
            header = fields;
            for (int i = 0; i < static_cast<int>(header.size()); ++i) {
                const std::string& name = header[i];
                if (name == "schema" || name == "schemaname" || name == "nspname") {
                    schema_column = i;
                } else if (name == "table" || name == "relname" || name == "table_name") {
                    table_column = i;
                } else if (name == "rows" || name == "reltuples" || name == "n_live_tup") {
                    rows_column = i;
                }
            }
            if (table_column < 0 || rows_column < 0) {
                throw InputError(
                    path, line_number,
                    "expected a CSV header with table (or relname) and rows (or reltuples)");
            }
            continue;
        }
        if (static_cast<int>(fields.size()) <=
            std::max({schema_column, table_column, rows_column})) {
            throw InputError(path, line_number,
                             "expected " + std::to_string(header.size()) + " fields");
        }
        rows[qualified(schema_column >= 0 ? fields[schema_column] : "", fields[table_column])] =
            parse_rows(fields[rows_column], path, line_number);
    }
    return rows;
}

} // namespace advisor
