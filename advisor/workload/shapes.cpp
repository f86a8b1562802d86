// From a statement to its query shape. The literal-masked key (statement_key.cpp) is looked up
// in a bounded cache; a new key is fingerprinted, and a new fingerprint is normalized and parsed
// once to make its QueryShape (kind, transaction control, tables). A second set of literals
// under one key is fingerprinted once more to check the masking (see advisor/workload.hpp).
// Then the statement's calls, time and rows are added to its shape.
#include "advisor/workload/builder_state.hpp"
#include "parsers/pg_tree.hpp"

#include <algorithm>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <set>

namespace advisor {

namespace {

// Relations a statement reads or writes, from a walk over every node of its parse tree (the
// protobuf descriptors list each message's fields, so no node type is missed).
struct RelationCollector {
    std::set<std::string> relations;
    std::set<std::string> cte_names;
    std::vector<std::pair<std::string, std::string>> range_vars; // schema, name

    void walk(const ProtobufCMessage* message) {
        if (message == nullptr) {
            return;
        }
        const ProtobufCMessageDescriptor* descriptor = message->descriptor;
        if (descriptor == &pg_query__range_var__descriptor) {
            const auto* range_var = reinterpret_cast<const PgQuery__RangeVar*>(message);
            range_vars.emplace_back(range_var->schemaname ? range_var->schemaname : "",
                                    range_var->relname ? range_var->relname : "");
        } else if (descriptor == &pg_query__common_table_expr__descriptor) {
            const auto* cte = reinterpret_cast<const PgQuery__CommonTableExpr*>(message);
            if (cte->ctename != nullptr) {
                cte_names.insert(cte->ctename);
            }
        }
        const auto* base = reinterpret_cast<const char*>(message);
        for (unsigned f = 0; f < descriptor->n_fields; ++f) {
            const ProtobufCFieldDescriptor& field = descriptor->fields[f];
            if (field.type != PROTOBUF_C_TYPE_MESSAGE) {
                continue;
            }
            if ((field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0) {
                // Members of a oneof share storage: only the set one is real.
                const auto set_case =
                    *reinterpret_cast<const uint32_t*>(base + field.quantifier_offset);
                if (set_case != field.id) {
                    continue;
                }
            }
            if (field.label == PROTOBUF_C_LABEL_REPEATED) {
                const auto count =
                    *reinterpret_cast<const std::size_t*>(base + field.quantifier_offset);
                const auto* items =
                    *reinterpret_cast<ProtobufCMessage* const* const*>(base + field.offset);
                for (std::size_t i = 0; i < count; ++i) {
                    walk(items[i]);
                }
            } else {
                walk(*reinterpret_cast<ProtobufCMessage* const*>(base + field.offset));
            }
        }
    }

    std::vector<std::string> tables() const {
        std::set<std::string> names;
        for (const auto& [schema, name] : range_vars) {
            if (schema.empty() && cte_names.count(name) > 0) {
                continue;
            }
            // Unqualified names resolve through the default search_path ("$user", public).
            names.insert((schema.empty() ? std::string("public") : schema) + "." + name);
        }
        return {names.begin(), names.end()};
    }
};

} // namespace

Fingerprinted WorkloadBuilder::State::fingerprint(const std::string& text) {
    ++pg_query_calls;
    Fingerprinted result;
    // libpg_query's normalizer and parser, which run next, recurse as deep as the statement.
    if (auto problem = parsers::pg::nesting_problem(text)) {
        result.error = std::move(*problem);
        return result;
    }
    PgQueryFingerprintResult raw = pg_query_fingerprint(text.c_str());
    if (raw.error != nullptr) {
        result.error = parsers::pg::explain_parse_error(raw.error->message ? raw.error->message
                                                                           : "syntax error");
    } else {
        result.ok = true;
        result.value = raw.fingerprint;
        result.text = raw.fingerprint_str ? raw.fingerprint_str : "";
    }
    pg_query_free_fingerprint_result(raw);
    return result;
}

void WorkloadBuilder::State::error(const Statement& statement, std::string message) {
    ++workload.errors_total;
    if (workload.errors.size() < options.max_errors) {
        workload.errors.push_back(
            {std::string(statement.file), statement.line, std::move(message)});
    }
}

ShapeId WorkloadBuilder::State::shape_for(const Fingerprinted& fingerprinted,
                                          const std::string& text) {
    const auto found = by_fingerprint.find(fingerprinted.value);
    if (found != by_fingerprint.end()) {
        return found->second;
    }
    const auto id = static_cast<ShapeId>(workload.shapes.size());
    QueryShape shape;
    shape.fingerprint = fingerprinted.text;
    ++pg_query_calls;
    PgQueryNormalizeResult normalized = pg_query_normalize(text.c_str());
    shape.query = normalized.error == nullptr && normalized.normalized_query != nullptr
                      ? normalized.normalized_query
                      : text;
    pg_query_free_normalize_result(normalized);
    // psql sends the `;` it split on; it is not part of the shape.
    while (!shape.query.empty() && (shape.query.back() == ';' || is_space(shape.query.back()))) {
        shape.query.pop_back();
    }
    ++pg_query_calls;
    const parsers::pg::ParseOutcome parsed = parsers::pg::parse(text);
    // Fingerprinting accepted it, but the tree can still be too deep to unpack.
    shape_parse_error = parsed.error ? std::optional(parsed.error->message) : std::nullopt;
    if (!parsed.error && parsed.tree.size() > 0) {
        const parsers::pg::Node* node = parsed.tree.statement_node(0);
        shape.statement_kind = std::string(parsers::pg::node_kind(node));
        if (node != nullptr && node->node_case == PG_QUERY__NODE__NODE_TRANSACTION_STMT) {
            switch (node->transaction_stmt->kind) {
            case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
            case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
                shape.transaction_control = TransactionControl::begin;
                break;
            case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
            case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
            case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
                shape.transaction_control = TransactionControl::end;
                break;
            default:
                break;
            }
        }
        RelationCollector collector;
        for (std::size_t i = 0; i < parsed.tree.size(); ++i) {
            collector.walk(reinterpret_cast<const ProtobufCMessage*>(parsed.tree.statement(i)));
        }
        shape.tables = collector.tables();
    }
    workload.shapes.push_back(std::move(shape));
    example_hashes.push_back({});
    by_fingerprint.emplace(fingerprinted.value, id);
    return id;
}

inline void WorkloadBuilder::State::record(ShapeId id, const Statement& statement,
                                           std::uint64_t parameters_hash) {
    QueryShape& shape = workload.shapes[id];
    shape.calls += statement.calls;
    if (statement.failed) {
        shape.failed += statement.calls;
    }
    if (statement.duration_ms) {
        shape.timed_calls += statement.calls;
        shape.total_ms += *statement.duration_ms;
        const double max = statement.max_ms.value_or(
            *statement.duration_ms / double(std::max<std::uint64_t>(statement.calls, 1)));
        shape.max_ms = std::max(shape.max_ms, max);
    }
    if (statement.rows) {
        shape.rows = shape.rows.value_or(0) + *statement.rows;
    }
    const double at = statement.timestamp_ms;
    if (!std::isnan(at)) {
        if (std::isnan(shape.first_seen_ms) || at < shape.first_seen_ms) {
            shape.first_seen_ms = at;
            shape.first_seen = statement.timestamp;
        }
        if (std::isnan(shape.last_seen_ms) || at >= shape.last_seen_ms) {
            shape.last_seen_ms = at;
            shape.last_seen = statement.timestamp;
        }
    }
    add_example(id, statement, parameters_hash);
    if (shows_sessions) {
        track(id, statement, parameters_hash);
    }
}

void WorkloadBuilder::State::add(const Statement& statement) {
    workload.statements += statement.calls;
    if (statement.failed) {
        workload.failed += statement.calls;
    }
    statement_key(statement.text, key);
    if (key.key.empty()) {
        workload.empty += statement.calls;
        return;
    }
    ShapeId id = unparsed_shape;
    auto found = cache.find(key.key);
    if (found == cache.end()) {
        // A cache, not a record: dropped when it grows past its bounds (long texts count).
        if (cache.size() >= options.max_cached_keys || cache_bytes >= options.max_cache_bytes) {
            cache.clear();
            cache_bytes = 0;
        }
        cache_bytes += key.key.size();
        const Fingerprinted fingerprinted = fingerprint(statement.text);
        CacheEntry entry;
        entry.first_literals = key.literals_hash;
        if (fingerprinted.ok) {
            shape_parse_error.reset();
            entry.shape = shape_for(fingerprinted, statement.text);
            if (shape_parse_error) {
                error(statement, "cannot analyse the statement: " + *shape_parse_error);
            }
        } else {
            if (!statement.parse_problem_reported) {
                error(statement, "cannot parse the statement: " + fingerprinted.error);
            }
        }
        id = entry.shape;
        cache.emplace(key.key, entry);
    } else {
        CacheEntry& entry = found->second;
        id = entry.shape;
        if (entry.shape != unparsed_shape &&
            (entry.ambiguous ||
             (!entry.verified && key.masked && key.literals_hash != entry.first_literals))) {
            // A second set of literals under one key: check once that masking kept the
            // shape (or, for an ambiguous key, always).
            const Fingerprinted fingerprinted = fingerprint(statement.text);
            if (fingerprinted.ok) {
                id = shape_for(fingerprinted, statement.text);
                if (id == entry.shape) {
                    entry.verified = true;
                } else {
                    entry.ambiguous = true;
                }
            } else {
                entry.ambiguous = true;
                id = unparsed_shape;
                if (!statement.parse_problem_reported) {
                    error(statement, "cannot parse the statement: " + fingerprinted.error);
                }
            }
        }
    }
    if (id == unparsed_shape) {
        workload.unparsed += statement.calls;
        return;
    }
    std::uint64_t parameters_hash = key.literals_hash;
    if (!statement.parameters.empty()) {
        parameters_hash = fnv_add(parameters_hash, statement.parameters);
    }
    record(id, statement, parameters_hash);
}

} // namespace advisor
