#include "parsers/pg_tree.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace parsers::pg {

void ParseTree::Free::operator()(PgQuery__ParseResult* result) const {
    pg_query__parse_result__free_unpacked(result, nullptr);
}

namespace {

// Statements up to this size nest at most half as many levels (each level takes at least two
// bytes, as in `-(-(`, `1+1+`), which libpg_query's parser and output code handle in a few MB
// of stack.
constexpr std::size_t unscanned_statement_bytes = 8 * 1024;
// A level of nesting is a node: a Node message around the node's own message (A_Expr,
// SelectStmt ...); some chains skip the Node (a UNION's operands are SelectStmt messages).
constexpr std::size_t max_message_depth = 2 * max_nesting_depth;
// The nesting bound above which a statement is not parsed: well within what libpg_query needs
// (some hundred bytes of stack per level) on an 8 MB main-thread stack.
constexpr std::size_t max_nesting_bound = 5000;

// An upper bound of the parse tree depth of `sql`, from its tokens. Nodes nest through
// brackets (parentheses, [ ], CASE ... END) and, within one bracket level, through the tokens
// of one list item: every node consumes at least one token, and list items (separated by `,`)
// are siblings, not nested. AND, OR and the arms of CASE (WHEN, THEN, ELSE) are flattened by
// the grammar into one node's list too (makeAndExpr, makeOrExpr), so they separate items as
// well; set operations and joins separate their operands but nest one node each, across the
// level's items, so they add to the whole level.
std::size_t nesting_bound(const PgQuery__ScanResult& scan) {
    struct Level {
        int closer = 0; // token that ends the level
        std::size_t item_tokens = 0;
        std::size_t item_child = 0; // deepest bracket inside the current item
        std::size_t deepest_item = 0;
        std::size_t chained = 0;
        std::size_t bound() const {
            return std::max(deepest_item, item_tokens + item_child) + chained + 3;
        }
    };
    std::vector<Level> levels(1);
    for (std::size_t i = 0; i < scan.n_tokens; ++i) {
        const int token = scan.tokens[i]->token;
        Level& level = levels.back();
        switch (token) {
        case PG_QUERY__TOKEN__SQL_COMMENT:
        case PG_QUERY__TOKEN__C_COMMENT:
            break;
        case PG_QUERY__TOKEN__ASCII_40: // (
        case PG_QUERY__TOKEN__ASCII_91: // [
        case PG_QUERY__TOKEN__CASE:
            ++level.item_tokens;
            levels.push_back(Level{token == PG_QUERY__TOKEN__ASCII_40   ? PG_QUERY__TOKEN__ASCII_41
                                   : token == PG_QUERY__TOKEN__ASCII_91 ? PG_QUERY__TOKEN__ASCII_93
                                                                        : PG_QUERY__TOKEN__END_P});
            break;
        case PG_QUERY__TOKEN__ASCII_41: // )
        case PG_QUERY__TOKEN__ASCII_93: // ]
        case PG_QUERY__TOKEN__END_P:
            if (levels.size() > 1 && level.closer == token) {
                const std::size_t inner = level.bound();
                levels.pop_back();
                levels.back().item_child = std::max(levels.back().item_child, inner);
            } else {
                ++level.item_tokens; // END of a transaction, or unbalanced text
            }
            break;
        case PG_QUERY__TOKEN__ASCII_44: // ,
        case PG_QUERY__TOKEN__ASCII_59: // ;
        case PG_QUERY__TOKEN__AND:
        case PG_QUERY__TOKEN__OR:
        case PG_QUERY__TOKEN__WHEN:
        case PG_QUERY__TOKEN__THEN:
        case PG_QUERY__TOKEN__ELSE:
            level.deepest_item = std::max(level.deepest_item, level.item_tokens + level.item_child);
            level.item_tokens = 0;
            level.item_child = 0;
            break;
        case PG_QUERY__TOKEN__UNION:
        case PG_QUERY__TOKEN__INTERSECT:
        case PG_QUERY__TOKEN__EXCEPT:
        case PG_QUERY__TOKEN__JOIN:
            // (a UNION b) UNION c, (a JOIN b ON x) JOIN c ON y: one node per operator above
            // operands that are bounded on their own.
            level.deepest_item = std::max(level.deepest_item, level.item_tokens + level.item_child);
            level.item_tokens = 0;
            level.item_child = 0;
            ++level.chained;
            break;
        default:
            ++level.item_tokens;
            break;
        }
    }
    while (levels.size() > 1) {
        const std::size_t inner = levels.back().bound();
        levels.pop_back();
        levels.back().item_child = std::max(levels.back().item_child, inner);
    }
    return levels.front().bound();
}

// The nesting depth of a packed protobuf message (messages within messages), read without
// recursion, guided by the message descriptors (a length-delimited field is a nested message or
// bytes). Stops counting past `limit`.
std::size_t packed_message_depth(const uint8_t* data, std::size_t size, std::size_t limit) {
    struct Frame {
        const ProtobufCMessageDescriptor* descriptor;
        const uint8_t* position;
        const uint8_t* end;
        std::size_t depth;
    };
    const auto read_varint = [](const uint8_t*& p, const uint8_t* end, std::uint64_t& value) {
        value = 0;
        for (int shift = 0; p < end && shift < 64; shift += 7) {
            const uint8_t byte = *p++;
            value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0) {
                return true;
            }
        }
        return false;
    };
    std::vector<Frame> stack{{&pg_query__parse_result__descriptor, data, data + size, 0}};
    std::size_t deepest = 0;
    while (!stack.empty()) {
        Frame& frame = stack.back();
        if (frame.position >= frame.end) {
            stack.pop_back();
            continue;
        }
        std::uint64_t tag = 0;
        std::uint64_t value = 0;
        if (!read_varint(frame.position, frame.end, tag)) {
            return 0; // not what libpg_query writes: let the unpacker report it
        }
        const auto remaining = static_cast<std::size_t>(frame.end - frame.position);
        switch (tag & 7) {
        case 0:
            if (!read_varint(frame.position, frame.end, value)) {
                return 0;
            }
            break;
        case 1:
            frame.position += std::min<std::size_t>(8, remaining);
            break;
        case 5:
            frame.position += std::min<std::size_t>(4, remaining);
            break;
        case 2: {
            if (!read_varint(frame.position, frame.end, value) ||
                value > static_cast<std::uint64_t>(frame.end - frame.position)) {
                return 0;
            }
            const uint8_t* begin = frame.position;
            frame.position += value;
            const ProtobufCFieldDescriptor* field = protobuf_c_message_descriptor_get_field(
                frame.descriptor, static_cast<unsigned>(tag >> 3));
            if (field != nullptr && field->type == PROTOBUF_C_TYPE_MESSAGE) {
                const auto* child =
                    static_cast<const ProtobufCMessageDescriptor*>(field->descriptor);
                const std::size_t depth = frame.depth + 1;
                deepest = std::max(deepest, depth);
                if (deepest > limit) {
                    return deepest;
                }
                stack.push_back({child, begin, begin + value, depth}); // `frame` is now stale
            }
            break;
        }
        default:
            return 0;
        }
    }
    return deepest;
}

std::string too_deep_message() {
    return "nested more than " + std::to_string(max_nesting_depth) +
           " levels deep: too deep to read safely";
}

} // namespace

std::optional<std::string> nesting_problem(std::string_view sql) {
    if (sql.size() <= unscanned_statement_bytes) {
        return std::nullopt;
    }
    const std::string text(sql);
    PgQueryScanResult scan = pg_query_scan(text.c_str());
    std::optional<std::string> problem;
    if (scan.error == nullptr) {
        PgQuery__ScanResult* tokens = pg_query__scan_result__unpack(
            nullptr, scan.pbuf.len, reinterpret_cast<const uint8_t*>(scan.pbuf.data));
        if (tokens == nullptr || nesting_bound(*tokens) > max_nesting_bound) {
            problem = too_deep_message();
        }
        if (tokens != nullptr) {
            pg_query__scan_result__free_unpacked(tokens, nullptr);
        }
    }
    // Text the scanner rejects (an unterminated quote) is rejected by the parser before it
    // builds a tree.
    pg_query_free_scan_result(scan);
    return problem;
}

std::string explain_parse_error(std::string message) {
    if (message.starts_with("memory exhausted")) {
        message += " (the statement nests too deeply for PostgreSQL's parser)";
    }
    return message;
}

ParseOutcome parse(const std::string& sql) {
    ParseOutcome outcome;
    if (auto problem = nesting_problem(sql)) {
        outcome.error = ParseError{std::move(*problem), 0};
        return outcome;
    }
    PgQueryProtobufParseResult raw = pg_query_parse_protobuf(sql.c_str());
    if (raw.error != nullptr) {
        outcome.error = ParseError{
            explain_parse_error(raw.error->message ? raw.error->message : "syntax error"),
            raw.error->cursorpos};
    } else if (packed_message_depth(reinterpret_cast<const uint8_t*>(raw.parse_tree.data),
                                    raw.parse_tree.len, max_message_depth) > max_message_depth) {
        // protobuf-c unpacks (and frees) nested messages recursively: check before it does.
        outcome.error = ParseError{too_deep_message(), 0};
    } else {
        PgQuery__ParseResult* unpacked = pg_query__parse_result__unpack(
            nullptr, raw.parse_tree.len, reinterpret_cast<const uint8_t*>(raw.parse_tree.data));
        if (unpacked == nullptr) {
            outcome.error = ParseError{"libpg_query returned an unreadable parse tree", 0};
        } else {
            outcome.tree = ParseTree(unpacked);
        }
    }
    pg_query_free_protobuf_parse_result(raw);
    return outcome;
}

std::string_view node_kind(const Node* node) {
    if (node == nullptr || node->node_case == PG_QUERY__NODE__NODE__NOT_SET) {
        return "";
    }
    // Every member of the node union is a protobuf message, whose first field is its header.
    const auto* message = reinterpret_cast<const ProtobufCMessage*>(node->alias);
    return message->descriptor->short_name;
}

std::string_view string_value(const Node* node) {
    if (node != nullptr && node->node_case == PG_QUERY__NODE__NODE_STRING) {
        return node->string->sval;
    }
    return "";
}

std::vector<std::string> string_list(Node* const* items, std::size_t count) {
    std::vector<std::string> values;
    values.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        values.emplace_back(string_value(items[i]));
    }
    return values;
}

std::optional<long> integer_value(const Node* node) {
    if (node == nullptr) {
        return std::nullopt;
    }
    if (node->node_case == PG_QUERY__NODE__NODE_INTEGER) {
        return node->integer->ival;
    }
    if (node->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        node->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
        return node->a_const->ival->ival;
    }
    return std::nullopt;
}

std::optional<std::string> const_string(const Node* node) {
    if (node != nullptr && node->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        node->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL) {
        return std::string(node->a_const->sval->sval);
    }
    return std::nullopt;
}

std::string function_name(const PgQuery__FuncCall* call) {
    if (call == nullptr || call->n_funcname == 0) {
        return "";
    }
    return std::string(string_value(call->funcname[call->n_funcname - 1]));
}

namespace {

// libpg_query deparses whole parse results only, so a lone node is wrapped in a statement.
std::string deparse_result(PgQuery__ParseResult& result) {
    const std::size_t size = pg_query__parse_result__get_packed_size(&result);
    std::string buffer(size, '\0');
    pg_query__parse_result__pack(&result, reinterpret_cast<uint8_t*>(buffer.data()));
    PgQueryProtobuf protobuf{buffer.size(), buffer.data()};
    PgQueryDeparseResult deparsed = pg_query_deparse_protobuf(protobuf);
    std::string text;
    if (deparsed.error == nullptr && deparsed.query != nullptr) {
        text = deparsed.query;
    }
    pg_query_free_deparse_result(deparsed);
    return text;
}

} // namespace

std::string deparse_statement(const Node* statement) {
    PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
    raw.stmt = const_cast<Node*>(statement);
    PgQuery__RawStmt* raws[] = {&raw};
    PgQuery__ParseResult result = PG_QUERY__PARSE_RESULT__INIT;
    result.version = PG_VERSION_NUM;
    result.n_stmts = 1;
    result.stmts = raws;
    return deparse_result(result);
}

std::string deparse_expression(const Node* expression) {
    PgQuery__ResTarget target = PG_QUERY__RES_TARGET__INIT;
    target.val = const_cast<Node*>(expression);
    Node target_node = PG_QUERY__NODE__INIT;
    target_node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
    target_node.res_target = &target;
    Node* targets[] = {&target_node};
    PgQuery__SelectStmt select = PG_QUERY__SELECT_STMT__INIT;
    select.n_target_list = 1;
    select.target_list = targets;
    select.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
    select.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
    Node select_node = PG_QUERY__NODE__INIT;
    select_node.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
    select_node.select_stmt = &select;
    std::string text = deparse_statement(&select_node);
    constexpr std::string_view prefix = "SELECT ";
    if (text.starts_with(prefix)) {
        text.erase(0, prefix.size());
    }
    return text;
}

std::vector<std::string> split_statements(const std::string& sql) {
    std::vector<std::string> statements;
    PgQuerySplitResult result = pg_query_split_with_scanner(sql.c_str());
    if (result.error != nullptr) {
        statements.push_back(sql);
    } else {
        for (int i = 0; i < result.n_stmts; ++i) {
            std::string text = sql.substr(static_cast<std::size_t>(result.stmts[i]->stmt_location),
                                          static_cast<std::size_t>(result.stmts[i]->stmt_len));
            const auto first = text.find_first_not_of(" \t\r\n");
            const auto last = text.find_last_not_of(" \t\r\n");
            if (first != std::string::npos) {
                statements.push_back(text.substr(first, last - first + 1));
            }
        }
    }
    pg_query_free_split_result(result);
    return statements;
}

int line_of_offset(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

} // namespace parsers::pg
