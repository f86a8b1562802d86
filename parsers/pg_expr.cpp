#include "parsers/pg_expr.hpp"

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

namespace parsers::pg {

namespace {

std::string text_or_empty(const char* text) {
    return text == nullptr ? std::string() : text;
}

// Calls `on_node` for every Node directly below `message`, looking through the typed messages in
// between (a FuncCall's WindowDef, a TypeCast's TypeName, a SelectStmt's WithClause ...).
// protobuf-c describes every field, so one loop covers all node types of the grammar.
template <typename OnNode>
void for_each_child_node(const ProtobufCMessage* message, const OnNode& on_node) {
    const ProtobufCMessageDescriptor* descriptor = message->descriptor;
    const auto* base = reinterpret_cast<const char*>(message);
    const auto visit_message = [&](const ProtobufCMessage* child) {
        if (child == nullptr) {
            return;
        }
        if (child->descriptor == &pg_query__node__descriptor) {
            on_node(reinterpret_cast<Node*>(const_cast<ProtobufCMessage*>(child)));
        } else {
            for_each_child_node(child, on_node);
        }
    };
    for (unsigned i = 0; i < descriptor->n_fields; ++i) {
        const ProtobufCFieldDescriptor& field = descriptor->fields[i];
        if (field.type != PROTOBUF_C_TYPE_MESSAGE) {
            continue;
        }
        if (field.label == PROTOBUF_C_LABEL_REPEATED) {
            const auto count =
                *reinterpret_cast<const std::size_t*>(base + field.quantifier_offset);
            const auto* items =
                *reinterpret_cast<ProtobufCMessage* const* const*>(base + field.offset);
            for (std::size_t j = 0; j < count; ++j) {
                visit_message(items[j]);
            }
            continue;
        }
        if ((field.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0 &&
            *reinterpret_cast<const uint32_t*>(base + field.quantifier_offset) != field.id) {
            continue;
        }
        visit_message(*reinterpret_cast<const ProtobufCMessage* const*>(base + field.offset));
    }
}

// The message a Node wraps (every member of the union is a message pointer).
const ProtobufCMessage* inner_message(const Node* node) {
    if (node == nullptr || node->node_case == PG_QUERY__NODE__NODE__NOT_SET) {
        return nullptr;
    }
    return reinterpret_cast<const ProtobufCMessage*>(node->alias);
}

Node* deep_copy(const Node* node) {
    std::string buffer(pg_query__node__get_packed_size(node), '\0');
    pg_query__node__pack(node, reinterpret_cast<uint8_t*>(buffer.data()));
    return pg_query__node__unpack(nullptr, buffer.size(),
                                  reinterpret_cast<const uint8_t*>(buffer.data()));
}

// Rewrites a copied tree in place into its canonical form (see canonical_expression()).
void canonicalize(Node* node) {
    if (node == nullptr) {
        return;
    }
    while (node->node_case == PG_QUERY__NODE__NODE_TYPE_CAST && node->type_cast->arg != nullptr &&
           (node->type_cast->arg->node_case == PG_QUERY__NODE__NODE_COLUMN_REF ||
            node->type_cast->arg->node_case == PG_QUERY__NODE__NODE_A_CONST)) {
        PgQuery__TypeCast* cast = node->type_cast;
        Node* argument = cast->arg;
        // Every member of the node union is a message pointer: move the argument's up a level.
        node->node_case = argument->node_case;
        node->alias = argument->alias;
        // The argument's wrapper no longer owns its message; freeing the cast frees the shell.
        argument->node_case = PG_QUERY__NODE__NODE__NOT_SET;
        argument->alias = nullptr;
        pg_query__type_cast__free_unpacked(cast, nullptr);
    }
    if (node->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
        PgQuery__ColumnRef* ref = node->column_ref;
        if (ref->n_fields > 1) {
            for (std::size_t i = 0; i + 1 < ref->n_fields; ++i) {
                pg_query__node__free_unpacked(ref->fields[i], nullptr);
            }
            ref->fields[0] = ref->fields[ref->n_fields - 1];
            ref->n_fields = 1;
        }
        return;
    }
    const ProtobufCMessage* message = inner_message(node);
    if (message != nullptr) {
        for_each_child_node(message, [](Node* child) { canonicalize(child); });
    }
}

struct NodeFree {
    void operator()(Node* node) const { pg_query__node__free_unpacked(node, nullptr); }
};

} // namespace

std::optional<ColumnRefName> column_ref_name(const Node* node) {
    if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_COLUMN_REF) {
        return std::nullopt;
    }
    const PgQuery__ColumnRef* ref = node->column_ref;
    if (ref->n_fields == 0) {
        return std::nullopt;
    }
    ColumnRefName name;
    const Node* last = ref->fields[ref->n_fields - 1];
    if (last->node_case == PG_QUERY__NODE__NODE_A_STAR) {
        name.star = true;
    } else {
        name.column = string_value(last);
    }
    if (ref->n_fields >= 2) {
        name.qualifier = string_value(ref->fields[ref->n_fields - 2]);
    }
    if (ref->n_fields >= 3) {
        name.schema = string_value(ref->fields[ref->n_fields - 3]);
    }
    return name;
}

RangeVarName range_var_name(const PgQuery__RangeVar* range_var) {
    RangeVarName name;
    if (range_var == nullptr) {
        return name;
    }
    name.schema = text_or_empty(range_var->schemaname);
    name.relation = text_or_empty(range_var->relname);
    if (range_var->alias != nullptr) {
        name.alias = text_or_empty(range_var->alias->aliasname);
    }
    return name;
}

std::string operator_name(const PgQuery__AExpr* expression) {
    if (expression == nullptr || expression->n_name == 0) {
        return "";
    }
    return std::string(string_value(expression->name[expression->n_name - 1]));
}

const Node* strip_casts(const Node* node) {
    while (node != nullptr) {
        if (node->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) {
            node = node->type_cast->arg;
        } else if (node->node_case == PG_QUERY__NODE__NODE_COLLATE_CLAUSE) {
            node = node->collate_clause->arg;
        } else {
            break;
        }
    }
    return node;
}

bool is_column_ref(const Node* node) {
    return node != nullptr && node->node_case == PG_QUERY__NODE__NODE_COLUMN_REF;
}

bool is_parameter(const Node* node) {
    const Node* inner = strip_casts(node);
    return inner != nullptr && inner->node_case == PG_QUERY__NODE__NODE_PARAM_REF;
}

bool is_constant(const Node* node) {
    const Node* inner = strip_casts(node);
    return inner != nullptr && inner->node_case == PG_QUERY__NODE__NODE_A_CONST;
}

std::optional<std::string> literal_text(const Node* node) {
    const Node* inner = strip_casts(node);
    if (inner == nullptr || inner->node_case != PG_QUERY__NODE__NODE_A_CONST) {
        return std::nullopt;
    }
    const PgQuery__AConst* constant = inner->a_const;
    if (constant->isnull) {
        return std::nullopt;
    }
    switch (constant->val_case) {
    case PG_QUERY__A__CONST__VAL_IVAL:
        return std::to_string(constant->ival->ival);
    case PG_QUERY__A__CONST__VAL_FVAL:
        return text_or_empty(constant->fval->fval);
    case PG_QUERY__A__CONST__VAL_BOOLVAL:
        return std::string(constant->boolval->boolval ? "true" : "false");
    case PG_QUERY__A__CONST__VAL_SVAL:
        return text_or_empty(constant->sval->sval);
    case PG_QUERY__A__CONST__VAL_BSVAL:
        return text_or_empty(constant->bsval->bsval);
    default:
        return std::nullopt;
    }
}

std::optional<bool> literal_bool(const Node* node) {
    const Node* inner = strip_casts(node);
    if (inner != nullptr && inner->node_case == PG_QUERY__NODE__NODE_A_CONST &&
        inner->a_const->val_case == PG_QUERY__A__CONST__VAL_BOOLVAL) {
        return inner->a_const->boolval->boolval;
    }
    const std::optional<std::string> text = literal_text(node);
    if (!text || inner->a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL) {
        return std::nullopt;
    }
    // Spellings PostgreSQL's boolin() accepts (in any case; ORMs send them in lower case).
    static constexpr std::string_view true_spellings[] = {"t", "true", "y", "yes", "on"};
    static constexpr std::string_view false_spellings[] = {"f", "false", "n", "no", "off"};
    for (const auto spelling : true_spellings) {
        if (*text == spelling) {
            return true;
        }
    }
    for (const auto spelling : false_spellings) {
        if (*text == spelling) {
            return false;
        }
    }
    return std::nullopt;
}

std::vector<const Node*> child_nodes(const Node* node) {
    std::vector<const Node*> children;
    const ProtobufCMessage* message = inner_message(node);
    if (message != nullptr) {
        for_each_child_node(message, [&](const Node* child) { children.push_back(child); });
    }
    return children;
}

void visit_nodes(const Node* root, const std::function<bool(const Node*)>& visit) {
    if (root == nullptr || !visit(root)) {
        return;
    }
    const ProtobufCMessage* message = inner_message(root);
    if (message != nullptr) {
        for_each_child_node(message, [&](const Node* child) { visit_nodes(child, visit); });
    }
}

void visit_nodes_below(const ProtobufCMessage* message,
                       const std::function<bool(const Node*)>& visit) {
    if (message != nullptr) {
        for_each_child_node(message, [&](const Node* child) { visit_nodes(child, visit); });
    }
}

bool contains_column_ref(const Node* node) {
    bool found = false;
    visit_nodes(node, [&](const Node* child) {
        if (child->node_case == PG_QUERY__NODE__NODE_COLUMN_REF) {
            found = true;
        }
        return !found;
    });
    return found;
}

std::string canonical_expression(const Node* expression) {
    if (expression == nullptr) {
        return "";
    }
    const std::unique_ptr<Node, NodeFree> copy(deep_copy(expression));
    if (copy == nullptr) {
        return deparse_expression(expression);
    }
    canonicalize(copy.get());
    return deparse_expression(copy.get());
}

ParsedExpression parse_expression(const std::string& text) {
    ParsedExpression parsed;
    ParseOutcome outcome = parse("SELECT " + text);
    if (outcome.error || outcome.tree.size() != 1) {
        return parsed;
    }
    const Node* statement = outcome.tree.statement_node(0);
    if (statement->node_case != PG_QUERY__NODE__NODE_SELECT_STMT ||
        statement->select_stmt->n_target_list != 1 ||
        statement->select_stmt->target_list[0]->node_case != PG_QUERY__NODE__NODE_RES_TARGET) {
        return parsed;
    }
    parsed.expression = statement->select_stmt->target_list[0]->res_target->val;
    parsed.tree = std::move(outcome.tree);
    return parsed;
}

std::string canonical_expression_text(const std::string& text) {
    const ParsedExpression parsed = parse_expression(text);
    return parsed.expression == nullptr ? text : canonical_expression(parsed.expression);
}

bool is_aggregate_call(const PgQuery__FuncCall* call) {
    if (call == nullptr || call->over != nullptr) {
        return false; // a window function, not an aggregate of the query
    }
    if (call->agg_star || call->agg_distinct || call->n_agg_order > 0 ||
        call->agg_filter != nullptr || call->agg_within_group) {
        return true;
    }
    // The built-in aggregates of PostgreSQL 15 (docs: "Aggregate Functions"), space-separated.
    constexpr std::string_view builtin_aggregates =
        " count sum avg min max every bool_and bool_or bit_and bit_or bit_xor range_agg"
        " range_intersect_agg array_agg string_agg json_agg jsonb_agg xmlagg json_object_agg"
        " jsonb_object_agg stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop"
        " covar_samp regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx"
        " regr_sxy regr_syy mode percentile_cont percentile_disc ";
    const std::string name = function_name(call);
    return !name.empty() && builtin_aggregates.find(" " + name + " ") != std::string_view::npos;
}

} // namespace parsers::pg
