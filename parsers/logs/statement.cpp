#include "parsers/logs/statement.hpp"

#include <map>
#include <numeric>

namespace parsers::logs {

const char* to_string(EntryKind kind) {
    switch (kind) {
    case EntryKind::connection:
        return "connection";
    case EntryKind::checkpoint:
        return "checkpoint";
    case EntryKind::autovacuum:
        return "autovacuum";
    case EntryKind::protocol:
        return "protocol";
    case EntryKind::lock_wait:
        return "lock_wait";
    case EntryKind::temporary_file:
        return "temporary_file";
    case EntryKind::server:
        return "server";
    case EntryKind::error:
        return "error";
    case EntryKind::other:
    case EntryKind::count_:
        break;
    }
    return "other";
}

std::uint64_t ReadCounts::entry_lines_total() const {
    return std::accumulate(entry_lines.begin(), entry_lines.end(), std::uint64_t{0});
}

void ReadCounts::count_entry(EntryKind kind, std::uint64_t line_count) {
    entries[static_cast<std::size_t>(kind)] += 1;
    entry_lines[static_cast<std::size_t>(kind)] += line_count;
}

void reset(Statement& statement) {
    statement.text.clear();
    statement.parameters.clear();
    statement.parse_problem_reported = false;
    statement.parameter_syntax = ParameterSyntax::none;
    statement.parameter_names.clear();
    statement.duration_ms.reset();
    statement.max_ms.reset();
    statement.rows.reset();
    statement.calls = 1;
    statement.timestamp.clear();
    statement.timestamp_ms = NAN;
    statement.session.clear();
    statement.user.clear();
    statement.database.clear();
    statement.application.clear();
    statement.file = std::string_view();
    statement.line = 0;
    statement.failed = false;
}

Statement& StatementQueue::push() {
    if (end_ == slots_.size()) {
        slots_.emplace_back();
    }
    Statement& statement = slots_[end_++];
    reset(statement);
    return statement;
}

bool StatementQueue::pop(Statement& out) {
    if (begin_ == end_) {
        return false;
    }
    std::swap(out, slots_[begin_++]);
    if (begin_ == end_) {
        begin_ = end_ = 0;
    }
    return true;
}

BoundValues parse_postgres_parameters(std::string_view text) {
    BoundValues values;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == ',' || text[i] == '\n')) {
            ++i;
        }
        if (i >= text.size() || text[i] != '$') {
            break;
        }
        ++i;
        std::size_t number = 0;
        const std::size_t digits_start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            number = number * 10 + static_cast<std::size_t>(text[i] - '0');
            ++i;
        }
        if (i == digits_start || number == 0 || number > 65535 || text.compare(i, 3, " = ") != 0) {
            break;
        }
        i += 3;
        std::optional<std::string> value;
        if (i < text.size() && text[i] == '\'') {
            const std::size_t start = i++;
            while (i < text.size()) {
                if (text[i] == '\'') {
                    if (i + 1 < text.size() && text[i + 1] == '\'') {
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                ++i;
            }
            value = std::string(text.substr(start, i - start));
        } else {
            // NULL, or an unquoted value: up to the next ", $".
            const std::size_t end = text.find(", $", i);
            const std::string_view raw =
                text.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
            if (raw != "NULL") {
                value = std::string(raw);
            }
            i = end == std::string_view::npos ? text.size() : end;
        }
        if (values.size() < number) {
            values.resize(number);
        }
        values[number - 1] = std::move(value);
    }
    return values;
}

namespace {

// One Python literal from a repr, as SQL literal text; nullopt for None.
std::optional<std::string> python_literal_to_sql(std::string_view literal) {
    if (literal == "None") {
        return std::nullopt;
    }
    if (literal == "True") {
        return std::string("true");
    }
    if (literal == "False") {
        return std::string("false");
    }
    if (!literal.empty() && (literal[0] == '\'' || literal[0] == '"') && literal.size() >= 2) {
        const char quote = literal[0];
        std::string sql = "'";
        for (std::size_t i = 1; i + 1 < literal.size(); ++i) {
            char c = literal[i];
            if (c == '\\' && i + 2 < literal.size()) {
                const char escaped = literal[++i];
                c = escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped;
            } else if (c == quote) {
                break;
            }
            sql += c;
            if (c == '\'') {
                sql += '\'';
            }
        }
        return sql + "'";
    }
    bool numeric = !literal.empty();
    for (const char c : literal) {
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == 'e' || c == 'E' || c == '+')) {
            numeric = false;
        }
    }
    if (numeric) {
        return std::string(literal);
    }
    // Anything else (datetime.datetime(...), Decimal('1.5'), b'..'): its repr, as a string.
    std::string sql = "'";
    for (const char c : literal) {
        sql += c;
        if (c == '\'') {
            sql += '\'';
        }
    }
    return sql + "'";
}

// Splits the top level of a Python container repr body on commas.
std::vector<std::string_view> split_python_items(std::string_view body) {
    std::vector<std::string_view> items;
    int depth = 0;
    char quote = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (quote != 0) {
            if (c == '\\') {
                ++i;
            } else if (c == quote) {
                quote = 0;
            }
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if (c == ')' || c == ']' || c == '}') {
            --depth;
        } else if (c == ',' && depth == 0) {
            items.push_back(body.substr(start, i - start));
            start = i + 1;
        }
    }
    items.push_back(body.substr(start));
    for (auto& item : items) {
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ') {
            item.remove_suffix(1);
        }
    }
    if (!items.empty() && items.back().empty()) {
        items.pop_back(); // `(5,)`
    }
    return items;
}

BoundValues parse_python_parameters(std::string_view text, const std::vector<std::string>& names) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    if (text.size() < 2) {
        return {};
    }
    // executemany: a list of parameter sets; the first one stands for the statement.
    if (text.front() == '[') {
        const auto sets = split_python_items(text.substr(1, text.size() - 2));
        return sets.empty() ? BoundValues{} : parse_python_parameters(sets.front(), names);
    }
    const char open = text.front();
    const std::vector<std::string_view> items = split_python_items(text.substr(1, text.size() - 2));
    BoundValues values;
    if (open == '{') {
        std::map<std::string, std::string_view> by_name;
        for (const auto item : items) {
            const std::size_t colon = item.find(": ");
            if (colon == std::string_view::npos || colon < 2) {
                continue;
            }
            by_name[std::string(item.substr(1, colon - 2))] = item.substr(colon + 2);
        }
        for (const auto& name : names) {
            const auto found = by_name.find(name);
            values.push_back(found == by_name.end() ? std::nullopt
                                                    : python_literal_to_sql(found->second));
        }
        return values;
    }
    for (const auto item : items) {
        values.push_back(python_literal_to_sql(item));
    }
    return values;
}

} // namespace

BoundValues bound_values(const Statement& statement) {
    switch (statement.parameter_syntax) {
    case ParameterSyntax::postgres:
        return parse_postgres_parameters(statement.parameters);
    case ParameterSyntax::python:
        return parse_python_parameters(statement.parameters, statement.parameter_names);
    case ParameterSyntax::none:
        break;
    }
    return {};
}

} // namespace parsers::logs
