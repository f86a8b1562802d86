#include "parsers/pg_tree.hpp"

#include <algorithm>
#include <stdexcept>

namespace parsers::pg {

void ParseTree::Free::operator()(PgQuery__ParseResult* result) const {
    pg_query__parse_result__free_unpacked(result, nullptr);
}

ParseOutcome parse(const std::string& sql) {
    ParseOutcome outcome;
    PgQueryProtobufParseResult raw = pg_query_parse_protobuf(sql.c_str());
    if (raw.error != nullptr) {
        outcome.error = ParseError{raw.error->message ? raw.error->message : "syntax error",
                                   raw.error->cursorpos};
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
