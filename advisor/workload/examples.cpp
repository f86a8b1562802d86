// Each shape's examples: up to max_examples statements with distinct parameters (the slowest,
// else the first seen), each with its logged parameters substituted for $n
// (substitute_parameters, declared in advisor/workload.hpp).
#include "advisor/workload.hpp"
#include "advisor/workload/builder_state.hpp"

#include <algorithm>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

namespace advisor {

std::string substitute_parameters(std::string_view text, const parsers::logs::BoundValues& values) {
    if (values.empty()) {
        return std::string(text);
    }
    const std::string source(text);
    PgQueryScanResult scan = pg_query_scan(source.c_str());
    std::string result;
    if (scan.error == nullptr) {
        PgQuery__ScanResult* tokens = pg_query__scan_result__unpack(
            nullptr, scan.pbuf.len, reinterpret_cast<const uint8_t*>(scan.pbuf.data));
        if (tokens != nullptr) {
            std::size_t copied = 0;
            for (std::size_t t = 0; t < tokens->n_tokens; ++t) {
                const PgQuery__ScanToken* token = tokens->tokens[t];
                if (token->token != PG_QUERY__TOKEN__PARAM) {
                    continue;
                }
                const auto begin = static_cast<std::size_t>(token->start);
                const auto end = static_cast<std::size_t>(token->end);
                std::size_t number = 0;
                for (std::size_t k = begin + 1; k < end; ++k) {
                    number = number * 10 + static_cast<std::size_t>(source[k] - '0');
                }
                if (number == 0 || number > values.size()) {
                    continue;
                }
                result.append(source, copied, begin - copied);
                const auto& value = values[number - 1];
                result.append(value ? *value : std::string("NULL"));
                copied = end;
            }
            result.append(source, copied, std::string::npos);
            pg_query__scan_result__free_unpacked(tokens, nullptr);
        }
    }
    pg_query_free_scan_result(scan);
    return result.empty() ? source : result;
}

void WorkloadBuilder::State::add_example(ShapeId id, const Statement& statement,
                                         std::uint64_t parameters_hash) {
    QueryShape& shape = workload.shapes[id];
    auto& hashes = example_hashes[id];
    const std::size_t count = shape.examples.size();
    for (std::size_t i = 0; i < count; ++i) {
        if (hashes[i] == parameters_hash) {
            return;
        }
    }
    std::optional<double> duration;
    if (statement.duration_ms) {
        duration = *statement.duration_ms / double(std::max<std::uint64_t>(statement.calls, 1));
    }
    std::size_t slot = count;
    if (count >= options.max_examples) {
        // Keep the slowest: replace the fastest timed example when this one is slower.
        if (!duration) {
            return;
        }
        slot = 0;
        for (std::size_t i = 1; i < count; ++i) {
            if (shape.examples[i].duration_ms.value_or(-1) <
                shape.examples[slot].duration_ms.value_or(-1)) {
                slot = i;
            }
        }
        if (shape.examples[slot].duration_ms.value_or(-1) >= *duration) {
            return;
        }
    }
    QueryExample example;
    example.text = substitute_parameters(statement.text, parsers::logs::bound_values(statement));
    if (!statement.parameters.empty()) {
        ++pg_query_calls; // the scanner
    }
    example.file = std::string(statement.file);
    example.line = statement.line;
    example.duration_ms = duration;
    if (slot == count) {
        shape.examples.push_back(std::move(example));
    } else {
        shape.examples[slot] = std::move(example);
    }
    hashes[std::min<std::size_t>(slot, hashes.size() - 1)] = parameters_hash;
}

} // namespace advisor
