/*  fg_catalogue.h - the programme's table catalogue (DOMAIN.md §2): every
    domain table with its record class, authors, field groups and owners,
    columns and workflow. The engine knows none of them by name; a replica
    opened with the programme's hooks (fg_programme.h) installs them
    (fg_schema_install), and the engine's own tables follow. */
#ifndef FG_CATALOGUE_H_INCLUDED
#define FG_CATALOGUE_H_INCLUDED

#include "fg_schema.h"

extern const fg_table_t fg_catalogue_tables [];
extern const size_t     fg_catalogue_count;

#endif
