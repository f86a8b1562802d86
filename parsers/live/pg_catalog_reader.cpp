#include "parsers/live/pg_catalog_reader.hpp"

#include "parsers/pg_ddl.hpp"

#include <sstream>

namespace parsers::live {

namespace {

// A namespace of the user's: not PostgreSQL's own, not a TOAST or temporary one.
constexpr const char* user_namespace = "n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'";

// A relation no extension owns (pg_dump leaves extension members to CREATE EXTENSION).
constexpr const char* not_extension_member =
    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
    "'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')";

// Each query returns the statements of one kind, one per row in column 0, in pg_dump's order
// for that kind (by schema, then name, in bytewise order) so that lists kept in statement order
// (a table's foreign keys, a parent's partitions) come out as they do from a dump.
std::string schemas_sql() {
    return std::string("SELECT 'CREATE SCHEMA ' || pg_catalog.quote_ident(n.nspname) || ';' "
                       "FROM pg_catalog.pg_namespace n WHERE ") +
           user_namespace +
           " AND n.nspname <> 'public' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
           "WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objid = n.oid "
           "AND d.deptype = 'e') ORDER BY n.nspname COLLATE \"C\"";
}

std::string domains_sql() {
    // By oid: a domain over another domain comes after it.
    return std::string("SELECT pg_catalog.format('CREATE DOMAIN %I.%I AS %s;', n.nspname, "
                       "t.typname, pg_catalog.format_type(t.typbasetype, t.typtypmod)) "
                       "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = "
                       "t.typnamespace WHERE t.typtype = 'd' AND ") +
           user_namespace +
           " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
           "'pg_catalog.pg_type'::pg_catalog.regclass AND d.objid = t.oid AND d.deptype = 'e') "
           "ORDER BY t.oid";
}

std::string sequences_sql() {
    // Identity columns' sequences are the columns' own (pg_dump writes them as ADD GENERATED).
    return std::string("SELECT pg_catalog.format('CREATE SEQUENCE %I.%I;', n.nspname, c.relname) "
                       "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                       "c.relnamespace WHERE c.relkind = 'S' AND ") +
           user_namespace + " AND " + not_extension_member +
           " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
           "'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'i') "
           "ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"";
}

std::string tables_sql() {
    // Parents before the children that inherit from them (INHERITS needs its parent's columns);
    // a partition is written as a table of its own with every column, then attached, as pg_dump
    // writes it; an inheritance child lists its own columns only.
    return std::string(
               "WITH RECURSIVE ancestry(relid, depth) AS ("
               " SELECT c.oid, 0 FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'p', 'f')"
               " UNION ALL"
               " SELECT i.inhrelid, a.depth + 1 FROM pg_catalog.pg_inherits i"
               " JOIN ancestry a ON a.relid = i.inhparent WHERE a.depth < 100) "
               "SELECT pg_catalog.format('CREATE %s%sTABLE %I.%I (%s)%s%s%s;', "
               " CASE c.relpersistence WHEN 'u' THEN 'UNLOGGED ' ELSE '' END, "
               " CASE c.relkind WHEN 'f' THEN 'FOREIGN ' ELSE '' END, n.nspname, c.relname, "
               " (SELECT pg_catalog.string_agg(pg_catalog.format(E'\\n    %I %s%s', a.attname, "
               "   pg_catalog.format_type(a.atttypid, a.atttypmod), "
               "   CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END), ',' ORDER BY a.attnum) "
               "  FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 "
               "  AND NOT a.attisdropped AND (a.attislocal OR c.relispartition)), "
               " CASE WHEN c.relispartition THEN '' ELSE COALESCE((SELECT "
               "   E'\\nINHERITS (' || pg_catalog.string_agg(pg_catalog.format('%I.%I', "
               "   pn.nspname, pc.relname), ', ' ORDER BY i.inhseqno) || ')' "
               "   FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = "
               "   i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
               "   WHERE i.inhrelid = c.oid), '') END, "
               " CASE c.relkind WHEN 'p' THEN E'\\nPARTITION BY ' || "
               "   pg_catalog.pg_get_partkeydef(c.oid) ELSE '' END, "
               " CASE c.relkind WHEN 'f' THEN (SELECT pg_catalog.format(E'\\nSERVER %I', "
               "   s.srvname) FROM pg_catalog.pg_foreign_table ft JOIN "
               "   pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver WHERE ft.ftrelid = "
               "   c.oid) ELSE '' END) "
               "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
               "c.relnamespace JOIN (SELECT relid, max(depth) AS depth FROM ancestry GROUP BY "
               "relid) d ON d.relid = c.oid WHERE c.relkind IN ('r', 'p', 'f') AND ") +
           user_namespace + " AND " + not_extension_member +
           " ORDER BY d.depth, n.nspname COLLATE \"C\", c.relname COLLATE \"C\"";
}

std::string partition_attachments_sql() {
    return std::string("SELECT pg_catalog.format('ALTER TABLE ONLY %I.%I ATTACH PARTITION %I.%I "
                       "%s;', pn.nspname, pc.relname, n.nspname, c.relname, "
                       "pg_catalog.pg_get_expr(c.relpartbound, c.oid)) "
                       "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                       "c.relnamespace JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid "
                       "JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent "
                       "JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
                       "WHERE c.relispartition AND c.relkind IN ('r', 'p', 'f') AND ") +
           user_namespace + " AND " + not_extension_member +
           " ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"";
}

std::string views_sql() {
    // By oid: a view is created after the views it reads.
    return std::string("SELECT CASE c.relkind WHEN 'v' THEN pg_catalog.format(E'CREATE VIEW "
                       "%I.%I AS\\n%s;', n.nspname, c.relname, pg_catalog.rtrim("
                       "pg_catalog.pg_get_viewdef(c.oid), ';')) ELSE pg_catalog.format(E'CREATE "
                       "MATERIALIZED VIEW %I.%I AS\\n%s\\n  WITH NO DATA;', n.nspname, c.relname, "
                       "pg_catalog.rtrim(pg_catalog.pg_get_viewdef(c.oid), ';')) END "
                       "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                       "c.relnamespace WHERE c.relkind IN ('v', 'm') AND ") +
           user_namespace + " AND " + not_extension_member + " ORDER BY c.oid";
}

// PRIMARY KEY, UNIQUE and EXCLUDE ('p', 'u', 'x'), or FOREIGN KEY ('f'). A foreign key on a
// partitioned table is written without ONLY (PostgreSQL refuses ONLY there); one a partition
// inherits from its parent (conparentid set) is the parent's, created with it.
std::string constraints_sql(const std::string& kinds) {
    return std::string("SELECT pg_catalog.format(E'ALTER TABLE %s%I.%I\\n    ADD CONSTRAINT %I "
                       "%s;', CASE WHEN con.contype = 'f' AND c.relkind = 'p' THEN '' ELSE "
                       "'ONLY ' END, n.nspname, c.relname, con.conname, "
                       "pg_catalog.pg_get_constraintdef(con.oid)) "
                       "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = "
                       "con.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE con.contype = ANY ('{") +
           kinds + "}'::\"char\"[]) AND (con.contype <> 'f' OR con.conparentid = 0) AND " +
           user_namespace + " AND " + not_extension_member +
           " ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\", con.conname COLLATE \"C\"";
}

std::string indexes_sql() {
    // Indexes no constraint owns. pg_dump leaves out invalid indexes (a failed CREATE INDEX
    // CONCURRENTLY) except a partitioned table's, which is invalid until every partition has one.
    return std::string("SELECT pg_catalog.pg_get_indexdef(i.indexrelid) || ';' "
                       "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = "
                       "i.indexrelid JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
                       "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE (i.indisvalid OR c.relkind = 'p') AND NOT EXISTS (SELECT 1 FROM "
                       "pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND "
                       "con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')) AND ") +
           user_namespace + " AND " + not_extension_member +
           " ORDER BY n.nspname COLLATE \"C\", ic.relname COLLATE \"C\"";
}

std::string index_attachments_sql() {
    return std::string("SELECT pg_catalog.format('ALTER INDEX %I.%I ATTACH PARTITION %I.%I;', "
                       "pn.nspname, pic.relname, n.nspname, ic.relname) "
                       "FROM pg_catalog.pg_inherits inh JOIN pg_catalog.pg_class ic ON ic.oid = "
                       "inh.inhrelid JOIN pg_catalog.pg_class pic ON pic.oid = inh.inhparent "
                       "JOIN pg_catalog.pg_namespace pn ON pn.oid = pic.relnamespace "
                       "JOIN pg_catalog.pg_index i ON i.indexrelid = ic.oid "
                       "JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
                       "JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace "
                       "WHERE ic.relkind IN ('i', 'I') AND ") +
           user_namespace + " AND " + not_extension_member +
           " ORDER BY n.nspname COLLATE \"C\", ic.relname COLLATE \"C\"";
}

void append_rows(Connection& connection, const std::string& sql, std::string& ddl) {
    const Result result = connection.execute(sql);
    for (int row = 0; row < result.rows(); ++row) {
        if (!result.is_null(row, 0)) {
            ddl += result.text(row, 0) + "\n";
        }
    }
}

} // namespace

std::string live_schema_ddl(Connection& connection) {
    // One snapshot for every query, as pg_dump takes; names written schema-qualified.
    connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    try {
        connection.execute("SET LOCAL search_path = ''");
        std::string ddl = "SELECT pg_catalog.set_config('search_path', '', false);\n";
        append_rows(connection, schemas_sql(), ddl);
        append_rows(connection, domains_sql(), ddl);
        append_rows(connection, sequences_sql(), ddl);
        append_rows(connection, tables_sql(), ddl);
        append_rows(connection, partition_attachments_sql(), ddl);
        append_rows(connection, views_sql(), ddl);
        append_rows(connection, constraints_sql("p,u,x"), ddl);
        append_rows(connection, indexes_sql(), ddl);
        append_rows(connection, index_attachments_sql(), ddl);
        append_rows(connection, constraints_sql("f"), ddl);
        connection.execute("COMMIT");
        return ddl;
    } catch (...) {
        if (connection.ok()) {
            try {
                connection.execute("ROLLBACK");
            } catch (const QueryError&) {
            }
        }
        throw;
    }
}

Catalog read_live_catalog(Connection& connection, const std::string& source_name) {
    Catalog catalog;
    std::istringstream ddl(live_schema_ddl(connection));
    read_postgres_ddl(ddl, source_name, catalog);
    return catalog;
}

} // namespace parsers::live
