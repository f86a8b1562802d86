#include "advisor/model_snippet.hpp"

#include "advisor/sql_text.hpp"

namespace advisor {

namespace {

// A Python string literal in double quotes, as SQLAlchemy's documentation writes model code.
std::string quoted(const std::string& text) {
    std::string literal = "\"";
    for (const char c : text) {
        if (c == '\\' || c == '"') {
            literal += '\\';
        }
        if (c == '\n') {
            literal += "\\n";
            continue;
        }
        literal += c;
    }
    return literal + "\"";
}

bool plain_column(const IndexKey& key) {
    return !key.is_expression() && !key.descending && key.nulls.empty() && key.collation.empty() &&
           key.opclass.empty();
}

std::string schema_of(const std::string& qualified) {
    const auto dot = qualified.find('.');
    return dot == std::string::npos ? "" : qualified.substr(0, dot);
}

bool default_schema(const std::string& schema, const Catalog& catalog) {
    return schema.empty() || schema == (catalog.dialect == "sqlite" ? "main" : "public");
}

// True when `Column(..., index=True)` on the single key column creates exactly this index:
// SQLAlchemy names it ix_%(column_0_label)s, the column's label being <table>_<column> for a
// table in the default schema (<schema>_<table>_<column> otherwise), and builds a plain b-tree.
bool declared_on_column(const IndexSpec& spec, const Catalog& catalog) {
    if (spec.keys.size() != 1 || !plain_column(spec.keys.front()) || spec.method != "btree" ||
        spec.where || !spec.include.empty() || !default_schema(schema_of(spec.table), catalog)) {
        return false;
    }
    return spec.name == "ix_" + unqualified_name(spec.table) + "_" + spec.keys.front().column;
}

// Index("name", "col", text("expr"), unique=True, postgresql_where=text("..."), ...): strings are
// the table's column names, as __table_args__ takes them.
std::string index_call(const IndexSpec& spec, const Catalog& catalog) {
    const bool sqlite = catalog.dialect == "sqlite";
    std::string call = "Index(" + quoted(spec.name);
    std::string ops;
    for (const auto& spec_key : spec.keys) {
        const IndexKey key = key_for_dialect(spec_key, catalog.dialect);
        if (plain_column(key)) {
            call += ", " + quoted(key.column);
            continue;
        }
        IndexKey without_opclass = key;
        without_opclass.opclass.clear();
        // A column with only an operator class stays a name (the class goes to postgresql_ops);
        // DESC, NULLS, COLLATE and expressions are SQL text.
        call += plain_column(without_opclass)
                    ? ", " + quoted(key.column)
                    : ", text(" + quoted(index_key_sql(without_opclass)) + ")";
        if (!key.opclass.empty() && !key.is_expression()) {
            ops += (ops.empty() ? "" : ", ") + quoted(key.column) + ": " + quoted(key.opclass);
        }
    }
    if (spec.unique) {
        call += ", unique=True";
    }
    if (spec.where) {
        call += std::string(sqlite ? ", sqlite_where=" : ", postgresql_where=") + "text(" +
                quoted(*spec.where) + ")";
    }
    if (!sqlite && spec.method != "btree") {
        call += ", postgresql_using=" + quoted(spec.method);
    }
    if (!sqlite && !spec.include.empty()) {
        std::string include;
        for (const auto& column : spec.include) {
            include += (include.empty() ? "" : ", ") + quoted(column);
        }
        call += ", postgresql_include=[" + include + "]";
    }
    if (!ops.empty()) {
        call += ", postgresql_ops={" + ops + "}";
    }
    return call + ")";
}

std::string class_label(const IndexSpec& spec, const Catalog& catalog, const ModelNames& models,
                        const Table** table_out) {
    const Table* table = catalog.find_table(spec.table);
    *table_out = table;
    Table fallback;
    if (table == nullptr) {
        fallback.name = unqualified_name(spec.table);
        fallback.schema = schema_of(spec.table);
    }
    const Table& named = table != nullptr ? *table : fallback;
    return models.class_of(named) + " (table " + spec.table + ")";
}

} // namespace

std::string index_model_snippet(const IndexSpec& spec, const Catalog& catalog,
                                const ModelNames& models) {
    const Table* table = nullptr;
    const std::string label = class_label(spec, catalog, models, &table);
    if (declared_on_column(spec, catalog) && table != nullptr) {
        const std::string attribute = models.attribute_of(*table, spec.keys.front().column);
        return "# " + models.class_of(*table) + "." + attribute +
               ": SQLAlchemy's default naming convention names this index " + spec.name + "\n" +
               attribute + " = mapped_column(..., " + (spec.unique ? "unique=True, " : "") +
               "index=True)  # or Column(..., index=True)";
    }
    return "# " + label + ": add to __table_args__\n" + index_call(spec, catalog) + ",";
}

std::string dropped_index_model_snippet(const IndexSpec& spec, const Catalog& catalog,
                                        const ModelNames& models) {
    const Table* table = nullptr;
    const std::string label = class_label(spec, catalog, models, &table);
    std::string snippet =
        "# " + label + ": delete from __table_args__\n" + index_call(spec, catalog) + ",";
    if (spec.keys.size() == 1 && plain_column(spec.keys.front()) && table != nullptr) {
        snippet += "\n# or, if the model declares it on the column, drop index=True from " +
                   models.class_of(*table) + "." +
                   models.attribute_of(*table, spec.keys.front().column);
    }
    return snippet;
}

void attach_model_snippets(std::vector<Finding>& findings, const Catalog& catalog,
                           const ModelNames& models) {
    for (auto& finding : findings) {
        if (!finding.fix.sqlalchemy.empty()) {
            continue;
        }
        if (finding.fix.create_index) {
            finding.fix.sqlalchemy =
                index_model_snippet(*finding.fix.create_index, catalog, models);
        } else if (finding.fix.drop_index) {
            finding.fix.sqlalchemy =
                dropped_index_model_snippet(*finding.fix.drop_index, catalog, models);
        }
    }
}

} // namespace advisor
