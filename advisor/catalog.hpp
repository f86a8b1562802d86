// The catalog as the advisor reads it. The model itself lives below, in parsers/catalog.hpp,
// beside the readers that build it (design.md: parsers/ includes nothing from advisor/); these
// declarations let advisor/ name its types as its own.
#pragma once

#include "parsers/catalog.hpp"

namespace advisor {

using parsers::Catalog;
using parsers::CatalogWarning;
using parsers::Column;
using parsers::ConstraintKind;
using parsers::ForeignKey;
using parsers::Index;
using parsers::IndexKey;
using parsers::SourceLocation;
using parsers::SqliteObjectSql;
using parsers::SqliteSchemaSql;
using parsers::SqliteStat1Row;
using parsers::Table;
using parsers::TableKind;
using parsers::to_string;
using parsers::UniqueConstraint;

} // namespace advisor
