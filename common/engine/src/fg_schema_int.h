/*  fg_schema_int.h - the engine's own table definitions
    (fg_schema_system.c), which fg_schema.c appends to the installed
    catalogue. */
#ifndef FG_SCHEMA_INT_H_INCLUDED
#define FG_SCHEMA_INT_H_INCLUDED

#include "fg_schema.h"

extern const fg_table_t fg_schema_system_tables [];
extern const size_t     fg_schema_system_count;

#endif
