/*  fg_schema_int.h - the table definitions, shared by fg_schema.c (the
    machinery) and fg_schema_tables.c (the data). */
#ifndef FG_SCHEMA_INT_H_INCLUDED
#define FG_SCHEMA_INT_H_INCLUDED

#include "fg_schema.h"

extern const fg_table_t fg_schema_tables [];
extern const size_t     fg_schema_tables_count;

#endif
