// The SQLAlchemy model change that goes with an index fix, so that the team's next `alembic
// revision --autogenerate` (and `alembic check`) sees the index as declared rather than dropping
// it: `Index("ix_...", "col", ..., postgresql_where=..., postgresql_using=...)` in the class's
// `__table_args__`, or `index=True` on the column when SQLAlchemy's default naming convention
// (`ix_%(column_0_label)s`, i.e. ix_<table>_<column>) gives the index exactly its name. A dropped
// index says which declaration to delete. Class and attribute names come from ModelNames (the
// --models file that scripts/export_models.py writes, else the conventions).
#pragma once

#include "advisor/catalog.hpp"
#include "advisor/finding.hpp"
#include "advisor/model_names.hpp"

#include <string>
#include <vector>

namespace advisor {

// The declaration that makes the models hold `spec` (a created index).
std::string index_model_snippet(const IndexSpec& spec, const Catalog& catalog,
                                const ModelNames& models);
// What to delete from the models when `spec` is dropped.
std::string dropped_index_model_snippet(const IndexSpec& spec, const Catalog& catalog,
                                        const ModelNames& models);
// Sets fix.sqlalchemy of every finding that creates or drops an index (and has no other
// snippet): the pipeline runs it once, after the rules.
void attach_model_snippets(std::vector<Finding>& findings, const Catalog& catalog,
                           const ModelNames& models);

} // namespace advisor
