#include "advisor/workload.hpp"

#include "parsers/input_file.hpp"
#include "parsers/logs/log_reader.hpp"
#include "parsers/pg_tree.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <set>

namespace advisor {

namespace {

using parsers::logs::Statement;

constexpr ShapeId unparsed_shape = UINT32_MAX;
constexpr char masked_literal = '\x01';
constexpr char unterminated_literal = '\x02';

// Character classes for the key scan, by byte (a table: the scan runs over every statement).
enum CharClass : unsigned char {
    plain,      // punctuation and operators copied as they are
    identifier, // letters, `_`, bytes of UTF-8 sequences: copied, and make a following digit
                // part of the identifier
    digit,
    space,
    special, // ' " $ - / . : handled one by one
};

constexpr std::array<CharClass, 256> make_char_classes() {
    std::array<CharClass, 256> classes{};
    for (int c = 0; c < 256; ++c) {
        CharClass value = plain;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80) {
            value = identifier;
        } else if (c >= '0' && c <= '9') {
            value = digit;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            value = space;
        } else if (c == '\'' || c == '"' || c == '$' || c == '-' || c == '/' || c == '.' ||
                   c == 1 || c == 2) {
            value = special;
        }
        classes[static_cast<std::size_t>(c)] = value;
    }
    return classes;
}
constexpr std::array<CharClass, 256> char_classes = make_char_classes();

CharClass class_of(char c) {
    return char_classes[static_cast<unsigned char>(c)];
}

bool is_identifier_char(char c) {
    const CharClass value = class_of(c);
    return value == identifier || value == digit || c == '$';
}

std::uint64_t fnv_add(std::uint64_t hash, std::string_view bytes) {
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}
constexpr std::uint64_t fnv_offset = 0xcbf29ce484222325ULL;

// Statements whose constants libpg_query's fingerprint ignores (they are A_Const or ParamRef
// nodes): literal-masked keys are safe for them. Utility statements keep numbers in plain
// fields (FETCH 10, CREATE SEQUENCE ... START 5) and are keyed by their whole text.
bool masking_is_safe(std::string_view first_word) {
    static constexpr std::array<std::string_view, 9> words = {
        "select", "insert", "update", "delete", "with", "values", "merge", "table", "("};
    std::string lower(first_word);
    for (auto& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return std::find(words.begin(), words.end(), lower) != words.end();
}

// Skips a `--` or `/* */` comment at `i`; returns false when there is none.
bool skip_comment(std::string_view text, std::size_t& i) {
    if (text.compare(i, 2, "--") == 0) {
        const std::size_t end = text.find('\n', i);
        i = end == std::string_view::npos ? text.size() : end;
        return true;
    }
    if (text.compare(i, 2, "/*") == 0) {
        int depth = 0;
        while (i < text.size()) {
            if (text.compare(i, 2, "/*") == 0) {
                ++depth;
                i += 2;
            } else if (text.compare(i, 2, "*/") == 0) {
                i += 2;
                if (--depth == 0) {
                    return true;
                }
            } else {
                ++i;
            }
        }
        return true;
    }
    return false;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

} // namespace

void statement_key(std::string_view text, StatementKey& out) {
    out.key.clear();
    out.literals_hash = fnv_offset;
    // The first word decides whether literals may be masked.
    std::size_t start = 0;
    while (start < text.size()) {
        if (is_space(text[start])) {
            ++start;
        } else if (!skip_comment(text, start)) {
            break;
        }
    }
    std::size_t word_end = start;
    while (word_end < text.size() && std::isalpha(static_cast<unsigned char>(text[word_end]))) {
        ++word_end;
    }
    if (word_end == start && start < text.size() && text[start] == '(') {
        word_end = start + 1;
    }
    out.masked = masking_is_safe(text.substr(start, word_end - start)) &&
                 text.find(masked_literal) == std::string_view::npos &&
                 text.find(unterminated_literal) == std::string_view::npos;
    std::string& key = out.key;
    auto literal = [&](std::string_view value, bool terminated) {
        if (out.masked) {
            key.push_back(masked_literal);
            out.literals_hash = fnv_add(out.literals_hash, value);
            out.literals_hash = fnv_add(out.literals_hash, std::string_view("\0", 1));
        } else {
            key.append(value);
        }
        if (!terminated) {
            key.push_back(unterminated_literal);
        }
    };
    std::size_t i = start;
    while (i < text.size()) {
        // Runs of identifiers, keywords and operators are copied in one go.
        std::size_t run = i;
        while (run < text.size()) {
            const CharClass value = class_of(text[run]);
            if (value == plain || value == identifier ||
                (value == digit && run > 0 && is_identifier_char(text[run - 1]))) {
                ++run;
            } else {
                break;
            }
        }
        if (run > i) {
            key.append(text.data() + i, run - i);
            i = run;
            if (i >= text.size()) {
                break;
            }
        }
        const char c = text[i];
        if (class_of(c) == space) {
            if (!key.empty() && key.back() != ' ') {
                key.push_back(' ');
            }
            ++i;
            while (i < text.size() && class_of(text[i]) == space) {
                ++i;
            }
            continue;
        }
        if ((c == '-' || c == '/') && skip_comment(text, i)) {
            if (!key.empty() && key.back() != ' ') {
                key.push_back(' ');
            }
            continue;
        }
        const bool after_identifier = i > 0 && is_identifier_char(text[i - 1]);
        if (c == '\'') {
            // E'...' takes backslash escapes; '' is a quote in every kind of string.
            const bool escapes = i > 0 && (text[i - 1] == 'e' || text[i - 1] == 'E') &&
                                 (i < 2 || !is_identifier_char(text[i - 2]));
            std::size_t end = i + 1;
            bool terminated = false;
            while (end < text.size()) {
                if (escapes && text[end] == '\\') {
                    end += 2;
                    continue;
                }
                if (text[end] == '\'') {
                    if (end + 1 < text.size() && text[end + 1] == '\'') {
                        end += 2;
                        continue;
                    }
                    terminated = true;
                    ++end;
                    break;
                }
                ++end;
            }
            end = std::min(end, text.size());
            literal(text.substr(i, end - i), terminated);
            i = end;
            continue;
        }
        if (c == '"') {
            // A quoted identifier: part of the shape.
            std::size_t end = i + 1;
            while (end < text.size()) {
                if (text[end] == '"') {
                    if (end + 1 < text.size() && text[end + 1] == '"') {
                        end += 2;
                        continue;
                    }
                    ++end;
                    break;
                }
                ++end;
            }
            key.append(text.substr(i, std::min(end, text.size()) - i));
            i = std::min(end, text.size());
            continue;
        }
        if (c == '$' && !after_identifier) {
            std::size_t end = i + 1;
            if (end < text.size() && (class_of(text[end]) == digit)) {
                while (end < text.size() && (class_of(text[end]) == digit)) {
                    ++end;
                }
                literal(text.substr(i, end - i), true); // $n: a bound parameter
                i = end;
                continue;
            }
            // $tag$ ... $tag$
            while (end < text.size() && is_identifier_char(text[end]) && text[end] != '$') {
                ++end;
            }
            if (end < text.size() && text[end] == '$') {
                const std::string_view tag = text.substr(i, end - i + 1);
                const std::size_t close = text.find(tag, end + 1);
                const bool terminated = close != std::string_view::npos;
                const std::size_t stop = terminated ? close + tag.size() : text.size();
                literal(text.substr(i, stop - i), terminated);
                i = stop;
                continue;
            }
        }
        if (!after_identifier && ((class_of(c) == digit) || (c == '.' && i + 1 < text.size() &&
                                                             (class_of(text[i + 1]) == digit)))) {
            std::size_t end = i;
            while (end < text.size() && ((class_of(text[end]) == digit) || text[end] == '.')) {
                ++end;
            }
            if (end < text.size() && (text[end] == 'e' || text[end] == 'E')) {
                std::size_t exponent = end + 1;
                if (exponent < text.size() && (text[exponent] == '+' || text[exponent] == '-')) {
                    ++exponent;
                }
                if (exponent < text.size() && (class_of(text[exponent]) == digit)) {
                    end = exponent;
                    while (end < text.size() && (class_of(text[end]) == digit)) {
                        ++end;
                    }
                }
            }
            literal(text.substr(i, end - i), true);
            i = end;
            continue;
        }
        key.push_back(c);
        ++i;
    }
    // A trailing `;` does not change the statement.
    while (!key.empty() && (key.back() == ' ' || key.back() == ';')) {
        key.pop_back();
    }
}

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

struct CacheEntry {
    ShapeId shape = unparsed_shape;
    std::uint64_t first_literals = 0;
    bool verified = false;
    bool ambiguous = false;
};

struct RunInUnit {
    ShapeId shape = 0;
    std::uint32_t executions = 0;
    std::uint32_t distinct = 0;
    std::array<std::uint64_t, 16> parameter_hashes{};
    int first_line = 0;
    int last_line = 0;
    double first_ms = NAN;
    double last_ms = NAN;
    double total_ms = 0;
    std::optional<ShapeId> before_first;  // shape run just before the first execution
    std::optional<ShapeId> before_second; // and just before the second
};

// One recent execution and the distinct shapes seen after it so far (for followers).
struct RecentExecution {
    ShapeId shape = 0;
    std::uint8_t seen_count = 0;
    std::array<ShapeId, 8> seen{};
};

struct SessionState {
    bool open = false;
    bool in_transaction = false;
    double unit_start_ms = NAN;
    double last_ms = NAN;
    std::uint32_t unit_statements = 0;
    std::optional<ShapeId> last_shape;
    std::vector<RunInUnit> runs;
    std::vector<RecentExecution> recent; // ring of the unit's last follow_window executions
    std::size_t recent_next = 0;
};

// What is gathered per (parent, repeated shape) pair before finish() folds it into the shape.
struct PairState {
    RepetitionPair pair;
    std::map<std::uint32_t, std::uint64_t> histogram;
    std::vector<std::uint64_t> session_hashes; // sorted, at most max_pair_sessions
};

// Distinct sessions are counted exactly up to this many per pair (8 KB), so memory stays flat
// on logs with many sessions; RepetitionPair::sessions says "at least" past it.
constexpr std::size_t max_pair_sessions = 1024;
constexpr std::size_t max_followers = 8;

struct Fingerprinted {
    bool ok = false;
    std::uint64_t value = 0;
    std::string text;
    std::string error;
};

} // namespace

struct WorkloadBuilder::State {
    WorkloadOptions options;
    Workload workload;
    std::unordered_map<std::string, CacheEntry> cache;
    std::size_t cache_bytes = 0;
    std::unordered_map<std::uint64_t, ShapeId> by_fingerprint;
    std::vector<std::array<std::uint64_t, 3>> example_hashes; // per shape
    std::unordered_map<std::string, SessionState> sessions;
    // Keyed by repeated shape << 32 | parent (unparsed_shape for none): ordered, so finish()
    // is deterministic.
    std::map<std::uint64_t, PairState> pairs;
    std::unordered_map<std::uint64_t, std::uint64_t> follow_counts; // shape << 32 | follower
    bool shows_sessions = true;
    StatementKey key;
    std::string current_file;
    std::size_t file_errors_begin = 0;
    std::uint64_t pg_query_calls = 0;
    std::uint64_t since_sweep = 0;
    double latest_ms = NAN;
    std::optional<std::string> shape_parse_error; // of the last new shape

    Fingerprinted fingerprint(const std::string& text) {
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

    void error(const Statement& statement, std::string message) {
        ++workload.errors_total;
        if (workload.errors.size() < options.max_errors) {
            workload.errors.push_back(
                {std::string(statement.file), statement.line, std::move(message)});
        }
    }

    ShapeId shape_for(const Fingerprinted& fingerprinted, const std::string& text) {
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
        while (!shape.query.empty() &&
               (shape.query.back() == ';' || is_space(shape.query.back()))) {
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

    void add_example(ShapeId id, const Statement& statement, std::uint64_t parameters_hash) {
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
        example.text =
            substitute_parameters(statement.text, parsers::logs::bound_values(statement));
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

    // The run's parent: the shape just before its first execution, unless that started the
    // transaction (or nothing ran before): then the shape just before its second execution.
    std::optional<ShapeId> parent_of(const RunInUnit& run) const {
        const auto usable = [&](std::optional<ShapeId> shape) {
            return shape && *shape != run.shape &&
                   workload.shapes[*shape].transaction_control == TransactionControl::none;
        };
        if (usable(run.before_first)) {
            return run.before_first;
        }
        if (usable(run.before_second)) {
            return run.before_second;
        }
        return std::nullopt;
    }

    void close_unit(SessionState& session, const std::string& session_key) {
        if (!session.open) {
            return;
        }
        session.open = false;
        for (const RunInUnit& run : session.runs) {
            if (run.executions < options.repeat_threshold || run.distinct < 2) {
                continue;
            }
            const std::optional<ShapeId> parent = parent_of(run);
            const std::uint64_t pair_key =
                (std::uint64_t(run.shape) << 32) | (parent ? *parent : unparsed_shape);
            PairState& state = pairs[pair_key];
            RepetitionPair& pair = state.pair;
            pair.parent = parent;
            ++pair.units;
            pair.executions += run.executions;
            pair.total_ms += run.total_ms;
            ++state.histogram[run.executions];
            const std::uint64_t session_hash = fnv_add(fnv_offset, session_key);
            auto& hashes = state.session_hashes;
            const auto position = std::lower_bound(hashes.begin(), hashes.end(), session_hash);
            if ((position == hashes.end() || *position != session_hash) &&
                hashes.size() < max_pair_sessions) {
                hashes.insert(position, session_hash);
            }
            if (run.executions > pair.max_executions) {
                pair.max_executions = run.executions;
                RepeatedRun& largest = pair.largest;
                largest.session = session_key;
                largest.file = current_file;
                largest.first_line = run.first_line;
                largest.last_line = run.last_line;
                largest.first_ms = run.first_ms;
                largest.last_ms = run.last_ms;
                largest.executions = run.executions;
                largest.distinct_parameters = run.distinct;
                largest.unit_statements = session.unit_statements;
                largest.in_transaction = session.in_transaction;
            }
        }
        session.runs.clear();
        session.recent.clear();
        session.recent_next = 0;
    }

    // Counts `id` as a follower of each recent execution in the unit (once per execution).
    void count_follower(SessionState& session, ShapeId id) {
        for (RecentExecution& recent : session.recent) {
            if (recent.shape == id) {
                continue;
            }
            const auto end = recent.seen.begin() + recent.seen_count;
            if (std::find(recent.seen.begin(), end, id) != end ||
                recent.seen_count == recent.seen.size()) {
                continue;
            }
            recent.seen[recent.seen_count++] = id;
            const std::uint64_t follow_key = (std::uint64_t(recent.shape) << 32) | id;
            const auto found = follow_counts.find(follow_key);
            if (found != follow_counts.end()) {
                ++found->second;
            } else if (follow_counts.size() < options.max_follow_pairs) {
                follow_counts.emplace(follow_key, 1);
            }
        }
        RecentExecution fresh;
        fresh.shape = id;
        if (session.recent.size() < std::min<std::size_t>(options.follow_window, 8)) {
            session.recent.push_back(fresh);
        } else if (!session.recent.empty()) {
            session.recent[session.recent_next] = fresh;
            session.recent_next = (session.recent_next + 1) % session.recent.size();
        }
    }

    // Moves the per-pair and follower counts into the shapes (at the end of the whole input).
    void fold_pairs_and_followers() {
        for (auto& [pair_key, state] : pairs) {
            RepetitionPair& pair = state.pair;
            pair.histogram.assign(state.histogram.begin(), state.histogram.end());
            pair.sessions = state.session_hashes.size();
            RepetitionStats& stats = workload.shapes[pair_key >> 32].repetition;
            stats.units += pair.units;
            stats.executions += pair.executions;
            stats.max_executions = std::max(stats.max_executions, pair.max_executions);
            stats.by_parent.push_back(std::move(pair));
        }
        pairs.clear();
        for (auto& shape : workload.shapes) {
            std::stable_sort(shape.repetition.by_parent.begin(), shape.repetition.by_parent.end(),
                             [](const RepetitionPair& a, const RepetitionPair& b) {
                                 if (a.units != b.units) {
                                     return a.units > b.units;
                                 }
                                 return a.executions > b.executions;
                             });
        }
        for (const auto& [follow_key, times] : follow_counts) {
            if (times >= 2) {
                workload.shapes[follow_key >> 32].followers.push_back(
                    {static_cast<ShapeId>(follow_key & 0xFFFFFFFFULL), times});
            }
        }
        follow_counts.clear();
        for (auto& shape : workload.shapes) {
            auto& followers = shape.followers;
            std::sort(followers.begin(), followers.end(),
                      [](const FollowerCount& a, const FollowerCount& b) {
                          return a.times != b.times ? a.times > b.times : a.shape < b.shape;
                      });
            if (followers.size() > max_followers) {
                followers.resize(max_followers);
            }
        }
    }

    void track(ShapeId id, const Statement& statement, std::uint64_t parameters_hash) {
        QueryShape& shape_of_statement = workload.shapes[id];
        const TransactionControl control = shape_of_statement.transaction_control;
        const double at = statement.timestamp_ms;
        auto found = sessions.find(statement.session);
        if (found == sessions.end()) {
            found = sessions.emplace(statement.session, SessionState{}).first;
        }
        SessionState& session = found->second;
        if (session.open && !session.in_transaction) {
            const bool gap = !std::isnan(at) && !std::isnan(session.last_ms) &&
                             (at - session.last_ms > options.burst_gap_ms ||
                              at - session.unit_start_ms > options.max_burst_ms);
            if (control == TransactionControl::begin || gap) {
                close_unit(session, found->first);
            }
        }
        if (!session.open) {
            session.open = true;
            session.in_transaction = control == TransactionControl::begin;
            session.unit_start_ms = at;
            session.unit_statements = 0;
            session.last_shape.reset();
            session.runs.clear();
        }
        ++session.unit_statements;
        if (control == TransactionControl::none) {
            auto run = std::find_if(session.runs.begin(), session.runs.end(),
                                    [&](const RunInUnit& r) { return r.shape == id; });
            if (run == session.runs.end() && session.runs.size() < options.max_unit_shapes) {
                RunInUnit fresh;
                fresh.shape = id;
                fresh.first_line = statement.line;
                fresh.first_ms = at;
                fresh.before_first = session.last_shape;
                session.runs.push_back(fresh);
                run = session.runs.end() - 1;
            } else if (run != session.runs.end() && run->executions == 1) {
                run->before_second = session.last_shape;
            }
            if (run != session.runs.end()) {
                run->executions += static_cast<std::uint32_t>(statement.calls);
                run->total_ms += statement.duration_ms.value_or(0);
                run->last_line = statement.line;
                run->last_ms = at;
                const std::size_t known = std::min<std::size_t>(run->distinct, 16);
                if (std::find(run->parameter_hashes.begin(), run->parameter_hashes.begin() + known,
                              parameters_hash) == run->parameter_hashes.begin() + known &&
                    run->distinct < 16) {
                    run->parameter_hashes[run->distinct++] = parameters_hash;
                }
            }
            shape_of_statement.session_executions += statement.calls;
            count_follower(session, id);
        }
        session.last_shape = id;
        session.last_ms = at;
        if (control == TransactionControl::end) {
            close_unit(session, found->first);
        }
        if (!std::isnan(at) && (std::isnan(latest_ms) || at > latest_ms)) {
            latest_ms = at;
        }
        if (++since_sweep >= 65536) {
            since_sweep = 0;
            sweep_idle_sessions();
        }
    }

    // Closes units whose session has been quiet for long, and forgets closed sessions, so the
    // session table holds only what is open.
    void sweep_idle_sessions() {
        std::vector<std::string> keys;
        for (auto& [key, session] : sessions) {
            const double idle = std::isnan(latest_ms) || std::isnan(session.last_ms)
                                    ? 0
                                    : latest_ms - session.last_ms;
            const double limit = session.in_transaction ? std::max(60000.0, options.max_burst_ms)
                                                        : options.burst_gap_ms;
            if (session.open && idle > limit) {
                close_unit(session, key);
            }
            if (!session.open) {
                keys.push_back(key);
            }
        }
        for (const auto& key : keys) {
            sessions.erase(key);
        }
    }

    void record(ShapeId id, const Statement& statement, std::uint64_t parameters_hash) {
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

    void add(const Statement& statement) {
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

    void end_file() {
        std::vector<std::string> keys;
        for (const auto& [key, session] : sessions) {
            keys.push_back(key);
        }
        std::sort(keys.begin(), keys.end());
        for (const auto& key : keys) {
            close_unit(sessions[key], key);
        }
        sessions.clear();
        latest_ms = NAN;
        // This file's errors in line order (statement errors came as read, line problems after).
        std::stable_sort(workload.errors.begin() + static_cast<std::ptrdiff_t>(file_errors_begin),
                         workload.errors.end(), [](const WorkloadError& a, const WorkloadError& b) {
                             return a.line < b.line;
                         });
        file_errors_begin = workload.errors.size();
    }
};

WorkloadBuilder::WorkloadBuilder(WorkloadOptions options) : state_(std::make_unique<State>()) {
    state_->options = options;
}

WorkloadBuilder::~WorkloadBuilder() = default;

void WorkloadBuilder::add(const Statement& statement) {
    if (state_->current_file != statement.file) {
        state_->current_file = std::string(statement.file);
    }
    state_->add(statement);
}

void WorkloadBuilder::end_file() {
    state_->end_file();
}

void WorkloadBuilder::add_source(WorkloadSource source) {
    state_->workload.sources.push_back(std::move(source));
}

void WorkloadBuilder::add_error(WorkloadError error) {
    ++state_->workload.errors_total;
    if (state_->workload.errors.size() < state_->options.max_errors) {
        state_->workload.errors.push_back(std::move(error));
    }
}

void WorkloadBuilder::set_shows_sessions(bool shows) {
    state_->shows_sessions = shows;
}

Workload WorkloadBuilder::finish() {
    state_->end_file();
    state_->fold_pairs_and_followers();
    return std::move(state_->workload);
}

std::uint64_t WorkloadBuilder::pg_query_calls() const {
    return state_->pg_query_calls;
}

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

Workload read_workload(const std::vector<std::string>& paths, const WorkloadReadOptions& options,
                       const ReadProgress& progress) {
    WorkloadBuilder builder(options.workload);
    // A missing or unreadable file stops the run before any work (readers open one at a time,
    // so many inputs do not hold many buffers).
    for (const auto& path : paths) {
        parsers::check_input(path);
    }
    Statement statement;
    for (const auto& path : paths) {
        const auto reader = parsers::logs::open_log_reader(path, options.log);
        builder.set_shows_sessions(reader->shows_sessions());
        std::uint64_t count = 0;
        while (reader->next(statement)) {
            builder.add(statement);
            if (progress && (++count & 0xFFFF) == 0) {
                progress(reader->file(), reader->source().consumed(),
                         reader->source().size_on_disk());
            }
        }
        for (const auto& problem : reader->problems()) {
            builder.add_error({problem.file, problem.line, problem.message});
        }
        builder.end_file();
        WorkloadSource source;
        source.file = reader->file();
        source.description = reader->description();
        source.counts = reader->counts();
        source.problems = reader->problems_total();
        source.damage = reader->source().damage();
        source.shows_sessions = reader->shows_sessions();
        builder.add_source(std::move(source));
    }
    return builder.finish();
}

} // namespace advisor
